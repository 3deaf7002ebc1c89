//! `/s/{election}/{station}/agenda.ics`: "Zet in agenda" on a station
//! page (issue 23, part 3). One event for each opening period of the
//! station: a station number with several records (early voting days, a
//! mobile station's stops) gives the voter all of them, each at its own
//! address. Times are read on the station's own clock
//! ([`Election::time_zone_of`]) and written in UTC; the words are in the
//! page's language.

use crate::calendar::{calendar, Event};
use app::clock::Clock;
use app::directory::{Directory, PublicUrl};
use app::i18n::{Language, Texts};
use app::model::{instant_at, Election, ElectionId, Station};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

#[derive(Clone)]
pub struct CalendarState {
    pub directory: Directory,
    /// The origin of the link back to the station page.
    pub site: PublicUrl,
    pub clock: Clock,
}

pub fn routes() -> Router<CalendarState> {
    Router::new().route("/s/{election}/{station}/agenda.ics", get(agenda))
}

async fn agenda(
    State(state): State<CalendarState>,
    Path((election, id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let language = Language::of_request(&request.into_parts().0);
    let texts = language.texts();
    let found = ElectionId::parse(&election).ok().and_then(|election| {
        let (election, station) = state.directory.station(&election, &id)?;
        let (_, all) = state.directory.municipality(&election.id, &station.municipality_code)?;
        Some((election, station, all))
    });
    let Some((election, station, all)) = found else {
        return not_found(language);
    };
    let mut periods: Vec<Station> = all.into_iter().filter(|other| other.number == station.number).collect();
    periods.sort_by_key(|period| period.opens);
    let events: Vec<Event> =
        periods.iter().map(|period| event(&election, period, &state.site, texts)).collect();
    let file = calendar(&events, state.clock.now());
    let disposition = format!("attachment; filename=\"stembureau-{}.ics\"", file_name_part(&station.id));
    let mut response = file.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // The words follow the language, which a cookie or the browser may choose.
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

/// The event of one record of the station.
fn event(election: &Election, station: &Station, site: &PublicUrl, texts: &Texts) -> Event {
    let zone = election.time_zone_of(&station.municipality_code).tz();
    let page = format!("{}{}", site.origin(), station.page(election.id.as_str()));
    let host = site.origin().split_once("://").map_or(site.origin(), |(_, host)| host);
    let address = station.address.one_line();
    let description = [
        election.name.as_str(),
        station.address.extra.as_str(),
        texts.bring.calendar_description,
        page.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    Event {
        uid: format!("{}-{}@{host}", election.id, station.id),
        starts: instant_at(zone, station.opens),
        ends: instant_at(zone, station.closes),
        summary: (texts.bring.calendar_event)(&station.name),
        location: if address.is_empty() { station.name.clone() } else { address },
        description,
        url: page,
        geo: (station.location.lat(), station.location.lon()),
    }
}

/// A station id as it may stand in a file name: ids are made of lowercase
/// letters, digits and dashes, and anything else is left out.
fn file_name_part(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect()
}

/// A plain page in the voter's language, for a link to a station that
/// is not published (any more). It echoes nothing of the request.
fn not_found(language: Language) -> Response {
    let texts = language.texts();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – Kieskaart</title><link rel=\"stylesheet\" href=\"/pkg/kieskaart.css\"></head>\
         <body><main id=\"main\"><h1>{title}</h1><p>{hint}</p><p><a href=\"/\">{search}</a></p></main></body></html>",
        lang = language.code(),
        title = texts.bring.calendar_not_found,
        hint = texts.bring.calendar_not_found_hint,
        search = texts.find_a_station,
    );
    let mut response = (StatusCode::NOT_FOUND, page).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'"),
    );
    response
}
