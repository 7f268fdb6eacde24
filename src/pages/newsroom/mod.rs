//! The newsroom under /admin: login, dashboard, the article editor, users.
//!
//! With `cargo leptos build --split` each route's view goes into its own WASM chunk, fetched
//! the first time the route is visited: readers never download the editor. Each route's
//! `data()` (in the main bundle) starts the route's requests at once, so the chunk and the data
//! travel together instead of one after the other; the requests' own code is in chunks too
//! (`#[lazy]`), so the reader's bundle carries none of the newsroom's data types.

pub mod account;
pub mod authors;
pub mod dashboard;
pub mod editor;
pub mod frame;
pub mod import;
mod latest;
pub mod library;
pub mod login;
pub mod navigation;
pub mod newsletter;
pub mod pages;
pub mod redirects;
pub mod tags;
mod upload;
pub mod users;

use crate::api::accounts::whoami;
use crate::api::newsroom::{admin_article, admin_articles};
use crate::error::AppError;
use crate::model::accounts::CurrentUser;
use crate::model::newsroom::{AdminRow, EditorArticle};
use crate::model::Paged;
use futures_channel::oneshot;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::{lazy_route, LazyRoute};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// Who is logged in (every newsroom page but the login page needs to know).
pub type Me = Resource<Result<Option<CurrentUser>, AppError>>;
pub type DashboardRows = Resource<Result<Paged<AdminRow>, AppError>>;
pub type ArticleResource = Resource<Result<EditorArticle, AppError>>;

/// A route's request, started by its `data()` when the browser navigates to the route (and
/// sent at once, while the route's code is still on its way); its answer is taken by the
/// resource of the view. Nothing is started on the server, nor while the browser hydrates a
/// page the server rendered: the resources have their data then.
pub struct Prefetch<K, T>(Arc<Mutex<Started<K, T>>>);

/// The request's key and where its answer will arrive.
type Started<K, T> = Option<(K, oneshot::Receiver<T>)>;

impl<K, T> Clone for Prefetch<K, T> {
    fn clone(&self) -> Self {
        Prefetch(self.0.clone())
    }
}

impl<K: PartialEq + 'static, T: Send + 'static> Prefetch<K, T> {
    fn start<F>(key: K, request: impl FnOnce(K) -> F) -> Self
    where
        K: Clone,
        F: Future<Output = T> + 'static,
    {
        let hydrating = Owner::current_shared_context().is_some_and(|c| c.during_hydration());
        let started = (cfg!(feature = "hydrate") && !hydrating).then(|| {
            let (answer, answered) = oneshot::channel();
            let request = request(key.clone());
            leptos::task::spawn_local(async move {
                let _ = answer.send(request.await);
            });
            (key, answered)
        });
        Prefetch(Arc::new(Mutex::new(started)))
    }

    /// The answer to the request started for `key`, or `fresh` if there is none (any more).
    fn take_or<F>(&self, key: &K, fresh: F) -> Pin<Box<dyn Future<Output = T> + Send>>
    where
        F: Future<Output = T> + Send + 'static,
    {
        let started = self.0.lock().ok().and_then(|mut slot| slot.take());
        match started {
            Some((k, answered)) if k == *key => Box::pin(async move {
                match answered.await {
                    Ok(answer) => answer,
                    // The request was dropped on its way: ask again.
                    Err(_) => fresh.await,
                }
            }),
            _ => Box::pin(fresh),
        }
    }
}

#[lazy]
async fn fetch_me() -> Result<Option<CurrentUser>, AppError> {
    whoami().await
}

#[lazy]
async fn fetch_article(id: i64) -> Result<EditorArticle, AppError> {
    admin_article(id).await
}

/// The dashboard's filters as its address gives them: status, section, title words, page,
/// order.
type DashboardKey = (String, String, String, Option<String>, String);

fn dashboard_key(query: &ParamsMap) -> DashboardKey {
    let get = |k: &str| query.get(k).unwrap_or_default();
    (
        get("status"),
        get("category"),
        get("q"),
        query.get("page"),
        get("sort"),
    )
}

#[lazy]
async fn fetch_dashboard(key: DashboardKey) -> Result<Paged<AdminRow>, AppError> {
    let (status, category, q, page, sort) = key;
    admin_articles(Some(status), Some(category), Some(q), page, Some(sort)).await
}

