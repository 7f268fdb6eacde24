//! The newsroom under /admin: login, dashboard, the article editor, users.

pub mod dashboard;
pub mod editor;
pub mod frame;
pub mod login;
pub mod users;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

// The newsroom is loaded only by those who use it: with `cargo leptos build --split`, each of
// these routes' code goes into its own WASM chunk, fetched when the route is first visited.
// Readers' first load never carries the editor.

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

pub struct DashboardRoute;

#[lazy_route]
impl LazyRoute for DashboardRoute {
    fn data() -> Self {
        DashboardRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <dashboard::DashboardPage/> }.into_any()
    }
}

pub struct EditorRoute;

#[lazy_route]
impl LazyRoute for EditorRoute {
    fn data() -> Self {
        EditorRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <editor::EditorPage/> }.into_any()
    }
}

pub struct UsersRoute;

#[lazy_route]
impl LazyRoute for UsersRoute {
    fn data() -> Self {
        UsersRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <users::UsersPage/> }.into_any()
    }
}
