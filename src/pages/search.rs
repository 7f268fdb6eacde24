use crate::api::search_articles;
use crate::components::seo::PageMeta;
use crate::components::site::use_site;
use crate::components::{error_view::ErrorView, pager::Pager};
use crate::model::{limits, search_href, Highlight, SearchResults};
use crate::pages::{counted, grouped};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// /search?q=...&page=N — works as a plain GET form without JavaScript.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("q"), q.get("page"))
        },
        |(q, page)| search_articles(q, page),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, data.await) {
                    (Ok(site), Ok(results)) => Either::Left(view! { <ResultsView results site/> }),
                    (Err(error), _) | (_, Err(error)) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Transition>
    }
}

fn marked(parts: Vec<Highlight>) -> impl IntoView {
    parts
        .into_iter()
        .map(|h| {
            if h.marked {
                Either::Left(view! { <mark>{h.text}</mark> })
            } else {
                Either::Right(h.text)
            }
        })
        .collect_view()
}

#[component]
fn ResultsView(results: SearchResults, site: crate::model::SiteInfo) -> impl IntoView {
    let SearchResults { query, hits } = results;
    let title = if query.is_empty() {
        "Search".to_string()
    } else {
        format!("Search results for “{query}”")
    };
    let count = match (query.is_empty(), hits.total_items) {
        (true, _) => "Type a word or two to search every article.".to_string(),
        (false, 0) => "No Result. Try fewer or different words.".to_string(),
        (false, n) if n > limits::SEARCH_RANKED_MATCHES as u64 => format!(
            "{} results — showing the {} most recent, best matches first",
            grouped(n),
            limits::SEARCH_RANKED_MATCHES
        ),
        (false, n) => counted(n, "result", "results"),
    };
    let q_for_pager = query.clone();
    view! {
        <PageMeta
            site
            title=title.clone()
            description="Search every article of the paper."
            path=search_href(&query, hits.page)
            noindex=true
        />
        <div class="wrap search-page">
            <header class="page-head">
                <h1 class="page-title">{title}</h1>
                <SearchForm query=query.clone()/>
                <p class="page-meta result-count" role="status">{count}</p>
            </header>
            <ol class="results">
                {hits
                    .items
                    .into_iter()
                    .map(|hit| {
                        let a = hit.article;
                        view! {
                            <li class="result">
                                <h2 class="result-title"><a href=a.href()>{marked(hit.title)}</a></h2>
                                <p class="result-meta">
                                    <time datetime=a.published.iso.clone()>{a.published.text.clone()}</time>
                                    " · "
                                    <a href=a.category.href()>{a.category.name.clone()}</a>
                                </p>
                                <p class="snippet">{marked(hit.snippet)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <Pager page=hits.page total_pages=hits.total_pages href=move |n| search_href(&q_for_pager, n)/>
        </div>
    }
}

#[component]
fn SearchForm(query: String) -> impl IntoView {
    view! {
        <form class="search-page-form" action="/search" method="get" role="search">
            <label class="visually-hidden" for="search-page-q">"Search articles"</label>
            <input
                id="search-page-q"
                type="search"
                name="q"
                value=query
                maxlength=limits::MAX_QUERY_CHARS
                placeholder="Search…"
            />
            <button type="submit">"Search"</button>
        </form>
    }
}
