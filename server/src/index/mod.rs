//! The in-memory search index of one election: every published station in
//! an R-tree, each municipality's stations in a subtree of their own.
//!
//! Points are stored as unit vectors on the sphere. The straight-line
//! (chord) distance between two unit vectors grows with the great-circle
//! distance between them, so the R-tree's Euclidean nearest-neighbour walk
//! visits stations in great-circle order, everywhere on Earth, the
//! Caribbean Netherlands included, with no projection to choose. Distances
//! reported are geodesic (on the ellipsoid); see [`tree::Tree::nearest`]
//! for how the order is made exact for them.
//!
//! A search costs about what it returns, not what the election holds: the
//! home municipality is one subtree to search (and, when it has too few
//! stations, one subtree to pass over), and every node knows what its
//! stations offer, so rare needs, rare kinds and rare hours skip the
//! subtrees without them ([`sieve`]).

mod changes;
mod sieve;
mod tree;

use crate::geography::distance_m;
use app::model::{
    Coordinates, Election, Filters, MunicipalityCode, MunicipalityRef, NearestAnswer, NearestQuery,
    NearestStation, Station,
};
use changes::StatusChanges;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sieve::{Period, Periods, Sieve, Summary};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tree::{NodeId, Scope, Tree};

pub struct ElectionIndex {
    pub election: Election,
    /// Entity tag of the published data (quoted, as HTTP wants it): equal
    /// for equal dataset versions, so caches can revalidate cheaply. An
    /// answer that also depends on the boundaries or the clock adds them
    /// (see `http::api::freshness`); a download depends on nothing else.
    pub etag: String,
    /// Shared with every answer that names them: an answer holds its
    /// stations without copying their text.
    stations: Vec<Arc<Station>>,
    /// Each station's position, by position in `stations`: read for every
    /// candidate a walk measures, so kept in one block of memory apart
    /// from the stations' text.
    locations: Vec<Coordinates>,
    /// The zone whose clock each station keeps, by position in `stations`.
    zones: Vec<Tz>,
    /// Position in `stations` of each station id.
    by_id: HashMap<String, usize>,
    /// The published dataset version of each municipality, in code order:
    /// what downloads read back from the store.
    pub versions: Vec<i64>,
    /// Each municipality that publishes, by code.
    per_municipality: BTreeMap<MunicipalityCode, Municipality>,
    /// The opening periods, which the tree's summaries name by bit.
    periods: Periods,
    /// Every station, by position in `stations`.
    tree: Tree,
    /// When statuses change by the clock alone.
    changes: StatusChanges,
}

/// One municipality that publishes.
struct Municipality {
    name: String,
    /// Its stations' positions in `stations`, in data order.
    positions: Vec<usize>,
    /// The subtree that holds exactly its stations.
    subtree: NodeId,
}

impl ElectionIndex {
    pub fn new(election: Election, versions: &[i64], stations: Vec<Station>) -> Self {
        let etag = etag(&election, versions);
        let by_id = stations.iter().enumerate().map(|(position, s)| (s.id.clone(), position)).collect();
        let zones = zones(&election, &stations);
        let periods = Periods::new(stations.iter().zip(&zones).map(|(s, zone)| Period::of(s, *zone)));
        let changes = StatusChanges::new(&periods);
        let locations: Vec<Coordinates> = stations.iter().map(|s| s.location).collect();
        let points: Vec<[f64; 3]> = locations.iter().map(|&at| unit_vector(at)).collect();
        let summaries: Vec<Summary> =
            stations.iter().zip(&zones).map(|(s, zone)| Summary::of(s, *zone, &periods)).collect();
        // Each municipality's name (as its first station gives it) and stations.
        let mut groups: BTreeMap<&MunicipalityCode, (&String, Vec<usize>)> = BTreeMap::new();
        for (position, station) in stations.iter().enumerate() {
            groups
                .entry(&station.municipality_code)
                .or_insert((&station.municipality_name, Vec::new()))
                .1
                .push(position);
        }
        // The tree sorts the positions it packs; each municipality keeps its own in data order.
        let (tree, subtrees) = Tree::build(
            &points,
            &summaries,
            groups.values().map(|(_, positions)| positions.clone()).collect(),
        );
        let per_municipality = groups
            .into_iter()
            .zip(subtrees)
            .map(|((code, (name, positions)), subtree)| {
                (code.clone(), Municipality { name: name.clone(), positions, subtree })
            })
            .collect();
        let versions = versions.to_vec();
        let stations = stations.into_iter().map(Arc::new).collect();
        Self {
            election,
            etag,
            versions,
            tree,
            periods,
            stations,
            locations,
            zones,
            by_id,
            per_municipality,
            changes,
        }
    }

