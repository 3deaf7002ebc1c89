//! With the real boundaries loaded, a search near a municipal border says
//! which municipality the point lies in and, for the municipal elections
//! of 2026, lists that municipality's stations first. Also: the RD New
//! conversion agrees with the published latitude/longitude of every record.

mod common;

use app::model::{ElectionId, Filters, NearestQuery, ResultCount};
use common::{empty_store, shared_file};
use kieskaart::catalog::Snapshot;
use kieskaart::commands::{self, ImportOptions};
use kieskaart::geography::{distance_m, projection::rd_to_wgs84};
use kieskaart::ingest;
use kieskaart::synthetic::Random;

#[test]
fn rd_coordinates_agree_with_latitude_and_longitude_within_a_metre() {
    let Some(file) = shared_file("wims-gr2026-ckan.json") else { return };
    let received = ingest::read_ckan_file("gr2026", &std::fs::read(file).unwrap()).unwrap();
    let mut worst = (0.0, String::new());
    for r in &received {
        let number = |name: &str| r.record.fields[name].as_f64().unwrap();
        let converted = rd_to_wgs84(number("X"), number("Y")).unwrap();
        let off = distance_m(converted, r.station.location);
        if off > worst.0 {
            worst = (off, r.station.id.clone());
        }
    }
    eprintln!("largest difference: {:.3} m at {}", worst.0, worst.1);
    assert!(worst.0 <= 1.0, "{} is {:.2} m off", worst.1, worst.0);
}

#[test]
fn the_home_municipality_comes_first_near_borders() {
    let (Some(stations), Some(boundaries)) =
        (shared_file("wims-gr2026-ckan.json"), shared_file("municipalities-rd.geojson"))
    else {
        return;
    };
    let (mut store, _folder) = empty_store();
    commands::import(&mut store, &stations, "gr2026", ImportOptions::default()).unwrap();
    assert_eq!(commands::import_boundaries(&mut store, &boundaries).unwrap(), 343);
    let snapshot = Snapshot::load(&store).unwrap();
    let index = snapshot.election(&ElectionId::parse("gr2026").unwrap()).unwrap();

    // Stations lie in their own municipality, up to the simplification of the boundaries.
    let astray: Vec<_> = index
        .stations()
        .iter()
        .filter(|s| {
            snapshot.boundaries.municipality_at(s.location).map(|m| &m.code) != Some(&s.municipality_code)
        })
        .map(|s| s.id.as_str())
        .collect();
    eprintln!(
        "{} of {} stations fall outside their simplified municipality: {astray:?}",
        astray.len(),
        index.station_count()
    );
    assert!(astray.len() * 100 < index.station_count(), "fewer than 1%");

    // Random points around the stations: wherever the nearest station is
    // across the border but the home municipality has stations, the answer
    // starts at home and marks the others.
    let mut random = Random::new(5);
    let mut border_cases = 0;
    for _ in 0..3_000 {
        let near = &index.stations()[random.below(index.station_count())];
        let origin = app::model::Coordinates::new(
            near.location.lat() + (random.unit() - 0.5) * 0.04,
            near.location.lon() + (random.unit() - 0.5) * 0.06,
        )
        .unwrap();
        let query = NearestQuery {
            election: index.election.id.clone(),
            origin,
            k: ResultCount::new(5).unwrap(),
            filters: Filters::default(),
        };
        let answer = snapshot.answer(index, &query);
        let Some(home) = &answer.home else { continue };
        assert_eq!(Some(home), snapshot.boundaries.municipality_at(origin));
        let home_has_stations = index.municipality_stations(&home.code).next().is_some();
        let flags: Vec<bool> = answer.stations.iter().map(|s| s.outside_home).collect();
        assert!(flags.windows(2).all(|w| w[0] <= w[1]), "home first: {flags:?}");
        for s in &answer.stations {
            assert_eq!(s.outside_home, s.station.municipality_code != home.code);
        }
        if home_has_stations {
            assert!(!flags[0], "a voter in {} is sent elsewhere first", home.name);
            let plain = index.nearest(origin, 1, |_| true);
            border_cases += usize::from(index.stations()[plain[0].1].municipality_code != home.code);
        }
    }
    eprintln!("{border_cases} points whose nearest station lies across the border");
    assert!(border_cases > 10, "the sample reaches borders: {border_cases}");
}
