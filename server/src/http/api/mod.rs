//! The public API, version 1: elections, nearest stations (JSON or
//! GeoJSON), one station, the stations of a municipality, and geocoding.
//! Every answer is made from one catalog snapshot, so it never mixes two
//! publications.

mod coverage;
mod docs;
mod freshness;
mod reports;
mod shapes;
mod upload;

use super::ApiError;
use crate::catalog::{Catalog, Snapshot};
use crate::index::ElectionIndex;
use crate::submissions::Submissions;
use app::clock::Clock;
use app::model::{ElectionId, Filters, Moment, MunicipalityCode, NearestQuery, QueryError, SearchText};
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRef, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use freshness::{Freshness, Judged};
use serde::{Deserialize, Serialize};
use shapes::{
    ApiElection, ApiMunicipality, ApiPlace, ApiStation, GeocodeResponse, MunicipalityStations,
    NearestResponse,
};
use std::sync::Arc;
use tower_http::cors::{Any, CorsLayer};
use utoipa::IntoParams;

const GEOJSON: &str = "application/geo+json";

/// What the API handlers read: the catalog, the clock that opening
/// statuses are judged by, and for uploads a store to write to.
#[derive(Clone)]
pub struct ApiState {
    pub catalog: Arc<Catalog>,
    pub clock: Clock,
    pub submissions: Arc<Submissions>,
}

impl FromRef<ApiState> for Clock {
    fn from_ref(state: &ApiState) -> Self {
        state.clock.clone()
    }
}

impl FromRef<ApiState> for Arc<Catalog> {
    fn from_ref(state: &ApiState) -> Self {
        state.catalog.clone()
    }
}

impl FromRef<ApiState> for Arc<Submissions> {
    fn from_ref(state: &ApiState) -> Self {
        state.submissions.clone()
    }
}

/// The API; uploads of at most `upload_limit` bytes.
pub fn routes(upload_limit: usize) -> Router<ApiState> {
    Router::new()
        .route("/elections", get(elections))
        .route("/elections/{election}/stations/nearest", get(nearest))
        .route("/elections/{election}/stations/nearest.geojson", get(nearest_geojson))
        .route("/elections/{election}/stations/{station}", get(station))
        .route(
            "/elections/{election}/municipalities/{code}/stations",
            get(municipality).put(upload::upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/elections/{election}/municipalities/{code}/stations.geojson", get(municipality_geojson))
        .route("/elections/{election}/coverage", get(coverage::coverage))
        // Issue 23, part 1: a municipality's reports, for its vendor's token.
        .route("/elections/{election}/municipalities/{code}/reports", get(reports::reports))
        .route("/geocode", get(geocode))
        .route("/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::page))
        .fallback(|| async { ApiError::NotFound("no such API endpoint; see /api/v1/docs".into()) })
        // Open data: any site may call the API from the browser.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD])
                .expose_headers([header::ETAG]),
        )
}

impl From<QueryError> for ApiError {
    /// Text that is not a value at all is a bad request; a value of the
    /// right form that cannot be used (a latitude of 95) is unprocessable.
    fn from(error: QueryError) -> Self {
        match error {
            QueryError::Missing(_)
            | QueryError::NotANumber { .. }
            | QueryError::NotADate(_)
            | QueryError::NotAnInstant(_) => ApiError::BadRequest(error.to_string()),
            QueryError::Coordinates(_)
            | QueryError::ResultCount(_)
            | QueryError::Election(_)
            | QueryError::UnknownFeature(_)
            | QueryError::UnknownKind(_)
            | QueryError::Municipality(_) => ApiError::Unprocessable(error.to_string()),
        }
    }
}

/// JSON or GeoJSON, by path suffix or `Accept` header.
#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    GeoJson,
}

impl Format {
    fn negotiate(request: &HeaderMap) -> Self {
        let accept = request.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if accept.contains(GEOJSON) {
            Format::GeoJson
        } else {
            Format::Json
        }
    }
}

/// An answer tagged with what it was made from, or 304 when the client
/// already holds that answer.
fn tagged(request: &HeaderMap, freshness: &Freshness, body: impl FnOnce() -> Response) -> Response {
    let mut response = if super::holds(request, &freshness.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body()
    };
    let headers = response.headers_mut();
    for (name, value) in [(header::ETAG, &freshness.etag), (header::CACHE_CONTROL, &freshness.cache_control)]
    {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    response
}

/// The stations, as JSON (`body` as it is) or as a GeoJSON
/// FeatureCollection with the rest of `body` as foreign members.
fn stations_body<T: Serialize>(format: Format, stations: &[ApiStation], body: &T) -> Response {
    match format {
        Format::Json => Json(body).into_response(),
        Format::GeoJson => {
            let collection = shapes::feature_collection(stations, body);
            ([(header::CONTENT_TYPE, GEOJSON)], collection.to_string()).into_response()
        }
    }
}

/// Lists the elections that have published stations.
#[utoipa::path(get, path = "/elections", tag = "elections",
    responses((status = 200, description = "Every election with published stations", body = [ApiElection])))]
