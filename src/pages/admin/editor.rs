//! The article editor. Nothing typed here is lost: every change goes to this browser's local
//! storage at once and to the server every few seconds; a save based on an old version is
//! refused and shown side by side instead of overwriting someone else's work.

use super::frame::AdminFrame;
use crate::api::admin::{
    add_note, admin_article, article_revisions, change_status, pick_candidates, preview_markdown,
    restore_revision, save_article,
};
use crate::app::use_site;
use crate::browser;
use crate::error::AppError;
use crate::model::admin::*;
use crate::model::markdown_edit::{self, Format};
use crate::model::validate::{self, diff_lines, DiffLine};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use std::time::Duration;

const AUTOSAVE_EVERY: Duration = Duration::from_secs(3);
const PREVIEW_DEBOUNCE: Duration = Duration::from_millis(350);

#[component]
pub fn EditorPage() -> impl IntoView {
    view! { <AdminFrame title="Edit article" page=|user| view! { <EditorLoader user/> }/> }
}

#[component]
fn EditorLoader(user: CurrentUser) -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let article = Resource::new(id, admin_article);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening the article…"</p> }>
            {
                let user = user.clone();
                move || {
                    let user = user.clone();
                    Suspend::new(async move {
                        match article.await {
                            Ok(a) => view! { <Editor article=a user/> }.into_any(),
                            Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// One signal per field, so typing in the body does not redraw the title.
#[derive(Clone, Copy)]
struct FormState {
    title: RwSignal<String>,
    slug: RwSignal<String>,
    category: RwSignal<String>,
    excerpt: RwSignal<String>,
    body: RwSignal<String>,
    author_name: RwSignal<String>,
    image: RwSignal<Option<MediaRef>>,
    image_alt: RwSignal<String>,
    image_caption: RwSignal<String>,
    image_credit: RwSignal<String>,
    read_also: RwSignal<Vec<Pick>>,
    editors_pick: RwSignal<bool>,
    pick_order: RwSignal<i64>,
}

impl FormState {
    fn new(f: &ArticleForm) -> Self {
        FormState {
            title: RwSignal::new(f.title.clone()),
            slug: RwSignal::new(f.slug.clone()),
            category: RwSignal::new(f.category.clone()),
            excerpt: RwSignal::new(f.excerpt.clone()),
            body: RwSignal::new(f.body_md.clone()),
            author_name: RwSignal::new(f.author_name.clone()),
            image: RwSignal::new(f.image.clone()),
            image_alt: RwSignal::new(f.image_alt.clone()),
            image_caption: RwSignal::new(f.image_caption.clone()),
            image_credit: RwSignal::new(f.image_credit.clone()),
            read_also: RwSignal::new(f.read_also.clone()),
            editors_pick: RwSignal::new(f.editors_pick),
            pick_order: RwSignal::new(f.pick_order),
        }
    }

    fn load(&self, f: &ArticleForm) {
        self.title.set(f.title.clone());
        self.slug.set(f.slug.clone());
        self.category.set(f.category.clone());
        self.excerpt.set(f.excerpt.clone());
        self.body.set(f.body_md.clone());
        self.author_name.set(f.author_name.clone());
        self.image.set(f.image.clone());
        self.image_alt.set(f.image_alt.clone());
        self.image_caption.set(f.image_caption.clone());
        self.image_credit.set(f.image_credit.clone());
        self.read_also.set(f.read_also.clone());
        self.editors_pick.set(f.editors_pick);
        self.pick_order.set(f.pick_order);
    }

    /// The form as it is now (tracked: use inside a memo to follow every change).
    fn get(&self) -> ArticleForm {
        ArticleForm {
            title: self.title.get(),
            slug: self.slug.get(),
            category: self.category.get(),
            excerpt: self.excerpt.get(),
            body_md: self.body.get(),
            author_name: self.author_name.get(),
            image: self.image.get(),
            image_alt: self.image_alt.get(),
            image_caption: self.image_caption.get(),
            image_credit: self.image_credit.get(),
            read_also: self.read_also.get(),
            editors_pick: self.editors_pick.get(),
            pick_order: self.pick_order.get(),
        }
    }
}

#[derive(Clone, PartialEq)]
enum SaveState {
    Idle,
    Saving,
    Saved { at: String, pending: bool },
    Invalid,
    Failed(String),
    Conflict,
}

/// What this browser keeps of an article while it is being edited.
#[derive(Serialize, Deserialize)]
struct LocalCopy {
    form: ArticleForm,
    base_version: i64,
    saved_ms: f64,
}

fn local_key(id: i64) -> String {
    format!("portal:article:{id}")
}

#[component]
fn Editor(article: EditorArticle, user: CurrentUser) -> impl IntoView {
    let id = article.id;
    let form = FormState::new(&article.form);
    let current = Memo::new(move |_| form.get());
    let last_saved = RwSignal::new(article.form.clone());
    let base_version = RwSignal::new(article.version);
    let status = RwSignal::new(article.status);
    let publish_at = RwSignal::new(article.publish_at.clone().unwrap_or_default());
    let public_url = RwSignal::new(article.public_url.clone());
    let save_state = RwSignal::new(SaveState::Idle);
    let server_errors: RwSignal<Vec<FieldError>> = RwSignal::new(vec![]);
    let attempted = RwSignal::new(false);
    let conflict: RwSignal<Option<Conflict>> = RwSignal::new(None);
    let in_flight = StoredValue::new(false);
    let notice: RwSignal<Option<String>> = RwSignal::new(None);
    let restorable: RwSignal<Option<(ArticleForm, String)>> = RwSignal::new(
        article
            .pending_autosave
            .clone()
            .map(|f| (f, "an autosave on the server".to_string())),
    );
    let dirty = Memo::new(move |_| current.with(|c| last_saved.with(|s| c != s)));
    let is_editor = user.role.is_editor();

    // Offer this browser's own copy if it holds text the server does not have.
    Effect::new(move |first: Option<()>| {
        if first.is_some() {
            return;
        }
        if let Some(copy) = browser::store_get(&local_key(id))
            .and_then(|s| leptos::serde_json::from_str::<LocalCopy>(&s).ok())
        {
            if copy.form != current.get_untracked() {
                restorable.set(Some((copy.form, "this browser (not yet saved)".into())));
            } else {
                browser::store_remove(&local_key(id));
            }
        }
    });
    // Every change is in local storage at once: a closed tab or a dead connection loses nothing.
    Effect::new(move |_| {
        let form_now = current.get();
        if dirty.get() {
            let copy = LocalCopy {
                form: form_now,
                base_version: base_version.get_untracked(),
                saved_ms: browser::now_ms(),
            };
            if let Ok(json) = leptos::serde_json::to_string(&copy) {
                browser::store_set(&local_key(id), &json);
            }
        }
    });

    let errors = Memo::new(move |_| {
        let live = current.with(validate::check_form);
        let mut all: Vec<FieldError> = server_errors.get();
        for e in live {
            if !all.iter().any(|x| x.field == e.field) {
                all.push(e);
            }
        }
        all
    });
    let error_for = move |field: Field| {
        move || {
            let shown = attempted.get() || !current.with(|c| field_is_empty(c, field));
            errors
                .with(|all| {
                    all.iter()
                        .find(|e| e.field == field)
                        .map(|e| e.message.clone())
                })
                .filter(|_| shown)
        }
    };

    let apply_result = move |sent: ArticleForm, result: Result<SaveResult, AppError>| {
        in_flight.set_value(false);
        match result {
            Ok(SaveResult::Saved(s)) => {
                base_version.set(s.version);
                status.set(s.status);
                server_errors.set(vec![]);
                let mut saved_form = sent;
                if saved_form.slug.is_empty() && !s.pending {
                    saved_form.slug = s.slug.clone();
                    if form.slug.get_untracked().is_empty() {
                        form.slug.set(s.slug.clone());
                    }
                }
                if !s.pending {
                    public_url.set(
                        (s.status == Status::Published)
                            .then(|| crate::model::article_href(&s.slug)),
                    );
                }
                last_saved.set(saved_form);
                if !dirty.get_untracked() {
                    browser::store_remove(&local_key(id));
                }
                save_state.set(SaveState::Saved {
                    at: s.at,
                    pending: s.pending,
                });
            }
            Ok(SaveResult::Invalid(errs)) => {
                attempted.set(true);
                server_errors.set(errs);
                save_state.set(SaveState::Invalid);
            }
            Ok(SaveResult::Conflict(c)) => {
                conflict.set(Some(*c));
                save_state.set(SaveState::Conflict);
            }
            Err(AppError::Unauthorized(m)) => save_state.set(SaveState::Failed(m)),
            Err(AppError::Forbidden(m)) => save_state.set(SaveState::Failed(m)),
            Err(_) => save_state.set(SaveState::Failed("Not saved — retrying".into())),
        }
    };

    let save = move |autosave: bool| {
        if in_flight.get_value() || conflict.with_untracked(Option::is_some) {
            return;
        }
        in_flight.set_value(true);
        if !autosave {
            attempted.set(true);
        }
        save_state.set(SaveState::Saving);
        let sent = current.get_untracked();
        let version = base_version.get_untracked();
        leptos::task::spawn_local(async move {
            let result = save_article(id, version, sent.clone(), autosave).await;
            apply_result(sent, result);
        });
    };

    // Autosave: every few seconds while there are unsaved changes (and retries after errors).
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                if dirty.get_untracked()
                    && !matches!(
                        save_state.get_untracked(),
                        SaveState::Invalid | SaveState::Conflict
                    )
                {
                    save(true);
                }
            },
            AUTOSAVE_EVERY,
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    });
    // Leaving with unsaved text asks first.
    let _ = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.get_untracked() {
            ev.prevent_default();
            ev.set_return_value("unsaved");
        }
    });

    let run_action = move |action: StatusAction| {
        if in_flight.get_value() {
            return;
        }
        attempted.set(true);
        let sent = current.get_untracked();
        let needs_save = dirty.get_untracked();
        in_flight.set_value(true);
        save_state.set(SaveState::Saving);
        leptos::task::spawn_local(async move {
            // Unsaved edits go first, as an explicit save; then the status change.
            if needs_save {
                let r = save_article(id, base_version.get_untracked(), sent.clone(), false).await;
                let ok = matches!(r, Ok(SaveResult::Saved(ref s)) if !s.pending);
                apply_result(sent, r);
                if !ok {
                    return;
                }
                in_flight.set_value(true);
            }
            let r = change_status(id, base_version.get_untracked(), action).await;
            let snapshot = current.get_untracked();
            apply_result(snapshot, r);
        });
    };

    let resolve_keep_mine = move |_| {
        if let Some(c) = conflict.get_untracked() {
            base_version.set(c.current.version);
            conflict.set(None);
            save_state.set(SaveState::Idle);
            save(false);
        }
    };
    let resolve_take_theirs = move |_| {
        if let Some(c) = conflict.get_untracked() {
            form.load(&c.current.form);
            last_saved.set(c.current.form.clone());
            base_version.set(c.current.version);
            status.set(c.current.status);
            conflict.set(None);
            browser::store_remove(&local_key(id));
            save_state.set(SaveState::Idle);
        }
    };

    let status_text = move || match save_state.get() {
        SaveState::Idle if dirty.get() => "Unsaved changes".to_string(),
        SaveState::Idle => "All changes saved".to_string(),
        SaveState::Saving => "Saving…".to_string(),
        SaveState::Saved { at, pending: false } if !dirty.get() => format!("Saved at {at}"),
        SaveState::Saved { at, pending: true } if !dirty.get() => {
            format!("Draft copy saved at {at} — not public until you update")
        }
        SaveState::Saved { .. } => "Unsaved changes".to_string(),
        SaveState::Invalid => "Not saved — check the highlighted fields".to_string(),
        SaveState::Failed(m) => m,
        SaveState::Conflict => "Not saved — someone else changed this article".to_string(),
    };
    let status_class = move || match save_state.get() {
        SaveState::Failed(_) | SaveState::Invalid | SaveState::Conflict => "save-state bad",
        SaveState::Saving => "save-state busy",
        _ => "save-state",
    };

    let site = use_site();
    let categories = move || {
        site.get()
            .and_then(Result::ok)
            .map(|s| s.categories)
            .unwrap_or_default()
    };
    let show_preview = RwSignal::new(false);
    let show_revisions = RwSignal::new(false);
    let textarea = NodeRef::<leptos::html::Textarea>::new();

    let text_input = |signal: RwSignal<String>| move |ev| signal.set(event_target_value(&ev));

    view! {
        <div class="editor">
            <div class="editor-top">
                <p class="crumbs"><a href="/admin">"Articles"</a> " › Edit"</p>
                <p class=status_class role="status" aria-live="polite">{status_text}</p>
            </div>
            <Show when=move || restorable.with(Option::is_some)>
                <div class="banner" role="alert">
                    <p>{move || restorable.with(|r| r.as_ref().map(|(_, from)| format!("There are unsaved changes to this article from {from}.")))}</p>
                    <button type="button" class="button" on:click=move |_| {
                        if let Some((f, _)) = restorable.get_untracked() {
                            form.load(&f);
                        }
                        restorable.set(None);
                    }>"Restore them"</button>
                    <button type="button" class="button-link" on:click=move |_| {
                        restorable.set(None);
                        browser::store_remove(&local_key(id));
                    }>"Discard"</button>
                </div>
            </Show>
            {move || conflict.get().map(|c| view! {
                <ConflictView conflict=c mine=current.get_untracked() keep_mine=resolve_keep_mine take_theirs=resolve_take_theirs/>
            })}
            <div class="editor-grid">
                <div class="editor-main">
                    <Labelled id="f-title" label="Title" error=error_for(Field::Title)>
                        <input id="f-title" class="title-input" type="text" maxlength=validate::TITLE_MAX
                            prop:value=move || form.title.get() on:input=text_input(form.title)/>
                    </Labelled>
                    <Labelled id="f-slug" label="Address (slug)" error=error_for(Field::Slug)>
                        <div class="slug-row">
                            <span class="slug-prefix">"/article/"</span>
                            <input id="f-slug" type="text" maxlength=validate::SLUG_MAX
                                placeholder=move || validate::slug_preview(&form.title.get())
                                prop:value=move || form.slug.get() on:input=text_input(form.slug)/>
                        </div>
                    </Labelled>
                    <Labelled id="f-excerpt" label="Excerpt" error=error_for(Field::Excerpt)>
                        <textarea id="f-excerpt" rows="2" maxlength=validate::EXCERPT_MAX
                            prop:value=move || form.excerpt.get() on:input=text_input(form.excerpt)></textarea>
                    </Labelled>
                    <div class="field">
                        <div class="body-head">
                            <label for="f-body">"Body"</label>
                            <Toolbar textarea body=form.body/>
                            <button type="button" class="button small" aria-pressed=move || show_preview.get().to_string()
                                on:click=move |_| show_preview.update(|p| *p = !*p)>
                                {move || if show_preview.get() { "Hide preview" } else { "Preview" }}
                            </button>
                        </div>
                        <div class="body-panes" class:with-preview=move || show_preview.get()>
                            <textarea id="f-body" node_ref=textarea class="body-input" rows="24"
                                prop:value=move || form.body.get() on:input=text_input(form.body)></textarea>
                            <Show when=move || show_preview.get()>
                                <Preview body=form.body title=form.title/>
                            </Show>
                        </div>
                        {move || error_for(Field::Body)().map(|m| view! { <p class="field-error">{m}</p> })}
                        <p class="hint">"Markdown: ## for a subheading, **bold**, _italic_, [text](https://…), > quote, - list. An image on a line of its own becomes a figure; its title is the caption, then “ | © credit”."</p>
                    </div>
                </div>
                <aside class="editor-side">
                    <section class="panel">
                        <h2>"Publish"</h2>
                        <p class="status-line">"Status: " <strong>{move || status.get().label()}</strong></p>
                        {move || public_url.get().map(|u| view! { <p><a href=u.clone() target="_blank" rel="noopener">"View on site ↗"</a></p> })}
                        <StatusActions status is_editor publish_at run_action save dirty error=error_for(Field::PublishAt)/>
                    </section>
                    <section class="panel">
                        <h2>"Section and author"</h2>
                        <Labelled id="f-category" label="Section" error=error_for(Field::Category)>
                            <select id="f-category" prop:value=move || form.category.get()
                                on:change=move |ev| form.category.set(event_target_value(&ev))>
                                {move || categories().into_iter().map(|c| {
                                    let slug = c.slug.clone();
                                    view! { <option value=c.slug selected=move || form.category.get() == slug>{c.name}</option> }
                                }).collect_view()}
                            </select>
                        </Labelled>
                        <Labelled id="f-author" label="Author (as readers see it)" error=error_for(Field::AuthorName)>
                            <input id="f-author" type="text" maxlength=validate::AUTHOR_MAX
                                prop:value=move || form.author_name.get() on:input=text_input(form.author_name)/>
                        </Labelled>
                    </section>
                    <FeaturedImage form error_image=error_for(Field::Image) error_alt=error_for(Field::ImageAlt)/>
                    <ReadAlsoPicker picks=form.read_also article_id=id error=error_for(Field::ReadAlso)/>
                    <section class="panel">
                        <h2>"EDITOR'S PICK"</h2>
                        <label class="check">
                            <input type="checkbox" disabled=!is_editor prop:checked=move || form.editors_pick.get()
                                on:change=move |ev| form.editors_pick.set(event_target_checked(&ev))/>
                            " Show in Editor's Pick"
                        </label>
                        <Labelled id="f-pick-order" label="Order (lower first)" error=error_for(Field::PickOrder)>
                            <input id="f-pick-order" type="number" min="0" max=validate::PICK_ORDER_MAX disabled=!is_editor
                                prop:value=move || form.pick_order.get().to_string()
                                on:input=move |ev| form.pick_order.set(event_target_value(&ev).parse().unwrap_or(0))/>
                        </Labelled>
                        {(!is_editor).then(|| view! { <p class="hint">"Editors choose the picks."</p> })}
                    </section>
                    <Show when=move || is_editor && status.get() == Status::Published>
                        <NoteForm article_id=id notice/>
                    </Show>
                    {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                    <section class="panel">
                        <h2>"Revisions"</h2>
                        <button type="button" class="button small" on:click=move |_| show_revisions.update(|s| *s = !*s)>
                            {move || if show_revisions.get() { "Hide revisions" } else { "Show revisions" }}
                        </button>
                        <Show when=move || show_revisions.get()>
                            <Revisions article_id=id base_version on_restored=move |a: EditorArticle| {
                                form.load(&a.form);
                                last_saved.set(a.form.clone());
                                base_version.set(a.version);
                                status.set(a.status);
                                save_state.set(SaveState::Saved { at: "just now".into(), pending: false });
                            }/>
                        </Show>
                    </section>
                </aside>
            </div>
            <div class="editor-actions">
                <button type="button" class="button primary" on:click=move |_| save(false)>
                    {move || if status.get().is_live() { "Update" } else { "Save draft" }}
                </button>
            </div>
        </div>
    }
}

fn field_is_empty(f: &ArticleForm, field: Field) -> bool {
    match field {
        Field::Title => f.title.trim().is_empty(),
        Field::Excerpt => f.excerpt.trim().is_empty(),
        Field::Body => f.body_md.trim().is_empty(),
        Field::AuthorName => f.author_name.trim().is_empty(),
        Field::ImageAlt => f.image_alt.trim().is_empty(),
        _ => false,
    }
}

#[component]
fn Labelled<E>(id: &'static str, label: &'static str, error: E, children: Children) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let error = Memo::new(move |_| error());
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {children()}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

#[component]
fn Toolbar(textarea: NodeRef<leptos::html::Textarea>, body: RwSignal<String>) -> impl IntoView {
    let apply = move |format: Format| {
        let Some(el) = textarea.get_untracked() else {
            return;
        };
        let start = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let end = el.selection_end().ok().flatten().unwrap_or(0) as usize;
        let (text, a, b) = markdown_edit::apply(&el.value(), start, end, format);
        body.set(text.clone());
        el.set_value(&text);
        let _ = el.focus();
        let _ = el.set_selection_range(a as u32, b as u32);
    };
    let image_input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<String>);
    let on_file = move |_| {
        let Some(input) = image_input.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        error.set(None);
        progress.set(Some(0.0));
        browser::upload(
            "/api/admin/media",
            file,
            move |p| progress.set(Some(p)),
            move |result| {
                progress.set(None);
                match result.map(|b| leptos::serde_json::from_str::<MediaRef>(&b)) {
                    Ok(Ok(media)) => {
                        let Some(el) = textarea.get_untracked() else {
                            return;
                        };
                        let at = el.selection_end().ok().flatten().unwrap_or(0) as usize;
                        let snippet = format!(
                            "![Describe the image]({} \"Caption | © Credit\")",
                            media.large_url
                        );
                        let (text, cursor) = markdown_edit::insert_block(&el.value(), at, &snippet);
                        body.set(text.clone());
                        el.set_value(&text);
                        let _ = el.set_selection_range(cursor as u32, cursor as u32);
                    }
                    Ok(Err(_)) => error.set(Some("The server's answer was not understood.".into())),
                    Err(m) => error.set(Some(m)),
                }
            },
        );
    };
    view! {
        <div class="toolbar" role="toolbar" aria-label="Formatting">
            {Format::ALL.into_iter().map(|f| view! {
                <button type="button" class="tool" title=f.label() aria-label=f.label() on:click=move |_| apply(f)>{f.glyph()}</button>
            }).collect_view()}
            <label class="tool" title="Insert image">
                "Image"
                <input type="file" accept="image/jpeg,image/png,image/webp,image/gif" class="visually-hidden" node_ref=image_input on:change=on_file/>
            </label>
            {move || progress.get().map(|p| view! { <progress max="1" value=p>{format!("{:.0}%", p * 100.0)}</progress> })}
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </div>
    }
}

