//! From a file someone handed in to validated stations.
//!
//! Parsing (one module per format) yields records that remember where they
//! came from; `record` turns each into a `Station` or into findings that
//! name the place, the field and the fix, and `cross` checks the records
//! together. Nothing here touches storage: the caller writes records as they
//! pass inside a transaction that it commits only when the whole file is
//! valid, so a bad file changes nothing (or, taken municipality by
//! municipality, leaves out every municipality with an error: see
//! `municipalities`).

mod addresses;
pub mod ckan;
mod cross;
pub mod csv;
mod encoding;
mod finding;
pub mod geojson;
mod location;
pub mod mapping;
mod municipalities;
pub(crate) mod record;
pub mod sheet_limits;
pub mod template;
mod transform;

pub use addresses::{AddressBook, FROM_THE_BAG};
pub use finding::{Expected, Finding, Lang, Place, Problem, Report, Severity, Tally};
pub use mapping::Mapping;
pub use municipalities::{summary, Refused, Whole};
pub use sheet_limits::SheetLimits;

use crate::geography::Boundaries;
use app::model::{Election, MunicipalityCode, Station};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

/// A valid station and the record it was read from. The record is stored
/// too, verbatim: fields this version does not use are never lost.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedStation {
    pub station: Station,
    pub record: SourceRecord,
}

/// The fields of one record, by name, as received.
pub type Fields = serde_json::Map<String, serde_json::Value>;

/// One record as received, with its place in the file for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    pub place: Place,
    pub fields: Fields,
    /// The record's JSON as it came, when it came as JSON: stored as it is
    /// rather than written out again from `fields`.
    pub verbatim: Option<String>,
    /// What reading found wrong before the standard's rules ran (a
    /// mapping's transform that could not read a value); the rules add
    /// nothing more about those fields.
    pub findings: Vec<Finding>,
}

impl SourceRecord {
    pub fn new(place: Place, fields: Fields) -> Self {
        Self { place, fields, verbatim: None, findings: Vec::new() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file is not in the expected format at all.
    #[error("{file}: {problem}")]
    Unreadable { file: String, problem: String },
    /// The file is readable but holds no station.
    #[error("{file}: {hint}")]
    NoStations { file: String, hint: &'static str },
    /// The file parsed, but records break the rules of the standard.
    #[error("{}: {} error(s) found, nothing was imported:\n{}", report.file, report.errors(), report.to_table(Lang::En))]
    Invalid { report: Report },
}

/// The stations of a file that passed validation, and its warnings.
#[derive(Debug)]
pub struct Accepted {
    pub stations: Vec<ReceivedStation>,
    pub report: Report,
}

/// Where the stations are: the Dutch rules (coordinate ranges of the
/// European and Caribbean Netherlands, address IDs, municipality contact)
/// apply in the Netherlands only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    #[default]
    Netherlands,
    World,
}

/// What validation checks a file against, when known.
#[derive(Default, Clone, Copy)]
pub struct Context<'a> {
    pub region: Region,
    /// Opening times must fall on its polling or early-voting days.
    pub election: Option<&'a Election>,
    /// Stations must lie in their own municipality.
    pub boundaries: Option<&'a Boundaries>,
    /// The file is this municipality's upload: a record of another is an
    /// error.
    pub municipality: Option<&'a MunicipalityCode>,
    /// Repair text written twice as UTF-8 rather than only point it out
    /// ([`encoding`]).
    pub repair_encoding: bool,
    /// What one error refuses: the file, or its municipality.
    pub whole: Whole,
}

/// The file formats `kieskaart import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CKAN `datastore_search` JSON.
    Ckan,
    /// CSV with the standard's field names as header.
    Csv,
    /// GeoJSON FeatureCollection of points.
    Geojson,
    /// The municipality spreadsheet template (.xlsx or .ods; an old .xls is refused).
    Template,
}

impl Format {
    /// A ZIP (.xlsx, .ods) or OLE (.xls) container is a spreadsheet; JSON
    /// with features is GeoJSON, other JSON is CKAN, anything
    /// else is taken for CSV (whose reader explains what is wrong).
    pub fn detect(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
            return Format::Template;
        }
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).trim_ascii_start();
        if !start.starts_with(b"{") {
            return Format::Csv;
        }
        let head = &start[..start.len().min(4096)];
        // A lone Feature is GeoJSON too, so that its reader can say what is missing.
        let geojson = head.windows(17).any(|w| w == b"FeatureCollection")
            || head.windows(9).any(|w| w == b"\"Feature\"");
        if geojson {
            Format::Geojson
        } else {
            Format::Ckan
        }
    }
}

