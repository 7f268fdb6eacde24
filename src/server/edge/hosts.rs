//! The host names this server answers to. A page on any other name that resolves to the
//! server's address (DNS rebinding: `rebind.attacker.example` pointed at 127.0.0.1) would be
//! the same origin as itself to the browser, with the newsroom's forms in reach; such requests
//! are answered 421 before anything reads them. Answered: the public URL's host, the ones an
//! operator adds (`PORTAL_ALLOWED_HOSTS`), `localhost` when the server listens on loopback or
//! is published there, and any address written as an address (`127.0.0.1`, `[::1]`,
//! `10.0.0.5`: rebinding needs a name, and load balancers' health checks use addresses). A
//! request without a `Host` (HTTP/1.0, tests) names nothing and is answered.

use crate::error::AppError;
use axum::{
    body::Body,
    extract::State,
    http::{header, Request},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::net::IpAddr;
use std::sync::Arc;

/// The names answered (lower case, without port), and the public one for the message.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    names: Arc<Vec<String>>,
    public: Arc<str>,
}

impl AllowedHosts {
    pub fn new(config: &crate::server::config::Config) -> Self {
        Self::of(
            &config.public_url,
            config.site_addr,
            &config.allowed_hosts.0,
        )
    }

    /// The default start's (the public URL `http://127.0.0.1:3000`, on loopback).
    #[cfg(test)]
    pub fn for_tests() -> Self {
        Self::of("http://127.0.0.1:3000", ([127, 0, 0, 1], 3000).into(), &[])
    }

    fn of(public_url: &str, listen: std::net::SocketAddr, extra: &[String]) -> Self {
        let public = url::Url::parse(public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        let mut names = vec![public.clone()];
        names.extend(extra.iter().cloned());
        let public_is_local =
            public == "localhost" || name_as_address(&public).is_some_and(|ip| ip.is_loopback());
        if listen.ip().is_loopback() || public_is_local {
            names.push("localhost".into());
        }
        AllowedHosts {
            names: Arc::new(names),
            public: public.into(),
        }
    }

    /// Whether a request naming `host` (a `Host` header: name or address, maybe a port) is
    /// answered.
    pub fn answers(&self, host: &str) -> bool {
        let host = host.trim();
        let name = match host.strip_prefix('[') {
            Some(rest) => rest.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(name, port)| {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    name
                } else {
                    host
                }
            }),
        };
        let name = name.trim_end_matches('.');
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name)) || name_as_address(name).is_some()
    }
}

fn name_as_address(name: &str) -> Option<IpAddr> {
    name.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// The middleware: 421 (Misdirected Request) for a host this server does not answer to.
pub async fn layer(State(hosts): State<AllowedHosts>, req: Request<Body>, next: Next) -> Response {
    let named = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().map(|s| s.to_string()).unwrap_or_default())
        .or_else(|| req.uri().host().map(str::to_string));
    match named {
        Some(host) if !hosts.answers(&host) => AppError::Misdirected(format!(
            "This server answers to {} only (PORTAL_PUBLIC_URL; other names an operator \
                 allows are listed in PORTAL_ALLOWED_HOSTS).",
            hosts.public
        ))
        .into_response(),
        _ => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(public: &str, listen: &str, extra: &[&str]) -> AllowedHosts {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        AllowedHosts::of(public, listen.parse().unwrap(), &extra)
    }

    #[test]
    fn only_the_sites_own_names_and_addresses() {
        let h = hosts(
            "https://news.example.org",
            "0.0.0.0:3000",
            &["old.example.org"],
        );
        for good in [
            "news.example.org",
            "NEWS.example.org:443",
            "news.example.org.",
            "old.example.org",
            "10.0.0.5:3000",
            "[2001:db8::1]:3000",
            "127.0.0.1",
        ] {
            assert!(h.answers(good), "{good}");
        }
        for bad in [
            "rebind.attacker.example",
            "rebind.attacker.example:3000",
            "news.example.org.attacker.example",
            "localhost:3000",
            "",
            "news.example.org:x",
        ] {
            assert!(!h.answers(bad), "{bad}");
        }
        // Started on loopback (the demo, a developer): localhost too.
        let h = hosts("http://127.0.0.1:3000", "127.0.0.1:3000", &[]);
        assert!(h.answers("localhost:3000"));
        assert!(h.answers("127.0.0.1:3000"));
        assert!(h.answers("[::1]:3000"));
        assert!(!h.answers("rebind.attacker.example:3000"));
    }
}
