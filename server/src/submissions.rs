//! A municipality hands in its stations: through the portal (an officer's
//! upload) or the API (a vendor system's token). Both come here, so both
//! get the same validation, the same all-or-nothing storage, the same
//! audit log and the same metrics; they differ only in how they answer.

use crate::catalog::Catalog;
use crate::changes;
use crate::commands::{self, CommandError, ImportOptions, Imported, Known, Source};
use crate::http::metrics::{Metrics, UploadOutcome};
use crate::ingest::{self, IngestError, Report};
use crate::store::{published_of, Closed, Publish, Store, StoreError};
use app::model::{Election, ElectionId, MunicipalityCode};
use bytes::Bytes;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::Semaphore;

/// The largest file accepted by default, by the portal and the API alike
/// (`serve --upload-limit-mb`).
pub const DEFAULT_UPLOAD_LIMIT: usize = DEFAULT_UPLOAD_LIMIT_MB as usize * 1024 * 1024;
pub const DEFAULT_UPLOAD_LIMIT_MB: u16 = 10;

/// What uploads may take of a server, chosen by `serve` (and shrunk by
/// tests). Reading and checking a file costs time in proportion to its
/// size and memory of a small multiple of it (`bench/uploads.sh` measures
/// both), so these bound what uploads can take whatever they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// The largest file accepted, in bytes.
    pub bytes: usize,
    /// Records read and findings kept per file.
    pub ingest: ingest::Limits,
    /// Files read and checked at once, each on a thread of its own.
    pub workers: usize,
    /// Files that may wait for a worker; one more is answered 503 with
    /// `Retry-After`.
    pub waiting: usize,
}

impl Default for UploadLimits {
    /// Half the cores check files and the other half stay with voters.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Self {
            bytes: DEFAULT_UPLOAD_LIMIT,
            ingest: ingest::Limits::UPLOAD,
            workers: (cores / 2).max(1),
            waiting: 8,
        }
    }
}

/// The server's connection for writes. Uploads and publications go
/// through it one at a time, and what they publish is visible at once in
/// this server's catalog (other servers follow the store within seconds).
/// An upload's file is read and checked without it: only reading what
/// the file is checked against and writing the result take it.
/// Beside it, a connection for quick reads (a page's session, a sign-in's
/// account) that do not wait for a write to end: SQLite in WAL mode and
/// PostgreSQL both read while another connection writes.
pub struct Submissions {
    catalog: Arc<Catalog>,
    store: Mutex<Store>,
    reader: Mutex<Store>,
    metrics: Arc<Metrics>,
    limits: UploadLimits,
    /// One permit per upload being checked or waiting to be.
    admitted: Arc<Semaphore>,
    /// One permit per upload being checked.
    workers: Arc<Semaphore>,
}

/// The blocking thread running a store call was lost (the server is
/// shutting down): nothing is known to have changed.
#[derive(Debug)]
pub struct Interrupted;

/// Why an upload was not taken in; nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum NotTaken {
    /// Every worker is busy and the queue is full: send it again shortly.
    #[error("every upload worker is busy and the queue is full")]
    Busy,
    #[error("the upload was interrupted")]
    Interrupted,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Interrupted> for NotTaken {
    fn from(_: Interrupted) -> Self {
        NotTaken::Interrupted
    }
}

impl Submissions {
    /// `store` for writes, `reader` (another connection to the same
    /// store) for reads.
    pub fn new(
        catalog: Arc<Catalog>,
        store: Store,
        reader: Store,
        metrics: Arc<Metrics>,
        limits: UploadLimits,
    ) -> Self {
        Self {
            catalog,
            store: Mutex::new(store),
            reader: Mutex::new(reader),
            metrics,
            limits,
            admitted: Arc::new(Semaphore::new(limits.workers + limits.waiting)),
            workers: Arc::new(Semaphore::new(limits.workers)),
        }
    }

    /// The largest file accepted, in bytes.
    pub fn limit(&self) -> usize {
        self.limits.bytes
    }

    /// The limit in whole megabytes, for messages.
    pub fn limit_mb(&self) -> usize {
        self.limits.bytes / (1024 * 1024)
    }

