//! The voter's search: from what was typed or located to the nearest
//! stations. One function answers the whole search page, which the server
//! renders at once, with or without JavaScript.

use crate::model::{
    Coordinates, Election, ElectionId, Feature, MunicipalityRef, MunicipalityRule, NearestStation, Needs,
    NotPublished, ResultCount,
};
#[cfg(feature = "ssr")]
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The search as it appears in the page URL (`/?e=gr2026&q=3421CT`), kept as
/// raw text: the URL is user input and is judged on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
// Empty fields are left out when the browser sends this to the server
// function, so every field must be optional on the way in.
#[serde(default)]
pub struct SearchParams {
    /// Election id; the server picks the current or next election without it.
    pub e: Option<String>,
    /// Postcode, place or "lat, lon" as the voter typed it.
    pub q: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    /// Accessibility features required (`needs=wheelchair&needs=host`).
    pub needs: Vec<String>,
    /// `nu`: only stations open at this moment.
    pub open: Option<String>,
    /// How many stations to show (1–50); anything else shows the default.
    pub k: Option<String>,
    /// Only this municipality's stations (`GMxxxx`), as an embed for one
    /// municipality asks; one that is not a code is ignored.
    pub municipality: Option<String>,
}

/// The value of `open` that asks for stations open now.
pub const OPEN_NOW: &str = "nu";

impl SearchParams {
    pub fn open_now(&self) -> bool {
        self.open.as_deref() == Some(OPEN_NOW)
    }

    /// `k` when it is a count we serve.
    pub fn result_count(&self) -> Option<ResultCount> {
        self.k.as_deref()?.trim().parse().ok().and_then(|k| ResultCount::new(k).ok())
    }

    /// Where the page at `path` shows the results for a position the
    /// browser finds, keeping the election, the required features and
    /// `carried` (an embed's settings). Only values that parse are carried
    /// over, so nothing needs escaping.
    pub fn position_link(&self, path: &str, carried: &[(&str, String)]) -> PositionLink {
        let mut base = format!("{path}?");
        for (name, value) in carried {
            base.push_str(&format!("{name}={value}&"));
        }
        if let Some(election) = self.e.as_deref().and_then(|e| ElectionId::parse(e).ok()) {
            base.push_str(&format!("e={election}&"));
        }
        for feature in self.needs.iter().filter_map(|slug| Feature::from_slug(slug)) {
            base.push_str(&format!("needs={}&", feature.slug()));
        }
        if self.open_now() {
            base.push_str("open=nu&");
        }
        if let Some(k) = self.result_count() {
            base.push_str(&format!("k={}&", k.get()));
        }
        PositionLink { base }
    }
}

/// The shareable URL of a search by position, made on the server and
/// completed in the browser once the position is known: the browser then
/// needs none of the search's rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionLink {
    /// Everything up to the position, ending in `?` or `&`.
    base: String,
}

impl PositionLink {
    /// The URL for the voter at `point`.
    pub fn at(&self, point: Coordinates) -> String {
        // Five decimals is about one metre: precise enough, and it keeps
        // shared links from carrying more of the voter's position than needed.
        format!("{}lat={:.5}&lon={:.5}", self.base, point.lat(), point.lon())
    }
}

/// An election as offered in the picker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElectionChoice {
    pub election: Election,
    pub past: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// One per page answered, never kept in numbers: the size of the answer
