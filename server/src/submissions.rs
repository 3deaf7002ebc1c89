//! A municipality hands in its stations: through the portal (an officer's
//! upload) or the API (a vendor system's token). Both come here, so both
//! get the same validation, the same all-or-nothing storage, the same
//! audit log and the same metrics; they differ only in how they answer.

use crate::catalog::Catalog;
use crate::commands::{self, CommandError, ImportOptions, Imported, Source};
use crate::http::metrics::{Metrics, UploadOutcome};
use crate::ingest::{IngestError, Report};
use crate::store::{published_of, Closed, Publish, Store, StoreError};
use app::model::{ElectionId, MunicipalityCode};
use std::sync::{Arc, Mutex, PoisonError};

/// The largest file accepted by default, by the portal and the API alike
/// (`serve --upload-limit-mb`).
pub const DEFAULT_UPLOAD_LIMIT: usize = DEFAULT_UPLOAD_LIMIT_MB as usize * 1024 * 1024;
pub const DEFAULT_UPLOAD_LIMIT_MB: u16 = 10;

/// The server's connection for writes. Uploads and publications go
/// through it one at a time, and what they publish is visible at once in
/// this server's catalog (other servers follow the store within seconds).
/// Beside it, a connection for quick reads (a page's session, a sign-in's
/// account) that do not wait for a write to end: SQLite in WAL mode and
/// PostgreSQL both read while another connection writes.
pub struct Submissions {
    catalog: Arc<Catalog>,
    store: Mutex<Store>,
    reader: Mutex<Store>,
    metrics: Arc<Metrics>,
    /// The largest file accepted, in bytes.
    limit: usize,
}

/// The blocking thread running a store call was lost (the server is
/// shutting down): nothing is known to have changed.
#[derive(Debug)]
pub struct Interrupted;

impl Submissions {
    /// `store` for writes, `reader` (another connection to the same
    /// store) for reads.
    pub fn new(
        catalog: Arc<Catalog>,
        store: Store,
        reader: Store,
        metrics: Arc<Metrics>,
        limit: usize,
    ) -> Self {
        Self { catalog, store: Mutex::new(store), reader: Mutex::new(reader), metrics, limit }
    }

    /// The largest file accepted, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The limit in whole megabytes, for messages.
    pub fn limit_mb(&self) -> usize {
        self.limit / (1024 * 1024)
    }

    /// Runs `work` with the store on a blocking thread: SQLite must not
    /// hold up the threads that answer voters. Nothing slow that anyone
    /// may ask for (password hashing) runs here: every write waits for it.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Store, &Desk) -> T + Send + 'static,
    ) -> Result<T, Interrupted> {
        self.on_blocking_thread(move |this| {
            let mut store = this.store.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut store, &Desk { catalog: &this.catalog, metrics: &this.metrics })
        })
        .await
    }

    /// Runs `work` with the reading connection on a blocking thread: for
    /// short reads that must not queue behind an upload.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Store) -> T + Send + 'static,
    ) -> Result<T, Interrupted> {
        self.on_blocking_thread(move |this| work(&this.reader.lock().unwrap_or_else(PoisonError::into_inner)))
            .await
    }

    async fn on_blocking_thread<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Self) -> T + Send + 'static,
    ) -> Result<T, Interrupted> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || work(&this)).await.map_err(|_| Interrupted)
    }
}

/// What a store call may touch besides the store: the catalog to refresh
/// and the metrics to count in.
pub struct Desk<'a> {
    pub catalog: &'a Catalog,
    pub metrics: &'a Metrics,
}

/// One municipality's file for one election, from `actor`.
pub struct Upload<'a> {
    pub election: &'a ElectionId,
    pub municipality: &'a MunicipalityCode,
    pub publish: Publish,
    /// `token 3`, or an officer's e-mail address: for the log and history.
    pub actor: &'a str,
    /// The file's name, when it had one.
    pub file: &'a str,
    pub bytes: &'a [u8],
    /// An admin may still change an election closed to submissions (a
    /// correction on polling day); municipalities and their software may not.
    pub despite_closing: bool,
}

