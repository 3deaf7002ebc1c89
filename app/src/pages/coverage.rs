//! `/dekking` (`/coverage`): which municipalities have published for an
//! election, and how completely; rendered by the server only (see
//! [`super::SERVER_ONLY`]). The map is inline SVG drawn from the
//! boundaries, with a legend in words and patterns as well as colours,
//! and the table below it says the same for those who cannot see it.

use crate::directory::Directory;
use crate::i18n::{use_texts, CoverageTexts, Texts};
use crate::model::{
    AccessField, CountryMap, Coverage, Election, ElectionId, FieldTallies, MunicipalityCoverage, Publication,
    Tally,
};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::HashSet;
use std::sync::Arc;

/// The file name of the coverage CSV among an election's downloads.
pub const COVERAGE_CSV: &str = "dekking.csv";

/// Where an election's coverage CSV is downloaded.
pub fn coverage_csv_path(election: &ElectionId) -> String {
    format!("/data/{election}/{COVERAGE_CSV}")
}

/// Fills: a solid dark blue for published, grey hatching for not
/// published, so that the two differ in more than colour.
const PUBLISHED_FILL: &str = "#1d5a9e";
const HATCH: &str = "url(#not-published-hatch)";

pub fn page() -> impl IntoView {
    let texts = use_texts();
    let directory = expect_context::<Directory>();
    let mut elections = directory.elections();
    elections.sort_by(|a, b| b.polling_date.cmp(&a.polling_date).then_with(|| a.id.cmp(&b.id)));
    let asked = use_query_map().with_untracked(|query| query.get("e"));
    let selected = match asked.as_deref().map(ElectionId::parse) {
        Some(Ok(id)) => elections.iter().find(|e| e.id == id),
        Some(Err(_)) => None,
        None => {
            let today = crate::search::server::today(expect_context::<crate::clock::Clock>().now());
            Election::default_choice(&elections, today)
        }
    };
    let found = selected.and_then(|election| directory.coverage(&election.id));
    let body = match found {
        Some((coverage, map)) => coverage_view(texts, coverage, map).into_any(),
        None => match asked {
            Some(id) => {
                view! { <p class="notice" role="alert">{(texts.unknown_election)(&id)}</p> }.into_any()
            }
            None => view! { <p class="notice">{texts.no_elections}</p> }.into_any(),
        },
    };
    let chooser = chooser(texts, &elections, selected.map(|e| e.id.clone()));
    let texts = &texts.coverage;
    view! {
        <Title text=use_texts().page_title(texts.title)/>
        <h1>{texts.title}</h1>
        <p>{texts.intro}</p>
        {chooser}
        {body}
    }
}

/// A form that reloads the page for another election.
fn chooser(texts: &'static Texts, elections: &[Election], selected: Option<ElectionId>) -> impl IntoView {
    let options = elections
        .iter()
        .map(|election| {
            let chosen = selected.as_ref() == Some(&election.id);
            view! { <option value=election.id.to_string() selected=chosen>{election.name.clone()}</option> }
        })
        .collect_view();
    view! {
        <form class="coverage-election" method="get" action=texts.coverage.path>
            <label for="coverage-election">{texts.election_label}</label> " "
            <select id="coverage-election" name="e">{options}</select> " "
            <button type="submit">{texts.coverage.show}</button>
        </form>
    }
}

fn coverage_view(texts: &'static Texts, coverage: Arc<Coverage>, map: Arc<CountryMap>) -> impl IntoView {
    let c = &texts.coverage;
    let totals = &coverage.totals;
    let summary = (c.totals)(totals.published, totals.municipalities, totals.stations);
    let csv = coverage_csv_path(&coverage.election.id);
    let api = format!("/api/v1/elections/{}/coverage", coverage.election.id);
    view! {
        <p class="coverage-totals"><strong>{summary}</strong></p>
        <p>{c.downloads} " " <a href=csv download="">"CSV"</a> " · " <a href=api>"JSON (API)"</a></p>
        {national_table(c, &totals.fields)}
        {map_view(c, &coverage, &map)}
        {municipality_table(c, &coverage)}
    }
}

