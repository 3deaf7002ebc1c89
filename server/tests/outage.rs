//! PostgreSQL stopped under load: voters keep being answered from memory,
//! a publication fails with a clear message and changes nothing, and once
//! the database is back the same publication goes through.

mod common;

use app::model::MunicipalityCode;
use common::demodorp_file;
use common::server::{Http, Server};
use kieskaart::commands;
use kieskaart::store::Store;
use kieskaart::tokens;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const STATIONS: &str = "/api/v1/elections/demo/municipalities/GM9999/stations";
/// What voters ask for: the nearest stations, and a results page.
const READS: [&str; 2] =
    ["/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.64", "/?lat=52.0942&lon=5.6494"];

fn postgres(ctl: &str, action: &str) {
    let status = Command::new(ctl).arg(action).status().expect("the cluster's control script runs");
    assert!(status.success(), "PostgreSQL {action}");
}

#[test]
fn voters_are_answered_while_postgres_is_down_and_publishing_resumes_when_it_is_back() {
    let Some(database) = common::postgres_database() else { return };
    let Ok(ctl) = std::env::var("KIESKAART_TEST_POSTGRES_CTL") else {
        common::skip("KIESKAART_TEST_POSTGRES_CTL is not set (scripts/with-postgres.sh sets it)");
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let mut store = Store::connect(&database).unwrap();
    commands::load_demo(&mut store).unwrap();
    let token =
        tokens::create(&mut store, &MunicipalityCode::parse("GM9999").unwrap(), "vendor", "test").unwrap();
    drop(store);
    let server = Arc::new(Server::start(&database, folder.path(), &[]));

    // Readers, each on its own connection, until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let (answered, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let readers: Vec<_> = (0..4)
        .map(|reader| {
            let (server, stop, answered, failed) =
                (server.clone(), stop.clone(), answered.clone(), failed.clone());
            std::thread::spawn(move || {
                let http = Http::new();
                let mut failures = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let path = READS[reader % READS.len()];
                    match http.get(&server.url(path)) {
                        Some(reply) if reply.status == 200 => answered.fetch_add(1, Ordering::Relaxed),
                        other => {
                            failures.push(format!("{path}: {other:?}"));
                            failed.fetch_add(1, Ordering::Relaxed)
                        }
                    };
                }
                failures
            })
        })
        .collect();

    let http = Http::new();
    let upload = server.url(&format!("{STATIONS}?publish=true"));
    std::thread::sleep(Duration::from_millis(500));
    postgres(&ctl, "stop");
    let stopped = answered.load(Ordering::Relaxed);

    let refused = http.put(&upload, &token.secret, demodorp_file("after", 3)).expect("an answer");
    assert_eq!(refused.status, 503, "{}", refused.body);
    let detail = refused.json()["detail"].as_str().unwrap_or_default().to_owned();
    assert!(
        detail.contains("database cannot be reached") && detail.contains("send the file again"),
        "the message says what happened and what to do: {detail}"
    );
    // The writers' probe and the metrics say the store is gone; the
    // voters' probe stays ready, as voters are still answered.
    let started = Instant::now();
    loop {
        let writes = http.get(&server.url("/readyz/writes")).expect("an answer");
        if writes.status == 503 {
            assert!(writes.body.contains("unreachable"), "{}", writes.body);
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the writers' probe still says {}", writes.body);
        std::thread::sleep(Duration::from_millis(100));
    }
    let ready = http.get(&server.url("/readyz")).expect("an answer");
    assert_eq!(ready.status, 200, "{}", ready.body);
    let metrics = http.get(&server.url("/metrics")).expect("an answer").body;
    assert!(metrics.contains("kieskaart_store_reachable 0"), "{metrics}");
    std::thread::sleep(Duration::from_secs(2));
    let during = answered.load(Ordering::Relaxed) - stopped;

    postgres(&ctl, "start");
    // The first attempt may still meet the connection PostgreSQL closed;
    // the client retries as the 503 told it to.
    let started = Instant::now();
    loop {
        let reply = http.put(&upload, &token.secret, demodorp_file("after", 3)).expect("an answer");
        if reply.status == 200 {
            break;
        }
        assert_eq!(reply.status, 503, "{}", reply.body);
        assert!(started.elapsed() < Duration::from_secs(20), "publishing still fails: {}", reply.body);
        std::thread::sleep(Duration::from_millis(200));
    }
    let names = http.get(&server.url(STATIONS)).expect("an answer").json()["stations"].clone();
    assert_eq!(names[0]["name"], "after 0", "voters see the publication made after the outage");

    stop.store(true, Ordering::Relaxed);
    let failures: Vec<String> = readers.into_iter().flat_map(|reader| reader.join().unwrap()).collect();
    assert!(
        failures.is_empty(),
        "{} of the voters' requests failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(during > 20, "voters were answered while the database was down ({during} answers)");
    eprintln!(
        "answered {} requests, {during} of them with the database down",
        answered.load(Ordering::Relaxed)
    );
    assert_eq!(failed.load(Ordering::Relaxed), 0);
}
