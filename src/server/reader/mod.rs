//! What readers read, with the reader's rules, beside the newsroom's service: the chrome of
//! every page, the front page, a section's pages, an article with its links, search. `api/`
//! only decodes a request and calls a method of [`Reader`].
//!
//! The rules that live here: "READ ALSO" always offers two links (topped up from the latest
//! headlines), an article shows "Updated" only when it changed well after it went out, a
//! search hit whose words matched only the title shows the excerpt instead of a snippet,
//! pages past the last answer 404 with how many there are.
//!
//! What many pages share is read once per content version (`blocks`). What a reader types into
//! search becomes a query in `db::query`; feeds and sitemaps are served by `edge::feeds`.

pub mod blocks;

use crate::error::AppError;
use crate::model::*;
use crate::server::config::Config;
use crate::server::dates;
use crate::server::db::Pool;
use crate::server::db::{
    articles as db, authors as authors_db, labels, query as search, search as search_db,
};
use crate::server::page_cache::PageCache;
use chrono_tz::Tz;
use std::sync::Arc;

/// How many "Related Posts" an article page lists.
pub const RELATED_POSTS: usize = 6;

/// The reader's reads, with what they need at hand: the database, the settings, the page
/// cache (whose generation says when shared blocks are out of date) and those blocks.
#[derive(Clone)]
pub struct Reader {
    pool: Pool,
    config: Arc<Config>,
    cache: Arc<PageCache>,
    blocks: Arc<blocks::SharedBlocks>,
}

impl Reader {
    pub fn new(
        pool: Pool,
        config: Arc<Config>,
        cache: Arc<PageCache>,
        blocks: Arc<blocks::SharedBlocks>,
    ) -> Self {
        Reader {
            pool,
            config,
            cache,
            blocks,
        }
    }

    fn tz(&self) -> Tz {
        self.config.timezone
    }

    /// The sections and the sidebar of the current content version.
    pub async fn blocks(&self) -> Result<Arc<blocks::Blocks>, AppError> {
        Ok(self
            .blocks
            .get(&self.cache, &self.pool, &self.config.timezone)
            .await?)
    }

    /// What the chrome of every page needs.
    pub async fn site(&self) -> Result<SiteInfo, AppError> {
        let config = &self.config;
        let tz = self.tz();
        let now = dates::now();
        let blocks = self.blocks().await?;
        Ok(SiteInfo {
            name: config.site_name.clone(),
            public_url: config.public_url.clone(),
            today: dates::long_day(now, &tz),
            year: dates::year(now, &tz),
            categories: blocks.categories.iter().map(|c| c.to_model()).collect(),
            footer_links: blocks.footer_links.clone(),
            newsletter: config.smtp_url.is_some() && config.smtp_from.is_some(),
            rendered: blocks.header.clone(),
        })
    }

    /// The section of a published article; `None` for anything else.
    pub async fn section_of_article(&self, slug: &str) -> Result<Option<String>, AppError> {
        Ok(db::section_of_published(&self.pool, slug).await?)
    }

    pub async fn home(&self) -> Result<HomePage, AppError> {
        let blocks = self.blocks().await?;
        // Shared by every home page of this content version (`blocks`).
        let front = blocks.front(&self.pool, &self.tz()).await?;
        Ok(HomePage {
            lead: front.lead.clone(),
            sections: front.sections.clone(),
            sidebar: blocks.sidebar.clone(),
        })
    }

    /// The "Latest" list of the home page, all sections (`None`, "" or "all") or one.
    pub async fn latest(&self, section: Option<&str>) -> Result<LatestList, AppError> {
        let blocks = self.blocks().await?;
        let section = match section.map(str::trim) {
            None | Some("") | Some("all") => None,
            Some(slug) => match blocks.category(slug) {
                Some(c) => Some(c),
                None => {
                    return Err(AppError::not_found(format!(
                        "There is no section called “{}”.",
                        slug.chars().take(60).collect::<String>()
                    )))
                }
            },
        };
        let Some(section) = section else {
            // Unfiltered, the list starts after the lead story, which sits just above it; both
            // are shared by every home page of this content version (`blocks`).
            let front = blocks.front(&self.pool, &self.tz()).await?;
            return Ok(LatestList {
                category: None,
                articles: front.latest.clone(),
            });
        };
        let rows = db::latest(&self.pool, Some(section.id), limits::LATEST_ON_HOME, 0).await?;
        Ok(LatestList {
            category: Some(section.to_model()),
            articles: db::into_models(rows, &self.tz()),
        })
    }

