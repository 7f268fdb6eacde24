#![recursion_limit = "256"]
//! The Daily Meridian: one crate, compiled twice. With `ssr` it is the server (`server`), with
//! `hydrate` the browser's WASM. Layers import downward only:
//! `pages` → `components` → `site` → `api` → `model`; `server` implements what `api` calls.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
pub mod routes;
pub mod site;

#[cfg(feature = "ssr")]
pub mod server;

/// Demo content and benchmark data: developer tools, never part of the production server.
#[cfg(feature = "demo")]
pub mod demo;

#[cfg(test)]
mod tree_map;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The newsroom's routes are split-out WASM chunks that hydration may have to load first.
    leptos::mount::hydrate_lazy(app::App);
}
