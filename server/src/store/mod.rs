//! Durable storage of elections and station datasets.
//!
//! Every accepted import becomes a new, immutable dataset version for one
//! (election, municipality); "published" is a pointer to one version, moved
//! in the same transaction. Nothing is ever overwritten, so every version a
//! municipality published can be read back. Reads for voters do not come
//! here: the server loads what is published into memory at start.

mod migrations;

use crate::ingest::ReceivedStation;
use app::model::{Election, ElectionId, MunicipalityCode, Station};
use chrono::{NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the folder for database {path}: {source}")]
    CreateFolder { path: String, source: std::io::Error },
    #[error("database {path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    #[error("database {path} holds data that this version cannot read ({detail}); was it written by a newer Kieskaart?")]
    Corrupt { path: String, detail: String },
}

pub struct Store {
    connection: Connection,
    path: String,
}

/// What one import added.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    pub records: usize,
    pub municipalities: usize,
}

/// Everything published for one election.
pub struct PublishedElection {
    pub election: Election,
    /// The published dataset version of each municipality, in code order:
    /// what changes exactly when what voters see changes.
    pub versions: Vec<i64>,
    pub stations: Vec<Station>,
}

impl Store {
    /// Opens (and on first use creates) the database, bringing its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let display = path.display().to_string();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|source| StoreError::CreateFolder { path: display.clone(), source })?;
        }
        let sqlite = |source| StoreError::Sqlite { path: display.clone(), source };
        let mut connection = Connection::open(path).map_err(sqlite)?;
        // WAL lets the server read while an import writes; NORMAL keeps
        // commits durable across a process crash.
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(sqlite)?;
        migrations::run(&mut connection).map_err(sqlite)?;
        Ok(Self { connection, path: display })
    }

    fn sqlite(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite { path: self.path.clone(), source }
    }

    fn corrupt(&self, detail: impl ToString) -> StoreError {
        StoreError::Corrupt { path: self.path.clone(), detail: detail.to_string() }
    }

    pub fn has_elections(&self) -> Result<bool, StoreError> {
        self.connection
            .query_row("SELECT EXISTS (SELECT 1 FROM elections)", [], |row| row.get(0))
            .map_err(|e| self.sqlite(e))
    }

    pub fn election(&self, id: &ElectionId) -> Result<Option<Election>, StoreError> {
        let row = self
            .connection
            .query_row("SELECT name, polling_date FROM elections WHERE id = ?1", [id.as_str()], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .optional()
            .map_err(|e| self.sqlite(e))?;
        row.map(|(name, date)| {
            let polling_date = date.parse::<NaiveDate>().map_err(|e| self.corrupt(e))?;
            Ok(Election { id: id.clone(), name, polling_date })
        })
        .transpose()
    }

    /// Stores the stations as new versions, one per municipality, and
    /// publishes them, in one transaction: on any failure nothing changes.
    pub fn import(
        &mut self,
        election: &Election,
        stations: &[ReceivedStation],
        source: &str,
    ) -> Result<ImportSummary, StoreError> {
        let mut by_municipality: BTreeMap<&MunicipalityCode, Vec<&ReceivedStation>> = BTreeMap::new();
        for received in stations {
            by_municipality.entry(&received.station.municipality_code).or_default().push(received);
        }
        let path = self.path.clone();
        let sqlite = |source| StoreError::Sqlite { path: path.clone(), source };
        let now = Utc::now().to_rfc3339();
        let transaction = self.connection.transaction().map_err(sqlite)?;
        transaction
            .execute(
                "INSERT INTO elections (id, name, polling_date) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, polling_date = excluded.polling_date",
                params![election.id.as_str(), election.name, election.polling_date.to_string()],
            )
            .map_err(sqlite)?;
        for (code, stations) in &by_municipality {
            transaction
                .execute(
                    "INSERT INTO municipalities (code, name) VALUES (?1, ?2)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                    params![code.as_str(), stations[0].station.municipality_name],
                )
                .map_err(sqlite)?;
            transaction
                .execute(
                    "INSERT INTO dataset_versions (election_id, municipality_code, created_at, source, station_count)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![election.id.as_str(), code.as_str(), now, source, stations.len()],
                )
                .map_err(sqlite)?;
            let version = transaction.last_insert_rowid();
            let mut insert = transaction
                .prepare("INSERT INTO stations (version_id, position, station, source_record) VALUES (?1, ?2, ?3, ?4)")
                .map_err(sqlite)?;
            for (position, received) in stations.iter().enumerate() {
                let station = serde_json::to_string(&received.station)
                    .map_err(|e| StoreError::Corrupt { path: path.clone(), detail: e.to_string() })?;
                let record = serde_json::Value::Object(received.record.fields.clone()).to_string();
                insert.execute(params![version, position, station, record]).map_err(sqlite)?;
            }
            transaction
                .execute(
                    "INSERT INTO published (election_id, municipality_code, version_id, published_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (election_id, municipality_code)
                     DO UPDATE SET version_id = excluded.version_id, published_at = excluded.published_at",
                    params![election.id.as_str(), code.as_str(), version, now],
                )
                .map_err(sqlite)?;
        }
        transaction.commit().map_err(sqlite)?;
        Ok(ImportSummary { records: stations.len(), municipalities: by_municipality.len() })
    }

    /// The published version of every municipality, grouped by election.
    pub fn published(&self) -> Result<Vec<PublishedElection>, StoreError> {
        let mut elections = BTreeMap::new();
        self.each_row(
            "SELECT id, name, polling_date FROM elections ORDER BY id",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?)),
            |(id, name, date)| {
                let election = Election {
                    id: ElectionId::parse(&id).map_err(|e| self.corrupt(e))?,
                    name,
                    polling_date: date.parse().map_err(|e| self.corrupt(e))?,
                };
                elections
                    .insert(id, PublishedElection { election, versions: Vec::new(), stations: Vec::new() });
                Ok(())
            },
        )?;
        self.each_row(
            "SELECT election_id, version_id FROM published ORDER BY election_id, municipality_code",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)),
            |(election, version)| {
                self.of_election(&mut elections, &election)?.versions.push(version);
                Ok(())
            },
        )?;
        self.each_row(
            "SELECT p.election_id, s.station FROM published p
             JOIN stations s ON s.version_id = p.version_id
             ORDER BY p.election_id, p.municipality_code, s.position",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
            |(election, json)| {
                let station: Station = serde_json::from_str(&json).map_err(|e| self.corrupt(e))?;
                self.of_election(&mut elections, &election)?.stations.push(station);
                Ok(())
            },
        )?;
        Ok(elections.into_values().collect())
    }

    fn of_election<'a>(
        &self,
        elections: &'a mut BTreeMap<String, PublishedElection>,
        id: &str,
    ) -> Result<&'a mut PublishedElection, StoreError> {
        elections.get_mut(id).ok_or_else(|| self.corrupt(format!("data published for unknown election {id}")))
    }

    /// Runs a query and hands each row to `each` as it arrives, so that
    /// large results are never held twice.
    fn each_row<T>(
        &self,
        sql: &str,
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
        mut each: impl FnMut(T) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut statement = self.connection.prepare(sql).map_err(|e| self.sqlite(e))?;
        for row in statement.query_map([], read).map_err(|e| self.sqlite(e))? {
            each(row.map_err(|e| self.sqlite(e))?)?;
        }
        Ok(())
    }
}
