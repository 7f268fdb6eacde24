//! Moving a WordPress site in: `portal import wordpress EXPORT.xml` (and the newsroom's import
//! page) read a WXR export, and bring in its posts as articles, its categories as sections, its
//! images into the media store, and its permalinks as redirects to the new addresses.
//!
//! How it stays safe:
//! - the file is read twice, streaming (`wxr`): the first pass checks all of it and collects the
//!   attachments (featured images may come after the posts that use them); nothing is written
//!   unless the whole file is a readable export — a truncated or hostile file changes nothing;
//! - posts are written in batches, one transaction each, and every imported post is recorded
//!   by its WordPress id (`imported_posts`): running the import again skips what is there, so
//!   an interrupted import is resumed by running it again, and a repeated one changes nothing;
//! - bodies go through `body::to_markdown` and then the portal's own Markdown renderer and
//!   sanitiser, like any article an editor writes.

pub mod body;
mod images;
mod pages;
mod report;
mod sections;
pub mod web;
pub mod wxr;

pub use report::Report;

use images::{Images, Stored};
use sections::{note_section, section_redirects, Sections};

use super::db::articles::{ArticleInput, NewRow};
use super::db::{self, imports, Pool};
use super::media::MediaStore;
use crate::model::limits::{TAGS_PER_ARTICLE, TAG_NAME_MAX};
use crate::model::newsroom::ArticleForm;
use crate::model::validate::{ALT_MAX, AUTHOR_MAX, BODY_MAX, CAPTION_MAX, EXCERPT_MAX, TITLE_MAX};
use crate::server::newsroom::markdown::{self, ImageHosts};
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;
use wxr::{Channel, Item, WxrError, WxrReader};

/// Posts written per transaction: small enough that other writers (editors saving while an
/// import runs) wait at most a moment, large enough that commits do not dominate.
pub const BATCH: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A copy of the site's `wp-content/uploads`.
    pub media_dir: Option<PathBuf>,
    /// Check and report, write nothing.
    pub dry_run: bool,
    /// WordPress category (slug or name) → portal section slug.
    pub map: Vec<(String, String)>,
}

/// Why an import stopped, each saying what was kept and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot open {}: {source}", .path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}. Nothing was imported.", .path.display())]
    Unreadable { path: PathBuf, source: WxrError },
    #[error(
        "{}: the export names no site (<wp:base_site_url> or <link>). Nothing was imported.",
        .0.display()
    )]
    NoSite(PathBuf),
    #[error("{0:?}: use OLD=NEW, a WordPress category and a portal section (news=world)")]
    Mapping(String),
    #[error("{from}={to}: the portal has no section {to:?} (its sections: {})", .sections.join(", "))]
    NoSection {
        from: String,
        to: String,
        sections: Vec<String>,
    },
    #[error(
        "reading the portal failed: {0}. Nothing was imported; check that the database is \
         reachable and run the import again."
    )]
    Read(sqlx::Error),
    #[error(
        "writing to the database failed: {0}. The posts written before this batch stay \
         imported; run the same import again to resume."
    )]
    Write(sqlx::Error),
    #[error(
        "writing “{title}” failed: {source} The posts written before this batch stay \
         imported; run the same import again to resume."
    )]
    Article {
        title: String,
        source: crate::error::AppError,
    },
    #[error(
        "indexing the imported posts for search failed: {0}. They are imported; the server \
         indexes them within a quarter of an hour, or run the same import again."
    )]
    Index(sqlx::Error),
    #[error("the posts are imported, but writing the audit log failed: {0}")]
    Audit(sqlx::Error),
}

/// `old=new`: a WordPress category (slug or name) filed under a portal section.
pub fn parse_mapping(s: &str) -> Result<(String, String), ImportError> {
    match s.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(ImportError::Mapping(s.to_string())),
    }
}

/// Mappings one per line (the newsroom's form); blank lines are ignored.
pub fn parse_mappings(text: &str) -> Result<Vec<(String, String)>, ImportError> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(parse_mapping)
        .collect()
}

