//! The coverage map: the municipal boundaries drawn small, as SVG path
//! data the page colours by state.
//!
//! The boundaries are detailed enough to tell which municipality a point
//! lies in; a map of the whole country a phone's width across needs far
//! less. Each outline is simplified to about what one unit of the drawing
//! shows, and written with whole, relative coordinates, so that 343
//! municipalities cost tens of kilobytes of HTML rather than megabytes.
//! Only the European Netherlands is drawn: the Caribbean municipalities,
//! thousands of kilometres away, would shrink the rest to a dot (the
//! table lists them like any other).

use crate::geography::MunicipalityArea;
use app::model::CountryMap;
use geo::{BoundingRect, LineString, Simplify};
use std::fmt::Write;

/// The drawing's width in units; its height follows from the country's shape.
const WIDTH: f64 = 500.0;
/// Longitude and latitude the drawing covers: the European Netherlands.
const LON: (f64, f64) = (3.2, 7.3);
const LAT: (f64, f64) = (50.7, 53.6);

/// The map of `areas`, each outline simplified to what the drawing shows.
pub fn country_map(areas: &[MunicipalityArea]) -> CountryMap {
    // Degrees of longitude shrink by the cosine of the latitude.
    let squeeze = ((LAT.0 + LAT.1) / 2.0).to_radians().cos();
    let scale = WIDTH / ((LON.1 - LON.0) * squeeze);
    let height = ((LAT.1 - LAT.0) * scale).round();
    let project = |x: f64, y: f64| {
        (((x - LON.0) * squeeze * scale).round() as i64, ((LAT.1 - y) * scale).round() as i64)
    };
    // Half a unit, in degrees of latitude: finer detail is not drawn.
    let tolerance = 0.5 / scale;
    let mut shapes: Vec<_> = areas
        .iter()
        .filter(|area| in_europe(area))
        .map(|area| {
            let mut path = String::new();
            for polygon in &area.area {
                let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
                for ring in rings {
                    write_ring(&mut path, &ring.simplify(tolerance), &project);
                }
            }
            (area.municipality.code.clone(), path)
        })
        .filter(|(_, path)| !path.is_empty())
        .collect();
    shapes.sort_by(|a, b| a.0.cmp(&b.0));
    CountryMap { view_box: format!("0 0 {WIDTH} {height}"), shapes }
}

fn in_europe(area: &MunicipalityArea) -> bool {
    area.area.bounding_rect().is_some_and(|rect| {
        rect.min().x >= LON.0 - 1.0
            && rect.max().x <= LON.1 + 1.0
            && rect.min().y >= LAT.0 - 1.0
            && rect.max().y <= LAT.1 + 1.0
    })
}

/// Appends one closed ring as `M x y l dx dy … z`, leaving out points that
/// round onto the one before, and rings that round to less than a triangle.
fn write_ring(path: &mut String, ring: &LineString<f64>, project: &impl Fn(f64, f64) -> (i64, i64)) {
    let mut points: Vec<(i64, i64)> = Vec::new();
    for c in ring.coords() {
        let point = project(c.x, c.y);
        if points.last() != Some(&point) {
            points.push(point);
        }
    }
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    if points.len() < 3 {
        return;
    }
    let (x, y) = points[0];
    let _ = write!(path, "M{x} {y}l");
    for pair in points.windows(2) {
        let (dx, dy) = (pair[1].0 - pair[0].0, pair[1].1 - pair[0].1);
        // A minus sign separates numbers by itself.
        let _ = if dx < 0 { write!(path, "{dx}") } else { write!(path, " {dx}") };
        let _ = if dy < 0 { write!(path, "{dy}") } else { write!(path, " {dy}") };
    }
    path.push('z');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::boundaries::square;

    #[test]
    fn outlines_are_small_relative_paths_and_far_islands_are_left_out() {
        let map = country_map(&[
            square("GM0589", "Oudewater", 52.0, 4.8, 0.1),
            square("GM9001", "Bonaire", 12.0, -68.3, 0.2),
            // Smaller than a unit of the drawing: nothing to draw.
            square("GM0001", "Dot", 52.0, 5.0, 0.0001),
        ]);
        assert_eq!(map.shapes.len(), 1);
        let (code, path) = &map.shapes[0];
        assert_eq!(code.as_str(), "GM0589");
        assert!(path.starts_with('M') && path.ends_with("z"), "{path}");
        // A square: its first corner, then three steps (the fourth is the `z`).
        let numbers = path.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).count();
        assert_eq!(numbers, 2 + 3 * 2, "{path}");
        assert!(map.view_box.starts_with("0 0 500 "), "{}", map.view_box);
    }
}
