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
mod labels;
mod live;
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
use crate::model::validate::Field;
use controller::{carry_out, local_key, EditorController, LocalCopy, Plan};
use fields::{page_prefix, FieldErrors, FormState, HeadFields, PagePanel, SectionPanel};
use history::{ConflictView, RevisionsPanel};
use labels::{LabelKind, LabelsPanel};
use leptos::prelude::*;
use live::LivePanel;
use media::{BodyField, FeaturedImage};
use publish::{NoteForm, PickPanel, PublishPanel};
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
    let errors = FieldErrors::new(ctl, current);
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
    Effect::new(move |_| {
        for outcome in requests.value().get().unwrap_or_default() {
            let f = ctl
                .try_update(|k| k.finish(outcome, &current.get_untracked()))
                .unwrap_or_default();
            if let Some(slug) = f.fill_slug {
                form.slug.set(slug);
            }
            if let Some(mut copy) = f.acknowledged {
                copy.saved_ms = browser::now_ms();
                if let Ok(json) = leptos::serde_json::to_string(&copy) {
                    browser::store_set(&local_key(id), &json);
                }
            }
        }
    });
    // Runs what the controller plans (it plans nothing while a request is on its way).
    let plan = move |decide: &dyn Fn(&mut EditorController, &ArticleForm) -> Option<Plan>| {
        let plan = ctl.try_update(|k| decide(k, &current.get_untracked()));
        if let Some(plan) = plan.flatten() {
            requests.dispatch(plan);
        }
    };
    let save = move |autosave: bool| plan(&|k, c| k.begin_save(c, autosave));
    let run_step = move |step: StatusAction| plan(&|k, c| k.begin_step(c, step.clone()));
    let keep_mine = move |_| plan(&|k, c| k.keep_mine(c));
    let take_theirs = move |_| {
        if let Some(theirs) = ctl.try_update(|k| k.take_theirs()).flatten() {
            form.load(&theirs);
            browser::store_remove(&local_key(id));
        }
    };

    keep_local_copies(id, ctl, current);
    // Autosave: every few seconds while there are unsaved changes (and retries after errors).
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                if ctl.with_untracked(|k| current.with_untracked(|c| k.autosave_due(c))) {
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

    let may_pick = may(&actor, policy::Action::SetEditorsPick);
    let may_byline = may(&actor, policy::Action::SetByline);
    let page = article.page.clone();
    let is_page = page.is_some();
    let prefix = {
        let page = page.clone();
        Signal::derive(move || match &page {
            Some(p) => page_prefix(p, &form.parent.get()),
            None => "/article/".to_string(),
        })
    };
    let may_note = {
        let actor = actor.clone();
        let author_id = article.author_id;
        move || {
            let facts = ArticleFacts {
                author_id,
                status: status.get(),
                is_page,
            };
            // (A page has no correction notes: they show under articles.)
            !is_page
                && facts.status == Status::Published
                && may(&actor, policy::Action::AddNote(facts))
        }
    };
    let on_restored = move |a: EditorArticle| {
        form.load(&a.form);
        ctl.update(|k| k.restored(&a));
    };

    view! {
        <div class="editor">
            <div class="editor-top">
                {if is_page {
                    view! { <p class="crumbs"><a href="/admin/pages">"Pages"</a> " › Edit page"</p> }
                } else {
                    view! { <p class="crumbs"><a href="/admin">"Articles"</a> " › Edit"</p> }
                }}
                <p class=move || ctl.with(|k| k.status_class()) role="status" aria-live="polite">
                    {move || ctl.with(|k| current.with(|c| k.status_text(c)))}
                </p>
            </div>
            <OfferBanner id ctl form/>
            {move || conflict.get().map(|c| view! {
                <ConflictView conflict=c mine=current.get_untracked() keep_mine take_theirs/>
            })}
            <div class="editor-grid">
                <div class="editor-main">
                    <HeadFields form errors prefix
                        excerpt_label=if is_page { "Summary (optional: for search engines and link previews)" } else { "Excerpt" }/>
                    <BodyField form errors/>
                    {(!is_page).then(|| view! { <LivePanel article_id=id/> })}
                </div>
                <aside class="editor-side">
                    <PublishPanel
                        status=status.into()
                        public_url=public_url.into()
                        actor=actor.clone()
                        author_id=article.author_id
                        is_page
                        publish_at
                        run_step
                        save=move || save(false)
                        unsaved=dirty.into()
                        error=errors.of(Field::PublishAt)
                    />
                    {match page {
                        Some(page) => view! { <PagePanel form errors page/> }.into_any(),
                        None => view! {
                            <SectionPanel form errors may_byline/>
                            <FeaturedImage form error_image=errors.of(Field::Image) error_alt=errors.of(Field::ImageAlt)/>
                            <LabelsPanel kind=LabelKind::Tags tags=form.tags error=errors.of(Field::Tags)/>
                            <ReadAlsoPicker picks=form.read_also error=errors.of(Field::ReadAlso)/>
                            <PickPanel form may_pick error=errors.of(Field::PickOrder)/>
                        }.into_any(),
                    }}
                    <Show when=may_note>
                        <NoteForm article_id=id notice/>
                    </Show>
                    {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                    <RevisionsPanel
                        article_id=id
                        base_version=Signal::derive(move || ctl.with(|k| k.base_version()))
                        on_restored
                    />
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

/// This browser's copy of the text: offered back when the editor opens with text the server
/// does not have, and kept up to date on every change (a closed tab or a dead connection
/// loses nothing).
fn keep_local_copies(id: i64, ctl: RwSignal<EditorController>, current: Memo<ArticleForm>) {
    Effect::new(move |first: Option<()>| {
        if first.is_some() {
            return;
        }
        let copy = browser::store_get(&local_key(id))
            .and_then(|s| leptos::serde_json::from_str::<LocalCopy>(&s).ok());
        if let Some(copy) = copy {
            let stale = ctl
                .try_update(|k| k.consider_local_copy(copy, &current.get_untracked()))
                .unwrap_or(false);
            if stale {
                browser::store_remove(&local_key(id));
            }
        }
    });
    Effect::new(move |_| {
        let copy = current.with(|c| ctl.with_untracked(|k| k.local_copy(c, browser::now_ms())));
        if let Some(json) = copy.and_then(|c| leptos::serde_json::to_string(&c).ok()) {
            browser::store_set(&local_key(id), &json);
        }
    });
}

/// "There are unsaved changes to this article from …": restore them or let them go.
#[component]
fn OfferBanner(id: i64, ctl: RwSignal<EditorController>, form: FormState) -> impl IntoView {
    let restore = move |_| {
        if let Some(offered) = ctl.try_update(|k| k.take_offer()).flatten() {
            form.load(&offered);
        }
    };
    let discard = move |_| {
        ctl.update(|k| k.discard_offer());
        browser::store_remove(&local_key(id));
    };
    view! {
        <Show when=move || ctl.with(|k| k.offer().is_some())>
            <div class="banner" role="alert">
                <p>{move || ctl.with(|k| k.offer().map(|o| o.message))}</p>
                <button type="button" class="button" on:click=restore>"Restore them"</button>
                <button type="button" class="button-link" on:click=discard>"Discard"</button>
            </div>
        </Show>
    }
}
