//! `/data`, rendered by the server only (see [`super::SERVER_ONLY`]).

use crate::directory::Directory;
use crate::i18n::{use_texts, Texts};
use crate::model::{download_path, Election, MunicipalityRef};
use leptos::prelude::*;
use leptos_meta::{Link, Title};

/// What one election publishes, for its downloads.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedData {
    pub election: Election,
    pub stations: usize,
    /// Each municipality that publishes, in code order, with how many stations.
    pub municipalities: Vec<(MunicipalityRef, usize)>,
}

/// Every election with published stations, the latest polling day first.
pub fn published_data(directory: &Directory) -> Vec<PublishedData> {
    let mut elections = directory.elections();
    elections.sort_by(|a, b| b.polling_date.cmp(&a.polling_date).then_with(|| a.id.cmp(&b.id)));
    elections
        .into_iter()
        .filter_map(|election| {
            let municipalities = directory.publishers(&election.id)?;
            let stations = municipalities.iter().map(|(_, count)| count).sum();
            Some(PublishedData { election, stations, municipalities })
        })
        .collect()
}

/// The formats of every download: file extension and the name a reader knows.
const FORMATS: [(&str, &str); 3] = [("csv", "CSV"), ("geojson", "GeoJSON"), ("json", "JSON (CKAN)")];

/// Bulk downloads for journalists, researchers and data portals, per
/// election and per municipality, with licence and source.
pub fn page() -> impl IntoView {
    let texts = use_texts();
    let elections = published_data(&expect_context::<Directory>());
    let feeds = elections.iter().map(|data| feed_links_in_head(texts, &data.election)).collect_view();
    let downloads = if elections.is_empty() {
        view! { <p>{texts.no_elections}</p> }.into_any()
    } else {
        elections.into_iter().map(|data| election_downloads(texts, data)).collect_view().into_any()
    };
    view! {
        <Title text=texts.page_title(texts.data_title)/>
        {feeds}
        <h1>{texts.data_title}</h1>
        {(texts.data_intro)()}
        {downloads}
    }
}

/// One election: its national files, then a table of its municipalities'.
fn election_downloads(texts: &'static Texts, data: PublishedData) -> impl IntoView {
    let PublishedData { election, stations, municipalities } = data;
    let heading_id = format!("data-{}", election.id);
    let labelled_by = heading_id.clone();
    let summary = (texts.data_summary)(stations, municipalities.len());
    let everything = download_links(&election, None, texts.data_everything);
    let rows = municipalities
        .into_iter()
        .map(|(municipality, count)| {
            let page = format!("/g/{}?e={}", municipality.code, election.id);
            let links = download_links(&election, Some(&municipality), &municipality.name);
            view! {
                <tr>
                    <th scope="row"><a href=page>{municipality.name}</a></th>
                    <td>{count}</td>
                    <td>{links}</td>
                </tr>
            }
        })
        .collect_view();
    let [municipality, count, files] = texts.data_columns;
    view! {
        <section class="dataset" aria-labelledby=labelled_by>
            <h2 id=heading_id>{election.name.clone()}</h2>
            <p>{summary}</p>
            <p>{texts.data_everything} ": " {everything}</p>
            <p>{texts.data_changes} ": " {feed_links(texts, &election)}</p>
            <p>
                <a href=super::coverage_csv_path(&election.id) download="">{texts.coverage.csv}</a> " · "
                <a href=format!("{}?e={}", texts.coverage.path, election.id)>{texts.coverage.link}</a>
            </p>
            <details>
                <summary>{texts.data_per_municipality}</summary>
                <div class="scrolls">
                <table class="downloads">
                    <thead>
                        <tr><th scope="col">{municipality}</th><th scope="col">{count}</th><th scope="col">{files}</th></tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                </div>
            </details>
        </section>
    }
}

/// "CSV · GeoJSON · JSON (CKAN)", each link named with what it holds for
/// screen readers, where a table full of "CSV" links says nothing.
fn download_links(election: &Election, municipality: Option<&MunicipalityRef>, of: &str) -> impl IntoView {
    FORMATS
        .into_iter()
        .enumerate()
        .map(|(position, (extension, name))| {
            let href = download_path(&election.id, municipality.map(|m| &m.code), extension);
            let label = format!("{name}, {of}");
            view! {
                {(position > 0).then_some(" · ")}
                <a href=href download="" aria-label=label>{name}</a>
            }
        })
        .collect_view()
}

/// The change feed's formats: file extension, media type, name, and the
/// short name a label says "feed" after.
const FEEDS: [(&str, &str, &str, &str); 2] = [
    ("atom", "application/atom+xml", "Atom", "Atom"),
    ("json", "application/feed+json", "JSON Feed", "JSON"),
];

fn feed_path(election: &Election, extension: &str) -> String {
    format!("/data/{}/changes.{extension}", election.id)
}

/// "Atom · JSON Feed": the election's change feed (see the server's
/// `changes` module), named for screen readers.
fn feed_links(texts: &'static Texts, election: &Election) -> impl IntoView {
    FEEDS
        .into_iter()
        .enumerate()
        .map(|(position, (extension, media_type, name, short))| {
            let label = (texts.data_changes_label)(short, &election.name);
            view! {
                {(position > 0).then_some(" · ")}
                <a href=feed_path(election, extension) type=media_type aria-label=label>{name}</a>
            }
        })
        .collect_view()
}

/// The feeds in the page's head, where feed readers look for them.
fn feed_links_in_head(texts: &'static Texts, election: &Election) -> impl IntoView {
    FEEDS
        .into_iter()
        .map(|(extension, media_type, _, short)| {
            let title = (texts.data_changes_label)(short, &election.name);
            view! { <Link rel="alternate" type_=media_type href=feed_path(election, extension) title=title/> }
        })
        .collect_view()
}
