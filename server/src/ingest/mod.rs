//! From a file someone handed in to validated stations.
//!
//! Parsing (one module per format) yields records that remember where they
//! came from; `record` turns each into a `Station` or into findings that
//! name the place, the field and the fix. Nothing here touches storage: the
//! caller stores only a fully valid file, so a bad file changes nothing.

pub mod ckan;
mod cross;
pub mod csv;
mod finding;
pub mod geojson;
mod location;
mod record;
pub mod template;

pub use finding::{Expected, Finding, Lang, Place, Problem, Report, Severity};

use crate::geography::Boundaries;
use app::model::{Election, MunicipalityCode, Station};
use std::collections::HashMap;

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

/// What validation checks a file against, when known.
#[derive(Default, Clone, Copy)]
pub struct Context<'a> {
    /// Opening times must fall on its polling or early-voting days.
    pub election: Option<&'a Election>,
    /// Stations must lie in their own municipality.
    pub boundaries: Option<&'a Boundaries>,
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
    /// The municipality spreadsheet template (.xlsx, .ods or .xls).
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
    let records = parse_file(file, bytes, format, None)?;
    Ok(validate(file, records, Context::default())?.stations)
}

/// The records of a file, in the given format or the one detected. A
/// template names no municipality: `municipality` supplies it.
pub fn parse_file(
    file: &str,
    bytes: &[u8],
    format: Option<Format>,
    municipality: Option<&MunicipalityCode>,
) -> Result<Vec<SourceRecord>, IngestError> {
    let format = format.unwrap_or_else(|| Format::detect(bytes));
    let parsed = match format {
        Format::Ckan => ckan::parse(bytes),
        Format::Csv => csv::parse(bytes),
        Format::Geojson => geojson::parse(bytes),
        Format::Template => template::parse(bytes, municipality),
    };
    let records = parsed.map_err(|problem| IngestError::Unreadable { file: file.to_owned(), problem })?;
    if records.is_empty() {
        let hint = match format {
            Format::Template => {
                "this is a blank template: no station is filled in (one column per station, from column F, Invulveld 1)"
            }
            _ => "the file holds no stations",
        };
        return Err(IngestError::NoStations { file: file.to_owned(), hint });
    }
    Ok(records)
}

/// Checks every record and the records together. Any error rejects the
/// whole file (with every finding, so one round of corrections fixes it);
/// warnings are handed back with the stations.
pub fn validate(
    file: &str,
    records: Vec<SourceRecord>,
    context: Context<'_>,
) -> Result<Accepted, IngestError> {
    let days = context.election.map(Election::voting_days);
    let mut stations = Vec::with_capacity(records.len());
    let mut findings = Vec::new();
    for record in records {
        let mut checked = record::to_station(&record, days.as_deref());
        findings.append(&mut checked.findings);
        if let Some(station) = checked.station {
            stations.push(ReceivedStation { station, record });
        }
    }
    findings.extend(cross::check(&stations, context.boundaries));
    let report = Report { file: file.to_owned(), findings };
    if report.errors() > 0 {
        return Err(IngestError::Invalid { report });
    }
    number_repeated_stations(&mut stations);
    Ok(Accepted { stations, report })
}

/// A station number on several records is one station with several
/// locations or periods; each record gets its own id.
fn number_repeated_stations(stations: &mut [ReceivedStation]) {
    let mut seen: HashMap<(MunicipalityCode, u32), usize> = HashMap::new();
    for received in stations {
        let station = &mut received.station;
        let count = seen.entry((station.municipality_code.clone(), station.number)).or_default();
        *count += 1;
        if *count > 1 {
            station.id = format!("{}-{}", station.id, count);
        }
    }
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
}
