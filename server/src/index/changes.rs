//! When an election's answers change by the clock alone: the instants at
//! which some station's opening status changes (and with it what the
//! open-now filter admits), so that a cached answer can be kept until the
//! next one and no longer.

use super::sieve::{Period, Periods};
use app::model::instant_at;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};

/// The instants at which some station's status changes, in order.
pub struct StatusChanges(Vec<DateTime<Utc>>);

impl StatusChanges {
    pub fn new(periods: &Periods) -> Self {
        let mut instants: Vec<_> = periods.iter().flat_map(changes_of).collect();
        instants.sort_unstable();
        instants.dedup();
        Self(instants)
    }

    /// The first change after `now`; `None` once every station has closed
    /// for good, after which answers no longer change by the clock.
    pub fn next_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let next = self.0.partition_point(|instant| *instant <= now);
        self.0.get(next).copied()
    }
}

/// When the status of a station open for `period` changes (see
/// [`app::model::OpeningStatus::at`]): at the start of its opening day it
/// opens "later today", then it opens, closes, and at the end of that day
/// it opens "on another day".
fn changes_of(period: &Period) -> [DateTime<Utc>; 4] {
    let day_starts = |time: NaiveDateTime| time.date().and_time(chrono::NaiveTime::MIN);
    let local =
        [day_starts(period.opens), period.opens, period.closes, day_starts(period.opens) + Duration::days(1)];
    local.map(|time| instant_at(period.zone, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_change_is_the_next_opening_closing_or_midnight_on_each_station_s_clock() {
        let time = |t: &str| t.parse::<NaiveDateTime>().unwrap();
        let polling_day =
            |zone| Period { opens: time("2030-03-20T07:30:00"), closes: time("2030-03-20T21:00:00"), zone };
        let periods = Periods::new([
            polling_day(chrono_tz::Europe::Amsterdam),
            polling_day(chrono_tz::America::Kralendijk),
        ]);
        let changes = StatusChanges::new(&periods);
        let next = |t: &str| changes.next_after(t.parse().unwrap()).map(|instant| instant.to_rfc3339());
        // Amsterdam is UTC+1 in March, Kralendijk UTC-4.
        assert_eq!(
            next("2030-03-19T12:00:00Z").as_deref(),
            Some("2030-03-19T23:00:00+00:00"),
            "midnight in Amsterdam"
        );
        assert_eq!(
            next("2030-03-20T00:00:00Z").as_deref(),
            Some("2030-03-20T04:00:00+00:00"),
            "midnight in Kralendijk"
        );
        assert_eq!(
            next("2030-03-20T06:30:00Z").as_deref(),
            Some("2030-03-20T11:30:00+00:00"),
            "opens in Kralendijk"
        );
        assert_eq!(
            next("2030-03-21T01:00:00Z").as_deref(),
            Some("2030-03-21T04:00:00+00:00"),
            "closed in Kralendijk"
        );
        assert_eq!(next("2030-03-21T04:00:00Z"), None, "every station has closed for good");
    }
}
