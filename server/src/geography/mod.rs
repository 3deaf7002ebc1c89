//! Positions on the Earth: distances, the Dutch national grid, and which
//! municipality a point lies in.

pub mod boundaries;
pub mod projection;

pub use boundaries::{Boundaries, BoundaryError, MunicipalityArea};

use app::model::Coordinates;
use geo::{Distance, Geodesic, Point};

/// The geodesic distance on the WGS84 ellipsoid (Karney's method), in
/// metres: what a voter's "how far" means, exact to well under a millimetre.
pub fn distance_m(a: Coordinates, b: Coordinates) -> f64 {
    Geodesic.distance(point(a), point(b))
}

/// `geo`'s points are (x, y) = (longitude, latitude).
pub fn point(at: Coordinates) -> Point<f64> {
    Point::new(at.lon(), at.lat())
}
