//! `kieskaart election`, `versions`, `rollback`, `export` and `template`:
//! elections and the versions of their data.

use super::CommandError;
use crate::changes;
use crate::opendata::{self, ExportFormat};
use crate::store::{Publisher, Store, VersionInfo};
use crate::{ingest, submissions};
use app::model::{Election, ElectionId, ElectionKind, MunicipalityCode, TimeZoneName};
use chrono::NaiveDate;

/// "gr2026" → "Gemeenteraadsverkiezingen 2026"; other ids stay as they are.
pub(super) fn default_name(id: &ElectionId, polling_date: NaiveDate) -> String {
    let kinds = [
        ("gr", "Gemeenteraadsverkiezingen"),
        ("tk", "Tweede Kamerverkiezing"),
        ("ek", "Eerste Kamerverkiezing"),
        ("ps", "Provinciale Statenverkiezingen"),
        ("ws", "Waterschapsverkiezingen"),
        ("ep", "Europees Parlementsverkiezing"),
    ];
    kinds
        .iter()
        .find(|(prefix, _)| id.as_str().starts_with(prefix))
        .map(|(_, kind)| format!("{kind} {}", polling_date.format("%Y")))
        .unwrap_or_else(|| id.to_string())
}

/// Details of an election to set; `None` keeps what is there (or, for a
/// new election, takes the default: kind from the id, Europe/Amsterdam).
#[derive(Debug, Default, Clone)]
pub struct ElectionDetails {
    pub name: Option<String>,
    pub kind: Option<ElectionKind>,
    pub polling_date: Option<NaiveDate>,
    pub time_zone: Option<TimeZoneName>,
    pub early_voting: Option<Vec<NaiveDate>>,
}

impl ElectionDetails {
    fn apply_to(self, election: &mut Election) {
        if let Some(name) = self.name {
            election.name = name;
        }
        if let Some(kind) = self.kind {
            election.kind = kind;
        }
        if let Some(date) = self.polling_date {
            election.polling_date = date;
        }
        if let Some(zone) = self.time_zone {
            election.time_zone = zone;
        }
        if let Some(mut days) = self.early_voting {
            days.sort();
            days.dedup();
            election.early_voting = days;
        }
    }
}

fn election_id(text: &str) -> Result<ElectionId, CommandError> {
    ElectionId::parse(text).map_err(|e| CommandError::Election(e.to_string()))
}

/// `kieskaart election add`: a new election, before any station file.
pub fn add_election(store: &mut Store, id: &str, details: ElectionDetails) -> Result<Election, CommandError> {
    let id = election_id(id)?;
    if store.election(&id)?.is_some() {
        return Err(CommandError::Election(format!(
            "election {id} exists already; change it with `kieskaart election edit {id}`"
        )));
    }
    let Some(polling_date) = details.polling_date else {
        return Err(CommandError::Election(format!(
            "election {id} needs its polling day: give --polling-date YYYY-MM-DD"
        )));
    };
    let name = details.name.clone().unwrap_or_else(|| default_name(&id, polling_date));
    let mut election = Election::new(id, name, polling_date);
    details.apply_to(&mut election);
    store.save_election(&election)?;
    Ok(election)
}

/// `kieskaart election edit`: changes what is given, keeps the rest.
pub fn edit_election(
    store: &mut Store,
    id: &str,
    details: ElectionDetails,
) -> Result<Election, CommandError> {
    let id = election_id(id)?;
    let mut election = store.election(&id)?.ok_or_else(|| {
        CommandError::Election(format!(
            "there is no election {id}; `kieskaart election list` shows them and `kieskaart election add` makes one"
        ))
    })?;
    details.apply_to(&mut election);
    store.save_election(&election)?;
    Ok(election)
}

/// `kieskaart election list`, as a table.
pub fn list_elections(store: &Store) -> Result<String, CommandError> {
    let mut table = format!(
        "{:<16} {:<10} {:<12} {:<20} {:>8}  {}\n",
        "id", "kind", "polling day", "time zone", "stations", "name"
    );
    for (e, stations) in store.elections()? {
        table.push_str(&format!(
            "{:<16} {:<10} {:<12} {:<20} {:>8}  {}\n",
            e.id.as_str(),
            e.kind.slug(),
            e.polling_date.to_string(),
            e.time_zone.as_str(),
            stations,
            e.name
        ));
    }
    Ok(table)
}

