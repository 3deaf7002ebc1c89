//! Rows as both stores keep them, turned into Kieskaart's types: the
//! checks live here once, so that SQLite and PostgreSQL read alike. Each
//! failure is a detail for [`super::StoreError::Corrupt`].

use super::{PublishedElection, StoredRecords};
use app::model::{Election, ElectionId, ElectionKind, MunicipalityCode, Station, TimeZoneName};
use chrono::{DateTime, NaiveDate};
use std::collections::BTreeMap;

/// The columns of `elections` that [`ElectionRow`] holds, in its order.
pub const ELECTION_COLUMNS: &str = "id, name, kind, polling_date, time_zone, early_voting";

/// An `elections` row as stored, before its values are checked.
pub struct ElectionRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub polling_date: String,
    pub time_zone: String,
    /// Comma-separated dates, empty when there is no early voting.
    pub early_voting: String,
}

impl ElectionRow {
    /// The row an election is written as.
    pub fn of(election: &Election) -> Self {
        Self {
            id: election.id.to_string(),
            name: election.name.clone(),
            kind: election.kind.slug().to_owned(),
            polling_date: election.polling_date.to_string(),
            time_zone: election.time_zone.as_str().to_owned(),
            early_voting: election.early_voting.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(","),
        }
    }

    pub fn election(self) -> Result<Election, String> {
        let date = |text: &str| text.parse::<NaiveDate>().map_err(|e| format!("date {text}: {e}"));
        Ok(Election {
            id: ElectionId::parse(&self.id).map_err(|e| e.to_string())?,
            name: self.name,
            kind: ElectionKind::from_slug(&self.kind)
                .ok_or_else(|| format!("election kind {}", self.kind))?,
            polling_date: date(&self.polling_date)?,
            time_zone: TimeZoneName::parse(&self.time_zone).map_err(|e| e.to_string())?,
            early_voting: self
                .early_voting
                .split(',')
                .filter(|day| !day.is_empty())
                .map(date)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The row in the publication state: every detail voters see.
    pub fn state(&self) -> String {
        let Self { id, name, kind, polling_date, time_zone, early_voting } = self;
        format!("{id}|{name}|{kind}|{polling_date}|{time_zone}|{early_voting};")
    }
}

pub fn municipality(code: &str) -> Result<MunicipalityCode, String> {
    MunicipalityCode::parse(code).map_err(|e| e.to_string())
}

pub fn station(json: &str) -> Result<Station, String> {
    serde_json::from_str(json).map_err(|e| format!("a stored station: {e}"))
}

/// The election, among those being read, that published data belongs to.
pub fn of_election<'a>(
    elections: &'a mut BTreeMap<String, PublishedElection>,
    id: &str,
) -> Result<&'a mut PublishedElection, String> {
    elections.get_mut(id).ok_or_else(|| format!("data published for unknown election {id}"))
}

impl StoredRecords {
    /// Notes a version read, stored at `created_at` (RFC 3339).
    pub fn saw_version(&mut self, created_at: &str) -> Result<(), String> {
        let created_at = DateTime::parse_from_rfc3339(created_at)
            .map_err(|e| format!("a version's time {created_at}: {e}"))?
            .to_utc();
        self.newest = self.newest.max(Some(created_at));
        Ok(())
    }

    /// Adds a stored station with its record, both JSON.
    pub fn push(&mut self, station: &str, record: &str) -> Result<(), String> {
        let record = serde_json::from_str(record).map_err(|e| format!("a stored record: {e}"))?;
        self.rows.push((self::station(station)?, record));
        Ok(())
    }
}
