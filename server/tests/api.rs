//! The public API answers valid searches and refuses bad ones with problem
//! JSON that says what to change, never with a 500.

mod common;

use axum::http::StatusCode;
use common::{national_election_app, spawn_app};
use kieskaart::commands;

#[tokio::test]
async fn nearest_returns_k_stations_nearest_first() {
    let app = spawn_app();
    let response = app.get("/api/v1/elections/demo/stations/nearest?lat=52.1000&lon=5.6400&k=3").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let json = response.json();
    let stations = json["stations"].as_array().unwrap();
    assert_eq!(stations.len(), 3);
    assert_eq!(stations[0]["name"], "Demo: Dorpshuis De Linde");
    assert_eq!(stations[0]["distance_m"], 0.0);
    assert_eq!(stations[0]["opens"], "2030-03-20T07:30:00");
    assert_eq!(stations[0]["closes"], "2030-03-20T21:00:00");
    assert_eq!(stations[0]["municipality"]["code"], "GM9999");
    assert_eq!(stations[0]["wheelchair_accessible"], true);
    let distances: Vec<f64> = stations.iter().map(|s| s["distance_m"].as_f64().unwrap()).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
}

#[tokio::test]
async fn needs_filter_stations_and_features_are_listed() {
    let app = spawn_app();
    // At the Kerkzaal, which has no wheelchair access.
    let near_kerkzaal = "/api/v1/elections/demo/stations/nearest?lat=52.1081&lon=5.6353";
    let json = app.get(near_kerkzaal).await.json();
    assert_eq!(json["stations"][0]["name"], "Demo: Kerkzaal De Toren");
    assert_eq!(json["stations"][0]["wheelchair_accessible"], false);

    let json = app.get(&format!("{near_kerkzaal}&needs=wheelchair&k=50")).await.json();
    let stations = json["stations"].as_array().unwrap();
    assert_eq!(stations.len(), 7, "all but the Kerkzaal");
    assert!(stations.iter().all(|s| s["wheelchair_accessible"] == true));

    let json = app.get(&format!("{near_kerkzaal}&needs=low-stimulus,buddy-pair")).await.json();
    let stations = json["stations"].as_array().unwrap();
    assert_eq!(stations.len(), 1);
    assert_eq!(stations[0]["name"], "Demo: Bibliotheek");
    assert_eq!(stations[0]["features"], serde_json::json!(["wheelchair", "low-stimulus", "buddy-pair"]));
    assert_eq!(stations[0]["accessibility_notes"], "Stille ruimte op de eerste verdieping, met lift");

    let response = app.get(&format!("{near_kerkzaal}&needs=jetpack")).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.json()["detail"].as_str().unwrap().contains("\"jetpack\", which is not a feature"));
}

#[tokio::test]
async fn answers_are_cacheable_revalidatable_and_open_to_other_sites() {
    let app = spawn_app();
    let url = "/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64";
    let first = app.get_with(url, &[("origin", "https://krant.example")]).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\"demo-"), "judged by the clock, so weak: {etag}");
    assert_eq!(first.headers["cache-control"], "public, max-age=60, stale-while-revalidate=30");
    assert_eq!(first.headers["access-control-allow-origin"], "*");

    let again = app.get_with(url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers["etag"], etag.as_str());

    let stale = app.get_with(url, &[("if-none-match", "\"demo-0000000000000000\"")]).await;
    assert_eq!(stale.status, StatusCode::OK);
}

#[tokio::test]
async fn one_station_by_id() {
    let app = spawn_app();
    let response = app.get("/api/v1/elections/demo/stations/gm9999-5").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let station = response.json();
    assert_eq!(station["name"], "Demo: Bibliotheek");
    assert_eq!(station["opens"], "2030-03-20T08:00:00");
    assert!(station.get("distance_m").is_none(), "no search, no distance");
    assert!(response.headers.contains_key("etag"));

    let response = app.get("/api/v1/elections/demo/stations/gm9999-99").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.json()["detail"].as_str().unwrap().contains("no station \"gm9999-99\""));
}

