//! What validation finds: the place in the file, the field, the value, the
//! problem and its fix, in Dutch and English.
//!
//! Problems are data (an enum), not prose: the report renders them in the
//! reader's language, and tests match on what went wrong rather than on
//! wording.

use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// Errors block an import; warnings are reported and the file goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// Where in the file a record is, in the terms of the program that made
/// it: a spreadsheet user looks for a column, a CSV user for a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Place {
    /// The n-th record of a CKAN JSON list (1-based).
    Record { number: usize },
    /// The line of a CSV file where the record starts (the header is line 1).
    Line { number: usize },
    /// The n-th feature of a GeoJSON FeatureCollection (1-based).
    Feature { number: usize },
    /// A station column of the municipality template: its letter and the
    /// template's own name for it ("Invulveld 3").
    Column { letter: String, field: usize },
}

impl Place {
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Place::Record { number }, _) => format!("record {number}"),
            (Place::Line { number }, Lang::Nl) => format!("regel {number}"),
            (Place::Line { number }, Lang::En) => format!("line {number}"),
            (Place::Feature { number }, _) => format!("feature {number}"),
            (Place::Column { letter, field }, Lang::Nl) => format!("kolom {letter} (Invulveld {field})"),
            (Place::Column { letter, field }, Lang::En) => format!("column {letter} (Invulveld {field})"),
        }
    }
}

/// What a field should hold, named in messages and fixes.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    MunicipalityCode,
    StationNumber,
    StationName,
    /// One of the standard's values for an enumerated field.
    OneOf(&'static [&'static str]),
    Degrees,
    RdMetres,
    Time,
    AddressId,
    Url,
    Contact,
    Postcode,
}

impl Expected {
    fn describe(&self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        match self {
            Expected::MunicipalityCode if nl => "GM gevolgd door vier cijfers, bijv. GM0589".into(),
            Expected::MunicipalityCode => "GM followed by four digits, e.g. GM0589".into(),
            Expected::StationNumber if nl => "een geheel getal van 1 tot 2.000.000.000".into(),
            Expected::StationNumber => "a whole number from 1 to 2,000,000,000".into(),
            Expected::StationName if nl => "de naam die kiezers op het gebouw zien".into(),
            Expected::StationName => "the name voters see on the building".into(),
            Expected::OneOf(values) if nl => format!("een van: {}", quoted(values)),
            Expected::OneOf(values) => format!("one of: {}", quoted(values)),
            Expected::Degrees if nl => "graden WGS84 met een punt of komma, bijv. 52.0217".into(),
            Expected::Degrees => "WGS84 degrees with a point or comma, e.g. 52.0217".into(),
            Expected::RdMetres if nl => "RD-meters: X van 0 tot 300.000, Y van 300.000 tot 620.000".into(),
            Expected::RdMetres => "RD metres: X from 0 to 300,000, Y from 300,000 to 620,000".into(),
            Expected::Time if nl => "lokale tijd als JJJJ-MM-DDTUU:MM:SS, bijv. 2026-03-18T07:30:00".into(),
            Expected::Time => "local time as YYYY-MM-DDTHH:MM:SS, e.g. 2026-03-18T07:30:00".into(),
            Expected::AddressId if nl => {
                "het BAG Nummeraanduiding ID van 16 cijfers, of 0000000000000000 als er geen adres is".into()
            }
            Expected::AddressId => {
                "the 16-digit BAG Nummeraanduiding ID, or 0000000000000000 when there is no address".into()
            }
            Expected::Postcode if nl => {
                "vier cijfers (niet beginnend met 0) en twee letters (niet SA, SD of SS), bijv. 3421 CT"
                    .into()
            }
            Expected::Postcode => {
                "four digits (not starting with 0) and two letters (not SA, SD or SS), e.g. 3421 CT".into()
            }
            Expected::Url if nl => "een webadres dat begint met https://".into(),
            Expected::Url => "a web address starting with https://".into(),
            Expected::Contact if nl => "de afdeling en het telefoonnummer of e-mailadres voor kiezers".into(),
            Expected::Contact => "the department and the phone number or e-mail address for voters".into(),
        }
    }
}

fn quoted(values: &[&str]) -> String {
    values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
}

fn dates(days: &[NaiveDate]) -> String {
    days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
}

