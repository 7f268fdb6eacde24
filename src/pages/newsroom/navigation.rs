//! The masthead and the footer (admins): every section in order, with whether the masthead
//! shows it, and the footer's other links. Saved together.

use super::frame::AdminFrame;
use super::Me;
use crate::api::newsroom::{admin_navigation, save_navigation};
use crate::components::error_view::ErrorNote;
use crate::model::accounts::CurrentUser;
use crate::model::policy::{may, Action, Actor};
use crate::model::validate::messages;
use crate::model::{Category, FooterLink, Navigation};
use leptos::prelude::*;

#[component]
pub fn NavigationPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Navigation" me page=|user| view! { <NavigationEditor user/> }/> }
}

#[component]
fn NavigationEditor(user: CurrentUser) -> impl IntoView {
    if !may(&Actor::from(&user), Action::ManageNavigation) {
        return view! { <p class="form-error">"Only admins change the navigation."</p> }.into_any();
    }
    let nav = Resource::new(|| (), |_| admin_navigation());
    view! {
        <div class="admin-head"><h1>"Navigation"</h1></div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match nav.await {
                    Ok(nav) => view! { <NavigationForm nav/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// Moves item `i` of `list` one place up (`-1`) or down (`1`).
fn shift<T>(list: RwSignal<Vec<T>>, i: usize, by: isize)
where
    T: Send + Sync + 'static,
{
    list.update(|v| {
        let j = i as isize + by;
        if j >= 0 && (j as usize) < v.len() {
            v.swap(i, j as usize);
        }
    });
}

#[component]
fn NavigationForm(nav: Navigation) -> impl IntoView {
    let sections: RwSignal<Vec<Category>> = RwSignal::new(nav.sections);
    let footer: RwSignal<Vec<FooterLink>> = RwSignal::new(nav.footer);
    let pages = nav.pages;
    let said = RwSignal::new(None::<Result<String, String>>);
    let save = move |_| {
        let nav = Navigation {
            sections: sections.get_untracked(),
            footer: footer.get_untracked(),
            pages: Vec::new(),
        };
        leptos::task::spawn_local(async move {
            said.set(Some(match save_navigation(nav).await {
                Ok(errors) if errors.is_empty() => {
                    Ok("Saved: readers see it on their next page.".into())
                }
                Ok(errors) => Err(messages(&errors)),
                Err(e) => Err(e.to_string()),
            }));
        });
    };
    view! {
        <section class="panel">
            <h2>"Sections"</h2>
            <p class="hint">"Their order in the masthead, the phone's menu and the front page. Unticked sections keep their pages but leave the masthead."</p>
            <ol class="admin-cards nav-sections">
                {move || {
                    let list = sections.get();
                    let last = list.len().saturating_sub(1);
                    list.into_iter().enumerate().map(move |(i, c)| {
                    let id = format!("nav-{}", c.slug);
                    let name = c.name.clone();
                    view! {
                        <li class="admin-card nav-row">
                            <input id=id.clone() type="checkbox" prop:checked=c.in_nav
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    sections.update(|v| v[i].in_nav = on);
                                }/>
                            <label for=id>{format!("{} in the masthead", c.name)}</label>
                            <span class="nav-moves">
                                <button type="button" class="button small" aria-label=format!("Move {name} up")
                                    disabled=i == 0 on:click=move |_| shift(sections, i, -1)>"↑"</button>
                                <button type="button" class="button small" aria-label=format!("Move {} down", c.name)
                                    disabled=i == last on:click=move |_| shift(sections, i, 1)>"↓"</button>
                            </span>
                        </li>
                    }
                }).collect_view()}}
            </ol>
        </section>
        <section class="panel">
            <h2>"Footer links"</h2>
            <p class="hint">"Besides the sections: About us, Imprint, Privacy… A page of this site (/about-us) or a whole https:// address."</p>
            <ol class="admin-cards">
                {move || {
                    let list = footer.get();
                    let last = list.len().saturating_sub(1);
                    list.into_iter().enumerate().map(move |(i, l)| {
                    let n = i + 1;
                    view! {
                        <li class="admin-card footer-link-row">
                            <label for=format!("fl-label-{i}")>{format!("Link {n}: label")}</label>
                            <input id=format!("fl-label-{i}") type="text" maxlength="60" prop:value=l.label.clone()
                                on:change=move |ev| { let v = event_target_value(&ev); footer.update(|f| f[i].label = v); }/>
                            <label for=format!("fl-href-{i}")>{format!("Link {n}: address")}</label>
                            <input id=format!("fl-href-{i}") type="text" maxlength="2000" prop:value=l.href.clone()
                                on:change=move |ev| { let v = event_target_value(&ev); footer.update(|f| f[i].href = v); }/>
                            <span class="nav-moves">
                                <button type="button" class="button small" aria-label=format!("Move link {n} up")
                                    disabled=i == 0 on:click=move |_| shift(footer, i, -1)>"↑"</button>
                                <button type="button" class="button small" aria-label=format!("Move link {n} down")
                                    disabled=i == last on:click=move |_| shift(footer, i, 1)>"↓"</button>
                                <button type="button" class="button-link" aria-label=format!("Remove link {n}")
                                    on:click=move |_| footer.update(|f| { f.remove(i); })>"Remove"</button>
                            </span>
                        </li>
                    }
                }).collect_view()}}
            </ol>
            <button type="button" class="button" on:click=move |_| footer.update(|f| f.push(FooterLink::default()))>"Add a footer link"</button>
            <AddPage footer pages/>
        </section>
        <button type="button" class="button primary" on:click=save>"Save navigation"</button>
        {move || said.get().map(|r| match r {
            Ok(m) => view! { <p class="notice" role="status">{m}</p> }.into_any(),
            Err(m) => view! { <p class="field-error" role="alert">{m}</p> }.into_any(),
        })}
    }
}

/// "Add a page": one of the published pages, as a footer link with its title and address.
#[component]
fn AddPage(footer: RwSignal<Vec<FooterLink>>, pages: Vec<FooterLink>) -> impl IntoView {
    (!pages.is_empty()).then(|| {
        let choices = pages.clone();
        view! {
            <label class="add-page">
                "Add a page "
                <select on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(link) = choices.iter().find(|l| l.href == chosen) {
                        let link = link.clone();
                        footer.update(|f| f.push(link));
                    }
                    let select: leptos::web_sys::HtmlSelectElement = event_target(&ev);
                    select.set_value("");
                }>
                    <option value="">"Choose a page…"</option>
                    {pages.into_iter().map(|l| view! {
                        <option value=l.href.clone()>{format!("{} ({})", l.label, l.href)}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    })
}
