use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Gives the server's response the status of the error the page shows (a real 404, a 400 for
/// a malformed address). In the browser there is no response to set.
fn answer_with(error: &AppError) {
    #[cfg(feature = "ssr")]
    error.set_response_status();
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// A friendly error page, answered with the error's HTTP status.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    answer_with(&error);
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

/// An error shown in place of one part of a page, answered with the error's HTTP status too.
#[component]
pub fn ErrorNote(
    error: AppError,
    #[prop(default = "form-error")] class: &'static str,
) -> impl IntoView {
    answer_with(&error);
    view! { <p class=class>{error.to_string()}</p> }
}
