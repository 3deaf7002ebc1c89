//! Any bytes read as template must give records or an error, never a panic;
//! the records then go through every rule of the standard.
#![no_main]

use kieskaart::ingest::{self, Format, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    // The template reader catches the spreadsheet library's panics and
    // reports a damaged file (`ingest::template::parse`). libfuzzer-sys's
    // hook would abort at the panic itself, before it is caught; without
    // it, only a panic that escapes the import counts as a crash.
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| {
        let options = ReadOptions { format: Some(Format::Template), ..Default::default() };
        if let Ok(records) = ingest::parse_file("fuzz", data, options) {
            let _ = ingest::validate("fuzz", records, ingest::Context::default());
        }
    }
);
