//! RSS 2.0 and Atom feeds, sitemaps and robots.txt. Built with XML crates (rss,
//! atom_syndication, quick-xml), never by gluing strings: any title, with ampersands, quotes,
//! other scripts or emoji, comes out well-formed.

use crate::error::AppError;
use crate::server::dates::utc;
use crate::server::db::{self, feeds::FeedRow};
use crate::server::state::AppState;
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{Datelike, NaiveDate};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// Items in every feed.
pub const FEED_ITEMS: u32 = 50;
/// The news sitemap lists what was published in the last 48 hours.
const NEWS_WINDOW: i64 = 48 * 3600;

type Answer = Result<Response, AppError>;

/// An article's address on the public site, as feeds and sitemaps give it.
fn article_url(base: &str, slug: &str) -> String {
    format!("{base}{}", crate::model::article_href(slug))
}

/// What RSS and Atom say about a feed: its title, the page it follows, its own address
/// (`file`: `feed.xml` or `atom.xml`, beside the page).
struct Channel {
    title: String,
    page: String,
    feed: String,
}

/// What a feed follows: the whole site, a section or a tag.
pub enum Source {
    Site,
    Section(db::articles::CategoryRow),
    Tag(db::labels::LabelRow),
    Author(db::labels::LabelRow),
}

impl Source {
    fn of(&self) -> db::feeds::Of {
        match self {
            Source::Site => db::feeds::Of::Site,
            Source::Section(c) => db::feeds::Of::Section(c.id),
            Source::Tag(t) => db::feeds::Of::Label(db::labels::TAGS, t.id),
            Source::Author(a) => db::feeds::Of::Label(db::labels::AUTHORS, a.id),
        }
    }
}

fn channel(state: &AppState, source: &Source, file: &str) -> Channel {
    let base = &state.config.public_url;
    let archive = |href: String, name: &str| {
        let page = format!("{base}{href}");
        Channel {
            title: format!("{} – {name}", state.config.site_name),
            feed: format!("{page}/{file}"),
            page,
        }
    };
    match source {
        Source::Section(c) => archive(crate::model::category_href(&c.slug), &c.name),
        Source::Tag(t) => archive(crate::model::tag_href(&t.slug), &t.name),
        Source::Author(a) => archive(crate::model::author_href(&a.slug), &a.name),
        Source::Site => Channel {
            title: state.config.site_name.clone(),
            page: format!("{base}/"),
            feed: format!("{base}/{file}"),
        },
    }
}

/// An RSS item at `url` (its permalink guid too), with its HTML and its author.
fn rss_item(
    title: String,
    url: String,
    published_at: i64,
    html: &str,
    author: Option<&str>,
) -> rss::ItemBuilder {
    let mut item = rss::ItemBuilder::default();
    item.title(Some(title))
        .link(Some(url.clone()))
        .guid(Some(
            rss::GuidBuilder::default()
                .value(url)
                .permalink(true)
                .build(),
        ))
        .pub_date(Some(utc(published_at).to_rfc2822()))
        .content(Some(html.to_string()))
        .dublin_core_ext(author.map(|name| {
            rss::extension::dublincore::DublinCoreExtensionBuilder::default()
                .creators(vec![name.to_string()])
                .build()
        }));
    item
}

/// An RSS feed's link to itself (Atom's `rel="self"`).
fn self_link_of(href: String) -> rss::extension::atom::AtomExtension {
    let mut atom_ext = rss::extension::atom::AtomExtension::default();
    atom_ext.set_links(vec![rss::extension::atom::Link {
        href,
        rel: "self".into(),
        mime_type: Some("application/rss+xml".into()),
        ..Default::default()
    }]);
    atom_ext
}

