use crate::app::{use_site, CurrentSection};
use crate::components::search_box::SearchBox;
use crate::model::{Category, SiteInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The slug of the section the current page belongs to, for `aria-current` in the nav.
fn current_section() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let location = use_location();
    let CurrentSection(article_section) = expect_context::<CurrentSection>();
    move || {
        let path = location.pathname.get();
        if let Some(rest) = path.strip_prefix("/category/") {
            rest.split('/').next().map(str::to_string)
        } else if path.starts_with("/article/") {
            article_section.get()
        } else {
            None
        }
    }
}

#[component]
fn SectionLinks(categories: Vec<Category>, #[prop(optional)] all: bool) -> impl IntoView {
    let current = current_section();
    categories
        .into_iter()
        .filter(|c| all || c.in_nav)
        .map(|c| {
            let slug = c.slug.clone();
            let href = c.href();
            view! {
                <li>
                    <a
                        href=href
                        aria-current=move || (current() == Some(slug.clone())).then_some("page")
                    >
                        {c.name}
                    </a>
                </li>
            }
        })
        .collect_view()
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = use_site();
    let drawer_open = RwSignal::new(false);
    let location = use_location();
    // Any navigation closes the drawer.
    Effect::new(move |_| {
        location.pathname.track();
        location.search.track();
        drawer_open.set(false);
    });

    let site_name = expect_context::<crate::app::SiteName>();
    let chrome = move |info: SiteInfo| {
        site_name.set(&info.name);
        let SiteInfo {
            name,
            today,
            categories,
            ..
        } = info;
        view! {
            <div class="topbar">
                <div class="wrap topbar-inner">
                    <p class="today">{today}</p>
                    <nav class="top-links" aria-label="Quick links">
                        <a href="/">"Home"</a>
                        <a href="/category/press-release">"Press release"</a>
                    </nav>
                </div>
            </div>
            <div class="wrap masthead">
                <button
                    type="button"
                    class="menu-button"
                    aria-controls="drawer"
                    aria-expanded=move || if drawer_open.get() { "true" } else { "false" }
                    aria-label="Menu"
                    on:click=move |_| drawer_open.update(|o| *o = !*o)
                >
                    <span class="menu-icon" aria-hidden="true"></span>
                </button>
                <a class="site-name" href="/">{name}</a>
                <div class="masthead-search">
                    <SearchBox id="site-search"/>
                </div>
            </div>
            <nav class="main-nav" aria-label="Sections">
                <ul class="wrap nav-list">
                    <SectionLinks categories=categories.clone()/>
                </ul>
            </nav>
            <div
                id="drawer"
                class="drawer"
                class:open=move || drawer_open.get()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        drawer_open.set(false);
                    }
                }
            >
                <div class="drawer-panel" role="dialog" aria-modal="false" aria-label="Menu">
                    <button type="button" class="drawer-close" on:click=move |_| drawer_open.set(false)>
                        "Close"
                    </button>
                    <SearchBox id="drawer-search"/>
                    <nav aria-label="Sections (menu)">
                        <ul class="drawer-nav">
                            <li><a href="/">"Home"</a></li>
                            <SectionLinks categories=categories all=true/>
                        </ul>
                    </nav>
                </div>
                <div class="drawer-backdrop" on:click=move |_| drawer_open.set(false)></div>
            </div>
        }
    };

    view! {
        <header class="site-header">
            <Suspense fallback=|| ()>
                {move || {
                    let chrome = chrome.clone();
                    Suspend::new(async move { site.await.ok().map(chrome) })
                }}
            </Suspense>
        </header>
    }
}
