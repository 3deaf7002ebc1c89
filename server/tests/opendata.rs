//! Open data: the downloads under `/data` import again as the same
//! stations, follow each publication, revalidate cheaply, and keep
//! spreadsheets from running what a station name holds.

mod common;

use axum::http::StatusCode;
use common::{
    app_for, assert_reimports_as, ckan_file, empty_store, shared_file, spawn_app, spawn_app_with, Record,
};
use kieskaart::commands::{self, ImportOptions};
use std::io::Read;

const FORMATS: [&str; 3] = ["csv", "geojson", "json"];

#[tokio::test]
async fn national_downloads_of_the_real_data_import_again_as_the_same_stations() {
    let Some(real) = shared_file("wims-gr2026-ckan.json") else { return };
    let (mut store, folder) = empty_store();
    commands::import(&mut store, &real, "gr2026", ImportOptions::default()).unwrap();
    let mut app = app_for(store, folder);
    for extension in FORMATS {
        let download = app.get(&format!("/data/gr2026/stembureaus.{extension}")).await;
        assert_eq!(download.status, StatusCode::OK, "{}", download.body);
        assert_reimports_as(&mut app.store, &app.folder, &download.bytes, extension, "gr2026");
    }
}

#[tokio::test]
async fn a_municipality_download_holds_that_municipality_alone() {
    let Some(real) = shared_file("wims-gr2026-ckan.json") else { return };
    let (mut store, folder) = empty_store();
    commands::import(&mut store, &real, "gr2026", ImportOptions::default()).unwrap();
    let app = app_for(store, folder);
    let published = app.get("/api/v1/elections/gr2026/municipalities/GM0599/stations").await.json();
    let download = app.get("/data/gr2026/GM0599.csv").await;
    assert_eq!(download.status, StatusCode::OK);
    let records = kieskaart::ingest::csv::parse(&download.bytes).unwrap();
    assert_eq!(records.len(), published["stations"].as_array().unwrap().len());
    assert!(records.iter().all(|record| record.fields["CBS gemeentecode"] == "GM0599"));
    assert!(download.headers["content-disposition"].to_str().unwrap().contains("gr2026-GM0599.csv"));
}

#[tokio::test]
async fn a_would_be_formula_is_neutralised_in_csv_and_unchanged_in_json() {
    let (mut store, folder) = empty_store();
    let name = "=HYPERLINK(\\\"http://example.org\\\",\\\"Stem hier\\\")";
    let file = folder.path().join("formula.json");
    let record = Record { code: "GM9999", municipality: "Demodorp", name: name.into(), lat: 52.1, lon: 5.6 };
    std::fs::write(&file, ckan_file(&[record])).unwrap();
    commands::import(&mut store, &file, "gr2030", ImportOptions::default()).unwrap();
    let mut app = app_for(store, folder);
    let stored = "=HYPERLINK(\"http://example.org\",\"Stem hier\")";

    let csv = app.get("/data/gr2030/stembureaus.csv").await;
    assert!(csv.body.contains("\"'=HYPERLINK("), "neutralised with an apostrophe: {}", csv.body);
    assert!(!csv.body.contains(",=HYPERLINK") && !csv.body.contains("\"=HYPERLINK"), "{}", csv.body);
    for json in ["/data/gr2030/stembureaus.json", "/data/gr2030/stembureaus.geojson"] {
        let body = app.get(json).await.body;
        assert!(body.contains(&serde_json::to_string(stored).unwrap()), "{json}: {body}");
    }
    // And the apostrophe does not end up in the name when read back.
    assert_reimports_as(&mut app.store, &app.folder, &csv.bytes, "csv", "gr2030");
}

