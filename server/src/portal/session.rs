//! Who is asking: the signed-in officer behind a session cookie, and the
//! form tokens that stop another site from submitting our forms in their
//! name (CSRF).
//!
//! Signed in, every form carries the session's token. Before that (the
//! sign-in and activation forms), a random token is set as a cookie and
//! repeated in the form; another site can make a browser send the cookie
//! but cannot read it to repeat it. Both cookies are `HttpOnly`,
//! `SameSite=Strict`, limited to `/portaal`, and `Secure` when the site's
//! public URL is HTTPS (added to every cookie in one place:
//! `startup::https_only`).

use super::{PortalError, PortalState};
use crate::accounts;
use crate::secrets;
use crate::store::User;
use app::i18n::Language;
use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use chrono::Utc;

const SESSION_COOKIE: &str = "kk_sessie";
const FORM_COOKIE: &str = "kk_formulier";

/// A signed-in user, found from the session cookie.
pub struct Officer {
    pub user: User,
    /// The token this session's forms carry.
    pub csrf: String,
    /// The cookie's secret, to end this session.
    pub cookie: String,
}

impl Officer {
    /// Refuses a form whose token is not this session's.
    pub fn check(&self, form_token: &str) -> Result<(), PortalError> {
        if secrets::same(form_token, &self.csrf) {
            Ok(())
        } else {
            Err(PortalError::FormExpired)
        }
    }
}

impl FromRequestParts<PortalState> for Officer {
    type Rejection = PortalError;

    async fn from_request_parts(parts: &mut Parts, state: &PortalState) -> Result<Self, Self::Rejection> {
        let cookie = cookie(&parts.headers, SESSION_COOKIE).ok_or(PortalError::SignInNeeded)?;
        let lookup = cookie.clone();
        let (user, session) = state
            .submissions
            // Every portal page asks: on the reading connection, so that
            // pages do not wait for an upload being stored.
            .read(move |store| accounts::session(store, &lookup, Utc::now()))
            .await??
            .ok_or(PortalError::SignInNeeded)?;
        // Admins must set up a second factor before anything else.
        let exempt = [super::SECOND_FACTOR_PATH, "/portaal/uitloggen"].contains(&parts.uri.path());
        if user.admin && user.totp_secret.is_none() && !exempt {
            return Err(PortalError::SecondFactorNeeded);
        }
        Ok(Officer { user, csrf: session.csrf, cookie })
    }
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(serde::Deserialize)]
pub struct ButtonForm {
    #[serde(default)]
    pub csrf: String,
}

/// The language of a portal page (see `app::i18n`).
pub struct PageLanguage(pub Language);

impl<S: Send + Sync> FromRequestParts<S> for PageLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLanguage(Language::of_request(parts)))
    }
}

/// The token of a form shown before signing in: the one in the visitor's
/// cookie, or a new one with the cookie to set.
pub fn visitor_token(headers: &HeaderMap) -> Result<(String, Option<HeaderValue>), PortalError> {
    if let Some(token) = cookie(headers, FORM_COOKIE) {
        return Ok((token, None));
    }
    let token = secrets::random_hex()?;
    let header = set_cookie(FORM_COOKIE, &token, 3600);
    Ok((token, Some(header)))
}

/// Refuses a form shown before signing in whose token is not the cookie's.
pub fn check_visitor(headers: &HeaderMap, form_token: &str) -> Result<(), PortalError> {
    match cookie(headers, FORM_COOKIE) {
        Some(token) if secrets::same(&token, form_token) => Ok(()),
        _ => Err(PortalError::FormExpired),
    }
}

/// The cookie that holds a new session.
pub fn session_cookie(secret: &str) -> HeaderValue {
    set_cookie(SESSION_COOKIE, secret, accounts::SESSION_VALID.num_seconds())
}

/// The cookie that tells the browser to forget its session.
pub fn cleared_session() -> HeaderValue {
    set_cookie(SESSION_COOKIE, "", 0)
}

fn set_cookie(name: &str, value: &str, max_age: i64) -> HeaderValue {
    let cookie = format!("{name}={value}; Path=/portaal; Max-Age={max_age}; HttpOnly; SameSite=Strict");
    HeaderValue::from_str(&cookie).expect("names and hex values are valid in a header")
}

/// A cookie's value, from any `Cookie` header of the request.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|pair| match pair.trim().split_once('=') {
            Some((key, value)) if key == name && !value.is_empty() => Some(value.to_owned()),
            _ => None,
        })
}
