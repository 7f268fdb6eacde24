//! The search box with its live dropdown (an ARIA combobox). Underneath it is a plain GET
//! form to /search, so searching works before (and without) the WASM.

use crate::api::suggest;
use crate::model::{article_href, limits, search_href, Suggestion};
use leptos::prelude::*;
use std::time::Duration;

/// Wait this long after the last keystroke before asking the server.
const DEBOUNCE: Duration = Duration::from_millis(150);

#[island]
pub fn SearchBox(id: String) -> impl IntoView {
    let list_id = format!("{id}-listbox");
    let query = RwSignal::new(String::new());
    // None: nothing asked yet (or the query is too short); Some(vec![]): "No Result".
    let results: RwSignal<Option<Vec<Suggestion>>> = RwSignal::new(None);
    let open = RwSignal::new(false);
    let active: RwSignal<Option<usize>> = RwSignal::new(None);
    let failed = RwSignal::new(false);
    // Only the answer to the latest request is shown, whatever order answers arrive in.
    let generation = StoredValue::new(0u64);
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let wrapper = NodeRef::<leptos::html::Div>::new();

    let fetch = move |q: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        leptos::task::spawn_local(async move {
            let answer = suggest(Some(q)).await;
            if generation.get_value() != mine {
                return;
            }
            failed.set(answer.is_err());
            results.set(Some(answer.unwrap_or_default()));
            active.set(None);
            open.set(true);
        });
    };

    let on_input = move |ev| {
        let value = event_target_value(&ev);
        query.set(value.clone());
        if let Some(t) = timer.get_value() {
            t.clear();
        }
        if value.trim().chars().count() < limits::MIN_SUGGEST_CHARS {
            generation.update_value(|g| *g += 1);
            results.set(None);
            open.set(false);
            return;
        }
        timer.set_value(set_timeout_with_handle(move || fetch(value), DEBOUNCE).ok());
    };

    let count = move || results.with(|r| r.as_ref().map_or(0, Vec::len));
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-option-{i}")
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = count();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            "Enter" => {
                let chosen = active.get().filter(|_| open.get()).and_then(|i| {
                    results.with(|r| r.as_ref().and_then(|r| r.get(i)).map(|s| s.slug.clone()))
                });
                if let Some(slug) = chosen {
                    ev.prevent_default();
                    crate::browser::navigate(&article_href(&slug));
                }
            }
            _ => {}
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        open.set(false);
        crate::browser::navigate(&search_href(query.get_untracked().trim(), 1));
    };

    // Close when focus leaves the box and its dropdown (clicks on a result keep it inside).
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        use leptos::wasm_bindgen::JsCast;
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok())
            .zip(wrapper.get_untracked())
            .is_some_and(|(node, w)| w.contains(Some(&node)));
        if !inside {
            open.set(false);
            active.set(None);
        }
    };
    let on_focusin = move |_| {
        if results.with(Option::is_some)
            && query.with(|q| q.trim().chars().count() >= limits::MIN_SUGGEST_CHARS)
        {
            open.set(true);
        }
    };

    let expanded = move || open.get() && results.with(Option::is_some);
    let active_descendant = {
        let option_id = option_id.clone();
        move || active.get().filter(|_| expanded()).map(&option_id)
    };
    let list_id_for_view = list_id.clone();

    view! {
        <div class="search" node_ref=wrapper on:focusout=on_focusout on:focusin=on_focusin>
            <form class="search-form" role="search" action="/search" method="get" on:submit=on_submit>
                <label class="visually-hidden" for=id.clone()>"Search articles"</label>
                <input
                    id=id.clone()
                    type="search"
                    name="q"
                    placeholder="Search…"
                    autocomplete="off"
                    maxlength=limits::MAX_QUERY_CHARS
                    role="combobox"
                    aria-autocomplete="list"
                    aria-controls=list_id.clone()
                    aria-expanded=move || if expanded() { "true" } else { "false" }
                    aria-activedescendant=active_descendant
                    prop:value=move || query.get()
                    on:input=on_input
                    on:keydown=on_keydown
                />
                <button type="submit" class="search-submit" aria-label="Search">
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                        <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2"></circle>
                        <path d="M15.5 15.5 L21 21" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"></path>
                    </svg>
                </button>
            </form>
            <div class="search-dropdown" class:open=expanded>
                <ul class="suggestions" role="listbox" id=list_id_for_view aria-label="Matching articles">
                    {move || {
                        let option_id = option_id.clone();
                        results
                            .get()
                            .unwrap_or_default()
                            .into_iter()
                            .enumerate()
                            .map(|(i, s)| {
                                let selected = move || active.get() == Some(i);
                                view! {
                                    <li
                                        role="option"
                                        id=option_id(i)
                                        class="suggestion"
                                        class:active=selected
                                        aria-selected=move || if selected() { "true" } else { "false" }
                                    >
                                        <a href=article_href(&s.slug) tabindex="-1">
                                            {s.thumb.map(|t| view! {
                                                <img src=t.url alt="" width=t.width height=t.height loading="lazy"/>
                                            })}
                                            <span class="suggestion-text">
                                                <span class="suggestion-title">{s.title}</span>
                                                <span class="suggestion-meta">{s.category} " · " {s.date}</span>
                                            </span>
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <Show when=move || results.with(|r| r.as_ref().is_some_and(Vec::is_empty))>
                    <p class="no-result">
                        {move || if failed.get() { "Search is unavailable right now" } else { "No Result" }}
                    </p>
                </Show>
                <a class="view-all" href=move || search_href(query.get().trim(), 1)>"View All Result"</a>
            </div>
            <p class="visually-hidden" aria-live="polite">
                {move || match (expanded(), count()) {
                    (false, _) => String::new(),
                    (true, 0) => "No result".to_string(),
                    (true, 1) => "1 result".to_string(),
                    (true, n) => format!("{n} results"),
                }}
            </p>
        </div>
    }
}
