//! An import killed at any moment (SIGKILL: no cleanup, no destructors)
//! leaves what was published complete and unchanged.

mod common;

use common::{ckan_file, empty_store, Record};
use kieskaart::commands;
use kieskaart::store::Store;
use kieskaart::synthetic::Random;
use std::process::{Command, Stdio};
use std::time::Instant;

/// What voters would see: the publication state and every published station.
fn published(store: &Store) -> (String, Vec<(String, Vec<app::model::Station>)>) {
    let elections = store.published().unwrap();
    let stations = elections.into_iter().map(|p| (p.election.id.to_string(), p.stations)).collect();
    (store.publication_state().unwrap(), stations)
}

#[test]
fn killing_an_import_at_random_moments_never_changes_what_is_published() {
    let (mut store, folder) = empty_store();
    commands::load_demo(&mut store).unwrap();
    let before = published(&store);
    drop(store);
    let database = common::database(&folder);

    // A file large enough that an import takes a while: 25,000 stations of
    // 100 municipalities in a new election.
    let mut random = Random::new(3);
    let names: Vec<String> = (0..25_000).map(|i| format!("Stembureau {i}")).collect();
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
    assert!(output.status.success(), "the file imports when left alone");
    let whole = started.elapsed();
    let complete = published(&Store::open(&database).unwrap());
    assert_ne!(complete, before);

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
