//! Spreadsheets made to exhaust memory, sent to a real server through the
//! vendor API: each is refused with a reason, and the server goes on
//! answering. In one process a failed allocation aborts everything (no
//! `catch_unwind` helps), so only a server of its own can show that none
//! happens.

mod common;

use app::model::MunicipalityCode;
use common::demodorp_file;
use common::server::{Http, Server};
use kieskaart::commands;
use kieskaart::store::{Location, Store};
use kieskaart::tokens;
use std::path::Path;

const STATIONS: &str = "/api/v1/elections/demo/municipalities/GM9999/stations";

/// The hostile ones first: on a reader that trusts them, the first aborts
/// the server and every later request goes unanswered.
const HOSTILE: &[&str] = &[
    "sheet-corner-cells.xlsx",
    "sheet-corner-cells-undeclared.xlsx",
    "zip-bomb.xlsx",
    "zip-bomb-declared-small.xlsx",
    "ods-repeated-rows.ods",
    "ods-repeated-columns.ods",
    "ods-repeated-spaces.ods",
];

#[test]
fn hostile_spreadsheets_are_refused_and_the_server_stays_up() {
    let folder = tempfile::tempdir().unwrap();
    let database = Location::Sqlite(common::database(&folder));
    let mut store = Store::connect(&database).unwrap();
    commands::load_demo(&mut store).unwrap();
    let token =
        tokens::create(&mut store, &MunicipalityCode::parse("GM9999").unwrap(), "vendor", "test").unwrap();
    drop(store);
    let server = Server::start(&database, folder.path(), &[]);
    let http = Http::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let upload = server.url(&format!("{STATIONS}?publish=true"));

    for name in HOSTILE {
        let bytes = std::fs::read(corpus.join(name)).unwrap();
        let reply = http.put(&upload, &token.secret, bytes).unwrap_or_else(|| panic!("{name}: no answer"));
        assert_eq!(reply.status, 422, "{name}: {}", reply.body);
        let problem = reply.json()["report"]["problem"].as_str().unwrap_or_default().to_owned();
        assert!(problem.contains("station list") || problem.contains("spreadsheet"), "{name}: {problem}");
        assert_eq!(http.get(&server.url("/healthz")).map(|r| r.status), Some(200), "after {name}");
    }

    // And a good file after them is taken as ever.
    let reply = http.put(&upload, &token.secret, demodorp_file("after", 2)).expect("an answer");
    assert_eq!(reply.status, 200, "{}", reply.body);
}