/// `kieskaart template --election … --municipality …`.
pub fn template(
    store: &Store,
    election: &str,
    municipality: &MunicipalityCode,
) -> Result<Vec<u8>, CommandError> {
    let election = election_id(election)?;
    if store.election(&election)?.is_none() {
        return Err(CommandError::Election(format!(
            "there is no election \"{}\"; see `kieskaart election list`",
            election.as_str()
        )));
    }
    submissions::template(store, &election, municipality).map_err(|e| CommandError::Export(e.to_string()))
}

/// `kieskaart template` without a municipality: the blank template.
pub fn blank_template() -> Result<Vec<u8>, CommandError> {
    ingest::template::write(&[]).map_err(|e| CommandError::Export(e.to_string()))
}

/// `kieskaart export`: what an election publishes, as received (every
/// column kept, unknown ones included): importing the export gives the
/// same stations.
pub fn export(store: &Store, election: &str, format: ExportFormat) -> Result<Vec<u8>, CommandError> {
    let id = known_election(store, election)?;
    let mut published: Vec<VersionInfo> = store.versions(&id)?.into_iter().filter(|v| v.published).collect();
    // In municipality order, as the server's downloads.
    published.sort_by(|a, b| a.municipality.cmp(&b.municipality));
    let ids: Vec<i64> = published.iter().map(|version| version.id).collect();
    let records = store.records(&ids, None)?;
    opendata::write(records.rows, format).map_err(CommandError::Export)
}

/// `kieskaart versions`: every stored version of an election, as a table.
pub fn list_versions(store: &Store, election: &str) -> Result<String, CommandError> {
    let id = known_election(store, election)?;
    let mut table = format!(
        "{:>8}  {:<8} {:>8}  {:<25} {:<9}  {}\n",
        "version", "code", "stations", "created", "published", "source"
    );
    for v in store.versions(&id)? {
        table.push_str(&format!(
            "{:>8}  {:<8} {:>8}  {:<25} {:<9}  {}\n",
            v.id,
            v.municipality.as_str(),
            v.stations,
            v.created_at.get(..19).unwrap_or(&v.created_at),
            if v.published { "yes" } else { "" },
            v.source
        ));
    }
    Ok(table)
}

/// `kieskaart rollback`: publishes an earlier version again, as a new
/// version that copies it.
pub fn rollback(store: &mut Store, election: &str, version: i64) -> Result<VersionInfo, CommandError> {
    let id = known_election(store, election)?;
    let copy = store.republish(&id, version)?.ok_or_else(|| {
        CommandError::Election(format!(
            "election {id} has no version {version}; `kieskaart versions --election {id}` lists them"
        ))
    })?;
    changes::note(store, &id, Publisher::Operator);
    Ok(copy)
}

fn known_election(store: &Store, election: &str) -> Result<ElectionId, CommandError> {
    let id = election_id(election)?;
    if store.election(&id)?.is_none() {
        return Err(CommandError::Election(format!(
            "there is no election {id}; `kieskaart election list` shows them"
        )));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elections_are_added_listed_and_edited() {
        let folder = tempfile::tempdir().unwrap();
        let mut store = Store::open(&folder.path().join("db.sqlite3")).unwrap();
        let date = NaiveDate::from_ymd_opt(2027, 3, 17);
        let error = add_election(&mut store, "ps2027", ElectionDetails::default()).unwrap_err();
        assert!(error.to_string().contains("give --polling-date"), "{error}");
        let added =
            add_election(&mut store, "ps2027", ElectionDetails { polling_date: date, ..Default::default() })
                .unwrap();
        assert_eq!(
            (added.kind, added.name.as_str()),
            (ElectionKind::Ps, "Provinciale Statenverkiezingen 2027")
        );
        let again =
            add_election(&mut store, "ps2027", ElectionDetails { polling_date: date, ..Default::default() });
        assert!(again.unwrap_err().to_string().contains("election edit ps2027"));
        let bonaire = TimeZoneName::parse("America/Kralendijk").ok();
        let edited =
            edit_election(&mut store, "ps2027", ElectionDetails { time_zone: bonaire, ..Default::default() })
                .unwrap();
        assert_eq!(edited.time_zone.as_str(), "America/Kralendijk");
        assert_eq!(edited.polling_date, date.unwrap(), "what was not given is kept");
        assert!(list_elections(&store)
            .unwrap()
            .contains("ps2027           ps         2027-03-17   America/Kralendijk"));
        assert!(edit_election(&mut store, "tk2099", ElectionDetails::default()).is_err());
    }

    #[test]
    fn names_elections_after_their_kind_and_year() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 18).unwrap();
        let name = |id| default_name(&ElectionId::parse(id).unwrap(), date);
        assert_eq!(name("gr2026"), "Gemeenteraadsverkiezingen 2026");
        assert_eq!(name("referendum-x"), "referendum-x");
    }
}
