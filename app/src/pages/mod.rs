//! One module per page (route).

mod home;
mod not_found;
mod station;

pub use home::HomePage;
pub use not_found::NotFound;
pub use station::StationPage;
