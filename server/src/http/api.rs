//! The public API, version 1. Its JSON shapes are defined here, apart from
//! the domain types, so that the wire format stays stable when the model
//! grows.

use super::ApiError;
use crate::catalog::Catalog;
use app::model::{ElectionId, Feature, NearestQuery, NearestStation, Station};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tower_http::cors::{Any, CorsLayer};

/// Answers may be cached for a minute by browsers and CDNs, and served
/// stale for a little longer while they revalidate: on polling day a
/// correction reaches voters within about a minute.
const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=30";

pub fn routes() -> Router<Arc<Catalog>> {
    Router::new()
        .route("/elections", get(elections))
        .route("/elections/{election}/stations/nearest", get(nearest))
        .route("/elections/{election}/stations/{station}", get(station))
        .fallback(|| async { ApiError::NotFound("no such API endpoint; see /api/v1/elections".into()) })
        // Open data: any site may call the API from the browser.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD])
                .expose_headers([header::ETAG]),
        )
}

/// A JSON answer tagged with the dataset version it was made from, or 304
/// when the client already holds that version.
fn tagged<T: Serialize>(request: &HeaderMap, etag: &str, body: impl FnOnce() -> T) -> Response {
    let headers = [(header::ETAG, etag), (header::CACHE_CONTROL, CACHE_CONTROL)];
    let held = request
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').map(str::trim).any(|tag| tag == etag || tag == "*"));
    if held {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (headers, Json(body())).into_response()
    }
}

#[derive(Serialize)]
struct ApiElection {
    id: String,
    name: String,
    polling_date: String,
    stations: usize,
}

async fn elections(State(catalog): State<Arc<Catalog>>) -> impl IntoResponse {
    let list: Vec<ApiElection> = catalog
        .indexes()
        .map(|index| ApiElection {
            id: index.election.id.to_string(),
            name: index.election.name.clone(),
            polling_date: index.election.polling_date.to_string(),
            stations: index.station_count(),
        })
        .collect();
    ([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(list))
}

/// Every parameter arrives as text, so that a non-number is reported in our
/// words rather than the extractor's.
#[derive(Deserialize)]
struct NearestParams {
    lat: Option<String>,
    lon: Option<String>,
    k: Option<String>,
    /// Comma-separated feature slugs, e.g. `wheelchair,low-stimulus`.
    needs: Option<String>,
}

#[derive(Serialize)]
struct NearestResponse {
    election: String,
    origin: ApiPoint,
    stations: Vec<ApiStation>,
}

#[derive(Serialize)]
struct ApiPoint {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct ApiStation {
    id: String,
    number: u32,
    name: String,
    kind: app::model::StationKind,
    address: ApiAddress,
    municipality: ApiMunicipality,
    lat: f64,
    lon: f64,
    /// From the searched point; absent when nothing was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    distance_m: Option<f64>,
    /// Local time at the station, as in the source data.
    opens: String,
    closes: String,
    wheelchair_accessible: bool,
    /// Slugs of the accessibility features the station is known to offer.
    features: Vec<&'static str>,
    accessibility_notes: String,
}

#[derive(Serialize)]
struct ApiAddress {
    street: String,
    house_number: String,
    postcode: String,
    place: String,
    extra: String,
    one_line: String,
}

#[derive(Serialize)]
struct ApiMunicipality {
    code: String,
    name: String,
}

impl From<NearestStation> for ApiStation {
    fn from(nearest: NearestStation) -> Self {
        // Centimetres are more than enough and keep the JSON short.
        let distance_m = (nearest.distance_m * 100.0).round() / 100.0;
        Self { distance_m: Some(distance_m), ..Self::from(nearest.station) }
    }
}

impl From<Station> for ApiStation {
    fn from(s: Station) -> Self {
        Self {
            address: ApiAddress {
                one_line: s.address.one_line(),
                street: s.address.street,
                house_number: s.address.house_number,
                postcode: s.address.postcode,
                place: s.address.place,
                extra: s.address.extra,
            },
            municipality: ApiMunicipality {
                code: s.municipality_code.to_string(),
                name: s.municipality_name,
            },
            id: s.id,
            number: s.number,
            name: s.name,
            kind: s.kind,
            lat: s.location.lat(),
            lon: s.location.lon(),
            distance_m: None,
            opens: s.opens.format("%Y-%m-%dT%H:%M:%S").to_string(),
            closes: s.closes.format("%Y-%m-%dT%H:%M:%S").to_string(),
            wheelchair_accessible: s.accessibility.wheelchair,
            features: Feature::offered_by(&s.accessibility).map(Feature::slug).collect(),
            accessibility_notes: s.accessibility.notes,
        }
    }
}

async fn nearest(
    State(catalog): State<Arc<Catalog>>,
    Path(election): Path<String>,
    headers: HeaderMap,
    params: Result<Query<NearestParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let query = NearestQuery::from_params(
        &election,
        params.lat.as_deref(),
        params.lon.as_deref(),
        params.k.as_deref(),
        params.needs.as_deref(),
    )
    .map_err(|error| ApiError::BadRequest(error.to_string()))?;
    let index = catalog.election(&query.election).ok_or_else(|| unknown_election(&query.election))?;
    Ok(tagged(&headers, &index.etag, || NearestResponse {
        election: query.election.to_string(),
        origin: ApiPoint { lat: query.origin.lat(), lon: query.origin.lon() },
        stations: index
            .nearest(query.origin, query.k, &query.needs)
            .into_iter()
            .map(ApiStation::from)
            .collect(),
    }))
}

async fn station(
    State(catalog): State<Arc<Catalog>>,
    Path((election, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let election = ElectionId::parse(&election).map_err(|error| ApiError::BadRequest(error.to_string()))?;
    let index = catalog.election(&election).ok_or_else(|| unknown_election(&election))?;
    let station = index.station(&id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "election {election} has no station \"{id}\"; ids come from the nearest endpoint, e.g. gm0589-1"
        ))
    })?;
    Ok(tagged(&headers, &index.etag, || ApiStation::from(station.clone())))
}

fn unknown_election(id: &ElectionId) -> ApiError {
    ApiError::NotFound(format!("there is no election \"{id}\"; GET /api/v1/elections lists them"))
}
