//! Every request gets an id: the one a proxy in front of Kieskaart set
//! (`X-Request-Id`), or a new one. The response carries it, and so does
//! every log line written while the request is handled, so that a report
//! such as "it failed at 10:02, request 5f3a…-17" leads to the log lines.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use tracing::Instrument;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Tags the request and its response, and runs it inside a span that
/// names it. Only the path is named, never the query: that is where a
/// voter's search is; and a secret in the path is left out.
pub async fn tag(request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| acceptable(id));
    let id = given.map_or_else(new_id, str::to_owned);
    let span = tracing::info_span!("request", id = %id, method = %request.method(), path = %loggable(request.uri().path()));
    let mut response = next.run(request).instrument(span.clone()).await;
    if response.status().is_server_error() {
        span.in_scope(|| tracing::warn!(status = response.status().as_u16(), "answered with a server error"));
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    response
}

/// Paths that end in a secret: an activation link is its own password
/// until it is used, so whoever reads the log could take the account.
const SECRET_AFTER: &[&str] = &["/portaal/activeren/"];

/// The path as logs may hold it: with a secret replaced by `…`.
fn loggable(path: &str) -> Cow<'_, str> {
    match SECRET_AFTER.iter().find(|prefix| path.starts_with(*prefix)) {
        Some(prefix) => Cow::Owned(format!("{prefix}…")),
        None => Cow::Borrowed(path),
    }
}

/// An id from outside goes into logs and headers: short, and only
/// characters that cannot forge a log line or a header.
fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// This process's random prefix and a counter: unique without a lookup,
/// and telling which server instance answered.
fn new_id() -> String {
    static PREFIX: OnceLock<String> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let prefix = PREFIX.get_or_init(|| {
        crate::secrets::random_bytes::<4>()
            .map(|bytes| bytes.iter().map(|b| format!("{b:02x}")).collect())
            .unwrap_or_else(|_| format!("{:08x}", std::process::id()))
    });
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_outside_are_kept_only_when_harmless() {
        assert!(acceptable("5f3a9c1e-17") && acceptable("req.12:3_4"));
        assert!(
            !acceptable("")
                && !acceptable("a b")
                && !acceptable("x\nlevel=error")
                && !acceptable(&"a".repeat(65))
        );
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(acceptable(&a), "{a}");
    }

    #[test]
    fn an_activation_secret_in_the_path_is_not_logged() {
        assert_eq!(loggable("/portaal/activeren/Zq3kP0s"), "/portaal/activeren/…");
        assert_eq!(loggable("/portaal/activeren/Zq3kP0s/x"), "/portaal/activeren/…");
        assert_eq!(loggable("/s/gr2026/gm0014-1"), "/s/gr2026/gm0014-1");
    }
}
