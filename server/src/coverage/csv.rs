//! The coverage of an election as CSV, for `/data`: one row per
//! municipality, with counts (a share is its count over `stations`).

use crate::ingest::csv::guard;
use app::model::{AccessField, Coverage, Publication};

/// The file's bytes (UTF-8, comma-separated, a header row). Every text cell
/// passes the formula guard: names and contact details come from
/// municipalities' files and may start with `=`.
pub fn write(coverage: &Coverage) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["code", "municipality", "state", "stations", "published_at", "website", "contact"]
            .map(String::from)
            .into();
    for field in AccessField::ALL {
        for answer in ["yes", "no", "unknown"] {
            header.push(format!("{}_{answer}", field.slug()));
        }
    }
    writer.write_record(&header)?;
    for municipality in &coverage.municipalities {
        let mut row =
            vec![municipality.municipality.code.to_string(), guard(&municipality.municipality.name)];
        match &municipality.publication {
            Publication::Published { stations, at, fields } => {
                row.extend([
                    "published".into(),
                    stations.to_string(),
                    at.map(|at| at.to_rfc3339()).unwrap_or_default(),
                    String::new(),
                    String::new(),
                ]);
                for (_, tally) in fields.iter() {
                    row.extend([tally.yes, tally.no, tally.unknown].map(|count| count.to_string()));
                }
            }
            Publication::NotPublished { contact } => {
                let text = |value: &Option<String>| value.as_deref().map(guard).unwrap_or_default();
                row.extend([
                    "not-published".into(),
                    "0".into(),
                    String::new(),
                    text(&contact.website),
                    text(&contact.details),
                ]);
                row.extend(std::iter::repeat_n(String::new(), AccessField::ALL.len() * 3));
            }
        }
        writer.write_record(&row)?;
    }
    writer.into_inner().map_err(|error| csv::Error::from(error.into_error()))
}
