//! The officer's municipalities: an overview of where each election
//! stands, a municipality's upload form and history, one version compared
//! with what voters see, and publishing or restoring it.

use super::diff::{diff, Diff};
use super::pages::{alert, csrf_field, document, report, table, tr};
use super::session::{ButtonForm, Officer, PageLanguage};
use super::{PortalError, PortalState};
use crate::changes;
use crate::store::{published_of, version_of, Closed, Publish, Publisher, Store, StoreError, VersionInfo};
use crate::submissions::{self, Submission, Upload};
use app::i18n::Language;
use app::model::{Election, ElectionId, MunicipalityCode, Station};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// Where one municipality stands in one election.
pub(super) struct Standing {
    pub code: MunicipalityCode,
    pub name: String,
    pub published: Option<VersionInfo>,
    /// A version stored after the published one, not yet published.
    pub draft: Option<VersionInfo>,
}

fn standing(
    store: &Store,
    versions: &[VersionInfo],
    code: &MunicipalityCode,
) -> Result<Standing, StoreError> {
    let published = published_of(versions, code).cloned();
    let draft = versions
        .iter()
        .rfind(|v| v.municipality == *code)
        .filter(|last| published.as_ref().is_none_or(|published| last.id > published.id))
        .map(|v| (*v).clone());
    let name = store.municipality_name(code)?.unwrap_or_else(|| code.as_str().to_owned());
    Ok(Standing { code: code.clone(), name, published, draft })
}

/// Every election, the latest polling day first, with where each of the
/// municipalities `codes` chooses (from the election's versions) stands.
pub(super) fn standings(
    store: &Store,
    codes: impl Fn(&[VersionInfo]) -> Vec<MunicipalityCode>,
) -> Result<Vec<(Election, Vec<Standing>)>, StoreError> {
    let mut elections = store.elections()?;
    elections.sort_by_key(|(election, _)| std::cmp::Reverse(election.polling_date));
    elections
        .into_iter()
        .map(|(election, _)| {
            let versions = store.versions(&election.id)?;
            let standings = codes(&versions)
                .iter()
                .map(|code| standing(store, &versions, code))
                .collect::<Result<_, _>>()?;
            Ok((election, standings))
        })
        .collect()
}

