//! The media library: every image, searchable by its texts, file name, uploader and month.
//! The Media page edits an image's alt text, caption and credit in one place, shows which
//! articles use it and deletes one nobody uses; the editor picks from the same library
//! (`LibraryPicker`) instead of uploading an image again.

use super::frame::AdminFrame;
use super::latest::Latest;
use super::Me;
use crate::api::newsroom::{delete_media, media_library, media_uses, save_media_texts};
use crate::components::error_view::ErrorNote;
use crate::model::newsroom::{LibraryItem, MediaTexts, MediaUse};
use crate::model::validate::{messages, ALT_MAX, CAPTION_MAX, CREDIT_MAX};
use leptos::prelude::*;
use std::time::Duration;

const SEARCH_DEBOUNCE: Duration = Duration::from_millis(200);

#[component]
pub fn MediaPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Media" me page=|_user| view! { <Library/> }/> }
}

/// The search fields and the page of results they choose, shared by the page and the picker.
#[derive(Clone, Copy)]
struct Search {
    q: RwSignal<String>,
    month: RwSignal<String>,
    page: RwSignal<u32>,
    version: RwSignal<u32>,
}

impl Search {
    fn new() -> Self {
        Search {
            q: RwSignal::new(String::new()),
            month: RwSignal::new(String::new()),
            page: RwSignal::new(1),
            version: RwSignal::new(0),
        }
    }

    fn fields(self, id: &'static str) -> impl IntoView {
        let latest = Latest::new();
        let typed = RwSignal::new(String::new());
        view! {
            <div class="filters library-filters">
                <label for=format!("{id}-q")>"Find an image"</label>
                <input id=format!("{id}-q") type="search" placeholder="Alt text, caption, credit, file, uploader"
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        typed.set(v.clone());
                        latest.run(SEARCH_DEBOUNCE, move || async move { v }, move |v| { self.q.set(v); self.page.set(1); });
                    }/>
                <label for=format!("{id}-month")>"Uploaded in"</label>
                <input id=format!("{id}-month") type="month" prop:value=move || self.month.get()
                    on:change=move |ev| { self.month.set(event_target_value(&ev)); self.page.set(1); }/>
            </div>
        }
    }

    fn results(self) -> Resource<Result<crate::model::Paged<LibraryItem>, crate::error::AppError>> {
        Resource::new(
            move || {
                (
                    self.q.get(),
                    self.month.get(),
                    self.page.get(),
                    self.version.get(),
                )
            },
            |(q, month, page, _)| media_library(Some(q), Some(month), Some(page.to_string())),
        )
    }

    fn pager(self, current: u32, pages: u32) -> impl IntoView {
        (pages > 1).then(|| {
            view! {
                <nav class="pager" aria-label="Pages of images">
                    <button type="button" class="button" disabled=current <= 1
                        on:click=move |_| self.page.set(current - 1)>"Previous"</button>
                    <span>{format!("Page {current} of {pages}")}</span>
                    <button type="button" class="button" disabled=current >= pages
                        on:click=move |_| self.page.set(current + 1)>"Next"</button>
                </nav>
            }
        })
    }
}

