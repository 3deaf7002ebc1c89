//! A per-address rate limit on the API: one script cannot take the
//! capacity every voter shares. Each client address may make `per_second`
//! requests a second on average, in bursts of up to `burst`; beyond that
//! it gets 429 with `Retry-After` until its share has refilled (GCRA,
//! crate `governor`).
//!
//! Behind a CDN or proxy every request comes from the proxy's address;
//! `--client-address-header` then names the header it puts the client's
//! address in (`X-Forwarded-For`: its first entry). Set it only when such
//! a proxy is in front, since clients can write any header themselves.

use crate::http::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// How much one address may ask of the API.
#[derive(Debug, Clone)]
pub struct RateLimit {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
    /// Where a proxy in front puts the client's address; `None`: the
    /// connection's own address.
    pub address_header: Option<HeaderName>,
}

/// The limiter, shared by every request of the server.
pub struct Limiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    address_header: Option<HeaderName>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Arc<Self> {
        let quota = Quota::per_second(limit.per_second).allow_burst(limit.burst);
        Arc::new(Self { limiter: RateLimiter::keyed(quota), address_header: limit.address_header })
    }

    /// The client's address, when it is known.
    fn address(&self, request: &Request) -> Option<IpAddr> {
        match &self.address_header {
            Some(header) => from_header(request.headers(), header),
            None => request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip()),
        }
    }
}

fn from_header(headers: &HeaderMap, header: &HeaderName) -> Option<IpAddr> {
    let value = headers.get(header)?.to_str().ok()?;
    value.split(',').next()?.trim().parse().ok()
}

/// Lets a request through if its address has requests left; requests
/// whose address is unknown are not limited (there is nothing to key on).
pub async fn limit(State(limiter): State<Arc<Limiter>>, request: Request, next: Next) -> Response {
    if let Some(address) = limiter.address(&request) {
        if limiter.limiter.check_key(&address).is_err() {
            return ApiError::TooManyRequests(
                "too many requests from this address; wait a second. For bulk use, download the open data \
                 (/data) instead of asking the API station by station"
                    .into(),
            )
            .into_response();
        }
        // Addresses that have not asked for a while hold no memory.
        if limiter.limiter.len() > 100_000 {
            limiter.limiter.retain_recent();
        }
    }
    next.run(request).await
}
