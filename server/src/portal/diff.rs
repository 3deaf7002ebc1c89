//! What a draft would change for voters: stations added, removed, and
//! changed field by field, against what is published.

use crate::ingest::{Fields, FROM_THE_BAG};
use app::model::Station;
use std::collections::{BTreeMap, BTreeSet};

/// The difference between two versions of one municipality's stations.
#[derive(Debug, Default, PartialEq)]
pub struct Diff {
    /// Station names, in the new version's order.
    pub added: Vec<String>,
    /// Station names, in the old version's order.
    pub removed: Vec<String>,
    pub changed: Vec<Change>,
}

/// One station in both versions, with the fields whose text differs.
#[derive(Debug, PartialEq)]
pub struct Change {
    pub station: String,
    /// Field name, old text, new text.
    pub fields: Vec<(String, String, String)>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Stations are matched by id (municipality, station number and, for a
/// number with several locations or periods, its position); fields by the
/// names they were received under.
pub fn diff(old: &[(Station, Fields)], new: &[(Station, Fields)]) -> Diff {
    let old_by_id: BTreeMap<&str, &(Station, Fields)> =
        old.iter().map(|row| (row.0.id.as_str(), row)).collect();
    let new_ids: BTreeSet<&str> = new.iter().map(|(station, _)| station.id.as_str()).collect();
    let mut diff = Diff::default();
    for (station, fields) in new {
        match old_by_id.get(station.id.as_str()) {
            None => diff.added.push(station.name.clone()),
            Some((_, before)) => {
                let fields = changed_fields(before, fields);
                if !fields.is_empty() {
                    diff.changed.push(Change { station: station.name.clone(), fields });
                }
            }
        }
    }
    diff.removed = old
        .iter()
        .filter(|(station, _)| !new_ids.contains(station.id.as_str()))
        .map(|(station, _)| station.name.clone())
        .collect();
    diff
}

/// Fields a municipality does not supply: the address and area from the
/// BAG ([`FROM_THE_BAG`]), and these from the publisher (see the standard).
/// A file without them (the template has none) changes nothing a voter
/// sees by leaving them out.
const FROM_THE_PUBLISHER: [&str; 3] = ["Gemeente", "Kieskring ID", "Hoofdstembureau"];

fn derived(name: &str) -> bool {
    FROM_THE_BAG.contains(&name) || FROM_THE_PUBLISHER.contains(&name)
}

/// Identifiers of a record, which every publication renews: the dataset's
/// ID and the record's UUID, and a datastore's row number.
const IDENTIFIERS: [&str; 3] = ["ID", "UUID", "_id"];

fn changed_fields(before: &Fields, after: &Fields) -> Vec<(String, String, String)> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|name| !IDENTIFIERS.contains(&name.as_str()))
        .filter(|name| !derived(name) || after.contains_key(*name))
        .filter_map(|name| {
            let (old, new) = (text(before.get(name)), text(after.get(name)));
            (old != new).then(|| (name.clone(), old, new))
        })
        .collect()
}

/// A field as a reader would compare it: absent, null and empty are alike.
fn text(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text)) => text.trim().to_owned(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn station(id: &str, name: &str, fields: serde_json::Value) -> (Station, Fields) {
        let mut station = crate::ingest::record::tests::station(serde_json::json!({}));
        station.id = id.to_owned();
        station.name = name.to_owned();
        let serde_json::Value::Object(fields) = fields else { panic!("fields are an object") };
        (station, fields)
    }

    #[test]
    fn added_removed_and_changed_stations_are_told_apart() {
        let old = [
            station(
                "GM0001-1",
                "Stadhuis",
                serde_json::json!({"_id": 1, "Adres": "Markt 1", "Open": "07:30"}),
            ),
            station(
                "GM0001-2",
                "School",
                serde_json::json!({"_id": 2, "Adres": "Laan 2", "Postcode": "1234AB"}),
            ),
            station("GM0001-4", "Hal", serde_json::json!({"Postcode": "1234AB", "Toilet": "ja"})),
        ];
        let new = [
            station(
                "GM0001-1",
                "Stadhuis",
                serde_json::json!({"_id": 7, "Adres": "Markt 1a", "Open": "07:30"}),
            ),
            station("GM0001-3", "Kerk", serde_json::json!({"Adres": "Plein 3"})),
            // From a template: no address, and a cleared cell is absent.
            station("GM0001-4", "Hal", serde_json::json!({})),
        ];
        let diff = diff(&old, &new);
        assert_eq!(diff.added, ["Kerk"]);
        assert_eq!(diff.removed, ["School"]);
        assert_eq!(
            diff.changed,
            [
                Change {
                    station: "Stadhuis".into(),
                    fields: vec![("Adres".into(), "Markt 1".into(), "Markt 1a".into())]
                },
                Change { station: "Hal".into(), fields: vec![("Toilet".into(), "ja".into(), String::new())] },
            ]
        );
        assert!(super::diff(&new, &new).is_empty());
    }
}