#[component]
fn Library() -> impl IntoView {
    let search = Search::new();
    let results = search.results();
    view! {
        <div class="admin-head"><h1>"Media"</h1></div>
        {search.fields("library")}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(list) => view! {
                        <p class="hint">{crate::pages::counted(list.total_items, "image", "images")}</p>
                        <ul class="library-grid" aria-label="Images">
                            {list.items.into_iter().map(|item| view! { <LibraryCard item search/> }).collect_view()}
                        </ul>
                        {search.pager(list.page, list.total_pages)}
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn uses_view(uses: Vec<MediaUse>) -> impl IntoView {
    if uses.is_empty() {
        return view! { <p class="hint">"No article uses it."</p> }.into_any();
    }
    view! {
        <ul class="media-uses">
            {uses.into_iter().map(|u| view! {
                <li><a href=format!("/admin/articles/{}", u.id)>{u.title}</a> " (" {u.status.label()} ")"</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn LibraryCard(item: LibraryItem, search: Search) -> impl IntoView {
    let id = item.media.id;
    let alt = RwSignal::new(item.alt.clone());
    let caption = RwSignal::new(item.caption.clone());
    let credit = RwSignal::new(item.credit.clone());
    let said = RwSignal::new(None::<Result<String, String>>);
    let uses = RwSignal::new(None::<Vec<MediaUse>>);
    let show_uses = move |_| {
        leptos::task::spawn_local(async move {
            match media_uses(id).await {
                Ok(u) => uses.set(Some(u)),
                Err(e) => said.set(Some(Err(e.to_string()))),
            }
        });
    };
    let save = move |_| {
        let texts = MediaTexts {
            alt: alt.get_untracked(),
            caption: caption.get_untracked(),
            credit: credit.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            said.set(Some(match save_media_texts(id, texts).await {
                Ok(errors) if errors.is_empty() => Ok("Saved.".into()),
                Ok(errors) => Err(messages(&errors)),
                Err(e) => Err(e.to_string()),
            }));
        });
    };
    let delete = move |_| {
        leptos::task::spawn_local(async move {
            match delete_media(id).await {
                Ok(in_use) if in_use.is_empty() => search.version.update(|v| *v += 1),
                Ok(in_use) => {
                    said.set(Some(Err(
                        "It is in use, so it stays. Take it out of these first:".into(),
                    )));
                    uses.set(Some(in_use));
                }
                Err(e) => said.set(Some(Err(e.to_string()))),
            }
        });
    };
    let label = if item.alt.is_empty() {
        item.name.clone()
    } else {
        item.alt.clone()
    };
    let who = if item.uploader.is_empty() {
        "Imported".to_string()
    } else {
        item.uploader.clone()
    };
    let field = move |key: &str| format!("m{id}-{key}");
    view! {
        <li class="library-card">
            <img src=item.media.url.clone() srcset=item.media.srcset.clone() sizes="240px"
                width=item.media.width height=item.media.height alt=item.alt.clone() loading="lazy"/>
            <p class="admin-card-meta">{format!("{who} · {} · {}", item.date, item.name)}</p>
            {if item.editable {
                view! {
                    <label for=field("alt")>{format!("Alt text of {label}")}</label>
                    <input id=field("alt") type="text" maxlength=ALT_MAX prop:value=move || alt.get()
                        on:input=move |ev| alt.set(event_target_value(&ev))/>
                    <label for=field("caption")>"Caption"</label>
                    <input id=field("caption") type="text" maxlength=CAPTION_MAX prop:value=move || caption.get()
                        on:input=move |ev| caption.set(event_target_value(&ev))/>
                    <label for=field("credit")>"Credit"</label>
                    <input id=field("credit") type="text" maxlength=CREDIT_MAX prop:value=move || credit.get()
                        on:input=move |ev| credit.set(event_target_value(&ev))/>
                    <div class="library-actions">
                        <button type="button" class="button small" on:click=save>"Save"</button>
                        <button type="button" class="button-link" on:click=show_uses>"Where is it used?"</button>
                        <button type="button" class="button-link danger" on:click=delete>"Delete"</button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p>{item.alt.clone()}</p>
                    <p class="hint">{item.caption.clone()} " " {item.credit.clone()}</p>
                    <button type="button" class="button-link" on:click=show_uses>"Where is it used?"</button>
                }.into_any()
            }}
            {move || said.get().map(|r| match r {
                Ok(m) => view! { <p class="notice" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="field-error" role="alert">{m}</p> }.into_any(),
            })}
            {move || uses.get().map(uses_view)}
        </li>
    }
}

/// The library inside the editor: pick an image instead of uploading it again.
#[component]
pub fn LibraryPicker(on_pick: Callback<LibraryItem>, close: Callback<()>) -> impl IntoView {
    let search = Search::new();
    let results = search.results();
    view! {
        <div class="library-picker" role="group" aria-label="Media library">
            <div class="library-picker-head">
                <strong>"Media library"</strong>
                <button type="button" class="button-link" on:click=move |_| close.run(())>"Close"</button>
            </div>
            {search.fields("picker")}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(list) => view! {
                            <ul class="library-grid small">
                                {list.items.into_iter().map(|item| {
                                    let label = if item.alt.is_empty() { item.name.clone() } else { item.alt.clone() };
                                    let chosen = item.clone();
                                    view! {
                                        <li>
                                            <button type="button" class="library-pick" aria-label=format!("Use image: {label}")
                                                on:click=move |_| on_pick.run(chosen.clone())>
                                                <img src=item.media.url.clone() width=item.media.width height=item.media.height alt="" loading="lazy"/>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {search.pager(list.page, list.total_pages)}
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
