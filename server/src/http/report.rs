//! `POST /s/{election}/{station}/melden` (and under `/embed`): a voter's
//! report of a problem with a station, sent by the plain HTML form of
//! `app::pages::ReportPage`, for the station's municipality.
//!
//! A stored report answers with a redirect to the confirmation page, so
//! that reloading it sends nothing twice. A form that cannot be stored
//! gets the form page again, with the voter's words in it and what to fix
//! named next to each field (422), or why nothing was sent (429, 503);
//! never a bare error. A form whose honeypot was filled gets the very
//! redirect a stored one gets, and is not stored: a robot learns nothing.
//!
//! Two limits keep a flood out of the municipalities' queues: one per
//! client address (as [`super::client_address`] finds it, by the API's
//! kind of limiter) and one on everyone's reports together.

use super::client_address::ClientAddress;
use super::rate_limit::Limiter;
use crate::catalog::Catalog;
use crate::store::{Location, NewReport, ReportedStation, Store, StoreError};
use crate::submissions::Submissions;
use app::clock::Clock;
use app::directory::StationDirectory;
use app::embed::{is_embed_path, Embed};
use app::model::ElectionId;
use app::report::{form_path, in_embed, sent_path, Refusal, ReportForm};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::header::LOCATION;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// How many reports are taken, per client address and from everyone.
#[derive(Debug, Clone, Copy)]
pub struct ReportLimits {
    pub per_address: Quota,
    pub everyone: Quota,
}

impl ReportLimits {
    /// `per_address` reports an hour from one client address and
    /// `everyone` from all together (a zero counts as one).
    pub fn per_hour(per_address: u32, everyone: u32) -> Self {
        let quota = |n: u32| Quota::per_hour(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self { per_address: quota(per_address), everyone: quota(everyone) }
    }
}

impl Default for ReportLimits {
    /// Ten an hour from one address (a household, a polling-station
    /// volunteer with several remarks); a thousand an hour in all, far
    /// above what a country's voters send on polling day but a ceiling on
    /// what a botnet can pour into the queues.
    fn default() -> Self {
        Self::per_hour(10, 1000)
    }
}

/// The bytes a report form may take: a thousand characters of four bytes,
/// percent-encoded, and the other fields.
const FORM_BYTES: usize = 16 * 1024;

/// What the report handler needs.
#[derive(Clone)]
pub struct FilingState {
    pub submissions: Arc<Submissions>,
    pub catalog: Arc<Catalog>,
    pub clock: Clock,
    pub limits: Arc<Limits>,
    /// What every page's render is given (see `startup::page_context`),
    /// to show the form again.
    pub page_context: Arc<dyn Fn() + Send + Sync>,
    pub options: LeptosOptions,
}

/// The limiters, shared by every request of the server.
pub struct Limits {
    per_address: Arc<Limiter>,
    everyone: DefaultDirectRateLimiter,
}

impl Limits {
    pub fn new(limits: ReportLimits) -> Arc<Self> {
        Arc::new(Self {
            per_address: Limiter::with_quota(limits.per_address),
            everyone: RateLimiter::direct(limits.everyone),
        })
    }