fn start_me() -> Prefetch<(), Result<Option<CurrentUser>, AppError>> {
    Prefetch::start((), |_| fetch_me())
}

fn me(prefetch: Prefetch<(), Result<Option<CurrentUser>, AppError>>) -> Me {
    Resource::new(|| (), move |_| prefetch.take_or(&(), whoami()))
}

pub struct LoginRoute;

#[lazy_route]
impl LazyRoute for LoginRoute {
    fn data() -> Self {
        LoginRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <login::LoginPage/> }.into_any()
    }
}

pub struct DashboardRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
    rows: Prefetch<DashboardKey, Result<Paged<AdminRow>, AppError>>,
}

#[lazy_route]
impl LazyRoute for DashboardRoute {
    fn data() -> Self {
        let key = use_query_map().with_untracked(dashboard_key);
        DashboardRoute {
            me: start_me(),
            rows: Prefetch::start(key, fetch_dashboard),
        }
    }

    fn view(this: Self) -> AnyView {
        let query = use_query_map();
        let prefetch = this.rows;
        let rows = Resource::new(
            move || query.with(dashboard_key),
            move |key| {
                let (status, category, q, page, sort) = key.clone();
                let fresh = admin_articles(Some(status), Some(category), Some(q), page, Some(sort));
                prefetch.take_or(&key, fresh)
            },
        );
        view! { <dashboard::DashboardPage me=me(this.me) rows/> }.into_any()
    }
}

pub struct EditorRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
    article: Prefetch<i64, Result<EditorArticle, AppError>>,
}

fn article_id(params: &ParamsMap) -> i64 {
    params
        .get("id")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0)
}

#[lazy_route]
impl LazyRoute for EditorRoute {
    fn data() -> Self {
        let id = use_params_map().with_untracked(article_id);
        EditorRoute {
            me: start_me(),
            article: Prefetch::start(id, fetch_article),
        }
    }

    fn view(this: Self) -> AnyView {
        let params = use_params_map();
        let prefetch = this.article;
        let article = Resource::new(
            move || params.with(article_id),
            move |id| prefetch.take_or(&id, admin_article(id)),
        );
        view! { <editor::EditorPage me=me(this.me) article/> }.into_any()
    }
}

pub struct UsersRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for UsersRoute {
    fn data() -> Self {
        UsersRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <users::UsersPage me=me(this.me)/> }.into_any()
    }
}

pub struct AccountRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        AccountRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <account::AccountPage me=me(this.me)/> }.into_any()
    }
}

pub struct ImportRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for ImportRoute {
    fn data() -> Self {
        ImportRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <import::ImportPage me=me(this.me)/> }.into_any()
    }
}

pub struct PagesRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for PagesRoute {
    fn data() -> Self {
        PagesRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <pages::PagesPage me=me(this.me)/> }.into_any()
    }
}

pub struct TagsRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for TagsRoute {
    fn data() -> Self {
        TagsRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <tags::TagsPage me=me(this.me)/> }.into_any()
    }
}

pub struct AuthorsRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for AuthorsRoute {
    fn data() -> Self {
        AuthorsRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <authors::AuthorsPage me=me(this.me)/> }.into_any()
    }
}

pub struct ProfileRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for ProfileRoute {
    fn data() -> Self {
        ProfileRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <authors::ProfilePage me=me(this.me)/> }.into_any()
    }
}

pub struct RedirectsRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for RedirectsRoute {
    fn data() -> Self {
        RedirectsRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <redirects::RedirectsPage me=me(this.me)/> }.into_any()
    }
}

pub struct NewsletterRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for NewsletterRoute {
    fn data() -> Self {
        NewsletterRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <newsletter::NewsletterAdminPage me=me(this.me)/> }.into_any()
    }
}

pub struct NavigationRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for NavigationRoute {
    fn data() -> Self {
        NavigationRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <navigation::NavigationPage me=me(this.me)/> }.into_any()
    }
}

pub struct MediaRoute {
    me: Prefetch<(), Result<Option<CurrentUser>, AppError>>,
}

#[lazy_route]
impl LazyRoute for MediaRoute {
    fn data() -> Self {
        MediaRoute { me: start_me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <library::MediaPage me=me(this.me)/> }.into_any()
    }
}
