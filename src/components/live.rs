//! Live coverage on an article's page: an island. The server renders the coverage as it is
//! (every update readable without JavaScript); in the browser the island opens the coverage's
//! event stream and applies each change as it comes: a new update appears at the top when the
//! reader is there, otherwise it waits behind a "3 new updates" button so nothing moves under
//! the reader's eyes; edits and deletions apply in place; screen readers hear of new updates
//! politely.

use crate::api::get_older_updates;
use crate::model::live::{update_anchor, KeyEvent, LiveCoverage, LiveEvent, LiveState, LiveUpdate};
use leptos::prelude::*;

#[island]
pub fn LiveBlog(coverage: LiveCoverage, slug: String) -> impl IntoView {
    let LiveCoverage {
        article_id,
        state,
        started,
        ended,
        rev,
        pinned,
        updates,
        key_events,
        older,
        paged,
    } = coverage;
    let state = RwSignal::new(state);
    let ended = RwSignal::new(ended);
    let pinned = RwSignal::new(pinned);
    let updates = RwSignal::new(updates);
    let waiting = RwSignal::new(Vec::<LiveUpdate>::new());
    let keys = RwSignal::new(key_events);
    let older = RwSignal::new(older);
    let loading = RwSignal::new(false);
    let said = RwSignal::new(String::new());
    // The "new updates" bar (sticky: it stays in view), and the stream itself.
    let feed = NodeRef::<leptos::html::Div>::new();
    let stream = NodeRef::<leptos::html::Div>::new();
    let slug = StoredValue::new(slug);
    let article_href = crate::model::article_href(&slug.get_value());

    // Whether the reader is at the top of the stream (or above it): a new update can appear
    // there without moving what they are reading.
    let at_top = move || {
        stream
            .get_untracked()
            .map(|el| el.get_bounding_client_rect().top() >= -1.0)
            .unwrap_or(true)
    };
    let apply = move |event: LiveEvent| match event {
        LiveEvent::Update { update } => {
            keys.update(|k| mark_key_event(k, &update));
            if update.pinned {
                updates.update(|u| u.retain(|x| x.id != update.id));
                waiting.update(|w| w.retain(|x| x.id != update.id));
                pinned.set(Some(update));
                return;
            }
            if pinned.with_untracked(|p| p.as_ref().is_some_and(|p| p.id == update.id)) {
                pinned.set(None);
            }
            let replaced = replace(updates, &update) || replace(waiting, &update);
            if replaced {
                return;
            }
            // Older than every update shown while older ones are still to load: it comes
            // with them.
            let oldest = updates.with_untracked(|u| u.last().map(|x| (x.posted_at, x.id)));
            if older.with_untracked(Option::is_some)
                && oldest.is_some_and(|o| (update.posted_at, update.id) < o)
            {
                return;
            }
            let newest = updates.with_untracked(|u| u.first().map(|x| (x.posted_at, x.id)));
            let on_top = newest.is_none_or(|n| (update.posted_at, update.id) > n);
            if !on_top || at_top() {
                updates.update(|u| insert_in_order(u, update));
                said.set("A new update was added to the live coverage.".into());
            } else {
                waiting.update(|w| insert_in_order(w, update));
                let n = waiting.with_untracked(Vec::len);
                said.set(new_updates_label(n));
            }
        }
        LiveEvent::Remove { id } => {
            updates.update(|u| u.retain(|x| x.id != id));
            waiting.update(|w| w.retain(|x| x.id != id));
            keys.update(|k| k.retain(|e| e.id != id));
            if pinned.with_untracked(|p| p.as_ref().is_some_and(|p| p.id == id)) {
                pinned.set(None);
            }
        }
        LiveEvent::State { state: s, ended: e } => {
            state.set(s);
            ended.set(e);
            if s == LiveState::Ended {
                said.set("The live coverage has ended.".into());
            }
        }
        LiveEvent::Reload => {
            let _ = window().location().reload();
        }
    };
    if !paged {
        Effect::new(move |first: Option<()>| {
            if first.is_none() && state.get_untracked() == LiveState::Live {
                open_stream(article_id, rev, feed, Callback::new(apply));
            }
        });
    }
    let show_waiting = move |_| {
        let arrived = waiting.try_update(std::mem::take).unwrap_or_default();
        updates.update(|u| {
            for update in arrived {
                insert_in_order(u, update);
            }
        });
        if let Some(el) = stream.get_untracked() {
            el.scroll_into_view();
        }
    };
    let load_older = move |ev: leptos::ev::MouseEvent| {
        let Some(before) = older.get_untracked() else {
            return;
        };
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        leptos::task::spawn_local(async move {
            match get_older_updates(slug.get_value(), before).await {
                Ok(page) => {
                    updates.update(|u| {
                        for update in page.updates {
                            if !u.iter().any(|x| x.id == update.id) {
                                u.push(update);
                            }
                        }
                    });
                    older.set(page.older);
                }
                Err(e) => said.set(format!("Older updates could not be loaded: {e}")),
            }
            loading.set(false);
        });
    };

    let banner = move || {
        match state.get() {
        LiveState::Ended => view! {
            <p class="live-ended" role="note">
                "This live coverage has ended"
                {ended.get().map(|e| view! { " (" <time datetime=e.iso>{e.text}</time> ")" })}
                "."
            </p>
        }
        .into_any(),
        _ => view! {
            <p class="live-now">
                <span class="live-badge">"LIVE"</span>
                {started.clone().map(|s| view! { " Live coverage since " <time datetime=s.iso>{s.text}</time> })}
            </p>
        }
        .into_any(),
    }
    };
    view! {
        <section class="live-blog" aria-labelledby="live-title">
            <h2 class="visually-hidden" id="live-title">"Live coverage"</h2>
            {banner}
            {move || {
                let list = keys.get();
                (!list.is_empty()).then(|| view! {
                    <nav class="live-keys" aria-labelledby="live-keys-title">
                        <h2 class="live-keys-title" id="live-keys-title">"Key events"</h2>
                        <ol>
                            {list.into_iter().map(|k| view! {
                                <li>
                                    <a href=format!("#{}", update_anchor(k.id))>
                                        <time datetime=k.posted.iso>{k.posted.text}</time>
                                        " " {k.title}
                                    </a>
                                </li>
                            }).collect_view()}
                        </ol>
                    </nav>
                })
            }}
            {move || pinned.get().map(|u| view! {
                <div class="live-pinned">
                    <p class="live-pinned-label">"Pinned"</p>
                    {update_view(u)}
                </div>
            })}
            {paged.then(|| view! {
                <p class="live-latest"><a href=article_href.clone()>"‹ Latest updates"</a></p>
            })}
            <div class="live-feed-top" node_ref=feed id="live-feed">
                {move || {
                    let n = waiting.with(Vec::len);
                    (n > 0).then(|| view! {
                        <button type="button" class="live-new button" on:click=show_waiting>
                            {new_updates_label(n)}
                        </button>
                    })
                }}
            </div>
            <div class="live-feed" role="feed" node_ref=stream aria-busy=move || loading.get().to_string() aria-label="Live updates">
                <For each=move || updates.get() key=|u| (u.id, u.rev) let(u)>
                    {update_view(u)}
                </For>
                {move || updates.with(Vec::is_empty).then(|| view! {
                    <p class="empty">"The first updates are on their way."</p>
                })}
            </div>
            {move || older.get().map(|before| view! {
                <p class="live-older">
                    <a class="button" href=format!("?before={before}#live-feed") on:click=load_older>
                        {move || if loading.get() { "Loading…" } else { "Older updates" }}
                    </a>
                </p>
            })}
            <p class="visually-hidden" role="status" aria-live="polite">{move || said.get()}</p>
        </section>
    }
}