/// `GET /portaal`: each election, and where each of the user's
/// municipalities stands in it; an admin sees every municipality with data.
pub async fn overview(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
) -> Result<Html<String>, PortalError> {
    let user = officer.user.clone();
    let elections = state
        .submissions
        .run(move |store, _| {
            standings(store, |versions| {
                let mut codes: BTreeSet<MunicipalityCode> = user.municipalities.iter().cloned().collect();
                if user.admin {
                    codes.extend(versions.iter().map(|v| v.municipality.clone()));
                }
                codes.into_iter().collect()
            })
        })
        .await??;
    let sections = elections
        .into_iter()
        .map(|(election, standings)| {
            let rows = standings
                .into_iter()
                .map(|standing| {
                    let href = municipality_path(&election.id, &standing.code);
                    let state = state_text(language, &standing);
                    view! {
                        <tr>
                            <th scope="row"><a href=href>{standing.name}</a></th>
                            <td>{state}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section aria-labelledby=format!("election-{}", election.id.as_str())>
                    <h2 id=format!("election-{}", election.id.as_str())>{election.name.clone()}</h2>
                    {table(language, &[("Gemeente", "Municipality"), ("Stand", "State")], rows)}
                </section>
            }
        })
        .collect_view();
    let second_factor = match officer.user.totp_secret {
        None => tr(language, "Tweestapsverificatie instellen", "Set up two-step verification"),
        Some(_) => tr(language, "Tweestapsverificatie: andere app", "Two-step verification: another app"),
    };
    let second_factor = view! { <p><a href="/portaal/tweede-stap">{second_factor}</a></p> };
    let log = officer.user.admin.then(|| {
        view! {
            <p><a href="/portaal/beheer">{tr(language, "Beheer: alle gemeenten, sluiten, uitnodigen, gebruikers, logboek", "Administration: all municipalities, closing, invitations, users, audit log")}</a></p>
            <p><a href=super::reports::COUNTS_PATH>{tr(language, "Meldingen van kiezers per gemeente", "Voters' reports per municipality")}</a></p>
        }
    });
    let title = tr(language, "Uw gemeenten", "Your municipalities").to_owned();
    Ok(document(language, title, Some(&officer), view! { {sections} {second_factor} {log} }.into_any()))
}

/// "Published (version 12) · draft waiting (version 14)", or "Nothing yet".
pub(super) fn state_text(language: Language, standing: &Standing) -> String {
    let published = standing.published.as_ref().map(|v| match language {
        Language::Nl => format!("gepubliceerd (versie {}, {} stembureaus)", v.id, v.stations),
        Language::En => format!("published (version {}, {} stations)", v.id, v.stations),
    });
    let draft = standing.draft.as_ref().map(|v| match language {
        Language::Nl => format!("concept wacht (versie {})", v.id),
        Language::En => format!("draft waiting (version {})", v.id),
    });
    let parts: Vec<String> = published.into_iter().chain(draft).collect();
    if parts.is_empty() {
        tr(language, "nog niets aangeleverd", "nothing yet").to_owned()
    } else {
        parts.join(" · ")
    }
}

pub(super) fn municipality_path(election: &ElectionId, code: &MunicipalityCode) -> String {
    format!("/portaal/{}/{}", election.as_str(), code.as_str())
}

pub(super) fn version_path(election: &ElectionId, code: &MunicipalityCode, version: i64) -> String {
    format!("{}/versies/{version}", municipality_path(election, code))
}

/// The election and municipality a path names, if the user acts for the
/// municipality: checked before anything is read.
pub(super) fn scope(
    officer: &Officer,
    election: &str,
    code: &str,
) -> Result<(ElectionId, MunicipalityCode), PortalError> {
    let election = ElectionId::parse(election).map_err(|_| PortalError::NotFound)?;
    let code = MunicipalityCode::parse(code).map_err(|_| PortalError::NotFound)?;
    if !officer.user.acts_for(&code) {
        return Err(PortalError::Forbidden);
    }
    Ok((election, code))
}

/// An election and its versions, from the store.
fn election_versions(
    store: &Store,
    id: &ElectionId,
) -> Result<Option<(Election, Vec<VersionInfo>)>, StoreError> {
    let Some(election) = store.election(id)? else { return Ok(None) };
    Ok(Some((election, store.versions(id)?)))
}

/// `GET /portaal/{election}/{code}`.
pub async fn page(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path((election, code)): Path<(String, String)>,
) -> Result<Html<String>, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    municipality_page(&state, language, &officer, &election, &code, None).await.map(|(_, page)| page)
}

/// A municipality's page, with `notice` (an upload's outcome) on top.
pub(super) async fn municipality_page(
    state: &PortalState,
    language: Language,
    officer: &Officer,
    election: &ElectionId,
    code: &MunicipalityCode,
    notice: Option<AnyView>,
) -> Result<(StatusCode, Html<String>), PortalError> {
    let (id, municipality) = (election.clone(), code.clone());
    let (election, versions, standing, keys, closed) = state
        .submissions
        .run(move |store, _| {
            let Some((election, versions)) = election_versions(store, &id)? else { return Ok(None) };
            let standing = standing(store, &versions, &municipality)?;
            let own: Vec<VersionInfo> =
                versions.into_iter().filter(|v| v.municipality == municipality).rev().collect();
            let keys = super::keys::of(store, &municipality)?;
            let closed = store.closed(&id)?;
            Ok::<_, StoreError>(Some((election, own, standing, keys, closed)))
        })
        .await??
        .ok_or(PortalError::NotFound)?;
    let published_id = standing.published.as_ref().map(|v| v.id);
    let history = versions
        .into_iter()
        .map(|version| {
            let href = version_path(&election.id, code, version.id);
            let kind = if version.published {
                tr(language, "gepubliceerd", "published")
            } else if published_id.is_none_or(|published| version.id > published) {
                tr(language, "concept", "draft")
            } else {
                tr(language, "eerder", "earlier")
            };
            view! {
                <tr>
                    <th scope="row"><a href=href>{version.id}</a></th>
                    <td>{local_time(&version.created_at)}</td>
                    <td>{version.source}</td>
                    <td>{version.stations}</td>
                    <td>{kind}</td>
                </tr>
            }
        })
        .collect_view();
    let may_change = closed.is_none() || officer.user.admin;
    let closed_note = closed.map(|closed| closed_text(language, &closed.at, officer.user.admin));
    let upload_action = municipality_path(&election.id, code);
    let template_href = format!("{upload_action}/sjabloon.xlsx");
    let limit = match language {
        Language::Nl => format!("Het sjabloon (.xlsx of .ods), CSV, CKAN-JSON of GeoJSON; hoogstens {} MB. Een bestand met fouten wordt niet opgeslagen; een goed bestand wordt een concept, dat u eerst bekijkt en dan publiceert.", state.submissions.limit_mb()),
        Language::En => format!("The template (.xlsx or .ods), CSV, CKAN JSON or GeoJSON; at most {} MB. A file with errors is not stored; a good file becomes a draft, which you review and then publish.", state.submissions.limit_mb()),
    };
    let body = view! {
        {notice}
        <p>{state_text(language, &standing)}</p>
        <p><a href=super::reports::queue_path(&election.id, code)>{tr(language, "Meldingen van kiezers", "Voters' reports")}</a></p>
        <section>
            <h2>{tr(language, "Stembureaus aanleveren", "Submit stations")}</h2>
            <p id="upload-help">{limit}</p>
            <p>
                <a href=template_href download="">{tr(language, "Sjabloon met uw stembureaus (.xlsx)", "Template with your stations (.xlsx)")}</a>
                " · "
                <a href="/portaal/sjabloon.xlsx" download="">{tr(language, "Leeg sjabloon (.xlsx)", "Blank template (.xlsx)")}</a>
            </p>
            {closed_note}
            {may_change.then(|| view! {
                <form method="post" action=upload_action enctype="multipart/form-data" class="portal-form">
                    {csrf_field(&officer.csrf)}
                    <label for="file">{tr(language, "Bestand", "File")}</label>
                    <input id="file" name="file" type="file" required aria-describedby="upload-help"
                        accept=".xlsx,.ods,.csv,.json,.geojson"/>
                    <button type="submit">{tr(language, "Controleren en als concept opslaan", "Check and store as a draft")}</button>
                </form>
            })}
        </section>
        <section>
            <h2>{tr(language, "Geschiedenis", "History")}</h2>
            {table(language, &[("Versie", "Version"), ("Opgeslagen", "Stored"), ("Door en bron", "By and source"), ("Stembureaus", "Stations"), ("Stand", "State")], history)}
        </section>
        {super::keys::section(language, officer, &election.id, code, keys)}
    };
    let title = format!("{} · {}", standing.name, election.name);
    Ok((StatusCode::OK, document(language, title, Some(officer), body.into_any())))
}

/// That the election is closed to submissions, and what that means for
/// this user.
fn closed_text(language: Language, at: &str, admin: bool) -> impl IntoView {
    let text = match (language, admin) {
        (Language::Nl, false) => format!("Aanleveren is gesloten sinds {}: u kunt alles bekijken maar niets veranderen. Voor een correctie: neem contact op met de beheerder.", local_time(at)),
        (Language::En, false) => format!("Submissions closed at {}: you can look at everything but change nothing. For a correction, contact the administrator.", local_time(at)),
        (Language::Nl, true) => format!("Aanleveren is gesloten sinds {}; als beheerder kunt u nog corrigeren.", local_time(at)),
        (Language::En, true) => format!("Submissions closed at {}; as an admin you can still correct.", local_time(at)),
    };
    view! { <p class="alert">{text}</p> }
}

/// A stored time in the Netherlands' local time, to the minute.
pub(super) fn local_time(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored)
        .map(|time| time.with_timezone(&chrono_tz::Europe::Amsterdam).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| stored.to_owned())
}

