//! What the pages need from the server's station data, as a trait so that
//! this crate does not depend on the server's storage and index.

use crate::model::{
    Coordinates, CountryMap, Coverage, Election, ElectionId, MunicipalityCode, MunicipalityRef,
    NearestAnswer, NearestQuery, NotPublished, SearchText, Station,
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
    /// Every municipality of the country and what it published for the
    /// election, with the country's outline for a map; `None` when the
    /// election is unknown.
    fn coverage(&self, election: &ElectionId) -> Option<(Arc<Coverage>, Arc<CountryMap>)>;
    /// `home`, with what a voter can do, when it has published nothing for
    /// the election.
    fn not_published(&self, election: &ElectionId, home: &MunicipalityRef) -> Option<NotPublished>;
}

/// The directory as provided to server functions through Leptos context.
pub type Directory = Arc<dyn StationDirectory>;

/// The site's public origin (`https://kieskaart.nl`): it alone decides
/// the absolute links that leave the site (a DCAT catalogue, an embed
/// snippet pasted into another site, an activation link) and whether the
/// site is HTTPS (Secure cookies, HSTS). It is the operator's word
/// (`--public-url`), never a request's: a client can write any `Host` or
/// `X-Forwarded-Host`, and a cache in front would hand a link it forged to
/// everyone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
    https: bool,
}

impl PublicUrl {
    /// An origin as an operator writes it: `http` or `https`, a host and
    /// perhaps a port, nothing more (a trailing `/` is dropped).
    pub fn parse(text: &str) -> Result<Self, String> {
        let problem =
            |why: &str| format!("\"{text}\" is not a site origin: {why}, such as https://kieskaart.nl");
        let (scheme, rest) =
            text.trim().split_once("://").ok_or_else(|| problem("give the scheme and host"))?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(problem("use http:// or https://")),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err(problem("give the origin only, without a path, query or fragment"));
        }
        if authority.contains('@') {
            return Err(problem("give no user name or password"));
        }
        let plain = |c: char| c.is_ascii_alphanumeric() || ".-:[]".contains(c);
        if authority.is_empty() || !authority.chars().all(plain) {
            return Err(problem("give a host name or address"));
        }
        let port = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(':') && !port.contains(']') => Some(port),
            _ => None,
        };
        if port.is_some_and(|port| !port.parse::<u16>().is_ok_and(|port| port > 0)) {
            return Err(problem("give a port from 1 to 65535"));
        }
        let origin = format!("{}://{}", if https { "https" } else { "http" }, authority.to_ascii_lowercase());
        Ok(Self { origin, https })
    }

    /// Where a server listening on `addr` is reached when no public URL
    /// is given (a laptop, the tests): plain HTTP on that address, and
    /// `localhost` for an address that means "every interface".
    pub fn local(addr: std::net::SocketAddr) -> Self {
        let origin = if addr.ip().is_unspecified() {
            format!("http://localhost:{}", addr.port())
        } else {
            format!("http://{addr}")
        };
        Self { origin, https: false }
    }

    /// `https://host[:port]`, without a trailing slash.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether browsers reach the site over HTTPS.
    pub fn https(&self) -> bool {
        self.https
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_an_origin_and_nothing_else() {
        let url = PublicUrl::parse("https://Kieskaart.NL/").unwrap();
        assert_eq!((url.origin(), url.https()), ("https://kieskaart.nl", true));
        let local = PublicUrl::parse("http://127.0.0.1:3000").unwrap();
        assert_eq!((local.origin(), local.https()), ("http://127.0.0.1:3000", false));
        assert_eq!(PublicUrl::parse("http://[::1]:3000").unwrap().origin(), "http://[::1]:3000");
        for (bad, says) in [
            ("kieskaart.nl", "scheme"),
            ("ftp://kieskaart.nl", "http:// or https://"),
            ("https://kieskaart.nl/kaart", "without a path"),
            ("https://kieskaart.nl?x=1", "without a path, query"),
            ("https://user@kieskaart.nl", "no user name"),
            ("https://", "host name"),
            ("https://kies\"kaart.nl", "host name"),
            ("https://kieskaart.nl:99999", "port"),
        ] {
            let error = PublicUrl::parse(bad).unwrap_err();
            assert!(error.contains(says) && error.contains("such as https://"), "{bad}: {error}");
        }
    }

    #[test]
    fn without_a_public_url_the_site_is_plain_http_on_its_listening_address() {
        let local = PublicUrl::local("127.0.0.1:3000".parse().unwrap());
        assert_eq!((local.origin(), local.https()), ("http://127.0.0.1:3000", false));
        assert_eq!(PublicUrl::local("0.0.0.0:8080".parse().unwrap()).origin(), "http://localhost:8080");
    }
}
