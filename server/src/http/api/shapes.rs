//! The JSON shapes of API version 1, apart from the domain types so that
//! the wire format stays stable when the model grows. Their doc comments
//! are the descriptions in the OpenAPI document.

use app::model::{Election, Feature, MunicipalityRef, NearestAnswer, NearestStation, OpeningStatus, Station};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A local time as the API writes it, `YYYY-MM-DDTHH:MM:SS`, written
/// straight into the answer. Field by field: `format("%Y-…")` parses its
/// pattern on every call, which for three times per station was a tenth of
/// an answer's cost.
#[derive(Clone, Copy)]
pub struct LocalTime(pub NaiveDateTime);

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{Datelike, Timelike};
        let t = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

impl Serialize for LocalTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An election with published stations.
#[derive(Serialize, ToSchema)]
pub struct ApiElection {
    /// Short id used in URLs, e.g. `gr2026`.
    pub id: String,
    pub name: String,
    /// `tk`, `ek`, `ps`, `ws`, `gr`, `ep`, `referendum` or `other`.
    pub kind: &'static str,
    /// Polling day, `YYYY-MM-DD`.
    pub polling_date: String,
    /// IANA time zone of the opening times, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
    /// Number of published station records.
    pub stations: usize,
}

/// The stations nearest to a point. Like every shape that holds stations,
/// it borrows their text from the index: an answer copies no station.
#[derive(Serialize, ToSchema)]
pub struct NearestResponse<'a> {
    pub election: &'a str,
    pub origin: ApiOrigin<'a>,
    /// Where voters of this election may vote: `own-municipality-only`
    /// (municipal elections), `own-municipality-unless-voter-pass`, or
    /// absent. Under a rule, stations of the origin's municipality come
    /// first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality_rule: Option<&'static str>,
    /// Local time (election time zone) at which `status` was judged;
    /// each station judges this moment on its own clock (see
    /// `time_zone`).
    #[schema(value_type = String)]
    pub at: LocalTime,
    pub stations: Vec<ApiStation<'a>>,
    /// Present when the searched point's municipality has published no
    /// stations for the election: the stations are then all in other
    /// municipalities, and this says where its voters can find out more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_published: Option<super::coverage::ApiNotPublished<'a>>,
}

/// The searched point.
#[derive(Serialize, ToSchema)]
pub struct ApiOrigin<'a> {
    pub lat: f64,
    pub lon: f64,
    /// The municipality the point lies in; absent when no boundaries are
    /// loaded or the point lies in none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<ApiMunicipality<'a>>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiMunicipality<'a> {
    /// CBS code, e.g. `GM0589`.
    pub code: &'a str,
    pub name: &'a str,
}

impl<'a> From<&'a MunicipalityRef> for ApiMunicipality<'a> {
    fn from(municipality: &'a MunicipalityRef) -> Self {
        Self { code: municipality.code.as_str(), name: &municipality.name }
    }
}

/// One location and opening period of one polling station.
#[derive(Serialize, ToSchema)]
pub struct ApiStation<'a> {
    /// Stable id within the election, e.g. `gm0589-1`.
    pub id: &'a str,
    pub number: u32,
    pub name: &'a str,
    /// `regular`, `special` or `mobile`.
    pub kind: &'static str,
    pub address: ApiAddress<'a>,
    pub municipality: ApiMunicipality<'a>,
    pub lat: f64,
    pub lon: f64,
    /// Geodesic distance from the searched point in metres (WGS84
    /// ellipsoid, to the centimetre); absent when nothing was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// The station lies in another municipality than the searched point;
    /// under the municipal-election rule a voter cannot vote there.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub outside_home_municipality: bool,
    /// Local time at the station, `YYYY-MM-DDTHH:MM:SS`, as published.
    #[schema(value_type = String)]
    pub opens: LocalTime,
    #[schema(value_type = String)]
    pub closes: LocalTime,
    /// IANA time zone of `opens` and `closes`: the municipality's own
    /// (`America/Kralendijk` for Bonaire, Sint Eustatius and Saba), or
    /// else the election's.
    pub time_zone: &'static str,
    pub status: ApiStatus,
    pub wheelchair_accessible: bool,
    /// Slugs of the accessibility features the station is known to offer
    /// (the values of the `needs` parameter).
    pub features: Vec<&'static str>,
    pub accessibility_notes: &'a str,
}

#[derive(Serialize, ToSchema)]
pub struct ApiAddress<'a> {
    pub street: &'a str,
    pub house_number: &'a str,
    pub postcode: &'a str,
    pub place: &'a str,
    /// Directions the address alone does not give.
    pub extra: &'a str,
    /// The whole address on one line, for display.
    pub one_line: String,
}

/// Whether the station is open at the time of the answer.
#[derive(Serialize, ToSchema)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ApiStatus {
    /// Open now, until `closes`.
    Open {
        #[schema(value_type = String)]
        closes: LocalTime,
    },
    /// Opens later on the same day, at `opens`.
    OpensLaterToday {
        #[schema(value_type = String)]
        opens: LocalTime,
    },
    /// Was open earlier today.
    ClosedForToday,
    /// Opens on another day than today.
    OtherDay {
        #[schema(value_type = String)]
        opens: LocalTime,
    },
}