/// Whether every mapping names a section the portal has (the message names the one that does
/// not, and the sections there are).
pub async fn check_mappings(pool: &Pool, map: &[(String, String)]) -> Result<(), ImportError> {
    let options = Options {
        map: map.to_vec(),
        ..Default::default()
    };
    Sections::load(pool, &options).await.map(|_| ())
}

/// How far an import is, for a progress line or bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub posts_done: usize,
    pub posts_total: usize,
}

/// An attachment of the export: where its file is, and how it was described.
#[derive(Debug, Clone, Default)]
struct Attachment {
    url: String,
    file: String,
    alt: String,
    caption: String,
}

/// The first pass: the whole file is readable, and what it holds.
struct Scan {
    channel: Channel,
    attachments: HashMap<i64, Attachment>,
    posts: usize,
}

fn open(path: &Path) -> Result<WxrReader<std::io::BufReader<std::fs::File>>, ImportError> {
    let file = std::fs::File::open(path).map_err(|source| ImportError::Open {
        path: path.into(),
        source,
    })?;
    Ok(WxrReader::new(std::io::BufReader::with_capacity(
        256 * 1024,
        file,
    )))
}

fn explain(path: &Path, source: WxrError) -> ImportError {
    ImportError::Unreadable {
        path: path.into(),
        source,
    }
}

fn scan(path: &Path) -> Result<Scan, ImportError> {
    let mut reader = open(path)?;
    let mut attachments = HashMap::new();
    let mut posts = 0;
    while let Some(item) = reader.next_item().map_err(|e| explain(path, e))? {
        match item.post_type.as_str() {
            "post" => posts += 1,
            "attachment" => {
                attachments.insert(
                    item.id,
                    Attachment {
                        url: item.attachment_url.clone(),
                        file: item
                            .meta("_wp_attached_file")
                            .unwrap_or_default()
                            .to_string(),
                        alt: item
                            .meta("_wp_attachment_image_alt")
                            .unwrap_or_default()
                            .to_string(),
                        caption: plain_text(&item.excerpt),
                    },
                );
            }
            _ => {}
        }
    }
    Ok(Scan {
        channel: reader.channel().clone(),
        attachments,
        posts,
    })
}

/// HTML (or entity-encoded text, as WordPress stores titles) to plain text on one line; what
/// a script or style element held is dropped with it.
fn plain_text(html: &str) -> String {
    let mut html = html.to_string();
    for tag in ["script", "style"] {
        while let Some(start) = html.to_ascii_lowercase().find(&format!("<{tag}")) {
            let end = html.to_ascii_lowercase()[start..]
                .find(&format!("</{tag}>"))
                .map_or(html.len(), |e| start + e + tag.len() + 3);
            html.replace_range(start..end, " ");
        }
    }
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = html_escape::decode_html_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first 40 words of a body's plain text (a line per heading, paragraph and list item), for
/// a post without an excerpt: a heading ends with a stop, so it does not run into the sentence
/// after it ("When to go. The old quarter…", not "When to go The old quarter…").
fn opening_words(text: &str) -> String {
    crate::server::db::search::one_line(text.trim())
        .split_whitespace()
        .take(40)
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most `max` characters, cut at a word with "…" when it had to be cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '.']))
}

/// A WordPress date ("2024-05-03 10:15:00"): the GMT one when set, else the local one in the
/// site's timezone. `None` for WordPress's "0000-00-00 00:00:00" (never published).
fn timestamp(gmt: &str, local: &str, tz: Tz) -> Option<i64> {
    let parse = |s: &str| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok();
    if let Some(t) = parse(gmt) {
        return Some(t.and_utc().timestamp());
    }
    let t = parse(local)?;
    tz.from_local_datetime(&t).earliest().map(|d| d.timestamp())
}

