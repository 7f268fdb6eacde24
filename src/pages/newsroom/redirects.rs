//! Redirects (admins): old addresses that answer 301 to new ones. Find one, add one, remove
//! one. Imports and renamed tags and authors add their own; all are listed here.

use super::frame::AdminFrame;
use super::Me;
use crate::api::newsroom::{admin_redirects, AddRedirect, RemoveRedirect};
use crate::components::error_view::ErrorNote;
use crate::model::accounts::CurrentUser;
use crate::model::newsroom::RedirectLine;
use crate::model::policy::{may, Action, Actor};
use crate::model::validate::messages;
use leptos::prelude::*;

#[component]
pub fn RedirectsPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Redirects" me page=|user| view! { <Redirects user/> }/> }
}

#[component]
fn Redirects(user: CurrentUser) -> impl IntoView {
    if !may(&Actor::from(&user), Action::ManageRedirects) {
        return view! { <p class="form-error">"Only admins manage redirects."</p> }.into_any();
    }
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let add = ServerAction::<AddRedirect>::new();
    let remove = ServerAction::<RemoveRedirect>::new();
    let list = Resource::new(
        move || {
            (
                query.get(),
                page.get(),
                add.version().get(),
                remove.version().get(),
            )
        },
        |(q, page, _, _)| admin_redirects(Some(q), Some(page.to_string())),
    );
    let problem = move || match add.value().get() {
        Some(Ok(errors)) if !errors.is_empty() => Some(messages(&errors)),
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let added = move || matches!(add.value().get(), Some(Ok(errors)) if errors.is_empty());
    view! {
        <div class="admin-head"><h1>"Redirects"</h1></div>
        <section class="panel">
            <h2>"Add a redirect"</h2>
            <p class="hint">"An old address of this site (it starts with /) answers 301 to a page of this site or a whole https:// address."</p>
            <ActionForm action=add attr:class="redirect-form">
                <label for="r-from">"Old address"</label>
                <input id="r-from" name="from" type="text" placeholder="/2019/05/old-story/" required maxlength="1000"/>
                <label for="r-to">"Goes to"</label>
                <input id="r-to" name="to" type="text" placeholder="/article/new-story" required maxlength="2000"/>
                <button type="submit" class="button primary">"Add redirect"</button>
            </ActionForm>
            {move || problem().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            {move || added().then(|| view! { <p class="notice" role="status">"Redirect added."</p> })}
        </section>
        <div class="filters">
            <label for="redirect-q">"Find a redirect"</label>
            <input id="redirect-q" type="search" prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); page.set(1); }/>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => {
                        let (current, pages, total) = (list.page, list.total_pages, list.total_items);
                        view! {
                            <p class="hint">{crate::pages::counted(total, "redirect", "redirects")}</p>
                            <ul class="admin-cards" aria-label="Redirects">
                                {list.items.into_iter().map(|r| view! { <RedirectItem r remove/> }).collect_view()}
                            </ul>
                            {(pages > 1).then(|| view! {
                                <nav class="pager" aria-label="Pages of redirects">
                                    <button type="button" class="button" disabled=current <= 1
                                        on:click=move |_| page.set(current - 1)>"Previous"</button>
                                    <span>{format!("Page {current} of {pages}")}</span>
                                    <button type="button" class="button" disabled=current >= pages
                                        on:click=move |_| page.set(current + 1)>"Next"</button>
                                </nav>
                            })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn RedirectItem(r: RedirectLine, remove: ServerAction<RemoveRedirect>) -> impl IntoView {
    let from = r.from.clone();
    view! {
        <li class="admin-card">
            <p class="admin-card-title"><code>{r.from.clone()}</code> " → " <code>{r.to.clone()}</code></p>
            <p class="admin-card-meta">
                {match r.source.as_str() {
                    "wordpress" => "From the WordPress import",
                    "label" => "A renamed tag or author",
                    _ => "Added by hand",
                }}
                " · "
                <button type="button" class="button-link" aria-label=format!("Remove the redirect of {}", r.from)
                    on:click=move |_| { remove.dispatch(RemoveRedirect { from: from.clone() }); }>"Remove"</button>
            </p>
        </li>
    }
}
