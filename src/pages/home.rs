use crate::api::{get_home, get_latest};
use crate::components::seo::PageMeta;
use crate::components::site::use_site;
use crate::components::{
    cards::{CardRow, CardTile, CategoryLink, DateText, Thumb},
    error_view::{ErrorNote, ErrorView},
    sidebar::SidebarView,
};
use crate::error::AppError;
use crate::model::seo::{to_script_json, WebSite};
use crate::model::{Category, CategorySection, HomePage as HomeData, LatestList};
use leptos::either::Either;
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
                let latest = latest.await;
                match (site, home.await) {
                    (Ok(site), Ok(data)) => {
                        let json_ld = vec![to_script_json(&WebSite::new(&site.name, &site.public_url))];
                        let site_for_meta = site.clone();
                        Either::Left(view! {
                            <PageMeta
                                site=site_for_meta
                                title=""
                                description="Today's news: politics, world, business, lifestyle, opinion, tech and travel."
                                path="/"
                                json_ld
                            />
                            <HomeView data categories=site.categories latest filter=filter.get_untracked()/>
                        })
                    }
                    (Err(error), _) | (_, Err(error)) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(
    data: HomeData,
    categories: Vec<Category>,
    latest: Result<LatestList, AppError>,
    filter: Option<String>,
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
                    <Thumb image=a.image eager=true/>
                </a>
                <div class="lead-body">
                    {a.live.then(|| view! { <span class="live-badge">"LIVE"</span> " " })}
                    <CategoryLink category=a.category/>
                    <h2 class="lead-title"><a href=href>{a.title}</a></h2>
                    <p class="excerpt">{a.excerpt}</p>
                    <DateText published=a.published/>
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
                    <LatestFiltered categories initial=latest selected=filter/>
                </section>
                {sections.into_iter().map(|s| view! { <SectionBlock section=s/> }).collect_view()}
            </div>
            <SidebarView sidebar/>
        </div>
    }
}

/// "Filter by category" and the list it narrows: an island. The chips are links (without
/// JavaScript, and the URL says which filter is on); in the browser a chip asks for the list
/// alone and swaps it in place, without a page load.
#[island]
fn LatestFiltered(
    categories: Vec<Category>,
    initial: Result<LatestList, AppError>,
    selected: Option<String>,
) -> impl IntoView {
    let filter = RwSignal::new(selected);
    let list = RwSignal::new(initial);
    let busy = RwSignal::new(false);
    // Only the answer to the latest choice is shown, whatever order answers arrive in.
    let generation = StoredValue::new(0u64);
    let href = |slug: &Option<String>| match slug {
        Some(s) => format!("/?category={s}"),
        None => "/".to_string(),
    };
    let choose = move |slug: Option<String>| {
        crate::browser::push_url(&href(&slug));
        filter.set(slug.clone());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = get_latest(slug).await;
            if generation.get_value() == mine {
                list.set(answer);
                busy.set(false);
            }
        });
    };
    let chip = move |label: String, slug: Option<String>| {
        let link = href(&slug);
        let mine = slug.clone();
        let is_on = move || filter.with(|f| *f == mine);
        view! {
            <a
                class="chip"
                href=link
                aria-current=move || is_on().then_some("true")
                on:click=move |ev: leptos::ev::MouseEvent| {
                    if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
                        ev.prevent_default();
                        choose(slug.clone());
                    }
                }
            >
                {label}
            </a>
        }
    };
    view! {
        <div class="filter" role="group" aria-label="Filter by category">
            {chip("All".into(), None)}
            {categories.into_iter().map(|c| chip(c.name, Some(c.slug))).collect_view()}
        </div>
        <div class="latest-list" class:pending=move || busy.get() aria-live="polite" aria-busy=move || busy.get().to_string()>
            {move || match list.get() {
                Ok(list) => Either::Left({
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
                    }
                }),
                Err(error) => Either::Right(view! { <ErrorNote error class="empty"/> }),
            }}
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
