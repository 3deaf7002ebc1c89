//! The change feed and its webhooks in PostgreSQL. Deliveries are claimed
//! with `FOR UPDATE SKIP LOCKED`, so that servers sharing the store never
//! send one twice at once.

use super::Postgres;
use crate::store::changes::{
    self, settled, summary_text, Attempt, Changes, Delivery, DeliveryRow, DeliveryState, Entry, Publication,
    PublicationRow, Webhook, WebhookRow, DELIVERY_LIST, PUBLICATION_COLUMNS, REMOVED, WEBHOOK_COLUMNS,
};
use crate::store::StoreError;
use app::model::{ElectionId, MunicipalityCode};
use postgres::Row;

fn publication_row(row: &Row, at: usize) -> PublicationRow {
    PublicationRow {
        id: row.get(at),
        election: row.get(at + 1),
        municipality: row.get(at + 2),
        municipality_name: row.get(at + 3),
        version: row.get(at + 4),
        previous: row.get(at + 5),
        at: row.get(at + 6),
        via: row.get(at + 7),
        summary: row.get(at + 8),
    }
}

fn webhook_row(row: &Row, at: usize) -> WebhookRow {
    WebhookRow {
        id: row.get(at),
        election: row.get(at + 1),
        url: row.get(at + 2),
        secret: row.get(at + 3),
        created_at: row.get(at + 4),
    }
}

fn limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

fn attempts(row: &Row, at: usize) -> u32 {
    u32::try_from(row.get::<_, i64>(at)).unwrap_or(u32::MAX)
}

impl Postgres {
    fn publications_where(
        &self,
        condition: &str,
        values: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Publication>, StoreError> {
        let sql = format!("SELECT {PUBLICATION_COLUMNS} FROM publications p WHERE {condition}");
        self.query(&sql, values)?
            .iter()
            .map(|row| publication_row(row, 0).publication().map_err(|e| self.corrupt(e)))
            .collect()
    }
}

impl Changes for Postgres {
    fn record_publication(&mut self, entry: &Entry) -> Result<Option<i64>, StoreError> {
        let now = changes::timestamp(chrono::Utc::now());
        self.in_transaction(|transaction| {
            let Some(row) = transaction.query_opt(
                "INSERT INTO publications (election_id, municipality_code, municipality_name, version_id,
                     previous_version_id, published_at, via, summary)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (version_id) DO NOTHING RETURNING id",
                &[
                    &entry.election.as_str(),
                    &entry.municipality.as_str(),
                    &entry.municipality_name,
                    &entry.version,
                    &entry.previous,
                    &entry.at,
                    &entry.via.slug(),
                    &summary_text(&entry.summary),
                ],
            )?
            else {
                return Ok(None);
            };
            let id: i64 = row.get(0);
            transaction.execute(
                "INSERT INTO webhook_deliveries (webhook_id, publication_id, state, attempts, next_at, updated_at)
                 SELECT id, $1, 'pending', 0, $2, $2 FROM webhooks
                 WHERE election_id = $3 AND removed_at IS NULL",
                &[&id, &now, &entry.election.as_str()],
            )?;
            Ok(Some(id))
        })
    }

    fn publications(
        &self,
        election: &ElectionId,
        before: Option<i64>,
        count: usize,
    ) -> Result<Vec<Publication>, StoreError> {
        self.publications_where(
            "p.election_id = $1 AND p.id < $2 ORDER BY p.id DESC LIMIT $3",
            &[&election.as_str(), &before.unwrap_or(i64::MAX), &limit(count)],
        )
    }

    fn publication_of_version(
        &self,
        election: &ElectionId,
        version: i64,
    ) -> Result<Option<Publication>, StoreError> {
        Ok(self
            .publications_where("p.election_id = $1 AND p.version_id = $2", &[&election.as_str(), &version])?
            .pop())
    }

    fn last_publication(
        &self,
        election: &ElectionId,
        municipality: &MunicipalityCode,
    ) -> Result<Option<Publication>, StoreError> {
        Ok(self
            .publications_where(
                "p.election_id = $1 AND p.municipality_code = $2 ORDER BY p.id DESC LIMIT 1",
                &[&election.as_str(), &municipality.as_str()],
            )?
            .pop())
    }

