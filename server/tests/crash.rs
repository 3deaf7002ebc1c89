//! An import killed at any moment (SIGKILL: no cleanup, no destructors)
//! leaves what was published complete and unchanged: every municipality
//! at its old version or its new one.

mod common;

use common::{ckan_file, empty_store, Record};
use kieskaart::commands;
use kieskaart::store::{Location, Store};
use kieskaart::synthetic::Random;
use std::process::{Command, Stdio};
use std::time::Instant;

/// What voters would see: the publication state and every published station.
fn published(store: &Store) -> (String, Vec<(String, Vec<app::model::Station>)>) {
    let elections = store.published().unwrap();
    let stations = elections.into_iter().map(|p| (p.election.id.to_string(), p.stations)).collect();
    (store.publication_state().unwrap(), stations)
}

/// Waits until a killed import's transaction is over. A process is gone
/// when `wait` returns, but a PostgreSQL server may still be committing
/// what it sent just before it died (a sent COMMIT is a commit); its
/// session ends once that is done. SQLite has nothing pending then.
fn settled(database: &Location) {
    let Location::Postgres(url) = database else { return };
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("the database answers");
    let started = Instant::now();
    loop {
        let others: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .expect("sessions counted")
            .get(0);
        if others == 0 {
            return;
        }
        assert!(started.elapsed().as_secs() < 30, "a killed import's session did not end");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The import is taken municipality by municipality, and one municipality
/// (GM9900, which published before) has an error: the kills land while
/// the others are written and while it is taken back.
#[test]
fn killing_an_import_at_random_moments_never_changes_what_is_published() {
    let (mut store, folder) = empty_store();
    commands::load_demo(&mut store).unwrap();
    let earlier =
        |code| Record { code, municipality: "Groot", name: format!("earlier {code}"), lat: 52.0, lon: 5.0 };
    let earlier = ckan_file(&[earlier("GM9900"), earlier("GM9901")]);
    let source = commands::Source::Bytes { name: "earlier.json", bytes: earlier.as_bytes() };
    commands::import(&mut store, source, "gr2030", commands::ImportOptions::default()).unwrap();
    let before = published(&store);
    drop(store);
    let database = common::database(&folder);

    // A file large enough that an import takes a while: 25,000 stations of
    // 100 municipalities; the first, of GM9900, has no name.
    let mut random = Random::new(3);
    let names: Vec<String> =
        (0..25_000).map(|i| if i == 0 { String::new() } else { format!("Stembureau {i}") }).collect();
    let codes: Vec<String> = (0..100).map(|i| format!("GM{:04}", 9900 + i)).collect();
    let records: Vec<Record> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (lat, lon) = (51.0 + 2.4 * random.unit(), 4.0 + 2.8 * random.unit());
            Record { code: &codes[i % 100], municipality: "Groot", name: name.clone(), lat, lon }
        })
        .collect();
    let file = folder.path().join("large.json");
    std::fs::write(&file, ckan_file(&records)).unwrap();

    let import = || {
        Command::new(env!("CARGO_BIN_EXE_kieskaart"))
            .arg("--database")
            .arg(&database)
            .args(["import", file.to_str().unwrap(), "--election", "gr2030", "--report", "json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // The whole import, left alone, on a copy: how long it takes here and
    // what it publishes.
    let pristine = folder.path().join("pristine.sqlite3");
    std::fs::copy(&database, &pristine).unwrap();
    let restore = || {
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
        }
        std::fs::copy(&pristine, &database).unwrap();
    };
    let started = Instant::now();
    let output = import().wait_with_output().unwrap();
    let status = output.status.code();
    assert_eq!(status, Some(commands::PARTLY_REFUSED.into()), "all but GM9900 import when left alone");
    let whole = started.elapsed();
    let complete = published(&Store::open(&database).unwrap());
    assert_ne!(complete, before);
    let names: Vec<&str> = complete.1.iter().flat_map(|(_, s)| s.iter().map(|s| s.name.as_str())).collect();
    assert!(names.contains(&"earlier GM9900") && !names.contains(&"earlier GM9901"), "GM9900 was refused");

    // The machine's load changes how long an import takes, so the window the
    // kills are spread over shrinks whenever one lands after the commit: the
    // test goes on until six kills have landed inside an import.
    let mut window = whole;
    let mut interrupted = 0;
    let mut attempts = 0;
    while interrupted < 6 && attempts < 40 {
        restore();
        let at = window.mul_f64((interrupted as f64 + random.unit()) / 6.0);
        let mut child = import();
        std::thread::sleep(at);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        attempts += 1;
        let after = published(&Store::open(&database).unwrap());
        // All or nothing: a kill after the commit leaves the whole import.
        if after == before {
            interrupted += 1;
        } else {
            assert_eq!(after, complete, "killed after {at:?} of {whole:?}: a partial import is visible");
            window = window.mul_f64(0.8);
        }
    }
    assert_eq!(interrupted, 6, "six kills land inside the import within {attempts} attempts");
}

/// One municipality publishing a new version again and again (as from the
/// portal or a vendor system), killed at random moments fifty times: after
/// each kill the store serves the last committed version, whole.
#[test]
fn fifty_kills_during_publication_leave_the_last_committed_version_whole() {
    let folder = tempfile::tempdir().unwrap();
    fifty_kills_during_publication(&Location::Sqlite(common::database(&folder)), &folder);
}

/// The same against PostgreSQL (on the cluster `make test` starts).
#[test]
fn fifty_kills_during_publication_into_postgres_leave_the_last_committed_version_whole() {
    let Some(database) = common::postgres_database() else { return };
    fifty_kills_during_publication(&database, &tempfile::tempdir().unwrap());
}

fn fifty_kills_during_publication(database: &Location, folder: &tempfile::TempDir) {
    commands::load_demo(&mut Store::connect(database).unwrap()).unwrap();
    let argument = common::server::database_argument(database);
    let mut random = Random::new(11);
    let version = |generation: usize| -> String {
        let records: Vec<Record> = (0..400)
            .map(|i| Record {
                code: "GM9999",
                municipality: "Demodorp",
                name: format!("gen{generation} station {i}"),
                lat: 52.0 + 0.001 * (i % 50) as f64,
                lon: 5.6 + 0.001 * (i / 50) as f64,
            })
            .collect();
        ckan_file(&records)
    };
    let publish = |generation: usize| {
        let file = folder.path().join(format!("gen{generation}.json"));
        std::fs::write(&file, version(generation)).unwrap();
        Command::new(env!("CARGO_BIN_EXE_kieskaart"))
            .args(["--database", &argument])
            .args(["import", file.to_str().unwrap(), "--election", "demo", "--report", "json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // Which generation voters see, checked whole: every station of it.
    let served = || -> Option<usize> {
        let stations = published(&Store::connect(database).unwrap()).1;
        let names: Vec<&str> = stations[0].1.iter().map(|s| s.name.as_str()).collect();
        let generation = names[0].strip_prefix("gen")?.split(' ').next()?.parse().ok()?;
        let whole = names.len() == 400 && names.iter().all(|n| n.starts_with(&format!("gen{generation} ")));
        assert!(whole, "a publication seen in part: {names:?}");
        Some(generation)
    };
    let started = Instant::now();
    assert!(publish(0).wait().unwrap().success());
    let whole = started.elapsed();
    let mut last = served().expect("generation 0 is served");
    let (mut interrupted, mut window) = (0, whole);
    for generation in 1..=50 {
        let mut child = publish(generation);
        std::thread::sleep(window.mul_f64(random.unit()));
        child.kill().unwrap();
        child.wait().unwrap();
        settled(database);
        let now = served().expect("a generation is served");
        assert!(
            now == last || now == generation,
            "generation {now} after {last} and a kill during {generation}"
        );
        if now == last {
            interrupted += 1;
        } else {
            last = now;
            window = window.mul_f64(0.9);
        }
    }
    assert!(interrupted >= 10, "kills landed inside publications ({interrupted} of 50)");
    eprintln!("{database}: {interrupted} of 50 kills landed inside a publication");
}
