//! Headers the server writes that more than one layer needs: the Content-Security-Policy of a
//! page (and the hashes of its inline scripts), the security headers of every answer, request
//! ids. The middleware (`http`) and the page cache (`cache`, which keeps them with a page)
//! both write them from here.

use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};

/// The Content-Security-Policy of an HTML page: scripts from the site and the inline ones
/// `scripts` allows (their hashes, or this render's nonce), WebAssembly, images from the site
/// and the hosts an operator allowed, no plugins, no framing, no foreign form targets. Under
/// `cargo leptos watch` the live-reload socket is allowed too.
pub fn content_security_policy(scripts: &str, config: &crate::server::config::Config) -> String {
    let images: String = config
        .image_hosts
        .0
        .iter()
        .map(|h| format!(" https://{h}"))
        .collect();
    let reload = if std::env::var_os("LEPTOS_WATCH").is_some() {
        " ws: wss:"
    } else {
        ""
    };
    format!(
        "default-src 'self'; script-src 'self' {scripts} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:{images}; font-src 'self'; \
         connect-src 'self'{reload}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// A CSP source allowing the inline script with exactly this text (`'sha256-…'`).
pub fn script_hash(script: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Anything that is not a page renders nothing in a browser.
const NOT_A_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The security headers an answer with these headers and this status carries (each unless it
/// is set already): the middleware's, and what the page cache keeps with a page.
pub fn add_security_headers(headers: &mut HeaderMap, status: StatusCode, https: bool) {
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut set = |name: &'static str, value: &'static str| {
        headers
            .entry(header::HeaderName::from_static(name))
            .or_insert(HeaderValue::from_static(value));
    };
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "strict-origin-when-cross-origin");
    // Pages set their own policy (naming their scripts); anything else that has a body gets
    // the strictest. (Never on a 304: the browser would put it on the page it keeps.)
    if !is_page && status != StatusCode::NOT_MODIFIED {
        set("content-security-policy", NOT_A_PAGE_POLICY);
    }
    if https {
        set("strict-transport-security", "max-age=31536000");
    }
}

/// Request ids: UUID-shaped (version 4), from a fast generator. They name a request in the
/// logs; they are no secret, so a system call for randomness per request is not worth it.
#[derive(Clone, Copy, Default)]
pub struct RequestIds;

impl RequestIds {
    /// A random (version 4) UUID, written without a single allocation but the value's own:
    /// every answer gets one, cache hits included.
    pub fn next() -> HeaderValue {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut bytes = fastrand::u128(..).to_be_bytes();
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let mut id = [b'-'; 36];
        let mut at = 0;
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                at += 1;
            }
            id[at] = HEX[usize::from(b >> 4)];
            id[at + 1] = HEX[usize::from(b & 0x0f)];
            at += 2;
        }
        HeaderValue::from_bytes(&id).expect("hex and dashes")
    }
}

impl tower_http::request_id::MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<tower_http::request_id::RequestId> {
        Some(tower_http::request_id::RequestId::new(Self::next()))
    }
}

#[cfg(test)]
mod tests {
    use super::RequestIds;

    #[test]
    fn request_ids_are_version_4_uuids() {
        let a = RequestIds::next();
        let a = a.to_str().unwrap();
        assert_eq!(a.len(), 36, "{a}");
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{a}"
        );
        assert!(a
            .bytes()
            .all(|b| b == b'-' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(groups[2].starts_with('4'), "version 4: {a}");
        assert!(
            matches!(&groups[3][..1], "8" | "9" | "a" | "b"),
            "RFC 4122 variant: {a}"
        );
        assert_ne!(RequestIds::next(), RequestIds::next());
    }
}
