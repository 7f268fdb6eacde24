//! /admin/import: an admin uploads a WordPress export and watches it come in — the upload's
//! progress, then the import's ("120 of 5,000 posts"), then its report.

use super::frame::AdminFrame;
use super::Me;
use crate::api::newsroom::import_status;
use crate::model::accounts::CurrentUser;
use crate::model::newsroom::ImportRun;
use crate::model::policy::{may, Action, Actor};
use leptos::prelude::*;
use std::time::Duration;

#[component]
pub fn ImportPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Import" me page=|user| view! { <Import user/> }/> }
}

/// How often the page asks how far the import is.
const POLL_EVERY: Duration = Duration::from_millis(700);

#[component]
fn Import(user: CurrentUser) -> impl IntoView {
    if !may(&Actor::from(&user), Action::ImportContent) {
        return view! {
            <div class="admin-head"><h1>"Import"</h1></div>
            <p class="notice">"Only admins can import content."</p>
        }
        .into_any();
    }
    let run = RwSignal::new(None::<ImportRun>);
    let upload = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<String>);
    let file = NodeRef::<leptos::html::Input>::new();
    let dry_run = NodeRef::<leptos::html::Input>::new();
    let mapping = NodeRef::<leptos::html::Textarea>::new();

    let refresh = move || {
        leptos::task::spawn_local(async move {
            match import_status().await {
                Ok(latest) => run.set(latest),
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    // The newest import when the page opens, then again while one runs.
    Effect::new(move |_| refresh());
    Effect::new(move |_| {
        if run.with(|r| r.as_ref().is_some_and(|r| r.status == "running")) {
            set_timeout(refresh, POLL_EVERY);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = file
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            error.set(Some("Choose the export file first.".into()));
            return;
        };
        let dry = dry_run.get_untracked().is_some_and(|c| c.checked());
        let map = mapping
            .get_untracked()
            .map(|t| t.value())
            .unwrap_or_default();
        let url = format!(
            "/api/admin/import?dry_run={}&map={}",
            u8::from(dry),
            crate::model::encode_query_value(&map)
        );
        error.set(None);
        upload.set(Some(0.0));
        crate::browser::upload(
            &url,
            chosen,
            move |p| upload.set(Some(p)),
            move |result| {
                upload.set(None);
                match result.map(|body| leptos::serde_json::from_str::<ImportRun>(&body)) {
                    Ok(Ok(started)) => run.set(Some(started)),
                    Ok(Err(_)) => error.set(Some("The server's answer was not understood.".into())),
                    Err(message) => error.set(Some(message)),
                }
            },
        );
    };
    let running = move || run.with(|r| r.as_ref().is_some_and(|r| r.status == "running"));

    view! {
        <div class="admin-head"><h1>"Import from WordPress"</h1></div>
        <section class="panel import-help">
            <p>
                "In WordPress, choose Tools → Export → All content, and upload the file here. "
                "Published and scheduled posts come in as articles, drafts and pending posts as "
                "drafts, categories as sections (matched by name, or new ones outside the "
                "navigation), with their bylines, dates, excerpts and featured images; sticky "
                "posts join the Editor's Pick. Every old address (its permalink, "
                <code>"/?p=123"</code> ", its category's) answers with a permanent redirect to "
                "the new one."
            </p>
            <p>
                "Images: copy the site's " <code>"wp-content/uploads"</code> " folder to "
                <code>"import/uploads"</code> " in the server's data folder first. Importing "
                "the same file again brings in only what is new, so an interrupted import is "
                "finished by starting it again."
            </p>
        </section>
        <form class="panel import-form" on:submit=submit>
            <label for="import-file">"Export file (.xml)"</label>
            <input id="import-file" type="file" accept=".xml,application/xml,text/xml" node_ref=file required/>
            <label for="import-map">"Categories to file under another section (optional)"</label>
            <textarea id="import-map" rows="3" node_ref=mapping placeholder="news=world"
                aria-describedby="import-map-help"></textarea>
            <p id="import-map-help" class="hint">
                "One per line: a WordPress category (its slug or name) = a section here. Other "
                "categories go to the section of the same slug or name, or become new sections."
            </p>
            <label class="check">
                <input type="checkbox" node_ref=dry_run/>
                " Dry run: read and check everything, report what would change, change nothing"
            </label>
            <button type="submit" class="button" disabled=move || running() || upload.get().is_some()>"Import"</button>
        </form>
        {move || upload.get().map(|p| view! {
            <p>"Uploading… " <progress max="1" value=p aria-label="Upload progress">{format!("{:.0}%", p * 100.0)}</progress></p>
        })}
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <div role="status" aria-live="polite" class="import-run">
            {move || run.get().map(|r| {
                let heading = match (r.status.as_str(), r.dry_run) {
                    ("running", true) => "Checking…",
                    ("running", false) => "Importing…",
                    ("done", true) => "Dry run finished: nothing was changed",
                    ("done", false) => "Import finished",
                    _ => "Import failed",
                };
                let counted = (r.posts_total > 0).then(|| {
                    view! {
                        <p>
                            <progress max=r.posts_total value=r.posts_done aria-label="Import progress"></progress>
                            " " {format!("{} of {} posts", r.posts_done, r.posts_total)}
                        </p>
                    }
                });
                view! {
                    <h2>{heading}</h2>
                    <p class="muted">{r.file_name.clone()}</p>
                    {counted}
                    {(!r.report.is_empty()).then(|| view! { <pre class="import-report">{r.report.clone()}</pre> })}
                }
            })}
        </div>
    }
    .into_any()
}
