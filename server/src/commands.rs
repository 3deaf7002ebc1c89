//! What the `kieskaart` subcommands do.

use crate::catalog::Catalog;
use crate::geocode::{self, Geocoder, Pdok};
use crate::geography::Boundaries;
use crate::ingest::{self, IngestError, ReceivedStation};
use crate::opendata::{self, ExportFormat};
use crate::store::{
    published_of, ImportSummary, Location, Logged, Publish, StationRow, Store, StoreError, VersionInfo,
};
use crate::{accounts, demo, geography, startup, submissions, tokens};
use app::model::{Election, ElectionId, ElectionKind, MunicipalityCode, TimeZoneName};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

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
}

/// The exit status of `kieskaart import` when it published some
/// municipalities and refused others, so that scripts notice (1 is
/// "nothing was imported", 2 a wrong command line).
pub const PARTLY_REFUSED: u8 = 3;

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
    std::thread::scope(|scope| {
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
    })
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

/// "gr2026" → "Gemeenteraadsverkiezingen 2026"; other ids stay as they are.
fn default_name(id: &ElectionId, polling_date: NaiveDate) -> String {
    let kinds = [
        ("gr", "Gemeenteraadsverkiezingen"),
        ("tk", "Tweede Kamerverkiezing"),
        ("ek", "Eerste Kamerverkiezing"),
        ("ps", "Provinciale Statenverkiezingen"),
        ("ws", "Waterschapsverkiezingen"),
        ("ep", "Europees Parlementsverkiezing"),
    ];
    kinds
        .iter()
        .find(|(prefix, _)| id.as_str().starts_with(prefix))
        .map(|(_, kind)| format!("{kind} {}", polling_date.format("%Y")))
        .unwrap_or_else(|| id.to_string())
}

/// Details of an election to set; `None` keeps what is there (or, for a
/// new election, takes the default: kind from the id, Europe/Amsterdam).
#[derive(Debug, Default, Clone)]
pub struct ElectionDetails {
    pub name: Option<String>,
    pub kind: Option<ElectionKind>,
    pub polling_date: Option<NaiveDate>,
    pub time_zone: Option<TimeZoneName>,
    pub early_voting: Option<Vec<NaiveDate>>,
}

impl ElectionDetails {
    fn apply_to(self, election: &mut Election) {
        if let Some(name) = self.name {
            election.name = name;
        }
        if let Some(kind) = self.kind {
            election.kind = kind;
        }
        if let Some(date) = self.polling_date {
            election.polling_date = date;
        }
        if let Some(zone) = self.time_zone {
            election.time_zone = zone;
        }
        if let Some(mut days) = self.early_voting {
            days.sort();
            days.dedup();
            election.early_voting = days;
        }
    }
}

fn election_id(text: &str) -> Result<ElectionId, CommandError> {
    ElectionId::parse(text).map_err(|e| CommandError::Election(e.to_string()))
}

/// `kieskaart election add`: a new election, before any station file.
pub fn add_election(store: &mut Store, id: &str, details: ElectionDetails) -> Result<Election, CommandError> {
    let id = election_id(id)?;
    if store.election(&id)?.is_some() {
        return Err(CommandError::Election(format!(
            "election {id} exists already; change it with `kieskaart election edit {id}`"
        )));
    }
    let Some(polling_date) = details.polling_date else {
        return Err(CommandError::Election(format!(
            "election {id} needs its polling day: give --polling-date YYYY-MM-DD"
        )));
    };
    let name = details.name.clone().unwrap_or_else(|| default_name(&id, polling_date));
    let mut election = Election::new(id, name, polling_date);
    details.apply_to(&mut election);
    store.save_election(&election)?;
    Ok(election)
}

/// `kieskaart election edit`: changes what is given, keeps the rest.
pub fn edit_election(
    store: &mut Store,
    id: &str,
    details: ElectionDetails,
) -> Result<Election, CommandError> {
    let id = election_id(id)?;
    let mut election = store.election(&id)?.ok_or_else(|| {
        CommandError::Election(format!(
            "there is no election {id}; `kieskaart election list` shows them and `kieskaart election add` makes one"
        ))
    })?;
    details.apply_to(&mut election);
    store.save_election(&election)?;
    Ok(election)
}

/// `kieskaart election list`, as a table.
pub fn list_elections(store: &Store) -> Result<String, CommandError> {
    let mut table = format!(
        "{:<16} {:<10} {:<12} {:<20} {:>8}  {}\n",
        "id", "kind", "polling day", "time zone", "stations", "name"
    );
    for (e, stations) in store.elections()? {
        table.push_str(&format!(
            "{:<16} {:<10} {:<12} {:<20} {:>8}  {}\n",
            e.id.as_str(),
            e.kind.slug(),
            e.polling_date.to_string(),
            e.time_zone.as_str(),
            stations,
            e.name
        ));
    }
    Ok(table)
}

