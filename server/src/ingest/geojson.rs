//! GeoJSON: a FeatureCollection of Point features whose properties are the
//! fields of the standard. The point gives `Latitude` and `Longitude` when
//! the properties do not.

use super::{Place, SourceRecord};
use geojson::{GeoJson, GeometryValue};
use serde_json::Value;

pub fn parse(bytes: &[u8]) -> Result<Vec<SourceRecord>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("GeoJSON must be UTF-8 ({e})"))?;
    let geojson: GeoJson = text.parse().map_err(|e| format!("not GeoJSON ({e})"))?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err("expected a FeatureCollection with one Point feature per station".into());
    };
    collection
        .features
        .into_iter()
        .enumerate()
        .map(|(index, feature)| {
            let mut fields = feature.properties.unwrap_or_default();
            match feature.geometry.map(|g| g.value) {
                Some(GeometryValue::Point { coordinates }) => {
                    let position = coordinates.as_slice();
                    let (lon, lat) = (position.first().copied(), position.get(1).copied());
                    for (name, value) in [("Longitude", lon), ("Latitude", lat)] {
                        if let (false, Some(number)) = (fields.contains_key(name), value) {
                            fields.insert(name.into(), Value::from(number));
                        }
                    }
                }
                None => {}
                Some(other) => {
                    return Err(format!(
                        "feature {}: the geometry is a {}, not a Point",
                        index + 1,
                        other.type_name()
                    ))
                }
            }
            Ok(SourceRecord::new(Place::Feature { number: index + 1 }, fields))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_point_make_a_record() {
        let text = br#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"Naam stembureau": "A"},
             "geometry": {"type": "Point", "coordinates": [4.87, 52.02]}}]}"#;
        let records = parse(text).unwrap();
        assert_eq!(records[0].fields["Latitude"], 52.02);
        assert_eq!(records[0].fields["Longitude"], 4.87);
        let line = br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[4, 52], [5, 53]]}}]}"#;
        assert!(parse(line).unwrap_err().contains("feature 1: the geometry is a LineString"));
        assert!(parse(br#"{"type": "Point", "coordinates": [1, 2]}"#)
            .unwrap_err()
            .contains("FeatureCollection"));
    }
}
