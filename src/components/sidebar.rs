use crate::model::{ArticleSummary, Sidebar};
use leptos::prelude::*;

use super::cards::Thumb;

/// "EDITOR'S PICK" and the latest headlines, beside the main column.
#[component]
pub fn SidebarView(sidebar: Sidebar) -> impl IntoView {
    view! {
        <aside class="sidebar" aria-label="More to read">
            <EditorsPick articles=sidebar.editors_pick/>
            <LatestHeadlines articles=sidebar.latest_headlines/>
        </aside>
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

#[component]
pub fn LatestHeadlines(articles: Vec<ArticleSummary>) -> impl IntoView {
    view! {
        <section class="widget headlines" aria-labelledby="headlines-title">
            <h2 class="widget-title" id="headlines-title">"Latest headlines"</h2>
            <ul class="headline-list">
                {articles
                    .into_iter()
                    .map(|a| {
                        let href = a.href();
                        view! { <li><a href=href>{a.title}</a></li> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
