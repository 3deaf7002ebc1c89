//! Importing is all or nothing, and the real 2026 data imports completely.

mod common;

use app::model::ElectionId;
use axum::http::StatusCode;
use common::{app_for, empty_store, shared_file};
use kieskaart::commands::{self, CommandError, NewElection};
use kieskaart::ingest::IngestError;

#[test]
fn a_file_with_an_error_changes_nothing() {
    let (mut store, folder) = empty_store();
    commands::load_demo(&mut store).unwrap();
    let before = store.published().unwrap()[0].stations.clone();

    let broken = folder.path().join("broken.json");
    let good = r#"{"CBS gemeentecode": "GM9999", "Gemeente": "Demodorp (demo)", "Nummer stembureau": 1,
        "Naam stembureau": "Nieuw", "Type stembureau": "regulier", "Latitude": 52.1, "Longitude": 5.6,
        "Openingstijd": "2030-03-20T07:30:00", "Sluitingstijd": "2030-03-20T21:00:00",
        "Toegankelijk voor mensen met een lichamelijke beperking": "ja"}"#;
    let bad = good.replace("\"Latitude\": 52.1", "\"Latitude\": \"52.1.1\"");
    std::fs::write(&broken, format!(r#"{{"result": {{"records": [{good}, {bad}]}}}}"#)).unwrap();

    let error = commands::import(&mut store, &broken, "demo", NewElection::default()).unwrap_err();
    let CommandError::Ingest(IngestError::Invalid { findings, .. }) = &error else {
        panic!("expected findings, got {error}");
    };
    assert_eq!(findings.len(), 1);
    assert!(error.to_string().contains("record 2, field \"Latitude\" = \"52.1.1\""), "{error}");
    assert_eq!(store.published().unwrap()[0].stations, before);
}

#[test]
fn files_that_are_not_station_data_are_refused_with_a_reason() {
    let (mut store, folder) = empty_store();
    let cases = [
        ("page.html", "<html><body>Not found</body></html>", "not CKAN datastore JSON"),
        ("empty.json", "", "not CKAN"),
    ];
    for (name, content, expected) in cases {
        let path = folder.path().join(name);
        std::fs::write(&path, content).unwrap();
        let error = commands::import(&mut store, &path, "gr2026", NewElection::default()).unwrap_err();
        assert!(error.to_string().contains(expected), "{name}: {error}");
    }
    let error =
        commands::import(&mut store, &folder.path().join("missing.json"), "gr2026", NewElection::default())
            .unwrap_err();
    assert!(error.to_string().starts_with("cannot read"), "{error}");
    assert!(!store.has_elections().unwrap());
}

#[tokio::test]
async fn the_real_2026_file_imports_and_finds_oudewater() {
    let Some(file) = shared_file("wims-gr2026-ckan.json") else { return };
    let (mut store, folder) = empty_store();
    let summary = commands::import(&mut store, &file, "gr2026", NewElection::default()).unwrap();
    assert_eq!((summary.records, summary.municipalities), (1799, 70));
    let election = store.election(&ElectionId::parse("gr2026").unwrap()).unwrap().unwrap();
    assert_eq!(election.polling_date.to_string(), "2026-03-18");
    assert_eq!(election.name, "Gemeenteraadsverkiezingen 2026");

    let app = app_for(store, folder);
    let response = app.get("/api/v1/elections/gr2026/stations/nearest?lat=52.0217&lon=4.8684&k=5").await;
    assert_eq!(response.status, StatusCode::OK);
    let first = &response.json()["stations"][0];
    assert_eq!(first["municipality"]["code"], "GM0589", "{first}");
    assert_eq!(first["address"]["place"], "Oudewater");
    assert!(first["distance_m"].as_f64().unwrap() < 1000.0, "{first}");
    assert_eq!(first["opens"], "2026-03-18T07:30:00");
}