async fn elections(State(catalog): State<Arc<Catalog>>) -> impl IntoResponse {
    let list: Vec<ApiElection> = catalog
        .snapshot()
        .indexes()
        .map(|index| ApiElection {
            id: index.election.id.to_string(),
            name: index.election.name.clone(),
            kind: index.election.kind.slug(),
            polling_date: index.election.polling_date.to_string(),
            time_zone: index.election.time_zone.to_string(),
            stations: index.station_count(),
        })
        .collect();
    ([(header::CACHE_CONTROL, freshness::cache_control(None))], Json(list))
}

/// Every parameter arrives as text, so that a non-number is reported in our
/// words rather than the extractor's.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NearestParams {
    /// Latitude of the point searched from (WGS84), e.g. 52.0217.
    #[param(value_type = f64, required = true)]
    lat: Option<String>,
    /// Longitude, e.g. 4.8684.
    #[param(value_type = f64, required = true)]
    lon: Option<String>,
    /// How many stations, 1 to 50 (default 5).
    #[param(value_type = Option<u32>)]
    k: Option<String>,
    /// Accessibility features that every station must offer,
    /// comma-separated: wheelchair, transit-stop, accessible-toilet, host,
    /// guide-lines-outside, guide-lines-inside, audio-aid, braille-list,
    /// large-print-list, sign-language-on-site, sign-language-remote,
    /// signing-staff, acoustics, low-stimulus, buddy-pair.
    needs: Option<String>,
    /// Station types, comma-separated: regular, special, mobile (or the
    /// standard's regulier, bijzonder, mobiel).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    kind: Option<String>,
    /// Only stations open at this time: `now`, a local time in the
    /// election's time zone (`2026-03-18T08:00`) or an RFC 3339 instant.
    /// Each station reads it on its own clock (Bonaire, Sint Eustatius
    /// and Saba keep UTC-4). Opening statuses are judged at this time too
    /// (default: now).
    open_at: Option<String>,
    /// Only stations open at some time on this date (`YYYY-MM-DD`).
    open_on: Option<String>,
    /// Only stations of this municipality (CBS code, e.g. GM0589).
    municipality: Option<String>,
}

/// A search as the API reads it.
struct NearestRequest<'a> {
    query: NearestQuery,
    /// When opening statuses are judged.
    at: DateTime<Utc>,
    judged: Judged,
    index: &'a ElectionIndex,
}

/// The query, the moment at which to judge opening statuses, and the
/// index of the election asked about.
fn read_nearest<'a>(
    snapshot: &'a Snapshot,
    election: &str,
    params: Result<Query<NearestParams>, QueryRejection>,
    now: DateTime<Utc>,
) -> Result<NearestRequest<'a>, ApiError> {
    let Query(params) = params.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let mut query = NearestQuery::from_params(
        election,
        params.lat.as_deref(),
        params.lon.as_deref(),
        params.k.as_deref(),
        params.needs.as_deref(),
    )?;
    let index = election_index(snapshot, &query.election)?;
    let zone = index.election.time_zone.tz();
    let moment = params.open_at.as_deref().map(|t| Filters::parse_moment(t, zone)).transpose()?;
    let filters = &mut query.filters;
    filters.kinds = Filters::parse_kinds(params.kind.as_deref().unwrap_or_default())?;
    filters.open_at = moment.map(|moment| moment.resolve(now));
    filters.open_on = params.open_on.as_deref().map(Filters::parse_date).transpose()?;
    filters.municipality =
        params.municipality.as_deref().map(MunicipalityCode::parse).transpose().map_err(QueryError::from)?;
    let (at, judged) = match moment {
        Some(Moment::At(instant)) => (instant, Judged::Fixed),
        None | Some(Moment::Now) => (now, Judged::ByTheClock(now)),
    };
    Ok(NearestRequest { query, at, judged, index })
}

