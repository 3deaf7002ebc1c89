//! What only admins do: see where every municipality stands, close an
//! election to submissions after its deadline, invite officers, read the
//! audit log, and see the change feed's webhook deliveries. Managing the
//! accounts is in `users`.

use super::deliveries;
use super::municipality::{local_time, standings, state_text, Standing};
use super::pages::{alert, csrf_field, document, table, tr};
use super::session::{Officer, PageLanguage};
use super::{PortalError, PortalState};
use crate::accounts::{self, AccountError, Email};
use crate::store::{AuditPage, Closed, Logged, StoreError};
use app::i18n::Language;
use app::model::{Election, ElectionId, MunicipalityCode};
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

/// How many audit entries a page of the log shows, newest first.
const SHOWN: usize = 100;

pub(super) fn admin_only(officer: &Officer) -> Result<(), PortalError> {
    if officer.user.admin {
        Ok(())
    } else {
        Err(PortalError::Forbidden)
    }
}

/// One election as the admin sees it.
struct ElectionState {
    election: Election,
    closed: Option<Closed>,
    standings: Vec<Standing>,
}

/// `GET /portaal/beheer`.
pub async fn overview(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
) -> Result<Html<String>, PortalError> {
    admin_only(&officer)?;
    let elections = state
        .submissions
        .run(|store, _| {
            let every: Vec<MunicipalityCode> = store.municipalities()?.into_iter().map(|m| m.code).collect();
            standings(store, |_| every.clone())?
                .into_iter()
                .map(|(election, standings)| {
                    let closed = store.closed(&election.id)?;
                    Ok(ElectionState { election, closed, standings })
                })
                .collect::<Result<Vec<_>, StoreError>>()
        })
        .await??;
    let deliveries = state.submissions.read(|store| store.deliveries(deliveries::SHOWN)).await??;
    let sections =
        elections.into_iter().map(|state| election_section(language, &officer, state)).collect_view();
    let body = view! {
        {sections}
        {deliveries::section(language, deliveries)}
        {invite_form(language, &officer, None)}
        <p>
            <a href="/portaal/beheer/gebruikers">{tr(language, "Gebruikers", "Users")}</a>
            " · "
            <a href="/portaal/logboek">{tr(language, "Logboek", "Audit log")}</a>
        </p>
    };
    Ok(document(language, tr(language, "Beheer", "Administration").into(), Some(&officer), body.into_any()))
}

fn election_section(language: Language, officer: &Officer, state: ElectionState) -> impl IntoView {
    let ElectionState { election, closed, standings } = state;
    let published = standings.iter().filter(|s| s.published.is_some()).count();
    let draft_only = standings.iter().filter(|s| s.published.is_none() && s.draft.is_some()).count();
    let nothing = standings.len() - published - draft_only;
    let summary = match language {
        Language::Nl => {
            format!("{published} gepubliceerd, {draft_only} alleen een concept, {nothing} nog niets.")
        }
        Language::En => {
            format!("{published} published, {draft_only} with only a draft, {nothing} with nothing yet.")
        }
    };
    let (closing, button) = match &closed {
        Some(closed) => (
            match language {
                Language::Nl => {
                    format!("Gesloten voor aanleveren sinds {} door {}.", local_time(&closed.at), closed.by)
                }
                Language::En => {
                    format!("Closed to submissions at {} by {}.", local_time(&closed.at), closed.by)
                }
            },
            tr(language, "Weer openen voor aanleveren", "Reopen for submissions"),
        ),
        None => (
            tr(language, "Open voor aanleveren.", "Open for submissions.").to_owned(),
            tr(language, "Sluiten voor aanleveren", "Close to submissions"),
        ),
    };
    let rows = standings
        .into_iter()
        .map(|standing| {
            let state = state_text(language, &standing);
            let href = format!("/portaal/{}/{}", election.id.as_str(), standing.code.as_str());
            view! { <tr><th scope="row"><a href=href>{standing.name}</a></th><td>{state}</td></tr> }
        })
        .collect_view();
    let action = format!("/portaal/beheer/{}/sluiten", election.id.as_str());
    view! {
        <section>
            <h2>{election.name.clone()}</h2>
            <p>{summary}</p>
            <p>{closing}</p>
            <form method="post" action=action class="portal-form">
                {csrf_field(&officer.csrf)}
                <input type="hidden" name="closed" value=if closed.is_some() { "0" } else { "1" }/>
                <button type="submit">{button}</button>
            </form>
            <details>
                <summary>{tr(language, "Per gemeente", "Per municipality")}</summary>
                <div class="scrolls">
                    {table(language, &[("Gemeente", "Municipality"), ("Stand", "State")], rows)}
                </div>
            </details>
        </section>
    }
}

