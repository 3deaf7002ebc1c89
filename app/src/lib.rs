//! Kieskaart's user interface and the types it shares with the server.
//!
//! Everything here compiles twice: with `ssr` into the server, which renders
//! complete pages that work without JavaScript, and with `hydrate` into the
//! browser bundle, which takes those pages over without re-rendering them.
//! Code that touches server state sits behind `#[cfg(feature = "ssr")]`.

pub mod components;
#[cfg(feature = "ssr")]
pub mod directory;
pub mod model;
pub mod pages;
pub mod search;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="Vind het dichtstbijzijnde stembureau dat bij u past."/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/kieskaart.css"/>
        <Title text="Kieskaart: waar kan ik stemmen?"/>
        <Router>
            <header class="site-header">
                <a class="brand" href="/">"Kieskaart"</a>
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
                <p>
                    "Gegevens: de stembureaus zoals gemeenten ze publiceren volgens de "
                    "Stembureaus Open Data Standaard (CC0). "
                    <a href="/over">"Over Kieskaart, de gegevens en uw privacy"</a>
                </p>
            </footer>
        </Router>
    }
}
