//! Any text read as a mapping, and a CSV read through a mapping, must give
//! a result or an error, never a panic.
#![no_main]

use kieskaart::ingest::{self, Mapping, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (mapping, csv) = text.split_once("\n---\n").unwrap_or((&text, "a,b\n1,2\n"));
    if let Ok(mapping) = Mapping::parse(mapping) {
        let options = ReadOptions { mapping: Some(&mapping), ..Default::default() };
        if let Ok(records) = ingest::parse_file("fuzz", csv.as_bytes(), options) {
            let _ = ingest::validate("fuzz", records, ingest::Context { region: mapping.region, ..Default::default() });
        }
    }
});
