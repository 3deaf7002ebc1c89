//! The token API for vendor systems: a token reaches one municipality, a
//! file goes through the same validation as every import, and anything
//! refused changes nothing.

mod common;

use axum::body::Bytes;
use axum::http::StatusCode;
use common::{ckan_file, spawn_app, Record, TestApp};
use kieskaart::geocode::Geocoder;
use kieskaart::startup::Settings;
use kieskaart::submissions::{UploadLimits, DEFAULT_UPLOAD_LIMIT};
use kieskaart::tokens;

const UPLOAD: &str = "/api/v1/elections/demo/municipalities/GM9999/stations";

fn stations(code: &str, names: &[&str], lat: f64) -> String {
    let records: Vec<Record> = names
        .iter()
        .map(|name| Record { code, municipality: "Demodorp", name: (*name).to_owned(), lat, lon: 5.6 })
        .collect();
    ckan_file(&records)
}

fn token(app: &mut TestApp, code: &str) -> (i64, String) {
    let code = app::model::MunicipalityCode::parse(code).unwrap();
    let token = tokens::create(&mut app.store, &code, "Test vendor", "test").unwrap();
    (token.id, format!("Bearer {}", token.secret))
}

async fn published_names(app: &TestApp) -> Vec<String> {
    let answer = app.get("/api/v1/elections/demo/municipalities/GM9999/stations").await.json();
    answer["stations"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect()
}

fn version_count(app: &TestApp) -> usize {
    app.store.versions(&app::model::ElectionId::parse("demo").unwrap()).unwrap().len()
}

#[tokio::test]
async fn a_vendor_publishes_its_municipality_at_once() {
    let mut app = spawn_app();
    let (id, bearer) = token(&mut app, "GM9999");
    let body = stations("GM9999", &["Nieuw: Dorpshuis", "Nieuw: School"], 52.1);
    let response = app.put(&format!("{UPLOAD}?publish=true"), &[("authorization", &bearer)], body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let summary = response.json();
    assert_eq!(summary["published"], true);
    assert_eq!(summary["records"], 2);
    assert_eq!(published_names(&app).await, ["Nieuw: Dorpshuis", "Nieuw: School"], "voters see it at once");
    let log = app.store.audit_log(5).unwrap();
    assert_eq!(
        (log[0].entry.action.as_str(), log[0].entry.actor.clone()),
        ("published", format!("token {id}"))
    );
    let metrics = app.get("/metrics").await.body;
    assert!(metrics.contains(r#"kieskaart_uploads_total{outcome="published"} 1"#), "{metrics}");
    assert!(metrics.contains("kieskaart_catalog_reloads_total 1"), "{metrics}");
}

#[tokio::test]
async fn without_publish_the_upload_waits_as_a_draft() {
    let mut app = spawn_app();
    let (_, bearer) = token(&mut app, "GM9999");
    let before = published_names(&app).await;
    let versions = version_count(&app);
    let response =
        app.put(UPLOAD, &[("authorization", &bearer)], stations("GM9999", &["Concept"], 52.1)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.json()["published"], false);
    assert_eq!(published_names(&app).await, before, "voters still see the published version");
    assert_eq!(version_count(&app), versions + 1, "the draft is stored");
}

#[tokio::test]
async fn a_file_with_errors_is_refused_with_its_report_and_changes_nothing() {
    let mut app = spawn_app();
    let (_, bearer) = token(&mut app, "GM9999");
    let before = published_names(&app).await;
    let versions = version_count(&app);
    let response = app
        .put(
            &format!("{UPLOAD}?publish=true"),
            &[("authorization", &bearer)],
            stations("GM9999", &["Ver weg"], 95.0),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    assert_eq!(response.content_type, "application/problem+json");
    let problem = response.json();
    assert!(problem["detail"].as_str().unwrap().contains("nothing was stored"));
    let finding = &problem["report"]["findings"][0];
    assert_eq!(finding["field"], "Latitude", "{finding}");
    assert!(finding["place"].to_string().contains('1'), "the record is named: {finding}");
    assert!(!finding["fix_nl"].as_str().unwrap_or_default().is_empty(), "{finding}");

    let elsewhere = stations("GM0363", &["Amsterdam?"], 52.37);
    let response = app.put(UPLOAD, &[("authorization", &bearer)], elsewhere).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("this file is for GM9999"), "{}", response.body);

    assert_eq!(published_names(&app).await, before);
    assert_eq!(version_count(&app), versions);
}

#[tokio::test]
async fn a_token_reaches_its_own_municipality_only_and_not_after_revocation() {
    let mut app = spawn_app();
    let (id, bearer) = token(&mut app, "GM9999");
    let (_, other) = token(&mut app, "GM0363");
    let versions = version_count(&app);
    let file = || stations("GM9999", &["Gekaapt"], 52.1);

    let foreign = app.put(&format!("{UPLOAD}?publish=true"), &[("authorization", &other)], file()).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "{}", foreign.body);
    let missing = app.put(UPLOAD, &[], file()).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.headers["www-authenticate"], "Bearer");
    let wrong = app.put(UPLOAD, &[("authorization", "Bearer kk_0000")], file()).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, missing.body, "nothing tells a wrong token from a missing one");

    assert!(app.store.revoke_token(id).unwrap());
    let revoked = app.put(&format!("{UPLOAD}?publish=true"), &[("authorization", &bearer)], file()).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(version_count(&app), versions, "nothing was stored");
    assert!(!published_names(&app).await.contains(&"Gekaapt".to_owned()));
    let actions: Vec<String> = app.store.audit_log(10).unwrap().into_iter().map(|e| e.entry.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "upload-refused").count(), 2, "{actions:?}");
}

