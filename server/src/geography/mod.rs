//! Positions on the Earth: distances, the Dutch national grid, and which
//! municipality a point lies in.

pub mod boundaries;
mod grid;
pub mod projection;

pub use boundaries::{Boundaries, BoundaryError, MunicipalityArea};

use app::model::Coordinates;
use geo::{Distance, Geodesic, Point, VincentyDistance};

/// The geodesic distance on the WGS84 ellipsoid, in metres: what a
/// voter's "how far" means. Vincenty's iteration (accurate to half a
/// millimetre) is several times faster than Karney's series and the search
/// computes a handful per query; it fails to converge only for nearly
/// antipodal points, where Karney's method takes over.
pub fn distance_m(a: Coordinates, b: Coordinates) -> f64 {
    let (a, b) = (point(a), point(b));
    a.vincenty_distance(&b).unwrap_or_else(|_| Geodesic.distance(a, b))
}

/// `geo`'s points are (x, y) = (longitude, latitude).
pub fn point(at: Coordinates) -> Point<f64> {
    Point::new(at.lon(), at.lat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vincenty_agrees_with_karney_and_antipodes_fall_back() {
        let at = |lat, lon| Coordinates::new(lat, lon).unwrap();
        let pairs = [
            (at(52.0217, 4.8684), at(52.0210, 4.8745)),
            (at(52.0217, 4.8684), at(53.2, 6.5)),
            (at(12.15, -68.27), at(52.37, 4.90)),
            (at(0.0, 0.0), at(0.5, 179.7)),
        ];
        for (a, b) in pairs {
            let karney = Geodesic.distance(point(a), point(b));
            assert!((distance_m(a, b) - karney).abs() < 1e-3, "{a:?} {b:?}");
        }
    }
}
