use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Whether a station is open at a given local time, in the terms a voter
/// acts on. Times are local to the station, as published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpeningStatus {
    /// Open now; closes at the given time.
    OpenUntil(NaiveDateTime),
    /// Opens later on the same day.
    OpensLaterToday(NaiveDateTime),
    /// Was open earlier today and has closed.
    ClosedForToday,
    /// Opens on another day than today.
    OtherDay,
}

impl OpeningStatus {
    pub fn at(opens: NaiveDateTime, closes: NaiveDateTime, now: NaiveDateTime) -> Self {
        if opens <= now && now < closes {
            OpeningStatus::OpenUntil(closes)
        } else if now.date() != opens.date() {
            OpeningStatus::OtherDay
        } else if now < opens {
            OpeningStatus::OpensLaterToday(opens)
        } else {
            OpeningStatus::ClosedForToday
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(now: &str) -> OpeningStatus {
        let time = |t: &str| t.parse::<NaiveDateTime>().unwrap();
        OpeningStatus::at(time("2026-03-18T07:30:00"), time("2026-03-18T21:00:00"), time(now))
    }

    #[test]
    fn status_through_polling_day() {
        let closes = "2026-03-18T21:00:00".parse().unwrap();
        let opens = "2026-03-18T07:30:00".parse().unwrap();
        assert_eq!(at("2026-03-17T12:00:00"), OpeningStatus::OtherDay);
        assert_eq!(at("2026-03-18T06:00:00"), OpeningStatus::OpensLaterToday(opens));
        assert_eq!(at("2026-03-18T07:30:00"), OpeningStatus::OpenUntil(closes));
        assert_eq!(at("2026-03-18T20:59:59"), OpeningStatus::OpenUntil(closes));
        assert_eq!(at("2026-03-18T21:00:00"), OpeningStatus::ClosedForToday);
        assert_eq!(at("2026-03-19T08:00:00"), OpeningStatus::OtherDay);
    }
}
