//! `/portaal/tweede-stap`: setting up an authenticator app, and replacing
//! or removing it with a code of the current one (see
//! [`accounts::second_factor::change`]).

use super::pages::{alert, csrf_field, document, tr};
use super::session::{cleared_session, Officer, PageLanguage};
use super::{PortalError, PortalState, SECOND_FACTOR_PATH};
use crate::accounts::second_factor::{Change, Changed};
use crate::accounts::{self, second_factor};
use crate::secrets;
use app::i18n::Language;
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

/// Where a user who has a second factor turns it off.
pub(super) const REMOVE_PATH: &str = "/portaal/tweede-stap/uitzetten";

/// `GET /portaal/tweede-stap`: set up an authenticator app (required for
/// admins, offered to everyone), or replace the one in use.
pub async fn form(PageLanguage(language): PageLanguage, officer: Officer) -> Result<Response, PortalError> {
    let secret = second_factor::new_secret()?;
    page(language, &officer, &secret, StatusCode::OK, None)
}

fn page(
    language: Language,
    officer: &Officer,
    secret: &str,
    status: StatusCode,
    message: Option<String>,
) -> Result<Response, PortalError> {
    let uri = second_factor::setup_uri(secret, &officer.user.email);
    let replacing = officer.user.totp_secret.is_some();
    let intro = if replacing {
        tr(language,
            "U gebruikt al een authenticator-app. Wilt u een andere gebruiken, typ dan een code van de app die u nu gebruikt én een van de nieuwe. Bent u uw telefoon kwijt? Vraag dan de beheerder om uw tweede stap te herstellen.",
            "You already use an authenticator app. To use another one, type a code of the app you use now and one of the new app. Lost your phone? Ask the administrator to reset your second step.")
    } else if officer.user.admin {
        tr(language,
            "Als beheerder logt u in met een wachtwoord én een code uit een authenticator-app. Stel die nu in.",
            "As an admin you sign in with a password and a code from an authenticator app. Set it up now.")
    } else {
        tr(language,
            "Met een code uit een authenticator-app bij het inloggen kan niemand met alleen uw wachtwoord in uw account.",
            "With a code from an authenticator app at sign-in, nobody gets into your account with your password alone.")
    };
    let current = replacing.then(|| current_field(language, "current"));
    let removal = (replacing && !officer.user.admin).then(|| {
        view! {
            <h2>{tr(language, "Tweestapsverificatie uitzetten", "Turn two-step verification off")}</h2>
            <form method="post" action=REMOVE_PATH class="portal-form">
                {csrf_field(&officer.csrf)}
                {current_field(language, "remove-current")}
                <button type="submit">{tr(language, "Uitzetten", "Turn off")}</button>
            </form>
        }
    });
    let body = view! {
        {message.map(alert)}
        <p>{intro}</p>
        <ol>
            <li>{tr(language, "Voeg in uw app een account toe met deze sleutel: ", "In your app, add an account with this key: ")}<code class="secret">{secret.to_owned()}</code>
                " " <a href=uri>{tr(language, "(of open deze link op uw telefoon)", "(or open this link on your phone)")}</a></li>
            <li>{tr(language, "Typ de code die de app nu toont.", "Type the code the app shows now.")}</li>
        </ol>
        <form method="post" action=SECOND_FACTOR_PATH class="portal-form">
            {csrf_field(&officer.csrf)}
            <input type="hidden" name="secret" value=secret.to_owned()/>
            {current}
            <label for="code">{tr(language, "Code van de nieuwe app", "Code of the new app")}</label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required/>
            <button type="submit">{if replacing { tr(language, "Vervangen", "Replace") } else { tr(language, "Instellen", "Set up") }}</button>
        </form>
        {removal}
    };
    let title = tr(language, "Tweestapsverificatie", "Two-step verification").into();
    Ok((status, document(language, title, Some(officer), body.into_any())).into_response())
}