/// `POST /portaal/{election}/{code}`: an uploaded file, checked. With
/// errors, the report and nothing stored; without, a new draft.
pub async fn upload(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path((election, code)): Path<(String, String)>,
    multipart: Multipart,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    let file = match read_upload(multipart, state.submissions.limit()).await {
        Ok(form) => {
            officer.check(&form.csrf)?;
            form.file
        }
        Err(status) => {
            let limit = state.submissions.limit_mb();
            let text = match (status == StatusCode::PAYLOAD_TOO_LARGE, language) {
                (true, Language::Nl) => format!(
                    "Dit bestand is groter dan {limit} MB. Laat kolommen weg die niet in de standaard staan."
                ),
                (true, Language::En) => format!(
                    "This file is larger than {limit} MB. Leave out columns that are not in the standard."
                ),
                (false, _) => tr(
                    language,
                    "Het formulier kwam niet goed aan. Kies het bestand opnieuw en verstuur nog eens.",
                    "The form did not arrive whole. Choose the file again and send it once more.",
                )
                .to_owned(),
            };
            let notice = alert(text).into_any();
            let (_, page) =
                municipality_page(&state, language, &officer, &election, &code, Some(notice)).await?;
            return Ok((status, page).into_response());
        }
    };
    let Some((file_name, bytes)) = file else {
        let notice = alert(tr(language, "Kies eerst een bestand.", "Choose a file first.").into()).into_any();
        let (_, page) = municipality_page(&state, language, &officer, &election, &code, Some(notice)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let shown_name = file_name.clone();
    let upload = Upload {
        election: election.clone(),
        municipality: code.clone(),
        publish: Publish::Later,
        actor: officer.user.email.clone(),
        file: file_name,
        bytes,
        despite_closing: officer.user.admin,
    };
    let submission = state.submissions.submit(upload).await?;
    let (status, notice) = match submission {
        Submission::UnknownElection => return Err(PortalError::NotFound),
        Submission::Closed(_) => return Err(PortalError::Closed),
        Submission::Stored(imported) => {
            let version = imported.summary.versions.first().copied().unwrap_or_default();
            let href = version_path(&election, &code, version);
            let stored = match language {
                Language::Nl => format!("Opgeslagen als concept, versie {version}, met {} stembureaus. Voordat kiezers het zien: bekijk het en publiceer.", imported.summary.stations),
                Language::En => format!("Stored as draft version {version}, with {} stations. Before voters see it: review it and publish.", imported.summary.stations),
            };
            let warnings = (!imported.report.findings.is_empty())
                .then(|| report(language, &shown_name, &imported.report));
            let notice = view! {
                <div class="notice" role="status">
                    <p>{stored}</p>
                    <p><a href=href>{tr(language, "Concept bekijken en publiceren", "Review and publish the draft")}</a></p>
                </div>
                {warnings}
            };
            (StatusCode::OK, notice.into_any())
        }
        Submission::Invalid(findings) => {
            let summary = match language {
                Language::Nl => format!("{} fouten en {} waarschuwingen in {}. Er is niets opgeslagen: verbeter elke fout en lever het bestand opnieuw aan.", findings.errors(), findings.warnings(), shown_name),
                Language::En => format!("{} errors and {} warnings in {}. Nothing was stored: fix each error and upload the file again.", findings.errors(), findings.warnings(), shown_name),
            };
            let notice = view! { {alert(summary)} {report(language, &shown_name, &findings)} };
            (StatusCode::UNPROCESSABLE_ENTITY, notice.into_any())
        }
        Submission::Unreadable(problem) => {
            let text = match language {
                Language::Nl => format!("Dit bestand is geen lijst met stembureaus die Kieskaart kan lezen ({problem}). Er is niets opgeslagen."),
                Language::En => format!("This file is not a station list Kieskaart can read ({problem}). Nothing was stored."),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, alert(text).into_any())
        }
    };
    let (_, page) = municipality_page(&state, language, &officer, &election, &code, Some(notice)).await?;
    Ok((status, page).into_response())
}

/// The upload form's fields.
struct UploadForm {
    csrf: String,
    /// The file's name and bytes, when one was chosen.
    file: Option<(String, Bytes)>,
}

/// Reads the form; the status to answer with when it cannot be read or
/// its file is larger than `limit` bytes.
async fn read_upload(mut multipart: Multipart, limit: usize) -> Result<UploadForm, StatusCode> {
    let mut form = UploadForm { csrf: String::new(), file: None };
    while let Some(field) = multipart.next_field().await.map_err(|e| e.status())? {
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.map_err(|e| e.status())?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                let bytes = field.bytes().await.map_err(|e| e.status())?;
                if bytes.len() > limit {
                    return Err(StatusCode::PAYLOAD_TOO_LARGE);
                }
                if !bytes.is_empty() {
                    form.file = Some((name, bytes));
                }
            }
            _ => {}
        }
    }
    Ok(form)
}

