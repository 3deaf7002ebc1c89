//! Rules that look at several records together: a station number used
//! twice at once, two stations on one spot, a station in another
//! municipality.

use super::finding::{Finding, Place, Problem};
use super::record::{KIND, NUMBER};
use super::ReceivedStation;
use crate::geography::Boundaries;
use app::model::{MunicipalityCode, StationKind};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashMap};

/// What the rules need of one station, kept small: a file of a million
/// stations is checked without holding its records.
struct Seen {
    place: Place,
    municipality: MunicipalityCode,
    number: u32,
    kind: StationKind,
    opens: NaiveDateTime,
    closes: NaiveDateTime,
    /// Position rounded to about a metre.
    point: (i64, i64),
    address: String,
}

/// Collects the valid stations of one file and checks them together.
#[derive(Default)]
pub struct Collector {
    seen: Vec<Seen>,
}

impl Collector {
    /// Remembers a station; a station outside its municipality is found
    /// at once (it needs no other station).
    pub fn add(&mut self, received: &ReceivedStation, boundaries: Option<&Boundaries>) -> Option<Finding> {
        let station = &received.station;
        let location = station.location;
        self.seen.push(Seen {
            place: received.record.place.clone(),
            municipality: station.municipality_code.clone(),
            number: station.number,
            kind: station.kind,
            opens: station.opens,
            closes: station.closes,
            point: ((location.lat() * 1e5).round() as i64, (location.lon() * 1e5).round() as i64),
            address: station.address.one_line(),
        });
        boundaries.filter(|b| !b.is_empty()).and_then(|b| outside_municipality(received, b))
    }

    /// The findings about the stations taken together, in file order,
    /// each with the municipality of the record it is about.
    pub fn finish(self) -> Vec<(MunicipalityCode, Finding)> {
        let mut findings = self.same_number();
        findings.extend(self.same_point());
        findings
    }

    /// A number on several records is one station with several locations
    /// or periods (mobile stations): legitimate, as long as the periods do
    /// not overlap and the station keeps one type. Each record is compared
    /// with the earlier ones that passed, through a map by opening time, so
    /// that a file of thousands of periods of one number takes no longer
    /// than thousands of stations.
    fn same_number(&self) -> Vec<(MunicipalityCode, Finding)> {
        let mut by_number: HashMap<(&MunicipalityCode, u32), Vec<&Seen>> = HashMap::new();
        for seen in &self.seen {
            by_number.entry((&seen.municipality, seen.number)).or_default().push(seen);
        }
        let mut findings = Vec::new();
        for records in by_number.values().filter(|records| records.len() > 1) {
            let first = records[0];
            // The periods that passed do not overlap one another: of them,
            // only the last to open before a period closes can overlap it.
            let mut passed: BTreeMap<NaiveDateTime, &Seen> = BTreeMap::new();
            for later in records {
                if later.kind != first.kind {
                    let problem = Problem::KindDiffersSameNumber { other: first.place.clone() };
                    findings.push(finding(later, KIND, later.kind.slug().to_owned(), problem));
                    continue;
                }
                let before = passed.range(..later.closes).next_back().map(|(_, earlier)| *earlier);
                match before.filter(|earlier| later.opens < earlier.closes) {
                    Some(earlier) => {
                        let problem = Problem::OverlapsSameNumber { other: earlier.place.clone() };
                        findings.push(finding(later, NUMBER, later.number.to_string(), problem));
                    }
                    None => {
                        passed.insert(later.opens, later);
                    }
                }
            }
        }
        findings.sort_by_key(|(_, f)| place_order(&f.place));
        findings
    }

    /// Two stations within a metre of each other with different addresses:
    /// one of them is probably placed wrong. (Several stations in one
    /// building share the address and are fine.)
    fn same_point(&self) -> Vec<(MunicipalityCode, Finding)> {
        let mut at: HashMap<(i64, i64), &Seen> = HashMap::new();
        let mut findings = Vec::new();
        for seen in &self.seen {
            match at.get(&seen.point) {
                Some(first) if first.address != seen.address => {
                    let problem = Problem::SamePointOtherAddress { other: first.place.clone() };
                    let value = format!("{:.5}", seen.point.0 as f64 / 1e5);
                    findings.push(finding(seen, "Latitude", value, problem));
                }
                Some(_) => {}
                None => {
                    at.insert(seen.point, seen);
                }
            }
        }
        findings
    }
}

fn finding(seen: &Seen, field: &str, value: String, problem: Problem) -> (MunicipalityCode, Finding) {
    let finding = Finding { place: seen.place.clone(), field: field.to_owned(), value, problem };
    (seen.municipality.clone(), finding)
}

