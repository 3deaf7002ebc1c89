//! The municipality spreadsheet template (`.xlsx`, `.ods`; an old `.xls` is refused by `sheet_limits`):
//! sheet `Attributen` is transposed, attribute names in column A, one
//! station per column from F ("Invulveld 1", "Invulveld 2", …).
//!
//! The template does not name the municipality (it is known from who
//! uploads it), so the caller supplies it.

use super::{Fields, Finding, Place, Problem, SheetLimits, SourceRecord};
use app::model::MunicipalityCode;
use calamine::{Data, Reader};
use serde_json::Value;
use std::io::Cursor;

const SHEET: &str = "Attributen";
/// Column E: the template's example station ("Voorbeeld").
const EXAMPLE_COLUMN: u32 = 4;
/// Column F: the first station column.
const FIRST_STATION_COLUMN: u32 = 5;
pub const TEMPLATE_1_7: &str = "ods-1.7-municipality-template.xlsx (or .ods) of WaarIsMijnStemlokaal.nl";

/// Every attribute row of the 1.7 template. A file that lacks one was made
/// from another template or had a row deleted; either way stations could
/// silently lose a field, so it is refused.
const ATTRIBUTES_1_7: [&str; 30] = [
    "Nummer stembureau",
    "Naam stembureau",
    "Type stembureau",
    "Website locatie",
    "BAG Nummeraanduiding ID",
    "Extra adresaanduiding",
    "X",
    "Y",
    "Latitude",
    "Longitude",
    "Openingstijd",
    "Sluitingstijd",
    "Toegankelijk voor mensen met een lichamelijke beperking",
    "Toegankelijke ov-halte",
    "Toilet",
    "Host",
    "Geleidelijnen",
    "Stemmal met audio-ondersteuning",
    "Kandidatenlijst in braille",
    "Kandidatenlijst met grote letters",
    "Gebarentolk (NGT)",
    "Gebarentalig stembureaulid (NGT)",
    "Akoestiek geschikt voor slechthorenden",
    "Prikkelarm",
    "Prokkelduo",
    "Extra toegankelijkheidsinformatie",
    "Overige informatie",
    "Tellocatie",
    "Contactgegevens gemeente",
    "Verkiezingswebsite gemeente",
];

/// What each attribute row asks for, in column B of the template Kieskaart
/// hands out; in the order of [`ATTRIBUTES_1_7`].
const EXPLANATIONS_1_7: [&str; 30] = [
    "Het nummer van het stembureau binnen de gemeente (verplicht)",
    "De naam van het stembureau of gebouw (verplicht)",
    "regulier, bijzonder (bijvoorbeeld een ziekenhuis) of mobiel (verplicht)",
    "Een webpagina over deze locatie (https://...)",
    "Het nummeraanduiding-ID uit de BAG, 16 cijfers; 0000000000000000 als er geen adres is (vul dan Extra adresaanduiding en coördinaten in)",
    "Waar de ingang is, als dat niet vanzelf spreekt",
    "RD-coördinaat X in meters (of vul Latitude en Longitude in)",
    "RD-coördinaat Y in meters",
    "Breedtegraad in WGS84, minstens 4 decimalen, bijvoorbeeld 52.0782",
    "Lengtegraad in WGS84, minstens 4 decimalen, bijvoorbeeld 4.3062",
    "Wanneer het stembureau opengaat, plaatselijke tijd: JJJJ-MM-DDTuu:mm:ss, bijvoorbeeld 2026-03-18T07:30:00 (verplicht)",
    "Wanneer het stembureau sluit: JJJJ-MM-DDTuu:mm:ss (verplicht)",
    "ja of nee: toegankelijk voor mensen met een lichamelijke beperking (verplicht)",
    "ja of nee: een toegankelijke ov-halte in de buurt",
    "ja, ja, genderneutraal toilet, ja, toegankelijk toilet, of nee",
    "ja of nee: iemand ontvangt kiezers bij de deur",
    "buiten en binnen, buiten, binnen of nee",
    "ja of nee",
    "ja of nee",
    "ja of nee",
    "op locatie, op afstand of nee",
    "ja of nee: een stembureaulid dat gebarentaal spreekt",
    "ja of nee",
    "ja of nee: een prikkelarme inrichting",
    "ja of nee: een Prokkelduo helpt kiezers met een verstandelijke beperking",
    "Vrije tekst over toegankelijkheid",
    "Vrije tekst",
    "ja of nee: hier worden de stemmen geteld",
    "Hoe kiezers de gemeente bereiken (verplicht)",
    "De verkiezingspagina van de gemeente, https://... (verplicht)",
];

