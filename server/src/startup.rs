//! Builds the application once, for `kieskaart serve` and for tests alike.

use crate::catalog::Catalog;
use crate::http;
use crate::http::api::ApiState;
use crate::http::changes::FeedState;
use crate::http::client_address::ClientAddressRule;
use crate::http::data::DataState;
use crate::http::metrics::Metrics;
use crate::http::rate_limit::{Limiter, RateLimit};
use crate::http::report::{self, FilingState, ReportLimits};
use crate::opendata::Downloads;
use crate::portal::{self, PortalState};
use crate::store::{Location, Store, StoreError};
use crate::submissions::{Submissions, UploadLimits};
use app::clock::Clock;
use app::components::MapTiles;
use app::directory::{Directory, PublicUrl};
use app::{shell, App};
use axum::extract::{Request, State};
use axum::http::header::{
    HeaderName, HeaderValue, REFERRER_POLICY, SET_COOKIE, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Where the browser bundle lies and which address the pages name.
pub fn leptos_options(site_root: &str, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(crate::site::OUTPUT_NAME)
        .site_root(site_root)
        .site_pkg_dir(crate::site::PKG_DIR)
        .site_addr(addr)
        .env(Env::PROD)
        .build()
}

/// The Dutch government's base map (PDOK BRT achtergrondkaart), free to
/// use with this credit.
pub const PDOK_TILES: &str =
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png";
pub const PDOK_ATTRIBUTION: &str = "Kaartgegevens &copy; <a href=\"https://www.kadaster.nl\">Kadaster</a>";

/// Headers on every response. Page URLs hold what a voter searched for
/// (`?q=`, `lat=`, `lon=`), so other sites (tiles, route planners) learn
/// only our origin; only our own pages may ask for the voter's position.
fn security_headers() -> [(HeaderName, HeaderValue); 3] {
    [
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("geolocation=(self), camera=(), microphone=()"),
        ),
    ]
}

/// The whole HTTP application: API, downloads, the municipality portal,
/// server functions, pages
/// and static files, compressed. Downloads (made from the records as
/// received, which are not kept in memory) and uploads each get a
/// connection of their own to the store at `database` (uploads two: one
/// to write, one to read sessions while a write runs). Pages set their
/// own Content-Security-Policy (see
/// `app::shell`), which needs the nonce of each response.
pub fn router(
    catalog: Arc<Catalog>,
    database: &Location,
    options: LeptosOptions,
    settings: Settings,
) -> Result<Router, StoreError> {
    let Settings { tiles, uploads, api_rate, client_addresses, public_url, clock, reports } = settings;
    let site = public_url.unwrap_or_else(|| PublicUrl::local(options.site_addr));
    let directory: Directory = catalog.clone();
    let downloads = Arc::new(Downloads::new(Store::connect(database)?));
    let metrics = Arc::new(Metrics::new(catalog.clone()));
    let (writer, reader) = (Store::connect(database)?, Store::connect(database)?);
    let submissions = Arc::new(Submissions::new(catalog.clone(), writer, reader, metrics.clone(), uploads));
    let router = Router::new()
        .nest(
            "/api/v1",
            api_limited(http::api::routes(uploads.bytes), api_rate).with_state(ApiState {
                catalog: catalog.clone(),
                clock: clock.clone(),
                submissions: submissions.clone(),
            }),
        )
        .merge(http::data::routes().with_state(DataState {
            catalog: catalog.clone(),
            downloads,
            site: site.clone(),
        }))
        .merge(http::changes::routes().with_state(FeedState {
            store: Arc::new(Mutex::new(Store::connect(database)?)),
            site: site.clone(),
        }))
        .merge(http::report::routes().with_state(FilingState {
            submissions: submissions.clone(),
            catalog: catalog.clone(),
            clock: clock.clone(),
            limits: report::Limits::new(reports),
            page_context: Arc::new(page_context(
                directory.clone(),
                site.clone(),
                clock.clone(),
                tiles.clone(),
            )),
            options: options.clone(),
        }))
        .merge(portal::routes(uploads.bytes).with_state(PortalState {
            submissions,
            throttle: Arc::default(),
            hashing: Arc::default(),
            catalog: catalog.clone(),
            tiles: tiles.clone(),
            site: site.clone(),
        }))
        .merge(http::calendar::routes().with_state(http::calendar::CalendarState {
            directory: directory.clone(),
            site: site.clone(),
            clock: clock.clone(),
        }))
        .merge(http::health::routes().with_state(catalog))
        .merge(http::metrics::routes().with_state(metrics.clone()))
        .leptos_routes_with_context(
            &options,
            generate_route_list(App),
            page_context(directory, site.clone(), clock, tiles),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    let router = security_headers().into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(name, value))
    });
    let router = router
        .layer(axum::middleware::from_fn_with_state(site.https(), https_only))
        .layer(axum::middleware::from_fn_with_state(metrics, http::metrics::track))
        // A request that takes this long is stuck (a search answers in
        // milliseconds, a national download is made in well under a
        // second); its connection goes back to the pool with a 408.
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(client_addresses),
            http::client_address::identify,
        ))
        .layer(axum::middleware::from_fn(http::request_id::tag));
    Ok(router.layer(CompressionLayer::new()))
}

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every page's render is given: the station data, the public
/// origin, the clock and the map tiles. The report form's handler renders
/// its page with the same.
fn page_context(
    directory: Directory,
    site: PublicUrl,
    clock: Clock,
    tiles: Option<MapTiles>,
) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(directory.clone());
        provide_context(site.clone());
        provide_context(clock.clone());
        if let Some(tiles) = &tiles {
            provide_context(tiles.clone());
        }
    }
}

