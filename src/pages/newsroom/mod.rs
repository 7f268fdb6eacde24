//! The newsroom under /admin: login, dashboard, the article editor, users.
//!
//! With `cargo leptos build --split` each route's view goes into its own WASM chunk, fetched
//! the first time the route is visited: readers never download the editor. Each route's
//! `data()` is in the main bundle and starts the route's requests at once, so the chunk and
//! the data travel together instead of one after the other.

pub mod dashboard;
pub mod editor;
pub mod frame;
mod latest;
pub mod login;
mod upload;
pub mod users;

use crate::api::accounts::whoami;
use crate::api::newsroom::{admin_article, admin_articles};
use crate::error::AppError;
use crate::model::accounts::CurrentUser;
use crate::model::newsroom::{AdminRow, EditorArticle};
use crate::model::Paged;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{lazy_route, LazyRoute};

/// Who is logged in (every newsroom page but the login page needs to know).
pub type Me = Resource<Result<Option<CurrentUser>, AppError>>;

fn me() -> Me {
    Resource::new(|| (), |_| whoami())
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

pub type DashboardRows = Resource<Result<Paged<AdminRow>, AppError>>;

pub struct DashboardRoute {
    me: Me,
    rows: DashboardRows,
}

#[lazy_route]
impl LazyRoute for DashboardRoute {
    fn data() -> Self {
        let query = use_query_map();
        let get = move |k: &str| query.read().get(k).unwrap_or_default();
        let rows = Resource::new(
            move || {
                (
                    get("status"),
                    get("category"),
                    get("q"),
                    query.read().get("page"),
                )
            },
            |(s, c, q, p)| admin_articles(Some(s), Some(c), Some(q), p),
        );
        DashboardRoute { me: me(), rows }
    }

    fn view(this: Self) -> AnyView {
        view! { <dashboard::DashboardPage me=this.me rows=this.rows/> }.into_any()
    }
}

pub type ArticleResource = Resource<Result<EditorArticle, AppError>>;

pub struct EditorRoute {
    me: Me,
    article: ArticleResource,
}

#[lazy_route]
impl LazyRoute for EditorRoute {
    fn data() -> Self {
        let params = use_params_map();
        let id = move || {
            params
                .read()
                .get("id")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0)
        };
        EditorRoute {
            me: me(),
            article: Resource::new(id, admin_article),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <editor::EditorPage me=this.me article=this.article/> }.into_any()
    }
}

pub struct UsersRoute {
    me: Me,
}

#[lazy_route]
impl LazyRoute for UsersRoute {
    fn data() -> Self {
        UsersRoute { me: me() }
    }

    fn view(this: Self) -> AnyView {
        view! { <users::UsersPage me=this.me/> }.into_any()
    }
}
