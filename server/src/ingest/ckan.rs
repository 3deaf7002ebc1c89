//! CKAN `datastore_search` JSON: `{"result": {"fields": [...], "records": [...]}}`,
//! as WaarIsMijnStemlokaal.nl and data.overheid.nl publish it.

use super::{Place, SourceRecord};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use std::io::Read;
use std::sync::mpsc::SyncSender;

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
///
/// Two threads share the work: one cuts the text of each record out of the
/// stream (see [`Cutter`]), the calling thread parses each and hands it on.
pub fn stream(reader: impl Read + Send, skipped: usize, each: &mut Each<'_>) -> Result<Streamed, String> {
    std::thread::scope(|scope| {
        let (outbox, inbox) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
        let cutter = scope.spawn(move || cut(reader, &outbox));
        let mut number = skipped;
        let mut refused = None;
        'batches: for batch in &inbox {
            for text in batch {
                number += 1;
                if let Err(problem) = hand_over(text, number, each) {
                    refused = Some(problem);
                    break 'batches;
                }
            }
        }
        // Hanging up stops the cutter at its next batch.
        drop(inbox);
        let skeleton = cutter.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        if let Some(problem) = refused {
            return Err(problem);
        }
        let total = read_envelope(&skeleton.map_err(|cut| match cut {
            Cut::EndsInRecord => format!(
                "the file ends in the middle of record {}: it was cut off, perhaps while downloading; \
                 fetch it again",
                number + 1
            ),
            Cut::Unreadable(error) => format!("cannot read it after record {number}: {error}"),
        })?)?;
        Ok(Streamed { records: number - skipped, total })
    })
}

/// Record texts cut out but not yet parsed, handed over a few hundred at a time.
type Batch = Vec<Vec<u8>>;
const BATCH_SIZE: usize = 256;
const BATCHES_AHEAD: usize = 16;

/// Parses one record's text and hands it to `each`.
fn hand_over(text: Vec<u8>, number: usize, each: &mut Each<'_>) -> Result<(), String> {
    match serde_json::from_slice(&text) {
        Ok(serde_json::Value::Object(fields)) => {
            // It parsed, so it is UTF-8.
            let verbatim = String::from_utf8(text).ok();
            each(SourceRecord { place: Place::Record { number }, fields, verbatim, findings: Vec::new() })
        }
        Ok(other) => {
            Err(format!("record {number} is {other}, not an object with the fields of the standard"))
        }
        Err(error) => Err(format!("record {number} is not valid JSON ({error}); check the file's syntax")),
    }
}

/// Why cutting stopped short.
enum Cut {
    /// The input ended inside a record: a truncated file.
    EndsInRecord,
    Unreadable(std::io::Error),
}

/// Runs a [`Cutter`] over the whole input, sending the records in batches.
/// Returns the skeleton; stops early when the other side hangs up (it says
/// why).
fn cut(mut reader: impl Read, outbox: &SyncSender<Batch>) -> Result<Vec<u8>, Cut> {
    let mut cutter = Cutter::default();
    let mut chunk = vec![0; 1 << 16];
    let mut unreadable = None;
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => {
                unreadable = Some(error);
                break;
            }
        };
        cutter.feed(&chunk[..read]);
        if cutter.records.len() >= BATCH_SIZE && outbox.send(std::mem::take(&mut cutter.records)).is_err() {
            break;
        }
    }
    let ends_in_record = cutter.in_record();
    if !cutter.records.is_empty() {
        // A hang-up is reported by the other side.
        let _ = outbox.send(std::mem::take(&mut cutter.records));
    }
    match unreadable {
        Some(error) => Err(Cut::Unreadable(error)),
        None if ends_in_record => Err(Cut::EndsInRecord),
        None => Ok(cutter.skeleton),
    }
}

