//! From what a voter types to candidate points: the offline gazetteer
//! first, and an online provider (the PDOK Locatieserver) for what the
//! gazetteer does not know exactly, such as a full address. The provider
//! is asked with a short timeout and its answers are cached; when it is
//! slow, down or not configured, the gazetteer answers alone.

pub mod gazetteer;
pub mod pdok;

pub use gazetteer::{Gazetteer, OperatorEntry};
pub use pdok::Pdok;

use app::directory::Place;
use app::model::Coordinates;
use std::num::NonZeroUsize;
use std::sync::Mutex;

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

/// Answers kept from the provider: enough for the popular searches of an
/// election day, small enough not to matter.
const CACHE_ENTRIES: usize = 10_000;

pub struct Geocoder {
    provider: Option<Pdok>,
    cache: Mutex<lru::LruCache<String, Vec<Found>>>,
}

impl Geocoder {
    /// A geocoder with only the offline gazetteer.
    pub fn offline() -> Self {
        Self::new(None)
    }

    pub fn new(provider: Option<Pdok>) -> Self {
        let capacity = NonZeroUsize::new(CACHE_ENTRIES).unwrap_or(NonZeroUsize::MIN);
        Self { provider, cache: Mutex::new(lru::LruCache::new(capacity)) }
    }

    /// Candidates for `text`, best first: a "lat, lon" pair as it is; an
    /// exact gazetteer hit alone; otherwise the provider's candidates
    /// followed by the gazetteer's.
    pub async fn find(&self, gazetteer: &Gazetteer, text: &str) -> Vec<Found> {
        let text = text.trim();
        if let Some(point) = Coordinates::parse_pair(text) {
            return vec![Found { place: Place { label: text.to_owned(), point }, source: Source::Place }];
        }
        let (offline, exact) = gazetteer.search(text);
        let Some(provider) = self.provider.as_ref().filter(|_| !exact && !text.is_empty()) else {
            return offline;
        };
        let key = text.to_lowercase();
        let cached = self.cache.lock().ok().and_then(|mut cache| cache.get(&key).cloned());
        let online = match cached {
            Some(online) => online,
            None => match provider.search(text).await {
                Ok(online) => {
                    if let Ok(mut cache) = self.cache.lock() {
                        cache.put(key, online.clone());
                    }
                    online
                }
                Err(error) => {
                    tracing::warn!("geocoding provider failed, answering offline: {error}");
                    Vec::new()
                }
            },
        };
        let mut found = online;
        for candidate in offline {
            if !found.iter().any(|f| f.place.label == candidate.place.label) {
                found.push(candidate);
            }
        }
        found.truncate(gazetteer::LIMIT);
        found
    }
}
