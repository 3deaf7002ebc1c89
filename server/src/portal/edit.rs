//! Correcting one station in a form: the fields of the template, filled
//! with what the version holds. Saving makes a new draft from that version
//! with this station changed, checked exactly as an upload is.

use super::municipality::{scope, version_path};
use super::pages::{alert, csrf_field, document, report, tr};
use super::session::{Officer, PageLanguage};
use super::{PortalError, PortalState};
use crate::ingest::{template, Fields};
use crate::store::{version_of, Publish, Store, StoreError};
use crate::submissions::{Submission, Upload};
use app::components::MapTiles;
use app::directory::StationDirectory;
use app::i18n::Language;
use app::model::{ElectionId, MunicipalityCode, SearchText};
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, LOCATION};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use leptos::prelude::*;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// The station number identifies the station; it is not edited here.
const NUMBER: &str = "Nummer stembureau";

/// The records of a version of the municipality, in file order; `None`
/// when the election has no such version of it.
fn records(
    store: &Store,
    election: &ElectionId,
    code: &MunicipalityCode,
    version: i64,
) -> Result<Option<Vec<Fields>>, StoreError> {
    let found = version_of(&store.versions(election)?, code, version).is_some();
    if !found {
        return Ok(None);
    }
    Ok(Some(store.records(&[version], Some(code))?.rows.into_iter().map(|(_, fields)| fields).collect()))
}

/// The path of the form for the `position`-th record (1-based) of a version.
pub fn edit_path(election: &ElectionId, code: &MunicipalityCode, version: i64, position: usize) -> String {
    format!("{}/stembureaus/{position}", version_path(election, code, version))
}

#[derive(Deserialize)]
pub struct AddressQuery {
    /// An address to place the station at.
    adres: Option<String>,
}

/// `GET /portaal/{election}/{code}/versies/{version}/stembureaus/{position}`;
/// with `?adres=`, the coordinates of that address filled in (the same
/// geocoder voters search with), to check and save.
pub async fn form(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path((election, code, version, position)): Path<(String, String, i64, usize)>,
    Query(query): Query<AddressQuery>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    let (id, municipality) = (election.clone(), code.clone());
    let mut fields = state
        .submissions
        .run(move |store, _| records(store, &id, &municipality, version))
        .await??
        .and_then(|records| records.into_iter().nth(position.checked_sub(1)?))
        .ok_or(PortalError::NotFound)?;
    let path = edit_path(&election, &code, version, position);
    let notice = match query.adres.as_deref().map(SearchText::parse) {
        None => None,
        Some(Ok(address)) if address.is_empty() => None,
        Some(Ok(address)) => Some(match state.catalog.locate(&address).await {
            Some(place) => {
                fields.insert("Latitude".into(), Value::from(format!("{:.6}", place.point.lat())));
                fields.insert("Longitude".into(), Value::from(format!("{:.6}", place.point.lon())));
                let text = match language {
                    Language::Nl => format!(
                        "Gevonden: {}. De coördinaten staan hieronder ingevuld; controleer ze en sla op.",
                        place.label
                    ),
                    Language::En => format!(
                        "Found: {}. The coordinates are filled in below; check them and save.",
                        place.label
                    ),
                };
                view! { <p class="notice" role="status">{text}</p> }.into_any()
            }
            None => {
                let text = match language {
                    Language::Nl => format!("Geen adres gevonden voor “{address}”. Probeer postcode en huisnummer, of vul de coördinaten zelf in."),
                    Language::En => format!("No address found for “{address}”. Try postcode and house number, or fill in the coordinates yourself."),
                };
                alert(text).into_any()
            }
        }),
        Some(Err(_)) => {
            let text = match language {
                Language::Nl => format!("Dit adres is langer dan {} tekens. Typ postcode en huisnummer, of vul de coördinaten zelf in.", SearchText::MAX_CHARS),
                Language::En => format!("This address is longer than {} characters. Type postcode and house number, or fill in the coordinates yourself.", SearchText::MAX_CHARS),
            };
            Some(alert(text).into_any())
        }
    };
    Ok(page(language, &officer, &path, &fields, notice, state.tiles.as_ref()))
}

fn page(
    language: Language,
    officer: &Officer,
    action: &str,
    fields: &Fields,
    problem: Option<AnyView>,
    tiles: Option<&MapTiles>,
) -> Response {
    let text = |name: &str| match fields.get(name) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    // The station on a map, its marker to drag, when it has a place yet.
    let coordinate = |name: &str| text(name).trim().replace(',', ".").parse::<f64>().ok();
    let point: Vec<(f64, f64, String)> = coordinate("Latitude")
        .zip(coordinate("Longitude"))
        .map(|(lat, lon)| (lat, lon, text("Naam stembureau")))
        .into_iter()
        .collect();
    let number = text(NUMBER);
    let inputs = template::attributes()
        .filter(|(name, _)| *name != NUMBER)
        .enumerate()
        .map(|(index, (name, explanation))| {
            let (id, hint) = (format!("field-{index}"), format!("hint-{index}"));
            view! {
                <label for=id.clone()>{name}</label>
                <input id=id name=name value=text(name) aria-describedby=hint.clone()/>
                <small id=hint>{explanation}</small>
            }
        })
        .collect_view();
    let title = match language {
        Language::Nl => format!("Stembureau {number} bewerken"),
        Language::En => format!("Edit station {number}"),
    };
    let body = view! {
        {problem}
        <form method="get" action=action.to_owned() class="portal-form">
            <label for="address">{tr(language, "Plaats het stembureau op een adres", "Place the station at an address")}</label>
            <input id="address" name="adres" autocomplete="street-address" placeholder="3421 CT 39" maxlength=SearchText::MAX_CHARS/>
            <button type="submit">{tr(language, "Coördinaten zoeken", "Find coordinates")}</button>
        </form>
        <p>{tr(language,
            "Opslaan maakt een nieuw concept met deze wijziging, gecontroleerd zoals een aangeleverd bestand. Kiezers zien het pas als u het publiceert.",
            "Saving makes a new draft with this change, checked as an uploaded file is. Voters see it only once you publish it.")}</p>
        {(!point.is_empty()).then(|| view! {
            <p>{tr(language, "Of sleep de markering naar de ingang; de coördinaten volgen.", "Or drag the marker to the entrance; the coordinates follow.")}</p>
        })}
        {super::pages::map(&point, tiles, true)}
        <form method="post" action=action.to_owned() class="portal-form">
            {csrf_field(&officer.csrf)}
            {inputs}
            <button type="submit">{tr(language, "Opslaan als concept", "Save as a draft")}</button>
        </form>
    };
    let page = document(language, title, Some(officer), body.into_any());
    ([(CONTENT_SECURITY_POLICY, super::map_policy(tiles))], page).into_response()
}