/// Everything validation can find wrong with a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A field the standard requires and Kieskaart needs is empty.
    Missing(Expected),
    /// A field the standard requires but voters can be served without.
    MissingRecommended(Expected),
    Invalid(Expected),
    NoCoordinates,
    OutsideNetherlands,
    LatLonSwapped {
        lat: f64,
        lon: f64,
    },
    RdInLatLon {
        lat: f64,
        lon: f64,
    },
    /// Both pairs are given and lie further apart than 25 m.
    PairsDisagree {
        metres: f64,
    },
    FewDecimals,
    ClosesBeforeOpens,
    ClosesOnAnotherDay,
    NotAnElectionDay {
        days: Vec<NaiveDate>,
    },
    /// A spreadsheet dropped leading zeros; read as the padded value.
    AddressIdPadded {
        padded: String,
    },
    NoAddressNoDirections,
    /// A free-text field that only says "no".
    SaysNothing,
    /// Same station number, periods that overlap: one station cannot be
    /// in two places or twice in one place at once.
    OverlapsSameNumber {
        other: Place,
    },
    KindDiffersSameNumber {
        other: Place,
    },
    SamePointOtherAddress {
        other: Place,
    },
    OutsideMunicipality {
        lies_in: Option<String>,
    },
    /// A record of another municipality in one municipality's upload.
    OtherMunicipality {
        expected: String,
    },
    /// UTF-8 text read as Windows-1252 and written as UTF-8 again
    /// ([`super::encoding`]).
    WrittenTwiceAsUtf8 {
        intended: String,
    },
    /// Such text, repaired on request (`--repair-encoding`).
    EncodingRepaired {
        was: String,
    },
    /// A postcode that is no Dutch postcode, where other countries'
    /// postcodes are normal (a mapping for `region = "world"`).
    NotADutchPostcode,
    /// A municipality template of version 1.6, read as it is.
    OutdatedTemplate,
    /// The file's `column` holds a value that the mapping's transform for
    /// the field cannot read.
    Untransformed {
        column: String,
        mismatch: super::transform::Mismatch,
    },
}

