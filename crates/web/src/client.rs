//! Who a request comes from: the one client address every per-address limit counts by, the proxies whose word on
//! it is believed (`--trusted-proxies`), and each address's share of the connection cap.
//!
//! A connection's peer is the client, unless the peer is a trusted proxy: then the client is the nearest address
//! in the forwarding chain (`Forwarded`'s `for=`, RFC 7239 §5.2, else `X-Forwarded-For`) that is not itself a
//! trusted proxy, read from the right, since every hop appends the address it saw and only the hops we trust can
//! be believed (what a client writes at the left is whatever it likes).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The address ranges of the proxies whose forwarding headers are believed; empty believes none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Ranges in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`) or single addresses (`192.0.2.7`). The error names
    /// the entry that is neither.
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut ranges = Vec::new();
        for entry in entries.into_iter().map(str::trim).filter(|e| !e.is_empty()) {
            let range = match entry.parse::<IpNet>() {
                Ok(range) => range,
                Err(_) => entry.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
                    format!("'{entry}' is not an address range: write 10.0.0.0/8, 2001:db8::/32 or one address")
                })?,
            };
            ranges.push(range.trunc());
        }
        Ok(Self(ranges))
    }

    /// Whether an address is one of the trusted proxies.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|range| range.contains(&address))
    }
}

/// The client a request comes from (a request extension set by the accept loop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The client of a request that came from `peer` with `headers`: `peer` itself unless it is a trusted proxy;
/// then the nearest untrusted address of the forwarding chain. An entry that is not an address (`unknown`, an
/// obfuscated `_name`) ends the walk at the last hop believed.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted.contains(client) {
        return client;
    }
    let chain = forwarded_for(headers).unwrap_or_else(|| x_forwarded_for(headers));
    for hop in chain.iter().rev() {
        let Some(address) = hop else { break };
        client = address.to_canonical();
        if !trusted.contains(client) {
            break;
        }
    }
    client
}

/// The `for=` addresses of every `Forwarded` header, in order; `None` when there is no such header.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let values: Vec<&str> = headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()).collect();
    if values.is_empty() {
        return None;
    }
    let elements = values.iter().flat_map(|value| value.split(','));
    let chain = elements
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim().eq_ignore_ascii_case("for").then(|| node_address(value.trim().trim_matches('"')))
            })
        })
        .collect();
    Some(chain)
}

/// The addresses of every `X-Forwarded-For` header, in order (empty when there is none).
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    values.flat_map(|value| value.split(',')).map(|hop| node_address(hop.trim())).collect()
}

/// The address of a forwarding node: `192.0.2.43`, `192.0.2.43:4711`, `[2001:db8::17]:4711` or `2001:db8::17`.
fn node_address(node: &str) -> Option<IpAddr> {
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    node.rsplit_once(':').and_then(|(host, _port)| host.parse::<std::net::Ipv4Addr>().ok()).map(IpAddr::V4)
}

/// How many connections (or, through a trusted proxy, requests in flight) each client address holds, against a
/// share of the connection cap (`--max-connections-per-address`).
#[derive(Debug)]
pub struct AddressShares {
    share: usize,
    held: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection or request an address holds; given back when dropped.
#[derive(Debug)]
pub struct AddressHold {
    shares: Arc<AddressShares>,
    address: IpAddr,
}

impl AddressShares {
    /// At most `share` at once per address (at least one).
    pub fn new(share: usize) -> Arc<Self> {
        Arc::new(Self { share: share.max(1), held: Mutex::new(HashMap::new()) })
    }

    /// One more for `address`, or `None` when it already holds its share.
    pub fn hold(self: &Arc<Self>, address: IpAddr) -> Option<AddressHold> {
        let mut held = self.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = held.entry(address).or_insert(0);
        if *count >= self.share {
            return None;
        }
        *count += 1;
        Some(AddressHold { shares: self.clone(), address })
    }