#[derive(Deserialize)]
pub struct ClosingForm {
    #[serde(default)]
    csrf: String,
    /// "1" closes, anything else reopens.
    #[serde(default)]
    closed: String,
}

/// `POST /portaal/beheer/{election}/sluiten`: closes or reopens.
pub async fn set_closed(
    State(state): State<PortalState>,
    officer: Officer,
    Path(election): Path<String>,
    Form(form): Form<ClosingForm>,
) -> Result<Response, PortalError> {
    admin_only(&officer)?;
    officer.check(&form.csrf)?;
    let election = ElectionId::parse(&election).map_err(|_| PortalError::NotFound)?;
    let (close, actor) = (form.closed == "1", officer.user.email.clone());
    state
        .submissions
        .run(move |store, _| {
            if store.election(&election)?.is_none() {
                return Ok(Err(PortalError::NotFound));
            }
            store.set_closed(&election, close.then_some(actor.as_str()))?;
            let action = if close { "submissions-closed" } else { "submissions-reopened" };
            store.record(&actor, action, None, election.as_str())?;
            Ok::<_, StoreError>(Ok(()))
        })
        .await???;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, "/portaal/beheer")]).into_response())
}

/// The invitation form, with the outcome of the last one above it.
fn invite_form(language: Language, officer: &Officer, outcome: Option<AnyView>) -> impl IntoView {
    view! {
        <section>
            <h2>{tr(language, "Iemand uitnodigen", "Invite someone")}</h2>
            {outcome}
            <form method="post" action="/portaal/beheer/uitnodigen" class="portal-form">
                {csrf_field(&officer.csrf)}
                <label for="invite-email">{tr(language, "E-mailadres", "E-mail address")}</label>
                <input id="invite-email" name="email" type="email" required/>
                <label for="invite-municipalities">{tr(language, "Gemeentecodes, met komma's", "Municipality codes, comma-separated")}</label>
                <input id="invite-municipalities" name="municipalities" placeholder="GM0589, GM0335"/>
                <label><input type="checkbox" name="admin" value="1"/> " " {tr(language, "Beheerder", "Administrator")}</label>
                <button type="submit">{tr(language, "Activeringslink maken", "Make an activation link")}</button>
            </form>
        </section>
    }
}

/// The municipality codes typed in a form, separated by commas, spaces or
/// semicolons; the first that is not a code is named in the error.
pub(super) fn municipality_codes(text: &str) -> Result<Vec<MunicipalityCode>, String> {
    text.split([',', ' ', ';'])
        .filter(|code| !code.is_empty())
        .map(|code| MunicipalityCode::parse(code.trim()).map_err(|e| e.to_string()))
        .collect()
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    municipalities: String,
    admin: Option<String>,
}

/// `POST /portaal/beheer/uitnodigen`: an account and its activation link,
/// shown to the admin to send on (no mail is sent).
pub async fn invite(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Form(form): Form<InviteForm>,
) -> Result<Response, PortalError> {
    admin_only(&officer)?;
    officer.check(&form.csrf)?;
    let codes = municipality_codes(&form.municipalities);
    let (admin, actor) = (form.admin.is_some(), officer.user.email.clone());
    let outcome = match (Email::parse(&form.email), codes) {
        (Err(error), _) => Err(error.to_string()),
        (_, Err(error)) => Err(error),
        (Ok(email), Ok(codes)) => state
            .submissions
            .run(move |store, _| accounts::invite(store, &email, &codes, admin, &actor, Utc::now()))
            .await?
            .map_err(|error| match error {
                AccountError::Store(error) => error.to_string(),
                other => other.to_string(),
            }),
    };
    let (status, shown) = match outcome {
        Ok(invitation) => {
            let link = format!("{}{}", state.site.origin(), accounts::activation_path(&invitation.secret));
            let text = tr(
                language,
                "Stuur deze activeringslink naar de nieuwe gebruiker; hij werkt één keer en 24 uur lang en wordt niet nog eens getoond:",
                "Send this activation link to the new user; it works once, for 24 hours, and is not shown again:",
            );
            (StatusCode::OK, view! { <div class="notice" role="status"><p>{text}</p><p><code class="secret">{link}</code></p></div> }.into_any())
        }
        Err(problem) => (StatusCode::UNPROCESSABLE_ENTITY, alert(problem).into_any()),
    };
    let body = invite_form(language, &officer, Some(shown));
    let page =
        document(language, tr(language, "Beheer", "Administration").into(), Some(&officer), body.into_any());
    Ok((status, page).into_response())
}

