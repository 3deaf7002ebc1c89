//! The field rules of the open data standard: one record to one `Station`,
//! or findings that name the field, the value and the fix.

use super::finding::{Expected, Finding, Problem};
use super::location;
use super::{Region, SourceRecord};
use app::model::{
    Accessibility, Address, GuideLines, MunicipalityCode, SignLanguageInterpreter, Station, StationKind,
    Toilet,
};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

pub const CODE: &str = "CBS gemeentecode";
pub const NUMBER: &str = "Nummer stembureau";
const NAME: &str = "Naam stembureau";
pub const KIND: &str = "Type stembureau";
const OPENS: &str = "Openingstijd";
const CLOSES: &str = "Sluitingstijd";
const ADDRESS_ID: &str = "BAG Nummeraanduiding ID";
const EXTRA_ADDRESS: &str = "Extra adresaanduiding";
const POSTCODE: &str = "Postcode";
const WHEELCHAIR: &str = "Toegankelijk voor mensen met een lichamelijke beperking";
const TOILET: &str = "Toilet";
/// The toilet field's name in version 1.6 of the standard.
const TOILET_1_6: &str = "Gehandicaptentoilet";
const GUIDE_LINES: &str = "Geleidelijnen";
const INTERPRETER: &str = "Gebarentolk (NGT)";

const YES_NO: Expected = Expected::OneOf(&["ja", "nee"]);
const KINDS: Expected = Expected::OneOf(&["regulier", "bijzonder", "mobiel"]);
const TOILETS: Expected =
    Expected::OneOf(&["ja", "ja, genderneutraal toilet", "ja, toegankelijk toilet", "nee"]);
const GUIDES: Expected = Expected::OneOf(&["buiten en binnen", "buiten", "binnen", "nee"]);
const INTERPRETERS: Expected = Expected::OneOf(&["op locatie", "op afstand", "nee"]);

/// A record read against the rules: its station when it has no error, and
/// every finding (warnings come with a station, errors without).
pub struct Checked {
    pub station: Option<Station>,
    pub findings: Vec<Finding>,
}

/// What a record is checked against besides the standard.
pub struct Rules<'a> {
    /// The election's polling and early-voting days, when it is known.
    pub days: Option<&'a [NaiveDate]>,
    pub region: Region,
}

/// Reads one record against the rules.
pub fn to_station(record: &SourceRecord, rules: &Rules<'_>) -> Checked {
    let mut reader = Reader { record, findings: record.findings.clone() };
    let code = reader.parse(CODE, Expected::MunicipalityCode, |text| MunicipalityCode::parse(text).ok());
    let number = reader.parse(NUMBER, Expected::StationNumber, parse_station_number);
    let name = reader.required(NAME, Expected::StationName);
    let kind = reader.parse(KIND, KINDS, |text| match text.to_lowercase().as_str() {
        "regulier" => Some(StationKind::Regular),
        "bijzonder" => Some(StationKind::Special),
        "mobiel" => Some(StationKind::Mobile),
        _ => None,
    });
    let location = location::read(&mut reader, rules.region);
    let opens = reader.parse(OPENS, Expected::Time, parse_time);
    let closes = reader.parse(CLOSES, Expected::Time, parse_time);
    if let (Some(opens), Some(closes)) = (opens, closes) {
        reader.check_period(opens, closes, rules.days);
    }
    let wheelchair = reader.parse(WHEELCHAIR, YES_NO, parse_yes_no);
    let accessibility = wheelchair.map(|wheelchair| reader.accessibility(wheelchair));
    let extra = reader.free_text(EXTRA_ADDRESS);
    reader.check_postcode(rules.region);
    if rules.region == Region::Netherlands {
        reader.check_address_id(&extra);
        reader.check_municipality_contact();
    }
    reader.optional("Website locatie", Expected::Url, parse_url);
    reader.free_text("Overige informatie");

    let (
        Some(code),
        Some(number),
        Some(name),
        Some(kind),
        Some(location),
        Some(opens),
        Some(closes),
        Some(accessibility),
    ) = (code, number, name, kind, location, opens, closes, accessibility)
    else {
        return Checked { station: None, findings: reader.findings };
    };
    if reader.has_errors() {
        return Checked { station: None, findings: reader.findings };
    }
    let municipality_name = reader.text("Gemeente");
    let station = Station {
        id: format!("{}-{number}", code.as_str().to_lowercase()),
        number,
        name,
        kind,
        municipality_name: if municipality_name.is_empty() { code.to_string() } else { municipality_name },
        municipality_code: code,
        address: Address {
            street: reader.text("Straatnaam"),
            house_number: [
                reader.text("Huisnummer"),
                reader.text("Huisletter"),
                reader.text("Huisnummertoevoeging"),
            ]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
            postcode: reader.text(POSTCODE).replace(' ', "").to_uppercase(),
            place: reader.text("Plaats"),
            extra,
        },
        location,
        opens,
        closes,
        accessibility,
    };
    Checked { station: Some(station), findings: reader.findings }
}