/// One version and what publishing it would change.
struct Review {
    election: Election,
    version: VersionInfo,
    stations: Vec<Station>,
    diff: Diff,
    /// Whether a version was published before this one was stored.
    older_than_published: bool,
    closed: Option<Closed>,
}

/// `GET /portaal/{election}/{code}/versies/{version}`.
pub async fn version(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path((election, code, version)): Path<(String, String, i64)>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    let municipality = code.clone();
    let review = state
        .submissions
        .run(move |store, _| review(store, &election, &municipality, version))
        .await??
        .ok_or(PortalError::NotFound)?;
    let Review { election, version, stations, diff, older_than_published, closed } = review;
    let action = version_path(&election.id, &code, version.id);
    let may_change = closed.is_none() || officer.user.admin;
    let closed_note = closed.map(|closed| closed_text(language, &closed.at, officer.user.admin));
    let publish = (!version.published && may_change).then(|| {
        let label = if older_than_published {
            tr(
                language,
                "Deze versie terugzetten (als nieuwe versie)",
                "Restore this version (as a new version)",
            )
        } else {
            tr(language, "Publiceren: kiezers zien dit direct", "Publish: voters see this at once")
        };
        view! {
            <form method="post" action=action class="portal-form">
                {csrf_field(&officer.csrf)}
                <button type="submit">{label}</button>
            </form>
        }
    });
    let state_line = match (language, version.published) {
        (Language::Nl, true) => "Dit is wat kiezers nu zien.".to_owned(),
        (Language::En, true) => "This is what voters see now.".to_owned(),
        (Language::Nl, false) => {
            format!("Opgeslagen {} uit {}.", local_time(&version.created_at), version.source)
        }
        (Language::En, false) => {
            format!("Stored {} from {}.", local_time(&version.created_at), version.source)
        }
    };
    let points: Vec<(f64, f64, String)> =
        stations.iter().map(|s| (s.location.lat(), s.location.lon(), s.name.clone())).collect();
    let rows = stations
        .into_iter()
        .enumerate()
        .map(|(index, station)| {
            let hours = if station.opens.date() == station.closes.date() {
                format!(
                    "{} {}–{}",
                    station.opens.format("%d-%m"),
                    station.opens.format("%H:%M"),
                    station.closes.format("%H:%M")
                )
            } else {
                format!("{} – {}", station.opens.format("%d-%m %H:%M"), station.closes.format("%d-%m %H:%M"))
            };
            let edit = may_change.then(|| {
                let href = super::edit::edit_path(&election.id, &code, version.id, index + 1);
                let label = format!("{} {}", tr(language, "Bewerken:", "Edit:"), station.name);
                view! { <a class="edit" href=href aria-label=label>{tr(language, "Bewerken", "Edit")}</a> }
            });
            view! {
                <tr>
                    <th scope="row">{station.name} {edit}</th>
                    <td>{station.address.one_line()}</td>
                    <td>{hours}</td>
                </tr>
            }
        })
        .collect_view();
    let back = municipality_path(&election.id, &code);
    let title = match language {
        Language::Nl => format!("Versie {} · {}", version.id, election.name),
        Language::En => format!("Version {} · {}", version.id, election.name),
    };
    let body = view! {
        <p>{state_line}</p>
        {(!version.published).then(|| changes(language, &diff))}
        {closed_note}
        {publish}
        <h2>{tr(language, "Stembureaus in deze versie", "Stations in this version")}</h2>
        {super::pages::map(&points, state.tiles.as_ref(), false)}
        {table(language, &[("Naam", "Name"), ("Adres", "Address"), ("Open", "Open")], rows)}
        <p><a href=back>{tr(language, "Terug naar de gemeente", "Back to the municipality")}</a></p>
    };
    let page = document(language, title, Some(&officer), body.into_any());
    Ok(([(CONTENT_SECURITY_POLICY, super::map_policy(state.tiles.as_ref()))], page).into_response())
}

