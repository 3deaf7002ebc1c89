//! Coverage (issue 23, part 2): every municipality of the country with
//! what it published, as a page, JSON and CSV, and the answer to a search
//! in a municipality that has published nothing.

mod common;

use app::model::ElectionId;
use axum::http::StatusCode;
use common::{app_for, empty_store, shared_file, TestApp};
use kieskaart::catalog::Snapshot;
use kieskaart::commands::{self, ImportOptions};
use kieskaart::store::Publish;

/// One station of `code`, with the host field as given (`""` leaves it out).
fn record(code: &str, name: &str, number: u32, lat: f64, lon: f64, host: &str, contact: &str) -> String {
    let host = if host.is_empty() { String::new() } else { format!(r#""Host": "{host}","#) };
    format!(
        r#"{{"CBS gemeentecode": "{code}", "Gemeente": "{name}", "Nummer stembureau": {number},
        "Naam stembureau": "{name} {number}", "Type stembureau": "regulier", "Latitude": {lat}, "Longitude": {lon},
        "Openingstijd": "2030-03-20T07:30:00", "Sluitingstijd": "2030-03-20T21:00:00", {host}
        "Toegankelijk voor mensen met een lichamelijke beperking": "{wheelchair}",
        "Verkiezingswebsite gemeente": "https://{lower}.example/verkiezingen",
        "Contactgegevens gemeente": {contact}}}"#,
        wheelchair = if number == 1 { "ja" } else { "nee" },
        lower = name.to_lowercase(),
        contact = serde_json::Value::from(contact),
    )
}

fn square(code: &str, name: &str, lat: f64, lon: f64) -> String {
    let (e, n) = (lon + 0.1, lat + 0.1);
    format!(
        r#"{{"type":"Feature","properties":{{"code":"{code}","n":"{name}"}},"geometry":{{"type":"Polygon",
        "coordinates":[[[{lon},{lat}],[{e},{lat}],[{e},{n}],[{lon},{n}],[{lon},{lat}]]]}}}}"#
    )
}