// found costs nothing worth a box around it.
#[allow(clippy::large_enum_variant)]
pub enum SearchOutcome {
    /// Nothing asked yet: show the empty form.
    NotAsked,
    /// No election has data; the operator still has to import some.
    NoElections,
    /// The election in the URL does not exist.
    UnknownElection(String),
    /// The text matches no postcode, place or coordinate pair that we know.
    PlaceNotFound(String),
    /// The text is longer than any address (see [`crate::model::SearchText::MAX_CHARS`]);
    /// nothing was looked up.
    TooLong,
    /// Coordinates or features in the URL that are not valid.
    InvalidQuery(String),
    Found {
        /// The election searched, whose stations each keep the clock of
        /// their own time zone.
        election: Election,
        /// What the search was made from, in words ("3421 CT"); `None` for
        /// the voter's own position, which each language names itself.
        origin_label: Option<String>,
        origin: Coordinates,
        /// The municipality the origin lies in, when known.
        home: Option<MunicipalityRef>,
        /// Where voters of the election may vote.
        rule: Option<MunicipalityRule>,
        stations: Vec<NearestStation>,
        /// The home municipality, when it has published nothing: the
        /// stations are then all in other municipalities.
        not_published: Option<NotPublished>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub elections: Vec<ElectionChoice>,
    pub selected: Option<ElectionId>,
    pub query_text: String,
    /// When the answer was made, for opening statuses, which each station
    /// judges on its own clock.
    pub now: chrono::DateTime<chrono::Utc>,
    /// The features required, as understood (unknown ones are left out).
    pub needs: Needs,
    /// Only stations open at `now` were asked for.
    pub open_now: bool,
    /// How many stations were asked for, when not the default.
    pub k: Option<usize>,
    pub outcome: SearchOutcome,
}

/// The search page's answer, against the station directory the server
/// provides to every page.
#[cfg(feature = "ssr")]
pub async fn find_stations(params: SearchParams) -> SearchPage {
    let directory = expect_context::<crate::directory::Directory>();
    let clock = expect_context::<crate::clock::Clock>();
    server::answer(directory.as_ref(), params, clock.now()).await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::directory::StationDirectory;
    use crate::model::{Filters, MunicipalityCode, NearestQuery, SearchText, TimeZoneName};
    use chrono::{DateTime, Utc};

    /// Answers a search against the directory. Pure apart from the directory,
    /// so it is tested without a server.
    pub async fn answer(
        directory: &dyn StationDirectory,
        params: SearchParams,
        now: DateTime<Utc>,
    ) -> SearchPage {
        let elections = directory.elections();
        let today = today(now);
        let query_text = params.q.clone().unwrap_or_default().trim().to_owned();
        let requested = params.e.as_deref().map(str::trim).filter(|e| !e.is_empty());
        let selected = match requested {
            Some(text) => elections.iter().find(|e| e.id.as_str() == text),
            None => Election::default_choice(&elections, today),
        }
        .cloned();
        let needs = Needs::parse(params.needs.iter().map(String::as_str));
        let outcome = match (&selected, requested, &needs) {
            (None, Some(text), _) => SearchOutcome::UnknownElection(text.to_owned()),
            (None, None, _) => SearchOutcome::NoElections,
            (Some(_), _, Err(error)) => SearchOutcome::InvalidQuery(error.to_string()),
            (Some(election), _, Ok(needs)) => {
                // Each station reads this instant on its own clock.
                let filters = Filters {
                    needs: needs.clone(),
                    open_at: params.open_now().then_some(now),
                    municipality: params
                        .municipality
                        .as_deref()
                        .and_then(|code| MunicipalityCode::parse(code).ok()),
                    ..Filters::default()
                };
                outcome(directory, election, &params, filters, &query_text).await
            }
        };
        // Keep the features that are understood, so the form shows them.
        let needs = needs.unwrap_or_else(|_| {
            Needs::parse(
                params.needs.iter().filter(|slug| Feature::from_slug(slug).is_some()).map(String::as_str),
            )
            .unwrap_or_default()
        });
        let elections = elections
            .into_iter()
            .map(|election| ElectionChoice { past: election.is_past(today), election })
            .collect();
        let k = params.result_count().map(ResultCount::get);
        let selected = selected.map(|e| e.id);
        SearchPage { elections, selected, query_text, now, needs, open_now: params.open_now(), k, outcome }
    }

    /// The date that decides which election a voter most likely means,
    /// before any is chosen: the Netherlands' date.
    pub fn today(now: DateTime<Utc>) -> chrono::NaiveDate {
        now.with_timezone(&TimeZoneName::default().tz()).date_naive()
    }

    async fn outcome(
        directory: &dyn StationDirectory,
        election: &Election,
        params: &SearchParams,
        filters: Filters,
        query_text: &str,
    ) -> SearchOutcome {
        let position = (params.lat.as_deref(), params.lon.as_deref());
        let (origin_label, origin) = if !query_text.is_empty() {
            let Ok(text) = SearchText::parse(query_text) else {
                return SearchOutcome::TooLong;
            };
            let found = match Coordinates::parse_pair(query_text) {
                Some(point) => Some((Some(query_text.to_owned()), point)),
                None => directory.locate(&text).await.map(|p| (Some(p.label), p.point)),
            };
            match found {
                Some(found) => found,
                None => return SearchOutcome::PlaceNotFound(query_text.to_owned()),
            }
        } else if let (None, None) = position {
            return SearchOutcome::NotAsked;
        } else {
            match NearestQuery::from_params(election.id.as_str(), position.0, position.1, None, None) {
                Ok(query) => (None, query.origin),
                Err(error) => return SearchOutcome::InvalidQuery(error.to_string()),
            }
        };
        let k = params.result_count().unwrap_or_default();
        let query = NearestQuery { election: election.id.clone(), origin, k, filters };
        match directory.nearest(&query) {
            Some(answer) => SearchOutcome::Found {
                not_published: answer
                    .home
                    .as_ref()
                    .and_then(|home| directory.not_published(&election.id, home)),
                election: election.clone(),
                origin_label,
                origin,
                home: answer.home,
                rule: answer.rule,
                stations: answer.stations,
            },
            None => SearchOutcome::UnknownElection(election.id.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_found_position_keeps_the_choices_that_parse() {
        let params = SearchParams {
            e: Some("gr2026".into()),
            needs: vec!["wheelchair".into(), "jetpack".into()],
            open: Some(OPEN_NOW.into()),
            ..SearchParams::default()
        };
        let point = Coordinates::new(52.0907, 5.1214).unwrap();
        assert_eq!(
            params.position_link("/", &[]).at(point),
            "/?e=gr2026&needs=wheelchair&open=nu&lat=52.09070&lon=5.12140"
        );
        let plain =
            SearchParams { e: Some("not an id!".into()), k: Some("500".into()), ..SearchParams::default() };
        assert_eq!(plain.position_link("/", &[]).at(point), "/?lat=52.09070&lon=5.12140");
        let embedded = SearchParams { k: Some("3".into()), ..SearchParams::default() };
        assert_eq!(
            embedded.position_link("/embed", &[("lang", "en".into())]).at(point),
            "/embed?lang=en&k=3&lat=52.09070&lon=5.12140"
        );
    }
}
