//! `/metrics`, in Prometheus' text format: requests by route, method and
//! status and their latency; what is in memory (stations and published
//! versions per election, publications picked up, whether the store
//! answers); what vendor uploads came to; and how the calls to the online
//! geocoder go (answered, failed, searches that made none, the breaker);
//! and the change feed's webhook deliveries. Routes are labelled by their
//! pattern (`/s/{election}/{station}`), never by what a voter searched, so
//! the label sets stay few and hold no personal data.

use crate::catalog::Catalog;
use crate::changes::webhooks::Stats as Deliveries;
use crate::geocode::Stats;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ElectionLabels {
    election: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// What an upload came to, for `kieskaart_uploads_total`.
#[derive(Clone, Copy, Debug)]
pub enum UploadOutcome {
    Published,
    Draft,
    Invalid,
    Refused,
    /// Every upload worker was busy and the queue full: sent back with 503.
    Busy,
}

pub struct Metrics {
    registry: Registry,
    catalog: Arc<Catalog>,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    uploads: Family<OutcomeLabels, Counter>,
    stations: Family<ElectionLabels, Gauge>,
    versions: Family<ElectionLabels, Gauge>,
    reloads: Counter,
    store_reachable: Gauge,
    geocoder_calls: Family<OutcomeLabels, Counter>,
    geocoder_spared: Family<OutcomeLabels, Counter>,
    geocoder_in_flight: Gauge,
    geocoder_breaker_open: Gauge,
    webhook_deliveries: Family<OutcomeLabels, Counter>,
    webhook_pending: Gauge,
}

impl Metrics {
    pub fn new(catalog: Arc<Catalog>) -> Self {
        let mut registry = Registry::with_prefix("kieskaart");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        // From half a millisecond to about 4 s.
        let latency: Latency =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.0005, 2.0, 14)));
        registry.register("http_request_duration_seconds", "Time to answer, by route", latency.clone());
        let uploads = Family::<OutcomeLabels, Counter>::default();
        registry.register("uploads", "Vendor uploads: published, draft, invalid, refused", uploads.clone());
        let stations = Family::<ElectionLabels, Gauge>::default();
        registry.register("stations", "Stations in memory, per election", stations.clone());
        let versions = Family::<ElectionLabels, Gauge>::default();
        registry.register("published_versions", "Published dataset versions, per election", versions.clone());
        let reloads = Counter::default();
        registry.register("catalog_reloads", "Publications picked up since the start", reloads.clone());
        let store_reachable = Gauge::default();
        registry.register(
            "store_reachable",
            "1 when the store answered its last check, recently (writes can be taken)",
            store_reachable.clone(),
        );
        let geocoder_calls = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "geocoder_calls",
            "Calls to the online geocoder: answered, failed (timeout, refused, 5xx, 429, bad answer)",
            geocoder_calls.clone(),
        );
        let geocoder_spared = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "geocoder_searches_without_call",
            "Searches the online geocoder was not called for: merged into a call in flight, \
             busy (no free place in time), breaker_open",
            geocoder_spared.clone(),
        );
        let geocoder_in_flight = Gauge::default();
        registry.register(
            "geocoder_calls_in_flight",
            "Calls to the online geocoder now",
            geocoder_in_flight.clone(),
        );
        let geocoder_breaker_open = Gauge::default();
        registry.register(
            "geocoder_breaker_open",
            "1 while repeated failures keep calls away from the online geocoder",
            geocoder_breaker_open.clone(),
        );
        let webhook_deliveries = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "webhook_deliveries",
            "Change-feed webhook attempts: delivered, retried (failed, tried again later), \
             failed (given up after the last attempt)",
            webhook_deliveries.clone(),
        );
        let webhook_pending = Gauge::default();
        registry.register(
            "webhook_deliveries_pending",
            "Change-feed webhook deliveries waiting in the store, as last seen",
            webhook_pending.clone(),
        );
        Self {
            registry,
            catalog,
            requests,
            latency,
            uploads,
            stations,
            versions,
            reloads,
            store_reachable,
            geocoder_calls,
            geocoder_spared,
            geocoder_in_flight,
            geocoder_breaker_open,
            webhook_deliveries,
            webhook_pending,
        }
    }

    pub fn upload(&self, outcome: UploadOutcome) {
        let outcome = match outcome {
            UploadOutcome::Published => "published",
            UploadOutcome::Draft => "draft",
            UploadOutcome::Invalid => "invalid",
            UploadOutcome::Refused => "refused",
            UploadOutcome::Busy => "busy",
        };
        self.uploads.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    /// The text exposition, with the in-memory figures read now.
    fn render(&self) -> Result<String, std::fmt::Error> {
        let snapshot = self.catalog.snapshot();
        self.stations.clear();
        self.versions.clear();
        for index in snapshot.indexes() {
            let labels = ElectionLabels { election: index.election.id.to_string() };
            self.stations.get_or_create(&labels).set(index.station_count() as i64);
            self.versions.get_or_create(&labels).set(index.versions.len() as i64);
        }
        catch_up(&self.reloads, self.catalog.reloads());
        // As the writers' probe judges it (see `health`).
        let reachable = super::health::store_answers(&self.catalog.store_check()).is_ok();
        self.store_reachable.set(i64::from(reachable));
        if let Some(stats) = self.catalog.geocoder.stats() {
            self.geocoder(stats);
        }
        self.webhooks(&self.catalog.deliveries);
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }

    /// The online geocoder's figures, as its counts stand now.
    fn geocoder(&self, stats: Stats) {
        for (outcome, seen) in [("answered", stats.answered), ("failed", stats.failed)] {
            catch_up(&self.geocoder_calls.get_or_create(&OutcomeLabels { outcome }), seen);
        }
        for (outcome, seen) in
            [("merged", stats.merged), ("busy", stats.busy), ("breaker_open", stats.kept_away)]
        {
            catch_up(&self.geocoder_spared.get_or_create(&OutcomeLabels { outcome }), seen);
        }
        self.geocoder_in_flight.set(i64::try_from(stats.in_flight).unwrap_or(i64::MAX));
        self.geocoder_breaker_open.set(i64::from(stats.breaker_open));
    }

    /// The change feed's webhook deliveries, as their counts stand now.
    fn webhooks(&self, stats: &Deliveries) {
        for (outcome, seen) in
            [("delivered", &stats.delivered), ("retried", &stats.retried), ("failed", &stats.failed)]
        {
            catch_up(
                &self.webhook_deliveries.get_or_create(&OutcomeLabels { outcome }),
                seen.load(Ordering::Relaxed),
            );
        }
        self.webhook_pending.set(i64::try_from(stats.pending.load(Ordering::Relaxed)).unwrap_or(i64::MAX));
    }
}

/// Brings a counter up to a count kept elsewhere, which only grows.
fn catch_up(counter: &Counter, seen: u64) {
    counter.inc_by(seen.saturating_sub(counter.get()));
}

pub fn routes() -> Router<Arc<Metrics>> {
    Router::new().route("/metrics", get(exposition))
}

async fn exposition(State(metrics): State<Arc<Metrics>>) -> Response {
    match metrics.render() {
        Ok(text) => {
            ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text)
                .into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Counts and times every request (a layer over the whole router).
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    // Unmatched paths (static files, 404s) share one label, so that no
    // request can add a label set of its own.
    let route =
        request.extensions().get::<MatchedPath>().map_or("(static or none)", MatchedPath::as_str).to_owned();
    let method = match *request.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        _ => "other",
    };
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    metrics.requests.get_or_create(&RequestLabels { route: route.clone(), method, status }).inc();
    metrics.latency.get_or_create(&RouteLabels { route }).observe(started.elapsed().as_secs_f64());
    response
}
