use crate::api::get_site;
use crate::components::{footer::SiteFooter, header::SiteHeader};
use crate::error::AppError;
use crate::model::SiteInfo;
use crate::pages::{
    admin::{DashboardRoute, EditorRoute, LoginRoute, UsersRoute},
    article::ArticlePage,
    category::CategoryPage,
    home::HomePage,
    not_found::NotFound,
    search::SearchPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    hooks::use_location,
    Lazy, ParamSegment, SsrMode, StaticSegment,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <script inner_html=crate::components::theme::APPLY_SAVED_THEME></script>
                <AutoReload options=options.clone()/>
                // The stylesheet's name carries its content hash (cached for a year).
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options defer=hydrate_when_idle()/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Reader pages hydrate when the browser is idle, their JS and WASM fetched at low priority, so
/// the text and the lead image come first (links and the search form work before hydration, as
/// plain links and a GET form). The newsroom is an app: it hydrates at once.
fn hydrate_when_idle() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .is_none_or(|parts| !parts.uri.path().starts_with("/admin"))
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// The site's name, today's date and the sections: loaded once, shared by every page.
pub type SiteResource = OnceResource<Result<SiteInfo, AppError>>;

pub fn use_site() -> SiteResource {
    expect_context::<SiteResource>()
}

/// The section a page belongs to, so the navigation can mark it (set by article pages).
#[derive(Clone, Copy)]
pub struct CurrentSection(pub RwSignal<Option<String>>);

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The site's name where the `<title>` formatter can read it. Not a signal on purpose:
/// leptos_meta may format the title after the page's reactive owner is gone, and reading a
/// disposed signal there panics (and a panicking render never finishes its response).
#[derive(Clone, Default)]
pub struct SiteName(pub std::sync::Arc<std::sync::RwLock<String>>);

impl SiteName {
    pub fn set(&self, name: &str) {
        if let Ok(mut n) = self.0.write() {
            if *n != name {
                *n = name.to_string();
            }
        }
    }

    fn get(&self) -> String {
        self.0.read().map(|n| n.clone()).unwrap_or_default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let site: SiteResource = OnceResource::new(get_site());
    provide_context(site);
    provide_context(CurrentSection(RwSignal::new(None)));
    let site_name = SiteName::default();
    // On the server the name is known before anything renders.
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::server::state::AppState>() {
        site_name.set(&state.config.site_name);
    }
    provide_context(site_name.clone());
    // Effects run once the page is hydrated: tells tests (and curious developers) it is live.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    let formatter = move |title: String| {
        let name = site_name.get();
        let full = match (title.is_empty(), name.is_empty()) {
            (true, _) => name,
            (false, true) => title,
            (false, false) => format!("{title} – {name}"),
        };
        // leptos_meta writes the server-side <title> without escaping it; a search for
        // "</title><script>" must stay text. In the browser, document.title takes it raw.
        if cfg!(feature = "ssr") {
            escape_text(&full)
        } else {
            full
        }
    };

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
    let is_admin = move || {
        let path = location.pathname.get();
        path == "/admin" || path.starts_with("/admin/")
    };
    view! { <Show when=move || !is_admin()>{children()}</Show> }
}