impl ApiStatus {
    fn of(status: OpeningStatus, station: &Station) -> Self {
        let time = LocalTime;
        match status {
            OpeningStatus::OpenUntil(closes) => ApiStatus::Open { closes: time(closes) },
            OpeningStatus::OpensLaterToday(opens) => ApiStatus::OpensLaterToday { opens: time(opens) },
            OpeningStatus::ClosedForToday => ApiStatus::ClosedForToday,
            OpeningStatus::OtherDay => ApiStatus::OtherDay { opens: time(station.opens) },
        }
    }
}

impl<'a> ApiStation<'a> {
    /// `s` of `election`, with its status at `at` on its own clock.
    pub fn new(s: &'a Station, election: &Election, at: DateTime<Utc>) -> Self {
        Self {
            status: ApiStatus::of(OpeningStatus::of(election, s, at), s),
            time_zone: election.time_zone_of(&s.municipality_code).tz().name(),
            address: ApiAddress {
                one_line: s.address.one_line(),
                street: &s.address.street,
                house_number: &s.address.house_number,
                postcode: &s.address.postcode,
                place: &s.address.place,
                extra: &s.address.extra,
            },
            municipality: ApiMunicipality { code: s.municipality_code.as_str(), name: &s.municipality_name },
            id: &s.id,
            number: s.number,
            name: &s.name,
            kind: s.kind.slug(),
            lat: s.location.lat(),
            lon: s.location.lon(),
            distance_m: None,
            outside_home_municipality: false,
            opens: LocalTime(s.opens),
            closes: LocalTime(s.closes),
            wheelchair_accessible: s.accessibility.wheelchair,
            features: Feature::offered_by(&s.accessibility).map(Feature::slug).collect(),
            accessibility_notes: &s.accessibility.notes,
        }
    }

    pub fn found(nearest: &'a NearestStation, election: &Election, at: DateTime<Utc>) -> Self {
        // Centimetres are more than enough and keep the JSON short.
        let distance_m = (nearest.distance_m * 100.0).round() / 100.0;
        Self {
            distance_m: Some(distance_m),
            outside_home_municipality: nearest.outside_home,
            ..Self::new(&nearest.station, election, at)
        }
    }
}

impl<'a> NearestResponse<'a> {
    pub fn new(
        election: &'a Election,
        origin: app::model::Coordinates,
        answer: &'a NearestAnswer,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            election: election.id.as_str(),
            origin: ApiOrigin {
                lat: origin.lat(),
                lon: origin.lon(),
                municipality: answer.home.as_ref().map(ApiMunicipality::from),
            },
            municipality_rule: answer.rule.map(|rule| match rule {
                app::model::MunicipalityRule::OwnMunicipalityOnly => "own-municipality-only",
                app::model::MunicipalityRule::OwnMunicipalityUnlessVoterPass => {
                    "own-municipality-unless-voter-pass"
                }
            }),
            at: LocalTime(at.with_timezone(&election.time_zone.tz()).naive_local()),
            stations: answer.stations.iter().map(|s| ApiStation::found(s, election, at)).collect(),
            not_published: None,
        }
    }
}

/// The stations of one municipality.
#[derive(Serialize, ToSchema)]
pub struct MunicipalityStations<'a> {
    pub election: &'a str,
    pub municipality: ApiMunicipality<'a>,
    pub stations: Vec<ApiStation<'a>>,
}

/// A point for what a voter typed.
#[derive(Serialize, ToSchema)]
pub struct ApiPlace {
    /// What was found, in words (e.g. `3421 CT`, `Oudewater`).
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    /// `postcode`, `postcode-area`, `place`, `street`, `station`, `gazetteer` or `pdok`.
    pub source: &'static str,
}

/// Candidate points, best first.
#[derive(Serialize, ToSchema)]
pub struct GeocodeResponse {
    pub query: String,
    pub places: Vec<ApiPlace>,
}

/// GeoJSON: each station a Point feature whose properties are the station's
/// fields; the rest of the answer (origin, election, ...) as foreign members.
pub fn feature_collection<T: Serialize>(stations: &[ApiStation], rest: &T) -> geojson::FeatureCollection {
    let features = stations
        .iter()
        .map(|station| geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::new_point([station.lon, station.lat])),
            id: Some(geojson::feature::Id::String(station.id.to_owned())),
            properties: Some(object(station)),
            foreign_members: None,
        })
        .collect();
    let mut rest = object(rest);
    rest.remove("stations");
    geojson::FeatureCollection { bbox: None, features, foreign_members: Some(rest) }
}

/// The members of a value that serialises as a JSON object.
fn object<T: Serialize>(value: &T) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(members)) => members,
        _ => serde_json::Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_written_as_the_pattern_writes_them() {
        for text in ["2026-03-18T07:30:00", "2030-12-01T23:59:59", "0999-01-02T03:04:05"] {
            let time: NaiveDateTime = text.parse().unwrap();
            assert_eq!(LocalTime(time).to_string(), time.format("%Y-%m-%dT%H:%M:%S").to_string());
            assert_eq!(serde_json::to_string(&LocalTime(time)).unwrap(), format!("\"{text}\""));
        }
    }
}
