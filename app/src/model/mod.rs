//! Domain types shared by the server and the browser.
//!
//! A value of one of these types is valid by construction: parsing happens in
//! the constructors, so code that holds an `ElectionId` or `Coordinates` never
//! re-checks it. They are plain serde types so that server functions can send
//! them to the hydrated page unchanged.

mod coordinates;
mod election;
mod query;
mod station;

pub use coordinates::{Coordinates, CoordinatesError};
pub use election::{Election, ElectionId, ElectionIdError};
pub use query::{NearestQuery, QueryError, ResultCount};
pub use station::{Address, MunicipalityCode, MunicipalityCodeError, NearestStation, Station, StationKind};
