//! The in-memory search index of one election: every published station in
//! an R-tree, plus a small gazetteer of the postcodes and places in the data.
//!
//! Points are stored as unit vectors on the sphere. The straight-line
//! (chord) distance between two unit vectors grows with the great-circle
//! distance between them, so the R-tree's Euclidean nearest-neighbour walk
//! visits stations in exactly haversine order, everywhere on Earth, the
//! Caribbean Netherlands included, with no projection to choose.

use app::directory::Place;
use app::model::{Coordinates, Election, NearestStation, Needs, ResultCount, Station};
use geo::{Distance, Haversine, Point};
use rstar::{primitives::GeomWithData, RTree};
use std::collections::HashMap;

type Entry = GeomWithData<[f64; 3], usize>;

pub struct ElectionIndex {
    pub election: Election,
    /// Entity tag of the published data (quoted, as HTTP wants it): equal
    /// for equal dataset versions, so caches can revalidate cheaply.
    pub etag: String,
    stations: Vec<Station>,
    /// Position in `stations` of each station id.
    by_id: HashMap<String, usize>,
    tree: RTree<Entry>,
    gazetteer: Gazetteer,
}

impl ElectionIndex {
    pub fn new(election: Election, versions: &[i64], stations: Vec<Station>) -> Self {
        let entries = stations
            .iter()
            .enumerate()
            .map(|(position, station)| Entry::new(unit_vector(station.location), position))
            .collect();
        let gazetteer = Gazetteer::new(&stations);
        let etag = etag(&election, versions);
        let by_id = stations.iter().enumerate().map(|(position, s)| (s.id.clone(), position)).collect();
        Self { election, etag, tree: RTree::bulk_load(entries), stations, by_id, gazetteer }
    }

    pub fn station_count(&self) -> usize {
        self.stations.len()
    }

    /// The `k` stations nearest to `origin` that meet `needs`, nearest
    /// first, with their haversine distance in metres. The walk is lazy, so
    /// it visits only as many stations as it takes to find `k` that qualify.
    pub fn nearest(&self, origin: Coordinates, k: ResultCount, needs: &Needs) -> Vec<NearestStation> {
        self.tree
            .nearest_neighbor_iter(&unit_vector(origin))
            .filter(|entry| needs.are_met_by(&self.stations[entry.data].accessibility))
            .take(k.get())
            .map(|entry| {
                let station = &self.stations[entry.data];
                NearestStation { station: station.clone(), distance_m: distance_m(origin, station.location) }
            })
            .collect()
    }

    pub fn locate(&self, text: &str) -> Option<Place> {
        self.gazetteer.locate(text)
    }

    pub fn station(&self, id: &str) -> Option<&Station> {
        self.by_id.get(id).map(|&position| &self.stations[position])
    }
}

fn etag(election: &Election, versions: &[i64]) -> String {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same versions give the same tag in every
    // process of one build, so instances behind one cache agree.
    let mut hasher = std::hash::DefaultHasher::new();
    versions.hash(&mut hasher);
    format!("\"{}-{:016x}\"", election.id, hasher.finish())
}

pub fn distance_m(a: Coordinates, b: Coordinates) -> f64 {
    Haversine.distance(Point::new(a.lon(), a.lat()), Point::new(b.lon(), b.lat()))
}

