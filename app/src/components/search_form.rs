use crate::embed::use_embed;
use crate::i18n::{use_texts, FeatureGroup};
use crate::model::{Feature, Needs, SearchText};
use crate::search::{SearchPage, OPEN_NOW};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The search form: a plain GET form, so it works before (or without)
/// JavaScript; with it, `navigation` shows the answer in place, at the
/// same URL.
#[component]
pub fn SearchForm(page: SearchPage) -> impl IntoView {
    let texts = use_texts();
    let selected = page.selected.map(|id| id.to_string()).unwrap_or_default();
    let picker = if page.elections.len() > 1 {
        let options = page
            .elections
            .into_iter()
            .map(|choice| {
                let id = choice.election.id.to_string();
                let is_selected = id == selected;
                let label = if choice.past {
                    (texts.past_election)(&choice.election.name)
                } else {
                    choice.election.name
                };
                view! { <option value=id selected=is_selected>{label}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="e">{texts.election_label}</label>
                <select id="e" name="e">{options}</select>
            </div>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name="e" value=selected/> }.into_any()
    };

    // The form submits to the page it is on (the site's search, or an
    // embed), keeping an embed's settings and how many stations to show.
    let action = use_location().pathname.get_untracked();
    let mut kept = use_embed().map(|embed| embed.carried()).unwrap_or_default();
    if let Some(k) = page.k {
        kept.push(("k", k.to_string()));
    }
    let kept = kept
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    view! {
        <form method="get" action=action>
            {kept}
            {picker}
            <div class="field">
                <label for="q">{texts.query_label}</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    inputmode="search"
                    autocomplete="off"
                    maxlength=SearchText::MAX_CHARS
                    placeholder=texts.query_placeholder
                    value=page.query_text
                />
            </div>
            <NeedsPicker needs=page.needs/>
            <label class="check">
                <input type="checkbox" name="open" value=OPEN_NOW checked=page.open_now/>
                {texts.open_now_only}
            </label>
            <button type="submit">{texts.search}</button>
        </form>
    }
}

/// The accessibility features, grouped the way voters think of them.
const GROUPS: [(FeatureGroup, &[Feature]); 4] = [
    (FeatureGroup::Mobility, &[Feature::Wheelchair, Feature::TransitStop, Feature::AccessibleToilet]),
    (
        FeatureGroup::Sight,
        &[
            Feature::GuideLinesOutside,
            Feature::GuideLinesInside,
            Feature::AudioAid,
            Feature::BrailleList,
            Feature::LargePrintList,
        ],
    ),
    (
        FeatureGroup::Hearing,
        &[
            Feature::SignLanguageOnSite,
            Feature::SignLanguageRemote,
            Feature::SigningStaff,
            Feature::Acoustics,
        ],
    ),
    (FeatureGroup::Other, &[Feature::Host, Feature::LowStimulus, Feature::BuddyPair]),
];

/// Checkboxes named `needs`: plain form fields, so they work without
/// JavaScript. Folded away unless something is chosen, to keep the form
/// short on a phone.
#[component]
fn NeedsPicker(needs: Needs) -> impl IntoView {
    let texts = use_texts();
    let chosen = needs.features().len();
    let summary = match chosen {
        0 => texts.accessibility.to_owned(),
        n => format!("{} ({})", texts.accessibility, (texts.chosen)(n)),
    };
    let groups = GROUPS
        .iter()
        .map(|(group, features)| {
            let boxes = features
                .iter()
                .map(|feature| {
                    view! {
                        <label class="check">
                            <input type="checkbox" name="needs" value=feature.slug() checked=needs.contains(*feature)/>
                            {(texts.feature)(*feature)}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset>
                    <legend>{(texts.group)(*group)}</legend>
                    {boxes}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <details class="needs" open={chosen > 0}>
            <summary>{summary}</summary>
            {groups}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_is_offered_exactly_once() {
        let mut grouped: Vec<Feature> =
            GROUPS.iter().flat_map(|(_, features)| features.iter().copied()).collect();
        grouped.sort();
        assert_eq!(grouped, Feature::ALL);
    }
}