fn review(
    store: &Store,
    election: &ElectionId,
    code: &MunicipalityCode,
    id: i64,
) -> Result<Option<Review>, StoreError> {
    let Some((election, versions)) = election_versions(store, election)? else { return Ok(None) };
    // A version of another municipality is "not found", as if it did not
    // exist: its number says nothing to whoever guessed it.
    let Some(version) = version_of(&versions, code, id).cloned() else {
        return Ok(None);
    };
    let published = published_of(&versions, code);
    let new = store.records(&[version.id], Some(code))?.rows;
    let old = match published {
        Some(published) => store.records(&[published.id], Some(code))?.rows,
        None => Vec::new(),
    };
    let older_than_published = published.is_some_and(|published| published.id > version.id);
    let diff = diff(&old, &new);
    let stations = new.into_iter().map(|(station, _)| station).collect();
    let closed = store.closed(&election.id)?;
    Ok(Some(Review { election, version, stations, diff, older_than_published, closed }))
}

/// What publishing would change for voters.
fn changes(language: Language, diff: &Diff) -> AnyView {
    if diff.is_empty() {
        return view! { <p>{tr(language, "Geen verschil met wat kiezers nu zien.", "No difference from what voters see now.")}</p> }.into_any();
    }
    let names = |names: &[String]| names.iter().map(|name| view! { <li>{name.clone()}</li> }).collect_view();
    let changed = diff
        .changed
        .iter()
        .map(|change| {
            let fields = change
                .fields
                .iter()
                .map(|(field, old, new)| view! { <li>{format!("{field}: “{old}” → “{new}”")}</li> })
                .collect_view();
            view! { <li>{change.station.clone()} <ul>{fields}</ul></li> }
        })
        .collect_view();
    view! {
        <section class="diff">
            <h2>{tr(language, "Verschil met wat kiezers nu zien", "Difference from what voters see now")}</h2>
            <h3>{format!("{} ({})", tr(language, "Nieuw", "Added"), diff.added.len())}</h3>
            <ul>{names(&diff.added)}</ul>
            <h3>{format!("{} ({})", tr(language, "Verdwijnt", "Removed"), diff.removed.len())}</h3>
            <ul>{names(&diff.removed)}</ul>
            <h3>{format!("{} ({})", tr(language, "Gewijzigd", "Changed"), diff.changed.len())}</h3>
            <ul>{changed}</ul>
        </section>
    }
    .into_any()
}

