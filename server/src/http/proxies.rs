//! Which address a request comes from when reverse proxies stand in front: `X-Forwarded-For`
//! is read only when the connection comes from a proxy the operator listed
//! (`LIAISON_TRUSTED_PROXIES`), never otherwise (anyone can send the header). Behind a proxy
//! without the setting, every client would share the proxy's address: one client's failed
//! sign-ins would slow everyone's.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// Addresses and networks (`10.0.0.0/8`, `::1`) whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// A comma-separated list of addresses and networks; an error names the one it cannot read.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut networks = Vec::new();
        for item in list
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let (address, prefix) = match item.split_once('/') {
                Some((address, prefix)) => (address, Some(prefix)),
                None => (item, None),
            };
            let address: IpAddr = address
                .parse()
                .map_err(|_| format!("{item} is not an IP address or network"))?;
            let bits = if address.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                Some(prefix) => prefix
                    .parse::<u8>()
                    .ok()
                    .filter(|p| *p <= bits)
                    .ok_or_else(|| format!("{item} has no valid prefix length"))?,
                None => bits,
            };
            networks.push((address, prefix));
        }
        Ok(Self(networks))
    }

    /// Whether `address` is a listed proxy; an IPv4-mapped IPv6 address (a server bound to
    /// `[::]` sees IPv4 peers so) counts as its IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0
            .iter()
            .any(|&(network, prefix)| within(address, network.to_canonical(), prefix))
    }

    /// The client's address: `peer` itself, unless `peer` is a trusted proxy; then the nearest
    /// address in `X-Forwarded-For` (read from the right) that is not one.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let mut client = peer;
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.into_iter().rev() {
            let Ok(address) = hop.parse::<IpAddr>() else {
                // Not an address: what lies further left cannot be believed either.
                break;
            };
            client = address.to_canonical();
            if !self.contains(address) {
                break;
            }
        }
        client
    }
}

fn within(address: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, ::1").unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let proxy: IpAddr = "10.1.2.3".parse().unwrap();
        let headers = forwarded("198.51.100.1, 203.0.113.7, 10.9.9.9");
        assert_eq!(proxies.client_address(proxy, &headers), client);
        assert_eq!(
            proxies.client_address(client, &headers),
            client,
            "not from a proxy: the header is ignored"
        );
        assert_eq!(proxies.client_address(proxy, &HeaderMap::new()), proxy);
        assert_eq!(
            proxies.client_address(proxy, &forwarded("nonsense, 203.0.113.7")),
            client
        );
        assert_eq!(
            TrustedProxies::default().client_address(proxy, &headers),
            proxy,
            "no setting: never read"
        );
    }

    #[test]
    fn networks_are_read_and_matched_by_prefix() {
        let proxies = TrustedProxies::parse("192.168.0.0/16,2001:db8::/32").unwrap();
        assert!(proxies.contains("192.168.40.1".parse().unwrap()));
        assert!(!proxies.contains("192.169.0.1".parse().unwrap()));
        assert!(proxies.contains("2001:db8::5".parse().unwrap()));
        assert!(!proxies.contains("2001:db9::5".parse().unwrap()));
        let ten = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert!(
            ten.contains("::ffff:10.1.2.3".parse().unwrap()),
            "an IPv4-mapped peer"
        );
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
    }
}