/// The template's attributes with what each asks for, in row order: what
/// an officer fills in per station, in the spreadsheet or the portal's form.
pub fn attributes() -> impl Iterator<Item = (&'static str, &'static str)> {
    ATTRIBUTES_1_7.into_iter().zip(EXPLANATIONS_1_7)
}

/// Writes the 1.7 template as `.xlsx`: the attribute names in column A as
/// the reader expects them, an explanation in B, and one column per
/// station from F with what `stations` hold under those names (blank
/// when none are given).
pub fn write(stations: &[Fields]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    write_rows(attributes(), stations)
}

/// Writes a template with these attribute rows (and their explanations).
fn write_rows<'a>(
    rows: impl Iterator<Item = (&'a str, &'a str)>,
    stations: &[Fields],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name(SHEET)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    sheet.write_string_with_format(0, 0, "Attribuut", &bold)?;
    sheet.write_string_with_format(0, 1, "Uitleg", &bold)?;
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 60)?;
    // Room for at least a few stations even in a blank template.
    let columns = stations.len().max(3);
    for index in 0..columns {
        let column = (FIRST_STATION_COLUMN as usize + index) as u16;
        sheet.write_string_with_format(0, column, format!("Invulveld {}", index + 1), &bold)?;
        sheet.set_column_width(column, 24)?;
    }
    for (index, (attribute, explanation)) in rows.enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, attribute)?;
        sheet.write_string(row, 1, explanation)?;
        for (station, fields) in stations.iter().enumerate() {
            let column = (FIRST_STATION_COLUMN as usize + station) as u16;
            match fields.get(attribute) {
                Some(Value::Number(number)) => {
                    sheet.write_number(row, column, number.as_f64().unwrap_or_default())?;
                }
                // Text stays text, IDs with leading zeros included.
                Some(Value::String(text)) if !text.is_empty() => {
                    sheet.write_string(row, column, text)?;
                }
                _ => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    workbook.save_to_buffer()
}

/// Reads the stations of a filled template; a blank template gives none.
/// A file that would inflate or lay out larger than `limits` is refused
/// before the spreadsheet reader opens it (see `sheet_limits`).
pub fn parse(
    bytes: &[u8],
    municipality: Option<&MunicipalityCode>,
    limits: &SheetLimits,
) -> Result<Vec<SourceRecord>, String> {
    super::sheet_limits::check(bytes, limits)?;
    // The spreadsheet reader is a large third-party parser; fuzzing found
    // damaged files that make it panic. A damaged file is the uploader's
    // problem to fix, never a crash of the import.
    std::panic::catch_unwind(|| read_template(bytes, municipality)).unwrap_or_else(|_| {
        Err("the spreadsheet is damaged and cannot be read: open it in Excel or LibreOffice, save it again \
             and upload that"
            .into())
    })
}

fn read_template(bytes: &[u8], municipality: Option<&MunicipalityCode>) -> Result<Vec<SourceRecord>, String> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a spreadsheet that can be read as .xlsx or .ods ({e})"))?;
    let sheet =
        workbook.sheet_names().into_iter().find(|name| name.trim().eq_ignore_ascii_case(SHEET)).ok_or_else(
            || {
                format!(
                "there is no sheet \"{SHEET}\", so this is not the municipality template: use {TEMPLATE_1_7}"
            )
            },
        )?;
    let range =
        workbook.worksheet_range(&sheet).map_err(|e| format!("cannot read sheet \"{sheet}\": {e}"))?;
    let Some((_, (last_row, last_column))) = range.start().zip(range.end()) else {
        return Err(format!("sheet \"{sheet}\" is empty: use {TEMPLATE_1_7}"));
    };
    let attributes: Vec<(u32, String)> = (1..=last_row)
        .filter_map(|row| {
            let name = text(range.get_value((row, 0))?)?;
            Some((row, name))
        })
        .collect();
    let version = check_version(&attributes)?;
    let column_fields = |column: u32| -> Fields {
        attributes
            .iter()
            .filter_map(|(row, name)| Some((name.clone(), value(range.get_value((*row, column))?)?)))
            .collect()
    };
    let example = column_fields(EXAMPLE_COLUMN);
    let mut records = Vec::new();
    for column in FIRST_STATION_COLUMN..=last_column {
        let fields = column_fields(column);
        if fields.is_empty() || is_the_example(&fields, &example) {
            continue;
        }
        let field = range
            .get_value((0, column))
            .and_then(text)
            .and_then(|header| header.strip_prefix("Invulveld").and_then(|n| n.trim().parse().ok()))
            .unwrap_or((column - FIRST_STATION_COLUMN + 1) as usize);
        records.push(SourceRecord::new(Place::Column { letter: column_letter(column), field }, fields));
    }
    if let (Version::V1_6, Some(first)) = (version, records.first_mut()) {
        first.findings.push(Finding {
            place: first.place.clone(),
            field: "Prokkelduo".into(),
            value: String::new(),
            problem: Problem::OutdatedTemplate,
        });
    }
    if let Some(code) = municipality {
        for record in &mut records {
            record.fields.entry("CBS gemeentecode").or_insert_with(|| Value::from(code.as_str()));
        }
    } else if records.iter().any(|r| !r.fields.contains_key("CBS gemeentecode")) {
        return Err("the template does not name its municipality: give --municipality GMxxxx".into());
    }
    Ok(records)
}

