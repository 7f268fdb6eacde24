//! What crawlers, feed readers and link previews read in `<head>`: title, description,
//! canonical URL, OpenGraph and Twitter tags, and JSON-LD.

use crate::model::{Image, SiteInfo};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Dates and section of an article, for `article:*` tags.
#[derive(Clone, Default)]
pub struct ArticleTimes {
    pub published: String,
    pub modified: String,
    pub section: String,
}

pub fn absolute(site: &SiteInfo, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{}{}", site.public_url, path)
    }
}

#[component]
pub fn PageMeta(
    site: SiteInfo,
    /// The page's own title; empty for the front page (the site name alone).
    #[prop(into)]
    title: String,
    #[prop(into)] description: String,
    /// Path of the canonical address ("/category/tech/page/2").
    #[prop(into)]
    path: String,
    #[prop(optional)] image: Option<Image>,
    #[prop(optional)] article: Option<ArticleTimes>,
    #[prop(optional)] noindex: bool,
    /// Serialised JSON-LD documents (see `model::seo::to_script_json`).
    #[prop(optional)]
    json_ld: Vec<String>,
) -> impl IntoView {
    let url = absolute(&site, &path);
    let og_title = if title.is_empty() {
        site.name.clone()
    } else {
        title.clone()
    };
    let image_tags = image.map(|img| {
        let src = absolute(&site, &img.url);
        view! {
            <Meta property="og:image" content=src.clone()/>
            <Meta property="og:image:width" content=img.width.to_string()/>
            <Meta property="og:image:height" content=img.height.to_string()/>
            <Meta property="og:image:alt" content=img.alt.clone()/>
            <Meta name="twitter:image" content=src/>
        }
    });
    let is_article = article.is_some();
    let article_tags = article.map(|a| {
        view! {
            <Meta property="article:published_time" content=a.published/>
            <Meta property="article:modified_time" content=a.modified/>
            <Meta property="article:section" content=a.section/>
        }
    });
    view! {
        <Title text=title/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        {noindex.then(|| view! { <Meta name="robots" content="noindex, follow"/> })}
        <Meta property="og:type" content=if is_article { "article" } else { "website" }/>
        <Meta property="og:site_name" content=site.name.clone()/>
        <Meta property="og:title" content=og_title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url/>
        <Meta property="og:locale" content="en_US"/>
        {image_tags}
        {article_tags}
        <Meta name="twitter:card" content="summary_large_image"/>
        <Meta name="twitter:title" content=og_title/>
        <Meta name="twitter:description" content=description/>
        {json_ld
            .into_iter()
            .map(|json| view! { <script type="application/ld+json" inner_html=json></script> })
            .collect_view()}
    }
}
