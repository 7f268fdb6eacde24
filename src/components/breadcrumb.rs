use leptos::either::Either;
use leptos::prelude::*;

/// Home > Section (> ...): each crumb but the last is a link.
#[component]
pub fn Breadcrumb(crumbs: Vec<(String, Option<String>)>) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"Home"</a></li>
                {crumbs
                    .into_iter()
                    .map(|(label, href)| match href {
                        Some(href) => Either::Left(view! { <li><a href=href>{label}</a></li> }),
                        None => Either::Right(view! { <li aria-current="page">{label}</li> }),
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
