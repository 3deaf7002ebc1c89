use super::{Accessibility, Coordinates};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// CBS municipality code: `GM` followed by four digits, e.g. `GM0589`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MunicipalityCode(String);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("\"{0}\" is not a CBS municipality code: write GM followed by four digits, e.g. GM0589")]
pub struct MunicipalityCodeError(pub String);

impl MunicipalityCode {
    pub fn parse(text: &str) -> Result<Self, MunicipalityCodeError> {
        let text = text.trim();
        let digits =
            text.get(..2).filter(|prefix| prefix.eq_ignore_ascii_case("GM")).and_then(|_| text.get(2..));
        match digits {
            Some(d) if d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()) => Ok(Self(format!("GM{d}"))),
            _ => Err(MunicipalityCodeError(text.to_owned())),
        }
    }
}

validated_text!(MunicipalityCode, MunicipalityCodeError);

/// `Type stembureau` in the open data standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StationKind {
    /// An ordinary station (`regulier`).
    Regular,
    /// A station in a hospital, care home or similar (`bijzonder`).
    Special,
    /// A station that moves between locations during the day (`mobiel`).
    Mobile,
}

impl StationKind {
    /// The name in URLs and the API.
    pub fn slug(self) -> &'static str {
        match self {
            StationKind::Regular => "regular",
            StationKind::Special => "special",
            StationKind::Mobile => "mobile",
        }
    }

    /// The English slug or the standard's Dutch name, in any case.
    pub fn from_slug(text: &str) -> Option<Self> {
        match text.to_lowercase().as_str() {
            "regular" | "regulier" => Some(StationKind::Regular),
            "special" | "bijzonder" => Some(StationKind::Special),
            "mobile" | "mobiel" => Some(StationKind::Mobile),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub place: String,
    /// Directions that the address alone does not give ("entrance at the back").
    pub extra: String,
}

impl Address {
    /// "Kapellestraat 39, 3421 CT Oudewater", leaving out what is unknown.
    pub fn one_line(&self) -> String {
        let street = [self.street.as_str(), self.house_number.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let postcode = match dutch_postcode(&self.postcode) {
            Some((area, letters)) => format!("{area} {letters}"),
            None => self.postcode.clone(),
        };
        let town = [postcode.as_str(), self.place.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        [street, town].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
    }
}

/// A Dutch postcode as its area and its letters, "3421 ct" → ("3421",
/// "CT"), spaces and case aside; `None` for anything else (a foreign
/// postcode, a typing error such as "123éa" or "34211"), which callers
/// show as given and imports report. Areas run from 1000 to 9999, and
/// PostNL never gives the letters SA, SD or SS. The cut after the fourth
/// byte is checked: text whose fourth byte lies inside a character is
/// simply not a postcode.
pub fn dutch_postcode(text: &str) -> Option<(String, String)> {
    let compact: String = text.split_whitespace().collect();
    let (area, letters) = compact.split_at_checked(4)?;
    let letters = letters.to_ascii_uppercase();
    let dutch = area.bytes().all(|b| b.is_ascii_digit())
        && !area.starts_with('0')
        && letters.len() == 2
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && !["SA", "SD", "SS"].contains(&letters.as_str());
    dutch.then(|| (area.to_owned(), letters))
}

/// One location and opening period of one polling station, as voters see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// Stable within a published dataset: municipality, station number and,
    /// when a number has several locations or periods, their position.
    pub id: String,
    pub number: u32,
    pub name: String,
    pub kind: StationKind,
    pub municipality_code: MunicipalityCode,
    pub municipality_name: String,
    pub address: Address,
    pub location: Coordinates,
    pub opens: NaiveDateTime,
    pub closes: NaiveDateTime,
    pub accessibility: Accessibility,
}

impl Station {
    /// The path of the station's shareable page in an election.
    pub fn page(&self, election: &str) -> String {
        station_page(election, &self.id)
    }
}

fn station_page(election: &str, id: &str) -> String {
    format!("/s/{election}/{id}")
}

/// What a list of many stations shows of each: enough to choose one, with
/// its page for the rest. A page hydrates from the data it was rendered
/// from, so a municipality's list of hundreds of stations carries this
/// rather than every attribute of each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StationListing {
    pub id: String,
    pub name: String,
    /// The address on one line.
    pub address: String,
    pub location: Coordinates,
    pub opens: NaiveDateTime,
    pub closes: NaiveDateTime,
    pub wheelchair: bool,
}

impl StationListing {
    pub fn page(&self, election: &str) -> String {
        station_page(election, &self.id)
    }
}

impl From<Station> for StationListing {
    fn from(station: Station) -> Self {
        StationListing {
            address: station.address.one_line(),
            wheelchair: station.accessibility.wheelchair,
            id: station.id,
            name: station.name,
            location: station.location,
            opens: station.opens,
            closes: station.closes,
        }
    }
}

/// A station together with its distance from the point searched from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearestStation {
    /// Shared with the index it was found in, not copied.
    pub station: Arc<Station>,
    /// Geodesic distance (WGS84 ellipsoid), in metres.
    pub distance_m: f64,
    /// The station lies outside the municipality of the searched point
    /// (known only when municipal boundaries are loaded).
    pub outside_home: bool,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A station of Oudewater open 07:30-21:00 on 18 March 2026, for tests
    /// to change what they are about (those that judge times, on the server).
    #[cfg(feature = "ssr")]
    pub(crate) fn example() -> Station {
        Station {
            id: "gm0589-1".into(),
            number: 1,
            name: "Muziekhuis".into(),
            kind: StationKind::Regular,
            municipality_code: MunicipalityCode::parse("GM0589").unwrap(),
            municipality_name: "Oudewater".into(),
            address: Address::default(),
            location: Coordinates::new(52.021, 4.874).unwrap(),
            opens: "2026-03-18T07:30:00".parse().unwrap(),
            closes: "2026-03-18T21:00:00".parse().unwrap(),
            accessibility: Accessibility::default(),
        }
    }

    #[test]
    fn municipality_codes_are_normalised_and_checked() {
        assert_eq!(MunicipalityCode::parse(" gm0589 ").unwrap().as_str(), "GM0589");
        assert!(MunicipalityCode::parse("0589").is_err());
        assert!(MunicipalityCode::parse("GM589").is_err());
        assert!(MunicipalityCode::parse("GM05890").is_err());
        assert!(MunicipalityCode::parse("GMé589").is_err());
    }

    #[test]
    fn address_on_one_line_skips_empty_parts() {
        let address = Address {
            street: "Kapellestraat".into(),
            house_number: "39".into(),
            postcode: "3421CT".into(),
            place: "Oudewater".into(),
            extra: String::new(),
        };
        assert_eq!(address.one_line(), "Kapellestraat 39, 3421 CT Oudewater");
        assert_eq!(Address::default().one_line(), "");
    }

    #[test]
    fn only_a_dutch_postcode_is_split_and_anything_else_is_shown_as_given() {
        let with_postcode = |postcode: &str| Address { postcode: postcode.into(), ..Address::default() };
        // Six bytes whose fourth lies inside "É": once a panic on every upload path.
        assert_eq!(with_postcode("123ÉA").one_line(), "123ÉA");
        assert_eq!(with_postcode("1234É").one_line(), "1234É");
        assert_eq!(with_postcode("K1A0B1").one_line(), "K1A0B1", "a foreign postcode is not cut");
        assert_eq!(with_postcode("3421ct").one_line(), "3421 CT");
        assert_eq!(dutch_postcode(" 3421 ct "), Some(("3421".into(), "CT".into())));
        for other in
            ["", "342", "3421C", "3421CTX", "３４２１CT", "34é1CT", "34211", "0421CT", "3421SS", "3421 sa"]
        {
            assert_eq!(dutch_postcode(other), None, "{other}");
        }
    }
}
