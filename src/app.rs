//! The HTML shell and the route table. Shared context lives in `site`, pages in `pages`.

use crate::components::site::provide_site;
use crate::components::{footer::SiteFooter, header::SiteHeader};
use crate::model::seo::SiteName;
#[cfg(feature = "newsroom")]
use crate::pages::newsroom::{
    AccountRoute, AuthorsRoute, DashboardRoute, EditorRoute, ImportRoute, LoginRoute, MediaRoute,
    NavigationRoute, NewsletterRoute, PagesRoute, ProfileRoute, RedirectsRoute, TagsRoute,
    UsersRoute,
};
use crate::pages::{
    article::ArticlePage, author::AuthorPage, category::CategoryPage, home::HomePage,
    not_found::NotFound, search::SearchPage, site_page::SitePageView, tag::TagPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, Title};
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    ParamSegment, SsrMode, StaticSegment, WildcardSegment,
};
#[cfg(feature = "ssr")]
use {
    crate::components::loader::{NewsroomScripts, ReaderScripts, SiteStylesheet},
    leptos::either::Either,
    leptos_meta::MetaTags,
};
// (`ssr` implies `newsroom`: the server renders both apps.)
#[cfg(feature = "newsroom")]
use {
    crate::routes::RouteKind,
    leptos_router::{hooks::use_location, Lazy},
};

/// The document around every page (the server renders it; `ssr` includes the newsroom).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    send_content_security_policy();
    // Two apps share the shell. Reader pages are server-rendered with islands: only the search
    // box, the menu, the theme toggle, the category filter and the share button run in the
    // browser (`loader`). The newsroom is a whole app that hydrates at once.
    if is_newsroom_page() {
        Either::Left(view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <CommonHead options=options.clone()/>
                    <NewsroomScripts options/>
                    <MetaTags/>
                </head>
                <body>
                    <NewsroomApp/>
                </body>
            </html>
        })
    } else {
        Either::Right(view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <CommonHead options=options.clone()/>
                    <ReaderScripts options/>
                    <MetaTags/>
                </head>
                <body data-app="reader">
                    <ReaderApp/>
                </body>
            </html>
        })
    }
}

#[cfg(feature = "ssr")]
#[component]
fn CommonHead(options: LeptosOptions) -> impl IntoView {
    view! {
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <script nonce=leptos::nonce::use_nonce() inner_html=crate::components::theme::APPLY_SAVED_THEME></script>
        <AutoReload options=options.clone()/>
        // The stylesheet's name carries its content hash (cached for a year).
        <SiteStylesheet options/>
    }
}

/// The page's Content-Security-Policy, with the nonce of this render: the only inline scripts
/// that run are the ones the server wrote into this page. (A page the cache keeps has its
/// nonce replaced by the hashes of its scripts: `cache::pin_scripts`.)
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use axum::http::{header, HeaderValue};
    let nonce = leptos::nonce::use_nonce();
    let res = use_context::<leptos_axum::ResponseOptions>();
    let state = use_context::<crate::server::state::AppState>();
    if let (Some(nonce), Some(res), Some(state)) = (nonce, res, state) {
        let policy = crate::server::headers::content_security_policy(
            &format!("'nonce-{nonce}'"),
            &state.config,
        );
        if let Ok(value) = HeaderValue::from_str(&policy) {
            res.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The newsroom (/admin) is its own app; every other address is a reader page.
#[cfg(feature = "ssr")]
fn is_newsroom_page() -> bool {
    use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| RouteKind::of(parts.uri.path()).is_newsroom_page())
}

/// What both apps put in `<head>` and provide before anything renders.
fn provide_app_context() -> impl IntoView {
    provide_meta_context();
    provide_site();
    // The server provides the name from its configuration before anything renders.
    let site_name = use_context::<SiteName>().unwrap_or_default();
    provide_context(site_name.clone());
    let formatter = move |title: String| site_name.title(&title);
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Link rel="alternate" type_="application/rss+xml" title="RSS" href="/feed.xml"/>
        <Link rel="alternate" type_="application/atom+xml" title="Atom" href="/atom.xml"/>
        <Meta name="theme-color" content="#b0141c"/>
        <Title formatter/>
    }
}

