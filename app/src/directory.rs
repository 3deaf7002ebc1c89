//! What the pages need from the server's station data, as a trait so that
//! this crate does not depend on the server's storage and index.

use crate::model::{Coordinates, Election, ElectionId, NearestQuery, NearestStation, Station};
use std::sync::Arc;

/// A point found for what a voter typed, with the words to show for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub label: String,
    pub point: Coordinates,
}

pub trait StationDirectory: Send + Sync {
    /// All elections with published data, in no particular order.
    fn elections(&self) -> Vec<Election>;
    /// The stations nearest to the query's origin, nearest first; `None`
    /// when the election is unknown.
    fn nearest(&self, query: &NearestQuery) -> Option<Vec<NearestStation>>;
    /// A postcode, place or station name from the election's data.
    fn locate(&self, election: &ElectionId, text: &str) -> Option<Place>;
    /// One station by its id, with the election it belongs to.
    fn station(&self, election: &ElectionId, id: &str) -> Option<(Election, Station)>;
}

/// The directory as provided to server functions through Leptos context.
pub type Directory = Arc<dyn StationDirectory>;

/// The wall-clock time where the stations are, for "open now". All
/// stations are taken to be in the Netherlands' time zone until elections
/// carry their own (the Caribbean Netherlands are four or five hours behind).
pub fn local_now() -> chrono::NaiveDateTime {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).naive_local()
}
