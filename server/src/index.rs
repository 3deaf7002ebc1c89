//! The in-memory search index of one election: every published station in
//! an R-tree.
//!
//! Points are stored as unit vectors on the sphere. The straight-line
//! (chord) distance between two unit vectors grows with the great-circle
//! distance between them, so the R-tree's Euclidean nearest-neighbour walk
//! visits stations in great-circle order, everywhere on Earth, the
//! Caribbean Netherlands included, with no projection to choose. Distances
//! reported are geodesic (on the ellipsoid); see `nearest` for how the
//! order is made exact for them.

use crate::geography::distance_m;
use app::model::{
    Coordinates, Election, MunicipalityCode, MunicipalityRef, NearestAnswer, NearestQuery, NearestStation,
    Station,
};
use rstar::{primitives::GeomWithData, RTree};
use std::collections::{BTreeMap, HashMap};

type Entry = GeomWithData<[f64; 3], usize>;

/// No two points on the WGS84 ellipsoid are closer, in metres, than this
/// many times the angle between their unit vectors (in radians). In
/// geodetic coordinates the ellipsoid's line element is
/// ds² = M²dφ² + N²cos²φ dλ², the unit sphere's dθ² = dφ² + cos²φ dλ², and
/// both radii of curvature M and N are at least M at the equator,
/// a(1 − e²) = 6,335,439 m; so every path, the geodesic included, is at
/// least that many metres per radian of the great circle. Rounded down
/// for margin, it lets the walk in sphere order stop as soon as no farther
/// station can beat the k-th geodesic distance found.
const MIN_METRES_PER_RADIAN: f64 = 6_335_000.0;

pub struct ElectionIndex {
    pub election: Election,
    /// Entity tag of the published data (quoted, as HTTP wants it): equal
    /// for equal dataset versions, so caches can revalidate cheaply.
    pub etag: String,
    stations: Vec<Station>,
    /// Position in `stations` of each station id.
    by_id: HashMap<String, usize>,
    /// The published dataset version of each municipality, in code order:
    /// what downloads read back from the store.
    pub versions: Vec<i64>,
    /// Each municipality that publishes, by code: its name and how many
    /// stations it publishes.
    per_municipality: BTreeMap<MunicipalityCode, (String, usize)>,
    tree: RTree<Entry>,
}

impl ElectionIndex {
    pub fn new(election: Election, versions: &[i64], stations: Vec<Station>) -> Self {
        let entries = stations
            .iter()
            .enumerate()
            .map(|(position, station)| Entry::new(unit_vector(station.location), position))
            .collect();
        let etag = etag(&election, versions);
        let by_id = stations.iter().enumerate().map(|(position, s)| (s.id.clone(), position)).collect();
        let mut per_municipality = BTreeMap::new();
        for station in &stations {
            per_municipality
                .entry(station.municipality_code.clone())
                .or_insert_with(|| (station.municipality_name.clone(), 0))
                .1 += 1;
        }
        let versions = versions.to_vec();
        Self { election, etag, versions, tree: RTree::bulk_load(entries), stations, by_id, per_municipality }
    }

    pub fn station_count(&self) -> usize {
        self.stations.len()
    }

    /// Answers a query for a point that lies in `home` (when boundaries
    /// tell). Under the election's municipality rule the nearest stations
    /// of the home municipality come first, and stations elsewhere follow
    /// only to fill up to k, marked as outside.
    pub fn answer(&self, query: &NearestQuery, home: Option<&MunicipalityRef>) -> NearestAnswer {
        let rule = self.election.kind.municipality_rule();
        let (origin, k, filters) = (query.origin, query.k.get(), &query.filters);
        // A home municipality that publishes nothing would make the first
        // walk visit every station to find none.
        let home_publishes = home.is_some_and(|home| self.publishes(&home.code));
        let stations = match (home, rule) {
            (Some(home), Some(_)) if home_publishes => {
                let inside = |s: &Station| s.municipality_code == home.code;
                let mut found = self.nearest(origin, k, |s| inside(s) && filters.admits(s));
                if found.len() < k {
                    found.extend(self.nearest(origin, k - found.len(), |s| !inside(s) && filters.admits(s)));
                }
                found
            }
            _ => self.nearest(origin, k, |s| filters.admits(s)),
        };
        let stations = stations
            .into_iter()
            .map(|(distance_m, position)| {
                let station = self.stations[position].clone();
                let outside_home = home.is_some_and(|home| home.code != station.municipality_code);
                NearestStation { station, distance_m, outside_home }
            })
            .collect();
        NearestAnswer { home: home.cloned(), rule, stations }
    }

