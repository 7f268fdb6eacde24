//! Hostile input against every server function, page and the upload: markup and script,
//! SQL and path tricks, control characters, malformed encodings, wrong types, truncated and
//! oversized bodies, broken multipart. Every answer must be a 4xx that says something, or a
//! harmless 200 — never a 5xx — for an anonymous visitor and for an admin alike.
#![cfg(feature = "ssr")]

mod common;

use axum::{
    body::Body,
    http::{header, Method, Request},
};
use common::{app_with, cookie_of, Res, TestApp};
use portal::demo::DEMO_USERS;

const TEXTS: [&str; 12] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "'; DROP TABLE articles; --",
    "../../../../etc/passwd",
    "%00%ZZ%",
    "\u{0}\u{1}\u{202e}\u{feff}",
    "NEAR(\"a\" \"b\") AND OR NOT *^:",
    "-1",
    "99999999999999999999999",
    "{{7*7}}${7*7}",
    "ж😀\u{0301}",
];

/// The fields any function might read, for query strings and forms.
const KEYS: [&str; 12] = [
    "id",
    "slug",
    "q",
    "page",
    "category",
    "before",
    "revision_id",
    "base_version",
    "email",
    "password",
    "next",
    "body",
];

fn enc(s: &str) -> String {
    portal::model::encode_query_value(s)
}

fn check(what: &str, res: &Res) {
    assert!(
        !res.status.is_server_error(),
        "{what}: {} {}",
        res.status,
        &res.body[..res.body.len().min(300)]
    );
    if res.status.is_client_error() {
        assert!(
            !res.body.trim().is_empty(),
            "{what}: {} without a message",
            res.status
        );
    }
}

async fn send(
    app: &TestApp,
    method: Method,
    uri: &str,
    ct: Option<&str>,
    body: Vec<u8>,
    cookie: Option<&str>,
) -> Res {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(ct) = ct {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

async fn admin_cookie(app: &TestApp) -> String {
    let (email, _, _, password) = DEMO_USERS[2];
    let body = format!("email={}&password={}", enc(email), enc(password));
    let res = app.post_form("/api/admin/login", &body, None).await;
    cookie_of(&res).expect("an admin session")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hostile_input_makes_a_server_function_fail() {
    let app = app_with(&[]).await;
    let admin = admin_cookie(&app).await;
    let long = "x".repeat(300_000);
    let mut texts: Vec<&str> = TEXTS.to_vec();
    texts.push(&long);
    for (path, content_type) in portal::api::body_types() {
        // Logging out mid-corpus would end the admin's session.
        if path.contains("logout") {
            continue;
        }
        let is_get = leptos::server_fn::axum::server_fn_paths()
            .any(|(p, method)| p == path && method == Method::GET);
        for who in [None, Some(admin.as_str())] {
            for text in &texts {
                let query: String = KEYS
                    .iter()
                    .map(|k| format!("{k}={}", enc(text)))
                    .collect::<Vec<_>>()
                    .join("&");
                let what = format!("{path} with {:?}", &text[..text.len().min(40)]);
                if is_get {
                    // (An address has a length limit of its own: a long text is cut to 8 KB.)
                    let query: String = query.chars().take(8_000).collect();
                    let res = send(
                        &app,
                        Method::GET,
                        &format!("{path}?{query}"),
                        None,
                        vec![],
                        who,
                    )
                    .await;
                    check(&what, &res);
                } else if content_type == "application/json" {
                    let mut object = serde_json::Map::new();
                    for k in KEYS {
                        object.insert(k.into(), serde_json::Value::String(text.to_string()));
                    }
                    let body = serde_json::Value::Object(object).to_string().into_bytes();
                    let res = send(&app, Method::POST, path, Some(content_type), body, who).await;
                    check(&what, &res);
                } else {
                    let res = send(
                        &app,
                        Method::POST,
                        path,
                        Some(content_type),
                        query.into_bytes(),
                        who,
                    )
                    .await;
                    check(&what, &res);
                }
            }
            // Bodies that are not what anyone would send.
            let nested = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
            let bodies: Vec<Vec<u8>> = vec![
                vec![],
                b"{".to_vec(),
                b"null".to_vec(),
                b"[1,2,3]".to_vec(),
                b"{\"id\": {\"$gt\": 0}, \"form\": 7}".to_vec(),
                nested.into_bytes(),
                vec![0xff, 0xfe, 0x00, 0xc3, 0x28],
                b"id=%ZZ&&&=&page=%".to_vec(),
                vec![b'a'; 3 * 1024 * 1024],
            ];
            for body in bodies {
                let what = format!("{path} with a {}-byte odd body", body.len());
                let method = if is_get { Method::GET } else { Method::POST };
                let uri = if is_get {
                    format!("{path}?%ZZ=%&id=")
                } else {
                    path.to_string()
                };
                let res = send(&app, method, &uri, Some(content_type), body, who).await;
                check(&what, &res);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hostile_address_makes_a_page_fail() {
    let app = app_with(&[]).await;
    for text in TEXTS {
        let e = enc(text);
        for uri in [
            format!("/search?q={e}&page={e}"),
            format!("/?category={e}"),
            format!("/category/{e}"),
            format!("/category/tech/page/{e}"),
            format!("/article/{e}"),
            format!("/category/{e}/feed.xml"),
            format!("/sitemaps/{e}"),
            format!("/media/{e}"),
            format!("/admin/login?next={e}"),
        ] {
            let res = app.get(&uri).await;
            check(&uri, &res);
            // What a reader typed is never markup on the page.
            assert!(!res.body.contains("<script>alert(1)"), "{uri}");
            assert!(!res.body.contains("<img src=x onerror"), "{uri}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_uploads_are_refused_with_a_message() {
    let app = app_with(&[]).await;
    let admin = admin_cookie(&app).await;
    let cases: Vec<(Option<&str>, Vec<u8>)> = vec![
        (None, b"not multipart".to_vec()),
        (Some("multipart/form-data"), b"--x\r\n".to_vec()),
        (Some("multipart/form-data; boundary=x"), b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc".to_vec()),
        (Some("multipart/form-data; boundary=x"), b"--x--\r\n".to_vec()),
        (
            Some("multipart/form-data; boundary=x"),
            b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG\r\n\x1a\n garbage\r\n--x--\r\n".to_vec(),
        ),
        (Some("text/plain"), b"hello".to_vec()),
    ];
    for (ct, body) in cases {
        let res = send(
            &app,
            Method::POST,
            "/api/admin/media",
            ct,
            body,
            Some(&admin),
        )
        .await;
        assert!(
            res.status.is_client_error(),
            "{ct:?}: {} {}",
            res.status,
            res.body
        );
        assert!(!res.body.trim().is_empty());
    }
}
