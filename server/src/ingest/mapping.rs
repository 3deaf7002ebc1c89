//! Generic CSV: files from other tools and countries, with their own column
//! names, read through a small TOML mapping onto the standard's fields.
//!
//! ```toml
//! region = "netherlands"   # or "world": no Dutch ranges, address IDs or contact rules
//! epsg = 28992             # of the x/y columns (default RD New; 4326 = degrees)
//!
//! [columns]                # field = column of the file
//! number = { column = "id", pattern = "SB(\\d+)$" }   # or a column with transforms
//! name = "venue"
//! latitude = "lat"
//! longitude = "lng"
//! opens = "open_from"
//! closes = "open_until"
//! wheelchair = "step_free"
//! "Prikkelarm" = "quiet"   # any field of the standard by its own name
//!
//! [constants]              # the same value for every record
//! municipality_code = "GM0599"
//! kind = "regulier"
//! ```
//!
//! Each record gets the standard's fields and keeps its own columns too, so
//! nothing in the file is lost; the standard's rules then apply as usual.
//! A column's transforms (`super::transform`) turn other systems'
//! identifiers and words into the standard's values.

use super::finding::{Finding, Problem};
use super::transform::{ColumnFile, Transform};
use super::{Fields, Region, SourceRecord};
use crate::geography::projection;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Short English names for the standard's fields.
const ALIASES: [(&str, &str); 20] = [
    ("number", "Nummer stembureau"),
    ("name", "Naam stembureau"),
    ("kind", "Type stembureau"),
    ("municipality_code", "CBS gemeentecode"),
    ("municipality", "Gemeente"),
    ("street", "Straatnaam"),
    ("house_number", "Huisnummer"),
    ("postcode", "Postcode"),
    ("place", "Plaats"),
    ("directions", "Extra adresaanduiding"),
    ("address_id", "BAG Nummeraanduiding ID"),
    ("latitude", "Latitude"),
    ("longitude", "Longitude"),
    ("x", "X"),
    ("y", "Y"),
    ("opens", "Openingstijd"),
    ("closes", "Sluitingstijd"),
    ("wheelchair", "Toegankelijk voor mensen met een lichamelijke beperking"),
    ("website", "Website locatie"),
    ("notes", "Extra toegankelijkheidsinformatie"),
];

/// The rest of the standard's fields, named as the standard names them.
const OTHER_FIELDS: [&str; 16] = [
    "Toegankelijke ov-halte",
    "Toilet",
    "Gehandicaptentoilet",
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
    "Overige informatie",
    "Contactgegevens gemeente",
    "Verkiezingswebsite gemeente",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    #[serde(default)]
    region: Region,
    epsg: Option<u16>,
    /// A column's name, or a table with its name and transforms.
    #[serde(default)]
    columns: BTreeMap<String, toml::Value>,
    #[serde(default)]
    constants: BTreeMap<String, toml::Value>,
}

/// A checked mapping: every name is a field of the standard.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub region: Region,
    /// Of the x/y columns; `None` is RD New.
    epsg: Option<u16>,
    columns: Vec<Column>,
    constants: Vec<(&'static str, Value)>,
}

/// A standard field read from a column of the file.
#[derive(Debug, Clone, PartialEq)]
struct Column {
    field: &'static str,
    name: String,
    transform: Transform,
}

/// The fields whose transforms may read a time.
const TIMES: [&str; 2] = ["Openingstijd", "Sluitingstijd"];

impl Column {
    /// `columns.<key> = spec`; a problem names the key.
    fn parse(key: &str, spec: toml::Value) -> Result<Self, String> {
        let parse = || -> Result<Self, String> {
            let field = standard_field(key)?;
            match spec {
                toml::Value::String(name) => Ok(Self { field, name, transform: Transform::default() }),
                toml::Value::Table(_) => {
                    let file: ColumnFile =
                        spec.try_into().map_err(|e: toml::de::Error| e.message().to_owned())?;
                    let name = file.column.clone();
                    let transform = Transform::parse(file, field, TIMES.contains(&field))?;
                    Ok(Self { field, name, transform })
                }
                other => Err(format!(
                    "a {} is not a column: give its name, or {{ column = \"…\", … }} with transforms",
                    other.type_str()
                )),
            }
        };
        parse().map_err(|problem| format!("columns.{key}: {problem}"))
    }

