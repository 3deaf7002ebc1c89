//! The change feed and its webhooks in SQLite.

use super::{sqlite, Sqlite};
use crate::store::changes::{
    self, settled, summary_text, Attempt, Changes, Delivery, DeliveryRow, DeliveryState, Entry, Publication,
    PublicationRow, Webhook, WebhookRow, DELIVERY_LIST, PUBLICATION_COLUMNS, REMOVED, WEBHOOK_COLUMNS,
};
use crate::store::StoreError;
use app::model::{ElectionId, MunicipalityCode};
use rusqlite::params;

fn publication_row(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<PublicationRow> {
    Ok(PublicationRow {
        id: row.get(at)?,
        election: row.get(at + 1)?,
        municipality: row.get(at + 2)?,
        municipality_name: row.get(at + 3)?,
        version: row.get(at + 4)?,
        previous: row.get(at + 5)?,
        at: row.get(at + 6)?,
        via: row.get(at + 7)?,
        summary: row.get(at + 8)?,
    })
}

fn webhook_row(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<WebhookRow> {
    Ok(WebhookRow {
        id: row.get(at)?,
        election: row.get(at + 1)?,
        url: row.get(at + 2)?,
        secret: row.get(at + 3)?,
        created_at: row.get(at + 4)?,
    })
}

fn limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

impl Sqlite {
    fn publications_where(
        &self,
        condition: &str,
        values: impl rusqlite::Params,
    ) -> Result<Vec<Publication>, StoreError> {
        let sql = format!("SELECT {PUBLICATION_COLUMNS} FROM publications p WHERE {condition}");
        let mut found = Vec::new();
        self.each_row_with(
            &sql,
            values,
            |row| publication_row(row, 0),
            |row| {
                found.push(row.publication().map_err(|e| self.corrupt(e))?);
                Ok(())
            },
        )?;
        Ok(found)
    }
}

impl Changes for Sqlite {
    fn record_publication(&mut self, entry: &Entry) -> Result<Option<i64>, StoreError> {
        let path = self.path.clone();
        let now = changes::timestamp(chrono::Utc::now());
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<Option<i64>> {
            let added = transaction.execute(
                "INSERT INTO publications (election_id, municipality_code, municipality_name, version_id,
                     previous_version_id, published_at, via, summary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (version_id) DO NOTHING",
                params![
                    entry.election.as_str(),
                    entry.municipality.as_str(),
                    entry.municipality_name,
                    entry.version,
                    entry.previous,
                    entry.at,
                    entry.via.slug(),
                    summary_text(&entry.summary),
                ],
            )?;
            if added == 0 {
                return Ok(None);
            }
            let id = transaction.last_insert_rowid();
            transaction.execute(
                "INSERT INTO webhook_deliveries (webhook_id, publication_id, state, attempts, next_at, updated_at)
                 SELECT id, ?1, 'pending', 0, ?2, ?2 FROM webhooks
                 WHERE election_id = ?3 AND removed_at IS NULL",
                params![id, now, entry.election.as_str()],
            )?;
            Ok(Some(id))
        };
        let id = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(id)
    }

    fn publications(
        &self,
        election: &ElectionId,
        before: Option<i64>,
        count: usize,
    ) -> Result<Vec<Publication>, StoreError> {
        self.publications_where(
            "p.election_id = ?1 AND p.id < ?2 ORDER BY p.id DESC LIMIT ?3",
            params![election.as_str(), before.unwrap_or(i64::MAX), limit(count)],
        )
    }

    fn publication_of_version(
        &self,
        election: &ElectionId,
        version: i64,
    ) -> Result<Option<Publication>, StoreError> {
        Ok(self
            .publications_where(
                "p.election_id = ?1 AND p.version_id = ?2",
                params![election.as_str(), version],
            )?
            .pop())
    }

    fn last_publication(
        &self,
        election: &ElectionId,
        municipality: &MunicipalityCode,
    ) -> Result<Option<Publication>, StoreError> {
        Ok(self
            .publications_where(
                "p.election_id = ?1 AND p.municipality_code = ?2 ORDER BY p.id DESC LIMIT 1",
                params![election.as_str(), municipality.as_str()],
            )?
            .pop())
    }

    fn add_webhook(&mut self, election: &ElectionId, url: &str, secret: &str) -> Result<i64, StoreError> {
        self.connection
            .execute(
                "INSERT INTO webhooks (election_id, url, secret, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![election.as_str(), url, secret, changes::timestamp(chrono::Utc::now())],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(self.connection.last_insert_rowid())
    }

    fn webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        let mut hooks = Vec::new();
        self.each_row(
            &format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks w WHERE w.removed_at IS NULL ORDER BY w.id"),
            |row| webhook_row(row, 0),
            |row| {
                hooks.push(row.webhook().map_err(|e| self.corrupt(e))?);
                Ok(())
            },
        )?;
        Ok(hooks)
    }

    fn remove_webhook(&mut self, id: i64) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let now = changes::timestamp(chrono::Utc::now());
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<bool> {
            let removed = transaction.execute(
                "UPDATE webhooks SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
                params![id, now],
            )?;
            transaction.execute(
                "UPDATE webhook_deliveries SET state = 'failed', last_error = ?3, updated_at = ?2
                 WHERE webhook_id = ?1 AND state = 'pending'",
                params![id, now, REMOVED],
            )?;
            Ok(removed > 0)
        };
        let removed = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(removed)
    }

    fn claim_deliveries(
        &mut self,
        now: &str,
        until: &str,
        count: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let claimed = {
            let mut statement = transaction
                .prepare(&format!(
                    "SELECT d.id, d.attempts, {WEBHOOK_COLUMNS}, {PUBLICATION_COLUMNS}
                     FROM webhook_deliveries d
                     JOIN webhooks w ON w.id = d.webhook_id
                     JOIN publications p ON p.id = d.publication_id
                     WHERE d.state = 'pending' AND d.next_at <= ?1 AND w.removed_at IS NULL
                     ORDER BY d.next_at, d.id LIMIT ?2"
                ))
                .map_err(|e| sqlite(&path, e))?;
            let rows = statement
                .query_map(params![now, limit(count)], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, u32>(1)?,
                        webhook_row(row, 2)?,
                        publication_row(row, 7)?,
                    ))
                })
                .map_err(|e| sqlite(&path, e))?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| sqlite(&path, e))?;
            rows
        };
        for (id, ..) in &claimed {
            transaction
                .execute("UPDATE webhook_deliveries SET next_at = ?2 WHERE id = ?1", params![id, until])
                .map_err(|e| sqlite(&path, e))?;
        }
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        claimed
            .into_iter()
            .map(|(id, attempts, hook, publication)| {
                let hook = hook.webhook().map_err(|e| self.corrupt(e))?;
                let publication = publication.publication().map_err(|e| self.corrupt(e))?;
                Ok(Delivery { id, hook, publication, attempts })
            })
            .collect()
    }

    fn settle_delivery(&mut self, id: i64, attempt: &Attempt, now: &str) -> Result<(), StoreError> {
        let (state, error, next_at) = settled(attempt);
        self.connection
            .execute(
                "UPDATE webhook_deliveries SET state = ?2, attempts = attempts + 1, last_error = ?3,
                     next_at = coalesce(?4, next_at), updated_at = ?5
                 WHERE id = ?1",
                params![id, state.slug(), error, next_at, now],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn deliveries(&self, count: usize) -> Result<Vec<DeliveryRow>, StoreError> {
        let mut found = Vec::new();
        self.each_row_with(
            &format!("{DELIVERY_LIST} ORDER BY d.id DESC LIMIT ?1"),
            [limit(count)],
            |row| {
                Ok((
                    (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
                    (row.get(4)?, row.get(5)?, row.get(6)?, row.get::<_, String>(7)?),
                    (row.get(8)?, row.get(9)?, row.get(10)?),
                ))
            },
            |(
                (id, hook, url, publication),
                (election, municipality, version, state),
                (attempts, last_error, updated_at),
            )| {
                let state = DeliveryState::from_slug(&state)
                    .ok_or_else(|| self.corrupt(format!("unknown delivery state {state}")))?;
                found.push(DeliveryRow {
                    id,
                    hook,
                    url,
                    publication,
                    election,
                    municipality,
                    version,
                    state,
                    attempts,
                    last_error,
                    updated_at,
                });
                Ok(())
            },
        )?;
        Ok(found)
    }

    fn pending_deliveries(&self) -> Result<usize, StoreError> {
        self.connection
            .query_row("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'", [], |row| {
                row.get(0)
            })
            .map_err(|e| self.sqlite(e))
    }
}
