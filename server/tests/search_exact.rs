//! The index answers exactly what a brute-force scan answers: the same
//! stations, in the same order, at the same geodesic distances, for random
//! points and random combinations of every filter, on the real 2026 data
//! and on synthetic data. Whole answers too, home municipality first under
//! the rule: from tiny municipalities and large ones, with rare needs,
//! kinds and hours, and for more stations than exist.

mod common;

use app::model::{
    Election, ElectionId, Filters, MunicipalityCode, MunicipalityRef, NearestAnswer, NearestQuery, Needs,
    ResultCount, Station,
};
use common::shared_file;
use kieskaart::geography::{boundaries, distance_m};
use kieskaart::index::ElectionIndex;
use kieskaart::ingest;
use kieskaart::synthetic::{self, Random};

const POINTS: usize = 10_000;

/// Whether `filters` admit `station`, on the clock its municipality keeps
/// in `election`: found here from the rule, not from the index.
fn admits(filters: &Filters, election: &Election, station: &Station) -> bool {
    filters.admits(station, election.time_zone_of(&station.municipality_code).tz())
}

fn brute_force(
    election: &Election,
    stations: &[std::sync::Arc<Station>],
    origin: app::model::Coordinates,
    k: usize,
    filters: &Filters,
) -> Vec<(f64, usize)> {
    let mut all: Vec<(f64, usize)> = stations
        .iter()
        .enumerate()
        .filter(|(_, station)| admits(filters, election, station))
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
        let expected = brute_force(&index.election, index.stations(), origin, k, &filters);
        let found = index.nearest(origin, k, |s| admits(&filters, &index.election, s));
        assert_eq!(found, expected, "k={k} from {origin:?} with {filters:?}");
        filtered += usize::from(filters != Filters::default());
    }
    assert!(filtered > POINTS / 2, "most queries carry a filter");
}

/// An answer as (distance, station id, outside home).
type Found = Vec<(f64, String, bool)>;

fn found(answer: NearestAnswer) -> Found {
    answer.stations.into_iter().map(|s| (s.distance_m, s.station.id.clone(), s.outside_home)).collect()
}

/// Every admitted station, sorted: under the rule with a home that
/// publishes, home before elsewhere; then by distance, then data order.
fn brute_force_answer(index: &ElectionIndex, query: &NearestQuery, home: Option<&MunicipalityRef>) -> Found {
    let outside = |s: &Station| home.is_some_and(|home| home.code != s.municipality_code);
    let home_first = index.election.kind.municipality_rule().is_some()
        && home.is_some_and(|home| index.publishes(&home.code));
    let mut all: Vec<(bool, f64, usize)> = index
        .stations()
        .iter()
        .enumerate()
        .filter(|(_, station)| admits(&query.filters, &index.election, station))
        .map(|(position, s)| (home_first && outside(s), distance_m(query.origin, s.location), position))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    all.into_iter()
        .take(query.k.get())
        .map(|(_, distance, position)| {
            let station = &index.stations()[position];
            (distance, station.id.clone(), outside(station))
        })
        .collect()
}

/// Queries from near random stations (so from every municipality, the
/// smallest included), from a home that publishes nothing, or from none;
/// with random filters, often a rare need; in an election with the
/// municipality rule and one without.
fn assert_answers_exact(stations: Vec<Station>, seed: u64) {
    let mut random = Random::new(seed);
    let rare = ["sign-language-on-site", "braille-list", "low-stimulus", "signing-staff"];
    let (mut home_short, mut beyond_existing) = (0, 0);
    for election in ["gr2026", "ek2026"] {
        let election = Election::new(ElectionId::parse(election).unwrap(), "Test", synthetic::polling_day());
        let index = ElectionIndex::new(election, &[1], stations.clone());
        for _ in 0..2_000 {
            let near = &index.stations()[random.below(index.station_count())];
            let origin = app::model::Coordinates::new(
                near.location.lat() + (random.unit() - 0.5) * 0.1,
                near.location.lon() + (random.unit() - 0.5) * 0.1,
            )
            .unwrap();
            let home = match random.below(6) {
                0 => None,
                1 => Some(MunicipalityRef {
                    code: MunicipalityCode::parse("GM9999").unwrap(),
                    name: "None".into(),
                }),
                _ => Some(MunicipalityRef {
                    code: near.municipality_code.clone(),
                    name: near.municipality_name.clone(),
                }),
            };
            let mut filters = synthetic::filters(&mut random);
            if random.chance(0.4) {
                let mut needs: Vec<&str> = filters.needs.features().iter().map(|f| f.slug()).collect();
                needs.push(rare[random.below(rare.len())]);
                filters.needs = Needs::parse(needs).unwrap();
            }
            let k = ResultCount::new(1 + random.below(ResultCount::MAX)).unwrap();
            let query = NearestQuery { election: index.election.id.clone(), origin, k, filters };
            let expected = brute_force_answer(&index, &query, home.as_ref());
            let answer = found(index.answer(&query, home.as_ref()));
            assert_eq!(answer, expected, "{query:?} from {home:?}");
            home_short += usize::from(answer.iter().any(|s| s.2) && answer.iter().any(|s| !s.2));
            beyond_existing += usize::from(answer.len() < k.get());
        }
    }
    assert!(home_short > 100, "home runs short and others fill up: {home_short}");
    assert!(beyond_existing > 100, "more is asked than exists: {beyond_existing}");
}

#[test]
fn answers_exact_on_synthetic_stations() {
    assert_answers_exact(synthetic::stations(1_000, 5), 23);
}

#[test]
fn answers_exact_over_the_real_municipalities() {
    let Some(file) = shared_file("municipalities-rd.geojson") else { return };
    let areas = boundaries::read_geojson("boundaries", &std::fs::read_to_string(file).unwrap()).unwrap();
    let stations = synthetic::stations_in(&areas, 2_000, 9);
    let mut counts = std::collections::BTreeMap::new();
    for station in &stations {
        *counts.entry(station.municipality_code.clone()).or_insert(0) += 1;
    }
    let tiny = counts.values().filter(|&&count| count <= 5).count();
    assert!(tiny >= 5, "some municipalities publish one to five stations: {tiny}");
    assert_answers_exact(stations, 31);
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
