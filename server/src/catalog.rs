//! All published elections, indexed in memory: what the API and the pages
//! read from. Built once from the store at start.

use crate::index::ElectionIndex;
use crate::store::{PublishedElection, Store, StoreError};
use app::directory::{Place, StationDirectory};
use app::model::{Election, ElectionId, NearestQuery, NearestStation, Station};
use std::collections::BTreeMap;

pub struct Catalog {
    elections: BTreeMap<ElectionId, ElectionIndex>,
}

impl Catalog {
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        Ok(Self::new(store.published()?))
    }

    pub fn new(published: Vec<PublishedElection>) -> Self {
        let elections = published
            .into_iter()
            .map(|p| (p.election.id.clone(), ElectionIndex::new(p.election, &p.versions, p.stations)))
            .collect();
        Self { elections }
    }

    pub fn election(&self, id: &ElectionId) -> Option<&ElectionIndex> {
        self.elections.get(id)
    }

    pub fn indexes(&self) -> impl Iterator<Item = &ElectionIndex> {
        self.elections.values()
    }
}

impl StationDirectory for Catalog {
    fn elections(&self) -> Vec<Election> {
        self.indexes().map(|index| index.election.clone()).collect()
    }

    fn nearest(&self, query: &NearestQuery) -> Option<Vec<NearestStation>> {
        Some(self.election(&query.election)?.nearest(query.origin, query.k, &query.needs))
    }

    fn locate(&self, election: &ElectionId, text: &str) -> Option<Place> {
        self.election(election)?.locate(text)
    }

    fn station(&self, election: &ElectionId, id: &str) -> Option<(Election, Station)> {
        let index = self.election(election)?;
        Some((index.election.clone(), index.station(id)?.clone()))
    }
}
