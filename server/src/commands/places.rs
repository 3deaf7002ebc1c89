//! `kieskaart boundaries` and `kieskaart gazetteer`: the places searches
//! use besides the stations.

use super::CommandError;
use crate::store::Store;
use crate::{geocode, geography};
use std::path::Path;

/// Reads municipal boundaries (GeoJSON, RD New or WGS84) and stores them
/// as the set that searches use. Returns how many municipalities it read.
pub fn import_boundaries(store: &mut Store, file: &Path) -> Result<usize, CommandError> {
    let display = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|source| CommandError::Read { path: display.clone(), source })?;
    let areas = geography::boundaries::read_geojson(&display, &text)?;
    store.import_boundaries(&areas, &display)?;
    Ok(areas.len())
}

/// Reads an operator's gazetteer: CSV with a header row and the columns
/// `name` (or `postcode`), `lat` and `lon`, comma- or semicolon-separated.
/// A file with any bad row changes nothing.
pub fn import_gazetteer(store: &mut Store, file: &Path) -> Result<usize, CommandError> {
    let display = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| CommandError::Read { path: display.clone(), source })?;
    let entries = geocode::gazetteer::read_csv(&display, &bytes).map_err(CommandError::Gazetteer)?;
    store.import_gazetteer(&entries)?;
    Ok(entries.len())
}