/// `POST …/stembureaus/{position}`: a new draft with this station changed.
pub async fn save(
    State(state): State<PortalState>,
    PageLanguage(language): PageLanguage,
    officer: Officer,
    Path((election, code, version, position)): Path<(String, String, i64, usize)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let (election, code) = scope(&officer, &election, &code)?;
    officer.check(form.get("csrf").map(String::as_str).unwrap_or_default())?;
    let path = edit_path(&election, &code, version, position);
    let (id, municipality) = (election.clone(), code.clone());
    let (file, edited) = state
        .submissions
        .run(move |store, _| {
            let Some(mut all) = records(store, &id, &municipality, version)? else { return Ok(None) };
            let Some(record) = position.checked_sub(1).and_then(|index| all.get_mut(index)) else {
                return Ok(None);
            };
            apply(record, &form);
            let edited = record.clone();
            let file = serde_json::json!({ "result": { "records": all } }).to_string();
            Ok::<_, StoreError>(Some((file, edited)))
        })
        .await??
        .ok_or(PortalError::NotFound)?;
    // The version with this change goes in as a file, checked as any upload.
    let number = edited.get(NUMBER).map(Value::to_string).unwrap_or_default();
    let upload = Upload {
        election: election.clone(),
        municipality: code.clone(),
        publish: Publish::Later,
        actor: officer.user.email.clone(),
        file: format!("version {version}, station {number}"),
        bytes: file.into(),
        despite_closing: officer.user.admin,
    };
    match (state.submissions.submit(upload).await?, edited) {
        (Submission::Stored(imported), _) => {
            let draft = imported.summary.versions.first().copied().unwrap_or(version);
            Ok((StatusCode::SEE_OTHER, [(LOCATION, version_path(&election, &code, draft))]).into_response())
        }
        (Submission::Invalid(findings), edited) => {
            let name = tr(language, "dit formulier", "this form");
            let problem = view! {
                {alert(tr(language, "Er is niets opgeslagen: verbeter de fouten hieronder.", "Nothing was stored: fix the errors below.").into())}
                {report(language, name, &findings)}
            };
            let page =
                page(language, &officer, &path, &edited, Some(problem.into_any()), state.tiles.as_ref());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        (Submission::Closed(_), _) => Err(PortalError::Closed),
        (Submission::UnknownElection | Submission::Unreadable(_), _) => Err(PortalError::NotFound),
    }
}

/// Writes the form's values into the record. A cleared field is removed;
/// coordinates moved in WGS84 drop the RD ones the record had, which would
/// otherwise contradict them.
fn apply(record: &mut Fields, form: &HashMap<String, String>) {
    let original = record.clone();
    let before = |name: &str| {
        original.get(name).map(|value| match value {
            Value::String(text) => text.trim().to_owned(),
            other => other.to_string(),
        })
    };
    let typed = |name: &str| form.get(name).map(|value| value.trim().to_owned());
    let moved =
        ["Latitude", "Longitude"].iter().any(|name| typed(name) != before(name).or(Some(String::new())));
    for (name, _) in template::attributes().filter(|(name, _)| *name != NUMBER) {
        let Some(value) = typed(name) else { continue };
        if value.is_empty() {
            record.remove(name);
        } else if before(name) != Some(value.clone()) {
            record.insert(name.to_owned(), Value::from(value));
        }
    }
    if moved && typed("X") == before("X") {
        record.remove("X");
        record.remove("Y");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_changes_what_it_changed_and_drops_rd_coordinates_left_behind() {
        let mut record: Fields = serde_json::from_value(serde_json::json!({
            "Nummer stembureau": 1, "Naam stembureau": "Oud", "Latitude": 52.1, "Longitude": 5.1,
            "X": 150000, "Y": 450000, "Toilet": "ja", "Gemeente": "Oudewater"
        }))
        .unwrap();
        let form: HashMap<String, String> = [
            ("Naam stembureau", "Nieuw "),
            ("Latitude", "52.2"),
            ("Longitude", "5.1"),
            ("X", "150000"),
            ("Y", "450000"),
            ("Toilet", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        apply(&mut record, &form);
        assert_eq!(record["Naam stembureau"], "Nieuw");
        assert_eq!(record["Latitude"], "52.2");
        assert_eq!(record["Longitude"], 5.1, "unchanged values keep their type");
        assert!(!record.contains_key("X") && !record.contains_key("Y"), "moved: the old RD pair goes");
        assert!(!record.contains_key("Toilet"), "cleared");
        assert_eq!(record["Gemeente"], "Oudewater", "fields not in the form stay");
    }
}
