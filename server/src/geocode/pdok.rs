//! The PDOK Locatieserver (free, no key): the Dutch government's geocoder
//! for addresses, postcodes, streets and places. Only its `free` search is
//! used; its answer format is the Solr one:
//! `{"response": {"docs": [{"weergavenaam": "...", "type": "postcode",
//! "centroide_ll": "POINT(4.86 52.02)"}]}}`.

use super::{Found, Source};
use app::directory::Place;
use app::model::Coordinates;
use serde::Deserialize;
use std::time::Duration;

/// The public service; tests point at a stand-in instead.
pub const DEFAULT_URL: &str = "https://api.pdok.nl/bzk/locatieserver/search/v3_1";

#[derive(Debug, thiserror::Error)]
pub enum PdokError {
    #[error("geocoder URL {0} is not a URL")]
    Url(String),
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    /// Without its URL, which holds what the voter typed.
    #[error("request to the geocoder failed: {0}")]
    Request(reqwest::Error),
    #[error("the geocoder answered {0}")]
    Status(reqwest::StatusCode),
    #[error("the geocoder's answer is not in the expected format: {0}")]
    Format(#[from] serde_json::Error),
}

impl From<reqwest::Error> for PdokError {
    fn from(error: reqwest::Error) -> Self {
        Self::Request(error.without_url())
    }
}

impl PdokError {
    /// Whether this says the service is in trouble (no answer in time, no
    /// connection, an error or "too many requests" from it, an answer
    /// that is not its format), rather than that it refused this one
    /// request, which tells nothing about the next.
    pub fn is_failure(&self) -> bool {
        match self {
            PdokError::Status(status) => {
                status.is_server_error() || *status == reqwest::StatusCode::TOO_MANY_REQUESTS
            }
            PdokError::Request(_) | PdokError::Format(_) => true,
            PdokError::Url(_) | PdokError::Client(_) => false,
        }
    }
}

pub struct Pdok {
    client: reqwest::Client,
    search_url: reqwest::Url,
}

#[derive(Deserialize)]
struct Answer {
    response: Docs,
}

#[derive(Deserialize)]
struct Docs {
    docs: Vec<Doc>,
}

#[derive(Deserialize)]
struct Doc {
    weergavenaam: String,
    centroide_ll: String,
}

impl Pdok {
    /// `base_url` is the service root (see [`DEFAULT_URL`]); `timeout`
    /// bounds each request, connection included.
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, PdokError> {
        let search_url = reqwest::Url::parse(&format!("{}/free", base_url.trim_end_matches('/')))
            .map_err(|_| PdokError::Url(base_url.to_owned()))?;
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("kieskaart/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| PdokError::Client(e.to_string()))?;
        Ok(Self { client, search_url })
    }

    pub async fn search(&self, text: &str) -> Result<Vec<Found>, PdokError> {
        let response = self
            .client
            .get(self.search_url.clone())
            .query(&[
                ("q", text),
                ("fq", "type:(adres OR postcode OR weg OR woonplaats OR gemeente)"),
                ("fl", "weergavenaam,centroide_ll,type"),
                ("rows", "5"),
            ])
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(PdokError::Status(response.status()));
        }
        let answer: Answer = serde_json::from_slice(&response.bytes().await?)?;
        Ok(answer
            .response
            .docs
            .into_iter()
            .filter_map(|doc| {
                let point = parse_wkt_point(&doc.centroide_ll)?;
                Some(Found { place: Place { label: doc.weergavenaam, point }, source: Source::Pdok })
            })
            .collect())
    }
}

/// "POINT(4.8684 52.0217)" → the point (WKT order is longitude, latitude).
fn parse_wkt_point(text: &str) -> Option<Coordinates> {
    let inner = text.trim().strip_prefix("POINT(")?.strip_suffix(')')?;
    let mut numbers = inner.split_whitespace().map(str::parse::<f64>);
    let (lon, lat) = (numbers.next()?.ok()?, numbers.next()?.ok()?);
    Coordinates::new(lat, lon).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wkt_points_in_longitude_latitude_order() {
        let point = parse_wkt_point("POINT(4.8684 52.0217)").unwrap();
        assert_eq!((point.lat(), point.lon()), (52.0217, 4.8684));
        assert!(parse_wkt_point("POINT(4.8)").is_none());
        assert!(parse_wkt_point("LINESTRING(1 2, 3 4)").is_none());
        assert!(parse_wkt_point("POINT(200 52)").is_none());
    }
}