    /// Page `page` (from 1) of a section.
    pub async fn section_page(&self, slug: &str, page: u32) -> Result<CategoryPage, AppError> {
        let blocks = self.blocks().await?;
        let Some(category) = blocks.category(slug) else {
            return Err(AppError::not_found("There is no such section."));
        };
        let per_page = limits::CATEGORY_PAGE_SIZE;
        let offset = (page as u64 - 1) * per_page as u64;
        let total = blocks.published_in(category.id);
        let rows = db::latest(&self.pool, Some(category.id), per_page, offset).await?;
        let total_pages = total_pages(total, per_page);
        if page > total_pages {
            return Err(AppError::not_found(format!(
                "{} has {total_pages} page{} of articles; there is no page {page}.",
                category.name,
                if total_pages == 1 { "" } else { "s" }
            )));
        }
        Ok(CategoryPage {
            category: category.to_model(),
            list: Paged {
                items: db::into_models(rows, &self.tz()),
                page,
                total_pages,
                total_items: total,
            },
            sidebar: blocks.sidebar.clone(),
        })
    }

    /// Page `page` (from 1) of a tag's published articles.
    pub async fn tag_page(&self, slug: &str, page: u32) -> Result<TagPage, AppError> {
        let Some(tag) = labels::by_slug(labels::TAGS, &self.pool, slug).await? else {
            return Err(AppError::not_found("There is no such tag."));
        };
        let list = self
            .label_list(labels::TAGS, tag.id, &format!("The tag {}", tag.name), page)
            .await?;
        Ok(TagPage {
            tag: tag.to_model(),
            list,
            sidebar: self.blocks().await?.sidebar.clone(),
        })
    }

    /// The published page at `path` ("/about-us/our-team"), with the pages above and under it.
    /// Anything that cannot be a page's address is a 404 without asking the database.
    pub async fn site_page(&self, path: &str) -> Result<SitePage, AppError> {
        let missing = || {
            AppError::not_found("There is nothing at this address. The page may have moved, or the link may be mistyped.")
        };
        let path = path.trim_matches('/');
        let segments: Vec<&str> = path.split('/').collect();
        if path.is_empty()
            || path.len() > 400
            || !segments
                .iter()
                .all(|s| crate::model::validate::slug_is_valid(s))
        {
            return Err(missing());
        }
        let Some(row) = crate::server::db::pages::published(&self.pool, path).await? else {
            return Err(missing());
        };
        let above: Vec<String> = (1..segments.len())
            .map(|n| segments[..n].join("/"))
            .collect();
        let found = crate::server::db::pages::titles(&self.pool, &above).await?;
        let href = |p: &str| format!("/{p}");
        let parents = above
            .iter()
            .filter_map(|p| {
                found
                    .iter()
                    .find(|(path, _)| path == p)
                    .map(|(path, title)| (title.clone(), href(path)))
            })
            .collect();
        let children = crate::server::db::pages::children(&self.pool, row.id)
            .await?
            .into_iter()
            .map(|(path, title)| (title, href(&path)))
            .collect();
        let tz = self.tz();
        Ok(SitePage {
            title: row.title,
            href: href(&row.page_path),
            excerpt: row.excerpt,
            body_html: row.body_html,
            published: dates::label(row.published_at, &tz),
            updated: dates::label(row.updated_at, &tz),
            parents,
            children,
        })
    }

