//! Domain types shared by the server and the browser.
//!
//! A value of one of these types is valid by construction: parsing happens in
//! the constructors, so code that holds an `ElectionId` or `Coordinates` never
//! re-checks it. They are plain serde types so that server functions can send
//! them to the hydrated page unchanged.

/// The conversions every validated text type needs: serde goes through
/// `TryFrom<String>` so that deserialised values are checked like parsed ones.
macro_rules! validated_text {
    ($type:ident, $error:ident) => {
        impl $type {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $type {
            type Error = $error;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse(&text)
            }
        }

        impl From<$type> for String {
            fn from(value: $type) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

mod accessibility;
mod coordinates;
mod coverage;
mod download;
mod election;
mod opening;
mod query;
mod search_text;
mod station;

pub use accessibility::{Accessibility, Availability, Feature, GuideLines, SignLanguageInterpreter, Toilet};
pub use coordinates::{Coordinates, CoordinatesError};
pub use coverage::{
    AccessField, Contact, CountryMap, Coverage, FieldTallies, MunicipalityCoverage, NotPublished,
    Publication, Tally, Totals,
};
pub use download::{download_path, WHOLE_ELECTION};
pub use election::{
    Election, ElectionId, ElectionIdError, ElectionKind, MunicipalityRule, TimeZoneError, TimeZoneName,
};
#[cfg(feature = "ssr")]
pub use opening::instant_at;
pub use opening::OpeningStatus;
pub use query::{
    Filters, Moment, MunicipalityRef, NearestAnswer, NearestQuery, Needs, QueryError, ResultCount,
};
pub use search_text::{SearchText, SearchTextTooLong};
/// One station for the tests of any module.
#[cfg(all(test, feature = "ssr"))]
pub(crate) use station::tests::example as example_station;
pub use station::{
    dutch_postcode, Address, MunicipalityCode, MunicipalityCodeError, NearestStation, Station, StationKind,
    StationListing,
};
