//! Article cards in their usual shapes.

use crate::model::{ArticleSummary, Image};
use leptos::either::Either;
use leptos::prelude::*;

/// A thumbnail that never shifts the layout: intrinsic size on the tag, aspect ratio in CSS.
#[component]
pub fn Thumb(
    image: Option<Image>,
    #[prop(optional)] eager: bool,
    #[prop(default = "thumb")] class: &'static str,
    /// The `sizes` hint for `srcset`: how wide the picture is drawn.
    #[prop(default = "(max-width: 860px) 100vw, 400px")]
    sizes: &'static str,
) -> impl IntoView {
    match image {
        // `Either`, not `into_any()`: an erased view carries a second (async) hydration path
        // into the islands' WASM.
        Some(img) => Either::Left(view! {
            <img
                class=class
                src=img.url
                srcset=(!img.srcset.is_empty()).then_some(img.srcset)
                sizes=sizes
                alt=img.alt
                width=img.width
                height=img.height
                loading=if eager { "eager" } else { "lazy" }
                fetchpriority=if eager { "high" } else { "auto" }
                decoding="async"
            />
        }),
        None => Either::Right(
            view! { <span class=format!("{class} thumb-empty") aria-hidden="true"></span> },
        ),
    }
}

#[component]
pub fn CategoryLink(article: ArticleSummary) -> impl IntoView {
    let href = article.category.href();
    view! {
        <a class="cat-label" href=href>
            {article.category.name}
        </a>
    }
}

#[component]
pub fn DateText(article: ArticleSummary) -> impl IntoView {
    view! { <time class="date" datetime=article.published.iso>{article.published.text}</time> }
}

/// Picture on top, then category, title, date. Used in grids.
#[component]
pub fn CardTile(
    article: ArticleSummary,
    #[prop(optional)] show_excerpt: bool,
    #[prop(default = "h3")] heading: &'static str,
) -> impl IntoView {
    let href = article.href();
    let title = article.title.clone();
    let excerpt = show_excerpt.then(|| view! { <p class="excerpt">{article.excerpt.clone()}</p> });
    let title_view = match heading {
        "h2" => {
            Either::Left(view! { <h2 class="card-title"><a href=href.clone()>{title}</a></h2> })
        }
        _ => Either::Right(view! { <h3 class="card-title"><a href=href.clone()>{title}</a></h3> }),
    };
    view! {
        <article class="card tile">
            <a class="card-media" href=href.clone() tabindex="-1" aria-hidden="true">
                <Thumb image=article.image.clone()/>
            </a>
            <div class="card-body">
                <CategoryLink article=article.clone()/>
                {title_view}
                {excerpt}
                <DateText article=article.clone()/>
            </div>
        </article>
    }
}

/// Small picture at the side, title and date. Used in lists and sidebars.
#[component]
pub fn CardRow(article: ArticleSummary, #[prop(optional)] show_excerpt: bool) -> impl IntoView {
    let href = article.href();
    let excerpt = show_excerpt.then(|| view! { <p class="excerpt">{article.excerpt.clone()}</p> });
    view! {
        <article class="card row">
            <a class="card-media" href=href.clone() tabindex="-1" aria-hidden="true">
                <Thumb image=article.image.clone()/>
            </a>
            <div class="card-body">
                <CategoryLink article=article.clone()/>
                <h3 class="card-title"><a href=href>{article.title.clone()}</a></h3>
                {excerpt}
                <DateText article=article.clone()/>
            </div>
        </article>
    }
}
