//! Any query string on the routes that read one (the nearest API, the
//! search page, the embed, the portal's station form) must be answered
//! without a server error: bad input is the caller's to fix, with a 4xx.
#![no_main]

use axum::body::Body;
use axum::http::Request;
use kieskaart::catalog::Catalog;
use kieskaart::geocode::Geocoder;
use kieskaart::startup::{self, Settings};
use kieskaart::store::{Location, Store};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// The demo data behind the whole router, made once.
fn app() -> &'static (tokio::runtime::Runtime, axum::Router) {
    static APP: OnceLock<(tokio::runtime::Runtime, axum::Router)> = OnceLock::new();
    APP.get_or_init(|| {
        let folder = Box::leak(Box::new(tempfile::tempdir().expect("a temporary folder")));
        let database = folder.path().join("fuzz.sqlite3");
        let mut store = Store::open(&database).expect("the store opens");
        kieskaart::commands::load_demo(&mut store).expect("the demo loads");
        let catalog = Arc::new(Catalog::load(&store, Geocoder::offline()).expect("the catalog loads"));
        let options = startup::leptos_options("target/site", "127.0.0.1:0".parse().expect("an address"));
        let router = startup::router(catalog, &Location::Sqlite(database), options, Settings::default())
            .expect("the router");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        (runtime, router)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else { return };
    let (runtime, router) = app();
    for path in ["/api/v1/elections/demo/stations/nearest", "/", "/embed", "/api/v1/geocode"] {
        let Ok(request) = Request::get(format!("{path}?{query}")).body(Body::empty()) else { return };
        let response = runtime.block_on(router.clone().oneshot(request)).expect("the router answers");
        assert!(!response.status().is_server_error(), "{path}?{query}: {}", response.status());
    }
});
