//! Writing an import into PostgreSQL: its versions and stations inside one
//! transaction, the stations in batches, committed together or not at all.

use super::{announce, failed, point_published_at, write_election};
use crate::store::{ImportSink, ImportSummary, Publish, StationRow, StoreError, Tally};
use app::model::{Election, MunicipalityCode};
use postgres::Transaction;

/// Stations an import holds back to write in one statement: one round
/// trip per station made a million stations take minutes.
const STATIONS_PER_WRITE: usize = 500;

/// An import in progress: one new version per municipality, filled
/// [`STATIONS_PER_WRITE`] stations at a time inside one transaction.
pub struct PostgresImport<'c> {
    pub(super) transaction: Transaction<'c>,
    pub(super) url: String,
    pub(super) tally: Tally,
    pub(super) pending: PendingStations,
}

/// Stations added but not yet written, column by column as `unnest`
/// takes them.
#[derive(Default)]
pub(super) struct PendingStations {
    versions: Vec<i64>,
    positions: Vec<i64>,
    stations: Vec<String>,
    records: Vec<String>,
}

impl PostgresImport<'_> {
    fn error(&self, source: postgres::Error) -> StoreError {
        failed(&self.url, source)
    }

    /// A new version of `code`'s stations; the municipality's row is
    /// written at commit (constraints are deferred until then).
    fn new_version(&mut self, code: &MunicipalityCode) -> Result<i64, postgres::Error> {
        let row = self.transaction.query_one(
            "INSERT INTO dataset_versions (election_id, municipality_code, created_at, source, station_count)
             VALUES ($1, $2, $3, $4, 0) RETURNING id",
            &[&self.tally.election.as_str(), &code.as_str(), &self.tally.now, &self.tally.source],
        )?;
        Ok(row.get(0))
    }

    /// Writes the stations held back.
    fn write_pending(&mut self) -> Result<(), postgres::Error> {
        if self.pending.versions.is_empty() {
            return Ok(());
        }
        let PendingStations { versions, positions, stations, records } = std::mem::take(&mut self.pending);
        self.transaction.execute(
            "INSERT INTO stations (version_id, position, station, source_record)
             SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[])",
            &[&versions, &positions, &stations, &records],
        )?;
        Ok(())
    }
}

impl ImportSink for PostgresImport<'_> {
    fn add(&mut self, mut row: StationRow) -> Result<(), StoreError> {
        let (version, position) = match self.tally.next(&row.municipality) {
            Some(next) => next,
            None => {
                let version = self.new_version(&row.municipality).map_err(|e| self.error(e))?;
                (version, 0)
            }
        };
        self.pending.versions.push(version);
        self.pending.positions.push(i64::try_from(position).unwrap_or(i64::MAX));
        self.pending.stations.push(std::mem::take(&mut row.station));
        self.pending.records.push(std::mem::take(&mut row.record));
        self.tally.added(row, version, position);
        if self.pending.versions.len() >= STATIONS_PER_WRITE {
            self.write_pending().map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    fn discard(&mut self, municipality: &MunicipalityCode) -> Result<(), StoreError> {
        let Some(version) = self.tally.forget(municipality) else { return Ok(()) };
        let mut run = || -> Result<(), postgres::Error> {
            // Some of its stations may still be held back.
            self.write_pending()?;
            self.transaction.execute("DELETE FROM stations WHERE version_id = $1", &[&version])?;
            self.transaction.execute("DELETE FROM dataset_versions WHERE id = $1", &[&version])?;
            Ok(())
        };
        run().map_err(|e| self.error(e))
    }

    fn commit(
        mut self: Box<Self>,
        election: &Election,
        publish: Publish,
    ) -> Result<ImportSummary, StoreError> {
        let mut run = || -> Result<(), postgres::Error> {
            self.write_pending()?;
            // The election's row comes first: versions refer to it.
            write_election(&mut self.transaction, election)?;
            for (code, name) in self.tally.names() {
                self.transaction.execute(
                    "INSERT INTO municipalities (code, name) VALUES ($1, $2)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                    &[&code.as_str(), &name],
                )?;
            }
            for (_, version, count) in self.tally.versions() {
                let count = i64::try_from(count).unwrap_or(i64::MAX);
                self.transaction.execute(
                    "UPDATE dataset_versions SET station_count = $1 WHERE id = $2",
                    &[&count, &version],
                )?;
                if publish == Publish::Now {
                    point_published_at(
                        &mut self.transaction,
                        version,
                        election.id.as_str(),
                        &self.tally.now,
                    )?;
                }
            }
            announce(&mut self.transaction)
        };
        run().map_err(|e| self.error(e))?;
        let summary = self.tally.summary(publish);
        let PostgresImport { transaction, url, .. } = *self;
        transaction.commit().map_err(|e| failed(&url, e))?;
        Ok(summary)
    }
}
