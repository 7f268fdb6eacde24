use crate::components::error_view::ErrorView;
use crate::error::AppError;
use leptos::prelude::*;

/// Any address the router does not know: a real 404 (the error view sets the status).
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorView error=AppError::not_found("There is nothing at this address. The page may have moved, or the link may be mistyped.")/> }
}
