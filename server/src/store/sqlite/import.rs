//! Writing an import into SQLite: its versions and stations inside one
//! transaction, which commits the municipalities, counts and publication
//! together or leaves nothing behind.

use super::{sqlite, write_election};
use crate::store::{packed, ImportSink, ImportSummary, Publish, StationRow, StoreError, Tally};
use app::model::{Election, MunicipalityCode};
use rusqlite::params;

/// An import in progress: one new version per municipality, filled station
/// by station inside one transaction.
pub struct SqliteImport<'s> {
    pub(super) transaction: rusqlite::Transaction<'s>,
    pub(super) path: String,
    pub(super) tally: Tally,
}

impl SqliteImport<'_> {
    /// A new version of `code`'s stations; the municipality's row is
    /// written at commit (foreign keys are checked then).
    fn new_version(&self, code: &MunicipalityCode) -> rusqlite::Result<i64> {
        self.transaction.execute(
            "INSERT INTO dataset_versions (election_id, municipality_code, created_at, source, station_count)
             VALUES (?1, ?2, ?3, ?4, 0)",
            params![self.tally.election.as_str(), code.as_str(), self.tally.now, self.tally.source],
        )?;
        Ok(self.transaction.last_insert_rowid())
    }
}

impl ImportSink for SqliteImport<'_> {
    fn add(&mut self, row: StationRow) -> Result<(), StoreError> {
        let (version, position) = match self.tally.next(&row.municipality) {
            Some(next) => next,
            None => {
                let version = self.new_version(&row.municipality).map_err(|e| sqlite(&self.path, e))?;
                (version, 0)
            }
        };
        self.transaction
            .prepare_cached(
                "INSERT INTO stations (version_id, position, station, source_record) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut insert| {
                insert.execute(params![version, position, row.station, packed::pack(&row.record)])
            })
            .map_err(|e| sqlite(&self.path, e))?;
        self.tally.added(row, version, position);
        Ok(())
    }

    fn discard(&mut self, municipality: &MunicipalityCode) -> Result<(), StoreError> {
        let Some(version) = self.tally.forget(municipality) else { return Ok(()) };
        self.transaction
            .execute_batch(&format!(
                "DELETE FROM stations WHERE version_id = {version};
                 DELETE FROM dataset_versions WHERE id = {version};"
            ))
            .map_err(|e| sqlite(&self.path, e))
    }

    fn commit(self: Box<Self>, election: &Election, publish: Publish) -> Result<ImportSummary, StoreError> {
        let path = self.path.clone();
        let run = || -> rusqlite::Result<()> {
            write_election(&self.transaction, election)?;
            for (code, name) in self.tally.names() {
                self.transaction.execute(
                    "INSERT INTO municipalities (code, name) VALUES (?1, ?2)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                    params![code.as_str(), name],
                )?;
            }
            for (code, version, count) in self.tally.versions() {
                self.transaction.execute(
                    "UPDATE dataset_versions SET station_count = ?1 WHERE id = ?2",
                    params![count, version],
                )?;
                if publish == Publish::Later {
                    continue;
                }
                self.transaction.execute(
                    "INSERT INTO published (election_id, municipality_code, version_id, published_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (election_id, municipality_code)
                     DO UPDATE SET version_id = excluded.version_id, published_at = excluded.published_at",
                    params![election.id.as_str(), code.as_str(), version, self.tally.now],
                )?;
            }
            Ok(())
        };
        run().map_err(|e| sqlite(&path, e))?;
        let summary = self.tally.summary(publish);
        self.transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(summary)
    }
}
