//! `kieskaart import` and the portal's and API's uploads: reading a
//! station file, checking it record by record and storing it whole or not
//! at all.

use super::elections::default_name;
use super::CommandError;
use crate::changes;
use crate::demo;
use crate::geography::Boundaries;
use crate::ingest::{self, IngestError, ReceivedStation};
use crate::store::{published_of, ImportSummary, Publish, Publisher, StationRow, Store, StoreError};
use app::model::{Election, ElectionId, MunicipalityCode};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::Path;

/// How to read the file, and how to describe an election that the import
/// creates.
#[derive(Debug, Default, Clone)]
pub struct ImportOptions {
    /// The file's format; detected from its content when `None`.
    pub format: Option<ingest::Format>,
    /// The municipality of a template, which does not name it.
    pub municipality: Option<MunicipalityCode>,
    pub name: Option<String>,
    pub polling_date: Option<NaiveDate>,
    pub early_voting: Option<Vec<NaiveDate>>,
    /// Show a progress bar on standard error (when it is a terminal).
    pub progress: bool,
    /// Column names of a generic CSV file.
    pub mapping: Option<ingest::Mapping>,
    /// The file is this municipality's upload: records of any other are
    /// refused, and a template is read as this municipality's.
    pub uploaded_for: Option<MunicipalityCode>,
    /// Publish the new versions at once, or keep them as drafts.
    pub publish: Publish,
    /// How much of the file is read, and how many findings are kept.
    pub limits: ingest::Limits,
    /// Repair text written twice as UTF-8 (`--repair-encoding`).
    pub repair_encoding: bool,
    /// What one error refuses: the file (uploads), or its municipality.
    pub whole: ingest::Whole,
}

/// Reads a mapping file for generic CSV (see `ingest::mapping`).
pub fn read_mapping(path: &Path) -> Result<ingest::Mapping, CommandError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|source| CommandError::Read { path: display.clone(), source })?;
    ingest::Mapping::parse(&text).map_err(|problem| CommandError::Mapping(format!("{display}: {problem}")))
}

/// Where the stations come from: a file, a CKAN `datastore_search` URL
/// that is read page by page, or a file's bytes (an upload) by its name.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    File(&'a Path),
    Url(&'a str),
    Bytes { name: &'a str, bytes: &'a [u8] },
}

impl<'a> Source<'a> {
    /// A command-line argument: a URL when it says http(s), else a file.
    pub fn from_argument(argument: &'a str) -> Self {
        if argument.starts_with("http://") || argument.starts_with("https://") {
            Source::Url(argument)
        } else {
            Source::File(Path::new(argument))
        }
    }

    fn name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Url(url) => url.to_string(),
            Source::Bytes { name, .. } => name.to_string(),
        }
    }
}

impl<'a> From<&'a Path> for Source<'a> {
    fn from(path: &'a Path) -> Self {
        Source::File(path)
    }
}

impl<'a> From<&'a std::path::PathBuf> for Source<'a> {
    fn from(path: &'a std::path::PathBuf) -> Self {
        Source::File(path)
    }
}

/// What an import stored, and the warnings it raised.
#[derive(Debug)]
pub struct Imported {
    pub summary: ImportSummary,
    pub report: ingest::Report,
}

