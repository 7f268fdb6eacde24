//! Light and dark themes. The system decides until the reader chooses; the choice is kept in
//! local storage and applied by a tiny script in `<head>` before the first paint (no flash
//! of the wrong theme, and pages stay identical for every reader, so they can be cached).

use leptos::prelude::*;

/// Runs in `<head>` before anything is drawn.
pub const APPLY_SAVED_THEME: &str = "try{var t=localStorage.getItem('theme');if(t==='dark'||t==='light'){document.documentElement.setAttribute('data-theme',t)}}catch(e){}";

fn effective_dark() -> bool {
    let root = document().document_element();
    match root.and_then(|r| r.get_attribute("data-theme")).as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    }
}

#[island]
pub fn ThemeToggle() -> impl IntoView {
    // What is showing is read from the page when clicked (the system or the saved choice).
    let toggle = move |_| {
        let next = !effective_dark();
        let theme = if next { "dark" } else { "light" };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
        crate::browser::store_set("theme", theme);
    };
    // The button offers the other theme. Which one is showing is decided by the stylesheet
    // (the system's setting or the saved choice, before any WASM runs), so both labels are in
    // the page and CSS shows one: hidden text is not part of the button's name.
    view! {
        <button type="button" class="theme-toggle" on:click=toggle>
            <span class="to-dark">"Dark mode"</span>
            <span class="to-light">"Light mode"</span>
        </button>
    }
}
