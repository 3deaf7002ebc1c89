//! Test harness: each test gets its own database in a temporary folder and
//! the same router that `kieskaart serve` runs, driven in-process.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod any_text;
pub mod browser;
pub mod server;

use app::clock::Clock;
use app::components::MapTiles;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use kieskaart::catalog::Catalog;
use kieskaart::commands;
use kieskaart::geocode::Geocoder;
use kieskaart::startup;
use kieskaart::startup::Settings;
use kieskaart::store::{Location, Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tower::ServiceExt;

pub struct TestApp {
    /// Held for the app's lifetime; see [`ONE_APP_AT_A_TIME`].
    _turn: MutexGuard<'static, ()>,
    pub store: Store,
    /// The catalog the router reads, to publish into while requests run.
    pub catalog: Arc<Catalog>,
    pub client: Client,
    pub folder: tempfile::TempDir,
    /// The app's clock, for a test to move.
    pub clock: TestClock,
}

/// What every test app's clock reads until a test moves it: noon in
/// Amsterdam on 18 March 2030, two days before the demo's polling day,
/// when no demo station is open. No test reads the real clock, so each
/// gives the same answer on any day it runs, polling day included.
pub const TEST_NOW: &str = "2030-03-18T11:00:00Z";

/// A clock that stands still where a test puts it.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn at(instant: &str) -> Self {
        Self(Arc::new(Mutex::new(instant_at(instant))))
    }

    /// Moves the clock to `instant` (RFC 3339, e.g. `2030-03-20T06:30:00Z`).
    pub fn set(&self, instant: &str) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = instant_at(instant);
    }

    pub fn clock(&self) -> Clock {
        let now = self.0.clone();
        Clock::new(move || *now.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

fn instant_at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap_or_else(|e| panic!("{text} is not an RFC 3339 instant: {e}"))
}

/// Building a router walks the Leptos app to list its routes; when a test
/// on another thread renders a page at that moment, the render now and
/// then never wakes up again (one run of the page tests in seven hung). A
/// server builds its router once, before it serves, and
/// `many_pages_render_at_once` shows that concurrent renders are sound;
/// so tests take turns from building their app to dropping it.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Sends requests to the app in-process; cheap to clone into tasks.
#[derive(Clone)]
pub struct Client {
    router: Router,
    /// The connection's other end, as `serve` tells the app; `None`, as
    /// when a test calls the router directly.
    peer: Option<SocketAddr>,
}

impl std::ops::Deref for TestApp {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// Where the real data of `../shared/data` lies, if this machine has it.
pub fn shared_file(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data").join(name);
    if path.exists() {
        Some(path)
    } else {
        skip(&format!("{} is absent (real data lives in ../shared/data beside the project)", path.display()));
        None
    }
}

/// Says that a test skips part of what it checks, and why. Captured output
/// of a passing test is never shown, so the reason also goes to the file
/// `KIESKAART_SKIPPED_LOG` names: `make test` counts its lines at the end,
/// and fails on CI, where the real data and PostgreSQL are always there.
pub fn skip(reason: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    eprintln!("skipped in {test}: {reason}");
    if let Some(log) = std::env::var_os("KIESKAART_SKIPPED_LOG") {
        use std::io::Write;
        let line = format!("{} {test}: {reason}\n", env!("CARGO_CRATE_NAME"));
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut file| file.write_all(line.as_bytes()));
        written.unwrap_or_else(|e| panic!("cannot note the skip in {}: {e}", log.to_string_lossy()));
    }
}

/// One station record for [`ckan_file`]: municipality code and name,
/// station name, position.
pub struct Record<'a> {
    pub code: &'a str,
    pub municipality: &'a str,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// A CKAN datastore file of valid stations, open 07:30-21:00 on 20 March 2030.
pub fn ckan_file(records: &[Record]) -> String {
    let records: Vec<String> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            format!(
                r#"{{"CBS gemeentecode": "{}", "Gemeente": "{}", "Nummer stembureau": {}, "Naam stembureau": "{}",
                "Type stembureau": "regulier", "Latitude": {}, "Longitude": {},
                "Openingstijd": "2030-03-20T07:30:00", "Sluitingstijd": "2030-03-20T21:00:00",
                "Toegankelijk voor mensen met een lichamelijke beperking": "ja"}}"#,
                r.code,
                r.municipality,
                i + 1,
                r.name,
                r.lat,
                r.lon
            )
        })
        .collect();
    format!(r#"{{"result": {{"records": [{}]}}}}"#, records.join(","))
}

/// A CKAN file of `count` stations of the demo's municipality (GM9999),
/// named "`label` 0", "`label` 1", ...
pub fn demodorp_file(label: &str, count: usize) -> String {
    let records: Vec<Record> = (0..count)
        .map(|i| Record {
            code: "GM9999",
            municipality: "Demodorp",
            name: format!("{label} {i}"),
            lat: 52.0 + 0.001 * i as f64,
            lon: 5.6,
        })
        .collect();
    ckan_file(&records)
}

/// An app serving a national election (`tk2030`, polling day 20 March
/// 2030) with one station in Oudewater and one in Kralendijk, Bonaire
/// (`GM9001`), each open 07:30-21:00 on its own clock: five hours apart.
pub fn national_election_app() -> TestApp {
    let (mut store, folder) = empty_store();
    let file = folder.path().join("tk2030.json");
    let records = [
        Record {
            code: "GM0589",
            municipality: "Oudewater",
            name: "Muziekhuis".into(),
            lat: 52.0217,
            lon: 4.8684,
        },
        Record {
            code: "GM9001",
            municipality: "Bonaire",
            name: "Kralendijk".into(),
            lat: 12.1501,
            lon: -68.2667,
        },
    ];
    std::fs::write(&file, ckan_file(&records)).expect("a temporary file");
    let imported = commands::import(&mut store, &file, "tk2030", commands::ImportOptions::default())
        .expect("the national election imports");
    assert_eq!(imported.report.errors(), 0, "{:?}", imported.report.findings);
    app_for(store, folder)
}

