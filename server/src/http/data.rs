//! `/data/…`: the open-data downloads and their DCAT catalogue. The page
//! that lists them is a Leptos page (`app::pages::DataPage`).

use super::{holds, ApiError};
use crate::catalog::Catalog;
use crate::opendata::{dcat, Dataset, Downloads, LICENCE};
use app::directory::PublicUrl;
use app::model::ElectionId;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;

/// Files change only when a municipality publishes; an hour-old copy at a
/// CDN is revalidated cheaply by its entity tag.
const CACHE_CONTROL: &str = "public, max-age=300, stale-while-revalidate=3600";

#[derive(Clone)]
pub struct DataState {
    pub catalog: Arc<Catalog>,
    pub downloads: Arc<Downloads>,
    /// The origin the catalogue's links start with.
    pub site: PublicUrl,
}

pub fn routes() -> Router<DataState> {
    Router::new()
        .route("/data/catalog.jsonld", get(catalogue))
        .route("/data/{election}/{file}", get(download))
}

/// The DCAT-AP catalogue for data portals to harvest.
async fn catalogue(State(state): State<DataState>) -> Response {
    let document = dcat::catalogue(&state.catalog.snapshot(), state.site.origin());
    let mut response = Json(document).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/ld+json"));
    response
}

/// One file: an election's or a municipality's stations in one format,
/// gzip-compressed when the client takes it (nearly all do; the file is
/// kept compressed).
async fn download(
    State(state): State<DataState>,
    Path((election, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no download {file} for election {election}: the files are listed at /data, \
             such as /data/{{election}}/stembureaus.csv or /data/{{election}}/GM0363.geojson"
        ))
    };
    let id = ElectionId::parse(&election).map_err(|_| not_found())?;
    if file == app::pages::COVERAGE_CSV {
        return coverage_csv(&state.catalog, &id, &headers).ok_or_else(not_found);
    }
    let dataset = Dataset::from_file_name(id.clone(), &file).ok_or_else(not_found)?;
    let snapshot = state.catalog.snapshot();
    let index = snapshot.election(&id).ok_or_else(not_found)?;
    if let crate::opendata::Scope::Municipality(code) = &dataset.scope {
        if !index.publishes(code) {
            return Err(not_found());
        }
    }
    let etag = dataset.etag(index);
    if holds(&headers, &etag) {
        return Ok(with_download_headers(StatusCode::NOT_MODIFIED.into_response(), &etag));
    }
    let format = dataset.format;
    let made = state.downloads.get(dataset, index).await.map_err(|error| {
        tracing::error!(%error, file, election, "download failed");
        ApiError::Unavailable("the download cannot be made right now; try again in a minute".into())
    })?;
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accepted| accepted.split(',').any(|coding| coding.trim().starts_with("gzip")));
    let mut response = if gzip {
        ([(header::CONTENT_ENCODING, "gzip")], made.gzip.clone()).into_response()
    } else {
        made.plain()
            .map_err(|_| ApiError::Unavailable("the download cannot be unpacked; try again".into()))?
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{election}-{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    if let Some(modified) = made.last_modified {
        let date = modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        if let Ok(date) = HeaderValue::from_str(&date) {
            headers.insert(header::LAST_MODIFIED, date);
        }
    }
    Ok(with_download_headers(response, &made.etag))
}

/// The coverage of an election as CSV (see [`crate::coverage::csv`]):
/// small and made from the snapshot's figures, so it is written per
/// request rather than kept; `None` when the election is unknown.
fn coverage_csv(catalog: &Catalog, election: &ElectionId, headers: &HeaderMap) -> Option<Response> {
    let snapshot = catalog.snapshot();
    let index = snapshot.election(election)?;
    let coverage = snapshot.coverage(election)?;
    // The figures follow the published versions and the boundaries.
    let etag =
        format!("\"{}-coverage-{:016x}\"", index.etag.trim_matches('"'), snapshot.boundaries.fingerprint());
    if holds(headers, &etag) {
        return Some(with_download_headers(StatusCode::NOT_MODIFIED.into_response(), &etag));
    }
    let response = match crate::coverage::csv::write(coverage) {
        Ok(bytes) => {
            let disposition = format!("attachment; filename=\"{election}-{}\"", app::pages::COVERAGE_CSV);
            let headers = [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ];
            (headers, bytes).into_response()
        }
        Err(error) => {
            tracing::error!(%error, %election, "coverage CSV failed");
            return Some(
                ApiError::Unavailable("the coverage cannot be written right now; try again".into())
                    .into_response(),
            );
        }
    };
    Some(with_download_headers(response, &etag))
}

fn with_download_headers(mut response: Response, etag: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    if let Ok(link) = HeaderValue::from_str(&format!("<{LICENCE}>; rel=\"license\"")) {
        headers.insert(header::LINK, link);
    }
    response
}