/// Which part of the log `GET /portaal/logboek` shows: `?voor=ID` the
/// entries before entry ID (the next page), `?soort=ACTION` only one kind.
#[derive(Deserialize)]
pub struct LogQuery {
    voor: Option<String>,
    soort: Option<String>,
}

impl LogQuery {
    /// The page asked for; `None` when `voor` is not an entry's number
    /// (only a hand-edited address has that).
    fn page(self) -> Option<AuditPage> {
        let before = match self.voor.filter(|text| !text.is_empty()) {
            Some(text) => Some(text.parse().ok()?),
            None => None,
        };
        Some(AuditPage { before, action: self.soort.filter(|action| !action.is_empty()) })
    }
}

/// `GET /portaal/logboek`: sign-ins, invitations, uploads, publications,
/// restores, tokens made, used and revoked; [`SHOWN`] at a time, newest
/// first, with a link to the older ones, and filtered by kind on request.
pub async fn audit_log(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Query(query): Query<LogQuery>,
) -> Result<Html<String>, PortalError> {
    admin_only(&officer)?;
    let page = query.page().ok_or(PortalError::NotFound)?;
    let asked = page.clone();
    // One more than shown tells whether there is an older page.
    let (mut entries, actions) = state
        .submissions
        .read(move |store| {
            Ok::<_, StoreError>((store.audit_page(&asked, SHOWN + 1)?, store.audit_actions()?))
        })
        .await??;
    let older = (entries.len() > SHOWN).then(|| {
        entries.truncate(SHOWN);
        log_link(&AuditPage { before: entries.last().map(|logged| logged.id), ..page.clone() })
    });
    let newest = page.before.is_some().then(|| log_link(&AuditPage { before: None, ..page.clone() }));
    let rows = entries
        .into_iter()
        .map(|Logged { entry, times, last_at, .. }| {
            let at = match last_at {
                Some(last) => format!("{} – {last}", entry.at),
                None => entry.at,
            };
            view! {
                <tr>
                    <td>{at}</td>
                    <td>{entry.actor}</td>
                    <td>{entry.action}</td>
                    <td>{entry.municipality.map(|code| code.as_str().to_owned())}</td>
                    <td>{entry.detail}</td>
                    <td>{times}</td>
                </tr>
            }
        })
        .collect_view();
    let options = actions
        .into_iter()
        .map(|action| {
            let selected = page.action.as_deref() == Some(action.as_str());
            view! { <option value=action.clone() selected=selected>{action.clone()}</option> }
        })
        .collect_view();
    let body = view! {
        <form method="get" action="/portaal/logboek" class="portal-form">
            <label for="soort">{tr(language, "Soort", "Kind")}</label>
            <select id="soort" name="soort">
                <option value="">{tr(language, "Alle", "All")}</option>
                {options}
            </select>
            <button type="submit">{tr(language, "Tonen", "Show")}</button>
        </form>
        <div class="scrolls">
            {table(language, &[("Tijd (UTC)", "Time (UTC)"), ("Wie", "Who"), ("Wat", "What"), ("Gemeente", "Municipality"), ("Bijzonderheden", "Details"), ("Aantal", "Times")], rows)}
        </div>
        <p>
            {newest.map(|href| view! { <a href=href>{tr(language, "Nieuwste", "Newest")}</a> " " })}
            {older.map(|href| view! { <a href=href rel="next">{tr(language, "Oudere", "Older")}</a> })}
        </p>
    };
    Ok(document(language, tr(language, "Logboek", "Audit log").into(), Some(&officer), body.into_any()))
}

/// The address of a page of the log.
fn log_link(page: &AuditPage) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(before) = page.before {
        query.append_pair("voor", &before.to_string());
    }
    if let Some(action) = &page.action {
        query.append_pair("soort", action);
    }
    let query = query.finish();
    if query.is_empty() {
        "/portaal/logboek".to_owned()
    } else {
        format!("/portaal/logboek?{query}")
    }
}
