//! `serve` refuses to start without the browser bundle its pages name,
//! instead of serving pages whose map and location button are dead.

use std::process::Command;

#[test]
fn serve_refuses_a_site_root_without_the_bundle() {
    let folder = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kieskaart"))
        .arg("--database")
        .arg(folder.path().join("k.sqlite3"))
        .args(["serve", "--addr", "127.0.0.1:0", "--geocoder", "off", "--tiles", "off", "--site-root"])
        .arg(folder.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pkg/kieskaart.js is missing"), "{stderr}");
    assert!(stderr.contains("make build"), "{stderr}");
}
