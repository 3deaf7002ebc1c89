//! Issue 23, part 3: what to bring and where to vote on results and
//! station pages, a station's accessibility in three states, and its
//! calendar file.

mod common;

use app::directory::PublicUrl;
use axum::http::StatusCode;
use common::{app_for, empty_store, national_election_app, spawn_app, spawn_app_with, TestApp};
use kieskaart::commands::{self, ImportOptions};
use kieskaart::startup::Settings;

/// The lines of a calendar file, unfolded (RFC 5545, 3.1).
fn calendar_lines(body: &str) -> Vec<String> {
    body.replace("\r\n ", "").split("\r\n").map(str::to_owned).collect()
}

#[tokio::test]
async fn results_carry_the_card_and_link_stations_with_the_searched_needs() {
    let app = spawn_app();
    let page = app.get("/?q=9999AD&needs=wheelchair&needs=host").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"href="/s/demo/gm9999-1?needs=wheelchair&amp;needs=host""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"<section aria-labelledby="bring-heading" class="bring"><h2 id="bring-heading">Wat neemt u mee?</h2>"#), "{}", page.body);
    assert!(page.body.contains("<details><summary>Stempas kwijt of niet ontvangen?</summary>"));
    // The demo's polling day is 20 March 2030.
    assert!(page.body.contains("op of na 20 maart 2025 is verlopen"), "{}", page.body);

    let page = app.get("/?q=9999AD&taal=en").await;
    assert!(page.body.contains(r#"href="/s/demo/gm9999-4""#), "no needs, no query");
    assert!(page.body.contains("What to bring") && page.body.contains("Voting by proxy (volmacht)"));
}

#[tokio::test]
async fn a_special_station_says_its_access_may_be_limited() {
    let page = spawn_app().get("/s/demo/gm9999-6").await;
    assert!(page.body.contains("Bijzonder stembureau (bijvoorbeeld in een zorgcentrum)"), "{}", page.body);
    let page = spawn_app().get("/s/demo/gm9999-5").await;
    assert!(!page.body.contains("Bijzonder stembureau"));
}

#[tokio::test]
async fn the_station_page_lists_every_attribute_in_three_states_searched_needs_first() {
    let app = spawn_app();
    // Kerkzaal De Toren: low-stimulus "nee", host left empty.
    let page = app.get("/s/demo/gm9999-4?needs=low-stimulus&needs=host").await;
    assert_eq!(page.status, StatusCode::OK);
    let at = |text: &str| page.body.find(text).unwrap_or_else(|| panic!("{text} in {}", page.body));
    assert!(
        at("<h3>Waar u op zocht</h3>")
            < at("Gastvrouw of gastheer bij de ingang: niet vermeld door de gemeente")
    );
    assert!(at("Gastvrouw of gastheer bij de ingang: niet vermeld") < at(">Prikkelarm: nee</li>"));
    assert!(at(">Prikkelarm: nee</li>") < at("<h3>Overige voorzieningen</h3>"));
    assert!(at("<h3>Overige voorzieningen</h3>") < at(">Kandidatenlijst in braille: "));
    assert!(page.body.contains("Wat neemt u mee?"), "the card is on the station page too");

    let page = app.get("/s/demo/gm9999-1?taal=en").await;
    assert!(page.body.contains(">Host at the entrance: yes</li>"), "{}", page.body);
    assert!(page.body.contains(">Low-stimulus: not stated by the municipality</li>"), "{}", page.body);
    assert!(!page.body.contains("<h3>"), "nothing searched, one list");

    // A link with a feature we do not know still shows the page.
    let page = app.get("/s/demo/gm9999-4?needs=jetpack").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(">Prikkelarm: nee</li>"));
}

#[tokio::test]
async fn the_station_page_offers_its_calendar_file() {
    let page = spawn_app().get("/s/demo/gm9999-5").await;
    let link =
        page.body.find(r#"<a href="/s/demo/gm9999-5/agenda.ics" download"#).expect("a link to the file");
    assert!(page.body[link..].contains(">Zet in agenda</a>"), "{}", page.body);
}

#[tokio::test]
async fn the_calendar_file_is_the_opening_period_in_utc_with_a_link_back() {
    let site = PublicUrl::parse("https://kieskaart.example").unwrap();
    let app = spawn_app_with(Settings { public_url: Some(site), ..Settings::default() });
    let file = app.get("/s/demo/gm9999-5/agenda.ics").await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type, "text/calendar; charset=utf-8");
    assert_eq!(
        file.headers.get("content-disposition").unwrap(),
        "attachment; filename=\"stembureau-gm9999-5.ics\""
    );
    let lines = calendar_lines(&file.body);
    // The Bibliotheek opens 08:00-20:00 in Amsterdam: UTC+1 in March.
    for expected in [
        "BEGIN:VEVENT",
        "UID:demo-gm9999-5@kieskaart.example",
        "DTSTART:20300320T070000Z",
        "DTEND:20300320T190000Z",
        "SUMMARY:Stemmen in Demo: Bibliotheek",
        "URL:https://kieskaart.example/s/demo/gm9999-5",
        "DTSTAMP:20300318T110000Z",
    ] {
        assert!(lines.iter().any(|line| line == expected), "{expected} in {lines:?}");
    }
    let location = lines.iter().find(|line| line.starts_with("LOCATION:")).unwrap();
    assert!(location.contains("\\, ") && location.contains("Demodorp"), "{location}");
    assert!(file.body.split("\r\n").all(|line| line.len() <= 75));

    let english = app.get_with("/s/demo/gm9999-5/agenda.ics", &[("accept-language", "en")]).await;
    assert!(calendar_lines(&english.body).contains(&"SUMMARY:Vote at Demo: Bibliotheek".to_owned()));
}

#[tokio::test]
async fn a_station_on_bonaire_is_written_on_its_own_clock() {
    let app = national_election_app();
    let file = app.get("/s/tk2030/gm9001-2/agenda.ics").await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    // 07:30 in Kralendijk (UTC-4); Oudewater's opens at 06:30Z.
    assert!(calendar_lines(&file.body).contains(&"DTSTART:20300320T113000Z".to_owned()), "{}", file.body);
}

#[tokio::test]
async fn unknown_stations_get_a_clear_404_page() {
    let app = spawn_app();
    for missing in
        ["/s/demo/gm9999-99/agenda.ics", "/s/tk1848/gm9999-5/agenda.ics", "/s/NOT%20AN%20ID/x/agenda.ics"]
    {
        let page = app.get(missing).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(page.content_type.starts_with("text/html"), "{missing}");
        assert!(page.body.contains("<h1>Dit stembureau bestaat niet (meer)</h1>"), "{}", page.body);
        assert!(page.body.contains(r#"<a href="/">Zoek een stembureau</a>"#));
    }
    let page = app.get_with("/s/demo/gm9999-99/agenda.ics", &[("accept-language", "en")]).await;
    assert!(page.body.contains("<html lang=\"en\"") && page.body.contains("No such polling station"));
}

/// A mobile station with two stops: one station number on two records.
fn two_stop_app() -> TestApp {
    let (mut store, folder) = empty_store();
    let record = |name: &str, opens: &str, closes: &str, lat: f64| {
        format!(
            r#"{{"CBS gemeentecode": "GM0589", "Gemeente": "Oudewater", "Nummer stembureau": 7,
            "Naam stembureau": "{name}", "Type stembureau": "mobiel", "Latitude": {lat}, "Longitude": 4.8684,
            "Openingstijd": "2030-03-20T{opens}:00", "Sluitingstijd": "2030-03-20T{closes}:00",
            "Toegankelijk voor mensen met een lichamelijke beperking": "ja"}}"#
        )
    };
    let file = folder.path().join("gr2030.json");
    let records = [
        record("Bus <b>markt</b>, voor; de \\\\kerk", "07:30", "12:00", 52.0217),
        record("Bus station", "13:00", "21:00", 52.0250),
    ];
    std::fs::write(&file, format!(r#"{{"result": {{"records": [{}]}}}}"#, records.join(","))).unwrap();
    let imported = commands::import(&mut store, &file, "gr2030", ImportOptions::default()).unwrap();
    assert_eq!(imported.report.errors(), 0, "{:?}", imported.report.findings);
    app_for(store, folder)
}

#[tokio::test]
async fn a_station_with_several_periods_gives_one_event_each_with_names_escaped() {
    let app = two_stop_app();
    for id in ["gm0589-7", "gm0589-7-2"] {
        let file = app.get(&format!("/s/gr2030/{id}/agenda.ics")).await;
        assert_eq!(file.status, StatusCode::OK, "{id}");
        let lines = calendar_lines(&file.body);
        assert_eq!(lines.iter().filter(|line| *line == "BEGIN:VEVENT").count(), 2, "{id}: {lines:?}");
        let starts: Vec<_> = lines.iter().filter(|line| line.starts_with("DTSTART:")).collect();
        assert_eq!(starts, ["DTSTART:20300320T063000Z", "DTSTART:20300320T120000Z"], "in order");
        assert!(
            lines.contains(&"SUMMARY:Stemmen in Bus <b>markt</b>\\, voor\\; de \\\\kerk".to_owned()),
            "{lines:?}"
        );
        assert!(lines.iter().any(|line| line.starts_with("UID:gr2030-gm0589-7-2@")));
    }
}
