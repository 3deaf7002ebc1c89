//! How numbers, dates and times read for a Dutch voter.

use crate::model::{Feature, MunicipalityRule};
use chrono::{Datelike, NaiveDateTime, Timelike};

/// What a feature means for a voter, in words (never an icon alone).
pub fn feature(feature: Feature) -> &'static str {
    match feature {
        Feature::Wheelchair => "Toegankelijk voor rolstoelgebruikers",
        Feature::TransitStop => "Toegankelijke ov-halte in de buurt",
        Feature::AccessibleToilet => "Toegankelijk toilet",
        Feature::Host => "Gastvrouw of gastheer bij de ingang",
        Feature::GuideLinesOutside => "Geleidelijnen buiten",
        Feature::GuideLinesInside => "Geleidelijnen binnen",
        Feature::AudioAid => "Stemmal met audio-ondersteuning",
        Feature::BrailleList => "Kandidatenlijst in braille",
        Feature::LargePrintList => "Kandidatenlijst met grote letters",
        Feature::SignLanguageOnSite => "Gebarentolk (NGT) aanwezig",
        Feature::SignLanguageRemote => "Gebarentolk (NGT) op afstand",
        Feature::SigningStaff => "Stembureaulid dat gebarentaal spreekt",
        Feature::Acoustics => "Akoestiek geschikt voor slechthorenden",
        Feature::LowStimulus => "Prikkelarm",
        Feature::BuddyPair => "Prokkelduo aanwezig",
    }
}

/// Which municipality the searched point lies in, and what that means
/// for where the voter may vote.
pub fn home_note(municipality: &str, rule: Option<MunicipalityRule>) -> String {
    match rule {
        Some(MunicipalityRule::OwnMunicipalityOnly) => format!(
            "Dit punt ligt in de gemeente {municipality}. Bij deze verkiezing stemt u in uw eigen gemeente; \
             die stembureaus staan bovenaan."
        ),
        Some(MunicipalityRule::OwnMunicipalityUnlessVoterPass) => format!(
            "Dit punt ligt in de gemeente {municipality}. Met uw stempas stemt u in uw eigen gemeente; \
             die stembureaus staan bovenaan."
        ),
        None => format!("Dit punt ligt in de gemeente {municipality}."),
    }
}

/// The warning on a station outside the searched municipality; `None`
/// when the election lets voters vote anywhere.
pub fn elsewhere_note(municipality: &str, rule: Option<MunicipalityRule>) -> Option<String> {
    match rule? {
        MunicipalityRule::OwnMunicipalityOnly => {
            Some(format!("Andere gemeente ({municipality}): hier kunt u bij deze verkiezing niet stemmen."))
        }
        MunicipalityRule::OwnMunicipalityUnlessVoterPass => {
            Some(format!("Andere gemeente ({municipality}): hier stemt u alleen met een kiezerspas."))
        }
    }
}

/// "350 m" under a kilometre (to 10 m: finer suggests a precision the data
/// lacks), "1,2 km" above it.
pub fn distance(metres: f64) -> String {
    if metres < 995.0 {
        format!("{} m", ((metres / 10.0).round() * 10.0) as u64)
    } else {
        format!("{:.1} km", metres / 1000.0).replace('.', ",")
    }
}

pub fn clock(time: NaiveDateTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// "woensdag 18 maart".
pub fn day(time: NaiveDateTime) -> String {
    const WEEKDAYS: [&str; 7] =
        ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let date = time.date();
    format!(
        "{} {} {}",
        WEEKDAYS[date.weekday().num_days_from_monday() as usize],
        date.day(),
        MONTHS[date.month0() as usize]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_read_naturally() {
        assert_eq!(distance(0.0), "0 m");
        assert_eq!(distance(346.0), "350 m");
        assert_eq!(distance(994.0), "990 m");
        assert_eq!(distance(996.0), "1,0 km");
        assert_eq!(distance(12_345.0), "12,3 km");
    }

    #[test]
    fn times_and_days_in_dutch() {
        let time: NaiveDateTime = "2026-03-18T07:30:00".parse().unwrap();
        assert_eq!(clock(time), "07:30");
        assert_eq!(day(time), "woensdag 18 maart");
    }
}
