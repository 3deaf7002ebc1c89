//! The admins' account pages: every account with its role, municipalities,
//! second factor, last sign-in and standing (`/portaal/beheer/gebruikers`),
//! and one account's page, where an admin changes its municipalities,
//! disables or enables it, and resets its password or second factor with a
//! new activation link (see [`accounts::manage`]).

use super::admin::{admin_only, municipality_codes};
use super::municipality::local_time;
use super::pages::{alert, csrf_field, document, table, tr};
use super::session::{cleared_session, Officer, PageLanguage};
use super::{PortalError, PortalState};
use crate::accounts::manage::{self, Reset, Standing};
use crate::accounts::{self, AccountError, Invitation};
use crate::store::{Store, StoreError, User};
use app::i18n::Language;
use app::model::MunicipalityCode;
use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

const LIST_PATH: &str = "/portaal/beheer/gebruikers";

fn user_path(user: &User) -> String {
    format!("{LIST_PATH}/{}", user.id)
}

/// `GET /portaal/beheer/gebruikers`: every account, by address.
pub async fn list(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
) -> Result<Html<String>, PortalError> {
    admin_only(&officer)?;
    let users = state.submissions.read(|store| store.users()).await??;
    let rows = users
        .iter()
        .map(|user| {
            view! {
                <tr>
                    <th scope="row"><a href=user_path(user)>{user.email.clone()}</a></th>
                    <td>{role(language, user)}</td>
                    <td>{codes(user)}</td>
                    <td>{second_factor(language, user)}</td>
                    <td>{last_sign_in(language, user)}</td>
                    <td>{standing(language, user)}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = [
        ("E-mailadres", "E-mail address"),
        ("Rol", "Role"),
        ("Gemeenten", "Municipalities"),
        ("Tweede stap", "Second step"),
        ("Laatst ingelogd", "Last signed in"),
        ("Stand", "Standing"),
    ];
    let body = view! {
        <div class="scrolls">{table(language, &columns, rows)}</div>
        <p><a href="/portaal/beheer">{tr(language, "Iemand uitnodigen", "Invite someone")}</a></p>
    };
    Ok(document(language, tr(language, "Gebruikers", "Users").into(), Some(&officer), body.into_any()))
}

fn role(language: Language, user: &User) -> &'static str {
    if user.admin {
        tr(language, "beheerder", "admin")
    } else {
        tr(language, "gemeente", "municipality")
    }
}

fn codes(user: &User) -> String {
    user.municipalities.iter().map(MunicipalityCode::as_str).collect::<Vec<_>>().join(", ")
}

fn second_factor(language: Language, user: &User) -> &'static str {
    match user.totp_secret {
        Some(_) => tr(language, "aan", "on"),
        None => tr(language, "uit", "off"),
    }
}

fn last_sign_in(language: Language, user: &User) -> String {
    match &user.last_sign_in {
        Some(at) => local_time(at),
        None => tr(language, "nooit", "never").to_owned(),
    }
}

fn standing(language: Language, user: &User) -> String {
    match (user.standing(), language) {
        (Standing::Disabled(since), Language::Nl) => format!("uitgeschakeld sinds {}", local_time(since)),
        (Standing::Disabled(since), Language::En) => format!("disabled since {}", local_time(since)),
        (Standing::Invited, _) => tr(language, "wacht op activering", "waiting for activation").to_owned(),
        (Standing::Active, _) => tr(language, "actief", "active").to_owned(),
    }
}

/// The account `id` of a page's address; `None` for one that is not a
/// number or not an account.
fn account(store: &Store, id: &str) -> Result<Option<User>, StoreError> {
    match id.parse() {
        Ok(id) => store.user(id),
        Err(_) => Ok(None),
    }
}

/// `GET /portaal/beheer/gebruikers/{id}`: one account and what an admin
/// can do to it.
pub async fn page(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    admin_only(&officer)?;
    let user =
        state.submissions.read(move |store| account(store, &id)).await??.ok_or(PortalError::NotFound)?;
    Ok(user_page(language, &officer, &user, StatusCode::OK, None))
}

fn user_page(
    language: Language,
    officer: &Officer,
    user: &User,
    status: StatusCode,
    outcome: Option<AnyView>,
) -> Response {
    let action = user_path(user);
    let button = |value: &'static str, nl: &'static str, en: &'static str| {
        view! {
            <form method="post" action=action.clone() class="portal-form">
                {csrf_field(&officer.csrf)}
                <input type="hidden" name="action" value=value/>
                <button type="submit">{tr(language, nl, en)}</button>
            </form>
        }
    };
    let access = match user.disabled_at {
        Some(_) => button("enable", "Weer toegang geven", "Enable"),
        None => button("disable", "Uitschakelen", "Disable"),
    };
    let facts = [
        (tr(language, "Rol", "Role"), role(language, user).to_owned()),
        (tr(language, "Tweede stap", "Second step"), second_factor(language, user).to_owned()),
        (tr(language, "Laatst ingelogd", "Last signed in"), last_sign_in(language, user)),
        (tr(language, "Stand", "Standing"), standing(language, user)),
    ]
    .into_iter()
    .map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> })
    .collect_view();
    let body = view! {
        {outcome}
        <dl>{facts}</dl>
        <section>
            <h2>{tr(language, "Gemeenten", "Municipalities")}</h2>
            <form method="post" action=action.clone() class="portal-form">
                {csrf_field(&officer.csrf)}
                <input type="hidden" name="action" value="municipalities"/>
                <label for="municipalities">{tr(language, "Gemeentecodes, met komma's", "Municipality codes, comma-separated")}</label>
                <input id="municipalities" name="municipalities" value=codes(user) placeholder="GM0589, GM0335"/>
                <button type="submit">{tr(language, "Opslaan", "Save")}</button>
            </form>
        </section>
        <section>
            <h2>{tr(language, "Toegang", "Access")}</h2>
            <p>{tr(language,
                "Een uitgeschakeld account is meteen overal uitgelogd en kan niet inloggen tot u het weer toegang geeft.",
                "A disabled account is signed out everywhere at once and cannot sign in until you enable it.")}</p>
            {access}
        </section>
        <section>
            <h2>{tr(language, "Herstellen", "Reset")}</h2>
            <p>{tr(language,
                "Beide maken een nieuwe activeringslink waarmee de gebruiker een nieuw wachtwoord kiest; het oude werkt meteen niet meer en alle sessies eindigen. Bij een kwijtgeraakte telefoon gaat ook de tweede stap eraf; die stelt de gebruiker daarna opnieuw in.",
                "Both make a new activation link with which the user chooses a new password; the old one stops working at once and every session ends. For a lost phone the second step goes too; the user sets it up again afterwards.")}</p>
            {button("reset-password", "Wachtwoord vergeten", "Forgotten password")}
            {button("reset-second-factor", "Telefoon kwijt (tweede stap)", "Lost phone (second step)")}
        </section>
        <p><a href=LIST_PATH>{tr(language, "Alle gebruikers", "All users")}</a></p>
    };
    (status, document(language, user.email.clone(), Some(officer), body.into_any())).into_response()
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    municipalities: String,
}

