//! Addresses read the way browsers read them (the WHATWG URL standard, through the `url`
//! crate), before anything decides whether one stays on this site. A browser drops tabs and
//! newlines from an address and reads `\` as `/`: `/\t/evil.example/p.png` and `/\evil.example`
//! both leave the site (`//evil.example/…`), though they start with one `/`.

use url::Url;

/// A stand-in origin to resolve relative addresses against: which host it names does not
/// matter, only whether an address stays on it.
const BASE: &str = "https://portal.invalid/";

/// Where an address leads, as a browser on one of this site's pages would follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page of this site: its path with query and fragment, normalised (`/a/b?c#d`).
    Local(String),
    /// An absolute address elsewhere, as written out by the URL parser.
    Elsewhere(Url),
}

/// `None` when the address cannot be read, or when it is written as a relative one (no
/// scheme) but leaves the site: nobody writing `/\host` or `//host` meant another site.
pub fn resolve(address: &str) -> Option<Target> {
    match Url::parse(address) {
        Ok(url) => Some(Target::Elsewhere(url)),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let base = Url::parse(BASE).expect("a valid base");
            let url = base.join(address).ok()?;
            if url.origin() != base.origin() {
                return None;
            }
            let mut local = url.path().to_string();
            if let Some(q) = url.query() {
                local.push('?');
                local.push_str(q);
            }
            if let Some(f) = url.fragment() {
                local.push('#');
                local.push_str(f);
            }
            Some(Target::Local(local))
        }
        Err(_) => None,
    }
}

/// Whether the address is an `http(s)` one on `host` (no user name or password in it).
pub fn is_web_address_on(url: &Url, hosts: &[String]) -> bool {
    matches!(url.scheme(), "https" | "http")
        && url.username().is_empty()
        && url.password().is_none()
        && url
            .host_str()
            .is_some_and(|h| hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(h)))
}

/// Where article images may come from besides the portal's own media: host names, as the
/// operator listed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageHosts(pub Vec<String>);

impl ImageHosts {
    /// An address of the portal itself ("/media/…"), or an https/http address on an allowed
    /// host, as a browser reads it (`weburl`).
    pub fn allows(&self, url: &str) -> bool {
        match resolve(url) {
            Some(Target::Local(_)) => true,
            Some(Target::Elsewhere(url)) => is_web_address_on(&url, &self.0),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> Option<Target> {
        Some(Target::Local(s.to_string()))
    }

    #[test]
    fn addresses_that_stay_on_the_site() {
        assert_eq!(resolve("/media/a.webp"), local("/media/a.webp"));
        assert_eq!(resolve("/a/../b?x=1#top"), local("/b?x=1#top"));
        assert_eq!(resolve("media/a.webp"), local("/media/a.webp"));
    }

    #[test]
    fn addresses_a_browser_reads_as_another_site() {
        for hostile in [
            "//evil.example/p.png",
            "/\t/evil.example/p.png",
            "/\\evil.example",
            "\\\\evil.example",
            "/\n/evil.example",
            " //evil.example",
        ] {
            assert_eq!(resolve(hostile), None, "{hostile:?}");
        }
        let Some(Target::Elsewhere(url)) = resolve("https://photos.example.org/a.jpg") else {
            panic!("absolute");
        };
        assert!(is_web_address_on(&url, &["photos.example.org".into()]));
        assert!(!is_web_address_on(&url, &["example.org".into()]));
        let Some(Target::Elsewhere(url)) = resolve("https://u:p@photos.example.org/a.jpg") else {
            panic!("absolute");
        };
        assert!(!is_web_address_on(&url, &["photos.example.org".into()]));
        let Some(Target::Elsewhere(url)) = resolve("javascript:alert(1)") else {
            panic!("absolute");
        };
        assert!(!is_web_address_on(&url, &["alert(1)".into()]));
    }
}
