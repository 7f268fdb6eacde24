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

#[component]
pub fn ThemeToggle() -> impl IntoView {
    // Unknown on the server; read from the page once it is live.
    let dark = RwSignal::new(None::<bool>);
    Effect::new(move |_| dark.set(Some(effective_dark())));
    let toggle = move |_| {
        let next = !dark.get_untracked().unwrap_or_else(effective_dark);
        let theme = if next { "dark" } else { "light" };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
        crate::browser::store_set("theme", theme);
        dark.set(Some(next));
    };
    view! {
        <button
            type="button"
            class="theme-toggle"
            aria-pressed=move || if dark.get().unwrap_or(false) { "true" } else { "false" }
            on:click=toggle
        >
            "Dark mode"
        </button>
    }
}