/// What an admin does to an account.
enum Action {
    Disable,
    Enable,
    Municipalities(Vec<MunicipalityCode>),
    Reset(Reset),
}

impl Action {
    /// The form's action; `Err` with what is wrong with the codes typed,
    /// `None` for an action no page offers.
    fn of(form: &ChangeForm) -> Option<Result<Self, String>> {
        Some(Ok(match form.action.as_str() {
            "disable" => Action::Disable,
            "enable" => Action::Enable,
            "municipalities" => match municipality_codes(&form.municipalities) {
                Ok(codes) => Action::Municipalities(codes),
                Err(problem) => return Some(Err(problem)),
            },
            "reset-password" => Action::Reset(Reset::Password),
            "reset-second-factor" => Action::Reset(Reset::SecondFactor),
            _ => return None,
        }))
    }

    /// Does it, as `actor`; a reset's new link.
    fn apply(self, store: &mut Store, user: &User, actor: &str) -> Result<Option<Invitation>, AccountError> {
        let now = Utc::now();
        match self {
            Action::Disable => manage::disable(store, user, actor, now).map(|()| None),
            Action::Enable => manage::enable(store, user, actor).map(|()| None),
            Action::Municipalities(codes) => {
                manage::set_municipalities(store, user, &codes, actor).map(|()| None)
            }
            Action::Reset(what) => manage::reset(store, user, what, actor, now).map(Some),
        }
    }
}

