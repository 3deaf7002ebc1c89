//! Made-up stations and queries, reproducible from a seed: the load for
//! exactness tests that compare the index with a brute-force scan, and for
//! benchmarks at sizes no real dataset has (a million stations).

use app::model::{
    Accessibility, Address, Coordinates, Feature, Filters, GuideLines, MunicipalityCode, Needs,
    SignLanguageInterpreter, Station, StationKind, Toilet,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

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
    // A 20 x 20 grid of "municipalities" over the bounding box.
    let cell = ((location.lat() - 50.75) / 0.14).clamp(0.0, 19.0) as usize * 20
        + ((location.lon() - 3.35) / 0.1935).clamp(0.0, 19.0) as usize;
    let code = MunicipalityCode::parse(&format!("GM{:04}", cell + 1)).expect("four digits");
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
        braille_list: random.answer(0.2),
        large_print_list: random.answer(0.5),
        sign_language_interpreter: [
            None,
            Some(SignLanguageInterpreter::No),
            Some(SignLanguageInterpreter::OnSite),
            Some(SignLanguageInterpreter::Remote),
        ][random.below(4)],
        signing_staff: random.answer(0.05),
        acoustics: random.answer(0.5),
        low_stimulus: random.answer(0.2),
        buddy_pair: random.answer(0.1),
        notes: String::new(),
    };
    Station {
        id: format!("syn-{i}"),
        number: u32::try_from(i % 100_000).unwrap_or_default() + 1,
        name: format!("Synthetic station {i}"),
        kind,
        municipality_code: code,
        municipality_name: format!("Synthetic municipality {}", cell + 1),
        address: Address { place: format!("Place {cell}"), ..Address::default() },
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
        filters.open_at = Some(at(polling_day(), 7 + random.below(15) as u32, 0));
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
