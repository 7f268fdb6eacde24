//! Traffic against a running server, through its real HTTP API: readers (home, a section, an
//! article, search results, the live search) and editors who save every few hundred
//! milliseconds and upload images now and then. Used by `portal-demo traffic` (the load test
//! the benchmark prints) and by the fault test (tests/faults.rs), which kills the server
//! underneath it.
//!
//! Everything that happens is recorded: each request's route, timing and outcome, and every
//! save the server acknowledged (article, version, text), so a test can look for each of them
//! in the database afterwards.

use crate::demo::DEMO_USERS;
use crate::model::newsroom::{ArticleForm, SaveResult, StatusAction};
use reqwest::{Client, StatusCode};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// What to send.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `http://host:port`, no trailing slash.
    pub base: String,
    /// The server's public URL's origin (its `Origin` check for writes).
    pub origin: String,
    /// Concurrent readers, each a loop of requests back to back.
    pub readers: usize,
    /// Concurrent editors, each saving its own article.
    pub editors: usize,
    /// An editor's pause between two saves.
    pub save_every: Duration,
    /// Every n-th save of an editor is followed by an image upload (0: never).
    pub upload_every: u32,
}

/// How one request ended.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Ok,
    /// Connection refused, reset or closed before an answer: the server was not there.
    Connection,
    /// An answer with this status where a success was expected.
    Status(u16),
    /// An answer that was not what the API promises (unreadable JSON, a missing field).
    Malformed,
}

