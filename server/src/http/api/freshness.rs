//! Entity tags and cache lifetimes that change whenever an answer's body
//! would.
//!
//! A body depends on the published data (the election's dataset
//! versions); a search's also on the municipal boundaries (the searched
//! point's municipality, and the order under the municipality rule); and,
//! unless the request names a moment, on the clock: each station's status
//! and what the open-now filter admits. The clock changes those only when
//! some station's status changes, which the index knows in advance. So an
//! answer judged "now" carries a tag that names the next change, and may
//! be cached until that change and no longer. Its tag is weak (`W/`): the
//! answer's `at` still tells the second it was made, and nothing else
//! differs before the next change.

use crate::index::ElectionIndex;
use chrono::{DateTime, Utc};
use std::hash::{Hash, Hasher};

/// How long browsers and CDNs may keep an answer, and serve it stale
/// while they revalidate: on polling day a correction reaches voters
/// within about a minute.
const MAX_AGE: i64 = 60;
const STALE_WHILE_REVALIDATE: i64 = 30;

/// What a cache is told about one answer.
pub struct Freshness {
    /// Quoted, as HTTP wants it, and weak for answers judged by the
    /// clock: `W/"{the data's tag}-{a hash of the rest}"`.
    pub etag: String,
    pub cache_control: String,
}

/// What an answer was judged at.
#[derive(Clone, Copy)]
pub enum Judged {
    /// The clock's time, `now`: statuses change as it moves on.
    ByTheClock(DateTime<Utc>),
    /// A moment the request named, or no moment at all: the answer stays
    /// what it is as long as the data does.
    Fixed,
}

impl Freshness {
    /// For an answer made from `index`'s published data, from boundaries
    /// with the fingerprint `boundaries` when it names the searched
    /// point's municipality, and `judged` as it was.
    pub fn of(index: &ElectionIndex, boundaries: Option<u64>, judged: Judged) -> Self {
        let next_change = match judged {
            Judged::ByTheClock(now) => Some((now, index.next_status_change(now))),
            Judged::Fixed => None,
        };
        // SipHash with fixed keys: servers of one build agree on the tag.
        let mut hasher = std::hash::DefaultHasher::new();
        boundaries.hash(&mut hasher);
        next_change.map(|(_, change)| change.map(|instant| instant.timestamp_millis())).hash(&mut hasher);
        // The data's own tag first, so that an operator reading logs sees
        // which publication an answer came from.
        let tag = format!("\"{}-{:016x}\"", index.etag.trim_matches('"'), hasher.finish());
        let seconds_left = next_change.and_then(|(now, change)| Some((change? - now).num_seconds()));
        Self {
            etag: if next_change.is_some() { format!("W/{tag}") } else { tag },
            cache_control: cache_control(seconds_left),
        }
    }
}

/// `Cache-Control` for an answer that stays right for `seconds_left`
/// (`None`: until the data changes): never kept, nor served stale, past
/// that.
pub fn cache_control(seconds_left: Option<i64>) -> String {
    let left = seconds_left.unwrap_or(i64::MAX).max(0);
    let max_age = left.min(MAX_AGE);
    let stale = (left - max_age).min(STALE_WHILE_REVALIDATE);
    if stale > 0 {
        format!("public, max-age={max_age}, stale-while-revalidate={stale}")
    } else {
        format!("public, max-age={max_age}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_keeps_an_answer_until_it_would_change_and_no_longer() {
        assert_eq!(cache_control(None), "public, max-age=60, stale-while-revalidate=30");
        assert_eq!(cache_control(Some(3600)), "public, max-age=60, stale-while-revalidate=30");
        assert_eq!(cache_control(Some(75)), "public, max-age=60, stale-while-revalidate=15");
        assert_eq!(cache_control(Some(20)), "public, max-age=20");
        assert_eq!(cache_control(Some(-1)), "public, max-age=0");
    }
}