fn national_table(c: &'static CoverageTexts, fields: &FieldTallies) -> impl IntoView {
    let [item, yes, no, unknown] = c.national_columns;
    let rows = fields
        .iter()
        .map(|(field, tally)| {
            let [y, n, u] = tally.percentages();
            view! {
                <tr>
                    <th scope="row">{(c.field)(field)}</th>
                    <td>{format!("{y}%")}</td><td>{format!("{n}%")}</td><td>{format!("{u}%")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scrolls" role="region" aria-labelledby="coverage-national-caption" tabindex="0">
        <table class="coverage-national">
            <caption id="coverage-national-caption">{c.national_caption}</caption>
            <thead><tr>
                <th scope="col">{item}</th><th scope="col">{yes}</th>
                <th scope="col">{no}</th><th scope="col">{unknown}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
}

/// The country coloured by state: one group of paths per state, so that
/// each path costs its outline and nothing more.
fn map_view(c: &'static CoverageTexts, coverage: &Coverage, map: &CountryMap) -> impl IntoView {
    if map.shapes.is_empty() {
        return None;
    }
    let published: HashSet<_> =
        coverage.municipalities.iter().filter(|m| m.is_published()).map(|m| &m.municipality.code).collect();
    let (on, off): (Vec<_>, Vec<_>) = map.shapes.iter().partition(|(code, _)| published.contains(code));
    let paths = |shapes: Vec<&(_, String)>| {
        shapes.into_iter().map(|(_, d)| view! { <path d=d.clone()/> }).collect_view()
    };
    Some(view! {
        <figure class="coverage-map">
            <svg viewBox=map.view_box.clone() role="img" aria-labelledby="coverage-map-title coverage-map-desc">
                <title id="coverage-map-title">{c.map_title}</title>
                <desc id="coverage-map-desc">{c.map_description}</desc>
                <defs>
                    <pattern id="not-published-hatch" width="3" height="3" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="3" height="3" fill="#ffffff"/>
                        <line x1="0" y1="0" x2="0" y2="3" stroke="#767676" stroke-width="1.2"/>
                    </pattern>
                </defs>
                <g fill=PUBLISHED_FILL stroke="#ffffff" stroke-width="0.4">{paths(on)}</g>
                <g fill=HATCH stroke="#505050" stroke-width="0.4">{paths(off)}</g>
            </svg>
            <figcaption>
                <span class="legend-title">{c.legend} ": "</span>
                <ul class="coverage-legend">
                    <li>{swatch(PUBLISHED_FILL)} {c.published} " (" {c.published_look} ")"</li>
                    <li>{swatch(HATCH)} {c.not_published} " (" {c.not_published_look} ")"</li>
                </ul>
            </figcaption>
        </figure>
    })
}

/// A legend's sample of a fill, hidden from screen readers: the words
/// beside it say the same.
fn swatch(fill: &'static str) -> impl IntoView {
    view! {
        <svg class="swatch" viewBox="0 0 12 12" width="18" height="18" aria-hidden="true" focusable="false">
            <rect x="0.5" y="0.5" width="11" height="11" fill=fill stroke="#505050"/>
        </svg>
    }
}

fn municipality_table(c: &'static CoverageTexts, coverage: &Coverage) -> impl IntoView {
    let [municipality, state, stations, published_at] = c.table_columns;
    let fields = AccessField::ALL.map(|field| view! { <th scope="col">{(c.field)(field)}</th> });
    let election = coverage.election.id.to_string();
    let rows = coverage.municipalities.iter().map(|m| row(c, &election, m)).collect_view();
    view! {
        <div class="scrolls" role="region" aria-labelledby="coverage-table-caption" tabindex="0">
            <table class="coverage-table">
                <caption id="coverage-table-caption">{c.table_caption}</caption>
                <thead><tr>
                    <th scope="col">{municipality}</th><th scope="col">{state}</th>
                    <th scope="col">{stations}</th><th scope="col">{published_at}</th>
                    {fields}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn row(c: &'static CoverageTexts, election: &str, m: &MunicipalityCoverage) -> impl IntoView {
    let name = m.municipality.name.clone();
    match &m.publication {
        Publication::Published { stations, at, fields } => {
            let page = format!("/g/{}?e={election}", m.municipality.code);
            let cells = fields.iter().map(|(_, tally)| view! { <td>{shares(tally)}</td> }).collect_view();
            view! {
                <tr>
                    <th scope="row"><a href=page>{name}</a></th>
                    <td>{c.published}</td><td>{*stations}</td><td>{at.map(local_time)}</td>
                    {cells}
                </tr>
            }
            .into_any()
        }
        Publication::NotPublished { .. } => view! {
            <tr class="not-published">
                <th scope="row">{name}</th>
                <td>{c.not_published}</td><td>"0"</td><td></td>
                <td colspan=AccessField::ALL.len()></td>
            </tr>
        }
        .into_any(),
    }
}

/// "80 / 15 / 5": yes, no, unknown, in the order the caption gives.
fn shares(tally: &Tally) -> String {
    let [yes, no, unknown] = tally.percentages();
    format!("{yes} / {no} / {unknown}")
}

/// "2026-01-21 14:05", on the Netherlands' clock.
fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::model::TimeZoneName::default().tz()).format("%Y-%m-%d %H:%M").to_string()
}
