//! The change feed for re-users: one entry per publication as Atom and
//! JSON Feed, unchanged by later publications and cheap to poll; and
//! webhooks that receive each entry signed, retried until the receiver
//! takes it, without holding up the publication.

mod common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use common::{ckan_file, database, spawn_app, Record, TestApp};
use kieskaart::changes::webhooks::{self, Backoff, Settings};
use kieskaart::commands;
use kieskaart::store::{DeliveryState, Publisher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

const UPLOAD: &str = "/api/v1/elections/demo/municipalities/GM9999/stations?publish=true";

fn stations(municipality: &str, names: &[&str]) -> String {
    let records: Vec<Record> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Record {
            code: "GM9999",
            municipality,
            name: (*name).to_owned(),
            lat: 52.0 + 0.001 * i as f64,
            lon: 5.6,
        })
        .collect();
    ckan_file(&records)
}

/// Publishes `file` as the operator would, with `kieskaart import`.
fn publish(app: &mut TestApp, file: &str) {
    let source = commands::Source::Bytes { name: "test.json", bytes: file.as_bytes() };
    commands::import(&mut app.store, source, "demo", Default::default()).expect("the file imports");
}

fn vendor_token(app: &mut TestApp) -> String {
    let code = app::model::MunicipalityCode::parse("GM9999").unwrap();
    let token = kieskaart::tokens::create(&mut app.store, &code, "Test vendor", "test").unwrap();
    format!("Bearer {}", token.secret)
}

/// Every element's name in `xml`, in order; fails on XML that is not
/// well-formed.
fn elements(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(tag) | quick_xml::events::Event::Empty(tag)) => {
                names.push(tag.name().as_ref().to_owned())
            }
            Ok(quick_xml::events::Event::Eof) => return names,
            Ok(_) => {}
            Err(error) => panic!("not well-formed at {}: {error}\n{xml}", reader.buffer_position()),
        }
    }
}

#[tokio::test]
async fn each_publication_is_an_entry_in_both_formats_with_its_diff_and_downloads() {
    let mut app = spawn_app();
    publish(&mut app, &stations("Demodorp", &["Stadhuis", "School"]));

    let response = app.get("/data/demo/changes.json").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.content_type, "application/feed+json");
    let feed = response.json();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "http://127.0.0.1:0/data/demo/changes.json");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "the demo, loaded at the start, and this import: {feed:#}");
    let newest = &items[0];
    let entry = &newest["_kieskaart"];
    assert_eq!(entry["municipality"], serde_json::json!({"code": "GM9999", "name": "Demodorp"}));
    assert_eq!(entry["published_by"], "operator");
    assert_eq!(entry["previous_version"], items[1]["_kieskaart"]["version"]);
    let version = entry["version"].as_i64().unwrap();
    assert_eq!(
        entry["downloads"]["csv"],
        format!("http://127.0.0.1:0/data/demo/versions/{version}/GM9999.csv")
    );
    assert!(entry["added"].as_array().is_some() && entry["changed"].as_array().is_some(), "{entry:#}");
    assert!(newest["date_published"].as_str().unwrap().ends_with('Z'));
    assert!(newest["summary"].as_str().unwrap().contains("changed"), "{newest:#}");
    let csv = newest["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["mime_type"] == "text/csv; charset=utf-8");
    assert!(csv.is_some(), "{newest:#}");

    let atom = app.get("/data/demo/changes.atom").await;
    assert_eq!(atom.status, StatusCode::OK);
    assert_eq!(atom.content_type, "application/atom+xml");
    let names = elements(&atom.body);
    assert_eq!(names[0], "feed");
    assert_eq!(names.iter().filter(|name| *name == "entry").count(), 2);
    for required in ["id", "title", "updated", "author", "summary", "content"] {
        assert!(names.contains(&required.to_owned()), "{required} in {}", atom.body);
    }
    assert!(atom.body.contains("rel=\"enclosure\" type=\"text/csv; charset=utf-8\""), "{}", atom.body);

    let by_accept = app.get_with("/data/demo/changes", &[("accept", "application/feed+json")]).await;
    assert_eq!(by_accept.content_type, "application/feed+json");
    assert_eq!(by_accept.headers["vary"], "accept");
    let by_default = app.get("/data/demo/changes").await;
    assert_eq!(by_default.content_type, "application/atom+xml");
}