/// The field for a code of the app in use, `id` naming it on the page.
fn current_field(language: Language, id: &'static str) -> impl IntoView {
    view! {
        <label for=id>{tr(language, "Code van de app die u nu gebruikt", "Code of the app you use now")}</label>
        <input id=id name="current" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required/>
    }
}

#[derive(Deserialize)]
pub struct SecondFactorForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
    /// A code of the app in use, when there is one.
    #[serde(default)]
    current: String,
}

/// `POST /portaal/tweede-stap`: the new app's code proves it holds the
/// secret (and, to replace one, the current app's code proves the user
/// holds that); from then on sign-in asks for its codes.
pub async fn set(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Form(form): Form<SecondFactorForm>,
) -> Result<Response, PortalError> {
    officer.check(&form.csrf)?;
    let new = Some((form.secret.clone(), form.code));
    match apply(&state, &officer, new, form.current).await? {
        Changed::Done => Ok((StatusCode::SEE_OTHER, [(LOCATION, "/portaal")]).into_response()),
        Changed::WrongCurrentCode => Ok(signed_out(language)),
        Changed::WrongNewCode | Changed::Required => {
            let message = tr(
                language,
                "Die code klopt niet. Controleer of de klok van uw telefoon goed staat en typ de nieuwste code.",
                "That code is not right. Check that your phone's clock is right and type the newest code.",
            );
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(language, &officer, &form.secret, status, Some(message.into()))
        }
    }
}

#[derive(Deserialize)]
pub struct RemovalForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
}

/// `POST /portaal/tweede-stap/uitzetten`: an officer turns the second
/// factor off with a code of the app in use; admins cannot.
pub async fn remove(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Form(form): Form<RemovalForm>,
) -> Result<Response, PortalError> {
    officer.check(&form.csrf)?;
    match apply(&state, &officer, None, form.current).await? {
        Changed::Done => Ok((StatusCode::SEE_OTHER, [(LOCATION, "/portaal")]).into_response()),
        Changed::WrongCurrentCode => Ok(signed_out(language)),
        // A removal has no new code to be wrong.
        Changed::Required | Changed::WrongNewCode => {
            let message = tr(
                language,
                "Als beheerder houdt u tweestapsverificatie aan; u kunt wel een andere app gaan gebruiken.",
                "As an admin you keep two-step verification on; you can move to another app, though.",
            );
            let secret = second_factor::new_secret()?;
            page(language, &officer, &secret, StatusCode::FORBIDDEN, Some(message.into()))
        }
    }
}

/// Changes the officer's second factor, as the store holds it now, to the
/// app with `new`'s secret and code, or off.
async fn apply(
    state: &PortalState,
    officer: &Officer,
    new: Option<(String, String)>,
    current: String,
) -> Result<Changed, PortalError> {
    let (id, session) = (officer.user.id, secrets::hash(&officer.cookie));
    let now = Utc::now().timestamp().max(0) as u64;
    let changed = state
        .submissions
        .run(move |store, _| {
            let Some(user) = store.user(id)? else { return Ok(None) };
            let change = match &new {
                Some((secret, code)) => Change::To { secret, code },
                None => Change::Off,
            };
            accounts::second_factor::change(store, &user, change, &current, &session, now).map(Some)
        })
        .await??;
    changed.ok_or(PortalError::SignInNeeded)
}

/// After a wrong code of the app in use: the session has ended, and the
/// page says why.
fn signed_out(language: Language) -> Response {
    let text = tr(
        language,
        "De code van de app die u nu gebruikt klopt niet. Om uw account te beschermen bent u uitgelogd; log opnieuw in en probeer het nog eens.",
        "The code of the app you use now is not right. To protect your account you have been signed out; sign in again and try once more.",
    );
    let body = view! {
        {alert(text.into())}
        <p><a href="/portaal/inloggen">{tr(language, "Inloggen", "Sign in")}</a></p>
    };
    let title = tr(language, "Tweestapsverificatie", "Two-step verification").into();
    let page = document(language, title, None, body.into_any());
    (StatusCode::FORBIDDEN, [(SET_COOKIE, cleared_session())], page).into_response()
}