/// What an operator chooses for the HTTP application (each a flag of
/// `kieskaart serve`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The map background; `None` draws stations on a plain background.
    pub tiles: Option<MapTiles>,
    /// What uploads (portal or API) may take: size, records, findings,
    /// workers.
    pub uploads: UploadLimits,
    /// How much one client may ask of the API; `None`: no limit.
    pub api_rate: Option<RateLimit>,
    /// How to find a request's client behind proxies, for the API's rate
    /// limit and the portal's sign-in throttle.
    pub client_addresses: ClientAddressRule,
    /// The site's public origin; `None`: plain HTTP on the listening
    /// address (development).
    pub public_url: Option<PublicUrl>,
    /// What "now" is for opening statuses, open-now and the election
    /// meant: the system's clock, or a moment a test chooses.
    pub clock: Clock,
    /// How many problem reports voters may send (issue 23, part 1).
    pub reports: ReportLimits,
}

/// The API behind its per-address limit, when there is one.
fn api_limited<S: Clone + Send + Sync + 'static>(api: Router<S>, limit: Option<RateLimit>) -> Router<S> {
    match limit {
        Some(limit) => {
            api.layer(axum::middleware::from_fn_with_state(Limiter::new(limit), http::rate_limit::limit))
        }
        None => api,
    }
}

/// On a site whose public URL is HTTPS: HSTS on every response, and every
/// cookie `Secure`. The public URL decides, not `X-Forwarded-Proto`: a
/// proxy that speaks plain HTTP to the server behind TLS (the shipped
/// nginx) would otherwise switch both off, and over plain HTTP (a laptop,
/// the tests) a Secure cookie would never come back.
async fn https_only(State(https): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !https {
        return response;
    }
    let headers = response.headers_mut();
    headers
        .insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    let cookies: Vec<HeaderValue> = headers.get_all(SET_COOKIE).iter().cloned().collect();
    headers.remove(SET_COOKIE);
    for cookie in cookies {
        let secure = [cookie.as_bytes(), b"; Secure".as_slice()].concat();
        headers.append(SET_COOKIE, HeaderValue::from_bytes(&secure).unwrap_or(cookie));
    }
    response
}