/// Some copies of the template ship with the example (The Hague's town
/// hall) filled into the first station columns as well; those columns are
/// the template's, not the municipality's.
fn is_the_example(fields: &Fields, example: &Fields) -> bool {
    ["Naam stembureau", "BAG Nummeraanduiding ID"]
        .iter()
        .all(|name| fields.get(*name).is_some_and(|value| example.get(*name) == Some(value)))
}

/// The template a file was made from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Version {
    V1_7,
    /// 1.6 (the 2024 and 2025 elections): "Gehandicaptentoilet" where 1.7
    /// has "Toilet", which the record rules read, and no "Prokkelduo".
    /// Every other row is 1.7's, so nothing is guessed: it is read, with
    /// a warning that it is outdated.
    V1_6,
}

/// Which template the attribute rows are: 1.7, or 1.6 read as it is.
/// Older ones (2018 and before) and templates with rows removed are
/// refused, naming what is missing and the template to use.
fn check_version(attributes: &[(u32, String)]) -> Result<Version, String> {
    let has = |name: &str| attributes.iter().any(|(_, a)| a.eq_ignore_ascii_case(name));
    let (version, expected): (Version, Vec<&str>) = if has("Gehandicaptentoilet") && !has("Toilet") {
        let rows_1_6 = ATTRIBUTES_1_7.iter().copied().filter(|name| !["Toilet", "Prokkelduo"].contains(name));
        (Version::V1_6, rows_1_6.chain(["Gehandicaptentoilet"]).collect())
    } else {
        (Version::V1_7, ATTRIBUTES_1_7.to_vec())
    };
    let missing: Vec<&str> = expected.iter().copied().filter(|name| !has(name)).collect();
    match (version, missing.is_empty()) {
        (_, true) => Ok(version),
        (Version::V1_6, false) => Err(format!(
            "this file was made from an outdated template (older than ODS 1.6: it lacks the row(s) {}); \
             copy the stations into {TEMPLATE_1_7} and upload that",
            missing.join(", ")
        )),
        (Version::V1_7, false) => Err(format!(
            "column A of sheet \"{SHEET}\" lacks the attribute row(s) {}: rows were removed or renamed; \
             use the unchanged {TEMPLATE_1_7}",
            missing.join(", ")
        )),
    }
}

