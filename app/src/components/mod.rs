//! Building blocks of the pages.

mod language_switch;
mod locate_button;
mod map;
mod search_form;
mod search_results;
mod station;

pub use language_switch::LanguageSwitch;
pub use locate_button::LocateButton;
pub use map::{MapPoint, MapTiles, StationMap, ATTRIBUTION_META, TILES_META};
pub use search_form::SearchForm;
pub use search_results::SearchResults;
pub use station::{StationFacts, StationSummary};
