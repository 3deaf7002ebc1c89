//! The portal's HTML: one document frame and the parts of each page. Text
//! comes in both languages side by side ([`tr`]), so a missing translation
//! cannot compile.

use super::session::Officer;
use crate::ingest::{Finding, Lang, Report, Severity};
use app::components::MapTiles;
use app::i18n::Language;
use axum::response::Html;
use leptos::prelude::*;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use std::collections::HashMap;

/// The Dutch or the English, as the page's language asks.
pub fn tr(language: Language, nl: &'static str, en: &'static str) -> &'static str {
    match language {
        Language::Nl => nl,
        Language::En => en,
    }
}

/// A whole page: header (with who is signed in and the sign-out buttons),
/// the heading and `body`.
pub fn document(language: Language, title: String, officer: Option<&Officer>, body: AnyView) -> Html<String> {
    let signed_in = officer.map(|officer| {
        let csrf = officer.csrf.clone();
        view! {
            <form class="sign-out" method="post" action="/portaal/uitloggen">
                <span>{officer.user.email.clone()}</span>
                <input type="hidden" name="csrf" value=csrf/>
                <button type="submit">{tr(language, "Uitloggen", "Sign out")}</button>
                <button type="submit" name="everywhere" value="1">
                    {tr(language, "Overal uitloggen", "Sign out everywhere")}
                </button>
            </form>
        }
    });
    let page_title = format!("{title} · Kieskaart");
    let html = view! {
        <html lang=language.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="robots" content="noindex"/>
                <title>{page_title}</title>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href="/pkg/kieskaart.css"/>
            </head>
            <body class="portal">
                <header class="site-header">
                    <a class="brand" href="/portaal">{tr(language, "Kieskaart gemeenteportaal", "Kieskaart municipality portal")}</a>
                    {signed_in}
                </header>
                <main id="main">
                    <h1>{title}</h1>
                    {body}
                </main>
            </body>
        </html>
    }
    .to_html();
    Html(format!("<!DOCTYPE html>{html}"))
}

/// A page for a refused request, in both languages.
pub fn problem(nl: &'static str, en: &'static str) -> Html<String> {
    let body = view! {
        <p>{nl}</p>
        <p lang="en">{en}</p>
        <p><a href="/portaal">"Naar het overzicht · To the overview"</a></p>
    };
    document(Language::Nl, "Niet gelukt · Not done".into(), None, body.into_any())
}

/// A table with a header row, its columns named in both languages.
pub fn table(
    language: Language,
    columns: &[(&'static str, &'static str)],
    rows: impl IntoView,
) -> impl IntoView {
    let headers =
        columns.iter().map(|(nl, en)| view! { <th scope="col">{tr(language, nl, en)}</th> }).collect_view();
    view! {
        <table class="downloads">
            <thead><tr>{headers}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A hidden form field with the form's CSRF token.
pub fn csrf_field(token: &str) -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=token.to_owned()/> }
}

/// A message above a form: what went wrong, read out when it appears.
pub fn alert(text: String) -> impl IntoView {
    view! { <p class="alert" role="alert">{text}</p> }
}

/// The language of reports for a page language.
pub fn report_language(language: Language) -> Lang {
    match language {
        Language::Nl => Lang::Nl,
        Language::En => Lang::En,
    }
}

/// A validation report: the counts, then the findings grouped by the
/// station (template column, CSV line or record) they are about, errors
/// before warnings within each, each with its field, value, problem and fix.
/// When the report left findings out, it says how many first.
pub fn report(language: Language, file: &str, report: &Report) -> AnyView {
    let lang = report_language(language);
    let groups = by_place(report, lang)
        .into_iter()
        .map(|(place, mut findings)| {
            findings.sort_by_key(|finding| finding.severity());
            let items = findings
                .into_iter()
                .map(|finding| {
                    let (problem, fix) = finding.problem.explain(lang);
                    let (class, word) = match finding.severity() {
                        Severity::Error => ("error", tr(language, "Fout", "Error")),
                        Severity::Warning => ("warning", tr(language, "Waarschuwing", "Warning")),
                    };
                    view! {
                        <li class=class>
                            <strong>{word}</strong>
                            {format!(" · {} = “{}”: {problem}. {}{fix}", finding.field, finding.value, tr(language, "Oplossing: ", "Fix: "))}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="finding-group">
                    <h3>{place}</h3>
                    <ul>{items}</ul>
                </section>
            }
        })
        .collect_view();
    let heading = match language {
        Language::Nl => format!("Bevindingen in {file}"),
        Language::En => format!("Findings in {file}"),
    };
    // The same report as plain text to keep or forward, made in the page:
    // the file it is about is not stored, so there is nothing to fetch later.
    let text = report.to_table(lang);
    let href = format!("data:text/plain;charset=utf-8,{}", utf8_percent_encode(&text, NON_ALPHANUMERIC));
    let name = format!("{}-{file}.txt", tr(language, "rapport", "report"));
    let left_out = report.left_out_note(lang).map(alert);
    view! {
        <div class="report">
            <h2>{heading}</h2>
            {left_out}
            <p><a href=href download=name>{tr(language, "Dit rapport downloaden (tekst)", "Download this report (text)")}</a></p>
            {groups}
        </div>
    }
    .into_any()
}

/// The findings grouped by the place they are about, places in the order
/// first found (one pass, however many places there are).
fn by_place(report: &Report, lang: Lang) -> Vec<(String, Vec<&Finding>)> {
    let mut places: Vec<(String, Vec<&Finding>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for finding in &report.findings {
        let place = finding.place.describe(lang);
        match index.get(&place) {
            Some(&at) => places[at].1.push(finding),
            None => {
                index.insert(place.clone(), places.len());
                places.push((place, vec![finding]));
            }
        }
    }
    places
}

/// A map of `points` (latitude, longitude, name) for `portal-map.js`;
/// with `drag`, its one marker moves the station. Hidden until drawn, so
/// without JavaScript nothing empty shows. Pages with a map send
/// [`super::map_policy`].
pub fn map(points: &[(f64, f64, String)], tiles: Option<&MapTiles>, drag: bool) -> impl IntoView {
    let points = serde_json::to_string(points).unwrap_or_else(|_| "[]".into());
    view! {
        <link rel="stylesheet" href="/vendor/leaflet/leaflet.css"/>
        <div id="portal-map" class="map" hidden data-points=points
            data-tiles=tiles.map(|tiles| tiles.url.clone())
            data-attribution=tiles.map(|tiles| tiles.attribution.clone())
            data-drag=drag.then_some("")></div>
        <script src="/vendor/leaflet/leaflet.js" defer></script>
        <script src="/portal-map.js" defer></script>
    }
}
