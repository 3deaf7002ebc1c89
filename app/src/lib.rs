//! Kieskaart's user interface and the types it shares with the server.
//!
//! With `ssr` this compiles into the server, which renders complete pages
//! that work without JavaScript. With `hydrate` it compiles into the
//! browser bundle, which holds only the islands, the parts of a page that
//! act in the browser (the location button, the map), in-place navigation
//! (`navigation`), and the types and texts they share with the server; the
//! rest of every page stays the server's HTML. The pages, the routes and
//! everything that reads station data are `#[cfg(feature = "ssr")]`.

#[cfg(feature = "ssr")]
pub mod clock;
pub mod components;
#[cfg(feature = "ssr")]
pub mod directory;
pub mod embed;
pub mod i18n;
pub mod model;
#[cfg(feature = "hydrate")]
pub mod navigation;
#[cfg(feature = "ssr")]
pub mod pages;
pub mod report;
pub mod search;
#[cfg(feature = "ssr")]
mod shell;
#[cfg(feature = "ssr")]
mod site;

#[cfg(feature = "ssr")]
pub use shell::shell;
#[cfg(feature = "ssr")]
pub use site::App;

/// The browser bundle's start, before the island loader hydrates the
/// page's islands: sets up the reactive root they share, in-place
/// navigation and, in an embed, the height reports to the host page.
#[cfg(feature = "hydrate")]
pub fn start_in_browser() {
    leptos::mount::hydrate_islands();
    navigation::start();
    let path = web_sys::window().and_then(|window| window.location().pathname().ok()).unwrap_or_default();
    if embed::is_embed_path(&path) {
        embed::report_height();
    }
}

/// Whether the page at `path` is one of the voter pages, which carry the
/// browser bundle and so can be shown in place of one another (see
/// `navigation`). It mirrors the routes in `site`, apart from the
/// open-data pages and the embed builder, which are sent without the bundle
/// (`pages::SERVER_ONLY`); `server/tests/pages.rs` holds the two together.
pub fn is_voter_page(path: &str) -> bool {
    let section = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    matches!(section, "" | "over" | "g" | "s" | "embed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_voter_pages_are_shown_in_place() {
        for page in ["/", "/over", "/g/GM0589", "/s/gr2026/gm0589-1", "/embed", "/embed/g/GM0589"] {
            assert!(is_voter_page(page), "{page}");
        }
        for elsewhere in
            ["/data", "/insluiten", "/portaal", "/portaal/inloggen", "/api/v1/elections", "/data/gr2026.csv"]
        {
            assert!(!is_voter_page(elsewhere), "{elsewhere}");
        }
    }
}
