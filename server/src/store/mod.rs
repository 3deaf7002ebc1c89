//! Durable storage of elections and station datasets.
//!
//! Every accepted import becomes a new, immutable dataset version for one
//! (election, municipality); "published" is a pointer to one version, moved
//! in the same transaction. Nothing is ever overwritten, so every version a
//! municipality published can be read back. Reads for voters do not come
//! here: the server loads what is published into memory at start.

mod accounts;
mod audit;
mod changes;
mod migrations;
mod packed;
mod postgres;
mod publications;
mod reports;
mod rows;
mod sqlite;

pub use accounts::{Accounts, Disabling, NewLink, SessionRow, User};
pub use audit::{AuditEntry, AuditLog, AuditPage, Logged};
pub use changes::{
    timestamp, Attempt, ChangedStation, Changes, Delivery, DeliveryRow, DeliveryState, Entry, Publication,
    Publisher, Summary, Webhook,
};
pub use publications::Publications;
pub use reports::{NewReport, ReportCount, ReportState, ReportedStation, Reports, StoredReport, EMAIL_KEPT};

use crate::geocode::OperatorEntry;
use crate::geography::MunicipalityArea;
use crate::ingest::{Fields, ReceivedStation};
use app::model::{Election, ElectionId, MunicipalityCode, MunicipalityRef, Station};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the folder for database {path}: {source}")]
    CreateFolder { path: String, source: std::io::Error },
    #[error("database {path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    /// PostgreSQL refused or could not be reached; `url` has no password.
    #[error("database {url}: {}", postgres::describe(source))]
    Postgres { url: String, source: ::postgres::Error },
    #[error("database {path} holds data that this version cannot read ({detail}); was it written by a newer Kieskaart?")]
    Corrupt { path: String, detail: String },
}

impl StoreError {
    /// Whether the database could not be reached at all (rather than
    /// refusing what was asked): worth trying again once it is back.
    pub fn is_unreachable(&self) -> bool {
        match self {
            StoreError::Postgres { source, .. } => {
                // Closed, not reached, or shutting down (SQLSTATE class 57P:
                // operator intervention; class 08: connection exception).
                let state = source.code().map(|code| code.code());
                source.is_closed()
                    || state.is_some_and(|code| code.starts_with("57P") || code.starts_with("08"))
                    || std::error::Error::source(source).is_some_and(|cause| cause.is::<std::io::Error>())
            }
            _ => false,
        }
    }
}

/// Where the store is: `DATABASE_URL` (or `--database`) says.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// An SQLite file, given as a path or as `sqlite://path`.
    Sqlite(PathBuf),
    /// A PostgreSQL database that several servers share: a
    /// `postgres://user:password@host:port/database` URL.
    Postgres(String),
}

impl std::str::FromStr for Location {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_owned()));
        }
        let path = text.strip_prefix("sqlite://").unwrap_or(text);
        if path.is_empty() {
            return Err("give an SQLite file (var/kieskaart.sqlite3) or a postgres:// URL".into());
        }
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(format!("unknown database kind {scheme}://; use sqlite://FILE or postgres://…"));
        }
        Ok(Location::Sqlite(PathBuf::from(path)))
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&postgres::without_password(url)),
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Self {
        Location::Sqlite(path.to_owned())
    }
}

/// One stored version of one municipality's stations for an election.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionInfo {
    pub id: i64,
    pub municipality: MunicipalityCode,
    pub created_at: String,
    /// The file (or the version) it came from.
    pub source: String,
    pub stations: usize,
    /// Whether voters see this version now.
    pub published: bool,
}

/// Among an election's versions ([`Backend::versions`]), `municipality`'s
/// version `id`: a version of another municipality is not found.
pub fn version_of<'a>(
    versions: &'a [VersionInfo],
    municipality: &MunicipalityCode,
    id: i64,
) -> Option<&'a VersionInfo> {
    versions.iter().find(|v| v.id == id && v.municipality == *municipality)
}

/// Among an election's versions, the one `municipality` publishes.
pub fn published_of<'a>(
    versions: &'a [VersionInfo],
    municipality: &MunicipalityCode,
) -> Option<&'a VersionInfo> {
    versions.iter().find(|v| v.municipality == *municipality && v.published)
}