impl Problem {
    pub fn severity(&self) -> Severity {
        match self {
            Problem::MissingRecommended(_)
            | Problem::PairsDisagree { .. }
            | Problem::FewDecimals
            | Problem::AddressIdPadded { .. }
            | Problem::SaysNothing
            | Problem::SamePointOtherAddress { .. }
            | Problem::OutsideMunicipality { .. }
            | Problem::WrittenTwiceAsUtf8 { .. }
            | Problem::EncodingRepaired { .. }
            | Problem::NotADutchPostcode
            | Problem::OutdatedTemplate => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The problem and its fix, in `lang`.
    pub fn explain(&self, lang: Lang) -> (String, String) {
        let nl = lang == Lang::Nl;
        let (problem, fix): (&str, String) = match self {
            Problem::Missing(expected) | Problem::MissingRecommended(expected) => {
                (if nl { "is verplicht maar leeg" } else { "is required but empty" }, fill_in(expected, lang))
            }
            Problem::Invalid(expected) => {
                (if nl { "is ongeldig" } else { "is not valid" }, fill_in(expected, lang))
            }
            Problem::NoCoordinates => (
                if nl { "heeft geen coördinaten" } else { "has no coordinates" },
                if nl {
                    "vul Latitude en Longitude (WGS84) of X en Y (RD) in; Kieskaart zoekt geen BAG-adressen op".into()
                } else {
                    "give Latitude and Longitude (WGS84) or X and Y (RD); Kieskaart does not look up BAG addresses"
                        .into()
                },
            ),
            Problem::OutsideNetherlands => (
                if nl { "ligt buiten Nederland" } else { "lies outside the Netherlands" },
                if nl {
                    "controleer de coördinaten: Europees Nederland ligt tussen breedte 50–54 en lengte 3–8, \
                     Caribisch Nederland rond 12 en 17,5 noord, 63–68,5 west"
                        .into()
                } else {
                    "check the coordinates: European Netherlands lies within latitude 50–54 and longitude 3–8, \
                     the Caribbean Netherlands around 12 and 17.5 north, 63–68.5 west"
                        .into()
                },
            ),
            Problem::LatLonSwapped { lat, lon } => (
                if nl {
                    "Latitude en Longitude lijken verwisseld"
                } else {
                    "Latitude and Longitude look swapped"
                },
                if nl {
                    format!("vul Latitude {lat} en Longitude {lon} in")
                } else {
                    format!("write Latitude {lat} and Longitude {lon}")
                },
            ),
            Problem::RdInLatLon { lat, lon } => (
                if nl {
                    "bevat RD-coördinaten (meters), geen graden"
                } else {
                    "holds RD coordinates (metres), not degrees"
                },
                if nl {
                    format!("zet ze in X en Y, of vul Latitude {lat:.6} en Longitude {lon:.6} in")
                } else {
                    format!("move them to X and Y, or write Latitude {lat:.6} and Longitude {lon:.6}")
                },
            ),
            Problem::PairsDisagree { metres } => (
                if nl {
                    "X/Y en Latitude/Longitude wijzen naar verschillende plekken"
                } else {
                    "X/Y and Latitude/Longitude point to different places"
                },
                if nl {
                    format!("ze liggen {metres:.0} m uit elkaar; verbeter het paar dat niet klopt (Kieskaart gebruikt Latitude/Longitude)")
                } else {
                    format!("they are {metres:.0} m apart; correct the wrong pair (Kieskaart uses Latitude/Longitude)")
                },
            ),
            Problem::FewDecimals => (
                if nl { "heeft minder dan 4 decimalen" } else { "has fewer than 4 decimals" },
                if nl {
                    "geef minstens 4 decimalen (ongeveer 10 m) zodat kiezers de ingang vinden".into()
                } else {
                    "give at least 4 decimals (about 10 m) so that voters find the entrance".into()
                },
            ),
            Problem::ClosesBeforeOpens => (
                if nl {
                    "sluit voor of op het moment dat het opent"
                } else {
                    "closes before or when it opens"
                },
                if nl {
                    "geef een sluitingstijd na de openingstijd".into()
                } else {
                    "give a closing time after the opening time".into()
                },
            ),
            Problem::ClosesOnAnotherDay => (
                if nl {
                    "sluit op een andere dag dan het opent"
                } else {
                    "closes on another day than it opens"
                },
                if nl {
                    "geef een sluitingstijd op de dag van de openingstijd; een stembureau dat meerdere dagen open is krijgt een regel per dag".into()
                } else {
                    "give a closing time on the opening day; a station open on several days gets one record per day".into()
                },
            ),
            Problem::NotAnElectionDay { days } => (
                if nl {
                    "valt niet op de verkiezingsdag of een dag van vervroegd stemmen"
                } else {
                    "is not on the polling day or an early-voting day"
                },
                if nl {
                    format!("geef een tijd op {}, of voeg de dag toe met `kieskaart election edit --early-voting`", dates(days))
                } else {
                    format!(
                        "give a time on {}, or add the day with `kieskaart election edit --early-voting`",
                        dates(days)
                    )
                },
            ),
            Problem::AddressIdPadded { padded } => (
                if nl {
                    "heeft minder dan 16 cijfers: de spreadsheet liet voorloopnullen weg"
                } else {
                    "has fewer than 16 digits: the spreadsheet dropped leading zeros"
                },
                if nl {
                    format!("gelezen als {padded}; maak de cel tekst zodat de nullen blijven")
                } else {
                    format!("read as {padded}; format the cell as text to keep the zeros")
                },
            ),
            Problem::NoAddressNoDirections => (
                if nl {
                    "is 0000000000000000 (geen adres), maar Extra adresaanduiding is leeg"
                } else {
                    "is 0000000000000000 (no address), but Extra adresaanduiding is empty"
                },
                if nl {
                    "beschrijf in Extra adresaanduiding waar het stembureau is".into()
                } else {
                    "describe in Extra adresaanduiding where the station is".into()
                },
            ),
            Problem::SaysNothing => (
                if nl {
                    "zegt alleen \"nee\": dat is geen informatie voor kiezers"
                } else {
                    "only says \"no\": that tells voters nothing"
                },
                if nl {
                    "laat het veld leeg als er niets te melden is; Kieskaart toont het als leeg".into()
                } else {
                    "leave the field empty when there is nothing to add; Kieskaart shows it as empty".into()
                },
            ),
            Problem::OverlapsSameNumber { other } => {
                (
                    if nl {
                        "heeft hetzelfde stembureaunummer als een ander record met overlappende openingstijden"
                    } else {
                        "has the station number of another record whose opening period overlaps"
                    },
                    if nl {
                        format!("vergelijk met {}: geef elke locatie een eigen periode, of een van beide een ander nummer", other.describe(lang))
                    } else {
                        format!("compare with {}: give each location its own period, or one of them another number", other.describe(lang))
                    },
                )
            }
            Problem::KindDiffersSameNumber { other } => (
                if nl {
                    "heeft hetzelfde stembureaunummer als een ander record, maar een ander type"
                } else {
                    "has the station number of another record, but another type"
                },
                if nl {
                    format!("vergelijk met {}: één stembureau heeft één type", other.describe(lang))
                } else {
                    format!("compare with {}: one station has one type", other.describe(lang))
                },
            ),
            Problem::SamePointOtherAddress { other } => (
                if nl {
                    "ligt op hetzelfde punt als een stembureau met een ander adres"
                } else {
                    "lies at the same point as a station with another address"
                },
                if nl {
                    format!("controleer de coördinaten van dit record en {}", other.describe(lang))
                } else {
                    format!("check the coordinates of this record and {}", other.describe(lang))
                },
            ),
            Problem::OtherMunicipality { expected } => (
                if nl { "hoort bij een andere gemeente" } else { "belongs to another municipality" },
                if nl {
                    format!("dit bestand is voor {expected}: haal de stembureaus van andere gemeenten eruit")
                } else {
                    format!("this file is for {expected}: take out the stations of other municipalities")
                },
            ),
            Problem::WrittenTwiceAsUtf8 { intended } => (
                if nl {
                    "lijkt tekst die twee keer als UTF-8 is geschreven (eerst als Windows-1252 gelezen)"
                } else {
                    "looks like text written twice as UTF-8 (read as Windows-1252 in between)"
                },
                if nl {
                    format!("bedoeld is waarschijnlijk \"{intended}\": sla het bestand één keer als UTF-8 op, of importeer met --repair-encoding")
                } else {
                    format!("probably meant \"{intended}\": save the file as UTF-8 once, or import with --repair-encoding")
                },
            ),
            Problem::EncodingRepaired { was } => (
                if nl {
                    "is hersteld: de tekst was twee keer als UTF-8 geschreven"
                } else {
                    "was repaired: the text was written twice as UTF-8"
                },
                if nl {
                    format!("het bestand had \"{was}\"; controleer de herstelde tekst en herstel ook de bron")
                } else {
                    format!("the file had \"{was}\"; check the repaired text, and repair the source too")
                },
            ),
            Problem::OutdatedTemplate => (
                if nl {
                    "ontbreekt: dit bestand komt uit het verouderde sjabloon 1.6"
                } else {
                    "is missing: this file was made from the outdated template 1.6"
                },
                if nl {
                    format!(
                        "gelezen als 1.6 (Gehandicaptentoilet als Toilet); gebruik voortaan {}",
                        super::template::TEMPLATE_1_7
                    )
                } else {
                    format!(
                        "read as 1.6 (Gehandicaptentoilet as Toilet); from now on use {}",
                        super::template::TEMPLATE_1_7
                    )
                },
            ),
            Problem::NotADutchPostcode => (
                if nl { "is geen Nederlandse postcode" } else { "is not a Dutch postcode" },
                if nl {
                    "in orde als het adres in een ander land ligt; anders: vier cijfers en twee letters, bijv. 3421 CT".into()
                } else {
                    "fine when the address lies in another country; else four digits and two letters, e.g. 3421 CT".into()
                },
            ),
            Problem::OutsideMunicipality { lies_in } => (
                if nl { "ligt buiten de eigen gemeente" } else { "lies outside its own municipality" },
                match (lies_in, lang) {
                    (Some(name), Lang::Nl) => {
                        format!("het punt ligt in {name}; controleer de coördinaten en de gemeentecode")
                    }
                    (Some(name), Lang::En) => {
                        format!("the point lies in {name}; check the coordinates and the municipality code")
                    }
                    (None, Lang::Nl) => {
                        "het punt ligt in geen enkele gemeente; controleer de coördinaten".into()
                    }
                    (None, Lang::En) => "the point lies in no municipality; check the coordinates".into(),
                },
            ),
            Problem::Untransformed { column, mismatch } => return mismatch.explain(column, lang),
        };
        (problem.to_owned(), fix)
    }
}

fn fill_in(expected: &Expected, lang: Lang) -> String {
    match lang {
        Lang::Nl => format!("vul in: {}", expected.describe(lang)),
        Lang::En => format!("write {}", expected.describe(lang)),
    }
}

/// One problem in one field of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub place: Place,
    pub field: String,
    pub value: String,
    pub problem: Problem,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.problem.severity()
    }
}

