use crate::api::{get_home, get_latest};
use crate::components::seo::PageMeta;
use crate::components::{
    cards::{CardRow, CardTile, CategoryLink, DateText, Thumb},
    error_view::{ErrorNote, ErrorView},
    sidebar::SidebarView,
};
use crate::model::seo::{to_script_json, WebSite};
use crate::model::{Category, CategorySection, HomePage as HomeData, LatestList};
use crate::site::use_site;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| get_home());
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query
            .read()
            .get("category")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty() && c != "all")
    });
    let latest = Resource::new(move || filter.get(), get_latest);

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, home.await) {
                    (Ok(site), Ok(data)) => {
                        let json_ld = vec![to_script_json(&WebSite::new(&site.name, &site.public_url))];
                        view! {
                            <PageMeta
                                site
                                title=""
                                description="Today's news: politics, world, business, lifestyle, opinion, tech and travel."
                                path="/"
                                json_ld
                            />
                            <HomeView data latest filter/>
                        }
                        .into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(
    data: HomeData,
    latest: Resource<Result<LatestList, crate::error::AppError>>,
    filter: Memo<Option<String>>,
) -> impl IntoView {
    let HomeData {
        lead,
        sections,
        sidebar,
    } = data;
    let lead = lead.map(|a| {
        let href = a.href();
        view! {
            <article class="lead-story">
                <a class="lead-media" href=href.clone() tabindex="-1" aria-hidden="true">
                    <Thumb image=a.image.clone() eager=true/>
                </a>
                <div class="lead-body">
                    <CategoryLink article=a.clone()/>
                    <h2 class="lead-title"><a href=href>{a.title.clone()}</a></h2>
                    <p class="excerpt">{a.excerpt.clone()}</p>
                    <DateText article=a.clone()/>
                </div>
            </article>
        }
    });
    view! {
        <h1 class="visually-hidden">"Front page"</h1>
        {lead}
        <div class="wrap layout">
            <div class="main-column">
                <section class="latest" aria-labelledby="latest-title">
                    <div class="section-head">
                        <h2 id="latest-title" class="section-title">"Latest"</h2>
                    </div>
                    <CategoryFilter filter/>
                    <LatestArticles latest/>
                </section>
                {sections.into_iter().map(|s| view! { <SectionBlock section=s/> }).collect_view()}
            </div>
            <SidebarView sidebar/>
        </div>
    }
}

/// "Filter by category": links (so they work without JavaScript and the URL says which
/// filter is on); after hydration the router swaps the list in place, without a page load.
#[component]
fn CategoryFilter(filter: Memo<Option<String>>) -> impl IntoView {
    let site = use_site();
    let chip = move |label: String, slug: Option<String>| {
        let href = match &slug {
            Some(s) => format!("/?category={s}"),
            None => "/".to_string(),
        };
        let is_on = move || filter.get() == slug;
        view! {
            <a
                class="chip"
                href=href
                data-noscroll=""
                aria-current=move || is_on().then_some("true")
            >
                {label}
            </a>
        }
    };
    view! {
        <div class="filter" role="group" aria-label="Filter by category">
            {chip("All".into(), None)}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    site.await
                        .map(|s| s.categories)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|c: Category| chip(c.name, Some(c.slug)))
                        .collect_view()
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn LatestArticles(latest: Resource<Result<LatestList, crate::error::AppError>>) -> impl IntoView {
    let (pending, set_pending) = signal(false);
    // Only ever true in the browser. On the server an outer Suspense can render this twice and
    // dispose the first run's signal while its attributes are still being written: reading it
    // there panicked (under load, about one render in a thousand).
    let busy = move || !cfg!(feature = "ssr") && pending.get();
    view! {
        <div class="latest-list" class:pending=busy aria-live="polite" aria-busy=move || busy().to_string()>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> } set_pending>
                {move || Suspend::new(async move {
                    match latest.await {
                        Ok(list) => {
                            let more = list.category.as_ref().map(|c| view! {
                                <p class="more-link"><a href=c.href()>{format!("More in {} ›", c.name)}</a></p>
                            });
                            let empty = list.articles.is_empty().then(|| view! {
                                <p class="empty">"Nothing has been published in this section yet."</p>
                            });
                            view! {
                                {empty}
                                {list.articles.into_iter().map(|a| view! { <CardRow article=a show_excerpt=true/> }).collect_view()}
                                {more}
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNote error class="empty"/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn SectionBlock(section: CategorySection) -> impl IntoView {
    let CategorySection { category, articles } = section;
    let id = format!("section-{}", category.slug);
    let labelled_by = id.clone();
    view! {
        <section class="home-section" aria-labelledby=labelled_by>
            <div class="section-head">
                <h2 class="section-title" id=id>
                    <a href=category.href()>{category.name.clone()}</a>
                </h2>
                <a class="section-more" href=category.href()>"View all"</a>
            </div>
            <div class="grid">
                {articles.into_iter().map(|a| view! { <CardTile article=a/> }).collect_view()}
            </div>
        </section>
    }
}
