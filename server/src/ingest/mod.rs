//! From a file someone handed in to validated stations.
//!
//! Parsing (one module per format) yields records that remember where they
//! came from; `record` turns each into a `Station` or into findings that
//! name the place, the field and the fix. Nothing here touches storage: the
//! caller stores only a fully valid file, so a bad file changes nothing.

pub mod ckan;
pub mod csv;
pub mod geojson;
mod record;

pub use record::{Finding, ParsedStations};

use app::model::Station;
use std::fmt;

/// A valid station and the record it was read from. The record is stored
/// too, verbatim: fields this version does not use are never lost.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedStation {
    pub station: Station,
    pub record: SourceRecord,
}

/// The fields of one record, by name, as received.
pub type Fields = serde_json::Map<String, serde_json::Value>;

/// One record as received, with its position in the file for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    /// 1-based position in the file's list of records.
    pub position: usize,
    pub fields: Fields,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file is not in the expected format at all.
    #[error("{file}: {problem}")]
    Unreadable { file: String, problem: String },
    /// The file parsed, but records break the rules of the standard.
    #[error("{file}: {} error(s) found, nothing was imported:\n{}", findings.len(), FindingList(findings))]
    Invalid { file: String, findings: Vec<Finding> },
}

struct FindingList<'a>(&'a [Finding]);

impl fmt::Display for FindingList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in self.0 {
            writeln!(f, "  {finding}")?;
        }
        Ok(())
    }
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
}

impl Format {
    /// JSON that is a FeatureCollection is GeoJSON, other JSON is CKAN,
    /// anything else is taken for CSV (whose reader explains what is wrong).
    pub fn detect(bytes: &[u8]) -> Self {
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).trim_ascii_start();
        if !start.starts_with(b"{") {
            return Format::Csv;
        }
        let head = &start[..start.len().min(4096)];
        let collection = head.windows(17).any(|w| w == b"FeatureCollection");
        if collection {
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
/// station file; all records or an error.
pub fn read_file(
    file: &str,
    bytes: &[u8],
    format: Option<Format>,
) -> Result<Vec<ReceivedStation>, IngestError> {
    let parse = match format.unwrap_or_else(|| Format::detect(bytes)) {
        Format::Ckan => ckan::parse,
        Format::Csv => csv::parse,
        Format::Geojson => geojson::parse,
    };
    let records =
        parse(bytes).map_err(|problem| IngestError::Unreadable { file: file.to_owned(), problem })?;
    let ParsedStations { stations, findings } = record::to_stations(records);
    if findings.is_empty() {
        Ok(stations)
    } else {
        Err(IngestError::Invalid { file: file.to_owned(), findings })
    }
}