#[tokio::test]
async fn the_upload_is_documented_with_its_token_scheme() {
    let app = spawn_app();
    let document = app.get("/api/v1/openapi.json").await.json();
    let put = &document["paths"]["/elections/{election}/municipalities/{code}/stations"]["put"];
    assert_eq!(put["security"][0]["token"], serde_json::json!([]));
    assert_eq!(document["components"]["securitySchemes"]["token"]["scheme"], "bearer");
    let page = app.get("/api/v1/docs").await;
    assert!(page.body.contains("<code>PUT /elections/{election}/municipalities/{code}/stations</code>"));
}

#[tokio::test]
async fn bad_requests_name_what_to_change() {
    let mut app = spawn_app();
    let (_, bearer) = token(&mut app, "GM9999");
    let auth = [("authorization", bearer.as_str())];
    let file = || stations("GM9999", &["X"], 52.1);
    let unknown = app.put("/api/v1/elections/xx2099/municipalities/GM9999/stations", &auth, file()).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let maybe = app.put(&format!("{UPLOAD}?publish=maybe"), &auth, file()).await;
    assert_eq!(maybe.status, StatusCode::BAD_REQUEST);
    assert!(maybe.json()["detail"].as_str().unwrap().contains("publish=true"));
    let huge = app.put(UPLOAD, &auth, vec![b' '; 11 * 1024 * 1024]).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(huge.json()["detail"].as_str().unwrap().contains("10 MB"));
    let empty = app.put(UPLOAD, &auth, Vec::new()).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
}

/// A CSV file as large as the upload limit allows: `header`, then `line`
/// again and again.
fn filling_the_limit(header: &str, line: &str) -> Vec<u8> {
    let lines = (DEFAULT_UPLOAD_LIMIT - header.len() - 1) / (line.len() + 1);
    let mut file = format!("{header}\n").into_bytes();
    file.extend_from_slice(format!("{line}\n").repeat(lines).as_bytes());
    file
}

