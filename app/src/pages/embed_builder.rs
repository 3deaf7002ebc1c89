//! `/insluiten`, rendered by the server only (see [`super::SERVER_ONLY`]).

use crate::directory::{Directory, PublicUrl};
use crate::embed::{Embed, EmbedTarget, Theme};
use crate::i18n::{use_texts, Language, Texts};
use crate::model::{ElectionId, MunicipalityCode};
use crate::pages::data::{published_data, PublishedData};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// What the builder offers, and where this site is, for the snippet's
/// absolute links.
struct BuilderData {
    origin: String,
    elections: Vec<PublishedData>,
}

/// For news sites and municipalities: choose what an embed shows, see it,
/// and copy the snippet. The form's fields carry the embed's own parameter
/// names, so this page's URL is the choice. The copy button is the work of
/// `/builder.js`; without it the snippet is selected by hand.
pub fn page() -> impl IntoView {
    let texts = use_texts();
    // The server provides it; the snippet is pasted into other sites, so
    // it names the operator's origin, never what a request claimed.
    let origin = use_context::<PublicUrl>().map(|url| url.origin().to_owned()).unwrap_or_default();
    let data = BuilderData { origin, elections: published_data(&expect_context::<Directory>()) };
    let query = use_query_map().get_untracked();
    let builder = if data.elections.is_empty() {
        view! { <p>{texts.no_elections}</p> }.into_any()
    } else {
        builder(texts, data, &query).into_any()
    };
    view! {
        <Title text=texts.page_title(texts.builder.title)/>
        <h1>{texts.builder.title}</h1>
        <p>{texts.builder.intro}</p>
        {builder}
        <script src="/builder.js" defer></script>
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
        <pre class="snippet"><code>{snippet}</code></pre>
        {copy_button(words)}
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

/// Copies the snippet; `/builder.js` shows it and makes it work.
fn copy_button(words: &'static crate::i18n::BuilderTexts) -> impl IntoView {
    view! {
        <div class="copy" hidden data-copied=words.copied data-failed=words.copy_failed>
            <button type="button">{words.copy}</button>
            <p class="status" role="status"></p>
        </div>
    }
}
