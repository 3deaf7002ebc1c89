use super::format;
use crate::model::{Feature, Needs};
use crate::search::{SearchPage, OPEN_NOW};
use leptos::prelude::*;
use leptos_router::components::Form;

/// The search form: a plain GET form, so it works before (or without)
/// JavaScript; once hydrated, the router turns submits into in-page
/// navigations to the same URL.
#[component]
pub fn SearchForm(page: SearchPage) -> impl IntoView {
    let selected = page.selected.map(|id| id.to_string()).unwrap_or_default();
    let picker = if page.elections.len() > 1 {
        let options = page
            .elections
            .into_iter()
            .map(|choice| {
                let id = choice.election.id.to_string();
                let is_selected = id == selected;
                let label = if choice.past {
                    format!("{} (geweest)", choice.election.name)
                } else {
                    choice.election.name
                };
                view! { <option value=id selected=is_selected>{label}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="e">"Verkiezing"</label>
                <select id="e" name="e">{options}</select>
            </div>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name="e" value=selected/> }.into_any()
    };

    view! {
        <Form method="GET" action="/">
            {picker}
            <div class="field">
                <label for="q">"Postcode of plaats"</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    inputmode="search"
                    autocomplete="off"
                    placeholder="bijv. 3421 CT of Oudewater"
                    value=page.query_text
                />
            </div>
            <NeedsPicker needs=page.needs/>
            <label class="check">
                <input type="checkbox" name="open" value=OPEN_NOW checked=page.open_now/>
                "Alleen nu open"
            </label>
            <button type="submit">"Zoeken"</button>
        </Form>
    }
}

/// The accessibility features, grouped the way voters think of them.
const GROUPS: [(&str, &[Feature]); 4] = [
    ("Bewegen", &[Feature::Wheelchair, Feature::TransitStop, Feature::AccessibleToilet]),
    (
        "Zien",
        &[
            Feature::GuideLinesOutside,
            Feature::GuideLinesInside,
            Feature::AudioAid,
            Feature::BrailleList,
            Feature::LargePrintList,
        ],
    ),
    (
        "Horen",
        &[
            Feature::SignLanguageOnSite,
            Feature::SignLanguageRemote,
            Feature::SigningStaff,
            Feature::Acoustics,
        ],
    ),
    ("Overig", &[Feature::Host, Feature::LowStimulus, Feature::BuddyPair]),
];

/// Checkboxes named `needs`: plain form fields, so they work without
/// JavaScript. Folded away unless something is chosen, to keep the form
/// short on a phone.
#[component]
fn NeedsPicker(needs: Needs) -> impl IntoView {
    let chosen = needs.features().len();
    let summary = match chosen {
        0 => "Toegankelijkheid".to_owned(),
        n => format!("Toegankelijkheid ({n} gekozen)"),
    };
    let groups = GROUPS
        .iter()
        .map(|(title, features)| {
            let boxes = features
                .iter()
                .map(|feature| {
                    view! {
                        <label class="check">
                            <input type="checkbox" name="needs" value=feature.slug() checked=needs.contains(*feature)/>
                            {format::feature(*feature)}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset>
                    <legend>{*title}</legend>
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