fn text(cell: &Data) -> Option<String> {
    match cell {
        Data::String(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    }
}

/// A cell as the JSON value the record rules read. Spreadsheets store every
/// number as a float and dates as day counts; both are turned back into
/// what the person typed.
fn value(cell: &Data) -> Option<Value> {
    match cell {
        Data::Empty => None,
        Data::String(text) => Some(Value::from(text.trim())).filter(|v| v != ""),
        Data::Int(number) => Some(Value::from(*number)),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            Some(Value::from(*number as i64))
        }
        Data::Float(number) => Some(Value::from(*number)),
        Data::Bool(flag) => Some(Value::from(if *flag { "ja" } else { "nee" })),
        Data::DateTime(moment) => {
            let (year, month, day, hour, minute, second, _) = moment.to_ymd_hms_milli();
            Some(Value::from(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")))
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => Some(Value::from(text.as_str())),
        Data::Error(error) => Some(Value::from(format!("#{error:?}"))),
    }
}

/// 0 → A, 5 → F, 26 → AA.
pub(super) fn column_letter(mut column: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_kieskaart_writes_reads_back_blank_and_filled() {
        let blank = write(&[]).unwrap();
        assert!(parse(&blank, Some(&MunicipalityCode::parse("GM0589").unwrap()), &SheetLimits::default())
            .unwrap()
            .is_empty());
        let station: Fields = serde_json::from_value(serde_json::json!({
            "Nummer stembureau": 1,
            "Naam stembureau": "Stadhuis",
            "BAG Nummeraanduiding ID": "0589200000012345",
            "Latitude": 52.0228,
            "Openingstijd": "2026-03-18T07:30:00",
            "Straatnaam": "not in the template",
        }))
        .unwrap();
        let filled = write(std::slice::from_ref(&station)).unwrap();
        let records =
            parse(&filled, Some(&MunicipalityCode::parse("GM0589").unwrap()), &SheetLimits::default())
                .unwrap();
        assert_eq!(records.len(), 1);
        let mut expected = station.clone();
        expected.remove("Straatnaam");
        expected.insert("CBS gemeentecode".into(), Value::from("GM0589"));
        assert_eq!(records[0].fields, expected);
        assert_eq!(records[0].place, Place::Column { letter: "F".into(), field: 1 });
    }

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        let letters: Vec<_> = [0, 5, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column_letter).collect();
        assert_eq!(letters, ["A", "F", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn spreadsheet_numbers_read_as_typed() {
        assert_eq!(value(&Data::Float(517.0)), Some(Value::from(517)));
        assert_eq!(value(&Data::Float(52.0217)), Some(Value::from(52.0217)));
        assert_eq!(value(&Data::String("  ".into())), None);
    }

    #[test]
    fn what_is_not_a_spreadsheet_is_refused() {
        assert!(parse(b"Naam stembureau\nA\n", None, &SheetLimits::default())
            .unwrap_err()
            .contains("not a spreadsheet"));
    }

    /// The rows of the 1.6 template, and their explanations.
    fn rows_1_6() -> impl Iterator<Item = (&'static str, &'static str)> {
        attributes().filter(|(name, _)| *name != "Prokkelduo").map(|(name, explanation)| {
            (if name == "Toilet" { "Gehandicaptentoilet" } else { name }, explanation)
        })
    }

    #[test]
    fn a_1_6_template_is_read_with_a_warning_that_it_is_outdated() {
        let station = serde_json::from_value::<Fields>(serde_json::json!({
            "Nummer stembureau": 1, "Naam stembureau": "Muziekhuis", "Gehandicaptentoilet": "ja",
        }))
        .unwrap();
        let filled = write_rows(rows_1_6(), std::slice::from_ref(&station)).unwrap();
        let code = MunicipalityCode::parse("GM0589").unwrap();
        let records = parse(&filled, Some(&code), &SheetLimits::default()).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].fields["Gehandicaptentoilet"], "ja");
        let problems: Vec<_> = records[0].findings.iter().map(|f| &f.problem).collect();
        assert_eq!(problems, [&Problem::OutdatedTemplate]);
    }

    #[test]
    fn old_and_altered_templates_are_refused_with_the_template_to_use() {
        let named = |names: &[&str]| {
            names.iter().enumerate().map(|(i, n)| (i as u32 + 1, n.to_string())).collect::<Vec<_>>()
        };
        let rows_1_6: Vec<&str> = rows_1_6().map(|(name, _)| name).collect();
        assert_eq!(check_version(&named(&rows_1_6)), Ok(Version::V1_6));
        // 2018's template had no host and no guide lines yet.
        let older: Vec<&str> =
            rows_1_6.iter().copied().filter(|n| *n != "Host" && *n != "Geleidelijnen").collect();
        let message = check_version(&named(&older)).unwrap_err();
        assert!(
            message.contains("outdated template")
                && message.contains("Host, Geleidelijnen")
                && message.contains("1.7"),
            "{message}"
        );
        let cut: Vec<&str> = ATTRIBUTES_1_7.iter().copied().filter(|n| *n != "Openingstijd").collect();
        let message = check_version(&named(&cut)).unwrap_err();
        assert!(
            message.contains("lacks the attribute row(s) Openingstijd") && message.contains("1.7"),
            "{message}"
        );
        assert_eq!(check_version(&named(&ATTRIBUTES_1_7)), Ok(Version::V1_7));
    }
}
