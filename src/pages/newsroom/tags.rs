//! The tags: find one, see how many articles carry it, rename it or merge it into another
//! (editors). Its old address answers 301 to the new one.

use super::frame::AdminFrame;
use super::Me;
use crate::api::newsroom::{admin_tags, change_tag};
use crate::components::error_view::ErrorNote;
use crate::model::accounts::CurrentUser;
use crate::model::newsroom::{LabelLine, TagChange};
use crate::model::policy::{may, Action, Actor};
use crate::model::validate::messages;
use leptos::prelude::*;

#[component]
pub fn TagsPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Tags" me page=|user| view! { <Tags user/> }/> }
}

#[component]
fn Tags(user: CurrentUser) -> impl IntoView {
    let may_manage = may(&Actor::from(&user), Action::ManageTags);
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let version = RwSignal::new(0u32);
    let tags = Resource::new(
        move || (query.get(), page.get(), version.get()),
        |(q, page, _)| admin_tags(Some(q), Some(page.to_string())),
    );
    view! {
        <div class="admin-head"><h1>"Tags"</h1></div>
        <div class="filters">
            <label for="tag-q">"Find a tag"</label>
            <input id="tag-q" type="search" prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); page.set(1); }/>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tags.await {
                    Ok(list) => {
                        let (current, pages, total) = (list.page, list.total_pages, list.total_items);
                        view! {
                            <p class="hint">{crate::pages::counted(total, "tag", "tags")}</p>
                            <ul class="admin-cards" aria-label="Tags">
                                {list.items.into_iter().map(|t| view! { <TagItem t may_manage version/> }).collect_view()}
                            </ul>
                            {(pages > 1).then(|| view! {
                                <nav class="pager" aria-label="Pages of tags">
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
}

#[component]
fn TagItem(t: LabelLine, may_manage: bool, version: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(t.name.clone());
    let problem = RwSignal::new(None::<String>);
    let id = t.id;
    let run = move |change: TagChange| {
        leptos::task::spawn_local(async move {
            match change_tag(id, change).await {
                Ok(errors) if errors.is_empty() => {
                    problem.set(None);
                    version.update(|v| *v += 1);
                }
                Ok(errors) => problem.set(Some(messages(&errors))),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    let input_id = format!("tag-name-{id}");
    let href = crate::model::tag_href(&t.slug);
    view! {
        <li class="admin-card">
            <p class="admin-card-title"><strong>{t.name.clone()}</strong></p>
            <p class="admin-card-meta">
                <a href=href.clone() target="_blank" rel="noopener">{href.clone()}</a>
                " · " {crate::pages::counted(t.articles, "article", "articles")}
                " · " {format!("{} published", t.published)}
            </p>
            {may_manage.then(|| view! {
                <details class="tag-change-box">
                    <summary>{format!("Rename or merge {}", t.name)}</summary>
                    <div class="tag-change">
                        <label for=input_id.clone()>{format!("New name for {}, or the tag to merge it into", t.name)}</label>
                        <input id=input_id type="text" maxlength=crate::model::limits::TAG_NAME_MAX
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                        <button type="button" class="button"
                            on:click=move |_| run(TagChange::Rename(name.get_untracked()))>"Rename"</button>
                        <button type="button" class="button"
                            on:click=move |_| run(TagChange::MergeInto(name.get_untracked()))>"Merge into"</button>
                    </div>
                </details>
            })}
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </li>
    }
}
