//! CKAN `datastore_search` JSON: `{"result": {"fields": [...], "records": [...]}}`,
//! as WaarIsMijnStemlokaal.nl and data.overheid.nl publish it.

use super::SourceRecord;
use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    result: Option<ResultPart>,
}

#[derive(Deserialize)]
struct ResultPart {
    records: Option<Vec<serde_json::Value>>,
}

/// Reads the records; a problem is described so that the person who made
/// the file can act on it.
pub fn parse(bytes: &[u8]) -> Result<Vec<SourceRecord>, String> {
    let envelope: Envelope = serde_json::from_slice(bytes).map_err(|error| {
        format!(
            "not CKAN datastore JSON ({error}); expected {{\"result\": {{\"records\": [...]}}}} \
             as returned by the CKAN datastore_search API"
        )
    })?;
    let records = envelope
        .result
        .and_then(|result| result.records)
        .ok_or("no \"result\".\"records\" list: is this the datastore_search answer?")?;
    records
        .into_iter()
        .enumerate()
        .map(|(index, value)| match value {
            serde_json::Value::Object(fields) => Ok(SourceRecord { position: index + 1, fields }),
            other => {
                Err(format!("record {} is {other}, not an object with the fields of the standard", index + 1))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_in_order() {
        let json =
            br#"{"result": {"fields": [], "records": [{"Naam stembureau": "A"}, {"Naam stembureau": "B"}]}}"#;
        let records = parse(json).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].position, 2);
        assert_eq!(records[1].fields["Naam stembureau"], "B");
    }

    #[test]
    fn explains_what_is_wrong_with_other_json() {
        assert!(parse(b"<html>").unwrap_err().contains("not CKAN datastore JSON"));
        assert!(parse(b"{\"records\": []}").unwrap_err().contains("result"));
        assert!(parse(br#"{"result": {"records": [1]}}"#).unwrap_err().contains("record 1"));
        assert_eq!(parse(br#"{"result": {"records": []}}"#).unwrap().len(), 0);
    }
}
