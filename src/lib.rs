#![recursion_limit = "256"]
//! The Daily Meridian: one crate, compiled twice. With `ssr` it is the server (`server`), with
//! `hydrate` the browser's WASM. Layers import downward only:
//! `pages` → `components` → `api` → `model`; `server` implements what `api` calls.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod server;

/// Demo content and benchmark data: developer tools, reached only from the `portal-demo` binary
/// (the `portal` binary contains none of it).
#[cfg(feature = "ssr")]
pub mod demo;

#[cfg(test)]
mod tree_map;

/// The browser's entry point. Reader pages are islands (`components::loader` hydrates each one
/// after this); the newsroom hydrates whole. A release build makes two bundles
/// (`scripts/build.sh`): the reader's, without the newsroom (`hydrate`), and the newsroom's own
/// (`newsroom-bundle`), so a reader never downloads a byte of the newsroom. A development build
/// (`cargo leptos watch --split`) makes one bundle with both, the newsroom in a split-out chunk.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "newsroom")]
    {
        let path = leptos::prelude::window()
            .location()
            .pathname()
            .unwrap_or_default();
        if routes::RouteKind::of(&path).is_newsroom_page() {
            _ = any_spawner::Executor::init_wasm_bindgen();
            leptos::task::spawn_local(hydrate_newsroom());
            return;
        }
    }
    leptos::mount::hydrate_islands();
}

#[cfg(all(feature = "hydrate", feature = "newsroom"))]
#[cfg_attr(not(feature = "newsroom-bundle"), leptos::prelude::lazy)]
async fn hydrate_newsroom() {
    // The newsroom's routes are split-out WASM chunks that hydration loads first: this returns
    // once the route's view is hydrated (its code is in).
    let app = leptos::mount::hydrate_from_async(
        leptos::prelude::document().body().expect("a <body>"),
        app::NewsroomApp,
    )
    .await;
    app.forget();
    // The pages' Suspense boundaries hydrate their content in tasks of their own, once they have
    // read their data (already in the page). Those run before the next macrotask: only then is
    // every button live, so only then does the page say so (tests wait for it).
    leptos::prelude::set_timeout(browser::mark_hydrated, std::time::Duration::ZERO);
}