    /// How many `address` holds now.
    pub fn held(&self, address: IpAddr) -> usize {
        let held = self.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        held.get(&address).copied().unwrap_or(0)
    }
}

impl Drop for AddressHold {
    fn drop(&mut self) {
        let mut held = self.shares.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = held.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, value.parse().expect("a header value"));
        }
        headers
    }

    fn trusted(ranges: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(ranges.iter().copied()).expect("ranges")
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let said = headers(&[("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9")]);
        assert_eq!(client_address(ip("198.51.100.1"), &said, &trusted(&["10.0.0.0/8"])), ip("198.51.100.1"));
        assert_eq!(client_address(ip("10.0.0.1"), &said, &TrustedProxies::default()), ip("10.0.0.1"));
    }

    #[test]
    fn behind_trusted_proxies_the_client_is_the_nearest_untrusted_hop_from_the_right() {
        let proxies = trusted(&["10.0.0.0/8", "192.0.2.7"]);
        // The client wrote a false first entry; the balancer (10.0.0.2) appended what it saw.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.20, 192.0.2.7")]);
        assert_eq!(client_address(ip("10.0.0.2"), &chain, &proxies), ip("198.51.100.20"));
        // Several headers make one list, in order.
        let split = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "198.51.100.20")]);
        assert_eq!(client_address(ip("10.0.0.2"), &split, &proxies), ip("198.51.100.20"));
        // Every hop trusted: the first one.
        let inside = headers(&[("x-forwarded-for", "10.1.1.1, 10.2.2.2")]);
        assert_eq!(client_address(ip("10.0.0.2"), &inside, &proxies), ip("10.1.1.1"));
        // No header: the proxy itself.
        assert_eq!(client_address(ip("10.0.0.2"), &HeaderMap::new(), &proxies), ip("10.0.0.2"));
        // Something that is not an address stops the walk at the last hop believed.
        let unknown = headers(&[("x-forwarded-for", "198.51.100.20, unknown, 10.3.3.3")]);
        assert_eq!(client_address(ip("10.0.0.2"), &unknown, &proxies), ip("10.3.3.3"));
    }

    #[test]
    fn forwarded_is_read_before_x_forwarded_for_with_ports_brackets_and_quotes() {
        let proxies = trusted(&["10.0.0.0/8"]);
        let both = headers(&[
            ("forwarded", r#"for=1.2.3.4, For="[2001:db8:cafe::17]:4711";proto=https, for="10.9.9.9:80""#),
            ("x-forwarded-for", "198.51.100.99"),
        ]);
        assert_eq!(client_address(ip("10.0.0.2"), &both, &proxies), ip("2001:db8:cafe::17"));
        let v4_port = headers(&[("forwarded", r#"for="198.51.100.5:8080";by=10.0.0.2"#)]);
        assert_eq!(client_address(ip("10.0.0.2"), &v4_port, &proxies), ip("198.51.100.5"));
        let hidden = headers(&[("forwarded", "for=_hidden, for=10.4.4.4")]);
        assert_eq!(client_address(ip("10.0.0.2"), &hidden, &proxies), ip("10.4.4.4"));
    }

    #[test]
    fn ipv4_mapped_addresses_are_the_ipv4_address() {
        let proxies = trusted(&["10.0.0.0/8"]);
        let chain = headers(&[("x-forwarded-for", "::ffff:198.51.100.20")]);
        assert_eq!(client_address(ip("::ffff:10.0.0.2"), &chain, &proxies), ip("198.51.100.20"));
    }

    #[test]
    fn ranges_parse_or_say_which_entry_is_wrong() {
        assert!(trusted(&["10.0.0.0/8", " 2001:db8::/32 ", "192.0.2.7", ""]).contains(ip("2001:db8::1")));
        assert!(!trusted(&["192.0.2.7"]).contains(ip("192.0.2.8")));
        let error = TrustedProxies::parse(["10.0.0.0/8", "proxy.example"]).expect_err("not a range");
        assert!(error.contains("'proxy.example'"), "{error}");
        assert!(TrustedProxies::parse(["10.0.0.0/33"]).is_err());
    }

    #[test]
    fn an_address_holds_at_most_its_share_and_gives_it_back() {
        let shares = AddressShares::new(2);
        let (a, b) = (ip("192.0.2.1"), ip("192.0.2.2"));
        let first = shares.hold(a).expect("one");
        let second = shares.hold(a).expect("two");
        assert!(shares.hold(a).is_none(), "a third for the same address");
        let other = shares.hold(b).expect("another address has its own share");
        drop(first);
        assert_eq!(shares.held(a), 1);
        let again = shares.hold(a).expect("given back");
        drop((second, again, other));
        assert_eq!(shares.held(a), 0);
        assert!(shares.held.lock().expect("lock").is_empty(), "no address is kept once it holds nothing");
    }
}
