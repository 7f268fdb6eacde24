//! Authors' profiles: the list (everyone in the newsroom sees it; editors add profiles) and a
//! profile's form (editors any, a person their own): name, role, bio, photo, links, the
//! linked account.

use super::frame::AdminFrame;
use super::upload::use_upload;
use super::Me;
use crate::api::newsroom::{admin_authors, admin_profile, save_profile, NewProfile};
use crate::components::error_view::ErrorNote;
use crate::model::accounts::CurrentUser;
use crate::model::newsroom::{LabelLine, ProfileEdit, ProfileForm};
use crate::model::policy::{may, Action, Actor};
use crate::model::validate::{self, messages};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AuthorsPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Authors" me page=|user| view! { <Authors user/> }/> }
}

#[component]
fn Authors(user: CurrentUser) -> impl IntoView {
    let may_manage = may(&Actor::from(&user), Action::ManageAuthors);
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let list = Resource::new(
        move || (query.get(), page.get()),
        |(q, page)| admin_authors(Some(q), Some(page.to_string())),
    );
    let create = ServerAction::<NewProfile>::new();
    let created = move || create.value().get();
    Effect::new(move |_| {
        if let Some(Ok(Ok(id))) = created() {
            let _ = window().location().assign(&format!("/admin/authors/{id}"));
        }
    });
    view! {
        <div class="admin-head"><h1>"Authors"</h1></div>
        <div class="filters">
            <label for="author-q">"Find an author"</label>
            <input id="author-q" type="search" prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); page.set(1); }/>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok((list, own)) => {
                        let (current, pages, total) = (list.page, list.total_pages, list.total_items);
                        view! {
                            {own.map(|id| view! { <p><a class="button" href=format!("/admin/authors/{id}")>"Your profile"</a></p> })}
                            <p class="hint">{crate::pages::counted(total, "profile", "profiles")}</p>
                            <ul class="admin-cards" aria-label="Authors">
                                {list.items.into_iter().map(|a| view! { <AuthorItem a may_manage own/> }).collect_view()}
                            </ul>
                            {(pages > 1).then(|| view! {
                                <nav class="pager" aria-label="Pages of authors">
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
        {may_manage.then(|| view! {
            <section class="panel">
                <h2>"New profile"</h2>
                <p class="hint">"For a writer who has not written yet: a guest, a wire service. Bylines make profiles too."</p>
                <ActionForm action=create attr:class="tag-change">
                    <label for="new-author">"Name"</label>
                    <input id="new-author" name="name" type="text" maxlength=validate::AUTHOR_MAX required/>
                    <button type="submit" class="button">"Add profile"</button>
                </ActionForm>
                {move || match created() {
                    Some(Ok(Err(errors))) => Some(view! { <p class="field-error" role="alert">{messages(&errors)}</p> }.into_any()),
                    Some(Err(e)) => Some(view! { <p class="field-error" role="alert">{e.to_string()}</p> }.into_any()),
                    _ => None,
                }}
            </section>
        })}
    }
}

#[component]
fn AuthorItem(a: LabelLine, may_manage: bool, own: Option<i64>) -> impl IntoView {
    let href = crate::model::author_href(&a.slug);
    let editable = may_manage || own == Some(a.id);
    view! {
        <li class="admin-card">
            <p class="admin-card-title">
                {if editable {
                    view! { <a href=format!("/admin/authors/{}", a.id)><strong>{a.name.clone()}</strong></a> }.into_any()
                } else {
                    view! { <strong>{a.name.clone()}</strong> }.into_any()
                }}
            </p>
            <p class="admin-card-meta">
                <a href=href.clone() target="_blank" rel="noopener">{href.clone()}</a>
                " · " {crate::pages::counted(a.articles, "article", "articles")}
                " · " {format!("{} published", a.published)}
            </p>
        </li>
    }
}

#[component]
pub fn ProfilePage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Author's profile" me page=|_user| view! { <Profile/> }/> }
}

#[component]
fn Profile() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let profile = Resource::new(id, admin_profile);
    view! {
        <p class="crumbs"><a href="/admin/authors">"Authors"</a> " › Profile"</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(edit) => view! { <ProfileFormView edit/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProfileFormView(edit: ProfileEdit) -> impl IntoView {
    let ProfileEdit {
        id,
        slug,
        form,
        accounts,
        may_link,
    } = edit;
    let name = RwSignal::new(form.name);
    let role_title = RwSignal::new(form.role_title);
    let bio = RwSignal::new(form.bio);
    let links = RwSignal::new(form.links);
    let photo = RwSignal::new(form.photo);
    let user_id = RwSignal::new(form.user_id);
    let slug = RwSignal::new(slug);
    let said = RwSignal::new(None::<Result<String, String>>);
    let upload = use_upload(move |media| photo.set(Some(media)));
    let input = NodeRef::<leptos::html::Input>::new();
    let save = move |_| {
        let form = ProfileForm {
            name: name.get_untracked(),
            role_title: role_title.get_untracked(),
            bio: bio.get_untracked(),
            links: links.get_untracked(),
            photo: photo.get_untracked(),
            user_id: user_id.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match save_profile(id, form).await {
                Ok(errors) if errors.is_empty() => {
                    // The address follows the name.
                    if let Ok(fresh) = admin_profile(id).await {
                        slug.set(fresh.slug);
                    }
                    said.set(Some(Ok("Profile saved.".into())));
                }
                Ok(errors) => said.set(Some(Err(messages(&errors)))),
                Err(e) => said.set(Some(Err(e.to_string()))),
            }
        });
    };
    let bind = |s: RwSignal<String>| move |ev| s.set(event_target_value(&ev));
    view! {
        <div class="admin-head"><h1>{move || name.get()}</h1></div>
        <p class="hint">"Readers find this profile at "
            <a href=move || crate::model::author_href(&slug.get()) target="_blank" rel="noopener">
                {move || crate::model::author_href(&slug.get())}
            </a>
        </p>
        <div class="user-form profile-form">
            <label for="p-name">"Name"</label>
            <input id="p-name" type="text" maxlength=validate::AUTHOR_MAX prop:value=move || name.get() on:input=bind(name)/>
            <label for="p-role">"Role (as bylines show it)"</label>
            <input id="p-role" type="text" maxlength=validate::ROLE_TITLE_MAX placeholder="Politics correspondent"
                prop:value=move || role_title.get() on:input=bind(role_title)/>
            <label for="p-bio">"Short bio"</label>
            <textarea id="p-bio" rows="5" maxlength=validate::BIO_MAX prop:value=move || bio.get() on:input=bind(bio)></textarea>
            <label for="p-links">"Links (one web address per line)"</label>
            <textarea id="p-links" rows="3" maxlength=validate::LINKS_MAX placeholder="https://…"
                prop:value=move || links.get() on:input=bind(links)></textarea>
            <p class="field-label">"Photo"</p>
            <div class="profile-photo">
                {move || photo.get().map(|m| view! {
                    <img src=m.url.clone() srcset=m.srcset.clone() sizes="96px" width=m.width height=m.height alt="" class="author-photo"/>
                })}
                <label class="button small" for="p-photo">{move || if photo.with(Option::is_some) { "Replace photo" } else { "Choose photo" }}</label>
                <input id="p-photo" type="file" class="visually-hidden" accept="image/jpeg,image/png,image/webp,image/gif"
                    node_ref=input on:change=move |_| upload.send_from(input)/>
                {upload.view_progress()}
                {move || upload.error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <Show when=move || photo.with(Option::is_some)>
                    <button type="button" class="button-link" on:click=move |_| photo.set(None)>"Remove photo"</button>
                </Show>
            </div>
            {may_link.then(|| view! {
                <label for="p-account">"Newsroom account (its person may edit this profile)"</label>
                <select id="p-account" on:change=move |ev| user_id.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || user_id.get().is_none()>"None"</option>
                    {accounts.into_iter().map(|(uid, who)| view! {
                        <option value=uid.to_string() selected=move || user_id.get() == Some(uid)>{who}</option>
                    }).collect_view()}
                </select>
            })}
            <button type="button" class="button primary" on:click=save>"Save profile"</button>
            {move || said.get().map(|r| match r {
                Ok(m) => view! { <p class="notice" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="field-error" role="alert">{m}</p> }.into_any(),
            })}
        </div>
    }
}
