//! A municipality's API tokens for its election software, made and
//! revoked in the portal (see `tokens`): a new token is shown once, on the
//! page that made it.

use super::municipality::{municipality_page, municipality_path, scope};
use super::pages::{csrf_field, table, tr};
use super::session::{ButtonForm, Officer, PageLanguage};
use super::{PortalError, PortalState};
use crate::store::{Store, StoreError, TokenInfo};
use crate::tokens;
use app::i18n::Language;
use app::model::{ElectionId, MunicipalityCode};
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use leptos::prelude::*;
use serde::Deserialize;

/// The municipality's tokens, oldest first.
pub fn of(store: &Store, municipality: &MunicipalityCode) -> Result<Vec<TokenInfo>, StoreError> {
    Ok(store.tokens()?.into_iter().filter(|token| token.municipality == *municipality).collect())
}

/// The section of a municipality's page: its tokens and the form for a new one.
pub fn section(
    language: Language,
    officer: &Officer,
    election: &ElectionId,
    code: &MunicipalityCode,
    keys: Vec<TokenInfo>,
) -> AnyView {
    let base = municipality_path(election, code);
    let empty = keys.is_empty();
    let rows = keys
        .into_iter()
        .map(|key| {
            let revoke = (!key.revoked).then(|| {
                view! {
                    <form method="post" action=format!("{base}/sleutels/{}/intrekken", key.id)>
                        {csrf_field(&officer.csrf)}
                        <button type="submit" aria-label=format!("{} {}", tr(language, "Intrekken:", "Revoke:"), key.label)>
                            {tr(language, "Intrekken", "Revoke")}
                        </button>
                    </form>
                }
            });
            let state = if key.revoked { tr(language, "ingetrokken", "revoked") } else { tr(language, "actief", "active") };
            view! {
                <tr>
                    <th scope="row">{key.label}</th>
                    <td>{key.created_at.chars().take(10).collect::<String>()}</td>
                    <td>{state}</td>
                    <td>{revoke}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>{tr(language, "Koppeling met verkiezingssoftware", "Link with election software")}</h2>
            <p>{tr(language,
                "Een sleutel laat uw verkiezingssoftware de stembureaus van deze gemeente aanleveren via de API (PUT /api/v1/elections/{verkiezing}/municipalities/{code}/stations). U ziet een sleutel alleen direct na het maken.",
                "A key lets your election software submit this municipality's stations through the API (PUT /api/v1/elections/{election}/municipalities/{code}/stations). A key is shown only right after it is made.")}</p>
            {(!empty).then(|| table(language, &[("Naam", "Name"), ("Gemaakt", "Made"), ("Stand", "State"), ("Actie", "Action")], rows))}
            {empty.then(|| view! { <p>{tr(language, "Nog geen sleutels.", "No keys yet.")}</p> })}
            <form method="post" action=format!("{base}/sleutels") class="portal-form">
                {csrf_field(&officer.csrf)}
                <label for="label">{tr(language, "Naam van de software", "Name of the software")}</label>
                <input id="label" name="label" required maxlength="100"/>
                <button type="submit">{tr(language, "Sleutel maken", "Make a key")}</button>
            </form>
        </section>
    }
    .into_any()
}

#[derive(Deserialize)]
pub struct NewKeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
}

/// `POST /portaal/{election}/{code}/sleutels`: a new token, shown once.
pub async fn create(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path((election, code)): Path<(String, String)>,
    Form(form): Form<NewKeyForm>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    officer.check(&form.csrf)?;
    let label: String = form.label.trim().chars().take(100).collect();
    let label = if label.is_empty() { tr(language, "naamloos", "unnamed").to_owned() } else { label };
    let (municipality, actor) = (code.clone(), officer.user.email.clone());
    let token = state
        .submissions
        .run(move |store, _| tokens::create(store, &municipality, &label, &actor))
        .await?
        .map_err(|e| PortalError::Unavailable(e.to_string()))?;
    let notice = view! {
        <div class="notice" role="status">
            <p>{tr(language,
                "Uw nieuwe sleutel. Kopieer hem nu naar uw verkiezingssoftware: hij wordt niet nog eens getoond.",
                "Your new key. Copy it into your election software now: it is not shown again.")}</p>
            <p><code class="secret">{token.secret}</code></p>
        </div>
    };
    let page =
        municipality_page(&state, language, &officer, &election, &code, Some(notice.into_any())).await?;
    Ok(page.into_response())
}

/// `POST /portaal/{election}/{code}/sleutels/{id}/intrekken`.
pub async fn revoke(
    State(state): State<PortalState>,
    officer: Officer,
    Path((election, code, id)): Path<(String, String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    officer.check(&form.csrf)?;
    let (municipality, actor) = (code.clone(), officer.user.email.clone());
    state
        .submissions
        .run(move |store, _| {
            // Another municipality's token is "not found" here.
            if !of(store, &municipality)?.iter().any(|token| token.id == id) {
                return Ok(None);
            }
            store.revoke_token(id)?;
            store.record(&actor, "token-revoked", Some(&municipality), &format!("token {id}"))?;
            Ok::<_, StoreError>(Some(()))
        })
        .await??
        .ok_or(PortalError::NotFound)?;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, municipality_path(&election, &code))]).into_response())
}
