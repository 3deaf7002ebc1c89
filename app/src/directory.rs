//! What the pages need from the server's station data, as a trait so that
//! this crate does not depend on the server's storage and index.

use crate::model::{
    Coordinates, Election, ElectionId, MunicipalityCode, MunicipalityRef, NearestAnswer, NearestQuery,
    SearchText, Station,
};
use std::sync::Arc;

/// A point found for what a voter typed, with the words to show for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub label: String,
    pub point: Coordinates,
}

/// A lookup that may ask an online geocoder, so it is awaited.
pub type Locating<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Option<Place>> + Send + 'a>>;

pub trait StationDirectory: Send + Sync {
    /// All elections with published data, in no particular order.
    fn elections(&self) -> Vec<Election>;
    /// The stations nearest to the query's origin (those of the origin's
    /// own municipality first when the election's rule asks for it);
    /// `None` when the election is unknown.
    fn nearest(&self, query: &NearestQuery) -> Option<NearestAnswer>;
    /// The best point for a postcode, address, place or station name.
    fn locate<'a>(&'a self, text: &'a SearchText) -> Locating<'a>;
    /// One station by its id, with the election it belongs to.
    fn station(&self, election: &ElectionId, id: &str) -> Option<(Election, Station)>;
    /// Every station of one municipality, in published order, with the
    /// election; `None` when the election is unknown.
    fn municipality(
        &self,
        election: &ElectionId,
        code: &MunicipalityCode,
    ) -> Option<(Election, Vec<Station>)>;
    /// Every municipality that publishes stations for the election, in code
    /// order, with how many; `None` when the election is unknown.
    fn publishers(&self, election: &ElectionId) -> Option<Vec<(MunicipalityRef, usize)>>;
}

/// The directory as provided to server functions through Leptos context.
pub type Directory = Arc<dyn StationDirectory>;

/// This site's origin as the client reached it (`https://host`; behind a
/// proxy, as the proxy says), for links that must be absolute: a DCAT
/// catalogue, an embed snippet pasted into another site.
/// Headers are the client's to write, so only a plain host name or
/// address with a port gets through; anything else reads as `localhost`.
pub fn site_origin(headers: &http::HeaderMap) -> String {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let scheme = match value("x-forwarded-proto").as_deref() {
        Some("https") => "https",
        _ => "http",
    };
    let plain = |host: &String| {
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    };
    let host = value("x-forwarded-host").or_else(|| value("host")).filter(plain);
    format!("{scheme}://{}", host.as_deref().unwrap_or("localhost"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_what_the_client_reached_and_never_markup() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = http::HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, http::HeaderValue::from_static(value));
            }
            map
        };
        assert_eq!(site_origin(&headers(&[("host", "127.0.0.1:3000")])), "http://127.0.0.1:3000");
        let proxied = headers(&[
            ("host", "10.0.0.2"),
            ("x-forwarded-host", "kieskaart.nl"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(site_origin(&proxied), "https://kieskaart.nl");
        let hostile = headers(&[("host", "x\"></textarea><script>"), ("x-forwarded-proto", "javascript")]);
        assert_eq!(site_origin(&hostile), "http://localhost");
    }
}
