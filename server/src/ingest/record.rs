//! One record of the open data standard to one `Station`.

use super::{ReceivedStation, SourceRecord};
use app::model::{
    Accessibility, Address, Coordinates, CoordinatesError, GuideLines, MunicipalityCode,
    SignLanguageInterpreter, Station, StationKind, Toilet,
};
use chrono::NaiveDateTime;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;

/// A rule that a record breaks: where, which field, what it holds, and how
/// to put it right.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub record: usize,
    pub field: &'static str,
    pub value: String,
    pub problem: String,
    pub fix: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "record {}, field \"{}\" = \"{}\": {}. Fix: {}",
            self.record, self.field, self.value, self.problem, self.fix
        )
    }
}

pub struct ParsedStations {
    pub stations: Vec<ReceivedStation>,
    pub findings: Vec<Finding>,
}

/// Converts every record, collecting all findings rather than stopping at
/// the first, so that one round of corrections fixes the whole file.
pub fn to_stations(records: Vec<SourceRecord>) -> ParsedStations {
    let mut stations = Vec::with_capacity(records.len());
    let mut findings = Vec::new();
    // A station number that occurs on several records is one station with
    // several locations or periods; each record gets its own id.
    let mut seen: HashMap<(MunicipalityCode, u32), usize> = HashMap::new();
    for record in records {
        match to_station(&record) {
            Ok(mut station) => {
                let count = seen.entry((station.municipality_code.clone(), station.number)).or_default();
                *count += 1;
                if *count > 1 {
                    station.id = format!("{}-{}", station.id, count);
                }
                stations.push(ReceivedStation { station, record });
            }
            Err(mut record_findings) => findings.append(&mut record_findings),
        }
    }
    ParsedStations { stations, findings }
}

/// Reads fields of one record and remembers every problem it meets.
struct Reader<'a> {
    record: &'a SourceRecord,
    findings: Vec<Finding>,
}

const CODE: &str = "CBS gemeentecode";
const NUMBER: &str = "Nummer stembureau";
const NAME: &str = "Naam stembureau";
const KIND: &str = "Type stembureau";
const LATITUDE: &str = "Latitude";
const LONGITUDE: &str = "Longitude";
const OPENS: &str = "Openingstijd";
const CLOSES: &str = "Sluitingstijd";
const WHEELCHAIR: &str = "Toegankelijk voor mensen met een lichamelijke beperking";
const TOILET: &str = "Toilet";
/// The toilet field's name in version 1.6 of the standard.
const TOILET_1_6: &str = "Gehandicaptentoilet";
const GUIDE_LINES: &str = "Geleidelijnen";
const INTERPRETER: &str = "Gebarentolk (NGT)";
const YES_NO_FIX: &str = "write ja or nee, or leave it empty when unknown";

fn to_station(record: &SourceRecord) -> Result<Station, Vec<Finding>> {
    let mut reader = Reader { record, findings: Vec::new() };
    let code = reader.parse(CODE, "write GM followed by four digits, e.g. GM0589", |text| {
        MunicipalityCode::parse(text).ok()
    });
    let number = reader.parse(NUMBER, "write a whole number from 1 to 2,000,000,000", |text| {
        text.parse::<u32>().ok().filter(|n| (1..=2_000_000_000).contains(n))
    });
    let name = reader.required(NAME, "give the name voters see on the building");
    let kind = reader.parse(KIND, "write regulier, bijzonder or mobiel", |text| {
        match text.to_lowercase().as_str() {
            "regulier" => Some(StationKind::Regular),
            "bijzonder" => Some(StationKind::Special),
            "mobiel" => Some(StationKind::Mobile),
            _ => None,
        }
    });
    let lat = reader.parse(LATITUDE, "write WGS84 decimal degrees such as 52.0217", parse_decimal);
    let lon = reader.parse(LONGITUDE, "write WGS84 decimal degrees such as 4.8684", parse_decimal);
    let time_fix = "write the local time as YYYY-MM-DDTHH:MM:SS, e.g. 2026-03-18T07:30:00";
    let opens = reader.parse(OPENS, time_fix, parse_time);
    let closes = reader.parse(CLOSES, time_fix, parse_time);
    let wheelchair = reader.parse(WHEELCHAIR, "write ja or nee", parse_yes_no);
    let accessibility = wheelchair.map(|wheelchair| reader.accessibility(wheelchair));

    let location = match lat.zip(lon).map(|(lat, lon)| Coordinates::new(lat, lon)) {
        Some(Ok(location)) => Some(location),
        Some(Err(CoordinatesError::Latitude(_))) => {
            reader.finding(
                LATITUDE,
                "is outside -90..90",
                "write the latitude (about 50 to 54 in the Netherlands)",
            );
            None
        }
        Some(Err(CoordinatesError::Longitude(_))) => {
            reader.finding(
                LONGITUDE,
                "is outside -180..180",
                "write the longitude (about 3 to 8 in the Netherlands)",
            );
            None
        }
        None => None,
    };
    if let (Some(opens), Some(closes)) = (opens, closes) {
        if closes <= opens {
            reader.finding(
                CLOSES,
                "closes before or when it opens",
                "give a closing time after the opening time",
            );
        }
    }
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
        return Err(reader.findings);
    };
    if !reader.findings.is_empty() {
        return Err(reader.findings);
    }
    let municipality_name = reader.text("Gemeente");
    Ok(Station {
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
            postcode: reader.text("Postcode").replace(' ', "").to_uppercase(),
            place: reader.text("Plaats"),
            extra: reader.text("Extra adresaanduiding"),
        },
        location,
        opens,
        closes,
        accessibility,
    })
}

