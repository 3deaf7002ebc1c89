//! All published elections and the municipal boundaries, indexed in
//! memory: what the API and the pages read from.
//!
//! The indexes are immutable snapshots behind one atomic pointer. A
//! request takes the current snapshot once and answers from it alone;
//! publishing builds a new snapshot aside and swaps the pointer. So no
//! request waits on a lock, fails, or sees half of a publication.

use crate::coverage::{coverage, map::country_map, Facts};
use crate::geocode::{Found, Gazetteer, Geocoder, OperatorEntry};
use crate::geography::Boundaries;
use crate::index::ElectionIndex;
use crate::store::{PublishedElection, Store, StoreError};
use app::directory::{Locating, StationDirectory};
use app::model::{
    CountryMap, Coverage, Election, ElectionId, MunicipalityCode, MunicipalityRef, NearestAnswer,
    NearestQuery, NotPublished, Publication, SearchText, Station,
};
use arc_swap::ArcSwap;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Everything voters can see at one moment.
pub struct Snapshot {
    elections: BTreeMap<ElectionId, ElectionIndex>,
    pub boundaries: Boundaries,
    /// Names and postcodes of every election's stations, and the operator's.
    pub gazetteer: Gazetteer,
    /// The store's publication state this was built from.
    state: String,
    /// Each election's coverage of the country, made here once rather
    /// than per request.
    coverage: BTreeMap<ElectionId, Arc<Coverage>>,
    /// The country's outline for the coverage map.
    pub map: Arc<CountryMap>,
}

impl Snapshot {
    pub fn new(
        published: Vec<PublishedElection>,
        boundaries: Boundaries,
        operator_gazetteer: &[OperatorEntry],
        state: String,
        facts: &Facts,
    ) -> Self {
        let elections: BTreeMap<_, _> = published
            .into_iter()
            .map(|p| (p.election.id.clone(), ElectionIndex::new(p.election, &p.versions, p.stations)))
            .collect();
        let stations = elections.values().flat_map(|index| index.stations().iter().map(|s| &**s));
        let gazetteer = Gazetteer::new(stations, operator_gazetteer);
        // The country: the boundaries' municipalities, or else those the store knows.
        let country: Vec<MunicipalityRef> = if boundaries.is_empty() {
            facts.known.clone()
        } else {
            boundaries.areas().iter().map(|area| area.municipality.clone()).collect()
        };
        let coverage = elections
            .iter()
            .map(|(id, index)| (id.clone(), Arc::new(coverage(index, &country, facts))))
            .collect();
        let map = Arc::new(country_map(boundaries.areas()));
        Self { elections, boundaries, gazetteer, state, coverage, map }
    }

    pub fn load(store: &Store) -> Result<Self, StoreError> {
        let state = store.publication_state()?;
        let published = store.published()?;
        let facts = Facts::load(store, &published)?;
        Ok(Self::new(published, Boundaries::new(store.boundaries()?), &store.gazetteer()?, state, &facts))
    }

    /// Every municipality of the country and what it published for the election.
    pub fn coverage(&self, id: &ElectionId) -> Option<&Arc<Coverage>> {
        self.coverage.get(id)
    }

    /// The municipality a query's origin lies in, when it has published
    /// nothing for the election: what the voter is told to do instead.
    /// Judged here, next to the answer, so that the index's search stays
    /// as it is.
    pub fn not_published(
        &self,
        index: &ElectionIndex,
        home: Option<&MunicipalityRef>,
    ) -> Option<NotPublished> {
        let home = home.filter(|home| !index.publishes(&home.code))?;
        let contact = match self.coverage(&index.election.id).and_then(|c| c.municipality(&home.code)) {
            Some(coverage) => match &coverage.publication {
                Publication::NotPublished { contact } => contact.clone(),
                Publication::Published { .. } => return None,
            },
            None => Default::default(),
        };
        Some(NotPublished { municipality: home.clone(), contact })
    }

    pub fn election(&self, id: &ElectionId) -> Option<&ElectionIndex> {
        self.elections.get(id)
    }

    pub fn indexes(&self) -> impl Iterator<Item = &ElectionIndex> {
        self.elections.values()
    }

    /// Answers a query, with the municipality that the origin lies in.
    pub fn answer(&self, index: &ElectionIndex, query: &NearestQuery) -> NearestAnswer {
        index.answer(query, self.boundaries.municipality_at(query.origin))
    }
}

/// What the catalog last learnt about the store it follows.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreCheck {
    /// Nothing follows the store (a catalog built once, as in tests).
    NotFollowed,
    Reachable {
        at: Instant,
    },
    /// The last look failed; readiness is lost at once, whenever it was.
    Unreachable {
        error: String,
    },
}

pub struct Catalog {
    current: ArcSwap<Snapshot>,
    store: Mutex<StoreCheck>,
    reloads: AtomicU64,
    /// Turns what voters type into points, from the snapshot's gazetteer
    /// and, when configured, an online provider.
    pub geocoder: Geocoder,
    /// How the change feed's webhook deliveries go, for `/metrics`.
    pub deliveries: Arc<crate::changes::webhooks::Stats>,
}