/// The reader's pages, rendered on the server only. What runs in the browser are the islands
/// inside them and `loader`'s navigation (the next page's HTML swapped in, no reload).
#[component]
pub fn ReaderApp() -> impl IntoView {
    let head = provide_app_context();
    #[cfg(feature = "ssr")]
    provide_context(crate::api::PageReads::default());
    view! {
        {head}
        <Router>
            <a class="skip-link" href="#content">"Skip to content"</a>
            <SiteHeader/>
            <main id="content" class="site-main" tabindex="-1">
                <FlatRoutes fallback=|| view! { <NotFound/> }>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("category"), ParamSegment("slug"))
                        view=CategoryPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("category"),
                            ParamSegment("slug"),
                            StaticSegment("page"),
                            ParamSegment("page"),
                        )
                        view=CategoryPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("author"), ParamSegment("slug"))
                        view=AuthorPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("author"),
                            ParamSegment("slug"),
                            StaticSegment("page"),
                            ParamSegment("page"),
                        )
                        view=AuthorPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("tag"), ParamSegment("slug"))
                        view=TagPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("tag"),
                            ParamSegment("slug"),
                            StaticSegment("page"),
                            ParamSegment("page"),
                        )
                        view=TagPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("article"), ParamSegment("slug"))
                        view=ArticlePage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async/>
                    <Route
                        path=StaticSegment("newsletter")
                        view=crate::pages::newsletter::NewsletterPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("newsletter"), StaticSegment("confirm"))
                        view=crate::pages::newsletter::NewsletterConfirmPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("newsletter"), StaticSegment("manage"))
                        view=crate::pages::newsletter::NewsletterManagePage
                        ssr=SsrMode::Async
                    />
                    // Last: any other address is a page of the site (About us…) or a 404.
                    <Route path=WildcardSegment("path") view=SitePageView ssr=SsrMode::Async/>
                </FlatRoutes>
            </main>
            <SiteFooter/>
        </Router>
    }
}

#[cfg(feature = "newsroom")]
/// The newsroom: an app that hydrates whole, its routes' code loaded with them (split WASM).
#[component]
pub fn NewsroomApp() -> impl IntoView {
    // (`hydrate_newsroom` marks the page live once every part of it is hydrated.)
    let head = provide_app_context();
    view! {
        {head}
        <Router>
            <a class="skip-link" href="#content">"Skip to content"</a>
            <main id="content" class="site-main" tabindex="-1">
                <FlatRoutes fallback=|| view! { <LeaveNewsroom/> }>
                    <Route path=StaticSegment("admin") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("login"))
                        view={Lazy::<LoginRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("users"))
                        view={Lazy::<UsersRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("authors"))
                        view={Lazy::<AuthorsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("authors"), ParamSegment("id"))
                        view={Lazy::<ProfileRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("media"))
                        view={Lazy::<MediaRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("navigation"))
                        view={Lazy::<NavigationRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("newsletter"))
                        view={Lazy::<NewsletterRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("redirects"))
                        view={Lazy::<RedirectsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("pages"))
                        view={Lazy::<PagesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("tags"))
                        view={Lazy::<TagsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("import"))
                        view={Lazy::<ImportRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("account"))
                        view={Lazy::<AccountRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("articles"), ParamSegment("id"))
                        view={Lazy::<EditorRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </FlatRoutes>
            </main>
        </Router>
    }
}

#[cfg(feature = "newsroom")]
/// An address the newsroom does not know: below /admin it is a 404; a link out of the
/// newsroom (to a reader page) is a full page load, because reader pages are another app.
#[component]
fn LeaveNewsroom() -> impl IntoView {
    let location = use_location();
    Effect::new(move |_| {
        let path = location.pathname.get();
        if !RouteKind::of(&path).is_newsroom_page() {
            let href = format!(
                "{path}{}{}",
                location.search.get_untracked(),
                location.hash.get_untracked()
            );
            let _ = window().location().assign(&href);
        }
    });
    view! { <NotFound/> }
}
