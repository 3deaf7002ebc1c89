//! SQLite, the default store: one file, schema migrations on open, WAL so
//! that a server reads while an import writes.

mod accounts;
mod audit;
mod changes;
mod import;
mod publications;
mod reports;

use super::packed;
use super::rows::{self, ElectionRow, ELECTION_COLUMNS};
use super::{
    migrations, Backend, Closed, Import, PublishedElection, StoreError, StoredRecords, Tally, TokenInfo,
    VersionInfo,
};
use crate::geocode::OperatorEntry;
use crate::geography::MunicipalityArea;
use app::model::{Coordinates, Election, ElectionId, MunicipalityCode, MunicipalityRef};
use chrono::Utc;
use import::SqliteImport;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::path::Path;

/// Page cache for imports, in KiB (SQLite takes a negative number as KiB).
const IMPORT_CACHE_KIB: i64 = -128 * 1024;

/// Reads an `elections` row selected as [`ELECTION_COLUMNS`].
fn election_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ElectionRow> {
    Ok(ElectionRow {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: row.get(2)?,
        polling_date: row.get(3)?,
        time_zone: row.get(4)?,
        early_voting: row.get(5)?,
    })
}

fn write_election(connection: &Connection, election: &Election) -> rusqlite::Result<usize> {
    let row = ElectionRow::of(election);
    connection.execute(
        "INSERT INTO elections (id, name, polling_date, kind, time_zone, early_voting)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, polling_date = excluded.polling_date,
             kind = excluded.kind, time_zone = excluded.time_zone, early_voting = excluded.early_voting",
        params![row.id, row.name, row.polling_date, row.kind, row.time_zone, row.early_voting],
    )
}

/// A store in one SQLite file.
pub struct Sqlite {
    connection: Connection,
    path: String,
}

impl Sqlite {
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
        // A station row (typed station and record) is about 2 KiB: on
        // SQLite's default 4 KiB pages only one fits, on 16 KiB pages seven
        // do, which halves what an import writes. It only takes effect on a
        // new database, so it comes before WAL mode makes the file. WAL
        // lets the server read while an import writes; NORMAL keeps commits
        // durable across a process crash.
        connection
            .execute_batch(
                "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;",
            )
            .map_err(sqlite)?;
        migrations::run(&mut connection).map_err(sqlite)?;
        Ok(Self { connection, path: display })
    }

    /// The election's versions, or only the one with id `only`.
    fn versions_of(&self, election: &ElectionId, only: Option<i64>) -> Result<Vec<VersionInfo>, StoreError> {
        let mut versions = Vec::new();
        self.each_row_with(
            "SELECT v.id, v.municipality_code, v.created_at, v.source, v.station_count, p.version_id IS NOT NULL
             FROM dataset_versions v
             LEFT JOIN published p ON p.version_id = v.id
             WHERE v.election_id = ?1 AND (?2 IS NULL OR v.id = ?2) ORDER BY v.id",
            params![election.as_str(), only],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, usize>(4)?,
                    row.get::<_, bool>(5)?,
                ))
            },
            |(id, code, created_at, source, stations, published)| {
                let municipality = rows::municipality(&code).map_err(|e| self.corrupt(e))?;
                versions.push(VersionInfo { id, municipality, created_at, source, stations, published });
                Ok(())
            },
        )?;
        Ok(versions)
    }

    fn sqlite(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite { path: self.path.clone(), source }
    }

    fn corrupt(&self, detail: impl ToString) -> StoreError {
        StoreError::Corrupt { path: self.path.clone(), detail: detail.to_string() }
    }

    fn election_from(&self, row: ElectionRow) -> Result<Election, StoreError> {
        row.election().map_err(|e| self.corrupt(e))
    }

    /// Runs a query and hands each row to `each` as it arrives, so that
    /// large results are never held twice.
    fn each_row<T>(
        &self,
        sql: &str,
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
        each: impl FnMut(T) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each_row_with(sql, [], read, each)
    }

    /// [`Self::each_row`] with query parameters.
    fn each_row_with<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
        mut each: impl FnMut(T) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut statement = self.connection.prepare(sql).map_err(|e| self.sqlite(e))?;
        for row in statement.query_map(params, read).map_err(|e| self.sqlite(e))? {
            each(row.map_err(|e| self.sqlite(e))?)?;
        }
        Ok(())
    }
}

