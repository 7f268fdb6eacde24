//! The article editor. Nothing typed here is lost: every change goes to this browser's local
//! storage at once and to the server every few seconds; a save based on an old version is
//! refused and shown side by side instead of overwriting someone else's work.
//!
//! `controller` holds the rules of saving (plain Rust, unit-tested); this file wires it to
//! the form's signals, the timers, local storage and the server; the other modules are the
//! panels of the page.

pub mod controller;
mod fields;
mod history;
mod media;
mod publish;
mod read_also;

use super::frame::AdminFrame;
use super::{ArticleResource, Me};
use crate::api::newsroom::{change_status, save_article};
use crate::browser;
use crate::components::error_view::ErrorNote;
use crate::model::accounts::CurrentUser;
use crate::model::newsroom::*;
use crate::model::policy::{self, may, Actor, ArticleFacts};
use crate::model::validate::{self, Field};
use crate::site::use_site;
use controller::{carry_out, local_key, EditorController, Followup, LocalCopy, Plan};
use fields::{bind, FormState, Labelled};
use history::{ConflictView, Revisions};
use leptos::prelude::*;
use media::{FeaturedImage, Preview, Toolbar};
use publish::{NoteForm, PickPanel, StatusActions};
use read_also::ReadAlsoPicker;
use std::time::Duration;

const AUTOSAVE_EVERY: Duration = Duration::from_secs(3);

