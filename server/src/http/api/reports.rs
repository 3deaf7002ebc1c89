//! `GET /api/v1/elections/{election}/municipalities/{code}/reports`: a
//! vendor system reads its municipality's queue of voters' reports with
//! the token made for that municipality, to handle them in its own tools.
//! There is no public read: reports hold what voters wrote, and an e-mail
//! address for an answer.

use crate::http::ApiError;
use crate::store::StoredReport;
use crate::submissions::Submissions;
use crate::tokens;
use app::model::{ElectionId, MunicipalityCode};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// A municipality's reports for an election, newest first (vendor
/// systems, with a token for that municipality; never public).
#[utoipa::path(get, path = "/elections/{election}/municipalities/{code}/reports", tag = "reports",
    params(
        ("election" = String, Path, description = "Election id"),
        ("code" = String, Path, description = "CBS municipality code, e.g. GM0589"),
    ),
    responses(
        (status = 200, description = "`reports`: each with `id`, `station` (`id`, `name`), `version` (the dataset version the voter saw, or null), `category` (locatie, adres, openingstijden, toegankelijkheid, gesloten-of-verplaatst, anders), `text` (as typed: show it as text, never as HTML), `email` (null when not given, once the report is closed, or after 90 days), `state` (new, in-progress, handled, dismissed), `created_at`, `changed_at`. Not cacheable."),
        (status = 401, description = "No valid token (`Authorization: Bearer kk_…`)", content_type = "application/problem+json"),
        (status = 403, description = "The token is for another municipality", content_type = "application/problem+json"),
        (status = 404, description = "Not an election id or municipality code", content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn reports(
    State(submissions): State<Arc<Submissions>>,
    Path((election, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let code = MunicipalityCode::parse(&code).map_err(|e| ApiError::NotFound(e.to_string()))?;
    let election = ElectionId::parse(&election).map_err(|e| ApiError::NotFound(e.to_string()))?;
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (id, municipality) = (election.clone(), code.clone());
    let answer = submissions
        .read(move |store| match tokens::authenticate(store, authorization.as_deref())? {
            Ok(token) if token.municipality == municipality => store.reports(&id, &municipality).map(Ok),
            Ok(_) => Ok(Err(None)),
            Err(refusal) => Ok(Err(Some(refusal))),
        })
        .await
        .map_err(|_| ApiError::Unavailable("the request was interrupted; ask again".into()))?
        .map_err(|error| {
            tracing::error!(%error, "reports");
            ApiError::Unavailable("the store cannot be read right now; ask again in a minute".into())
        })?;
    let reports = match answer {
        Ok(reports) => reports,
        Err(Some(_)) => {
            return Err(ApiError::Unauthorized(
                "give a valid token for this municipality as `Authorization: Bearer kk_…`".into(),
            ))
        }
        Err(None) => {
            return Err(ApiError::Forbidden(
                "this token is for another municipality: read with a token made for this one".into(),
            ))
        }
    };
    let body = json!({
        "election": election.as_str(),
        "municipality": code.as_str(),
        "reports": reports.iter().map(shape).collect::<Vec<_>>(),
    });
    // What voters wrote, and their addresses: no cache may keep it.
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(body)).into_response())
}

fn shape(report: &StoredReport) -> Value {
    json!({
        "id": report.id,
        "station": { "id": report.station.id, "name": report.station.name },
        "version": report.version,
        "category": report.category.code(),
        "text": report.text,
        "email": report.email,
        "state": report.state.code(),
        "created_at": report.created_at,
        "changed_at": report.changed_at,
    })
}
