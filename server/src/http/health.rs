//! Probes for a load balancer or orchestrator: `/healthz` says the process
//! answers, `/readyz` whether it can serve voters, `/readyz/writes`
//! whether it can take writes (portal, vendor uploads).
//!
//! Voters are answered from the published data in memory, which stays
//! when the shared store goes away; so the store's state must not decide
//! `/readyz`. If it did, an outage of the one PostgreSQL would make every
//! server unready at once, and a balancer would drop them all although
//! each could still answer every voter. The store's state goes to
//! `/readyz/writes` and to `/metrics` (`kieskaart_store_reachable`).

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
    Router::new()
        .route("/healthz", get(alive))
        .route("/readyz", get(ready))
        .route("/readyz/writes", get(writes))
}

async fn alive() -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-store")], "ok\n")
}

#[derive(Serialize)]
struct Readiness {
    ready: bool,
    elections: usize,
    stations: usize,
    /// `reachable`, `not followed`, or why not: for a person reading the
    /// probe; it does not change `ready`.
    store: String,
}

/// Ready for voters. The published data is loaded before the server
/// listens (a server that answers has it) and is kept through a store
/// outage, so a server that answers at all is ready.
async fn ready(State(catalog): State<Arc<Catalog>>) -> impl IntoResponse {
    let snapshot = catalog.snapshot();
    let readiness = Readiness {
        ready: true,
        elections: snapshot.indexes().count(),
        stations: snapshot.indexes().map(|index| index.station_count()).sum(),
        store: store_answers(&catalog.store_check()).map_or_else(|why| why, str::to_owned),
    };
    ([(header::CACHE_CONTROL, "no-store")], Json(readiness))
}

#[derive(Serialize)]
struct WriteReadiness {
    ready: bool,
    store: String,
}

/// Ready for writes: the store answered its last look, recently.
async fn writes(State(catalog): State<Arc<Catalog>>) -> impl IntoResponse {
    let (status, readiness) = match store_answers(&catalog.store_check()) {
        Ok(state) => (StatusCode::OK, WriteReadiness { ready: true, store: state.to_owned() }),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, WriteReadiness { ready: false, store: why }),
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(readiness))
}

/// Whether the store takes writes, as far as the catalog's last look at it
/// says (`reachable`, or `not followed` for a catalog built once, as in
/// tests); if not, why not.
pub fn store_answers(check: &StoreCheck) -> Result<&'static str, String> {
    match check {
        StoreCheck::NotFollowed => Ok("not followed"),
        StoreCheck::Reachable { at } if at.elapsed() < STALE_AFTER => Ok("reachable"),
        StoreCheck::Reachable { at } => {
            Err(format!("not checked for {} s: is the refresh thread stuck?", at.elapsed().as_secs()))
        }
        StoreCheck::Unreachable { error } => Err(format!("unreachable: {error}")),
    }
}