/// The article as readers will see it, rendered by the server's own renderer.
#[component]
fn Preview(body: RwSignal<String>, title: RwSignal<String>) -> impl IntoView {
    let html = RwSignal::new(String::new());
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = body.get();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(h) = preview_markdown(text).await {
                        if generation.get_value() == mine {
                            html.set(h);
                        }
                    }
                });
            },
            PREVIEW_DEBOUNCE,
        );
    });
    view! {
        <div class="preview" aria-label="Preview">
            <h1 class="article-title">{move || title.get()}</h1>
            <div class="article-body" inner_html=move || html.get()></div>
        </div>
    }
}

#[component]
fn StatusActions<R, S, E>(
    status: RwSignal<Status>,
    is_editor: bool,
    publish_at: RwSignal<String>,
    run_action: R,
    save: S,
    dirty: Memo<bool>,
    error: E,
) -> impl IntoView
where
    R: Fn(StatusAction) + Copy + Send + Sync + 'static,
    S: Fn(bool) + Copy + Send + Sync + 'static,
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let button = move |action: StatusAction, class: &'static str| {
        let label = action.label();
        view! { <button type="button" class=format!("button {class}") on:click=move |_| run_action(action.clone())>{label}</button> }
    };
    view! {
        <div class="status-actions">
            {move || {
                let st = status.get();
                let mut out = Vec::new();
                if is_editor && matches!(st, Status::Draft | Status::Review | Status::Scheduled) {
                    out.push(button(StatusAction::Publish, "primary").into_any());
                }
                if matches!(st, Status::Draft) {
                    out.push(button(StatusAction::SubmitForReview, "").into_any());
                }
                if matches!(st, Status::Review | Status::Scheduled) && (is_editor || st == Status::Review) {
                    out.push(button(StatusAction::BackToDraft, "").into_any());
                }
                if is_editor && st == Status::Published {
                    out.push(button(StatusAction::Unpublish, "").into_any());
                }
                if matches!(st, Status::Draft | Status::Review) {
                    out.push(button(StatusAction::Trash, "danger").into_any());
                }
                if st == Status::Trash {
                    out.push(button(StatusAction::Restore, "").into_any());
                }
                out
            }}
            <Show when=move || is_editor && matches!(status.get(), Status::Draft | Status::Review | Status::Scheduled)>
                <div class="schedule">
                    <label for="f-publish-at">{move || if status.get() == Status::Scheduled { "Scheduled for" } else { "Schedule for" }}</label>
                    <input id="f-publish-at" type="datetime-local" prop:value=move || publish_at.get()
                        on:input=move |ev| publish_at.set(event_target_value(&ev))/>
                    <button type="button" class="button" on:click=move |_| run_action(StatusAction::Schedule(publish_at.get_untracked()))>
                        {move || if status.get() == Status::Scheduled { "Reschedule" } else { "Schedule" }}
                    </button>
                </div>
            </Show>
            {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
            {move || (status.get().is_live() && dirty.get()).then(|| view! {
                <p class="hint">"Readers see your changes when you press " <button type="button" class="button-link" on:click=move |_| save(false)>"Update"</button> "."</p>
            })}
        </div>
    }
}

