use super::frame::AdminFrame;
use super::Me;
use crate::api::accounts::{audit_log, list_users, CreateUser, ResetPassword, UpdateUser};
use crate::components::error_view::ErrorNote;
use crate::error::AppError;
use crate::model::accounts::{CurrentUser, Role, UserRow};
use crate::model::policy::{may, Action, Actor};
use crate::model::validate::{messages, FieldError};
use leptos::prelude::*;

#[component]
pub fn UsersPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Users" me page=|user| view! { <Users user/> }/> }
}

#[component]
fn Users(user: CurrentUser) -> impl IntoView {
    if !may(&Actor::from(&user), Action::ManageUsers) {
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
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
        <NewUser version/>
        <Activity version/>
    }
    .into_any()
}

/// The audit log: log-ins (failed ones too, with the address), account changes, publishing.
#[component]
fn Activity(version: RwSignal<u32>) -> impl IntoView {
    let before = RwSignal::new(None::<i64>);
    let log = Resource::new(
        move || (version.get(), before.get()),
        |(_, before)| audit_log(before),
    );
    view! {
        <section class="panel activity">
            <h2>"Activity"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(page) => view! {
                            <table class="admin-table">
                                <thead><tr>
                                    <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th>
                                    <th scope="col">"Of"</th><th scope="col">"From"</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td data-label="When">{e.at}</td>
                                            <td data-label="Who">{if e.who.is_empty() { "—".to_string() } else { e.who }}</td>
                                            <td data-label="What">{e.action}</td>
                                            <td data-label="Of">{e.target}</td>
                                            <td data-label="From">{e.client}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="pager">
                                {move || before.get().is_some().then(|| view! {
                                    <button type="button" class="button small" on:click=move |_| before.set(None)>"Newest"</button>
                                })}
                                {page.older.map(|id| view! {
                                    <button type="button" class="button small" on:click=move |_| before.set(Some(id))>"Older"</button>
                                })}
                            </p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn role_options(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{r.label()}</option> })
        .collect_view()
}

/// What an account action answered, as one line: `done` when nothing was wrong.
fn outcome(result: Result<Vec<FieldError>, AppError>, done: &str) -> (bool, String) {
    match result {
        Ok(errors) if errors.is_empty() => (true, done.to_string()),
        Ok(errors) => (false, messages(&errors)),
        Err(e) => (false, e.to_string()),
    }
}

#[component]
fn UserLine(u: UserRow, version: RwSignal<u32>) -> impl IntoView {
    let update = ServerAction::<UpdateUser>::new();
    let set_password = ServerAction::<ResetPassword>::new();
    let name = RwSignal::new(u.display_name.clone());
    let role = RwSignal::new(u.role);
    let disabled = RwSignal::new(u.disabled);
    let password = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let id = u.id;
    Effect::new(move |_| {
        if let Some(result) = update.value().get() {
            let (ok, text) = outcome(result, "Saved.");
            message.set(Some(text));
            if ok {
                version.update(|v| *v += 1);
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = set_password.value().get() {
            let (ok, text) = outcome(result, "Password changed; their sessions have ended.");
            if ok {
                password.set(String::new());
            }
            message.set(Some(text));
        }
    });
    let save = move |_| {
        update.dispatch(UpdateUser {
            id,
            display_name: name.get_untracked(),
            role: role.get_untracked(),
            disabled: disabled.get_untracked(),
        });
    };
    let change_password = move |_| {
        set_password.dispatch(ResetPassword {
            id,
            password: password.get_untracked(),
        });
    };
    let label = format!("user-{id}");
    view! {
        <tr>
            <td><input type="text" aria-label=format!("{label} name") prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></td>
            <td data-label="E-mail">{u.email}</td>
            <td>
                <select aria-label=format!("{label} role") on:change=move |ev| {
                    if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }
                }>{role_options(u.role)}</select>
            </td>
            <td data-label="Active"><input type="checkbox" aria-label=format!("{label} active") prop:checked=move || !disabled.get() on:change=move |ev| disabled.set(!event_target_checked(&ev))/></td>
            <td class="nowrap" data-label="Since">{u.created}</td>
            <td>
                <button type="button" class="button small" disabled=move || update.pending().get() on:click=save>"Save"</button>
                <input type="password" autocomplete="new-password" placeholder="New password" aria-label=format!("{label} new password")
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                <button type="button" class="button small" disabled=move || set_password.pending().get() on:click=change_password>"Set password"</button>
                {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            </td>
        </tr>
    }
}

#[component]
fn NewUser(version: RwSignal<u32>) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Author);
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| match create.value().get() {
        Some(Ok(problems)) if problems.is_empty() => {
            errors.set(vec![]);
            email.set(String::new());
            name.set(String::new());
            password.set(String::new());
            version.update(|v| *v += 1);
        }
        Some(Ok(problems)) => errors.set(problems.into_iter().map(|e| e.message).collect()),
        Some(Err(e)) => errors.set(vec![e.to_string()]),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateUser {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            role: role.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="panel new-user">
            <h2>"Add a user"</h2>
            <form on:submit=submit class="user-form">
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
                <button type="submit" class="button primary" disabled=move || create.pending().get()>"Create user"</button>
            </form>
        </section>
    }
}
