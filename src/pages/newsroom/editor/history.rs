//! The article's history (every revision, restorable) and the conflict view (their saved
//! version against yours, when someone saved first).

use crate::api::newsroom::{admin_article, article_revisions, restore_revision};
use crate::browser;
use crate::error::AppError;
use crate::model::newsroom::*;
use crate::model::validate::{messages, Field};
use leptos::prelude::*;

#[component]
pub fn Revisions<F>(article_id: i64, base_version: Signal<i64>, on_restored: F) -> impl IntoView
where
    F: Fn(EditorArticle) + Copy + Send + Sync + 'static,
{
    let version = RwSignal::new(0u32);
    // The page shown: the newest (None), or the one before a revision.
    let before = RwSignal::new(None::<i64>);
    let list = Resource::new(
        move || (version.get(), before.get()),
        move |(_, before)| article_revisions(article_id, before),
    );
    // Restoring is a save on the server; then the editor takes the article as it now is.
    let restore = Action::new(move |revision_id: &i64| {
        let revision_id = *revision_id;
        let base = base_version.get_untracked();
        async move {
            match restore_revision(article_id, revision_id, base).await? {
                SaveResult::Saved(_) => admin_article(article_id).await.map(Some),
                SaveResult::Conflict(_) => Err(AppError::bad_request(
                    "Someone saved meanwhile: reload before restoring.",
                )),
                SaveResult::Invalid(errors) => Err(AppError::bad_request(messages(&errors))),
            }
        }
    });
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| match restore.value().get() {
        Some(Ok(Some(article))) => {
            on_restored(article);
            message.set(Some("Restored.".into()));
            before.set(None);
            version.update(|v| *v += 1);
        }
        Some(Ok(None)) | None => {}
        Some(Err(e)) => message.set(Some(e.to_string())),
    });
    let ask = move |revision_id: i64| {
        if browser::confirm("Restore this revision? Your current text stays in the history.") {
            restore.dispatch(revision_id);
        }
    };
    view! {
        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(RevisionPage { items, older }) => view! {
                        <ol class="revisions">
                            {items.into_iter().map(|r| {
                                let id = r.id;
                                view! {
                                    <li>
                                        <span class="rev-meta">{format!("v{} · {} · {}", r.version, r.kind_label(), r.status.label())}</span>
                                        <span>{r.by} ", " {r.at}</span>
                                        <span class="rev-title">{r.title}</span>
                                        <button type="button" class="button-link" on:click=move |_| ask(id)>"Restore"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        <p class="pager">
                            {move || before.get().is_some().then(|| view! {
                                <button type="button" class="button small" on:click=move |_| before.set(None)>
                                    "Newest revisions"
                                </button>
                            })}
                            {older.map(|id| view! {
                                <button type="button" class="button small" on:click=move |_| before.set(Some(id))>
                                    "Older revisions"
                                </button>
                            })}
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The history panel, opened on demand.
#[component]
pub fn RevisionsPanel<F>(
    article_id: i64,
    base_version: Signal<i64>,
    on_restored: F,
) -> impl IntoView
where
    F: Fn(EditorArticle) + Copy + Send + Sync + 'static,
{
    let open = RwSignal::new(false);
    view! {
        <section class="panel">
            <h2>"Revisions"</h2>
            <button type="button" class="button small" on:click=move |_| open.update(|s| *s = !*s)>
                {move || if open.get() { "Hide revisions" } else { "Show revisions" }}
            </button>
            <Show when=move || open.get()>
                <Revisions article_id base_version on_restored/>
            </Show>
        </section>
    }
}

#[component]
pub fn ConflictView<K, T>(
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
            view! {
                <tr><th scope="row">{f.label()}</th><td class="theirs">{theirs.field_text(*f)}</td><td class="mine">{mine.field_text(*f)}</td></tr>
            }
        })
        .collect_view();
    let body_diff = (!conflict.body_diff.is_empty()).then(|| {
        view! {
            <h3>"Body: what changed"</h3>
            <pre class="diff">
                {conflict.body_diff.iter().map(|l| match l {
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