/// Checked only for municipalities the boundary set knows: a newly merged
/// municipality must not make all its stations "outside".
fn outside_municipality(received: &ReceivedStation, boundaries: &Boundaries) -> Option<Finding> {
    let station = &received.station;
    if !boundaries.contains(&station.municipality_code) {
        return None;
    }
    let lies_in = boundaries.municipality_at(station.location);
    if lies_in.is_some_and(|m| m.code == station.municipality_code) {
        return None;
    }
    Some(Finding {
        place: received.record.place.clone(),
        field: "Latitude".to_owned(),
        value: format!("{:.6}, {:.6}", station.location.lat(), station.location.lon()),
        problem: Problem::OutsideMunicipality { lies_in: lies_in.map(|m| m.name.clone()) },
    })
}

/// Findings in file order.
fn place_order(place: &Place) -> (usize, String) {
    match place {
        Place::Record { number } | Place::Line { number } | Place::Feature { number } => {
            (*number, String::new())
        }
        Place::Column { letter, field } => (*field, letter.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::boundaries::square;
    use crate::ingest::record::tests::{record, station_of};
    use serde_json::json;

    /// Every cross-record finding about `stations`.
    fn check(stations: &[ReceivedStation], boundaries: Option<&Boundaries>) -> Vec<Finding> {
        let mut collector = Collector::default();
        let mut findings: Vec<Finding> =
            stations.iter().filter_map(|s| collector.add(s, boundaries)).collect();
        findings.extend(collector.finish().into_iter().map(|(_, finding)| finding));
        findings
    }

    fn received(overrides: serde_json::Value, number: usize) -> ReceivedStation {
        let mut record = record(overrides);
        record.place = Place::Record { number };
        ReceivedStation { station: station_of(&record), record }
    }

    #[test]
    fn a_mobile_station_may_visit_several_places_one_after_another() {
        let morning = json!({"Type stembureau": "mobiel", "Sluitingstijd": "2026-03-18T12:00:00"});
        let afternoon =
            json!({"Type stembureau": "mobiel", "Openingstijd": "2026-03-18T13:00:00", "Latitude": 52.03});
        assert!(check(&[received(morning.clone(), 1), received(afternoon, 2)], None).is_empty());
        let overlapping =
            json!({"Type stembureau": "mobiel", "Openingstijd": "2026-03-18T11:00:00", "Latitude": 52.03});
        let found = check(&[received(morning, 1), received(overlapping, 2)], None);
        assert_eq!(found[0].problem, Problem::OverlapsSameNumber { other: Place::Record { number: 1 } });
        assert_eq!(found[0].place, Place::Record { number: 2 });
    }

    #[test]
    fn among_many_stops_of_one_mobile_station_the_overlapping_one_is_found() {
        let time = |minutes: usize| format!("2026-03-18T{:02}:{:02}:00", minutes / 60, minutes % 60);
        // Half-hour stops from 07:00; the thirteenth stays three quarters.
        let stops: Vec<ReceivedStation> = (1..=20)
            .map(|number| {
                let opens = 7 * 60 + (number - 1) * 30;
                let closes = opens + if number == 13 { 45 } else { 30 };
                let times = json!({"Type stembureau": "mobiel", "Openingstijd": time(opens), "Sluitingstijd": time(closes)});
                received(times, number)
            })
            .collect();
        let found = check(&stops, None);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].place, Place::Record { number: 14 });
        assert_eq!(found[0].problem, Problem::OverlapsSameNumber { other: Place::Record { number: 13 } });
    }

    #[test]
    fn one_number_keeps_one_type() {
        let found = check(
            &[
                received(json!({"Sluitingstijd": "2026-03-18T12:00:00"}), 1),
                received(json!({"Type stembureau": "mobiel", "Openingstijd": "2026-03-18T13:00:00"}), 2),
            ],
            None,
        );
        assert_eq!(found[0].problem, Problem::KindDiffersSameNumber { other: Place::Record { number: 1 } });
    }

    #[test]
    fn two_addresses_on_one_spot_are_a_warning() {
        let found = check(
            &[received(json!({}), 1), received(json!({"Nummer stembureau": 2, "Huisnummer": "41"}), 2)],
            None,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].problem, Problem::SamePointOtherAddress { other: Place::Record { number: 1 } });
        let same_building =
            check(&[received(json!({}), 1), received(json!({"Nummer stembureau": 2}), 2)], None);
        assert!(same_building.is_empty());
    }

    #[test]
    fn a_station_in_another_municipality_is_named() {
        let boundaries = Boundaries::new(vec![
            square("GM0589", "Oudewater", 52.0, 4.8, 0.01),
            square("GM0356", "Nieuwegein", 52.021, 4.874, 0.01),
        ]);
        let found = check(&[received(json!({}), 1)], Some(&boundaries));
        assert_eq!(found[0].problem, Problem::OutsideMunicipality { lies_in: Some("Nieuwegein".into()) });
        let unknown = Boundaries::new(vec![square("GM0356", "Nieuwegein", 0.0, 0.0, 0.01)]);
        assert!(check(&[received(json!({}), 1)], Some(&unknown)).is_empty(), "Oudewater's area is not known");
    }
}
