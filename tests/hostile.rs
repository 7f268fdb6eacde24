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
    app.login(common::ADMIN).await
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

/// A request with these headers (and a body, for a POST).
fn request(method: Method, uri: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::from(body.to_string())).unwrap()
}

fn login_form(who: usize, next: &str) -> String {
    let (email, _, _, password) = DEMO_USERS[who];
    format!(
        "email={}&password={}&next={}",
        enc(email),
        enc(password),
        enc(next)
    )
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_sites_own_host_names_are_answered() {
    let app = app_with(&[]).await;
    // A page on rebind.attacker.example, its name pointed at 127.0.0.1 (DNS rebinding), is
    // the same origin as itself to the browser: Origin and Host agree, and both are wrong.
    let rebound = [
        ("host", "rebind.attacker.example:3000"),
        ("origin", "http://rebind.attacker.example:3000"),
        ("content-type", FORM),
    ];
    let res = app
        .send(request(
            Method::POST,
            "/api/admin/login",
            &rebound,
            &login_form(0, "/admin"),
        ))
        .await;
    assert_eq!(res.status.as_u16(), 421, "{}", res.body);
    assert!(res.body.contains("answers to"), "{}", res.body);
    // The same shape as every other refusal: {"kind": …, "error": …}.
    assert!(
        res.body.starts_with(r#"{"kind":"Misdirected","error":"#),
        "{}",
        res.body
    );
    assert!(cookie_of(&res).is_none());
    let res = app.send(request(Method::GET, "/", &rebound[..1], "")).await;
    assert_eq!(res.status.as_u16(), 421, "{}", res.body);
    // The site's own names and any address are answered (a loopback start: localhost too).
    for host in ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "10.0.0.5"] {
        let res = app
            .send(request(Method::GET, "/", &[("host", host)], ""))
            .await;
        assert_eq!(res.status.as_u16(), 200, "{host}");
    }
    let res = app
        .send(request(
            Method::POST,
            "/api/admin/login",
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000"),
                ("content-type", FORM),
            ],
            &login_form(0, "/admin"),
        ))
        .await;
    assert!(cookie_of(&res).is_some(), "{} {}", res.status, res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_in_with_a_control_character_in_next_goes_to_the_newsroom() {
    let app = app_with(&[]).await;
    for next in [
        "/admin\u{1}",
        "/admin\r\nSet-Cookie: x=1",
        "/admin/articles\u{7f}",
    ] {
        let res = app
            .send(request(
                Method::POST,
                "/api/admin/login",
                &[("content-type", FORM), ("accept", "text/html")],
                &login_form(0, next),
            ))
            .await;
        check(next, &res);
        assert_eq!(res.status.as_u16(), 303, "{next:?}: {}", res.body);
        assert_eq!(res.headers[header::LOCATION], "/admin", "{next:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_markdown_is_refused_before_it_costs_anything() {
    let app = std::sync::Arc::new(app_with(&[]).await);
    let author = {
        let res = app
            .post_form("/api/admin/login", &login_form(1, "/admin"), None)
            .await;
        cookie_of(&res).expect("an author's session")
    };
    let preview = |app: std::sync::Arc<TestApp>, body: String, cookie: String| async move {
        let json = serde_json::json!({ "body": body }).to_string();
        send(
            &app,
            Method::POST,
            "/api/admin/preview",
            Some("application/json"),
            json.into_bytes(),
            Some(&cookie),
        )
        .await
    };
    // Four authors preview 60,000 nested quotes at once while a reader opens the home page.
    let quotes = format!("{}deep", ">".repeat(60_000));
    let mut previews = vec![];
    for _ in 0..4 {
        previews.push(tokio::spawn(preview(
            app.clone(),
            quotes.clone(),
            author.clone(),
        )));
    }
    let home = app.get("/").await;
    assert_eq!(home.status.as_u16(), 200);
    for p in previews {
        let res = p.await.unwrap();
        assert_eq!(
            res.status.as_u16(),
            400,
            "{}",
            &res.body[..res.body.len().min(200)]
        );
        assert!(res.body.contains("levels deep"), "{}", res.body);
    }
    // Nested lists, nested links and emphasis: each refused, or rendered at once.
    for bomb in [
        format!("{}x", "- ".repeat(30_000)),
        format!("{}x", "1. ".repeat(30_000)),
        format!("{}x{}", "[".repeat(30_000), "](/a)".repeat(30_000)),
        format!("{}x{}", "*_".repeat(20_000), "_*".repeat(20_000)),
    ] {
        let res = preview(app.clone(), bomb.clone(), author.clone()).await;
        check(&bomb[..12], &res);
        if res.status.as_u16() == 400 {
            assert!(res.body.contains("levels deep"), "{}", res.body);
        }
    }
    // A body a person writes, quotes in a list in a quote, is previewed as usual.
    let res = preview(
        app.clone(),
        "> - > *quoted* in a list".into(),
        author.clone(),
    )
    .await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.body);
    assert!(res.body.contains("<blockquote>"), "{}", res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn addresses_are_read_as_a_browser_reads_them() {
    let app = app_with(&[]).await;
    let editor = admin_cookie(&app).await;
    // Images: a tab or a backslash after the first slash leaves the site in a browser.
    let body = "![tab](/&#9;/evil.example/p.png)\n\n![slash](/\\evil.example/q.png)\n\n\
                ![nl](/&#10;/evil.example/r.png)\n\n![ours](/media/demo/harbour.svg)";
    let json = serde_json::json!({ "body": body }).to_string();
    let res = send(
        &app,
        Method::POST,
        "/api/admin/preview",
        Some("application/json"),
        json.into_bytes(),
        Some(&editor),
    )
    .await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.body);
    let html: String = serde_json::from_str(&res.body).unwrap();
    let sources: Vec<&str> = html
        .split("<img src=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(sources, vec!["/media/demo/harbour.svg"], "{html}");
    // Redirects: a target that reads as another site is never sent, even from the table.
    for (from, to) in [
        ("/probe-tab", "/\t/evil.example"),
        ("/probe-slash", "/\\evil.example"),
    ] {
        app.exec(&format!(
            "INSERT INTO redirects (from_path, to_path, source, created_at) \
             VALUES ('{from}', '{to}', 'manual', 0)"
        ))
        .await;
        let res = app.get(from).await;
        assert_eq!(
            res.status.as_u16(),
            404,
            "{from} -> {:?}",
            res.headers.get(header::LOCATION)
        );
    }
    app.exec(
        "INSERT INTO redirects (from_path, to_path, source, created_at) \
         VALUES ('/probe-good', '/category/tech', 'manual', 0)",
    )
    .await;
    let res = app.get("/probe-good").await;
    assert_eq!(res.status.as_u16(), 301);
    assert_eq!(res.headers[header::LOCATION], "/category/tech");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_and_the_session_layer_read_one_session_cookie() {
    let app = app_with(&[]).await;
    let editor = admin_cookie(&app).await;
    let (name, id) = editor.split_once('=').unwrap();
    app.get("/").await;
    assert_eq!(app.get("/").await.headers["x-cache"], "hit");
    // The same session, its first character percent-encoded: logged in for both.
    let encoded = format!("{name}=%{:02X}{}", id.as_bytes()[0], &id[1..]);
    let who = app.get_as("/api/admin/whoami", Some(&encoded)).await;
    assert!(who.body.contains("Demo Admin"), "{}", who.body);
    let home = app.get_as("/", Some(&encoded)).await;
    assert!(
        home.headers.get("x-cache").is_none(),
        "served from the cache"
    );
    assert_ne!(
        home.headers[header::CACHE_CONTROL],
        portal::server::edge::cache::PUBLIC_PAGE
    );
    // Sent twice, the last one counts, for both: here a made-up one, so nobody.
    let twice = [
        ("cookie", editor.as_str()),
        ("cookie", "portal_session=made-up"),
    ];
    let who = app
        .send(request(Method::GET, "/api/admin/whoami", &twice, ""))
        .await;
    assert_eq!(who.body.trim(), "null", "{}", who.body);
    let home = app.send(request(Method::GET, "/", &twice, "")).await;
    assert_eq!(home.headers["x-cache"], "hit");
}

/// The inline scripts of a page (those without `src`), exactly as written.
fn inline_scripts(html: &str) -> Vec<&str> {
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let tag_end = rest.find('>')?;
            let tag = &rest[..tag_end];
            if tag.contains(" src=") || tag.contains("application/ld+json") {
                return None;
            }
            let body = &rest[tag_end + 1..];
            Some(&body[..body.find("</script>")?])
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pages_allow_their_inline_scripts_by_hash_not_a_shared_nonce() {
    use portal::server::headers::script_hash;
    let app = app_with(&[]).await;
    for uri in ["/", "/category/tech", "/no/such/page"] {
        let first = app.get(uri).await;
        let again = app.get(uri).await;
        assert_eq!(again.headers["x-cache"], "hit", "{uri}");
        for res in [&first, &again] {
            let csp = res.headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap();
            assert!(!csp.contains("nonce-"), "{uri}: {csp}");
            assert!(!res.body.contains(" nonce="), "{uri}");
            let scripts = inline_scripts(&res.body);
            assert!(
                scripts.len() >= 3,
                "{uri}: the theme, the loader, Leptos' resources"
            );
            for script in scripts {
                assert!(
                    csp.contains(&script_hash(script)),
                    "{uri}: {script:.60} not in {csp}"
                );
            }
        }
    }
    // The newsroom is never cached: a new nonce for every answer.
    let nonce = |res: &Res| {
        let csp = res.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        csp.split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string()
    };
    let a = app.get("/admin/login").await;
    let b = app.get("/admin/login").await;
    assert_ne!(nonce(&a), nonce(&b));
}
