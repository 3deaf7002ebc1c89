//! One module per page (route).

mod about;
mod data;
mod embed_builder;
mod home;
mod municipality;
mod not_found;
mod station;
mod unavailable;

pub use about::AboutPage;
pub use data::DataPage;
pub use embed_builder::EmbedBuilderPage;
pub use home::HomePage;
pub use municipality::MunicipalityPage;
pub use not_found::NotFound;
pub use station::StationPage;
pub use unavailable::Unavailable;
