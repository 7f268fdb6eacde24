use crate::api::get_site;
use crate::components::{footer::SiteFooter, header::SiteHeader};
use crate::error::AppError;
use crate::model::SiteInfo;
use crate::pages::{
    admin::{dashboard::DashboardPage, editor::EditorPage, login::LoginPage, users::UsersPage},
    article::ArticlePage,
    category::CategoryPage,
    home::HomePage,
    not_found::NotFound,
    search::SearchPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    hooks::use_location,
    ParamSegment, SsrMode, StaticSegment,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let site: SiteResource = OnceResource::new(get_site());
    provide_context(site);
    provide_context(CurrentSection(RwSignal::new(None)));

    let formatter = move |title: String| {
        let name = site
            .get()
            .and_then(Result::ok)
            .map(|s| s.name)
            .unwrap_or_default();
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
        <Stylesheet id="leptos" href="/pkg/portal.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
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
                    <Route path=StaticSegment("admin") view=DashboardPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("login"))
                        view=LoginPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("users"))
                        view=UsersPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("articles"), ParamSegment("id"))
                        view=EditorPage
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