#[tokio::test]
async fn entries_stay_as_they_were_and_an_unchanged_feed_is_not_sent_again() {
    let mut app = spawn_app();
    let first = app.get("/data/demo/changes.json").await;
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"'), "a strong tag: {etag}");
    let again = app.get_with("/data/demo/changes.json", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let atom = app.get("/data/demo/changes.atom").await;
    let atom_tag = atom.headers["etag"].to_str().unwrap().to_owned();
    assert_ne!(atom_tag, etag, "each format has its own");
    let atom_again = app.get_with("/data/demo/changes.atom", &[("if-none-match", &atom_tag)]).await;
    assert_eq!(atom_again.status, StatusCode::NOT_MODIFIED);

    publish(&mut app, &stations("Demodorp", &["Stadhuis"]));
    let later = app.get_with("/data/demo/changes.json", &[("if-none-match", &etag)]).await;
    assert_eq!(later.status, StatusCode::OK, "a new entry, a new tag");
    let (before, after) = (first.json(), later.json());
    assert_eq!(after["items"].as_array().unwrap().len(), 2);
    assert_eq!(after["items"][1], before["items"][0], "the earlier entry is as it was");
}

#[tokio::test]
async fn names_with_markup_are_text_in_both_formats() {
    let mut app = spawn_app();
    let name = "<b>Zaal</b> & 'Kerk' ]]>";
    publish(&mut app, &stations("Demo<dorp>", &[name]));
    let atom = app.get("/data/demo/changes.atom").await;
    elements(&atom.body);
    assert!(!atom.body.contains("<b>"), "{}", atom.body);
    assert!(atom.body.contains("&lt;b&gt;Zaal&lt;/b&gt; &amp;"), "{}", atom.body);
    let feed = app.get("/data/demo/changes.json").await.json();
    let entry = &feed["items"][0]["_kieskaart"];
    assert_eq!(entry["changed"][0]["station"], name, "{entry:#}");
    assert_eq!(entry["municipality"]["name"], "Demo<dorp>");
    assert!(atom.body.contains("Demo&lt;dorp&gt; (GM9999)"), "{}", atom.body);
}

#[tokio::test]
async fn a_long_feed_is_paged_with_links_to_older_entries() {
    let mut app = spawn_app();
    for i in 0..kieskaart::changes::feed::PAGE {
        publish(&mut app, &stations("Demodorp", &[&format!("Station {i}")]));
    }
    let first = app.get("/data/demo/changes.json").await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), kieskaart::changes::feed::PAGE);
    let next = first["next_url"].as_str().expect("a next page").to_owned();
    let path = next.strip_prefix("http://127.0.0.1:0").unwrap();
    let older = app.get(path).await.json();
    let items = older["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "the demo's entry, the oldest");
    assert_eq!(items[0]["_kieskaart"]["previous_version"], serde_json::Value::Null);
    assert!(older.get("next_url").is_none());
    let atom = app.get("/data/demo/changes.atom").await.body;
    assert!(atom.contains("rel=\"next\""), "{atom}");

    let wrong = app.get("/data/demo/changes.json?before=latest").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("before=latest"), "{}", wrong.body);
    let unknown = app.get("/data/xx2099/changes.atom").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// A receiver on a loopback port: it holds its first request until told,
