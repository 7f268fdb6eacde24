use crate::api::accounts::Login;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/admin".into());
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    view! {
        <Title text="Log in"/>
        <Meta name="robots" content="noindex, nofollow"/>
        <section class="login">
            <h1>"Newsroom log in"</h1>
            <ActionForm action=login attr:class="login-form">
                <input type="hidden" name="next" value=next/>
                <label for="login-email">"E-mail"</label>
                <input id="login-email" type="email" name="email" autocomplete="username" required/>
                <label for="login-password">"Password"</label>
                <input id="login-password" type="password" name="password" autocomplete="current-password" required/>
                <p class="form-error" role="alert">{error}</p>
                <button type="submit" class="button primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Logging in…" } else { "Log in" }}
                </button>
            </ActionForm>
            <p class="login-back"><a href="/" rel="external">"← Back to the site"</a></p>
        </section>
    }
}
