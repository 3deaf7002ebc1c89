//! The change feed as a store keeps it: one entry per publication, written
//! once and never changed, and the webhooks that receive each entry with
//! their deliveries. What an entry says (the diff, who published) is
//! `crate::changes`' business; here it is rows.
//!
//! Entries are stored rather than derived on each request: a draft that is
//! published later, a rollback and a republication all move the published
//! pointer without a trace in `dataset_versions`, and the diff against the
//! version published before needs the records of both, which is too much
//! to read for every poll of a feed reader.

use super::StoreError;
use app::model::{ElectionId, MunicipalityCode};
use serde::{Deserialize, Serialize};

/// Who published, in the general terms a re-user may know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Publisher {
    /// A municipality's officer, in the portal.
    Portal,
    /// A municipality's software, through the API with a token.
    VendorSystem,
    /// The operator, with `kieskaart` on the command line.
    Operator,
}

impl Publisher {
    pub fn slug(self) -> &'static str {
        match self {
            Publisher::Portal => "portal",
            Publisher::VendorSystem => "vendor-system",
            Publisher::Operator => "operator",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [Publisher::Portal, Publisher::VendorSystem, Publisher::Operator]
            .into_iter()
            .find(|publisher| publisher.slug() == slug)
    }
}

/// What a publication changed against the version published before it:
/// station names, and for a changed station the names of its fields
/// that differ (their values are in the downloads).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<ChangedStation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedStation {
    pub station: String,
    pub fields: Vec<String>,
}

/// One publication: a municipality's version became what voters see.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub election: ElectionId,
    pub municipality: MunicipalityCode,
    pub municipality_name: String,
    pub version: i64,
    /// The version it replaced; `None` for the municipality's first.
    pub previous: Option<i64>,
    /// When it was published (RFC 3339, UTC).
    pub at: String,
    pub via: Publisher,
    pub summary: Summary,
}

/// An entry as the feed holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    /// Later entries have larger ids: where a page of the feed ends.
    pub id: i64,
    pub entry: Entry,
}

/// A URL that receives every publication of one election.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: i64,
    pub election: ElectionId,
    pub url: String,
    /// The key its deliveries are signed with (hex). Kept as it is, not
    /// hashed: signing needs it.
    pub secret: String,
    pub created_at: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Not yet delivered; tried again at its time.
    Pending,
    Delivered,
    /// Given up after its attempts, or its webhook was removed.
    Failed,
}

impl DeliveryState {
    pub fn slug(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [DeliveryState::Pending, DeliveryState::Delivered, DeliveryState::Failed]
            .into_iter()
            .find(|state| state.slug() == slug)
    }
}

/// A delivery taken to be tried now: its webhook and the entry it sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: i64,
    pub hook: Webhook,
    pub publication: Publication,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// A delivery as the admin pages list it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRow {
    pub id: i64,
    pub hook: i64,
    pub url: String,
    pub publication: i64,
    pub election: String,
    pub municipality: String,
    pub version: i64,
    pub state: DeliveryState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub updated_at: String,
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    Delivered,
    /// Failed; try again at `next_at` (RFC 3339, UTC).
    Retry {
        error: String,
        next_at: String,
    },
    /// Failed for the last time.
    GaveUp {
        error: String,
    },
}

