use crate::components::{LocateButton, SearchForm, SearchResults};
use crate::embed::use_embed;
use crate::i18n::use_texts;
use crate::pages::MunicipalityPage;
use crate::search::{find_stations, SearchOutcome, SearchParams};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Search form and results. The URL is the whole state: the form submits to
/// it (a page load without JavaScript, shown in place with it), so every
/// result is a link that can be shared.
///
/// Also the embeds `/embed` and `/embed/g/{code}`: the latter searches one
/// municipality's stations and lists them all before a search. A host may
/// hide the form (`search=0`) and show only what its URL asks for.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let route = use_params_map();
    let params = Memo::new(move |_| {
        let query = query.read();
        SearchParams {
            e: query.get("e"),
            q: query.get("q"),
            lat: query.get("lat"),
            lon: query.get("lon"),
            needs: query.get_all("needs").unwrap_or_default(),
            open: query.get("open"),
            k: query.get("k"),
            municipality: route.read().get("code"),
        }
    });
    let page = Resource::new(move || params.get(), find_stations);
    let texts = use_texts();
    let with_form = use_embed().is_none_or(|embed| embed.search);
    let one_municipality = params.with_untracked(|params| params.municipality.is_some());

    view! {
        <h1>{texts.search_heading}</h1>
        <Transition fallback=move || view! { <p>{texts.loading}</p> }>
            {move || Suspend::new(async move {
                let page = page.await;
                let open_now = page.open_now;
                let form = with_form.then(|| view! {
                    <SearchForm page=page.clone()/>
                    <LocateButton params/>
                });
                let results = if one_municipality && page.outcome == SearchOutcome::NotAsked {
                    view! { <MunicipalityPage/> }.into_any()
                } else {
                    view! { <SearchResults outcome=page.outcome now=page.now needs=page.needs open_now/> }.into_any()
                };
                view! { {form} {results} }
            })}
        </Transition>
    }
}