/// What one import added.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    pub records: usize,
    /// Distinct station numbers: a station may have several records.
    pub stations: usize,
    pub municipalities: usize,
    /// The new dataset versions, one per municipality.
    pub versions: Vec<i64>,
    /// Whether they were published, or kept as drafts.
    pub published: bool,
}

/// Whether an import's new versions go live at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Publish {
    #[default]
    Now,
    /// Stored as a draft: published only when someone says so.
    Later,
}

/// A vendor system's access to one municipality's data (the token itself
/// is never stored, only its hash).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenInfo {
    pub id: i64,
    pub municipality: MunicipalityCode,
    pub label: String,
    pub created_at: String,
    pub revoked: bool,
}

/// Stations with their records as received, from [`Backend::records`].
#[derive(Debug, Default)]
pub struct StoredRecords {
    pub rows: Vec<(Station, Fields)>,
    /// When the newest of the versions read was stored (RFC 3339, UTC).
    pub newest: Option<DateTime<Utc>>,
}

/// Everything published for one election.
pub struct PublishedElection {
    pub election: Election,
    /// The published dataset version of each municipality, in code order:
    /// what changes exactly when what voters see changes.
    pub versions: Vec<i64>,
    pub stations: Vec<Station>,
}

/// What the rest of Kieskaart needs of a store: SQLite for one server,
/// PostgreSQL for several that share it. Callers hold a [`Store`] and do
/// not know which.
pub trait Backend: AuditLog + Accounts + Changes + Publications + Reports + Send {
    fn has_elections(&self) -> Result<bool, StoreError>;

    fn election(&self, id: &ElectionId) -> Result<Option<Election>, StoreError>;

    /// Adds an election or replaces its details; its stations stay.
    fn save_election(&mut self, election: &Election) -> Result<(), StoreError>;

    /// Every election, by id, with the number of stations it publishes.
    fn elections(&self) -> Result<Vec<(Election, usize)>, StoreError>;

    /// What voters would see, in a few bytes: changes exactly when a
    /// publication, an election's details or the boundaries change, so a
    /// running server can poll it cheaply and rebuild only then.
    fn publication_state(&self) -> Result<String, StoreError>;

    /// Stores a new set of municipal boundaries, which replaces the
    /// current one for searches; earlier sets are kept.
    fn import_boundaries(&mut self, areas: &[MunicipalityArea], source: &str) -> Result<(), StoreError>;

    /// Replaces the operator's gazetteer entries, all at once.
    fn import_gazetteer(&mut self, entries: &[OperatorEntry]) -> Result<(), StoreError>;

    fn gazetteer(&self) -> Result<Vec<OperatorEntry>, StoreError>;

    /// The newest set of municipal boundaries (empty when none was imported).
    fn boundaries(&self) -> Result<Vec<MunicipalityArea>, StoreError>;

    /// Every version of an election's data, oldest first: nothing a
    /// municipality published is ever deleted.
    fn versions(&self, election: &ElectionId) -> Result<Vec<VersionInfo>, StoreError>;

    /// Publishes again what an earlier version held, as a new version (a
    /// copy): the versions in between stay, so a rollback can itself be
    /// rolled back. `None` when the election has no such version.
    fn republish(&mut self, election: &ElectionId, version: i64) -> Result<Option<VersionInfo>, StoreError>;

    /// Starts an import that receives stations one at a time, so that a
    /// large file is written as it is read. Nothing is visible until
    /// [`Import::commit`]; dropping the import, or a crash, leaves the
    /// store as it was.
    fn begin_import(&mut self, election: &ElectionId, source: &str) -> Result<Import<'_>, StoreError>;

    /// The stations of these dataset versions with the records they were
    /// read from, verbatim, version by version in the order given and in
    /// file order within each; only `municipality`'s when given. What an
    /// export writes back out.
    fn records(
        &self,
        versions: &[i64],
        municipality: Option<&MunicipalityCode>,
    ) -> Result<StoredRecords, StoreError>;

    /// The published version of every municipality, grouped by election.
    fn published(&self) -> Result<Vec<PublishedElection>, StoreError>;

