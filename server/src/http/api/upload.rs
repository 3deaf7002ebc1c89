//! `PUT /api/v1/elections/{election}/municipalities/{code}/stations`:
//! vendor systems upload one municipality's stations with a token made for
//! that municipality (`kieskaart token create`). The body is a file in any
//! import format; the same validation as every import applies, and a file
//! with one error changes nothing. `?publish=true` publishes at once,
//! otherwise the upload is kept as a draft version.

use crate::catalog::Catalog;
use crate::commands::{self, CommandError, ImportOptions, Source};
use crate::http::metrics::{Metrics, UploadOutcome};
use crate::http::ApiError;
use crate::ingest::IngestError;
use crate::store::{Publish, Store};
use crate::tokens::{self, Refusal};
use app::model::{ElectionId, MunicipalityCode};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::sync::{Arc, Mutex, PoisonError};

/// The largest file accepted, as the portal's uploads.
pub const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;

/// Uploads write through a store connection of their own, and make what
/// they publish visible at once in this server's catalog (others follow
/// the store within seconds).
pub struct Uploads {
    catalog: Arc<Catalog>,
    store: Mutex<Store>,
    metrics: Arc<Metrics>,
}

impl Uploads {
    pub fn new(catalog: Arc<Catalog>, store: Store, metrics: Arc<Metrics>) -> Self {
        Self { catalog, store: Mutex::new(store), metrics }
    }
}

#[derive(Deserialize)]
pub struct UploadQuery {
    publish: Option<String>,
}

/// What an upload came to, each answered in its own way.
enum Outcome {
    Refused,
    OtherMunicipality,
    UnknownElection,
    Invalid(serde_json::Value, usize),
    Stored(serde_json::Value),
}

/// Uploads one municipality's stations (vendor systems, with a token for
/// that municipality). The body is a file in any import format.
#[utoipa::path(put, path = "/elections/{election}/municipalities/{code}/stations", tag = "uploads",
    params(
        ("election" = String, Path, description = "Election id; it must exist"),
        ("code" = String, Path, description = "CBS municipality code, e.g. GM0589"),
        ("publish" = Option<bool>, Query, description = "true: publish at once; otherwise the upload is kept as a draft"),
    ),
    request_body(content = String, description = "CKAN JSON, CSV, GeoJSON or the spreadsheet template, at most 10 MB"),
    responses(
        (status = 200, description = "Stored (and published when asked): versions, counts and warnings"),
        (status = 401, description = "No valid token (`Authorization: Bearer kk_…`)", content_type = "application/problem+json"),
        (status = 403, description = "The token is for another municipality", content_type = "application/problem+json"),
        (status = 413, description = "Larger than 10 MB", content_type = "application/problem+json"),
        (status = 422, description = "Errors in the file, in `report`; nothing was stored", content_type = "application/problem+json"),
    ),
    security(("token" = [])))]
