//! What only admins see: the audit log.

use super::pages::{document, tr};
use super::session::{Officer, PageLanguage};
use super::{PortalError, PortalState};
use axum::extract::State;
use axum::response::Html;
use leptos::prelude::*;

/// How many entries the page shows, newest first.
const SHOWN: usize = 500;

/// `GET /portaal/logboek`: sign-ins, invitations, uploads, publications,
/// restores, tokens made, used and revoked.
pub async fn audit_log(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
) -> Result<Html<String>, PortalError> {
    if !officer.user.admin {
        return Err(PortalError::Forbidden);
    }
    let entries = state.submissions.run(|store, _| store.audit_log(SHOWN)).await??;
    let rows = entries
        .into_iter()
        .map(|entry| {
            view! {
                <tr>
                    <td>{entry.at}</td>
                    <td>{entry.actor}</td>
                    <td>{entry.action}</td>
                    <td>{entry.municipality.map(|code| code.as_str().to_owned())}</td>
                    <td>{entry.detail}</td>
                </tr>
            }
        })
        .collect_view();
    let body = view! {
        <div class="scrolls">
            <table class="downloads">
                <thead><tr>
                    <th scope="col">{tr(language, "Tijd (UTC)", "Time (UTC)")}</th>
                    <th scope="col">{tr(language, "Wie", "Who")}</th>
                    <th scope="col">{tr(language, "Wat", "What")}</th>
                    <th scope="col">{tr(language, "Gemeente", "Municipality")}</th>
                    <th scope="col">{tr(language, "Bijzonderheden", "Details")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    };
    let title = tr(language, "Logboek", "Audit log").to_owned();
    Ok(document(language, title, Some(&officer), body.into_any()))
}