/// The site an export is from, as `imported_posts` records it.
fn site_of(channel: &Channel) -> String {
    let url = if channel.base_site_url.is_empty() {
        &channel.link
    } else {
        &channel.base_site_url
    };
    url.trim_end_matches('/').to_string()
}

/// The path of a URL of the old site, for its redirect ("https://x.example/a/b/?q" → "/a/b/").
fn path_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let start = rest.find('/').unwrap_or(rest.len());
    let path = &rest[start..];
    Some(if path.is_empty() {
        "/".into()
    } else {
        path.into()
    })
}

/// The old addresses of a post: its permalink as the export gives it, and the forms WordPress
/// answers for any permalink setting.
fn old_addresses(item: &Item, slug: &str, categories: &[(String, String)], tz: Tz) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = path_of(&item.link) {
        out.push(p);
    }
    out.push(format!("/?p={}", item.id));
    if let Some(p) = path_of(&item.guid).filter(|p| p.contains("?p=")) {
        out.push(p);
    }
    if !slug.is_empty() {
        out.push(format!("/{slug}/"));
        for (nicename, _) in categories {
            out.push(format!("/{nicename}/{slug}/"));
        }
        if let Some(t) = timestamp(&item.post_date_gmt, &item.post_date, tz) {
            let local = tz.timestamp_opt(t, 0).single();
            if let Some(d) = local {
                out.push(format!("/{}/{slug}/", d.format("%Y/%m/%d")));
                out.push(format!("/{}/{slug}/", d.format("%Y/%m")));
            }
        }
    }
    out
}

/// A post's tags as they will be here, `(slug, name)` (the slug kept from WordPress), and
/// each WordPress address (`nicename`) with the tag it names.
#[allow(clippy::type_complexity)]
fn tags_of(item: &Item) -> (Vec<(String, String)>, Vec<(String, (String, String))>) {
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut wp = Vec::new();
    for (_, nicename, name) in item.terms.iter().filter(|(d, _, _)| d == "post_tag") {
        let name = shorten(&plain_text(name), TAG_NAME_MAX);
        if !name.chars().any(char::is_alphanumeric) {
            continue;
        }
        let old = crate::server::redirects::percent_decode(nicename)
            .unwrap_or_default()
            .to_lowercase();
        let slug =
            crate::server::newsroom::slug::slugify(if old.is_empty() { &name } else { &old });
        let tag = (slug, name);
        if !tags.iter().any(|(s, _)| *s == tag.0) {
            tags.push(tag.clone());
        }
        if !old.is_empty() {
            wp.push((old, tag));
        }
    }
    (tags, wp)
}

/// The portal an import writes into.
pub struct Target<'a> {
    pub pool: &'a Pool,
    pub store: &'a dyn MediaStore,
    /// Image hosts the operator allowed (the Markdown renderer's rule).
    pub hosts: &'a ImageHosts,
    /// The newsroom's timezone: WordPress's local dates are in it when no GMT date is given.
    pub tz: Tz,
    pub now: i64,
    /// Who runs the import, for the audit log: a newsroom account (id, name), or `None` for
    /// the command line.
    pub by: Option<(i64, &'a str)>,
}