fn xml(body: Vec<u8>, content_type: &'static str) -> Answer {
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

fn not_found() -> AppError {
    AppError::not_found("No such feed.")
}

fn xml_error(e: quick_xml::Error) -> AppError {
    AppError::internal("writing a sitemap", e)
}

pub fn rss_document(state: &AppState, source: &Source, items: &[FeedRow]) -> String {
    let base = &state.config.public_url;
    let Channel {
        title,
        page: link,
        feed: self_link,
    } = channel(state, source, "feed.xml");
    let entries: Vec<rss::Item> = items
        .iter()
        .map(|a| {
            let url = article_url(base, &a.slug);
            rss_item(
                a.title.clone(),
                url,
                a.published_at,
                &a.body_html,
                Some(&a.author_name),
            )
            .description(Some(a.excerpt.clone()))
            .categories(vec![rss::CategoryBuilder::default()
                .name(a.cat_name.clone())
                .build()])
            .build()
        })
        .collect();
    let atom_ext = self_link_of(self_link);
    rss::ChannelBuilder::default()
        .title(title)
        .link(link)
        .description(format!(
            "The latest articles from {}",
            state.config.site_name
        ))
        .language(Some("en".into()))
        .last_build_date(
            items
                .first()
                .map(|a| utc(a.updated_at.max(a.published_at)).to_rfc2822()),
        )
        .items(entries)
        .atom_ext(Some(atom_ext))
        .build()
        .to_string()
}

pub fn atom_document(state: &AppState, source: &Source, items: &[FeedRow]) -> String {
    use atom_syndication::{
        CategoryBuilder, Content, EntryBuilder, FeedBuilder, LinkBuilder, PersonBuilder, Text,
    };
    let base = &state.config.public_url;
    let Channel {
        title,
        page: alternate,
        feed: self_link,
    } = channel(state, source, "atom.xml");
    let updated = items
        .iter()
        .map(|a| a.updated_at.max(a.published_at))
        .max()
        .unwrap_or(0);
    let entries = items
        .iter()
        .map(|a| {
            let url = article_url(base, &a.slug);
            EntryBuilder::default()
                .id(url.clone())
                .title(Text::plain(a.title.clone()))
                .updated(utc(a.updated_at.max(a.published_at)).fixed_offset())
                .published(Some(utc(a.published_at).fixed_offset()))
                .links(vec![LinkBuilder::default()
                    .href(url)
                    .rel("alternate")
                    .build()])
                .summary(Some(Text::plain(a.excerpt.clone())))
                .content(Some(Content {
                    value: Some(a.body_html.clone()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }))
                .authors(vec![PersonBuilder::default()
                    .name(a.author_name.clone())
                    .build()])
                .categories(vec![CategoryBuilder::default()
                    .term(a.cat_slug.clone())
                    .label(Some(a.cat_name.clone()))
                    .build()])
                .build()
        })
        .collect::<Vec<_>>();
    FeedBuilder::default()
        .id(self_link.clone())
        .title(Text::plain(title))
        .updated(utc(updated).fixed_offset())
        .links(vec![
            LinkBuilder::default()
                .href(self_link)
                .rel("self")
                .mime_type(Some("application/atom+xml".into()))
                .build(),
            LinkBuilder::default()
                .href(alternate)
                .rel("alternate")
                .build(),
        ])
        .entries(entries)
        .build()
        .to_string()
}

async fn feed(state: &AppState, source: Source, atom: bool) -> Answer {
    let items = db::feeds::latest(&state.pool, source.of(), FEED_ITEMS).await?;
    if atom {
        xml(
            atom_document(state, &source, &items).into_bytes(),
            "application/atom+xml; charset=utf-8",
        )
    } else {
        xml(
            rss_document(state, &source, &items).into_bytes(),
            "application/rss+xml; charset=utf-8",
        )
    }
}

async fn section(state: &AppState, slug: &str) -> Result<Source, AppError> {
    db::articles::category_by_slug(&state.pool, slug)
        .await?
        .map(Source::Section)
        .ok_or_else(not_found)
}

async fn tag(state: &AppState, slug: &str) -> Result<Source, AppError> {
    db::labels::by_slug(db::labels::TAGS, &state.pool, slug)
        .await?
        .map(Source::Tag)
        .ok_or_else(not_found)
}

async fn author(state: &AppState, slug: &str) -> Result<Source, AppError> {
    db::labels::by_slug(db::labels::AUTHORS, &state.pool, slug)
        .await?
        .map(Source::Author)
        .ok_or_else(not_found)
}

/// `/article/<slug>/feed.xml`: a live article's updates, newest first (the pinned one
/// among them at its time), each item linking to its place on the page.
pub async fn live_rss(State(state): State<AppState>, Path(slug): Path<String>) -> Answer {
    let article = db::live::published(&state.pool, &slug)
        .await?
        .filter(|a| a.live_state != 0)
        .ok_or_else(not_found)?;
    let mut updates = db::live::page(&state.pool, article.id, None, FEED_ITEMS as usize).await?;
    updates.extend(db::live::pinned(&state.pool, article.id).await?);
    updates.sort_by_key(|u| std::cmp::Reverse((u.created_at, u.id)));
    updates.truncate(FEED_ITEMS as usize);
    let page = article_url(&state.config.public_url, &slug);
    let items: Vec<rss::Item> = updates
        .iter()
        .map(|u| {
            let url = format!("{page}#{}", crate::model::live::update_anchor(u.id));
            let text = crate::model::seo::plain_text(&u.body_html);
            let title = crate::model::seo::update_headline(&u.key_title, &text, 90);
            rss_item(
                title,
                url,
                u.created_at,
                &u.body_html,
                u.author_name.as_deref(),
            )
            .build()
        })
        .collect();
    let atom_ext = self_link_of(format!("{page}/feed.xml"));
    let body = rss::ChannelBuilder::default()
        .title(format!(
            "{} – Live: {}",
            state.config.site_name, article.title
        ))
        .link(page)
        .description(format!("Live updates: {}", article.title))
        .language(Some("en".into()))
        .last_build_date(
            updates
                .iter()
                .map(|u| u.edited_at.unwrap_or(u.created_at))
                .max()
                .or(article.live_started_at)
                .map(|t| utc(t).to_rfc2822()),
        )
        .items(items)
        .atom_ext(Some(atom_ext))
        .build()
        .to_string();
    xml(body.into_bytes(), "application/rss+xml; charset=utf-8")
}

pub async fn site_rss(State(state): State<AppState>) -> Answer {
    feed(&state, Source::Site, false).await
}

pub async fn site_atom(State(state): State<AppState>) -> Answer {
    feed(&state, Source::Site, true).await
}

pub async fn section_rss(State(state): State<AppState>, Path(slug): Path<String>) -> Answer {
    feed(&state, section(&state, &slug).await?, false).await
}

pub async fn section_atom(State(state): State<AppState>, Path(slug): Path<String>) -> Answer {
    feed(&state, section(&state, &slug).await?, true).await
}

pub async fn tag_rss(State(state): State<AppState>, Path(slug): Path<String>) -> Answer {
    feed(&state, tag(&state, &slug).await?, false).await
}

pub async fn tag_atom(State(state): State<AppState>, Path(slug): Path<String>) -> Answer {
    feed(&state, tag(&state, &slug).await?, true).await
}

pub async fn author_rss(State(state): State<AppState>, Path(slug): Path<String>) -> Answer {
    feed(&state, author(&state, &slug).await?, false).await
}

pub async fn author_atom(State(state): State<AppState>, Path(slug): Path<String>) -> Answer {
    feed(&state, author(&state, &slug).await?, true).await
}

type XmlResult = Result<Vec<u8>, quick_xml::Error>;

fn element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> Result<(), quick_xml::Error> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

fn date(ts: i64) -> String {
    utc(ts).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `sitemap.xml`: an index of one sitemap per month plus the news sitemap and those of the
/// labels' pages (`labels`: (name, newest change), e.g. ("tags", …), left out when `None`).
pub fn sitemap_index(
    base: &str,
    months: &[(String, i64)],
    news_lastmod: Option<i64>,
    labels: &[(&str, Option<i64>)],
) -> XmlResult {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(
        BytesStart::new("sitemapindex")
            .with_attributes([("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")]),
    ))?;
    let mut entry = |loc: String, lastmod: Option<i64>| -> Result<(), quick_xml::Error> {
        w.write_event(Event::Start(BytesStart::new("sitemap")))?;
        element(&mut w, "loc", &loc)?;
        if let Some(t) = lastmod {
            element(&mut w, "lastmod", &date(t))?;
        }
        w.write_event(Event::End(BytesEnd::new("sitemap")))?;
        Ok(())
    };
    entry(format!("{base}/sitemaps/news.xml"), news_lastmod)?;
    for (name, lastmod) in labels {
        if lastmod.is_some() {
            entry(format!("{base}/sitemaps/{name}.xml"), *lastmod)?;
        }
    }
    for (month, lastmod) in months {
        entry(format!("{base}/sitemaps/{month}.xml"), Some(*lastmod))?;
    }
    w.write_event(Event::End(BytesEnd::new("sitemapindex")))?;
    Ok(w.into_inner())
}

/// A sitemap of pages: (path, last change).
pub fn url_set(base: &str, urls: &[(String, i64)]) -> XmlResult {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("urlset").with_attributes([(
        "xmlns",
        "http://www.sitemaps.org/schemas/sitemap/0.9",
    )])))?;
    for (path, lastmod) in urls {
        w.write_event(Event::Start(BytesStart::new("url")))?;
        element(&mut w, "loc", &format!("{base}{path}"))?;
        element(&mut w, "lastmod", &date(*lastmod))?;
        w.write_event(Event::End(BytesEnd::new("url")))?;
    }
    w.write_event(Event::End(BytesEnd::new("urlset")))?;
    Ok(w.into_inner())
}

