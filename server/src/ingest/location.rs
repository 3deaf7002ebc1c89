//! Where a station is: Latitude/Longitude (WGS84) or X/Y (RD New), and
//! the mistakes people make typing them.
//!
//! The usual mistakes are recognisable by their numbers alone: swapped
//! latitude and longitude put a Dutch point in the Indian Ocean, and RD
//! metres typed as degrees are hundreds of thousands. Each is reported with
//! the value the person most likely meant.

use super::finding::{Expected, Problem};
use super::record::{parse_decimal, Reader};
use super::Region;
use crate::geography::distance_m;
use crate::geography::projection::rd_to_wgs84;
use app::model::Coordinates;

const LATITUDE: &str = "Latitude";
const LONGITUDE: &str = "Longitude";
const X: &str = "X";
const Y: &str = "Y";

/// Latitude/longitude and X/Y may disagree this much before it is reported.
const AGREEMENT_M: f64 = 25.0;

/// The station's position, from whichever pair is given (Latitude/Longitude
/// when both are), or `None` with findings.
pub fn read(reader: &mut Reader<'_>, region: Region) -> Option<Coordinates> {
    let degrees = read_degrees(reader, region);
    let rd = read_rd(reader);
    match (degrees, rd) {
        (Pair::Given(wgs84), Pair::Given(from_rd)) => {
            let metres = distance_m(wgs84, from_rd);
            if metres > AGREEMENT_M {
                reader.finding(X, Problem::PairsDisagree { metres });
            }
            Some(wgs84)
        }
        (Pair::Given(wgs84), Pair::Absent) => Some(wgs84),
        (Pair::Absent, Pair::Given(from_rd)) => Some(from_rd),
        (Pair::Absent, Pair::Absent) => {
            reader.finding(LATITUDE, Problem::NoCoordinates);
            None
        }
        _ => None,
    }
}

/// A coordinate pair: not given, given and usable, or given but wrong
/// (already reported).
enum Pair {
    Absent,
    Given(Coordinates),
    Wrong,
}

fn read_degrees(reader: &mut Reader<'_>, region: Region) -> Pair {
    let (lat_text, lon_text) = (reader.text(LATITUDE), reader.text(LONGITUDE));
    if lat_text.is_empty() && lon_text.is_empty() {
        return Pair::Absent;
    }
    let lat = reader.optional(LATITUDE, Expected::Degrees, parse_decimal);
    let lon = reader.optional(LONGITUDE, Expected::Degrees, parse_decimal);
    let (Some(lat), Some(lon)) = (lat, lon) else {
        if lat_text.is_empty() {
            reader.finding(LATITUDE, Problem::Missing(Expected::Degrees));
        }
        if lon_text.is_empty() {
            reader.finding(LONGITUDE, Problem::Missing(Expected::Degrees));
        }
        return Pair::Wrong;
    };
    if region == Region::World {
        return Coordinates::new(lat, lon).map_or_else(
            |_| {
                reader.finding(LATITUDE, Problem::Invalid(Expected::Degrees));
                Pair::Wrong
            },
            Pair::Given,
        );
    }
    if in_the_netherlands(lat, lon) {
        for (field, text) in [(LATITUDE, &lat_text), (LONGITUDE, &lon_text)] {
            if decimals(text) < 4 {
                reader.finding(field, Problem::FewDecimals);
            }
        }
        return Coordinates::new(lat, lon).map_or(Pair::Wrong, Pair::Given);
    }
    let problem = if in_the_netherlands(lon, lat) {
        Problem::LatLonSwapped { lat: lon, lon: lat }
    } else if let Ok(meant) = rd_to_wgs84(lat, lon).or_else(|_| rd_to_wgs84(lon, lat)) {
        Problem::RdInLatLon { lat: meant.lat(), lon: meant.lon() }
    } else {
        Problem::OutsideNetherlands
    };
    reader.finding(LATITUDE, problem);
    Pair::Wrong
}

