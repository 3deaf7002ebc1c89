//! `--log-format json`: one JSON object per line, for a log collector.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn the_server_logs_one_json_object_per_line() {
    let folder = tempfile::tempdir().unwrap();
    common::server::stub_site(folder.path());
    let mut server = Command::new(env!("CARGO_BIN_EXE_kieskaart"))
        .arg("--database")
        .arg(folder.path().join("k.sqlite3"))
        .args([
            "--log-format",
            "json",
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--geocoder",
            "off",
            "--tiles",
            "off",
            "--site-root",
        ])
        .arg(folder.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines {
        let line = line.unwrap();
        let entry: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(entry["timestamp"].is_string() && entry["level"] == "INFO", "{entry}");
        let message = entry["fields"]["message"].as_str().unwrap_or_default().to_owned();
        seen.push(message.clone());
        if message.starts_with("listening on") {
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(seen.iter().any(|m| m.starts_with("empty database: loaded the demo dataset")), "{seen:?}");
}

/// A stand-in for the geocoder that fails in the way the search asks for:
/// "Traagdorp" waits past the server's timeout, "Kapotdorp" gets a 500,
/// "Onzindorp" an answer that is not JSON. Runs on a thread of its own,
/// for as long as the test.
fn failing_geocoder() -> String {
    use axum::extract::Query;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use std::collections::HashMap;

    let router = axum::Router::new().route(
        "/free",
        axum::routing::get(|Query(params): Query<HashMap<String, String>>| async move {
            let text = params.get("q").cloned().unwrap_or_default();
            if text.contains("Traagdorp") {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
            if text.contains("Kapotdorp") {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            "this is not JSON".into_response()
        }),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await
        })
    });
    url
}

/// A loopback address where nothing listens: connections are refused.
fn refusing_geocoder() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("http://127.0.0.1:{port}")
}

/// What a voter types is theirs: no log line may hold it, whether the
/// geocoder times out, fails, talks nonsense or cannot be reached, and
/// whether the search itself is answered or refused. Logged at `debug`,
/// so that what an operator turns on to find a fault does not leak it
/// either.
#[test]
fn no_log_line_holds_what_a_voter_searched_for() {
    use common::server::{Http, Server};
    use kieskaart::store::Location;

    let folder = tempfile::tempdir().unwrap();
    let database = Location::Sqlite(folder.path().join("k.sqlite3"));
    let demo = Command::new(env!("CARGO_BIN_EXE_kieskaart"))
        .args(["--database", &common::server::database_argument(&database), "demo"])
        .output()
        .unwrap();
    assert!(demo.status.success(), "{demo:?}");
    let debug = [("RUST_LOG", "debug")];
    let (failing, refusing) = (failing_geocoder(), refusing_geocoder());
    let servers = [
        Server::start_with(&database, folder.path(), &["--geocoder", &failing], &debug),
        Server::start_with(&database, folder.path(), &["--geocoder", &refusing], &debug),
    ];
    let http = Http::new();
    for server in &servers {
        for place in ["Traagdorp", "Kapotdorp", "Onzindorp"] {
            let search = format!("Geheimstraat+12+{place}");
            for (path, status) in [
                (format!("/?e=demo&q={search}"), 200),
                (format!("/api/v1/geocode?q={search}"), 200),
                (format!("/api/v1/elections/nergens/stations/nearest?lat=52&lon=5&q={search}"), 404),
                (format!("/api/v1/elections/demo/stations/nearest?q={search}"), 400),
                (format!("/s/demo/nergens?q={search}"), 404),
            ] {
                let reply = http.get(&server.url(&path)).expect("an answer");
                assert_eq!(reply.status, status, "{path}: {}", reply.body);
            }
        }
    }
    // The slow call ends in the background, at the server's timeout.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    for server in &servers {
        let log = server.log();
        assert!(
            log.contains("geocoding provider failed"),
            "the failures were logged, so the test can see a leak:\n{log}"
        );
        for line in log.lines() {
            assert!(!line.to_lowercase().contains("geheimstraat"), "a log line holds the search: {line}");
        }
    }
}
