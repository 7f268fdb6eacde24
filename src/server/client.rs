//! Who is asking: the client's address, as the login throttle and the logs count it. Behind a
//! reverse proxy every connection comes from the proxy, so the address the proxy recorded in
//! `Forwarded` / `X-Forwarded-For` is used, but only when the connection comes from an address
//! the operator listed as a proxy (`PORTAL_TRUSTED_PROXIES`): anyone else can write those
//! headers.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address
/// in the forwarding chain that is not a trusted proxy itself.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut nearest = peer;
    // The chain lists the client first and each proxy after it: walk it from the end.
    for hop in forwarded_chain(headers).into_iter().rev() {
        match hop {
            Some(ip) if is_trusted(&ip) => nearest = ip,
            Some(ip) => return ip,
            // Something a trusted proxy did not write (or an obfuscated "for"): stop at the
            // last address we can vouch for.
            None => return nearest,
        }
    }
    nearest
}

/// The addresses of the forwarding chain: from `Forwarded` (RFC 7239) when present, else from
/// `X-Forwarded-For`. `None` for an entry that is not an address.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, v)| parse_node(v.trim().trim_matches('"')))
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .map(|s| parse_node(s))
        .collect()
}

/// "192.0.2.1", "192.0.2.1:4711", "2001:db8::1", "[2001:db8::1]:4711".
fn parse_node(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            s.strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|r| r.parse().ok())
        })
}

/// Parses `PORTAL_TRUSTED_PROXIES`: addresses or ranges, separated by commas or spaces.
pub fn parse_trusted(s: &str) -> Result<Vec<IpNet>, String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("{p:?} is not an address or range (e.g. 10.0.0.5 or 10.0.0.0/8)")
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxies = parse_trusted("10.0.0.0/8, 192.168.1.7").unwrap();
        let xff = headers(&[("x-forwarded-for", "203.0.113.9")]);
        // A client writing the header itself is ignored.
        assert_eq!(
            client_ip(ip("198.51.100.4"), &xff, &proxies),
            ip("198.51.100.4")
        );
        assert_eq!(client_ip(ip("198.51.100.4"), &xff, &[]), ip("198.51.100.4"));
        // Through a trusted proxy, the address it recorded.
        assert_eq!(client_ip(ip("10.1.2.3"), &xff, &proxies), ip("203.0.113.9"));
        // A forged first entry does not help: the nearest untrusted hop counts.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(
            client_ip(ip("192.168.1.7"), &chain, &proxies),
            ip("203.0.113.9")
        );
        // Several headers are one list.
        let split = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &split, &proxies),
            ip("203.0.113.9")
        );
        // Junk stops the walk at the last proxy.
        let junk = headers(&[("x-forwarded-for", "203.0.113.9, not-an-ip")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &junk, &proxies), ip("10.0.0.1"));
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &HeaderMap::new(), &proxies),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn the_standard_forwarded_header_wins() {
        let proxies = parse_trusted("10.0.0.0/8").unwrap();
        let h = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.3",
            ),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("2001:db8::17"));
        let hidden = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &hidden, &proxies), ip("10.0.0.1"));
    }

    #[test]
    fn the_setting_is_checked() {
        assert_eq!(parse_trusted("").unwrap(), vec![]);
        assert_eq!(parse_trusted("::1 127.0.0.1").unwrap().len(), 2);
        assert!(parse_trusted("10.0.0.0/33").is_err());
        assert!(parse_trusted("proxy.internal").is_err());
    }
}