/// Imports `file` into the portal. `progress` is called after each batch.
pub async fn import(
    target: &Target<'_>,
    file: &Path,
    options: &Options,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Report, ImportError> {
    let Target {
        pool, store, now, ..
    } = *target;
    let started = Instant::now();
    let scanned = scan(file)?;
    let site = site_of(&scanned.channel);
    if site.is_empty() {
        return Err(ImportError::NoSite(file.into()));
    }
    let mut sections = Sections::load(pool, options).await?;
    let imported = imports::imported_ids(pool, &site)
        .await
        .map_err(ImportError::Read)?;
    let mut report = Report {
        site: site.clone(),
        dry_run: options.dry_run,
        ..Default::default()
    };
    let mut images = Images {
        pool,
        store,
        site: site.clone(),
        dir: options.media_dir.clone(),
        dry_run: options.dry_run,
        now,
        done: HashMap::new(),
    };
    let mut reader = open(file)?;
    let mut batch: Vec<Prepared> = Vec::with_capacity(BATCH);
    let mut slugs_in_run: HashSet<String> = HashSet::new();
    let mut ids_in_run: HashSet<i64> = HashSet::new();
    let mut pages: Vec<Item> = Vec::new();
    let mut done = 0;
    progress(Progress {
        posts_done: 0,
        posts_total: scanned.posts,
    });
    loop {
        let next = reader.next_item().map_err(|e| explain(file, e))?;
        let ended = next.is_none();
        if let Some(item) = next {
            if item.post_type == "post" {
                done += 1;
            }
            // Pages wait for the end: a parent may come after the pages under it.
            if item.post_type == "page" {
                report.comments += item.comments;
                pages.push(item);
                continue;
            }
            // An ID twice in one export (a broken or doctored file): the first is the post;
            // writing the second would fail the batch, in this run and every later one.
            let repeated = item.post_type == "post" && !ids_in_run.insert(item.id);
            if repeated {
                *report
                    .not_imported
                    .entry("posts whose ID the export lists twice (the first was taken)".into())
                    .or_default() += 1;
                continue;
            }
            let taken = take(
                &item,
                &imported,
                &scanned,
                &sections,
                &mut images,
                target,
                &mut report,
            );
            if let Some(p) = taken.await? {
                batch.push(p);
            }
        }
        if ended || batch.len() >= BATCH {
            write_batch(
                pool,
                &site,
                &mut batch,
                &mut slugs_in_run,
                &mut sections,
                &mut report,
                now,
                options.dry_run,
            )
            .await?;
            progress(Progress {
                posts_done: done,
                posts_total: scanned.posts,
            });
        }
        if ended {
            break;
        }
    }
    pages::write(
        pages::Run {
            site: &site,
            imported: &imported,
            scanned: &scanned,
            sections: &sections,
            target,
            dry_run: options.dry_run,
            slugs_in_run: &mut slugs_in_run,
        },
        pages,
        &mut images,
        &mut report,
    )
    .await?;
    if !options.dry_run {
        // The search index, once for the whole import (and for any run before it that died
        // before this point), then its segments merged.
        imports::index_pending(pool, i64::MAX)
            .await
            .map_err(ImportError::Index)?;
        if report.imported() > 0 {
            db::bulk::optimize(pool).await.map_err(ImportError::Index)?;
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    if !options.dry_run {
        let (actor_id, actor) = match target.by {
            Some((id, name)) => (Some(id), name),
            None => (None, "portal import (command line)"),
        };
        let what = format!(
            "{} posts from {site} ({} already there)",
            report.imported(),
            report.already_imported
        );
        let entry = db::audit::Entry {
            at: now,
            actor_id,
            actor,
            action: "imported from WordPress",
            target: &what,
            client: "",
        };
        db::audit::record_now(pool, &entry)
            .await
            .map_err(ImportError::Audit)?;
    }
    Ok(report)
}

/// One item of the export: a post converted for its batch, or `None` (not a post, not one
/// readers could see, imported before) with the report told why.
async fn take(
    item: &Item,
    imported: &HashSet<i64>,
    scanned: &Scan,
    sections: &Sections,
    images: &mut Images<'_>,
    target: &Target<'_>,
    report: &mut Report,
) -> Result<Option<Prepared>, ImportError> {
    if matches!(item.post_type.as_str(), "post" | "page") {
        report.comments += item.comments;
    }
    if item.post_type != "post" {
        let what = match item.post_type.as_str() {
            "attachment" => None,
            "" => Some("items without a type".to_string()),
            other => Some(format!("{other} items")),
        };
        if let Some(what) = what {
            *report.not_imported.entry(what).or_default() += 1;
        }
        return Ok(None);
    }
    let status = match status_here(&item.status, "posts") {
        Ok(status) => status,
        Err(what) => {
            *report.not_imported.entry(what).or_default() += 1;
            return Ok(None);
        }
    };
    if imported.contains(&item.id) {
        report.already_imported += 1;
        return Ok(None);
    }
    let prepared = prepare(
        item,
        status,
        scanned,
        sections,
        images,
        target.hosts,
        target.tz,
        target.now,
        report,
    )
    .await?;
    if prepared.is_some() {
        match status {
            "published" => report.published += 1,
            "scheduled" => report.scheduled += 1,
            _ => report.drafts += 1,
        }
    }
    Ok(prepared)
}

/// The status a WordPress post or page (`kind`: "posts", "pages") gets here, or the line the
/// report counts it under when it is left out.
fn status_here(wp: &str, kind: &str) -> Result<&'static str, String> {
    match wp {
        "publish" => Ok("published"),
        "future" => Ok("scheduled"),
        "draft" | "pending" => Ok("draft"),
        "private" => Err(format!("private {kind} (readers could not see them)")),
        "trash" => Err(format!("trashed {kind}")),
        "" => Err(format!("{kind} without a status")),
        other => Err(format!("{other} {kind}")),
    }
}

/// A post, converted, waiting for its batch.
struct Prepared {
    wp_id: i64,
    slug: String,
    /// The section's slug, or one to create `(slug, name)`.
    section: Result<String, (String, String)>,
    article: ArticleInput,
    /// The featured image as the editor's form holds it (the first revision's).
    image: Option<crate::model::newsroom::MediaRef>,
    created_at: i64,
    updated_at: i64,
    old: Vec<String>,
    /// The WordPress category that chose the section.
    category: String,
    /// Its WordPress tags: their address there, and the tag they became here `(slug, name)`.
    tags: Vec<(String, (String, String))>,
    /// Its WordPress author: their login (their address there) and number.
    old_author: Option<(String, Option<i64>)>,
}

#[allow(clippy::too_many_arguments)]
async fn prepare(
    item: &Item,
    status: &'static str,
    scanned: &Scan,
    sections: &Sections,
    images: &mut Images<'_>,
    hosts: &ImageHosts,
    tz: Tz,
    now: i64,
    report: &mut Report,
) -> Result<Option<Prepared>, ImportError> {
    let mut title = plain_text(&item.title);
    let what = format!(
        "post {} “{}”",
        item.id,
        title.chars().take(60).collect::<String>()
    );
    if title.is_empty() {
        title = format!("Untitled post {}", item.id);
        report
            .notes
            .push(format!("{what}: no title; now “{title}”"));
    }
    if title.chars().count() > TITLE_MAX {
        title = shorten(&title, TITLE_MAX);
        report
            .notes
            .push(format!("{what}: title shortened to {TITLE_MAX} characters"));
    }
    let categories: Vec<(String, String)> = item
        .terms
        .iter()
        .filter(|(domain, _, _)| domain == "category")
        .map(|(_, nicename, name)| {
            let name = plain_text(name);
            let name = scanned
                .channel
                .categories
                .get(nicename)
                .map(|n| plain_text(n))
                .filter(|n| !n.is_empty())
                .unwrap_or(name);
            (nicename.clone(), name)
        })
        .collect();
    let (section, deciding) = sections.find(&categories);
    let (tags, wp_tags) = tags_of(item);
    if tags.len() > TAGS_PER_ARTICLE {
        report.notes.push(format!(
            "{what}: {} tags; the first {TAGS_PER_ARTICLE} kept",
            tags.len()
        ));
    }

    let converted = body::to_markdown(&item.content);
    let mut resolved = Vec::with_capacity(converted.images.len());
    for image in &converted.images {
        match images.get(&image.src, report).await {
            Ok(Some(stored)) => resolved.push(Some(body::image_markdown(
                &stored.url,
                &shorten(&image.alt, ALT_MAX),
                &shorten(&image.caption, CAPTION_MAX),
            ))),
            Ok(None) => resolved.push(None),
            Err(why) => {
                report.images_missing.push(format!("{what}: {why}"));
                resolved.push(None);
            }
        }
    }
    let body_md = body::finish(&converted.markdown, &resolved);
    if !converted.dropped.is_empty() {
        report
            .notes
            .push(format!("{what}: left out {}", converted.dropped.join(", ")));
    }
    if body_md.chars().count() > BODY_MAX {
        report.notes.push(format!(
            "{what}: NOT IMPORTED, its body is longer than the portal's {BODY_MAX} characters"
        ));
        return Ok(None);
    }
    let rendered = markdown::render_with(&body_md, hosts);

    let mut excerpt = plain_text(&item.excerpt);
    if excerpt.is_empty() {
        excerpt = opening_words(&rendered.text);
    }
    let excerpt = shorten(&excerpt, EXCERPT_MAX);

    // The featured image.
    let mut featured: Option<(Stored, Attachment)> = None;
    if let Some(id) = item
        .meta("_thumbnail_id")
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        match scanned.attachments.get(&id) {
            Some(a) => {
                let src = if a.url.is_empty() {
                    format!("/wp-content/uploads/{}", a.file)
                } else {
                    a.url.clone()
                };
                match images.get(&src, report).await {
                    Ok(Some(stored)) => featured = Some((stored, a.clone())),
                    Ok(None) => {}
                    Err(why) => report
                        .images_missing
                        .push(format!("{what} (featured image): {why}")),
                }
            }
            None => report.images_missing.push(format!(
                "{what} (featured image): attachment {id} is not in the export"
            )),
        }
    }

    let published = timestamp(&item.post_date_gmt, &item.post_date, tz);
    let modified = timestamp(&item.post_modified_gmt, &item.post_modified, tz);
    let published_at = match status {
        "published" | "scheduled" => Some(published.unwrap_or(now)),
        _ => None,
    };
    let created_at = published.or(modified).unwrap_or(now);
    let updated_at = modified.unwrap_or(created_at).max(created_at);

    let author = scanned
        .channel
        .authors
        .get(&item.creator)
        .filter(|n| !n.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| item.creator.clone());
    let author_name = shorten(&plain_text(&author), AUTHOR_MAX);
    // The profile keeps the WordPress author's address (`/author/<login>/`); the old forms
    // of it are redirected once the profile is written.
    let login = item.creator.trim().to_lowercase();
    let author_slug = crate::server::newsroom::slug::slugify(if login.is_empty() {
        &author_name
    } else {
        &login
    });
    let byline = if author_name.chars().any(char::is_alphanumeric) {
        vec![(author_slug, author_name.clone())]
    } else {
        Vec::new()
    };
    let old_author = (!login.is_empty()).then(|| {
        (
            login.clone(),
            scanned.channel.author_ids.get(&item.creator).copied(),
        )
    });

    let wp_slug = crate::server::redirects::percent_decode(&item.post_name).unwrap_or_default();
    let slug =
        crate::server::newsroom::slug::slugify(if wp_slug.is_empty() { &title } else { &wp_slug });
    let old = if status == "draft" {
        Vec::new()
    } else {
        old_addresses(item, &wp_slug.to_lowercase(), &categories, tz)
    };
    let (image, image_alt, image_caption) = match featured {
        Some((s, a)) => (
            Some(s),
            shorten(&plain_text(&a.alt), ALT_MAX),
            shorten(&a.caption, CAPTION_MAX),
        ),
        None => (None, String::new(), String::new()),
    };
    let editors_pick = item.is_sticky && status == "published";
    Ok(Some(Prepared {
        wp_id: item.id,
        slug: slug.clone(),
        section,
        old,
        category: deciding,
        tags: wp_tags,
        old_author,
        created_at,
        updated_at,
        article: ArticleInput {
            slug,
            title,
            excerpt,
            body_md,
            body_html: rendered.html,
            body_text: rendered.text,
            reading_minutes: rendered.reading_minutes,
            category_id: 0,
            author_name,
            status: status.to_string(),
            published_at,
            image_id: image.as_ref().map(|i| i.id),
            image_url: image.as_ref().map(|i| i.url.clone()),
            image_srcset: image.as_ref().map(|i| i.srcset.clone()).unwrap_or_default(),
            image_alt,
            image_caption,
            image_credit: String::new(),
            image_width: image.as_ref().map(|i| i.width),
            image_height: image.as_ref().map(|i| i.height),
            tags: tags.into_iter().take(TAGS_PER_ARTICLE).collect(),
            authors: byline,
            editors_pick,
            // A sticky post joins the Editor's Pick after the editors' own choices.
            pick_order: if editors_pick {
                crate::model::validate::PICK_ORDER_MAX
            } else {
                0
            },
            page_path: None,
            parent_id: None,
        },
        image,
    }))
}

/// Writes a batch in one transaction (or, for a dry run, only counts what it would write).
#[allow(clippy::too_many_arguments)]
async fn write_batch(
    pool: &Pool,
    site: &str,
    batch: &mut Vec<Prepared>,
    slugs_in_run: &mut HashSet<String>,
    sections: &mut Sections,
    report: &mut Report,
    now: i64,
    dry_run: bool,
) -> Result<(), ImportError> {
    if batch.is_empty() {
        return Ok(());
    }
    let failed = ImportError::Write;
    if dry_run {
        for p in batch.drain(..) {
            let (slug, _) = sections
                .resolve(&p.section, None, report)
                .await
                .map_err(failed)?;
            note_section(report, &slug, &p.category);
            report.redirects += p.old.len();
        }
        return Ok(());
    }
    let mut tx = db::begin_write(pool).await.map_err(failed)?;
    // A few statements per post: the rows that are not the article itself go in per batch.
    let wanted: Vec<String> = batch.iter().map(|p| p.slug.clone()).collect();
    let taken = imports::taken_slugs(tx.conn(), &wanted)
        .await
        .map_err(failed)?;
    let mut recorded = Vec::with_capacity(batch.len());
    let mut redirects = Vec::new();
    for mut p in batch.drain(..) {
        let (section_slug, section_id) = sections
            .resolve(&p.section, Some(tx.conn()), report)
            .await
            .map_err(failed)?;
        p.article.category_id = section_id;
        note_section(report, &section_slug, &p.category);
        // A slug of its own: the site's may be taken by an article already here.
        let mut slug = p.slug.clone();
        let mut n = 1;
        while slugs_in_run.contains(&slug)
            || if n == 1 {
                taken.contains(&slug)
            } else {
                imports::slug_taken(tx.conn(), &slug)
                    .await
                    .map_err(failed)?
            }
        {
            n += 1;
            slug = format!("{}-{n}", p.slug);
        }
        slugs_in_run.insert(slug.clone());
        p.article.slug = slug.clone();
        // Indexed for search with the whole import at the end, not row by row.
        let id = imports::reserve_unindexed_id(tx.conn(), now)
            .await
            .map_err(failed)?;
        let form = ArticleForm {
            authors: p
                .article
                .authors
                .iter()
                .map(|(_, name)| name.clone())
                .collect(),
            tags: p
                .article
                .tags
                .iter()
                .map(|(_, name)| name.clone())
                .collect(),
            title: p.article.title.clone(),
            slug,
            category: section_slug,
            excerpt: p.article.excerpt.clone(),
            body_md: p.article.body_md.clone(),
            author_name: p.article.author_name.clone(),
            image: p.image.take(),
            image_alt: p.article.image_alt.clone(),
            image_caption: p.article.image_caption.clone(),
            image_credit: p.article.image_credit.clone(),
            read_also: Vec::new(),
            editors_pick: p.article.editors_pick,
            pick_order: p.article.pick_order,
            parent: String::new(),
            is_page: false,
        };
        let row = NewRow {
            id: Some(id),
            created_at: p.created_at,
            updated_at: p.updated_at,
            author_id: None,
        };
        super::newsroom::write_imported(&mut tx, &p.article, row, &form)
            .await
            .map_err(|source| ImportError::Article {
                title: p.article.title.clone(),
                source,
            })?;
        recorded.push((p.wp_id, id));
        // The author's old addresses, to the profile their name became here.
        if let (Some((login, number)), Some((slug, name))) =
            (&p.old_author, p.article.authors.first())
        {
            if let Some(here) = db::labels::resolve(db::labels::AUTHORS, tx.conn(), slug, name)
                .await
                .map_err(failed)?
            {
                let to = crate::model::author_href(&here);
                redirects.push((format!("/author/{login}"), to.clone()));
                redirects.push((format!("/author/{login}/feed"), format!("{to}/feed.xml")));
                if let Some(n) = number {
                    redirects.push((format!("/?author={n}"), to.clone()));
                }
            }
        }
        // A tag's old addresses, to the tag its name became here.
        for (wp, (slug, name)) in &p.tags {
            let Some(here) = db::labels::resolve(db::labels::TAGS, tx.conn(), slug, name)
                .await
                .map_err(failed)?
            else {
                continue;
            };
            let to = crate::model::tag_href(&here);
            redirects.push((format!("/tag/{wp}"), to.clone()));
            redirects.push((format!("/?tag={wp}"), to.clone()));
            redirects.push((format!("/tag/{wp}/feed"), format!("{to}/feed.xml")));
        }
        let to = crate::model::article_href(&p.article.slug);
        for from in &p.old {
            if let Some(key) = crate::server::redirects::key(from) {
                if key != to {
                    redirects.push((key, to.clone()));
                }
            }
        }
    }
    imports::record_posts(tx.conn(), site, &recorded, now)
        .await
        .map_err(failed)?;
    // Section addresses and the feed too (already there: nothing happens).
    redirects.extend(section_redirects(report));
    report.redirects += imports::add_redirects(tx.conn(), &redirects, "wordpress", now)
        .await
        .map_err(failed)? as usize;
    tx.commit().await.map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::images::{original_name, uploads_path};
    use super::*;

    #[test]
    fn dates_titles_and_paths() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            timestamp("2024-05-03 08:00:00", "2024-05-03 10:00:00", tz),
            Some(1_714_723_200)
        );
        assert_eq!(
            timestamp("0000-00-00 00:00:00", "2024-05-03 10:00:00", tz),
            Some(1_714_723_200)
        );
        assert_eq!(timestamp("0000-00-00 00:00:00", "", tz), None);
        assert_eq!(
            plain_text("Caf&eacute; &amp; <b>bar</b>&#8217;s"),
            "Café & bar ’s"
        );
        assert_eq!(
            plain_text("Live <SCRIPT>alert(1)</script>updates<style>x</style>"),
            "Live updates"
        );
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(
            opening_words("When to go\n\nThe old quarter is best on foot.\nAsk first!\n"),
            "When to go. The old quarter is best on foot. Ask first!"
        );
        assert_eq!(opening_words(&"word ".repeat(50)).split(' ').count(), 40);
        assert_eq!(
            path_of("https://x.example/2024/05/a/?x=1"),
            Some("/2024/05/a/?x=1".into())
        );
        assert_eq!(path_of("https://x.example"), Some("/".into()));
        assert_eq!(
            uploads_path("https://x.example/wp-content/uploads/2024/05/caf%C3%A9-300x200.jpg?v=2"),
            Some("2024/05/café-300x200.jpg".into())
        );
        assert_eq!(
            uploads_path("https://x.example/wp-content/uploads/../../etc/passwd"),
            None
        );
        assert_eq!(
            original_name("2024/05/quay-1024x683.jpg"),
            Some("2024/05/quay.jpg".into())
        );
        assert_eq!(original_name("2024/05/quay.jpg"), None);
    }
}
