//! What a station offers voters with a disability, as the open data
//! standard records it.
//!
//! Every optional attribute distinguishes "the municipality said no" from
//! "the municipality said nothing" (`None`): a voter deciding where to go
//! must not read silence as a no, nor as a yes.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Accessibility {
    /// Accessible to people with a physical disability (required by the
    /// standard, so never unknown).
    pub wheelchair: bool,
    pub transit_stop: Option<bool>,
    pub toilet: Option<Toilet>,
    pub host: Option<bool>,
    pub guide_lines: Option<GuideLines>,
    pub audio_aid: Option<bool>,
    pub braille_list: Option<bool>,
    pub large_print_list: Option<bool>,
    pub sign_language_interpreter: Option<SignLanguageInterpreter>,
    pub signing_staff: Option<bool>,
    pub acoustics: Option<bool>,
    pub low_stimulus: Option<bool>,
    pub buddy_pair: Option<bool>,
    /// Free text ("Extra toegankelijkheidsinformatie"), verbatim.
    pub notes: String,
}

/// `Toilet` (1.7) or `Gehandicaptentoilet` (1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Toilet {
    No,
    Yes,
    GenderNeutral,
    Accessible,
}

/// Tactile guide lines (`Geleidelijnen`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GuideLines {
    No,
    Outside,
    Inside,
    OutsideAndInside,
}

/// Sign-language interpreter (`Gebarentolk (NGT)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignLanguageInterpreter {
    No,
    OnSite,
    Remote,
}

/// One thing a voter can require of a station: the search filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    Wheelchair,
    TransitStop,
    AccessibleToilet,
    Host,
    GuideLinesOutside,
    GuideLinesInside,
    AudioAid,
    BrailleList,
    LargePrintList,
    SignLanguageOnSite,
    SignLanguageRemote,
    SigningStaff,
    Acoustics,
    LowStimulus,
    BuddyPair,
}

impl Feature {
    pub const ALL: [Feature; 15] = [
        Feature::Wheelchair,
        Feature::TransitStop,
        Feature::AccessibleToilet,
        Feature::Host,
        Feature::GuideLinesOutside,
        Feature::GuideLinesInside,
        Feature::AudioAid,
        Feature::BrailleList,
        Feature::LargePrintList,
        Feature::SignLanguageOnSite,
        Feature::SignLanguageRemote,
        Feature::SigningStaff,
        Feature::Acoustics,
        Feature::LowStimulus,
        Feature::BuddyPair,
    ];