    /// Page `page` of the published articles of a tag or an author (`who` names it in the
    /// message for a page past the last).
    async fn label_list(
        &self,
        kind: labels::Kind,
        id: i64,
        who: &str,
        page: u32,
    ) -> Result<Paged<ArticleSummary>, AppError> {
        let per_page = limits::CATEGORY_PAGE_SIZE;
        let offset = (page as u64 - 1) * per_page as u64;
        let blocks = self.blocks().await?;
        let (total, rows) = match blocks.label_count(kind, id) {
            Some(total) => (
                total,
                labels::page(kind, &self.pool, id, per_page, offset).await?,
            ),
            None => {
                let (total, rows) = tokio::try_join!(
                    labels::count_published(kind, &self.pool, id),
                    labels::page(kind, &self.pool, id, per_page, offset),
                )?;
                blocks.remember_label_count(kind, id, total);
                (total, rows)
            }
        };
        let total_pages = total_pages(total, per_page);
        if page > total_pages {
            return Err(AppError::not_found(format!(
                "{who} has {total_pages} page{} of articles; there is no page {page}.",
                if total_pages == 1 { "" } else { "s" }
            )));
        }
        Ok(Paged {
            items: db::into_models(rows, &self.tz()),
            page,
            total_pages,
            total_items: total,
        })
    }

    /// Page `page` (from 1) of an author's published articles, with their profile.
    pub async fn author_page(&self, slug: &str, page: u32) -> Result<AuthorPage, AppError> {
        let Some(profile) = authors_db::by_slug(&self.pool, slug).await? else {
            return Err(AppError::not_found("There is no such author."));
        };
        let list = self
            .label_list(labels::AUTHORS, profile.id, &profile.name, page)
            .await?;
        let sidebar = self.blocks().await?.sidebar.clone();
        let photo = serde_json::from_str::<crate::model::newsroom::MediaRef>(&profile.photo)
            .ok()
            .map(|m| Image {
                url: m.url,
                alt: profile.name.clone(),
                width: m.width,
                height: m.height,
                srcset: m.srcset,
            });
        Ok(AuthorPage {
            author: AuthorProfile {
                slug: profile.slug,
                name: profile.name,
                role_title: profile.role_title,
                bio: profile.bio,
                photo,
                links: profile.links.lines().map(str::to_string).collect(),
            },
            list,
            sidebar,
        })
    }

    /// The live updates of published article `slug` older than update `before` ("Older
    /// updates").
    pub async fn older_updates(
        &self,
        slug: &str,
        before: i64,
    ) -> Result<crate::model::live::OlderUpdates, AppError> {
        let missing = || AppError::not_found("There are no such updates.");
        let id = crate::server::db::live::published(&self.pool, slug)
            .await?
            .filter(|a| a.live_state != 0)
            .ok_or_else(missing)?
            .id;
        Ok(crate::server::live::older(&self.pool, id, before, dates::now(), &self.tz()).await?)
    }

    /// A published article with everything its page links to.
    pub async fn article(&self, slug: &str) -> Result<ArticlePage, AppError> {
        let tz = self.tz();
        let Some(db::ArticleRead { row, around, notes }) =
            db::article_page(&self.pool, slug, RELATED_POSTS).await?
        else {
            return Err(AppError::not_found(
                "We could not find that article. It may have been moved or unpublished.",
            ));
        };
        let sidebar = self.blocks().await?.sidebar.clone();
        let mut read_also = db::into_models(around.read_also, &tz);
        // The box always offers two links: top up from the latest headlines if fewer were
        // chosen.
        for candidate in &sidebar.latest_headlines {
            if read_also.len() >= 2 {
                break;
            }
            if candidate.slug != row.slug && !read_also.iter().any(|r| r.slug == candidate.slug) {
                read_also.push(candidate.clone());
            }
        }
        // An update note only when the article changed well after it went out.
        let updated =
            (row.updated_at > row.published_at + 3600).then(|| dates::label(row.updated_at, &tz));
        let tags = row.tags();
        let authors = row.authors();
        // Live coverage: its updates come with the page (most articles have none: no query).
        let live = if row.live_state != 0 {
            crate::server::live::coverage(&self.pool, row.id, None, dates::now(), &tz).await?
        } else {
            None
        };
        let article = Article {
            id: row.id,
            tags,
            authors,
            image: row.lead.image(),
            slug: row.slug,
            title: row.title,
            excerpt: row.excerpt,
            category: Category {
                slug: row.cat_slug,
                name: row.cat_name,
                in_nav: row.cat_in_nav,
            },
            author_name: row.author_name,
            published: dates::label(row.published_at, &tz),
            updated,
            reading_minutes: row.reading_minutes.max(1) as u32,
            image_caption: row.lead.image_caption,
            image_credit: row.lead.image_credit,
            body_html: row.body_html,
            notes: notes
                .into_iter()
                .map(|(at, text)| crate::model::newsroom::Note {
                    date: dates::label(at, &tz).text,
                    text,
                })
                .collect(),
        };
        Ok(ArticlePage {
            article,
            read_also,
            related: db::into_models(around.related, &tz),
            next: around.next.map(|r| r.into_model(&tz)),
            previous: around.previous.map(|r| r.into_model(&tz)),
            sidebar,
            live,
        })
    }

