//! Tags and the byline's authors: the article's as a list, a field that offers existing ones
//! as you type, and new ones made by adding whatever was typed (Enter or a comma).

use crate::api::newsroom::{author_suggestions, tag_suggestions};
use crate::model::limits::{TAGS_PER_ARTICLE, TAG_NAME_MAX};
use crate::model::validate::{AUTHORS_PER_ARTICLE, AUTHOR_MAX};
use crate::pages::newsroom::latest::Latest;
use leptos::prelude::*;
use std::time::Duration;

const SUGGEST_DEBOUNCE: Duration = Duration::from_millis(150);

/// Which labels a panel edits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Tags,
    Authors,
}

/// What a panel says and allows, by kind.
struct Words {
    title: &'static str,
    input_id: &'static str,
    field: &'static str,
    placeholder: &'static str,
    list: &'static str,
    one: &'static str,
    max: usize,
    max_chars: usize,
}

impl LabelKind {
    fn words(self) -> Words {
        match self {
            LabelKind::Tags => Words {
                title: "Tags",
                input_id: "f-tags",
                field: "Add a tag",
                placeholder: "Type a tag, then Enter",
                list: "Tags of this article",
                one: "tag",
                max: TAGS_PER_ARTICLE,
                max_chars: TAG_NAME_MAX,
            },
            LabelKind::Authors => Words {
                title: "Byline",
                input_id: "f-author",
                field: "Add an author",
                placeholder: "Type a name, then Enter",
                list: "Authors of this article",
                one: "author",
                max: AUTHORS_PER_ARTICLE,
                max_chars: AUTHOR_MAX,
            },
        }
    }
}

/// Adds `name` to `labels` unless it is there already (in any case), empty, or one too many.
fn add(labels: RwSignal<Vec<String>>, name: &str, max: usize) {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return;
    }
    labels.update(|v| {
        if v.len() < max && !v.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
            v.push(name);
        }
    });
}

/// The panel. Someone who may not change them (`readonly`: an author's byline) sees them
/// without the field.
#[component]
pub fn LabelsPanel<E>(
    kind: LabelKind,
    tags: RwSignal<Vec<String>>,
    error: E,
    #[prop(optional)] readonly: bool,
    /// Said under the panel ("" for nothing).
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let words = kind.words();
    let max = words.max;
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
                add(tags, part, max);
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
            move || {
                let q = q.clone();
                async move {
                    match kind {
                        LabelKind::Tags => tag_suggestions(q).await,
                        LabelKind::Authors => author_suggestions(q).await,
                    }
                }
            },
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
            add(tags, &typed.get_untracked(), max);
            clear();
        }
    };
    let one = words.one;
    view! {
        <section class="panel">
            <h2>{words.title}</h2>
            <ul class="tag-list" aria-label=words.list>
                {move || tags.get().into_iter().map(|t| {
                    let name = t.clone();
                    view! {
                        <li class="tag-chip">
                            <span>{t.clone()}</span>
                            {(!readonly).then(|| view! {
                                <button type="button" class="button-link" aria-label=format!("Remove {one} {t}")
                                    on:click=move |_| tags.update(|v| v.retain(|x| *x != name))>"×"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!readonly).then(|| view! {
                <label for=words.input_id>{words.field}</label>
                <input id=words.input_id type="text" maxlength=words.max_chars autocomplete="off"
                    placeholder=words.placeholder
                    prop:value=move || typed.get() on:input=on_input on:keydown=on_keydown/>
                <ul class="pick-results" aria-label=format!("Existing {one}s")>
                    {move || found.get().into_iter()
                        .filter(|s| !tags.with(|v| v.iter().any(|t| t.to_lowercase() == s.to_lowercase())))
                        .map(|s| {
                            let chosen = s.clone();
                            view! {
                                <li>
                                    <button type="button" class="button-link" on:click=move |_| {
                                        add(tags, &chosen, max);
                                        clear();
                                    }>{format!("Add {one}: ")}{s}</button>
                                </li>
                            }
                        }).collect_view()}
                </ul>
            })}
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            {move || error().map(|e| view! { <p class="field-error">{e}</p> })}
        </section>
    }
}