/// Imports a station file into an election: all of it, or, when any
/// record is invalid, nothing; with [`ingest::Whole::Municipality`], each
/// municipality of it whole or not at all (`Report::refused`), in one
/// transaction.
pub fn import<'a>(
    store: &mut Store,
    source: impl Into<Source<'a>>,
    election: &str,
    options: ImportOptions,
) -> Result<Imported, CommandError> {
    let id = ElectionId::parse(election).map_err(|e| CommandError::Election(format!("--election: {e}")))?;
    let source = source.into();
    let display = source.name();
    let known = Known::read(store, &id, &options)?;
    let publish = options.publish;
    // Reading and checking run on this thread, writing on another (and the
    // CKAN reader cuts records out of the file on a third): a large file
    // keeps both cores busy.
    let imported = std::thread::scope(|scope| {
        let (outbox, inbox) = std::sync::mpsc::sync_channel(16);
        let writer = scope.spawn(|| write_stations(store, &id, &display, publish, inbox));
        let mut batches = Batches { outbox: &outbox, batch: Vec::with_capacity(Batches::SIZE) };
        let read = read_and_check(source, &display, &known, &options, &mut |received| batches.push(received));
        // A writer that stopped has its own error, which is returned below.
        let _ = batches.flush();
        let report = match read {
            Ok((report, days)) => {
                let election = match known.election.clone() {
                    Some(existing) => Ok(existing),
                    None => describe_election(id.clone(), &days, options),
                };
                election.map(|election| {
                    // A writer that stopped has its own error, returned below.
                    let _ = outbox.send(ToWriter::commit(election, &report));
                    report
                })
            }
            Err(error) => Err(error),
        };
        drop(outbox);
        let written = writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        match (report, written) {
            (Ok(report), Some(summary)) => Ok(Imported { summary, report }),
            (Err(error), _) => Err(error),
            (Ok(_), None) => Err(CommandError::Election("the import stopped before it was stored".into())),
        }
    })?;
    if imported.summary.published {
        changes::note(store, &id, Publisher::Operator);
    }
    Ok(imported)
}

/// What a file is checked against, read from the store before the file
/// is: the election (when it exists), the boundaries and, for one
/// municipality's upload, what it published before.
pub struct Known {
    pub election: Option<Election>,
    boundaries: Boundaries,
    addresses: ingest::AddressBook,
    /// The municipality's code and the name it is known by.
    named: Option<(MunicipalityCode, String)>,
}

impl Known {
    pub fn read(store: &Store, id: &ElectionId, options: &ImportOptions) -> Result<Self, StoreError> {
        let addresses = match &options.uploaded_for {
            Some(municipality) => known_addresses(store, municipality)?,
            None => ingest::AddressBook::default(),
        };
        // A template names no municipality; its stations take the name this
        // code is known by (not the bare code, which voters would then read).
        let named = match options.uploaded_for.as_ref().or(options.municipality.as_ref()) {
            Some(code) => store.municipality_name(code)?.map(|name| (code.clone(), name)),
            None => None,
        };
        Ok(Self {
            election: store.election(id)?,
            boundaries: Boundaries::new(store.boundaries()?),
            addresses,
            named,
        })
    }
}

/// A file read and checked, nothing of it stored yet.
pub struct Checked {
    rows: Vec<StationRow>,
    report: ingest::Report,
}

/// Reads and checks a file without the store, keeping its valid stations
/// in memory: an upload (at most a few megabytes) does this before it
/// takes the store, so that reading a large or hostile file holds up no
/// one else's page, sign-in or upload.
pub fn check(known: &Known, source: Source<'_>, options: &ImportOptions) -> Result<Checked, CommandError> {
    let mut rows = Vec::new();
    let mut keep = |received: ReceivedStation| -> Result<(), String> {
        rows.push(StationRow::new(received).map_err(|e| e.to_string())?);
        Ok(())
    };
    let (report, _) = read_and_check(source, &source.name(), known, options, &mut keep)?;
    Ok(Checked { rows, report })
}

/// Stores checked stations as new versions of `election` (which exists),
/// published or as drafts.
pub fn store_checked(
    store: &mut Store,
    election: &Election,
    source: &str,
    publish: Publish,
    checked: Checked,
) -> Result<Imported, CommandError> {
    let Checked { rows, report } = checked;
    let messages = [ToWriter::Stations(rows), ToWriter::commit(election.clone(), &report)];
    match write_stations(store, &election.id, source, publish, messages)? {
        Some(summary) => Ok(Imported { summary, report }),
        None => Err(CommandError::Election("the import stopped before it was stored".into())),
    }
}

/// What an upload for one municipality may leave out and get from what is
/// known: addresses by BAG ID, and the municipality's name.
#[derive(Clone, Copy)]
struct Completion<'a> {
    addresses: &'a ingest::AddressBook,
    named: Option<&'a (MunicipalityCode, String)>,
}

