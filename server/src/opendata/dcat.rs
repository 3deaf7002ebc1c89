//! The catalogue of downloads as DCAT-AP JSON-LD, the vocabulary that
//! European and Dutch data portals (data.europa.eu, data.overheid.nl)
//! harvest: one dataset per election, one distribution per format.

use super::{ExportFormat, LICENCE, SOURCE};
use crate::catalog::Snapshot;
use app::model::download_path;
use serde_json::{json, Value};

/// The catalogue, with absolute links under `base` (`https://host`).
pub fn catalogue(snapshot: &Snapshot, base: &str) -> Value {
    let datasets: Vec<Value> = snapshot
        .indexes()
        .map(|index| {
            let election = &index.election;
            let distributions: Vec<Value> = ExportFormat::ALL
                .into_iter()
                .map(|format| {
                    let url = format!("{base}{}", download_path(&election.id, None, format.extension()));
                    json!({
                        "@type": "dcat:Distribution",
                        "@id": url,
                        "dct:title": format!("{} ({})", election.name, format_name(format)),
                        "dcat:accessURL": {"@id": format!("{base}/data")},
                        "dcat:downloadURL": {"@id": url},
                        "dcat:mediaType": media_type_iri(format),
                        "dct:format": format_name(format),
                        "dct:license": {"@id": LICENCE},
                    })
                })
                .collect();
            json!({
                "@type": "dcat:Dataset",
                "@id": format!("{base}/data#{}", election.id),
                "dct:identifier": election.id.as_str(),
                "dct:title": format!("Stembureaus {}", election.name),
                "dct:description": format!(
                    "Every polling station published for {} ({} stations of {} municipalities): \
                     name, address, location, opening hours and accessibility, as the municipalities \
                     published them under the Stembureaus Open Data Standaard.",
                    election.name,
                    index.station_count(),
                    index.municipalities().count()
                ),
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": {"@value": election.voting_days()[0].to_string(), "@type": "xsd:date"},
                    "dcat:endDate": {"@value": election.polling_date.to_string(), "@type": "xsd:date"},
                },
                "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/NLD"},
                "dcat:keyword": ["stembureaus", "verkiezingen", "polling stations", "elections"],
                "dct:license": {"@id": LICENCE},
                "dct:source": SOURCE,
                "dcat:distribution": distributions,
            })
        })
        .collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@type": "dcat:Catalog",
        "@id": format!("{base}/data/catalog.jsonld"),
        "dct:title": "Kieskaart open data: stembureaus",
        "dct:description": "Polling stations of Dutch elections, as published by the municipalities.",
        "dct:license": {"@id": LICENCE},
        "foaf:homepage": {"@id": format!("{base}/data")},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "Kieskaart"},
        "dcat:dataset": datasets,
    })
}

fn format_name(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Ckan => "JSON (CKAN datastore)",
        ExportFormat::Csv => "CSV",
        ExportFormat::Geojson => "GeoJSON",
    }
}

/// IANA media types as DCAT-AP wants them: as IRIs.
fn media_type_iri(format: ExportFormat) -> Value {
    let media_type = format.media_type().split(';').next().unwrap_or_default();
    json!({"@id": format!("https://www.iana.org/assignments/media-types/{media_type}")})
}
