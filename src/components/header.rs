use crate::components::search_box::SearchBox;
use crate::components::site::{current_section, use_site};
use crate::components::theme::ThemeToggle;
use crate::model::seo::SiteName;
use crate::model::{Category, SiteInfo};
use leptos::prelude::*;

/// The sections as links, the current one marked with `aria-current`.
#[component]
fn SectionLinks(
    categories: Vec<Category>,
    current: Option<String>,
    #[prop(optional)] all: bool,
) -> impl IntoView {
    categories
        .into_iter()
        .filter(|c| all || c.in_nav)
        .map(|c| {
            let marked = current.as_deref() == Some(c.slug.as_str());
            let href = c.href();
            view! {
                <li>
                    <a href=href aria-current=marked.then_some("page")>
                        {c.name}
                    </a>
                </li>
            }
        })
        .collect_view()
}

/// The top bar, masthead, sections and the phone's drawer, with the current section marked.
/// Only the server renders it (reader pages are server-rendered; the menu, search boxes and
/// theme toggle inside are islands): once per content version, day and marked section, then
/// the same HTML for every page of them (`header_html`).
#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = use_site();
    let section = current_section();
    let site_name = expect_context::<SiteName>();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let site_name = site_name.clone();
                Suspend::new(async move {
                    let info = site.await;
                    // Waits for the section so the HTML has its mark.
                    let section = section.await;
                    info.ok().map(|info| {
                        site_name.set(&info.name);
                        view! { <header class="site-header" inner_html=header_html(info, section)></header> }
                    })
                })
            }}
        </Suspense>
    }
}

/// The inside of the header for `section` (its slug), rendered by the first page that needs
/// it and kept in `info.rendered` (the content version's). A slug the paper has no section
/// for marks nothing, so it is the unmarked header: an address cannot add keys.
fn header_html(info: SiteInfo, section: Option<String>) -> std::sync::Arc<str> {
    let marked = section.filter(|s| info.categories.iter().any(|c| c.slug == *s));
    let key = format!("{}\n{}", info.today, marked.as_deref().unwrap_or_default());
    let rendered = info.rendered.clone();
    // (In the page's owner: the menu's island renders its children with the page's context.)
    rendered.get_or_render(key, move || {
        Owner::new().with(|| chrome(info, marked).to_html())
    })
}

/// What the header holds.
fn chrome(info: SiteInfo, current: Option<String>) -> impl IntoView {
    let SiteInfo {
        name,
        today,
        categories,
        ..
    } = info;
    let drawer_categories = categories.clone();
    let drawer_current = current.clone();
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
                        <SectionLinks categories=drawer_categories current=drawer_current all=true/>
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn info() -> SiteInfo {
        let section = |slug: &str, name: &str, in_nav: bool| Category {
            slug: slug.into(),
            name: name.into(),
            in_nav,
        };
        SiteInfo {
            name: "The <Harbour> & Quay".into(),
            public_url: "https://example.test".into(),
            today: "Monday, November 30, 2026".into(),
            year: 2026,
            categories: vec![
                section("world", "World", true),
                section("tech", "Tech", true),
                section("press-release", "Press release", false),
            ],
            footer_links: Vec::new(),
            newsletter: true,
            rendered: Default::default(),
        }
    }

    /// Pages put in the HTML rendered once: it must be what a page streams itself (escaping,
    /// the islands' markers and all), and the mark must be the page's section's.
    #[tokio::test]
    async fn the_header_rendered_once_is_the_one_a_page_streams() {
        let page = Owner::new_root(Some(std::sync::Arc::new(
            hydration_context::SsrSharedContext::new(),
        )));
        page.set();
        let info = info();
        for (section, marked) in [
            (None, None),
            (Some("tech"), Some("tech")),
            (Some("press-release"), Some("press-release")),
            (Some("no-such-section"), None),
        ] {
            let once = header_html(info.clone(), section.map(String::from));
            let streamed = Owner::new()
                .with(|| chrome(info.clone(), marked.map(String::from)).to_html_stream_in_order())
                .collect::<String>()
                .await;
            assert_eq!(*once, streamed, "{section:?}");
            let marks = once.matches(r#"aria-current="page""#).count();
            match marked {
                None => assert_eq!(marks, 0),
                // The drawer lists every section; the bar, those in the navigation.
                Some("tech") => {
                    assert_eq!(marks, 2);
                    assert!(
                        once.contains(r#"<a href="/category/tech" aria-current="page">Tech</a>"#)
                    );
                }
                Some(_) => assert_eq!(marks, 1),
            }
            assert!(once.contains("The &lt;Harbour&gt; &amp; Quay"), "{once}");
            assert!(once.contains(r#"data-component="SearchBox"#), "{once}");
        }
        // One rendering per mark, reused; an unknown slug is the unmarked header.
        let unmarked = header_html(info.clone(), None);
        let again = header_html(info.clone(), Some("no-such-section".into()));
        assert!(std::sync::Arc::ptr_eq(&unmarked, &again));
        let tech = header_html(info.clone(), Some("tech".into()));
        assert!(std::sync::Arc::ptr_eq(
            &tech,
            &header_html(info, Some("tech".into()))
        ));
    }
}