impl Backend for Sqlite {
    fn has_elections(&self) -> Result<bool, StoreError> {
        self.connection
            .query_row("SELECT EXISTS (SELECT 1 FROM elections)", [], |row| row.get(0))
            .map_err(|e| self.sqlite(e))
    }

    fn election(&self, id: &ElectionId) -> Result<Option<Election>, StoreError> {
        let row = self
            .connection
            .query_row(
                &format!("SELECT {ELECTION_COLUMNS} FROM elections WHERE id = ?1"),
                [id.as_str()],
                election_row,
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        row.map(|row| self.election_from(row)).transpose()
    }

    fn save_election(&mut self, election: &Election) -> Result<(), StoreError> {
        write_election(&self.connection, election).map(drop).map_err(|e| self.sqlite(e))
    }

    fn elections(&self) -> Result<Vec<(Election, usize)>, StoreError> {
        let mut counts = BTreeMap::new();
        self.each_row(
            "SELECT p.election_id, sum(v.station_count) FROM published p
             JOIN dataset_versions v ON v.id = p.version_id GROUP BY p.election_id",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)),
            |(id, count)| {
                counts.insert(id, usize::try_from(count).unwrap_or_default());
                Ok(())
            },
        )?;
        let mut elections = Vec::new();
        self.each_row(
            &format!("SELECT {ELECTION_COLUMNS} FROM elections ORDER BY id"),
            election_row,
            |row| {
                let count = counts.get(&row.id).copied().unwrap_or_default();
                elections.push((self.election_from(row)?, count));
                Ok(())
            },
        )?;
        Ok(elections)
    }

    fn publication_state(&self) -> Result<String, StoreError> {
        let mut state = String::new();
        self.each_row(
            &format!("SELECT {ELECTION_COLUMNS} FROM elections ORDER BY id"),
            election_row,
            |row| {
                state.push_str(&row.state());
                Ok(())
            },
        )?;
        self.each_row(
            "SELECT election_id || ':' || municipality_code || '=' || version_id FROM published
             UNION ALL SELECT 'boundaries=' || max(id) FROM boundary_sets
             UNION ALL SELECT 'gazetteer=' || count(*) || '@' || max(imported_at) FROM gazetteer
             ORDER BY 1",
            |row| row.get::<_, Option<String>>(0),
            |entry| {
                state.push_str(entry.as_deref().unwrap_or("-"));
                state.push(';');
                Ok(())
            },
        )?;
        Ok(state)
    }

    fn import_boundaries(&mut self, areas: &[MunicipalityArea], source: &str) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sqlite = |source| StoreError::Sqlite { path: path.clone(), source };
        let transaction = self.connection.transaction().map_err(sqlite)?;
        transaction
            .execute(
                "INSERT INTO boundary_sets (imported_at, source) VALUES (?1, ?2)",
                params![Utc::now().to_rfc3339(), source],
            )
            .map_err(sqlite)?;
        let set = transaction.last_insert_rowid();
        {
            let mut insert = transaction
                .prepare("INSERT INTO boundaries (set_id, code, name, area) VALUES (?1, ?2, ?3, ?4)")
                .map_err(sqlite)?;
            for area in areas {
                let geometry = geojson::Geometry::from(&area.area).to_string();
                insert
                    .execute(params![set, area.municipality.code.as_str(), area.municipality.name, geometry])
                    .map_err(sqlite)?;
            }
        }
        transaction.commit().map_err(sqlite)
    }

