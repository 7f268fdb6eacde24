use crate::components::error_view::ErrorView;
use crate::error::AppError;
use leptos::prelude::*;

/// Any address the router does not know. The server answers it with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! { <ErrorView error=AppError::not_found("There is nothing at this address. The page may have moved, or the link may be mistyped.")/> }
}
