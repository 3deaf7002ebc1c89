use super::{
    Coordinates, CoordinatesError, ElectionId, ElectionIdError, Feature, MunicipalityCode, MunicipalityRule,
    NearestStation, StationKind,
};
#[cfg(feature = "ssr")]
use chrono::NaiveDateTime;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How many stations a search returns: 1 to 50, 5 unless asked otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "usize", into = "usize")]
pub struct ResultCount(usize);

impl ResultCount {
    pub const MAX: usize = 50;

    pub fn new(k: usize) -> Result<Self, QueryError> {
        if (1..=Self::MAX).contains(&k) {
            Ok(Self(k))
        } else {
            Err(QueryError::ResultCount(k.to_string()))
        }
    }

    pub fn get(self) -> usize {
        self.0
    }
}

impl Default for ResultCount {
    fn default() -> Self {
        Self(5)
    }
}

impl TryFrom<usize> for ResultCount {
    type Error = QueryError;
    fn try_from(k: usize) -> Result<Self, Self::Error> {
        Self::new(k)
    }
}

impl From<ResultCount> for usize {
    fn from(k: ResultCount) -> Self {
        k.0
    }
}

/// Why a search request cannot be answered; each message names the
/// parameter and what a valid value looks like.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("parameter `{0}` is missing: give a decimal number, e.g. lat=52.0217&lon=4.8684")]
    Missing(&'static str),
    #[error("parameter `{name}` is \"{value}\", not a decimal number: write e.g. 52.0217")]
    NotANumber { name: &'static str, value: String },
    #[error("{0}")]
    Coordinates(#[from] CoordinatesError),
    #[error("parameter `k` is \"{0}\": ask for 1 to 50 stations")]
    ResultCount(String),
    #[error("{0}")]
    Election(#[from] ElectionIdError),
    #[error("parameter `needs` names \"{0}\", which is not a feature; use any of: {list}", list = Feature::ALL.map(Feature::slug).join(", "))]
    UnknownFeature(String),
    #[error(
        "parameter `type` names \"{0}\", which is not a station type; use any of: regular, special, mobile"
    )]
    UnknownKind(String),
    #[error("parameter `open_on` is \"{0}\", not a date: write YYYY-MM-DD, e.g. 2026-03-18")]
    NotADate(String),
    #[error("parameter `open_at` is \"{0}\", not a time: write `now`, a local time such as 2026-03-18T08:00, or an instant such as 2026-03-18T07:00:00Z")]
    NotAnInstant(String),
    #[error("parameter `municipality`: {0}")]
    Municipality(#[from] super::MunicipalityCodeError),
}

/// A request for the stations nearest to a point in one election that
/// pass every filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearestQuery {
    pub election: ElectionId,
    pub origin: Coordinates,
    pub k: ResultCount,
    pub filters: Filters,
}

/// What a station must be to be found; every filter that is set must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    pub needs: Needs,
    /// Station types to include, sorted; empty means every type.
    pub kinds: Vec<StationKind>,
    /// Open at this instant, on each station's own clock (a station on
    /// Bonaire opens at 07:30 in Kralendijk, not in Amsterdam).
    pub open_at: Option<DateTime<Utc>>,
    /// Open at some time on this date (the station's own).
    pub open_on: Option<NaiveDate>,
    pub municipality: Option<MunicipalityCode>,
}

/// The moment a search asks about: the clock's, or one it names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    /// Whenever the answer is made: its statuses change with the clock.
    Now,
    At(DateTime<Utc>),
}

impl Moment {
    pub fn resolve(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Moment::Now => now,
            Moment::At(instant) => instant,
        }
    }
}

