//! Who a request comes from: one rule for the API's rate limit and the
//! portal's sign-in throttle alike.
//!
//! Without proxies the client is the connection's other end. Behind
//! proxies every connection comes from the nearest proxy, and each proxy
//! appends the address it was reached from to `X-Forwarded-For`. Anything
//! to the left of what the proxies appended was written by the client and
//! can say anything, so the client's address is found from the right: the
//! connection, then the header's entries right to left, skipping the hops
//! that are trusted proxies (the first `--trusted-proxies N` hops, and any
//! hop inside `--trusted-proxy-networks`). The first hop that is not a
//! trusted proxy is the client.
//!
//! When that hop cannot be read (a garbled entry, fewer entries than
//! proxies, no connection information) the request is not let off: every
//! such request is counted under one shared key, [`ClientAddress::Unknown`],
//! so that garbling one's own address buys no freedom from the limits.

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Where a request comes from, as far as the server can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientAddress {
    Known(IpAddr),
    /// Unreadable: all such requests share this one key.
    Unknown,
}

impl ClientAddress {
    /// What limits count this client under: its IPv4 address, or its IPv6
    /// address's /64. A subscriber gets a whole /64 and may take any of its
    /// 2^64 addresses, so counting per IPv6 address would let one client
    /// take a fresh share for every request.
    pub fn limit_key(self) -> ClientAddress {
        match self {
            ClientAddress::Known(IpAddr::V6(address)) => {
                let network = u128::from(address) & (u128::MAX << 64);
                ClientAddress::Known(IpAddr::V6(network.into()))
            }
            other => other,
        }
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientAddress::Known(address) => address.fmt(f),
            ClientAddress::Unknown => f.write_str("an unknown address"),
        }
    }
}

/// How the server finds a request's client address (the flags
/// `--trusted-proxies`, `--trusted-proxy-networks` and
/// `--client-address-header` of `kieskaart serve`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ClientAddressRule {
    /// No proxy in front: the connection's own address.
    #[default]
    Connection,
    /// Behind proxies that add to a header.
    Proxies(Proxies),
}

/// The proxies in front, and the header they add to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proxies {
    header: HeaderName,
    /// How many hops, the connection first, are proxies whatever their
    /// address.
    count: usize,
    /// Hops with these addresses are proxies wherever they stand.
    networks: Vec<IpNet>,
}

impl ClientAddressRule {
    /// The rule for `count` proxies in front and proxies in `networks`;
    /// the connection's address when there are neither. `header` is where
    /// the proxies add addresses (`X-Forwarded-For` when `None`).
    pub fn new(header: Option<HeaderName>, count: usize, networks: Vec<IpNet>) -> Self {
        if count == 0 && networks.is_empty() {
            return ClientAddressRule::Connection;
        }
        let header = header.unwrap_or(HeaderName::from_static("x-forwarded-for"));
        ClientAddressRule::Proxies(Proxies { header, count, networks })
    }

    /// The client of a request with `headers` that came over a connection
    /// from `peer`.
    pub fn client(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> ClientAddress {
        let peer = peer.map(|address| address.to_canonical());
        match self {
            ClientAddressRule::Connection => peer.map_or(ClientAddress::Unknown, ClientAddress::Known),
            ClientAddressRule::Proxies(proxies) => proxies.client(headers, peer),
        }
    }
}

impl Proxies {
    fn client(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> ClientAddress {
        // Several header lines are one list, in order (RFC 9110, 5.3); a
        // line that is not text is one unreadable hop.
        let added: Vec<Option<IpAddr>> = headers
            .get_all(&self.header)
            .iter()
            .flat_map(|line| match line.to_str() {
                Ok(text) => text.split(',').map(hop).collect(),
                Err(_) => vec![None],
            })
            .collect();
        let nearest_first = std::iter::once(peer).chain(added.into_iter().rev());
        for (position, hop) in nearest_first.enumerate() {
            let trusted = position < self.count
                || hop.is_some_and(|address| self.networks.iter().any(|network| network.contains(&address)));
            if !trusted {
                return hop.map_or(ClientAddress::Unknown, ClientAddress::Known);
            }
        }
        // Every hop was a proxy: the client is not among them.
        ClientAddress::Unknown
    }
}

/// One entry of the header: an address, perhaps with a port (some proxies
/// add one); `None` for anything else (`unknown`, garbage).
fn hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let address =
        entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))?;
    Some(address.to_canonical())
}

/// A network as `--trusted-proxy-networks` takes it: CIDR (`10.0.0.0/8`)
/// or a single address.
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>().or_else(|_| text.parse::<IpAddr>().map(IpNet::from)).map_err(|_| {
        format!("\"{text}\" is not a network: give one such as 10.0.0.0/8, fd00::/8 or 192.0.2.10")
    })
}

