//! Server functions: the only door from the pages to the data. Thin on purpose: decode the
//! arguments, find out who is asking, call the server, map to the model. Public reads (this
//! file) are GET with stable endpoints so that a cache in front can keep them; the newsroom's
//! are in `newsroom` and `accounts`. An `Err` answers with its own HTTP status (`error.rs`).

use crate::error::AppError;
use crate::model::*;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

pub mod accounts;
pub mod newsroom;
#[cfg(feature = "ssr")]
pub use ssr::PageReads;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::model::{policy::Actor, ArticlePage};
    use crate::server::state::AppState;
    use leptos::prelude::*;

    /// What the parts of one page read once and share, provided for a page's render: an
    /// article page's article is read for the page and for the header's section mark (two
    /// trips to the database for the same row otherwise).
    #[derive(Clone, Default)]
    pub struct PageReads {
        article: std::sync::Arc<tokio::sync::OnceCell<(String, Result<ArticlePage, AppError>)>>,
    }

    impl PageReads {
        /// The article `slug` as this page read it (the first asking part reads it), or
        /// `None` if the page read another one.
        pub async fn article(&self, slug: &str) -> Option<&Result<ArticlePage, AppError>> {
            let (read, result) = self
                .article
                .get_or_init(|| async {
                    (slug.to_string(), super::read_article(slug.into()).await)
                })
                .await;
            (read == slug).then_some(result)
        }
    }

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>()
            .ok_or_else(|| AppError::internal("server function", "AppState missing from context"))
    }

    pub async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>()
            .await
            .map_err(|e| AppError::internal("no session layer", e))
    }

    /// The state and who is asking (from the session, never the request), or 401.
    pub async fn actor() -> Result<(AppState, Actor), AppError> {
        let state = state()?;
        let actor = crate::server::accounts::session_actor(&session().await?, &state.pool).await?;
        Ok((state, actor))
    }

    /// The sections and the sidebar of the current content version.
    pub async fn blocks(
        state: &AppState,
    ) -> Result<std::sync::Arc<crate::server::blocks::Blocks>, AppError> {
        Ok(state
            .blocks
            .get(&state.cache, &state.pool, &state.config.timezone)
            .await?)
    }

    pub fn page_number(raw: Option<String>) -> Result<u32, AppError> {
        crate::model::parse_page(raw.as_deref()).ok_or_else(|| {
            AppError::bad_request("That page number is not valid. Pages are numbered 1, 2, 3…")
        })
    }

    pub fn total_pages(total: u64, per_page: u32) -> u32 {
        (total.div_ceil(per_page as u64)).max(1) as u32
    }
}

#[cfg(feature = "ssr")]
const RELATED_POSTS: usize = 6;

/// What the chrome of every page needs.
#[server(prefix = "/api", endpoint = "site", input = GetUrl)]
pub async fn get_site() -> Result<SiteInfo, AppError> {
    use crate::server::dates;
    let state = ssr::state()?;
    let tz = state.config.timezone;
    let now = dates::now();
    let blocks = ssr::blocks(&state).await?;
    let categories = &blocks.categories;
    Ok(SiteInfo {
        name: state.config.site_name.clone(),
        public_url: state.config.public_url.clone(),
        today: dates::long_day(now, &tz),
        year: dates::year(now, &tz),
        categories: categories.iter().map(|c| c.to_model()).collect(),
        rendered: blocks.header.clone(),
    })
}

/// The section of a published article (the navigation marks it); `None` for anything else.
#[server(prefix = "/api", endpoint = "section", input = GetUrl)]
pub async fn get_article_section(slug: String) -> Result<Option<String>, AppError> {
    // On an article page: the section of the article the page reads anyway.
    if let Some(reads) = use_context::<ssr::PageReads>() {
        match reads.article(&slug).await {
            Some(Ok(page)) => return Ok(Some(page.article.category.slug.clone())),
            Some(Err(AppError::NotFound(_))) => return Ok(None),
            Some(Err(error)) => return Err(error.clone()),
            None => {}
        }
    }
    let state = ssr::state()?;
    Ok(crate::server::db::articles::section_of_published(&state.pool, &slug).await?)
}