    /// Stores a new token's hash for a municipality; its id.
    fn create_token(
        &mut self,
        municipality: &MunicipalityCode,
        label: &str,
        hash: &str,
    ) -> Result<i64, StoreError>;
    /// The token with this hash, revoked or not.
    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError>;
    fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError>;
    /// Revokes a token for good; whether there was such a token.
    fn revoke_token(&mut self, id: i64) -> Result<bool, StoreError>;

    /// Makes a version the published one as it is, without a copy: how a
    /// draft goes live. `None` when the election has no such version.
    fn publish(&mut self, election: &ElectionId, version: i64) -> Result<Option<VersionInfo>, StoreError>;

    /// A municipality's name, from its stations or else its boundary.
    fn municipality_name(&self, code: &MunicipalityCode) -> Result<Option<String>, StoreError>;
    /// Every municipality known from stations or boundaries, by code.
    fn municipalities(&self) -> Result<Vec<MunicipalityRef>, StoreError>;

    /// Closes an election to submissions (`by` says who), or reopens it.
    fn set_closed(&mut self, election: &ElectionId, by: Option<&str>) -> Result<(), StoreError>;
    /// When and by whom an election was closed to submissions, if it was.
    fn closed(&self, election: &ElectionId) -> Result<Option<Closed>, StoreError>;

    /// Waits until another connection may have published something, or at
    /// most `timeout`. A store that cannot tell just waits.
    fn wait_for_change(&self, timeout: Duration) -> Result<(), StoreError> {
        std::thread::sleep(timeout);
        Ok(())
    }
}

/// An election closed to submissions.
#[derive(Debug, Clone, PartialEq)]
pub struct Closed {
    pub at: String,
    pub by: String,
}

/// A valid station as an import writes it: the typed station and the record
/// it came from, both as JSON. Made on the thread that read the record,
/// so that the record is freed where it was allocated: handing the records
/// themselves to the writing thread cost a third more CPU time on a
/// million stations.
pub struct StationRow {
    pub municipality: MunicipalityCode,
    pub municipality_name: String,
    pub number: u32,
    /// The typed station.
    pub station: String,
    /// The record, every field as received.
    pub record: String,
}

impl StationRow {
    pub fn new(received: ReceivedStation) -> Result<Self, serde_json::Error> {
        let ReceivedStation { station, record } = received;
        let record = match record.verbatim {
            Some(text) => text,
            None => serde_json::to_string(&record.fields)?,
        };
        Ok(Self {
            station: serde_json::to_string(&station)?,
            municipality: station.municipality_code,
            municipality_name: station.municipality_name,
            number: station.number,
            record,
        })
    }
}

/// What an import has written so far, kept alike by every store: the new
/// version of each municipality and how many stations it holds.
pub struct Tally {
    pub election: ElectionId,
    /// The file it came from.
    pub source: String,
    /// When the import began (RFC 3339): its versions' time.
    pub now: String,
    versions: BTreeMap<MunicipalityCode, (i64, usize)>,
    /// Each municipality's name as its stations give it, written at
    /// commit: a municipality discarded before then leaves no trace.
    names: BTreeMap<MunicipalityCode, String>,
    numbers: BTreeSet<(MunicipalityCode, u32)>,
    records: usize,
}

impl Tally {
    pub fn new(election: &ElectionId, source: &str) -> Self {
        Self {
            election: election.clone(),
            source: source.to_owned(),
            now: Utc::now().to_rfc3339(),
            versions: BTreeMap::new(),
            names: BTreeMap::new(),
            numbers: BTreeSet::new(),
            records: 0,
        }
    }

    /// The municipality's new version and the position of its next
    /// station; `None` until its version is made.
    pub fn next(&self, municipality: &MunicipalityCode) -> Option<(i64, usize)> {
        self.versions.get(municipality).copied()
    }

    /// Counts a station written at `position` of `version`.
    pub fn added(&mut self, row: StationRow, version: i64, position: usize) {
        self.numbers.insert((row.municipality.clone(), row.number));
        if position == 0 {
            self.names.insert(row.municipality.clone(), row.municipality_name);
        }
        self.versions.insert(row.municipality, (version, position + 1));
        self.records += 1;
    }

