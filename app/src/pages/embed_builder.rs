use crate::embed::{Embed, EmbedTarget, Theme};
use crate::i18n::{use_texts, Language, Texts};
use crate::model::{ElectionId, MunicipalityCode};
use crate::pages::data::PublishedData;
use crate::pages::Unavailable;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use serde::{Deserialize, Serialize};

/// What the builder offers, and where this site is, for the snippet's
/// absolute links.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuilderData {
    pub origin: String,
    pub elections: Vec<PublishedData>,
}

#[server]
pub async fn get_builder_data() -> Result<BuilderData, ServerFnError> {
    let origin = use_context::<http::request::Parts>()
        .map(|parts| crate::directory::site_origin(&parts.headers))
        .unwrap_or_default();
    Ok(BuilderData { origin, elections: crate::pages::data::get_published_data().await? })
}

/// `/insluiten`: for news sites and municipalities, choose what an embed
/// shows, see it, and copy the snippet. The form's fields carry the
/// embed's own parameter names, so the URL of this page is the choice,
/// and it works without JavaScript.
#[component]
pub fn EmbedBuilderPage() -> impl IntoView {
    let data = Resource::new(|| (), |()| get_builder_data());
    let query = use_query_map();
    let texts = use_texts();
    view! {
        <Title text=texts.page_title(texts.builder.title)/>
        <h1>{texts.builder.title}</h1>
        <p>{texts.builder.intro}</p>
        <Suspense fallback=move || view! { <p>{texts.loading}</p> }>
            {move || {
                let query = query.get();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) if data.elections.is_empty() => view! { <p>{texts.no_elections}</p> }.into_any(),
                        Ok(data) => builder(texts, data, &query).into_any(),
                        Err(_) => view! { <Unavailable/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The form with the current choice, the preview and the snippet.
fn builder(texts: &'static Texts, data: BuilderData, query: &ParamsMap) -> impl IntoView {
    let words = &texts.builder;
    let embed = Embed::from_query(|name| query.get(name));
    let chosen_election = query.get("e").and_then(|id| ElectionId::parse(&id).ok());
    let Some(election) = chosen_election
        .and_then(|id| data.elections.iter().find(|e| e.election.id == id))
        .or(data.elections.first())
        .cloned()
    else {
        return view! { <p>{texts.no_elections}</p> }.into_any();
    };
    let municipality = query
        .get("g")
        .and_then(|code| MunicipalityCode::parse(&code).ok())
        .filter(|code| election.municipalities.iter().any(|(m, _)| &m.code == code));
    let target =
        EmbedTarget { election: Some(election.election.id.clone()), municipality: municipality.clone() };
    let preview = target.path(&embed);
    let snippet = target.snippet(&data.origin, &embed, words.frame_title);

    let election_options = data
        .elections
        .iter()
        .map(|PublishedData { election: e, .. }| {
            let selected = e.id == election.election.id;
            view! { <option value=e.id.to_string() selected=selected>{e.name.clone()}</option> }
        })
        .collect_view();
    let municipality_options = election
        .municipalities
        .iter()
        .map(|(m, _)| {
            let selected = municipality.as_ref() == Some(&m.code);
            view! { <option value=m.code.to_string() selected=selected>{m.name.clone()}</option> }
        })
        .collect_view();
    let language_options = [None, Some(Language::Nl), Some(Language::En)]
        .into_iter()
        .map(|language| {
            let label = language.map_or(words.readers_language, |l| l.texts().name);
            let value = language.map_or("", Language::code);
            view! { <option value=value selected=embed.language == language>{label}</option> }
        })
        .collect_view();
    let accent = embed.accent.as_ref().map(|accent| accent.css().trim_start_matches('#').to_owned());
    view! {
        <form method="GET" action="/insluiten" class="builder">
            <div class="field">
                <label for="builder-e">{words.election}</label>
                <select id="builder-e" name="e">{election_options}</select>
            </div>
            <div class="field">
                <label for="builder-g">{words.municipality}</label>
                <select id="builder-g" name="g">
                    <option value="" selected=municipality.is_none()>{words.whole_country}</option>
                    {municipality_options}
                </select>
            </div>
            <div class="field">
                <label for="builder-lang">{words.language}</label>
                <select id="builder-lang" name="lang">{language_options}</select>
            </div>
            {shown_or_hidden("search", words.search_form, embed.search, words)}
            {shown_or_hidden("map", words.map, embed.map, words)}
            <div class="field">
                <label for="builder-theme">{words.theme}</label>
                <select id="builder-theme" name="theme">
                    <option value="light" selected=embed.theme == Theme::Light>{words.light}</option>
                    <option value="dark" selected=embed.theme == Theme::Dark>{words.dark}</option>
                </select>
            </div>
            <div class="field">
                <label for="builder-accent">{words.accent}</label>
                <input id="builder-accent" name="accent" type="text" value=accent autocomplete="off" spellcheck="false"/>
            </div>
            <button type="submit">{words.update}</button>
        </form>
        <h2>{words.snippet}</h2>
        <p class="hint">{words.snippet_hint}</p>
        <pre class="snippet"><code>{snippet.clone()}</code></pre>
        <CopyButton text=snippet/>
        <h2>{words.preview}</h2>
        <iframe class="preview" src=preview title=words.frame_title allow="geolocation"></iframe>
    }
    .into_any()
}

/// A show/hide choice for one part of the embed.
fn shown_or_hidden(
    name: &'static str,
    label: &'static str,
    shown: bool,
    words: &'static crate::i18n::BuilderTexts,
) -> impl IntoView {
    let id = format!("builder-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="1" selected=shown>{words.shown}</option>
                <option value="0" selected=!shown>{words.hidden}</option>
            </select>
        </div>
    }
}

/// Copies the snippet. Needs JavaScript, so it shows only once the page is
/// hydrated; without it, the snippet is selected and copied by hand.
#[component]
fn CopyButton(text: String) -> impl IntoView {
    let words = &use_texts().builder;
    let hydrated = RwSignal::new(false);
    let status = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| hydrated.set(true));
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(window) = web_sys::window() else { return };
            let promise = window.navigator().clipboard().write_text(&text);
            leptos::task::spawn_local(async move {
                let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                status.set(Some(if copied { words.copied } else { words.copy_failed }));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <div class="copy" hidden=move || !hydrated.get()>
            <button type="button" on:click=copy>{words.copy}</button>
            <p class="status" role="status">{move || status.get()}</p>
        </div>
    }
}