    /// The first instant after `now` at which some station's opening
    /// status changes; `None` when none ever will again.
    pub fn next_status_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.changes.next_after(now)
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
        // A home municipality that publishes nothing has no stations to
        // put first.
        let home_publishes = home.is_some_and(|home| self.publishes(&home.code));
        let stations = match (home, rule) {
            (Some(home), Some(_)) if home_publishes => {
                let mut found = self.search(origin, k, filters, Some(&home.code), None);
                if found.len() < k {
                    found.extend(self.search(origin, k - found.len(), filters, None, Some(&home.code)));
                }
                found
            }
            _ => self.search(origin, k, filters, None, None),
        };
        let stations = stations
            .into_iter()
            .map(|(distance_m, position)| {
                let station = Arc::clone(&self.stations[position]);
                let outside_home = home.is_some_and(|home| home.code != station.municipality_code);
                NearestStation { station, distance_m, outside_home }
            })
            .collect();
        NearestAnswer { home: home.cloned(), rule, stations }
    }

    /// The positions of the `k` stations nearest to `origin` that the
    /// filters admit, looking only in the municipality `within` (when
    /// given) and never in `skip`; nearest first, with their geodesic
    /// distance in metres.
    fn search(
        &self,
        origin: Coordinates,
        k: usize,
        filters: &Filters,
        within: Option<&MunicipalityCode>,
        skip: Option<&MunicipalityCode>,
    ) -> Vec<(f64, usize)> {
        // With no filter set every station passes, and the walk need not
        // read the stations at all.
        let everything = *filters == Filters::default();
        match self.scope(filters, within, skip) {
            Some(scope) => self.walk(scope, origin, k, &Sieve::new(filters, &self.periods), |position| {
                everything || filters.admits(&self.stations[position], self.zones[position])
            }),
            None => Vec::new(),
        }
    }

    /// Where a search looks: the subtree of the municipality that
    /// `within` or the filters name, or the whole tree; never under
    /// `skip`'s subtree. Nowhere (`None`) when they name two
    /// municipalities, or one that publishes nothing.
    fn scope(
        &self,
        filters: &Filters,
        within: Option<&MunicipalityCode>,
        skip: Option<&MunicipalityCode>,
    ) -> Option<Scope> {
        let within = match (within, &filters.municipality) {
            (Some(asked), Some(filtered)) if asked != filtered => return None,
            (asked, filtered) => asked.or(filtered.as_ref()),
        };
        let from = match within {
            Some(code) => self.per_municipality.get(code)?.subtree,
            None => self.tree.root(),
        };
        let skip = skip.and_then(|code| self.per_municipality.get(code)).map(|m| m.subtree);
        Some(Scope { from, skip })
    }

    /// The positions of the `k` stations nearest to `origin` that `admit`,
    /// nearest first (equal distances in data order), with their geodesic
    /// distance in metres. The index cannot see into `admit`, so this walk
    /// prunes nothing; answers to queries go through `answer`, which
    /// passes over whatever the filters rule out.
    pub fn nearest(
        &self,
        origin: Coordinates,
        k: usize,
        admit: impl Fn(&Station) -> bool,
    ) -> Vec<(f64, usize)> {
        let everywhere = Scope { from: self.tree.root(), skip: None };
        self.walk(everywhere, origin, k, &Sieve::everything(), |position| admit(&self.stations[position]))
    }

    /// As `nearest`, with `admit` judging stations by their position.
    fn walk(
        &self,
        scope: Scope,
        origin: Coordinates,
        k: usize,
        sieve: &Sieve,
        admit: impl Fn(usize) -> bool,
    ) -> Vec<(f64, usize)> {
        self.tree.nearest(scope, unit_vector(origin), k, sieve, |position| {
            admit(position).then(|| distance_m(origin, self.locations[position]))
        })
    }

    /// Every station of one municipality, in data order.
    pub fn municipality_stations<'a>(
        &'a self,
        code: &'a MunicipalityCode,
    ) -> impl Iterator<Item = &'a Station> {
        let positions = self.per_municipality.get(code).map_or(&[][..], |m| &m.positions);
        positions.iter().map(|&position| &*self.stations[position])
    }

    /// Every municipality that publishes stations, in code order, with
    /// how many.
    pub fn municipalities(&self) -> impl Iterator<Item = (MunicipalityRef, usize)> + '_ {
        self.per_municipality.iter().map(|(code, m)| {
            (MunicipalityRef { code: code.clone(), name: m.name.clone() }, m.positions.len())
        })
    }

    pub fn publishes(&self, code: &MunicipalityCode) -> bool {
        self.per_municipality.contains_key(code)
    }

    pub fn stations(&self) -> &[Arc<Station>] {
        &self.stations
    }

    pub fn station(&self, id: &str) -> Option<&Station> {
        self.by_id.get(id).map(|&position| &*self.stations[position])
    }
}

