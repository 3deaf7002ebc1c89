//! The API's per-client rate limit, with the client's address found
//! behind a proxy as the trusted proxies say.

mod common;

use axum::http::StatusCode;
use common::spawn_app_with;
use kieskaart::http::client_address::ClientAddressRule;
use kieskaart::http::rate_limit::RateLimit;
use kieskaart::startup::Settings;
use std::num::NonZeroU32;

/// nginx, the one proxy in front, connects from here.
const NGINX: &str = "10.0.0.2:41000";

fn behind_nginx(per_second: u32) -> common::TestApp {
    let per_second = NonZeroU32::new(per_second).unwrap();
    spawn_app_with(Settings {
        api_rate: Some(RateLimit { per_second, burst: per_second }),
        client_addresses: ClientAddressRule::new(None, 1, Vec::new()),
        ..Settings::default()
    })
}

#[tokio::test]
async fn one_client_beyond_its_share_waits_while_others_and_pages_go_on() {
    let app = behind_nginx(5);
    let nginx = app.client.from(NGINX);
    let from = |address: &'static str| [("x-forwarded-for", address)];

    for _ in 0..5 {
        assert_eq!(nginx.get_with("/api/v1/elections", &from("203.0.113.7")).await.status, StatusCode::OK);
    }
    let refused = nginx.get_with("/api/v1/elections", &from("203.0.113.7")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers["retry-after"], "1");
    assert!(refused.json()["detail"].as_str().unwrap().contains("/data"), "{}", refused.body);

    assert_eq!(nginx.get_with("/api/v1/elections", &from("203.0.113.8")).await.status, StatusCode::OK);
    for _ in 0..10 {
        assert_eq!(
            nginx.get_with("/healthz", &from("203.0.113.7")).await.status,
            StatusCode::OK,
            "only the API"
        );
    }
}

#[tokio::test]
async fn a_client_cannot_choose_its_address_nor_escape_by_hiding_it() {
    let app = behind_nginx(5);
    let nginx = app.client.from(NGINX);
    // The client writes an address of its own choosing in front of the
    // one nginx appends: a new one each time, to get a new share each time.
    for n in 0..5 {
        let forged = format!("198.51.100.{n}, 203.0.113.7");
        let answer = nginx.get_with("/api/v1/elections", &[("x-forwarded-for", &forged)]).await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let forged = [("x-forwarded-for", "198.51.100.99, 203.0.113.7")];
    assert_eq!(nginx.get_with("/api/v1/elections", &forged).await.status, StatusCode::TOO_MANY_REQUESTS);

    // Requests whose address cannot be read share one share.
    for unreadable in ["", "garbage", "203.0.113.9, unknown", "", "garbage"] {
        let answer = nginx.get_with("/api/v1/elections", &[("x-forwarded-for", unreadable)]).await;
        assert_eq!(answer.status, StatusCode::OK, "{unreadable:?}");
    }
    let unreadable = nginx.get_with("/api/v1/elections", &[("x-forwarded-for", "nonsense")]).await;
    assert_eq!(unreadable.status, StatusCode::TOO_MANY_REQUESTS, "not unlimited");
}

#[tokio::test]
async fn without_proxy_flags_the_connection_is_the_client_and_headers_are_ignored() {
    let per_second = NonZeroU32::new(2).unwrap();
    let app = spawn_app_with(Settings {
        api_rate: Some(RateLimit { per_second, burst: per_second }),
        ..Settings::default()
    });
    let direct = app.client.from("192.0.2.5:50000");
    for n in 0..2 {
        let header = format!("203.0.113.{n}");
        let answer = direct.get_with("/api/v1/elections", &[("x-forwarded-for", &header)]).await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let again = direct.get_with("/api/v1/elections", &[("x-forwarded-for", "203.0.113.50")]).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    let other = app.client.from("192.0.2.6:50000").get("/api/v1/elections").await;
    assert_eq!(other.status, StatusCode::OK);
}