/// Cuts a CKAN document into the text of each record and a skeleton: the
/// document with each record replaced by `0`. serde_json reading a stream
/// goes byte by byte and was the slowest part of a large import; this only
/// follows strings and brackets, so it does not check the syntax. Each
/// record's text is parsed on its own, and the skeleton, which is small,
/// is parsed at the end for the envelope and for any syntax error outside
/// the records.
#[derive(Default)]
struct Cutter {
    /// The containers around the current byte, outermost first, while
    /// outside the records list.
    stack: Vec<Frame>,
    string: StringState,
    /// The key being read, when it is one that matters (at depth 1 or 2).
    key: Option<Vec<u8>>,
    /// Inside `result.records`: the nesting depth within the current
    /// record, 0 between records.
    records_depth: Option<usize>,
    record: Vec<u8>,
    records: Batch,
    skeleton: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Object { expect_key: bool, key: Key },
    Array,
}

/// The keys on the way to the records.
#[derive(Clone, Copy, PartialEq)]
enum Key {
    Result,
    Records,
    Other,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum StringState {
    #[default]
    Outside,
    Inside,
    /// Just after a backslash inside a string.
    Escape,
}

impl StringState {
    /// Moves past `byte`; true when it closed the string.
    fn step(&mut self, byte: u8) -> bool {
        match (*self, byte) {
            (StringState::Escape, _) => *self = StringState::Inside,
            (StringState::Inside, b'\\') => *self = StringState::Escape,
            (StringState::Inside, b'"') => {
                *self = StringState::Outside;
                return true;
            }
            _ => {}
        }
        false
    }
}

impl Cutter {
    fn feed(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() {
            rest = match self.records_depth {
                Some(_) => self.feed_records(rest),
                None => self.feed_envelope(rest),
            };
        }
    }

    fn in_record(&self) -> bool {
        self.records_depth.is_some_and(|depth| depth > 0 || !self.record.trim_ascii().is_empty())
    }

    /// Outside the records: copies to the skeleton and follows the keys.
    /// Returns what follows the records list's opening bracket, if it came.
    fn feed_envelope<'b>(&mut self, bytes: &'b [u8]) -> &'b [u8] {
        for (index, &byte) in bytes.iter().enumerate() {
            self.skeleton.push(byte);
            if self.string != StringState::Outside {
                let closed = self.string.step(byte);
                match (&mut self.key, closed) {
                    (Some(key), false) if key.len() <= "records".len() => key.push(byte),
                    (Some(_), true) => self.name_key(),
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => {
                    self.string = StringState::Inside;
                    let wanted = self.stack.len() <= 2
                        && matches!(self.stack.last(), Some(Frame::Object { expect_key: true, .. }));
                    self.key = wanted.then(Vec::new);
                }
                b'{' => self.stack.push(Frame::Object { expect_key: true, key: Key::Other }),
                b'[' if self.stack
                    == [
                        Frame::Object { expect_key: false, key: Key::Result },
                        Frame::Object { expect_key: false, key: Key::Records },
                    ] =>
                {
                    self.records_depth = Some(0);
                    return &bytes[index + 1..];
                }
                b'[' => self.stack.push(Frame::Array),
                b'}' | b']' => drop(self.stack.pop()),
                b',' => {
                    if let Some(Frame::Object { expect_key, .. }) = self.stack.last_mut() {
                        *expect_key = true;
                    }
                }
                _ => {}
            }
        }
        &[]
    }

    /// A key has been read: remember it when it leads to the records.
    fn name_key(&mut self) {
        let name = match self.key.take().as_deref() {
            Some(b"result") if self.stack.len() == 1 => Key::Result,
            Some(b"records") if self.stack.len() == 2 => Key::Records,
            _ => Key::Other,
        };
        if let Some(Frame::Object { expect_key, key }) = self.stack.last_mut() {
            *expect_key = false;
            *key = name;
        }
    }

