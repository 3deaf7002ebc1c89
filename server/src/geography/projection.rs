//! Conversion from the Dutch national grid, RD New (EPSG:28992), to WGS84.
//!
//! Dutch files give positions as RD X/Y metres as often as latitude and
//! longitude. The conversion is proj4's oblique stereographic projection on
//! the Bessel ellipsoid with the seven-parameter datum shift that PROJ
//! publishes for EPSG:28992; it agrees with the official RDNAPTRANS within
//! about a metre inside the Netherlands, which is what a station needs.

use app::model::Coordinates;
use proj4rs::Proj;
use std::sync::LazyLock;

const RD_NEW: &str = "+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 \
    +x_0=155000 +y_0=463000 +ellps=bessel \
    +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs";
const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";

struct Projections {
    rd: Proj,
    wgs84: Proj,
}

/// Parsed once: both strings are constants, so a failure is a bug in this
/// file, reported on first use rather than at every call.
static PROJECTIONS: LazyLock<Result<Projections, String>> = LazyLock::new(|| {
    let parse = |text| Proj::from_proj_string(text).map_err(|e| format!("projection {text}: {e}"));
    Ok(Projections { rd: parse(RD_NEW)?, wgs84: parse(WGS84)? })
});

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectionError {
    #[error("RD coordinates X {x}, Y {y} lie outside the RD grid of the Netherlands (X 0..300000, Y 289000..629000): are they latitude/longitude, or swapped?")]
    OutsideGrid { x: f64, y: f64 },
    #[error("cannot convert RD X {x}, Y {y}: {detail}")]
    Failed { x: f64, y: f64, detail: String },
}

/// The WGS84 position of an RD New point.
pub fn rd_to_wgs84(x: f64, y: f64) -> Result<Coordinates, ProjectionError> {
    // The grid's valid area (with margin) keeps nonsense from becoming a
    // plausible-looking position elsewhere on Earth.
    if !((-7_000.0..=300_000.0).contains(&x) && (289_000.0..=629_000.0).contains(&y)) {
        return Err(ProjectionError::OutsideGrid { x, y });
    }
    let failed = |detail: String| ProjectionError::Failed { x, y, detail };
    let projections = PROJECTIONS.as_ref().map_err(|e| failed(e.clone()))?;
    let mut point = (x, y, 0.0);
    proj4rs::transform::transform(&projections.rd, &projections.wgs84, &mut point)
        .map_err(|e| failed(e.to_string()))?;
    Coordinates::new(point.1.to_degrees(), point.0.to_degrees()).map_err(|e| failed(e.to_string()))
}

/// The WGS84 position of a point in another coordinate system, by EPSG
/// code, for files from other countries (e.g. 27700, the British grid).
pub fn to_wgs84(epsg: u16, x: f64, y: f64) -> Result<Coordinates, String> {
    let from = Proj::from_epsg_code(epsg).map_err(|e| format!("EPSG:{epsg}: {e}"))?;
    let projections = PROJECTIONS.as_ref()?;
    let mut point = if from.is_latlong() { (x.to_radians(), y.to_radians(), 0.0) } else { (x, y, 0.0) };
    proj4rs::transform::transform(&from, &projections.wgs84, &mut point).map_err(|e| e.to_string())?;
    Coordinates::new(point.1.to_degrees(), point.0.to_degrees()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_onze_lieve_vrouwetoren_in_amersfoort_is_the_origin_of_the_grid() {
        // RD's reference point: X 155000, Y 463000 is 52°09'22.178"N 5°23'15.500"E (Bessel),
        // about 52.15517 N, 5.38721 E in WGS84.
        let point = rd_to_wgs84(155_000.0, 463_000.0).unwrap();
        assert!((point.lat() - 52.155_17).abs() < 2e-5, "{point:?}");
        assert!((point.lon() - 5.387_21).abs() < 2e-5, "{point:?}");
    }

    #[test]
    fn refuses_points_off_the_grid() {
        assert!(matches!(rd_to_wgs84(52.02, 4.87), Err(ProjectionError::OutsideGrid { .. })));
        assert!(matches!(rd_to_wgs84(f64::NAN, 463_000.0), Err(ProjectionError::OutsideGrid { .. })));
    }
}
