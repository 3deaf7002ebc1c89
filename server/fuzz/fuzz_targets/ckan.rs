//! Any bytes read as ckan must give records or an error, never a panic;
//! the records then go through every rule of the standard.
#![no_main]

use kieskaart::ingest::{self, Format, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions { format: Some(Format::Ckan), ..Default::default() };
    if let Ok(records) = ingest::parse_file("fuzz", data, options) {
        let _ = ingest::validate("fuzz", records, ingest::Context::default());
    }
});
