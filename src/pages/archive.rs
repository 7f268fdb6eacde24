//! A list of articles with an address of its own, in numbered pages: a section
//! (/category/tech/page/2) or a tag (/tag/harbour/page/2). The same page, with its own head.

use crate::components::seo::{absolute, PageMeta};
use crate::components::{
    breadcrumb::Breadcrumb, cards::CardRow, pager::Pager, sidebar::SidebarView,
};
use crate::model::seo::{to_script_json, BreadcrumbList};
use crate::model::{ArticleSummary, Paged, Sidebar, SiteInfo};
use leptos::prelude::*;
use leptos_meta::Link;
use std::sync::Arc;

/// What differs between the kinds of list.
pub struct Archive {
    /// "Tech", "Tag: harbour".
    pub heading: String,
    /// The breadcrumb's label for it ("Tech", "harbour").
    pub crumb: String,
    /// The first page's address (`/category/tech`); its feeds are below it.
    pub href: String,
    pub description: String,
    /// Said when nothing is published in it.
    pub empty: &'static str,
    /// The hidden heading over the cards ("Articles in Tech").
    pub list_label: String,
    /// More structured data for the head (an author's `Person`).
    pub json_ld: Vec<String>,
}

/// The address of page `page` of the list at `href`.
pub fn page_href(href: &str, page: u32) -> String {
    if page <= 1 {
        href.to_string()
    } else {
        format!("{href}/page/{page}")
    }
}

#[component]
pub fn ArchiveView(
    archive: Archive,
    list: Paged<ArticleSummary>,
    sidebar: Arc<Sidebar>,
    site: SiteInfo,
    /// Shown under the heading (an author's profile).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let Archive {
        heading,
        crumb,
        href,
        description,
        empty,
        list_label,
        json_ld,
    } = archive;
    let title = if list.page > 1 {
        format!("{heading} – page {}", list.page)
    } else {
        heading.clone()
    };
    let canonical = page_href(&href, list.page);
    let crumbs = vec![(crumb.clone(), None)];
    let breadcrumbs = BreadcrumbList::new(&site.public_url, &[(crumb, absolute(&site, &href))]);
    let mut json_ld = json_ld;
    json_ld.push(to_script_json(&breadcrumbs));
    let feed_title = format!("{} – {heading}", site.name);
    let count = super::counted(list.total_items, "article", "articles");
    let empty = list
        .items
        .is_empty()
        .then(|| view! { <p class="empty">{empty}</p> });
    let pages = href.clone();
    view! {
        <PageMeta site=site.clone() title description path=canonical json_ld/>
        <Link rel="alternate" type_="application/rss+xml" title=feed_title.clone() href=format!("{href}/feed.xml")/>
        <Link rel="alternate" type_="application/atom+xml" title=feed_title href=format!("{href}/atom.xml")/>
        <div class="wrap layout">
            <div class="main-column">
                <Breadcrumb crumbs/>
                <header class="page-head">
                    <h1 class="page-title">{heading}</h1>
                    <p class="page-meta">
                        {count}
                        {(list.page > 1).then(|| format!(" · page {} of {}", list.page, list.total_pages))}
                    </p>
                </header>
                {children.map(|c| c())}
                // The cards' titles are h3s (as under the front page's section headings): the
                // list gets its heading too, for screen readers' outline.
                <h2 class="visually-hidden">{list_label}</h2>
                <div class="article-list">
                    {empty}
                    {list.items.into_iter().map(|a| view! { <CardRow article=a show_excerpt=true/> }).collect_view()}
                </div>
                <Pager page=list.page total_pages=list.total_pages href=move |n| page_href(&pages, n)/>
            </div>
            <SidebarView sidebar/>
        </div>
    }
}
