//! Voters' reports of a problem with a station, as a store keeps them: the
//! station, the dataset version voters saw, what the voter chose and typed,
//! when, an e-mail address for an answer, and how far the municipality
//! got. Never what the voter searched for or where they were: the form
//! does not ask, and there is no column for it.
//!
//! E-mail addresses are kept only as long as an answer may be due: a
//! report that is closed loses its address at once, and every address goes
//! after [`EMAIL_KEPT`] (see [`Store::file_report`]).

use super::{Store, StoreError};
use app::model::{ElectionId, MunicipalityCode};
use app::report::Category;
use chrono::{DateTime, Duration, Utc};

/// How long an e-mail address given with a report is kept at most.
pub const EMAIL_KEPT: Duration = Duration::days(90);

/// How far a municipality got with a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportState {
    New,
    InProgress,
    Handled,
    Dismissed,
}

impl ReportState {
    pub const ALL: [ReportState; 4] =
        [ReportState::New, ReportState::InProgress, ReportState::Handled, ReportState::Dismissed];

    /// As stored, in forms and in the API.
    pub fn code(self) -> &'static str {
        match self {
            ReportState::New => "new",
            ReportState::InProgress => "in-progress",
            ReportState::Handled => "handled",
            ReportState::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<ReportState> {
        ReportState::ALL.into_iter().find(|state| state.code() == code)
    }

    /// Whether nothing more is due: the voter's address is no longer needed.
    pub fn is_closed(self) -> bool {
        matches!(self, ReportState::Handled | ReportState::Dismissed)
    }
}

/// Which station a report is about.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedStation {
    pub election: ElectionId,
    pub municipality: MunicipalityCode,
    /// The station's id (`gm0589-3`), as in its page's address.
    pub id: String,
    /// Its name when the report was made: the station may go later.
    pub name: String,
}

/// A report as a voter sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub station: ReportedStation,
    pub category: Category,
    pub text: String,
    pub email: Option<String>,
    pub at: DateTime<Utc>,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    pub id: i64,
    pub station: ReportedStation,
    /// The version the municipality published when the voter reported:
    /// the one the voter saw. `None` if it published none by then.
    pub version: Option<i64>,
    pub category: Category,
    pub text: String,
    /// Gone once the report is closed, or after [`EMAIL_KEPT`].
    pub email: Option<String>,
    pub state: ReportState,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub changed_at: String,
}

/// How many reports of each state one municipality has, for admins.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportCount {
    pub election: ElectionId,
    pub municipality: MunicipalityCode,
    pub state: ReportState,
    pub count: usize,
}

impl ReportCount {
    /// A count as both stores read it, or what in it no Kieskaart writes.
    pub(super) fn from_row(election: &str, code: &str, state: &str, count: i64) -> Result<Self, String> {
        Ok(ReportCount {
            election: ElectionId::parse(election).map_err(|e| e.to_string())?,
            municipality: super::rows::municipality(code)?,
            state: ReportState::parse(state).ok_or_else(|| format!("report state {state}"))?,
            count: usize::try_from(count).unwrap_or(0),
        })
    }
}

/// The columns of `reports` a [`StoredReport`] is read from, in the order
/// of [`ReportRow`].
pub(super) const REPORT_COLUMNS: &str = "id, election_id, municipality_code, station_id, station_name, \
     version_id, category, text, email, state, created_at, changed_at";

/// A `reports` row as stored, before its values are checked.
pub(super) struct ReportRow {
    pub id: i64,
    pub election: String,
    pub municipality: String,
    pub station_id: String,
    pub station_name: String,
    pub version: Option<i64>,
    pub category: String,
    pub text: String,
    pub email: Option<String>,
    pub state: String,
    pub created_at: String,
    pub changed_at: String,
}

impl ReportRow {
    /// The report, or what in the row no version of Kieskaart writes.
    pub fn report(self) -> Result<StoredReport, String> {
        let category =
            Category::parse(&self.category).ok_or_else(|| format!("report category {}", self.category))?;
        let state = ReportState::parse(&self.state).ok_or_else(|| format!("report state {}", self.state))?;
        Ok(StoredReport {
            id: self.id,
            station: ReportedStation {
                election: ElectionId::parse(&self.election).map_err(|e| e.to_string())?,
                municipality: super::rows::municipality(&self.municipality)?,
                id: self.station_id,
                name: self.station_name,
            },
            version: self.version,
            category,
            text: self.text,
            email: self.email,
            state,
            created_at: self.created_at,
            changed_at: self.changed_at,
        })
    }
}

/// The reports' part of a store (see [`super::Backend`]).
pub trait Reports {
    /// Stores a new report, state new, with the version its municipality
    /// publishes now; its id.
    fn add_report(&mut self, report: &NewReport) -> Result<i64, StoreError>;
    /// One municipality's reports for an election, newest first.
    fn reports(
        &self,
        election: &ElectionId,
        municipality: &MunicipalityCode,
    ) -> Result<Vec<StoredReport>, StoreError>;
    fn report(&self, id: i64) -> Result<Option<StoredReport>, StoreError>;
    /// Moves a report to `state` at `at` (RFC 3339); a closed report loses
    /// its e-mail address. Whether there is such a report.
    fn set_report_state(&mut self, id: i64, state: ReportState, at: &str) -> Result<bool, StoreError>;
    /// Forgets the e-mail addresses of reports made before `before` (RFC
    /// 3339); how many.
    fn forget_report_emails(&mut self, before: &str) -> Result<usize, StoreError>;
    /// How many reports each municipality has, per election and state.
    fn report_counts(&self) -> Result<Vec<ReportCount>, StoreError>;
}

impl Store {
    /// Stores a voter's report, and first forgets every e-mail address
    /// older than [`EMAIL_KEPT`] at the report's time: reports come in
    /// steadily around an election; changing a report's state in the
    /// portal purges too, and `serve` does every hour
    /// (`http::report::forget_old_addresses`) for the quiet months.
    pub fn file_report(&mut self, report: &NewReport) -> Result<i64, StoreError> {
        self.forget_old_emails(report.at)?;
        self.add_report(report)
    }

    /// Forgets the e-mail addresses older than [`EMAIL_KEPT`] at `now`.
    pub fn forget_old_emails(&mut self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        self.forget_report_emails(&(now - EMAIL_KEPT).to_rfc3339())
    }
}
