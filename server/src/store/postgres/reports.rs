//! Voters' reports in PostgreSQL.

use super::{Params, Postgres};
use crate::store::reports::{ReportRow, REPORT_COLUMNS};
use crate::store::{NewReport, ReportCount, ReportState, Reports, StoreError, StoredReport};
use app::model::{ElectionId, MunicipalityCode};
use postgres::Row;

/// Reads a `reports` row selected as [`REPORT_COLUMNS`].
fn report_row(row: &Row) -> ReportRow {
    ReportRow {
        id: row.get(0),
        election: row.get(1),
        municipality: row.get(2),
        station_id: row.get(3),
        station_name: row.get(4),
        version: row.get(5),
        category: row.get(6),
        text: row.get(7),
        email: row.get(8),
        state: row.get(9),
        created_at: row.get(10),
        changed_at: row.get(11),
    }
}

impl Postgres {
    /// The reports `condition` selects, newest first.
    fn reports_where(&self, condition: &str, params: &Params<'_>) -> Result<Vec<StoredReport>, StoreError> {
        self.query(
            &format!("SELECT {REPORT_COLUMNS} FROM reports WHERE {condition} ORDER BY id DESC"),
            params,
        )?
        .iter()
        .map(|row| report_row(row).report().map_err(|e| self.corrupt(e)))
        .collect()
    }
}

impl Reports for Postgres {
    fn add_report(&mut self, report: &NewReport) -> Result<i64, StoreError> {
        let station = &report.station;
        let at = report.at.to_rfc3339();
        let row = self.query_opt(
            "INSERT INTO reports (election_id, municipality_code, station_id, station_name, version_id,
                 category, text, email, state, created_at, changed_at)
             VALUES ($1, $2, $3, $4,
                 (SELECT version_id FROM published WHERE election_id = $1 AND municipality_code = $2),
                 $5, $6, $7, $8, $9, $9)
             RETURNING id",
            &[
                &station.election.as_str(),
                &station.municipality.as_str(),
                &station.id,
                &station.name,
                &report.category.code(),
                &report.text,
                &report.email,
                &ReportState::New.code(),
                &at,
            ],
        )?;
        row.map(|row| row.get(0)).ok_or_else(|| self.corrupt("a report was stored without an id"))
    }

    fn reports(
        &self,
        election: &ElectionId,
        municipality: &MunicipalityCode,
    ) -> Result<Vec<StoredReport>, StoreError> {
        self.reports_where(
            "municipality_code = $1 AND election_id = $2",
            &[&municipality.as_str(), &election.as_str()],
        )
    }

    fn report(&self, id: i64) -> Result<Option<StoredReport>, StoreError> {
        Ok(self.reports_where("id = $1", &[&id])?.pop())
    }

    fn set_report_state(&mut self, id: i64, state: ReportState, at: &str) -> Result<bool, StoreError> {
        let changed = self.execute(
            "UPDATE reports SET state = $2, changed_at = $3,
                 email = CASE WHEN $4 THEN NULL ELSE email END
             WHERE id = $1",
            &[&id, &state.code(), &at, &state.is_closed()],
        )?;
        Ok(changed > 0)
    }

    fn forget_report_emails(&mut self, before: &str) -> Result<usize, StoreError> {
        let forgotten = self.execute(
            "UPDATE reports SET email = NULL WHERE email IS NOT NULL AND created_at < $1",
            &[&before],
        )?;
        Ok(usize::try_from(forgotten).unwrap_or(usize::MAX))
    }

    fn report_counts(&self) -> Result<Vec<ReportCount>, StoreError> {
        self.query(
            "SELECT election_id, municipality_code, state, count(*) FROM reports
             GROUP BY election_id, municipality_code, state ORDER BY election_id, municipality_code, state",
            &[],
        )?
        .iter()
        .map(|row| {
            ReportCount::from_row(row.get(0), row.get(1), row.get(2), row.get(3)).map_err(|e| self.corrupt(e))
        })
        .collect()
    }
}