    /// Inside the records list: collects each record's text. Returns what
    /// follows the list, if it ended.
    fn feed_records<'b>(&mut self, bytes: &'b [u8]) -> &'b [u8] {
        let mut depth = self.records_depth.unwrap_or_default();
        let mut start = 0;
        let mut index = 0;
        while index < bytes.len() {
            if self.string == StringState::Inside {
                // Most of a record is text: jump to where a string could end.
                match memchr::memchr2(b'"', b'\\', &bytes[index..]) {
                    Some(offset) => index += offset,
                    None => break,
                }
            }
            let byte = bytes[index];
            index += 1;
            if self.string != StringState::Outside {
                self.string.step(byte);
                continue;
            }
            match byte {
                b'"' => self.string = StringState::Inside,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b']' | b'}' if depth == 0 => {
                    self.record.extend_from_slice(&bytes[start..index - 1]);
                    self.end_record();
                    if byte == b',' {
                        self.skeleton.push(b',');
                        start = index;
                        continue;
                    }
                    self.records_depth = None;
                    if byte == b']' {
                        self.skeleton.push(b']');
                        return &bytes[index..];
                    }
                    // A `}` is a syntax error, which the skeleton's parse
                    // reports; the envelope's side takes it from here.
                    return &bytes[index - 1..];
                }
                _ => {}
            }
        }
        self.record.extend_from_slice(&bytes[start..]);
        self.records_depth = Some(depth);
        &[]
    }

    /// Sends the record read so far, leaving a `0` in the skeleton; an empty
    /// place (as in `[1,,2]`) is left empty for the skeleton's parse to report.
    fn end_record(&mut self) {
        let text = std::mem::take(&mut self.record);
        if !text.trim_ascii().is_empty() {
            self.skeleton.push(b'0');
            self.records.push(text);
        }
    }
}

/// Parses the skeleton: checks the envelope and returns the total it states.
fn read_envelope(skeleton: &[u8]) -> Result<Option<usize>, String> {
    let mut envelope = EnvelopeState::default();
    let mut deserializer = serde_json::Deserializer::from_slice(skeleton);
    Envelope(&mut envelope).deserialize(&mut deserializer).and_then(|()| deserializer.end()).map_err(
        |error| {
            // Its line and column are the skeleton's, not the file's.
            let error = error.to_string();
            let problem = error.rsplit_once(" at line ").map_or(error.as_str(), |(problem, _)| problem);
            format!(
                "not CKAN datastore JSON ({problem}); expected {{\"result\": {{\"records\": [...]}}}} \
                 as returned by the CKAN datastore_search API"
            )
        },
    )?;
    if !envelope.result {
        return Err("no \"result\" object: is this the datastore_search answer?".into());
    }
    if !envelope.listed {
        return Err("no \"result\".\"records\" list: is this the datastore_search answer?".into());
    }
    Ok(envelope.total)
}

/// What the envelope held.
#[derive(Default)]
struct EnvelopeState {
    total: Option<usize>,
    result: bool,
    listed: bool,
}

/// The top level: `{"result": {...}, anything else ignored}`.
struct Envelope<'a>(&'a mut EnvelopeState);
/// `result`: `{"records": [...], "total": n, anything else ignored}`.
struct ResultPart<'a>(&'a mut EnvelopeState);

impl<'de> DeserializeSeed<'de> for Envelope<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Envelope<'_> {
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

