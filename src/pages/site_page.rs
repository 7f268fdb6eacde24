use crate::api::get_site_page;
use crate::components::breadcrumb::Breadcrumb;
use crate::components::error_view::ErrorView;
use crate::components::seo::PageMeta;
use crate::components::site::use_site;
use crate::model::seo::{to_script_json, BreadcrumbList};
use crate::model::{SiteInfo, SitePage};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Any other address: a page of the site (About us, /about-us/our-team…) if one lives there,
/// else a real 404.
#[component]
pub fn SitePageView() -> impl IntoView {
    let location = use_location();
    let data = Resource::new(move || location.pathname.get(), get_site_page);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, data.await) {
                    (Ok(site), Ok(page)) => Either::Left(view! { <PageBody page site/> }),
                    (Err(error), _) | (_, Err(error)) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn PageBody(page: SitePage, site: SiteInfo) -> impl IntoView {
    let mut crumbs: Vec<(String, Option<String>)> = page
        .parents
        .iter()
        .map(|(title, href)| (title.clone(), Some(href.clone())))
        .collect();
    crumbs.push((page.title.clone(), None));
    let mut levels: Vec<(String, String)> = page
        .parents
        .iter()
        .map(|(title, href)| (title.clone(), crate::components::seo::absolute(&site, href)))
        .collect();
    levels.push((
        page.title.clone(),
        crate::components::seo::absolute(&site, &page.href),
    ));
    let json_ld = vec![to_script_json(&BreadcrumbList::new(
        &site.public_url,
        &levels,
    ))];
    let description = if page.excerpt.is_empty() {
        format!("{} — {}", page.title, site.name)
    } else {
        page.excerpt.clone()
    };
    let children = (!page.children.is_empty()).then(|| {
        view! {
            <nav class="page-children" aria-label=format!("Pages under {}", page.title)>
                <ul>
                    {page.children.iter().map(|(title, href)| view! {
                        <li><a href=href.clone()>{title.clone()}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    view! {
        <PageMeta site=site.clone() title=page.title.clone() description path=page.href.clone() json_ld/>
        <div class="wrap site-page">
            <article class="article">
                <Breadcrumb crumbs/>
                <header class="article-head">
                    <h1 class="article-title">{page.title.clone()}</h1>
                </header>
                <div class="article-body" inner_html=page.body_html.clone()></div>
                {children}
                <p class="updated-note">
                    "Last updated " <time datetime=page.updated.iso.clone()>{page.updated.text.clone()}</time>
                </p>
            </article>
        </div>
    }
}
