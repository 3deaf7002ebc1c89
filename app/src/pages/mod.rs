//! One module per page (route), rendered on the server.

use leptos::prelude::*;

mod about;
mod coverage;
mod data;
mod embed_builder;
mod home;
mod municipality;
mod not_found;
mod report;
mod station;

pub use about::AboutPage;
pub use coverage::{coverage_csv_path, COVERAGE_CSV};
pub use home::HomePage;
pub use municipality::MunicipalityPage;
pub use not_found::NotFound;
pub use report::{ReportPage, ReportSentPage};
pub use station::StationPage;

/// Pages with nothing to interact with beyond plain links and forms. The
/// server renders them and sends them without the hydration script (see
/// `shell`), and the browser bundle holds nothing of them: they cost the
/// voter's download nothing, and in-place navigation leaves them to the
/// browser (`is_voter_page`).
pub const SERVER_ONLY: [&str; 4] = ["/data", "/insluiten", "/dekking", "/coverage"];

/// `/data`: the open-data downloads.
#[component]
pub fn DataPage() -> impl IntoView {
    data::page()
}

/// `/insluiten`: the embed builder.
#[component]
pub fn EmbedBuilderPage() -> impl IntoView {
    embed_builder::page()
}

/// `/dekking` and `/coverage`: which municipalities have published.
#[component]
pub fn CoveragePage() -> impl IntoView {
    coverage::page()
}
