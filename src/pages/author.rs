use super::archive::{Archive, ArchiveView};
use crate::api::get_author_page;
use crate::components::error_view::ErrorView;
use crate::components::seo::absolute;
use crate::components::site::use_site;
use crate::model::seo::{to_script_json, Person, CONTEXT};
use crate::model::{AuthorPage as AuthorData, AuthorProfile, SiteInfo};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// An author's page: who they are, then their articles, newest first, in numbered pages
/// (/author/ana-reyes, /author/ana-reyes/page/2).
#[component]
pub fn AuthorPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (p.get("slug").unwrap_or_default(), p.get("page"))
        },
        |(slug, page)| get_author_page(slug, page),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, data.await) {
                    (Ok(site), Ok(data)) => {
                        let AuthorData { author, list, sidebar } = data;
                        let archive = Archive {
                            description: description(&author, &site),
                            list_label: format!("Articles by {}", author.name),
                            heading: author.name.clone(),
                            crumb: author.name.clone(),
                            href: crate::model::author_href(&author.slug),
                            empty: "Nothing by this author has been published yet.",
                            json_ld: vec![to_script_json(&person(&author, &site))],
                        };
                        // The profile on the first page, when it says anything.
                        let first_page = list.page == 1
                            && (author.photo.is_some()
                                || !author.role_title.is_empty()
                                || !author.bio.is_empty()
                                || !author.links.is_empty());
                        Either::Left(view! {
                            <ArchiveView archive list sidebar site>
                                {first_page.then(|| view! { <Profile author=author.clone()/> })}
                            </ArchiveView>
                        })
                    }
                    (Err(error), _) | (_, Err(error)) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Transition>
    }
}

fn description(author: &AuthorProfile, site: &SiteInfo) -> String {
    let first = author
        .bio
        .split_terminator(['.', '\n'])
        .next()
        .unwrap_or("")
        .trim();
    if first.is_empty() {
        format!("Articles by {} for {}.", author.name, site.name)
    } else {
        format!("{first}.")
    }
}

fn person(author: &AuthorProfile, site: &SiteInfo) -> Person {
    let mut p = Person::named(
        author.name.clone(),
        Some(absolute(site, &crate::model::author_href(&author.slug))),
    );
    p.context = Some(CONTEXT);
    p.job_title = (!author.role_title.is_empty()).then(|| author.role_title.clone());
    p.description = (!author.bio.is_empty()).then(|| author.bio.clone());
    p.image = author.photo.as_ref().map(|i| absolute(site, &i.url));
    p.same_as = author.links.clone();
    p
}

/// The profile above the list: photo, role, bio, links.
#[component]
fn Profile(author: AuthorProfile) -> impl IntoView {
    let photo = author.photo.map(|i| {
        view! {
            <img class="author-photo" src=i.url srcset=i.srcset sizes="120px" width=i.width height=i.height alt=i.alt/>
        }
    });
    let role = (!author.role_title.is_empty())
        .then(|| view! { <p class="author-role">{author.role_title}</p> });
    let bio = author
        .bio
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_string()}</p> })
        .collect_view();
    let links = (!author.links.is_empty()).then(|| {
        view! {
            <ul class="author-links" aria-label="Elsewhere">
                {author.links.into_iter().map(|l| {
                    let shown = l.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_string();
                    view! { <li><a href=l rel="me noopener" target="_blank">{shown}</a></li> }
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <section class="author-profile" aria-label="About the author">
            {photo}
            <div class="author-about">
                {role}
                <div class="author-bio">{bio}</div>
                {links}
            </div>
        </section>
    }
}
