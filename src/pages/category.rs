use crate::api::get_category_page;
use crate::components::seo::{absolute, PageMeta};
use crate::components::site::use_site;
use crate::components::{
    breadcrumb::Breadcrumb, cards::CardRow, error_view::ErrorView, pager::Pager,
    sidebar::SidebarView,
};
use crate::model::seo::{to_script_json, BreadcrumbList};
use crate::model::SiteInfo;
use crate::model::{category_href, CategoryPage as CategoryData};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::hooks::use_params_map;

/// A section's articles, newest first, in numbered pages: /category/tech, /category/tech/page/2.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (p.get("slug").unwrap_or_default(), p.get("page"))
        },
        |(slug, page)| get_category_page(slug, page),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, data.await) {
                    (Ok(site), Ok(data)) => Either::Left(view! { <CategoryView data site/> }),
                    (Err(error), _) | (_, Err(error)) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Transition>
    }
}

pub fn page_href(slug: &str, page: u32) -> String {
    if page <= 1 {
        category_href(slug)
    } else {
        format!("{}/page/{page}", category_href(slug))
    }
}

#[component]
fn CategoryView(data: CategoryData, site: SiteInfo) -> impl IntoView {
    let CategoryData {
        category,
        list,
        sidebar,
    } = data;
    let slug = category.slug.clone();
    let title = if list.page > 1 {
        format!("{} – page {}", category.name, list.page)
    } else {
        category.name.clone()
    };
    let description = format!(
        "The latest {} news and analysis.",
        category.name.to_lowercase()
    );
    let canonical = page_href(&slug, list.page);
    let crumbs = vec![(category.name.clone(), None)];
    let breadcrumbs = BreadcrumbList::new(
        &site.public_url,
        &[(category.name.clone(), absolute(&site, &category.href()))],
    );
    let feed_title = format!("{} – {}", site.name, category.name);
    let count = super::counted(list.total_items, "article", "articles");
    let empty = list
        .items
        .is_empty()
        .then(|| view! { <p class="empty">"Nothing has been published in this section yet."</p> });
    view! {
        <PageMeta site=site.clone() title description path=canonical json_ld=vec![to_script_json(&breadcrumbs)]/>
        <Link rel="alternate" type_="application/rss+xml" title=feed_title.clone() href=format!("{}/feed.xml", category.href())/>
        <Link rel="alternate" type_="application/atom+xml" title=feed_title href=format!("{}/atom.xml", category.href())/>
        <div class="wrap layout">
            <div class="main-column">
                <Breadcrumb crumbs/>
                <header class="page-head">
                    <h1 class="page-title">{category.name.clone()}</h1>
                    <p class="page-meta">
                        {count}
                        {(list.page > 1).then(|| format!(" · page {} of {}", list.page, list.total_pages))}
                    </p>
                </header>
                // The cards' titles are h3s (as under the front page's section headings): the
                // list gets its heading too, for screen readers' outline.
                <h2 class="visually-hidden">{format!("Articles in {}", category.name)}</h2>
                <div class="article-list">
                    {empty}
                    {list.items.into_iter().map(|a| view! { <CardRow article=a show_excerpt=true/> }).collect_view()}
                </div>
                <Pager page=list.page total_pages=list.total_pages href=move |n| page_href(&slug, n)/>
            </div>
            <SidebarView sidebar/>
        </div>
    }
}