#[component]
pub fn EditorPage(me: Me, article: ArticleResource) -> impl IntoView {
    view! {
        <AdminFrame title="Edit article" me page=move |user| view! {
            <Suspense fallback=|| view! { <p class="loading">"Opening the article…"</p> }>
                {
                    let user = user.clone();
                    move || {
                        let user = user.clone();
                        Suspend::new(async move {
                            match article.await {
                                Ok(a) => view! { <Editor article=a user/> }.into_any(),
                                Err(error) => view! { <ErrorNote error/> }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        }/>
    }
}

#[component]
fn Editor(article: EditorArticle, user: CurrentUser) -> impl IntoView {
    let id = article.id;
    let actor = Actor::from(&user);
    let form = FormState::new(&article.form);
    let current = Memo::new(move |_| form.get());
    let ctl = RwSignal::new(EditorController::new(&article));
    let dirty = Memo::new(move |_| current.with(|c| ctl.with(|k| k.is_dirty(c))));
    let status = Memo::new(move |_| ctl.with(|k| k.status()));
    let conflict = Memo::new(move |_| ctl.with(|k| k.conflict().cloned()));
    let public_url = Memo::new(move |_| ctl.with(|k| k.public_url()));
    // Every problem with the form, worked out once per change; each field shows its own.
    let errors = Memo::new(move |_| ctl.with(|k| current.with(|c| k.errors(c))));
    let publish_at = RwSignal::new(article.publish_at.clone().unwrap_or_default());
    let notice: RwSignal<Option<String>> = RwSignal::new(None);

    // The requests of the editor, one plan at a time (the controller sees to that).
    let requests = Action::new(move |plan: &Plan| {
        carry_out(
            plan.clone(),
            |r: SaveRequest| save_article(r.id, r.base_version, r.form, r.autosave),
            change_status,
        )
    });
    let follow = move |f: Followup| {
        if let Some(slug) = f.fill_slug {
            form.slug.set(slug);
        }
        if f.drop_local_copy {
            browser::store_remove(&local_key(id));
        }
    };
    Effect::new(move |_| {
        if let Some(outcomes) = requests.value().get() {
            for outcome in outcomes {
                let f = ctl
                    .try_update(|k| k.finish(outcome, &current.get_untracked()))
                    .unwrap_or_default();
                follow(f);
            }
        }
    });
    let send = move |plan: Option<Plan>| {
        if let Some(plan) = plan {
            requests.dispatch(plan);
        }
    };
    let save = move |autosave: bool| {
        send(
            ctl.try_update(|k| k.begin_save(&current.get_untracked(), autosave))
                .flatten(),
        )
    };
    let run_step = move |step: StatusAction| {
        send(
            ctl.try_update(|k| k.begin_step(&current.get_untracked(), step))
                .flatten(),
        )
    };

    // This browser's own copy is offered if it holds text the server does not have.
    Effect::new(move |first: Option<()>| {
        if first.is_some() {
            return;
        }
        if let Some(copy) = browser::store_get(&local_key(id))
            .and_then(|s| leptos::serde_json::from_str::<LocalCopy>(&s).ok())
        {
            let stale = ctl
                .try_update(|k| k.consider_local_copy(copy, &current.get_untracked()))
                .unwrap_or(false);
            if stale {
                browser::store_remove(&local_key(id));
            }
        }
    });
    // Every change is in local storage at once: a closed tab or a dead connection loses nothing.
    Effect::new(move |_| {
        let copy = current.with(|c| ctl.with_untracked(|k| k.local_copy(c, browser::now_ms())));
        if let Some(json) = copy.and_then(|c| leptos::serde_json::to_string(&c).ok()) {
            browser::store_set(&local_key(id), &json);
        }
    });
    // Autosave: every few seconds while there are unsaved changes (and retries after errors).
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let due = ctl.with_untracked(|k| current.with_untracked(|c| k.autosave_due(c)));
                if due {
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

    let error_for = move |field: Field| {
        move || errors.with(|all| ctl.with(|k| current.with(|c| k.error_for(all, c, field))))
    };
    let keep_mine = move |_| {
        send(
            ctl.try_update(|k| k.keep_mine(&current.get_untracked()))
                .flatten(),
        )
    };
    let take_theirs = move |_| {
        if let Some(theirs) = ctl.try_update(|k| k.take_theirs()).flatten() {
            form.load(&theirs);
            browser::store_remove(&local_key(id));
        }
    };
    let restore_offer = move |_| {
        if let Some(offered) = ctl.try_update(|k| k.take_offer()).flatten() {
            form.load(&offered);
        }
    };
    let discard_offer = move |_| {
        ctl.update(|k| k.discard_offer());
        browser::store_remove(&local_key(id));
    };
    let on_restored = move |a: EditorArticle| {
        form.load(&a.form);
        ctl.update(|k| k.restored(&a));
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
    let may_pick = may(&actor, policy::Action::SetEditorsPick);
    let may_note = {
        let actor = actor.clone();
        let author_id = article.author_id;
        move || {
            let facts = ArticleFacts {
                author_id,
                status: status.get(),
            };
            facts.status == Status::Published && may(&actor, policy::Action::AddNote(facts))
        }
    };

    view! {
        <div class="editor">
            <div class="editor-top">
                <p class="crumbs"><a href="/admin">"Articles"</a> " › Edit"</p>
                <p class=move || ctl.with(|k| k.status_class()) role="status" aria-live="polite">
                    {move || ctl.with(|k| current.with(|c| k.status_text(c)))}
                </p>
            </div>
            <Show when=move || ctl.with(|k| k.offer().is_some())>
                <div class="banner" role="alert">
                    <p>{move || ctl.with(|k| k.offer().map(|o| format!("There are unsaved changes to this article from {}.", o.from)))}</p>
                    <button type="button" class="button" on:click=restore_offer>"Restore them"</button>
                    <button type="button" class="button-link" on:click=discard_offer>"Discard"</button>
                </div>
            </Show>
            {move || conflict.get().map(|c| view! {
                <ConflictView conflict=c mine=current.get_untracked() keep_mine take_theirs/>
            })}
            <div class="editor-grid">
                <div class="editor-main">
                    <Labelled id="f-title" label="Title" error=error_for(Field::Title)>
                        <input id="f-title" class="title-input" type="text" maxlength=validate::TITLE_MAX
                            prop:value=move || form.title.get() on:input=bind(form.title)/>
                    </Labelled>
                    <Labelled id="f-slug" label="Address (slug)" error=error_for(Field::Slug)>
                        <div class="slug-row">
                            <span class="slug-prefix">"/article/"</span>
                            <input id="f-slug" type="text" maxlength=validate::SLUG_MAX
                                placeholder=move || validate::slug_preview(&form.title.get())
                                prop:value=move || form.slug.get() on:input=bind(form.slug)/>
                        </div>
                    </Labelled>
                    <Labelled id="f-excerpt" label="Excerpt" error=error_for(Field::Excerpt)>
                        <textarea id="f-excerpt" rows="2" maxlength=validate::EXCERPT_MAX
                            prop:value=move || form.excerpt.get() on:input=bind(form.excerpt)></textarea>
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
                                prop:value=move || form.body.get() on:input=bind(form.body)></textarea>
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
                        {move || public_url.get().map(|u| view! { <p><a href=u target="_blank" rel="noopener">"View on site ↗"</a></p> })}
                        <StatusActions
                            status=status.into()
                            actor=actor.clone()
                            author_id=article.author_id
                            publish_at
                            run_step
                            save=move || save(false)
                            unsaved=dirty.into()
                            error=error_for(Field::PublishAt)
                        />
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
                                prop:value=move || form.author_name.get() on:input=bind(form.author_name)/>
                        </Labelled>
                    </section>
                    <FeaturedImage form error_image=error_for(Field::Image) error_alt=error_for(Field::ImageAlt)/>
                    <ReadAlsoPicker picks=form.read_also error=error_for(Field::ReadAlso)/>
                    <PickPanel form may_pick error=error_for(Field::PickOrder)/>
                    <Show when=may_note>
                        <NoteForm article_id=id notice/>
                    </Show>
                    {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                    <section class="panel">
                        <h2>"Revisions"</h2>
                        <button type="button" class="button small" on:click=move |_| show_revisions.update(|s| *s = !*s)>
                            {move || if show_revisions.get() { "Hide revisions" } else { "Show revisions" }}
                        </button>
                        <Show when=move || show_revisions.get()>
                            <Revisions
                                article_id=id
                                base_version=Signal::derive(move || ctl.with(|k| k.base_version()))
                                on_restored
                            />
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