/// Election gr2030 (own municipality only): Oudewater publishes three
/// stations (host yes, no, unknown; one wheelchair-accessible); West has
/// only a draft, whose contact details start like a formula; East has
/// nothing at all. The boundaries know all three.
fn three_municipalities() -> TestApp {
    let (mut store, folder) = empty_store();
    let write = |name: &str, records: Vec<String>| {
        let file = folder.path().join(name);
        std::fs::write(&file, format!(r#"{{"result": {{"records": [{}]}}}}"#, records.join(","))).unwrap();
        file
    };
    let oudewater = write(
        "oudewater.json",
        vec![
            record("GM0589", "Oudewater", 1, 52.02, 4.86, "ja", "0348 123 456"),
            record("GM0589", "Oudewater", 2, 52.03, 4.87, "nee", "0348 123 456"),
            record("GM0589", "Oudewater", 3, 52.04, 4.88, "", "0348 123 456"),
        ],
    );
    commands::import(&mut store, &oudewater, "gr2030", ImportOptions::default()).unwrap();
    let west = write("west.json", vec![record("GM0001", "West", 1, 52.25, 4.55, "", "=HYPERLINK(\"x\")")]);
    let draft = ImportOptions { publish: Publish::Later, ..ImportOptions::default() };
    commands::import(&mut store, &west, "gr2030", draft).unwrap();
    let boundaries = folder.path().join("boundaries.geojson");
    let features = [
        square("GM0589", "Oudewater", 51.98, 4.82),
        square("GM0001", "West", 52.2, 4.5),
        square("GM0002", "East", 52.2, 4.6),
    ];
    std::fs::write(
        &boundaries,
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")),
    )
    .unwrap();
    commands::import_boundaries(&mut store, &boundaries).unwrap();
    app_for(store, folder)
}

#[tokio::test]
async fn the_api_lists_every_municipality_with_shares_and_totals() {
    let app = three_municipalities();
    let response = app.get("/api/v1/elections/gr2030/coverage").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert!(response.headers.contains_key("etag"));
    let json = response.json();
    let totals = &json["totals"];
    assert_eq!((totals["municipalities"].as_u64(), totals["published"].as_u64()), (Some(3), Some(1)));
    assert_eq!(totals["stations"], 3);
    assert_eq!(totals["accessibility"]["host"], serde_json::json!({"yes": 1, "no": 1, "unknown": 1}));
    assert_eq!(totals["accessibility"]["wheelchair"], serde_json::json!({"yes": 1, "no": 2, "unknown": 0}));
    let codes: Vec<_> =
        json["municipalities"].as_array().unwrap().iter().map(|m| m["code"].clone()).collect();
    assert_eq!(codes, ["GM0001", "GM0002", "GM0589"], "every municipality, in code order");
    let [west, east, oudewater] = [0, 1, 2].map(|i| &json["municipalities"][i]);
    assert_eq!((west["published"].as_bool(), west["stations"].as_u64()), (Some(false), Some(0)));
    assert_eq!(west["contact"]["website"], "https://west.example/verkiezingen", "from the draft");
    assert!(east.get("contact").is_none(), "{east}");
    assert_eq!(oudewater["published"], true);
    assert!(oudewater["published_at"].as_str().is_some_and(|at| at.starts_with("20")), "{oudewater}");
    assert_eq!(
        oudewater["accessibility"]["buddy-pair"],
        serde_json::json!({"yes": 0, "no": 0, "unknown": 3})
    );

    let unknown = app.get("/api/v1/elections/xx2030/coverage").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let documented = app.get("/api/v1/openapi.json").await.json();
    assert!(documented["paths"]["/elections/{election}/coverage"]["get"].is_object());
}

#[tokio::test]
async fn the_csv_has_a_row_per_municipality_and_guards_formulas() {
    let app = three_municipalities();
    let response = app.get("/data/gr2030/dekking.csv").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert!(response.content_type.starts_with("text/csv"), "{}", response.content_type);
    let lines: Vec<&str> = response.body.lines().collect();
    assert_eq!(lines.len(), 4, "{}", response.body);
    assert!(
        lines[0].starts_with("code,municipality,state,stations,published_at,website,contact,wheelchair_yes")
    );
    assert!(
        lines[1].starts_with("GM0001,West,not-published,0,,https://west.example/verkiezingen,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(r#""'=HYPERLINK(""x"")""#),
        "the contact cannot run as a formula: {}",
        lines[1]
    );
    assert!(lines[3].starts_with("GM0589,Oudewater,published,3,"), "{}", lines[3]);
    assert!(lines[3].ends_with(",0,0,3"), "buddy pair unknown at all three: {}", lines[3]);
    let page = app.get("/data").await;
    assert!(page.body.contains(r#"href="/data/gr2030/dekking.csv""#), "linked on /data");
}

#[tokio::test]
async fn the_page_shows_totals_map_and_table_in_either_language_and_path() {
    let app = three_municipalities();
    let dutch = app.get("/dekking").await;
    assert_eq!(dutch.status, StatusCode::OK);
    assert!(
        dutch.body.contains("1 van de 3 gemeenten hebben samen 3 stembureaus gepubliceerd."),
        "{}",
        dutch.body
    );
    assert!(dutch.body.contains("<svg") && dutch.body.contains("<path d=\"M"), "the map");
    assert!(dutch.body.contains(r#"<th scope="row">East</th>"#), "a municipality without stations");
    assert!(dutch.body.contains("<td>34 / 33 / 33</td>"), "host: yes, no, unknown");
    assert!(!dutch.body.contains("kieskaart.js"), "no JavaScript");
    let english = app.get("/coverage?taal=en").await;
    assert_eq!(english.status, StatusCode::OK);
    assert!(
        english.body.contains("1 of the 3 municipalities have published 3 polling stations"),
        "{}",
        english.body
    );
    assert!(english.body.contains("<caption"));
    let unknown = app.get("/dekking?e=xx2030").await;
    assert!(unknown.body.contains("xx2030"));
}

#[tokio::test]
async fn a_search_in_a_silent_municipality_says_so_and_shows_others_marked() {
    let app = three_municipalities();
    // In West, which has only a draft with a website.
    let page = app.get("/?e=gr2030&lat=52.25&lon=4.55").await;
    assert!(
        page.body.contains(
            "De gemeente West heeft haar stembureaus voor deze verkiezing (nog) niet gepubliceerd."
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"href="https://west.example/verkiezingen""#), "{}", page.body);
    assert!(page.body.contains("Andere gemeente (Oudewater)"), "the stations elsewhere are marked");
    // In East, with nothing: the poll card.
    let page = app.get("/?e=gr2030&lat=52.25&lon=4.65&taal=en").await;
    assert!(page.body.contains("The municipality of East has not (yet) published"), "{}", page.body);
    assert!(page.body.contains("Look at your poll card"), "{}", page.body);
    // In Oudewater, which publishes: no such notice.
    let page = app.get("/?e=gr2030&lat=52.03&lon=4.87").await;
    assert!(!page.body.contains("niet gepubliceerd"), "{}", page.body);

    let api = app.get("/api/v1/elections/gr2030/stations/nearest?lat=52.25&lon=4.55&k=2").await.json();
    assert_eq!(api["not_published"]["municipality"]["code"], "GM0001", "{api}");
    assert_eq!(api["not_published"]["contact"]["website"], "https://west.example/verkiezingen");
    assert_eq!(api["stations"][0]["outside_home_municipality"], true);
    let home = app.get("/api/v1/elections/gr2030/stations/nearest?lat=52.03&lon=4.87").await.json();
    assert!(home.get("not_published").is_none(), "{home}");
}

#[tokio::test]
async fn the_coverage_follows_a_publication() {
    let mut app = three_municipalities();
    let election = ElectionId::parse("gr2030").unwrap();
    let draft = app.store.versions(&election).unwrap().iter().find(|v| !v.published).unwrap().id;
    app.store.publish(&election, draft).unwrap();
    assert!(app.catalog.refresh(&app.store).unwrap());
    let json = app.get("/api/v1/elections/gr2030/coverage").await.json();
    assert_eq!(json["totals"]["published"], 2);
}

#[tokio::test]
async fn the_real_country_without_voerendaal() {
    let (Some(stations), Some(boundaries)) =
        (shared_file("wims-gr2026-ckan.json"), shared_file("municipalities-rd.geojson"))
    else {
        return;
    };
    let (mut store, folder) = empty_store();
    let mut file: serde_json::Value = serde_json::from_slice(&std::fs::read(stations).unwrap()).unwrap();
    let records = file["result"]["records"].as_array_mut().unwrap();
    records.retain(|r| r["CBS gemeentecode"] != "GM0986");
    let kept = records.len();
    let without = folder.path().join("without.json");
    std::fs::write(&without, file.to_string()).unwrap();
    commands::import(&mut store, &without, "gr2026", ImportOptions::default()).unwrap();
    commands::import_boundaries(&mut store, &boundaries).unwrap();
    let snapshot = Snapshot::load(&store).unwrap();
    let app = app_for(store, folder);
    let coverage = snapshot.coverage(&ElectionId::parse("gr2026").unwrap()).unwrap();
    let totals = &coverage.totals;
    assert_eq!((totals.municipalities, totals.published, totals.stations), (343, 69, kept));
    let voerendaal = coverage.municipality(&app::model::MunicipalityCode::parse("GM0986").unwrap()).unwrap();
    assert!(!voerendaal.is_published());
    for (field, tally) in totals.fields.iter() {
        assert_eq!(tally.yes + tally.no + tally.unknown, kept, "{field:?}");
    }
    // The map of 343 municipalities stays small.
    let map_bytes: usize = snapshot.map.shapes.iter().map(|(_, d)| d.len()).sum();
    eprintln!("map path data: {map_bytes} bytes for {} municipalities", snapshot.map.shapes.len());
    assert!(map_bytes < 100_000, "{map_bytes}");
    let page = app.get("/dekking").await;
    eprintln!("/dekking: {} bytes of HTML", page.body.len());
    assert!(page.body.len() < 200_000, "the page stays light: {} bytes", page.body.len());
    assert!(page.body.contains(r#"<th scope="row">Voerendaal</th>"#));
}

#[tokio::test]
async fn without_boundaries_the_country_is_what_the_store_knows_and_there_is_no_map() {
    let app = common::spawn_app();
    let json = app.get("/api/v1/elections/demo/coverage").await.json();
    let codes: Vec<_> =
        json["municipalities"].as_array().unwrap().iter().map(|m| m["code"].clone()).collect();
    assert_eq!(codes, ["GM9999"], "{json}");
    assert_eq!(json["totals"]["published"], 1);
    let page = app.get("/dekking").await;
    assert!(
        page.body.contains(r#"<th scope="row"><a href="/g/GM9999?e=demo">Demodorp (demo)</a></th>"#),
        "{}",
        page.body
    );
    assert!(!page.body.contains("coverage-map"), "no boundaries, no map");
}
