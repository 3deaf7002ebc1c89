//! One module per page (route).

mod about;
mod data;
mod home;
mod municipality;
mod not_found;
mod station;
mod unavailable;

pub use about::AboutPage;
pub use data::DataPage;
pub use home::HomePage;
pub use municipality::MunicipalityPage;
pub use not_found::NotFound;
pub use station::StationPage;
pub use unavailable::Unavailable;
