use super::format;
use crate::model::{Feature, NearestStation};
use crate::search::SearchOutcome;
use leptos::prelude::*;

#[component]
pub fn SearchResults(
    outcome: SearchOutcome,
    /// Whether the voter required accessibility features.
    filtered: bool,
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
        SearchOutcome::Found { origin_label, stations, .. } => {
            let empty = stations.is_empty().then(|| {
                let message = if filtered {
                    "Geen stembureau gevonden dat aan alle gekozen voorwaarden voldoet. Kies minder voorwaarden."
                } else {
                    "Voor deze verkiezing zijn geen stembureaus bekend."
                };
                view! { <p class="notice">{message}</p> }
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
    let accessibility = &station.accessibility;
    // Wheelchair access is required data, so its absence is stated too.
    let access = if accessibility.wheelchair {
        format::feature(Feature::Wheelchair)
    } else {
        "Niet toegankelijk voor rolstoelgebruikers"
    };
    let features = Feature::offered_by(accessibility)
        .filter(|feature| *feature != Feature::Wheelchair)
        .map(|feature| view! { <li>{format::feature(feature)}</li> })
        .collect_view();
    let notes = (!accessibility.notes.is_empty()).then(|| {
        let notes = accessibility.notes.clone();
        view! { <p class="notes">{notes}</p> }
    });
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
            <p class="access" class:no=!station.accessibility.wheelchair>{access}</p>
            <ul class="features">{features}</ul>
            {notes}
            <p class="municipality">{format!("Gemeente {}", station.municipality_name)}</p>
        </li>
    }
}
