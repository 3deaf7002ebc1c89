use chrono::NaiveDateTime;
#[cfg(feature = "ssr")]
use chrono::{DateTime, Utc};
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

    /// The status of `station` at `instant`, judged on the station's own
    /// clock (see [`super::Election::time_zone_of`]).
    #[cfg(feature = "ssr")]
    pub fn of(election: &super::Election, station: &super::Station, instant: DateTime<Utc>) -> Self {
        Self::at(station.opens, station.closes, election.clock_at(station, instant))
    }
}

/// The instant at which a clock in `zone` reads `local`: the earlier one
/// when clocks go back and read it twice. A time that clocks skip when
/// they go forward gets an instant at or shortly before the skip, never
/// after it: callers use it to end a cache's lifetime or to read a time
/// a voter typed, where an instant a little early does no harm.
#[cfg(feature = "ssr")]
pub fn instant_at(zone: chrono_tz::Tz, local: NaiveDateTime) -> DateTime<Utc> {
    use chrono::TimeZone;
    // Every skip in the time-zone database is shorter than three hours.
    (0..=3)
        .map(|hours| local - chrono::Duration::hours(hours))
        .find_map(|earlier| zone.from_local_datetime(&earlier).earliest())
        .map_or_else(
            // No zone runs more than 14 hours ahead of UTC, so this is never late.
            || Utc.from_utc_datetime(&(local - chrono::Duration::hours(14))),
            |instant| instant.with_timezone(&Utc),
        )
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

    #[cfg(feature = "ssr")]
    #[test]
    fn a_bonaire_station_is_judged_on_its_own_clock_in_a_national_election() {
        use crate::model::{Election, ElectionId, MunicipalityCode, Station};
        let national =
            Election::new(ElectionId::parse("tk2030").unwrap(), "TK", "2030-03-20".parse().unwrap());
        let station = |code: &str| Station {
            municipality_code: MunicipalityCode::parse(code).unwrap(),
            opens: "2030-03-20T07:30:00".parse().unwrap(),
            closes: "2030-03-20T21:00:00".parse().unwrap(),
            ..crate::model::station::tests::example()
        };
        let (kralendijk, amsterdam) = (station("GM9001"), station("GM0589"));
        let instant = |t: &str| t.parse::<DateTime<Utc>>().unwrap();
        let time = |t: &str| t.parse::<NaiveDateTime>().unwrap();
        // 12:00 in Amsterdam is 07:00 in Kralendijk: not open there yet.
        let noon = instant("2030-03-20T11:00:00Z");
        assert_eq!(
            OpeningStatus::of(&national, &amsterdam, noon),
            OpeningStatus::OpenUntil(time("2030-03-20T21:00:00"))
        );
        assert_eq!(
            OpeningStatus::of(&national, &kralendijk, noon),
            OpeningStatus::OpensLaterToday(time("2030-03-20T07:30:00"))
        );
        // 01:30 the next night in Amsterdam is 20:30 in Kralendijk: still open there.
        let night = instant("2030-03-21T00:30:00Z");
        assert_eq!(OpeningStatus::of(&national, &amsterdam, night), OpeningStatus::OtherDay);
        assert_eq!(
            OpeningStatus::of(&national, &kralendijk, night),
            OpeningStatus::OpenUntil(time("2030-03-20T21:00:00"))
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn local_times_become_instants_even_when_clocks_skip_or_repeat_them() {
        let amsterdam = chrono_tz::Europe::Amsterdam;
        let read = |t: &str| instant_at(amsterdam, t.parse().unwrap()).to_rfc3339();
        assert_eq!(read("2030-03-20T07:30:00"), "2030-03-20T06:30:00+00:00");
        // Summer time: 02:30 on 31 March 2030 never happens; the skip is at 01:00 UTC.
        let skipped = instant_at(amsterdam, "2030-03-31T02:30:00".parse().unwrap());
        assert!(skipped <= "2030-03-31T01:00:00Z".parse::<DateTime<Utc>>().unwrap(), "{skipped}");
        // Winter time: 02:30 on 27 October 2030 happens twice; the first counts.
        assert_eq!(read("2030-10-27T02:30:00"), "2030-10-27T00:30:00+00:00");
        assert_eq!(
            instant_at(chrono_tz::America::Kralendijk, "2030-03-20T07:30:00".parse().unwrap()).to_rfc3339(),
            "2030-03-20T11:30:00+00:00"
        );
    }
}
