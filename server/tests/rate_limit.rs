//! The API's per-address rate limit, with the client's address from a
//! proxy's header as behind a CDN.

mod common;

use axum::http::{HeaderName, StatusCode};
use common::{app_with, empty_store};
use kieskaart::geocode::Geocoder;
use kieskaart::http::rate_limit::RateLimit;
use kieskaart::startup::Settings;
use std::num::NonZeroU32;

#[tokio::test]
async fn one_address_beyond_its_share_waits_while_others_and_pages_go_on() {
    let (mut store, folder) = empty_store();
    kieskaart::commands::load_demo(&mut store).unwrap();
    let five = NonZeroU32::new(5).unwrap();
    let limit = RateLimit {
        per_second: five,
        burst: five,
        address_header: Some(HeaderName::from_static("x-forwarded-for")),
    };
    let app = app_with(
        store,
        folder,
        Geocoder::offline(),
        Settings { api_rate: Some(limit), ..Settings::default() },
    );
    let from = |address: &'static str| [("x-forwarded-for", address)];

    for _ in 0..5 {
        assert_eq!(
            app.get_with("/api/v1/elections", &from("203.0.113.7, 10.0.0.1")).await.status,
            StatusCode::OK
        );
    }
    let refused = app.get_with("/api/v1/elections", &from("203.0.113.7")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers["retry-after"], "1");
    assert!(refused.json()["detail"].as_str().unwrap().contains("/data"), "{}", refused.body);

    assert_eq!(app.get_with("/api/v1/elections", &from("203.0.113.8")).await.status, StatusCode::OK);
    for _ in 0..10 {
        assert_eq!(
            app.get_with("/healthz", &from("203.0.113.7")).await.status,
            StatusCode::OK,
            "only the API"
        );
    }
}
