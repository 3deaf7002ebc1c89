//! CKAN `datastore_search` JSON: `{"result": {"fields": [...], "records": [...]}}`,
//! as WaarIsMijnStemlokaal.nl and data.overheid.nl publish it.

use super::{Place, SourceRecord};
use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    result: Option<ResultPart>,
}

#[derive(Deserialize)]
struct ResultPart {
    records: Option<Vec<serde_json::Value>>,
    /// How many records the resource has in all (in API answers).
    total: Option<usize>,
}

/// Records asked for per request when paging through a CKAN API.
pub const PAGE_SIZE: usize = 1000;

/// Reads the records; a problem is described so that the person who made
/// the file can act on it.
pub fn parse(bytes: &[u8]) -> Result<Vec<SourceRecord>, String> {
    let (records, _) = parse_page(bytes)?;
    to_records(records, 0)
}

fn parse_page(bytes: &[u8]) -> Result<(Vec<serde_json::Value>, Option<usize>), String> {
    let envelope: Envelope = serde_json::from_slice(bytes).map_err(|error| {
        format!(
            "not CKAN datastore JSON ({error}); expected {{\"result\": {{\"records\": [...]}}}} \
             as returned by the CKAN datastore_search API"
        )
    })?;
    let result = envelope.result.ok_or("no \"result\" object: is this the datastore_search answer?")?;
    let records =
        result.records.ok_or("no \"result\".\"records\" list: is this the datastore_search answer?")?;
    Ok((records, result.total))
}

/// `skipped` records came before these (on earlier pages).
fn to_records(values: Vec<serde_json::Value>, skipped: usize) -> Result<Vec<SourceRecord>, String> {
    values
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let number = skipped + index + 1;
            match value {
                serde_json::Value::Object(fields) => {
                    Ok(SourceRecord { place: Place::Record { number }, fields })
                }
                other => {
                    Err(format!("record {number} is {other}, not an object with the fields of the standard"))
                }
            }
        })
        .collect()
}

/// Reads every record of a CKAN `datastore_search` URL, `page_size` at a
/// time (`limit`/`offset`), until a short page or the reported total.
pub async fn fetch(url: &str, page_size: usize) -> Result<Vec<SourceRecord>, String> {
    let base = reqwest::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let mut records = Vec::new();
    loop {
        let mut page_url = base.clone();
        let kept: Vec<(String, String)> = base
            .query_pairs()
            .filter(|(key, _)| key != "limit" && key != "offset")
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        page_url
            .query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("limit", &page_size.to_string())
            .append_pair("offset", &records.len().to_string());
        let response = client.get(page_url.clone()).send().await.map_err(|e| format!("{page_url}: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{page_url} answered {status}: check the URL and the resource id"));
        }
        let body = response.bytes().await.map_err(|e| format!("{page_url}: {e}"))?;
        let (page, total) = parse_page(&body).map_err(|problem| format!("{page_url}: {problem}"))?;
        let count = page.len();
        records.extend(to_records(page, records.len())?);
        let done = count < page_size || total.is_some_and(|total| records.len() >= total);
        if done {
            return Ok(records);
        }
    }
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
        assert_eq!(records[1].place, Place::Record { number: 2 });
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