/// What an upload came to.
pub enum Submission {
    Stored(Imported),
    /// Errors in the file (or warnings only, never stored): nothing changed.
    Invalid(Report),
    /// Not a station file at all (empty, HTML, a broken spreadsheet).
    Unreadable(String),
    UnknownElection,
    /// The election is closed to submissions; nothing changed.
    Closed(Closed),
}

impl Desk<'_> {
    /// Validates and stores the file as a new version of the municipality's
    /// stations, a draft or published as asked, and logs what happened.
    pub fn submit(&self, store: &mut Store, upload: &Upload<'_>) -> Result<Submission, StoreError> {
        let Upload { election, municipality, publish, actor, file, bytes, despite_closing } = *upload;
        if store.election(election)?.is_none() {
            self.metrics.upload(UploadOutcome::Refused);
            return Ok(Submission::UnknownElection);
        }
        if let Some(closed) = store.closed(election)?.filter(|_| !despite_closing) {
            store.record(actor, "upload-refused", Some(municipality), "submissions closed")?;
            self.metrics.upload(UploadOutcome::Refused);
            return Ok(Submission::Closed(closed));
        }
        let options =
            ImportOptions { uploaded_for: Some(municipality.clone()), publish, ..ImportOptions::default() };
        // What the history shows as the version's source: the file and who sent it.
        let name = format!("{file} ({actor})");
        let (submission, outcome, detail) =
            match commands::import(store, Source::Bytes { name: &name, bytes }, election.as_str(), options) {
                Ok(imported) => {
                    let summary = &imported.summary;
                    let detail = format!("{} records, versions {:?}", summary.records, summary.versions);
                    let outcome =
                        if summary.published { UploadOutcome::Published } else { UploadOutcome::Draft };
                    (Submission::Stored(imported), outcome, detail)
                }
                Err(CommandError::Ingest(IngestError::Invalid { report })) => {
                    let detail = format!("{} error(s)", report.errors());
                    (Submission::Invalid(report), UploadOutcome::Invalid, detail)
                }
                Err(CommandError::Store(error)) => return Err(error),
                Err(other) => {
                    (Submission::Unreadable(other.to_string()), UploadOutcome::Invalid, other.to_string())
                }
            };
        let action = match outcome {
            UploadOutcome::Published => "published",
            UploadOutcome::Draft => "draft-stored",
            UploadOutcome::Invalid | UploadOutcome::Refused => "upload-refused",
        };
        store.record(actor, action, Some(municipality), &detail)?;
        if let UploadOutcome::Published = outcome {
            self.catalog.refresh(store)?;
        }
        self.metrics.upload(outcome);
        Ok(submission)
    }
}

/// The template for a municipality to fill in for `election`: with the
/// stations it published for this election, or else for the most recent
/// other one (times and all, to be corrected), or blank when it never
/// published.
pub fn template(
    store: &Store,
    election: &ElectionId,
    municipality: &MunicipalityCode,
) -> Result<Vec<u8>, TemplateError> {
    let mut elections = store.elections()?;
    // This election first, then the others, latest polling day first.
    elections.sort_by_key(|(other, _)| (other.id != *election, std::cmp::Reverse(other.polling_date)));
    for (other, _) in elections {
        if let Some(version) = published_of(&store.versions(&other.id)?, municipality) {
            let rows = store.records(&[version.id], Some(municipality))?.rows;
            let fields: Vec<_> = rows.into_iter().map(|(_, fields)| fields).collect();
            return Ok(crate::ingest::template::write(&fields)?);
        }
    }
    Ok(crate::ingest::template::write(&[])?)
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write the spreadsheet: {0}")]
    Write(#[from] rust_xlsxwriter::XlsxError),
}
