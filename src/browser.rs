//! The few browser APIs the editor needs beyond what Leptos wraps: local storage, uploads
//! with progress, the clipboard. On the server these do nothing (they only run on events).

use leptos::wasm_bindgen::{closure::Closure, JsCast};
use leptos::web_sys;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn store_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub fn store_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        // A full or disabled storage must not break editing.
        let _ = s.set_item(key, value);
    }
}

pub fn store_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

pub fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// Uploads `file` to `url` as multipart field `file`, reporting progress (0.0..=1.0) and
/// finally `Ok(body)` on 2xx or `Err(message)` otherwise.
pub fn upload(
    url: &str,
    file: web_sys::File,
    on_progress: impl Fn(f64) + 'static,
    on_done: impl FnOnce(Result<String, String>) + 'static,
) {
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        on_done(Err("This browser cannot upload files.".into()));
        return;
    };
    let Ok(form) = web_sys::FormData::new() else {
        on_done(Err("This browser cannot upload files.".into()));
        return;
    };
    let _ = form.append_with_blob_and_filename("file", &file, &file.name());
    if xhr.open_with_async("POST", url, true).is_err() {
        on_done(Err("The upload could not start.".into()));
        return;
    }
    let progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    if let Ok(up) = xhr.upload() {
        up.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(on_done)));
    let finish = {
        let xhr = xhr.clone();
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || {
            let Some(cb) = done.borrow_mut().take() else {
                return;
            };
            let status = xhr.status().unwrap_or(0);
            let body = xhr.response_text().ok().flatten().unwrap_or_default();
            if (200..300).contains(&status) {
                cb(Ok(body));
            } else if status == 0 {
                cb(Err(
                    "The connection was lost during the upload. Try again.".into()
                ));
            } else {
                // The server answers errors as `AppError` JSON, like its server functions.
                let message = leptos::serde_json::from_str::<crate::error::AppError>(&body)
                    .map(|e| e.to_string())
                    .unwrap_or_else(|_| format!("The upload failed ({status})."));
                cb(Err(message));
            }
        })
    };
    xhr.set_onloadend(Some(finish.as_ref().unchecked_ref()));
    let _ = xhr.send_with_opt_form_data(Some(&form));
    // The browser owns the request from here; the callbacks live as long as the page.
    progress.forget();
    finish.forget();
}

/// Tells tests (and curious developers) that the page is live.
pub fn mark_hydrated() {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Calls the reader pages' script function `name` with `href`; false when it is not there.
fn call_reader_script(name: &str, href: &str) -> bool {
    use leptos::wasm_bindgen::JsValue;
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call1(&JsValue::NULL, &JsValue::from_str(href)).is_ok())
}

/// Records that the page changed in place to what `href` shows (the category filter), so back
/// and forward return to it.
pub fn push_url(href: &str) {
    if !call_reader_script("portalPush", href) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ =
                history.push_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(href));
        }
    }
}

/// Opens `href` as a reader's link would: through the reader pages' navigation (the next page
/// swapped in, no reload, `components::loader`) when it is there, else as a page load.
pub fn navigate(href: &str) {
    if !call_reader_script("portalNavigate", href) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(href);
        }
    }
}

/// Opens a server-sent events stream at `url`: `on_message(data, last event id)` for each
/// event; `on_closed()` when the browser gave up on it (a refusal, an error answer) rather
/// than reconnecting by itself. `None` where the browser has no `EventSource`.
pub fn event_source(
    url: &str,
    on_message: impl Fn(String, String) + 'static,
    on_closed: impl Fn() + 'static,
) -> Option<web_sys::EventSource> {
    let source = web_sys::EventSource::new(url).ok()?;
    let message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            on_message(
                ev.data().as_string().unwrap_or_default(),
                ev.last_event_id(),
            );
        });
    source.set_onmessage(Some(message.as_ref().unchecked_ref()));
    let watched = source.clone();
    let error = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        if watched.ready_state() == web_sys::EventSource::CLOSED {
            on_closed();
        }
    });
    source.set_onerror(Some(error.as_ref().unchecked_ref()));
    // They live as long as the stream (the page's, or until it is closed).
    message.forget();
    error.forget();
    Some(source)
}
