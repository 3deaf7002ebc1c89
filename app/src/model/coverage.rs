//! Coverage: which municipalities have published their stations for an
//! election, and how completely they describe their accessibility.
//!
//! Made by the server once per publication (next to the search index) and
//! read by the coverage page, the API, the CSV download and the search,
//! which tells a voter whose municipality has not published what to do.
//! It holds figures only; the map's shapes are the server's
//! ([`CountryMap`]), since they depend on the boundaries, not the data.

use super::{Accessibility, Election, MunicipalityCode, MunicipalityRef, Station};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One accessibility attribute of the standard, as a municipality answers
/// it: yes (in any of its forms), no, or not at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessField {
    Wheelchair,
    TransitStop,
    Toilet,
    Host,
    GuideLines,
    AudioAid,
    BrailleList,
    LargePrintList,
    SignLanguageInterpreter,
    SigningStaff,
    Acoustics,
    LowStimulus,
    BuddyPair,
}

impl AccessField {
    pub const ALL: [AccessField; 13] = [
        AccessField::Wheelchair,
        AccessField::TransitStop,
        AccessField::Toilet,
        AccessField::Host,
        AccessField::GuideLines,
        AccessField::AudioAid,
        AccessField::BrailleList,
        AccessField::LargePrintList,
        AccessField::SignLanguageInterpreter,
        AccessField::SigningStaff,
        AccessField::Acoustics,
        AccessField::LowStimulus,
        AccessField::BuddyPair,
    ];

    /// The name in the API and the CSV (`low-stimulus`).
    pub fn slug(self) -> &'static str {
        match self {
            AccessField::Wheelchair => "wheelchair",
            AccessField::TransitStop => "transit-stop",
            AccessField::Toilet => "toilet",
            AccessField::Host => "host",
            AccessField::GuideLines => "guide-lines",
            AccessField::AudioAid => "audio-aid",
            AccessField::BrailleList => "braille-list",
            AccessField::LargePrintList => "large-print-list",
            AccessField::SignLanguageInterpreter => "sign-language-interpreter",
            AccessField::SigningStaff => "signing-staff",
            AccessField::Acoustics => "acoustics",
            AccessField::LowStimulus => "low-stimulus",
            AccessField::BuddyPair => "buddy-pair",
        }
    }

    /// The station's answer: `Some(true)` for any yes ("ja, toegankelijk
    /// toilet", "buiten", "op afstand"), `None` when the field was left empty.
    pub fn answer(self, a: &Accessibility) -> Option<bool> {
        use super::{GuideLines, SignLanguageInterpreter, Toilet};
        match self {
            AccessField::Wheelchair => Some(a.wheelchair),
            AccessField::TransitStop => a.transit_stop,
            AccessField::Toilet => a.toilet.map(|t| t != Toilet::No),
            AccessField::Host => a.host,
            AccessField::GuideLines => a.guide_lines.map(|g| g != GuideLines::No),
            AccessField::AudioAid => a.audio_aid,
            AccessField::BrailleList => a.braille_list,
            AccessField::LargePrintList => a.large_print_list,
            AccessField::SignLanguageInterpreter => {
                a.sign_language_interpreter.map(|s| s != SignLanguageInterpreter::No)
            }
            AccessField::SigningStaff => a.signing_staff,
            AccessField::Acoustics => a.acoustics,
            AccessField::LowStimulus => a.low_stimulus,
            AccessField::BuddyPair => a.buddy_pair,
        }
    }
}

/// How many stations answer one field yes, no, or not at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub yes: usize,
    pub no: usize,
    pub unknown: usize,
}

impl Tally {
    fn count(&mut self, answer: Option<bool>) {
        match answer {
            Some(true) => self.yes += 1,
            Some(false) => self.no += 1,
            None => self.unknown += 1,
        }
    }

    fn add(&mut self, other: &Tally) {
        self.yes += other.yes;
        self.no += other.no;
        self.unknown += other.unknown;
    }

