use super::{Coordinates, CoordinatesError, ElectionId, ElectionIdError, Feature};
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
}

/// A request for the stations nearest to a point in one election that
/// offer everything in `needs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearestQuery {
    pub election: ElectionId,
    pub origin: Coordinates,
    pub k: ResultCount,
    pub needs: Needs,
}

/// The accessibility features a voter requires, each once, in a fixed order
/// (so that equal requirements compare and cache equal).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Needs(Vec<Feature>);

impl Needs {
    /// Reads slugs such as `wheelchair` or `low-stimulus`; each item may
    /// itself be a comma-separated list.
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Self, QueryError> {
        let mut features = items
            .into_iter()
            .flat_map(|item| item.split(','))
            .map(str::trim)
            .filter(|slug| !slug.is_empty())
            .map(|slug| Feature::from_slug(slug).ok_or_else(|| QueryError::UnknownFeature(slug.to_owned())))
            .collect::<Result<Vec<_>, _>>()?;
        features.sort();
        features.dedup();
        Ok(Self(features))
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
        Ok(Self { election, origin, k, needs })
    }
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

    #[test]
    fn needs_are_sorted_deduplicated_and_checked() {
        let needs = Needs::parse(["low-stimulus,wheelchair", " wheelchair", ""]).unwrap();
        assert_eq!(needs.features(), [Feature::Wheelchair, Feature::LowStimulus]);
        let error = Needs::parse(["wheelchair,jetpack"]).unwrap_err();
        assert_eq!(error, QueryError::UnknownFeature("jetpack".into()));
        assert!(error.to_string().contains("buddy-pair"));
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