/// The change feed's part of a store (see [`super::Backend`]). Times are
/// RFC 3339 UTC text of one width (see [`timestamp`]), so they compare as
/// text in both stores.
pub trait Changes {
    /// Adds the entry and queues a delivery of it to every webhook of its
    /// election, in one transaction; its id, or `None` when the version
    /// already has an entry (another server recorded it first).
    fn record_publication(&mut self, entry: &Entry) -> Result<Option<i64>, StoreError>;
    /// At most `limit` entries of the election older than `before` (all
    /// when `None`), newest first.
    fn publications(
        &self,
        election: &ElectionId,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Publication>, StoreError>;
    /// The entry that published `version` of the election, if one did:
    /// what makes the version's files public.
    fn publication_of_version(
        &self,
        election: &ElectionId,
        version: i64,
    ) -> Result<Option<Publication>, StoreError>;
    /// The municipality's newest entry for the election.
    fn last_publication(
        &self,
        election: &ElectionId,
        municipality: &MunicipalityCode,
    ) -> Result<Option<Publication>, StoreError>;

    /// Adds a webhook; its id.
    fn add_webhook(&mut self, election: &ElectionId, url: &str, secret: &str) -> Result<i64, StoreError>;
    /// The webhooks not removed, by id.
    fn webhooks(&self) -> Result<Vec<Webhook>, StoreError>;
    /// Removes a webhook, and gives up its pending deliveries; whether
    /// there was such a webhook.
    fn remove_webhook(&mut self, id: i64) -> Result<bool, StoreError>;

    /// Takes at most `limit` pending deliveries due at `now`, oldest
    /// first, and moves their time to `until`: a server that stops
    /// halfway leaves them to be tried again then, and no other server
    /// takes them meanwhile.
    fn claim_deliveries(&mut self, now: &str, until: &str, limit: usize)
        -> Result<Vec<Delivery>, StoreError>;
    /// Notes an attempt's outcome (at `now`).
    fn settle_delivery(&mut self, id: i64, attempt: &Attempt, now: &str) -> Result<(), StoreError>;
    /// The newest `limit` deliveries, newest first.
    fn deliveries(&self, limit: usize) -> Result<Vec<DeliveryRow>, StoreError>;
    /// How many deliveries wait to be delivered.
    fn pending_deliveries(&self) -> Result<usize, StoreError>;
}

/// Now as the change feed's tables keep times: RFC 3339, UTC, always to
/// the millisecond, so that text order is time order.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The columns a [`Publication`] is read from, in [`PublicationRow`]'s
/// order, from `publications` as `p`.
pub(super) const PUBLICATION_COLUMNS: &str =
    "p.id, p.election_id, p.municipality_code, p.municipality_name, \
     p.version_id, p.previous_version_id, p.published_at, p.via, p.summary";

/// The columns a [`Webhook`] is read from, from `webhooks` as `w`.
pub(super) const WEBHOOK_COLUMNS: &str = "w.id, w.election_id, w.url, w.secret, w.created_at";

/// A `publications` row as stored, before its values are checked.
pub(super) struct PublicationRow {
    pub id: i64,
    pub election: String,
    pub municipality: String,
    pub municipality_name: String,
    pub version: i64,
    pub previous: Option<i64>,
    pub at: String,
    pub via: String,
    pub summary: String,
}

impl PublicationRow {
    pub fn publication(self) -> Result<Publication, String> {
        let election = ElectionId::parse(&self.election).map_err(|e| e.to_string())?;
        let municipality = super::rows::municipality(&self.municipality)?;
        let via = Publisher::from_slug(&self.via).ok_or_else(|| format!("unknown publisher {}", self.via))?;
        let summary = serde_json::from_str(&self.summary).map_err(|e| format!("summary: {e}"))?;
        let entry = Entry {
            election,
            municipality,
            municipality_name: self.municipality_name,
            version: self.version,
            previous: self.previous,
            at: self.at,
            via,
            summary,
        };
        Ok(Publication { id: self.id, entry })
    }
}

/// A `webhooks` row as stored.
pub(super) struct WebhookRow {
    pub id: i64,
    pub election: String,
    pub url: String,
    pub secret: String,
    pub created_at: String,
}

impl WebhookRow {
    pub fn webhook(self) -> Result<Webhook, String> {
        let election = ElectionId::parse(&self.election).map_err(|e| e.to_string())?;
        Ok(Webhook { id: self.id, election, url: self.url, secret: self.secret, created_at: self.created_at })
    }
}

/// The summary as stored.
pub(super) fn summary_text(summary: &Summary) -> String {
    // Strings and lists of strings always serialise.
    serde_json::to_string(summary).unwrap_or_else(|_| "{}".to_owned())
}

/// What the outcome of an attempt writes: state, last error and next time
/// (the next time stays as it was when `None`).
pub(super) fn settled(attempt: &Attempt) -> (DeliveryState, Option<&str>, Option<&str>) {
    match attempt {
        Attempt::Delivered => (DeliveryState::Delivered, None, None),
        Attempt::Retry { error, next_at } => (DeliveryState::Pending, Some(error), Some(next_at)),
        Attempt::GaveUp { error } => (DeliveryState::Failed, Some(error), None),
    }
}

/// What the admin page lists, joined: the columns [`DeliveryRow`] is read
/// from, in its order.
pub(super) const DELIVERY_LIST: &str = "
    SELECT d.id, d.webhook_id, w.url, d.publication_id, p.election_id, p.municipality_code, p.version_id,
           d.state, d.attempts, d.last_error, d.updated_at
    FROM webhook_deliveries d
    JOIN webhooks w ON w.id = d.webhook_id
    JOIN publications p ON p.id = d.publication_id";

/// The message a delivery gets when its webhook is removed.
pub(super) const REMOVED: &str = "the webhook was removed";
