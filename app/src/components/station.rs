use crate::embed::outward;
use crate::i18n::{use_texts, Texts};
use crate::model::{Feature, OpeningStatus, Station, StationKind, StationListing};
use chrono::NaiveDateTime;
use leptos::prelude::*;
use std::sync::Arc;

/// Wheelchair access is required data, so its absence is stated too.
fn wheelchair(texts: &Texts, accessible: bool) -> &'static str {
    if accessible {
        (texts.feature)(Feature::Wheelchair)
    } else {
        texts.not_wheelchair
    }
}

/// What a voter needs to know about one station: where, when, how
/// accessible, and how to get there. Shared by the result list and the
/// station page, so both say the same things in the same words.
#[component]
pub fn StationFacts(
    /// A result's station is shared with the index; a station page's is
    /// its own.
    #[prop(into)]
    station: Arc<Station>,
    /// Whether it is open at the moment the page was made for, on its own
    /// clock ([`OpeningStatus::of`]).
    status: OpeningStatus,
) -> impl IntoView {
    let texts = use_texts();
    let status = match status {
        OpeningStatus::OpenUntil(closes) => Some(("open", (texts.open_until)(&texts.clock(closes)))),
        OpeningStatus::OpensLaterToday(opens) => Some(("later", (texts.opens_today_at)(&texts.clock(opens)))),
        OpeningStatus::ClosedForToday => Some(("closed", texts.closed_today.to_owned())),
        // The opening hours line already names the day.
        OpeningStatus::OtherDay => None,
    }
    .map(|(class, text)| view! { <p class=format!("opening {class}")>{text}</p> });
    let accessibility = &station.accessibility;
    let access = wheelchair(texts, accessibility.wheelchair);
    let features = Feature::offered_by(accessibility)
        .filter(|feature| *feature != Feature::Wheelchair)
        .map(|feature| view! { <li>{(texts.feature)(feature)}</li> })
        .collect_view();
    let notes = (!accessibility.notes.is_empty()).then(|| {
        let notes = accessibility.notes.clone();
        view! { <p class="notes">{notes}</p> }
    });
    let extra = (!station.address.extra.is_empty()).then(|| {
        let extra = station.address.extra.clone();
        view! { <p class="extra">{extra}</p> }
    });
    let special = (station.kind == StationKind::Special)
        .then(|| view! { <p class="special">{texts.bring.special_station}</p> });
    let (lat, lon) = (station.location.lat(), station.location.lon());
    view! {
        <p class="address">{station.address.one_line()}</p>
        {extra}
        <OpeningHours opens=station.opens closes=station.closes/>
        {status}
        {special}
        <p class="access" class:no=!station.accessibility.wheelchair>{access}</p>
        <ul class="features">{features}</ul>
        {notes}
        <p class="municipality">{(texts.municipality)(&station.municipality_name)}</p>
        <p class="route">
            <a
                href=format!("https://www.openstreetmap.org/directions?to={lat:.6}%2C{lon:.6}")
                target=outward().0
                rel="noopener"
            >
                {texts.route}
            </a>
            " · "
            <a href=format!("geo:{lat:.6},{lon:.6}")>{texts.open_in_map_app}</a>
        </p>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::model::{Election, ElectionId};

    fn render(now: &str) -> String {
        let national =
            Election::new(ElectionId::parse("tk2026").unwrap(), "TK", "2026-03-18".parse().unwrap());
        let station = crate::model::example_station();
        let status = OpeningStatus::of(&national, &station, now.parse().unwrap());
        Owner::new().with(|| view! { <StationFacts station status/> }.to_html())
    }

    #[test]
    fn says_whether_the_station_is_open_now() {
        // Oudewater keeps Amsterdam's clock: UTC+1 in March.
        assert!(render("2026-03-18T09:00:00Z").contains("Nu open, tot 21:00"));
        assert!(render("2026-03-18T05:45:00Z").contains("Opent vandaag om 07:30"));
        assert!(render("2026-03-18T20:30:00Z").contains("Vandaag gesloten"));
        assert!(!render("2026-03-17T09:00:00Z").contains("class=\"opening"));
    }
}

/// The day and the hours, with times a machine can read.
#[component]
fn OpeningHours(opens: NaiveDateTime, closes: NaiveDateTime) -> impl IntoView {
    let texts = use_texts();
    view! {
        <p class="hours">
            {texts.day(opens)} ", "
            <time datetime=opens.to_string()>{texts.clock(opens)}</time>
            "–"
            <time datetime=closes.to_string()>{texts.clock(closes)}</time>
        </p>
    }
}

/// One station in a list: enough to choose, with its page for the rest.
#[component]
pub fn StationSummary(
    station: StationListing,
    /// The election the station page is for.
    election: String,
) -> impl IntoView {
    let access = wheelchair(use_texts(), station.wheelchair);
    let href = station.page(&election);
    let (target, rel) = outward();
    view! {
        <li class="station">
            <h2><a href=href target=target rel=rel>{station.name}</a></h2>
            <p class="address">{station.address}</p>
            <OpeningHours opens=station.opens closes=station.closes/>
            <p class="access" class:no=!station.wheelchair>{access}</p>
        </li>
    }
}
