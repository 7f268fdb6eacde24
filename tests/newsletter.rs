//! The newsletter end to end: the real router, a real SMTP server on loopback
//! (`scripts/smtp-sink.py`, Debian's python3-aiosmtpd), the mails read back as a mail program
//! would. Runs on SQLite, and on PostgreSQL when the test command asks (two servers sending
//! the same digests at once).

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app_with, TestApp};
use portal::model::newsletter::Frequency;
use portal::server::dates::{self, Clock};
use portal::server::newsletter::{period_of, Newsletter, LEASE};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The SMTP server, stopped when dropped.
struct Sink {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Sink {
    fn start() -> Sink {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/smtp-sink.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 (Debian's, with python3-aiosmtpd: scripts/setup.sh --services)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                panic!("the SMTP sink did not start ({line:?}); install python3-aiosmtpd")
            });
        Sink { child, dir, port }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far, oldest first.
    fn mails(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn app(sink: &Sink) -> TestApp {
    app_with(&[
        ("PORTAL_SMTP_URL", &sink.url()),
        (
            "PORTAL_SMTP_FROM",
            "The Daily Meridian <news@meridian.example>",
        ),
        ("PORTAL_SMTP_RATE", "1000"),
    ])
    .await
}

struct Read {
    to: String,
    subject: String,
    text: String,
    html: String,
    unsubscribe: String,
    unsubscribe_post: String,
}

fn read(raw: &[u8]) -> Read {
    let m = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a mail");
    let header = |name: &str| m.header_raw(name).unwrap_or_default().trim().to_string();
    Read {
        to: header("X-Envelope-To"),
        subject: m.subject().unwrap_or_default().to_string(),
        text: m.body_text(0).unwrap_or_default().to_string(),
        html: m.body_html(0).unwrap_or_default().to_string(),
        unsubscribe: header("List-Unsubscribe"),
        unsubscribe_post: header("List-Unsubscribe-Post"),
    }
}

/// The token in a link of the mail's text (`…?token=…`).
fn token_in(text: &str, path: &str) -> String {
    let at = text
        .find(path)
        .unwrap_or_else(|| panic!("{path} in {text}"));
    let rest = &text[at..];
    let start = rest.find("token=").unwrap() + "token=".len();
    rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn location(res: &common::Res) -> String {
    res.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn subscribe(app: &TestApp, body: &str) -> common::Res {
    app.post_form("/newsletter/api/subscribe", body, None).await
}

/// The newsletter service of `app`'s state, at a given time.
fn newsletter_at(app: &TestApp, state: &portal::server::state::AppState, now: i64) -> Newsletter {
    Newsletter::new(
        app.pool.clone(),
        state.mailer.clone(),
        app.config.timezone,
        &app.config.public_url,
        &app.config.site_name,
        Clock::fixed(now),
    )
}

#[tokio::test]
async fn signing_up_confirming_a_digest_and_the_one_click_unsubscribe() {
    let sink = Sink::start();
    let app = app(&sink).await;

    // The footer offers it, and the page.
    let home = app.get("/").await;
    assert!(home.body.contains(r#"action="/newsletter/api/subscribe""#));
    let page = app.get("/newsletter").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers.get(header::CACHE_CONTROL).unwrap(),
        "private, no-store"
    );

    let res = subscribe(
        &app,
        "email=Reader%40Example.org&frequency=daily&section=world&section=tech",
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(location(&res), "/newsletter?done=check-inbox");
    let page = app.get(&location(&res)).await;
    assert!(
        page.body.contains("we sent a mail with a link to confirm"),
        "{}",
        page.body
    );

    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "one confirmation mail");
    let confirm = read(&mails[0]);
    assert_eq!(confirm.to, "reader@example.org");
    assert!(
        confirm.subject.starts_with("Confirm your subscription"),
        "{}",
        confirm.subject
    );
    assert!(
        confirm.html.contains("/newsletter/confirm?token="),
        "{}",
        confirm.html
    );
    assert_eq!(confirm.unsubscribe_post, "List-Unsubscribe=One-Click");
    assert!(confirm
        .unsubscribe
        .starts_with("<http://127.0.0.1:3000/newsletter/api/unsubscribe?token="));
    let token = token_in(&confirm.text, "/newsletter/confirm?token=");
    assert!(token.len() >= 32, "{token}");

    // Opening the link (as a mail scanner does) confirms nothing.
    let opened = app.get(&format!("/newsletter/confirm?token={token}")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains("reader@example.org"));
    assert!(opened.body.contains(r#"action="/newsletter/api/confirm""#));
    assert_eq!(
        app.texts("SELECT status FROM subscribers").await,
        vec!["pending".to_string()]
    );
    // Asking again sends nothing more to an address not confirmed.
    let again = subscribe(&app, "email=reader%40example.org").await;
    assert_eq!(location(&again), "/newsletter?done=check-inbox");
    assert_eq!(sink.mails().len(), 1);

    // The button.
    let res = app
        .post_form("/newsletter/api/confirm", &format!("token={token}"), None)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        format!("/newsletter/manage?token={token}&done=confirmed")
    );
    assert_eq!(
        app.texts("SELECT status || ' ' || frequency || ' ' || sections FROM subscribers")
            .await,
        vec!["confirmed daily world,tech".to_string()]
    );
    let manage = app.get(&location(&res)).await;
    assert!(
        manage.body.contains("Confirmed: your first digest"),
        "{}",
        manage.body
    );

    // Nothing new since they confirmed: no digest.
    let now = dates::now();
    let report = app.state.newsletter().run(true).await.unwrap();
    assert_eq!((report.sent, report.skipped), (0, 1), "{report}");
    assert_eq!(sink.mails().len(), 1);

    // A World article published since: the digest has it (and not the Politics one).
    app.exec(&format!(
        "UPDATE subscribers SET last_digest_at = {}",
        now - 3600
    ))
    .await;
    let world = app
        .texts("SELECT a.slug FROM articles a JOIN categories c ON c.id = a.category_id WHERE c.slug = 'world' AND a.status = 'published' ORDER BY a.id LIMIT 1")
        .await
        .remove(0);
    let politics = app
        .texts("SELECT a.slug FROM articles a JOIN categories c ON c.id = a.category_id WHERE c.slug = 'politics' AND a.status = 'published' ORDER BY a.id LIMIT 1")
        .await
        .remove(0);
    app.exec(&format!(
        "UPDATE articles SET published_at = {} WHERE slug IN ('{world}', '{politics}')",
        now - 60
    ))
    .await;
    let report = app.state.newsletter().run(true).await.unwrap();
    assert_eq!(report.sent, 1, "{report}");
    let mails = sink.mails();
    assert_eq!(mails.len(), 2);
    let digest = read(&mails[1]);
    assert_eq!(digest.to, "reader@example.org");
    assert!(
        digest.html.contains(&format!("/article/{world}")),
        "{}",
        digest.html
    );
    assert!(!digest.html.contains(&format!("/article/{politics}")));
    assert!(digest
        .text
        .contains(&format!("http://127.0.0.1:3000/article/{world}")));
    assert!(!digest.html.contains("<img"), "no tracking pixels");
    assert!(digest
        .html
        .contains(&format!("/newsletter/manage?token={token}")));
    // Once per period: asking again sends nothing.
    let report = app.state.newsletter().run(true).await.unwrap();
    assert_eq!(report.sent, 0, "{report}");
    assert_eq!(sink.mails().len(), 2);

    // The one-click unsubscribe, as a mail program posts it (no cookie, no browser headers).
    let unsubscribe = digest.unsubscribe.trim_matches(['<', '>']);
    let path = unsubscribe.trim_start_matches("http://127.0.0.1:3000");
    let res = app
        .post_form(path, "List-Unsubscribe=One-Click", None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM subscribers").await, 0);
    // The link, now gone, says so with a 404.
    let gone = app.get(&format!("/newsletter/manage?token={token}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_addresses_refusals_and_temporary_failures() {
    let sink = Sink::start();
    let app = app(&sink).await;

    for (body, error) in [
        ("email=not-an-address", "email"),
        ("email=a%40b.example&frequency=hourly", "frequency"),
        ("email=a%40b.example&section=no-such-section", "section"),
        ("email=a%40b.example%0D%0ABcc%3A%20x%40y.example", "email"),
    ] {
        let res = subscribe(&app, body).await;
        assert_eq!(
            location(&res),
            format!("/newsletter?error={error}"),
            "{body}"
        );
    }
    // The page that says it answers with the status of the problem.
    assert_eq!(
        app.get("/newsletter?error=email").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/newsletter?error=refused").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let long = format!("email={}", "a".repeat(20_000));
    assert_eq!(
        subscribe(&app, &long).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    // Refused for good by the mail server: nothing kept.
    let res = subscribe(&app, "email=bounce-me%40example.org").await;
    assert_eq!(location(&res), "/newsletter?error=refused");
    assert_eq!(app.count("SELECT count(*) FROM subscribers").await, 0);

    // Refused for now twice, then taken: retried with backoff.
    let res = subscribe(&app, "email=tempfail%40example.org").await;
    assert_eq!(location(&res), "/newsletter?done=check-inbox");
    assert_eq!(sink.mails().len(), 1);

    // Digests: a confirmed address the server refuses is marked and not mailed again; an
    // address the server keeps deferring stops the run, and its digest waits for the lease.
    let now = dates::now();
    app.exec(&format!(
        "INSERT INTO subscribers (email, token, status, frequency, created_at, confirmed_at, last_digest_at) VALUES \
         ('bounce-later@example.org', 'tokenbouncetokenbouncetokenbounce01', 'confirmed', 'daily', {t}, {t}, {t}), \
         ('down@example.org', 'tokendowntokendowntokendowntokendown1', 'confirmed', 'daily', {t}, {t}, {t})",
        t = now - 3600
    ))
    .await;
    app.exec(&format!(
        "UPDATE articles SET published_at = {} WHERE id = (SELECT min(id) FROM articles WHERE status = 'published' AND page_path IS NULL)",
        now - 60
    ))
    .await;
    let report = newsletter_at(&app, &app.state, now)
        .run(true)
        .await
        .unwrap();
    assert_eq!(report.bounced, 1, "{report}");
    assert!(report.stopped.is_some(), "{report}");
    assert_eq!(
        app.texts("SELECT status FROM subscribers WHERE email = 'bounce-later@example.org'")
            .await,
        vec!["bounced".to_string()]
    );
    // Within the lease nobody takes the deferred one over; after it, a run does.
    let report = newsletter_at(&app, &app.state, now + 10)
        .run(true)
        .await
        .unwrap();
    assert_eq!(report, Default::default());
    let report = newsletter_at(&app, &app.state, now + LEASE + 1)
        .run(true)
        .await
        .unwrap();
    assert!(report.stopped.is_some(), "tried again: {report}");
    assert_eq!(report.bounced, 0, "the bounced address is not mailed again");
}

#[tokio::test]
async fn each_digest_is_sent_once_by_two_servers_and_after_a_crash() {
    let sink = Sink::start();
    let app = app(&sink).await;
    let now = dates::now();
    let period = period_of(Frequency::Daily, &dates::at(now, &app.config.timezone));
    // Due whatever the hour.
    app.exec("UPDATE newsletter_settings SET send_hour = 0, weekly_day = 1")
        .await;
    let mut rows = Vec::new();
    for n in 1..=30 {
        rows.push(format!(
            "('reader{n}@example.org', 'token{n:0>3}token{n:0>3}token{n:0>3}token{n:0>3}xx', 'confirmed', 'daily', {t}, {t}, {t})",
            t = now - 3600
        ));
    }
    app.exec(&format!(
        "INSERT INTO subscribers (email, token, status, frequency, created_at, confirmed_at, last_digest_at) VALUES {}",
        rows.join(", ")
    ))
    .await;
    app.exec(&format!(
        "UPDATE articles SET published_at = {} WHERE id = (SELECT min(id) FROM articles WHERE status = 'published' AND page_path IS NULL)",
        now - 60
    ))
    .await;
    let id = |n: u32| format!("(SELECT id FROM subscribers WHERE email = 'reader{n}@example.org')");
    // Before this run: a server died while sending 1-5; another is sending 6-8 right now;
    // 9-10 got theirs.
    for (ns, state, at) in [
        (1..=5, "sending", now - LEASE - 5),
        (6..=8, "sending", now - 5),
        (9..=10, "sent", now - 100),
    ] {
        for n in ns {
            app.exec(&format!(
                "INSERT INTO digest_sends (subscriber_id, period, state, claimed_at, claimed_by) VALUES ({}, '{period}', '{state}', {at}, 'earlier')",
                id(n)
            ))
            .await;
        }
    }
    let other = app.another_server();
    let (a, b) = (
        newsletter_at(&app, &app.state, now),
        newsletter_at(&app, &other, now),
    );
    let (ra, rb) = tokio::join!(a.run(false), b.run(false));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.sent + rb.sent, 25, "{ra} / {rb}");
    let mut to: Vec<String> = sink.mails().iter().map(|m| read(m).to).collect();
    to.sort();
    let mut expected: Vec<String> = (1..=5)
        .chain(11..=30)
        .map(|n| format!("reader{n}@example.org"))
        .collect();
    expected.sort();
    assert_eq!(
        to, expected,
        "each once; none to those sent or being sent elsewhere"
    );
    // And the schedule's next look sends nothing more.
    let report = newsletter_at(&app, &app.state, now + 60)
        .run(false)
        .await
        .unwrap();
    assert_eq!(report.sent, 0);
    assert_eq!(sink.mails().len(), 25);
}

#[tokio::test]
async fn editors_see_figures_admins_export_and_without_mail_settings_it_is_off() {
    let sink = Sink::start();
    let app = app(&sink).await;
    let res = subscribe(&app, "email=someone%40example.org&frequency=weekly").await;
    assert_eq!(location(&res), "/newsletter?done=check-inbox");
    app.exec("INSERT INTO subscribers (email, token, status, frequency, created_at) VALUES ('=cmd|calc@example.org', 'tokenformulatokenformulatokenformula1', 'confirmed', 'daily', 1)").await;

    let editor = app.login(common::EDITOR).await;
    let overview = app.get_as("/api/admin/newsletter", Some(&editor)).await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    let o = overview.json();
    assert_eq!(
        (o["pending"].as_i64(), o["confirmed_daily"].as_i64()),
        (Some(1), Some(1))
    );
    assert!(o["off_because"].is_null());
    assert_eq!(
        app.get_as("/api/admin/newsletter.csv", Some(&editor))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let admin = app.login(common::ADMIN).await;
    let csv = app.get_as("/api/admin/newsletter.csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(
        csv.body.contains("someone@example.org,pending,weekly"),
        "{}",
        csv.body
    );
    assert!(
        csv.body.contains("'=cmd|calc@example.org"),
        "no formula: {}",
        csv.body
    );
    assert_eq!(
        app.get("/api/admin/newsletter.csv").await.status,
        StatusCode::UNAUTHORIZED
    );
    // Schedule: admins only, checked.
    let res = app
        .post_form(
            "/api/admin/newsletter_schedule",
            "hour=25&weekly_day=1",
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = app
        .post_form(
            "/api/admin/newsletter_schedule",
            "hour=6&weekly_day=5",
            Some(&editor),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .post_form(
            "/api/admin/newsletter_schedule",
            "hour=6&weekly_day=5",
            Some(&admin),
        )
        .await;
    assert!(
        res.status.is_success() || res.status.is_redirection(),
        "{}",
        res.body
    );
    assert_eq!(
        app.texts("SELECT CAST(send_hour AS TEXT) || ' ' || CAST(weekly_day AS TEXT) FROM newsletter_settings").await,
        vec!["6 5".to_string()]
    );

    // No mail settings: off, and it says so.
    let off = app_with(&[]).await;
    assert!(!off
        .get("/")
        .await
        .body
        .contains("/newsletter/api/subscribe"));
    assert!(off.get("/newsletter").await.body.contains("not available"));
    let res = off
        .post_form("/newsletter/api/subscribe", "email=a%40example.org", None)
        .await;
    assert_eq!(location(&res), "/newsletter?error=unavailable");
    let admin = off.login(common::ADMIN).await;
    let o = off
        .get_as("/api/admin/newsletter", Some(&admin))
        .await
        .json();
    assert!(o["off_because"]
        .as_str()
        .unwrap()
        .contains("PORTAL_SMTP_URL"));
    // A request from another site is refused before anything happens.
    let res = off
        .send(
            Request::post("/newsletter/api/subscribe")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("email=a%40example.org"))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}
