//! The form's fields: one signal per field (typing in the body does not redraw the title),
//! and a labelled field with its error line.

use crate::model::newsroom::{ArticleForm, MediaRef, Pick};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct FormState {
    pub title: RwSignal<String>,
    pub slug: RwSignal<String>,
    pub category: RwSignal<String>,
    pub excerpt: RwSignal<String>,
    pub body: RwSignal<String>,
    pub author_name: RwSignal<String>,
    pub image: RwSignal<Option<MediaRef>>,
    pub image_alt: RwSignal<String>,
    pub image_caption: RwSignal<String>,
    pub image_credit: RwSignal<String>,
    pub read_also: RwSignal<Vec<Pick>>,
    pub editors_pick: RwSignal<bool>,
    pub pick_order: RwSignal<i64>,
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
            image: RwSignal::new(f.image.clone()),
            image_alt: RwSignal::new(f.image_alt.clone()),
            image_caption: RwSignal::new(f.image_caption.clone()),
            image_credit: RwSignal::new(f.image_credit.clone()),
            read_also: RwSignal::new(f.read_also.clone()),
            editors_pick: RwSignal::new(f.editors_pick),
            pick_order: RwSignal::new(f.pick_order),
        }
    }

    pub fn load(&self, f: &ArticleForm) {
        self.title.set(f.title.clone());
        self.slug.set(f.slug.clone());
        self.category.set(f.category.clone());
        self.excerpt.set(f.excerpt.clone());
        self.body.set(f.body_md.clone());
        self.author_name.set(f.author_name.clone());
        self.image.set(f.image.clone());
        self.image_alt.set(f.image_alt.clone());
        self.image_caption.set(f.image_caption.clone());
        self.image_credit.set(f.image_credit.clone());
        self.read_also.set(f.read_also.clone());
        self.editors_pick.set(f.editors_pick);
        self.pick_order.set(f.pick_order);
    }

    /// The form as it is now (tracked: use inside a memo to follow every change).
    pub fn get(&self) -> ArticleForm {
        ArticleForm {
            title: self.title.get(),
            slug: self.slug.get(),
            category: self.category.get(),
            excerpt: self.excerpt.get(),
            body_md: self.body.get(),
            author_name: self.author_name.get(),
            image: self.image.get(),
            image_alt: self.image_alt.get(),
            image_caption: self.image_caption.get(),
            image_credit: self.image_credit.get(),
            read_also: self.read_also.get(),
            editors_pick: self.editors_pick.get(),
            pick_order: self.pick_order.get(),
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