impl<'de> DeserializeSeed<'de> for ResultPart<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResultPart<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with \"records\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                // The records themselves were cut out and read before.
                "records" => {
                    self.0.listed = true;
                    map.next_value::<Vec<IgnoredAny>>()?;
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

    /// Stream a document in pieces of every size, so that every state of
    /// the cutter meets a chunk boundary.
    fn parse_in_pieces(bytes: &[u8], piece: usize) -> Result<Vec<SourceRecord>, String> {
        struct Pieces<'a>(&'a [u8], usize);
        impl Read for Pieces<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(self.0.len()).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut records = Vec::new();
        stream(Pieces(bytes, piece), 0, &mut |record| {
            records.push(record);
            Ok(())
        })?;
        Ok(records)
    }

    #[test]
    fn brackets_quotes_and_escapes_inside_records_do_not_confuse_the_cutter() {
        let json = br#"{"help": "a \"records\" list", "result": {"total": 3, "fields": [{"id": "records"}],
            "records": [ {"Naam stembureau": "Zaal ] } , [ {", "Extra": {"records": [1, 2]}},
                {"Naam stembureau": "Quote \" and backslash \\", "x": [[], {}]} ,
                {"Naam stembureau": "Caf\u00e9"} ], "after": {"records": "not these"}}}"#;
        for piece in 1..json.len() {
            let records = parse_in_pieces(json, piece).unwrap();
            let names: Vec<_> =
                records.iter().map(|r| r.fields["Naam stembureau"].as_str().unwrap()).collect();
            assert_eq!(names, ["Zaal ] } , [ {", "Quote \" and backslash \\", "Café"], "pieces of {piece}");
            assert_eq!(records[2].place, Place::Record { number: 3 });
        }
    }

    #[test]
    fn keeps_each_record_verbatim() {
        let record = r#"{"Naam stembureau" : "A",  "Gemeente": "Demodorp"}"#;
        let json = format!(r#"{{"result": {{"records": [{record}]}}}}"#);
        assert_eq!(parse(json.as_bytes()).unwrap()[0].verbatim.as_deref(), Some(record));
    }

    #[test]
    fn syntax_errors_are_found_inside_and_outside_the_records() {
        let problem = |json: &[u8]| parse(json).unwrap_err();
        assert!(problem(br#"{"result": {"records": [{"a": 1}, {"a" 2}]}}"#)
            .starts_with("record 2 is not valid JSON"));
        assert!(
            problem(br#"{"result": {"records": [{"a": 1},, {"a": 2}]}}"#).contains("not CKAN datastore JSON")
        );
        assert!(problem(br#"{"result": {"records": [{"a": 1}}}"#).contains("not CKAN datastore JSON"));
        assert!(
            problem(br#"{"result": {"fields": [1 2], "records": []}}"#).contains("not CKAN datastore JSON")
        );
        assert!(
            problem(br#"{"result": {"records": [{"a": 1}]}} trailing"#).contains("not CKAN datastore JSON")
        );
        assert!(problem(br#"{"result": {"records": 5}}"#).contains("not CKAN datastore JSON"));
        assert!(problem(br#"[{"result": {"records": []}}]"#).contains("not CKAN datastore JSON"));
    }

    #[test]
    fn a_file_cut_off_says_where() {
        let cut = br#"{"result": {"records": [{"a": 1}, {"a": 2}, {"a": "thr"#;
        assert!(parse(cut).unwrap_err().starts_with("the file ends in the middle of record 3"));
        let between = br#"{"result": {"records": [{"a": 1}, "#;
        assert!(parse(between).unwrap_err().contains("EOF while parsing"));
    }

    #[test]
    fn a_read_error_is_reported_not_taken_for_the_end() {
        struct Failing<'a>(&'a [u8]);
        impl Read for Failing<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Err(std::io::Error::other("disk gone"));
                }
                let n = self.0.len().min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let json = br#"{"result": {"records": [{"a": 1}, "#;
        let problem = stream(Failing(json), 0, &mut |_| Ok(())).unwrap_err();
        assert_eq!(problem, "cannot read it after record 1: disk gone");
    }

    #[test]
    fn refusing_a_record_stops_the_reading() {
        let records: Vec<String> = (0..10 * BATCH_SIZE).map(|i| format!(r#"{{"n": {i}}}"#)).collect();
        let json = format!(r#"{{"result": {{"records": [{}]}}}}"#, records.join(","));
        let mut seen = 0;
        let refused = stream(json.as_bytes(), 0, &mut |_| {
            seen += 1;
            if seen == 3 {
                Err("no third".into())
            } else {
                Ok(())
            }
        });
        assert_eq!(refused.unwrap_err(), "no third");
        assert_eq!(seen, 3);
    }
}
