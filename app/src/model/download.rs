//! Where the open-data downloads live, named in one place for the server
//! that serves them and the page that links to them.

use super::{ElectionId, MunicipalityCode};

/// The file stem of an election's national download.
pub const WHOLE_ELECTION: &str = "stembureaus";

/// `/data/{election}/stembureaus.csv`, or `/data/{election}/GM0589.csv` for
/// one municipality; `extension` is `csv`, `geojson` or `json`.
pub fn download_path(
    election: &ElectionId,
    municipality: Option<&MunicipalityCode>,
    extension: &str,
) -> String {
    let stem = municipality.map_or(WHOLE_ELECTION, MunicipalityCode::as_str);
    format!("/data/{election}/{stem}.{extension}")
}
