//! Server functions: the only door from the pages to the data. Thin on purpose: decode the
//! arguments, find out who is asking, call the server, map to the model. Public reads (this
//! file) are GET with stable endpoints so that a cache in front can keep them; the newsroom's
//! are in `newsroom` and `accounts`. An `Err` answers with its own HTTP status (`error.rs`).

use crate::error::AppError;
use crate::model::*;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

pub mod accounts;
pub mod newsletter;
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
                    let read = match reader() {
                        Ok(reader) => reader.article(slug).await,
                        Err(error) => Err(error),
                    };
                    (slug.to_string(), read)
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

    /// The reader's service, for the request being answered.
    pub fn reader() -> Result<crate::server::reader::Reader, AppError> {
        Ok(state()?.reader())
    }

    pub fn page_number(raw: Option<String>) -> Result<u32, AppError> {
        crate::model::parse_page(raw.as_deref()).ok_or_else(|| {
            AppError::bad_request("That page number is not valid. Pages are numbered 1, 2, 3…")
        })
    }
}

/// What the chrome of every page needs.
#[server(prefix = "/api", endpoint = "site", input = GetUrl)]
pub async fn get_site() -> Result<SiteInfo, AppError> {
    ssr::reader()?.site().await
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
    ssr::reader()?.section_of_article(&slug).await
}

#[server(prefix = "/api", endpoint = "home", input = GetUrl)]
pub async fn get_home() -> Result<HomePage, AppError> {
    ssr::reader()?.home().await
}

/// The "Latest" list of the home page, optionally narrowed to one section.
#[server(prefix = "/api", endpoint = "latest", input = GetUrl)]
pub async fn get_latest(category: Option<String>) -> Result<LatestList, AppError> {
    ssr::reader()?.latest(category.as_deref()).await
}

#[server(prefix = "/api", endpoint = "category", input = GetUrl)]
pub async fn get_category_page(
    slug: String,
    page: Option<String>,
) -> Result<CategoryPage, AppError> {
    let page = ssr::page_number(page)?;
    ssr::reader()?.section_page(&slug, page).await
}

#[server(prefix = "/api", endpoint = "tag", input = GetUrl)]
pub async fn get_tag_page(slug: String, page: Option<String>) -> Result<TagPage, AppError> {
    let page = ssr::page_number(page)?;
    ssr::reader()?.tag_page(&slug, page).await
}

#[server(prefix = "/api", endpoint = "author", input = GetUrl)]
pub async fn get_author_page(slug: String, page: Option<String>) -> Result<AuthorPage, AppError> {
    let page = ssr::page_number(page)?;
    ssr::reader()?.author_page(&slug, page).await
}

/// A page of the site (About us, Imprint…) by its address.
#[server(prefix = "/api", endpoint = "page", input = GetUrl)]
pub async fn get_site_page(path: String) -> Result<SitePage, AppError> {
    ssr::reader()?.site_page(&path).await
}

#[server(prefix = "/api", endpoint = "article", input = GetUrl)]
pub async fn get_article(slug: String) -> Result<ArticlePage, AppError> {
    if let Some(reads) = use_context::<ssr::PageReads>() {
        if let Some(read) = reads.article(&slug).await {
            return read.clone();
        }
    }
    ssr::reader()?.article(&slug).await
}

/// The live updates of article `slug` older than update `before` ("Older updates").
#[server(prefix = "/api", endpoint = "older_updates", input = GetUrl)]
pub async fn get_older_updates(
    slug: String,
    before: i64,
) -> Result<crate::model::live::OlderUpdates, AppError> {
    ssr::reader()?.older_updates(&slug, before).await
}

/// The full results page.
#[server(prefix = "/api", endpoint = "search", input = GetUrl)]
pub async fn search_articles(
    q: Option<String>,
    page: Option<String>,
) -> Result<SearchResults, AppError> {
    let page = ssr::page_number(page)?;
    ssr::reader()?
        .search(q.as_deref().unwrap_or(""), page)
        .await
}

/// The live search dropdown: the best few matches for what is typed so far.
#[server(prefix = "/api", endpoint = "suggest", input = GetUrl)]
pub async fn suggest(q: Option<String>) -> Result<Vec<Suggestion>, AppError> {
    ssr::reader()?.suggest(q.as_deref().unwrap_or("")).await
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
        takes::<GetTagPage, _, _>(),
        takes::<GetAuthorPage, _, _>(),
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
        takes::<TagSuggestions, _, _>(),
        takes::<AdminTags, _, _>(),
        takes::<ChangeTag, _, _>(),
        takes::<AuthorSuggestions, _, _>(),
        takes::<AdminAuthors, _, _>(),
        takes::<AdminProfile, _, _>(),
        takes::<SaveProfile, _, _>(),
        takes::<NewProfile, _, _>(),
        takes::<AdminRedirects, _, _>(),
        takes::<AddRedirect, _, _>(),
        takes::<RemoveRedirect, _, _>(),
        takes::<AdminNavigation, _, _>(),
        takes::<SaveNavigation, _, _>(),
        takes::<MediaLibrary, _, _>(),
        takes::<MediaUses, _, _>(),
        takes::<SaveMediaTexts, _, _>(),
        takes::<DeleteMedia, _, _>(),
        takes::<ImportStatus, _, _>(),
        takes::<AdminPages, _, _>(),
        takes::<NewPage, _, _>(),
        takes::<GetSitePage, _, _>(),
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
        takes::<GetOlderUpdates, _, _>(),
        takes::<LiveCoverage, _, _>(),
        takes::<SwitchLive, _, _>(),
        takes::<PostUpdate, _, _>(),
        takes::<EditUpdate, _, _>(),
        takes::<DeleteUpdate, _, _>(),
        takes::<PinUpdate, _, _>(),
        takes::<newsletter::GetSubscription, _, _>(),
        takes::<newsletter::GetNewsletterOverview, _, _>(),
        takes::<newsletter::SetNewsletterSchedule, _, _>(),
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
