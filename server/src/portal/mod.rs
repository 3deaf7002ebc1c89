//! The municipality portal under `/portaal`: election officers sign in,
//! upload their station lists, read the validation report, compare a draft
//! with what voters see, publish, and restore earlier versions.
//!
//! Pages are plain HTML forms rendered on the server, without scripts:
//! they work in any browser a town hall has, and the voter's bundle
//! carries nothing of them. Every route that touches a municipality's data
//! checks, on the server, that the signed-in user acts for it.

mod admin;
mod deliveries;
pub(crate) mod diff;
mod edit;
mod keys;
mod municipality;
mod pages;
mod reports;
mod second_factor;
mod session;
mod sign_in;
mod users;

use crate::accounts::password::{Busy, Hashing};
use crate::accounts::{ActivationError, SignInError, Throttle};
use crate::catalog::Catalog;
use crate::secrets::RandomError;
use crate::store::StoreError;
use crate::submissions::{Interrupted, NotTaken, Submissions};
use app::components::MapTiles;
use app::directory::PublicUrl;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::{
    HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, LOCATION, REFERRER_POLICY, RETRY_AFTER,
    X_FRAME_OPTIONS,
};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// What portal handlers share: the store's connections (through which
/// uploads go, one at a time), the sign-in throttle and the turns to hash
/// a password.
#[derive(Clone)]
pub struct PortalState {
    pub submissions: Arc<Submissions>,
    pub throttle: Arc<Throttle>,
    pub hashing: Arc<Hashing>,
    /// For placing a station by its address.
    pub catalog: Arc<Catalog>,
    /// The map background of the portal's maps, if any.
    pub tiles: Option<MapTiles>,
    /// The site's public origin, which activation links start with.
    pub site: PublicUrl,
}

/// Where a user sets up the authenticator app.
pub(crate) const SECOND_FACTOR_PATH: &str = "/portaal/tweede-stap";

/// The portal; uploads of at most `upload_limit` bytes.
pub fn routes(upload_limit: usize) -> Router<PortalState> {
    Router::new()
        .route("/portaal", get(municipality::overview))
        .route("/portaal/inloggen", get(sign_in::form).post(sign_in::sign_in))
        .route("/portaal/uitloggen", post(sign_in::sign_out))
        .route(SECOND_FACTOR_PATH, get(second_factor::form).post(second_factor::set))
        .route(second_factor::REMOVE_PATH, post(second_factor::remove))
        .route("/portaal/activeren/{secret}", get(sign_in::activation_form).post(sign_in::activate))
        .route(
            "/portaal/{election}/{code}",
            get(municipality::page)
                .post(municipality::upload)
                // Room for the form's other fields around the file.
                .layer(DefaultBodyLimit::max(upload_limit + 64 * 1024)),
        )
        .route(
            "/portaal/{election}/{code}/versies/{version}",
            get(municipality::version).post(municipality::publish),
        )
        .route(
            "/portaal/{election}/{code}/versies/{version}/stembureaus/{position}",
            get(edit::form).post(edit::save),
        )
        .route("/portaal/{election}/{code}/sjabloon.xlsx", get(municipality::template))
        .route("/portaal/sjabloon.xlsx", get(municipality::blank_template))
        .route("/portaal/logboek", get(admin::audit_log))
        .route("/portaal/beheer", get(admin::overview))
        .route("/portaal/beheer/uitnodigen", post(admin::invite))
        .route("/portaal/beheer/gebruikers", get(users::list))
        .route("/portaal/beheer/gebruikers/{id}", get(users::page).post(users::change))
        .route("/portaal/beheer/{election}/sluiten", post(admin::set_closed))
        .route("/portaal/{election}/{code}/sleutels", post(keys::create))
        .route("/portaal/{election}/{code}/sleutels/{id}/intrekken", post(keys::revoke))
        // Issue 23, part 1: voters' reports.
        .route("/portaal/{election}/{code}/meldingen", get(reports::queue))
        .route("/portaal/{election}/{code}/meldingen/{id}", post(reports::set_state))
        .route(reports::COUNTS_PATH, get(reports::counts))
        .layer(axum::middleware::from_fn(private_page_headers))
}

/// Portal pages hold one municipality's unpublished data and forms that
/// change it: no cache keeps them, no site frames them (clickjacking), no
/// script runs in them, and no link tells another site their address (an
/// activation link's address is its secret).
async fn private_page_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Pages with a map set their own, which lets it load (see `map_policy`).
    headers.entry(CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ));
    response
}

/// The policy of a portal page with a map: our own scripts (Leaflet and
/// `portal-map.js`) and the tile server's images, nothing more.
pub(crate) fn map_policy(tiles: Option<&MapTiles>) -> HeaderValue {
    let tiles = tiles.and_then(MapTiles::origin).map(|origin| format!(" {origin}")).unwrap_or_default();
    let policy = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'none'"))
}

