//! How a reader page loads its WASM: after the page has loaded, when the browser is idle.
//!
//! Leptos' `HydrationScripts` puts `<link rel=preload>` hints for the JS and the WASM in `<head>`,
//! so even at low priority the bundle's download starts with the HTML and shares a phone's link
//! with the lead image (Lighthouse counted it into the LCP: 2.9 s on its simulated 1.6 Mbit/s).
//! A reader page reads, links and searches without the WASM (plain links and a GET form), so it
//! can wait: no hints, and the import starts from the `load` event plus an idle callback.
//! The newsroom is an app and keeps `HydrationScripts` (it hydrates at once).
//!
//! Reader pages are islands (Leptos' `islands` feature): the page is server-rendered HTML, and
//! only the `#[island]` components (search box, menu, theme toggle, category filter, share)
//! ship code and hydrate. `reader.js` loads them and moves between reader pages by fetching the
//! next page's HTML and swapping the body (scroll kept per history entry, back/forward work).

use leptos::prelude::*;

/// The reader's script tag (the server renders it; it does nothing in the browser build). It
/// also tells the render that this page is islands: no hydration markers outside them.
#[component]
pub fn ReaderScripts(options: LeptosOptions) -> impl IntoView {
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let nonce = leptos::nonce::use_nonce();
    let script = site_files(&options).script.clone();
    view! { <script type="module" nonce=nonce>{script}</script> }
}

/// The site's stylesheet, its content hash in the name (cached for a year). In place of
/// `leptos_meta::HashedStylesheet`, which reads the hash file again for every page.
#[component]
pub fn SiteStylesheet(options: LeptosOptions) -> impl IntoView {
    let href = site_files(&options).stylesheet.clone();
    view! { <link id="leptos" rel="stylesheet" href=href/> }
}

/// Waits for `load` (the lead image is in), then for an idle moment (with a backstop, so a busy
/// page still comes alive), then fetches the WASM and hydrates the islands. Links between reader
/// pages fetch the next page and swap it in, without a page load.
#[cfg(feature = "ssr")]
const READER_SCRIPT: &str = include_str!("reader.js");

/// What every page's head names: the reader's script (with the URLs of the bundle's JS and
/// WASM) and the stylesheet, with the content hashes cargo-leptos put in their names.
#[derive(Default)]
struct SiteFiles {
    script: std::sync::Arc<str>,
    stylesheet: std::sync::Arc<str>,
}

/// A release server reads the hashes once; a development server reads them for every page, as
/// `cargo leptos watch` rebuilds the stylesheet (a new hash) without restarting the server.
#[cfg(feature = "ssr")]
fn site_files(options: &LeptosOptions) -> std::sync::Arc<SiteFiles> {
    use std::sync::{Arc, OnceLock};
    static FILES: OnceLock<Arc<SiteFiles>> = OnceLock::new();
    if cfg!(debug_assertions) {
        return Arc::new(SiteFiles::new(options));
    }
    FILES
        .get_or_init(|| Arc::new(SiteFiles::new(options)))
        .clone()
}

#[cfg(not(feature = "ssr"))]
fn site_files(_: &LeptosOptions) -> std::sync::Arc<SiteFiles> {
    Default::default()
}

#[cfg(feature = "ssr")]
impl SiteFiles {
    fn new(options: &LeptosOptions) -> Self {
        let hashes = if options.hash_files {
            hashes(options)
        } else {
            String::new()
        };
        let hash = |kind: &str| {
            hashes
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim() == kind)
                .map(|(_, hash)| hash.trim().to_string())
        };
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let named = |ext: &str| match hash(ext) {
            Some(hash) => format!("{pkg}.{hash}.{ext}"),
            None => format!("{pkg}.{ext}"),
        };
        let (js, wasm) = (named("js"), named("wasm"));
        SiteFiles {
            script: format!("({READER_SCRIPT})({js:?},{wasm:?});").into(),
            stylesheet: named("css").into(),
        }
    }
}

/// cargo-leptos writes the hashes beside the server binary (`hash.txt`, "js: <hash>").
#[cfg(feature = "ssr")]
fn hashes(options: &LeptosOptions) -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .map(|path| {
            std::fs::read_to_string(&path).unwrap_or_else(|e| {
                // Said once: a development server reads the file again for every page.
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| {
                    tracing::error!(
                        "cannot read {} ({e}): pages will name their script and stylesheet \
                         without hashes; build the site with `cargo leptos build` and keep the \
                         file beside the binary",
                        path.display()
                    )
                });
                String::new()
            })
        })
        .unwrap_or_default()
}

/// Where a release build puts the newsroom's own bundle, below the site's `pkg` directory
/// (`scripts/build.sh`; `routes::RouteKind::Asset`, cached like the rest of `pkg`).
pub const NEWSROOM_BUNDLE_DIR: &str = "newsroom";

/// The newsroom's script tags: Leptos' own (the bundle preloaded, the app hydrated at once),
/// for the newsroom's bundle when the build made one (release builds: the reader's bundle has
/// no newsroom in it), else for the one development bundle.
#[cfg(feature = "ssr")]
#[component]
pub fn NewsroomScripts(options: LeptosOptions) -> impl IntoView {
    view! { <HydrationScripts options=newsroom_options(options)/> }
}

#[cfg(feature = "ssr")]
fn newsroom_options(mut options: LeptosOptions) -> LeptosOptions {
    use std::path::{Path, PathBuf};
    use std::sync::OnceLock;
    static BUNDLE: OnceLock<Option<PathBuf>> = OnceLock::new();
    let dir = BUNDLE.get_or_init(|| {
        let dir = Path::new(&*options.site_root)
            .join(&*options.site_pkg_dir)
            .join(NEWSROOM_BUNDLE_DIR);
        let dir = dir
            .is_dir()
            .then(|| std::path::absolute(&dir).unwrap_or(dir));
        match &dir {
            Some(dir) => tracing::info!("the newsroom loads its own bundle from {}", dir.display()),
            None => {
                tracing::info!("the newsroom loads the site's one bundle (a development build)")
            }
        }
        dir
    });
    if let Some(dir) = dir {
        // Its content hashes are in its own directory (`hash.txt`), not beside the binary.
        options.hash_file = dir.join("hash.txt").to_string_lossy().into();
        options.site_pkg_dir = format!("{}/{NEWSROOM_BUNDLE_DIR}", options.site_pkg_dir).into();
        options.output_name = NEWSROOM_BUNDLE_DIR.into();
    }
    options
}
