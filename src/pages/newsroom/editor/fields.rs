//! The form's fields: one signal per field (typing in the body does not redraw the title),
//! their error lines, and the panels of plain fields.

use super::controller::EditorController;
use super::labels::{LabelKind, LabelsPanel};
use crate::components::site::use_site;
use crate::model::newsroom::{ArticleForm, MediaRef, PageFacts, Pick};
use crate::model::validate::{self, Field, FieldError};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct FormState {
    pub title: RwSignal<String>,
    pub slug: RwSignal<String>,
    pub category: RwSignal<String>,
    pub excerpt: RwSignal<String>,
    pub body: RwSignal<String>,
    pub author_name: RwSignal<String>,
    pub authors: RwSignal<Vec<String>>,
    pub image: RwSignal<Option<MediaRef>>,
    pub image_alt: RwSignal<String>,
    pub image_caption: RwSignal<String>,
    pub image_credit: RwSignal<String>,
    pub read_also: RwSignal<Vec<Pick>>,
    pub tags: RwSignal<Vec<String>>,
    pub editors_pick: RwSignal<bool>,
    pub pick_order: RwSignal<i64>,
    pub parent: RwSignal<String>,
    /// (Never changes: a page stays a page.)
    pub is_page: bool,
}

impl FormState {
    pub fn new(f: &ArticleForm) -> Self {
        FormState {
            title: RwSignal::new(f.title.clone()),
            slug: RwSignal::new(f.slug.clone()),
            category: RwSignal::new(f.category.clone()),
            excerpt: RwSignal::new(f.excerpt.clone()),
            body: RwSignal::new(f.body_md.clone()),
            author_name: RwSignal::new(f.author_name.clone()),
            authors: RwSignal::new(f.authors.clone()),
            image: RwSignal::new(f.image.clone()),
            image_alt: RwSignal::new(f.image_alt.clone()),
            image_caption: RwSignal::new(f.image_caption.clone()),
            image_credit: RwSignal::new(f.image_credit.clone()),
            read_also: RwSignal::new(f.read_also.clone()),
            tags: RwSignal::new(f.tags.clone()),
            editors_pick: RwSignal::new(f.editors_pick),
            pick_order: RwSignal::new(f.pick_order),
            parent: RwSignal::new(f.parent.clone()),
            is_page: f.is_page,
        }
    }

    pub fn load(&self, f: &ArticleForm) {
        self.title.set(f.title.clone());
        self.slug.set(f.slug.clone());
        self.category.set(f.category.clone());
        self.excerpt.set(f.excerpt.clone());
        self.body.set(f.body_md.clone());
        self.author_name.set(f.author_name.clone());
        self.authors.set(f.authors.clone());
        self.image.set(f.image.clone());
        self.image_alt.set(f.image_alt.clone());
        self.image_caption.set(f.image_caption.clone());
        self.image_credit.set(f.image_credit.clone());
        self.read_also.set(f.read_also.clone());
        self.tags.set(f.tags.clone());
        self.editors_pick.set(f.editors_pick);
        self.pick_order.set(f.pick_order);
        self.parent.set(f.parent.clone());
    }

    /// The form as it is now (tracked: use inside a memo to follow every change).
    pub fn get(&self) -> ArticleForm {
        ArticleForm {
            title: self.title.get(),
            slug: self.slug.get(),
            category: self.category.get(),
            excerpt: self.excerpt.get(),
            body_md: self.body.get(),
            // The byline's text follows its people (kept as typed for a form without them).
            author_name: {
                let authors = self.authors.get();
                if authors.is_empty() {
                    self.author_name.get()
                } else {
                    crate::model::byline_text(&authors)
                }
            },
            authors: self.authors.get(),
            image: self.image.get(),
            image_alt: self.image_alt.get(),
            image_caption: self.image_caption.get(),
            image_credit: self.image_credit.get(),
            read_also: self.read_also.get(),
            tags: self.tags.get(),
            editors_pick: self.editors_pick.get(),
            pick_order: self.pick_order.get(),
            parent: self.parent.get(),
            is_page: self.is_page,
        }
    }
}

/// An `on:input` handler that copies the input's value into `signal`.
pub fn bind(signal: RwSignal<String>) -> impl Fn(leptos::ev::Event) + Copy + 'static {
    move |ev| signal.set(event_target_value(&ev))
}

#[component]
pub fn Labelled<E>(
    id: &'static str,
    label: &'static str,
    error: E,
    children: Children,
) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let error = Memo::new(move |_| error());
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {children()}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// Every problem with the form, worked out once per change; each field reads its own.
#[derive(Clone, Copy)]
pub struct FieldErrors {
    all: Memo<Vec<FieldError>>,
    ctl: RwSignal<EditorController>,
    current: Memo<ArticleForm>,
}