impl Completion<'_> {
    fn complete(&self, fields: &mut ingest::Fields) {
        self.addresses.complete(fields);
        let Some((code, name)) = self.named else { return };
        let same = fields
            .get("CBS gemeentecode")
            .and_then(|v| v.as_str())
            .is_some_and(|c| c.trim() == code.as_str());
        let blank = fields.get("Gemeente").and_then(|v| v.as_str()).is_none_or(|n| n.trim().is_empty());
        if same && blank {
            fields.insert("Gemeente".into(), serde_json::Value::from(name.as_str()));
        }
    }
}

/// The addresses a municipality's published stations had, in any
/// election, for an upload that may give only address IDs (see
/// `ingest::AddressBook`); the most recent election's win.
fn known_addresses(
    store: &Store,
    municipality: &MunicipalityCode,
) -> Result<ingest::AddressBook, StoreError> {
    let mut elections = store.elections()?;
    elections.sort_by_key(|(election, _)| election.polling_date);
    let mut book = ingest::AddressBook::default();
    for (election, _) in elections {
        let versions = store.versions(&election.id)?;
        if let Some(published) = published_of(&versions, municipality) {
            for (_, fields) in store.records(&[published.id], Some(municipality))?.rows {
                book.learn(&fields);
            }
        }
    }
    Ok(book)
}

/// What the reading side hands the writing side of an import.
enum ToWriter {
    Stations(Vec<StationRow>),
    /// Everything was read: publish it for this election, except the
    /// municipalities refused.
    Commit {
        election: Election,
        refused: Vec<MunicipalityCode>,
    },
}

impl ToWriter {
    fn commit(election: Election, report: &ingest::Report) -> Self {
        let refused = report.refused.iter().map(|refused| refused.code.clone()).collect();
        ToWriter::Commit { election, refused }
    }
}

/// Writes stations as they arrive (from the reading thread, or all at
/// once) and commits when told; when the messages end without saying so,
/// the import is dropped and the store stays as it was.
fn write_stations(
    store: &mut Store,
    election: &ElectionId,
    source: &str,
    publish: Publish,
    inbox: impl IntoIterator<Item = ToWriter>,
) -> Result<Option<ImportSummary>, StoreError> {
    let mut import = store.begin_import(election, source)?;
    for message in inbox {
        match message {
            ToWriter::Stations(batch) => {
                for row in batch {
                    import.add(row)?;
                }
            }
            ToWriter::Commit { election, refused } => {
                for municipality in &refused {
                    import.discard(municipality)?;
                }
                return import.commit(&election, publish).map(Some);
            }
        }
    }
    Ok(None)
}

