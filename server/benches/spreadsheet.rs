//! What measuring a spreadsheet before the spreadsheet reader opens it
//! costs (`ingest::sheet_limits`), beside reading it whole, on the real
//! templates of ../shared/data (skipped when absent). Run with
//! `cargo bench -p kieskaart --bench spreadsheet`; results go in the README.

use app::model::MunicipalityCode;
use criterion::{criterion_group, criterion_main, Criterion};
use kieskaart::ingest::{sheet_limits, template, SheetLimits};
use std::hint::black_box;
use std::path::Path;

const REAL: [&str; 3] = [
    "ods-1.7-municipality-template.xlsx",
    "ods-1.7-municipality-template.ods",
    "ods-1.7-standard-example.xlsx",
];

fn spreadsheet(c: &mut Criterion) {
    let limits = SheetLimits::STATION_LIST;
    let municipality = MunicipalityCode::parse("GM0599").expect("a municipality code");
    for name in REAL {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data").join(name);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skipped: {} is absent", path.display());
            continue;
        };
        c.bench_function(&format!("check {name}"), |b| {
            b.iter(|| sheet_limits::check(black_box(&bytes), &limits))
        });
        c.bench_function(&format!("check and read {name}"), |b| {
            b.iter(|| template::parse(black_box(&bytes), Some(&municipality), &limits))
        });
    }
}

criterion_group!(benches, spreadsheet);
criterion_main!(benches);
