use super::archive::{Archive, ArchiveView};
use crate::api::get_category_page;
use crate::components::error_view::ErrorView;
use crate::components::site::use_site;
use crate::model::CategoryPage as CategoryData;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A section's articles, newest first, in numbered pages: /category/tech, /category/tech/page/2.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (p.get("slug").unwrap_or_default(), p.get("page"))
        },
        |(slug, page)| get_category_page(slug, page),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, data.await) {
                    (Ok(site), Ok(data)) => {
                        let CategoryData { category, list, sidebar } = data;
                        let archive = Archive {
                            description: format!(
                                "The latest {} news and analysis.",
                                category.name.to_lowercase()
                            ),
                            list_label: format!("Articles in {}", category.name),
                            heading: category.name.clone(),
                            crumb: category.name.clone(),
                            href: category.href(),
                            json_ld: Vec::new(),
                            empty: "Nothing has been published in this section yet.",
                        };
                        Either::Left(view! { <ArchiveView archive list sidebar site/> })
                    }
                    (Err(error), _) | (_, Err(error)) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Transition>
    }
}