impl FieldErrors {
    pub fn new(ctl: RwSignal<EditorController>, current: Memo<ArticleForm>) -> Self {
        FieldErrors {
            all: Memo::new(move |_| ctl.with(|k| current.with(|c| k.errors(c)))),
            ctl,
            current,
        }
    }

    /// The message to show under `field`, if any (the controller decides when).
    pub fn of(self, field: Field) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        move || {
            self.all.with(|all| {
                self.ctl
                    .with(|k| self.current.with(|c| k.error_for(all, c, field)))
            })
        }
    }
}

/// Title, address and excerpt (a page's summary, for search engines and link previews).
#[component]
pub fn HeadFields(
    form: FormState,
    errors: FieldErrors,
    /// What goes before the slug: "/article/", or a page's parent's address.
    #[prop(into)]
    prefix: Signal<String>,
    #[prop(default = "Excerpt")] excerpt_label: &'static str,
) -> impl IntoView {
    view! {
        <Labelled id="f-title" label="Title" error=errors.of(Field::Title)>
            <input id="f-title" class="title-input" type="text" maxlength=validate::TITLE_MAX
                prop:value=move || form.title.get() on:input=bind(form.title)/>
        </Labelled>
        <Labelled id="f-slug" label="Address (slug)" error=errors.of(Field::Slug)>
            <div class="slug-row">
                <span class="slug-prefix">{move || prefix.get()}</span>
                <input id="f-slug" type="text" maxlength=validate::SLUG_MAX
                    placeholder=move || validate::slug_preview(&form.title.get())
                    prop:value=move || form.slug.get() on:input=bind(form.slug)/>
            </div>
        </Labelled>
        <Labelled id="f-excerpt" label=excerpt_label error=errors.of(Field::Excerpt)>
            <textarea id="f-excerpt" rows="2" maxlength=validate::EXCERPT_MAX
                prop:value=move || form.excerpt.get() on:input=bind(form.excerpt)></textarea>
        </Labelled>
    }
}

/// The section and the byline (its people: profiles, offered as you type; a new name makes a
/// new profile).
#[component]
pub fn SectionPanel(form: FormState, errors: FieldErrors, may_byline: bool) -> impl IntoView {
    let site = use_site();
    let categories = move || {
        site.get()
            .and_then(Result::ok)
            .map(|s| s.categories)
            .unwrap_or_default()
    };
    view! {
        <section class="panel">
            <h2>"Section"</h2>
            <Labelled id="f-category" label="Section" error=errors.of(Field::Category)>
                <select id="f-category" prop:value=move || form.category.get()
                    on:change=move |ev| form.category.set(event_target_value(&ev))>
                    {move || categories().into_iter().map(|c| {
                        let slug = c.slug.clone();
                        view! { <option value=c.slug selected=move || form.category.get() == slug>{c.name}</option> }
                    }).collect_view()}
                </select>
            </Labelled>
        </section>
        <LabelsPanel kind=LabelKind::Authors tags=form.authors error=errors.of(Field::AuthorName)
            readonly=!may_byline hint=if may_byline { "" } else { "Editors set the byline." }/>
    }
}

/// A page's place: the page it sits under (its address follows), or the top.
#[component]
pub fn PagePanel(form: FormState, errors: FieldErrors, page: PageFacts) -> impl IntoView {
    let parents = page.parents.clone();
    view! {
        <section class="panel">
            <h2>"Page"</h2>
            <Labelled id="f-parent" label="Parent page" error=errors.of(Field::Parent)>
                <select id="f-parent" prop:value=move || form.parent.get()
                    on:change=move |ev| form.parent.set(event_target_value(&ev))>
                    <option value="" selected=move || form.parent.get().is_empty()>"(none: at the top)"</option>
                    {parents.into_iter().map(|(slug, title, path)| {
                        let value = slug.clone();
                        view! {
                            <option value=slug selected=move || form.parent.get() == value>
                                {format!("{title} ({path})")}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </Labelled>
            <p class="hint">"Admins put pages in the footer under Navigation."</p>
        </section>
    }
}

/// What goes before a page's slug: its parent's address and a slash.
pub fn page_prefix(page: &PageFacts, parent: &str) -> String {
    page.parents
        .iter()
        .find(|(slug, _, _)| slug == parent)
        .map(|(_, _, path)| format!("{path}/"))
        .unwrap_or_else(|| "/".into())
}