#[tokio::test]
async fn k_defaults_to_five() {
    let app = spawn_app();
    let json = app.get("/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64").await.json();
    assert_eq!(json["stations"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn bad_input_is_a_client_error_that_names_the_problem() {
    let app = spawn_app();
    let cases = [
        ("?lon=5.64", StatusCode::BAD_REQUEST, "`lat` is missing"),
        ("?lat=&lon=5.64", StatusCode::BAD_REQUEST, "`lat` is missing"),
        ("?lat=noord&lon=5.64", StatusCode::BAD_REQUEST, "`lat` is \"noord\", not a decimal number"),
        ("?lat=52.1&lon=inf", StatusCode::BAD_REQUEST, "`lon` is \"inf\", not a decimal number"),
        ("?lat=152.1&lon=5.64", StatusCode::UNPROCESSABLE_ENTITY, "latitude 152.1 is outside"),
        ("?lat=52.1&lon=5.64&k=0", StatusCode::UNPROCESSABLE_ENTITY, "`k` is \"0\""),
        ("?lat=52.1&lon=5.64&k=100000", StatusCode::UNPROCESSABLE_ENTITY, "`k` is \"100000\""),
        ("?lat=52.1&lon=5.64&k=-1", StatusCode::UNPROCESSABLE_ENTITY, "`k` is \"-1\""),
        ("?lat=52.1&lon=5.64&k=99999999999999999999999", StatusCode::UNPROCESSABLE_ENTITY, "ask for 1 to 50"),
        ("?lat=52.1&lon=5.64&lat=53", StatusCode::BAD_REQUEST, "lat"),
        ("?lat=52.1&lon=5.64&type=kiosk", StatusCode::UNPROCESSABLE_ENTITY, "not a station type"),
        ("?lat=52.1&lon=5.64&open_on=20-3-2030", StatusCode::BAD_REQUEST, "write YYYY-MM-DD"),
        ("?lat=52.1&lon=5.64&open_at=tomorrow", StatusCode::BAD_REQUEST, "write `now`"),
        (
            "?lat=52.1&lon=5.64&municipality=Oudewater",
            StatusCode::UNPROCESSABLE_ENTITY,
            "GM followed by four digits",
        ),
    ];
    for (query, status, detail) in cases {
        let response = app.get(&format!("/api/v1/elections/demo/stations/nearest{query}")).await;
        assert_eq!(response.status, status, "{query}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json", "{query}");
        let json = response.json();
        assert_eq!(json["status"], status.as_u16());
        let text = json["detail"].as_str().unwrap();
        assert!(text.contains(detail), "{query}: {text}");
    }
}

#[tokio::test]
async fn unknown_elections_and_endpoints_are_404_problems() {
    let app = spawn_app();
    let response = app.get("/api/v1/elections/tk1848/stations/nearest?lat=52.1&lon=5.64").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.json()["detail"].as_str().unwrap().contains("no election \"tk1848\""));

    let response = app.get("/api/v1/stations").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.content_type, "application/problem+json");
}

#[tokio::test]
async fn elections_are_listed_with_their_size() {
    let app = spawn_app();
    let json = app.get("/api/v1/elections").await.json();
    assert_eq!(json[0]["id"], "demo");
    assert_eq!(json[0]["polling_date"], "2030-03-20");
    assert_eq!(json[0]["stations"], 8);
}

fn names(json: &serde_json::Value) -> Vec<String> {
    json["stations"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn filters_on_type_opening_time_date_and_municipality_combine() {
    let app = spawn_app();
    let base = "/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64&k=50";
    let json = app.get(&format!("{base}&type=mobiel,bijzonder")).await.json();
    assert_eq!(names(&json), ["Demo: Stembus op het station", "Demo: Zorgcentrum Avondrood"]);
    assert_eq!(json["stations"][1]["kind"], "special");

    // At 07:00 only the mobile station at the railway station is open; at
    // 07:00 UTC (08:00 in Amsterdam) the library has opened too.
    let json = app.get(&format!("{base}&open_at=2030-03-20T07:00")).await.json();
    assert_eq!(names(&json), ["Demo: Stembus op het station"]);
    assert_eq!(json["at"], "2030-03-20T07:00:00");
    assert_eq!(
        json["stations"][0]["status"],
        serde_json::json!({"state": "open", "closes": "2030-03-20T09:30:00"})
    );
    let json =
        app.get(&format!("{base}&open_at=2030-03-20T07:00:00Z&type=regular&needs=low-stimulus")).await.json();
    assert_eq!(names(&json), ["Demo: Bibliotheek"]);

    assert_eq!(names(&app.get(&format!("{base}&open_on=2030-03-20")).await.json()).len(), 8);
    assert!(names(&app.get(&format!("{base}&open_on=2030-03-19")).await.json()).is_empty());
    assert_eq!(names(&app.get(&format!("{base}&municipality=gm9999")).await.json()).len(), 8);
    assert!(names(&app.get(&format!("{base}&municipality=GM0589")).await.json()).is_empty());
}

#[tokio::test]
async fn opening_status_is_given_for_every_station() {
    let app = spawn_app();
    let json = app
        .get("/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64&open_at=2030-03-20T06:00")
        .await
        .json();
    // Filtered to stations open at 06:00: none. Without the filter, statuses at the query time.
    assert!(names(&json).is_empty());
    // 18 March, two days before polling day.
    app.clock.set("2030-03-18T11:00:00Z");
    let json = app.get("/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64&k=50").await.json();
    let status = &json["stations"][0]["status"];
    assert_eq!(status["state"], "other-day", "{status}");
    assert_eq!(status["opens"], "2030-03-20T07:30:00");

    // Polling day, 07:15 in Demodorp.
    app.clock.set("2030-03-20T06:15:00Z");
    let json = app.get("/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64&k=50").await.json();
    assert_eq!(json["at"], "2030-03-20T07:15:00");
    assert_eq!(
        json["stations"][0]["status"],
        serde_json::json!({"state": "opens-later-today", "opens": "2030-03-20T07:30:00"})
    );
    let open: Vec<_> =
        json["stations"].as_array().unwrap().iter().filter(|s| s["status"]["state"] == "open").collect();
    assert_eq!(open.len(), 1, "only the mobile station: {json}");
    assert_eq!(open[0]["name"], "Demo: Stembus op het station");
}

#[tokio::test]
async fn a_bonaire_station_keeps_its_own_clock_in_a_national_election() {
    let app = national_election_app();
    let nearest = "/api/v1/elections/tk2030/stations/nearest?lat=12.15&lon=-68.27";
    let state = |json: &serde_json::Value, name: &str| {
        let stations = json["stations"].as_array().unwrap();
        let station = stations.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{name}: {json}"));
        station["status"]["state"].as_str().unwrap().to_owned()
    };

    // 12:00 in Oudewater is 07:00 in Kralendijk: open by the Dutch clock, not there.
    app.clock.set("2030-03-20T11:00:00Z");
    let json = app.get(nearest).await.json();
    assert_eq!(state(&json, "Muziekhuis"), "open");
    assert_eq!(state(&json, "Kralendijk"), "opens-later-today");
    let kralendijk = &json["stations"][0];
    assert_eq!(kralendijk["time_zone"], "America/Kralendijk");
    assert_eq!(kralendijk["opens"], "2030-03-20T07:30:00", "as published, local to the station");
    assert_eq!(json["stations"][1]["time_zone"], "Europe/Amsterdam");
    assert_eq!(names(&app.get(&format!("{nearest}&open_at=now")).await.json()), ["Muziekhuis"]);

    // Around its opening: 07:29 and 07:30 in Kralendijk.
    app.clock.set("2030-03-20T11:29:59Z");
    assert_eq!(state(&app.get(nearest).await.json(), "Kralendijk"), "opens-later-today");
    app.clock.set("2030-03-20T11:30:00Z");
    assert_eq!(state(&app.get(nearest).await.json(), "Kralendijk"), "open");

    // 01:30 the next night in Oudewater is 20:30 in Kralendijk: open there only.
    app.clock.set("2030-03-21T00:30:00Z");
    let json = app.get(nearest).await.json();
    assert_eq!(state(&json, "Kralendijk"), "open");
    assert_eq!(state(&json, "Muziekhuis"), "other-day");
    assert_eq!(names(&app.get(&format!("{nearest}&open_at=now")).await.json()), ["Kralendijk"]);

    // A moment the request names is one instant for every station, whatever the clock.
    let json = app.get(&format!("{nearest}&open_at=2030-03-20T11:00:00Z")).await.json();
    assert_eq!(names(&json), ["Muziekhuis"]);
    assert_eq!(json["at"], "2030-03-20T12:00:00", "told in the election's zone");
    // A local time without offset is the election's (Amsterdam): 20:30 there, 15:30 in Kralendijk.
    assert_eq!(
        names(&app.get(&format!("{nearest}&open_at=2030-03-20T20:30")).await.json()),
        ["Kralendijk", "Muziekhuis"]
    );
    let station = app.get("/api/v1/elections/tk2030/municipalities/GM9001/stations").await.json();
    assert_eq!(station["stations"][0]["status"]["state"], "open", "20:30 in Kralendijk");
}

#[tokio::test]
async fn a_revalidation_after_a_station_opens_gets_the_new_answer() {
    let app = spawn_app();
    let urls = [
        "/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64&k=1",
        "/api/v1/elections/demo/stations/gm9999-1",
        "/api/v1/elections/demo/municipalities/GM9999/stations",
    ];
    for url in urls {
        // 07:29 in Demodorp: the Dorpshuis opens at 07:30, so caches keep this a minute at most.
        app.clock.set("2030-03-20T06:29:00Z");
        let before = app.get(url).await;
        assert!(before.body.contains("opens-later-today"), "{url}: {}", before.body);
        assert_eq!(before.headers["cache-control"], "public, max-age=60", "{url}: not past the opening");
        let tag = before.headers["etag"].to_str().unwrap().to_owned();
        app.clock.set("2030-03-20T06:29:30Z");
        let unchanged = app.get_with(url, &[("if-none-match", &tag)]).await;
        assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED, "{url}: nothing changed yet");
        assert_eq!(unchanged.headers["cache-control"], "public, max-age=30", "{url}");

        app.clock.set("2030-03-20T06:30:00Z");
        let after = app.get_with(url, &[("if-none-match", &tag)]).await;
        assert_eq!(after.status, StatusCode::OK, "{url}: the station has opened");
        assert_ne!(after.headers["etag"], tag.as_str(), "{url}");
        assert!(after.body.contains("\"state\":\"open\""), "{url}: {}", after.body);
    }
    // A request for a moment of its own does not change with the clock.
    let fixed = "/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64&open_at=2030-03-20T08:00";
    let tag = app.get(fixed).await.headers["etag"].to_str().unwrap().to_owned();
    assert!(tag.starts_with("\"demo-"), "a strong tag: {tag}");
    app.clock.set("2031-01-01T00:00:00Z");
    assert_eq!(app.get_with(fixed, &[("if-none-match", &tag)]).await.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn a_revalidation_after_a_boundaries_import_gets_the_new_answer() {
    let mut app = spawn_app();
    let url = "/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64";
    let before = app.get(url).await;
    assert!(before.json()["origin"].get("municipality").is_none(), "no boundaries yet");
    let tag = before.headers["etag"].to_str().unwrap().to_owned();

    let file = app.folder.path().join("demodorp.geojson");
    std::fs::write(
        &file,
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": "GM9999", "name": "Demodorp"},
             "geometry": {"type": "Polygon", "coordinates": [[[5.5, 52], [5.8, 52], [5.8, 52.2], [5.5, 52.2], [5.5, 52]]]}}]}"#,
    )
    .unwrap();
    commands::import_boundaries(&mut app.store, &file).unwrap();
    assert!(app.catalog.refresh(&app.store).unwrap(), "the new boundaries are loaded");

    let after = app.get_with(url, &[("if-none-match", &tag)]).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
    assert_ne!(after.headers["etag"], tag.as_str());
    assert_eq!(after.json()["origin"]["municipality"]["name"], "Demodorp");
    // The same boundaries again change nothing.
    let tag = after.headers["etag"].to_str().unwrap().to_owned();
    commands::import_boundaries(&mut app.store, &file).unwrap();
    app.catalog.refresh(&app.store).unwrap();
    assert_eq!(app.get_with(url, &[("if-none-match", &tag)]).await.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn geojson_by_suffix_or_accept_header() {
    let app = spawn_app();
    let path = "/api/v1/elections/demo/stations/nearest";
    let by_suffix = app.get(&format!("{path}.geojson?lat=52.1&lon=5.64&k=2")).await;
    let by_accept =
        app.get_with(&format!("{path}?lat=52.1&lon=5.64&k=2"), &[("accept", "application/geo+json")]).await;
    for response in [by_suffix, by_accept] {
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.content_type, "application/geo+json");
        assert_eq!(response.headers["vary"], "accept");
        let json = response.json();
        assert_eq!(json["type"], "FeatureCollection");
        assert_eq!(json["origin"]["lat"], 52.1);
        let feature = &json["features"][0];
        assert_eq!(feature["geometry"], serde_json::json!({"type": "Point", "coordinates": [5.64, 52.1]}));
        assert_eq!(feature["properties"]["name"], "Demo: Dorpshuis De Linde");
        assert_eq!(json["features"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn stations_of_a_municipality() {
    let app = spawn_app();
    let json = app.get("/api/v1/elections/demo/municipalities/GM9999/stations").await.json();
    assert_eq!(json["municipality"]["code"], "GM9999");
    assert_eq!(json["stations"].as_array().unwrap().len(), 8);
    let geojson = app.get("/api/v1/elections/demo/municipalities/gm9999/stations.geojson").await.json();
    assert_eq!(geojson["features"].as_array().unwrap().len(), 8);
    let missing = app.get("/api/v1/elections/demo/municipalities/GM0589/stations").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad = app.get("/api/v1/elections/demo/municipalities/Oudewater/stations").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_api_describes_itself_in_openapi_and_a_docs_page() {
    let app = spawn_app();
    let json = app.get("/api/v1/openapi.json").await.json();
    assert!(json["openapi"].as_str().unwrap().starts_with("3.1"), "{}", json["openapi"]);
    let paths = json["paths"].as_object().unwrap();
    for path in [
        "/elections",
        "/elections/{election}/stations/nearest",
        "/elections/{election}/stations/nearest.geojson",
        "/elections/{election}/stations/{station}",
        "/elections/{election}/municipalities/{code}/stations",
        "/geocode",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    let parameters = &json["paths"]["/elections/{election}/stations/nearest"]["get"]["parameters"];
    let names: Vec<&str> =
        parameters.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["election", "lat", "lon", "k", "needs", "type", "open_at", "open_on", "municipality"]);
    let page = app.get("/api/v1/docs").await;
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("GET /elections/{election}/stations/nearest"));
    assert!(page.body.contains("sign-language-on-site"));
}

#[tokio::test]
async fn probes_say_alive_ready_for_voters_from_memory_and_whether_the_store_takes_writes() {
    let app = spawn_app();
    let alive = app.get("/healthz").await;
    assert_eq!(alive.status, StatusCode::OK);

    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.json()["stations"], 8, "{}", ready.body);

    app.catalog.record_store_check(Ok(()));
    assert_eq!(app.get("/readyz").await.json()["store"], "reachable");
    assert_eq!(app.get("/readyz/writes").await.status, StatusCode::OK);

    // A store that cannot be opened: its folder is a file.
    let file = app.folder.path().join("not-a-folder");
    std::fs::write(&file, "").unwrap();
    let Err(gone) = kieskaart::store::Store::open(&file.join("db.sqlite3")) else {
        panic!("a database inside a file cannot be opened");
    };
    app.catalog.record_store_check(Err(&gone));
    // Voters are answered from memory: a balancer must keep this server
    // (and every other one that shares the store).
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!((ready.json()["ready"].as_bool(), ready.json()["stations"].as_u64()), (Some(true), Some(8)));
    assert!(ready.json()["store"].as_str().unwrap().starts_with("unreachable: "), "{}", ready.body);
    let writes = app.get("/readyz/writes").await;
    assert_eq!(writes.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(writes.json()["store"].as_str().unwrap().starts_with("unreachable: "), "{}", writes.body);
    assert!(app.get("/metrics").await.body.contains("kieskaart_store_reachable 0"));
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK, "alive all the same");

    app.catalog.record_store_check(Ok(()));
    assert!(app.get("/metrics").await.body.contains("kieskaart_store_reachable 1"));
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_show_what_is_in_memory() {
    let app = spawn_app();
    app.get("/api/v1/elections").await;
    app.get("/s/demo/gm9999-1").await;
    app.get("/?q=3421CT").await;
    app.get("/nergens/3421CT").await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.content_type.starts_with("application/openmetrics-text"));
    let body = &metrics.body;
    for expected in [
        r#"kieskaart_http_requests_total{route="/api/v1/elections",method="GET",status="200"} 1"#,
        r#"kieskaart_http_requests_total{route="/s/{election}/{station}",method="GET",status="200"} 1"#,
        r#"kieskaart_http_request_duration_seconds_count{route="/api/v1/elections"} 1"#,
        r#"kieskaart_stations{election="demo"} 8"#,
        r#"kieskaart_published_versions{election="demo"} 1"#,
        "kieskaart_store_reachable 1",
    ] {
        assert!(body.contains(expected), "{expected} missing:\n{body}");
    }
    assert!(!body.contains("3421"), "no search text in labels:\n{body}");
}