fn unit_vector(point: Coordinates) -> [f64; 3] {
    let (lat, lon) = (point.lat().to_radians(), point.lon().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Postcodes (full and the four digits), places and municipality names
/// found in the data, each mapped to the mean position of its stations.
/// Enough to search offline; a full address gazetteer comes later.
struct Gazetteer {
    places: HashMap<String, Place>,
}

impl Gazetteer {
    fn new(stations: &[Station]) -> Self {
        let mut sums: HashMap<String, (String, f64, f64, usize)> = HashMap::new();
        let mut add = |key: String, label: &str, point: Coordinates| {
            let entry = sums.entry(key).or_insert_with(|| (label.to_owned(), 0.0, 0.0, 0));
            entry.1 += point.lat();
            entry.2 += point.lon();
            entry.3 += 1;
        };
        for station in stations {
            let address = &station.address;
            if let Some(postcode) = normalise_postcode(&address.postcode) {
                add(postcode[..4].to_owned(), &postcode[..4], station.location);
                let label = format!("{} {}", &postcode[..4], &postcode[4..]);
                add(postcode, &label, station.location);
            }
            for name in [&address.place, &station.municipality_name] {
                if !name.is_empty() {
                    add(normalise_name(name), name, station.location);
                }
            }
        }
        let places = sums
            .into_iter()
            .filter_map(|(key, (label, lat, lon, n))| {
                let point = Coordinates::new(lat / n as f64, lon / n as f64).ok()?;
                Some((key, Place { label, point }))
            })
            .collect();
        Self { places }
    }

    /// Accepts "3421CT", "3421 ct 39" (house number ignored), "3421",
    /// or a place name in any case.
    fn locate(&self, text: &str) -> Option<Place> {
        let compact: String = text.split_whitespace().collect();
        let postcode = compact.get(..6).and_then(normalise_postcode);
        let pc4 = compact.get(..4).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        postcode
            .and_then(|p| self.places.get(&p))
            .or_else(|| pc4.and_then(|p| self.places.get(p)))
            .or_else(|| self.places.get(&normalise_name(text)))
            .cloned()
    }
}

/// "3421 ct" → "3421CT"; `None` unless it is a Dutch postcode.
fn normalise_postcode(text: &str) -> Option<String> {
    let compact: String = text.split_whitespace().collect::<String>().to_uppercase();
    let bytes = compact.as_bytes();
    let valid = bytes.len() == 6
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(u8::is_ascii_uppercase);
    valid.then_some(compact)
}

fn normalise_name(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::{Accessibility, Address, ElectionId, Feature, MunicipalityCode, StationKind};

    fn station(id: &str, lat: f64, lon: f64, postcode: &str, place: &str) -> Station {
        Station {
            id: id.into(),
            number: 1,
            name: id.into(),
            kind: StationKind::Regular,
            municipality_code: MunicipalityCode::parse("GM0001").unwrap(),
            municipality_name: "Testgemeente".into(),
            address: Address { postcode: postcode.into(), place: place.into(), ..Address::default() },
            location: Coordinates::new(lat, lon).unwrap(),
            opens: "2026-03-18T07:30:00".parse().unwrap(),
            closes: "2026-03-18T21:00:00".parse().unwrap(),
            accessibility: Accessibility { wheelchair: true, ..Accessibility::default() },
        }
    }

    fn index(stations: Vec<Station>) -> ElectionIndex {
        let election = Election {
            id: ElectionId::parse("test").unwrap(),
            name: "Test".into(),
            polling_date: "2026-03-18".parse().unwrap(),
        };
        ElectionIndex::new(election, &[1], stations)
    }

    /// Pseudo-random points, spread over the Netherlands and the Caribbean.
    fn scattered(n: usize) -> Vec<Coordinates> {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|i| {
                let (lat, lon) = if i % 10 == 0 {
                    (12.0 + 6.0 * next(), -69.0 + 6.0 * next())
                } else {
                    (50.7 + 3.0 * next(), 3.3 + 4.0 * next())
                };
                Coordinates::new(lat, lon).unwrap()
            })
            .collect()
    }

    #[test]
    fn nearest_matches_a_brute_force_scan_with_and_without_needs() {
        let points = scattered(2_000);
        let stations: Vec<_> = points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut station = station(&format!("s{i}"), p.lat(), p.lon(), "", "");
                // Every third station is wheelchair accessible, every fifth low-stimulus.
                station.accessibility.wheelchair = i % 3 == 0;
                station.accessibility.low_stimulus = Some(i % 5 == 0);
                station
            })
            .collect();
        let index = index(stations.clone());
        let k = ResultCount::new(7).unwrap();
        let all_needs = [
            Needs::default(),
            Needs::parse(["wheelchair"]).unwrap(),
            Needs::parse(["wheelchair,low-stimulus"]).unwrap(),
        ];
        for (n, origin) in scattered(300).into_iter().skip(1).enumerate() {
            let needs = &all_needs[n % all_needs.len()];
            let mut expected: Vec<_> = stations
                .iter()
                .filter(|s| needs.are_met_by(&s.accessibility))
                .map(|s| distance_m(origin, s.location))
                .collect();
            expected.sort_by(f64::total_cmp);
            let found = index.nearest(origin, k, needs);
            assert_eq!(found.len(), 7);
            for (got, want) in found.iter().zip(&expected) {
                assert!(
                    (got.distance_m - want).abs() < 1e-6,
                    "{needs:?}: got {}, want {want}",
                    got.distance_m
                );
                assert!(needs.features().iter().all(|f| f.is_offered_by(&got.station.accessibility)));
            }
        }
        assert!(Feature::Wheelchair.is_offered_by(&stations[0].accessibility));
    }

    #[test]
    fn gazetteer_finds_postcodes_and_places() {
        let index = index(vec![
            station("a", 52.0, 4.8, "3421CT", "Oudewater"),
            station("b", 52.2, 4.8, "3421AB", "Oudewater"),
        ]);
        let place = index.locate("3421 ct 39").unwrap();
        assert_eq!((place.label.as_str(), place.point.lat()), ("3421 CT", 52.0));
        let pc4 = index.locate("3421").unwrap();
        assert!((pc4.point.lat() - 52.1).abs() < 1e-9);
        assert_eq!(index.locate("  OUDEWATER ").unwrap().label, "Oudewater");
        assert!(index.locate("Amsterdam").is_none());
        assert!(index.locate("9999ZZ").is_none());
    }
}
