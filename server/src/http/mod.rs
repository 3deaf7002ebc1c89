//! HTTP surface: the public JSON API under `/api/v1` and its error type,
//! the open-data downloads under `/data`, the health probes and metrics.
//! Pages are served by Leptos (see `startup`).

pub mod api;
pub mod client_address;
pub mod data;
mod error;
pub mod health;
pub mod metrics;
pub mod rate_limit;
pub mod request_id;

pub use error::ApiError;

use axum::http::{header, HeaderMap};

/// Whether the client already holds the representation tagged `etag`
/// (`If-None-Match`), so that a 304 will do.
fn holds(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').map(str::trim).any(|tag| tag == etag || tag == "*"))
}