/// English, one line: for logs and error chains.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (problem, fix) = self.problem.explain(Lang::En);
        write!(
            f,
            "{} {}, field \"{}\" = \"{}\": {problem}. Fix: {fix}",
            self.severity_word(Lang::En),
            self.place.describe(Lang::En),
            self.field,
            self.value
        )
    }
}

impl Finding {
    fn severity_word(&self, lang: Lang) -> &'static str {
        match (self.severity(), lang) {
            (Severity::Error, Lang::Nl) => "fout",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Nl) => "waarschuwing",
            (Severity::Warning, Lang::En) => "warning",
        }
    }
}

/// The JSON form of a finding: both languages, so one report serves
/// every reader.
#[derive(Serialize)]
struct FindingJson<'a> {
    severity: Severity,
    file: &'a str,
    place: &'a Place,
    field: &'a str,
    value: &'a str,
    message_nl: String,
    fix_nl: String,
    message_en: String,
    fix_en: String,
}

/// The findings of one file: the first ones in full, the rest counted.
/// A file of a million bad lines would otherwise make a report of nine
/// million findings that no one reads and that the server cannot hold; the
/// first screenful shows what is wrong, and fixing it usually fixes the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub file: String,
    /// At most as many as the reader's limit (`ingest::Limits::findings`),
    /// in the order found.
    pub findings: Vec<Finding>,
    /// Findings after those, counted but not kept.
    pub left_out: Tally,
    /// When one error refuses only its municipality
    /// ([`Whole::Municipality`](super::Whole)): the municipalities its
    /// errors refused; the others went in. Empty otherwise.
    pub refused: Vec<super::Refused>,
}