/// Parses and validates a CKAN datastore file; all records or an error.
pub fn read_ckan_file(file: &str, bytes: &[u8]) -> Result<Vec<ReceivedStation>, IngestError> {
    read_file(file, bytes, Some(Format::Ckan))
}

/// Parses (in the given format, or the one detected) and validates a
/// station file without context; all records or an error.
pub fn read_file(
    file: &str,
    bytes: &[u8],
    format: Option<Format>,
) -> Result<Vec<ReceivedStation>, IngestError> {
    let records = parse_file(file, bytes, ReadOptions { format, ..Default::default() })?;
    Ok(validate(file, records, Context::default())?.stations)
}

/// The records of a file held in memory.
pub fn parse_file(
    file: &str,
    bytes: &[u8],
    options: ReadOptions<'_>,
) -> Result<Vec<SourceRecord>, IngestError> {
    let mut records = Vec::new();
    read_each(file, bytes, options, &mut |record| {
        records.push(record);
        Ok(())
    })?;
    Ok(records)
}

/// How to read a file; all optional.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Detected from the content when `None`.
    pub format: Option<Format>,
    /// A template names no municipality: this supplies it.
    pub municipality: Option<&'a MunicipalityCode>,
    /// Reads CSV with its own column names.
    pub mapping: Option<&'a Mapping>,
    pub limits: Limits,
}

/// How much of a file is read and kept, chosen by the caller: the command
/// line, the portal and the API each state theirs, and tests shrink them.
/// Whatever a file holds, reading it then takes time in proportion to its
/// size and memory in proportion to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Records read at most; a file with more is refused when the one
    /// after is reached.
    pub records: usize,
    /// Findings kept in full for the report; the rest are counted.
    pub findings: usize,
    /// How large a spreadsheet may grow once inflated and laid out.
    pub sheet: SheetLimits,
}

impl Limits {
    /// `kieskaart import` reads national files of a million records, but
    /// a report of more than a thousand findings helps no one.
    pub const IMPORT: Limits =
        Limits { records: usize::MAX, findings: 1000, sheet: SheetLimits::STATION_LIST };
    /// One municipality's upload: the largest municipality has a few
    /// hundred stations, with a record per period for mobile ones.
    pub const UPLOAD: Limits = Limits { records: 50_000, findings: 1000, sheet: SheetLimits::STATION_LIST };
}

impl Default for Limits {
    fn default() -> Self {
        Self::IMPORT
    }
}

/// Reads a file record by record, in the given format or the one detected,
/// handing each record to `each` as soon as it is read. CKAN JSON is
/// streamed from the reader and CSV row by row from its bytes; GeoJSON
/// and spreadsheets are small by nature (one municipality's stations) and
/// are parsed whole. A file with more records than the limit is refused
/// at the first one too many. Returns how many records there were.
pub fn read_each(
    file: &str,
    mut reader: impl BufRead + Send,
    options: ReadOptions<'_>,
    each: &mut ckan::Each<'_>,
) -> Result<usize, IngestError> {
    let unreadable = |problem| IngestError::Unreadable { file: file.to_owned(), problem };
    let format = match (options.format, options.mapping) {
        (_, Some(_)) => Format::Csv,
        (Some(format), None) => format,
        (None, None) => Format::detect(reader.fill_buf().map_err(|e| unreadable(e.to_string()))?),
    };
    let mut count = 0;
    let limit = options.limits.records;
    let mut counted = |record: SourceRecord| {
        count += 1;
        if count > limit {
            return Err(format!(
                "the file holds more than {limit} records, far more than one municipality has \
                 stations: check that this is the right file"
            ));
        }
        each(record)
    };
    if format == Format::Ckan {
        ckan::stream(reader, 0, &mut counted).map_err(unreadable)?;
    } else {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| unreadable(e.to_string()))?;
        // CSV hands its rows on as it reads them; the others are parsed whole.
        let whole = match (format, options.mapping) {
            (Format::Csv, Some(mapping)) => {
                csv::read_each(&bytes, |header| mapping.check_header(header), &mut |record| {
                    counted(mapping.map(record))
                })
                .map(|()| Vec::new())
            }
            (Format::Csv, None) => {
                csv::read_each(&bytes, csv::standard_header, &mut counted).map(|()| Vec::new())
            }
            (Format::Geojson, _) => geojson::parse(&bytes),
            // CKAN was streamed above and never gets here.
            (Format::Template | Format::Ckan, _) => {
                template::parse(&bytes, options.municipality, &options.limits.sheet)
            }
        }
        .map_err(unreadable)?;
        whole.into_iter().try_for_each(&mut counted).map_err(unreadable)?;
    }
    if count == 0 {
        let hint = match format {
            Format::Template => {
                "this is a blank template: no station is filled in (one column per station, from column F, Invulveld 1)"
            }
            _ => "the file holds no stations",
        };
        return Err(IngestError::NoStations { file: file.to_owned(), hint });
    }
    Ok(count)
}

