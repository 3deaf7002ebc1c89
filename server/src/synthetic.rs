//! Made-up stations and queries, reproducible from a seed: the load for
//! exactness tests that compare the index with a brute-force scan, and for
//! benchmarks at sizes no real dataset has (a million stations).

use crate::geography::MunicipalityArea;
use app::model::{
    Accessibility, Address, Coordinates, Feature, Filters, GuideLines, MunicipalityCode, MunicipalityRef,
    Needs, SignLanguageInterpreter, Station, StationKind, Toilet,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use geo::{BoundingRect, Contains};

/// A small, fast, seedable generator (xorshift64*): statistical quality is
/// beside the point, reproducibility is not.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `Some(true)`, `Some(false)` or unknown, as real data mixes them.
    fn answer(&mut self, yes: f64) -> Option<bool> {
        match self.unit() {
            u if u < yes => Some(true),
            u if u < 0.8 => Some(false),
            _ => None,
        }
    }

    /// Roughly standard normal (a sum of four uniforms, rescaled).
    fn normal(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 3f64.sqrt()
    }

    /// A uniform point inside a municipality's area (by rejection from
    /// its bounding box); a degenerate area that rejects a thousand tries
    /// gets a corner of its box.
    pub fn point_in(&mut self, area: &MunicipalityArea) -> Coordinates {
        let Some(rect) = area.area.bounding_rect() else {
            return self.point();
        };
        let (min, size) = (rect.min(), rect.max() - rect.min());
        let candidates = std::iter::repeat_with(|| {
            geo::Point::new(min.x + size.x * self.unit(), min.y + size.y * self.unit())
        });
        let inside = candidates.take(1000).find(|p| area.area.contains(p)).unwrap_or(geo::Point::from(min));
        Coordinates::new(inside.y(), inside.x()).unwrap_or_else(|_| self.point())
    }

    /// A point in the European Netherlands' bounding box, or (one in
    /// twenty) near Bonaire, Sint Eustatius and Saba.
    pub fn point(&mut self) -> Coordinates {
        let (lat, lon) = if self.chance(0.05) {
            (12.0 + 6.0 * self.unit(), -69.0 + 6.0 * self.unit())
        } else {
            (50.75 + 2.8 * self.unit(), 3.35 + 3.87 * self.unit())
        };
        Coordinates::new(lat, lon).expect("the ranges above are valid coordinates")
    }
}

/// The polling day of synthetic data; some stations also open two days early.
pub fn polling_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 18).expect("a valid date")
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("callers pass valid times"))
}

/// `n` stations spread over the Netherlands, each in one of 400
/// municipalities (by a grid over the country), with every kind of
/// accessibility answer and opening time.
pub fn stations(n: usize, seed: u64) -> Vec<Station> {
    let mut random = Random::new(seed);
    (0..n).map(|i| station(i, &mut random)).collect()
}

fn station(i: usize, random: &mut Random) -> Station {
    let location = random.point();
    // A 20 x 20 grid of "municipalities" over the bounding box; the
    // Caribbean points belong to Bonaire (south) or Saba (north), whose
    // stations keep their own clock.
    let number = if location.lat() < 50.0 {
        if location.lat() < 15.0 {
            9001
        } else {
            9003
        }
    } else {
        let cell = ((location.lat() - 50.75) / 0.14).clamp(0.0, 19.0) as usize * 20
            + ((location.lon() - 3.35) / 0.1935).clamp(0.0, 19.0) as usize;
        cell + 1
    };
    let municipality = MunicipalityRef {
        code: MunicipalityCode::parse(&format!("GM{number:04}")).expect("four digits"),
        name: format!("Synthetic municipality {number}"),
    };
    station_at(i, location, municipality, random)
}

/// How many stations the smallest municipalities publish, whatever the
/// total: the islands and villages (Vlieland, Schiermonnikoog, Renswoude)
/// that publish one to five, where a search under the municipality rule
/// must look beyond home.
const SMALLEST: [usize; 5] = [1, 2, 3, 4, 5];

