//! The voter's search: from what was typed or located to the nearest
//! stations. One server function answers the whole search page so that a
//! page load (with or without JavaScript) costs one round trip.

use crate::model::{Coordinates, Election, ElectionId, NearestStation};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The search as it appears in the page URL (`/?e=gr2026&q=3421CT`), kept as
/// raw text: the URL is user input and is judged on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    /// Election id; the server picks the current or next election without it.
    pub e: Option<String>,
    /// Postcode, place or "lat, lon" as the voter typed it.
    pub q: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
}

impl SearchParams {
    /// The shareable page URL for a position found by the browser.
    pub fn position_url(election: Option<&str>, point: Coordinates) -> String {
        let election = election.map(|e| format!("e={e}&")).unwrap_or_default();
        // Five decimals is about one metre: precise enough, and it keeps
        // shared links from carrying more of the voter's position than needed.
        format!("/?{election}lat={:.5}&lon={:.5}", point.lat(), point.lon())
    }
}

/// An election as offered in the picker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElectionChoice {
    pub election: Election,
    pub past: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SearchOutcome {
    /// Nothing asked yet: show the empty form.
    NotAsked,
    /// No election has data; the operator still has to import some.
    NoElections,
    /// The election in the URL does not exist.
    UnknownElection(String),
    /// The text matches no postcode, place or coordinate pair that we know.
    PlaceNotFound(String),
    /// Coordinates in the URL that are not a valid position.
    InvalidPosition(String),
    Found {
        /// What the search was made from, in words ("3421 CT", "uw locatie").
        origin_label: String,
        origin: Coordinates,
        stations: Vec<NearestStation>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub elections: Vec<ElectionChoice>,
    pub selected: Option<ElectionId>,
    pub query_text: String,
    pub outcome: SearchOutcome,
}

#[server]
pub async fn find_stations(params: SearchParams) -> Result<SearchPage, ServerFnError> {
    let directory = expect_context::<crate::directory::Directory>();
    let today = chrono::Utc::now().date_naive();
    Ok(server::answer(directory.as_ref(), params, today))
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::directory::StationDirectory;
    use crate::model::{NearestQuery, ResultCount};
    use chrono::NaiveDate;

    /// Answers a search against the directory. Pure apart from the directory,
    /// so it is tested without a server.
    pub fn answer(directory: &dyn StationDirectory, params: SearchParams, today: NaiveDate) -> SearchPage {
        let elections = directory.elections();
        let query_text = params.q.clone().unwrap_or_default().trim().to_owned();
        let requested = params.e.as_deref().map(str::trim).filter(|e| !e.is_empty());
        let selected = match requested {
            Some(text) => elections.iter().find(|e| e.id.as_str() == text),
            None => Election::default_choice(&elections, today),
        }
        .map(|e| e.id.clone());
        let outcome = match (&selected, requested) {
            (None, Some(text)) => SearchOutcome::UnknownElection(text.to_owned()),
            (None, None) => SearchOutcome::NoElections,
            (Some(election), _) => outcome(directory, election, &params, &query_text),
        };
        let elections = elections
            .into_iter()
            .map(|election| ElectionChoice { past: election.is_past(today), election })
            .collect();
        SearchPage { elections, selected, query_text, outcome }
    }

    fn outcome(
        directory: &dyn StationDirectory,
        election: &ElectionId,
        params: &SearchParams,
        query_text: &str,
    ) -> SearchOutcome {
        let position = (params.lat.as_deref(), params.lon.as_deref());
        let (origin_label, origin) = if !query_text.is_empty() {
            let found = Coordinates::parse_pair(query_text)
                .map(|point| (query_text.to_owned(), point))
                .or_else(|| directory.locate(election, query_text).map(|p| (p.label, p.point)));
            match found {
                Some(found) => found,
                None => return SearchOutcome::PlaceNotFound(query_text.to_owned()),
            }
        } else if let (None, None) = position {
            return SearchOutcome::NotAsked;
        } else {
            match NearestQuery::from_params(election.as_str(), position.0, position.1, None) {
                Ok(query) => ("uw locatie".to_owned(), query.origin),
                Err(error) => return SearchOutcome::InvalidPosition(error.to_string()),
            }
        };
        let query = NearestQuery { election: election.clone(), origin, k: ResultCount::default() };
        match directory.nearest(&query) {
            Some(stations) => SearchOutcome::Found { origin_label, origin, stations },
            None => SearchOutcome::UnknownElection(election.to_string()),
        }
    }
}
