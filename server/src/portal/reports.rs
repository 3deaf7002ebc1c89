//! Voters' reports in the portal: each municipality's queue per election
//! (new, in progress, handled, dismissed), where an officer reads what a
//! voter wrote about which station and which version they saw, copies an
//! answer to the voter's e-mail address, opens the station's correction
//! form, and moves the report on; and, for admins, how many reports each
//! municipality has. Every change of state goes into the audit log.
//!
//! A voter's text is only ever shown as text: Leptos escapes it.

use super::edit::edit_path;
use super::municipality::{local_time, municipality_path, scope, version_path};
use super::pages::{csrf_field, document, table, tr};
use super::session::{Officer, PageLanguage};
use super::{PortalError, PortalState};
use crate::store::{published_of, ReportCount, ReportState, Store, StoreError, StoredReport};
use app::i18n::Language;
use app::model::{ElectionId, MunicipalityCode};
use app::report::{textarea_text, Category};
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// The queue of a municipality's reports for an election.
pub fn queue_path(election: &ElectionId, code: &MunicipalityCode) -> String {
    format!("{}/meldingen", municipality_path(election, code))
}

/// Where admins see every municipality's counts.
pub const COUNTS_PATH: &str = "/portaal/beheer/meldingen";

/// Each state's name, in the order of [`ReportState::ALL`].
const STATE_NAMES: [(&str, &str); 4] = [
    ("Nieuw", "New"),
    ("In behandeling", "In progress"),
    ("Afgehandeld", "Handled"),
    ("Terzijde gelegd", "Dismissed"),
];

/// Where `state` is in [`ReportState::ALL`] (and [`STATE_NAMES`]).
fn position(state: ReportState) -> usize {
    ReportState::ALL.iter().position(|s| *s == state).unwrap_or(0)
}

fn state_name(language: Language, state: ReportState) -> &'static str {
    let (nl, en) = STATE_NAMES[position(state)];
    tr(language, nl, en)
}

/// The voter's choice, as the portal names it.
fn category_name(language: Language, category: Category) -> &'static str {
    (language.texts().report.category)(category)
}

/// Each station of the municipality's published version, by id: its
/// version and place (1-based), which its correction form is named by.
fn correctable(
    store: &Store,
    election: &ElectionId,
    code: &MunicipalityCode,
) -> Result<HashMap<String, (i64, usize)>, StoreError> {
    let Some(published) = published_of(&store.versions(election)?, code).map(|version| version.id) else {
        return Ok(HashMap::new());
    };
    let rows = store.records(&[published], Some(code))?.rows;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(index, (station, _))| (station.id, (published, index + 1)))
        .collect())
}

/// `GET /portaal/{election}/{code}/meldingen`: the queue, by state.
pub async fn queue(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path((election, code)): Path<(String, String)>,
) -> Result<Html<String>, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    let (id, municipality) = (election.clone(), code.clone());
    let (reports, stations, name) = state
        .submissions
        .read(move |store| {
            let name = store.municipality_name(&municipality)?.unwrap_or_else(|| municipality.to_string());
            Ok::<_, StoreError>((
                store.reports(&id, &municipality)?,
                correctable(store, &id, &municipality)?,
                name,
            ))
        })
        .await??;
    let mut by_state: BTreeMap<ReportState, Vec<StoredReport>> = BTreeMap::new();
    for report in reports {
        by_state.entry(report.state).or_default().push(report);
    }
    let sections = ReportState::ALL
        .into_iter()
        .map(|report_state| {
            let reports = by_state.remove(&report_state).unwrap_or_default();
            let heading = format!("{} ({})", state_name(language, report_state), reports.len());
            let (id, labelled_by) =
                (format!("state-{}", report_state.code()), format!("state-{}", report_state.code()));
            let items = reports
                .into_iter()
                .map(|report| {
                    let correction = stations.get(&report.station.id).copied();
                    entry(language, &officer, &election, &code, report, correction)
                })
                .collect_view();
            view! {
                <section aria-labelledby=labelled_by>
                    <h2 id=id>{heading}</h2>
                    <ol class="voter-reports">{items}</ol>
                </section>
            }
        })
        .collect_view();
    let title = match language {
        Language::Nl => format!("Meldingen van kiezers: {name}, {election}"),
        Language::En => format!("Voters' reports: {name}, {election}"),
    };
    let body = view! {
        <p>{tr(language,
            "Kiezers melden hier wat er volgens hen niet klopt bij een stembureau. Een e-mailadres wordt gewist zodra u de melding afhandelt of terzijde legt, en na 90 dagen.",
            "Voters report here what they think is wrong with a polling station. An e-mail address is deleted as soon as you mark the report handled or dismissed, and after 90 days.")}</p>
        {sections}
        <p><a href=municipality_path(&election, &code)>{tr(language, "Terug naar de gemeente", "Back to the municipality")}</a></p>
    };
    Ok(document(language, title, Some(&officer), body.into_any()))
}