/// answers 500 to the first two and 200 after.
#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    release: Arc<Notify>,
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let count = {
        let mut received = receiver.received.lock().unwrap();
        received.push((headers, body));
        received.len()
    };
    if count == 1 {
        receiver.release.notified().await;
    }
    if count <= 2 {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

async fn listen(receiver: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/hook")
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(10), "waited too long for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_get_each_publication_signed_retried_and_never_hold_it_up() {
    let mut app = spawn_app();
    let receiver = Receiver::default();
    let url = listen(receiver.clone()).await;
    let hook = commands::add_webhook(&mut app.store, &url, "demo").unwrap();
    // Nothing listens on port 9 (discard): every attempt fails.
    let dead = commands::add_webhook(&mut app.store, "http://127.0.0.1:9/hook", "demo").unwrap();
    let settings = Settings {
        backoff: Backoff { first: Duration::from_millis(20), attempts: 3 },
        in_flight: 2,
        timeout: Duration::from_secs(5),
        poll: Duration::from_millis(10),
    };
    let store = kieskaart::store::Store::open(&database(&app.folder)).unwrap();
    let site = app::directory::PublicUrl::local("127.0.0.1:0".parse().unwrap());
    webhooks::spawn(store, site, settings, app.catalog.deliveries.clone()).unwrap();
    let bearer = vendor_token(&mut app);
    let auth = [("authorization", bearer.as_str())];

    let published = app.put(UPLOAD, &auth, stations("Demodorp", &["Eerste"])).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    until("the first attempt", || !receiver.received.lock().unwrap().is_empty()).await;
    // The receiver holds the first attempt: a publication goes on anyway.
    let started = Instant::now();
    let second = app.put(UPLOAD, &auth, stations("Demodorp", &["Tweede"])).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert!(started.elapsed() < Duration::from_secs(2), "published in {:?}", started.elapsed());
    assert_eq!(
        app.get("/api/v1/elections/demo/municipalities/GM9999/stations").await.json()["stations"][0]["name"],
        "Tweede"
    );
    receiver.release.notify_one();

    let delivered = |app: &TestApp, state: DeliveryState| {
        app.store.deliveries(10).unwrap().into_iter().filter(|d| d.state == state).count()
    };
    until("both delivered and the dead hook given up", || {
        delivered(&app, DeliveryState::Delivered) == 2 && delivered(&app, DeliveryState::Failed) == 2
    })
    .await;
    let deliveries = app.store.deliveries(10).unwrap();
    for delivery in &deliveries {
        match delivery.hook {
            id if id == hook.id => assert_eq!(delivery.attempts, 2, "failed once, then taken: {delivery:?}"),
            id if id == dead.id => {
                assert_eq!(delivery.attempts, 3, "every attempt: {delivery:?}");
                assert!(delivery.last_error.as_deref().is_some_and(|e| !e.is_empty()), "{delivery:?}");
            }
            other => panic!("no hook {other}"),
        }
    }

    let received = receiver.received.lock().unwrap().clone();
    assert_eq!(received.len(), 4, "two deliveries, each failed once");
    let feed = app.get("/data/demo/changes.json").await.json();
    let items = &feed["items"].as_array().unwrap()[..2];
    for (headers, body) in &received {
        let signature = headers["x-kieskaart-signature"].to_str().unwrap();
        assert_eq!(signature, webhooks::sign(&hook.secret, body), "signed with the hook's secret");
        assert_ne!(signature, webhooks::sign(&dead.secret, body));
        assert!(
            headers.contains_key("x-kieskaart-delivery") && headers.contains_key("x-kieskaart-timestamp")
        );
        assert_eq!(headers["content-type"], "application/json");
        let item: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert!(items.contains(&item), "the feed's entry: {item:#}");
        assert_eq!(item["_kieskaart"]["published_by"], Publisher::VendorSystem.slug());
    }

    let metrics = app.get("/metrics").await.body;
    for line in [
        "kieskaart_webhook_deliveries_total{outcome=\"delivered\"} 2",
        "kieskaart_webhook_deliveries_total{outcome=\"retried\"} 6",
        "kieskaart_webhook_deliveries_total{outcome=\"failed\"} 2",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    assert!(metrics.contains("kieskaart_webhook_deliveries_pending "), "{metrics}");
}

#[test]
fn a_webhook_url_must_be_http_or_https_and_the_election_known() {
    let mut app = spawn_app();
    let error = commands::add_webhook(&mut app.store, "ftp://example.org/", "demo").unwrap_err().to_string();
    assert!(error.contains("use http:// or https://"), "{error}");
    let error =
        commands::add_webhook(&mut app.store, "https://example.org/", "xx2099").unwrap_err().to_string();
    assert!(error.contains("no election xx2099"), "{error}");
    let hook = commands::add_webhook(&mut app.store, "https://example.org/hook", "demo").unwrap();
    assert_eq!(hook.secret.len(), 64);
    assert!(commands::list_webhooks(&app.store).unwrap().contains("https://example.org/hook"));
    assert!(!commands::list_webhooks(&app.store).unwrap().contains(&hook.secret), "secrets are not listed");
    commands::remove_webhook(&mut app.store, hook.id).unwrap();
    assert!(!commands::list_webhooks(&app.store).unwrap().contains("example.org"));
    let error = commands::remove_webhook(&mut app.store, hook.id).unwrap_err().to_string();
    assert!(error.contains("no webhook"), "{error}");
}

#[tokio::test]
async fn the_data_page_links_each_elections_feeds_for_people_and_feed_readers() {
    let app = spawn_app();
    let page = app.get("/data").await.body;
    let head = page.split("</head>").next().unwrap();
    for (media_type, path) in [
        ("application/atom+xml", "/data/demo/changes.atom"),
        ("application/feed+json", "/data/demo/changes.json"),
    ] {
        let link =
            head.split("<link ").find(|tag| tag.contains(&format!("href=\"{path}\""))).expect("in the head");
        assert!(
            link.contains("rel=\"alternate\"") && link.contains(&format!("type=\"{media_type}\"")),
            "{link}"
        );
        assert!(page.contains(&format!("<a href=\"{path}\" type=\"{media_type}\"")), "{page}");
    }
    assert!(page.contains("Atom-feed van de wijzigingen in"), "{page}");
    let english = app.get("/data?taal=en").await.body;
    assert!(english.contains("Changes, one entry per publication"), "{english}");
    assert!(english.contains("JSON feed of the changes to"), "{english}");
}

#[tokio::test]
async fn an_entry_links_files_of_its_own_version_that_never_change_and_drafts_stay_private() {
    let mut app = spawn_app();
    publish(&mut app, &stations("Demodorp", &["Eerste"]));
    let feed = app.get("/data/demo/changes.json").await.json();
    let link = feed["items"][0]["_kieskaart"]["downloads"]["csv"].as_str().unwrap().to_owned();
    let path = link.strip_prefix("http://127.0.0.1:0").unwrap().to_owned();
    publish(&mut app, &stations("Demodorp", &["Later"]));

    let file = app.get(&path).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type, "text/csv; charset=utf-8");
    assert!(file.body.contains("Eerste") && !file.body.contains("Later"), "{}", file.body);
    assert!(file.headers["cache-control"].to_str().unwrap().contains("immutable"));
    let etag = file.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(app.get_with(&path, &[("if-none-match", &etag)]).await.status, StatusCode::NOT_MODIFIED);
    let geojson = app.get(&path.replace(".csv", ".geojson")).await;
    assert_eq!(geojson.content_type, "application/geo+json");

    let file = stations("Demodorp", &["Concept"]);
    let source = commands::Source::Bytes { name: "draft.json", bytes: file.as_bytes() };
    let options = commands::ImportOptions { publish: kieskaart::store::Publish::Later, ..Default::default() };
    let draft = commands::import(&mut app.store, source, "demo", options).unwrap().summary.versions[0];
    for hidden in [
        format!("/data/demo/versions/{draft}/GM9999.csv"),
        path.replace("GM9999", "GM0363"),
        path.replace(".csv", ".xlsx"),
        path.replace("/demo/", "/gr2026/"),
    ] {
        let answer = app.get(&hidden).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{hidden}: {}", answer.body);
        assert!(answer.body.contains("changes.json"), "{}", answer.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_pending_while_no_server_ran_are_sent_when_one_starts() {
    let mut app = spawn_app();
    let receiver = Receiver::default();
    receiver.release.notify_one();
    let url = listen(receiver.clone()).await;
    let hook = commands::add_webhook(&mut app.store, &url, "demo").unwrap();
    publish(&mut app, &stations("Demodorp", &["Terwijl niemand draaide"]));
    assert_eq!(app.store.pending_deliveries().unwrap(), 1);

    let settings = Settings {
        poll: Duration::from_millis(10),
        backoff: Backoff { first: Duration::from_millis(10), attempts: 5 },
        ..Settings::default()
    };
    let store = kieskaart::store::Store::open(&database(&app.folder)).unwrap();
    let site = app::directory::PublicUrl::local("127.0.0.1:0".parse().unwrap());
    webhooks::spawn(store, site, settings, app.catalog.deliveries.clone()).unwrap();
    until("the delivery", || app.store.pending_deliveries().unwrap() == 0).await;
    let delivery = app.store.deliveries(1).unwrap().remove(0);
    assert_eq!((delivery.hook, delivery.state, delivery.attempts), (hook.id, DeliveryState::Delivered, 3));
}
