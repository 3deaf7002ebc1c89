//! `PUT /api/v1/elections/{election}/municipalities/{code}/stations`:
//! vendor systems upload one municipality's stations with a token made for
//! that municipality (`kieskaart token create`). The body is a file in any
//! import format; the same validation as every import applies, and a file
//! with one error changes nothing. `?publish=true` publishes at once,
//! otherwise the upload is kept as a draft version.

use crate::http::metrics::UploadOutcome;
use crate::http::ApiError;
use crate::ingest::{Lang, Report};
use crate::store::{Publish, Store, StoreError};
use crate::submissions::{Desk, NotTaken, Submission, Submissions, Upload};
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

/// Whose token it is, each answered in its own way.
enum Bearer {
    Refused,
    OtherMunicipality,
    /// The token of this municipality: the actor for the log.
    Accepted(String),
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
        (status = 422, description = "Errors in the file, in `report` (the first 1000 findings, with how many more in `left_out`); nothing was stored", content_type = "application/problem+json"),
        (status = 503, description = "Every upload worker is busy (or the store is unreachable); send it again after `Retry-After` seconds", content_type = "application/problem+json"),
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
    let municipality = code.clone();
    let bearer = submissions
        .run(move |store, desk| authenticate(store, desk, &municipality, authorization.as_deref()))
        .await
        .map_err(|_| interrupted())?
        .map_err(unavailable)?;
    let actor = match bearer {
        Bearer::Accepted(actor) => actor,
        Bearer::Refused => {
            return Err(ApiError::Unauthorized(
                "give a valid token for this municipality as `Authorization: Bearer kk_…`; \
                 the municipality's Kieskaart administrator makes one"
                    .into(),
            ))
        }
        Bearer::OtherMunicipality => {
            return Err(ApiError::Forbidden(
                "this token is for another municipality: upload with a token made for this one".into(),
            ))
        }
    };
    let upload = Upload {
        election,
        municipality: code,
        publish,
        actor,
        file: "API upload".into(),
        bytes: body,
        despite_closing: false,
    };
    let submission = submissions.submit(upload).await.map_err(|refusal| match refusal {
        NotTaken::Busy => ApiError::Unavailable(
            "every upload worker is busy: nothing was changed; send the file again after Retry-After seconds"
                .into(),
        ),
        NotTaken::Interrupted => interrupted(),
        NotTaken::Store(error) => unavailable(error),
    })?;
    Ok(match submission {
        Submission::UnknownElection => ApiError::NotFound(
            "no such election: see GET /api/v1/elections, or ask the operator to add it".into(),
        )
        .into_response(),
        Submission::Closed(closed) => ApiError::Forbidden(format!(
            "submissions for this election were closed at {}: nothing was changed; ask the Kieskaart \
             administrator to make a correction",
            closed.at
        ))
        .into_response(),
        Submission::Invalid(report) => unprocessable(&report),
        // Not a station file at all: one finding-less report that says why.
        Submission::Unreadable(problem) => unprocessable_problem(
            serde_json::json!({"findings": [], "problem": problem}),
            "the file cannot be read as a station file; nothing was stored: see `report.problem`".into(),
        ),
        Submission::Stored(imported) => {
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

fn interrupted() -> ApiError {
    ApiError::Unavailable("the upload was interrupted; send it again".into())
}

fn unavailable(error: StoreError) -> ApiError {
    tracing::error!(%error, "upload failed");
    ApiError::Unavailable(if error.is_unreachable() {
        "the database cannot be reached right now; nothing was changed: send the file again in a minute"
            .into()
    } else {
        "the store cannot take the upload right now; nothing was changed, send it again".into()
    })
}

/// 422 with the report, as a problem document.
fn unprocessable(report: &Report) -> Response {
    let detail = match report.left_out_note(Lang::En) {
        Some(note) => format!("{} error(s) in the file; nothing was stored. {note}", report.errors()),
        None => {
            format!("{} error(s) in the file; nothing was stored: fix each and upload again", report.errors())
        }
    };
    unprocessable_problem(report.to_json(), detail)
}

fn unprocessable_problem(report: serde_json::Value, detail: String) -> Response {
    let problem = serde_json::json!({
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": detail,
        "report": report,
    });
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/problem+json")],
        problem.to_string(),
    )
        .into_response()
}

/// Checks that the token is valid and for this municipality.
fn authenticate(
    store: &mut Store,
    desk: &Desk<'_>,
    code: &MunicipalityCode,
    authorization: Option<&str>,
) -> Result<Bearer, StoreError> {
    let token = match tokens::authenticate(store, authorization)? {
        Ok(token) => token,
        Err(refusal) => {
            if let Refusal::Revoked { id } = refusal {
                store.record(&format!("token {id}"), "upload-refused", Some(code), "revoked token")?;
            }
            desk.metrics.upload(UploadOutcome::Refused);
            return Ok(Bearer::Refused);
        }
    };
    let actor = format!("token {}", token.id);
    if token.municipality != *code {
        store.record(&actor, "upload-refused", Some(code), "token of another municipality")?;
        desk.metrics.upload(UploadOutcome::Refused);
        return Ok(Bearer::OtherMunicipality);
    }
    Ok(Bearer::Accepted(actor))
}
