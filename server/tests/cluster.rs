//! Several servers on one PostgreSQL database, as behind a load balancer:
//! what one publishes, the others serve within two seconds.

mod common;

use app::model::MunicipalityCode;
use common::demodorp_file;
use common::server::{Http, Server};
use kieskaart::commands;
use kieskaart::store::Store;
use kieskaart::tokens;
use std::time::{Duration, Instant};

const STATIONS: &str = "/api/v1/elections/demo/municipalities/GM9999/stations";

fn names(http: &Http, server: &Server) -> Vec<String> {
    let reply = http.get(&server.url(STATIONS)).expect("an answer");
    let stations = reply.json()["stations"].as_array().cloned().unwrap_or_default();
    stations.iter().filter_map(|s| s["name"].as_str().map(str::to_owned)).collect()
}

#[test]
fn a_publication_through_one_server_reaches_the_other_within_two_seconds() {
    let Some(database) = common::postgres_database() else { return };
    let folder = tempfile::tempdir().unwrap();
    let mut store = Store::connect(&database).unwrap();
    commands::load_demo(&mut store).unwrap();
    let token =
        tokens::create(&mut store, &MunicipalityCode::parse("GM9999").unwrap(), "vendor", "test").unwrap();
    // A minute between periodic looks: only the announcement can bring a
    // publication over within two seconds.
    let slow_checks = ["--store-check-seconds", "60"];
    let servers = [
        Server::start(&database, folder.path(), &slow_checks),
        Server::start(&database, folder.path(), &slow_checks),
    ];
    let http = Http::new();
    for (round, (through, other)) in [(0, 1), (1, 0)].into_iter().enumerate() {
        let label = format!("round {round}");
        let upload = servers[through].url(&format!("{STATIONS}?publish=true"));
        let reply = http.put(&upload, &token.secret, demodorp_file(&label, 3)).expect("an answer");
        assert_eq!(reply.status, 200, "{}", reply.body);
        let published = Instant::now();
        let expected: Vec<String> = (0..3).map(|i| format!("{label} {i}")).collect();
        assert_eq!(names(&http, &servers[through]), expected, "the server that took the upload");
        while names(&http, &servers[other]) != expected {
            assert!(
                published.elapsed() < Duration::from_secs(2),
                "server {other} still serves the old stations"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("round {round}: server {other} served the publication after {:?}", published.elapsed());
    }
}
