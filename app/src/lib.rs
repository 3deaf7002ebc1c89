//! Kieskaart's user interface and the types it shares with the server.
//!
//! Everything here compiles twice: with `ssr` into the server, which renders
//! complete pages that work without JavaScript, and with `hydrate` into the
//! browser bundle, which takes those pages over without re-rendering them.
//! Code that touches server state sits behind `#[cfg(feature = "ssr")]`.

pub mod components;
#[cfg(feature = "ssr")]
pub mod directory;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod search;

use components::{LanguageSwitch, MapTiles, ATTRIBUTION_META, TILES_META};
use i18n::{use_texts, Language};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

/// The HTML document around the app, rendered on the server only. It
/// settles the page's language, which the browser then reads back from
/// `<html lang>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let language = server_language();
    provide_context(language);
    let tiles = use_context::<MapTiles>().map(|tiles| {
        view! {
            <meta name=TILES_META content=tiles.url/>
            <meta name=ATTRIBUTION_META content=tiles.attribution/>
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang=language.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content=language.texts().meta_description/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {tiles}
                // The location button needs JavaScript; without it, it
                // should not even keep its place.
                <noscript>
                    <style>".locate { display: none }"</style>
                </noscript>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language of the request being answered. A choice in the URL is
/// remembered in a cookie, and since the same page may now differ by
/// cookie and browser language, caches are told so.
#[cfg(feature = "ssr")]
fn server_language() -> Language {
    use http::header::{HeaderValue, SET_COOKIE, VARY};
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Language::default();
    };
    let language = Language::of_request(&parts);
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(VARY, HeaderValue::from_static("accept-language, cookie"));
        if parts.uri.query().and_then(Language::chosen_in).is_some() {
            // A year, so a voter who chose English once is not asked again
            // at the next election.
            let cookie = format!(
                "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                i18n::LANGUAGE_PARAM,
                language.code()
            );
            if let Ok(cookie) = HeaderValue::from_str(&cookie) {
                response.append_header(SET_COOKIE, cookie);
            }
        }
    }
    language
}

#[cfg(not(feature = "ssr"))]
fn server_language() -> Language {
    Language::default()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // On the server the shell has provided it; in the browser the page
    // says which language it was rendered in.
    let language = use_context::<Language>().unwrap_or_else(Language::of_document);
    provide_context(language);
    let texts = use_texts();
    view! {
        <Stylesheet id="leptos" href="/pkg/kieskaart.css"/>
        <Title text=texts.site_title/>
        <Router>
            <a class="skip" href="#main">{texts.skip_to_content}</a>
            <header class="site-header">
                <a class="brand" href="/">"Kieskaart"</a>
                <LanguageSwitch/>
            </header>
            <main id="main">
                <Routes fallback=pages::NotFound>
                    // Async: the whole page is rendered before it is sent,
                    // so results are in the HTML even without JavaScript.
                    <Route path=StaticSegment("") view=pages::HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("over") view=pages::AboutPage/>
                    <Route
                        path=(StaticSegment("g"), ParamSegment("code"))
                        view=pages::MunicipalityPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("s"), ParamSegment("election"), ParamSegment("station"))
                        view=pages::StationPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{texts.footer_data} <a href="/over">{texts.footer_about}</a></p>
            </footer>
        </Router>
    }
}
