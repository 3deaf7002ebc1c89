//! Nearest 5 stations with one accessibility filter, in process: on the
//! real 2026 data (when ../shared is present), and on 10,000 and 1,000,000
//! synthetic stations spread over the Netherlands. Run with
//! `cargo bench -p kieskaart --bench nearest`; results go in the README.

use app::model::{ElectionId, Feature, Filters, Needs, Station};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kieskaart::index::ElectionIndex;
use kieskaart::synthetic::{self, Random};
use std::hint::black_box;
use std::path::Path;

fn index(stations: Vec<Station>) -> ElectionIndex {
    let election = app::model::Election::new(
        ElectionId::parse("gr2026").expect("valid"),
        "Bench",
        synthetic::polling_day(),
    );
    ElectionIndex::new(election, &[1], stations)
}

fn real_stations() -> Option<Vec<Station>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/wims-gr2026-ckan.json");
    let bytes = std::fs::read(&path).ok()?;
    let received = kieskaart::ingest::read_ckan_file("real", &bytes).ok()?;
    Some(received.into_iter().map(|r| r.station).collect())
}

fn nearest(c: &mut Criterion) {
    let mut sets: Vec<(String, ElectionIndex)> = Vec::new();
    match real_stations() {
        Some(stations) => sets.push(("real-1799".into(), index(stations))),
        None => eprintln!("../shared/data absent: skipping the real data set"),
    }
    for n in [10_000, 1_000_000] {
        sets.push((format!("synthetic-{n}"), index(synthetic::stations(n, 42))));
    }
    // Points over the European Netherlands, where voters search.
    let mut random = Random::new(7);
    let points: Vec<_> = (0..4096)
        .map(|_| app::model::Coordinates::new(50.75 + 2.8 * random.unit(), 3.35 + 3.87 * random.unit()))
        .collect::<Result<_, _>>()
        .expect("valid points");
    let filters = Filters {
        needs: Needs::parse([Feature::Wheelchair.slug()]).expect("a feature"),
        ..Filters::default()
    };

    let mut group = c.benchmark_group("nearest-5-wheelchair");
    for (name, index) in &sets {
        let mut next = points.iter().cycle();
        group.bench_with_input(BenchmarkId::from_parameter(name), index, |b, index| {
            b.iter(|| {
                let origin = *next.next().expect("cycle never ends");
                black_box(index.nearest(origin, 5, |s| filters.admits(s)))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, nearest);
criterion_main!(benches);