    /// Whole percentages of yes, no and unknown that add up to 100 (zero
    /// stations give zeros): each rounded down, then the points left go
    /// to the largest remainders, so a table never reads 88 + 13 + 0.
    pub fn percentages(&self) -> [u32; 3] {
        let parts = [self.yes, self.no, self.unknown];
        let total = parts.iter().sum::<usize>();
        if total == 0 {
            return [0; 3];
        }
        let mut shares = parts.map(|part| part * 100 / total);
        let remainders = parts.map(|part| part * 100 % total);
        let mut order = [0, 1, 2];
        // Largest remainder first; ties in the order yes, no, unknown.
        order.sort_by_key(|&i| std::cmp::Reverse(remainders[i]));
        let left = 100 - shares.iter().sum::<usize>();
        for &i in order.iter().take(left) {
            shares[i] += 1;
        }
        shares.map(|share| share as u32)
    }
}

/// One [`Tally`] per [`AccessField`], in the order of [`AccessField::ALL`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldTallies([Tally; 13]);

impl FieldTallies {
    pub fn of<'a>(stations: impl IntoIterator<Item = &'a Station>) -> Self {
        let mut tallies = Self::default();
        for station in stations {
            for (tally, field) in tallies.0.iter_mut().zip(AccessField::ALL) {
                tally.count(field.answer(&station.accessibility));
            }
        }
        tallies
    }

    /// Each field with its tally.
    pub fn iter(&self) -> impl Iterator<Item = (AccessField, &Tally)> {
        AccessField::ALL.into_iter().zip(&self.0)
    }

    fn add(&mut self, other: &FieldTallies) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            mine.add(theirs);
        }
    }
}

/// Where a voter finds a municipality's election information, as its
/// data gave it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The municipality's election page (`Verkiezingswebsite gemeente`):
    /// only an `http(s)` address, so that it is safe as a link.
    pub website: Option<String>,
    /// `Contactgegevens gemeente`, as text.
    pub details: Option<String>,
}

impl Contact {
    /// From the two fields of a record, whatever they hold: a website
    /// that is not an `http(s)` address, and empty text, are left out.
    pub fn new(website: Option<&str>, details: Option<&str>) -> Self {
        let kept =
            |text: Option<&str>| text.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned);
        let website = kept(website).filter(|url| {
            let lower = url.to_ascii_lowercase();
            (lower.starts_with("https://") || lower.starts_with("http://"))
                && !url.contains(char::is_whitespace)
        });
        Self { website, details: kept(details) }
    }

    pub fn is_empty(&self) -> bool {
        self.website.is_none() && self.details.is_none()
    }
}

/// Whether a municipality has published for the election.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum Publication {
    Published {
        stations: usize,
        /// When the version voters see was published; `None` when the
        /// store does not say (it published again between two reads).
        at: Option<DateTime<Utc>>,
        /// Boxed: thirteen tallies would make every `NotPublished` as large.
        fields: Box<FieldTallies>,
    },
    /// Nothing published: what a voter can do instead.
    NotPublished { contact: Contact },
}

/// One municipality of the country in an election.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityCoverage {
    pub municipality: MunicipalityRef,
    pub publication: Publication,
}

impl MunicipalityCoverage {
    pub fn is_published(&self) -> bool {
        matches!(self.publication, Publication::Published { .. })
    }
}

/// The whole country's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub municipalities: usize,
    pub published: usize,
    pub stations: usize,
    pub fields: FieldTallies,
}

/// Every municipality of the country in one election, in code order, and
/// the national totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub election: Election,
    pub municipalities: Vec<MunicipalityCoverage>,
    pub totals: Totals,
}

impl Coverage {
    /// From every municipality's state (in any order; each once).
    pub fn new(election: Election, mut municipalities: Vec<MunicipalityCoverage>) -> Self {
        municipalities.sort_by(|a, b| a.municipality.code.cmp(&b.municipality.code));
        let mut totals = Totals { municipalities: municipalities.len(), ..Totals::default() };
        for municipality in &municipalities {
            if let Publication::Published { stations, fields, .. } = &municipality.publication {
                totals.published += 1;
                totals.stations += stations;
                totals.fields.add(fields);
            }
        }
        Self { election, municipalities, totals }
    }