/// Reads fields of one record and remembers every problem it meets, so
/// that one round of corrections fixes the whole record.
pub struct Reader<'a> {
    record: &'a SourceRecord,
    pub findings: Vec<Finding>,
}

impl Reader<'_> {
    /// The field as trimmed text; numbers are written as they are, and
    /// missing or null fields read as empty.
    pub fn text(&self, field: &str) -> String {
        match self.record.fields.get(field) {
            Some(Value::String(text)) => text.trim().to_owned(),
            Some(Value::Number(number)) => number.to_string(),
            Some(Value::Bool(flag)) => flag.to_string(),
            _ => String::new(),
        }
    }

    /// Notes a problem, unless reading found one in the field already.
    pub fn finding(&mut self, field: &str, problem: Problem) {
        if self.record.findings.iter().any(|found| found.field == field) {
            return;
        }
        self.findings.push(Finding {
            place: self.record.place.clone(),
            field: field.to_owned(),
            value: self.text(field),
            problem,
        });
    }

    /// A postcode given must be Dutch; where other countries' are normal
    /// (`region = "world"`), one that is not is only pointed out.
    fn check_postcode(&mut self, region: Region) {
        let postcode = self.text(POSTCODE);
        if postcode.is_empty() || app::model::dutch_postcode(&postcode).is_some() {
            return;
        }
        let problem = match region {
            Region::Netherlands => Problem::Invalid(Expected::Postcode),
            Region::World => Problem::NotADutchPostcode,
        };
        self.finding(POSTCODE, problem);
    }

    fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity() == super::Severity::Error)
    }

    fn required(&mut self, field: &str, expected: Expected) -> Option<String> {
        let text = self.text(field);
        if text.is_empty() {
            self.finding(field, Problem::Missing(expected));
            None
        } else {
            Some(text)
        }
    }

    fn parse<T>(&mut self, field: &str, expected: Expected, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let text = self.required(field, expected.clone())?;
        self.check(parse(&text), field, expected)
    }

    /// Like `parse`, but an empty field is a legitimate "unknown".
    pub fn optional<T>(
        &mut self,
        field: &str,
        expected: Expected,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(field);
        if text.is_empty() {
            return None;
        }
        self.check(parse(&text), field, expected)
    }

    fn check<T>(&mut self, value: Option<T>, field: &str, expected: Expected) -> Option<T> {
        if value.is_none() {
            self.finding(field, Problem::Invalid(expected));
        }
        value
    }

    /// A station opens and closes on one day, on a day the election has.
    fn check_period(&mut self, opens: NaiveDateTime, closes: NaiveDateTime, days: Option<&[NaiveDate]>) {
        if closes <= opens {
            self.finding(CLOSES, Problem::ClosesBeforeOpens);
        } else if closes.date() != opens.date() {
            self.finding(CLOSES, Problem::ClosesOnAnotherDay);
        }
        if let Some(days) = days.filter(|days| !days.contains(&opens.date())) {
            self.finding(OPENS, Problem::NotAnElectionDay { days: days.to_vec() });
        }
    }

    /// 16 digits; 13 to 15 are a number whose leading zeros a spreadsheet
    /// dropped. All zeros means "no address": then `directions` (Extra
    /// adresaanduiding, as read) are needed.
    fn check_address_id(&mut self, directions: &str) {
        let text = self.text(ADDRESS_ID);
        let digits = !text.is_empty() && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_digit());
        // A spreadsheet turns 0000000000000000 into 0.
        let no_address = digits && text.bytes().all(|b| b == b'0');
        if text.is_empty() {
            self.finding(ADDRESS_ID, Problem::MissingRecommended(Expected::AddressId));
        } else if !digits || (text.len() < 13 && !no_address) {
            self.finding(ADDRESS_ID, Problem::Invalid(Expected::AddressId));
        } else if text.len() < 16 {
            self.finding(ADDRESS_ID, Problem::AddressIdPadded { padded: format!("{text:0>16}") });
        }
        if no_address && directions.is_empty() {
            self.finding(ADDRESS_ID, Problem::NoAddressNoDirections);
        }
    }

    /// Voters need a way to reach the municipality; the standard requires
    /// it, but a station can be found without it.
    fn check_municipality_contact(&mut self) {
        if self.text("Contactgegevens gemeente").is_empty() {
            self.finding("Contactgegevens gemeente", Problem::MissingRecommended(Expected::Contact));
        }
        let website = "Verkiezingswebsite gemeente";
        if self.text(website).is_empty() {
            self.finding(website, Problem::MissingRecommended(Expected::Url));
        } else {
            self.optional(website, Expected::Url, parse_url);
        }
    }

    /// The optional accessibility attributes; problems become findings.
    fn accessibility(&mut self, wheelchair: bool) -> Accessibility {
        let toilet_field =
            if self.record.fields.contains_key(TOILET_1_6) && !self.record.fields.contains_key(TOILET) {
                TOILET_1_6
            } else {
                TOILET
            };
        Accessibility {
            wheelchair,
            transit_stop: self.optional("Toegankelijke ov-halte", YES_NO, parse_yes_no),
            toilet: self.optional(toilet_field, TOILETS, |text| parse_toilet(toilet_field, text)),
            host: self.optional("Host", YES_NO, parse_yes_no),
            guide_lines: self.optional(GUIDE_LINES, GUIDES, parse_guide_lines),
            audio_aid: self.optional("Stemmal met audio-ondersteuning", YES_NO, parse_yes_no),
            braille_list: self.optional("Kandidatenlijst in braille", YES_NO, parse_yes_no),
            large_print_list: self.optional("Kandidatenlijst met grote letters", YES_NO, parse_yes_no),
            sign_language_interpreter: self.optional(INTERPRETER, INTERPRETERS, parse_interpreter),
            signing_staff: self.optional("Gebarentalig stembureaulid (NGT)", YES_NO, parse_yes_no),
            acoustics: self.optional("Akoestiek geschikt voor slechthorenden", YES_NO, parse_yes_no),
            low_stimulus: self.optional("Prikkelarm", YES_NO, parse_yes_no),
            buddy_pair: self.optional("Prokkelduo", YES_NO, parse_yes_no),
            notes: self.free_text("Extra toegankelijkheidsinformatie"),
        }
    }

    /// Free text for voters; a text that only says "no" ("nee", "geen",
    /// "-") is no information: it reads as empty, with a warning.
    fn free_text(&mut self, field: &str) -> String {
        let text = self.text(field);
        let says_nothing = ["nee", "geen", "-", "/", "_", "niks", "n.v.t.", "nvt"]
            .iter()
            .any(|empty| text.eq_ignore_ascii_case(empty));
        if says_nothing {
            self.finding(field, Problem::SaysNothing);
            String::new()
        } else {
            text
        }
    }
}

