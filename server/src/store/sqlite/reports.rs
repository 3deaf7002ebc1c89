//! Voters' reports in SQLite.

use super::Sqlite;
use crate::store::reports::{ReportRow, REPORT_COLUMNS};
use crate::store::{NewReport, ReportCount, ReportState, Reports, StoreError, StoredReport};
use app::model::{ElectionId, MunicipalityCode};
use rusqlite::{params, Params};

/// Reads a `reports` row selected as [`REPORT_COLUMNS`].
fn report_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ReportRow> {
    Ok(ReportRow {
        id: row.get(0)?,
        election: row.get(1)?,
        municipality: row.get(2)?,
        station_id: row.get(3)?,
        station_name: row.get(4)?,
        version: row.get(5)?,
        category: row.get(6)?,
        text: row.get(7)?,
        email: row.get(8)?,
        state: row.get(9)?,
        created_at: row.get(10)?,
        changed_at: row.get(11)?,
    })
}

impl Sqlite {
    /// The reports `condition` selects, newest first.
    fn reports_where(&self, condition: &str, params: impl Params) -> Result<Vec<StoredReport>, StoreError> {
        let mut reports = Vec::new();
        self.each_row_with(
            &format!("SELECT {REPORT_COLUMNS} FROM reports WHERE {condition} ORDER BY id DESC"),
            params,
            report_row,
            |row| {
                reports.push(row.report().map_err(|e| self.corrupt(e))?);
                Ok(())
            },
        )?;
        Ok(reports)
    }
}

impl Reports for Sqlite {
    fn add_report(&mut self, report: &NewReport) -> Result<i64, StoreError> {
        let station = &report.station;
        let at = report.at.to_rfc3339();
        self.connection
            .query_row(
                "INSERT INTO reports (election_id, municipality_code, station_id, station_name, version_id,
                     category, text, email, state, created_at, changed_at)
                 VALUES (?1, ?2, ?3, ?4,
                     (SELECT version_id FROM published WHERE election_id = ?1 AND municipality_code = ?2),
                     ?5, ?6, ?7, ?8, ?9, ?9)
                 RETURNING id",
                params![
                    station.election.as_str(),
                    station.municipality.as_str(),
                    station.id,
                    station.name,
                    report.category.code(),
                    report.text,
                    report.email,
                    ReportState::New.code(),
                    at,
                ],
                |row| row.get(0),
            )
            .map_err(|e| self.sqlite(e))
    }

    fn reports(
        &self,
        election: &ElectionId,
        municipality: &MunicipalityCode,
    ) -> Result<Vec<StoredReport>, StoreError> {
        self.reports_where(
            "municipality_code = ?1 AND election_id = ?2",
            params![municipality.as_str(), election.as_str()],
        )
    }

    fn report(&self, id: i64) -> Result<Option<StoredReport>, StoreError> {
        Ok(self.reports_where("id = ?1", [id])?.pop())
    }

    fn set_report_state(&mut self, id: i64, state: ReportState, at: &str) -> Result<bool, StoreError> {
        let changed = self
            .connection
            .execute(
                "UPDATE reports SET state = ?2, changed_at = ?3,
                     email = CASE WHEN ?4 THEN NULL ELSE email END
                 WHERE id = ?1",
                params![id, state.code(), at, state.is_closed()],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(changed > 0)
    }

    fn forget_report_emails(&mut self, before: &str) -> Result<usize, StoreError> {
        self.connection
            .execute("UPDATE reports SET email = NULL WHERE email IS NOT NULL AND created_at < ?1", [before])
            .map_err(|e| self.sqlite(e))
    }

    fn report_counts(&self) -> Result<Vec<ReportCount>, StoreError> {
        let mut counts = Vec::new();
        self.each_row(
            "SELECT election_id, municipality_code, state, count(*) FROM reports
             GROUP BY election_id, municipality_code, state ORDER BY election_id, municipality_code, state",
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get(3)?,
                ))
            },
            |(election, code, state, count): (String, String, String, i64)| {
                counts.push(
                    ReportCount::from_row(&election, &code, &state, count).map_err(|e| self.corrupt(e))?,
                );
                Ok(())
            },
        )?;
        Ok(counts)
    }
}
