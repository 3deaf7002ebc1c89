use crate::components::{AccessibilityList, BringCard, MapPoint, ReportLink, StationFacts, StationMap};
use crate::embed::outward;
use crate::i18n::use_texts;
use crate::model::{Election, Needs, OpeningStatus, Station};
use crate::pages::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StationDetails {
    pub election: Election,
    pub station: Station,
    /// When the answer was made, for the opening status.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// One station; `None` when the election or station does not exist.
pub async fn get_station(election: String, id: String) -> Option<StationDetails> {
    let directory = expect_context::<crate::directory::Directory>();
    let now = expect_context::<crate::clock::Clock>().now();
    let election = crate::model::ElectionId::parse(&election).ok()?;
    directory.station(&election, &id).map(|(election, station)| StationDetails { election, station, now })
}

/// `/s/{election}/{station}`: a page to share, with everything about one
/// station and how to get there.
#[component]
pub fn StationPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let params = params.read();
        (params.get("election").unwrap_or_default(), params.get("station").unwrap_or_default())
    };
    let details = Resource::new(key, |(election, id)| get_station(election, id));
    // The needs a result's link carries (`?needs=host`), shown first; a
    // link with a feature we do not know shows none first.
    let query = use_query_map();
    let needs =
        move || Needs::parse(query.read().get_all("needs").unwrap_or_default().iter().map(String::as_str));
    let texts = use_texts();
    view! {
        <Suspense fallback=move || view! { <p>{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Some(StationDetails { election, station, now }) => {
                        let title = texts.page_title(&station.name);
                        let status = OpeningStatus::of(&election, &station, now);
                        let all_here = format!("/g/{}?e={}", station.municipality_code, election.id);
                        let all_here_text = (texts.all_stations_in)(&station.municipality_name);
                        let (target, rel) = outward();
                        let report = view! { <ReportLink page=station.page(election.id.as_str())/> };
                        let points =
                            vec![MapPoint::new(&station.name, station.page(election.id.as_str()), station.location)];
                        let calendar = format!("{}/agenda.ics", station.page(election.id.as_str()));
                        let accessibility = station.accessibility.clone();
                        let needs = needs().unwrap_or_default();
                        let card_election = election.clone();
                        view! {
                            <Title text=title/>
                            <h1>{station.name.clone()}</h1>
                            <p class="election">{election.name}</p>
                            <StationFacts station status/>
                            <p class="calendar">
                                <a href=calendar download type="text/calendar">{texts.bring.add_to_calendar}</a>
                            </p>
                            <AccessibilityList accessibility needs/>
                            <StationMap points/>
                            {report}
                            <p><a href=all_here target=target rel=rel>{all_here_text}</a></p>
                            <p><a href=format!("/?e={}", election.id) target=target rel=rel>{texts.search_another}</a></p>
                            <BringCard election=card_election/>
                        }
                        .into_any()
                    }
                    None => view! { <NotFound/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
