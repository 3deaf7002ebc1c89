//! The index answers exactly what a brute-force scan answers: the same
//! stations, in the same order, at the same geodesic distances, for random
//! points and random combinations of every filter, on the real 2026 data
//! and on synthetic data.

mod common;

use app::model::{Election, ElectionId, Filters, Station};
use common::shared_file;
use kieskaart::geography::distance_m;
use kieskaart::index::ElectionIndex;
use kieskaart::ingest;
use kieskaart::synthetic::{self, Random};

const POINTS: usize = 10_000;

fn brute_force(
    stations: &[Station],
    origin: app::model::Coordinates,
    k: usize,
    filters: &Filters,
) -> Vec<(f64, usize)> {
    let mut all: Vec<(f64, usize)> = stations
        .iter()
        .enumerate()
        .filter(|(_, station)| filters.admits(station))
        .map(|(position, station)| (distance_m(origin, station.location), position))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.truncate(k);
    all
}

fn assert_exact(stations: Vec<Station>, seed: u64) {
    let election = Election::new(ElectionId::parse("gr2026").unwrap(), "Test", synthetic::polling_day());
    let index = ElectionIndex::new(election, &[1], stations);
    let mut random = Random::new(seed);
    let mut filtered = 0;
    for _ in 0..POINTS {
        let origin = random.point();
        let filters = synthetic::filters(&mut random);
        let k = 1 + random.below(50);
        let expected = brute_force(index.stations(), origin, k, &filters);
        let found = index.nearest(origin, k, |s| filters.admits(s));
        assert_eq!(found, expected, "k={k} from {origin:?} with {filters:?}");
        filtered += usize::from(filters != Filters::default());
    }
    assert!(filtered > POINTS / 2, "most queries carry a filter");
}

#[test]
fn exact_on_synthetic_stations() {
    assert_exact(synthetic::stations(1_000, 3), 17);
}

#[test]
fn exact_on_the_real_2026_data() {
    let Some(file) = shared_file("wims-gr2026-ckan.json") else { return };
    let bytes = std::fs::read(&file).unwrap();
    let stations = ingest::read_ckan_file("gr2026", &bytes).unwrap().into_iter().map(|r| r.station).collect();
    assert_exact(stations, 29);
}
