//! Image uploads with progress, shared by the featured image and the body's "Image" button.

use crate::browser;
use crate::model::newsroom::MediaRef;
use leptos::prelude::*;
use std::sync::Arc;

/// One upload slot: its progress and error as signals, and what to do with the stored image.
#[derive(Clone, Copy)]
pub struct Upload {
    pub progress: RwSignal<Option<f64>>,
    pub error: RwSignal<Option<String>>,
    done: StoredValue<Arc<dyn Fn(MediaRef) + Send + Sync>>,
}

pub fn use_upload(done: impl Fn(MediaRef) + Send + Sync + 'static) -> Upload {
    Upload {
        progress: RwSignal::new(None),
        error: RwSignal::new(None),
        done: StoredValue::new(Arc::new(done)),
    }
}

impl Upload {
    pub fn send(self, file: leptos::web_sys::File) {
        self.error.set(None);
        self.progress.set(Some(0.0));
        browser::upload(
            "/api/admin/media",
            file,
            move |p| self.progress.set(Some(p)),
            move |result| {
                self.progress.set(None);
                match result.map(|b| leptos::serde_json::from_str::<MediaRef>(&b)) {
                    Ok(Ok(media)) => (self.done.get_value())(media),
                    Ok(Err(_)) => self
                        .error
                        .set(Some("The server's answer was not understood.".into())),
                    Err(m) => self.error.set(Some(m)),
                }
            },
        );
    }

    /// The first file of a file input, sent; the input is emptied for the next choice.
    pub fn send_from(self, input: NodeRef<leptos::html::Input>) {
        if let Some(el) = input.get_untracked() {
            if let Some(file) = el.files().and_then(|f| f.get(0)) {
                self.send(file);
            }
            el.set_value("");
        }
    }

    pub fn view_progress(self) -> impl IntoView {
        move || {
            self.progress.get().map(|p| {
                view! {
                    <progress max="1" value=p aria-label="Upload progress">{format!("{:.0}%", p * 100.0)}</progress>
                }
            })
        }
    }
}