/// About `n` stations inside real municipal areas, with counts as uneven
/// as real ones: each municipality gets a log-normal share (populations
/// span three orders of magnitude), except the five with the smallest
/// shares, which publish exactly one to five stations at any `n`.
pub fn stations_in(areas: &[MunicipalityArea], n: usize, seed: u64) -> Vec<Station> {
    let mut random = Random::new(seed);
    let mut shares: Vec<(f64, &MunicipalityArea)> =
        areas.iter().map(|area| ((1.2 * random.normal()).exp(), area)).collect();
    shares.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (smallest, rest) = shares.split_at(SMALLEST.len().min(shares.len()));
    let total: f64 = rest.iter().map(|(share, _)| share).sum();
    let remaining = n.saturating_sub(SMALLEST.iter().sum());
    let counts =
        smallest.iter().zip(SMALLEST).map(|((_, area), count)| (*area, count)).chain(
            rest.iter().map(|(share, area)| (*area, (share / total * remaining as f64).round() as usize)),
        );
    let mut stations = Vec::with_capacity(n);
    for (area, count) in counts.collect::<Vec<_>>() {
        for _ in 0..count {
            let location = random.point_in(area);
            stations.push(station_at(stations.len(), location, area.municipality.clone(), &mut random));
        }
    }
    stations
}

fn station_at(
    i: usize,
    location: Coordinates,
    municipality: MunicipalityRef,
    random: &mut Random,
) -> Station {
    let day = if random.chance(0.05) { polling_day() - chrono::Days::new(2) } else { polling_day() };
    let (opens, closes) =
        if random.chance(0.1) { (at(day, 7, 30), at(day, 13, 0)) } else { (at(day, 7, 30), at(day, 21, 0)) };
    let kind = match random.below(20) {
        0 => StationKind::Mobile,
        1 => StationKind::Special,
        _ => StationKind::Regular,
    };
    let accessibility = Accessibility {
        wheelchair: random.chance(0.9),
        transit_stop: random.answer(0.5),
        toilet: [None, Some(Toilet::No), Some(Toilet::Yes), Some(Toilet::Accessible)][random.below(4)],
        host: random.answer(0.4),
        guide_lines: [
            None,
            Some(GuideLines::No),
            Some(GuideLines::Outside),
            Some(GuideLines::OutsideAndInside),
        ][random.below(4)],
        audio_aid: random.answer(0.3),
        // Braille lists, interpreters on site and low-stimulus rooms are
        // rare in real data (8%, under 1%, under 1% in 2026): the filters
        // that make a search look far.
        braille_list: random.answer(0.08),
        large_print_list: random.answer(0.5),
        sign_language_interpreter: match random.unit() {
            u if u < 0.03 => Some(SignLanguageInterpreter::OnSite),
            u if u < 0.5 => Some(SignLanguageInterpreter::Remote),
            u if u < 0.7 => Some(SignLanguageInterpreter::No),
            _ => None,
        },
        signing_staff: random.answer(0.05),
        acoustics: random.answer(0.5),
        low_stimulus: random.answer(0.03),
        buddy_pair: random.answer(0.1),
        notes: String::new(),
    };
    Station {
        id: format!("syn-{i}"),
        number: u32::try_from(i % 100_000).unwrap_or_default() + 1,
        name: format!("Synthetic station {i}"),
        kind,
        address: Address { place: municipality.name.clone(), ..Address::default() },
        municipality_code: municipality.code,
        municipality_name: municipality.name,
        location,
        opens,
        closes,
        accessibility,
    }
}

/// A random combination of filters, mostly one or two, sometimes none or
/// several, with each kind of filter represented.
pub fn filters(random: &mut Random) -> Filters {
    let mut filters = Filters::default();
    let slugs: Vec<&str> =
        (0..random.below(3)).map(|_| Feature::ALL[random.below(Feature::ALL.len())].slug()).collect();
    filters.needs = Needs::parse(slugs).unwrap_or_default();
    if random.chance(0.2) {
        filters.kinds =
            vec![[StationKind::Regular, StationKind::Special, StationKind::Mobile][random.below(3)]];
    }
    if random.chance(0.2) {
        // Mostly polling day; sometimes the early day, or the day between
        // when nothing is open.
        let day = if random.chance(0.7) {
            polling_day()
        } else {
            polling_day() - chrono::Days::new(1 + random.below(2) as u64)
        };
        // An instant: 07:00 to 21:00 UTC, an hour later in Amsterdam and
        // four earlier in Kralendijk.
        filters.open_at = Some(at(day, 7 + random.below(15) as u32, 0).and_utc());
    }
    if random.chance(0.1) {
        filters.open_on = Some(polling_day() - chrono::Days::new(random.below(3) as u64));
    }
    if random.chance(0.1) {
        let code = format!("GM{:04}", 1 + random.below(400));
        filters.municipality = MunicipalityCode::parse(&code).ok();
    }
    filters
}
