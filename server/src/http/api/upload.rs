//! `PUT /api/v1/elections/{election}/municipalities/{code}/stations`:
//! vendor systems upload one municipality's stations with a token made for
//! that municipality (`kieskaart token create`). The body is a file in any
//! import format; the same validation as every import applies, and a file
//! with one error changes nothing. `?publish=true` publishes at once,
//! otherwise the upload is kept as a draft version.

use crate::http::metrics::UploadOutcome;
use crate::http::ApiError;
use crate::store::{Publish, Store};
use crate::submissions::{Desk, Submission, Submissions, Upload};
use crate::tokens::{self, Refusal};
use app::model::{ElectionId, MunicipalityCode};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct UploadQuery {
    publish: Option<String>,
}

/// What an upload came to, each answered in its own way.
enum Outcome {
    Refused,
    OtherMunicipality,
    Submitted(Submission),
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
    State(submissions): State<Arc<Submissions>>,
    Path((election, code)): Path<(String, String)>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let code = MunicipalityCode::parse(&code).map_err(|e| ApiError::NotFound(e.to_string()))?;
    let election = ElectionId::parse(&election).map_err(|e| ApiError::NotFound(e.to_string()))?;
    let (election_id, code_text) = (election.as_str().to_owned(), code.as_str().to_owned());
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
            submissions.limit_mb()
        ))
    })?;
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let outcome = submissions
        .run(move |store, desk| {
            receive(store, desk, &election, &code, publish, authorization.as_deref(), &body)
        })
        .await
        .map_err(|_| ApiError::Unavailable("the upload was interrupted; send it again".into()))?
        .map_err(|error| {
            tracing::error!(%error, "upload failed");
            ApiError::Unavailable(if error.is_unreachable() {
                "the database cannot be reached right now; nothing was changed: send the file again in a minute"
                    .into()
            } else {
                "the store cannot take the upload right now; nothing was changed, send it again".into()
            })
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
        Outcome::Submitted(Submission::UnknownElection) => ApiError::NotFound(
            "no such election: see GET /api/v1/elections, or ask the operator to add it".into(),
        )
        .into_response(),
        Outcome::Submitted(Submission::Closed(closed)) => ApiError::Forbidden(format!(
            "submissions for this election were closed at {}: nothing was changed; ask the Kieskaart \
             administrator to make a correction",
            closed.at
        ))
        .into_response(),
        Outcome::Submitted(Submission::Invalid(report)) => unprocessable(report.to_json(), report.errors()),
        // Not a station file at all: one finding-less report that says why.
        Outcome::Submitted(Submission::Unreadable(problem)) => {
            unprocessable(serde_json::json!({"findings": [], "problem": problem}), 1)
        }
        Outcome::Submitted(Submission::Stored(imported)) => {
            let summary = &imported.summary;
            Json(serde_json::json!({
                "election": election_id,
                "municipality": code_text,
                "published": summary.published,
                "versions": summary.versions,
                "records": summary.records,
                "stations": summary.stations,
                "report": imported.report.to_json(),
            }))
            .into_response()
        }
    })
}

/// 422 with the report, as a problem document.
fn unprocessable(report: serde_json::Value, errors: usize) -> Response {
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

/// Checks the token, then hands the file in.
fn receive(
    store: &mut Store,
    desk: &Desk<'_>,
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
                store.record(&format!("token {id}"), "upload-refused", Some(code), "revoked token")?;
            }
            desk.metrics.upload(UploadOutcome::Refused);
            return Ok(Outcome::Refused);
        }
    };
    let actor = format!("token {}", token.id);
    if token.municipality != *code {
        store.record(&actor, "upload-refused", Some(code), "token of another municipality")?;
        desk.metrics.upload(UploadOutcome::Refused);
        return Ok(Outcome::OtherMunicipality);
    }
    let upload = Upload {
        election,
        municipality: code,
        publish,
        actor: &actor,
        file: "API upload",
        bytes: body,
        despite_closing: false,
    };
    Ok(Outcome::Submitted(desk.submit(store, &upload)?))
}
