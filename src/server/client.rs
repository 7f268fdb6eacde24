//! Who is asking: the client's address, as the login throttle and the logs count it. Behind a
//! reverse proxy every connection comes from the proxy, so the address the proxy recorded is
//! used, but only when the connection comes from an address the operator listed as a proxy
//! (`PORTAL_TRUSTED_PROXIES`): anyone else can write those headers. One header is read, the
//! one the operator's proxies write (`PORTAL_CLIENT_IP_HEADER`: `X-Forwarded-For` by default,
//! as nginx, HAProxy and the cloud balancers append it; or `Forwarded`). The other is ignored:
//! a proxy passes through whatever a client wrote in a header it does not manage itself.

#[cfg(test)]
use crate::server::config::parse_trusted;
use crate::server::config::ForwardedHeader;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client of a request (its extensions and headers), as `client_ip` finds it under the
/// server's configuration; `None` without a peer address (a request made in-process).
pub fn client_of(
    extensions: &axum::http::Extensions,
    headers: &HeaderMap,
    config: &crate::server::config::Config,
) -> Option<IpAddr> {
    let peer = extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()?
        .0
        .ip();
    Some(client_ip(
        peer,
        headers,
        &config.trusted_proxies.0,
        config.client_ip_header,
    ))
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address
/// in the forwarding chain (of the one header the proxies write) that is not a trusted proxy
/// itself: the hops the trusted proxies appended, walked from the end.
pub fn client_ip(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    header: ForwardedHeader,
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut nearest = peer;
    // The chain lists the client first and each proxy after it: walk it from the end.
    for hop in forwarded_chain(headers, header).into_iter().rev() {
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

/// The addresses of the forwarding chain in `header`. `None` for an entry that is not an
/// address.
fn forwarded_chain(headers: &HeaderMap, header: ForwardedHeader) -> Vec<Option<IpAddr>> {
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
    match header {
        ForwardedHeader::Forwarded => values("forwarded")
            .iter()
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, v)| parse_node(v.trim().trim_matches('"')))
            })
            .collect(),
        ForwardedHeader::XForwardedFor => values("x-forwarded-for")
            .iter()
            .map(|s| parse_node(s))
            .collect(),
    }
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

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxies = parse_trusted("10.0.0.0/8, 192.168.1.7").unwrap();
        let xff = headers(&[("x-forwarded-for", "203.0.113.9")]);
        // A client writing the header itself is ignored.
        assert_eq!(
            client_ip(ip("198.51.100.4"), &xff, &proxies, XFF),
            ip("198.51.100.4")
        );
        assert_eq!(
            client_ip(ip("198.51.100.4"), &xff, &[], XFF),
            ip("198.51.100.4")
        );
        // Through a trusted proxy, the address it recorded.
        assert_eq!(
            client_ip(ip("10.1.2.3"), &xff, &proxies, XFF),
            ip("203.0.113.9")
        );
        // A forged first entry does not help: the nearest untrusted hop counts.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(
            client_ip(ip("192.168.1.7"), &chain, &proxies, XFF),
            ip("203.0.113.9")
        );
        // Several headers are one list.
        let split = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &split, &proxies, XFF),
            ip("203.0.113.9")
        );
        // Junk stops the walk at the last proxy.
        let junk = headers(&[("x-forwarded-for", "203.0.113.9, not-an-ip")]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &junk, &proxies, XFF),
            ip("10.0.0.1")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &HeaderMap::new(), &proxies, XFF),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn only_the_header_the_operator_chose_is_read() {
        let proxies = parse_trusted("10.0.0.0/8").unwrap();
        // nginx appends to X-Forwarded-For and passes the client's own Forwarded through.
        let h = headers(&[
            ("forwarded", "for=192.0.2.66"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &h, &proxies, XFF),
            ip("203.0.113.9")
        );
        // A proxy that writes Forwarded: that one, and X-Forwarded-For is the client's.
        let h = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.3",
            ),
            ("x-forwarded-for", "192.0.2.66"),
        ]);
        let fwd = ForwardedHeader::Forwarded;
        assert_eq!(
            client_ip(ip("10.0.0.1"), &h, &proxies, fwd),
            ip("2001:db8::17")
        );
        let hidden = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &hidden, &proxies, fwd),
            ip("10.0.0.1")
        );
        assert_eq!(ForwardedHeader::parse("Forwarded"), Ok(fwd));
        assert!(ForwardedHeader::parse("x-real-ip").is_err());
    }

    #[test]
    fn the_setting_is_checked() {
        assert_eq!(parse_trusted("").unwrap(), vec![]);
        assert_eq!(parse_trusted("::1 127.0.0.1").unwrap().len(), 2);
        assert!(parse_trusted("10.0.0.0/33").is_err());
        assert!(parse_trusted("proxy.internal").is_err());
    }
}