/// One report in the queue: what, where, when, the answer to copy, the
/// way to the correction form and the form that moves it on.
fn entry(
    language: Language,
    officer: &Officer,
    election: &ElectionId,
    code: &MunicipalityCode,
    report: StoredReport,
    correction: Option<(i64, usize)>,
) -> impl IntoView {
    let StoredReport { id, station, version, category, text, email, state, created_at, .. } = report;
    let heading = format!("{} · {}", station.name, category_name(language, category));
    let seen = version.map(|version| {
        let label = match language {
            Language::Nl => format!("Versie {version}"),
            Language::En => format!("Version {version}"),
        };
        view! { " · " {tr(language, "gezien: ", "seen: ")} <a href=version_path(election, code, version)>{label}</a> }
    });
    let answer = email.map(|email| {
        let reply = reply_text(language, &station.name, &text);
        let reply_id = format!("reply-{id}");
        view! {
            <p>{tr(language, "E-mailadres van de kiezer: ", "The voter's e-mail address: ")} <code>{email}</code></p>
            <label for=reply_id.clone()>{tr(language, "Antwoord om te kopiëren", "An answer to copy")}</label>
            <textarea id=reply_id readonly rows="8">{textarea_text(&reply)}</textarea>
        }
    });
    let correct = correction.map(|(version, position)| {
        view! {
            <p><a href=edit_path(election, code, version, position)>
                {tr(language, "Dit stembureau corrigeren", "Correct this polling station")}
            </a></p>
        }
    });
    let select_id = format!("report-state-{id}");
    let options = ReportState::ALL
        .into_iter()
        .map(|option| {
            view! { <option value=option.code() selected=option == state>{state_name(language, option)}</option> }
        })
        .collect_view();
    view! {
        <li class="voter-report" id=format!("report-{id}")>
            <h3>{heading}</h3>
            <p class="voter-report-meta">{local_time(&created_at)} {seen}</p>
            <p class="voter-report-text">{text}</p>
            {answer}
            {correct}
            <form method="post" action=format!("{}/{id}", queue_path(election, code)) class="voter-report-state">
                {csrf_field(&officer.csrf)}
                <label for=select_id.clone()>{tr(language, "Stand", "State")}</label>
                <select id=select_id name="staat">{options}</select>
                <button type="submit">{tr(language, "Opslaan", "Save")}</button>
            </form>
        </li>
    }
}

/// A reply an officer copies into their mail, quoting the report.
fn reply_text(language: Language, station: &str, text: &str) -> String {
    let quoted: String = text.lines().map(|line| format!("> {line}\n")).collect();
    match language {
        Language::Nl => format!(
            "Beste kiezer,\n\nDank u voor uw melding over stembureau {station}:\n\n{quoted}\n\n\nMet vriendelijke groet,\n"
        ),
        Language::En => format!(
            "Dear voter,\n\nThank you for your report about polling station {station}:\n\n{quoted}\n\n\nKind regards,\n"
        ),
    }
}

#[derive(Deserialize)]
pub struct StateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    staat: String,
}

/// `POST /portaal/{election}/{code}/meldingen/{id}`: moves a report to
/// another state, logged; a closed report loses the voter's address.
pub async fn set_state(
    State(state): State<PortalState>,
    officer: Officer,
    Path((election, code, id)): Path<(String, String, i64)>,
    Form(form): Form<StateForm>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    officer.check(&form.csrf)?;
    let new = ReportState::parse(&form.staat).ok_or(PortalError::NotFound)?;
    let (queue, actor) = (queue_path(&election, &code), officer.user.email.clone());
    let changed = state
        .submissions
        .run(move |store, _| {
            // A report of another municipality is not found through this one.
            let Some(report) = store
                .report(id)?
                .filter(|r| r.station.election == election && r.station.municipality == code)
            else {
                return Ok(false);
            };
            let now = Utc::now();
            store.set_report_state(id, new, &now.to_rfc3339())?;
            store.forget_old_emails(now)?;
            let detail =
                format!("report {id} ({}): {} → {}", report.station.name, report.state.code(), new.code());
            store.record(&actor, "report-state", Some(&code), &detail)?;
            Ok::<_, StoreError>(true)
        })
        .await??;
    if !changed {
        return Err(PortalError::NotFound);
    }
    Ok((StatusCode::SEE_OTHER, [(LOCATION, format!("{queue}#report-{id}"))]).into_response())
}

/// `GET /portaal/beheer/meldingen`: how many reports each municipality
/// has in each state, per election (admins only).
pub async fn counts(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
) -> Result<Html<String>, PortalError> {
    super::admin::admin_only(&officer)?;
    let (counts, municipalities) = state
        .submissions
        .read(|store| Ok::<_, StoreError>((store.report_counts()?, store.municipalities()?)))
        .await??;
    let names: HashMap<MunicipalityCode, String> =
        municipalities.into_iter().map(|municipality| (municipality.code, municipality.name)).collect();
    let mut rows: BTreeMap<(ElectionId, MunicipalityCode), [usize; 4]> = BTreeMap::new();
    for ReportCount { election, municipality, state, count } in counts {
        rows.entry((election, municipality)).or_default()[position(state)] += count;
    }
    let empty = rows
        .is_empty()
        .then(|| view! { <p>{tr(language, "Er zijn nog geen meldingen.", "There are no reports yet.")}</p> });
    let rows = rows
        .into_iter()
        .map(|((election, code), counts)| {
            let cells = counts.into_iter().map(|count| view! { <td>{count}</td> }).collect_view();
            view! {
                <tr>
                    <th scope="row"><a href=queue_path(&election, &code)>{format!("{} ({code}) · {election}", names.get(&code).map_or("", String::as_str))}</a></th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let mut columns = vec![("Gemeente en verkiezing", "Municipality and election")];
    columns.extend(STATE_NAMES);
    let title = tr(language, "Meldingen per gemeente", "Reports per municipality").to_owned();
    Ok(document(
        language,
        title,
        Some(&officer),
        view! { {empty} {table(language, &columns, rows)} }.into_any(),
    ))
}