    fn add_webhook(&mut self, election: &ElectionId, url: &str, secret: &str) -> Result<i64, StoreError> {
        let row = self.query_opt(
            "INSERT INTO webhooks (election_id, url, secret, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            &[&election.as_str(), &url, &secret, &changes::timestamp(chrono::Utc::now())],
        )?;
        row.map(|row| row.get(0)).ok_or_else(|| self.corrupt("an insert returned no id"))
    }

    fn webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        self.query(
            &format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks w WHERE w.removed_at IS NULL ORDER BY w.id"),
            &[],
        )?
        .iter()
        .map(|row| webhook_row(row, 0).webhook().map_err(|e| self.corrupt(e)))
        .collect()
    }

    fn remove_webhook(&mut self, id: i64) -> Result<bool, StoreError> {
        let now = changes::timestamp(chrono::Utc::now());
        self.in_transaction(|transaction| {
            let removed = transaction.execute(
                "UPDATE webhooks SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL",
                &[&id, &now],
            )?;
            transaction.execute(
                "UPDATE webhook_deliveries SET state = 'failed', last_error = $3, updated_at = $2
                 WHERE webhook_id = $1 AND state = 'pending'",
                &[&id, &now, &REMOVED],
            )?;
            Ok(removed > 0)
        })
    }

    fn claim_deliveries(
        &mut self,
        now: &str,
        until: &str,
        count: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let rows = self.in_transaction(|transaction| {
            let rows = transaction.query(
                &format!(
                    "SELECT d.id, d.attempts, {WEBHOOK_COLUMNS}, {PUBLICATION_COLUMNS}
                     FROM webhook_deliveries d
                     JOIN webhooks w ON w.id = d.webhook_id
                     JOIN publications p ON p.id = d.publication_id
                     WHERE d.state = 'pending' AND d.next_at <= $1 AND w.removed_at IS NULL
                     ORDER BY d.next_at, d.id LIMIT $2
                     FOR UPDATE OF d SKIP LOCKED"
                ),
                &[&now, &limit(count)],
            )?;
            for row in &rows {
                transaction.execute(
                    "UPDATE webhook_deliveries SET next_at = $2 WHERE id = $1",
                    &[&row.get::<_, i64>(0), &until],
                )?;
            }
            Ok(rows)
        })?;
        rows.iter()
            .map(|row| {
                let hook = webhook_row(row, 2).webhook().map_err(|e| self.corrupt(e))?;
                let publication = publication_row(row, 7).publication().map_err(|e| self.corrupt(e))?;
                Ok(Delivery { id: row.get(0), hook, publication, attempts: attempts(row, 1) })
            })
            .collect()
    }

    fn settle_delivery(&mut self, id: i64, attempt: &Attempt, now: &str) -> Result<(), StoreError> {
        let (state, error, next_at) = settled(attempt);
        self.execute(
            "UPDATE webhook_deliveries SET state = $2, attempts = attempts + 1, last_error = $3,
                 next_at = coalesce($4, next_at), updated_at = $5
             WHERE id = $1",
            &[&id, &state.slug(), &error, &next_at, &now],
        )?;
        Ok(())
    }

    fn deliveries(&self, count: usize) -> Result<Vec<DeliveryRow>, StoreError> {
        self.query(&format!("{DELIVERY_LIST} ORDER BY d.id DESC LIMIT $1"), &[&limit(count)])?
            .iter()
            .map(|row| {
                let state: &str = row.get(7);
                let state = DeliveryState::from_slug(state)
                    .ok_or_else(|| self.corrupt(format!("unknown delivery state {state}")))?;
                Ok(DeliveryRow {
                    id: row.get(0),
                    hook: row.get(1),
                    url: row.get(2),
                    publication: row.get(3),
                    election: row.get(4),
                    municipality: row.get(5),
                    version: row.get(6),
                    state,
                    attempts: attempts(row, 8),
                    last_error: row.get(9),
                    updated_at: row.get(10),
                })
            })
            .collect()
    }

    fn pending_deliveries(&self) -> Result<usize, StoreError> {
        let row = self.query_opt("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'", &[])?;
        Ok(row.map_or(0, |row| usize::try_from(row.get::<_, i64>(0)).unwrap_or(usize::MAX)))
    }
}