fn new_updates_label(n: usize) -> String {
    if n == 1 {
        "1 new update".into()
    } else {
        format!("{n} new updates")
    }
}

/// One update: its time, its key event title, its text, its author.
fn update_view(u: LiveUpdate) -> impl IntoView {
    let anchor = u.anchor();
    let time_id = format!("{anchor}-time");
    let labelled_by = time_id.clone();
    view! {
        <article class="live-update" class:key-event=!u.key_title.is_empty() id=anchor
            tabindex="0" aria-labelledby=labelled_by>
            <header class="live-update-head">
                <time id=time_id datetime=u.posted.iso>{u.posted.text}</time>
                {u.edited.map(|e| view! {
                    <span class="live-edited">"Updated " <time datetime=e.iso>{e.text}</time></span>
                })}
            </header>
            {(!u.key_title.is_empty()).then(|| view! { <h3 class="live-key-title">{u.key_title.clone()}</h3> })}
            <div class="live-update-body" inner_html=u.html></div>
            {u.author.map(|a| {
                let href = a.href();
                view! { <p class="live-author">"By " <a href=href rel="author">{a.name}</a></p> }
            })}
        </article>
    }
}

/// Puts `update` in its place in a newest-first list.
fn insert_in_order(list: &mut Vec<LiveUpdate>, update: LiveUpdate) {
    list.retain(|x| x.id != update.id);
    let at = list
        .iter()
        .position(|x| (x.posted_at, x.id) < (update.posted_at, update.id))
        .unwrap_or(list.len());
    list.insert(at, update);
}

