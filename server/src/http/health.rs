//! Probes for a load balancer or orchestrator: `/healthz` says the process
//! answers, `/readyz` whether it should get voters' requests.

use crate::catalog::{Catalog, StoreCheck};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// A store last seen longer ago than this counts as unknown: the thread
/// that follows it checks every 2 s, and rebuilding even a million
/// stations takes well under this.
const STALE_AFTER: Duration = Duration::from_secs(30);

pub fn routes() -> Router<Arc<Catalog>> {
    Router::new().route("/healthz", get(alive)).route("/readyz", get(ready))
}

async fn alive() -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-store")], "ok\n")
}

#[derive(Serialize)]
struct Readiness {
    ready: bool,
    elections: usize,
    stations: usize,
    /// `reachable`, `not followed`, or why not.
    store: String,
}

/// Ready when the indexes are loaded (they are before the server listens)
/// and the store answered the last look at it, recently.
async fn ready(State(catalog): State<Arc<Catalog>>) -> impl IntoResponse {
    let snapshot = catalog.snapshot();
    let (ready, store) = match catalog.store_check() {
        StoreCheck::NotFollowed => (true, "not followed".to_owned()),
        StoreCheck::Reachable { at } if at.elapsed() < STALE_AFTER => (true, "reachable".to_owned()),
        StoreCheck::Reachable { at } => {
            (false, format!("not checked for {} s: is the refresh thread stuck?", at.elapsed().as_secs()))
        }
        StoreCheck::Unreachable { error } => (false, format!("unreachable: {error}")),
    };
    let readiness = Readiness {
        ready,
        elections: snapshot.indexes().count(),
        stations: snapshot.indexes().map(|index| index.station_count()).sum(),
        store,
    };
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(readiness))
}
