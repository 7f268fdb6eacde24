//! What every page shares: the site (name, today's date, sections) and the section the
//! current address belongs to. Pages and components import these from here; nothing here
//! imports a page.

use crate::api::{get_article_section, get_site};
use crate::error::AppError;
use crate::model::SiteInfo;
use crate::routes::{Place, RouteKind};
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

/// The slug of the section the current page belongs to, derived from the address (the
/// navigation marks it with `aria-current`). The server must await it before rendering the
/// marks: a closure that merely reads it may run before the answer is there, and the page
/// then goes out unmarked. The browser reads it in the closures, which follow it.
pub type SectionResource = Resource<Option<String>>;

pub fn current_section() -> SectionResource {
    let location = use_location();
    let key = Memo::new(move |_| RouteKind::place(&location.pathname.get()));
    Resource::new(
        move || key.get(),
        |key| async move {
            match key {
                Place::Nowhere => None,
                Place::Section(slug) => Some(slug),
                Place::Article(slug) => get_article_section(slug).await.ok().flatten(),
            }
        },
    )
}
