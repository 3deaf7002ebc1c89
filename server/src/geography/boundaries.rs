//! Municipal boundaries: which municipality a searched point lies in, so
//! that a search near a border can put the voter's own municipality first.
//!
//! Boundaries arrive as GeoJSON (CBS/PDOK publish them in RD New; WGS84 is
//! accepted too) and are kept in WGS84 longitude/latitude.

use super::grid::{Grid, Known};
use super::projection::{rd_to_wgs84, ProjectionError};
use app::model::{Coordinates, MunicipalityCode, MunicipalityRef};
use geo::{BoundingRect, Contains, Coord, MapCoords, MultiPolygon, Polygon};
use geojson::GeometryValue;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
use std::collections::HashSet;

/// One municipality and the area it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct MunicipalityArea {
    pub municipality: MunicipalityRef,
    /// Longitude/latitude (WGS84).
    pub area: MultiPolygon<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum BoundaryError {
    #[error("{source_name}: not GeoJSON ({detail}); give a FeatureCollection of municipal (multi)polygons")]
    NotGeoJson { source_name: String, detail: String },
    #[error("{source_name}: expected a FeatureCollection of municipalities, found another GeoJSON object")]
    NotACollection { source_name: String },
    #[error("{source_name}, feature {feature}: {problem}")]
    Feature { source_name: String, feature: usize, problem: String },
}

/// Reads municipal boundaries from GeoJSON. Each feature needs a CBS code
/// (property `c` with four digits as CBS publishes it, or `code`/`statcode`
/// such as `GM0589`) and a name (`n`, `name` or `statnaam`). Coordinates
/// are RD New when the collection says EPSG:28992 or when they are
/// plainly metres, WGS84 otherwise.
pub fn read_geojson(source_name: &str, text: &str) -> Result<Vec<MunicipalityArea>, BoundaryError> {
    let geojson: geojson::GeoJson = text.parse().map_err(|e: geojson::Error| BoundaryError::NotGeoJson {
        source_name: source_name.into(),
        detail: e.to_string(),
    })?;
    let geojson::GeoJson::FeatureCollection(collection) = geojson else {
        return Err(BoundaryError::NotACollection { source_name: source_name.into() });
    };
    collection
        .features
        .into_iter()
        .enumerate()
        .map(|(index, feature)| {
            read_feature(feature).map_err(|problem| BoundaryError::Feature {
                source_name: source_name.into(),
                feature: index + 1,
                problem,
            })
        })
        .collect()
}