/// The zone whose clock each station keeps: its municipality's, which is
/// looked up once per municipality rather than once per station.
fn zones(election: &Election, stations: &[Station]) -> Vec<Tz> {
    let mut known: HashMap<&MunicipalityCode, Tz> = HashMap::new();
    stations
        .iter()
        .map(|station| {
            *known
                .entry(&station.municipality_code)
                .or_insert_with(|| election.time_zone_of(&station.municipality_code).tz())
        })
        .collect()
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

    #[test]
    fn open_at_reads_each_station_s_own_clock() {
        let bonaire = MunicipalityCode::parse("GM9001").unwrap();
        let stations = vec![
            Station { municipality_code: bonaire, ..station("kralendijk", 12.15, -68.27, "", "") },
            station("oudewater", 52.02, 4.87, "", ""),
        ];
        let index = index_of("tk2026", stations);
        let open_at = |t: &str| {
            let query = NearestQuery {
                election: ElectionId::parse("tk2026").unwrap(),
                origin: Coordinates::new(30.0, -30.0).unwrap(),
                k: ResultCount::new(2).unwrap(),
                filters: Filters { open_at: Some(t.parse().unwrap()), ..Filters::default() },
            };
            index.answer(&query, None).stations.into_iter().map(|s| s.station.id.clone()).collect::<Vec<_>>()
        };
        // Both open 07:30-21:00 on 18 March 2026, each on its own clock.
        assert_eq!(open_at("2026-03-18T11:00:00Z"), ["oudewater"], "12:00 in Oudewater, 07:00 in Kralendijk");
        assert_eq!(
            open_at("2026-03-19T00:30:00Z"),
            ["kralendijk"],
            "01:30 in Oudewater, 20:30 in Kralendijk"
        );
        assert_eq!(open_at("2026-03-18T12:00:00Z").len(), 2);
        let next = index.next_status_change("2026-03-18T11:00:00Z".parse().unwrap());
        assert_eq!(next, Some("2026-03-18T11:30:00Z".parse().unwrap()), "Kralendijk opens");
    }

    /// How many stations the walks of an answer look at.
    fn looked_at(
        index: &ElectionIndex,
        origin: Coordinates,
        filters: &Filters,
        home: &MunicipalityCode,
    ) -> usize {
        let looks = std::cell::Cell::new(0);
        let sieve = Sieve::new(filters, &index.periods);
        let mut found = 0;
        for (within, skip) in [(Some(home), None), (None, Some(home))] {
            let scope = index.scope(filters, within, skip).expect("somewhere to look");
            found += index
                .walk(scope, origin, 5 - found, &sieve, |position| {
                    looks.set(looks.get() + 1);
                    filters.admits(&index.stations[position], index.zones[position])
                })
                .len();
        }
        assert_eq!(found, 5);
        looks.get()
    }

    #[test]
    fn a_search_looks_at_about_what_it_finds() {
        // 20,000 stations, one municipality with one station among them.
        let mut stations = crate::synthetic::stations(20_000, 3);
        let tiny = MunicipalityCode::parse("GM0999").unwrap();
        stations.push(Station { municipality_code: tiny.clone(), ..station("tiny", 52.0, 5.0, "", "") });
        let index = index_of("gr2026", stations);
        let origin = Coordinates::new(52.0, 5.0).unwrap();
        let plain = looked_at(&index, origin, &Filters::default(), &tiny);
        assert!(plain < 30, "the one home station, then the nearest others: {plain}");
        let mobile_interpreter = Filters {
            needs: app::model::Needs::parse(["sign-language-on-site"]).unwrap(),
            kinds: vec![StationKind::Mobile],
            ..Filters::default()
        };
        let home = MunicipalityCode::parse("GM0210").unwrap();
        let rare = looked_at(&index, origin, &mobile_interpreter, &home);
        assert!(rare < 30, "only mobile stations with an interpreter: {rare}");
    }
}