/// Errors and warnings counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings
    }
}

impl Report {
    /// Keeps the first `kept` findings and counts the others: the report
    /// grows no further than that, whatever the file.
    pub fn new(file: String, findings: impl IntoIterator<Item = Finding>, kept: usize) -> Self {
        let mut report = Self { file, ..Self::default() };
        report.extend(findings, kept);
        report
    }

    /// Adds findings while fewer than `kept` are kept; counts the rest.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>, kept: usize) {
        for finding in findings {
            if self.findings.len() < kept {
                self.findings.push(finding);
            } else {
                self.left_out.count(finding.severity());
            }
        }
    }

    /// Every error found, kept or not.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.severity() == Severity::Error).count() + self.left_out.errors
    }

    /// Every warning found, kept or not.
    pub fn warnings(&self) -> usize {
        self.findings.len() + self.left_out.total() - self.errors()
    }

    /// When findings were left out: how many, and what to do first.
    pub fn left_out_note(&self, lang: Lang) -> Option<String> {
        let Tally { errors, warnings } = self.left_out;
        let shown = self.findings.len();
        (self.left_out.total() > 0).then(|| match lang {
            Lang::Nl => format!(
                "Alleen de eerste {shown} bevindingen staan hier; er zijn er nog {} ({errors} fouten, \
                 {warnings} waarschuwingen). Verbeter eerst deze en controleer het bestand dan opnieuw: \
                 vaak verdwijnen de andere met dezelfde verbetering.",
                self.left_out.total()
            ),
            Lang::En => format!(
                "Only the first {shown} findings are listed; there are {} more ({errors} errors, \
                 {warnings} warnings). Fix these first, then check the file again: the others often go \
                 with the same correction.",
                self.left_out.total()
            ),
        })
    }

    pub fn to_json(&self) -> serde_json::Value {
        let findings: Vec<_> = self
            .findings
            .iter()
            .map(|finding| {
                let (message_nl, fix_nl) = finding.problem.explain(Lang::Nl);
                let (message_en, fix_en) = finding.problem.explain(Lang::En);
                FindingJson {
                    severity: finding.severity(),
                    file: &self.file,
                    place: &finding.place,
                    field: &finding.field,
                    value: &finding.value,
                    message_nl,
                    fix_nl,
                    message_en,
                    fix_en,
                }
            })
            .collect();
        let mut json = serde_json::json!({ "file": self.file, "errors": self.errors(), "warnings": self.warnings(), "findings": findings });
        if !self.refused.is_empty() {
            json["refused"] = serde_json::json!(self.refused);
        }
        if let (Some(nl), Some(en)) = (self.left_out_note(Lang::Nl), self.left_out_note(Lang::En)) {
            json["left_out"] = serde_json::json!({
                "errors": self.left_out.errors,
                "warnings": self.left_out.warnings,
                "message_nl": nl,
                "message_en": en,
            });
        }
        json
    }

    /// A plain-text table, one finding per block of lines, errors first.
    pub fn to_table(&self, lang: Lang) -> String {
        let mut findings: Vec<&Finding> = self.findings.iter().collect();
        findings.sort_by_key(|f| f.severity());
        let mut table = String::new();
        for finding in findings {
            let (problem, fix) = finding.problem.explain(lang);
            let value = if finding.value.chars().count() > 60 {
                format!("{}…", finding.value.chars().take(60).collect::<String>())
            } else {
                finding.value.clone()
            };
            let fix_word = if lang == Lang::Nl { "oplossing" } else { "fix" };
            table.push_str(&format!(
                "{:<12} {}  {}  {:<28} \"{}\"\n             {problem}\n             {fix_word}: {fix}\n",
                finding.severity_word(lang),
                self.file,
                finding.place.describe(lang),
                finding.field,
                value,
            ));
        }
        if let Some(note) = self.left_out_note(lang) {
            table.push_str(&note);
            table.push('\n');
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(problem: Problem) -> Finding {
        Finding {
            place: Place::Column { letter: "H".into(), field: 3 },
            field: "Openingstijd".into(),
            value: "18-03-2026 7:30".into(),
            problem,
        }
    }

    #[test]
    fn a_report_names_file_place_field_value_problem_and_fix_in_both_languages() {
        let report = Report::new("stembureaus.xlsx".into(), [finding(Problem::Invalid(Expected::Time))], 10);
        let dutch = report.to_table(Lang::Nl);
        for part in [
            "fout",
            "stembureaus.xlsx",
            "kolom H (Invulveld 3)",
            "Openingstijd",
            "18-03-2026 7:30",
            "is ongeldig",
            "JJJJ-MM-DD",
        ] {
            assert!(dutch.contains(part), "{part} missing from {dutch}");
        }
        let english = report.to_table(Lang::En);
        assert!(english.contains("column H (Invulveld 3)") && english.contains("YYYY-MM-DD"), "{english}");
        let json = report.to_json();
        assert_eq!(json["errors"], 1);
        assert_eq!(
            json["findings"][0]["place"],
            serde_json::json!({"kind": "column", "letter": "H", "field": 3})
        );
        assert_eq!(json["findings"][0]["message_en"], "is not valid");
        assert_eq!(json["findings"][0]["message_nl"], "is ongeldig");
    }

    #[test]
    fn warnings_do_not_count_as_errors() {
        let report =
            Report::new("f.csv".into(), [finding(Problem::SaysNothing), finding(Problem::NoCoordinates)], 10);
        assert_eq!((report.errors(), report.warnings()), (1, 1));
        assert!(report.to_table(Lang::En).starts_with("error"), "errors come first");
    }

    #[test]
    fn a_report_keeps_the_first_findings_and_counts_the_rest() {
        let many =
            (0..10).map(|i| finding(if i % 2 == 0 { Problem::SaysNothing } else { Problem::NoCoordinates }));
        let report = Report::new("f.csv".into(), many, 3);
        assert_eq!(report.findings.len(), 3, "only the first three are kept");
        assert_eq!(report.left_out, Tally { errors: 4, warnings: 3 });
        assert_eq!((report.errors(), report.warnings()), (5, 5), "the counts include what was left out");
        let english = report.to_table(Lang::En);
        assert!(english.contains("Only the first 3 findings are listed; there are 7 more (4 errors, 3 warnings). Fix these first"), "{english}");
        assert!(report.to_table(Lang::Nl).contains("Alleen de eerste 3 bevindingen"));
        let json = report.to_json();
        assert_eq!(json["findings"].as_array().map(Vec::len), Some(3));
        assert_eq!((json["errors"].as_u64(), json["left_out"]["errors"].as_u64()), (Some(5), Some(4)));
        assert!(json["left_out"]["message_nl"].as_str().is_some_and(|m| m.contains("Verbeter eerst deze")));
        let whole = Report::new("f.csv".into(), [finding(Problem::SaysNothing)], 3);
        assert!(whole.left_out_note(Lang::En).is_none() && whole.to_json().get("left_out").is_none());
    }
}