    fn import_gazetteer(&mut self, entries: &[OperatorEntry]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sqlite = |source| StoreError::Sqlite { path: path.clone(), source };
        let transaction = self.connection.transaction().map_err(sqlite)?;
        transaction.execute("DELETE FROM gazetteer", []).map_err(sqlite)?;
        {
            let mut insert = transaction
                .prepare(
                    "INSERT OR REPLACE INTO gazetteer (name, lat, lon, imported_at) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sqlite)?;
            let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
            for entry in entries {
                insert
                    .execute(params![entry.name, entry.point.lat(), entry.point.lon(), now])
                    .map_err(sqlite)?;
            }
        }
        transaction.commit().map_err(sqlite)
    }

    fn gazetteer(&self) -> Result<Vec<OperatorEntry>, StoreError> {
        let mut entries = Vec::new();
        self.each_row(
            "SELECT name, lat, lon FROM gazetteer ORDER BY name",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, f64>(1)?, row.get::<_, f64>(2)?)),
            |(name, lat, lon)| {
                let point = Coordinates::new(lat, lon).map_err(|e| self.corrupt(e))?;
                entries.push(OperatorEntry { name, point });
                Ok(())
            },
        )?;
        Ok(entries)
    }

    fn boundaries(&self) -> Result<Vec<MunicipalityArea>, StoreError> {
        let mut areas = Vec::new();
        self.each_row(
            "SELECT code, name, area FROM boundaries WHERE set_id = (SELECT max(id) FROM boundary_sets) ORDER BY code",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?)),
            |(code, name, area)| {
                let code = rows::municipality(&code).map_err(|e| self.corrupt(e))?;
                let geometry: geojson::Geometry = area.parse().map_err(|e: geojson::Error| self.corrupt(e))?;
                let area = geo::MultiPolygon::try_from(geometry).map_err(|e| self.corrupt(e))?;
                areas.push(MunicipalityArea { municipality: MunicipalityRef { code, name }, area });
                Ok(())
            },
        )?;
        Ok(areas)
    }

    fn versions(&self, election: &ElectionId) -> Result<Vec<VersionInfo>, StoreError> {
        self.versions_of(election, None)
    }

    fn republish(&mut self, election: &ElectionId, version: i64) -> Result<Option<VersionInfo>, StoreError> {
        let path = self.path.clone();
        let now = Utc::now().to_rfc3339();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let copied = transaction
            .execute(
                "INSERT INTO dataset_versions (election_id, municipality_code, created_at, source, station_count)
                 SELECT election_id, municipality_code, ?3, 'copy of version ' || id || ': ' || source, station_count
                 FROM dataset_versions WHERE id = ?1 AND election_id = ?2",
                params![version, election.as_str(), now],
            )
            .map_err(|e| sqlite(&path, e))?;
        if copied == 0 {
            return Ok(None);
        }
        let copy = transaction.last_insert_rowid();
        let run = || -> rusqlite::Result<()> {
            transaction.execute(
                "INSERT INTO stations (version_id, position, station, source_record)
                 SELECT ?1, position, station, source_record FROM stations WHERE version_id = ?2",
                params![copy, version],
            )?;
            transaction.execute(
                "INSERT INTO published (election_id, municipality_code, version_id, published_at)
                 SELECT election_id, municipality_code, id, ?2 FROM dataset_versions WHERE id = ?1
                 ON CONFLICT (election_id, municipality_code)
                 DO UPDATE SET version_id = excluded.version_id, published_at = excluded.published_at",
                params![copy, now],
            )?;
            Ok(())
        };
        run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(self.versions_of(election, Some(copy))?.pop())
    }

    fn begin_import(&mut self, election: &ElectionId, source: &str) -> Result<Import<'_>, StoreError> {
        let path = self.path.clone();
        // A large import writes many municipalities' versions side by side;
        // with SQLite's default 2 MiB of cache it keeps writing pages out
        // and reading them back.
        self.connection.pragma_update(None, "cache_size", IMPORT_CACHE_KIB).map_err(|e| sqlite(&path, e))?;
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        // A new election's row is written at commit, once its polling day
        // is known from the stations.
        transaction.pragma_update(None, "defer_foreign_keys", true).map_err(|e| sqlite(&path, e))?;
        Ok(Box::new(SqliteImport { transaction, path, tally: Tally::new(election, source) }))
    }

    fn records(
        &self,
        versions: &[i64],
        municipality: Option<&MunicipalityCode>,
    ) -> Result<StoredRecords, StoreError> {
        let mut records = StoredRecords::default();
        for &version in versions {
            let (code, created_at): (String, String) = self
                .connection
                .query_row(
                    "SELECT municipality_code, created_at FROM dataset_versions WHERE id = ?1",
                    [version],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .map_err(|e| self.sqlite(e))?;
            if municipality.is_some_and(|wanted| wanted.as_str() != code) {
                continue;
            }
            records.saw_version(&created_at).map_err(|e| self.corrupt(e))?;
            self.each_row_with(
                "SELECT station, source_record FROM stations WHERE version_id = ?1 ORDER BY position",
                [version],
                |row| Ok((row.get::<_, String>(0)?, stored_record(row.get_ref(1)?)?)),
                |(station, record)| {
                    let record = record.map_err(|e| self.corrupt(e))?;
                    records.push(&station, &record).map_err(|e| self.corrupt(e))
                },
            )?;
        }
        Ok(records)
    }

    fn published(&self) -> Result<Vec<PublishedElection>, StoreError> {
        let mut elections = BTreeMap::new();
        self.each_row(
            &format!("SELECT {ELECTION_COLUMNS} FROM elections ORDER BY id"),
            election_row,
            |row| {
                let election = self.election_from(row)?;
                let published = PublishedElection { election, versions: Vec::new(), stations: Vec::new() };
                elections.insert(published.election.id.to_string(), published);
                Ok(())
            },
        )?;
        self.each_row(
            "SELECT election_id, version_id FROM published ORDER BY election_id, municipality_code",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)),
            |(election, version)| {
                rows::of_election(&mut elections, &election)
                    .map_err(|e| self.corrupt(e))?
                    .versions
                    .push(version);
                Ok(())
            },
        )?;
        self.each_row(
            "SELECT p.election_id, s.station FROM published p
             JOIN stations s ON s.version_id = p.version_id
             ORDER BY p.election_id, p.municipality_code, s.position",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
            |(election, json)| {
                let station = rows::station(&json).map_err(|e| self.corrupt(e))?;
                rows::of_election(&mut elections, &election)
                    .map_err(|e| self.corrupt(e))?
                    .stations
                    .push(station);
                Ok(())
            },
        )?;
        Ok(elections.into_values().collect())
    }

    fn create_token(
        &mut self,
        municipality: &MunicipalityCode,
        label: &str,
        hash: &str,
    ) -> Result<i64, StoreError> {
        self.connection
            .execute(
                "INSERT INTO api_tokens (municipality_code, label, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![municipality.as_str(), label, hash, Utc::now().to_rfc3339()],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(self.connection.last_insert_rowid())
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError> {
        let row = self
            .connection
            .query_row(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?1"), [hash], token_from)
            .optional()
            .map_err(|e| self.sqlite(e))?;
        row.map(|row| self.token_info(row)).transpose()
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let mut tokens = Vec::new();
        self.each_row(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"), token_from, |row| {
            tokens.push(self.token_info(row)?);
            Ok(())
        })?;
        Ok(tokens)
    }

    fn revoke_token(&mut self, id: i64) -> Result<bool, StoreError> {
        let changed = self
            .connection
            .execute(
                "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?1) WHERE id = ?2",
                params![Utc::now().to_rfc3339(), id],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(changed > 0)
    }

    fn publish(&mut self, election: &ElectionId, version: i64) -> Result<Option<VersionInfo>, StoreError> {
        let moved = self
            .connection
            .execute(
                "INSERT INTO published (election_id, municipality_code, version_id, published_at)
                 SELECT election_id, municipality_code, id, ?3 FROM dataset_versions
                 WHERE id = ?1 AND election_id = ?2
                 ON CONFLICT (election_id, municipality_code)
                 DO UPDATE SET version_id = excluded.version_id, published_at = excluded.published_at",
                params![version, election.as_str(), Utc::now().to_rfc3339()],
            )
            .map_err(|e| self.sqlite(e))?;
        if moved == 0 {
            return Ok(None);
        }
        Ok(self.versions_of(election, Some(version))?.pop())
    }

    fn municipalities(&self) -> Result<Vec<MunicipalityRef>, StoreError> {
        let mut municipalities = Vec::new();
        self.each_row(
            "SELECT code, name FROM municipalities
             UNION SELECT code, name FROM boundaries
             WHERE set_id = (SELECT max(id) FROM boundary_sets) AND code NOT IN (SELECT code FROM municipalities)
             ORDER BY code",
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
            |(code, name)| {
                let code = rows::municipality(&code).map_err(|e| self.corrupt(e))?;
                municipalities.push(MunicipalityRef { code, name });
                Ok(())
            },
        )?;
        Ok(municipalities)
    }

    fn set_closed(&mut self, election: &ElectionId, by: Option<&str>) -> Result<(), StoreError> {
        let result = match by {
            Some(by) => self.connection.execute(
                "INSERT INTO closed_elections (election_id, closed_at, closed_by) VALUES (?1, ?2, ?3)
                 ON CONFLICT (election_id) DO NOTHING",
                params![election.as_str(), Utc::now().to_rfc3339(), by],
            ),
            None => self
                .connection
                .execute("DELETE FROM closed_elections WHERE election_id = ?1", [election.as_str()]),
        };
        result.map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn closed(&self, election: &ElectionId) -> Result<Option<Closed>, StoreError> {
        self.connection
            .query_row(
                "SELECT closed_at, closed_by FROM closed_elections WHERE election_id = ?1",
                [election.as_str()],
                |row| Ok(Closed { at: row.get(0)?, by: row.get(1)? }),
            )
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    fn municipality_name(&self, code: &MunicipalityCode) -> Result<Option<String>, StoreError> {
        self.connection
            .query_row(
                "SELECT name FROM municipalities WHERE code = ?1 AND name <> code
                 UNION ALL SELECT name FROM boundaries WHERE code = ?1 LIMIT 1",
                [code.as_str()],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))
    }
}

const TOKEN_COLUMNS: &str = "id, municipality_code, label, created_at, revoked_at IS NOT NULL";

/// A `source_record` as stored: packed since packing came, plain JSON
/// before. The outer error is SQLite's, the inner one a damaged record.
fn stored_record(value: ValueRef<'_>) -> rusqlite::Result<Result<String, String>> {
    Ok(match value {
        ValueRef::Blob(bytes) => packed::unpack(bytes),
        text => Ok(text.as_str()?.to_owned()),
    })
}

fn token_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String, String, bool)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
}

impl Sqlite {
    fn token_info(
        &self,
        (id, code, label, created_at, revoked): (i64, String, String, String, bool),
    ) -> Result<TokenInfo, StoreError> {
        let municipality = rows::municipality(&code).map_err(|e| self.corrupt(e))?;
        Ok(TokenInfo { id, municipality, label, created_at, revoked })
    }
}

fn sqlite(path: &str, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: path.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// The store wrote records as JSON text before it packed them; a
    /// database from before keeps its text records, and both kinds read back.
    #[test]
    fn records_are_stored_packed_and_older_text_records_still_read() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("k.sqlite3");
        let mut store = Store::open(&path).expect("the store opens");
        let versions = crate::commands::load_demo(&mut store).expect("the demo imports").versions;
        let packed = store.records(&versions, None).expect("records read");
        drop(store);

        let connection = Connection::open(&path).expect("the file opens");
        let kinds: Vec<String> = connection
            .prepare("SELECT DISTINCT typeof(source_record) FROM stations")
            .and_then(|mut kinds| kinds.query_map([], |row| row.get(0))?.collect())
            .expect("kinds read");
        assert_eq!(kinds, ["blob"]);
        let older = r#"{"Naam stembureau": "Oude notatie"}"#;
        connection.execute("UPDATE stations SET source_record = ?1 WHERE position = 0", [older]).unwrap();
        drop(connection);

        let store = Store::open(&path).expect("the store opens again");
        let read = store.records(&versions, None).expect("records read");
        assert_eq!(read.rows.len(), packed.rows.len());
        assert_eq!(read.rows[0].1["Naam stembureau"], "Oude notatie");
        assert_eq!(read.rows[1..], packed.rows[1..]);
        assert_ne!(read.rows[0].1, packed.rows[0].1);
    }
}
