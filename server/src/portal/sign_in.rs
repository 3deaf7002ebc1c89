//! Signing in and out, and activating an account with its one-time link.

use super::pages::{alert, csrf_field, document, tr};
use super::session::{check_visitor, cleared_session, session_cookie, visitor_token, Officer, PageLanguage};
use super::{PortalError, PortalState};
use crate::accounts::{self, ActivationError, Attempt, Password, SignInError};
use crate::http::client_address::ClientAddress;
use app::i18n::Language;
use axum::extract::{Path, State};
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// `GET /portaal/inloggen`.
pub async fn form(PageLanguage(language): PageLanguage, headers: HeaderMap) -> Result<Response, PortalError> {
    sign_in_page(language, &headers, StatusCode::OK, None)
}

fn sign_in_page(
    language: Language,
    headers: &HeaderMap,
    status: StatusCode,
    message: Option<String>,
) -> Result<Response, PortalError> {
    let (token, cookie) = visitor_token(headers)?;
    let body = view! {
        {message.map(alert)}
        <form method="post" action="/portaal/inloggen" class="portal-form">
            {csrf_field(&token)}
            <label for="email">{tr(language, "E-mailadres", "E-mail address")}</label>
            <input id="email" name="email" type="email" autocomplete="username" required/>
            <label for="password">{tr(language, "Wachtwoord", "Password")}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <label for="code">{tr(language, "Code uit uw authenticator-app (als u die gebruikt)", "Code from your authenticator app (if you use one)")}</label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"/>
            <button type="submit">{tr(language, "Inloggen", "Sign in")}</button>
        </form>
        <p>{tr(language,
            "Nog geen account? De beheerder van Kieskaart maakt er een en stuurt u een activeringslink.",
            "No account yet? Kieskaart's administrator makes one and sends you an activation link.")}</p>
    };
    let page = document(language, tr(language, "Inloggen", "Sign in").into(), None, body.into_any());
    Ok(with_visitor_cookie((status, page).into_response(), cookie))
}

