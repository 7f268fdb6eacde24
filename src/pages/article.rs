use crate::api::{get_article, get_older_updates};
use crate::components::live::LiveBlog;
use crate::components::seo::{absolute, ArticleTimes, PageMeta};
use crate::components::site::use_site;
use crate::components::{
    breadcrumb::Breadcrumb,
    cards::{CardTile, Thumb},
    error_view::ErrorView,
    sidebar::SidebarView,
};
use crate::model::live::LiveCoverage;
use crate::model::seo::{
    publisher, to_script_json, BlogPosting, BreadcrumbList, ImageObject, NewsArticle, Person,
    WebPageRef, CONTEXT,
};
use crate::model::SiteInfo;
use crate::model::{ArticlePage as ArticleData, ArticleSummary};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_article,
    );
    // Live coverage's older updates without JavaScript: `?before=<update>` pages back.
    let older = Resource::new(
        move || {
            let before = query
                .read()
                .get("before")
                .and_then(|b| b.parse::<i64>().ok());
            before.map(|b| (params.read().get("slug").unwrap_or_default(), b))
        },
        |key| async move {
            match key {
                Some((slug, before)) => get_older_updates(slug, before).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let site = use_site().await;
                match (site, data.await, older.await) {
                    (Ok(site), Ok(mut data), Ok(older)) => {
                        if let (Some(live), Some(older)) = (data.live.as_mut(), older) {
                            live.pinned = None;
                            live.updates = older.updates;
                            live.older = older.older;
                            live.paged = true;
                        }
                        Either::Left(view! { <ArticleView data site/> })
                    }
                    (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
                        Either::Right(view! { <ErrorView error/> })
                    }
                }
            })}
        </Transition>
    }
}

/// Splits the body after its second paragraph, where the "READ ALSO" box goes: a paragraph of
/// the body itself, never one inside a quote, a list or a table (the two halves are separate
/// elements, so a split inside one would leave both halves broken).
fn split_body(html: &str) -> (&str, &str) {
    const CONTAINERS: &[&str] = &[
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "figure",
        "div",
        "details",
        "aside",
        "section",
    ];
    let mut depth = 0usize;
    let mut paragraphs = 0;
    let mut at = 0;
    while let Some(i) = html[at..].find('<') {
        let start = at + i;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let end = start + len + 1;
        let tag = &html[start + 1..end - 1];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if CONTAINERS.contains(&name.as_str()) {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
            }
        } else if closing && name == "p" && depth == 0 {
            paragraphs += 1;
            if paragraphs == 2 {
                return html.split_at(end);
            }
        }
        at = end;
    }
    (html, "")
}

/// "By A and B", each name a link to the author's page (plain text for an article from
/// before profiles).
fn byline(article: &crate::model::Article) -> impl IntoView {
    if article.authors.is_empty() {
        return view! { <strong>{article.author_name.clone()}</strong> }.into_any();
    }
    let n = article.authors.len();
    article
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let joint = match n - i {
                1 => "",
                2 => " and ",
                _ => ", ",
            };
            view! { <a class="author-link" href=a.href() rel="author">{a.name.clone()}</a>{joint} }
        })
        .collect_view()
        .into_any()
}

/// NewsArticle (LiveBlogPosting with its updates, for live coverage) and BreadcrumbList for
/// search engines.
fn structured_data(
    site: &SiteInfo,
    a: &crate::model::Article,
    live: Option<&LiveCoverage>,
) -> Vec<String> {
    let url = absolute(site, &crate::model::article_href(&a.slug));
    let article = NewsArticle {
        context: CONTEXT,
        kind: if live.is_some() {
            "LiveBlogPosting"
        } else {
            "NewsArticle"
        },
        coverage_start_time: live.and_then(|l| l.started.as_ref().map(|s| s.iso.clone())),
        coverage_end_time: live.and_then(|l| l.ended.as_ref().map(|e| e.iso.clone())),
        live_blog_update: live
            .map(|l| {
                l.pinned
                    .iter()
                    .chain(&l.updates)
                    .map(|u| BlogPosting::of(u, &url))
                    .collect()
            })
            .unwrap_or_default(),
        headline: a.title.clone(),
        description: a.excerpt.clone(),
        image: a
            .image
            .iter()
            .map(|i| ImageObject::new(absolute(site, &i.url), i.width, i.height))
            .collect(),
        date_published: a.published.iso.clone(),
        date_modified: a.updated.as_ref().unwrap_or(&a.published).iso.clone(),
        author: if a.authors.is_empty() {
            vec![Person::named(a.author_name.clone(), None)]
        } else {
            a.authors
                .iter()
                .map(|p| Person::named(p.name.clone(), Some(absolute(site, &p.href()))))
                .collect()
        },
        publisher: publisher(&site.name, &site.public_url),
        article_section: a.category.name.clone(),
        keywords: a
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        main_entity_of_page: WebPageRef {
            kind: "WebPage",
            id: url.clone(),
        },
        url: url.clone(),
    };
    let crumbs = BreadcrumbList::new(
        &site.public_url,
        &[
            (a.category.name.clone(), absolute(site, &a.category.href())),
            (a.title.clone(), url),
        ],
    );
    vec![to_script_json(&article), to_script_json(&crumbs)]
}