    /// Runs `work` with the store on a blocking thread: SQLite must not
    /// hold up the threads that answer voters. Nothing slow that anyone
    /// may ask for (password hashing) runs here: every write waits for it.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Store, &Desk) -> T + Send + 'static,
    ) -> Result<T, Interrupted> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || work(&mut this.lock(), &this.desk()))
            .await
            .map_err(|_| Interrupted)
    }

    /// Runs `work` with the reading connection on a blocking thread: for
    /// short reads that must not queue behind an upload.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Store) -> T + Send + 'static,
    ) -> Result<T, Interrupted> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || work(&this.reader.lock().unwrap_or_else(PoisonError::into_inner)))
            .await
            .map_err(|_| Interrupted)
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn desk(&self) -> Desk<'_> {
        Desk { catalog: &self.catalog, metrics: &self.metrics }
    }

    /// Validates and stores the file as a new version of the municipality's
    /// stations, a draft or published as asked, and logs what happened.
    /// It waits its turn behind at most `waiting` others and is refused
    /// when more wait; its thread holds its permits until it is done, even
    /// when the one who sent it stops waiting for the answer.
    pub async fn submit(self: &Arc<Self>, upload: Upload) -> Result<Submission, NotTaken> {
        let Ok(admitted) = self.admitted.clone().try_acquire_owned() else {
            self.metrics.upload(UploadOutcome::Busy);
            return Err(NotTaken::Busy);
        };
        let turn = self.workers.clone().acquire_owned().await.map_err(|_| NotTaken::Interrupted)?;
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let submission = this.submit_now(&upload);
            drop((turn, admitted));
            submission
        })
        .await
        .map_err(|_| NotTaken::Interrupted)?
        .map_err(NotTaken::Store)
    }

    /// Reads what the file is checked against, checks the file without
    /// the store, then stores it.
    fn submit_now(&self, upload: &Upload) -> Result<Submission, StoreError> {
        let desk = self.desk();
        let options = ImportOptions {
            uploaded_for: Some(upload.municipality.clone()),
            publish: upload.publish,
            limits: self.limits.ingest,
            ..ImportOptions::default()
        };
        let known = {
            let mut store = self.lock();
            if let Err(refusal) = desk.open_election(&mut store, upload)? {
                return Ok(refusal);
            }
            Known::read(&store, &upload.election, &options)?
        };
        // What the history shows as the version's source: the file and who sent it.
        let name = format!("{} ({})", upload.file, upload.actor);
        let checked = behind_voters(|| {
            commands::check(&known, Source::Bytes { name: &name, bytes: &upload.bytes }, &options)
        });
        drop(known);
        let mut store = self.lock();
        // The election may have been closed or changed while the file was read.
        let election = match desk.open_election(&mut store, upload)? {
            Ok(election) => election,
            Err(refusal) => return Ok(refusal),
        };
        let stored = checked.and_then(|checked| {
            commands::store_checked(&mut store, &election, &name, upload.publish, checked)
        });
        desk.conclude(&mut store, upload, stored)
    }
}

/// Runs `work` on a thread of its own that the kernel schedules after the
/// threads answering voters: checking a large file keeps a core busy for
/// seconds, and on a small server that core is half of what voters have.
/// Only the check runs there, never a part that holds the store, so a
/// write that others wait for is never slowed. A panic in `work` goes on
/// in the caller, as if it had run there.
fn behind_voters<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                lower_this_threads_priority();
                work()
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Raises the calling thread's nice value to 19, the lowest priority. On
/// Linux the nice value belongs to the thread, not the process; elsewhere
/// this does nothing.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; `who` 0 is the
    // calling thread. A failure (it cannot fail for a raise) only leaves
    // the priority as it was, so its result is not needed.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

/// What a store call may touch besides the store: the catalog to refresh
/// and the metrics to count in.
pub struct Desk<'a> {
    pub catalog: &'a Catalog,
    pub metrics: &'a Metrics,
}

/// One municipality's file for one election, from `actor`.
pub struct Upload {
    pub election: ElectionId,
    pub municipality: MunicipalityCode,
    pub publish: Publish,
    /// `token 3`, or an officer's e-mail address: for the log and history.
    pub actor: String,
    /// The file's name, when it had one.
    pub file: String,
    pub bytes: Bytes,
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
    /// The election the upload is for, or, when there is none or it is
    /// closed to this upload, the answer (logged and counted).
    fn open_election(
        &self,
        store: &mut Store,
        upload: &Upload,
    ) -> Result<Result<Election, Submission>, StoreError> {
        let Some(election) = store.election(&upload.election)? else {
            self.metrics.upload(UploadOutcome::Refused);
            return Ok(Err(Submission::UnknownElection));
        };
        if let Some(closed) = store.closed(&upload.election)?.filter(|_| !upload.despite_closing) {
            store.record(
                &upload.actor,
                "upload-refused",
                Some(&upload.municipality),
                "submissions closed",
            )?;
            self.metrics.upload(UploadOutcome::Refused);
            return Ok(Err(Submission::Closed(closed)));
        }
        Ok(Ok(election))
    }

    /// Logs and counts what the upload came to, and shows voters what it
    /// published.
    fn conclude(
        &self,
        store: &mut Store,
        upload: &Upload,
        stored: Result<Imported, CommandError>,
    ) -> Result<Submission, StoreError> {
        let (submission, outcome, detail) = match stored {
            Ok(imported) => {
                let summary = &imported.summary;
                let detail = format!("{} records, versions {:?}", summary.records, summary.versions);
                let outcome = if summary.published { UploadOutcome::Published } else { UploadOutcome::Draft };
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
            UploadOutcome::Invalid | UploadOutcome::Refused | UploadOutcome::Busy => "upload-refused",
        };
        store.record(&upload.actor, action, Some(&upload.municipality), &detail)?;
        if let UploadOutcome::Published = outcome {
            changes::note(store, &upload.election, changes::publisher_of(&upload.actor));
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
