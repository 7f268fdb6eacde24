//! READ ALSO: pick up to two published articles by searching their titles.

use crate::api::newsroom::pick_candidates;
use crate::model::newsroom::Pick;
use crate::model::validate;
use crate::pages::newsroom::latest::Latest;
use leptos::prelude::*;
use std::time::Duration;

const SEARCH_DEBOUNCE: Duration = Duration::from_millis(200);

#[component]
pub fn ReadAlsoPicker<E>(picks: RwSignal<Vec<Pick>>, error: E) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let query = RwSignal::new(String::new());
    let found: RwSignal<Vec<Pick>> = RwSignal::new(vec![]);
    let latest = Latest::new();
    let on_input = move |ev| {
        let q = event_target_value(&ev);
        query.set(q.clone());
        if q.trim().chars().count() < 2 {
            latest.cancel();
            found.set(vec![]);
            return;
        }
        latest.run(
            SEARCH_DEBOUNCE,
            move || pick_candidates(q),
            move |answer| {
                if let Ok(list) = answer {
                    found.set(list);
                }
            },
        );
    };
    view! {
        <section class="panel">
            <h2>"READ ALSO"</h2>
            <ol class="picked">
                {move || picks.get().into_iter().map(|p| {
                    let slug = p.slug.clone();
                    view! {
                        <li>
                            <span>{p.title}</span>
                            <button type="button" class="button-link" aria-label="Remove"
                                on:click=move |_| picks.update(|v| v.retain(|x| x.slug != slug))>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=move || picks.with(|p| p.len() < validate::READ_ALSO_MAX)>
                <label for="f-read-also">"Find an article"</label>
                <input id="f-read-also" type="search" placeholder="Search published articles" prop:value=move || query.get() on:input=on_input/>
                <ul class="pick-results">
                    {move || found.get().into_iter().filter(|p| !picks.with(|v| v.iter().any(|x| x.slug == p.slug))).map(|p| {
                        let chosen = p.clone();
                        view! {
                            <li>
                                <button type="button" class="button-link" on:click=move |_| {
                                    picks.update(|v| if v.len() < validate::READ_ALSO_MAX { v.push(chosen.clone()) });
                                    query.set(String::new());
                                    found.set(vec![]);
                                }>{"Add: "}{p.title}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            {move || error().map(|e| view! { <p class="field-error">{e}</p> })}
        </section>
    }
}