#[component]
fn ArticleView(data: ArticleData, site: SiteInfo) -> impl IntoView {
    let ArticleData {
        article,
        read_also,
        related,
        next,
        previous,
        sidebar,
        live,
    } = data;
    let (body_top, body_rest) = split_body(&article.body_html);
    let (body_top, body_rest) = (body_top.to_string(), body_rest.to_string());
    let cat = article.category.clone();
    let crumbs = vec![(cat.name.clone(), Some(cat.href()))];
    let figure = article.image.clone().map(|img| {
        let caption = (!article.image_caption.is_empty() || !article.image_credit.is_empty()).then(|| {
            let credit = (!article.image_credit.is_empty())
                .then(|| view! { <span class="credit">{format!("© {}", article.image_credit)}</span> });
            view! { <figcaption>{article.image_caption.clone()} " " {credit}</figcaption> }
        });
        view! {
            <figure class="lead-figure">
                <Thumb image=Some(img) eager=true class="lead-image" sizes="(max-width: 860px) 100vw, 800px"/>
                {caption}
            </figure>
        }
    });
    let updated = article.updated.clone().map(|u| {
        view! { <p class="updated-note">"Updated " <time datetime=u.iso>{u.text}</time></p> }
    });
    let notes = (!article.notes.is_empty()).then(|| {
        view! {
            <section class="article-notes" aria-label="Corrections and updates">
                {article
                    .notes
                    .iter()
                    .map(|n| view! { <p class="article-note"><strong>{format!("Update, {}: ", n.date)}</strong>{n.text.clone()}</p> })
                    .collect_view()}
            </section>
        }
    });
    let tags = (!article.tags.is_empty()).then(|| {
        view! {
            <nav class="article-tags" aria-label="Tags">
                <span class="tags-label">"Tags"</span>
                <ul>
                    {article
                        .tags
                        .iter()
                        .map(|t| view! { <li><a href=t.href() rel="tag">{t.name.clone()}</a></li> })
                        .collect_view()}
                </ul>
            </nav>
        }
    });
    let live_feed = live.as_ref().map(|_| {
        let href = format!("{}/feed.xml", crate::model::article_href(&article.slug));
        view! { <leptos_meta::Link rel="alternate" type_="application/rss+xml" title="Live updates" href=href/> }
    });
    view! {
        {live_feed}
        <PageMeta
            site=site.clone()
            title=article.title.clone()
            description=article.excerpt.clone()
            path=crate::model::article_href(&article.slug)
            image=article.image.clone().unwrap_or_else(|| crate::model::Image {
                url: "/logo.png".into(),
                alt: site.name.clone(),
                width: 512,
                height: 512,
                srcset: String::new(),
            })
            article=ArticleTimes {
                published: article.published.iso.clone(),
                modified: article.updated.as_ref().unwrap_or(&article.published).iso.clone(),
                section: article.category.name.clone(),
            }
            json_ld=structured_data(&site, &article, live.as_ref())
        />
        <div class="wrap layout">
            <article class="main-column article" data-article-id=article.id>
                <Breadcrumb crumbs/>
                <header class="article-head" data-url=absolute(&site, &crate::model::article_href(&article.slug))>
                    <h1 class="article-title">{article.title.clone()}</h1>
                    <p class="standfirst">{article.excerpt.clone()}</p>
                    <p class="byline">
                        <span class="author">"By " {byline(&article)}</span>
                        <time datetime=article.published.iso.clone()>{article.published.text.clone()}</time>
                        <span class="in-category">"in " <a href=cat.href()>{cat.name.clone()}</a></span>
                        <span class="reading-time">{format!("{} min read", article.reading_minutes)}</span>
                    </p>
                </header>
                {figure}
                <div class="article-body" inner_html=body_top></div>
                <ReadAlso articles=read_also/>
                <div class="article-body" inner_html=body_rest></div>
                {live.map(|coverage| view! { <LiveBlog coverage slug=article.slug.clone()/> })}
                {notes}
                {updated}
                {tags}
                <ShareLinks url=absolute(&site, &crate::model::article_href(&article.slug)) title=article.title.clone()/>
                <PostNav next previous/>
                // (A section with no other article yet has nothing to relate: no empty heading.)
                {(!related.is_empty()).then(|| view! {
                    <section class="related" aria-labelledby="related-title">
                        <h2 class="section-title" id="related-title">"Related Posts"</h2>
                        <div class="grid grid-3">
                            {related.into_iter().map(|a| view! { <CardTile article=a/> }).collect_view()}
                        </div>
                    </section>
                })}
            </article>
            <SidebarView sidebar/>
        </div>
    }
}

