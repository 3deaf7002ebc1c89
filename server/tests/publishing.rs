//! Publishing while voters search: every answer comes whole from one
//! publication, and none fails.

mod common;

use axum::http::StatusCode;
use common::{app_for, ckan_file, empty_store, Record};
use kieskaart::commands::{self, ImportOptions};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const CLIENTS: usize = 8;
const PUBLICATIONS: usize = 15;

/// Two municipalities' stations, all named after the publication they
/// belong to, in one file (so one import publishes both at once).
fn dataset(generation: usize) -> String {
    let records: Vec<Record> = (0..40)
        .map(|i| {
            let (code, municipality) = if i % 2 == 0 { ("GM0001", "Een") } else { ("GM0002", "Twee") };
            Record {
                code,
                municipality,
                name: format!("gen{generation} station {i}"),
                lat: 52.0 + 0.001 * i as f64,
                lon: 5.0 + 0.0005 * (generation % 3) as f64,
            }
        })
        .collect();
    ckan_file(&records)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answers_come_from_the_old_or_the_new_publication_never_a_mix() {
    let (mut store, folder) = empty_store();
    let file = folder.path().join("stations.json");
    let publish = |store: &mut kieskaart::store::Store, generation: usize| {
        std::fs::write(&file, dataset(generation)).unwrap();
        commands::import(store, &file, "ps2030", ImportOptions::default()).unwrap();
    };
    publish(&mut store, 0);
    let app = app_for(store, folder);
    // The entity tag of each publication, as the catalog saw it.
    let mut tags: HashMap<String, usize> = HashMap::new();
    let tag_of = |app: &common::TestApp| {
        app.catalog
            .snapshot()
            .election(&app::model::ElectionId::parse("ps2030").unwrap())
            .unwrap()
            .etag
            .trim_matches('"')
            .to_owned()
    };
    tags.insert(tag_of(&app), 0);

    let done = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|number| {
            let (client, done) = (app.client.clone(), done.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                while !done.load(Ordering::Relaxed) {
                    let lat = 52.0 + 0.002 * number as f64;
                    let url = format!("/api/v1/elections/ps2030/stations/nearest?lat={lat}&lon=5.0&k=50");
                    let response = client.get(&url).await;
                    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
                    let etag = response.headers["etag"].to_str().unwrap().to_owned();
                    let generations: Vec<String> = response.json()["stations"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s["name"].as_str().unwrap().split(' ').next().unwrap().to_owned())
                        .collect();
                    answers.push((etag, generations));
                    // An in-process request may complete without ever
                    // waiting; let the publisher run.
                    tokio::task::yield_now().await;
                }
                answers
            })
        })
        .collect();

    let mut app_store = kieskaart::store::Store::open(&common::database(&app.folder)).unwrap();
    for generation in 1..=PUBLICATIONS {
        publish(&mut app_store, generation);
        assert!(app.catalog.refresh(&app_store).unwrap(), "publication {generation} is picked up");
        tags.insert(tag_of(&app), generation);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    done.store(true, Ordering::Relaxed);

    let mut seen = std::collections::BTreeSet::new();
    let mut total = 0;
    for client in clients {
        for (etag, generations) in client.await.unwrap() {
            total += 1;
            assert_eq!(generations.len(), 40, "both municipalities, whole");
            // An answer's tag begins with its publication's.
            let published =
                etag.trim_start_matches("W/").trim_matches('"').rsplit_once('-').map(|(data, _)| data);
            let generation = tags[published.unwrap_or_else(|| panic!("{etag} names no publication"))];
            let expected = format!("gen{generation}");
            assert!(
                generations.iter().all(|g| *g == expected),
                "{etag} ({expected}) mixed with {generations:?}"
            );
            seen.insert(generation);
        }
    }
    assert!(total > CLIENTS * PUBLICATIONS, "clients kept asking: {total} answers");
    assert!(seen.len() > PUBLICATIONS / 2, "answers came from many publications: {seen:?}");
}
