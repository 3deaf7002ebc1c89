use super::format;
use super::station::StationFacts;
use crate::model::{MunicipalityRule, NearestStation};
use crate::search::SearchOutcome;
use leptos::prelude::*;

#[component]
pub fn SearchResults(
    outcome: SearchOutcome,
    /// The election searched, for links to station pages.
    election: String,
    /// The local time the answer was made for.
    now: chrono::NaiveDateTime,
    /// Whether the voter required accessibility features.
    filtered: bool,
    /// Whether only stations open now were asked for.
    open_now: bool,
) -> impl IntoView {
    match outcome {
        SearchOutcome::NotAsked => ().into_any(),
        SearchOutcome::NoElections => view! {
            <p class="notice">"Er zijn nog geen stembureaus ingeladen."</p>
        }
        .into_any(),
        SearchOutcome::UnknownElection(id) => view! {
            <p class="notice" role="alert">
                {format!("Er is geen verkiezing met de naam “{id}”. Kies een verkiezing uit de lijst.")}
            </p>
        }
        .into_any(),
        SearchOutcome::PlaceNotFound(text) => view! {
            <p class="notice" role="alert">
                {format!("We vinden “{text}” niet. Probeer een postcode (1234 AB) of een plaatsnaam.")}
            </p>
        }
        .into_any(),
        SearchOutcome::InvalidQuery(message) => view! {
            <p class="notice" role="alert">{format!("Deze zoekopdracht klopt niet: {message}")}</p>
        }
        .into_any(),
        SearchOutcome::Found { origin_label, home, rule, stations, .. } => {
            let home_note = home.map(|home| {
                view! { <p class="home">{format::home_note(&home.name, rule)}</p> }
            });
            let empty = stations.is_empty().then(|| {
                let message = if open_now {
                    "Er is nu geen stembureau open dat aan de voorwaarden voldoet. Zet “Alleen nu open” uit om te zien wanneer ze opengaan."
                } else if filtered {
                    "Geen stembureau gevonden dat aan alle gekozen voorwaarden voldoet. Kies minder voorwaarden."
                } else {
                    "Voor deze verkiezing zijn geen stembureaus bekend."
                };
                view! { <p class="notice">{message}</p> }
            });
            view! {
                <section class="results" aria-labelledby="results-heading">
                    <h2 id="results-heading">{format!("Stembureaus bij {origin_label}")}</h2>
                    {home_note}
                    {empty}
                    <ol class="stations">
                        {stations
                            .into_iter()
                            .map(|nearest| view! { <StationItem nearest rule election=election.clone() now/> })
                            .collect_view()}
                    </ol>
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
    now: chrono::NaiveDateTime,
) -> impl IntoView {
    let station = nearest.station;
    let href = format!("/s/{election}/{}", station.id);
    let elsewhere = nearest
        .outside_home
        .then(|| format::elsewhere_note(&station.municipality_name, rule))
        .flatten()
        .map(|note| view! { <p class="elsewhere">{note}</p> });
    view! {
        <li class="station" class:outside-home=nearest.outside_home>
            <h3><a href=href>{station.name.clone()}</a></h3>
            {elsewhere}
            <p class="distance">{format!("{} hemelsbreed", format::distance(nearest.distance_m))}</p>
            <StationFacts station now/>
        </li>
    }
}