#[server(prefix = "/api", endpoint = "home", input = GetUrl)]
pub async fn get_home() -> Result<HomePage, AppError> {
    let state = ssr::state()?;
    let blocks = ssr::blocks(&state).await?;
    // Shared by every home page of this content version (`server::blocks`).
    let front = blocks.front(&state.pool, &state.config.timezone).await?;
    Ok(HomePage {
        lead: front.lead.clone(),
        sections: front.sections.clone(),
        sidebar: blocks.sidebar.clone(),
    })
}

/// The "Latest" list of the home page, optionally narrowed to one section.
#[server(prefix = "/api", endpoint = "latest", input = GetUrl)]
pub async fn get_latest(category: Option<String>) -> Result<LatestList, AppError> {
    use crate::server::db::articles as db;
    let state = ssr::state()?;
    let tz = state.config.timezone;
    let category = match category.as_deref().map(str::trim) {
        None | Some("") | Some("all") => None,
        Some(slug) => match ssr::blocks(&state).await?.category(slug) {
            Some(c) => Some(c.clone()),
            None => {
                return Err(AppError::not_found(format!(
                    "There is no section called “{}”.",
                    slug.chars().take(60).collect::<String>()
                )))
            }
        },
    };
    let Some(category) = category else {
        // Unfiltered, the list starts after the lead story, which sits just above it; both are
        // shared by every home page of this content version (`server::blocks`).
        let blocks = ssr::blocks(&state).await?;
        let front = blocks.front(&state.pool, &tz).await?;
        return Ok(LatestList {
            category: None,
            articles: front.latest.clone(),
        });
    };
    let rows = db::latest(&state.pool, Some(category.id), limits::LATEST_ON_HOME, 0).await?;
    Ok(LatestList {
        category: Some(category.to_model()),
        articles: db::into_models(rows, &tz),
    })
}

#[server(prefix = "/api", endpoint = "category", input = GetUrl)]
pub async fn get_category_page(
    slug: String,
    page: Option<String>,
) -> Result<CategoryPage, AppError> {
    use crate::server::db::articles as db;
    let state = ssr::state()?;
    let tz = state.config.timezone;
    let pool = &state.pool;
    let page = ssr::page_number(page)?;
    let blocks = ssr::blocks(&state).await?;
    let Some(category) = blocks.category(&slug) else {
        return Err(AppError::not_found("There is no such section."));
    };
    let per_page = limits::CATEGORY_PAGE_SIZE;
    let offset = (page as u64 - 1) * per_page as u64;
    let total = blocks.published_in(category.id);
    let rows = db::latest(pool, Some(category.id), per_page, offset).await?;
    let total_pages = ssr::total_pages(total, per_page);
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
            items: db::into_models(rows, &tz),
            page,
            total_pages,
            total_items: total,
        },
        sidebar: blocks.sidebar.clone(),
    })
}

#[server(prefix = "/api", endpoint = "article", input = GetUrl)]
pub async fn get_article(slug: String) -> Result<ArticlePage, AppError> {
    if let Some(reads) = use_context::<ssr::PageReads>() {
        if let Some(read) = reads.article(&slug).await {
            return read.clone();
        }
    }
    read_article(slug).await
}

#[cfg(feature = "ssr")]
async fn read_article(slug: String) -> Result<ArticlePage, AppError> {
    use crate::server::{dates, db::articles as db};
    let state = ssr::state()?;
    let tz = state.config.timezone;
    let pool = &state.pool;
    let Some(db::ArticleRead { row, around, notes }) =
        db::article_page(pool, &slug, RELATED_POSTS).await?
    else {
        return Err(AppError::not_found(
            "We could not find that article. It may have been moved or unpublished.",
        ));
    };
    let sidebar = ssr::blocks(&state).await?.sidebar.clone();
    let mut read_also = db::into_models(around.read_also, &tz);
    // The box always offers two links: top up from the latest headlines if fewer were chosen.
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
    let article = Article {
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
    })
}

