//! A per-client rate limit on the API: one script cannot take the
//! capacity every voter shares. Each client may make `per_second`
//! requests a second on average, in bursts of up to `burst`; beyond that
//! it gets 429 with `Retry-After` until its share has refilled (GCRA,
//! crate `governor`).
//!
//! The client is the one [`super::client_address`] finds (behind proxies,
//! as the trusted proxies say), counted by its [`ClientAddress::limit_key`]
//! (an IPv6 client by its /64); requests whose address cannot be read
//! share one key, and so one share.

use super::client_address::ClientAddress;
use crate::http::ApiError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;

/// How much one client may ask of the API.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

/// The limiter, shared by every request of the server.
pub struct Limiter {
    limiter: DefaultKeyedRateLimiter<ClientAddress>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Arc<Self> {
        Self::with_quota(Quota::per_second(limit.per_second).allow_burst(limit.burst))
    }

    /// A limiter of any quota: voters' reports are counted per hour.
    pub fn with_quota(quota: Quota) -> Arc<Self> {
        Arc::new(Self { limiter: RateLimiter::keyed(quota) })
    }

    /// Whether `client` may make one more request now (counted if so).
    pub fn admit(&self, client: ClientAddress) -> bool {
        let admitted = self.limiter.check_key(&client.limit_key()).is_ok();
        // Clients that have not asked for a while hold no memory.
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        admitted
    }
}

/// Lets a request through if its client has requests left.
pub async fn limit(
    State(limiter): State<Arc<Limiter>>,
    client: ClientAddress,
    request: Request,
    next: Next,
) -> Response {
    if !limiter.admit(client) {
        return ApiError::TooManyRequests(
            "too many requests from this address; wait a second. For bulk use, download the open data \
             (/data) instead of asking the API station by station"
                .into(),
        )
        .into_response();
    }
    next.run(request).await
}