/// Accepts a decimal comma as well as a point: spreadsheets made in Dutch
/// write "52,0217".
pub fn parse_decimal(text: &str) -> Option<f64> {
    text.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Spreadsheets store every number as a float: "517.0" is station 517.
fn parse_station_number(text: &str) -> Option<u32> {
    let text = text.strip_suffix(".0").unwrap_or(text);
    text.parse::<u32>().ok().filter(|n| (1..=2_000_000_000).contains(n))
}

fn parse_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .ok()
}

/// A web address voters can open: http(s), a host with a dot, no spaces.
fn parse_url(text: &str) -> Option<()> {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let plausible = host.contains('.') && !host.starts_with('.') && !text.contains(char::is_whitespace);
    plausible.then_some(())
}

fn parse_yes_no(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" => Some(true),
        "nee" | "n" | "no" => Some(false),
        _ => None,
    }
}

fn parse_toilet(field: &str, text: &str) -> Option<Toilet> {
    let text = text.to_lowercase();
    if field == TOILET_1_6 {
        // 1.6 only asked whether there is a toilet for disabled people.
        return parse_yes_no(&text).map(|yes| if yes { Toilet::Accessible } else { Toilet::No });
    }
    match text.as_str() {
        "ja, genderneutraal toilet" => Some(Toilet::GenderNeutral),
        "ja, toegankelijk toilet" => Some(Toilet::Accessible),
        _ => parse_yes_no(&text).map(|yes| if yes { Toilet::Yes } else { Toilet::No }),
    }
}

fn parse_guide_lines(text: &str) -> Option<GuideLines> {
    match text.to_lowercase().as_str() {
        "buiten en binnen" | "binnen en buiten" => Some(GuideLines::OutsideAndInside),
        "buiten" => Some(GuideLines::Outside),
        "binnen" => Some(GuideLines::Inside),
        "nee" | "n" | "no" => Some(GuideLines::No),
        _ => None,
    }
}

