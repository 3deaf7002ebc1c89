//! One module per page (route).

mod about;
mod home;
mod not_found;
mod station;

pub use about::AboutPage;
pub use home::HomePage;
pub use not_found::NotFound;
pub use station::StationPage;
