//! The offline gazetteer: what a voter may type, mapped to a point, built
//! from the published stations (postcodes, postcode areas, places,
//! municipalities, streets, station names) plus the entries an operator
//! imported. It answers when no online provider is configured or the
//! provider is slow or down.
//!
//! Matching ignores case, accents and punctuation ("Súdwest-Fryslân" =
//! "sudwest fryslan"), takes prefixes ("kerkstr" lists Kerkstraat in each
//! town), and forgives a typo or two in place and street names.

use super::{Found, Source};
use app::directory::Place;
use app::model::{dutch_postcode, Coordinates, Station};
use std::collections::HashMap;

/// A point that an operator supplies for a name or postcode.
#[derive(Clone, Debug, PartialEq)]
pub struct OperatorEntry {
    pub name: String,
    pub point: Coordinates,
}

struct Entry {
    key: String,
    found: Found,
}

pub struct Gazetteer {
    /// Sorted by key, so exact and prefix lookups are binary searches.
    entries: Vec<Entry>,
}

/// Most candidates a search returns.
pub const LIMIT: usize = 5;

impl Gazetteer {
    pub fn new<'a>(stations: impl IntoIterator<Item = &'a Station>, operator: &[OperatorEntry]) -> Self {
        // Each key's point is the mean of its stations' positions.
        let mut sums: HashMap<String, (String, Source, f64, f64, usize)> = HashMap::new();
        let mut add = |key: String, label: String, source: Source, point: Coordinates| {
            let entry = sums.entry(key).or_insert((label, source, 0.0, 0.0, 0));
            entry.2 += point.lat();
            entry.3 += point.lon();
            entry.4 += 1;
        };
        for station in stations {
            let (address, at) = (&station.address, station.location);
            if let Some((area, letters)) = dutch_postcode(&address.postcode) {
                add(area.clone(), area.clone(), Source::PostcodeArea, at);
                add(format!("{area}{letters}"), format!("{area} {letters}"), Source::Postcode, at);
            }
            for name in [&address.place, &station.municipality_name].into_iter().filter(|n| !n.is_empty()) {
                add(normalise(name), name.clone(), Source::Place, at);
            }
            if !address.street.is_empty() {
                let label = format!("{}, {}", address.street, address.place);
                add(normalise(&label), label, Source::Street, at);
            }
            add(
                normalise(&station.name),
                format!("{} ({})", station.name, address.place),
                Source::Station,
                at,
            );
        }
        let mut entries: Vec<Entry> = sums
            .into_iter()
            .filter_map(|(key, (label, source, lat, lon, n))| {
                let point = Coordinates::new(lat / n as f64, lon / n as f64).ok()?;
                Some(Entry { key, found: Found { place: Place { label, point }, source } })
            })
            .collect();
        // Operator entries win over derived ones with the same key.
        for entry in operator {
            let key = normalise_postcode(&entry.name).unwrap_or_else(|| normalise(&entry.name));
            let found = Found {
                place: Place { label: entry.name.clone(), point: entry.point },
                source: Source::Gazetteer,
            };
            entries.retain(|e| e.key != key);
            entries.push(Entry { key, found });
        }
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        Self { entries }
    }

    fn exact(&self, key: &str) -> Option<&Found> {
        let at = self.entries.binary_search_by(|e| e.key.as_str().cmp(key)).ok()?;
        Some(&self.entries[at].found)
    }

    /// Candidates for what a voter typed, best first, and whether the
    /// first is an exact hit (a known postcode, or a name exactly as
    /// typed), which needs no better source.
    pub fn search(&self, text: &str) -> (Vec<Found>, bool) {
        let compact: String = text.split_whitespace().collect();
        if let Some((area, letters)) = compact.get(..6).and_then(dutch_postcode) {
            if let Some(found) = self.exact(&format!("{area}{letters}")) {
                return (vec![found.clone()], true);
            }
            // An unknown postcode: its four-digit area is close.
            return (self.exact(&area).cloned().into_iter().collect(), false);
        }
        if let Some(area) = compact.get(..4).filter(|d| d.bytes().all(|b| b.is_ascii_digit())) {
            if let Some(found) = self.exact(area) {
                return (vec![found.clone()], true);
            }
        }
        let typed = normalise(text);
        let name = strip_house_numbers(&typed);
        if name.is_empty() {
            return (Vec::new(), false);
        }
        // A street with a house number is only approximately where the
        // street's stations are: a provider can do better.
        let complete = name == typed;
        let exact = self.exact(&name).cloned();
        let mut found: Vec<Found> = exact.clone().into_iter().collect();
        found.extend(self.with_prefix(&name).filter(|f| Some(*f) != exact.as_ref()).take(LIMIT).cloned());
        if found.is_empty() {
            found = self.near_misses(&name);
        }
        found.truncate(LIMIT);
        (found, exact.is_some() && complete)
    }

    /// Entries whose key starts with `prefix`, places before streets
    /// before stations.
    fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Found> + 'a {
        let start = self.entries.partition_point(|e| e.key.as_str() < prefix);
        let mut matches: Vec<&Found> = self.entries[start..]
            .iter()
            .take_while(|e| e.key.starts_with(prefix))
            .map(|e| &e.found)
            .collect();
        matches.sort_by_key(|f| f.source);
        matches.into_iter()
    }

    /// Place and street names within a small edit distance: one typo in a
    /// short name, two in a longer one.
    fn near_misses(&self, name: &str) -> Vec<Found> {
        let allowed = if name.chars().count() <= 6 { 1 } else { 2 };
        let mut close: Vec<(usize, &Found)> = self
            .entries
            .iter()
            .filter(|e| matches!(e.found.source, Source::Place | Source::Street | Source::Gazetteer))
            .filter(|e| e.key.len().abs_diff(name.len()) <= allowed)
            .filter_map(|e| {
                let distance = strsim::damerau_levenshtein(&e.key, name);
                (distance <= allowed).then_some((distance, &e.found))
            })
            .collect();
        close.sort_by_key(|(distance, found)| (*distance, found.source));
        close.into_iter().take(LIMIT).map(|(_, found)| found.clone()).collect()
    }
}

