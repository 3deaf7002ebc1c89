//! The audit log in PostgreSQL.

use super::Postgres;
use crate::store::audit::{AuditEntry, AuditLog, AuditPage, Logged, ACTIONS};
use crate::store::StoreError;
use app::model::MunicipalityCode;
use postgres::types::ToSql;

impl AuditLog for Postgres {
    fn audit(&mut self, entry: &AuditEntry, repeat: Option<&str>) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO audit_log (at, actor, action, municipality_code, detail, repeat_key)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (repeat_key) DO UPDATE SET times = audit_log.times + 1, last_at = EXCLUDED.at",
            &[
                &entry.at,
                &entry.actor,
                &entry.action,
                &entry.municipality.as_ref().map(MunicipalityCode::as_str),
                &entry.detail,
                &repeat,
            ],
        )?;
        Ok(())
    }

    fn audit_page(&self, page: &AuditPage, limit: usize) -> Result<Vec<Logged>, StoreError> {
        let (below, limit) = (page.below(), i64::try_from(limit).unwrap_or(i64::MAX));
        let (only, values): (&str, Vec<&(dyn ToSql + Sync)>) = match &page.action {
            Some(action) => ("AND action = $3", vec![&below, &limit, action]),
            None => ("", vec![&below, &limit]),
        };
        let sql = format!(
            "SELECT id, at, actor, action, municipality_code, detail, times, last_at FROM audit_log
             WHERE id < $1 {only} ORDER BY id DESC LIMIT $2"
        );
        self.query(&sql, &values)?
            .iter()
            .map(|row| {
                let municipality =
                    row.get::<_, Option<&str>>(4).map(|code| self.municipality(code)).transpose()?;
                let entry = AuditEntry {
                    at: row.get(1),
                    actor: row.get(2),
                    action: row.get(3),
                    municipality,
                    detail: row.get(5),
                };
                Ok(Logged { id: row.get(0), entry, times: row.get(6), last_at: row.get(7) })
            })
            .collect()
    }

    fn audit_actions(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.query(ACTIONS, &[])?.iter().map(|row| row.get(0)).collect())
    }
}
