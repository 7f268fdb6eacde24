use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// A friendly error page. During SSR the server function already set the HTTP status.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let title = error.title();
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <section class="error-page">
            <p class="error-code">{error.status()}</p>
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            <p class="error-links">
                <a href="/">"Go to the front page"</a>
                " or "
                <a href="/search">"search the archive"</a>
                "."
            </p>
        </section>
    }
}