/// Reads an operator's gazetteer CSV (header `name` or `postcode`, `lat`,
/// `lon`; comma or semicolon). Every bad row is named, with its fix.
pub fn read_csv(source: &str, bytes: &[u8]) -> Result<Vec<OperatorEntry>, String> {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if first_line.contains(&b';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).trim(csv::Trim::All).from_reader(bytes);
    let headers = reader.headers().map_err(|e| format!("{source}: not CSV ({e})"))?.clone();
    let column =
        |names: &[&str]| headers.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
    let (Some(name), Some(lat), Some(lon)) =
        (column(&["name", "postcode"]), column(&["lat"]), column(&["lon"]))
    else {
        return Err(format!(
            "{source}: the header row must name the columns `name` (or `postcode`), `lat` and `lon`; it has: {}",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(format!("{source}, row {row}: {e}"));
                continue;
            }
        };
        let field = |column: usize| record.get(column).unwrap_or_default();
        let number = |column: usize| field(column).replace(',', ".").parse::<f64>().ok();
        match (field(name), number(lat).zip(number(lon)).and_then(|(lat, lon)| Coordinates::new(lat, lon).ok())) {
            ("", _) => problems.push(format!("{source}, row {row}: the name is empty; give a postcode or place name")),
            (_, None) => problems.push(format!(
                "{source}, row {row}: lat \"{}\" / lon \"{}\" is not a position; write decimal degrees, e.g. 52.0217 and 4.8684",
                field(lat),
                field(lon)
            )),
            (text, Some(point)) => entries.push(OperatorEntry { name: text.to_owned(), point }),
        }
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(format!("{} problem(s), nothing was imported:\n{}", problems.len(), problems.join("\n")))
    }
}

/// "3421 ct" → "3421CT"; `None` unless it is a Dutch postcode.
pub fn normalise_postcode(text: &str) -> Option<String> {
    dutch_postcode(text).map(|(area, letters)| area + &letters)
}

/// Lowercase ASCII words: accents dropped, punctuation a space.
fn normalise(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// "kapellestraat 39 a oudewater" → "kapellestraat oudewater": a house
/// number (and its letter) says nothing offline data can use.
fn strip_house_numbers(name: &str) -> String {
    let mut words = Vec::new();
    let mut after_number = false;
    for word in name.split(' ') {
        let is_number = word.starts_with(|c: char| c.is_ascii_digit());
        let is_suffix = after_number && word.len() == 1;
        if !is_number && !is_suffix {
            words.push(word);
        }
        after_number = is_number;
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::{Accessibility, Address, MunicipalityCode, StationKind};

    fn station(name: &str, street: &str, postcode: &str, place: &str, lat: f64) -> Station {
        Station {
            id: name.into(),
            number: 1,
            name: name.into(),
            kind: StationKind::Regular,
            municipality_code: MunicipalityCode::parse("GM0001").unwrap(),
            municipality_name: "Súdwest-Fryslân".into(),
            address: Address {
                street: street.into(),
                postcode: postcode.into(),
                place: place.into(),
                ..Address::default()
            },
            location: Coordinates::new(lat, 5.0).unwrap(),
            opens: "2026-03-18T07:30:00".parse().unwrap(),
            closes: "2026-03-18T21:00:00".parse().unwrap(),
            accessibility: Accessibility::default(),
        }
    }

    fn gazetteer() -> Gazetteer {
        let stations = [
            station("Zalencentrum", "Kerkstraat", "3421CT", "Oudewater", 52.0),
            station("Dorpshuis", "Kerkstraat", "3421AB", "Snikzwaag", 52.2),
        ];
        let operator =
            [OperatorEntry { name: "9999 ZZ".into(), point: Coordinates::new(53.0, 6.0).unwrap() }];
        Gazetteer::new(&stations, &operator)
    }

    fn labels(text: &str) -> Vec<String> {
        gazetteer().search(text).0.into_iter().map(|f| f.place.label).collect()
    }

    #[test]
    fn operator_csv_is_read_or_refused_row_by_row() {
        let good = "postcode;lat;lon\n3421 CT;52,0217;4,8684\nOudewater;52.02;4.87\n";
        let entries = read_csv("g.csv", good.as_bytes()).unwrap();
        assert_eq!(entries[0].name, "3421 CT");
        assert_eq!(entries[0].point.lat(), 52.0217);
        let bad = "name,lat,lon\nA,52,4\n,52,4\nB,north,4\n";
        let error = read_csv("g.csv", bad.as_bytes()).unwrap_err();
        assert!(error.starts_with("2 problem(s)"), "{error}");
        assert!(error.contains("g.csv, row 3: the name is empty"), "{error}");
        assert!(error.contains("g.csv, row 4: lat \"north\""), "{error}");
        let error = read_csv("g.csv", b"<html><body>404</body></html>").unwrap_err();
        assert!(error.contains("must name the columns"), "{error}");
    }

    #[test]
    fn postcodes_exact_by_area_and_from_the_operator() {
        let g = gazetteer();
        let (found, exact) = g.search("3421 ct 39");
        assert_eq!(
            (found[0].place.label.as_str(), found[0].source, exact),
            ("3421 CT", Source::Postcode, true)
        );
        let (found, exact) = g.search("3421XY");
        assert_eq!((found[0].place.label.as_str(), exact), ("3421", false));
        assert!((found[0].place.point.lat() - 52.1).abs() < 1e-9, "mean of the area's stations");
        assert_eq!(labels("9999zz"), ["9999 ZZ"]);
    }

    #[test]
    fn names_ignore_case_accents_house_numbers_and_small_typos() {
        assert_eq!(labels("sudwest fryslan"), ["Súdwest-Fryslân"]);
        assert_eq!(labels("  OUDEWATER "), ["Oudewater"]);
        assert_eq!(labels("Kerkstraat 12a, Oudewater"), ["Kerkstraat, Oudewater"]);
        assert_eq!(labels("kerkstr"), ["Kerkstraat, Oudewater", "Kerkstraat, Snikzwaag"]);
        assert_eq!(labels("Oudewatr"), ["Oudewater"]);
        assert_eq!(labels("Snikzwaga"), ["Snikzwaag"]);
        assert_eq!(labels("zalencentrum"), ["Zalencentrum (Oudewater)"]);
        assert!(labels("Amsterdam").is_empty());
        assert!(labels("12").is_empty());
    }
}
