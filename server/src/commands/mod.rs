//! What the `kieskaart` subcommands do, one module per job: serving,
//! importing station files, elections and their versions, places
//! (boundaries and the gazetteer), vendor tokens and the audit log,
//! portal accounts, and the change feed's webhooks. Every command is reachable as
//! `kieskaart::commands::NAME`.

mod elections;
mod import;
mod places;
mod serve;
mod tokens;
mod users;
mod webhooks;

pub use elections::{
    add_election, blank_template, edit_election, export, list_elections, list_versions, rollback, template,
    ElectionDetails,
};
pub use import::{
    check, import, load_demo, read_mapping, store_checked, Checked, ImportOptions, Imported, Known, Source,
};
pub use places::{import_boundaries, import_gazetteer};
pub use serve::{serve, ServeOptions};
pub use tokens::{audit_log, create_token, list_tokens, revoke_token};
pub use users::{add_user, disable_user, enable_user, list_users, reset_user, set_user_municipalities};
pub use webhooks::{add_webhook, list_webhooks, remove_webhook, NewWebhook};

use crate::ingest::IngestError;
use crate::store::StoreError;
use crate::{accounts, geography};
use std::net::SocketAddr;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Boundaries(#[from] geography::BoundaryError),
    #[error("{0}")]
    Gazetteer(String),
    #[error("cannot write the export: {0}")]
    Export(String),
    #[error("{0}")]
    Election(String),
    #[error("cannot fetch: {0}")]
    Fetch(String),
    #[error("mapping {0}")]
    Mapping(String),
    #[error("token: {0}")]
    Token(String),
    #[error("account: {0}")]
    Account(#[from] accounts::AccountError),
    /// An import refused after its findings were shown.
    #[error("{file}: {errors} errors, {warnings} warnings; nothing was imported")]
    Rejected { file: String, errors: usize, warnings: usize },
    /// An import that published some municipalities and refused others
    /// (exit status [`PARTLY_REFUSED`]).
    #[error("{file}: municipalities refused: {refused}; their published versions are unchanged")]
    PartlyRefused { file: String, refused: usize },
    #[error(
        "cannot listen on {addr}: {source}; is another server running there? Choose another with --addr"
    )]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Site(#[from] crate::site::MissingBundle),
    #[error("webhook: {0}")]
    Webhook(String),
}

/// The exit status of `kieskaart import` when it published some
/// municipalities and refused others, so that scripts notice (1 is
/// "nothing was imported", 2 a wrong command line).
pub const PARTLY_REFUSED: u8 = 3;
