use serde::{Deserialize, Serialize};

/// A WGS84 position in decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedCoordinates")]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct UncheckedCoordinates {
    lat: f64,
    lon: f64,
}

impl TryFrom<UncheckedCoordinates> for Coordinates {
    type Error = CoordinatesError;

    fn try_from(raw: UncheckedCoordinates) -> Result<Self, Self::Error> {
        Coordinates::new(raw.lat, raw.lon)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoordinatesError {
    #[error("latitude {0} is outside -90..90")]
    Latitude(f64),
    #[error("longitude {0} is outside -180..180")]
    Longitude(f64),
}

impl Coordinates {
    pub fn new(lat: f64, lon: f64) -> Result<Self, CoordinatesError> {
        // `contains` is false for NaN, so non-finite values are refused too.
        if !(-90.0..=90.0).contains(&lat) {
            return Err(CoordinatesError::Latitude(lat));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(CoordinatesError::Longitude(lon));
        }
        Ok(Self { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Reads "52.0217, 4.8684" (what a voter might paste from a map app):
    /// latitude first, separated by a comma, semicolon or whitespace.
    pub fn parse_pair(text: &str) -> Option<Self> {
        let mut parts =
            text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|part| !part.is_empty());
        let lat = parts.next()?.parse().ok()?;
        let lon = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Self::new(lat, lon).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_out_of_range_and_nan() {
        assert!(Coordinates::new(91.0, 0.0).is_err());
        assert!(Coordinates::new(0.0, -180.5).is_err());
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(Coordinates::new(52.0, 4.8).is_ok());
    }

    #[test]
    fn parses_pasted_pairs() {
        let point = Coordinates::parse_pair("52.0217, 4.8684").unwrap();
        assert_eq!((point.lat(), point.lon()), (52.0217, 4.8684));
        assert!(Coordinates::parse_pair("52.0217").is_none());
        assert!(Coordinates::parse_pair("3421 CT").is_none());
        assert!(Coordinates::parse_pair("1 2 3").is_none());
    }
}
