//! `GET /elections/{election}/coverage`: which municipalities have
//! published, with the figures of the coverage page, and the shape in
//! which a search names a home municipality that has not published.

use super::freshness::{Freshness, Judged};
use super::{election_index, tagged};
use crate::catalog::Catalog;
use crate::http::ApiError;
use app::model::{
    Contact, Coverage, ElectionId, FieldTallies, MunicipalityCoverage, NotPublished, Publication, QueryError,
    Tally,
};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::ToSchema;

/// Every municipality of the country in one election, published or not.
#[derive(Serialize, ToSchema)]
pub struct CoverageResponse {
    pub election: String,
    pub totals: ApiTotals,
    /// In CBS code order.
    pub municipalities: Vec<ApiMunicipalityCoverage>,
}

/// The national figures: published municipalities only.
#[derive(Serialize, ToSchema)]
pub struct ApiTotals {
    /// Municipalities of the country (from the boundaries, or those the
    /// server knows when none are loaded).
    pub municipalities: usize,
    /// Of those, how many have published.
    pub published: usize,
    pub stations: usize,
    pub accessibility: Accessibility,
}

/// Per accessibility item (`wheelchair`, `transit-stop`, `toilet`,
/// `host`, `guide-lines`, `audio-aid`, `braille-list`, `large-print-list`,
/// `sign-language-interpreter`, `signing-staff`, `acoustics`,
/// `low-stimulus`, `buddy-pair`): how many stations answer yes (in any
/// form), no, or leave it empty.
type Accessibility = BTreeMap<&'static str, ApiTally>;

#[derive(Serialize, ToSchema)]
pub struct ApiTally {
    pub yes: usize,
    pub no: usize,
    pub unknown: usize,
}

/// One municipality.
#[derive(Serialize, ToSchema)]
pub struct ApiMunicipalityCoverage {
    /// CBS code, e.g. `GM0589`.
    pub code: String,
    pub name: String,
    pub published: bool,
    pub stations: usize,
    /// When the municipality last published (RFC 3339), when published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// Present when published.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<BTreeMap<String, ApiTally>>)]
    pub accessibility: Option<Accessibility>,
    /// Present when not published and an earlier dataset gave them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<ApiContact>,
}

/// Where voters find a municipality's election information.
#[derive(Serialize, ToSchema)]
pub struct ApiContact {
    /// The municipality's election page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Contact details, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

/// The searched point's municipality has published nothing for the
/// election: every station in the answer is in another municipality.
#[derive(Serialize, ToSchema)]
pub struct ApiNotPublished<'a> {
    pub municipality: super::shapes::ApiMunicipality<'a>,
    /// Its election page or contact details, when an earlier dataset gave
    /// them; otherwise absent, and voters should look at their poll card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<ApiContact>,
}

fn contact(contact: &Contact) -> Option<ApiContact> {
    (!contact.is_empty())
        .then(|| ApiContact { website: contact.website.clone(), details: contact.details.clone() })
}

fn accessibility(fields: &FieldTallies) -> Accessibility {
    fields
        .iter()
        .map(|(field, &Tally { yes, no, unknown })| (field.slug(), ApiTally { yes, no, unknown }))
        .collect()
}

impl<'a> From<&'a NotPublished> for ApiNotPublished<'a> {
    fn from(not_published: &'a NotPublished) -> Self {
        Self { municipality: (&not_published.municipality).into(), contact: contact(&not_published.contact) }
    }
}

impl From<&MunicipalityCoverage> for ApiMunicipalityCoverage {
    fn from(m: &MunicipalityCoverage) -> Self {
        let (code, name) = (m.municipality.code.to_string(), m.municipality.name.clone());
        match &m.publication {
            Publication::Published { stations, at, fields } => Self {
                code,
                name,
                published: true,
                stations: *stations,
                published_at: at.map(|at| at.to_rfc3339()),
                accessibility: Some(accessibility(fields)),
                contact: None,
            },
            Publication::NotPublished { contact: given } => Self {
                code,
                name,
                published: false,
                stations: 0,
                published_at: None,
                accessibility: None,
                contact: contact(given),
            },
        }
    }
}

impl From<&Coverage> for CoverageResponse {
    fn from(coverage: &Coverage) -> Self {
        let totals = &coverage.totals;
        Self {
            election: coverage.election.id.to_string(),
            totals: ApiTotals {
                municipalities: totals.municipalities,
                published: totals.published,
                stations: totals.stations,
                accessibility: accessibility(&totals.fields),
            },
            municipalities: coverage.municipalities.iter().map(Into::into).collect(),
        }
    }
}

/// Every municipality of the country (from the loaded boundaries), and
/// whether it has published for this election: its station count, when
/// it published, and per accessibility item how many stations answer
/// yes, no or nothing. Municipalities that have not published carry the
/// contact details an earlier dataset gave, when any did. Computed once
/// per publication. The same figures are a CSV at `/data/{election}/dekking.csv`.
#[utoipa::path(get, path = "/elections/{election}/coverage", tag = "elections",
    params(("election" = String, Path, description = "Election id, e.g. gr2026")),
    responses(
        (status = 200, description = "The coverage", body = CoverageResponse),
        (status = 304, description = "Not modified since the ETag given in If-None-Match"),
        (status = 404, description = "No such election", content_type = "application/problem+json"),
        (status = 422, description = "Not an election id", content_type = "application/problem+json"),
    ))]
pub async fn coverage(
    State(catalog): State<Arc<Catalog>>,
    Path(election): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = catalog.snapshot();
    let index = election_index(&snapshot, &ElectionId::parse(&election).map_err(QueryError::from)?)?;
    let Some(coverage) = snapshot.coverage(&index.election.id) else {
        return Err(ApiError::NotFound(format!("election {} has no coverage", index.election.id)));
    };
    let freshness = Freshness::of(index, Some(snapshot.boundaries.fingerprint()), Judged::Fixed);
    Ok(tagged(&headers, &freshness, || Json(CoverageResponse::from(&**coverage)).into_response()))
}
