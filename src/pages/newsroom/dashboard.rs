use super::frame::AdminFrame;
use super::{DashboardRows, Me};
use crate::api::newsroom::NewArticle;
use crate::components::error_view::ErrorNote;
use crate::components::pager::Pager;
use crate::components::site::use_site;
use crate::model::accounts::CurrentUser;
use crate::model::encode_query_value;
use crate::model::newsroom::{DashboardSort, Status};
use crate::model::policy::{may, Action, Actor};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn DashboardPage(me: Me, rows: DashboardRows) -> impl IntoView {
    view! { <AdminFrame title="Articles" me page=move |user| view! { <Dashboard user rows/> }/> }
}

fn dashboard_href(status: &str, category: &str, q: &str, sort: &str, page: u32) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("status", status),
        ("category", category),
        ("q", q),
        ("sort", sort),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", encode_query_value(v)));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/admin".into()
    } else {
        format!("/admin?{}", parts.join("&"))
    }
}

#[component]
fn Dashboard(user: CurrentUser, rows: DashboardRows) -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let create = ServerAction::<NewArticle>::new();
    let site = use_site();
    let navigate = use_navigate();
    // Filters apply as soon as they change (the form still works as a plain GET without JS).
    let apply = move |status: String, category: String, q: String, sort: String| {
        navigate(
            &dashboard_href(&status, &category, &q, &sort, 1),
            Default::default(),
        );
    };
    let status_ref = NodeRef::<leptos::html::Select>::new();
    let category_ref = NodeRef::<leptos::html::Select>::new();
    let q_ref = NodeRef::<leptos::html::Input>::new();
    let sort_ref = NodeRef::<leptos::html::Select>::new();
    let current = move || {
        (
            status_ref
                .get_untracked()
                .map(|s| s.value())
                .unwrap_or_default(),
            category_ref
                .get_untracked()
                .map(|s| s.value())
                .unwrap_or_default(),
            q_ref.get_untracked().map(|s| s.value()).unwrap_or_default(),
            sort_ref
                .get_untracked()
                .map(|s| s.value())
                .unwrap_or_default(),
        )
    };
    let on_change = {
        let apply = apply.clone();
        move |_| {
            let (s, c, q, o) = current();
            apply(s, c, q, o);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (s, c, q, o) = current();
        apply(s, c, q, o);
    };
    let heading = if may(&Actor::from(&user), Action::ListEveryArticle) {
        "All articles"
    } else {
        "My articles"
    };
    view! {
        <div class="admin-head">
            <h1>{heading}</h1>
            <ActionForm action=create attr:class="inline-form">
                <button type="submit" class="button primary">"New article"</button>
            </ActionForm>
        </div>
        <form class="admin-filters" method="get" action="/admin" on:submit=on_submit>
            <label>
                "Status "
                <select name="status" node_ref=status_ref on:change=on_change.clone() prop:value=move || get("status")>
                    <option value="">"All but trash"</option>
                    {Status::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.as_str()>{s.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Section "
                <select name="category" node_ref=category_ref on:change=on_change.clone() prop:value=move || get("category")>
                    <option value="">"All sections"</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            site.await
                                .map(|s| s.categories)
                                .unwrap_or_default()
                                .into_iter()
                                .map(|c| view! { <option value=c.slug.clone()>{c.name}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
            </label>
            <label>
                "Search titles "
                <input type="search" name="q" node_ref=q_ref prop:value=move || get("q") placeholder="Words in the title"/>
            </label>
            <label>
                "Order "
                <select name="sort" node_ref=sort_ref on:change=on_change prop:value=move || get("sort")>
                    <option value="">"Last updated"</option>
                    <option value=DashboardSort::ViewsDay.as_str()>"Most viewed, 24 hours"</option>
                    <option value=DashboardSort::ViewsWeek.as_str()>"Most viewed, 7 days"</option>
                    <option value=DashboardSort::ViewsTotal.as_str()>"Most viewed, all time"</option>
                </select>
            </label>
            <button type="submit" class="button">"Filter"</button>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(paged) => {
                        let (s, c, q, o) = (get("status"), get("category"), get("q"), get("sort"));
                        // A column of views: a link that orders the list by it.
                        let sorted_by = DashboardSort::parse(&o).unwrap_or_default();
                        let column = {
                            let (s, c, q) = (s.clone(), c.clone(), q.clone());
                            move |label: &'static str, by: DashboardSort| {
                                let current = sorted_by == by;
                                view! {
                                    <th scope="col" class="num" aria-sort=current.then_some("descending")>
                                        <a href=dashboard_href(&s, &c, &q, by.as_str(), 1) aria-current=current.then_some("true") title="Most viewed first">
                                            {label}
                                        </a>
                                    </th>
                                }
                            }
                        };
                        let empty = paged.items.is_empty().then(|| view! {
                            <p class="empty">"No articles match these filters."</p>
                        });
                        view! {
                            <p class="admin-count">{crate::pages::counted(paged.total_items, "article", "articles")}</p>
                            {empty}
                            <table class="admin-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Title"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Section"</th>
                                        <th scope="col">"Author"</th>
                                        <th scope="col" aria-sort=(sorted_by == DashboardSort::Updated).then_some("descending")>
                                            <a href=dashboard_href(&s, &c, &q, "", 1)>"Updated"</a>
                                        </th>
                                        {column("Views 24 h", DashboardSort::ViewsDay)}
                                        {column("7 days", DashboardSort::ViewsWeek)}
                                        {column("Total", DashboardSort::ViewsTotal)}
                                    </tr>
                                </thead>
                                <tbody>
                                    {paged.items.into_iter().map(|r| {
                                        let views = r.views.unwrap_or_default();
                                        view! {
                                        <tr>
                                            <td class="title-cell">
                                                <a href=format!("/admin/articles/{}", r.id)>{r.title}</a>
                                                {r.public_url.map(|u| view! { " " <a class="view-link" href=u target="_blank" rel="noopener">"View"</a> })}
                                            </td>
                                            <td data-label="Status"><span class=format!("status status-{}", r.status.as_str())>{r.status.label()}</span></td>
                                            <td data-label="Section">{r.category}</td>
                                            <td data-label="Author">{r.author}</td>
                                            <td class="nowrap" data-label="Updated">{r.updated}</td>
                                            <td class="num" data-label="Views 24 h">{crate::pages::grouped(views.day.max(0) as u64)}</td>
                                            <td class="num" data-label="Views 7 days">{crate::pages::grouped(views.week.max(0) as u64)}</td>
                                            <td class="num" data-label="Views in all">{crate::pages::grouped(views.total.max(0) as u64)}</td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=paged.page total_pages=paged.total_pages href=move |n| dashboard_href(&s, &c, &q, &o, n)/>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