fn read_feature(feature: geojson::Feature) -> Result<MunicipalityArea, String> {
    let text = |names: &[&str]| {
        names.iter().find_map(|name| match feature.property(name)? {
            serde_json::Value::String(text) => Some(text.trim().to_owned()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        })
    };
    let raw_code = text(&["c", "code", "statcode"])
        .ok_or("no municipality code: give property `c` (e.g. 0589) or `code` (e.g. GM0589)")?;
    let code_text =
        if raw_code.bytes().all(|b| b.is_ascii_digit()) { format!("GM{raw_code:0>4}") } else { raw_code };
    let code = MunicipalityCode::parse(&code_text).map_err(|e| e.to_string())?;
    let name = text(&["n", "name", "statnaam"]).ok_or("no municipality name: give property `n` or `name`")?;
    let geometry = feature.geometry.as_ref().ok_or("no geometry: give a Polygon or MultiPolygon")?;
    let area: MultiPolygon<f64> = match &geometry.value {
        GeometryValue::Polygon { .. } => {
            MultiPolygon(vec![Polygon::try_from(&geometry.value).map_err(|e| e.to_string())?])
        }
        GeometryValue::MultiPolygon { .. } => {
            MultiPolygon::try_from(&geometry.value).map_err(|e| e.to_string())?
        }
        other => {
            return Err(format!("the geometry is a {}, not a Polygon or MultiPolygon", other.type_name()))
        }
    };
    let area = if in_metres(&area) { to_wgs84(&area).map_err(|e| e.to_string())? } else { area };
    Ok(MunicipalityArea { municipality: MunicipalityRef { code, name }, area })
}

/// Degrees never exceed 180; RD metres inside the Netherlands always do.
fn in_metres(area: &MultiPolygon<f64>) -> bool {
    area.bounding_rect().is_some_and(|rect| rect.max().x.abs() > 180.0 || rect.max().y.abs() > 180.0)
}

fn to_wgs84(area: &MultiPolygon<f64>) -> Result<MultiPolygon<f64>, ProjectionError> {
    area.try_map_coords(|c: Coord<f64>| {
        let point = rd_to_wgs84(c.x, c.y)?;
        Ok(Coord { x: point.lon(), y: point.lat() })
    })
}

type BoxEntry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// All loaded municipal areas, with a grid that knows the municipality of
/// most points at once, and an R-tree of their bounding boxes so that the
/// points near a boundary are tested against one or two polygons.
pub struct Boundaries {
    areas: Vec<MunicipalityArea>,
    grid: Grid,
    boxes: RTree<BoxEntry>,
    codes: HashSet<MunicipalityCode>,
    /// A hash of every code, name and corner: see [`Boundaries::fingerprint`].
    fingerprint: u64,
}

impl Boundaries {
    pub fn new(areas: Vec<MunicipalityArea>) -> Self {
        let boxes = areas
            .iter()
            .enumerate()
            .filter_map(|(position, area)| {
                let rect = area.area.bounding_rect()?;
                let corners =
                    Rectangle::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
                Some(BoxEntry::new(corners, position))
            })
            .collect();
        let boxes = RTree::bulk_load(boxes);
        let grid = Grid::new(&areas, |x, y| locate(&areas, &boxes, x, y));
        let codes = areas.iter().map(|area| area.municipality.code.clone()).collect();
        let fingerprint = fingerprint(&areas);
        Self { boxes, grid, areas, codes, fingerprint }
    }

    /// Equal for equal boundaries and different (but for a one in 2^64
    /// chance) for any change to a code, name or corner: answers that name
    /// the searched point's municipality, and order by it, carry it in
    /// their entity tag. Made from the content rather than the store's
    /// set number, so that servers loading the same boundaries agree, and
    /// importing the same file again keeps caches valid.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// Whether the set has an area for this municipality.
    pub fn contains(&self, code: &MunicipalityCode) -> bool {
        self.codes.contains(code)
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// Every loaded area, in the order imported.
    pub fn areas(&self) -> &[MunicipalityArea] {
        &self.areas
    }

    /// The municipality that contains the point, if any is loaded.
    pub fn municipality_at(&self, at: Coordinates) -> Option<&MunicipalityRef> {
        let area = match self.grid.get(at) {
            Known::Area(area) => area,
            Known::Unknown => locate(&self.areas, &self.boxes, at.lon(), at.lat()),
        };
        area.map(|area| &self.areas[area].municipality)
    }
}

/// The position of the area that contains the point (x, y) = (longitude,
/// latitude), tested against the polygons whose boxes hold it.
fn locate(areas: &[MunicipalityArea], boxes: &RTree<BoxEntry>, x: f64, y: f64) -> Option<usize> {
    let point = geo::Point::new(x, y);
    boxes
        .locate_all_at_point(&[x, y])
        .map(|entry| entry.data)
        .find(|&position| areas[position].area.contains(&point))
}

fn fingerprint(areas: &[MunicipalityArea]) -> u64 {
    use geo::CoordsIter;
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same in every process of one build.
    let mut hasher = std::hash::DefaultHasher::new();
    for MunicipalityArea { municipality, area } in areas {
        municipality.code.hash(&mut hasher);
        municipality.name.hash(&mut hasher);
        for corner in area.coords_iter() {
            (corner.x.to_bits(), corner.y.to_bits()).hash(&mut hasher);
        }
        // Where one area ends, so that corners cannot move between areas unseen.
        u64::MAX.hash(&mut hasher);
    }
    hasher.finish()
}

/// A square municipality for tests, `size` degrees wide, south-west corner at (lat, lon).
#[cfg(test)]
pub fn square(code: &str, name: &str, lat: f64, lon: f64, size: f64) -> MunicipalityArea {
    let ring = geo::LineString::from(vec![
        (lon, lat),
        (lon + size, lat),
        (lon + size, lat + size),
        (lon, lat + size),
        (lon, lat),
    ]);
    MunicipalityArea {
        municipality: MunicipalityRef { code: MunicipalityCode::parse(code).unwrap(), name: name.into() },
        area: MultiPolygon(vec![Polygon::new(ring, vec![])]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_municipality_of_a_point() {
        let boundaries = Boundaries::new(vec![
            square("GM0001", "West", 52.0, 4.0, 1.0),
            square("GM0002", "East", 52.0, 5.0, 1.0),
        ]);
        let at = |lat, lon| {
            boundaries.municipality_at(Coordinates::new(lat, lon).unwrap()).map(|m| m.name.as_str())
        };
        assert_eq!(at(52.5, 4.9), Some("West"));
        assert_eq!(at(52.5, 5.1), Some("East"));
        assert_eq!(at(51.5, 4.5), None);
    }

    #[test]
    fn the_fingerprint_follows_names_and_corners() {
        let print = |areas| Boundaries::new(areas).fingerprint();
        let west = || square("GM0001", "West", 52.0, 4.0, 1.0);
        assert_eq!(print(vec![west()]), print(vec![west()]));
        assert_ne!(print(vec![west()]), print(vec![square("GM0001", "Westland", 52.0, 4.0, 1.0)]));
        assert_ne!(print(vec![west()]), print(vec![square("GM0001", "West", 52.0, 4.0, 1.5)]));
        assert_ne!(print(vec![west()]), print(Vec::new()));
    }

    #[test]
    fn reads_rd_geojson_and_names_bad_features() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"c":"589","n":"Oudewater"},
             "geometry":{"type":"Polygon","coordinates":[[[115000,445000],[125000,445000],[125000,452000],[115000,452000],[115000,445000]]]}},
            {"type":"Feature","properties":{"n":"Nameless"},
             "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#;
        let error = read_geojson("test.geojson", text).unwrap_err().to_string();
        assert!(error.starts_with("test.geojson, feature 2: no municipality code"), "{error}");
        let first_only = text.replace(r#""n":"Nameless""#, r#""code":"GM0344","n":"Utrecht""#);
        let areas = read_geojson("test.geojson", &first_only).unwrap();
        assert_eq!(areas[0].municipality.code.as_str(), "GM0589");
        let boundaries = Boundaries::new(areas);
        // Oudewater's centre (RD about 119500, 448200) is inside the converted square.
        let oudewater = Coordinates::new(52.0217, 4.8684).unwrap();
        assert_eq!(boundaries.municipality_at(oudewater).map(|m| m.name.as_str()), Some("Oudewater"));
        assert!(read_geojson("x", "<html>").is_err());
        assert!(matches!(
            read_geojson("x", r#"{"type":"Point","coordinates":[1,2]}"#),
            Err(BoundaryError::NotACollection { .. })
        ));
    }
}
