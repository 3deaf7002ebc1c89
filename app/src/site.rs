//! The site: its routes, and what surrounds every page. Rendered on the
//! server only; in the browser just the islands come to life
//! (`start_in_browser`).

use crate::components::LanguageSwitch;
use crate::embed;
use crate::i18n::use_texts;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

/// Every page. The voter pages among them are listed in `is_voter_page`
/// too, for in-place navigation.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let texts = use_texts();
    view! {
        <Stylesheet id="leptos" href="/pkg/kieskaart.css"/>
        <Title text=texts.site_title/>
        <Router>
            <Chrome>
                <Routes fallback=pages::NotFound>
                    // Async: the whole page is rendered before it is sent,
                    // so results are in the HTML even without JavaScript.
                    <Route path=StaticSegment("") view=pages::HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("over") view=pages::AboutPage/>
                    <Route path=StaticSegment("data") view=pages::DataPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("insluiten") view=pages::EmbedBuilderPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("dekking") view=pages::CoveragePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("coverage") view=pages::CoveragePage ssr=SsrMode::Async/>
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
                    // The same pages, embedded (see `embed`).
                    <Route path=StaticSegment("embed") view=pages::HomePage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("embed"), StaticSegment("g"), ParamSegment("code"))
                        view=pages::HomePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("embed"),
                            StaticSegment("s"),
                            ParamSegment("election"),
                            ParamSegment("station"),
                        )
                        view=pages::StationPage
                        ssr=SsrMode::Async
                    />
                    // Issue 23, part 1: reporting a problem with a station,
                    // on the site and inside an embed.
                    <Route
                        path=(StaticSegment("s"), ParamSegment("election"), ParamSegment("station"), StaticSegment("melden"))
                        view=pages::ReportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("s"),
                            ParamSegment("election"),
                            ParamSegment("station"),
                            StaticSegment("melden"),
                            StaticSegment("verzonden"),
                        )
                        view=pages::ReportSentPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("embed"),
                            StaticSegment("s"),
                            ParamSegment("election"),
                            ParamSegment("station"),
                            StaticSegment("melden"),
                        )
                        view=pages::ReportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("embed"),
                            StaticSegment("s"),
                            ParamSegment("election"),
                            ParamSegment("station"),
                            StaticSegment("melden"),
                            StaticSegment("verzonden"),
                        )
                        view=pages::ReportSentPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Chrome>
        </Router>
    }
}

/// What surrounds every page: the site's header and footer, or, in an
/// embed (whose settings the shell has provided), only a credit line.
#[component]
fn Chrome(children: Children) -> impl IntoView {
    let texts = use_texts();
    if embed::use_embed().is_some() {
        return view! {
            // Named, so that a host page's own landmarks and the embed's
            // stay apart for screen-reader users.
            <main id="main" class="embedded" aria-label="Kieskaart">{children()}</main>
            <footer class="credit" aria-label="Kieskaart">
                <a href="/" target="_blank" rel="noopener">{texts.embed_credit}</a>
            </footer>
        }
        .into_any();
    }
    view! {
        <a class="skip" href="#main">{texts.skip_to_content}</a>
        <header class="site-header">
            <a class="brand" href="/">"Kieskaart"</a>
            <LanguageSwitch/>
        </header>
        <main id="main">{children()}</main>
        <footer class="site-footer">
            <p>
                {texts.footer_data} <a href="/over">{texts.footer_about}</a> " · "
                <a href="/data">{texts.data_title}</a> " · "
                <a href="/insluiten">{texts.builder.title}</a> " · "
                <a href=texts.coverage.path>{texts.coverage.link}</a>
            </p>
        </footer>
    }
    .into_any()
}
