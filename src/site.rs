//! What every page shares: the site (name, today's date, sections), the site's name for the
//! `<title>` formatter, and the section the current address belongs to. Pages and components
//! import these from here; nothing here imports a page.

use crate::api::{get_article_section, get_site};
use crate::error::AppError;
use crate::model::SiteInfo;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The site's name, today's date and the sections: loaded once, shared by every page.
pub type SiteResource = OnceResource<Result<SiteInfo, AppError>>;

pub fn provide_site() {
    let site: SiteResource = OnceResource::new(get_site());
    provide_context(site);
}

pub fn use_site() -> SiteResource {
    expect_context::<SiteResource>()
}

/// The site's name where the `<title>` formatter can read it. Not a signal on purpose:
/// leptos_meta may format the title after the page's reactive owner is gone, and reading a
/// disposed signal there panics (and a panicking render never finishes its response).
/// The server provides it filled in from its configuration; the browser fills it in when the
/// site info arrives.
#[derive(Clone, Default)]
pub struct SiteName(std::sync::Arc<std::sync::RwLock<String>>);

impl SiteName {
    pub fn new(name: &str) -> Self {
        let this = Self::default();
        this.set(name);
        this
    }

    pub fn set(&self, name: &str) {
        if let Ok(mut n) = self.0.write() {
            if *n != name {
                *n = name.to_string();
            }
        }
    }

    pub fn get(&self) -> String {
        self.0.read().map(|n| n.clone()).unwrap_or_default()
    }

    /// "Title – Site", or either alone; escaped for the server's `<title>` (leptos_meta writes
    /// it raw there, and a search for "</title><script>" must stay text).
    pub fn title(&self, title: &str) -> String {
        let name = self.get();
        let full = match (title.is_empty(), name.is_empty()) {
            (true, _) => name,
            (false, true) => title.to_string(),
            (false, false) => format!("{title} – {name}"),
        };
        if cfg!(feature = "ssr") {
            html_escape::encode_text(&full).into_owned()
        } else {
            full
        }
    }
}

/// Where the current address sits in the paper: a section page names its section, an
/// article's section is looked up, any other page belongs to none.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Belongs {
    Nowhere,
    Section(String),
    Article(String),
}

fn belongs(path: &str) -> Belongs {
    let segment = |rest: &str| {
        let s = rest.split('/').next().unwrap_or_default().to_string();
        (!s.is_empty()).then_some(s)
    };
    if let Some(slug) = path.strip_prefix("/category/").and_then(segment) {
        Belongs::Section(slug)
    } else if let Some(slug) = path.strip_prefix("/article/").and_then(segment) {
        Belongs::Article(slug)
    } else {
        Belongs::Nowhere
    }
}

/// The slug of the section the current page belongs to, derived from the address (the
/// navigation marks it with `aria-current`). The server must await it before rendering the
/// marks: a closure that merely reads it may run before the answer is there, and the page
/// then goes out unmarked. The browser reads it in the closures, which follow it.
pub type SectionResource = Resource<Option<String>>;

pub fn current_section() -> SectionResource {
    let location = use_location();
    let key = Memo::new(move |_| belongs(&location.pathname.get()));
    Resource::new(
        move || key.get(),
        |key| async move {
            match key {
                Belongs::Nowhere => None,
                Belongs::Section(slug) => Some(slug),
                Belongs::Article(slug) => get_article_section(slug).await.ok().flatten(),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_from_the_address() {
        assert_eq!(belongs("/category/tech"), Belongs::Section("tech".into()));
        assert_eq!(
            belongs("/category/tech/page/3"),
            Belongs::Section("tech".into())
        );
        assert_eq!(belongs("/article/x-y"), Belongs::Article("x-y".into()));
        for nowhere in ["/", "/search", "/category/", "/article/", "/admin"] {
            assert_eq!(belongs(nowhere), Belongs::Nowhere, "{nowhere}");
        }
    }

    #[test]
    fn titles() {
        let name = SiteName::new("The Gazette");
        assert_eq!(name.title(""), "The Gazette");
        assert_eq!(name.title("Tech"), "Tech – The Gazette");
        assert_eq!(SiteName::default().title("Tech"), "Tech");
    }
}
