//! Server-side rendering: the search page answers with complete HTML, so
//! that it works without JavaScript.

mod common;

use axum::http::StatusCode;
use common::{app_for, ckan_file, empty_store, national_election_app, spawn_app, Record};
use kieskaart::commands::{self, ImportOptions};

#[tokio::test]
async fn the_empty_search_page_is_a_get_form() {
    let app = spawn_app();
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("<html lang=\"nl\""), "{}", page.body);
    assert!(page.body.contains("method=\"GET\"") || page.body.contains("method=\"get\""));
    assert!(page.body.contains("<label for=\"q\""));
    assert!(!page.body.contains("class=\"station\""));
}

#[tokio::test]
async fn a_place_search_renders_the_nearest_stations() {
    let app = spawn_app();
    let page = app.get("/?q=Demodorp").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 5, "{}", page.body);
    assert!(page.body.contains("Demo: Dorpshuis De Linde"));
    assert!(page.body.contains(">07:30</time>"));
}

/// `serve` checks these files before it starts; a page that named others
/// (a server compiled without `LEPTOS_OUTPUT_NAME` names
/// `kieskaart_bg.wasm`) would have a dead map and location button.
#[tokio::test]
async fn pages_name_the_bundle_files_that_serve_checks_for() {
    let page = spawn_app().get("/?q=Demodorp").await;
    for file in kieskaart::site::bundle_files() {
        assert!(page.body.contains(&format!("/{file}\"")), "{file} not named in {}", page.body);
    }
}

#[tokio::test]
async fn a_position_in_the_url_renders_stations_nearest_first() {
    let app = spawn_app();
    // The demo's sporthal lies at 52.0942, 5.6494.
    let page = app.get("/?lat=52.0942&lon=5.6494").await;
    let first = page.body.find("Demo: Sporthal Het Veld").expect("the sporthal is listed");
    let second = page.body.find("Demo: Dorpshuis De Linde").expect("the dorpshuis is listed");
    assert!(first < second);
    assert!(page.body.contains(">0 m hemelsbreed<"), "the sporthal is at the searched point");
}

#[tokio::test]
async fn unknown_places_and_bad_positions_get_a_message_not_an_error() {
    let app = spawn_app();
    let page = app.get("/?q=Nergenshuizen").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("We vinden “Nergenshuizen” niet"), "{}", page.body);

    let page = app.get("/?lat=abc&lon=5").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Deze zoekopdracht klopt niet"));

    let page = app.get("/?q=Demodorp&needs=jetpack").await;
    assert!(page.body.contains("“jetpack”") || page.body.contains("\"jetpack\", which is not a feature"));

    let page = app.get("/?e=tk1848&q=Demodorp").await;
    assert!(page.body.contains("Er is geen verkiezing met de naam “tk1848”"));
}

