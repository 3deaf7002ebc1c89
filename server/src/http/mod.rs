//! HTTP surface: the public JSON API under `/api/v1` and its error type,
//! the open-data downloads under `/data`, a station's calendar file, the
//! health probes and metrics.
//! Pages are served by Leptos (see `startup`).

pub mod api;
pub mod calendar;
pub mod changes;
pub mod client_address;
pub mod data;
mod error;
pub mod health;
pub mod metrics;
pub mod rate_limit;
pub mod report;
pub mod request_id;

pub use error::ApiError;

use axum::http::{header, HeaderMap};

/// Whether the client already holds the representation tagged `etag`
/// (`If-None-Match`), so that a 304 will do. The comparison is weak, as
/// RFC 9110 has it for `If-None-Match`: `W/"x"` and `"x"` name the same
/// answer (a proxy that compresses weakens our strong tags).
fn holds(request: &HeaderMap, etag: &str) -> bool {
    let opaque = |tag: &str| tag.strip_prefix("W/").unwrap_or(tag).to_owned();
    request.get(header::IF_NONE_MATCH).and_then(|value| value.to_str().ok()).is_some_and(|tags| {
        tags.split(',').map(str::trim).any(|tag| tag == "*" || opaque(tag) == opaque(etag))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_tags_weakly() {
        let asking = |tags: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, header::HeaderValue::from_static(tags));
            headers
        };
        assert!(holds(&asking("\"a\""), "\"a\""));
        assert!(holds(&asking("W/\"a\""), "\"a\""), "weakened by a proxy");
        assert!(holds(&asking("\"b\", \"a\""), "W/\"a\""));
        assert!(holds(&asking("*"), "\"a\""));
        assert!(!holds(&asking("W/\"b\""), "W/\"a\""));
        assert!(!holds(&HeaderMap::new(), "\"a\""));
    }
}
