//! Tags: the article's tags as a list, a field that offers existing tags as you type, and new
//! ones made by adding whatever was typed (Enter or a comma).

use crate::api::newsroom::tag_suggestions;
use crate::model::limits::{TAGS_PER_ARTICLE, TAG_NAME_MAX};
use crate::pages::newsroom::latest::Latest;
use leptos::prelude::*;
use std::time::Duration;

const SUGGEST_DEBOUNCE: Duration = Duration::from_millis(150);

/// Adds `name` to `tags` unless it is there already (in any case) or empty.
fn add(tags: RwSignal<Vec<String>>, name: &str) {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return;
    }
    tags.update(|v| {
        if v.len() < TAGS_PER_ARTICLE && !v.iter().any(|t| t.to_lowercase() == name.to_lowercase())
        {
            v.push(name);
        }
    });
}

#[component]
pub fn TagsPanel<E>(tags: RwSignal<Vec<String>>, error: E) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let typed = RwSignal::new(String::new());
    let found: RwSignal<Vec<String>> = RwSignal::new(vec![]);
    let latest = Latest::new();
    let clear = move || {
        latest.cancel();
        typed.set(String::new());
        found.set(vec![]);
    };
    let on_input = move |ev| {
        let q = event_target_value(&ev);
        // A comma ends a tag, as in most tag fields.
        if q.contains(',') {
            for part in q.split(',') {
                add(tags, part);
            }
            clear();
            return;
        }
        typed.set(q.clone());
        if q.trim().is_empty() {
            latest.cancel();
            found.set(vec![]);
            return;
        }
        latest.run(
            SUGGEST_DEBOUNCE,
            move || tag_suggestions(q),
            move |answer| {
                if let Ok(list) = answer {
                    found.set(list);
                }
            },
        );
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            add(tags, &typed.get_untracked());
            clear();
        }
    };
    view! {
        <section class="panel">
            <h2>"Tags"</h2>
            <ul class="tag-list" aria-label="Tags of this article">
                {move || tags.get().into_iter().map(|t| {
                    let name = t.clone();
                    view! {
                        <li class="tag-chip">
                            <span>{t.clone()}</span>
                            <button type="button" class="button-link" aria-label=format!("Remove tag {t}")
                                on:click=move |_| tags.update(|v| v.retain(|x| *x != name))>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label for="f-tags">"Add a tag"</label>
            <input id="f-tags" type="text" maxlength=TAG_NAME_MAX autocomplete="off"
                placeholder="Type a tag, then Enter"
                prop:value=move || typed.get() on:input=on_input on:keydown=on_keydown/>
            <ul class="pick-results" aria-label="Existing tags">
                {move || found.get().into_iter()
                    .filter(|s| !tags.with(|v| v.iter().any(|t| t.to_lowercase() == s.to_lowercase())))
                    .map(|s| {
                        let chosen = s.clone();
                        view! {
                            <li>
                                <button type="button" class="button-link" on:click=move |_| {
                                    add(tags, &chosen);
                                    clear();
                                }>{"Add tag: "}{s}</button>
                            </li>
                        }
                    }).collect_view()}
            </ul>
            {move || error().map(|e| view! { <p class="field-error">{e}</p> })}
        </section>
    }
}
