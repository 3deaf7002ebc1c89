use crate::search::SearchPage;
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
            <button type="submit">"Zoeken"</button>
        </Form>
    }
}
