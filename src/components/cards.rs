//! Article cards in their usual shapes.

use crate::model::{ArticleSummary, Category, DateLabel, Image};
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

/// The card's section label. (The cards hand each part of a summary to the component that
/// shows it, never a copy of the whole summary.)
#[component]
pub fn CategoryLink(category: Category) -> impl IntoView {
    let href = category.href();
    view! {
        <a class="cat-label" href=href>
            {category.name}
        </a>
    }
}

#[component]
pub fn DateText(published: DateLabel) -> impl IntoView {
    view! { <time class="date" datetime=published.iso>{published.text}</time> }
}

/// Picture on top, then category, title, date. Used in grids.
#[component]
pub fn CardTile(
    article: ArticleSummary,
    #[prop(optional)] show_excerpt: bool,
    #[prop(default = "h3")] heading: &'static str,
) -> impl IntoView {
    card("card tile", article, show_excerpt, heading)
}

/// Small picture at the side, title and date. Used in lists and sidebars.
#[component]
pub fn CardRow(article: ArticleSummary, #[prop(optional)] show_excerpt: bool) -> impl IntoView {
    card("card row", article, show_excerpt, "h3")
}

/// The two cards differ only in their shape (CSS) and the tile's choice of heading.
fn card(
    class: &'static str,
    article: ArticleSummary,
    show_excerpt: bool,
    heading: &'static str,
) -> impl IntoView {
    let href = article.href();
    let ArticleSummary {
        title,
        excerpt,
        category,
        published,
        image,
        live,
        ..
    } = article;
    // Live coverage running: marked like the paper's front marks it.
    let live = live.then(|| view! { <span class="live-badge">"LIVE"</span> " " });
    let excerpt = show_excerpt.then(|| view! { <p class="excerpt">{excerpt}</p> });
    let title_view = match heading {
        "h2" => {
            Either::Left(view! { <h2 class="card-title"><a href=href.clone()>{title}</a></h2> })
        }
        _ => Either::Right(view! { <h3 class="card-title"><a href=href.clone()>{title}</a></h3> }),
    };
    view! {
        <article class=class>
            <a class="card-media" href=href tabindex="-1" aria-hidden="true">
                <Thumb image/>
            </a>
            <div class="card-body">
                {live}
                <CategoryLink category/>
                {title_view}
                {excerpt}
                <DateText published/>
            </div>
        </article>
    }
}