    /// The positions of the `k` stations nearest to `origin` that `admit`,
    /// nearest first (equal distances in data order), with their geodesic
    /// distance in metres.
    ///
    /// The R-tree yields stations in order of distance on the sphere; the
    /// geodesic order can differ slightly, so the walk keeps the best k by
    /// geodesic distance and stops once the next station is, even at the
    /// most favourable curvature, farther than the k-th. Filters run inside
    /// the walk, so only stations on the way are looked at.
    pub fn nearest(
        &self,
        origin: Coordinates,
        k: usize,
        admit: impl Fn(&Station) -> bool,
    ) -> Vec<(f64, usize)> {
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
        if k == 0 {
            return best;
        }
        for (entry, chord_squared) in self.tree.nearest_neighbor_iter_with_distance_2(&unit_vector(origin)) {
            if best.len() == k {
                let angle = 2.0 * (chord_squared.sqrt() / 2.0).min(1.0).asin();
                if angle * MIN_METRES_PER_RADIAN > best[k - 1].0 {
                    break;
                }
            }
            let station = &self.stations[entry.data];
            if !admit(station) {
                continue;
            }
            let candidate = (distance_m(origin, station.location), entry.data);
            let at = best.partition_point(|held| {
                held.0.total_cmp(&candidate.0).then(held.1.cmp(&candidate.1)).is_lt()
            });
            if at < k {
                best.insert(at, candidate);
                best.truncate(k);
            }
        }
        best
    }

    /// Every station of one municipality, in data order.
    pub fn municipality_stations<'a>(
        &'a self,
        code: &'a MunicipalityCode,
    ) -> impl Iterator<Item = &'a Station> {
        self.stations.iter().filter(move |s| s.municipality_code == *code)
    }

    /// Every municipality that publishes stations, in code order, with
    /// how many.
    pub fn municipalities(&self) -> impl Iterator<Item = (MunicipalityRef, usize)> + '_ {
        self.per_municipality
            .iter()
            .map(|(code, (name, count))| (MunicipalityRef { code: code.clone(), name: name.clone() }, *count))
    }

    pub fn publishes(&self, code: &MunicipalityCode) -> bool {
        self.per_municipality.contains_key(code)
    }

    pub fn stations(&self) -> &[Station] {
        &self.stations
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

fn unit_vector(point: Coordinates) -> [f64; 3] {
    let (lat, lon) = (point.lat().to_radians(), point.lon().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::boundaries::square;
    use crate::geography::Boundaries;
    use app::model::{
        Accessibility, Address, ElectionId, Filters, MunicipalityCode, ResultCount, StationKind,
    };

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

    fn index_of(id: &str, stations: Vec<Station>) -> ElectionIndex {
        let election = Election::new(ElectionId::parse(id).unwrap(), "Test", "2026-03-18".parse().unwrap());
        ElectionIndex::new(election, &[1], stations)
    }

    #[test]
    fn under_the_municipality_rule_the_home_municipality_comes_first() {
        // A voter at the border of West (lon < 5) stands 100 m from a station in East.
        let stations = vec![
            Station {
                municipality_code: MunicipalityCode::parse("GM0002").unwrap(),
                ..station("east", 52.5, 5.001, "", "")
            },
            station("west-far", 52.5, 4.95, "", ""),
            station("west-farther", 52.5, 4.9, "", ""),
        ];
        let boundaries = Boundaries::new(vec![
            square("GM0001", "West", 52.0, 4.0, 1.0),
            square("GM0002", "East", 52.0, 5.0, 1.0),
        ]);
        let origin = Coordinates::new(52.5, 4.9995).unwrap();
        let home = boundaries.municipality_at(origin);
        let query = |k| NearestQuery {
            election: ElectionId::parse("gr2026").unwrap(),
            origin,
            k: ResultCount::new(k).unwrap(),
            filters: Filters::default(),
        };
        let ids = |answer: NearestAnswer| {
            answer.stations.iter().map(|s| (s.station.id.clone(), s.outside_home)).collect::<Vec<_>>()
        };
        let municipal = index_of("gr2026", stations.clone());
        let answer = municipal.answer(&query(3), home);
        assert_eq!(answer.home.as_ref().map(|m| m.name.as_str()), Some("West"));
        assert_eq!(
            ids(answer),
            [("west-far".into(), false), ("west-farther".into(), false), ("east".into(), true)]
        );
        // Without a rule the nearest comes first, still marked.
        let other = index_of("other", stations);
        assert_eq!(ids(other.answer(&query(1), home)), [("east".into(), true)]);
        assert_eq!(ids(other.answer(&query(1), None)), [("east".into(), false)]);
        // A home municipality without stations: the nearest, all marked.
        let empty = MunicipalityRef { code: MunicipalityCode::parse("GM0003").unwrap(), name: "Leeg".into() };
        assert_eq!(ids(municipal.answer(&query(1), Some(&empty))), [("east".into(), true)]);
    }
}
