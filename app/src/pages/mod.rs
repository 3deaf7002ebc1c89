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
/// voter's download nothing. Links to them leave the client-side router
/// (`rel="external"`).
pub const SERVER_ONLY: [&str; 2] = ["/data", "/insluiten"];

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
