use crate::model::{ArticleSummary, Sidebar};
use leptos::prelude::*;
use std::sync::Arc;

use super::cards::Thumb;

/// "EDITOR'S PICK" and the latest headlines, beside the main column. Only the server renders
/// it (reader pages are server-rendered): once per content version, kept in the sidebar the
/// version's `server::reader::blocks` hold, then the same HTML for every page.
#[component]
pub fn SidebarView(sidebar: Arc<Sidebar>) -> impl IntoView {
    let html = sidebar.rendered.get_or_render(String::new(), || {
        Owner::new().with(|| lists(&sidebar).to_html())
    });
    view! { <aside class="sidebar" aria-label="More to read" inner_html=html></aside> }
}

/// What the sidebar lists.
fn lists(sidebar: &Sidebar) -> impl IntoView + use<> {
    view! {
        <EditorsPick articles=sidebar.editors_pick.clone()/>
        <MostRead articles=sidebar.most_read.clone()/>
        <LatestHeadlines articles=sidebar.latest_headlines.clone()/>
    }
}

#[component]
pub fn EditorsPick(articles: Vec<ArticleSummary>) -> impl IntoView {
    view! {
        <section class="widget editors-pick" aria-labelledby="editors-pick-title">
            <h2 class="widget-title" id="editors-pick-title">"EDITOR'S PICK"</h2>
            <ol class="pick-list">
                {articles
                    .into_iter()
                    .map(|a| {
                        let href = a.href();
                        view! {
                            <li class="pick">
                                <a class="pick-media" href=href.clone() tabindex="-1" aria-hidden="true">
                                    <Thumb image=a.image.clone()/>
                                </a>
                                <div>
                                    <a class="pick-title" href=href>{a.title.clone()}</a>
                                    <time class="date" datetime=a.published.iso.clone()>{a.published.text.clone()}</time>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// Each article's title as a link, one list item each.
fn headline_items(articles: Vec<ArticleSummary>) -> impl IntoView {
    articles
        .into_iter()
        .map(|a| {
            let href = a.href();
            view! { <li><a href=href>{a.title}</a></li> }
        })
        .collect_view()
}

/// "Most read": the articles readers opened most in the last 24 hours (none yet: no block).
#[component]
pub fn MostRead(articles: Vec<ArticleSummary>) -> impl IntoView {
    (!articles.is_empty()).then(|| {
        view! {
            <section class="widget most-read" aria-labelledby="most-read-title">
                <h2 class="widget-title" id="most-read-title">"Most read"</h2>
                <ol class="most-read-list">{headline_items(articles)}</ol>
            </section>
        }
    })
}

#[component]
pub fn LatestHeadlines(articles: Vec<ArticleSummary>) -> impl IntoView {
    view! {
        <section class="widget headlines" aria-labelledby="headlines-title">
            <h2 class="widget-title" id="headlines-title">"Latest headlines"</h2>
            <ul class="headline-list">{headline_items(articles)}</ul>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::model::{Category, DateLabel, Image};

    fn summary(slug: &str, title: &str, image: bool) -> ArticleSummary {
        ArticleSummary {
            slug: slug.into(),
            title: title.into(),
            excerpt: "Excerpt.".into(),
            category: Category {
                slug: "world".into(),
                name: "World".into(),
                in_nav: true,
            },
            published: DateLabel {
                text: "November 30, 2026".into(),
                iso: "2026-11-30T09:00:00+00:00".into(),
            },
            image: image.then(|| Image {
                url: "/media/harbour.jpg".into(),
                alt: "The \"old\" harbour & quay".into(),
                width: 800,
                height: 450,
                srcset: "/media/harbour-400.jpg 400w".into(),
            }),
            live: false,
        }
    }

    /// A page puts in the HTML the first page of the content version rendered: it must be what
    /// the page would have rendered itself, escaping and all.
    #[test]
    fn the_sidebar_rendered_once_is_the_one_a_page_renders() {
        let sidebar = Arc::new(Sidebar {
            editors_pick: vec![
                summary("fish", "Fish & <chips> at the quay", true),
                summary("ferry", "Ferry", false),
            ],
            latest_headlines: vec![summary("tolls", "Tolls \"return\"", false)],
            most_read: vec![summary("quay", "Quay reopens", false)],
            rendered: Default::default(),
        });
        let rendered_here = Owner::new().with(|| {
            view! { <aside class="sidebar" aria-label="More to read">{lists(&sidebar)}</aside> }
                .to_html()
        });
        let page =
            || Owner::new().with(|| view! { <SidebarView sidebar=sidebar.clone()/> }.to_html());
        let first = page();
        // The second page renders nothing: it takes what the first kept.
        sidebar
            .rendered
            .get_or_render(String::new(), || panic!("the sidebar is rendered again"));
        let second = page();
        assert_eq!(first, rendered_here);
        assert_eq!(second, rendered_here);
        for part in [
            "EDITOR'S PICK",
            "Fish &amp; &lt;chips&gt; at the quay",
            r#"alt="The &quot;old&quot; harbour &amp; quay""#,
            r#"href="/article/tolls""#,
            r#"<aside aria-label="More to read" class="sidebar">"#,
        ] {
            assert!(second.contains(part), "{part} in {second}");
        }
    }
}