    pub fn municipality(&self, code: &MunicipalityCode) -> Option<&MunicipalityCoverage> {
        self.municipalities
            .binary_search_by(|m| m.municipality.code.cmp(code))
            .ok()
            .map(|position| &self.municipalities[position])
    }
}

/// A municipality that voters search in but that has not published: what
/// the results page and the API tell them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotPublished {
    pub municipality: MunicipalityRef,
    pub contact: Contact,
}

/// The outline of the country for the coverage map, made once per set of
/// boundaries: each municipality's simplified shape as SVG path data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountryMap {
    /// `min-x min-y width height`.
    pub view_box: String,
    /// Each municipality's path, by code order.
    pub shapes: Vec<(MunicipalityCode, String)>,
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::model::{ElectionId, Toilet};

    fn with(accessibility: Accessibility) -> Station {
        Station { accessibility, ..crate::model::example_station() }
    }

    #[test]
    fn a_field_answered_in_any_form_of_yes_counts_as_yes() {
        let stations = [
            with(Accessibility {
                wheelchair: true,
                toilet: Some(Toilet::GenderNeutral),
                ..Default::default()
            }),
            with(Accessibility { toilet: Some(Toilet::No), host: Some(true), ..Default::default() }),
            with(Accessibility::default()),
        ];
        let tallies = FieldTallies::of(&stations);
        let tally = |field| *tallies.iter().find(|(f, _)| *f == field).unwrap().1;
        assert_eq!(tally(AccessField::Wheelchair), Tally { yes: 1, no: 2, unknown: 0 });
        assert_eq!(tally(AccessField::Toilet), Tally { yes: 1, no: 1, unknown: 1 });
        assert_eq!(tally(AccessField::Host), Tally { yes: 1, no: 0, unknown: 2 });
        assert_eq!(tally(AccessField::Toilet).percentages(), [34, 33, 33], "adds up to 100");
        assert_eq!(Tally { yes: 7, no: 1, unknown: 0 }.percentages(), [88, 12, 0], "a tie goes to yes");
        assert_eq!(Tally { yes: 1, no: 0, unknown: 1 }.percentages(), [50, 0, 50]);
        assert_eq!(Tally::default().percentages(), [0, 0, 0]);
    }

    #[test]
    fn totals_count_published_municipalities_only() {
        let code = |c: &str| MunicipalityCode::parse(c).unwrap();
        let published = MunicipalityCoverage {
            municipality: MunicipalityRef { code: code("GM0589"), name: "Oudewater".into() },
            publication: Publication::Published {
                stations: 2,
                at: None,
                fields: Box::new(FieldTallies::of(&[
                    with(Accessibility::default()),
                    with(Accessibility::default()),
                ])),
            },
        };
        let silent = MunicipalityCoverage {
            municipality: MunicipalityRef { code: code("GM0014"), name: "Groningen".into() },
            publication: Publication::NotPublished { contact: Contact::default() },
        };
        let election =
            Election::new(ElectionId::parse("gr2026").unwrap(), "GR", "2026-03-18".parse().unwrap());
        let coverage = Coverage::new(election, vec![published, silent]);
        assert_eq!(
            (coverage.totals.municipalities, coverage.totals.published, coverage.totals.stations),
            (2, 1, 2)
        );
        assert_eq!(coverage.municipalities[0].municipality.name, "Groningen", "in code order");
        assert!(coverage.municipality(&code("GM0589")).is_some_and(MunicipalityCoverage::is_published));
        assert!(coverage.municipality(&code("GM0001")).is_none());
    }

    #[test]
    fn only_web_addresses_become_links() {
        let contact = Contact::new(Some(" https://oudewater.nl/verkiezingen "), Some(""));
        assert_eq!(contact.website.as_deref(), Some("https://oudewater.nl/verkiezingen"));
        assert_eq!(contact.details, None);
        assert_eq!(Contact::new(Some("javascript:alert(1)"), None).website, None);
        assert_eq!(Contact::new(Some("www.oudewater.nl"), Some("0348 123")).website, None);
        assert!(Contact::new(None, Some("  ")).is_empty());
    }
}
