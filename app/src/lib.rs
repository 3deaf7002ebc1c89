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
mod shell;

pub use shell::shell;

use components::LanguageSwitch;
use i18n::{use_texts, Language};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

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
                    <Route path=StaticSegment("data") view=pages::DataPage ssr=SsrMode::Async/>
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
                <p>
                    {texts.footer_data} <a href="/over">{texts.footer_about}</a> " · "
                    <a href="/data">{texts.data_title}</a>
                </p>
            </footer>
        </Router>
    }
}