/// `POST /portaal/beheer/gebruikers/{id}`: one change to an account (the
/// form's `action`), then its page again with the outcome; a reset shows
/// the new link once, to send on. An admin who disables their own account
/// is signed out with it.
pub async fn change(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, PortalError> {
    admin_only(&officer)?;
    officer.check(&form.csrf)?;
    let action = Action::of(&form).ok_or(PortalError::NotFound)?;
    let disabling = matches!(action, Ok(Action::Disable));
    let actor = officer.user.email.clone();
    let (user, outcome) = state
        .submissions
        .run(move |store, _| {
            let Some(user) = account(store, &id)? else { return Ok(None) };
            let outcome = action.map(|action| action.apply(store, &user, &actor));
            // As it is now, to show.
            let user = store.user(user.id)?.unwrap_or(user);
            Ok::<_, StoreError>(Some((user, outcome)))
        })
        .await??
        .ok_or(PortalError::NotFound)?;
    let (status, shown) = match outcome {
        Ok(Ok(_)) if disabling && user.id == officer.user.id => {
            let cookie = cleared_session();
            let to = HeaderValue::from_static("/portaal/inloggen");
            return Ok((StatusCode::SEE_OTHER, [(LOCATION, to), (SET_COOKIE, cookie)]).into_response());
        }
        Ok(Ok(Some(invitation))) => {
            (StatusCode::OK, new_link(language, state.site.origin(), &invitation).into_any())
        }
        Ok(Ok(None)) => (StatusCode::OK, done(language).into_any()),
        Ok(Err(AccountError::Store(error))) => return Err(error.into()),
        Ok(Err(AccountError::Random(error))) => return Err(error.into()),
        Ok(Err(problem)) => refused(language, &problem),
        Err(problem) => (StatusCode::UNPROCESSABLE_ENTITY, alert(problem).into_any()),
    };
    Ok(user_page(language, &officer, &user, status, Some(shown)))
}

fn done(language: Language) -> impl IntoView {
    view! { <p class="notice" role="status">{tr(language, "Opgeslagen.", "Saved.")}</p> }
}

/// A reset's new activation link, shown once.
fn new_link(language: Language, origin: &str, invitation: &Invitation) -> impl IntoView {
    let link = format!("{origin}{}", accounts::activation_path(&invitation.secret));
    let text = tr(
        language,
        "Stuur deze activeringslink naar de gebruiker; hij werkt één keer en 24 uur lang en wordt niet nog eens getoond:",
        "Send this activation link to the user; it works once, for 24 hours, and is not shown again:",
    );
    view! { <div class="notice" role="status"><p>{text}</p><p><code class="secret">{link}</code></p></div> }
}

/// A change refused, with why and its status.
fn refused(language: Language, problem: &AccountError) -> (StatusCode, AnyView) {
    let (status, text) = match (problem, language) {
        (AccountError::LastAdmin(_), Language::Nl) => (
            StatusCode::CONFLICT,
            "Dit is de laatste beheerder die kan inloggen; maak eerst een andere beheerder of geef er een weer toegang, zodat iemand het portaal kan blijven beheren.".to_owned(),
        ),
        (AccountError::LastAdmin(_), _) => (StatusCode::CONFLICT, problem.to_string()),
        (AccountError::NoMunicipalityLeft, Language::Nl) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Een gemeente-account werkt voor minstens één gemeente; wilt u alle toegang afnemen, schakel het account dan uit.".to_owned(),
        ),
        (AccountError::Unknown(_), _) => (StatusCode::NOT_FOUND, problem.to_string()),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, problem.to_string()),
    };
    (status, alert(text).into_any())
}
