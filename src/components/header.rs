use crate::components::search_box::SearchBox;
use crate::components::theme::ThemeToggle;
use crate::model::{Category, SiteInfo};
use crate::site::{current_section, use_site, SiteName};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

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

#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = use_site();
    let section = current_section();
    // `try_get`: a read after the page's owner is gone reads as nothing instead of panicking.
    let current = Signal::derive(move || section.try_get().flatten().flatten());
    let drawer_open = RwSignal::new(false);
    let location = use_location();
    // Any navigation closes the drawer.
    Effect::new(move |_| {
        location.pathname.track();
        location.search.track();
        drawer_open.set(false);
    });

    let site_name = expect_context::<SiteName>();
    let chrome = move |info: SiteInfo| {
        site_name.set(&info.name);
        let menu_button = NodeRef::<leptos::html::Button>::new();
        let close_button = NodeRef::<leptos::html::Button>::new();
        // Closing returns focus to the button that opened the drawer.
        let close_drawer = move || {
            drawer_open.set(false);
            if let Some(b) = menu_button.get_untracked() {
                let _ = b.focus();
            }
        };
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
                        <ThemeToggle/>
                    </nav>
                </div>
            </div>
            <div class="wrap masthead">
                <button
                    type="button"
                    class="menu-button"
                    node_ref=menu_button
                    aria-controls="drawer"
                    aria-expanded=move || if drawer_open.get() { "true" } else { "false" }
                    aria-label="Menu"
                    on:click=move |_| {
                        let open = !drawer_open.get_untracked();
                        drawer_open.set(open);
                        // Keyboard users land in the drawer, not behind it.
                        if open {
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
                <a class="site-name" href="/">{name}</a>
                <div class="masthead-search">
                    <SearchBox id="site-search"/>
                </div>
            </div>
            <nav class="main-nav" aria-label="Sections">
                <ul class="wrap nav-list">
                    <SectionLinks categories=categories.clone() current/>
                </ul>
            </nav>
            <div
                id="drawer"
                class="drawer"
                class:open=move || drawer_open.get()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        close_drawer();
                    }
                }
            >
                <div class="drawer-panel" role="dialog" aria-modal="false" aria-label="Menu">
                    <button type="button" class="drawer-close" node_ref=close_button on:click=move |_| close_drawer()>
                        "Close"
                    </button>
                    <SearchBox id="drawer-search"/>
                    <nav aria-label="Sections (menu)">
                        <ul class="drawer-nav">
                            <li><a href="/">"Home"</a></li>
                            <SectionLinks categories=categories current all=true/>
                        </ul>
                    </nav>
                </div>
                <div class="drawer-backdrop" on:click=move |_| close_drawer()></div>
            </div>
        }
    };

    view! {
        // A Transition, not a Suspense: while the next page's section is looked up, the
        // header stays as it is instead of blinking out.
        <header class="site-header">
            <Transition fallback=|| ()>
                {move || {
                    let chrome = chrome.clone();
                    Suspend::new(async move {
                        let info = site.await;
                        // The server waits for the section so its HTML is marked already;
                        // the browser must not (the whole header would be drawn again on
                        // every navigation), its marks follow the signal.
                        #[cfg(feature = "ssr")]
                        let _ = section.await;
                        info.ok().map(chrome)
                    })
                }}
            </Transition>
        </header>
    }
}
