//! One module per page (route).

use leptos::prelude::*;

mod about;
#[cfg(feature = "ssr")]
mod data;
#[cfg(feature = "ssr")]
mod embed_builder;
mod home;
mod municipality;
mod not_found;
mod station;
mod unavailable;

pub use about::AboutPage;
pub use home::HomePage;
pub use municipality::MunicipalityPage;
pub use not_found::NotFound;
pub use station::StationPage;
pub use unavailable::Unavailable;

/// Pages with nothing to interact with beyond plain links and forms. The
/// server renders them and sends them without the hydration script (see
/// `shell`), and the browser bundle holds nothing of them: they cost the
/// voter's download nothing, and in-place navigation leaves them to the
/// browser (`is_hydrated`).
pub const SERVER_ONLY: [&str; 2] = ["/data", "/insluiten"];

/// Whether the page at `path` is one of the voter pages the browser bundle
/// hydrates, and can so show in place of another (see `navigation`).
pub fn is_hydrated(path: &str) -> bool {
    let section = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    matches!(section, "" | "over" | "g" | "s" | "embed")
}

/// `/data`: the open-data downloads.
#[component]
pub fn DataPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let page = data::page().into_any();
    #[cfg(not(feature = "ssr"))]
    let page = ().into_any();
    page
}

/// `/insluiten`: the embed builder.
#[component]
pub fn EmbedBuilderPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let page = embed_builder::page().into_any();
    #[cfg(not(feature = "ssr"))]
    let page = ().into_any();
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_voter_pages_are_shown_in_place() {
        for page in ["/", "/over", "/g/GM0589", "/s/gr2026/gm0589-1", "/embed", "/embed/g/GM0589"] {
            assert!(is_hydrated(page), "{page}");
        }
        for elsewhere in
            ["/data", "/insluiten", "/portaal", "/portaal/inloggen", "/api/v1/elections", "/data/gr2026.csv"]
        {
            assert!(!is_hydrated(elsewhere), "{elsewhere}");
        }
    }
}