/// Reads the source record by record, checks each and passes the valid ones
/// on to `keep`; once one error is found the file (or its municipality) is
/// refused, so later records (of it) are only checked. The report and the
/// days the stations open on.
fn read_and_check(
    source: Source<'_>,
    display: &str,
    known: &Known,
    options: &ImportOptions,
    keep: &mut dyn FnMut(ReceivedStation) -> Result<(), String>,
) -> Result<(ingest::Report, BTreeSet<NaiveDate>), CommandError> {
    let context = ingest::Context {
        region: options.mapping.as_ref().map_or_else(Default::default, |mapping| mapping.region),
        election: known.election.as_ref(),
        boundaries: Some(&known.boundaries),
        municipality: options.uploaded_for.as_ref(),
        repair_encoding: options.repair_encoding,
        whole: options.whole,
    };
    let completion = Completion { addresses: &known.addresses, named: known.named.as_ref() };
    let mut validator = ingest::Validator::new(display, context, options.limits);
    let mut each = |mut record: ingest::SourceRecord| {
        completion.complete(&mut record.fields);
        match validator.check(record) {
            Some(received) if validator.takes(&received) => keep(received),
            _ => Ok(()),
        }
    };
    let read_options = ingest::ReadOptions {
        format: options.format,
        municipality: options.municipality.as_ref().or(options.uploaded_for.as_ref()),
        mapping: options.mapping.as_ref(),
        limits: options.limits,
    };
    match source {
        Source::File(path) => {
            let file = std::fs::File::open(path)
                .map_err(|source| CommandError::Read { path: display.to_owned(), source })?;
            let bar = progress_bar(options.progress, file.metadata().map_or(0, |m| m.len()));
            let reader = std::io::BufReader::with_capacity(1 << 16, bar.wrap_read(file));
            let read = ingest::read_each(display, reader, read_options, &mut each);
            bar.finish_and_clear();
            read?;
        }
        Source::Bytes { bytes, .. } => {
            ingest::read_each(display, bytes, read_options, &mut each)?;
        }
        Source::Url(url) => {
            let runtime = tokio::runtime::Runtime::new().map_err(|e| CommandError::Fetch(e.to_string()))?;
            let file = display.to_owned();
            match runtime.block_on(ingest::ckan::fetch(url, ingest::ckan::PAGE_SIZE, &mut each)) {
                Ok(0) => {
                    return Err(
                        IngestError::NoStations { file, hint: "the resource holds no stations" }.into()
                    )
                }
                Ok(_) => {}
                Err(problem) => return Err(IngestError::Unreadable { file, problem }.into()),
            }
        }
    }
    let days = validator.opening_days().clone();
    Ok((validator.finish()?, days))
}

/// Valid stations on their way to the writer, handed over a few hundred at
/// a time: waking the other thread for each station cost more than
/// writing it.
struct Batches<'a> {
    outbox: &'a std::sync::mpsc::SyncSender<ToWriter>,
    batch: Vec<StationRow>,
}

impl Batches<'_> {
    const SIZE: usize = 256;

    fn push(&mut self, received: ReceivedStation) -> Result<(), String> {
        self.batch.push(StationRow::new(received).map_err(|e| e.to_string())?);
        if self.batch.len() < Self::SIZE {
            return Ok(());
        }
        self.flush()
    }

    fn flush(&mut self) -> Result<(), String> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(Self::SIZE));
        self.outbox.send(ToWriter::Stations(full)).map_err(|_| "the store stopped".to_owned())
    }
}

/// A bar on standard error for imports that take more than a moment; it
/// draws nothing when standard error is not a terminal or when not wanted.
fn progress_bar(wanted: bool, bytes: u64) -> indicatif::ProgressBar {
    if !wanted {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(bytes);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{wide_bar} {bytes}/{total_bytes} {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// A new election takes its polling date from the file when every station
/// opens on the same day; otherwise the operator must say which day it is.
fn describe_election(
    id: ElectionId,
    days: &BTreeSet<NaiveDate>,
    new: ImportOptions,
) -> Result<Election, CommandError> {
    let polling_date = match new.polling_date {
        Some(date) => date,
        None => match days.iter().collect::<Vec<_>>().as_slice() {
            [day] => **day,
            [] => {
                return Err(CommandError::Election(format!(
                    "election {id} is new and the file has no stations to take its date from: \
                         give --polling-date YYYY-MM-DD"
                )))
            }
            several => {
                let listed = several.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ");
                return Err(CommandError::Election(format!(
                    "election {id} is new and its stations open on several days ({listed}): \
                         give --polling-date YYYY-MM-DD"
                )));
            }
        },
    };
    let name = new.name.unwrap_or_else(|| default_name(&id, polling_date));
    let mut election = Election::new(id, name, polling_date);
    election.early_voting = new.early_voting.unwrap_or_default();
    Ok(election)
}

/// Loads the demo dataset (election `demo`, the invented municipality
/// Demodorp) and publishes it.
pub fn load_demo(store: &mut Store) -> Result<ImportSummary, CommandError> {
    let stations = ingest::read_ckan_file(demo::FILE_NAME, demo::CKAN_JSON)?;
    let election = demo::election();
    let summary = store.import(&election, stations, demo::FILE_NAME)?;
    changes::note(store, &election.id, Publisher::Operator);
    Ok(summary)
}
