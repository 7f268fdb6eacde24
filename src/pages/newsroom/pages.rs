//! The pages (About us, Imprint, Privacy, Our team…): every one in the order of their
//! addresses, a page under its parent; "New page" opens one in the article editor. Editors'.

use super::frame::AdminFrame;
use super::Me;
use crate::api::newsroom::{admin_pages, NewPage};
use crate::components::error_view::ErrorNote;
use crate::model::accounts::CurrentUser;
use leptos::prelude::*;

#[component]
pub fn PagesPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Pages" me page=|user| view! { <Pages user/> }/> }
}

#[component]
fn Pages(user: CurrentUser) -> impl IntoView {
    let _ = user;
    let create = ServerAction::<NewPage>::new();
    let trash = RwSignal::new(false);
    let pages = Resource::new(move || trash.get(), |trash| admin_pages(Some(trash)));
    view! {
        <div class="admin-head">
            <h1>"Pages"</h1>
            <ActionForm action=create attr:class="inline-form">
                <button type="submit" class="button primary">"New page"</button>
            </ActionForm>
        </div>
        <p class="hint">
            "About us, Contact, Imprint, Privacy…: written like articles, at their own address. "
            "Admins choose which ones the footer links to under Navigation."
        </p>
        <label class="check">
            <input type="checkbox" prop:checked=move || trash.get()
                on:change=move |ev| trash.set(event_target_checked(&ev))/>
            " Show the trash"
        </label>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match pages.await {
                    Ok(rows) => {
                        let empty = rows.is_empty().then(|| view! { <p class="empty">"No pages yet."</p> });
                        view! {
                            <p class="admin-count">{crate::pages::counted(rows.len() as u64, "page", "pages")}</p>
                            {empty}
                            <table class="admin-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Title"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Address"</th>
                                        <th scope="col">"Updated"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let path = r.path.clone().unwrap_or_default();
                                        // A page under another is set in by its depth.
                                        let depth = path.matches('/').count().saturating_sub(1).min(4);
                                        view! {
                                            <tr>
                                                <td class=format!("title-cell depth-{depth}")>
                                                    <a href=format!("/admin/articles/{}", r.id)>{r.title}</a>
                                                    {r.public_url.map(|u| view! { " " <a class="view-link" href=u target="_blank" rel="noopener">"View"</a> })}
                                                </td>
                                                <td data-label="Status"><span class=format!("status status-{}", r.status.as_str())>{r.status.label()}</span></td>
                                                <td data-label="Address"><code>{path}</code></td>
                                                <td class="nowrap" data-label="Updated">{r.updated}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
