//! The side panels that change more than the text: the workflow buttons, EDITOR'S PICK and
//! correction notes. What shows is what the policy allows the person and the workflow allows
//! the article (the server asks the same questions again).

use super::fields::{FormState, Labelled};
use crate::api::newsroom::AddNote;
use crate::model::newsroom::{Status, StatusAction};
use crate::model::policy::{may, Action, Actor, ArticleFacts};
use crate::model::validate::{self, messages};
use leptos::prelude::*;

/// The steps offered as buttons, in this order, with their look.
const STEPS: [(StatusAction, &str); 6] = [
    (StatusAction::Publish, "primary"),
    (StatusAction::SubmitForReview, ""),
    (StatusAction::BackToDraft, ""),
    (StatusAction::Unpublish, ""),
    (StatusAction::Trash, "danger"),
    (StatusAction::Restore, ""),
];

/// Whether `actor` can take `step` on an article in `status` right now.
fn offered(actor: &Actor, facts: ArticleFacts, step: &StatusAction) -> bool {
    step.target(facts.status).is_some() && may(actor, Action::ChangeStatus(facts, step))
}

/// "Publish": the status, the address on the site, the workflow's buttons.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn PublishPanel<R, S, E>(
    status: Signal<Status>,
    public_url: Signal<Option<String>>,
    actor: Actor,
    author_id: Option<i64>,
    #[prop(optional)] is_page: bool,
    publish_at: RwSignal<String>,
    run_step: R,
    save: S,
    unsaved: Signal<bool>,
    error: E,
) -> impl IntoView
where
    R: Fn(StatusAction) + Copy + Send + Sync + 'static,
    S: Fn() + Copy + Send + Sync + 'static,
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    view! {
        <section class="panel">
            <h2>"Publish"</h2>
            <p class="status-line">"Status: " <strong>{move || status.get().label()}</strong></p>
            {move || public_url.get().map(|u| view! { <p><a href=u target="_blank" rel="noopener">"View on site ↗"</a></p> })}
            <StatusActions status actor author_id is_page publish_at run_step save unsaved error/>
        </section>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn StatusActions<R, S, E>(
    status: Signal<Status>,
    actor: Actor,
    author_id: Option<i64>,
    is_page: bool,
    publish_at: RwSignal<String>,
    run_step: R,
    save: S,
    unsaved: Signal<bool>,
    error: E,
) -> impl IntoView
where
    R: Fn(StatusAction) + Copy + Send + Sync + 'static,
    S: Fn() + Copy + Send + Sync + 'static,
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let facts = move || ArticleFacts {
        author_id,
        status: status.get(),
        is_page,
    };
    let may_schedule = {
        let actor = actor.clone();
        move || offered(&actor, facts(), &StatusAction::Schedule(String::new()))
    };
    let buttons = move || {
        STEPS
            .iter()
            .filter(|(step, _)| offered(&actor, facts(), step))
            .map(|(step, class)| {
                let step = step.clone();
                let label = step.label();
                view! {
                    <button type="button" class=format!("button {class}") on:click=move |_| run_step(step.clone())>
                        {label}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <div class="status-actions">
            {buttons}
            <Show when=may_schedule>
                <div class="schedule">
                    <label for="f-publish-at">{move || if status.get() == Status::Scheduled { "Scheduled for" } else { "Schedule for" }}</label>
                    <input id="f-publish-at" type="datetime-local" prop:value=move || publish_at.get()
                        on:input=move |ev| publish_at.set(event_target_value(&ev))/>
                    <button type="button" class="button" on:click=move |_| run_step(StatusAction::Schedule(publish_at.get_untracked()))>
                        {move || if status.get() == Status::Scheduled { "Reschedule" } else { "Schedule" }}
                    </button>
                </div>
            </Show>
            {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
            {move || (status.get().is_live() && unsaved.get()).then(|| view! {
                <p class="hint">"Readers see your changes when you press " <button type="button" class="button-link" on:click=move |_| save()>"Update"</button> "."</p>
            })}
        </div>
    }
}

/// EDITOR'S PICK: editors choose; others see the choice, greyed out.
#[component]
pub fn PickPanel<E>(form: FormState, may_pick: bool, error: E) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    view! {
        <section class="panel">
            <h2>"EDITOR'S PICK"</h2>
            <label class="check">
                <input type="checkbox" disabled=!may_pick prop:checked=move || form.editors_pick.get()
                    on:change=move |ev| form.editors_pick.set(event_target_checked(&ev))/>
                " Show in Editor's Pick"
            </label>
            <Labelled id="f-pick-order" label="Order (lower first)" error>
                <input id="f-pick-order" type="number" min="0" max=validate::PICK_ORDER_MAX disabled=!may_pick
                    prop:value=move || form.pick_order.get().to_string()
                    on:input=move |ev| form.pick_order.set(event_target_value(&ev).parse().unwrap_or(0))/>
            </Labelled>
            {(!may_pick).then(|| view! { <p class="hint">"Editors choose the picks."</p> })}
        </section>
    }
}

/// A dated correction or update note under a published article.
#[component]
pub fn NoteForm(article_id: i64, notice: RwSignal<Option<String>>) -> impl IntoView {
    let add = ServerAction::<AddNote>::new();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match add.value().get() {
        Some(Ok(errors)) if errors.is_empty() => {
            text.set(String::new());
            error.set(None);
            notice.set(Some("The update note is on the article page now.".into()));
        }
        Some(Ok(errors)) => error.set(Some(messages(&errors))),
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    let send = move |_| {
        add.dispatch(AddNote {
            id: article_id,
            text: text.get_untracked(),
        });
    };
    view! {
        <section class="panel">
            <h2>"Correction or update note"</h2>
            <label for="f-note">"Shown, dated, under the article"</label>
            <textarea id="f-note" rows="3" maxlength=validate::NOTE_MAX prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
            <button type="button" class="button" disabled=move || add.pending().get() on:click=send>"Add note"</button>
        </section>
    }
}