/// The stations nearest to a point that pass every filter, nearest first,
/// with geodesic distances and opening status. When municipal boundaries
/// are loaded, the answer names the municipality the point lies in and,
/// for elections where voters vote in their own municipality, lists its
/// stations first and marks the others. GeoJSON with
/// `Accept: application/geo+json` or the `.geojson` path.
#[utoipa::path(get, path = "/elections/{election}/stations/nearest", tag = "stations",
    params(("election" = String, Path, description = "Election id, e.g. gr2026"), NearestParams),
    responses(
        (status = 200, description = "Nearest stations", body = NearestResponse),
        (status = 304, description = "Not modified since the ETag given in If-None-Match"),
        (status = 400, description = "A parameter is not a value of its type", content_type = "application/problem+json"),
        (status = 404, description = "No such election", content_type = "application/problem+json"),
        (status = 422, description = "A value that cannot be used (out of range, unknown name)", content_type = "application/problem+json"),
    ))]
async fn nearest(
    State(catalog): State<Arc<Catalog>>,
    State(clock): State<Clock>,
    Path(election): Path<String>,
    headers: HeaderMap,
    params: Result<Query<NearestParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    answer_nearest(&catalog, clock.now(), &election, &headers, params, Format::negotiate(&headers))
}

/// As `/stations/nearest`, always as GeoJSON.
#[utoipa::path(get, path = "/elections/{election}/stations/nearest.geojson", tag = "stations",
    params(("election" = String, Path, description = "Election id, e.g. gr2026"), NearestParams),
    responses((status = 200, description = "A FeatureCollection of the nearest stations", content_type = "application/geo+json")))]
async fn nearest_geojson(
    State(catalog): State<Arc<Catalog>>,
    State(clock): State<Clock>,
    Path(election): Path<String>,
    headers: HeaderMap,
    params: Result<Query<NearestParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    answer_nearest(&catalog, clock.now(), &election, &headers, params, Format::GeoJson)
}

fn answer_nearest(
    catalog: &Catalog,
    now: DateTime<Utc>,
    election: &str,
    headers: &HeaderMap,
    params: Result<Query<NearestParams>, QueryRejection>,
    format: Format,
) -> Result<Response, ApiError> {
    let snapshot = catalog.snapshot();
    let NearestRequest { query, at, judged, index } = read_nearest(&snapshot, election, params, now)?;
    // The answer names the point's municipality, and orders by it.
    let freshness = Freshness::of(index, Some(snapshot.boundaries.fingerprint()), judged);
    Ok(tagged(headers, &freshness, || {
        let answer = snapshot.answer(index, &query);
        let not_published = snapshot.not_published(index, answer.home.as_ref());
        let mut body = NearestResponse::new(&index.election, query.origin, &answer, at);
        body.not_published = not_published.as_ref().map(Into::into);
        stations_body(format, &body.stations, &body)
    }))
}

/// One station by its id, with its opening status now.
#[utoipa::path(get, path = "/elections/{election}/stations/{station}", tag = "stations",
    params(("election" = String, Path, description = "Election id"), ("station" = String, Path, description = "Station id, e.g. gm0589-1")),
    responses(
        (status = 200, description = "The station", body = ApiStation),
        (status = 404, description = "No such election or station", content_type = "application/problem+json"),
    ))]
async fn station(
    State(catalog): State<Arc<Catalog>>,
    State(clock): State<Clock>,
    Path((election, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = catalog.snapshot();
    let index = election_index(&snapshot, &ElectionId::parse(&election).map_err(QueryError::from)?)?;
    let station = index.station(&id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "election {} has no station \"{id}\"; ids come from the nearest endpoint, e.g. gm0589-1",
            index.election.id
        ))
    })?;
    let now = clock.now();
    let freshness = Freshness::of(index, None, Judged::ByTheClock(now));
    Ok(tagged(&headers, &freshness, || Json(ApiStation::new(station, &index.election, now)).into_response()))
}

/// Every station of one municipality in an election, in the order the
/// municipality published them.
#[utoipa::path(get, path = "/elections/{election}/municipalities/{code}/stations", tag = "stations",
    params(("election" = String, Path, description = "Election id"), ("code" = String, Path, description = "CBS municipality code, e.g. GM0589")),
    responses(
        (status = 200, description = "The municipality's stations", body = MunicipalityStations),
        (status = 404, description = "No such election, or no stations of that municipality", content_type = "application/problem+json"),
        (status = 422, description = "Not a municipality code", content_type = "application/problem+json"),
    ))]