impl Reader<'_> {
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
            transit_stop: self.optional("Toegankelijke ov-halte", YES_NO_FIX, parse_yes_no),
            toilet: self.optional(
                toilet_field,
                "write ja, \"ja, genderneutraal toilet\", \"ja, toegankelijk toilet\" or nee",
                |text| parse_toilet(toilet_field, text),
            ),
            host: self.optional("Host", YES_NO_FIX, parse_yes_no),
            guide_lines: self.optional(
                GUIDE_LINES,
                "write \"buiten en binnen\", buiten, binnen or nee",
                parse_guide_lines,
            ),
            audio_aid: self.optional("Stemmal met audio-ondersteuning", YES_NO_FIX, parse_yes_no),
            braille_list: self.optional("Kandidatenlijst in braille", YES_NO_FIX, parse_yes_no),
            large_print_list: self.optional("Kandidatenlijst met grote letters", YES_NO_FIX, parse_yes_no),
            sign_language_interpreter: self.optional(
                INTERPRETER,
                "write \"op locatie\", \"op afstand\" or nee",
                parse_interpreter,
            ),
            signing_staff: self.optional("Gebarentalig stembureaulid (NGT)", YES_NO_FIX, parse_yes_no),
            acoustics: self.optional("Akoestiek geschikt voor slechthorenden", YES_NO_FIX, parse_yes_no),
            low_stimulus: self.optional("Prikkelarm", YES_NO_FIX, parse_yes_no),
            buddy_pair: self.optional("Prokkelduo", YES_NO_FIX, parse_yes_no),
            notes: self.free_text("Extra toegankelijkheidsinformatie"),
        }
    }

    /// Free text for voters; a text that only says "no" ("nee", "geen",
    /// "-") is no information and reads as empty.
    fn free_text(&self, field: &str) -> String {
        let text = self.text(field);
        let says_nothing = ["nee", "geen", "-", "/", "_", "niks", "n.v.t.", "nvt"]
            .iter()
            .any(|empty| text.eq_ignore_ascii_case(empty));
        if says_nothing {
            String::new()
        } else {
            text
        }
    }

    /// The field as trimmed text; numbers are written as they are, and
    /// missing or null fields read as empty.
    fn text(&self, field: &str) -> String {
        match self.record.fields.get(field) {
            Some(Value::String(text)) => text.trim().to_owned(),
            Some(Value::Number(number)) => number.to_string(),
            Some(Value::Bool(flag)) => flag.to_string(),
            _ => String::new(),
        }
    }

    fn finding(&mut self, field: &'static str, problem: &str, fix: &str) {
        self.findings.push(Finding {
            record: self.record.position,
            field,
            value: self.text(field),
            problem: problem.to_owned(),
            fix: fix.to_owned(),
        });
    }

    fn required(&mut self, field: &'static str, fix: &str) -> Option<String> {
        let text = self.text(field);
        if text.is_empty() {
            self.finding(field, "is required but empty", fix);
            None
        } else {
            Some(text)
        }
    }

    fn parse<T>(&mut self, field: &'static str, fix: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let text = self.required(field, fix)?;
        let value = parse(&text);
        self.check(value, field, fix)
    }

    /// Like `parse`, but an empty field is a legitimate "unknown".
    fn optional<T>(
        &mut self,
        field: &'static str,
        fix: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(field);
        if text.is_empty() {
            return None;
        }
        let value = parse(&text);
        self.check(value, field, fix)
    }

    fn check<T>(&mut self, value: Option<T>, field: &'static str, fix: &str) -> Option<T> {
        if value.is_none() {
            self.finding(field, "is not valid", fix);
        }
        value
    }
}