    /// Page `page` (from 1) of the results for what a reader typed.
    pub async fn search(&self, typed: &str, page: u32) -> Result<SearchResults, AppError> {
        let tz = self.tz();
        let query = search::clean_display(typed);
        let per_page = limits::SEARCH_PAGE_SIZE;
        let Some(fts) = search::fts_query(&query) else {
            return Ok(SearchResults {
                query,
                hits: Paged {
                    items: vec![],
                    page: 1,
                    total_pages: 1,
                    total_items: 0,
                },
            });
        };
        let offset = (page as u64 - 1) * per_page as u64;
        let (total, rows) = search_db::page(&self.pool, &fts, per_page, offset).await?;
        // Pages go as far as the ranked window (the newest SEARCH_RANKED_MATCHES matches, best
        // first).
        let ranked = total.min(search_db::RESULTS_WINDOW as u64);
        let total_pages = total_pages(ranked, per_page);
        if page > total_pages {
            return Err(AppError::not_found(format!(
                "There are only {total_pages} page{} of results for this search.",
                if total_pages == 1 { "" } else { "s" }
            )));
        }
        let items = rows
            .into_iter()
            .map(|hit| {
                let snippet = search_db::split_marks(&search_db::one_line(&hit.snippet_marked));
                let title = search_db::split_marks(&hit.title_marked);
                let mut article = hit.summary.into_model(&tz);
                let snippet = if snippet.iter().any(|h| h.marked) {
                    snippet
                } else {
                    // The words matched the title only: the excerpt reads better than a
                    // random stretch of body.
                    vec![Highlight {
                        text: std::mem::take(&mut article.excerpt),
                        marked: false,
                    }]
                };
                SearchHit {
                    article,
                    title,
                    snippet,
                }
            })
            .collect();
        Ok(SearchResults {
            query,
            hits: Paged {
                items,
                page,
                total_pages,
                total_items: total,
            },
        })
    }

    /// The live search dropdown: the best few matches for what is typed so far (nothing for
    /// fewer than `limits::MIN_SUGGEST_CHARS` characters).
    pub async fn suggest(&self, typed: &str) -> Result<Vec<Suggestion>, AppError> {
        if typed.trim().chars().count() < limits::MIN_SUGGEST_CHARS {
            return Ok(vec![]);
        }
        let Some(fts) = search::fts_query(typed) else {
            return Ok(vec![]);
        };
        let rows = search_db::suggest(&self.pool, &fts, limits::SUGGESTIONS as u32).await?;
        let tz = self.tz();
        Ok(rows
            .into_iter()
            .map(|r| {
                let a = r.into_model(&tz);
                Suggestion {
                    slug: a.slug,
                    title: a.title,
                    category: a.category.name,
                    date: a.published.text,
                    thumb: a.image,
                }
            })
            .collect())
    }
}

/// How many pages `total` items fill, `per_page` each (at least one: an empty list is a page).
fn total_pages(total: u64, per_page: u32) -> u32 {
    (total.div_ceil(per_page as u64)).max(1) as u32
}
