//! What a subtree of the index holds, in a few bits, and what a query
//! asks, in the same bits: so that a walk passes over every subtree in
//! which no station could pass the query's filters, and a rare need, a
//! rare kind or an hour when few stations are open costs what it finds,
//! not what the election holds.
//!
//! The bits over-approximate: a subtree the sieve turns away holds no
//! admitted station, but one it lets through may still hold none (the
//! bits of different stations mix). The walk checks every station with
//! the filters themselves, so answers stay exact.

use app::model::{Feature, Filters, Station, StationKind};
use chrono::NaiveDateTime;
use chrono_tz::Tz;

/// The bit of a kind's offer that says a station of that kind is there,
/// whatever it offers; the features take the bits below it.
const PRESENT: u16 = 1 << 15;
const _: () = assert!(Feature::ALL.len() < 16, "each feature needs a bit below PRESENT");

fn feature_bit(feature: Feature) -> u16 {
    1 << feature as u16
}

/// Each kind's place in a summary.
fn slot(kind: StationKind) -> usize {
    match kind {
        StationKind::Regular => 0,
        StationKind::Special => 1,
        StationKind::Mobile => 2,
    }
}

const KINDS: [StationKind; 3] = [StationKind::Regular, StationKind::Special, StationKind::Mobile];

/// What the stations under one node of the tree offer, and when they are
/// open.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Summary {
    /// For each station kind, the features offered by some station of
    /// that kind, with `PRESENT`: "a mobile station with an interpreter"
    /// is told apart from "a mobile station, and an interpreter elsewhere".
    offers: [u16; 3],
    /// The opening periods of the stations, as bits of [`Periods`].
    periods: u64,
}

impl Summary {
    /// What `station`, whose clock keeps `zone`, offers and when.
    pub fn of(station: &Station, zone: Tz, periods: &Periods) -> Self {
        let mut offers = [0; 3];
        offers[slot(station.kind)] =
            Feature::offered_by(&station.accessibility).fold(PRESENT, |bits, f| bits | feature_bit(f));
        Self { offers, periods: periods.bit(&Period::of(station, zone)) }
    }

    /// Takes in what another part of the same subtree holds.
    pub fn merge(&mut self, other: &Summary) {
        for (mine, theirs) in self.offers.iter_mut().zip(other.offers) {
            *mine |= theirs;
        }
        self.periods |= other.periods;
    }
}

/// When a station is open, on the clock of its time zone: the same
/// hours in Amsterdam and in Kralendijk are two periods.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Period {
    pub opens: NaiveDateTime,
    pub closes: NaiveDateTime,
    pub zone: Tz,
}

impl Period {
    pub fn of(station: &Station, zone: Tz) -> Self {
        Self { opens: station.opens, closes: station.closes, zone }
    }

    /// The order periods are kept in (zones have no order of their own).
    fn key(&self) -> (NaiveDateTime, NaiveDateTime, &'static str) {
        (self.opens, self.closes, self.zone.name())
    }
}

/// The distinct opening periods of an election's stations, in order.
/// Elections have a handful (polling day, early days, short hours at
/// mobile stations, the Caribbean Netherlands' clock); when there are
/// more than 64, neighbouring periods share a bit, which only makes the
/// sieve let more through.
pub struct Periods(Vec<Period>);

impl Periods {
    pub fn new(periods: impl IntoIterator<Item = Period>) -> Self {
        let mut periods: Vec<_> = periods.into_iter().collect();
        periods.sort_unstable_by(|a, b| a.key().cmp(&b.key()));
        periods.dedup();
        Self(periods)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Period> {
        self.0.iter()
    }

    fn bit(&self, period: &Period) -> u64 {
        let at = self.0.binary_search_by(|p| p.key().cmp(&period.key())).unwrap_or_else(|at| at);
        1 << (at * 64 / self.0.len().max(1)).min(63)
    }

    /// The bits of the periods that the filters' times admit. Costs one
    /// look at each period, and only when the query names a time.
    fn admitted(&self, filters: &Filters) -> u64 {
        if filters.open_at.is_none() && filters.open_on.is_none() {
            return u64::MAX;
        }
        self.0
            .iter()
            .filter(|p| filters.admits_period(p.opens, p.closes, p.zone))
            .fold(0, |bits, period| bits | self.bit(period))
    }
}

/// What one query admits, in the bits of a [`Summary`].
pub struct Sieve {
    /// The features needed, with `PRESENT`.
    needs: u16,
    /// The slots of the kinds asked for.
    kinds: [bool; 3],
    periods: u64,
}

impl Sieve {
    pub fn new(filters: &Filters, periods: &Periods) -> Self {
        let needs = filters.needs.features().iter().fold(PRESENT, |bits, f| bits | feature_bit(*f));
        let mut kinds = [false; 3];
        for kind in KINDS.into_iter().filter(|kind| filters.admits_kind(*kind)) {
            kinds[slot(kind)] = true;
        }
        Self { needs, kinds, periods: periods.admitted(filters) }
    }

