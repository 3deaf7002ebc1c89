//! Geocoding: the offline gazetteer answers what it knows exactly; the
//! online provider (here a loopback stand-in that speaks the PDOK
//! Locatieserver format) is asked for the rest, once per text, and when
//! it is slow or down the gazetteer answers alone.

mod common;

use axum::extract::Query;
use axum::routing::get;
use axum::{Json, Router};
use common::{app_with_geocoder, empty_store, TestApp};
use kieskaart::commands;
use kieskaart::geocode::{Geocoder, Pdok};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A stand-in for the Locatieserver that counts its requests and, when
/// `delay` is set, answers too late.
async fn stand_in(delay: Duration) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let router = Router::new().route(
        "/search/v3_1/free",
        get(move |Query(params): Query<HashMap<String, String>>| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                assert!(params["fq"].contains("adres"), "asks for addresses");
                Json(serde_json::json!({"response": {"numFound": 1, "start": 0, "docs": [{
                    "type": "adres",
                    "weergavenaam": format!("{} (stand-in)", params["q"]),
                    "centroide_ll": "POINT(5.64 52.1)",
                    "centroide_rd": "POINT(175000 455000)"
                }]}}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{addr}/search/v3_1"), hits)
}

fn demo_app(provider_url: &str, timeout: Duration) -> TestApp {
    let (mut store, folder) = empty_store();
    commands::load_demo(&mut store).unwrap();
    let pdok = Pdok::new(provider_url, timeout).unwrap();
    app_with_geocoder(store, folder, Geocoder::new(Some(pdok)))
}

fn places(json: &serde_json::Value) -> Vec<(String, String)> {
    json["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["label"].as_str().unwrap().to_owned(), p["source"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn addresses_go_to_the_provider_once_and_known_places_not_at_all() {
    let (url, hits) = stand_in(Duration::ZERO).await;
    let app = demo_app(&url, Duration::from_secs(5));

    let json = app.get("/api/v1/geocode?q=Lindelaan%209%20Demodorp").await.json();
    let found = places(&json);
    assert_eq!(found[0], ("Lindelaan 9 Demodorp (stand-in)".into(), "pdok".into()));
    assert_eq!(json["places"][0]["lat"], 52.1);
    // The gazetteer's own candidate for the street follows.
    assert_eq!(found[1], ("Lindelaan, Demodorp".into(), "street".into()));
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    app.get("/api/v1/geocode?q=lindelaan%209%20demodorp").await;
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the second ask is answered from the cache");

    let json = app.get("/api/v1/geocode?q=9999AA").await.json();
    assert_eq!(places(&json), [("9999 AA".into(), "postcode".into())]);
    let json = app.get("/api/v1/geocode?q=demodorp").await.json();
    assert_eq!(places(&json)[0], ("Demodorp".into(), "place".into()));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "exact gazetteer hits need no provider");
}

#[tokio::test]
async fn a_slow_or_absent_provider_leaves_the_gazetteer_to_answer() {
    let (slow, hits) = stand_in(Duration::from_secs(10)).await;
    // A port nothing listens on: bind one, then let it go.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/search/v3_1", listener.local_addr().unwrap())
    };
    for url in [slow, closed] {
        let app = demo_app(&url, Duration::from_millis(300));
        let started = std::time::Instant::now();
        let json = app.get("/api/v1/geocode?q=Demodrop").await.json();
        assert_eq!(places(&json), [("Demodorp".into(), "place".into())], "{url}: a typo, forgiven offline");
        assert!(started.elapsed() < Duration::from_secs(5), "{url}: the timeout cut the wait");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the slow provider was asked");
}

#[tokio::test]
async fn the_search_page_finds_an_address_through_the_provider() {
    let (url, _) = stand_in(Duration::ZERO).await;
    let app = demo_app(&url, Duration::from_secs(5));
    let page = app.get("/?q=Lindelaan+9+Demodorp").await;
    assert!(page.body.contains("Demo: Dorpshuis De Linde"), "{}", page.body);
}

#[tokio::test]
async fn geocode_refuses_empty_and_absurd_input() {
    let (url, hits) = stand_in(Duration::ZERO).await;
    let app = demo_app(&url, Duration::from_secs(5));
    let response = app.get("/api/v1/geocode?q=%20").await;
    assert_eq!(response.status, 400);
    assert!(response.json()["detail"].as_str().unwrap().contains("`q` is missing"));
    let response = app.get(&format!("/api/v1/geocode?q={}", "a".repeat(500))).await;
    assert_eq!(response.status, 422);
    let json = app.get("/api/v1/geocode?q=52.1,5.64").await.json();
    assert_eq!(json["places"][0]["lat"], 52.1);
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}