/// The full results page.
#[server(prefix = "/api", endpoint = "search", input = GetUrl)]
pub async fn search_articles(
    q: Option<String>,
    page: Option<String>,
) -> Result<SearchResults, AppError> {
    use crate::server::{db::search as sdb, search};
    let state = ssr::state()?;
    let tz = state.config.timezone;
    let page = ssr::page_number(page)?;
    let query = search::clean_display(q.as_deref().unwrap_or(""));
    let per_page = limits::SEARCH_PAGE_SIZE;
    let empty = |query: String| SearchResults {
        query,
        hits: Paged {
            items: vec![],
            page: 1,
            total_pages: 1,
            total_items: 0,
        },
    };
    let Some(fts) = search::fts_query(&query) else {
        return Ok(empty(query));
    };
    let offset = (page as u64 - 1) * per_page as u64;
    let (total, rows) = sdb::page(&state.pool, &fts, per_page, offset).await?;
    // Pages go as far as the ranked window (the newest SEARCH_RANKED_MATCHES matches, best first).
    let ranked = total.min(sdb::RESULTS_WINDOW as u64);
    let total_pages = ssr::total_pages(ranked, per_page);
    if page > total_pages {
        return Err(AppError::not_found(format!(
            "There are only {total_pages} page{} of results for this search.",
            if total_pages == 1 { "" } else { "s" }
        )));
    }
    let items = rows
        .into_iter()
        .map(|hit| {
            let snippet = sdb::split_marks(&sdb::one_line(&hit.snippet_marked));
            let title = sdb::split_marks(&hit.title_marked);
            let mut article = hit.summary.into_model(&tz);
            let snippet = if snippet.iter().any(|h| h.marked) {
                snippet
            } else {
                // The words matched the title only: the excerpt reads better than a random
                // stretch of body.
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

/// The live search dropdown: the best few matches for what is typed so far.
#[server(prefix = "/api", endpoint = "suggest", input = GetUrl)]
pub async fn suggest(q: Option<String>) -> Result<Vec<Suggestion>, AppError> {
    use crate::server::{db::search as sdb, search};
    let state = ssr::state()?;
    let tz = state.config.timezone;
    let q = q.unwrap_or_default();
    if q.trim().chars().count() < limits::MIN_SUGGEST_CHARS {
        return Ok(vec![]);
    }
    let Some(fts) = search::fts_query(&q) else {
        return Ok(vec![]);
    };
    let rows = sdb::suggest(&state.pool, &fts, limits::SUGGESTIONS as u32).await?;
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

/// What each server function takes as its body (path, content type), for the check that
/// refuses any other (`server::csrf`). A test compares it with the registered functions, so a
/// new one cannot be forgotten.
#[cfg(feature = "ssr")]
pub fn body_types() -> Vec<(&'static str, &'static str)> {
    use leptos::server_fn::{ContentType, Http, ServerFn};
    fn takes<T, I, O>() -> (&'static str, &'static str)
    where
        T: ServerFn<Protocol = Http<I, O>>,
        I: ContentType,
    {
        (T::PATH, I::CONTENT_TYPE)
    }
    use accounts::*;
    use newsroom::*;
    vec![
        takes::<GetSite, _, _>(),
        takes::<GetArticleSection, _, _>(),
        takes::<GetHome, _, _>(),
        takes::<GetLatest, _, _>(),
        takes::<GetCategoryPage, _, _>(),
        takes::<GetArticle, _, _>(),
        takes::<SearchArticles, _, _>(),
        takes::<Suggest, _, _>(),
        takes::<AdminArticles, _, _>(),
        takes::<AdminArticle, _, _>(),
        takes::<NewArticle, _, _>(),
        takes::<SaveArticle, _, _>(),
        takes::<ChangeStatus, _, _>(),
        takes::<AddNote, _, _>(),
        takes::<ArticleRevisions, _, _>(),
        takes::<ArticleRevision, _, _>(),
        takes::<RestoreRevision, _, _>(),
        takes::<PreviewMarkdown, _, _>(),
        takes::<PickCandidates, _, _>(),
        takes::<ImportStatus, _, _>(),
        takes::<Login, _, _>(),
        takes::<Logout, _, _>(),
        takes::<ChangePassword, _, _>(),
        takes::<LogoutEverywhere, _, _>(),
        takes::<AuditLog, _, _>(),
        takes::<Whoami, _, _>(),
        takes::<ListUsers, _, _>(),
        takes::<CreateUser, _, _>(),
        takes::<UpdateUser, _, _>(),
        takes::<ResetPassword, _, _>(),
    ]
}

#[cfg(all(test, feature = "ssr"))]
mod body_type_tests {
    #[test]
    fn every_server_function_has_its_body_type_listed() {
        let listed: std::collections::BTreeSet<&str> =
            super::body_types().iter().map(|(p, _)| *p).collect();
        let registered: std::collections::BTreeSet<&str> =
            leptos::server_fn::axum::server_fn_paths()
                .map(|(p, _)| p)
                .collect();
        assert_eq!(listed, registered);
    }
}
