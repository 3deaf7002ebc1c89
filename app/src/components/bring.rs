//! Issue 23, part 3: what a voter brings and where they may vote, and
//! what a station offers in three states. Plain server-rendered markup:
//! the card folds its longer answers into `<details>`, which works
//! without JavaScript and which screen readers announce as expandable.

use crate::i18n::{use_texts, Texts};
use crate::model::{Accessibility, Availability, Election, ElectionKind, Feature, MunicipalityRule, Needs};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

/// The card on results and station pages: the stempas and a valid
/// identity document, where the kiezerspas lets one vote, voting by proxy,
/// a lost poll card, and the access of "bijzonder" stations, each as the
/// kind of `election` has it.
#[component]
pub fn BringCard(election: Election) -> impl IntoView {
    let texts = use_texts();
    let bring = &texts.bring;
    let kind = election.kind;
    let rules = (kind != ElectionKind::Ek).then(|| {
        let expiry = written_date(texts, election.oldest_valid_id_expiry());
        // Only where a kiezerspas exists is there one to ask for.
        let voter_pass_how = (kind.municipality_rule()
            == Some(MunicipalityRule::OwnMunicipalityUnlessVoterPass))
        .then(|| view! { <p>{bring.voter_pass_how}</p> });
        view! {
            <p>{(bring.id_rule)(&expiry)}</p>
            <details>
                <summary>{bring.where_summary}</summary>
                <p>{(bring.where_rule)(kind)}</p>
                {voter_pass_how}
            </details>
            <details>
                <summary>{bring.proxy_summary}</summary>
                <p>{bring.proxy}</p>
                <p>{(bring.proxy_elsewhere)(kind)}</p>
            </details>
            <details>
                <summary>{bring.lost_card_summary}</summary>
                <p>{bring.lost_card}</p>
            </details>
            <p>{bring.special_stations}</p>
        }
    });
    // The Senate has no polling stations: say why there is nothing to bring.
    let no_stations = (kind == ElectionKind::Ek).then(|| view! { <p>{(bring.where_rule)(kind)}</p> });
    view! {
        <section class="bring" aria-labelledby="bring-heading">
            <h2 id="bring-heading">{bring.heading}</h2>
            {rules}
            {no_stations}
        </section>
    }
}

/// "18 maart 2021", "18 March 2021".
fn written_date(texts: &Texts, date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), texts.months[date.month0() as usize], date.year())
}