impl Catalog {
    pub fn new(snapshot: Snapshot, geocoder: Geocoder) -> Self {
        Self {
            current: ArcSwap::from_pointee(snapshot),
            store: Mutex::new(StoreCheck::NotFollowed),
            reloads: AtomicU64::new(0),
            geocoder,
            deliveries: Arc::default(),
        }
    }

    pub fn load(store: &Store, geocoder: Geocoder) -> Result<Self, StoreError> {
        Ok(Self::new(Snapshot::load(store)?, geocoder))
    }

    /// Candidates for what a voter typed, best first.
    pub async fn geocode(&self, text: &SearchText) -> Vec<Found> {
        let snapshot = self.snapshot();
        self.geocoder.find(&snapshot.gazetteer, text).await
    }

    /// The data of this moment; hold it for the whole of one answer.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    pub fn store_check(&self) -> StoreCheck {
        self.store.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Notes the outcome of a look at the store, for readiness checks.
    pub fn record_store_check(&self, outcome: Result<(), &StoreError>) {
        let check = match outcome {
            Ok(()) => StoreCheck::Reachable { at: Instant::now() },
            Err(error) => StoreCheck::Unreachable { error: error.to_string() },
        };
        *self.store.lock().unwrap_or_else(PoisonError::into_inner) = check;
    }

    pub fn replace(&self, snapshot: Snapshot) {
        self.current.store(Arc::new(snapshot));
        self.reloads.fetch_add(1, Ordering::Relaxed);
    }

    /// How many times a new snapshot replaced the one before.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Rebuilds from the store when what is published there has changed
    /// since the current snapshot was made; says whether it did.
    pub fn refresh(&self, store: &Store) -> Result<bool, StoreError> {
        if store.publication_state()? == self.current.load().state {
            return Ok(false);
        }
        self.replace(Snapshot::load(store)?);
        Ok(true)
    }

    /// Keeps the catalog in step with the store, which other processes
    /// (`kieskaart import`, the portal, other servers) write to: checks
    /// every `interval`, and at once when the store announces a change, on a
    /// thread of its own, so that rebuilding never holds up requests.
    pub fn follow(self: &Arc<Self>, store: Store, interval: Duration) {
        let catalog = Arc::downgrade(self);
        std::thread::spawn(move || {
            while let Some(catalog) = catalog.upgrade() {
                let refreshed = catalog.refresh(&store);
                catalog.record_store_check(refreshed.as_ref().map(|_| ()));
                match refreshed {
                    Ok(true) => tracing::info!("published data changed: indexes rebuilt"),
                    Ok(false) => {}
                    Err(error) => {
                        tracing::error!("cannot refresh from the store, keeping the current data: {error}")
                    }
                }
                drop(catalog);
                if let Err(error) = store.wait_for_change(interval) {
                    tracing::debug!("cannot wait for the store's announcements: {error}");
                    std::thread::sleep(interval);
                }
            }
        });
    }
}

impl StationDirectory for Catalog {
    fn elections(&self) -> Vec<Election> {
        self.snapshot().indexes().map(|index| index.election.clone()).collect()
    }

    fn nearest(&self, query: &NearestQuery) -> Option<NearestAnswer> {
        let snapshot = self.snapshot();
        Some(snapshot.answer(snapshot.election(&query.election)?, query))
    }

    fn locate<'a>(&'a self, text: &'a SearchText) -> Locating<'a> {
        Box::pin(async move { self.geocode(text).await.into_iter().next().map(|found| found.place) })
    }

    fn station(&self, election: &ElectionId, id: &str) -> Option<(Election, Station)> {
        let snapshot = self.snapshot();
        let index = snapshot.election(election)?;
        Some((index.election.clone(), index.station(id)?.clone()))
    }

    fn municipality(
        &self,
        election: &ElectionId,
        code: &MunicipalityCode,
    ) -> Option<(Election, Vec<Station>)> {
        let snapshot = self.snapshot();
        let index = snapshot.election(election)?;
        Some((index.election.clone(), index.municipality_stations(code).cloned().collect()))
    }

    fn publishers(&self, election: &ElectionId) -> Option<Vec<(MunicipalityRef, usize)>> {
        Some(self.snapshot().election(election)?.municipalities().collect())
    }

    fn coverage(&self, election: &ElectionId) -> Option<(Arc<Coverage>, Arc<CountryMap>)> {
        let snapshot = self.snapshot();
        Some((Arc::clone(snapshot.coverage(election)?), Arc::clone(&snapshot.map)))
    }

    fn not_published(&self, election: &ElectionId, home: &MunicipalityRef) -> Option<NotPublished> {
        let snapshot = self.snapshot();
        snapshot.not_published(snapshot.election(election)?, Some(home))
    }
}
