//! The change feed for re-users: one entry per publication, with what it
//! changed against the version published before, as Atom and JSON Feed
//! ([`feed`]) and POSTed to the operator's webhooks ([`webhooks`]).
//!
//! Entries are written once, at publication, and never change: whoever
//! publishes calls [`record`] right after moving the published pointer.
//! [`record`] compares what is published with the newest entry of each
//! municipality, so a publication whose entry was not written (a crash in
//! between, or a Kieskaart from before the feed) gets one at the next
//! publication of the election, stamped then. The diff is the portal's
//! ([`crate::portal::diff`]), so the feed and the officer's preview never
//! disagree.

pub mod feed;
pub mod webhooks;

use crate::portal::diff::{diff, Diff};
use crate::store::{ChangedStation, Entry, Publisher, Store, StoreError, Summary};
use app::model::ElectionId;

/// Writes an entry for each municipality of `election` whose published
/// version has none yet, as published by `via`; how many it wrote.
pub fn record(store: &mut Store, election: &ElectionId, via: Publisher) -> Result<usize, StoreError> {
    let mut written = 0;
    for version in store.versions(election)?.into_iter().filter(|version| version.published) {
        let last = store.last_publication(election, &version.municipality)?;
        if last.as_ref().is_some_and(|last| last.entry.version == version.id) {
            continue;
        }
        let previous = last.map(|last| last.entry.version);
        let new = store.records(&[version.id], Some(&version.municipality))?.rows;
        let old = match previous {
            Some(previous) => store.records(&[previous], Some(&version.municipality))?.rows,
            None => Vec::new(),
        };
        let municipality_name = match new.first() {
            Some((station, _)) => station.municipality_name.clone(),
            None => store.municipality_name(&version.municipality)?.unwrap_or_default(),
        };
        let entry = Entry {
            election: election.clone(),
            municipality: version.municipality,
            municipality_name,
            version: version.id,
            previous,
            at: crate::store::timestamp(chrono::Utc::now()),
            via,
            summary: summary(diff(&old, &new)),
        };
        if store.record_publication(&entry)?.is_some() {
            written += 1;
        }
    }
    Ok(written)
}

/// [`record`], after a publication that has already happened: a failure
/// is logged, not returned, because the publication stands either way and
/// the next one writes the missing entries.
pub fn note(store: &mut Store, election: &ElectionId, via: Publisher) {
    if let Err(error) = record(store, election, via) {
        tracing::error!(%election, "published, but the change feed entry could not be written: {error}");
    }
}

/// Who published, from the actor the audit log names: vendor systems act
/// as `token N` (see [`crate::tokens`]), officers by their e-mail address.
pub fn publisher_of(actor: &str) -> Publisher {
    if actor.starts_with("token ") {
        Publisher::VendorSystem
    } else {
        Publisher::Portal
    }
}

/// The diff as the feed tells it: names, and of a changed station the
/// names of its changed fields.
fn summary(diff: Diff) -> Summary {
    Summary {
        added: diff.added,
        removed: diff.removed,
        changed: diff
            .changed
            .into_iter()
            .map(|change| ChangedStation {
                station: change.station,
                fields: change.fields.into_iter().map(|(name, _, _)| name).collect(),
            })
            .collect(),
    }
}
