use super::map::{MapPoint, StationMap};
use super::report_link::ReportLink;
use super::station::StationFacts;
use crate::embed::outward;
use crate::i18n::use_texts;
use crate::model::{MunicipalityRule, NearestStation, OpeningStatus, SearchText};
use crate::search::SearchOutcome;
use leptos::prelude::*;

#[component]
pub fn SearchResults(
    outcome: SearchOutcome,
    /// The moment the answer was made for.
    now: chrono::DateTime<chrono::Utc>,
    /// Whether the voter required accessibility features.
    filtered: bool,
    /// Whether only stations open now were asked for.
    open_now: bool,
) -> impl IntoView {
    let texts = use_texts();
    match outcome {
        SearchOutcome::NotAsked => ().into_any(),
        SearchOutcome::NoElections => view! {
            <p class="notice">{texts.no_elections}</p>
        }
        .into_any(),
        SearchOutcome::UnknownElection(id) => view! {
            <p class="notice" role="alert">
                {(texts.unknown_election)(&id)}
            </p>
        }
        .into_any(),
        SearchOutcome::PlaceNotFound(text) => view! {
            <p class="notice" role="alert">
                {(texts.place_not_found)(&text)}
            </p>
        }
        .into_any(),
        SearchOutcome::TooLong => view! {
            <p class="notice" role="alert">{(texts.query_too_long)(SearchText::MAX_CHARS)}</p>
        }
        .into_any(),
        SearchOutcome::InvalidQuery(message) => view! {
            <p class="notice" role="alert">{(texts.invalid_query)(&message)}</p>
        }
        .into_any(),
        SearchOutcome::Found { election, origin_label, origin, home, rule, stations } => {
            let id = election.id.to_string();
            let points = stations
                .iter()
                .map(|nearest| {
                    let station = &nearest.station;
                    MapPoint::new(&station.name, station.page(&id), station.location)
                })
                .collect();
            let home_note = home.map(|home| {
                view! { <p class="home">{(texts.home_note)(&home.name, rule)}</p> }
            });
            let empty = stations.is_empty().then(|| {
                let message = if open_now {
                    texts.none_open_now
                } else if filtered {
                    texts.none_matching
                } else {
                    texts.none_at_all
                };
                view! { <p class="notice">{message}</p> }
            });
            view! {
                <section class="results" aria-labelledby="results-heading">
                    <h2 id="results-heading">
                        {(texts.stations_near)(origin_label.as_deref().unwrap_or(texts.your_location))}
                    </h2>
                    {home_note}
                    {empty}
                    <div class="list-and-map">
                        <ol class="stations">
                            {stations
                                .into_iter()
                                .map(|nearest| {
                                    let status = OpeningStatus::of(&election, &nearest.station, now);
                                    view! { <StationItem nearest rule election=id.clone() status/> }
                                })
                                .collect_view()}
                        </ol>
                        <StationMap points origin/>
                    </div>
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn StationItem(
    nearest: NearestStation,
    rule: Option<MunicipalityRule>,
    election: String,
    status: OpeningStatus,
) -> impl IntoView {
    let texts = use_texts();
    let station = nearest.station;
    let href = station.page(&election);
    let (target, rel) = outward();
    let elsewhere = nearest
        .outside_home
        .then_some(rule)
        .flatten()
        .map(|rule| (texts.elsewhere_note)(&station.municipality_name, rule))
        .map(|note| view! { <p class="elsewhere">{note}</p> });
    let report = view! { <ReportLink page=href.clone()/> };
    view! {
        <li class="station" class:outside-home=nearest.outside_home>
            <h3><a href=href target=target rel=rel>{station.name.clone()}</a></h3>
            {elsewhere}
            <p class="distance">{(texts.as_the_crow_flies)(&texts.distance(nearest.distance_m))}</p>
            <StationFacts station status/>
            {report}
        </li>
    }
}