/// Lines of about 250 bytes in which nearly every field is wrong: some
/// forty thousand of them, with a dozen findings each.
fn many_findings_per_line() -> Vec<u8> {
    let header = "Nummer stembureau,Naam stembureau,CBS gemeentecode,Latitude,Longitude,Openingstijd,\
                  Sluitingstijd,Toegankelijk voor mensen met een lichamelijke beperking,Website locatie,\
                  BAG Nummeraanduiding ID,Postcode,Toilet";
    let name = "Zaal ".repeat(30);
    let line = format!("een,{name},GM9999,noord,oost,vroeg,laat,misschien,geen website,onbekend,geen,soms");
    filling_the_limit(header, &line)
}

#[tokio::test]
async fn ten_megabytes_of_bad_lines_are_refused_at_once_naming_the_limit() {
    let mut app = spawn_app();
    let (_, bearer) = token(&mut app, "GM9999");
    let versions = version_count(&app);
    // Two million lines that each lack nearly every field: this grew the
    // server by gigabytes until the kernel killed it.
    let file = filling_the_limit("Nummer stembureau", "1");
    assert!(file.len() > 10_000_000);
    let response = app.put(UPLOAD, &[("authorization", &bearer)], file).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    let problem = response.json()["report"]["problem"].as_str().unwrap_or_default().to_owned();
    assert!(problem.contains("more than 50000 records"), "{problem}");
    assert!(problem.contains("check that this is the right file"), "{problem}");
    assert_eq!(version_count(&app), versions, "nothing was stored");
}

#[tokio::test]
async fn ten_megabytes_of_findings_give_the_first_thousand_and_count_the_rest() {
    let mut app = spawn_app();
    let (_, bearer) = token(&mut app, "GM9999");
    let response = app.put(UPLOAD, &[("authorization", &bearer)], many_findings_per_line()).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    let problem = response.json();
    let report = &problem["report"];
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(1000), "the first thousand in full");
    let count = |report: &serde_json::Value| {
        report["errors"].as_u64().unwrap_or_default() + report["warnings"].as_u64().unwrap_or_default()
    };
    let more = count(&report["left_out"]);
    assert!(more > 100_000, "the rest are counted: {}", report["left_out"]);
    assert_eq!(count(report), 1000 + more, "the counts include what was left out");
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("Only the first 1000 findings are listed; there are {more} more"))
            && detail.contains("Fix these first"),
        "{detail}"
    );
    let dutch = report["left_out"]["message_nl"].as_str().unwrap_or_default();
    assert!(dutch.contains("Verbeter eerst deze"), "{dutch}");
}

#[tokio::test]
async fn uploads_beyond_the_workers_and_their_queue_are_sent_back_to_retry() {
    let limits = UploadLimits { workers: 1, waiting: 0, ..UploadLimits::default() };
    let (mut store, folder) = common::empty_store();
    kieskaart::commands::load_demo(&mut store).unwrap();
    let mut app = common::app_with(
        store,
        folder,
        Geocoder::offline(),
        Settings { uploads: limits, ..Settings::default() },
    );
    let (_, bearer) = token(&mut app, "GM9999");
    // Each takes a worker for a good while; three arrive at once.
    let file = Bytes::from(many_findings_per_line());
    let auth = [("authorization", bearer.as_str())];
    let send = || app.put(UPLOAD, &auth, file.clone());
    let (a, b, c) = tokio::join!(send(), send(), send());
    let mut statuses: Vec<u16> = [&a, &b, &c].iter().map(|response| response.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [422, 503, 503], "one is checked, the others are sent back at once");
    let busy = [a, b, c].into_iter().find(|response| response.status == StatusCode::SERVICE_UNAVAILABLE);
    let busy = busy.expect("one was sent back");
    assert!(busy.headers.contains_key("retry-after"));
    assert!(busy.json()["detail"].as_str().unwrap_or_default().contains("every upload worker is busy"));
    let again = app.put(UPLOAD, &auth, stations("GM9999", &["Later"], 52.1)).await;
    assert_eq!(again.status, StatusCode::OK, "the worker is free again: {}", again.body);
}
