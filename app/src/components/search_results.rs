use super::bring::BringCard;
use super::map::{MapPoint, StationMap};
use super::report_link::ReportLink;
use super::station::StationFacts;
use crate::embed::outward;
use crate::i18n::use_texts;
use crate::model::{MunicipalityRule, NearestStation, Needs, NotPublished, OpeningStatus, SearchText};
use crate::search::SearchOutcome;
use leptos::prelude::*;

#[component]
pub fn SearchResults(
    outcome: SearchOutcome,
    /// The moment the answer was made for.
    now: chrono::DateTime<chrono::Utc>,
    /// The accessibility features the voter required; each result's link
    /// carries them to the station page.
    needs: Needs,
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
        SearchOutcome::Found { election, origin_label, origin, home, rule, stations, not_published } => {
            let id = election.id.to_string();
            let points = stations
                .iter()
                .map(|nearest| {
                    let station = &nearest.station;
                    MapPoint::new(&station.name, station.page(&id), station.location)
                })
                .collect();
            let home_unpublished = not_published.is_some();
            // A municipality without stations gets its own notice instead.
            let home_note = home.filter(|_| !home_unpublished).map(|home| {
                view! { <p class="home">{(texts.home_note)(&home.name, rule)}</p> }
            });
            let filtered = !needs.features().is_empty();
            let needs = needs.query();
            let not_published =
                not_published.map(|not_published| view! { <NotPublishedNotice not_published/> });
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
                    {not_published}
                    {empty}
                    <div class="list-and-map">
                        <ol class="stations">
                            {stations
                                .into_iter()
                                .map(|nearest| {
                                    let status = OpeningStatus::of(&election, &nearest.station, now);
                                    let needs = needs.clone();
                                    view! {
                                        <StationItem nearest rule home_unpublished election=id.clone() needs status/>
                                    }
                                })
                                .collect_view()}
                        </ol>
                        <StationMap points origin/>
                    </div>
                </section>
                <BringCard election/>
            }
            .into_any()
        }
    }
}

/// Says plainly that the voter's municipality has not published, and what
/// to do: its election page or contact details when any dataset gave them,
/// otherwise to look at the poll card.
#[component]
fn NotPublishedNotice(not_published: NotPublished) -> impl IntoView {
    let texts = &use_texts().coverage;
    let NotPublished { municipality, contact } = not_published;
    let (target, rel) = outward();
    let advice = if contact.is_empty() {
        view! { <p>{(texts.check_poll_card)(&municipality.name)}</p> }.into_any()
    } else {
        let website = contact.website.map(|href| {
            view! { <p><a href=href target=target rel=rel>{(texts.website)(&municipality.name)}</a></p> }
        });
        let details = contact.details.map(|details| view! { <p>{texts.contact} " " {details}</p> });
        view! { {website} {details} }.into_any()
    };
    view! {
        <div class="not-published" role="note">
            <p><strong>{(texts.home_not_published)(&municipality.name)}</strong></p>
            {advice}
            <p>{texts.nearest_elsewhere}</p>
        </div>
    }
}

#[component]
fn StationItem(
    nearest: NearestStation,
    rule: Option<MunicipalityRule>,
    /// Whether the voter's municipality has published nothing, so that
    /// every station is elsewhere.
    home_unpublished: bool,
    election: String,
    /// The search's needs as a query (`?needs=host`), or nothing.
    needs: String,
    status: OpeningStatus,
) -> impl IntoView {
    let texts = use_texts();
    let station = nearest.station;
    let href = format!("{}{needs}", station.page(&election));
    let (target, rel) = outward();
    let name = &station.municipality_name;
    let elsewhere = match (nearest.outside_home, rule) {
        (false, _) => None,
        (true, Some(rule)) => Some((texts.elsewhere_note)(name, rule)),
        (true, None) => home_unpublished.then(|| (texts.coverage.in_other_municipality)(name)),
    }
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
