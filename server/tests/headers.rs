//! The security headers on every kind of route: pages, embeds, downloads,
//! the API and its errors, files, probes and metrics.

mod common;

use app::directory::PublicUrl;
use common::{spawn_app, spawn_app_with};
use kieskaart::startup::Settings;

fn public(url: &str) -> Settings {
    Settings { public_url: Some(PublicUrl::parse(url).unwrap()), ..Settings::default() }
}

const KINDS: [(&str, &str); 10] = [
    ("voter page", "/?q=Demodorp"),
    ("station page", "/s/demo/gm9999-1"),
    ("embed", "/embed?q=Demodorp"),
    ("page without script", "/data"),
    ("download", "/data/demo/stembureaus.csv"),
    ("API", "/api/v1/elections"),
    ("API error", "/api/v1/elections/xx/stations/nearest"),
    ("file", "/favicon.svg"),
    ("probe", "/healthz"),
    ("metrics", "/metrics"),
];

#[tokio::test]
async fn every_kind_of_route_carries_the_security_headers() {
    let app = spawn_app_with(public("https://kieskaart.example"));
    for (kind, path) in KINDS {
        let response = app.get(path).await;
        let header = |name: &str| {
            response.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{kind}");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin", "{kind}");
        assert!(header("permissions-policy").starts_with("geolocation=(self)"), "{kind}");
        assert_eq!(header("strict-transport-security"), "max-age=31536000; includeSubDomains", "{kind}");
        assert!(!header("x-request-id").is_empty(), "{kind} names its request");
        if response.content_type.starts_with("text/html") {
            let policy = header("content-security-policy");
            let scripts = policy.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or_default();
            assert!(scripts.contains("'self'") && !scripts.contains("unsafe-inline"), "{kind}: {policy}");
            let ancestors =
                if path.starts_with("/embed") { "frame-ancestors *" } else { "frame-ancestors 'self'" };
            assert!(policy.contains(ancestors), "{kind}: {policy}");
        }
    }
}

/// What the catalogue says its downloads' addresses are.
fn download_urls(catalogue: &common::TestResponse) -> String {
    catalogue.json()["dcat:dataset"][0]["dcat:distribution"].to_string()
}

#[tokio::test]
async fn the_public_url_alone_decides_https_and_the_origin_whatever_the_request_claims() {
    let forged =
        [("host", "evil.example"), ("x-forwarded-host", "evil.example"), ("x-forwarded-proto", "http")];
    let app = spawn_app_with(public("https://kieskaart.example"));
    let catalogue = app.get_with("/data/catalog.jsonld", &forged).await;
    let urls = download_urls(&catalogue);
    assert!(urls.contains("https://kieskaart.example/data/demo/") && !urls.contains("evil"), "{urls}");
    assert!(catalogue.headers.contains_key("strict-transport-security"));
    let sign_in = app.get_with("/portaal/inloggen", &forged).await;
    assert!(sign_in.headers["set-cookie"].to_str().unwrap().ends_with("; Secure"));
    drop(app);

    // Without a public URL (development): plain HTTP on the listening
    // address, whatever a proxy or client header says.
    let forged = [("x-forwarded-host", "evil.example"), ("x-forwarded-proto", "https")];
    let app = spawn_app();
    let catalogue = app.get_with("/data/catalog.jsonld", &forged).await;
    let urls = download_urls(&catalogue);
    assert!(urls.contains("http://127.0.0.1:0/data/demo/") && !urls.contains("evil"), "{urls}");
    assert!(catalogue.headers.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    let sign_in = app.get_with("/portaal/inloggen", &forged).await;
    assert!(!sign_in.headers["set-cookie"].to_str().unwrap().contains("Secure"), "it would never come back");
}

#[tokio::test]
async fn a_proxys_request_id_is_kept_when_harmless_and_replaced_otherwise() {
    let app = spawn_app();
    let id = |response: &common::TestResponse| response.headers["x-request-id"].to_str().unwrap().to_owned();
    let kept = app.get_with("/healthz", &[("x-request-id", "lb-5f3a9c1e-17")]).await;
    assert_eq!(id(&kept), "lb-5f3a9c1e-17");
    let replaced = app.get_with("/healthz", &[("x-request-id", "forged level=error")]).await;
    assert!(!id(&replaced).contains(' '), "{}", id(&replaced));
    let (first, second) = (id(&app.get("/healthz").await), id(&app.get("/healthz").await));
    assert_ne!(first, second, "each request its own");
}