/// When to try again after [`PortalError::Busy`], in seconds: a few
/// hashes' time.
const BUSY_RETRY: &str = "2";

/// Why a portal request was not done. Each is answered with a page in
/// both languages (the language is not known to every rejection).
#[derive(Debug)]
pub enum PortalError {
    /// No valid session: to the sign-in page.
    SignInNeeded,
    /// An admin without a second factor: to setting one up.
    SecondFactorNeeded,
    /// A form without this session's (or visitor's) token.
    FormExpired,
    /// The user does not act for this municipality.
    Forbidden,
    /// The election is closed to submissions (and the user no admin).
    Closed,
    NotFound,
    /// Every upload worker is busy and the queue is full; nothing was
    /// changed.
    UploadsBusy,
    /// Too many passwords to check just now; nothing was changed.
    Busy,
    /// The store or the system failed; nothing was changed.
    Unavailable(String),
}

impl From<NotTaken> for PortalError {
    fn from(refusal: NotTaken) -> Self {
        match refusal {
            NotTaken::Busy => PortalError::UploadsBusy,
            NotTaken::Interrupted => Interrupted.into(),
            NotTaken::Store(error) => error.into(),
        }
    }
}

impl From<StoreError> for PortalError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "portal");
        PortalError::Unavailable(error.to_string())
    }
}

impl From<Interrupted> for PortalError {
    fn from(_: Interrupted) -> Self {
        PortalError::Unavailable("interrupted".into())
    }
}

impl From<Busy> for PortalError {
    fn from(_: Busy) -> Self {
        PortalError::Busy
    }
}

impl From<RandomError> for PortalError {
    fn from(error: RandomError) -> Self {
        PortalError::Unavailable(error.to_string())
    }
}

impl From<SignInError> for PortalError {
    fn from(error: SignInError) -> Self {
        PortalError::Unavailable(error.to_string())
    }
}

impl From<ActivationError> for PortalError {
    fn from(error: ActivationError) -> Self {
        PortalError::Unavailable(error.to_string())
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let (status, nl, en) = match self {
            PortalError::SignInNeeded => {
                return (StatusCode::SEE_OTHER, [(LOCATION, "/portaal/inloggen")]).into_response();
            }
            PortalError::SecondFactorNeeded => {
                return (StatusCode::SEE_OTHER, [(LOCATION, SECOND_FACTOR_PATH)]).into_response();
            }
            PortalError::FormExpired => (
                StatusCode::FORBIDDEN,
                "Dit formulier is verlopen of niet van deze site. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
                "This form has expired or is not from this site. Go back, reload the page and try again.",
            ),
            PortalError::Forbidden => (
                StatusCode::FORBIDDEN,
                "U werkt niet voor deze gemeente. Kies een van uw gemeenten op de overzichtspagina.",
                "You do not act for this municipality. Choose one of yours on the overview page.",
            ),
            PortalError::Closed => (
                StatusCode::FORBIDDEN,
                "Aanleveren voor deze verkiezing is gesloten; er is niets veranderd. Is er toch een correctie nodig, neem dan contact op met de beheerder van Kieskaart.",
                "Submissions for this election are closed; nothing was changed. If a correction is needed all the same, contact Kieskaart's administrator.",
            ),
            PortalError::NotFound => (
                StatusCode::NOT_FOUND,
                "Deze pagina bestaat niet. Kies een gemeente en verkiezing op de overzichtspagina.",
                "There is no such page. Choose a municipality and election on the overview page.",
            ),
            PortalError::UploadsBusy => {
                let page = pages::problem(
                    "Er worden nu veel bestanden tegelijk gecontroleerd; het uwe is niet bekeken en er is niets veranderd. Stuur het over een minuut opnieuw.",
                    "Many files are being checked at the moment; yours was not looked at and nothing was changed. Send it again in a minute.",
                );
                return (StatusCode::SERVICE_UNAVAILABLE, [(RETRY_AFTER, "60")], page).into_response();
            }
            PortalError::Busy => {
                let page = pages::problem(
                    "Het is nu erg druk. Er is niets veranderd; probeer het over een paar seconden opnieuw.",
                    "The server is very busy just now. Nothing was changed; try again in a few seconds.",
                );
                return (StatusCode::SERVICE_UNAVAILABLE, [(RETRY_AFTER, BUSY_RETRY)], page).into_response();
            }
            PortalError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Er ging iets mis bij het opslaan; er is niets veranderd. Probeer het over een minuut opnieuw.",
                "Something went wrong while storing; nothing was changed. Try again in a minute.",
            ),
        };
        (status, pages::problem(nl, en)).into_response()
    }
}
