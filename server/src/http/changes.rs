//! `/data/{election}/changes`: the change feed (see [`crate::changes`]),
//! as Atom (`changes.atom`) or JSON Feed (`changes.json`); the bare path
//! answers by `Accept`, Atom unless JSON is asked for. `?before=ID` gives
//! the page of entries older than entry ID, as the `next` links say.
//!
//! The feed is read from the store, not from memory: its entries are not
//! what voters search, and a page is one indexed query. Its entity tag is
//! the hash of the bytes, so a reader that polls with `If-None-Match`
//! gets a 304 until an entry is added.
//!
//! Each entry links the files of the version it published,
//! `/data/{election}/versions/{version}/{GMxxxx}.{csv,geojson,json}`: as
//! immutable as the entry, and only of versions that were published (a
//! draft stays private).

use super::{holds, ApiError};
use crate::changes::feed::{self, Format, Page};
use crate::opendata::{self, Dataset, Scope, LICENCE};
use crate::store::Store;
use app::directory::PublicUrl;
use app::model::ElectionId;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex, PoisonError};

/// A feed reader polls; an entry may take this long to show.
const CACHE_CONTROL: &str = "public, max-age=60";

#[derive(Clone)]
pub struct FeedState {
    /// A connection of the feed's own.
    pub store: Arc<Mutex<Store>>,
    /// The origin the feed's links start with.
    pub site: PublicUrl,
}

pub fn routes() -> Router<FeedState> {
    Router::new()
        .route("/data/{election}/changes", get(negotiated))
        .route("/data/{election}/changes.atom", get(atom))
        .route("/data/{election}/changes.json", get(json_feed))
        .route("/data/{election}/versions/{version}/{file}", get(version_download))
}

#[derive(serde::Deserialize)]
struct PageQuery {
    before: Option<String>,
}

async fn atom(
    state: State<FeedState>,
    election: Path<String>,
    query: Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer(state, election, query, headers, Format::Atom).await
}

async fn json_feed(
    state: State<FeedState>,
    election: Path<String>,
    query: Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer(state, election, query, headers, Format::JsonFeed).await
}

/// The bare path: JSON Feed for a client that names JSON, else Atom.
async fn negotiated(
    state: State<FeedState>,
    election: Path<String>,
    query: Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok()).unwrap_or("");
    let format = if accept.contains("json") { Format::JsonFeed } else { Format::Atom };
    let mut response = answer(state, election, query, headers, format).await?;
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept"));
    Ok(response)
}

async fn answer(
    State(state): State<FeedState>,
    Path(election): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, ApiError> {
    let not_found = || {
        ApiError::NotFound(format!(
            "there is no election {election}; the elections and their feeds are listed at /data"
        ))
    };
    let id = ElectionId::parse(&election).map_err(|_| not_found())?;
    let before = match query.before.as_deref() {
        None => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            ApiError::BadRequest(format!(
                "before={text}: give the id of an entry (a whole number), as the feed's next link does"
            ))
        })?),
    };
    let store = state.store.clone();
    let read = tokio::task::spawn_blocking(move || {
        let store = store.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(election) = store.election(&id)? else { return Ok(None) };
        let mut entries = store.publications(&id, before, feed::PAGE + 1)?;
        let more = entries.len() > feed::PAGE;
        entries.truncate(feed::PAGE);
        Ok::<_, crate::store::StoreError>(Some((election, entries, more)))
    })
    .await
    .unwrap_or_else(|joined| std::panic::resume_unwind(joined.into_panic()));
    let (election, entries, more) = read
        .map_err(|error| {
            tracing::error!(%error, election, "cannot read the change feed");
            ApiError::Unavailable("the change feed cannot be read right now; try again in a minute".into())
        })?
        .ok_or_else(not_found)?;
    let page = Page { election: &election, entries: &entries, before, more, origin: state.site.origin() };
    let body = match format {
        Format::Atom => feed::atom(&page),
        Format::JsonFeed => feed::json_feed(&page),
    };
    let etag = format!("\"{}\"", crate::secrets::hex(&Sha256::digest(&body)[..16]));
    let mut response = if holds(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, format.media_type())], body).into_response()
    };
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    Ok(response)
}

/// A version's records never change: caches may keep its files for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `/data/{election}/versions/{version}/{GMxxxx}.{ext}`: the municipality's
/// stations as that version published them, in the same formats as the
/// current downloads (see `super::data`), written on each request: a
/// municipality's file is small, and caches keep it.
async fn version_download(
    State(state): State<FeedState>,
    Path((election, version, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no published version {version} with a file {file} in election {election}; \
             the change feed at /data/{election}/changes.json links every version's files"
        ))
    };
    let id = ElectionId::parse(&election).map_err(|_| not_found())?;
    let number = version.parse::<i64>().map_err(|_| not_found())?;
    let dataset = Dataset::from_file_name(id.clone(), &file).ok_or_else(not_found)?;
    let Scope::Municipality(code) = dataset.scope else { return Err(not_found()) };
    let format = dataset.format;
    let etag = format!("\"v{number}-{code}-{}\"", format.extension());
    if holds(&headers, &etag) {
        return Ok(with_version_headers(StatusCode::NOT_MODIFIED.into_response(), &etag));
    }
    let store = state.store.clone();
    let wanted = code.clone();
    let made = tokio::task::spawn_blocking(move || {
        let store = store.lock().unwrap_or_else(PoisonError::into_inner);
        let published = store.publication_of_version(&id, number)?;
        if published.is_none_or(|publication| publication.entry.municipality != wanted) {
            return Ok(None);
        }
        let rows = store.records(&[number], Some(&wanted))?.rows;
        Ok::<_, crate::store::StoreError>(Some(opendata::write(rows, format)))
    })
    .await
    .unwrap_or_else(|joined| std::panic::resume_unwind(joined.into_panic()))
    .map_err(|error| {
        tracing::error!(%error, election, version, "cannot read a version's download");
        ApiError::Unavailable("the download cannot be made right now; try again in a minute".into())
    })?
    .ok_or_else(not_found)?
    .map_err(|error| {
        tracing::error!(%error, election, version, "cannot write a version's download");
        ApiError::Unavailable("the download cannot be made right now; try again in a minute".into())
    })?;
    let mut response = ([(header::CONTENT_TYPE, format.media_type())], made).into_response();
    let name = format!("attachment; filename=\"{election}-{code}-v{number}.{}\"", format.extension());
    if let Ok(disposition) = HeaderValue::from_str(&name) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(with_version_headers(response, &etag))
}

fn with_version_headers(mut response: Response, etag: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    if let Ok(link) = HeaderValue::from_str(&format!("<{LICENCE}>; rel=\"license\"")) {
        headers.insert(header::LINK, link);
    }
    response
}
