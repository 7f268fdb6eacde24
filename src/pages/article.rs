use crate::api::get_article;
use crate::app::CurrentSection;
use crate::components::{
    breadcrumb::Breadcrumb,
    cards::{CardTile, Thumb},
    error_view::ErrorView,
    sidebar::SidebarView,
};
use crate::model::{ArticlePage as ArticleData, ArticleSummary};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_article,
    );
    let CurrentSection(section) = expect_context::<CurrentSection>();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        section.set(Some(data.article.category.slug.clone()));
                        view! { <ArticleView data/> }.into_any()
                    }
                    Err(error) => {
                        section.set(None);
                        view! { <ErrorView error/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Splits the body after its second paragraph, where the "READ ALSO" box goes.
fn split_body(html: &str) -> (&str, &str) {
    let mut end = 0;
    for _ in 0..2 {
        match html[end..].find("</p>") {
            Some(i) => end += i + "</p>".len(),
            None => return (html, ""),
        }
    }
    html.split_at(end)
}

#[component]
fn ArticleView(data: ArticleData) -> impl IntoView {
    let ArticleData {
        article,
        read_also,
        related,
        next,
        previous,
        sidebar,
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
    view! {
        <Title text=article.title.clone()/>
        <Meta name="description" content=article.excerpt.clone()/>
        <Link rel="canonical" href=crate::model::article_href(&article.slug)/>
        <div class="wrap layout">
            <article class="main-column article">
                <Breadcrumb crumbs/>
                <header class="article-head">
                    <h1 class="article-title">{article.title.clone()}</h1>
                    <p class="standfirst">{article.excerpt.clone()}</p>
                    <p class="byline">
                        <span class="author">"By " <strong>{article.author_name.clone()}</strong></span>
                        <time datetime=article.published.iso.clone()>{article.published.text.clone()}</time>
                        <span class="in-category">"in " <a href=cat.href()>{cat.name.clone()}</a></span>
                        <span class="reading-time">{format!("{} min read", article.reading_minutes)}</span>
                    </p>
                </header>
                {figure}
                <div class="article-body" inner_html=body_top></div>
                <ReadAlso articles=read_also/>
                <div class="article-body" inner_html=body_rest></div>
                {notes}
                {updated}
                <PostNav next previous/>
                <section class="related" aria-labelledby="related-title">
                    <h2 class="section-title" id="related-title">"Related Posts"</h2>
                    <div class="grid grid-3">
                        {related.into_iter().map(|a| view! { <CardTile article=a/> }).collect_view()}
                    </div>
                </section>
            </article>
            <SidebarView sidebar/>
        </div>
    }
}

#[component]
fn ReadAlso(articles: Vec<ArticleSummary>) -> impl IntoView {
    if articles.is_empty() {
        return ().into_any();
    }
    view! {
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
    }
    .into_any()
}

#[component]
fn PostNav(next: Option<ArticleSummary>, previous: Option<ArticleSummary>) -> impl IntoView {
    let link = |a: ArticleSummary, label: &'static str, class: &'static str| {
        view! {
            <a class=format!("post-nav-link {class}") href=a.href()>
                <Thumb image=a.image.clone()/>
                <span class="post-nav-text">
                    <span class="post-nav-label">{label}</span>
                    <span class="post-nav-title">{a.title.clone()}</span>
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
    }
}