async fn municipality(
    State(catalog): State<Arc<Catalog>>,
    State(clock): State<Clock>,
    Path((election, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer_municipality(&catalog, clock.now(), &election, &code, &headers, Format::negotiate(&headers))
}

/// As `/municipalities/{code}/stations`, always as GeoJSON.
#[utoipa::path(get, path = "/elections/{election}/municipalities/{code}/stations.geojson", tag = "stations",
    params(("election" = String, Path, description = "Election id"), ("code" = String, Path, description = "CBS municipality code")),
    responses((status = 200, description = "A FeatureCollection of the municipality's stations", content_type = "application/geo+json")))]
async fn municipality_geojson(
    State(catalog): State<Arc<Catalog>>,
    State(clock): State<Clock>,
    Path((election, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    answer_municipality(&catalog, clock.now(), &election, &code, &headers, Format::GeoJson)
}

fn answer_municipality(
    catalog: &Catalog,
    now: DateTime<Utc>,
    election: &str,
    code: &str,
    headers: &HeaderMap,
    format: Format,
) -> Result<Response, ApiError> {
    let snapshot = catalog.snapshot();
    let index = election_index(&snapshot, &ElectionId::parse(election).map_err(QueryError::from)?)?;
    let code = MunicipalityCode::parse(code).map_err(QueryError::from)?;
    let stations: Vec<ApiStation> = index
        .municipality_stations(&code)
        .map(|station| ApiStation::new(station, &index.election, now))
        .collect();
    let Some(first) = stations.first() else {
        return Err(ApiError::NotFound(format!(
            "election {} has no published stations of {code}; /api/v1/elections/{}/stations/nearest finds stations by position",
            index.election.id, index.election.id
        )));
    };
    let municipality = ApiMunicipality { code: code.as_str(), name: first.municipality.name };
    let freshness = Freshness::of(index, None, Judged::ByTheClock(now));
    Ok(tagged(headers, &freshness, || {
        let body = MunicipalityStations { election: index.election.id.as_str(), municipality, stations };
        stations_body(format, &body.stations, &body)
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct GeocodeParams {
    /// What a voter typed: a postcode with or without house number
    /// (`3421CT`, `3421 ct 39`), a street and town, a place, a station name.
    #[param(value_type = String, required = true)]
    q: Option<String>,
}

/// Candidate points for what a voter typed, best first: from the offline
/// gazetteer (postcodes, places, streets and station names in the
/// published data, plus the operator's entries; accent- and
/// typo-tolerant), and for what it does not know exactly from the PDOK
/// Locatieserver when the server is configured with it. Feed a
/// candidate's `lat`/`lon` to `/stations/nearest`.
#[utoipa::path(get, path = "/geocode", tag = "geocoding", params(GeocodeParams),
    responses(
        (status = 200, description = "Candidates, best first; empty when nothing matched", body = GeocodeResponse),
        (status = 400, description = "No `q`", content_type = "application/problem+json"),
        (status = 422, description = "`q` is longer than 200 characters: too long to be an address", content_type = "application/problem+json"),
    ))]
async fn geocode(
    State(catalog): State<Arc<Catalog>>,
    params: Result<Query<GeocodeParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let text = SearchText::parse(params.q.as_deref().unwrap_or_default())
        .map_err(|error| ApiError::Unprocessable(format!("parameter `q`: {error}")))?;
    if text.is_empty() {
        return Err(ApiError::BadRequest(
            "parameter `q` is missing: give a postcode, address or place, e.g. q=3421CT".into(),
        ));
    }
    let places = catalog
        .geocode(&text)
        .await
        .into_iter()
        .map(|found| ApiPlace {
            label: found.place.label,
            lat: found.place.point.lat(),
            lon: found.place.point.lon(),
            source: found.source.slug(),
        })
        .collect();
    let body = GeocodeResponse { query: text.into(), places };
    Ok(([(header::CACHE_CONTROL, freshness::cache_control(None))], Json(body)).into_response())
}

fn election_index<'a>(snapshot: &'a Snapshot, id: &ElectionId) -> Result<&'a ElectionIndex, ApiError> {
    snapshot.election(id).ok_or_else(|| {
        ApiError::NotFound(format!("there is no election \"{id}\"; GET /api/v1/elections lists them"))
    })
}
