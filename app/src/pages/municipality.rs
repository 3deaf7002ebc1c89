use crate::components::{MapPoint, StationMap, StationSummary};
use crate::embed::outward;
use crate::i18n::use_texts;
use crate::model::{Election, StationListing};
use crate::pages::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityStations {
    pub election: Election,
    pub name: String,
    /// In the order the municipality published them.
    pub stations: Vec<StationListing>,
}

/// Every station of one municipality in an election (`election` given, or
/// the one a voter most likely means); `None` when the municipality
/// publishes none there.
pub async fn get_municipality(code: String, election: Option<String>) -> Option<MunicipalityStations> {
    use crate::model::{ElectionId, MunicipalityCode};
    let directory = expect_context::<crate::directory::Directory>();
    let code = MunicipalityCode::parse(&code).ok()?;
    let election = match election {
        Some(id) => ElectionId::parse(&id).ok(),
        None => {
            let elections = directory.elections();
            let today = crate::search::server::today(expect_context::<crate::clock::Clock>().now());
            Election::default_choice(&elections, today).map(|election| election.id.clone())
        }
    };
    let (election, stations) = directory.municipality(&election?, &code)?;
    let name = stations.first()?.municipality_name.clone();
    let stations = stations.into_iter().map(StationListing::from).collect();
    Some(MunicipalityStations { election, name, stations })
}

/// `/g/{code}`: all stations of a municipality, for a municipality's own
/// website to link to and for voters who would rather scan a list.
#[component]
pub fn MunicipalityPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.read().get("code").unwrap_or_default(), query.read().get("e"));
    let found = Resource::new(key, |(code, election)| get_municipality(code, election));
    let texts = use_texts();
    view! {
        <Suspense fallback=move || view! { <p>{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Some(MunicipalityStations { election, name, stations }) => {
                        let heading = (texts.stations_in)(&name);
                        let (target, rel) = outward();
                        let title = texts.page_title(&heading);
                        let count = (texts.station_count)(stations.len());
                        let id = election.id.to_string();
                        let points = stations.iter().map(|station| MapPoint::new(&station.name, station.page(&id), station.location)).collect();
                        let items = stations
                            .into_iter()
                            .map(|station| view! { <StationSummary station election=id.clone()/> })
                            .collect_view();
                        view! {
                            <Title text=title/>
                            <h1>{heading}</h1>
                            <p class="election">{election.name} ": " {count}</p>
                            <div class="list-and-map">
                                <ul class="municipality-stations">{items}</ul>
                                <StationMap points/>
                            </div>
                            <p><a href=format!("/?e={id}") target=target rel=rel>{texts.search_nearest}</a></p>
                        }
                        .into_any()
                    }
                    None => view! { <NotFound/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
