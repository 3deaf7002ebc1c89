//! Open data: everything published, in bulk, in the formats Kieskaart
//! imports (CSV with the standard's field names, GeoJSON, CKAN-style
//! JSON), for re-users and for `kieskaart export`.
//!
//! Downloads are written from the records exactly as municipalities sent
//! them (unknown columns included), not from the voter-facing station
//! model, which keeps only what voters are shown: importing a download
//! gives the same stations, and nothing a municipality published is lost.

mod cache;
pub mod dcat;

pub use cache::{Dataset, Download, Downloads, Scope};

use crate::ingest::{self, Fields};
use app::model::Station;

/// Under which licence the data may be reused: the standard's own, CC0.
pub const LICENCE: &str = "https://creativecommons.org/publicdomain/zero/1.0/";
/// Who the data comes from, as stated in each file.
pub const SOURCE: &str =
    "Municipalities of the Netherlands (Stembureaus Open Data Standaard), published through Kieskaart";

/// The formats of a download; each can be imported again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ExportFormat {
    /// CKAN `datastore_search` JSON.
    Ckan,
    /// CSV with the standard's field names as header (UTF-8, comma).
    Csv,
    /// GeoJSON FeatureCollection of points.
    Geojson,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Csv, ExportFormat::Geojson, ExportFormat::Ckan];

    /// The file name extension of a download.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Ckan => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Geojson => "geojson",
        }
    }

    pub fn from_extension(extension: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.extension() == extension)
    }

    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Ckan => "application/json",
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Geojson => "application/geo+json",
        }
    }
}

/// Writes stations with their records as received. Columns keep the order
/// in which they first appear, so the standard's order survives. The JSON
/// formats state licence and source beside the data, where importers
/// (Kieskaart's among them) ignore them; CSV has no place for them, so
/// the download page and the `Link` header state them.
pub fn write(rows: Vec<(Station, Fields)>, format: ExportFormat) -> Result<Vec<u8>, String> {
    let about = || {
        let mut about = serde_json::Map::new();
        about.insert("license".into(), LICENCE.into());
        about.insert("source".into(), SOURCE.into());
        about
    };
    match format {
        ExportFormat::Ckan => {
            let fields: Vec<_> = columns(&rows).into_iter().map(|id| serde_json::json!({"id": id})).collect();
            let records: Vec<&Fields> = rows.iter().map(|(_, record)| record).collect();
            let mut document = about();
            document.insert("result".into(), serde_json::json!({"fields": fields, "records": records}));
            serde_json::to_vec(&document).map_err(|e| e.to_string())
        }
        ExportFormat::Csv => ingest::csv::write(&columns(&rows), rows.iter().map(|(_, record)| record)),
        ExportFormat::Geojson => {
            let features = rows
                .into_iter()
                .map(|(station, record)| geojson::Feature {
                    bbox: None,
                    geometry: Some(geojson::Geometry::new_point([
                        station.location.lon(),
                        station.location.lat(),
                    ])),
                    id: Some(geojson::feature::Id::String(station.id)),
                    properties: Some(record),
                    foreign_members: None,
                })
                .collect();
            let collection =
                geojson::FeatureCollection { bbox: None, features, foreign_members: Some(about()) };
            Ok(collection.to_string().into_bytes())
        }
    }
}

/// Every field name, in the order in which each first appears.
fn columns(rows: &[(Station, Fields)]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for name in rows.iter().flat_map(|(_, record)| record.keys()) {
        if !columns.contains(name) {
            columns.push(name.clone());
        }
    }
    columns
}
