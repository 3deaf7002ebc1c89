//! From a file someone handed in to validated stations.
//!
//! Parsing (one module per format) yields records that remember where they
//! came from; `record` turns each into a `Station` or into findings that
//! name the place, the field and the fix. Nothing here touches storage: the
//! caller stores only a fully valid file, so a bad file changes nothing.

pub mod ckan;
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

/// One record as received, with its position in the file for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    /// 1-based position in the file's list of records.
    pub position: usize,
    pub fields: serde_json::Map<String, serde_json::Value>,
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

/// Parses and validates a CKAN datastore file; all records or an error.
pub fn read_ckan_file(file: &str, bytes: &[u8]) -> Result<Vec<ReceivedStation>, IngestError> {
    let records =
        ckan::parse(bytes).map_err(|problem| IngestError::Unreadable { file: file.to_owned(), problem })?;
    let ParsedStations { stations, findings } = record::to_stations(records);
    if findings.is_empty() {
        Ok(stations)
    } else {
        Err(IngestError::Invalid { file: file.to_owned(), findings })
    }
}