#[tokio::test]
async fn downloads_carry_licence_and_cache_headers_and_revalidate() {
    let app = spawn_app();
    let download = app.get("/data/demo/stembureaus.geojson").await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.body);
    assert_eq!(download.content_type, "application/geo+json");
    let header = |name: &str| download.headers[name].to_str().unwrap().to_owned();
    assert!(header("link").contains("creativecommons.org/publicdomain/zero/1.0"));
    assert_eq!(header("access-control-allow-origin"), "*");
    assert!(header("last-modified").ends_with(" GMT"), "{}", header("last-modified"));
    let json = download.json();
    assert_eq!(json["license"], "https://creativecommons.org/publicdomain/zero/1.0/");
    assert!(json["source"].as_str().unwrap().contains("Municipalities"));

    let again = app.get_with("/data/demo/stembureaus.geojson", &[("if-none-match", &header("etag"))]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    let compressed = app.get_with("/data/demo/stembureaus.geojson", &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(compressed.headers["content-encoding"], "gzip");
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(compressed.bytes.as_slice()).read_to_end(&mut plain).unwrap();
    assert_eq!(plain, download.bytes, "the same file, compressed");
}

#[tokio::test]
async fn a_new_publication_replaces_the_download() {
    let (mut store, folder) = empty_store();
    let file = folder.path().join("stations.json");
    let publish = |store: &mut kieskaart::store::Store, name: &str| {
        let record =
            Record { code: "GM9999", municipality: "Demodorp", name: name.into(), lat: 52.1, lon: 5.6 };
        std::fs::write(&file, ckan_file(&[record])).unwrap();
        commands::import(store, &file, "gr2030", ImportOptions::default()).unwrap();
    };
    publish(&mut store, "Eerste versie");
    let mut app = app_for(store, folder);
    let first = app.get("/data/gr2030/GM9999.csv").await;
    assert!(first.body.contains("Eerste versie"));

    publish(&mut app.store, "Tweede versie");
    assert!(app.catalog.refresh(&app.store).unwrap());
    let second = app.get("/data/gr2030/GM9999.csv").await;
    assert!(second.body.contains("Tweede versie") && !second.body.contains("Eerste"), "{}", second.body);
    assert_ne!(first.headers["etag"], second.headers["etag"]);
    let stale = app
        .get_with("/data/gr2030/GM9999.csv", &[("if-none-match", first.headers["etag"].to_str().unwrap())])
        .await;
    assert_eq!(stale.status, StatusCode::OK, "an old tag gets the new file");
}

#[tokio::test]
async fn unknown_downloads_are_404_with_where_to_look() {
    let app = spawn_app();
    for path in [
        "/data/xx2099/stembureaus.csv",
        "/data/demo/GM0363.csv",
        "/data/demo/stembureaus.xlsx",
        "/data/demo/alles.csv",
        "/data/NOT%20AN%20ID/stembureaus.csv",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.content_type, "application/problem+json");
        assert!(response.json()["detail"].as_str().unwrap().contains("/data"), "{path}: {}", response.body);
    }
}

#[tokio::test]
async fn the_catalogue_describes_each_election_for_data_portals() {
    let public_url = Some(app::directory::PublicUrl::parse("http://kieskaart.example").unwrap());
    let app = spawn_app_with(kieskaart::startup::Settings { public_url, ..Default::default() });
    let catalogue = app.get("/data/catalog.jsonld").await;
    assert_eq!(catalogue.content_type, "application/ld+json");
    let json = catalogue.json();
    assert_eq!(json["@type"], "dcat:Catalog");
    let dataset = &json["dcat:dataset"][0];
    assert_eq!(dataset["dct:identifier"], "demo");
    assert_eq!(dataset["dct:license"]["@id"], "https://creativecommons.org/publicdomain/zero/1.0/");
    let urls: Vec<&str> = dataset["dcat:distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dcat:downloadURL"]["@id"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        FORMATS.map(|extension| format!("http://kieskaart.example/data/demo/stembureaus.{extension}"))
    );
    for url in urls {
        let path = url.trim_start_matches("http://kieskaart.example");
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_data_page_links_every_download_in_both_languages() {
    let app = spawn_app();
    let page = app.get("/data").await;
    assert_eq!(page.status, StatusCode::OK);
    for extension in FORMATS {
        assert!(page.body.contains(&format!("href=\"/data/demo/stembureaus.{extension}\"")), "{extension}");
        assert!(page.body.contains(&format!("href=\"/data/demo/GM9999.{extension}\"")), "{extension}");
    }
    assert!(page.body.contains("CC0 1.0") && page.body.contains("href=\"/data/catalog.jsonld\""));
    assert!(page.body.contains("Per gemeente"));
    assert!(!page.body.contains("kieskaart.js"), "a page without script: the bundle is not loaded");
    let home = app.get("/").await;
    assert!(home.body.contains("<a href=\"/data\">"), "linked from every page's footer");
    let english = app.get("/data?taal=en").await;
    assert!(english.body.contains("By municipality"), "{}", english.body);
    assert!(english.body.contains("aria-label=\"CSV, Demodorp (demo)\""), "{}", english.body);
}
