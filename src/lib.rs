#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The newsroom's routes are split-out WASM chunks that hydration may have to load first.
    leptos::mount::hydrate_lazy(app::App);
}
