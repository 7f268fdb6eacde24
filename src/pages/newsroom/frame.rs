use super::Me;
use crate::api::accounts::Logout;
use crate::components::error_view::ErrorView;
use crate::model::accounts::CurrentUser;
use crate::model::policy::{may, Action, Actor};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::Redirect, hooks::use_location};

/// Every newsroom page: the bar and the page for the logged-in user. (The server already sent
/// anyone without a session to the login page; a session that ends while the app is open is
/// sent there from here.)
#[component]
pub fn AdminFrame<F, V>(title: &'static str, me: Me, page: F) -> impl IntoView
where
    F: Fn(CurrentUser) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let location = use_location();
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex, nofollow"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {
                let page = page.clone();
                move || {
                    let page = page.clone();
                    Suspend::new(async move {
                        match me.await {
                            Ok(Some(user)) => view! {
                                <AdminBar user=user.clone()/>
                                <div class="admin-main">{page(user)}</div>
                            }
                            .into_any(),
                            Ok(None) => {
                                let here = location.pathname.get_untracked();
                                let next = crate::model::encode_query_value(&here);
                                view! { <Redirect path=format!("/admin/login?next={next}")/> }.into_any()
                            }
                            Err(error) => view! { <ErrorView error/> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn AdminBar(user: CurrentUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let users_link = may(&Actor::from(&user), Action::ManageUsers)
        .then(|| view! { <a href="/admin/users">"Users"</a> });
    let import_link = may(&Actor::from(&user), Action::ImportContent)
        .then(|| view! { <a href="/admin/import">"Import"</a> });
    let redirects_link = may(&Actor::from(&user), Action::ManageRedirects)
        .then(|| view! { <a href="/admin/redirects">"Redirects"</a> });
    let pages_link = may(&Actor::from(&user), Action::CreatePage)
        .then(|| view! { <a href="/admin/pages">"Pages"</a> });
    let newsletter_link = may(&Actor::from(&user), Action::ViewNewsletter)
        .then(|| view! { <a href="/admin/newsletter">"Newsletter"</a> });
    let navigation_link = may(&Actor::from(&user), Action::ManageNavigation)
        .then(|| view! { <a href="/admin/navigation">"Navigation"</a> });
    view! {
        <header class="admin-bar">
            <div class="admin-bar-inner">
                <a class="admin-brand" href="/admin">"Newsroom"</a>
                <nav class="admin-nav" aria-label="Newsroom">
                    <a href="/admin">"Articles"</a>
                    {pages_link}
                    <a href="/admin/media">"Media"</a>
                    <a href="/admin/authors">"Authors"</a>
                    <a href="/admin/tags">"Tags"</a>
                    {users_link}
                    {import_link}
                    {newsletter_link}
                    {redirects_link}
                    {navigation_link}
                    <a href="/admin/account">"Your account"</a>
                    <a href="/" target="_blank" rel="noopener">"View site"</a>
                </nav>
                <div class="admin-user">
                    <span>{user.display_name.clone()} " · " {user.role.label()}</span>
                    <ActionForm action=logout attr:class="inline-form">
                        <button type="submit" class="button-link">"Log out"</button>
                    </ActionForm>
                </div>
            </div>
        </header>
    }
}
