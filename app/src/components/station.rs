use super::format;
use crate::model::{Feature, Station};
use leptos::prelude::*;

/// What a voter needs to know about one station: where, when, how
/// accessible, and how to get there. Shared by the result list and the
/// station page, so both say the same things in the same words.
#[component]
pub fn StationFacts(station: Station) -> impl IntoView {
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
    let (lat, lon) = (station.location.lat(), station.location.lon());
    view! {
        <p class="address">{station.address.one_line()}</p>
        {extra}
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
        <p class="route">
            <a
                href=format!("https://www.openstreetmap.org/directions?to={lat:.6}%2C{lon:.6}")
                rel="noopener"
            >
                "Route (OpenStreetMap)"
            </a>
            " · "
            <a href=format!("geo:{lat:.6},{lon:.6}")>"Open in kaart-app"</a>
        </p>
    }
}
