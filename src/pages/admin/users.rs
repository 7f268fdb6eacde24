use super::frame::AdminFrame;
use crate::api::admin::{create_user, list_users, reset_password, update_user};
use crate::model::admin::{CurrentUser, Role, UserRow};
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <AdminFrame title="Users" page=|user| view! { <Users user/> }/> }
}

#[component]
fn Users(user: CurrentUser) -> impl IntoView {
    if !user.role.manages_users() {
        return view! { <p class="form-error">"Only admins manage users."</p> }.into_any();
    }
    let version = RwSignal::new(0u32);
    let users = Resource::new(move || version.get(), |_| list_users());
    view! {
        <div class="admin-head"><h1>"Users"</h1></div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! {
                        <table class="admin-table">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th>
                                <th scope="col">"Active"</th><th scope="col">"Since"</th><th scope="col">"Actions"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|u| view! { <UserLine u version/> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
        <NewUser version/>
    }
    .into_any()
}

fn role_options(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{r.label()}</option> })
        .collect_view()
}

#[component]
fn UserLine(u: UserRow, version: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(u.display_name.clone());
    let role = RwSignal::new(u.role);
    let disabled = RwSignal::new(u.disabled);
    let message = RwSignal::new(None::<String>);
    let password = RwSignal::new(String::new());
    let id = u.id;
    let save = move |_| {
        leptos::task::spawn_local(async move {
            match update_user(
                id,
                name.get_untracked(),
                role.get_untracked(),
                disabled.get_untracked(),
            )
            .await
            {
                Ok(errors) if errors.is_empty() => {
                    message.set(Some("Saved.".into()));
                    version.update(|v| *v += 1);
                }
                Ok(errors) => message.set(Some(errors.join(" "))),
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let set_password = move |_| {
        leptos::task::spawn_local(async move {
            match reset_password(id, password.get_untracked()).await {
                Ok(errors) if errors.is_empty() => {
                    password.set(String::new());
                    message.set(Some("Password changed; their sessions have ended.".into()));
                }
                Ok(errors) => message.set(Some(errors.join(" "))),
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let label = format!("user-{id}");
    view! {
        <tr>
            <td><input type="text" aria-label=format!("{label} name") prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></td>
            <td>{u.email}</td>
            <td>
                <select aria-label=format!("{label} role") on:change=move |ev| {
                    if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }
                }>{role_options(u.role)}</select>
            </td>
            <td><input type="checkbox" aria-label=format!("{label} active") prop:checked=move || !disabled.get() on:change=move |ev| disabled.set(!event_target_checked(&ev))/></td>
            <td class="nowrap">{u.created}</td>
            <td>
                <button type="button" class="button small" on:click=save>"Save"</button>
                <input type="password" autocomplete="new-password" placeholder="New password" aria-label=format!("{label} new password")
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                <button type="button" class="button small" on:click=set_password>"Set password"</button>
                {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            </td>
        </tr>
    }
}

#[component]
fn NewUser(version: RwSignal<u32>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Author);
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<String>::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match create_user(
                email.get_untracked(),
                name.get_untracked(),
                role.get_untracked(),
                password.get_untracked(),
            )
            .await
            {
                Ok(e) if e.is_empty() => {
                    errors.set(vec![]);
                    email.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    version.update(|v| *v += 1);
                }
                Ok(e) => errors.set(e),
                Err(e) => errors.set(vec![e.to_string()]),
            }
        });
    };
    view! {
        <section class="panel new-user">
            <h2>"Add a user"</h2>
            <form on:submit=create class="user-form">
                <label for="nu-email">"E-mail"</label>
                <input id="nu-email" type="email" required prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                <label for="nu-name">"Display name"</label>
                <input id="nu-name" type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="nu-role">"Role"</label>
                <select id="nu-role" on:change=move |ev| { if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) } }>
                    {role_options(Role::Author)}
                </select>
                <label for="nu-password">"Password (at least 10 characters)"</label>
                <input id="nu-password" type="password" autocomplete="new-password" required prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                {move || errors.get().into_iter().map(|e| view! { <p class="field-error">{e}</p> }).collect_view()}
                <button type="submit" class="button primary">"Create user"</button>
            </form>
        </section>
    }
}