/// The Google News sitemap: articles of the last 48 hours with their publication data.
pub fn news_set(base: &str, site_name: &str, items: &[(String, String, i64)]) -> XmlResult {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("urlset").with_attributes([
        ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
        (
            "xmlns:news",
            "http://www.google.com/schemas/sitemap-news/0.9",
        ),
    ])))?;
    for (slug, title, published) in items {
        w.write_event(Event::Start(BytesStart::new("url")))?;
        element(&mut w, "loc", &article_url(base, slug))?;
        w.write_event(Event::Start(BytesStart::new("news:news")))?;
        w.write_event(Event::Start(BytesStart::new("news:publication")))?;
        element(&mut w, "news:name", site_name)?;
        element(&mut w, "news:language", "en")?;
        w.write_event(Event::End(BytesEnd::new("news:publication")))?;
        element(&mut w, "news:publication_date", &date(*published))?;
        element(&mut w, "news:title", title)?;
        w.write_event(Event::End(BytesEnd::new("news:news")))?;
        w.write_event(Event::End(BytesEnd::new("url")))?;
    }
    w.write_event(Event::End(BytesEnd::new("urlset")))?;
    Ok(w.into_inner())
}

const XML: &str = "application/xml; charset=utf-8";

/// The sitemaps of the labels' pages: `/sitemaps/<name>.xml`, which labels, their addresses.
type LabelSitemap = (&'static str, db::labels::Kind, fn(&str) -> String);
const LABEL_SITEMAPS: [LabelSitemap; 2] = [
    ("tags", db::labels::TAGS, crate::model::tag_href),
    ("authors", db::labels::AUTHORS, crate::model::author_href),
];

/// The sitemaps with a name rather than a month: the labels' pages and the site's pages.
const NAMED_SITEMAPS: [&str; 3] = ["tags", "authors", "pages"];

/// The addresses (with their last change) of a named sitemap; `None`: no such sitemap.
async fn named_sitemap(
    state: &AppState,
    name: &str,
) -> Result<Option<Vec<(String, i64)>>, AppError> {
    if name == "pages" {
        let pages = db::pages::sitemap(&state.pool).await?;
        return Ok(Some(
            pages
                .into_iter()
                .map(|(path, lastmod)| (crate::server::newsroom::page_href(&path), lastmod))
                .collect(),
        ));
    }
    let Some((_, kind, href)) = LABEL_SITEMAPS
        .into_iter()
        .find(|(label, _, _)| *label == name)
    else {
        return Ok(None);
    };
    Ok(Some(
        db::labels::sitemap(kind, &state.pool)
            .await?
            .into_iter()
            .map(|(slug, lastmod)| (href(&slug), lastmod))
            .collect(),
    ))
}

pub async fn sitemap(State(state): State<AppState>) -> Answer {
    let base = &state.config.public_url;
    let now = state.clock.now();
    let months = db::feeds::months(&state.pool).await?;
    let news = db::feeds::since(&state.pool, now - NEWS_WINDOW).await?;
    let mut labels = Vec::new();
    for name in NAMED_SITEMAPS {
        let urls = named_sitemap(&state, name).await?.unwrap_or_default();
        labels.push((name, urls.iter().map(|t| t.1).max()));
    }
    xml(
        sitemap_index(base, &months, news.first().map(|n| n.2), &labels).map_err(xml_error)?,
        XML,
    )
}

/// `/sitemaps/2026-11.xml`, `/sitemaps/news.xml`, `/sitemaps/tags.xml`,
/// `/sitemaps/authors.xml` or `/sitemaps/pages.xml`.
pub async fn sitemap_part(State(state): State<AppState>, Path(name): Path<String>) -> Answer {
    let base = &state.config.public_url;
    if name == "news.xml" {
        let items = db::feeds::since(&state.pool, state.clock.now() - NEWS_WINDOW).await?;
        return xml(
            news_set(base, &state.config.site_name, &items).map_err(xml_error)?,
            XML,
        );
    }
    let named = match name.strip_suffix(".xml") {
        Some(stem) if NAMED_SITEMAPS.contains(&stem) => named_sitemap(&state, stem).await?,
        _ => None,
    };
    if let Some(urls) = named {
        if urls.is_empty() {
            return Err(not_found());
        }
        return xml(url_set(base, &urls).map_err(xml_error)?, XML);
    }
    let month = name.strip_suffix(".xml").ok_or_else(not_found)?;
    let first =
        NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| not_found())?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    let (Some(start), Some(end)) = (
        first.and_hms_opt(0, 0, 0),
        next.and_then(|n| n.and_hms_opt(0, 0, 0)),
    ) else {
        return Err(not_found());
    };
    let urls: Vec<(String, i64)> = db::feeds::month(
        &state.pool,
        start.and_utc().timestamp(),
        end.and_utc().timestamp(),
    )
    .await?
    .into_iter()
    .map(|(slug, lastmod)| (crate::model::article_href(&slug), lastmod))
    .collect();
    if urls.is_empty() {
        return Err(not_found());
    }
    xml(url_set(base, &urls).map_err(xml_error)?, XML)
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /admin\nDisallow: /api/\nDisallow: /search\n\nSitemap: {}/sitemap.xml\nSitemap: {}/sitemaps/news.xml\n",
        state.config.public_url, state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
