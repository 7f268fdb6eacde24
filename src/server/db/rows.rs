//! The rows more than one part of `db/` reads: an article in a list (`SummaryRow`, with the
//! columns and joins every list selects), a search hit, an article's lead image. Both
//! dialects and the article and search queries take them from here.

use crate::model::{ArticleSummary, Category, Image};
use crate::server::dates;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};
use sqlx::FromRow;

/// The columns of an article in a list. Every list query selects exactly these, from
/// `articles a JOIN categories c`, so one row type serves them all.
pub(crate) const SUMMARY_COLUMNS: &str = "a.id, a.slug, a.title, a.excerpt, \
    c.slug AS cat_slug, c.name AS cat_name, c.in_nav AS cat_in_nav, a.published_at, \
    a.image_url, a.image_alt, a.image_width, a.image_height, a.image_srcset, a.live_state";

/// The names `SUMMARY_COLUMNS` gives its columns, in order ("id, slug, …, cat_slug, …"): the
/// fields of a row read as JSON (`super::json_rows_sql`), `SummaryRow`'s fields in their order.
pub(crate) static SUMMARY_FIELDS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    SUMMARY_COLUMNS
        .split(',')
        .map(|c| {
            let c = c.trim();
            let named = c.rsplit_once(" AS ").map_or(c, |(_, name)| name);
            named.rsplit_once('.').map_or(named, |(_, name)| name)
        })
        .collect::<Vec<_>>()
        .join(", ")
});

pub(crate) const SUMMARY_FROM: &str = "articles a JOIN categories c ON c.id = a.category_id";

/// An article in a list. Read by column name (`FromRow`) or, as JSON, by position: the fields
/// are in `SUMMARY_COLUMNS`' order.
#[derive(Debug, Clone, PartialEq, FromRow, Deserialize)]
pub struct SummaryRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub cat_slug: String,
    pub cat_name: String,
    #[serde(deserialize_with = "flag")]
    pub cat_in_nav: bool,
    pub published_at: i64,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub image_width: Option<i64>,
    pub image_height: Option<i64>,
    pub image_srcset: String,
    /// 1 while its live coverage runs (`model::live::LiveState`).
    pub live_state: i64,
}

/// A boolean column in JSON: `true`/`false` from PostgreSQL, 1/0 from SQLite (which has no
/// boolean type).
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Flag;
    impl serde::de::Visitor<'_> for Flag {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean, or 0 or 1")
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<bool, E> {
            Ok(v != 0)
        }
    }
    d.deserialize_any(Flag)
}

fn image(
    url: Option<String>,
    alt: String,
    w: Option<i64>,
    h: Option<i64>,
    srcset: String,
) -> Option<Image> {
    let url = url.filter(|u| !u.is_empty())?;
    Some(Image {
        url,
        alt,
        // Sizes are always known for stored media; 16:9 is the fallback the layout expects.
        width: w.and_then(|w| u32::try_from(w).ok()).unwrap_or(1200),
        height: h.and_then(|h| u32::try_from(h).ok()).unwrap_or(675),
        srcset,
    })
}

impl SummaryRow {
    pub fn into_model(self, tz: &Tz) -> ArticleSummary {
        ArticleSummary {
            slug: self.slug,
            title: self.title,
            excerpt: self.excerpt,
            category: Category {
                slug: self.cat_slug,
                name: self.cat_name,
                in_nav: self.cat_in_nav,
            },
            published: dates::label(self.published_at, tz),
            image: image(
                self.image_url,
                self.image_alt,
                self.image_width,
                self.image_height,
                self.image_srcset,
            ),
            live: self.live_state == 1,
        }
    }
}

pub fn into_models(rows: Vec<SummaryRow>, tz: &Tz) -> Vec<ArticleSummary> {
    rows.into_iter().map(|r| r.into_model(tz)).collect()
}

/// A search hit: the article as in a list, its title and a snippet with the matches marked.
#[derive(Debug, FromRow)]
pub struct HitRow {
    #[sqlx(flatten)]
    pub summary: SummaryRow,
    pub title_marked: String,
    pub snippet_marked: String,
}

/// Ranking reads at most this many of the newest matches for the live dropdown...
pub const SUGGEST_WINDOW: u32 = 200;
/// ...and this many for the results page. A rare word has fewer matches and is ranked over
/// all of them; a very common one ("the") would otherwise make every keystroke score every
/// article. For a newspaper, the best of the most recent matches is what readers want anyway.
pub const RESULTS_WINDOW: u32 = crate::model::limits::SEARCH_RANKED_MATCHES;

/// The lead image's columns of `articles a`, named as `LeadImageRow`'s fields.
pub(crate) const LEAD_IMAGE_COLUMNS: &str = "a.image_url, a.image_alt, a.image_caption, \
    a.image_credit, a.image_width, a.image_height, a.image_srcset";

/// An article's lead image as stored (every column empty when it has none): the article page
/// and the editor read the same columns (`LEAD_IMAGE_COLUMNS`).
#[derive(Debug, Clone, Default, FromRow)]
pub struct LeadImageRow {
    pub image_url: Option<String>,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    pub image_width: Option<i64>,
    pub image_height: Option<i64>,
    pub image_srcset: String,
}

impl LeadImageRow {
    /// The image as pages show it (`None` without one).
    pub fn image(&self) -> Option<Image> {
        image(
            self.image_url.clone(),
            self.image_alt.clone(),
            self.image_width,
            self.image_height,
            self.image_srcset.clone(),
        )
    }
}

/// A statement selecting `SUMMARY_COLUMNS` (`select`), read as one JSON row of `SummaryRow`s
/// (`super::json_rows_sql`; their order is lost).
pub(crate) fn summaries_as_json(backend: super::Backend, select: &str) -> String {
    let row = super::json_array(backend, &SUMMARY_FIELDS);
    super::json_rows_sql(backend, &row, &format!("({select}) AS summaries"))
}
