//! `kieskaart serve`: load what is published and answer voters, the API
//! and the portal until stopped.

use super::{load_demo, CommandError};
use crate::catalog::Catalog;
use crate::changes::webhooks;
use crate::geocode::{Geocoder, Pdok};
use crate::startup;
use crate::store::{Location, Store};
use app::directory::PublicUrl;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct ServeOptions {
    pub addr: SocketAddr,
    pub site_root: String,
    pub demo: bool,
    /// Base URL of a PDOK-Locatieserver-compatible geocoder; `None` for
    /// the offline gazetteer alone.
    pub geocoder_url: Option<String>,
    /// Map tiles, upload and rate limits.
    pub settings: startup::Settings,
    /// How often to look whether another process published something.
    pub store_check: std::time::Duration,
    /// How the change feed's webhooks are delivered.
    pub webhooks: webhooks::Settings,
}

/// A voter waits for the geocoder at most this long before the offline
/// gazetteer answers alone.
const GEOCODER_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

/// Loads what is published into memory and serves it until Ctrl-C or
/// SIGTERM, finishing requests in flight.
pub async fn serve(database: &Location, options: ServeOptions) -> Result<(), CommandError> {
    crate::site::check_bundle(std::path::Path::new(&options.site_root))?;
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|source| CommandError::Listen { addr: options.addr, source })?;
    // Opening stores and loading the indexes block (PostgreSQL's client
    // runs a runtime of its own, which may not start on an async thread).
    let app = tokio::task::block_in_place(|| prepare(database, &options))?;
    tracing::info!("listening on http://{}", options.addr);
    // Each connection's address, from which `http::client_address` finds
    // the client (the API's rate limit, the portal's sign-in throttle).
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await.map_err(CommandError::Serve)
}

/// The application `serve` runs: the store opened, the demo loaded into an
/// empty one, the indexes built and following the store.
fn prepare(database: &Location, options: &ServeOptions) -> Result<axum::Router, CommandError> {
    let mut store = Store::connect(database)?;
    // A first start shows results at once; an operator who imported real
    // data first never sees the demo.
    if options.demo && !store.has_elections()? {
        load_demo(&mut store)?;
        tracing::info!("empty database: loaded the demo dataset (see README to import real data)");
    }
    let provider = options
        .geocoder_url
        .as_deref()
        .map(|url| Pdok::new(url, GEOCODER_TIMEOUT))
        .transpose()
        .map_err(|e| CommandError::Gazetteer(format!("--geocoder: {e}")))?;
    let catalog = Arc::new(Catalog::load(&store, Geocoder::new(provider))?);
    let snapshot = catalog.snapshot();
    for index in snapshot.indexes() {
        tracing::info!(election = %index.election.id, stations = index.station_count(), "indexed");
    }
    tracing::info!(municipalities = snapshot.boundaries.len(), "boundaries loaded");
    catalog.follow(store, options.store_check);
    let site = options.settings.public_url.clone().unwrap_or_else(|| PublicUrl::local(options.addr));
    webhooks::spawn(Store::connect(database)?, site, options.webhooks.clone(), catalog.deliveries.clone())
        .map_err(CommandError::Webhook)?;
    crate::http::report::forget_old_addresses(database, crate::http::report::PURGE_EVERY)?;
    let options_for_pages = startup::leptos_options(&options.site_root, options.addr);
    Ok(startup::router(catalog, database, options_for_pages, options.settings.clone())?)
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}
