//! The body's tools (formatting, inline images, the preview) and the featured image.

use super::fields::{bind, FieldErrors, FormState, Labelled};
use crate::api::newsroom::preview_markdown;
use crate::model::markdown_edit::{self, Format};
use crate::model::newsroom::LibraryItem;
use crate::model::validate::{self, Field};
use crate::pages::newsroom::latest::Latest;
use crate::pages::newsroom::library::LibraryPicker;
use crate::pages::newsroom::upload::use_upload;
use leptos::prelude::*;
use std::time::Duration;

const PREVIEW_DEBOUNCE: Duration = Duration::from_millis(350);
const IMAGE_TYPES: &str = "image/jpeg,image/png,image/webp,image/gif";

/// Writes `text` into the body (signal and textarea) and puts the selection at `a..b`.
fn replace_body(
    textarea: &leptos::web_sys::HtmlTextAreaElement,
    body: RwSignal<String>,
    text: String,
    (a, b): (usize, usize),
) {
    body.set(text.clone());
    textarea.set_value(&text);
    let _ = textarea.set_selection_range(a as u32, b as u32);
}

#[component]
pub fn Toolbar(textarea: NodeRef<leptos::html::Textarea>, body: RwSignal<String>) -> impl IntoView {
    let apply = move |format: Format| {
        let Some(el) = textarea.get_untracked() else {
            return;
        };
        let start = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let end = el.selection_end().ok().flatten().unwrap_or(0) as usize;
        let (text, a, b) = markdown_edit::apply(&el.value(), start, end, format);
        let _ = el.focus();
        replace_body(&el, body, text, (a, b));
    };
    // An uploaded image goes in as a figure where the cursor is.
    let upload = use_upload(move |media| {
        let Some(el) = textarea.get_untracked() else {
            return;
        };
        let at = el.selection_end().ok().flatten().unwrap_or(0) as usize;
        let snippet = format!(
            "![Describe the image]({} \"Caption | © Credit\")",
            media.large_url
        );
        let (text, cursor) = markdown_edit::insert_block(&el.value(), at, &snippet);
        replace_body(&el, body, text, (cursor, cursor));
    });
    let input = NodeRef::<leptos::html::Input>::new();
    // An image from the library goes in the same way, with its texts.
    let browsing = RwSignal::new(false);
    let pick = Callback::new(move |item: LibraryItem| {
        browsing.set(false);
        let Some(el) = textarea.get_untracked() else {
            return;
        };
        let at = el.selection_end().ok().flatten().unwrap_or(0) as usize;
        let title = match (item.caption.trim(), item.credit.trim()) {
            ("", "") => String::new(),
            (caption, "") => caption.to_string(),
            (caption, credit) => format!("{caption} | © {credit}"),
        };
        let alt = if item.alt.trim().is_empty() {
            "Describe the image".to_string()
        } else {
            item.alt.replace(['[', ']'], "")
        };
        let snippet = if title.is_empty() {
            format!("![{alt}]({})", item.media.large_url)
        } else {
            format!(
                "![{alt}]({} \"{}\")",
                item.media.large_url,
                title.replace('"', "”")
            )
        };
        let (text, cursor) = markdown_edit::insert_block(&el.value(), at, &snippet);
        replace_body(&el, body, text, (cursor, cursor));
    });
    view! {
        <div class="toolbar" role="toolbar" aria-label="Formatting">
            {Format::ALL.into_iter().map(|f| view! {
                <button type="button" class="tool" title=f.label() aria-label=f.label() on:click=move |_| apply(f)>{f.glyph()}</button>
            }).collect_view()}
            <label class="tool" title="Insert image">
                "Image"
                <input type="file" accept=IMAGE_TYPES class="visually-hidden" node_ref=input on:change=move |_| upload.send_from(input)/>
            </label>
            <button type="button" class="tool" title="Insert an image from the library"
                on:click=move |_| browsing.update(|b| *b = !*b)>"Library"</button>
            {upload.view_progress()}
            {move || upload.error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </div>
        <Show when=move || browsing.get()>
            <LibraryPicker on_pick=pick close=Callback::new(move |_| browsing.set(false))/>
        </Show>
    }
}

/// The article as readers will see it, rendered by the server's own renderer.
#[component]
pub fn Preview(body: RwSignal<String>, title: RwSignal<String>) -> impl IntoView {
    let html = RwSignal::new(String::new());
    let latest = Latest::new();
    Effect::new(move |_| {
        let text = body.get();
        latest.run(
            PREVIEW_DEBOUNCE,
            move || preview_markdown(text),
            move |answer| {
                if let Ok(h) = answer {
                    html.set(h);
                }
            },
        );
    });
    view! {
        <div class="preview" aria-label="Preview">
            <h1 class="article-title">{move || title.get()}</h1>
            <div class="article-body" inner_html=move || html.get()></div>
        </div>
    }
}

#[component]
pub fn FeaturedImage<A, B>(form: FormState, error_image: A, error_alt: B) -> impl IntoView
where
    A: Fn() -> Option<String> + Send + Sync + 'static,
    B: Fn() -> Option<String> + Send + Sync + 'static,
{
    let upload = use_upload(move |media| form.image.set(Some(media)));
    let browsing = RwSignal::new(false);
    // Chosen from the library: the image with its texts (kept where the form has its own).
    let pick = Callback::new(move |item: LibraryItem| {
        form.image.set(Some(item.media));
        for (field, text) in [
            (form.image_alt, item.alt),
            (form.image_caption, item.caption),
            (form.image_credit, item.credit),
        ] {
            if field.with_untracked(|f| f.trim().is_empty()) {
                field.set(text);
            }
        }
        browsing.set(false);
    });
    let dragging = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            upload.send(file);
        }
    };
    view! {
        <section class="panel">
            <h2>"Featured image"</h2>
            <div class="dropzone" class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                {move || form.image.get().map(|m| view! {
                    <img src=m.url.clone() srcset=m.srcset.clone() sizes="300px" width=m.width height=m.height alt="" class="thumb"/>
                })}
                <label class="button small" for="f-image-file">{move || if form.image.with(Option::is_some) { "Replace image" } else { "Choose image" }}</label>
                <input id="f-image-file" type="file" class="visually-hidden" accept=IMAGE_TYPES node_ref=input on:change=move |_| upload.send_from(input)/>
                <button type="button" class="button small" on:click=move |_| browsing.update(|b| *b = !*b)>"From the library"</button>
                <p class="hint">"…or drop a JPEG, PNG, WebP or GIF here (up to 10 MB)."</p>
                {upload.view_progress()}
                {move || upload.error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                {move || error_image().map(|e| view! { <p class="field-error">{e}</p> })}
                <Show when=move || form.image.with(Option::is_some)>
                    <button type="button" class="button-link" on:click=move |_| form.image.set(None)>"Remove image"</button>
                </Show>
            </div>
            <Show when=move || browsing.get()>
                <LibraryPicker on_pick=pick close=Callback::new(move |_| browsing.set(false))/>
            </Show>
            <Labelled id="f-image-alt" label="Alt text" error=error_alt>
                <input id="f-image-alt" type="text" maxlength=validate::ALT_MAX prop:value=move || form.image_alt.get() on:input=bind(form.image_alt)/>
            </Labelled>
            <Labelled id="f-image-caption" label="Caption" error=|| None>
                <input id="f-image-caption" type="text" maxlength=validate::CAPTION_MAX prop:value=move || form.image_caption.get() on:input=bind(form.image_caption)/>
            </Labelled>
            <Labelled id="f-image-credit" label="Credit" error=|| None>
                <input id="f-image-credit" type="text" maxlength=validate::CREDIT_MAX prop:value=move || form.image_credit.get() on:input=bind(form.image_credit)/>
            </Labelled>
        </section>
    }
}

/// The body: formatting tools, the text, the preview beside it.
#[component]
pub fn BodyField(form: FormState, errors: FieldErrors) -> impl IntoView {
    let show_preview = RwSignal::new(false);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let error = errors.of(Field::Body);
    view! {
        <div class="field">
            <div class="body-head">
                <label for="f-body">"Body"</label>
                <Toolbar textarea body=form.body/>
                <button type="button" class="button small" aria-pressed=move || show_preview.get().to_string()
                    on:click=move |_| show_preview.update(|p| *p = !*p)>
                    {move || if show_preview.get() { "Hide preview" } else { "Preview" }}
                </button>
            </div>
            <div class="body-panes" class:with-preview=move || show_preview.get()>
                <textarea id="f-body" node_ref=textarea class="body-input" rows="24"
                    prop:value=move || form.body.get() on:input=bind(form.body)></textarea>
                <Show when=move || show_preview.get()>
                    <Preview body=form.body title=form.title/>
                </Show>
            </div>
            {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
            <p class="hint">"Markdown: ## for a subheading, **bold**, _italic_, [text](https://…), > quote, - list. An image on a line of its own becomes a figure; its title is the caption, then “ | © credit”."</p>
        </div>
    }
}
