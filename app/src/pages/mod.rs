//! One module per page (route).

mod home;
mod not_found;

pub use home::HomePage;
pub use not_found::NotFound;
