//! The public API answers valid searches and refuses bad ones with problem
//! JSON that says what to change, never with a 500.

mod common;

use axum::http::StatusCode;
use common::spawn_app;

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
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.json()["detail"].as_str().unwrap().contains("\"jetpack\", which is not a feature"));
}

#[tokio::test]
async fn answers_are_cacheable_revalidatable_and_open_to_other_sites() {
    let app = spawn_app();
    let url = "/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64";
    let first = app.get_with(url, &[("origin", "https://krant.example")]).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("\"demo-"), "{etag}");
    assert!(first.headers["cache-control"].to_str().unwrap().starts_with("public, max-age=60"));
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
        ("?lat=152.1&lon=5.64", StatusCode::BAD_REQUEST, "latitude 152.1 is outside"),
        ("?lat=52.1&lon=5.64&k=0", StatusCode::BAD_REQUEST, "`k` is \"0\""),
        ("?lat=52.1&lon=5.64&k=100000", StatusCode::BAD_REQUEST, "`k` is \"100000\""),
        ("?lat=52.1&lon=5.64&k=-1", StatusCode::BAD_REQUEST, "`k` is \"-1\""),
        ("?lat=52.1&lon=5.64&k=99999999999999999999999", StatusCode::BAD_REQUEST, "ask for 1 to 50"),
        ("?lat=52.1&lon=5.64&lat=53", StatusCode::BAD_REQUEST, "lat"),
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