/// Finds each request's client once, for every part of the application
/// that limits by client (a layer over the whole router).
pub async fn identify(
    State(rule): State<Arc<ClientAddressRule>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let client = rule.client(request.headers(), peer);
    request.extensions_mut().insert(client);
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    /// The client [`identify`] found; a request it did not see counts as
    /// unknown, never as unlimited.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ClientAddress>().copied().unwrap_or(ClientAddress::Unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(lines: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append("x-forwarded-for", HeaderValue::from_static(line));
        }
        headers
    }

    fn known(text: &str) -> ClientAddress {
        ClientAddress::Known(text.parse().unwrap())
    }

    const NGINX: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)));

    #[test]
    fn without_proxies_the_connection_is_the_client_whatever_the_headers_say() {
        let rule = ClientAddressRule::default();
        assert_eq!(rule.client(&forwarded(&["203.0.113.7"]), NGINX), known("10.0.0.2"));
        assert_eq!(rule.client(&HeaderMap::new(), None), ClientAddress::Unknown);
        let mapped = Some("::ffff:192.0.2.1".parse().unwrap());
        assert_eq!(rule.client(&HeaderMap::new(), mapped), known("192.0.2.1"), "one key per address");
    }

    #[test]
    fn behind_one_proxy_the_right_most_entry_is_the_client_and_what_the_client_wrote_is_ignored() {
        let rule = ClientAddressRule::new(None, 1, Vec::new());
        assert_eq!(rule.client(&forwarded(&["203.0.113.7"]), NGINX), known("203.0.113.7"));
        // The client wrote "1.2.3.4" itself; nginx appended its real address.
        assert_eq!(rule.client(&forwarded(&["1.2.3.4, 203.0.113.7"]), NGINX), known("203.0.113.7"));
        assert_eq!(rule.client(&forwarded(&["1.2.3.4", "203.0.113.7"]), NGINX), known("203.0.113.7"));
        assert_eq!(rule.client(&forwarded(&["[2001:db8::7]:4711"]), NGINX), known("2001:db8::7"));
        for unreadable in [&[][..], &["1.2.3.4, unknown"], &["1.2.3.4, "]] {
            assert_eq!(rule.client(&forwarded(unreadable), NGINX), ClientAddress::Unknown, "{unreadable:?}");
        }
    }

    #[test]
    fn counted_and_listed_proxies_are_skipped_from_the_right() {
        // A CDN and nginx: two proxies.
        let two = ClientAddressRule::new(None, 2, Vec::new());
        let chain = forwarded(&["1.2.3.4, 203.0.113.7, 198.51.100.1"]);
        assert_eq!(two.client(&chain, NGINX), known("203.0.113.7"));
        assert_eq!(
            two.client(&forwarded(&["203.0.113.7"]), NGINX),
            ClientAddress::Unknown,
            "bypassed the CDN"
        );

        let listed = vec![parse_network("10.0.0.0/8").unwrap(), parse_network("198.51.100.1").unwrap()];
        let networks = ClientAddressRule::new(None, 0, listed.clone());
        assert_eq!(networks.client(&chain, NGINX), known("203.0.113.7"));
        assert_eq!(
            networks.client(&chain, Some("192.0.2.9".parse().unwrap())),
            known("192.0.2.9"),
            "a connection from elsewhere is not a proxy, and its header means nothing"
        );
        assert_eq!(networks.client(&HeaderMap::new(), NGINX), ClientAddress::Unknown);

        let header = HeaderName::from_static("x-real-ip");
        let real_ip = ClientAddressRule::new(Some(header), 1, Vec::new());
        let mut headers = HeaderMap::new();
        headers.insert("x-real-ip", HeaderValue::from_static("203.0.113.7"));
        assert_eq!(real_ip.client(&headers, NGINX), known("203.0.113.7"));
    }

    #[test]
    fn limits_count_an_ipv6_client_by_its_64_and_an_ipv4_client_by_its_address() {
        let key = |text: &str| known(text).limit_key();
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("2001:db8:1:2:aaaa::1"), known("2001:db8:1:2::"));
        assert_eq!(key("192.0.2.1"), known("192.0.2.1"));
        assert_eq!(ClientAddress::Unknown.limit_key(), ClientAddress::Unknown);
    }

    #[test]
    fn networks_are_read_with_a_clear_error() {
        assert_eq!(parse_network(" fd00::/8").unwrap().to_string(), "fd00::/8");
        assert_eq!(parse_network("192.0.2.10").unwrap().to_string(), "192.0.2.10/32");
        let error = parse_network("10.0.0.0/33").unwrap_err();
        assert!(error.contains("10.0.0.0/8"), "{error}");
    }
}
