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