    /// Forgets what was written of `municipality`; its new version, for
    /// the store to delete, when it had one.
    pub fn forget(&mut self, municipality: &MunicipalityCode) -> Option<i64> {
        let (version, count) = self.versions.remove(municipality)?;
        self.names.remove(municipality);
        self.numbers.retain(|(code, _)| code != municipality);
        self.records -= count;
        Some(version)
    }

    /// Each municipality written, with the name its stations give it.
    pub fn names(&self) -> impl Iterator<Item = (&MunicipalityCode, &str)> {
        self.names.iter().map(|(code, name)| (code, name.as_str()))
    }

    /// Each new version with its municipality and station count.
    pub fn versions(&self) -> impl Iterator<Item = (&MunicipalityCode, i64, usize)> {
        self.versions.iter().map(|(code, &(version, count))| (code, version, count))
    }

    pub fn summary(&self, publish: Publish) -> ImportSummary {
        ImportSummary {
            records: self.records,
            stations: self.numbers.len(),
            municipalities: self.versions.len(),
            versions: self.versions.values().map(|&(version, _)| version).collect(),
            published: publish == Publish::Now,
        }
    }
}

/// A running import (see [`Backend::begin_import`]).
pub trait ImportSink {
    /// Writes one station (and its record) into its municipality's new
    /// version.
    fn add(&mut self, row: StationRow) -> Result<(), StoreError>;

    /// Takes back everything added for `municipality`: its new version and
    /// its stations are gone, and the commit leaves it as it was. An
    /// import taken municipality by municipality refuses a municipality
    /// whose errors show only once every record has been read.
    fn discard(&mut self, municipality: &MunicipalityCode) -> Result<(), StoreError>;

    /// Writes the election's details, publishes every new version (or
    /// keeps them as drafts) and makes it all visible at once.
    fn commit(self: Box<Self>, election: &Election, publish: Publish) -> Result<ImportSummary, StoreError>;
}

pub type Import<'a> = Box<dyn ImportSink + 'a>;

/// The store the server and the commands use; its methods are those of
/// [`Backend`].
pub struct Store {
    backend: Box<dyn Backend>,
}

impl Store {
    /// Opens (and on first use creates) the SQLite database at `path`,
    /// bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { backend: Box::new(sqlite::Sqlite::open(path)?) })
    }

    /// Opens the store at `location`, bringing its schema up to date.
    /// PostgreSQL's client is blocking: call this off the async threads.
    pub fn connect(location: &Location) -> Result<Self, StoreError> {
        match location {
            Location::Sqlite(path) => Self::open(path),
            Location::Postgres(url) => Ok(Self { backend: Box::new(postgres::Postgres::open(url)?) }),
        }
    }

    /// Stores the stations as new versions, one per municipality, and
    /// publishes them, in one transaction: on any failure nothing changes.
    pub fn import(
        &mut self,
        election: &Election,
        stations: Vec<ReceivedStation>,
        source: &str,
    ) -> Result<ImportSummary, StoreError> {
        let mut import = self.begin_import(&election.id, source)?;
        for received in stations {
            let row = StationRow::new(received)
                .map_err(|e| StoreError::Corrupt { path: source.to_owned(), detail: e.to_string() })?;
            import.add(row)?;
        }
        import.commit(election, Publish::Now)
    }
}

impl std::ops::Deref for Store {
    type Target = dyn Backend;
    fn deref(&self) -> &Self::Target {
        &*self.backend
    }
}

impl std::ops::DerefMut for Store {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut *self.backend
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_is_a_file_or_a_postgres_url() {
        let file = |text: &str| text.parse::<Location>();
        assert_eq!(file("var/k.sqlite3"), Ok(Location::Sqlite("var/k.sqlite3".into())));
        assert_eq!(file("sqlite:///srv/k.sqlite3"), Ok(Location::Sqlite("/srv/k.sqlite3".into())));
        let url = "postgres://kieskaart:geheim@db/kieskaart";
        assert_eq!(file(url), Ok(Location::Postgres(url.into())));
        assert_eq!(Location::Postgres(url.into()).to_string(), "postgres://kieskaart@db/kieskaart");
        assert!(file("mysql://db/k").unwrap_err().contains("sqlite://FILE or postgres://"));
        assert!(file("").is_err());
    }
}
