//! When each municipality's data went live (issue 23, part 2: coverage).
//! A version's `created_at` says when it was stored; a draft goes live
//! later, and the coverage page tells voters and journalists when a
//! municipality last published, so the time of the publication itself is
//! read from the `published` pointer.

use super::StoreError;
use app::model::{ElectionId, MunicipalityCode};
use chrono::{DateTime, Utc};

pub trait Publications {
    /// When each municipality's published version of `election` was
    /// published, in code order.
    fn publication_times(
        &self,
        election: &ElectionId,
    ) -> Result<Vec<(MunicipalityCode, DateTime<Utc>)>, StoreError>;
}

/// A publication time as both stores write it (RFC 3339).
pub(super) fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.to_utc())
        .map_err(|e| format!("publication time \"{text}\" is not RFC 3339: {e}"))
}
