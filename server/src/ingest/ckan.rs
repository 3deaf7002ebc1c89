//! CKAN `datastore_search` JSON: `{"result": {"fields": [...], "records": [...]}}`,
//! as WaarIsMijnStemlokaal.nl and data.overheid.nl publish it.

use super::{Place, SourceRecord};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::Read;

/// Records asked for per request when paging through a CKAN API.
pub const PAGE_SIZE: usize = 1000;

/// Receives each record as it is read.
pub type Each<'a> = dyn FnMut(SourceRecord) -> Result<(), String> + 'a;

/// How much a stream held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Streamed {
    pub records: usize,
    /// How many records the resource has in all (API answers say).
    pub total: Option<usize>,
}

/// Reads the records one at a time and hands each to `each`, so that a
/// file of a million records never has to be in memory at once. `skipped`
/// records came before (on earlier pages), for numbering. A problem is
/// described so that the person who made the file can act on it.
pub fn stream(reader: impl Read, skipped: usize, each: &mut Each<'_>) -> Result<Streamed, String> {
    let mut sink =
        Sink { each, skipped, records: 0, total: None, stopped: None, result: false, listed: false };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let parsed = Envelope(&mut sink).deserialize(&mut deserializer).and_then(|()| deserializer.end());
    if let Some(problem) = sink.stopped.take() {
        return Err(problem);
    }
    parsed.map_err(|error| {
        format!(
            "not CKAN datastore JSON ({error}); expected {{\"result\": {{\"records\": [...]}}}} \
             as returned by the CKAN datastore_search API"
        )
    })?;
    if !sink.result {
        return Err("no \"result\" object: is this the datastore_search answer?".into());
    }
    if !sink.listed {
        return Err("no \"result\".\"records\" list: is this the datastore_search answer?".into());
    }
    Ok(Streamed { records: sink.records, total: sink.total })
}

struct Sink<'s, 'e> {
    each: &'s mut Each<'e>,
    skipped: usize,
    records: usize,
    total: Option<usize>,
    /// Why reading stopped early: a record that is no record, or `each` refused.
    stopped: Option<String>,
    result: bool,
    listed: bool,
}

/// The top level: `{"result": {...}, anything else ignored}`.
struct Envelope<'a, 's, 'e>(&'a mut Sink<'s, 'e>);
/// `result`: `{"records": [...], "total": n, anything else ignored}`.
struct ResultPart<'a, 's, 'e>(&'a mut Sink<'s, 'e>);
/// `records`: each element goes to the sink as it is read.
struct Records<'a, 's, 'e>(&'a mut Sink<'s, 'e>);

impl<'de> DeserializeSeed<'de> for Envelope<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Envelope<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a \"result\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "result" {
                self.0.result = true;
                map.next_value_seed(ResultPart(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ResultPart<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResultPart<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with \"records\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "records" => {
                    self.0.listed = true;
                    map.next_value_seed(Records(&mut *self.0))?;
                }
                "total" => self.0.total = map.next_value::<Option<usize>>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Records<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let sink = self.0;
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            sink.records += 1;
            let number = sink.skipped + sink.records;
            let handed = match value {
                serde_json::Value::Object(fields) => {
                    (sink.each)(SourceRecord { place: Place::Record { number }, fields })
                }
                other => {
                    Err(format!("record {number} is {other}, not an object with the fields of the standard"))
                }
            };
            if let Err(problem) = handed {
                sink.stopped = Some(problem);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// Reads every record of a CKAN `datastore_search` URL, `page_size` at a
/// time (`limit`/`offset`), until a short page or the reported total.
pub async fn fetch(url: &str, page_size: usize, each: &mut Each<'_>) -> Result<usize, String> {
    let base = reqwest::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let mut seen = 0;
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
            .append_pair("offset", &seen.to_string());
        let response = client.get(page_url.clone()).send().await.map_err(|e| format!("{page_url}: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{page_url} answered {status}: check the URL and the resource id"));
        }
        let body = response.bytes().await.map_err(|e| format!("{page_url}: {e}"))?;
        let page = stream(&body[..], seen, each).map_err(|problem| format!("{page_url}: {problem}"))?;
        seen += page.records;
        let done = page.records < page_size || page.total.is_some_and(|total| seen >= total);
        if done {
            return Ok(seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Vec<SourceRecord>, String> {
        let mut records = Vec::new();
        stream(bytes, 0, &mut |record| {
            records.push(record);
            Ok(())
        })?;
        Ok(records)
    }

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