/// Checks records one at a time, as they are read, and then the records
/// together. It keeps the first findings up to the caller's limit (enough
/// for one round of corrections to fix most of a file) and counts the
/// rest, and only a little of each valid record.
pub struct Validator<'a> {
    context: Context<'a>,
    days: Option<Vec<NaiveDate>>,
    collector: cross::Collector,
    report: Report,
    /// Findings kept in full.
    kept: usize,
    errors: usize,
    repeats: HashMap<(MunicipalityCode, u32), usize>,
    opening_days: BTreeSet<NaiveDate>,
    /// Errors by municipality, kept only when one error refuses only its
    /// municipality.
    ledger: municipalities::Ledger,
}

impl<'a> Validator<'a> {
    pub fn new(file: &str, context: Context<'a>, limits: Limits) -> Self {
        Self {
            context,
            days: context.election.map(Election::voting_days),
            collector: cross::Collector::default(),
            report: Report::new(file.to_owned(), [], limits.findings),
            kept: limits.findings,
            errors: 0,
            repeats: HashMap::new(),
            opening_days: BTreeSet::new(),
            ledger: municipalities::Ledger::default(),
        }
    }

    /// The station of a record that breaks no rule of its own.
    pub fn check(&mut self, mut record: SourceRecord) -> Option<ReceivedStation> {
        let doubly_written = encoding::check(&mut record, self.context.repair_encoding);
        self.note(doubly_written);
        let rules = record::Rules { days: self.days.as_deref(), region: self.context.region };
        let checked = record::to_station(&record, &rules);
        if self.context.whole == Whole::Municipality {
            let errors = checked.findings.iter().filter(|f| f.severity() == Severity::Error).count();
            self.ledger.note(&record.fields, errors);
        }
        self.note(checked.findings);
        let mut station = checked.station?;
        if let Some(expected) = self.context.municipality.filter(|&code| *code != station.municipality_code) {
            self.note(vec![Finding {
                place: record.place.clone(),
                field: "CBS gemeentecode".into(),
                value: station.municipality_code.to_string(),
                problem: Problem::OtherMunicipality { expected: expected.to_string() },
            }]);
            return None;
        }
        // A station number on several records is one station with several
        // locations or periods; each record gets its own id.
        let count = self.repeats.entry((station.municipality_code.clone(), station.number)).or_default();
        *count += 1;
        if *count > 1 {
            station.id = format!("{}-{}", station.id, count);
        }
        self.opening_days.insert(station.opens.date());
        let received = ReceivedStation { station, record };
        let outside = self.collector.add(&received, self.context.boundaries);
        self.note(outside.into_iter().collect());
        Some(received)
    }

    fn note(&mut self, findings: Vec<Finding>) {
        self.errors += findings.iter().filter(|f| f.severity() == Severity::Error).count();
        self.report.extend(findings, self.kept);
    }

    /// Whether a valid station goes in as far as is known yet: not once
    /// its file, or with [`Whole::Municipality`] its municipality, is
    /// refused. A station taken may still be refused by what the rules
    /// about records together find at the end.
    pub fn takes(&self, received: &ReceivedStation) -> bool {
        match self.context.whole {
            Whole::File => self.errors == 0,
            Whole::Municipality => !self.ledger.refuses(&received.station.municipality_code),
        }
    }

    /// The days on which the file's stations open.
    pub fn opening_days(&self) -> &BTreeSet<NaiveDate> {
        &self.opening_days
    }