impl Filters {
    pub fn admits_kind(&self, kind: StationKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Reads `type=regular,mobile` (the Dutch names of the standard,
    /// `regulier`, `bijzonder`, `mobiel`, work too).
    pub fn parse_kinds(text: &str) -> Result<Vec<StationKind>, QueryError> {
        parse_slug_list([text], StationKind::from_slug, QueryError::UnknownKind)
    }

    pub fn parse_date(text: &str) -> Result<NaiveDate, QueryError> {
        text.trim().parse().map_err(|_| QueryError::NotADate(text.to_owned()))
    }
}

#[cfg(feature = "ssr")]
impl Filters {
    /// Whether `station`, whose clock keeps `zone`, passes every filter.
    pub fn admits(&self, station: &super::Station, zone: chrono_tz::Tz) -> bool {
        self.needs.are_met_by(&station.accessibility)
            && self.admits_kind(station.kind)
            && self.admits_period(station.opens, station.closes, zone)
            && self.municipality.as_ref().is_none_or(|code| *code == station.municipality_code)
    }

    /// Whether a station open from `opens` until `closes` on a clock that
    /// keeps `zone` passes the time filters.
    pub fn admits_period(&self, opens: NaiveDateTime, closes: NaiveDateTime, zone: chrono_tz::Tz) -> bool {
        self.open_at.is_none_or(|at| {
            let local = at.with_timezone(&zone).naive_local();
            opens <= local && local < closes
        }) && self.open_on.is_none_or(|day| opens.date() <= day && day <= closes.date())
    }

    /// Reads `now`, a local time in the election's time zone `zone`
    /// (`2026-03-18T08:00`), or an instant with an offset
    /// (`2026-03-18T07:00:00Z`, `...+01:00`).
    pub fn parse_moment(text: &str, zone: chrono_tz::Tz) -> Result<Moment, QueryError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("now") {
            return Ok(Moment::Now);
        }
        if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
            return Ok(Moment::At(instant.with_timezone(&Utc)));
        }
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .map(|local| Moment::At(super::instant_at(zone, local)))
            .ok_or_else(|| QueryError::NotAnInstant(text.to_owned()))
    }
}

/// A municipality named in an answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityRef {
    pub code: MunicipalityCode,
    pub name: String,
}

/// The answer to a [`NearestQuery`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearestAnswer {
    /// The municipality the searched point lies in, when boundaries are
    /// loaded and it lies in one.
    pub home: Option<MunicipalityRef>,
    /// Where voters of this election may vote; with a known `home`, the
    /// stations of that municipality come first.
    pub rule: Option<MunicipalityRule>,
    pub stations: Vec<NearestStation>,
}

/// The accessibility features a voter requires, each once, in a fixed order
/// (so that equal requirements compare and cache equal).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Needs(Vec<Feature>);

impl Needs {
    /// Reads slugs such as `wheelchair` or `low-stimulus`; each item may
    /// itself be a comma-separated list.
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Self, QueryError> {
        parse_slug_list(items, Feature::from_slug, QueryError::UnknownFeature).map(Self)
    }

    pub fn contains(&self, feature: Feature) -> bool {
        self.0.contains(&feature)
    }

    pub fn features(&self) -> &[Feature] {
        &self.0
    }

    pub fn are_met_by(&self, accessibility: &super::Accessibility) -> bool {
        self.0.iter().all(|feature| feature.is_offered_by(accessibility))
    }

    /// `?needs=host&needs=low-stimulus`, or nothing without needs: a
    /// result's link to its station page carries what the voter searched
    /// with, so that the page shows those attributes first. Slugs need no
    /// escaping.
    pub fn query(&self) -> String {
        self.0
            .iter()
            .enumerate()
            .map(|(position, feature)| {
                format!("{}needs={}", if position == 0 { '?' } else { '&' }, feature.slug())
            })
            .collect()
    }
}

