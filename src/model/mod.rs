//! Plain data shared by the server and the browser. Dates arrive already formatted in the
//! site's timezone, so the WASM bundle carries no date library.

use serde::{Deserialize, Serialize};

pub mod accounts;
pub mod fields;
pub mod live;
pub mod markdown_edit;
pub mod newsletter;
pub mod newsroom;
pub mod policy;
pub mod seo;
pub mod validate;

/// A section of the paper, in the editorial order of the navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
    /// Shown in the main navigation; "Press release" lives in the top bar instead.
    pub in_nav: bool,
}

impl Category {
    pub fn href(&self) -> String {
        category_href(&self.slug)
    }
}

pub fn category_href(slug: &str) -> String {
    format!("/category/{slug}")
}

/// A label on articles, with a page of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

impl Tag {
    pub fn href(&self) -> String {
        tag_href(&self.slug)
    }
}

pub fn tag_href(slug: &str) -> String {
    format!("/tag/{slug}")
}

/// A link in the footer (About us, Imprint…): a page of this site or a whole https:// address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FooterLink {
    pub label: String,
    pub href: String,
}

/// What the masthead and the footer link to, as admins set it: every section in order
/// (`in_nav`: in the masthead), and the footer's other links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Navigation {
    pub sections: Vec<Category>,
    pub footer: Vec<FooterLink>,
    /// The published pages, as footer links to offer ("Add a page"); ignored when saving.
    #[serde(default)]
    pub pages: Vec<FooterLink>,
}

/// One of an article's authors, linking to their page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorRef {
    pub slug: String,
    pub name: String,
}

impl AuthorRef {
    pub fn href(&self) -> String {
        author_href(&self.slug)
    }
}

pub fn author_href(slug: &str) -> String {
    format!("/author/{slug}")
}

/// Names as a byline reads them: "A", "A and B", "A, B and C".
pub fn byline_text(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// An author's profile as their page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorProfile {
    pub slug: String,
    pub name: String,
    /// "Politics correspondent"; empty when none is given.
    pub role_title: String,
    pub bio: String,
    pub photo: Option<Image>,
    /// Addresses elsewhere (their site, a social profile).
    pub links: Vec<String>,
}

/// An author's page: the profile and their published articles, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorPage {
    pub author: AuthorProfile,
    pub list: Paged<ArticleSummary>,
    pub sidebar: std::sync::Arc<Sidebar>,
}

pub fn article_href(slug: &str) -> String {
    format!("/article/{slug}")
}

/// A featured image as pages show it: always with its intrinsic size, so the browser
/// reserves the space before the file arrives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    /// Other widths of the same picture ("url 400w, url 800w"); empty when there are none.
    pub srcset: String,
}

/// A date as readers see it ("November 8, 2025") and as machines read it (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateLabel {
    pub text: String,
    pub iso: String,
}

/// One article in a list: cards, sidebars, search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub category: Category,
    pub published: DateLabel,
    pub image: Option<Image>,
    /// Live coverage is running: lists mark it "LIVE".
    pub live: bool,
}

impl ArticleSummary {
    pub fn href(&self) -> String {
        article_href(&self.slug)
    }
}

/// The whole article as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Its number: the page reports views of it by this.
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub category: Category,
    /// The byline as text ("A and B").
    pub author_name: String,
    /// The byline's people, each with a page (empty for an article from before profiles).
    pub authors: Vec<AuthorRef>,
    pub published: DateLabel,
    pub updated: Option<DateLabel>,
    pub reading_minutes: u32,
    pub image: Option<Image>,
    pub image_caption: String,
    pub image_credit: String,
    /// Rendered and sanitised on the server when the article was saved.
    pub body_html: String,
    /// Dated corrections and updates, oldest first.
    pub notes: Vec<newsroom::Note>,
    /// Its tags, in the editor's order.
    pub tags: Vec<Tag>,
}

/// The sidebar shared by article, category and home pages (one per content version, shared
/// by every page of it: hence the `Arc` in the pages' data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidebar {
    pub editors_pick: Vec<ArticleSummary>,
    pub latest_headlines: Vec<ArticleSummary>,
    /// The most read articles of the last 24 hours, most read first.
    pub most_read: Vec<ArticleSummary>,
    /// Its HTML, rendered by the first page that shows it; the server's sidebar lives as long
    /// as its content version (`server::reader::blocks`), so every page of that version puts in the
    /// same HTML. Never sent, and not part of the value.
    #[serde(skip)]
    pub rendered: RenderedOnce,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticlePage {
    pub article: Article,
    pub read_also: Vec<ArticleSummary>,
    pub related: Vec<ArticleSummary>,
    pub next: Option<ArticleSummary>,
    pub previous: Option<ArticleSummary>,
    pub sidebar: std::sync::Arc<Sidebar>,
    /// Its live coverage, when it has (or had) some.
    pub live: Option<live::LiveCoverage>,
}

/// What every page's chrome needs: the name, today's date and the sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub name: String,
    /// Absolute base address readers use (for canonical URLs and structured data).
    pub public_url: String,
    pub today: String,
    pub year: i32,
    pub categories: Vec<Category>,
    /// The footer's links besides the sections, in the admins' order.
    pub footer_links: Vec<FooterLink>,
    /// The newsletter can be subscribed to (the server has mail settings).
    #[serde(default)]
    pub newsletter: bool,
    /// The header's HTML as the server rendered it for this content version (one per day and
    /// marked section). Never sent, and not part of the value.
    #[serde(skip)]
    pub rendered: RenderedOnce,
}

