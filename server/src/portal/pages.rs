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

/// The strategies of any text the property tests share.
#[cfg(test)]
#[path = "../../tests/common/any_text.rs"]
mod any_text;

#[cfg(test)]
mod tests {
    use super::any_text::{any_text, postcode, some_text};
    use super::*;
    use crate::ingest::record::tests::record;
    use crate::ingest::{validate, Context, IngestError, Region};
    use app::model::{Election, ElectionId};
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    /// Text as a page carries it in its HTML.
    fn in_html(text: &str) -> String {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    }

    /// The report as voters' municipalities get it: as text in both
    /// languages, as JSON, and on the portal's page in both languages.
    fn every_rendering(file: &str, report: &Report) -> Vec<String> {
        let mut renderings: Vec<String> = [Lang::Nl, Lang::En].map(|lang| report.to_table(lang)).into();
        renderings.push(report.to_json().to_string());
        renderings.extend(
            [Language::Nl, Language::En].map(|language| super::report(language, file, report).to_html()),
        );
        renderings
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Records with any text in their free-text fields are checked,
        /// cross-checked and reported without a panic, and a wrong value
        /// of any text is named in every form of the report.
        #[test]
        fn records_of_any_text_are_checked_and_reported(
            name in some_text(24),
            street in any_text(24),
            number in any_text(6),
            postcode in postcode(),
            place in any_text(16),
            directions in any_text(40),
            notes in any_text(40),
            wrong in any_text(80),
            file in some_text(20),
        ) {
            let election = Election::new(
                ElectionId::parse("gr2026").expect("a valid id"),
                "Gemeenteraadsverkiezingen 2026",
                NaiveDate::from_ymd_opt(2026, 3, 18).expect("a valid date"),
            );
            // The world's rules, under which a postcode of any text is a
            // warning: the station goes through and every form of the report shows it.
            let context = Context { election: Some(&election), region: Region::World, ..Context::default() };
            // Two stations at one point, so that their addresses are compared.
            let records = vec![
                record(json!({
                    "Naam stembureau": name, "Straatnaam": street, "Huisnummer": number, "Postcode": postcode,
                    "Plaats": place, "Extra adresaanduiding": directions, "Extra toegankelijkheidsinformatie": notes,
                })),
                record(json!({"Nummer stembureau": 2, "Straatnaam": place, "Postcode": postcode})),
            ];
            let accepted = validate(&file, records.clone(), context);
            let accepted = accepted.unwrap_or_else(|error| panic!("{error}"));
            prop_assert_eq!(accepted.stations.len(), 2);
            for rendering in every_rendering(&file, &accepted.report) {
                for finding in &accepted.report.findings {
                    prop_assert!(rendering.contains(&finding.field), "{}", rendering);
                }
            }

            // "¿" makes any text a wrong value of Geleidelijnen.
            let value = format!("¿{wrong}");
            let mut broken = records;
            broken[0].fields.insert("Geleidelijnen".into(), Value::from(value.as_str()));
            let Err(IngestError::Invalid { report }) = validate(&file, broken, context) else {
                panic!("a wrong value refuses the file");
            };
            let value = value.trim_end();
            let [nl, en, json, nl_page, en_page] = &every_rendering(&file, &report)[..] else {
                panic!("five renderings");
            };
            // The text report shortens long values to their first 60 characters.
            let start: String = value.chars().take(60).collect();
            prop_assert!(nl.contains(&start) && en.contains(&start), "{}", nl);
            prop_assert!(json.contains(&Value::from(value).to_string()), "{}", json);
            for page in [nl_page, en_page] {
                prop_assert!(page.contains(&in_html(value)) && page.contains(&in_html(&file)), "{}", page);
            }
        }
    }
}