/// Accepts a decimal comma as well as a point: spreadsheets made in Dutch
/// write "52,0217".
fn parse_decimal(text: &str) -> Option<f64> {
    text.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite())
}

fn parse_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .ok()
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
mod tests {
    use super::*;
    use serde_json::json;

    fn record(overrides: Value) -> SourceRecord {
        let mut fields = json!({
            "Gemeente": "Oudewater", "CBS gemeentecode": "GM0589", "Nummer stembureau": 1,
            "Naam stembureau": "Muziekhuis", "Type stembureau": "regulier",
            "Straatnaam": "Kapellestraat", "Huisnummer": "39", "Huisletter": "", "Postcode": "3421 ct",
            "Plaats": "Oudewater", "Latitude": 52.02102242, "Longitude": "4,87452115",
            "Openingstijd": "2026-03-18T07:30:00", "Sluitingstijd": "2026-03-18T21:00:00",
            "Toegankelijk voor mensen met een lichamelijke beperking": "J",
            "Toilet": "Ja, toegankelijk toilet", "Geleidelijnen": "", "Gebarentolk (NGT)": "op afstand",
            "Extra toegankelijkheidsinformatie": "geen"
        });
        for (key, value) in overrides.as_object().unwrap() {
            fields[key] = value.clone();
        }
        SourceRecord { position: 7, fields: fields.as_object().unwrap().clone() }
    }

    #[test]
    fn reads_a_valid_record() {
        let parsed = to_stations(vec![record(json!({}))]);
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        let station = &parsed.stations[0].station;
        assert_eq!(station.id, "gm0589-1");
        assert_eq!(station.address.postcode, "3421CT");
        assert_eq!(station.location.lon(), 4.87452115);
        assert!(station.accessibility.wheelchair);
        assert_eq!(station.accessibility.toilet, Some(Toilet::Accessible));
        assert_eq!(station.accessibility.guide_lines, None);
        assert_eq!(station.accessibility.sign_language_interpreter, Some(SignLanguageInterpreter::Remote));
        assert_eq!(station.accessibility.notes, "");
    }

    #[test]
    fn repeated_numbers_get_distinct_ids() {
        let parsed = to_stations(vec![record(json!({})), record(json!({"Latitude": 52.03}))]);
        let ids: Vec<_> = parsed.stations.iter().map(|s| s.station.id.as_str()).collect();
        assert_eq!(ids, ["gm0589-1", "gm0589-1-2"]);
    }

    #[test]
    fn reads_the_1_6_toilet_field() {
        let mut old = record(json!({"Gehandicaptentoilet": "nee"}));
        old.fields.remove("Toilet");
        let parsed = to_stations(vec![old]);
        assert_eq!(parsed.stations[0].station.accessibility.toilet, Some(Toilet::No));
    }

    #[test]
    fn refuses_values_outside_the_standard() {
        let parsed = to_stations(vec![record(json!({"Geleidelijnen": "overal", "Prikkelarm": "soms"}))]);
        let fields: Vec<_> = parsed.findings.iter().map(|f| f.field).collect();
        assert_eq!(fields, [GUIDE_LINES, "Prikkelarm"]);
        assert!(parsed.findings[0].fix.contains("buiten en binnen"));
    }

    #[test]
    fn names_record_field_value_and_fix() {
        let parsed = to_stations(vec![record(json!({
            "Latitude": "noord", "Type stembureau": "", "Sluitingstijd": "2026-03-18T06:00:00",
            "Toegankelijk voor mensen met een lichamelijke beperking": "misschien"
        }))]);
        assert!(parsed.stations.is_empty());
        let fields: Vec<_> = parsed.findings.iter().map(|f| f.field).collect();
        assert_eq!(fields, [KIND, LATITUDE, WHEELCHAIR, CLOSES]);
        let message = parsed.findings[1].to_string();
        assert!(message.starts_with("record 7, field \"Latitude\" = \"noord\""), "{message}");
        assert!(message.contains("Fix: write WGS84 decimal degrees"), "{message}");
    }
}