/// `kieskaart token create`: a new vendor token for a municipality.
pub fn create_token(
    store: &mut Store,
    municipality: &MunicipalityCode,
    label: &str,
) -> Result<tokens::NewToken, CommandError> {
    tokens::create(store, municipality, label, "cli").map_err(|e| CommandError::Token(e.to_string()))
}

/// `kieskaart user add`: a new account and its activation link.
pub fn add_user(
    store: &mut Store,
    email: &str,
    municipalities: &[MunicipalityCode],
    admin: bool,
    site: &str,
) -> Result<String, CommandError> {
    let email = accounts::Email::parse(email)?;
    let invitation = accounts::invite(store, &email, municipalities, admin, "cli", chrono::Utc::now())?;
    Ok(format!("{}{}", site.trim_end_matches('/'), accounts::activation_path(&invitation.secret)))
}

/// `kieskaart template --election … --municipality …`.
pub fn template(
    store: &Store,
    election: &str,
    municipality: &MunicipalityCode,
) -> Result<Vec<u8>, CommandError> {
    let election = election_id(election)?;
    if store.election(&election)?.is_none() {
        return Err(CommandError::Election(format!(
            "there is no election \"{}\"; see `kieskaart election list`",
            election.as_str()
        )));
    }
    submissions::template(store, &election, municipality).map_err(|e| CommandError::Export(e.to_string()))
}

/// `kieskaart template` without a municipality: the blank template.
pub fn blank_template() -> Result<Vec<u8>, CommandError> {
    ingest::template::write(&[]).map_err(|e| CommandError::Export(e.to_string()))
}

/// `kieskaart token list`, as a table.
pub fn list_tokens(store: &Store) -> Result<String, CommandError> {
    let mut table = format!("{:>4}  {:<8} {:<26} {:<8} {}\n", "id", "code", "created", "state", "label");
    for token in store.tokens()? {
        let state = if token.revoked { "revoked" } else { "active" };
        let created = token.created_at.get(..19).unwrap_or(&token.created_at);
        table.push_str(&format!(
            "{:>4}  {:<8} {:<26} {:<8} {}\n",
            token.id, token.municipality, created, state, token.label
        ));
    }
    Ok(table)
}

/// `kieskaart token revoke`.
pub fn revoke_token(store: &mut Store, id: i64) -> Result<(), CommandError> {
    if !store.revoke_token(id)? {
        return Err(CommandError::Token(format!("there is no token {id}: see `kieskaart token list`")));
    }
    store.record("cli", "token-revoked", None, &format!("token {id}"))?;
    Ok(())
}

/// `kieskaart audit`: the latest entries, newest first.
pub fn audit_log(store: &Store, limit: usize) -> Result<String, CommandError> {
    let mut table = String::new();
    for Logged { entry, times, .. } in store.audit_log(limit)? {
        let at = entry.at.get(..19).unwrap_or(&entry.at);
        let code = entry.municipality.as_ref().map_or("-", MunicipalityCode::as_str);
        // A repeated attempt says how often it came within its window.
        let times = if times > 1 { format!(" ({times}×)") } else { String::new() };
        table.push_str(&format!(
            "{at}  {:<10} {:<16} {code:<8} {}{times}\n",
            entry.actor, entry.action, entry.detail
        ));
    }
    Ok(table)
}

/// `kieskaart export`: what an election publishes, as received (every
/// column kept, unknown ones included): importing the export gives the
/// same stations.
pub fn export(store: &Store, election: &str, format: ExportFormat) -> Result<Vec<u8>, CommandError> {
    let id = known_election(store, election)?;
    let mut published: Vec<VersionInfo> = store.versions(&id)?.into_iter().filter(|v| v.published).collect();
    // In municipality order, as the server's downloads.
    published.sort_by(|a, b| a.municipality.cmp(&b.municipality));
    let ids: Vec<i64> = published.iter().map(|version| version.id).collect();
    let records = store.records(&ids, None)?;
    opendata::write(records.rows, format).map_err(CommandError::Export)
}