#[tokio::test]
async fn required_features_filter_the_list_and_stay_checked() {
    let app = spawn_app();
    let page = app.get("/?q=9999AD").await;
    assert!(page.body.contains(r#"<details class="needs">"#), "folded while nothing is chosen");
    let first = page.body.find("<h3>").unwrap();
    assert!(page.body[first..].starts_with(r#"<h3><a href="/s/demo/gm9999-4">Demo: Kerkzaal De Toren"#));

    let page = app.get("/?q=9999AD&needs=wheelchair").await;
    assert!(!page.body.contains("Demo: Kerkzaal De Toren"), "{}", page.body);
    assert!(page.body.contains(r#"value="wheelchair" checked"#), "{}", page.body);
    assert!(page.body.contains("Toegankelijkheid (1 gekozen)"));
    assert!(
        page.body.contains(r#"<details open class="needs">"#)
            || page.body.contains(r#"<details class="needs" open"#)
    );

    let page = app.get("/?q=9999AD&needs=wheelchair&needs=sign-language-on-site&needs=low-stimulus").await;
    assert!(page.body.contains("Geen stembureau gevonden dat aan alle gekozen voorwaarden voldoet"));
}

#[tokio::test]
async fn only_the_islands_carry_data_for_the_browser() {
    let app = spawn_app();
    let page = app.get("/?e=demo&q=Demodorp&needs=host").await;
    // The location button's island gets the URL its results open at, with
    // the search's election and needs; the map's gets the stations' names,
    // pages and positions.
    assert!(page.body.contains(r#"<leptos-island data-component="Locate_"#), "{}", page.body);
    assert!(page.body.contains("&quot;base&quot;:&quot;/?e=demo&amp;needs=host&amp;&quot;"), "{}", page.body);
    assert!(page.body.contains(r#"<leptos-island data-component="MapArea_"#), "{}", page.body);
    assert!(page.body.contains("&quot;href&quot;:&quot;/s/demo/gm9999-1&quot;"), "{}", page.body);

    // The answer itself is only HTML: nothing of it is serialized again
    // for a hydrating page.
    let page = app.get("/?e=demo&q=9999AE").await;
    assert!(page.body.contains("__RESOLVED_RESOURCES=[];"), "{}", page.body);
    assert_eq!(page.body.matches("Stille ruimte op de eerste verdieping").count(), 1, "{}", page.body);

    // A page without a search offers the button, but has no map.
    let page = app.get("/?e=demo").await;
    assert!(page.body.contains(r#"data-component="Locate_"#));
    assert!(!page.body.contains(r#"data-component="MapArea_"#));
}

#[tokio::test]
async fn every_route_with_the_bundle_is_a_page_shown_in_place() {
    // In-place navigation decides by path alone which pages it may fetch
    // and show: a new route must be one of them or be sent without the
    // bundle, or its links would leave the page.
    let routes = leptos_axum::generate_route_list(app::App);
    assert!(routes.len() >= 9, "{routes:?}");
    for route in routes {
        let path = route.path();
        let without_bundle = app::pages::SERVER_ONLY.contains(&path);
        assert_eq!(app::is_voter_page(path), !without_bundle, "{path}");
    }
}

#[tokio::test]
async fn results_link_to_a_shareable_station_page_with_routes() {
    let app = spawn_app();
    let results = app.get("/?q=9999AE").await;
    assert!(results.body.contains(r#"<a href="/s/demo/gm9999-5">Demo: Bibliotheek</a>"#), "{}", results.body);

    let page = app.get("/s/demo/gm9999-5").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<title>Demo: Bibliotheek – Kieskaart</title>"), "{}", page.body);
    assert!(page.body.contains("<h1>Demo: Bibliotheek</h1>"));
    assert!(page.body.contains("Marktstraat 8, 9999 AE Demodorp"));
    assert!(page.body.contains("Stille ruimte op de eerste verdieping, met lift"));
    assert!(page.body.contains(r#"href="https://www.openstreetmap.org/directions?to=52.097900%2C5.631700""#));
    assert!(page.body.contains(r#"href="geo:52.097900,5.631700""#));

    for missing in ["/s/demo/gm9999-99", "/s/tk1848/gm9999-5", "/s/NOT%20AN%20ID/x"] {
        let page = app.get(missing).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(page.body.contains("Pagina niet gevonden"), "{missing}");
    }
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = spawn_app();
    let page = app.get("/nergens").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Pagina niet gevonden"));
}

#[tokio::test]
async fn near_a_border_the_voters_own_municipality_comes_first_and_others_are_marked() {
    let (mut store, folder) = empty_store();
    let station = |code, municipality, name: &str, lon| Record {
        code,
        municipality,
        name: name.into(),
        lat: 52.5,
        lon,
    };
    let file = folder.path().join("stations.json");
    std::fs::write(
        &file,
        ckan_file(&[
            station("GM0002", "Oost", "Over de grens", 5.001),
            station("GM0001", "West", "Eigen gemeente", 4.95),
        ]),
    )
    .unwrap();
    commands::import(&mut store, &file, "gr2030", ImportOptions::default()).unwrap();
    let squares = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "GM0001", "name": "West"},
         "geometry": {"type": "Polygon", "coordinates": [[[4, 52], [5, 52], [5, 53], [4, 53], [4, 52]]]}},
        {"type": "Feature", "properties": {"code": "GM0002", "name": "Oost"},
         "geometry": {"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]]}}]}"#;
    let boundaries = folder.path().join("boundaries.geojson");
    std::fs::write(&boundaries, squares).unwrap();
    commands::import_boundaries(&mut store, &boundaries).unwrap();
    let app = app_for(store, folder);

    let page = app.get("/?e=gr2030&lat=52.5&lon=4.999").await.body;
    assert!(page.contains("Dit punt ligt in de gemeente West."), "{page}");
    let own = page.find("Eigen gemeente").expect("the own station is listed");
    let across = page.find("Over de grens").expect("the station across the border is listed");
    assert!(own < across, "the own municipality comes first");
    assert!(page.contains("Andere gemeente (Oost): hier kunt u bij deze verkiezing niet stemmen."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_pages_render_at_once() {
    let app = spawn_app();
    let renders: Vec<_> = (0..200)
        .map(|i| {
            let client = app.client.clone();
            let url =
                if i % 2 == 0 { "/?q=Demodorp".to_owned() } else { format!("/?lat=52.1&lon=5.6{}", i % 10) };
            tokio::spawn(async move {
                tokio::time::timeout(std::time::Duration::from_secs(20), client.get(&url))
                    .await
                    .map(|r| r.status)
            })
        })
        .collect();
    for render in renders {
        assert_eq!(render.await.unwrap().expect("rendered in time"), StatusCode::OK);
    }
}

#[tokio::test]
async fn the_about_page_states_the_source_the_licence_and_what_happens_to_a_search() {
    let app = spawn_app();
    let home = app.get("/").await;
    assert!(home.body.contains("href=\"/over\""), "every page links to it from the footer");
    let page = app.get("/over").await;
    assert_eq!(page.status, StatusCode::OK);
    for needed in ["<h1>Over Kieskaart</h1>", "Stembureaus Open Data Standaard", "CC0 1.0", "EUPL", "PDOK"] {
        assert!(page.body.contains(needed), "{needed} is missing: {}", page.body);
    }
}

#[tokio::test]
async fn a_municipality_page_lists_all_its_stations_with_links_to_each() {
    let app = spawn_app();
    let page = app.get("/g/GM9999").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Stembureaus in Demodorp (demo)</h1>"), "{}", page.body);
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 8, "all eight demo stations");
    assert!(page.body.contains("href=\"/s/demo/"), "each links to its station page");

    let station = app.get("/s/demo/gm9999-1").await;
    assert!(
        station.body.contains("href=\"/g/GM9999?e=demo\""),
        "a station page links back: {}",
        station.body
    );

    for unknown in ["/g/GM0001", "/g/Demodorp", "/g/GM9999?e=tk1848"] {
        assert_eq!(app.get(unknown).await.status, StatusCode::NOT_FOUND, "{unknown}");
    }
}

#[tokio::test]
async fn open_now_lists_only_stations_open_at_this_moment_and_says_when_none_is() {
    let app = spawn_app();
    // 18 March 2030, two days before polling day: nothing is open.
    app.clock.set("2030-03-18T11:00:00Z");
    let page = app.get("/?e=demo&q=Demodorp&open=nu").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 0, "{}", page.body);
    assert!(page.body.contains("Er is nu geen stembureau open"), "{}", page.body);
    assert!(page.body.contains("name=\"open\" value=\"nu\" checked"), "the box stays ticked: {}", page.body);

    let page = app.get("/?e=demo&q=Demodorp").await;
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 5);
    assert!(!page.body.contains("name=\"open\" value=\"nu\" checked"));
}

#[tokio::test]
async fn open_now_on_polling_day_lists_the_open_stations_and_leaves_out_the_others() {
    let app = spawn_app();
    // 07:15 in Demodorp: only the mobile station (06:30-09:30) is open.
    app.clock.set("2030-03-20T06:15:00Z");
    let page = app.get("/?e=demo&q=Demodorp&open=nu&k=8").await;
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 1, "{}", page.body);
    assert!(page.body.contains("Demo: Stembus op het station"));
    assert!(page.body.contains("Nu open, tot 09:30"), "{}", page.body);
    assert!(!page.body.contains("Er is nu geen stembureau open"));
    assert!(page.body.contains("name=\"open\" value=\"nu\" checked"));
    let all = app.get("/?e=demo&q=Demodorp&k=8").await;
    assert_eq!(all.body.matches("<li class=\"station\"").count(), 8);
    assert!(all.body.contains("Opent vandaag om 07:30"), "the others, marked: {}", all.body);

    // 10:00: all but the mobile station, which has closed.
    app.clock.set("2030-03-20T09:00:00Z");
    let page = app.get("/?e=demo&q=Demodorp&open=nu&k=8").await;
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 7, "{}", page.body);
    assert!(!page.body.contains("Demo: Stembus op het station"));
    assert_eq!(page.body.matches("Nu open, tot").count(), 7);
}

#[tokio::test]
async fn a_bonaire_station_is_open_by_its_own_clock_on_the_page() {
    let app = national_election_app();
    let open_now = "/?e=tk2030&lat=12.15&lon=-68.27&open=nu";
    // 01:30 in Oudewater, 20:30 in Kralendijk.
    app.clock.set("2030-03-21T00:30:00Z");
    let page = app.get(open_now).await;
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 1, "{}", page.body);
    assert!(page.body.contains(">Kralendijk</a>"), "{}", page.body);
    assert!(page.body.contains("Nu open, tot 21:00"), "{}", page.body);
    let station = app.get("/s/tk2030/gm9001-2").await;
    assert!(station.body.contains("Nu open, tot 21:00"), "{}", station.body);

    // 12:00 in Oudewater, 07:00 in Kralendijk.
    app.clock.set("2030-03-20T11:00:00Z");
    let page = app.get(open_now).await;
    assert_eq!(page.body.matches("<li class=\"station\"").count(), 1, "{}", page.body);
    assert!(page.body.contains(">Muziekhuis</a>"), "{}", page.body);
    let both = app.get("/?e=tk2030&lat=12.15&lon=-68.27").await;
    assert!(both.body.contains("Opent vandaag om 07:30"), "Kralendijk, later: {}", both.body);
    assert!(both.body.contains("Nu open, tot 21:00"), "Oudewater, now: {}", both.body);
    let station = app.get("/s/tk2030/gm9001-2").await;
    assert!(station.body.contains("Opent vandaag om 07:30"), "{}", station.body);
}

#[tokio::test]
async fn a_browser_asking_for_english_gets_every_text_in_english() {
    let app = spawn_app();
    let english = [("accept-language", "en-GB,en;q=0.9,nl;q=0.5")];
    let page = app.get_with("/?q=9999AD&needs=wheelchair", &english).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"en\""), "{}", page.body);
    for english in [
        "<h1>Where can I vote?</h1>",
        "Polling stations near",
        "as the crow flies",
        "Accessible to wheelchair users",
        "Accessibility (1 chosen)",
        "Directions (OpenStreetMap)",
        "Municipality of Demodorp",
        "Wednesday 20 March",
    ] {
        assert!(page.body.contains(english), "{english} is missing: {}", page.body);
    }
    // Words only the Dutch texts use; station names and addresses are data
    // and stay as the municipality wrote them.
    for dutch in ["hemelsbreed", "Toegankelijk", "Gemeente ", "Zoeken", "maart", "Over Kieskaart"] {
        assert!(!page.body.contains(dutch), "Dutch “{dutch}” on the English page: {}", page.body);
    }
    assert!(page.headers["vary"].to_str().unwrap().contains("accept-language"), "{:?}", page.headers);
    assert!(page.headers.get("set-cookie").is_none(), "nothing is remembered that was not chosen");

    for path in ["/over", "/g/GM9999", "/s/demo/gm9999-1", "/nergens"] {
        let page = app.get_with(path, &english).await;
        assert!(page.body.contains("<html lang=\"en\""), "{path}");
        assert!(page.body.contains("About Kieskaart, the data and your privacy"), "{path}: {}", page.body);
    }
}

#[tokio::test]
async fn the_language_switch_keeps_the_search_and_remembers_the_choice() {
    let app = spawn_app();
    let page = app.get("/?q=Demodorp").await;
    assert!(
        page.body.contains(
            r#"href="/?q=Demodorp&amp;taal=en" rel="external" lang="en" hreflang="en">English</a>"#
        ),
        "{}",
        page.body
    );

    let chosen = app.get("/?q=Demodorp&taal=en").await;
    assert!(chosen.body.contains("<html lang=\"en\""));
    let cookie = chosen.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("taal=en;") && cookie.contains("Path=/"), "{cookie}");
    assert!(chosen.body.contains(">Nederlands</a>"), "and a way back: {}", chosen.body);

    // The cookie outweighs the browser's language, and a choice in the URL
    // outweighs the cookie.
    let remembered = app.get_with("/over", &[("cookie", "taal=en"), ("accept-language", "nl")]).await;
    assert!(remembered.body.contains("<h1>About Kieskaart</h1>"), "{}", remembered.body);
    let back = app.get_with("/over?taal=nl", &[("cookie", "taal=en")]).await;
    assert!(back.body.contains("<h1>Over Kieskaart</h1>"));
}

#[tokio::test]
async fn pages_name_the_configured_map_tiles_and_keep_the_map_hidden_until_drawn() {
    let app = spawn_app();
    let page = app.get("/?q=Demodorp").await;
    assert!(
        page.body.contains(r#"<meta name="kieskaart:tiles" content="http://127.0.0.1:9/{z}/{x}/{y}.png">"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"<meta name="kieskaart:tiles-attribution" content="Test tiles">"#));
    assert!(
        page.body.contains(
            r#"<div role="region" aria-label="Kaart van de stembureaus op deze pagina" hidden class="map">"#
        ),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn pages_allow_only_their_own_scripts_and_the_tile_server() {
    let app = spawn_app();
    let page = app.get("/?q=Demodorp").await;
    let policy = page.headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce");
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries it: {policy}");
    for needed in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "img-src 'self' data: http://127.0.0.1:9;",
        "object-src 'none'",
    ] {
        assert!(policy.contains(needed), "{needed} is missing: {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let again = app.get("/?q=Demodorp").await;
    assert_ne!(
        again.headers["content-security-policy"], page.headers["content-security-policy"],
        "a nonce per response"
    );

    for path in ["/", "/api/v1/elections", "/favicon.svg", "/nergens"] {
        let response = app.get(path).await;
        assert_eq!(response.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(response.headers["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        assert!(
            response.headers["permissions-policy"].to_str().unwrap().contains("geolocation=(self)"),
            "{path}"
        );
    }
}