/// The database of a test's store, inside its temporary folder.
pub fn database(folder: &tempfile::TempDir) -> PathBuf {
    folder.path().join("var/test.sqlite3")
}

/// A new, empty database on the PostgreSQL cluster that
/// `scripts/with-postgres.sh` (and so `make test`) runs the tests next to;
/// `None`, with a message, when there is none.
pub fn postgres_database() -> Option<Location> {
    let Ok(url) = std::env::var("KIESKAART_TEST_POSTGRES") else {
        skip(
            "against PostgreSQL: KIESKAART_TEST_POSTGRES is not set \
             (make test runs the tests under scripts/with-postgres.sh)",
        );
        return None;
    };
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let name = format!(
        "kk_{}_{}_{}",
        std::process::id(),
        stamp.subsec_nanos(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("the test cluster answers");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("a new database");
    let (server, _) = url.rsplit_once('/').expect("a URL that names a database");
    Some(Location::Postgres(format!("{server}/{name}")))
}

pub fn empty_store() -> (Store, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&database(&folder)).expect("a new store");
    (store, folder)
}

/// The stations that `election` publishes in `store`.
pub fn published_stations(store: &Store, election: &str) -> Vec<app::model::Station> {
    let all = store.published().expect("the store reads");
    all.into_iter().find(|p| p.election.id.as_str() == election).map(|p| p.stations).unwrap_or_default()
}

/// Imports `bytes` (a file in any import format, `extension` naming it) as
/// a new election and asserts that it publishes exactly the stations of
/// `original`, field for field, without an error (the original's warnings
/// come back with it).
pub fn assert_reimports_as(
    store: &mut Store,
    folder: &tempfile::TempDir,
    bytes: &[u8],
    extension: &str,
    original: &str,
) {
    let file = folder.path().join(format!("reimport.{extension}"));
    std::fs::write(&file, bytes).expect("a temporary file");
    let copy = format!("copy-{extension}");
    let imported = commands::import(store, &file, &copy, commands::ImportOptions::default())
        .unwrap_or_else(|e| panic!("{extension} does not import again: {e}"));
    assert_eq!(imported.report.errors(), 0, "{extension}: {:?}", imported.report.findings);
    assert_eq!(
        published_stations(store, &copy),
        published_stations(store, original),
        "{extension} round trip"
    );
}

/// An app serving the demo dataset.
pub fn spawn_app() -> TestApp {
    spawn_app_with(Settings::default())
}

/// An app serving the demo dataset, with the operator's `settings`.
pub fn spawn_app_with(settings: Settings) -> TestApp {
    let (mut store, folder) = empty_store();
    commands::load_demo(&mut store).expect("the demo data imports");
    app_with(store, folder, Geocoder::offline(), settings)
}

pub fn app_for(store: Store, folder: tempfile::TempDir) -> TestApp {
    app_with_geocoder(store, folder, Geocoder::offline())
}

pub fn app_with_geocoder(store: Store, folder: tempfile::TempDir, geocoder: Geocoder) -> TestApp {
    app_with(store, folder, geocoder, Settings::default())
}

/// An app with the operator's `settings` (its map tiles and its clock, at
/// [`TEST_NOW`], are the harness's).
pub fn app_with(store: Store, folder: tempfile::TempDir, geocoder: Geocoder, settings: Settings) -> TestApp {
    let turn = ONE_APP_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let catalog = Arc::new(Catalog::load(&store, geocoder).expect("the store loads"));
    let options = startup::leptos_options("target/site", "127.0.0.1:0".parse().unwrap());
    let clock = TestClock::at(TEST_NOW);
    let tiles =
        MapTiles { url: "http://127.0.0.1:9/{z}/{x}/{y}.png".into(), attribution: "Test tiles".into() };
    let router = startup::router(
        catalog.clone(),
        &Location::Sqlite(database(&folder)),
        options,
        Settings { tiles: Some(tiles), clock: clock.clock(), ..settings },
    )
    .expect("the store opens");
    TestApp { _turn: turn, store, catalog, client: Client { router, peer: None }, folder, clock }
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub content_type: String,
    pub body: String,
    /// The body as sent, for bodies that are not text.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Client {
    /// This client over a connection from `peer` (`address:port`), as a
    /// proxy in front connects.
    pub fn from(&self, peer: &str) -> Client {
        Client { router: self.router.clone(), peer: Some(peer.parse().expect("an address with a port")) }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.get_with(uri, &[]).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).expect("a valid request")).await
    }

    /// Posts a URL-encoded form, as the browser calls server functions.
    pub async fn post_form(&self, uri: &str, form: &str) -> TestResponse {
        let request = Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .expect("a valid request");
        self.send(request).await
    }

    /// A PUT with a body and headers, as a vendor system uploads a file.
    pub async fn put(&self, uri: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> TestResponse {
        self.request(Method::PUT, uri, headers, body).await
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(body.into()).expect("a valid request")).await
    }

    async fn send(&self, mut request: Request<Body>) -> TestResponse {
        if let Some(peer) = self.peer {
            request.extensions_mut().insert(ConnectInfo(peer));
        }
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let content_type =
            headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        TestResponse { status, headers, content_type, body, bytes: bytes.to_vec() }
    }
}
