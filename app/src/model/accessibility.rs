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
}