/// Replaces the update of the same id in `list`, if it is there.
fn replace(list: RwSignal<Vec<LiveUpdate>>, update: &LiveUpdate) -> bool {
    let here = list.with_untracked(|l| l.iter().position(|x| x.id == update.id));
    if let Some(i) = here {
        list.update(|l| l[i] = update.clone());
    }
    here.is_some()
}

/// The key events after `update` changed: its entry added, changed or gone.
fn mark_key_event(keys: &mut Vec<KeyEvent>, update: &LiveUpdate) {
    keys.retain(|k| k.id != update.id);
    if !update.key_title.is_empty() {
        keys.extend(crate::model::live::key_events_of(std::iter::once(update)));
        keys.sort_by_key(|k| std::cmp::Reverse((k.posted_at, k.id)));
    }
}

/// Opens the coverage's event stream from revision `since` on; every event goes to `apply`.
/// The browser reconnects by itself (sending the last event's id); when it gives up (the
/// server refused: too many streams, or it stopped), this tries again a while later, from the
/// last revision seen. The stream closes when the page is left.
fn open_stream(
    article_id: i64,
    since: i64,
    feed: NodeRef<leptos::html::Div>,
    apply: Callback<LiveEvent>,
) {
    let last = StoredValue::new(since);
    let url = format!("{}?since={since}", crate::routes::live_stream(article_id));
    let source = crate::browser::event_source(
        &url,
        move |data: String, id: String| {
            if let Ok(rev) = id.parse::<i64>() {
                last.set_value(rev);
            }
            if let Ok(event) = serde_json::from_str::<LiveEvent>(&data) {
                apply.run(event);
            }
        },
        move || {
            let since = last.get_value();
            set_timeout(
                move || {
                    if still_here(feed) {
                        open_stream(article_id, since, feed, apply);
                    }
                },
                std::time::Duration::from_secs(30),
            );
        },
    );
    // The reader pages' navigation swaps the page in place: the stream goes with it.
    if let Some(source) = source {
        let _ = window_event_listener_untyped("portal:leave", move |_| {
            if !still_here(feed) {
                source.close();
            }
        });
    }
}

fn still_here(feed: NodeRef<leptos::html::Div>) -> bool {
    feed.get_untracked().is_some_and(|el| el.is_connected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::live::sample_update as update;

    #[test]
    fn updates_stay_newest_first_and_once_each() {
        let mut list = vec![update(3, 30), update(1, 10)];
        insert_in_order(&mut list, update(2, 20));
        insert_in_order(&mut list, update(4, 40));
        insert_in_order(&mut list, update(2, 20));
        let ids: Vec<i64> = list.iter().map(|u| u.id).collect();
        assert_eq!(ids, [4, 3, 2, 1]);
    }

    #[test]
    fn a_key_event_comes_and_goes_with_its_title() {
        let mut keys = Vec::new();
        let mut u = update(5, 50);
        u.key_title = "Polls close".into();
        mark_key_event(&mut keys, &u);
        assert_eq!(keys.len(), 1);
        u.key_title.clear();
        mark_key_event(&mut keys, &u);
        assert!(keys.is_empty());
        assert_eq!(new_updates_label(1), "1 new update");
        assert_eq!(new_updates_label(3), "3 new updates");
    }
}