impl Outcome {
    pub fn kind(&self) -> String {
        match self {
            Outcome::Ok => "ok".into(),
            Outcome::Connection => "connection".into(),
            Outcome::Status(s) => format!("http {s}"),
            Outcome::Malformed => "malformed answer".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub route: &'static str,
    pub started: Instant,
    pub took: Duration,
    pub outcome: Outcome,
}

/// A save the server answered with "saved".
#[derive(Debug, Clone)]
pub struct Ack {
    pub article: i64,
    pub version: i64,
    pub body: String,
    pub at: Instant,
}

#[derive(Debug, Default)]
pub struct Record {
    pub requests: Vec<Request>,
    pub acks: Vec<Ack>,
    /// Saves refused as conflicts because the answer to an earlier one was lost in a crash
    /// (the server had it; the editor did not know): the editor reloads and goes on.
    pub reloads: u64,
    /// Addresses of the images the server said it stored.
    pub uploads: Vec<String>,
}

pub type Shared = Arc<Mutex<Record>>;

fn note(record: &Shared, route: &'static str, started: Instant, outcome: Outcome) {
    record.lock().unwrap().requests.push(Request {
        route,
        started,
        took: started.elapsed(),
        outcome,
    });
}

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(4)
        .build()
        .expect("an HTTP client")
}

/// GETs `path`; the body when it answered 2xx.
async fn get(
    client: &Client,
    plan: &Plan,
    record: &Shared,
    route: &'static str,
    path: &str,
    cookie: Option<&str>,
) -> Option<String> {
    let started = Instant::now();
    let mut req = client.get(format!("{}{path}", plan.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let outcome = match req.send().await {
        Err(_) => Err(Outcome::Connection),
        Ok(res) if !res.status().is_success() => Err(Outcome::Status(res.status().as_u16())),
        Ok(res) => res.text().await.map_err(|_| Outcome::Connection),
    };
    match outcome {
        Ok(body) => {
            note(record, route, started, Outcome::Ok);
            Some(body)
        }
        Err(o) => {
            note(record, route, started, o);
            None
        }
    }
}

/// Article addresses from the home page (readers follow them).
async fn article_paths(client: &Client, plan: &Plan, record: &Shared) -> Vec<String> {
    let home = get(client, plan, record, "home", "/", None)
        .await
        .unwrap_or_default();
    let mut paths: Vec<String> = home
        .split("href=\"/article/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|slug| format!("/article/{slug}"))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

async fn reader(plan: Plan, record: Shared, stop: watch::Receiver<bool>, n: usize) {
    let client = client();
    let mut articles = Vec::new();
    let words = ["harbour", "council", "market", "river", "festival", "rail"];
    let sections = ["politics", "world", "business", "tech", "travel"];
    let mut i = n;
    while !*stop.borrow() {
        if articles.is_empty() {
            articles = article_paths(&client, &plan, &record).await;
            if articles.is_empty() {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        }
        i += 1;
        let (route, path) = match i % 5 {
            0 => ("home", "/".to_string()),
            1 => (
                "category",
                format!("/category/{}", sections[i % sections.len()]),
            ),
            2 => ("article", articles[i % articles.len()].clone()),
            3 => ("search", format!("/search?q={}", words[i % words.len()])),
            _ => (
                "live search",
                format!("/api/suggest?q={}", &words[i % words.len()][..3]),
            ),
        };
        if get(&client, &plan, &record, route, &path, None)
            .await
            .is_none()
        {
            // The server is down or failing: a person would not hammer it either.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// An editor of the newsroom, through the same API the editor's page uses.
struct Editor {
    client: Client,
    plan: Plan,
    record: Shared,
    cookie: String,
}

impl Editor {
    async fn post(
        &self,
        route: &'static str,
        body: reqwest::RequestBuilder,
    ) -> Result<(StatusCode, String), Outcome> {
        let started = Instant::now();
        let answer = match body.send().await {
            Err(_) => Err(Outcome::Connection),
            Ok(res) => {
                let status = res.status();
                match res.text().await {
                    Ok(text) => Ok((status, text)),
                    Err(_) => Err(Outcome::Connection),
                }
            }
        };
        let outcome = match &answer {
            Ok((s, _)) if s.is_success() => Outcome::Ok,
            Ok((s, _)) => Outcome::Status(s.as_u16()),
            Err(o) => o.clone(),
        };
        note(&self.record, route, started, outcome.clone());
        match answer {
            Ok((s, text)) if s.is_success() => Ok((s, text)),
            _ => Err(outcome),
        }
    }

    fn request(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.plan.base))
            .header("origin", &self.plan.origin)
            .header("cookie", &self.cookie)
    }

    async fn log_in(plan: &Plan, record: &Shared, who: usize) -> Option<Editor> {
        let client = client();
        let (email, _, _, password) = DEMO_USERS[who];
        let started = Instant::now();
        let res = client
            .post(format!("{}/api/admin/login", plan.base))
            .header("origin", &plan.origin)
            .form(&[("email", email), ("password", password)])
            .send()
            .await;
        let cookie = match res {
            Err(_) => {
                note(record, "log in", started, Outcome::Connection);
                return None;
            }
            Ok(res) => {
                let cookie = session_cookie(&res);
                let outcome = match (&cookie, res.status()) {
                    (Some(_), _) => Outcome::Ok,
                    (None, s) if !s.is_success() && !s.is_redirection() => {
                        Outcome::Status(s.as_u16())
                    }
                    (None, _) => Outcome::Malformed,
                };
                note(record, "log in", started, outcome);
                cookie?
            }
        };
        Some(Editor {
            client,
            plan: plan.clone(),
            record: record.clone(),
            cookie,
        })
    }

    async fn new_article(&self) -> Option<i64> {
        let (_, body) = self
            .post(
                "new article",
                self.request("/api/admin/new")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(""),
            )
            .await
            .ok()?;
        body.trim().parse().ok()
    }

    /// The article's current version (after an answer was lost).
    async fn version_of(&self, id: i64) -> Option<i64> {
        let body = get(
            &self.client,
            &self.plan,
            &self.record,
            "open article",
            &format!("/api/admin/article?id={id}"),
            Some(&self.cookie),
        )
        .await?;
        let v: serde_json::Value = serde_json::from_str(&body).ok()?;
        v["version"].as_i64()
    }

    async fn save(&self, id: i64, base: i64, form: &ArticleForm) -> Option<SaveResult> {
        let body =
            serde_json::json!({"id": id, "base_version": base, "form": form, "autosave": false});
        let (_, text) = self
            .post("save", self.request("/api/admin/save").json(&body))
            .await
            .ok()?;
        serde_json::from_str(&text).ok()
    }

    async fn upload(&self, image: &[u8]) {
        let part = reqwest::multipart::Part::bytes(image.to_vec())
            .file_name("desk.png")
            .mime_str("image/png")
            .expect("a MIME type");
        let form = reqwest::multipart::Form::new().part("file", part);
        if let Ok((_, text)) = self
            .post("upload", self.request("/api/admin/media").multipart(form))
            .await
        {
            let url = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["url"].as_str().map(str::to_string));
            match url {
                Some(url) => self.record.lock().unwrap().uploads.push(url),
                None => note(&self.record, "upload", Instant::now(), Outcome::Malformed),
            }
        }
    }
}

/// A small PNG that differs per editor and round (so uploads are not all the same file).
fn picture(seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(480, 320, |x, y| {
        image::Rgb([
            (x * 3 + seed) as u8,
            (y * 5 + seed * 7) as u8,
            (seed * 13) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding a PNG");
    out.into_inner()
}

fn form_for(n: usize, round: u64) -> ArticleForm {
    ArticleForm {
        title: format!("Late desk report {n}"),
        category: ["politics", "world", "business", "tech"][n % 4].into(),
        excerpt: "Filed from the traffic tool while the site is under load.".into(),
        body_md: format!("Editor {n}, save {round}: the council met again tonight."),
        author_name: "Traffic Desk".into(),
        ..Default::default()
    }
}

async fn editor(plan: Plan, record: Shared, stop: watch::Receiver<bool>, n: usize) {
    // Editors, admins and authors alike; a session survives restarts of the server.
    let who = [0, 2, 1, 0][n % 4];
    let desk = loop {
        if *stop.borrow() {
            return;
        }
        if let Some(e) = Editor::log_in(&plan, &record, who).await {
            if let Some(id) = e.new_article().await {
                break (e, id);
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (desk, id) = desk;
    let mut version = 1;
    let mut round = 0u64;
    while !*stop.borrow() {
        round += 1;
        let form = form_for(n, round);
        match desk.save(id, version, &form).await {
            Some(SaveResult::Saved(s)) => {
                version = s.version;
                record.lock().unwrap().acks.push(Ack {
                    article: id,
                    version,
                    body: form.body_md.clone(),
                    at: Instant::now(),
                });
            }
            Some(SaveResult::Conflict(_)) => {
                // Only this editor writes this article: the server took a save whose answer
                // never arrived. Open it again, as the editor's page would.
                record.lock().unwrap().reloads += 1;
                if let Some(v) = desk.version_of(id).await {
                    version = v;
                }
            }
            Some(SaveResult::Invalid(errors)) => {
                panic!("the traffic tool's form is invalid: {errors:?}")
            }
            None => {}
        }
        if plan.upload_every > 0 && round.is_multiple_of(plan.upload_every as u64) {
            desk.upload(&picture((n as u32) * 1000 + round as u32))
                .await;
        }
        tokio::time::sleep(plan.save_every).await;
    }
}

/// Starts the readers and editors; they run until `stop` turns true.
pub fn start(
    plan: &Plan,
    record: &Shared,
    stop: &watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    for n in 0..plan.readers {
        tasks.push(tokio::spawn(reader(
            plan.clone(),
            record.clone(),
            stop.clone(),
            n,
        )));
    }
    for n in 0..plan.editors {
        tasks.push(tokio::spawn(editor(
            plan.clone(),
            record.clone(),
            stop.clone(),
            n,
        )));
    }
    tasks
}

/// Schedules a new article for far in the future (a test moves its time); its id.
pub async fn schedule_article(plan: &Plan, title: &str) -> Result<i64, String> {
    let record = Shared::default();
    let desk = Editor::log_in(plan, &record, 0)
        .await
        .ok_or("log in failed")?;
    let id = desk.new_article().await.ok_or("new article failed")?;
    let mut form = form_for(0, 0);
    form.title = title.into();
    let Some(SaveResult::Saved(s)) = desk.save(id, 1, &form).await else {
        return Err("saving the scheduled article failed".into());
    };
    let body = serde_json::json!({"id": id, "base_version": s.version,
        "action": StatusAction::Schedule("2099-06-01T09:00".into())});
    desk.post("schedule", desk.request("/api/admin/status").json(&body))
        .await
        .map_err(|o| format!("scheduling failed: {}", o.kind()))?;
    Ok(id)
}

/// Per route: requests, p50, p99, max (ms) and failures; in route order.
pub fn table(requests: &[Request]) -> Vec<(String, usize, f64, f64, f64, usize)> {
    let mut by_route: BTreeMap<&str, (Vec<f64>, usize)> = BTreeMap::new();
    for r in requests {
        let e = by_route.entry(r.route).or_default();
        if r.outcome == Outcome::Ok {
            e.0.push(r.took.as_secs_f64() * 1000.0);
        } else {
            e.1 += 1;
        }
    }
    by_route
        .into_iter()
        .map(|(route, (mut ms, failed))| {
            ms.sort_by(|a, b| a.total_cmp(b));
            let at = |q: f64| {
                if ms.is_empty() {
                    0.0
                } else {
                    ms[((ms.len() as f64 - 1.0) * q).round() as usize]
                }
            };
            (
                route.to_string(),
                ms.len() + failed,
                at(0.5),
                at(0.99),
                at(1.0),
                failed,
            )
        })
        .collect()
}

/// Failures by kind ("connection", "http 500"...), counted.
pub fn errors_by_kind<'a>(
    requests: impl IntoIterator<Item = &'a Request>,
) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in requests {
        if r.outcome != Outcome::Ok {
            *out.entry(r.outcome.kind()).or_insert(0) += 1;
        }
    }
    out
}

/// The table as text.
pub fn print_table(requests: &[Request]) -> String {
    let mut out = format!(
        "{:<14} {:>9} {:>9} {:>9} {:>9} {:>7}\n",
        "route", "requests", "p50 ms", "p99 ms", "max ms", "errors"
    );
    for (route, n, p50, p99, max, failed) in table(requests) {
        out.push_str(&format!(
            "{route:<14} {n:>9} {p50:>9.2} {p99:>9.2} {max:>9.2} {failed:>7}\n"
        ));
    }
    out
}

/// Resident memory of a process, in MiB (Linux).
/// The session cookie ("portal_session=…") a log-in answer sets.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portal_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
}

pub fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// `portal-demo traffic`: runs the plan for `seconds`, prints the table, fails on any error.
pub async fn load_test(plan: &Plan, seconds: u64, server_pid: Option<u32>) -> Result<(), String> {
    let record = Shared::default();
    let (stop, stopped) = watch::channel(false);
    let started = Instant::now();
    let tasks = start(plan, &record, &stopped);
    let mut peak_rss: f64 = 0.0;
    while started.elapsed() < Duration::from_secs(seconds) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if let Some(rss) = server_pid.and_then(rss_mib) {
            peak_rss = peak_rss.max(rss);
        }
    }
    let _ = stop.send(true);
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let record = record.lock().unwrap();
    let errors = errors_by_kind(&record.requests);
    println!(
        "load test: {} readers and {} editors (a save every {} ms, an upload every {} saves) for {:.0} s",
        plan.readers,
        plan.editors,
        plan.save_every.as_millis(),
        plan.upload_every,
        elapsed
    );
    print!("{}", print_table(&record.requests));
    println!(
        "requests {} ({:.0}/s), saves acknowledged {}, errors {}",
        record.requests.len(),
        record.requests.len() as f64 / elapsed,
        record.acks.len(),
        if errors.is_empty() {
            "none".to_string()
        } else {
            format!("{errors:?}")
        }
    );
    if let Some(pid) = server_pid {
        let now = rss_mib(pid).unwrap_or(0.0);
        println!("server RSS: {now:.1} MiB at the end, {peak_rss:.1} MiB at most");
    }
    if errors.is_empty() && !record.acks.is_empty() {
        Ok(())
    } else {
        Err(format!("the load test saw errors: {errors:?}"))
    }
}