    /// Lets through every subtree that holds a station: for a predicate
    /// the sieve cannot see into.
    pub fn everything() -> Self {
        Self { needs: PRESENT, kinds: [true; 3], periods: u64::MAX }
    }

    /// Whether a subtree so summarised may hold an admitted station.
    pub fn passes(&self, summary: &Summary) -> bool {
        summary.periods & self.periods != 0
            && self
                .kinds
                .iter()
                .zip(summary.offers)
                .any(|(&asked, offers)| asked && offers & self.needs == self.needs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::{Accessibility, Needs, SignLanguageInterpreter};

    fn station(kind: StationKind, accessibility: Accessibility, opens: &str) -> Station {
        let mut station = crate::synthetic::stations(1, 1).remove(0);
        station.kind = kind;
        station.accessibility = accessibility;
        station.opens = opens.parse().unwrap();
        station.closes = station.opens + chrono::Duration::hours(8);
        station
    }

    #[test]
    fn a_merged_summary_keeps_each_kind_s_offers_apart() {
        let interpreter = Accessibility {
            sign_language_interpreter: Some(SignLanguageInterpreter::OnSite),
            ..Accessibility::default()
        };
        let regular = station(StationKind::Regular, interpreter, "2026-03-18T07:30:00");
        let mobile = station(StationKind::Mobile, Accessibility::default(), "2026-03-16T07:30:00");
        let zone = chrono_tz::Europe::Amsterdam;
        let periods = Periods::new([Period::of(&regular, zone), Period::of(&mobile, zone)]);
        let mut both = Summary::of(&regular, zone, &periods);
        both.merge(&Summary::of(&mobile, zone, &periods));
        let sieve = |filters: Filters| Sieve::new(&filters, &periods).passes(&both);
        let needs = Needs::parse(["sign-language-on-site"]).unwrap();
        let mobile_kind = vec![StationKind::Mobile];
        assert!(sieve(Filters { needs: needs.clone(), ..Filters::default() }));
        assert!(sieve(Filters { kinds: mobile_kind.clone(), ..Filters::default() }));
        assert!(!sieve(Filters { needs, kinds: mobile_kind, ..Filters::default() }), "no mobile interpreter");
        let at = |t: &str| Filters { open_at: Some(t.parse().unwrap()), ..Filters::default() };
        assert!(sieve(at("2026-03-16T11:00:00Z")));
        assert!(!sieve(at("2026-03-17T11:00:00Z")), "nothing is open the day between");
        assert!(!Sieve::everything().passes(&Summary::default()), "an empty subtree holds nothing");
    }

    #[test]
    fn the_same_hours_on_another_clock_are_another_period() {
        let station = station(StationKind::Regular, Accessibility::default(), "2030-03-20T07:30:00");
        let (amsterdam, kralendijk) = (chrono_tz::Europe::Amsterdam, chrono_tz::America::Kralendijk);
        let periods = Periods::new([Period::of(&station, amsterdam), Period::of(&station, kralendijk)]);
        let on_bonaire = Summary::of(&station, kralendijk, &periods);
        // 07:00 UTC is 08:00 in Amsterdam, 03:00 in Kralendijk; 12:00 UTC is 08:00 there.
        let at = |t: &str| Filters { open_at: Some(t.parse().unwrap()), ..Filters::default() };
        assert!(!Sieve::new(&at("2030-03-20T07:00:00Z"), &periods).passes(&on_bonaire));
        assert!(Sieve::new(&at("2030-03-20T12:00:00Z"), &periods).passes(&on_bonaire));
    }
}