fn read_rd(reader: &mut Reader<'_>) -> Pair {
    let (x_text, y_text) = (reader.text(X), reader.text(Y));
    if x_text.is_empty() && y_text.is_empty() {
        return Pair::Absent;
    }
    let x = reader.optional(X, Expected::RdMetres, parse_decimal);
    let y = reader.optional(Y, Expected::RdMetres, parse_decimal);
    let in_range = |x: f64, y: f64| (0.0..=300_000.0).contains(&x) && (300_000.0..=620_000.0).contains(&y);
    match (x, y) {
        (Some(x), Some(y)) if in_range(x, y) => rd_to_wgs84(x, y).map_or(Pair::Wrong, Pair::Given),
        (Some(_), Some(_)) => {
            reader.finding(X, Problem::Invalid(Expected::RdMetres));
            Pair::Wrong
        }
        _ => {
            for (field, text) in [(X, &x_text), (Y, &y_text)] {
                if text.is_empty() {
                    reader.finding(field, Problem::Missing(Expected::RdMetres));
                }
            }
            Pair::Wrong
        }
    }
}

/// European Netherlands, Bonaire, and Saba with Sint Eustatius, generously
/// boxed; the standard's ranges.
fn in_the_netherlands(lat: f64, lon: f64) -> bool {
    let within = |(south, north): (f64, f64), (west, east): (f64, f64)| {
        (south..=north).contains(&lat) && (west..=east).contains(&lon)
    };
    within((50.0, 54.0), (3.0, 8.0))
        || within((12.0, 12.4), (-68.5, -68.0))
        || within((17.4, 17.7), (-63.3, -62.9))
}

/// Digits after the decimal separator, as typed.
fn decimals(text: &str) -> usize {
    text.rsplit_once(['.', ','])
        .map_or(0, |(_, fraction)| fraction.chars().take_while(char::is_ascii_digit).count())
}

#[cfg(test)]
mod tests {
    use crate::ingest::finding::{Expected, Problem};
    use crate::ingest::record::tests::problems;
    use serde_json::json;

    #[test]
    fn swapped_latitude_and_longitude_are_recognised_and_corrected() {
        let found = problems(json!({"Latitude": 4.87452115, "Longitude": 52.02102242}));
        assert_eq!(
            found,
            [("Latitude".into(), Problem::LatLonSwapped { lat: 52.02102242, lon: 4.87452115 })]
        );
    }

    #[test]
    fn rd_typed_into_latitude_and_longitude_is_converted_in_the_suggestion() {
        let found =
            problems(json!({"Latitude": "119809,82", "Longitude": "448198,74", "X": null, "Y": null}));
        let [(field, Problem::RdInLatLon { lat, lon })] = found.as_slice() else { panic!("{found:?}") };
        assert_eq!(field, "Latitude");
        assert!((lat - 52.02102).abs() < 1e-4 && (lon - 4.87452).abs() < 1e-4, "{lat} {lon}");
    }

    #[test]
    fn caribbean_points_are_in_the_netherlands_and_the_atlantic_is_not() {
        // Kralendijk, Bonaire.
        assert!(problems(json!({"Latitude": "12.1500", "Longitude": "-68.2667", "X": null, "Y": null}))
            .is_empty());
        assert_eq!(
            problems(json!({"Latitude": 40.0, "Longitude": -30.0, "X": null, "Y": null})),
            [("Latitude".into(), Problem::OutsideNetherlands)]
        );
    }

    #[test]
    fn rd_alone_is_enough_and_must_agree_with_degrees_when_both_are_given() {
        assert!(problems(json!({"Latitude": null, "Longitude": null})).is_empty());
        let found = problems(json!({"X": 119909.8}));
        let [(field, Problem::PairsDisagree { metres })] = found.as_slice() else { panic!("{found:?}") };
        assert_eq!(field, "X");
        assert!((99.0..101.0).contains(metres), "{metres}");
        assert_eq!(
            problems(json!({"Latitude": null, "Longitude": null, "X": null, "Y": null})),
            [("Latitude".into(), Problem::NoCoordinates)]
        );
        assert_eq!(problems(json!({"Y": "abc"})), [("Y".into(), Problem::Invalid(Expected::RdMetres))]);
    }

    #[test]
    fn too_few_decimals_is_a_warning() {
        assert_eq!(
            problems(json!({"Latitude": "52.02", "X": null, "Y": null})),
            [("Latitude".into(), Problem::FewDecimals)]
        );
        // Each coordinate is named on its own, so the finding shows the value that is short.
        assert_eq!(
            problems(json!({"Longitude": "5.9", "X": null, "Y": null})),
            [("Longitude".into(), Problem::FewDecimals)]
        );
    }
}
