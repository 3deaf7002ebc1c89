//! Building blocks of the pages. The pages are the server's; of these
//! blocks, only the islands inside `locate_button` and `map` also compile
//! into the browser bundle.

#[cfg(feature = "ssr")]
mod bring;
#[cfg(feature = "ssr")]
mod language_switch;
mod locate_button;
mod map;
#[cfg(feature = "ssr")]
mod report_link;
#[cfg(feature = "ssr")]
mod search_form;
#[cfg(feature = "ssr")]
mod search_results;
#[cfg(feature = "ssr")]
mod station;

#[cfg(feature = "ssr")]
pub use bring::{AccessibilityList, BringCard};
#[cfg(feature = "ssr")]
pub use language_switch::LanguageSwitch;
#[cfg(feature = "ssr")]
pub use locate_button::LocateButton;
#[cfg(feature = "ssr")]
pub use map::StationMap;
pub use map::{MapPoint, MapTiles, ATTRIBUTION_META, TILES_META};
#[cfg(feature = "ssr")]
pub use report_link::ReportLink;
#[cfg(feature = "ssr")]
pub use search_form::SearchForm;
#[cfg(feature = "ssr")]
pub use search_results::SearchResults;
#[cfg(feature = "ssr")]
pub use station::{StationFacts, StationSummary};