pub async fn upload(
    State(uploads): State<Arc<Uploads>>,
    Path((election, code)): Path<(String, String)>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let code = MunicipalityCode::parse(&code).map_err(|e| ApiError::NotFound(e.to_string()))?;
    let election = ElectionId::parse(&election).map_err(|e| ApiError::NotFound(e.to_string()))?;
    let publish = match query.publish.as_deref() {
        None | Some("false") | Some("0") => Publish::Later,
        Some("true") | Some("1") => Publish::Now,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "parameter `publish` is \"{other}\": give publish=true to publish at once, or leave it out for a draft"
            )))
        }
    };
    let body = body.map_err(|_| {
        ApiError::TooLarge(format!(
            "the file is larger than {} MB: split it, or leave out columns that are not in the standard",
            UPLOAD_LIMIT / (1024 * 1024)
        ))
    })?;
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let outcome = tokio::task::spawn_blocking(move || {
        let mut store = uploads.store.lock().unwrap_or_else(PoisonError::into_inner);
        let outcome = receive(&mut store, &election, &code, publish, authorization.as_deref(), &body)?;
        let counted = match (&outcome, publish) {
            (Outcome::Stored(_), Publish::Now) => {
                uploads.catalog.refresh(&store)?;
                UploadOutcome::Published
            }
            (Outcome::Stored(_), Publish::Later) => UploadOutcome::Draft,
            (Outcome::Invalid(..), _) => UploadOutcome::Invalid,
            (Outcome::Refused | Outcome::OtherMunicipality | Outcome::UnknownElection, _) => {
                UploadOutcome::Refused
            }
        };
        uploads.metrics.upload(counted);
        Ok::<_, crate::store::StoreError>(outcome)
    })
    .await
    .map_err(|_| ApiError::Unavailable("the upload was interrupted; send it again".into()))?
    .map_err(|error| {
        tracing::error!(%error, "upload failed");
        ApiError::Unavailable(
            "the store cannot take the upload right now; nothing was changed, send it again".into(),
        )
    })?;
    Ok(match outcome {
        Outcome::Refused => ApiError::Unauthorized(
            "give a valid token for this municipality as `Authorization: Bearer kk_…`; \
             the municipality's Kieskaart administrator makes one"
                .into(),
        )
        .into_response(),
        Outcome::OtherMunicipality => ApiError::Forbidden(
            "this token is for another municipality: upload with a token made for this one".into(),
        )
        .into_response(),
        Outcome::UnknownElection => ApiError::NotFound(
            "no such election: see GET /api/v1/elections, or ask the operator to add it".into(),
        )
        .into_response(),
        Outcome::Invalid(report, errors) => {
            let problem = serde_json::json!({
                "type": "about:blank",
                "title": "Unprocessable Content",
                "status": 422,
                "detail": format!("{errors} error(s) in the file; nothing was stored: fix each and upload again"),
                "report": report,
            });
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "application/problem+json")],
                problem.to_string(),
            )
                .into_response()
        }
        Outcome::Stored(summary) => Json(summary).into_response(),
    })
}

/// Checks the token, imports the file and logs what happened.
fn receive(
    store: &mut Store,
    election: &ElectionId,
    code: &MunicipalityCode,
    publish: Publish,
    authorization: Option<&str>,
    body: &[u8],
) -> Result<Outcome, crate::store::StoreError> {
    let token = match tokens::authenticate(store, authorization)? {
        Ok(token) => token,
        Err(refusal) => {
            if let Refusal::Revoked { id } = refusal {
                tokens::record(store, &format!("token {id}"), "upload-refused", Some(code), "revoked token")?;
            }
            return Ok(Outcome::Refused);
        }
    };
    let actor = format!("token {}", token.id);
    if token.municipality != *code {
        tokens::record(store, &actor, "upload-refused", Some(code), "token of another municipality")?;
        return Ok(Outcome::OtherMunicipality);
    }
    if store.election(election)?.is_none() {
        return Ok(Outcome::UnknownElection);
    }
    let options = ImportOptions { uploaded_for: Some(code.clone()), publish, ..ImportOptions::default() };
    let name = format!("upload by {actor}");
    let source = Source::Bytes { name: &name, bytes: body };
    match commands::import(store, source, election.as_str(), options) {
        Ok(imported) => {
            let summary = &imported.summary;
            let action = if summary.published { "published" } else { "draft-stored" };
            let detail = format!("{} records, versions {:?}", summary.records, summary.versions);
            tokens::record(store, &actor, action, Some(code), &detail)?;
            Ok(Outcome::Stored(serde_json::json!({
                "election": election.as_str(),
                "municipality": code.as_str(),
                "published": summary.published,
                "versions": summary.versions,
                "records": summary.records,
                "stations": summary.stations,
                "report": imported.report.to_json(),
            })))
        }
        Err(CommandError::Ingest(IngestError::Invalid { report })) => {
            let errors = report.errors();
            tokens::record(store, &actor, "upload-refused", Some(code), &format!("{errors} error(s)"))?;
            Ok(Outcome::Invalid(report.to_json(), errors))
        }
        Err(CommandError::Store(error)) => Err(error),
        // Not a station file at all (empty, HTML, a broken spreadsheet):
        // one finding-less report that says why.
        Err(other) => {
            tokens::record(store, &actor, "upload-refused", Some(code), &other.to_string())?;
            Ok(Outcome::Invalid(
                serde_json::json!({"file": name, "findings": [], "problem": other.to_string()}),
                1,
            ))
        }
    }
}