/// Pieces of HTML the server renders once and puts into many pages, by key (few keys: the
/// map is emptied if it ever holds more than `RenderedOnce::MAX`).
#[derive(Clone, Default)]
pub struct RenderedOnce(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<str>>>>,
);

impl RenderedOnce {
    const MAX: usize = 64;

    /// The HTML kept under `key`, or `render`'s (kept for the next page).
    pub fn get_or_render(
        &self,
        key: String,
        render: impl FnOnce() -> String,
    ) -> std::sync::Arc<str> {
        if let Some(html) = self.0.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return html;
        }
        let html: std::sync::Arc<str> = render().into();
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= Self::MAX {
                map.clear();
            }
            map.insert(key, html.clone());
        }
        html
    }
}

impl PartialEq for RenderedOnce {
    /// A cache, not data: two site infos are equal whatever either has rendered.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RenderedOnce {}

impl std::fmt::Debug for RenderedOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderedOnce")
    }
}

/// A numbered page of a list, with what the pager needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub total_pages: u32,
    pub total_items: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySection {
    pub category: Category,
    pub articles: Vec<ArticleSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomePage {
    pub lead: Option<ArticleSummary>,
    pub sections: Vec<CategorySection>,
    pub sidebar: std::sync::Arc<Sidebar>,
}

/// The filtered "Latest" list of the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestList {
    /// `None` for "All".
    pub category: Option<Category>,
    pub articles: Vec<ArticleSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryPage {
    pub category: Category,
    pub list: Paged<ArticleSummary>,
    pub sidebar: std::sync::Arc<Sidebar>,
}

/// A page of the site (About us, Imprint…) as its reader's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePage {
    pub title: String,
    /// Its address, "/about-us/our-team".
    pub href: String,
    /// Its summary (for search engines and link previews); may be empty.
    pub excerpt: String,
    /// Rendered and sanitised at save time.
    pub body_html: String,
    pub published: DateLabel,
    pub updated: DateLabel,
    /// The published pages above it, top first: (title, address).
    pub parents: Vec<(String, String)>,
    /// The published pages right under it: (title, address).
    pub children: Vec<(String, String)>,
}

/// A tag's page: its published articles, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagPage {
    pub tag: Tag,
    pub list: Paged<ArticleSummary>,
    pub sidebar: std::sync::Arc<Sidebar>,
}

/// A piece of highlighted text: `marked` parts matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub text: String,
    pub marked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub article: ArticleSummary,
    pub title: Vec<Highlight>,
    pub snippet: Vec<Highlight>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Paged<SearchHit>,
}

/// One line of the live search dropdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub date: String,
    pub thumb: Option<Image>,
}

/// Limits shared by the forms and the server.
pub mod limits {
    /// Longest search query we look at; the rest is ignored.
    pub const MAX_QUERY_CHARS: usize = 200;
    /// The live search starts at this many characters.
    pub const MIN_SUGGEST_CHARS: usize = 2;
    pub const SUGGESTIONS: usize = 6;
    pub const CATEGORY_PAGE_SIZE: u32 = 12;
    /// Tags on one article, and the longest tag name.
    pub const TAGS_PER_ARTICLE: usize = 30;
    pub const TAG_NAME_MAX: usize = 60;
    pub const SEARCH_PAGE_SIZE: u32 = 10;
    /// The results page ranks the newest this-many matches of a query (30 pages of 10): a
    /// reader looks at the first few, and every ranked match costs the page's query its
    /// weights (at 1,000 the ranking was two thirds of a search page's database time).
    pub const SEARCH_RANKED_MATCHES: u32 = 300;
    pub const LATEST_ON_HOME: u32 = 10;
    /// Page numbers above this are refused as malformed rather than looked up.
    pub const MAX_PAGE: u32 = 100_000;
}

/// Reads a page number from a URL: missing means 1, anything not in 1..=MAX_PAGE is refused.
pub fn parse_page(raw: Option<&str>) -> Option<u32> {
    match raw {
        None => Some(1),
        Some("") => Some(1),
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=limits::MAX_PAGE).contains(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(byline_text(&names(&[])), "");
        assert_eq!(byline_text(&names(&["Ana Reyes"])), "Ana Reyes");
        assert_eq!(byline_text(&names(&["A", "B"])), "A and B");
        assert_eq!(byline_text(&names(&["A", "B", "C"])), "A, B and C");
    }

    #[test]
    fn page_numbers() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("")), Some(1));
        assert_eq!(parse_page(Some("3")), Some(3));
        assert_eq!(parse_page(Some("0")), None);
        assert_eq!(parse_page(Some("-2")), None);
        assert_eq!(parse_page(Some("abc")), None);
        assert_eq!(parse_page(Some("99999999999999999999")), None);
        assert_eq!(parse_page(Some("100001")), None);
    }
}

/// Percent-encodes a URL query value (RFC 3986 unreserved characters pass through).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-encodes a URI component (spaces as %20, for mailto: and share links).
pub fn encode_uri_component(value: &str) -> String {
    encode_query_value(value).replace('+', "%20")
}

pub fn search_href(query: &str, page: u32) -> String {
    let mut href = format!("/search?q={}", encode_query_value(query));
    if page > 1 {
        href.push_str(&format!("&page={page}"));
    }
    href
}

#[cfg(test)]
mod encode_tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query_value("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(search_href("tax", 1), "/search?q=tax");
        assert_eq!(encode_uri_component("a b+c"), "a%20b%2Bc");
        assert_eq!(search_href("tax cut", 3), "/search?q=tax+cut&page=3");
    }
}