/// A page with a form shown before signing in, setting the visitor's
/// form-token cookie when it is new.
fn with_visitor_cookie(mut response: Response, cookie: Option<axum::http::HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

/// `POST /portaal/inloggen`: a session cookie and on to the overview, or
/// the form again with a message that does not say which part was wrong.
pub async fn sign_in(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    address: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PortalError> {
    check_visitor(&headers, &form.csrf)?;
    let attempt = Attempt::new(&form.email, address, Instant::now());
    if let Err(wait) = attempt.admitted(&state.throttle) {
        state.submissions.run(move |store, _| accounts::log_throttled(store, &attempt, Utc::now())).await??;
        return throttled(language, &headers, wait);
    }
    // The password is checked between two short store calls, holding
    // neither connection, and in turn with every other hash.
    let account = attempt.account().to_owned();
    let user = state.submissions.read(move |store| store.user_by_email(&account)).await??;
    let stored = user.as_ref().and_then(|user| user.password_hash.clone());
    let right = match state.hashing.verify(form.password, stored).await {
        Ok(right) => right,
        Err(busy) => {
            attempt.withdraw(&state.throttle);
            return Err(busy.into());
        }
    };
    let throttle = state.throttle.clone();
    let signed_in = state
        .submissions
        .run(move |store, _| {
            let user = user.filter(|_| right);
            accounts::finish_sign_in(store, &throttle, &attempt, user, &form.code, Utc::now())
        })
        .await?;
    match signed_in {
        Ok(signed_in) => Ok((
            StatusCode::SEE_OTHER,
            [
                (LOCATION, "/portaal".parse().expect("a valid header")),
                (SET_COOKIE, session_cookie(&signed_in.cookie)),
            ],
        )
            .into_response()),
        Err(SignInError::Refused) => sign_in_page(
            language,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some(
                tr(
                    language,
                    "Het e-mailadres of het wachtwoord klopt niet.",
                    "The e-mail address or password is wrong.",
                )
                .into(),
            ),
        ),
        Err(other) => Err(other.into()),
    }
}

/// The sign-in form again, saying how long to wait (rounded up, in
/// seconds or minutes) and with `Retry-After`.
fn throttled(language: Language, headers: &HeaderMap, wait: Duration) -> Result<Response, PortalError> {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let in_minutes = seconds > 90;
    let count = if in_minutes { seconds.div_ceil(60) } else { seconds };
    let (nl, en) = match (in_minutes, count == 1) {
        (false, true) => ("seconde", "second"),
        (false, false) => ("seconden", "seconds"),
        (true, true) => ("minuut", "minute"),
        (true, false) => ("minuten", "minutes"),
    };
    let message = match language {
        Language::Nl => format!("Te veel mislukte pogingen. Wacht {count} {nl} en probeer het dan opnieuw."),
        Language::En => format!("Too many failed attempts. Wait {count} {en}, then try again."),
    };
    let mut response = sign_in_page(language, headers, StatusCode::TOO_MANY_REQUESTS, Some(message))?;
    response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    Ok(response)
}

#[derive(Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    csrf: String,
    /// Present when every session of the user should end.
    everywhere: Option<String>,
}

/// `POST /portaal/uitloggen`: ends this session, or all of the user's.
pub async fn sign_out(
    State(state): State<PortalState>,
    officer: Officer,
    Form(form): Form<SignOutForm>,
) -> Result<Response, PortalError> {
    officer.check(&form.csrf)?;
    let everywhere = form.everywhere.is_some();
    state
        .submissions
        .run(move |store, _| {
            if everywhere {
                store.end_sessions(officer.user.id)
            } else {
                store.end_session(&crate::secrets::hash(&officer.cookie))
            }
        })
        .await??;
    Ok((
        StatusCode::SEE_OTHER,
        [(LOCATION, "/portaal/inloggen".parse().expect("a valid header")), (SET_COOKIE, cleared_session())],
    )
        .into_response())
}

/// `GET /portaal/activeren/{secret}`: choose a password.
pub async fn activation_form(
    PageLanguage(language): PageLanguage,
    Path(secret): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PortalError> {
    activation_page(language, &secret, &headers, StatusCode::OK, None)
}

fn activation_page(
    language: Language,
    secret: &str,
    headers: &HeaderMap,
    status: StatusCode,
    message: Option<String>,
) -> Result<Response, PortalError> {
    let (token, cookie) = visitor_token(headers)?;
    let action = accounts::activation_path(secret);
    let rule = match language {
        Language::Nl => {
            format!("Kies een wachtwoord van minstens {} tekens.", accounts::password::MINIMUM_LENGTH)
        }
        Language::En => {
            format!("Choose a password of at least {} characters.", accounts::password::MINIMUM_LENGTH)
        }
    };
    let body = view! {
        {message.map(alert)}
        <p id="rule">{rule}</p>
        <form method="post" action=action class="portal-form">
            {csrf_field(&token)}
            <label for="password">{tr(language, "Nieuw wachtwoord", "New password")}</label>
            <input id="password" name="password" type="password" autocomplete="new-password" aria-describedby="rule" required/>
            <label for="again">{tr(language, "Nogmaals", "Again")}</label>
            <input id="again" name="again" type="password" autocomplete="new-password" required/>
            <button type="submit">{tr(language, "Account activeren", "Activate account")}</button>
        </form>
    };
    let page = document(
        language,
        tr(language, "Account activeren", "Activate your account").into(),
        None,
        body.into_any(),
    );
    Ok(with_visitor_cookie((status, page).into_response(), cookie))
}

#[derive(Deserialize)]
pub struct ActivationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    again: String,
}

/// `POST /portaal/activeren/{secret}`: sets the password and sends the
/// officer to sign in with it.
pub async fn activate(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    Path(secret): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ActivationForm>,
) -> Result<Response, PortalError> {
    check_visitor(&headers, &form.csrf)?;
    // The link first, on the reading connection: a made-up or used link
    // costs a lookup, never a hash.
    let link = secret.clone();
    let usable =
        state.submissions.read(move |store| accounts::activation_usable(store, &link, Utc::now())).await??;
    if !usable {
        return link_gone(language, &secret, &headers);
    }
    let password = match Password::new(&form.password, &form.again) {
        Ok(password) => password,
        Err(problem) => {
            let message = password_problem(language, problem);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return activation_page(language, &secret, &headers, status, Some(message));
        }
    };
    let hash = state.hashing.hash(&password).await??;
    let link = secret.clone();
    let activated =
        state.submissions.run(move |store, _| accounts::activate(store, &link, &hash, Utc::now())).await?;
    match activated {
        Ok(_) => Ok((StatusCode::SEE_OTHER, [(LOCATION, "/portaal/inloggen")]).into_response()),
        // Used by another request while the password was hashed.
        Err(ActivationError::Invalid) => link_gone(language, &secret, &headers),
        Err(other) => Err(other.into()),
    }
}

/// What is wrong with the password chosen, in the page's language.
fn password_problem(language: Language, problem: accounts::PasswordError) -> String {
    match language {
        Language::Nl => match problem {
            accounts::PasswordError::TooShort(n) => format!(
                "Dit wachtwoord heeft {n} tekens; kies er een van minstens {}.",
                accounts::password::MINIMUM_LENGTH
            ),
            accounts::PasswordError::TooLong => "Dit wachtwoord is te lang; kies een korter.".into(),
            accounts::PasswordError::Differ => {
                "De twee wachtwoorden verschillen; typ twee keer hetzelfde.".into()
            }
        },
        Language::En => problem.to_string(),
    }
}

/// The activation form again, saying the link is used or expired.
fn link_gone(language: Language, secret: &str, headers: &HeaderMap) -> Result<Response, PortalError> {
    let text = tr(
        language,
        "Deze activeringslink is al gebruikt of verlopen. Vraag de beheerder om een nieuwe.",
        "This activation link has been used or has expired. Ask the administrator for a new one.",
    );
    activation_page(language, secret, headers, StatusCode::GONE, Some(text.into()))
}