fn parse_interpreter(text: &str) -> Option<SignLanguageInterpreter> {
    match text.to_lowercase().as_str() {
        "op locatie" => Some(SignLanguageInterpreter::OnSite),
        "op afstand" => Some(SignLanguageInterpreter::Remote),
        "nee" | "n" | "no" => Some(SignLanguageInterpreter::No),
        _ => None,
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::ingest::Place;
    use serde_json::json;

    /// A valid record of the 2026 file, with `overrides`.
    pub fn record(overrides: Value) -> SourceRecord {
        let mut fields = json!({
            "Gemeente": "Oudewater", "CBS gemeentecode": "GM0589", "Nummer stembureau": 1,
            "Naam stembureau": "Muziekhuis", "Type stembureau": "regulier",
            "BAG Nummeraanduiding ID": "0589200000265346",
            "Straatnaam": "Kapellestraat", "Huisnummer": "39", "Huisletter": "", "Postcode": "3421 ct",
            "Plaats": "Oudewater", "Latitude": 52.02102242, "Longitude": "4,87452115",
            "X": 119809.81744338662, "Y": 448198.7373955027,
            "Openingstijd": "2026-03-18T07:30:00", "Sluitingstijd": "2026-03-18T21:00:00",
            "Toegankelijk voor mensen met een lichamelijke beperking": "J",
            "Toilet": "Ja, toegankelijk toilet", "Geleidelijnen": "", "Gebarentolk (NGT)": "op afstand",
            "Extra toegankelijkheidsinformatie": "",
            "Contactgegevens gemeente": "14 0348", "Verkiezingswebsite gemeente": "https://www.oudewater.nl/verkiezingen"
        });
        for (key, value) in overrides.as_object().unwrap() {
            if value.is_null() {
                fields.as_object_mut().unwrap().remove(key);
            } else {
                fields[key] = value.clone();
            }
        }
        SourceRecord::new(Place::Record { number: 7 }, fields.as_object().unwrap().clone())
    }

    /// The problems a record has, in order.
    pub fn problems(overrides: Value) -> Vec<(String, Problem)> {
        let days = [NaiveDate::from_ymd_opt(2026, 3, 18).unwrap()];
        to_station(&record(overrides), &Rules { days: Some(&days), region: Region::Netherlands })
            .findings
            .into_iter()
            .map(|f| (f.field, f.problem))
            .collect()
    }

    /// The station of a record without errors.
    pub fn station(overrides: Value) -> Station {
        station_of(&record(overrides))
    }

    pub fn station_of(record: &SourceRecord) -> Station {
        let checked = to_station(record, &Rules { days: None, region: Region::Netherlands });
        checked.station.unwrap_or_else(|| panic!("{:?}", checked.findings))
    }

    #[test]
    fn reads_a_valid_record() {
        let station = station(json!({}));
        assert_eq!(station.id, "gm0589-1");
        assert_eq!(station.address.postcode, "3421CT");
        assert_eq!(station.location.lon(), 4.87452115);
        assert!(station.accessibility.wheelchair);
        assert_eq!(station.accessibility.toilet, Some(Toilet::Accessible));
        assert_eq!(station.accessibility.guide_lines, None);
        assert_eq!(station.accessibility.sign_language_interpreter, Some(SignLanguageInterpreter::Remote));
    }

    #[test]
    fn a_postcode_must_be_dutch_where_the_rules_are_dutch() {
        for valid in ["3421 CT", "3421ct", ""] {
            assert_eq!(problems(json!({"Postcode": valid})), [], "{valid}");
        }
        for invalid in ["34211", "0421 CT", "3421 SS", "123éa", "K1A 0B1"] {
            assert_eq!(
                problems(json!({"Postcode": invalid})),
                [(POSTCODE.into(), Problem::Invalid(Expected::Postcode))],
                "{invalid}"
            );
        }
        let abroad =
            to_station(&record(json!({"Postcode": "K1A 0B1"})), &Rules { days: None, region: Region::World });
        assert!(abroad.station.is_some(), "a warning only");
        let found: Vec<_> = abroad.findings.into_iter().map(|f| (f.field, f.problem)).collect();
        assert!(found.contains(&(POSTCODE.into(), Problem::NotADutchPostcode)), "{found:?}");
    }

    /// Issue 23, part 3: station pages show "not stated" apart from "no",
    /// so an empty or missing cell must not read as "nee".
    #[test]
    fn an_empty_cell_is_not_stated_and_nee_is_no() {
        let station = station(json!({"Host": "", "Prikkelarm": " Nee ", "Prokkelduo": null, "Toilet": ""}));
        let accessibility = station.accessibility;
        assert_eq!((accessibility.host, accessibility.buddy_pair, accessibility.toilet), (None, None, None));
        assert_eq!(accessibility.low_stimulus, Some(false));
    }

    #[test]
    fn reads_the_1_6_toilet_field() {
        let station = station(json!({"Gehandicaptentoilet": "nee", "Toilet": null}));
        assert_eq!(station.accessibility.toilet, Some(Toilet::No));
    }

    #[test]
    fn refuses_values_outside_the_standard_and_names_them() {
        let found = problems(json!({"Geleidelijnen": "overal", "Prikkelarm": "soms"}));
        assert_eq!(
            found,
            [(GUIDE_LINES.into(), Problem::Invalid(GUIDES)), ("Prikkelarm".into(), Problem::Invalid(YES_NO))]
        );
    }

    #[test]
    fn names_record_field_value_and_fix() {
        let findings = to_station(
            &record(json!({
                "Type stembureau": "", "Sluitingstijd": "2026-03-18T06:00:00",
                "Toegankelijk voor mensen met een lichamelijke beperking": "misschien"
            })),
            &Rules { days: None, region: Region::Netherlands },
        )
        .findings;
        let fields: Vec<_> = findings.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, [KIND, CLOSES, WHEELCHAIR]);
        let message = findings[2].to_string();
        assert!(message.starts_with("error record 7, field \"Toegankelijk"), "{message}");
        assert!(
            message.contains("= \"misschien\": is not valid. Fix: write one of: \"ja\", \"nee\""),
            "{message}"
        );
    }

    #[test]
    fn times_must_fall_on_a_day_of_the_election_and_close_the_same_day() {
        assert_eq!(
            problems(json!({"Openingstijd": "2026-03-17T07:30:00", "Sluitingstijd": "2026-03-17T21:00:00"})),
            [(
                OPENS.into(),
                Problem::NotAnElectionDay { days: vec![NaiveDate::from_ymd_opt(2026, 3, 18).unwrap()] }
            )]
        );
        assert_eq!(
            problems(json!({"Sluitingstijd": "2026-03-19T01:00:00"})),
            [(CLOSES.into(), Problem::ClosesOnAnotherDay)]
        );
        assert_eq!(
            problems(json!({"Openingstijd": "18-03-2026 07:30"})),
            [(OPENS.into(), Problem::Invalid(Expected::Time))]
        );
    }

    #[test]
    fn address_ids_are_padded_with_a_warning_or_refused() {
        assert_eq!(
            problems(json!({"BAG Nummeraanduiding ID": 589200000265346_u64})),
            [(ADDRESS_ID.into(), Problem::AddressIdPadded { padded: "0589200000265346".into() })]
        );
        // A 12-digit building (pand) ID pasted in the wrong field.
        assert_eq!(
            problems(json!({"BAG Nummeraanduiding ID": "058910000001"})),
            [(ADDRESS_ID.into(), Problem::Invalid(Expected::AddressId))]
        );
        assert_eq!(
            problems(json!({"BAG Nummeraanduiding ID": "0000000000000000"})),
            [(ADDRESS_ID.into(), Problem::NoAddressNoDirections)]
        );
        assert!(problems(json!({"BAG Nummeraanduiding ID": "0000000000000000", "Extra adresaanduiding": "Sporthal, ingang achter"})).is_empty());
    }

    #[test]
    fn free_text_that_says_no_is_emptied_with_a_warning() {
        assert_eq!(station(json!({"Extra toegankelijkheidsinformatie": "Geen"})).accessibility.notes, "");
        assert_eq!(
            problems(json!({"Overige informatie": "-"})),
            [("Overige informatie".into(), Problem::SaysNothing)]
        );
    }

    #[test]
    fn urls_and_station_numbers_are_checked() {
        assert_eq!(
            problems(json!({"Website locatie": "www.muziekhuis.nl"})),
            [("Website locatie".into(), Problem::Invalid(Expected::Url))]
        );
        assert!(
            problems(json!({"Nummer stembureau": "517.0"})).is_empty(),
            "a spreadsheet's float is a number"
        );
        assert_eq!(
            problems(json!({"Nummer stembureau": "3000000000"})),
            [(NUMBER.into(), Problem::Invalid(Expected::StationNumber))]
        );
        assert_eq!(
            problems(json!({"Verkiezingswebsite gemeente": ""})),
            [("Verkiezingswebsite gemeente".into(), Problem::MissingRecommended(Expected::Url))]
        );
    }
}
