use super::format;
use crate::model::NearestStation;
use crate::search::SearchOutcome;
use leptos::prelude::*;

#[component]
pub fn SearchResults(outcome: SearchOutcome) -> impl IntoView {
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
        SearchOutcome::InvalidPosition(message) => view! {
            <p class="notice" role="alert">{format!("Deze locatie klopt niet: {message}")}</p>
        }
        .into_any(),
        SearchOutcome::Found { origin_label, stations, .. } => {
            let empty = stations.is_empty().then(|| {
                view! { <p class="notice">"Voor deze verkiezing zijn geen stembureaus bekend."</p> }
            });
            view! {
                <section class="results" aria-labelledby="results-heading">
                    <h2 id="results-heading">{format!("Stembureaus bij {origin_label}")}</h2>
                    {empty}
                    <ol class="stations">
                        {stations.into_iter().map(|nearest| view! { <StationItem nearest/> }).collect_view()}
                    </ol>
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn StationItem(nearest: NearestStation) -> impl IntoView {
    let station = nearest.station;
    let access = if station.wheelchair_accessible {
        "Toegankelijk voor rolstoelgebruikers"
    } else {
        "Niet toegankelijk voor rolstoelgebruikers"
    };
    let extra = (!station.address.extra.is_empty()).then(|| {
        let extra = station.address.extra.clone();
        view! { <p class="extra">{extra}</p> }
    });
    view! {
        <li class="station">
            <h3>{station.name.clone()}</h3>
            <p class="address">{station.address.one_line()}</p>
            {extra}
            <p class="distance">{format!("{} hemelsbreed", format::distance(nearest.distance_m))}</p>
            <p class="hours">
                {format::day(station.opens)} ", "
                <time datetime=station.opens.to_string()>{format::clock(station.opens)}</time>
                "–"
                <time datetime=station.closes.to_string()>{format::clock(station.closes)}</time>
            </p>
            <p class="access" class:no=!station.wheelchair_accessible>{access}</p>
            <p class="municipality">{format!("Gemeente {}", station.municipality_name)}</p>
        </li>
    }
}