/// Plain links to share the article (no third-party scripts), and a copy button (an island).
#[island]
fn ShareLinks(url: String, title: String) -> impl IntoView {
    use crate::model::encode_uri_component as enc;
    let (u, t) = (enc(&url), enc(&title));
    let copied = RwSignal::new(false);
    // Never read on the server: this renders inside the page's Suspense, whose first run can be
    // disposed while it is still being written (reading a disposed signal panics the render).
    let is_copied = move || !cfg!(feature = "ssr") && copied.get();
    let url = StoredValue::new(url);
    let links = [
        ("E-mail", format!("mailto:?subject={t}&body={u}")),
        (
            "X",
            format!("https://twitter.com/intent/tweet?url={u}&text={t}"),
        ),
        (
            "Facebook",
            format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        ),
        (
            "LinkedIn",
            format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        ),
        ("WhatsApp", format!("https://wa.me/?text={t}%20{u}")),
    ];
    view! {
        <div class="share" role="group" aria-label="Share this article">
            <span class="share-label" aria-hidden="true">"Share"</span>
            <button type="button" on:click=move |_| {
                url.with_value(|url| crate::browser::copy_to_clipboard(url));
                copied.set(true);
            }>
                {move || if is_copied() { "Link copied" } else { "Copy link" }}
            </button>
            {links
                .into_iter()
                .map(|(name, href)| {
                    let external = href.starts_with("https://");
                    view! {
                        <a
                            href=href
                            target=external.then_some("_blank")
                            rel=external.then_some("noopener noreferrer")
                            aria-label=format!("Share by {name}")
                        >
                            {name}
                        </a>
                    }
                })
                .collect_view()}
            <span class="visually-hidden" role="status">{move || is_copied().then_some("Link copied to the clipboard")}</span>
        </div>
    }
}

#[component]
fn ReadAlso(articles: Vec<ArticleSummary>) -> impl IntoView {
    if articles.is_empty() {
        return None;
    }
    Some(view! {
        <aside class="read-also" aria-labelledby="read-also-title">
            <h2 id="read-also-title">"READ ALSO"</h2>
            <ul>
                {articles
                    .into_iter()
                    .map(|a| {
                        let href = a.href();
                        view! { <li><a href=href>{a.title}</a></li> }
                    })
                    .collect_view()}
            </ul>
        </aside>
    })
}

#[component]
fn PostNav(next: Option<ArticleSummary>, previous: Option<ArticleSummary>) -> impl IntoView {
    let link = |a: ArticleSummary, label: &'static str, class: &'static str| {
        let href = a.href();
        view! {
            <a class=format!("post-nav-link {class}") href=href>
                <Thumb image=a.image/>
                <span class="post-nav-text">
                    <span class="post-nav-label">{label}</span>
                    <span class="post-nav-title">{a.title}</span>
                </span>
            </a>
        }
    };
    view! {
        <nav class="post-nav" aria-label="More articles">
            {previous.map(|a| link(a, "Previous Post", "prev"))}
            {next.map(|a| link(a, "Next Post", "next"))}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::split_body;

    #[test]
    fn read_also_goes_after_the_second_paragraph() {
        let (a, b) = split_body("<p>1</p><p>2</p><h2>x</h2><p>3</p>");
        assert_eq!(a, "<p>1</p><p>2</p>");
        assert_eq!(b, "<h2>x</h2><p>3</p>");
        assert_eq!(split_body("<p>only</p>"), ("<p>only</p>", ""));
        // Never inside a quote or a list: after the next paragraph of the body itself.
        let (a, b) = split_body(
            "<p>1</p><blockquote><p>q1</p><p>q2</p></blockquote><ul><li><p>i</p></li></ul><p>2</p><p>3</p>",
        );
        assert_eq!(
            a,
            "<p>1</p><blockquote><p>q1</p><p>q2</p></blockquote><ul><li><p>i</p></li></ul><p>2</p>"
        );
        assert_eq!(b, "<p>3</p>");
    }
}
