use super::archive::{Archive, ArchiveView};
use crate::api::get_tag_page;
use crate::components::error_view::ErrorView;
use crate::components::site::use_site;
use crate::model::TagPage as TagData;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A tag's articles, newest first, in numbered pages: /tag/harbour, /tag/harbour/page/2.
#[component]
pub fn TagPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (p.get("slug").unwrap_or_default(), p.get("page"))
        },
        |(slug, page)| get_tag_page(slug, page),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, data.await) {
                    (Ok(site), Ok(data)) => {
                        let TagData { tag, list, sidebar } = data;
                        let archive = Archive {
                            description: format!(
                                "Articles tagged “{}” on {}.",
                                tag.name, site.name
                            ),
                            list_label: format!("Articles tagged {}", tag.name),
                            heading: format!("Tag: {}", tag.name),
                            crumb: tag.name.clone(),
                            href: tag.href(),
                            json_ld: Vec::new(),
                            empty: "Nothing with this tag has been published yet.",
                        };
                        Either::Left(view! { <ArchiveView archive list sidebar site/> })
                    }
                    (Err(error), _) | (_, Err(error)) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Transition>
    }
}
