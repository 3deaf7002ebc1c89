//! Coverage of an election: every municipality of the country, published
//! or not, with the figures the coverage page, the API and the CSV show.
//!
//! Made once per publication change, when the catalog builds a snapshot
//! ([`crate::catalog::Snapshot`]), so a request only reads it. What the
//! index does not hold (when a municipality last published, a silent
//! municipality's contact details from an earlier dataset) comes from the
//! store as [`Facts`], read with the published data.

pub mod csv;
pub mod map;

use crate::index::ElectionIndex;
use crate::store::{PublishedElection, Store, StoreError};
use app::model::{
    Contact, Coverage, ElectionId, FieldTallies, MunicipalityCode, MunicipalityCoverage, MunicipalityRef,
    Publication,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// What the store knows beyond the published stations.
#[derive(Debug, Default)]
pub struct Facts {
    /// When each municipality last published, by election.
    pub published_at: BTreeMap<(ElectionId, MunicipalityCode), DateTime<Utc>>,
    /// The contact details the newest stored dataset of a municipality
    /// gives, for those that have not published in some election.
    pub contacts: BTreeMap<MunicipalityCode, Contact>,
    /// Every municipality the store knows from stations or boundaries:
    /// the country when no boundaries are loaded.
    pub known: Vec<MunicipalityRef>,
}

impl Facts {
    /// Reads the facts for what `published` holds: one look at each
    /// election's versions and publication times, and one dataset read
    /// per municipality that is silent somewhere but has an earlier
    /// dataset (a draft, an older version, another election's).
    pub fn load(store: &Store, published: &[PublishedElection]) -> Result<Self, StoreError> {
        let known = store.municipalities()?;
        let mut published_at = BTreeMap::new();
        // The newest version of each municipality, in any election.
        let mut newest: BTreeMap<MunicipalityCode, i64> = BTreeMap::new();
        for (election, _) in store.elections()? {
            for version in store.versions(&election.id)? {
                let latest = newest.entry(version.municipality.clone()).or_insert(version.id);
                *latest = (*latest).max(version.id);
            }
            for (code, at) in store.publication_times(&election.id)? {
                published_at.insert((election.id.clone(), code), at);
            }
        }
        let publishes_everywhere = |code: &MunicipalityCode| {
            published
                .iter()
                .all(|election| published_at.contains_key(&(election.election.id.clone(), code.clone())))
        };
        let mut contacts = BTreeMap::new();
        for (code, version) in newest.into_iter().filter(|(code, _)| !publishes_everywhere(code)) {
            let records = store.records(&[version], Some(&code))?;
            if let Some((_, fields)) = records.rows.first() {
                let text = |name: &str| fields.get(name).and_then(|value| value.as_str());
                let contact =
                    Contact::new(text("Verkiezingswebsite gemeente"), text("Contactgegevens gemeente"));
                if !contact.is_empty() {
                    contacts.insert(code, contact);
                }
            }
        }
        Ok(Self { published_at, contacts, known })
    }
}

/// The coverage of `index`'s election across `country` (every
/// municipality there is, published or not): those that publish with
/// their figures, the others with what a voter can do.
pub fn coverage(index: &ElectionIndex, country: &[MunicipalityRef], facts: &Facts) -> Coverage {
    let id = &index.election.id;
    let mut municipalities: Vec<MunicipalityCoverage> = index
        .municipalities()
        .map(|(municipality, stations)| {
            let at = facts.published_at.get(&(id.clone(), municipality.code.clone())).copied();
            let fields = Box::new(FieldTallies::of(index.municipality_stations(&municipality.code)));
            MunicipalityCoverage {
                municipality,
                publication: Publication::Published { stations, at, fields },
            }
        })
        .collect();
    let mut listed: BTreeSet<MunicipalityCode> =
        municipalities.iter().map(|m| m.municipality.code.clone()).collect();
    for municipality in country {
        if listed.insert(municipality.code.clone()) {
            let contact = facts.contacts.get(&municipality.code).cloned().unwrap_or_default();
            municipalities.push(MunicipalityCoverage {
                municipality: municipality.clone(),
                publication: Publication::NotPublished { contact },
            });
        }
    }
    Coverage::new(index.election.clone(), municipalities)
}
