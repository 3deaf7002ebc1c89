//! `kieskaart serve` as a process of its own, for what one process cannot
//! show: servers that share a PostgreSQL database, and a database that
//! goes away under them. Killed when dropped.

use kieskaart::store::Location;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Where its standard output and error go.
    log: PathBuf,
}

impl Server {
    /// Starts a server on `database` (without the demo and without a rate
    /// limit) and waits until it answers. `extra` are further `serve` flags;
    /// its log goes to `folder`.
    pub fn start(database: &Location, folder: &Path, extra: &[&str]) -> Self {
        Self::start_with(database, folder, extra, &[])
    }

    /// As [`Server::start`], with environment variables (`RUST_LOG`, ...);
    /// a `--geocoder` in `extra` replaces the default `off`.
    pub fn start_with(database: &Location, folder: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        stub_site(folder);
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = folder.join(format!("server-{port}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let geocoder: &[&str] = if extra.contains(&"--geocoder") { &[] } else { &["--geocoder", "off"] };
        let child = Command::new(env!("CARGO_BIN_EXE_kieskaart"))
            .args(["--database", &database_argument(database), "serve", "--no-demo", "--api-rate-limit", "0"])
            .args(["--addr", &format!("127.0.0.1:{port}"), "--tiles", "off"])
            .args(geocoder)
            .args(["--site-root", &folder.display().to_string()])
            .args(extra)
            .envs(env.iter().copied())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .expect("kieskaart starts");
        let server = Self { child, base: format!("http://127.0.0.1:{port}"), log };
        let http = Http::new();
        let started = Instant::now();
        while http.get(&server.url("/healthz")).is_none() {
            assert!(started.elapsed() < Duration::from_secs(60), "the server on port {port} did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// What the server has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Empty files where `serve` looks for the browser bundle, which it
/// refuses to start without: these tests drive the server over HTTP and
/// never run the pages' script.
pub fn stub_site(folder: &Path) {
    for file in kieskaart::site::bundle_files() {
        let path = folder.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }
}

/// The store as `--database` takes it: unlike its `Display`, with the
/// password of a PostgreSQL URL.
pub fn database_argument(database: &Location) -> String {
    match database {
        Location::Sqlite(path) => path.display().to_string(),
        Location::Postgres(url) => url.clone(),
    }
}

/// An answer: status and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("JSON ({e}): {}", self.body))
    }
}

/// A blocking HTTP client (tests on plain threads, next to PostgreSQL's
/// blocking client); one per thread.
pub struct Http {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl Http {
    pub fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        Self { runtime, client }
    }

    /// `None` when no answer came at all.
    pub fn get(&self, url: &str) -> Option<Reply> {
        self.send(self.client.get(url))
    }

    /// Posts a URL-encoded form, as a browser sends one (redirects followed).
    pub fn post_form(&self, url: &str, form: &str) -> Option<Reply> {
        let request = self.client.post(url).header("content-type", "application/x-www-form-urlencoded");
        self.send(request.body(form.to_owned()))
    }

    pub fn put(&self, url: &str, bearer: &str, body: impl Into<reqwest::Body>) -> Option<Reply> {
        self.send(self.client.put(url).bearer_auth(bearer).body(body))
    }

    fn send(&self, request: reqwest::RequestBuilder) -> Option<Reply> {
        self.runtime.block_on(async {
            let response = request.send().await.ok()?;
            let status = response.status().as_u16();
            Some(Reply { status, body: response.text().await.ok()? })
        })
    }
}