    /// Reads the column's value into `fields`, transformed; a value the
    /// transform cannot read is a finding about the field instead.
    fn read(&self, record: &SourceRecord, fields: &mut Fields, findings: &mut Vec<Finding>) {
        let Some(value) = record.fields.get(&self.name) else { return };
        if self.transform.is_none() {
            fields.insert(self.field.to_owned(), value.clone());
            return;
        }
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        match self.transform.apply(&text) {
            Ok(read) => {
                fields.insert(self.field.to_owned(), Value::from(read));
            }
            Err(mismatch) => findings.push(Finding {
                place: record.place.clone(),
                field: self.field.to_owned(),
                value: text,
                problem: Problem::Untransformed { column: self.name.clone(), mismatch },
            }),
        }
    }
}

impl Mapping {
    /// Reads a mapping file; a problem names the key and what would do.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: MappingFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let columns = file
            .columns
            .into_iter()
            .map(|(key, spec)| Column::parse(&key, spec))
            .collect::<Result<_, _>>()?;
        let constants = file
            .constants
            .into_iter()
            .map(|(field, value)| {
                let value = match value {
                    toml::Value::String(text) => Value::from(text),
                    toml::Value::Integer(number) => Value::from(number),
                    toml::Value::Float(number) => Value::from(number),
                    toml::Value::Boolean(flag) => Value::from(if flag { "ja" } else { "nee" }),
                    other => {
                        let kind = other.type_str();
                        return Err(format!("constants.{field}: a {kind} is not a text, number or yes/no"));
                    }
                };
                Ok((standard_field(&field)?, value))
            })
            .collect::<Result<_, String>>()?;
        if let Some(code) = file.epsg.filter(|&code| code != RD_NEW && code != WGS84) {
            projection::to_wgs84(code, 0.0, 0.0)
                .map_err(|_| format!("epsg = {code}: not a coordinate system this version knows"))?;
        }
        Ok(Self { region: file.region, epsg: file.epsg, columns, constants })
    }

    /// Refuses the header of a file that lacks a column the mapping names.
    pub fn check_header(&self, header: &[String]) -> Result<(), String> {
        match self.columns.iter().find(|column| !header.contains(&column.name)) {
            Some(Column { field, name: column, .. }) => Err(format!(
                "the mapping reads {field} from column \"{column}\", which the file does not have; its columns are: {}",
                header.join(", ")
            )),
            None => Ok(()),
        }
    }

    /// A record read with the file's own header, as a record of the standard.
    pub fn map(&self, record: SourceRecord) -> SourceRecord {
        let mut fields: Fields = record.fields.clone();
        let mut findings = Vec::new();
        for column in &self.columns {
            column.read(&record, &mut fields, &mut findings);
        }
        for (field, value) in &self.constants {
            fields.entry(*field).or_insert_with(|| value.clone());
        }
        if let Some(code) = self.epsg.filter(|&code| code != RD_NEW) {
            project(&mut fields, code);
        }
        SourceRecord { findings, ..SourceRecord::new(record.place, fields) }
    }
}

const RD_NEW: u16 = 28992;
const WGS84: u16 = 4326;

/// Turns X/Y in another coordinate system into Latitude/Longitude; what
/// cannot be converted is left for the rules to report, with the reason.
fn project(fields: &mut Fields, code: u16) {
    let number = |field: &str| match fields.get(field) {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(text)) => super::record::parse_decimal(text),
        _ => None,
    };
    let (Some(x), Some(y)) = (number("X"), number("Y")) else { return };
    fields.remove("X");
    fields.remove("Y");
    let (lat, lon) = match projection::to_wgs84(code, x, y) {
        Ok(point) => (Value::from(point.lat()), Value::from(point.lon())),
        Err(problem) => (Value::from(format!("X {x}, Y {y} (EPSG:{code}): {problem}")), Value::from("")),
    };
    fields.insert("Latitude".into(), lat);
    fields.insert("Longitude".into(), lon);
}