#[component]
fn FeaturedImage<A, B>(form: FormState, error_image: A, error_alt: B) -> impl IntoView
where
    A: Fn() -> Option<String> + Send + Sync + 'static,
    B: Fn() -> Option<String> + Send + Sync + 'static,
{
    let progress = RwSignal::new(None::<f64>);
    let upload_error = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let send = move |file: leptos::web_sys::File| {
        upload_error.set(None);
        progress.set(Some(0.0));
        browser::upload(
            "/api/admin/media",
            file,
            move |p| progress.set(Some(p)),
            move |result| {
                progress.set(None);
                match result.map(|b| leptos::serde_json::from_str::<MediaRef>(&b)) {
                    Ok(Ok(media)) => form.image.set(Some(media)),
                    Ok(Err(_)) => {
                        upload_error.set(Some("The server's answer was not understood.".into()))
                    }
                    Err(m) => upload_error.set(Some(m)),
                }
            },
        );
    };
    let on_pick = move |_| {
        if let Some(el) = input.get_untracked() {
            if let Some(file) = el.files().and_then(|f| f.get(0)) {
                send(file);
            }
            el.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            send(file);
        }
    };
    let text_input = |signal: RwSignal<String>| move |ev| signal.set(event_target_value(&ev));
    view! {
        <section class="panel">
            <h2>"Featured image"</h2>
            <div class="dropzone" class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                {move || form.image.get().map(|m| view! {
                    <img src=m.url.clone() srcset=m.srcset.clone() sizes="300px" width=m.width height=m.height alt="" class="thumb"/>
                })}
                <label class="button small" for="f-image-file">{move || if form.image.with(Option::is_some) { "Replace image" } else { "Choose image" }}</label>
                <input id="f-image-file" type="file" class="visually-hidden" accept="image/jpeg,image/png,image/webp,image/gif" node_ref=input on:change=on_pick/>
                <p class="hint">"…or drop a JPEG, PNG, WebP or GIF here (up to 10 MB)."</p>
                {move || progress.get().map(|p| view! {
                    <progress max="1" value=p aria-label="Upload progress">{format!("{:.0}%", p * 100.0)}</progress>
                })}
                {move || upload_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                {move || error_image().map(|e| view! { <p class="field-error">{e}</p> })}
                <Show when=move || form.image.with(Option::is_some)>
                    <button type="button" class="button-link" on:click=move |_| form.image.set(None)>"Remove image"</button>
                </Show>
            </div>
            <Labelled id="f-image-alt" label="Alt text" error=error_alt>
                <input id="f-image-alt" type="text" maxlength=validate::ALT_MAX prop:value=move || form.image_alt.get() on:input=text_input(form.image_alt)/>
            </Labelled>
            <Labelled id="f-image-caption" label="Caption" error=|| None>
                <input id="f-image-caption" type="text" maxlength=validate::CAPTION_MAX prop:value=move || form.image_caption.get() on:input=text_input(form.image_caption)/>
            </Labelled>
            <Labelled id="f-image-credit" label="Credit" error=|| None>
                <input id="f-image-credit" type="text" maxlength=validate::CREDIT_MAX prop:value=move || form.image_credit.get() on:input=text_input(form.image_credit)/>
            </Labelled>
        </section>
    }
}

#[component]
fn ReadAlsoPicker<E>(picks: RwSignal<Vec<Pick>>, article_id: i64, error: E) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let _ = article_id;
    let query = RwSignal::new(String::new());
    let found: RwSignal<Vec<Pick>> = RwSignal::new(vec![]);
    let generation = StoredValue::new(0u64);
    let on_input = move |ev| {
        let q = event_target_value(&ev);
        query.set(q.clone());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if q.trim().chars().count() < 2 {
            found.set(vec![]);
            return;
        }
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(list) = pick_candidates(q).await {
                        if generation.get_value() == mine {
                            found.set(list);
                        }
                    }
                });
            },
            Duration::from_millis(200),
        );
    };
    view! {
        <section class="panel">
            <h2>"READ ALSO"</h2>
            <ol class="picked">
                {move || picks.get().into_iter().map(|p| {
                    let slug = p.slug.clone();
                    view! {
                        <li>
                            <span>{p.title}</span>
                            <button type="button" class="button-link" aria-label="Remove"
                                on:click=move |_| picks.update(|v| v.retain(|x| x.slug != slug))>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=move || picks.with(|p| p.len() < validate::READ_ALSO_MAX)>
                <label for="f-read-also">"Find an article"</label>
                <input id="f-read-also" type="search" placeholder="Search published articles" prop:value=move || query.get() on:input=on_input/>
                <ul class="pick-results">
                    {move || found.get().into_iter().filter(|p| !picks.with(|v| v.iter().any(|x| x.slug == p.slug))).map(|p| {
                        let chosen = p.clone();
                        view! {
                            <li>
                                <button type="button" class="button-link" on:click=move |_| {
                                    picks.update(|v| if v.len() < validate::READ_ALSO_MAX { v.push(chosen.clone()) });
                                    query.set(String::new());
                                    found.set(vec![]);
                                }>{"Add: "}{p.title}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            {move || error().map(|e| view! { <p class="field-error">{e}</p> })}
        </section>
    }
}

#[component]
fn NoteForm(article_id: i64, notice: RwSignal<Option<String>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let send = move |_| {
        let t = text.get_untracked();
        leptos::task::spawn_local(async move {
            match add_note(article_id, t).await {
                Ok(None) => {
                    text.set(String::new());
                    error.set(None);
                    notice.set(Some("The update note is on the article page now.".into()));
                }
                Ok(Some(e)) => error.set(Some(e.message)),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="panel">
            <h2>"Correction or update note"</h2>
            <label for="f-note">"Shown, dated, under the article"</label>
            <textarea id="f-note" rows="3" maxlength=validate::NOTE_MAX prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
            <button type="button" class="button" on:click=send>"Add note"</button>
        </section>
    }
}

#[component]
fn Revisions<F>(article_id: i64, base_version: RwSignal<i64>, on_restored: F) -> impl IntoView
where
    F: Fn(EditorArticle) + Copy + Send + Sync + 'static,
{
    let version = RwSignal::new(0u32);
    let list = Resource::new(
        move || version.get(),
        move |_| article_revisions(article_id),
    );
    let message = RwSignal::new(None::<String>);
    let restore = move |rev: i64| {
        if !browser::confirm("Restore this revision? Your current text stays in the history.") {
            return;
        }
        leptos::task::spawn_local(async move {
            match restore_revision(article_id, rev, base_version.get_untracked()).await {
                Ok(SaveResult::Saved(_)) => {
                    if let Ok(a) = admin_article(article_id).await {
                        on_restored(a);
                    }
                    message.set(Some("Restored.".into()));
                    version.update(|v| *v += 1);
                }
                Ok(SaveResult::Conflict(_)) => message.set(Some(
                    "Someone saved meanwhile: reload before restoring.".into(),
                )),
                Ok(SaveResult::Invalid(e)) => message.set(Some(
                    e.into_iter()
                        .map(|e| e.message)
                        .collect::<Vec<_>>()
                        .join(" "),
                )),
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    view! {
        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(revs) => view! {
                        <ol class="revisions">
                            {revs.into_iter().map(|r| {
                                let id = r.id;
                                view! {
                                    <li>
                                        <span class="rev-meta">{format!("v{} · {} · {}", r.version, r.kind, r.status.label())}</span>
                                        <span>{r.by} ", " {r.at}</span>
                                        <span class="rev-title">{r.title}</span>
                                        <button type="button" class="button-link" on:click=move |_| restore(id)>"Restore"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ConflictView<K, T>(
    conflict: Conflict,
    mine: ArticleForm,
    keep_mine: K,
    take_theirs: T,
) -> impl IntoView
where
    K: Fn(leptos::ev::MouseEvent) + Send + Sync + 'static,
    T: Fn(leptos::ev::MouseEvent) + Send + Sync + 'static,
{
    let theirs = conflict.current.form.clone();
    let by = if conflict.current.updated_by.is_empty() {
        "Someone else".to_string()
    } else {
        conflict.current.updated_by.clone()
    };
    let my_body = mine.body_md.clone();
    let fields = conflict
        .changed
        .iter()
        .filter(|f| **f != Field::Body)
        .map(|f| {
            let (t, m) = field_text(&theirs, *f, &mine);
            view! {
                <tr><th scope="row">{f.label()}</th><td class="theirs">{t}</td><td class="mine">{m}</td></tr>
            }
        })
        .collect_view();
    let body_diff = conflict.changed.contains(&Field::Body).then(|| {
        view! {
            <h3>"Body: what changed"</h3>
            <pre class="diff">
                {diff_lines(&theirs.body_md, &mine.body_md).into_iter().map(|l| match l {
                    DiffLine::Same(s) => view! { <span class="same">{format!("  {s}\n")}</span> }.into_any(),
                    DiffLine::Theirs(s) => view! { <del class="theirs">{format!("− {s}\n")}</del> }.into_any(),
                    DiffLine::Mine(s) => view! { <ins class="mine">{format!("+ {s}\n")}</ins> }.into_any(),
                }).collect_view()}
            </pre>
        }
    });
    view! {
        <section class="conflict" role="alert" aria-labelledby="conflict-title">
            <h2 id="conflict-title">"This article was changed while you were editing"</h2>
            <p>
                {by} " saved a newer version at " {conflict.current.updated.clone()} ". "
                "Your text is " <strong>"not lost"</strong> ": it is still in the form below and in this browser. "
                "Compare, edit your version if you like (merge), then choose."
            </p>
            <table class="conflict-table">
                <thead><tr><th></th><th scope="col">"Their version (saved)"</th><th scope="col">"Your version"</th></tr></thead>
                <tbody>{fields}</tbody>
            </table>
            {body_diff}
            <div class="conflict-actions">
                <button type="button" class="button primary" on:click=keep_mine>"Save my version"</button>
                <button type="button" class="button" on:click=move |_| browser::copy_to_clipboard(&my_body)>"Copy my text"</button>
                <button type="button" class="button danger" on:click=take_theirs>"Discard mine, load theirs"</button>
            </div>
        </section>
    }
}

fn field_text(theirs: &ArticleForm, field: Field, mine: &ArticleForm) -> (String, String) {
    let get = |f: &ArticleForm| match field {
        Field::Title => f.title.clone(),
        Field::Slug => f.slug.clone(),
        Field::Category => f.category.clone(),
        Field::Excerpt => f.excerpt.clone(),
        Field::AuthorName => f.author_name.clone(),
        Field::Image => f
            .image
            .as_ref()
            .map(|i| i.url.clone())
            .unwrap_or_else(|| "(none)".into()),
        Field::ImageAlt => f.image_alt.clone(),
        Field::ImageCaption => f.image_caption.clone(),
        Field::ImageCredit => f.image_credit.clone(),
        Field::ReadAlso => f
            .read_also
            .iter()
            .map(|p| p.title.clone())
            .collect::<Vec<_>>()
            .join("; "),
        Field::PickOrder => format!(
            "{} (order {})",
            if f.editors_pick {
                "picked"
            } else {
                "not picked"
            },
            f.pick_order
        ),
        _ => String::new(),
    };
    (get(theirs), get(mine))
}