impl NearestQuery {
    /// Builds a query from the raw text of request parameters, so that every
    /// caller (API, pages) reports bad input in the same words.
    pub fn from_params(
        election: &str,
        lat: Option<&str>,
        lon: Option<&str>,
        k: Option<&str>,
        needs: Option<&str>,
    ) -> Result<Self, QueryError> {
        let election = ElectionId::parse(election)?;
        let lat = parse_number("lat", lat)?;
        let lon = parse_number("lon", lon)?;
        let origin = Coordinates::new(lat, lon)?;
        let k = match k.map(str::trim) {
            None | Some("") => ResultCount::default(),
            Some(text) => text
                .parse::<usize>()
                .map_err(|_| QueryError::ResultCount(text.to_owned()))
                .and_then(ResultCount::new)?,
        };
        let needs = Needs::parse(needs)?;
        Ok(Self { election, origin, k, filters: Filters { needs, ..Filters::default() } })
    }
}

/// Reads comma-separated names, each item possibly a list itself, into
/// values sorted and each once, so that equal requests compare equal; the
/// first unknown name is the error.
fn parse_slug_list<'a, T: Ord>(
    items: impl IntoIterator<Item = &'a str>,
    read: impl Fn(&str) -> Option<T>,
    unknown: impl Fn(String) -> QueryError,
) -> Result<Vec<T>, QueryError> {
    let mut values = items
        .into_iter()
        .flat_map(|item| item.split(','))
        .map(str::trim)
        .filter(|slug| !slug.is_empty())
        .map(|slug| read(slug).ok_or_else(|| unknown(slug.to_owned())))
        .collect::<Result<Vec<_>, _>>()?;
    values.sort();
    values.dedup();
    Ok(values)
}

