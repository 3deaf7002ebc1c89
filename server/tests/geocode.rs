//! Geocoding: the offline gazetteer answers what it knows exactly; the
//! online provider (here a loopback stand-in that speaks the PDOK
//! Locatieserver format) is asked for the rest, once per text, never by
//! more than a few calls at once, and not at all for a while after it
//! failed repeatedly; when it is slow, busy or down the gazetteer answers
//! alone, and a text longer than an address is refused before either.

mod common;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use common::{app_with_geocoder, empty_store, TestApp};
use kieskaart::commands;
use kieskaart::geocode::{Clock, Geocoder, Limits, Pdok};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the stand-in saw, and whether it fails.
#[derive(Default)]
struct Counts {
    calls: AtomicUsize,
    at_once: AtomicUsize,
    most_at_once: AtomicUsize,
    failing: AtomicBool,
}

/// Counts a call as in flight until dropped, even when the caller gives
/// up on it halfway.
struct InFlight(Arc<Counts>);

impl InFlight {
    fn start(counts: Arc<Counts>) -> Self {
        counts.calls.fetch_add(1, Ordering::SeqCst);
        let now = counts.at_once.fetch_add(1, Ordering::SeqCst) + 1;
        counts.most_at_once.fetch_max(now, Ordering::SeqCst);
        Self(counts)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.at_once.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A stand-in for the Locatieserver on loopback that answers after
/// `delay`, with 503 while told to fail.
struct StandIn {
    url: String,
    counts: Arc<Counts>,
}

impl StandIn {
    async fn start(delay: Duration) -> Self {
        let counts = Arc::new(Counts::default());
        let seen = counts.clone();
        let router = Router::new().route(
            "/search/v3_1/free",
            get(move |Query(params): Query<HashMap<String, String>>| {
                let call = InFlight::start(seen.clone());
                async move {
                    tokio::time::sleep(delay).await;
                    if call.0.failing.load(Ordering::SeqCst) {
                        return StatusCode::SERVICE_UNAVAILABLE.into_response();
                    }
                    assert!(params["fq"].contains("adres"), "asks for addresses");
                    Json(serde_json::json!({"response": {"numFound": 1, "start": 0, "docs": [{
                        "type": "adres",
                        "weergavenaam": format!("{} (stand-in)", params["q"]),
                        "centroide_ll": "POINT(5.64 52.1)",
                        "centroide_rd": "POINT(175000 455000)"
                    }]}}))
                    .into_response()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url: format!("http://{addr}/search/v3_1"), counts }
    }

    fn calls(&self) -> usize {
        self.counts.calls.load(Ordering::SeqCst)
    }

    fn most_at_once(&self) -> usize {
        self.counts.most_at_once.load(Ordering::SeqCst)
    }

    fn fail(&self, failing: bool) {
        self.counts.failing.store(failing, Ordering::SeqCst);
    }
}

fn demo_app(provider_url: &str, timeout: Duration) -> TestApp {
    demo_app_with(provider_url, timeout, Limits::default(), Arc::new(Instant::now))
}

fn demo_app_with(provider_url: &str, timeout: Duration, limits: Limits, clock: Clock) -> TestApp {
    let (mut store, folder) = empty_store();
    commands::load_demo(&mut store).unwrap();
    let pdok = Pdok::new(provider_url, timeout).unwrap();
    app_with_geocoder(store, folder, Geocoder::with_limits(Some(pdok), limits, clock))
}

fn places(json: &serde_json::Value) -> Vec<(String, String)> {
    json["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["label"].as_str().unwrap().to_owned(), p["source"].as_str().unwrap().to_owned()))
        .collect()
}

/// Sends every request at once and waits for all the answers.
async fn burst(app: &TestApp, uris: impl IntoIterator<Item = String>) -> Vec<common::TestResponse> {
    let mut requests = tokio::task::JoinSet::new();
    for uri in uris {
        let client = app.client.clone();
        requests.spawn(async move { client.get(&uri).await });
    }
    requests.join_all().await
}

/// One line of the `/metrics` exposition, e.g. `kieskaart_geocoder_breaker_open`.
async fn metric(app: &TestApp, series: &str) -> String {
    let body = app.get("/metrics").await.body;
    body.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ').map(str::to_owned))
        .unwrap_or_else(|| panic!("no {series} in {body}"))
}

#[tokio::test]
async fn addresses_go_to_the_provider_once_and_known_places_not_at_all() {
    let provider = StandIn::start(Duration::ZERO).await;
    let app = demo_app(&provider.url, Duration::from_secs(5));

    let json = app.get("/api/v1/geocode?q=Lindelaan%209%20Demodorp").await.json();
    let found = places(&json);
    assert_eq!(found[0], ("Lindelaan 9 Demodorp (stand-in)".into(), "pdok".into()));
    assert_eq!(json["places"][0]["lat"], 52.1);
    // The gazetteer's own candidate for the street follows.
    assert_eq!(found[1], ("Lindelaan, Demodorp".into(), "street".into()));
    assert_eq!(provider.calls(), 1);

    app.get("/api/v1/geocode?q=lindelaan%209%20%20demodorp").await;
    assert_eq!(provider.calls(), 1, "the second ask is answered from the cache");

    let json = app.get("/api/v1/geocode?q=9999AA").await.json();
    assert_eq!(places(&json), [("9999 AA".into(), "postcode".into())]);
    let json = app.get("/api/v1/geocode?q=demodorp").await.json();
    assert_eq!(places(&json)[0], ("Demodorp".into(), "place".into()));
    assert_eq!(provider.calls(), 1, "exact gazetteer hits need no provider");
}

#[tokio::test]
async fn a_slow_or_absent_provider_leaves_the_gazetteer_to_answer() {
    let slow = StandIn::start(Duration::from_secs(10)).await;
    // A port nothing listens on: bind one, then let it go.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/search/v3_1", listener.local_addr().unwrap())
    };
    for url in [slow.url.clone(), closed] {
        let app = demo_app(&url, Duration::from_millis(300));
        let started = std::time::Instant::now();
        let json = app.get("/api/v1/geocode?q=Demodrop").await.json();
        assert_eq!(places(&json), [("Demodorp".into(), "place".into())], "{url}: a typo, forgiven offline");
        assert!(started.elapsed() < Duration::from_secs(5), "{url}: the timeout cut the wait");
    }
    assert_eq!(slow.calls(), 1, "the slow provider was asked");
}

#[tokio::test]
async fn the_search_page_finds_an_address_through_the_provider() {
    let provider = StandIn::start(Duration::ZERO).await;
    let app = demo_app(&provider.url, Duration::from_secs(5));
    let page = app.get("/?q=Lindelaan+9+Demodorp").await;
    assert!(page.body.contains("Demo: Dorpshuis De Linde"), "{}", page.body);
}

#[tokio::test]
async fn geocode_refuses_empty_and_absurd_input() {
    let provider = StandIn::start(Duration::ZERO).await;
    let app = demo_app(&provider.url, Duration::from_secs(5));
    let response = app.get("/api/v1/geocode?q=%20").await;
    assert_eq!(response.status, 400);
    assert!(response.json()["detail"].as_str().unwrap().contains("`q` is missing"));
    let response = app.get(&format!("/api/v1/geocode?q={}", "a".repeat(500))).await;
    assert_eq!(response.status, 422);
    let json = app.get("/api/v1/geocode?q=52.1,5.64").await.json();
    assert_eq!(json["places"][0]["lat"], 52.1);
    assert_eq!(provider.calls(), 0);
}

#[tokio::test]
async fn a_search_longer_than_the_cap_asks_no_one_and_says_why() {
    let provider = StandIn::start(Duration::ZERO).await;
    let app = demo_app(&provider.url, Duration::from_secs(5));
    // 201 characters of two bytes each: the cap counts characters.
    let too_long = "%C3%A9".repeat(201);
    let response = app.get(&format!("/api/v1/geocode?q={too_long}")).await;
    assert_eq!(response.status, 422);
    let detail = response.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("`q`") && detail.contains("longer than 200 characters"), "{detail}");
    for (uri, message) in [
        (format!("/?q={too_long}"), "langer dan 200 tekens"),
        (format!("/?taal=en&q={too_long}"), "longer than 200 characters"),
        (format!("/embed?lang=en&q={too_long}"), "longer than 200 characters"),
        (format!("/embed/g/GM9999?q={too_long}"), "langer dan 200 tekens"),
    ] {
        let page = app.get(&uri).await;
        assert_eq!(page.status, 200, "{uri}");
        assert!(page.body.contains(message), "{uri}: {}", page.body);
    }
    assert_eq!(provider.calls(), 0, "nothing that long reaches the provider");

    let longest = "%C3%A9".repeat(200);
    assert_eq!(app.get(&format!("/api/v1/geocode?q={longest}")).await.status, 200);
    assert_eq!(provider.calls(), 1, "200 characters (400 bytes) are still a search");
}

#[tokio::test]
async fn the_same_search_by_many_at_once_is_one_call() {
    let provider = StandIn::start(Duration::from_millis(500)).await;
    let app = demo_app(&provider.url, Duration::from_secs(5));
    let spellings = ["Lindelaan%209%20Demodorp", "lindelaan%20%209%20DEMODORP%20"];
    let answers = burst(&app, (0..20).map(|i| format!("/api/v1/geocode?q={}", spellings[i % 2]))).await;
    for answer in &answers {
        let (label, source) = places(&answer.json())[0].clone();
        assert!(label.to_lowercase().starts_with("lindelaan 9 demodorp") && source == "pdok", "{label}");
    }
    assert_eq!(provider.calls(), 1, "twenty voters, one call");
    assert_eq!(
        metric(&app, "kieskaart_geocoder_searches_without_call_total{outcome=\"merged\"}").await,
        "19"
    );
    app.get("/api/v1/geocode?q=Lindelaan%209%20Demodorp").await;
    assert_eq!(provider.calls(), 1, "and the cache answers afterwards");
}

#[tokio::test]
async fn different_searches_at_once_never_have_more_calls_in_flight_than_the_bound() {
    let provider = StandIn::start(Duration::from_millis(400)).await;
    let limits = Limits { concurrent: 3, place_wait: Duration::from_millis(50), ..Limits::default() };
    let app = demo_app_with(&provider.url, Duration::from_secs(5), limits, Arc::new(Instant::now));
    let started = Instant::now();
    let answers =
        burst(&app, (0..24).map(|i| format!("/api/v1/geocode?q=Kerkstraat%20{i}%20Demodrop"))).await;
    assert!(answers.iter().all(|answer| answer.status == 200));
    assert!(provider.most_at_once() <= 3, "{} calls at once", provider.most_at_once());
    assert!(provider.most_at_once() >= 2, "the calls overlapped, so the bound was tested");
    assert!(provider.calls() < 24, "the searches that found no place were answered offline");
    let offline =
        answers.iter().filter(|answer| places(&answer.json()).iter().all(|(_, source)| source != "pdok"));
    assert_eq!(offline.count(), 24 - provider.calls());
    assert!(started.elapsed() < Duration::from_secs(5), "nobody queued behind the calls");
}

/// A typo the gazetteer forgives, so an answer comes without the provider.
async fn search(app: &TestApp) -> Vec<(String, String)> {
    places(&app.get("/api/v1/geocode?q=Demodrop").await.json())
}

#[tokio::test]
async fn repeated_failures_keep_calls_away_until_a_trial_after_the_pause_succeeds() {
    let provider = StandIn::start(Duration::ZERO).await;
    provider.fail(true);
    // A clock the test moves on, so the pause takes no time.
    let (start, offset) = (Instant::now(), Arc::new(Mutex::new(Duration::ZERO)));
    let clock: Clock = {
        let offset = offset.clone();
        Arc::new(move || start + *offset.lock().unwrap())
    };
    let pause = Limits::default().pause;
    let app = demo_app_with(&provider.url, Duration::from_secs(5), Limits::default(), clock);
    let offline = vec![("Demodorp".to_owned(), "place".to_owned())];

    for _ in 0..5 {
        assert_eq!(search(&app).await, offline);
    }
    assert_eq!(provider.calls(), 5);
    for _ in 0..5 {
        assert_eq!(search(&app).await, offline, "the gazetteer answers meanwhile");
    }
    assert_eq!(provider.calls(), 5, "the open breaker kept the calls away");
    assert_eq!(metric(&app, "kieskaart_geocoder_breaker_open").await, "1");
    assert_eq!(metric(&app, "kieskaart_geocoder_calls_total{outcome=\"failed\"}").await, "5");
    assert_eq!(
        metric(&app, "kieskaart_geocoder_searches_without_call_total{outcome=\"breaker_open\"}").await,
        "5"
    );

    *offset.lock().unwrap() += pause;
    assert_eq!(search(&app).await, offline);
    assert_eq!(search(&app).await, offline);
    assert_eq!(provider.calls(), 6, "one trial after the pause; it failed, so a new pause");

    provider.fail(false);
    *offset.lock().unwrap() += pause;
    let json = app.get("/api/v1/geocode?q=Lindelaan%209%20Demodorp").await.json();
    assert_eq!(places(&json)[0], ("Lindelaan 9 Demodorp (stand-in)".into(), "pdok".into()));
    assert_eq!(search(&app).await[0].1, "pdok", "closed again: every search may call");
    assert_eq!(provider.calls(), 8);
    assert_eq!(metric(&app, "kieskaart_geocoder_breaker_open").await, "0");
}
