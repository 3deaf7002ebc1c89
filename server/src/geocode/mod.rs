//! From what a voter types to candidate points: the offline gazetteer
//! first, and an online provider (the PDOK Locatieserver) for what the
//! gazetteer does not know exactly, such as a full address. The provider
//! is asked with a short timeout, within the bounds of [`outbound`], and
//! its answers are cached; when it is slow, busy, down or not configured,
//! the gazetteer answers alone. Only a [`SearchText`] is looked up, so no
//! text longer than an address gets this far.

pub mod gazetteer;
pub mod outbound;
pub mod pdok;

pub use gazetteer::{Gazetteer, OperatorEntry};
pub use outbound::{Clock, Limits, Stats};
pub use pdok::Pdok;

use app::directory::Place;
use app::model::{Coordinates, SearchText};
use outbound::Outbound;
use std::sync::Arc;

/// Where a candidate came from, best kind first (for ordering).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Postcode,
    Place,
    Street,
    Station,
    Gazetteer,
    PostcodeArea,
    Pdok,
}

impl Source {
    pub fn slug(self) -> &'static str {
        match self {
            Source::Postcode => "postcode",
            Source::PostcodeArea => "postcode-area",
            Source::Place => "place",
            Source::Street => "street",
            Source::Station => "station",
            Source::Gazetteer => "gazetteer",
            Source::Pdok => "pdok",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub place: Place,
    pub source: Source,
}

pub struct Geocoder {
    provider: Option<Arc<Outbound>>,
}

impl Geocoder {
    /// A geocoder with only the offline gazetteer.
    pub fn offline() -> Self {
        Self::new(None)
    }

    /// With the provider, if any, under the default [`Limits`].
    pub fn new(provider: Option<Pdok>) -> Self {
        Self::with_limits(provider, Limits::default(), outbound::system_clock())
    }

    /// With the provider under `limits`, reading the time from `clock`.
    pub fn with_limits(provider: Option<Pdok>, limits: Limits, clock: Clock) -> Self {
        Self { provider: provider.map(|pdok| Arc::new(Outbound::new(pdok, limits, clock))) }
    }

    /// Candidates for `text`, best first: a "lat, lon" pair as it is; an
    /// exact gazetteer hit alone; otherwise the provider's candidates
    /// followed by the gazetteer's.
    pub async fn find(&self, gazetteer: &Gazetteer, text: &SearchText) -> Vec<Found> {
        let text = text.as_str();
        if let Some(point) = Coordinates::parse_pair(text) {
            return vec![Found { place: Place { label: text.to_owned(), point }, source: Source::Place }];
        }
        let (offline, exact) = gazetteer.search(text);
        let Some(provider) = self.provider.as_ref().filter(|_| !exact && !text.is_empty()) else {
            return offline;
        };
        let mut found = provider.search(text).await;
        for candidate in offline {
            if !found.iter().any(|f| f.place.label == candidate.place.label) {
                found.push(candidate);
            }
        }
        found.truncate(gazetteer::LIMIT);
        found
    }

    /// How the calls to the provider went; `None` without one.
    pub fn stats(&self) -> Option<Stats> {
        self.provider.as_ref().map(|provider| provider.stats())
    }
}