    /// Applies the rules about records together; the report of a file
    /// that goes in (with [`Whole::Municipality`], the municipalities
    /// refused in `Report::refused`), or the refusal with every finding.
    pub fn finish(self) -> Result<Report, IngestError> {
        let mut report = self.report;
        let mut ledger = self.ledger;
        let together = self.collector.finish();
        for (municipality, finding) in &together {
            if finding.severity() == Severity::Error {
                ledger.note_error(municipality);
            }
        }
        report.extend(together.into_iter().map(|(_, finding)| finding), self.kept);
        if report.errors() == 0 {
            return Ok(report);
        }
        match (self.context.whole, ledger.finish()) {
            (Whole::Municipality, municipalities::Outcome::Split { refused }) => {
                report.refused = refused;
                Ok(report)
            }
            _ => Err(IngestError::Invalid { report }),
        }
    }
}

/// Checks records held in memory; all stations and the warnings, or the
/// refusal with every finding.
pub fn validate(
    file: &str,
    records: Vec<SourceRecord>,
    context: Context<'_>,
) -> Result<Accepted, IngestError> {
    let mut validator = Validator::new(file, context, Limits::default());
    let stations = records.into_iter().filter_map(|record| validator.check(record)).collect();
    let report = validator.finish()?;
    Ok(Accepted { stations, report })
}

#[cfg(test)]
mod tests {
    use super::record::tests::record;
    use super::*;
    use serde_json::json;

    #[test]
    fn repeated_numbers_get_distinct_ids() {
        let morning = record(json!({"Type stembureau": "mobiel", "Sluitingstijd": "2026-03-18T12:00:00"}));
        let afternoon = record(json!({"Type stembureau": "mobiel", "Openingstijd": "2026-03-18T13:00:00"}));
        let accepted = validate("f", vec![morning, afternoon], Context::default()).unwrap();
        let ids: Vec<_> = accepted.stations.iter().map(|s| s.station.id.as_str()).collect();
        assert_eq!(ids, ["gm0589-1", "gm0589-1-2"]);
    }

    #[test]
    fn one_error_rejects_the_file_and_warnings_do_not() {
        let warned = record(json!({"Overige informatie": "nee"}));
        let accepted = validate("f", vec![warned.clone()], Context::default()).unwrap();
        assert_eq!((accepted.stations.len(), accepted.report.warnings()), (1, 1));
        let broken = record(json!({"Nummer stembureau": 2, "Openingstijd": ""}));
        let Err(IngestError::Invalid { report }) = validate("f", vec![warned, broken], Context::default())
        else {
            panic!("an error must reject the file")
        };
        assert_eq!((report.errors(), report.warnings()), (1, 1));
    }

    #[test]
    fn taken_by_municipality_an_error_found_at_the_end_refuses_only_its_municipality() {
        let morning = record(json!({"Sluitingstijd": "2026-03-18T12:00:00"}));
        let overlapping = record(json!({"Openingstijd": "2026-03-18T11:00:00", "Latitude": 52.03}));
        let veere = record(json!({"CBS gemeentecode": "GM0677", "Gemeente": "Veere", "Latitude": 51.55}));
        let records = vec![morning, overlapping, veere];
        let context = Context { whole: Whole::Municipality, ..Context::default() };
        let accepted = validate("f", records.clone(), context).unwrap();
        let refused: Vec<_> = accepted.report.refused.iter().map(|r| (r.name.as_str(), r.errors)).collect();
        assert_eq!(refused, [("Oudewater", 1)]);
        assert!(validate("f", records, Context::default()).is_err(), "by default the file is refused");
    }

    #[test]
    fn the_callers_limits_bound_records_read_and_findings_kept() {
        let limits = Limits { records: 3, findings: 4, ..Limits::IMPORT };
        let options = ReadOptions { format: Some(Format::Csv), limits, ..Default::default() };
        let three = b"Nummer stembureau\n1\n2\n3\n".as_slice();
        assert_eq!(parse_file("f.csv", three, options).map(|records| records.len()).ok(), Some(3));
        let four = b"Nummer stembureau\n1\n2\n3\n4\n".as_slice();
        let Err(IngestError::Unreadable { problem, .. }) = parse_file("f.csv", four, options) else {
            panic!("a fourth record is one too many")
        };
        assert!(problem.contains("more than 3 records"), "{problem}");

        let mut validator = Validator::new("f.csv", Context::default(), limits);
        for record in parse_file("f.csv", three, options).unwrap() {
            validator.check(record);
        }
        let Err(IngestError::Invalid { report }) = validator.finish() else {
            panic!("numbers alone are invalid")
        };
        assert_eq!(report.findings.len(), 4, "only the first four findings are kept");
        assert!(report.left_out.errors > 0, "the rest are counted: {report:?}");
        assert_eq!(report.errors() + report.warnings(), 4 + report.left_out.total());
    }
}