    /// The name used in URLs and the API (`needs=wheelchair`).
    pub fn slug(self) -> &'static str {
        match self {
            Feature::Wheelchair => "wheelchair",
            Feature::TransitStop => "transit-stop",
            Feature::AccessibleToilet => "accessible-toilet",
            Feature::Host => "host",
            Feature::GuideLinesOutside => "guide-lines-outside",
            Feature::GuideLinesInside => "guide-lines-inside",
            Feature::AudioAid => "audio-aid",
            Feature::BrailleList => "braille-list",
            Feature::LargePrintList => "large-print-list",
            Feature::SignLanguageOnSite => "sign-language-on-site",
            Feature::SignLanguageRemote => "sign-language-remote",
            Feature::SigningStaff => "signing-staff",
            Feature::Acoustics => "acoustics",
            Feature::LowStimulus => "low-stimulus",
            Feature::BuddyPair => "buddy-pair",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|feature| feature.slug() == slug)
    }

    /// Whether a station is known to offer this; unknown counts as no,
    /// since a voter who needs it cannot rely on it.
    pub fn is_offered_by(self, a: &Accessibility) -> bool {
        let yes = |value: Option<bool>| value == Some(true);
        match self {
            Feature::Wheelchair => a.wheelchair,
            Feature::TransitStop => yes(a.transit_stop),
            Feature::AccessibleToilet => a.toilet == Some(Toilet::Accessible),
            Feature::Host => yes(a.host),
            Feature::GuideLinesOutside => {
                matches!(a.guide_lines, Some(GuideLines::Outside | GuideLines::OutsideAndInside))
            }
            Feature::GuideLinesInside => {
                matches!(a.guide_lines, Some(GuideLines::Inside | GuideLines::OutsideAndInside))
            }
            Feature::AudioAid => yes(a.audio_aid),
            Feature::BrailleList => yes(a.braille_list),
            Feature::LargePrintList => yes(a.large_print_list),
            Feature::SignLanguageOnSite => {
                a.sign_language_interpreter == Some(SignLanguageInterpreter::OnSite)
            }
            Feature::SignLanguageRemote => {
                a.sign_language_interpreter == Some(SignLanguageInterpreter::Remote)
            }
            Feature::SigningStaff => yes(a.signing_staff),
            Feature::Acoustics => yes(a.acoustics),
            Feature::LowStimulus => yes(a.low_stimulus),
            Feature::BuddyPair => yes(a.buddy_pair),
        }
    }

    /// The features a station is known to offer, in the standard's order.
    pub fn offered_by(a: &Accessibility) -> impl Iterator<Item = Feature> + '_ {
        Self::ALL.into_iter().filter(move |feature| feature.is_offered_by(a))
    }

    /// What the municipality said about this feature at a station. A
    /// station page shows all three states, so that a voter who needs a
    /// host can tell "no host" from "the municipality did not say";
    /// [`Feature::is_offered_by`] is the search's stricter reading.
    pub fn availability(self, a: &Accessibility) -> Availability {
        let stated = |value: Option<bool>| match value {
            Some(true) => Availability::Yes,
            Some(false) => Availability::No,
            None => Availability::NotStated,
        };
        // An enumerated answer rules this feature in or out, whichever
        // value it holds; only an empty cell leaves it unstated.
        let answered = |given: bool| stated(given.then(|| self.is_offered_by(a)));
        match self {
            Feature::Wheelchair => stated(Some(a.wheelchair)),
            Feature::TransitStop => stated(a.transit_stop),
            Feature::AccessibleToilet => answered(a.toilet.is_some()),
            Feature::Host => stated(a.host),
            Feature::GuideLinesOutside | Feature::GuideLinesInside => answered(a.guide_lines.is_some()),
            Feature::AudioAid => stated(a.audio_aid),
            Feature::BrailleList => stated(a.braille_list),
            Feature::LargePrintList => stated(a.large_print_list),
            Feature::SignLanguageOnSite | Feature::SignLanguageRemote => {
                answered(a.sign_language_interpreter.is_some())
            }
            Feature::SigningStaff => stated(a.signing_staff),
            Feature::Acoustics => stated(a.acoustics),
            Feature::LowStimulus => stated(a.low_stimulus),
            Feature::BuddyPair => stated(a.buddy_pair),
        }
    }
}

/// Whether a station offers a feature, as its municipality published it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Availability {
    Yes,
    No,
    /// The municipality left the field empty: neither yes nor no.
    NotStated,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for feature in Feature::ALL {
            assert_eq!(Feature::from_slug(feature.slug()), Some(feature));
        }
        assert_eq!(Feature::from_slug("jetpack"), None);
    }

    #[test]
    fn unknown_is_not_offered_and_guide_lines_cover_both_sides() {
        let mut a = Accessibility { wheelchair: true, ..Accessibility::default() };
        assert_eq!(Feature::offered_by(&a).collect::<Vec<_>>(), [Feature::Wheelchair]);
        a.guide_lines = Some(GuideLines::OutsideAndInside);
        a.toilet = Some(Toilet::Yes);
        assert!(Feature::GuideLinesInside.is_offered_by(&a));
        assert!(Feature::GuideLinesOutside.is_offered_by(&a));
        assert!(!Feature::AccessibleToilet.is_offered_by(&a));
    }

    #[test]
    fn an_empty_field_is_not_stated_and_differs_from_no() {
        let a = Accessibility {
            wheelchair: false,
            host: Some(false),
            low_stimulus: Some(true),
            toilet: Some(Toilet::GenderNeutral),
            sign_language_interpreter: Some(SignLanguageInterpreter::Remote),
            ..Accessibility::default()
        };
        let state = |feature: Feature| feature.availability(&a);
        assert_eq!(state(Feature::Wheelchair), Availability::No, "required, so never unstated");
        assert_eq!(state(Feature::Host), Availability::No);
        assert_eq!(state(Feature::LowStimulus), Availability::Yes);
        assert_eq!(state(Feature::BuddyPair), Availability::NotStated);
        assert_eq!(state(Feature::GuideLinesInside), Availability::NotStated);
        // A toilet that is not said to be accessible rules out an accessible one.
        assert_eq!(state(Feature::AccessibleToilet), Availability::No);
        assert_eq!(state(Feature::SignLanguageRemote), Availability::Yes);
        assert_eq!(state(Feature::SignLanguageOnSite), Availability::No);
        for feature in Feature::ALL {
            assert_eq!(state(feature) == Availability::Yes, feature.is_offered_by(&a), "{feature:?}");
        }
    }
}
