//! The audit log: who did what, when, for which municipality. Rows are
//! only ever added, except that an attempt repeated within a short window
//! (a sign-in refused by the throttle) counts up one row instead of adding
//! one each, so that a flood of them costs a few rows, not the log.

use super::{Store, StoreError};
use app::model::MunicipalityCode;
use chrono::{DateTime, Duration, Utc};

/// One line of the audit log: who did what, for which municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: String,
    /// `token 3`, `cli`, ...
    pub actor: String,
    /// `token-created`, `upload-refused`, `published`, ...
    pub action: String,
    pub municipality: Option<MunicipalityCode>,
    pub detail: String,
}

/// An entry as the log holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    /// Later entries have larger ids: where a page of the log ends.
    pub id: i64,
    pub entry: AuditEntry,
    /// How often it happened within its window: 1 but for repeats.
    pub times: i64,
    /// When it last happened, once it happened more than once.
    pub last_at: Option<String>,
}

/// Which part of the log to read, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditPage {
    /// Only entries older than this one (the last of the page before).
    pub before: Option<i64>,
    /// Only entries of this action.
    pub action: Option<String>,
}

/// The audit log's part of a store (see [`super::Backend`]).
pub trait AuditLog {
    /// Adds an entry; with a `repeat` key, counts it in the row that
    /// holds that key instead, if there is one.
    fn audit(&mut self, entry: &AuditEntry, repeat: Option<&str>) -> Result<(), StoreError>;
    /// At most `limit` entries of `page`, newest first.
    fn audit_page(&self, page: &AuditPage, limit: usize) -> Result<Vec<Logged>, StoreError>;
    /// Every action the log holds, in order: what a reader may filter by.
    fn audit_actions(&self) -> Result<Vec<String>, StoreError>;
}

/// The distinct actions by one index lookup each (SQLite and PostgreSQL
/// alike would read the whole index for a `DISTINCT`), so that listing
/// them stays quick however long the log grows.
pub(super) const ACTIONS: &str = "
    WITH RECURSIVE kinds (action) AS (
        SELECT min(action) FROM audit_log
        UNION ALL
        SELECT (SELECT min(action) FROM audit_log WHERE action > kinds.action)
        FROM kinds WHERE kinds.action IS NOT NULL
    )
    SELECT action FROM kinds WHERE action IS NOT NULL";

impl AuditPage {
    /// The id entries must be below: every id, on the first page.
    pub(super) fn below(&self) -> i64 {
        self.before.unwrap_or(i64::MAX)
    }
}

impl Store {
    /// Adds a line to the audit log, stamped now.
    pub fn record(
        &mut self,
        actor: &str,
        action: &str,
        municipality: Option<&MunicipalityCode>,
        detail: &str,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            at: Utc::now().to_rfc3339(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            municipality: municipality.cloned(),
            detail: detail.to_owned(),
        };
        self.audit(&entry, None)
    }

    /// Adds `entry` (of `now`), or counts it again when the same actor,
    /// action, municipality and detail were logged within the same
    /// `window` (windows follow each other from the Unix epoch: with a
    /// quarter of an hour, 07:00, 07:15, ...).
    pub fn record_repeat(
        &mut self,
        entry: &AuditEntry,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Result<(), StoreError> {
        let seconds = window.num_seconds().max(1);
        let code = entry.municipality.as_ref().map_or("", MunicipalityCode::as_str);
        // Each part with its length before it: no two different entries
        // make the same key, whatever an attacker types as an address.
        let window = format!("{seconds}s {}", now.timestamp().div_euclid(seconds));
        let key: String =
            [window.as_str(), entry.action.as_str(), entry.actor.as_str(), code, entry.detail.as_str()]
                .iter()
                .map(|part| format!("{}:{part};", part.len()))
                .collect();
        self.audit(entry, Some(&key))
    }

    /// The most recent `limit` entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<Logged>, StoreError> {
        self.audit_page(&AuditPage::default(), limit)
    }
}
