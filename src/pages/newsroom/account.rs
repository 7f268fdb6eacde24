//! Your own account: a new password (the current one first), and ending every session on
//! every device.

use super::frame::AdminFrame;
use super::Me;
use crate::api::accounts::{ChangePassword, LogoutEverywhere};
use crate::model::accounts::CurrentUser;
use leptos::prelude::*;

#[component]
pub fn AccountPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Your account" me page=|user| view! { <Account user/> }/> }
}

#[component]
fn Account(user: CurrentUser) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    // (ok, message) of the last attempt.
    let outcome = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| match change.value().get() {
        Some(Ok(problems)) if problems.is_empty() => {
            current.set(String::new());
            password.set(String::new());
            repeat.set(String::new());
            outcome.set(Some((
                true,
                "Your password is changed. Your other sessions have ended.".into(),
            )));
        }
        Some(Ok(problems)) => {
            outcome.set(Some((false, crate::model::validate::messages(&problems))))
        }
        Some(Err(e)) => outcome.set(Some((false, e.to_string()))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != repeat.get_untracked() {
            outcome.set(Some((false, "The two new passwords differ.".into())));
            return;
        }
        outcome.set(None);
        change.dispatch(ChangePassword {
            current: current.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let bind = |signal: RwSignal<String>| move |ev| signal.set(event_target_value(&ev));
    view! {
        <div class="admin-head"><h1>"Your account"</h1></div>
        <p>{user.display_name} " · " {user.email} " · " {user.role.label()}</p>
        <section class="panel">
            <h2>"Change your password"</h2>
            <form on:submit=submit class="user-form">
                <label for="me-current">"Current password"</label>
                <input id="me-current" type="password" autocomplete="current-password" required
                    prop:value=move || current.get() on:input=bind(current)/>
                <label for="me-new">"New password (at least 10 characters)"</label>
                <input id="me-new" type="password" autocomplete="new-password" required
                    prop:value=move || password.get() on:input=bind(password)/>
                <label for="me-repeat">"New password again"</label>
                <input id="me-repeat" type="password" autocomplete="new-password" required
                    prop:value=move || repeat.get() on:input=bind(repeat)/>
                {move || outcome.get().map(|(ok, message)| view! {
                    <p class=if ok { "notice" } else { "field-error" } role="status">{message}</p>
                })}
                <button type="submit" class="button primary" disabled=move || change.pending().get()>
                    "Change password"
                </button>
            </form>
        </section>
        <section class="panel">
            <h2>"Sessions"</h2>
            <p>"Logged in on a shared or lost device? End every session of yours, this one too."</p>
            <ActionForm action=everywhere attr:class="inline-form">
                <button type="submit" class="button">"Log out everywhere"</button>
            </ActionForm>
        </section>
    }
}