fn standard_field(name: &str) -> Result<&'static str, String> {
    ALIASES
        .iter()
        .find(|(alias, field)| *alias == name || *field == name)
        .map(|(_, field)| *field)
        .or_else(|| OTHER_FIELDS.iter().find(|field| **field == name).copied())
        .ok_or_else(|| {
            let aliases: Vec<&str> = ALIASES.iter().map(|(alias, _)| *alias).collect();
            format!(
                "\"{name}\" is not a field: use one of {} or a field of the standard by its Dutch name",
                aliases.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Place;

    fn row(cells: &[(&str, &str)]) -> SourceRecord {
        let fields = cells.iter().map(|(k, v)| ((*k).to_owned(), Value::from(*v))).collect();
        SourceRecord::new(Place::Line { number: 2 }, fields)
    }

    #[test]
    fn columns_and_constants_become_the_standards_fields_and_own_columns_stay() {
        let mapping = Mapping::parse(
            "[columns]\nname = \"venue\"\nlatitude = \"lat\"\n\"Prikkelarm\" = \"quiet\"\n\
             [constants]\nkind = \"regulier\"\nmunicipality_code = \"GM0599\"\n",
        )
        .unwrap();
        let header: Vec<String> = ["venue", "lat", "quiet", "extra"].map(String::from).to_vec();
        assert_eq!(mapping.check_header(&header), Ok(()));
        let mapped =
            mapping.map(row(&[("venue", "Stadhuis"), ("lat", "51.92"), ("quiet", "ja"), ("extra", "x")]));
        let fields = &mapped.fields;
        assert_eq!(fields["Naam stembureau"], "Stadhuis");
        assert_eq!(fields["Latitude"], "51.92");
        assert_eq!(fields["Prikkelarm"], "ja");
        assert_eq!(fields["Type stembureau"], "regulier");
        assert_eq!(fields["extra"], "x", "the file's own columns are kept");
    }

    #[test]
    fn mistakes_in_the_mapping_are_named() {
        assert!(Mapping::parse("[columns]\nlattitude = \"lat\"\n")
            .unwrap_err()
            .contains("\"lattitude\" is not a field"));
        assert!(Mapping::parse("colums = 1\n").unwrap_err().contains("unknown field `colums`"));
        assert!(Mapping::parse("epsg = 1\n").unwrap_err().contains("epsg = 1"));
        let mapping = Mapping::parse("[columns]\nlatitude = \"lat\"\n").unwrap();
        let missing = mapping.check_header(&["latitude".to_owned()]).unwrap_err();
        assert!(
            missing.contains("column \"lat\", which the file does not have; its columns are: latitude"),
            "{missing}"
        );
    }

    #[test]
    fn a_value_its_transform_cannot_read_is_a_finding_about_its_field() {
        let mapping =
            Mapping::parse("[columns]\nnumber = { column = \"id\", pattern = 'SB(\\d+)$' }\n").unwrap();
        let read = mapping.map(row(&[("id", "0014::SB100")]));
        assert_eq!((read.fields["Nummer stembureau"].as_str(), read.findings.len()), (Some("100"), 0));
        let unread = mapping.map(row(&[("id", "0014-100")]));
        assert!(!unread.fields.contains_key("Nummer stembureau"));
        let finding = &unread.findings[0];
        assert_eq!((finding.field.as_str(), finding.value.as_str()), ("Nummer stembureau", "0014-100"));
        assert!(matches!(&finding.problem, Problem::Untransformed { column, .. } if column == "id"));
        let refused = Mapping::parse("[columns]\nnumber = { column = \"id\", pattern = '(' }\n").unwrap_err();
        assert!(
            refused.starts_with("columns.number: pattern \"(\" is not a regular expression"),
            "{refused}"
        );
    }

    #[test]
    fn x_y_in_another_system_become_latitude_and_longitude() {
        // Big Ben in the British National Grid (EPSG:27700).
        let mapping = Mapping::parse("epsg = 27700\n[columns]\nx = \"e\"\ny = \"n\"\n").unwrap();
        let mapped = mapping.map(row(&[("e", "530268"), ("n", "179640")]));
        let (lat, lon) =
            (mapped.fields["Latitude"].as_f64().unwrap(), mapped.fields["Longitude"].as_f64().unwrap());
        assert!((lat - 51.5007).abs() < 1e-3 && (lon + 0.1246).abs() < 1e-3, "{lat} {lon}");
        assert!(!mapped.fields.contains_key("X"));
    }
}
