//! Live coverage on the article's newsroom page: start and end it, post updates in a compact
//! composer (the body's Markdown, with its toolbar: images uploaded or from the library), and
//! edit, pin and delete them. The composer's text is kept in this browser as it is typed, so
//! a closed tab loses nothing. The panel reads its data once the page is live (it is the
//! page's own business, not the article form's).

use super::media::Toolbar;
use crate::api::newsroom::{
    delete_update, edit_update, live_coverage, pin_update, post_update, switch_live,
};
use crate::browser;
use crate::error::AppError;
use crate::model::live::{
    EditorCoverage, EditorUpdate, LiveState, UpdateForm, KEY_TITLE_MAX, UPDATE_MAX,
};
use crate::model::validate::{Field, FieldError};
use leptos::prelude::*;

fn draft_key(article_id: i64) -> String {
    format!("live-draft-{article_id}")
}

/// An unsent update, as this browser keeps it.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Draft {
    body: String,
    key: bool,
    key_title: String,
}

#[component]
pub fn LivePanel(article_id: i64) -> impl IntoView {
    let coverage = RwSignal::new(None::<Result<EditorCoverage, AppError>>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // The composer.
    let body = RwSignal::new(String::new());
    let key = RwSignal::new(false);
    let key_title = RwSignal::new(String::new());
    let author = RwSignal::new(None::<i64>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // Which update is being edited, and its text.
    let editing = RwSignal::new(None::<i64>);

    Effect::new(move |first: Option<()>| {
        if first.is_some() {
            return;
        }
        if let Some(d) = browser::store_get(&draft_key(article_id))
            .and_then(|s| serde_json::from_str::<Draft>(&s).ok())
        {
            body.set(d.body);
            key.set(d.key);
            key_title.set(d.key_title);
        }
        leptos::task::spawn_local(async move {
            let c = live_coverage(article_id, None).await;
            if let Ok(c) = &c {
                author.set(c.own_author.or(c.authors.first().map(|a| a.0)));
            }
            coverage.set(Some(c));
        });
    });
    // Every keystroke of the composer is kept here at once (from the first change on: the
    // first run sees the empty composer before the kept draft is back).
    Effect::new(move |first: Option<()>| {
        let draft = Draft {
            body: body.get(),
            key: key.get(),
            key_title: key_title.get(),
        };
        if first.is_none() {
            return;
        }
        if draft.body.is_empty() && draft.key_title.is_empty() {
            browser::store_remove(&draft_key(article_id));
        } else if let Ok(json) = serde_json::to_string(&draft) {
            browser::store_set(&draft_key(article_id), &json);
        }
    });

    // What colleagues post shows here too: while the coverage is live, the panel listens to
    // the readers' stream and reads the list again after each change (not while an update is
    // being edited here: that text would be lost).
    let listening = Memo::new(move |_| {
        coverage.with(|c| matches!(c, Some(Ok(c)) if c.state == LiveState::Live && c.published))
    });
    Effect::new(move |_| {
        if !listening.get() {
            return;
        }
        let refresh = move || {
            if editing.get_untracked().is_some() || busy.get_untracked() {
                return;
            }
            leptos::task::spawn_local(async move {
                if let Ok(c) = live_coverage(article_id, None).await {
                    if editing.get_untracked().is_none() {
                        coverage.set(Some(Ok(c)));
                    }
                }
            });
        };
        let source = browser::event_source(
            &crate::routes::live_stream(article_id),
            move |_, _| refresh(),
            || {},
        );
        let source = StoredValue::new_local(source);
        on_cleanup(move || {
            if let Some(s) = source.try_update_value(Option::take).flatten() {
                s.close();
            }
        });
    });

    // Runs a change; the answer is the coverage as it is now.
    let run = move |change: Run| {
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match change.await {
                Ok(c) => coverage.set(Some(Ok(c))),
                Err(e) => problem.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let switch = move |live: bool| {
        if !live && !browser::confirm("End the live coverage? Readers see that it has ended.") {
            return;
        }
        run(Box::pin(switch_live(article_id, live)));
    };
    let post = move |_| {
        let form = UpdateForm {
            body: body.get_untracked(),
            author_id: author.get_untracked(),
            key_title: key.get_untracked().then(|| key_title.get_untracked()),
        };
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match post_update(article_id, form).await {
                Ok(Ok(c)) => {
                    errors.set(Vec::new());
                    body.set(String::new());
                    key.set(false);
                    key_title.set(String::new());
                    if let Some(el) = textarea.get_untracked() {
                        el.set_value("");
                    }
                    coverage.set(Some(Ok(c)));
                }
                Ok(Err(found)) => errors.set(found),
                Err(e) => problem.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let error_of = move |field: Field| {
        move || {
            errors.with(|e| {
                e.iter()
                    .find(|x| x.field == field)
                    .map(|x| view! { <p class="field-error" role="alert">{x.message.clone()}</p> })
            })
        }
    };

    let composer = move |c: &EditorCoverage| {
        let authors = c.authors.clone();
        view! {
            <div class="live-composer">
                <label for="live-body">"Update"</label>
                <Toolbar textarea body/>
                <textarea id="live-body" rows="5" maxlength=UPDATE_MAX node_ref=textarea
                    prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))
                    placeholder="What happened? Markdown works: **bold**, links, images."></textarea>
                {error_of(Field::LiveUpdate)}
                <div class="live-composer-row">
                    {(!authors.is_empty()).then(|| view! {
                        <label class="inline">"By "
                            <select on:change=move |ev| author.set(event_target_value(&ev).parse().ok())>
                                {authors.into_iter().map(|(id, name)| view! {
                                    <option value=id.to_string() selected=move || author.get() == Some(id)>{name}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    })}
                    <label class="inline">
                        <input type="checkbox" prop:checked=move || key.get() on:change=move |ev| key.set(event_target_checked(&ev))/>
                        " Key event"
                    </label>
                </div>
                <Show when=move || key.get()>
                    <label for="live-key-title">"Key event title"</label>
                    <input id="live-key-title" type="text" maxlength=KEY_TITLE_MAX
                        prop:value=move || key_title.get() on:input=move |ev| key_title.set(event_target_value(&ev))/>
                    {error_of(Field::KeyEvent)}
                </Show>
                <button type="button" class="button primary" disabled=move || busy.get() on:click=post>"Post update"</button>
            </div>
        }
    };

    view! {
        <section class="panel live-panel" aria-labelledby="live-panel-title" id="live-coverage">
            <h2 id="live-panel-title">"Live coverage"</h2>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            {move || match coverage.get() {
                None => view! { <p class="loading">"Loading live coverage…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                Some(Ok(c)) => {
                    let head = match c.state {
                        LiveState::Off => view! {
                            <p class="hint">"Live coverage turns this article into a page of short updates, newest first, that readers' open pages receive the moment you post them."</p>
                            {c.may_switch.then(|| view! {
                                <button type="button" class="button" disabled=move || busy.get() on:click=move |_| switch(true)>"Start live coverage"</button>
                            })}
                        }.into_any(),
                        LiveState::Live => view! {
                            <p class="live-now"><span class="live-badge">"LIVE"</span>
                                {(!c.published).then_some(" Readers see the updates once the article is published.")}
                            </p>
                            {c.may_post.then(|| composer(&c))}
                            {c.may_switch.then(|| view! {
                                <button type="button" class="button-link" disabled=move || busy.get() on:click=move |_| switch(false)>"End live coverage"</button>
                            })}
                        }.into_any(),
                        LiveState::Ended => view! {
                            <p class="live-ended">"This live coverage has ended: readers see a banner saying so."</p>
                            {c.may_switch.then(|| view! {
                                <button type="button" class="button" disabled=move || busy.get() on:click=move |_| switch(true)>"Resume live coverage"</button>
                            })}
                        }.into_any(),
                    };
                    let older = c.older;
                    let list = c.updates.clone();
                    view! {
                        {head}
                        {(!list.is_empty()).then(|| view! {
                            <ol class="live-admin-list">
                                {list.into_iter().map(|u| view! { <UpdateRow u coverage editing busy run/> }).collect_view()}
                            </ol>
                        })}
                        {older.map(|before| view! {
                            <button type="button" class="button-link" on:click=move |_| {
                                leptos::task::spawn_local(async move {
                                    if let Ok(more) = live_coverage(article_id, Some(before)).await {
                                        coverage.update(|c| {
                                            if let Some(Ok(c)) = c {
                                                c.updates.extend(more.updates);
                                                c.older = more.older;
                                            }
                                        });
                                    }
                                });
                            }>"Older updates"</button>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

type Run = std::pin::Pin<Box<dyn std::future::Future<Output = Result<EditorCoverage, AppError>>>>;

/// One posted update, with what the one asking may do to it.
#[component]
fn UpdateRow(
    u: EditorUpdate,
    coverage: RwSignal<Option<Result<EditorCoverage, AppError>>>,
    editing: RwSignal<Option<i64>>,
    busy: RwSignal<bool>,
    run: impl Fn(Run) + Copy + 'static,
) -> impl IntoView {
    let id = u.update.id;
    let text = RwSignal::new(u.body_md.clone());
    let title = RwSignal::new(u.update.key_title.clone());
    let error = RwSignal::new(None::<String>);
    let author_id = u.author_id;
    let pinned = u.update.pinned;
    let save = move |_| {
        let key = title.get_untracked();
        let form = UpdateForm {
            body: text.get_untracked(),
            author_id,
            key_title: (!key.trim().is_empty()).then_some(key),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match edit_update(id, form).await {
                Ok(Ok(c)) => {
                    editing.set(None);
                    error.set(None);
                    busy.set(false);
                    coverage.set(Some(Ok(c)));
                }
                Ok(Err(found)) => {
                    error.set(Some(crate::model::validate::messages(&found)));
                    busy.set(false);
                }
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    let delete = move |_| {
        if browser::confirm("Delete this update? Readers' pages drop it at once.") {
            run(Box::pin(delete_update(id)));
        }
    };
    view! {
        <li class="live-admin-update" class:pinned=pinned>
            <p class="live-admin-meta">
                <time datetime=u.update.posted.iso.clone()>{u.update.posted.text.clone()}</time>
                {pinned.then_some(" · Pinned")}
                {u.update.edited.clone().map(|e| format!(" · Updated {}", e.text))}
                {u.update.author.clone().map(|a| format!(" · {}", a.name))}
            </p>
            <Show when=move || editing.get() == Some(id) fallback={
                let u = u.update.clone();
                move || view! {
                    {(!u.key_title.is_empty()).then(|| view! { <p class="live-key-title">{u.key_title.clone()}</p> })}
                    <div class="live-update-body" inner_html=u.html.clone()></div>
                }
            }>
                <label for=format!("live-edit-{id}")>"Update"</label>
                <textarea id=format!("live-edit-{id}") rows="4" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <label for=format!("live-edit-key-{id}")>"Key event title (empty: not a key event)"</label>
                <input id=format!("live-edit-key-{id}") type="text" prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
                {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <button type="button" class="button" disabled=move || busy.get() on:click=save>"Save update"</button>
                <button type="button" class="button-link" on:click=move |_| editing.set(None)>"Cancel"</button>
            </Show>
            <p class="live-admin-actions">
                {u.may_edit.then(|| view! {
                    <button type="button" class="button-link" on:click=move |_| editing.set(Some(id))>"Edit"</button>
                    <button type="button" class="button-link danger" disabled=move || busy.get() on:click=delete>"Delete"</button>
                })}
                {u.may_pin.then(|| view! {
                    <button type="button" class="button-link" disabled=move || busy.get()
                        on:click=move |_| run(Box::pin(pin_update(id, !pinned)))>
                        {if pinned { "Unpin" } else { "Pin" }}
                    </button>
                })}
            </p>
        </li>
    }
}