fn parse_number(name: &'static str, value: Option<&str>) -> Result<f64, QueryError> {
    let text = value.map(str::trim).filter(|t| !t.is_empty()).ok_or(QueryError::Missing(name))?;
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| QueryError::NotANumber { name, value: text.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn filters_combine_and_read_dutch_and_english_types() {
        use crate::model::{Accessibility, MunicipalityCode};
        let station = crate::model::Station {
            kind: StationKind::Mobile,
            closes: "2026-03-18T13:00:00".parse().unwrap(),
            accessibility: Accessibility { wheelchair: true, ..Accessibility::default() },
            ..crate::model::station::tests::example()
        };
        let admits = |filters: Filters| filters.admits(&station, chrono_tz::Europe::Amsterdam);
        assert!(admits(Filters::default()));
        assert_eq!(
            Filters::parse_kinds("mobiel, regular").unwrap(),
            [StationKind::Regular, StationKind::Mobile]
        );
        assert_eq!(Filters::parse_kinds("kiosk"), Err(QueryError::UnknownKind("kiosk".into())));
        assert!(admits(Filters { kinds: Filters::parse_kinds("mobile").unwrap(), ..Filters::default() }));
        assert!(!admits(Filters { kinds: vec![StationKind::Regular], ..Filters::default() }));
        // 07:30 and 13:00 in Amsterdam (UTC+1 in March).
        let at = |t: &str| Filters { open_at: Some(t.parse().unwrap()), ..Filters::default() };
        assert!(admits(at("2026-03-18T06:30:00Z")));
        assert!(!admits(at("2026-03-18T06:29:59Z")), "not open before its opening time");
        assert!(!admits(at("2026-03-18T12:00:00Z")), "closed at its closing time");
        let on = |d: &str| Filters { open_on: Some(Filters::parse_date(d).unwrap()), ..Filters::default() };
        assert!(admits(on("2026-03-18")));
        assert!(!admits(on("2026-03-17")));
        assert!(Filters::parse_date("18-03-2026").is_err());
        let needs = Needs::parse(["wheelchair,host"]).unwrap();
        assert!(!admits(Filters { needs, ..Filters::default() }), "host is unknown, so not offered");
        let elsewhere = MunicipalityCode::parse("GM0344").ok();
        assert!(!admits(Filters { municipality: elsewhere, ..Filters::default() }));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn open_at_is_one_instant_that_each_station_reads_on_its_own_clock() {
        let station = crate::model::station::tests::example();
        // 11:00 UTC: 12:00 in Amsterdam, 07:00 in Kralendijk.
        let noon = Filters { open_at: Some("2026-03-18T11:00:00Z".parse().unwrap()), ..Filters::default() };
        assert!(noon.admits(&station, chrono_tz::Europe::Amsterdam));
        assert!(!noon.admits(&station, chrono_tz::America::Kralendijk), "07:00 there: not open yet");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn moments_are_now_or_read_in_the_election_time_zone() {
        let read = |text, zone| {
            Filters::parse_moment(text, zone).map(|moment| match moment {
                Moment::Now => "now".to_owned(),
                Moment::At(instant) => instant.to_rfc3339(),
            })
        };
        let amsterdam = chrono_tz::Europe::Amsterdam;
        assert_eq!(read(" NOW ", amsterdam).unwrap(), "now");
        assert_eq!(read("2026-03-18T07:00:00Z", amsterdam).unwrap(), "2026-03-18T07:00:00+00:00");
        assert_eq!(read("2026-03-18T08:00", amsterdam).unwrap(), "2026-03-18T07:00:00+00:00");
        let kralendijk = chrono_tz::America::Kralendijk;
        assert_eq!(read("2026-03-18T08:00", kralendijk).unwrap(), "2026-03-18T12:00:00+00:00");
        assert!(matches!(read("tomorrow", amsterdam), Err(QueryError::NotAnInstant(_))));
        let now = "2026-03-18T11:00:00Z".parse().unwrap();
        assert_eq!(Moment::Now.resolve(now), now);
    }

    #[test]
    fn needs_are_sorted_deduplicated_and_checked() {
        let needs = Needs::parse(["low-stimulus,wheelchair", " wheelchair", ""]).unwrap();
        assert_eq!(needs.features(), [Feature::Wheelchair, Feature::LowStimulus]);
        let error = Needs::parse(["wheelchair,jetpack"]).unwrap_err();
        assert_eq!(error, QueryError::UnknownFeature("jetpack".into()));
        assert!(error.to_string().contains("buddy-pair"));
    }

    #[test]
    fn needs_become_a_query_for_the_station_page() {
        assert_eq!(Needs::default().query(), "");
        let needs = Needs::parse(["low-stimulus,host"]).unwrap();
        assert_eq!(needs.query(), "?needs=host&needs=low-stimulus");
    }

    fn query(lat: Option<&str>, lon: Option<&str>, k: Option<&str>) -> Result<NearestQuery, QueryError> {
        NearestQuery::from_params("gr2026", lat, lon, k, None)
    }

    #[test]
    fn accepts_a_point_and_defaults_k_to_five() {
        let q = query(Some("52.0217"), Some(" 4.8684"), None).unwrap();
        assert_eq!(q.k.get(), 5);
        assert_eq!(q.origin.lat(), 52.0217);
    }

    #[test]
    fn names_the_bad_parameter() {
        assert_eq!(query(None, Some("4.8"), None), Err(QueryError::Missing("lat")));
        assert!(matches!(
            query(Some("abc"), Some("4.8"), None),
            Err(QueryError::NotANumber { name: "lat", .. })
        ));
        assert!(matches!(query(Some("NaN"), Some("4.8"), None), Err(QueryError::NotANumber { .. })));
        assert!(matches!(query(Some("95"), Some("4.8"), None), Err(QueryError::Coordinates(_))));
        assert_eq!(query(Some("52"), Some("4.8"), Some("0")), Err(QueryError::ResultCount("0".into())));
        assert_eq!(
            query(Some("52"), Some("4.8"), Some("100000")),
            Err(QueryError::ResultCount("100000".into()))
        );
        assert!(matches!(
            NearestQuery::from_params("GR 2026", Some("52"), Some("4.8"), None, None),
            Err(QueryError::Election(_))
        ));
    }
}