/// `kieskaart versions`: every stored version of an election, as a table.
pub fn list_versions(store: &Store, election: &str) -> Result<String, CommandError> {
    let id = known_election(store, election)?;
    let mut table = format!(
        "{:>8}  {:<8} {:>8}  {:<25} {:<9}  {}\n",
        "version", "code", "stations", "created", "published", "source"
    );
    for v in store.versions(&id)? {
        table.push_str(&format!(
            "{:>8}  {:<8} {:>8}  {:<25} {:<9}  {}\n",
            v.id,
            v.municipality.as_str(),
            v.stations,
            v.created_at.get(..19).unwrap_or(&v.created_at),
            if v.published { "yes" } else { "" },
            v.source
        ));
    }
    Ok(table)
}

/// `kieskaart rollback`: publishes an earlier version again, as a new
/// version that copies it.
pub fn rollback(store: &mut Store, election: &str, version: i64) -> Result<VersionInfo, CommandError> {
    let id = known_election(store, election)?;
    store.republish(&id, version)?.ok_or_else(|| {
        CommandError::Election(format!(
            "election {id} has no version {version}; `kieskaart versions --election {id}` lists them"
        ))
    })
}

fn known_election(store: &Store, election: &str) -> Result<ElectionId, CommandError> {
    let id = election_id(election)?;
    if store.election(&id)?.is_none() {
        return Err(CommandError::Election(format!(
            "there is no election {id}; `kieskaart election list` shows them"
        )));
    }
    Ok(id)
}

/// Loads the demo dataset (election `demo`, the invented municipality
/// Demodorp) and publishes it.
pub fn load_demo(store: &mut Store) -> Result<ImportSummary, CommandError> {
    let stations = ingest::read_ckan_file(demo::FILE_NAME, demo::CKAN_JSON)?;
    Ok(store.import(&demo::election(), stations, demo::FILE_NAME)?)
}

/// Reads municipal boundaries (GeoJSON, RD New or WGS84) and stores them
/// as the set that searches use. Returns how many municipalities it read.
pub fn import_boundaries(store: &mut Store, file: &Path) -> Result<usize, CommandError> {
    let display = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|source| CommandError::Read { path: display.clone(), source })?;
    let areas = geography::boundaries::read_geojson(&display, &text)?;
    store.import_boundaries(&areas, &display)?;
    Ok(areas.len())
}

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
}

/// A voter waits for the geocoder at most this long before the offline
/// gazetteer answers alone.
const GEOCODER_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

/// Reads an operator's gazetteer: CSV with a header row and the columns
/// `name` (or `postcode`), `lat` and `lon`, comma- or semicolon-separated.
/// A file with any bad row changes nothing.
pub fn import_gazetteer(store: &mut Store, file: &Path) -> Result<usize, CommandError> {
    let display = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| CommandError::Read { path: display.clone(), source })?;
    let entries = geocode::gazetteer::read_csv(&display, &bytes).map_err(CommandError::Gazetteer)?;
    store.import_gazetteer(&entries)?;
    Ok(entries.len())
}

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
    // Each connection's address, for the portal's sign-in throttle.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elections_are_added_listed_and_edited() {
        let folder = tempfile::tempdir().unwrap();
        let mut store = Store::open(&folder.path().join("db.sqlite3")).unwrap();
        let date = NaiveDate::from_ymd_opt(2027, 3, 17);
        let error = add_election(&mut store, "ps2027", ElectionDetails::default()).unwrap_err();
        assert!(error.to_string().contains("give --polling-date"), "{error}");
        let added =
            add_election(&mut store, "ps2027", ElectionDetails { polling_date: date, ..Default::default() })
                .unwrap();
        assert_eq!(
            (added.kind, added.name.as_str()),
            (ElectionKind::Ps, "Provinciale Statenverkiezingen 2027")
        );
        let again =
            add_election(&mut store, "ps2027", ElectionDetails { polling_date: date, ..Default::default() });
        assert!(again.unwrap_err().to_string().contains("election edit ps2027"));
        let bonaire = TimeZoneName::parse("America/Kralendijk").ok();
        let edited =
            edit_election(&mut store, "ps2027", ElectionDetails { time_zone: bonaire, ..Default::default() })
                .unwrap();
        assert_eq!(edited.time_zone.as_str(), "America/Kralendijk");
        assert_eq!(edited.polling_date, date.unwrap(), "what was not given is kept");
        assert!(list_elections(&store)
            .unwrap()
            .contains("ps2027           ps         2027-03-17   America/Kralendijk"));
        assert!(edit_election(&mut store, "tk2099", ElectionDetails::default()).is_err());
    }

    #[test]
    fn names_elections_after_their_kind_and_year() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 18).unwrap();
        let name = |id| default_name(&ElectionId::parse(id).unwrap(), date);
        assert_eq!(name("gr2026"), "Gemeenteraadsverkiezingen 2026");
        assert_eq!(name("referendum-x"), "referendum-x");
    }
}
