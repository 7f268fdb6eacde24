use crate::components::search_box::SearchBox;
use crate::components::theme::ThemeToggle;
use crate::model::{Category, SiteInfo};
use crate::site::{current_section, use_site, SiteName};
use leptos::prelude::*;

/// The sections as links, the current one marked with `aria-current`.
#[component]
fn SectionLinks(
    categories: Vec<Category>,
    current: Signal<Option<String>>,
    #[prop(optional)] all: bool,
) -> impl IntoView {
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
                        aria-current=move || {
                            current
                                .try_with(|c| c.as_deref() == Some(slug.as_str()))
                                .unwrap_or(false)
                                .then_some("page")
                        }
                    >
                        {c.name}
                    </a>
                </li>
            }
        })
        .collect_view()
}

/// The top bar, masthead, sections and the phone's drawer. Rendered on the server (each page
/// has its own, with its section marked); the menu, search boxes and theme toggle are islands.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = use_site();
    let section = current_section();
    // `try_get`: a read after the page's owner is gone reads as nothing instead of panicking.
    let current = Signal::derive(move || section.try_get().flatten().flatten());
    let site_name = expect_context::<SiteName>();
    let chrome = move |info: SiteInfo| {
        site_name.set(&info.name);
        let SiteInfo {
            name,
            today,
            categories,
            ..
        } = info;
        let drawer_categories = categories.clone();
        view! {
            <div class="topbar">
                <div class="wrap topbar-inner">
                    <p class="today">{today}</p>
                    <nav class="top-links" aria-label="Quick links">
                        <a href="/">"Home"</a>
                        <a href="/category/press-release">"Press release"</a>
                        <ThemeToggle/>
                    </nav>
                </div>
            </div>
            <div class="wrap masthead">
                <MenuDrawer>
                    <SearchBox id="drawer-search".to_string()/>
                    <nav aria-label="Sections (menu)">
                        <ul class="drawer-nav">
                            <li><a href="/">"Home"</a></li>
                            <SectionLinks categories=drawer_categories current all=true/>
                        </ul>
                    </nav>
                </MenuDrawer>
                <a class="site-name" href="/">{name}</a>
                <div class="masthead-search">
                    <SearchBox id="site-search".to_string()/>
                </div>
            </div>
            <nav class="main-nav" aria-label="Sections">
                <ul class="wrap nav-list">
                    <SectionLinks categories current/>
                </ul>
            </nav>
        }
    };

    view! {
        <header class="site-header">
            <Suspense fallback=|| ()>
                {move || {
                    let chrome = chrome.clone();
                    Suspend::new(async move {
                        let info = site.await;
                        // Waits for the section so the HTML has its mark.
                        let _ = section.await;
                        info.ok().map(chrome)
                    })
                }}
            </Suspense>
        </header>
    }
}

/// The menu button and the drawer it opens (small screens): the drawer holds a search box and
/// every section. Escape, the close button and the backdrop close it, and focus goes back to
/// the button; a navigation replaces the page, drawer and all.
#[island]
fn MenuDrawer(children: Children) -> impl IntoView {
    let open = RwSignal::new(false);
    let menu_button = NodeRef::<leptos::html::Button>::new();
    let close_button = NodeRef::<leptos::html::Button>::new();
    let close = move || {
        open.set(false);
        if let Some(b) = menu_button.get_untracked() {
            let _ = b.focus();
        }
    };
    view! {
        <button
            type="button"
            class="menu-button"
            node_ref=menu_button
            aria-controls="drawer"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-label="Menu"
            on:click=move |_| {
                let now_open = !open.get_untracked();
                open.set(now_open);
                // Keyboard users land in the drawer, not behind it.
                if now_open {
                    request_animation_frame(move || {
                        if let Some(b) = close_button.get_untracked() {
                            let _ = b.focus();
                        }
                    });
                }
            }
        >
            <span class="menu-icon" aria-hidden="true"></span>
        </button>
        <div
            id="drawer"
            class="drawer"
            class:open=move || open.get()
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    close();
                }
            }
        >
            <div class="drawer-panel" role="dialog" aria-modal="false" aria-label="Menu">
                <button type="button" class="drawer-close" node_ref=close_button on:click=move |_| close()>
                    "Close"
                </button>
                {children()}
            </div>
            <div class="drawer-backdrop" on:click=move |_| close()></div>
        </div>
    }
}
