//! The audit log in SQLite.

use super::Sqlite;
use crate::store::audit::{AuditEntry, AuditLog, AuditPage, Logged, ACTIONS};
use crate::store::{rows, StoreError};
use app::model::MunicipalityCode;
use rusqlite::{params, ToSql};

impl AuditLog for Sqlite {
    fn audit(&mut self, entry: &AuditEntry, repeat: Option<&str>) -> Result<(), StoreError> {
        self.connection
            .execute(
                "INSERT INTO audit_log (at, actor, action, municipality_code, detail, repeat_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (repeat_key) DO UPDATE SET times = audit_log.times + 1, last_at = excluded.at",
                params![
                    entry.at,
                    entry.actor,
                    entry.action,
                    entry.municipality.as_ref().map(MunicipalityCode::as_str),
                    entry.detail,
                    repeat,
                ],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn audit_page(&self, page: &AuditPage, limit: usize) -> Result<Vec<Logged>, StoreError> {
        let (below, limit) = (page.below(), i64::try_from(limit).unwrap_or(i64::MAX));
        // Without a filter the query has no condition on the action, so
        // SQLite walks the ids rather than the actions' index.
        let (only, values): (&str, Vec<&dyn ToSql>) = match &page.action {
            Some(action) => ("AND action = ?3", vec![&below, &limit, action]),
            None => ("", vec![&below, &limit]),
        };
        let sql = format!(
            "SELECT id, at, actor, action, municipality_code, detail, times, last_at FROM audit_log
             WHERE id < ?1 {only} ORDER BY id DESC LIMIT ?2"
        );
        let mut entries = Vec::new();
        self.each_row_with(
            &sql,
            values.as_slice(),
            |row| {
                Ok((
                    (row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?),
                    (row.get::<_, String>(3)?, row.get::<_, Option<String>>(4)?, row.get::<_, String>(5)?),
                    (row.get::<_, i64>(6)?, row.get::<_, Option<String>>(7)?),
                ))
            },
            |((id, at, actor), (action, code, detail), (times, last_at))| {
                let municipality =
                    code.as_deref().map(rows::municipality).transpose().map_err(|e| self.corrupt(e))?;
                let entry = AuditEntry { at, actor, action, municipality, detail };
                entries.push(Logged { id, entry, times, last_at });
                Ok(())
            },
        )?;
        Ok(entries)
    }

    fn audit_actions(&self) -> Result<Vec<String>, StoreError> {
        let mut actions = Vec::new();
        self.each_row(
            ACTIONS,
            |row| row.get::<_, String>(0),
            |action| {
                actions.push(action);
                Ok(())
            },
        )?;
        Ok(actions)
    }
}