    /// Whether a report from `client` is taken now (counted if so).
    fn admit(&self, client: ClientAddress) -> bool {
        self.per_address.admit(client) && self.everyone.check().is_ok()
    }
}

pub fn routes() -> Router<FilingState> {
    let send = || post(send).layer(DefaultBodyLimit::max(FORM_BYTES));
    Router::new()
        .route("/s/{election}/{station}/melden", send())
        .route("/embed/s/{election}/{station}/melden", send())
}

async fn send(
    State(state): State<FilingState>,
    client: ClientAddress,
    Path((election, station)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let form = match Form::<ReportForm>::from_request(Request::from_parts(parts.clone(), body), &()).await {
        Ok(Form(form)) => form,
        Err(rejection) => return rejection.into_response(),
    };
    let Some((election, station)) =
        ElectionId::parse(&election).ok().and_then(|election| state.catalog.station(&election, &station))
    else {
        // The page says so, with a 404.
        return render(&state, parts, None).await;
    };
    let sent = sent_location(&parts, &station.page(election.id.as_str()));
    if form.is_bait() {
        return sent;
    }
    let filed = match form.check() {
        Ok(filed) => filed,
        Err(problems) => return render(&state, parts, Some(Refusal::Invalid { form, problems })).await,
    };
    if !state.limits.admit(client) {
        return render(&state, parts, Some(Refusal::TooMany { form })).await;
    }
    let report = NewReport {
        station: ReportedStation {
            election: election.id,
            municipality: station.municipality_code,
            id: station.id,
            name: station.name,
        },
        category: filed.category,
        text: filed.text,
        email: filed.email,
        at: state.clock.now(),
    };
    match state.submissions.run(move |store, _| store.file_report(&report)).await {
        Ok(Ok(_)) => sent,
        Ok(Err(error)) => {
            tracing::error!(%error, "a report could not be stored");
            render(&state, parts, Some(Refusal::Unavailable { form })).await
        }
        Err(_) => render(&state, parts, Some(Refusal::Unavailable { form })).await,
    }
}

/// The redirect to the confirmation page of `station_page`'s form, in the
/// embed (with the host's settings, re-read, never echoed) when the form
/// was.
fn sent_location(parts: &Parts, station_page: &str) -> Response {
    let sent = sent_path(&form_path(station_page));
    let location = if is_embed_path(parts.uri.path()) {
        in_embed(&sent, &Embed::from_query_string(parts.uri.query().unwrap_or_default()))
    } else {
        sent
    };
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The form page for this request, as the site renders it, with the
/// refusal (if any) for the page to show.
async fn render(state: &FilingState, parts: Parts, refusal: Option<Refusal>) -> Response {
    let page_context = state.page_context.clone();
    let options = state.options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            page_context();
            if let Some(refusal) = &refusal {
                provide_context(refusal.clone());
            }
        },
        move || app::shell(options.clone()),
    );
    handler(Request::from_parts(parts, Body::empty())).await
}

/// How often a running server forgets e-mail addresses that have grown
/// too old, besides at every new report: in a quiet month no report may
/// come to do it.
pub const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Forgets e-mail addresses older than [`crate::store::EMAIL_KEPT`] now
/// and then every `interval`, on a thread of its own with its own
/// connection to the store at `location` (opened here, so a store that
/// cannot be opened is an error at start). A failed purge is logged and
/// tried again at the next turn.
pub fn forget_old_addresses(location: &Location, interval: Duration) -> Result<(), StoreError> {
    let mut store = Store::connect(location)?;
    std::thread::spawn(move || loop {
        match store.forget_old_emails(chrono::Utc::now()) {
            Ok(0) => {}
            Ok(forgotten) => tracing::info!(forgotten, "old e-mail addresses of reports forgotten"),
            Err(error) => tracing::error!(%error, "cannot forget old e-mail addresses of reports"),
        }
        std::thread::sleep(interval);
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ReportState;
    use app::model::{ElectionId, MunicipalityCode};
    use app::report::Category;

    #[test]
    fn a_running_server_forgets_old_addresses_without_new_reports() {
        let folder = tempfile::tempdir().unwrap();
        let location = Location::Sqlite(folder.path().join("k.sqlite3"));
        let mut store = Store::connect(&location).unwrap();
        crate::commands::load_demo(&mut store).unwrap();
        let report = |days_ago: i64| NewReport {
            station: ReportedStation {
                election: ElectionId::parse("demo").unwrap(),
                municipality: MunicipalityCode::parse("GM9999").unwrap(),
                id: "gm9999-1".into(),
                name: "Demo".into(),
            },
            category: Category::Other,
            text: "x".into(),
            email: Some("a@b.nl".into()),
            at: chrono::Utc::now() - chrono::Duration::days(days_ago),
        };
        let (old, recent) = (store.add_report(&report(91)).unwrap(), store.add_report(&report(89)).unwrap());
        forget_old_addresses(&location, Duration::from_millis(10)).unwrap();
        let started = std::time::Instant::now();
        while store.report(old).unwrap().unwrap().email.is_some() {
            assert!(started.elapsed() < Duration::from_secs(10), "the old address stays");
            std::thread::sleep(Duration::from_millis(10));
        }
        let kept = store.report(recent).unwrap().unwrap();
        assert_eq!((kept.email.as_deref(), kept.state), (Some("a@b.nl"), ReportState::New));
    }
}