/// Every accessibility attribute of a station as yes, no or not stated,
/// in words (a screen reader reads "Host: not stated by the
/// municipality"; the classes only add a mark for the eye). The features
/// the voter searched with come first, under a heading of their own.
#[component]
pub fn AccessibilityList(accessibility: Accessibility, needs: Needs) -> impl IntoView {
    let texts = use_texts();
    let bring = &texts.bring;
    let list = |features: Vec<Feature>| {
        let items = features
            .into_iter()
            .map(|feature| {
                let state = feature.availability(&accessibility);
                let class = match state {
                    Availability::Yes => "yes",
                    Availability::No => "no",
                    Availability::NotStated => "not-stated",
                };
                let mut words = format!("{}: {}", (texts.feature)(feature), (bring.availability)(state));
                // A toilet that is not an accessible one is still a toilet.
                let other_toilet = accessibility.toilet.filter(|_| feature == Feature::AccessibleToilet);
                if let Some(detail) = other_toilet.and_then(bring.other_toilet) {
                    words.push_str(&format!(" ({detail})"));
                }
                view! { <li class=class>{words}</li> }
            })
            .collect_view();
        view! { <ul class="availability">{items}</ul> }
    };
    let (searched, other): (Vec<Feature>, Vec<Feature>) =
        Feature::ALL.into_iter().partition(|feature| needs.contains(*feature));
    let lists = if searched.is_empty() {
        list(other).into_any()
    } else {
        view! {
            <h3>{bring.access_searched}</h3>
            {list(searched)}
            <h3>{bring.access_other}</h3>
            {list(other)}
        }
        .into_any()
    };
    view! {
        <section class="access-states" aria-labelledby="access-heading">
            <h2 id="access-heading">{bring.access_heading}</h2>
            {lists}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;
    use crate::model::{ElectionId, Toilet};

    fn card(id: &str, language: Language) -> String {
        let election = Election::new(ElectionId::parse(id).unwrap(), id, "2026-03-18".parse().unwrap());
        Owner::new().with(|| {
            provide_context(language);
            view! { <BringCard election/> }.to_html()
        })
    }

    #[test]
    fn the_card_states_the_rules_of_each_kind_of_election_in_both_languages() {
        let municipal = card("gr2026", Language::Nl);
        assert!(municipal.contains("op of na 18 maart 2021 is verlopen"), "{municipal}");
        assert!(municipal.contains("bestaat geen kiezerspas"));
        assert!(!municipal.contains("Een kiezerspas vraagt u aan"), "none to ask for");
        assert!(municipal.contains("in uw eigen gemeente kiezer zijn"));
        assert!(municipal.contains("vervangende stempas") && municipal.contains("“bijzonder”"));
        assert!(municipal.contains("<details><summary>"));

        let national = card("tk2026", Language::En);
        assert!(national.contains("expired on or after 18 March 2021"), "{national}");
        assert!(national.contains("any polling station in the Netherlands"));
        assert!(national.contains("Ask your municipality for a voter's pass"));
        assert!(national.contains("elsewhere in the Netherlands"));

        assert!(card("ps2027", Language::Nl).contains("in elk stembureau in uw provincie"));
        assert!(card("ws2027", Language::En).contains("your water board's area"));
        assert!(card("ep2029", Language::Nl).contains("in elk stembureau in Nederland"));
        assert!(card("referendum2030", Language::En).contains("area the referendum is held in"));
        assert!(card("demo", Language::Nl).contains("verkiezingswebsite van uw gemeente"));
        let senate = card("ek2027", Language::Nl);
        assert!(senate.contains("Provinciale Staten") && !senate.contains("identiteitsbewijs"), "{senate}");
    }

    #[test]
    fn every_kind_has_its_own_words_in_every_language() {
        for language in Language::ALL {
            let bring = &language.texts().bring;
            for kind in ElectionKind::ALL {
                assert!(!(bring.where_rule)(kind).is_empty() && !(bring.proxy_elsewhere)(kind).is_empty());
            }
        }
    }

    fn list(accessibility: Accessibility, needs: &str, language: Language) -> String {
        let needs = Needs::parse([needs]).unwrap();
        Owner::new().with(|| {
            provide_context(language);
            view! { <AccessibilityList accessibility needs/> }.to_html()
        })
    }

    #[test]
    fn every_attribute_is_yes_no_or_not_stated_with_the_searched_needs_first() {
        let accessibility = Accessibility { wheelchair: true, host: Some(false), ..Accessibility::default() };
        let page = list(accessibility.clone(), "low-stimulus,host", Language::Nl);
        let position = |text: &str| page.find(text).unwrap_or_else(|| panic!("{text} in {page}"));
        assert!(position("Waar u op zocht") < position("Gastvrouw of gastheer bij de ingang: nee"));
        assert!(position("Prikkelarm: niet vermeld door de gemeente") < position("Overige voorzieningen"));
        assert!(position("Overige voorzieningen") < position("Toegankelijk voor rolstoelgebruikers: ja"));
        assert_eq!(page.matches("<li").count(), Feature::ALL.len());

        let page = list(accessibility, "", Language::En);
        assert!(!page.contains("<h3>"), "one list when nothing was searched for");
        assert!(page.contains(">Host at the entrance: no</li>"), "{page}");
        assert!(page.contains(">Candidate list in braille: not stated by the municipality</li>"), "{page}");
    }

    #[test]
    fn a_toilet_that_is_not_accessible_is_still_mentioned() {
        let with = |toilet| Accessibility { toilet: Some(toilet), ..Accessibility::default() };
        assert!(list(with(Toilet::GenderNeutral), "", Language::Nl)
            .contains(">Toegankelijk toilet: nee (wel een genderneutraal toilet)</li>"));
        assert!(list(with(Toilet::Yes), "", Language::En).contains(": no (there is a toilet)</li>"));
        assert!(list(with(Toilet::No), "", Language::Nl).contains(">Toegankelijk toilet: nee</li>"));
        assert!(list(with(Toilet::Accessible), "", Language::Nl).contains(">Toegankelijk toilet: ja</li>"));
    }
}