/// `POST /portaal/{election}/{code}/versies/{version}`: a draft goes live
/// as it is; an earlier version comes back as a new version, so the
/// history keeps what it replaces.
pub async fn publish(
    State(state): State<PortalState>,
    officer: Officer,
    Path((election, code, version)): Path<(String, String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    officer.check(&form.csrf)?;
    let (id, municipality, actor) = (election.clone(), code.clone(), officer.user.email.clone());
    let admin = officer.user.admin;
    state
        .submissions
        .run(move |store, desk| {
            let Some((_, versions)) = election_versions(store, &id)? else {
                return Ok(Err(PortalError::NotFound));
            };
            let Some(chosen) = version_of(&versions, &municipality, version) else {
                return Ok(Err(PortalError::NotFound));
            };
            if !admin && store.closed(&id)?.is_some() {
                return Ok(Err(PortalError::Closed));
            }
            let published = published_of(&versions, &municipality);
            let done = match published {
                Some(published) if published.id == chosen.id => return Ok(Ok(())),
                Some(published) if published.id > chosen.id => store
                    .republish(&id, chosen.id)?
                    .map(|copy| ("restored", format!("version {} as version {}", chosen.id, copy.id))),
                _ => store.publish(&id, chosen.id)?.map(|v| ("published", format!("version {}", v.id))),
            };
            if let Some((action, detail)) = done {
                store.record(&actor, action, Some(&municipality), &detail)?;
                changes::note(store, &id, Publisher::Portal);
                desk.catalog.refresh(store)?;
            }
            Ok::<_, StoreError>(Ok(()))
        })
        .await???;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, municipality_path(&election, &code))]).into_response())
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `GET /portaal/{election}/{code}/sjabloon.xlsx`: the template, filled
/// with the municipality's stations (see [`submissions::template`]).
pub async fn template(
    State(state): State<PortalState>,
    officer: Officer,
    Path((election, code)): Path<(String, String)>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    let name = format!("attachment; filename=\"stembureaus-{}-{}.xlsx\"", code.as_str(), election.as_str());
    let bytes = state
        .submissions
        .run(move |store, _| submissions::template(store, &election, &code))
        .await?
        .map_err(|e| PortalError::Unavailable(e.to_string()))?;
    Ok(([(CONTENT_TYPE, XLSX.to_owned()), (CONTENT_DISPOSITION, name)], bytes).into_response())
}

/// `GET /portaal/sjabloon.xlsx`: the blank template, for anyone.
pub async fn blank_template() -> Result<Response, PortalError> {
    let bytes = crate::ingest::template::write(&[]).map_err(|e| PortalError::Unavailable(e.to_string()))?;
    let name = "attachment; filename=\"stembureaus-sjabloon-1.7.xlsx\"";
    Ok(([(CONTENT_TYPE, XLSX), (CONTENT_DISPOSITION, name)], bytes).into_response())
}
