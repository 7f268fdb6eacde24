//! The HTML shell and the route table. Shared context lives in `site`, pages in `pages`.

use crate::components::{footer::SiteFooter, header::SiteHeader, loader::ReaderHydrationScript};
use crate::pages::{
    article::ArticlePage,
    category::CategoryPage,
    home::HomePage,
    newsroom::{AccountRoute, DashboardRoute, EditorRoute, LoginRoute, UsersRoute},
    not_found::NotFound,
    search::SearchPage,
};
use crate::routes::RouteKind;
use crate::site::{provide_site, SiteName};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    hooks::use_location,
    Lazy, ParamSegment, SsrMode, StaticSegment,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <script nonce=leptos::nonce::use_nonce() inner_html=crate::components::theme::APPLY_SAVED_THEME></script>
                <AutoReload options=options.clone()/>
                // The stylesheet's name carries its content hash (cached for a year).
                <HashedStylesheet options=options.clone() id="leptos"/>
                {if is_reader_page() {
                    view! { <ReaderHydrationScript options/> }.into_any()
                } else {
                    view! { <HydrationScripts options/> }.into_any()
                }}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy, with the nonce of this render: the only inline scripts
/// that run are the ones the server wrote into this page.
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use axum::http::{header, HeaderValue};
    let nonce = leptos::nonce::use_nonce();
    let res = use_context::<leptos_axum::ResponseOptions>();
    let state = use_context::<crate::server::state::AppState>();
    if let (Some(nonce), Some(res), Some(state)) = (nonce, res, state) {
        let policy = crate::server::http::content_security_policy(&nonce, &state.config);
        if let Ok(value) = HeaderValue::from_str(&policy) {
            res.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// Reader pages load their WASM after the page, when the browser is idle (`loader`), so the text
/// and the lead image come first (links and the search form work before hydration, as plain links
/// and a GET form). The newsroom is an app: it hydrates at once.
fn is_reader_page() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .is_none_or(|parts| !RouteKind::of(parts.uri.path()).is_newsroom_page())
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_site();
    // The server provides the name from its configuration before anything renders.
    let site_name = use_context::<SiteName>().unwrap_or_default();
    provide_context(site_name.clone());
    // Effects run once the page is hydrated: tells tests (and curious developers) it is live.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    let formatter = move |title: String| site_name.title(&title);

    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Link rel="alternate" type_="application/rss+xml" title="RSS" href="/feed.xml"/>
        <Link rel="alternate" type_="application/atom+xml" title="Atom" href="/atom.xml"/>
        <Meta name="theme-color" content="#b0141c"/>
        <Title formatter/>
        <Router>
            <a class="skip-link" href="#content">"Skip to content"</a>
            <ReaderChrome>
                <SiteHeader/>
            </ReaderChrome>
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
                        path=(StaticSegment("article"), ParamSegment("slug"))
                        view=ArticlePage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async/>
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
            <ReaderChrome>
                <SiteFooter/>
            </ReaderChrome>
        </Router>
    }
}

/// The reader's header and footer; the newsroom (/admin) has its own bar instead.
#[component]
fn ReaderChrome(children: ChildrenFn) -> impl IntoView {
    let location = use_location();
    let is_newsroom = move || RouteKind::of(&location.pathname.get()).is_newsroom_page();
    view! { <Show when=move || !is_newsroom()>{children()}</Show> }
}
