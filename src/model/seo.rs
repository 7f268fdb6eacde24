//! Structured data (schema.org JSON-LD) as typed structs: serialised by serde, never pieced
//! together from strings.

use serde::Serialize;

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

pub const CONTEXT: &str = "https://schema.org";

#[derive(Debug, Clone, Serialize)]
pub struct ImageObject {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub url: String,
    pub width: u32,
    pub height: u32,
}

impl ImageObject {
    pub fn new(url: String, width: u32, height: u32) -> Self {
        ImageObject {
            kind: "ImageObject",
            url,
            width,
            height,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'static str>,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    /// Their page on this site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Their profiles elsewhere.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<String>,
}

impl Person {
    /// Named, with their page here (`url`) when they have one.
    pub fn named(name: String, url: Option<String>) -> Self {
        Person {
            context: None,
            kind: "Person",
            name,
            url,
            job_title: None,
            description: None,
            image: None,
            same_as: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    pub logo: ImageObject,
}

#[derive(Debug, Clone, Serialize)]
pub struct WebPageRef {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "@id")]
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewsArticle {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub headline: String,
    pub description: String,
    pub image: Vec<ImageObject>,
    pub date_published: String,
    pub date_modified: String,
    pub author: Vec<Person>,
    pub publisher: Organization,
    pub article_section: String,
    /// The article's tags, comma-separated (left out when it has none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub keywords: String,
    pub main_entity_of_page: WebPageRef,
    pub url: String,
    /// Live coverage (`kind` "LiveBlogPosting"): when it started and ended, and its updates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage_start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage_end_time: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub live_blog_update: Vec<BlogPosting>,
}

/// One update of live coverage in its `liveBlogUpdate`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlogPosting {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub headline: String,
    pub article_body: String,
    pub date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_modified: Option<String>,
    pub url: String,
}

impl BlogPosting {
    /// An update as search engines read it: its key event title, or its first words, as the
    /// headline; its text without markup.
    pub fn of(update: &super::live::LiveUpdate, page_url: &str) -> Self {
        let body = plain_text(&update.html);
        let headline = update_headline(&update.key_title, &body, 110);
        BlogPosting {
            kind: "BlogPosting",
            headline,
            article_body: body,
            date_published: update.posted.iso.clone(),
            date_modified: update.edited.as_ref().map(|e| e.iso.clone()),
            url: format!("{page_url}#{}", update.anchor()),
        }
    }
}

/// A live update's headline (feeds, JSON-LD): its key event title, or its first `max`
/// characters.
pub fn update_headline(key_title: &str, text: &str, max: usize) -> String {
    if !key_title.is_empty() {
        return key_title.to_string();
    }
    let mut h: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        h.push('…');
    }
    h
}

/// The text of sanitised HTML: tags dropped, entities decoded, white space collapsed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = html_escape::decode_html_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub position: u32,
    pub name: String,
    pub item: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreadcrumbList {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub item_list_element: Vec<ListItem>,
}

impl BreadcrumbList {
    /// Home first, then `(name, absolute url)` for each level.
    pub fn new(base: &str, levels: &[(String, String)]) -> Self {
        let mut items = vec![ListItem {
            kind: "ListItem",
            position: 1,
            name: "Home".into(),
            item: format!("{base}/"),
        }];
        for (i, (name, url)) in levels.iter().enumerate() {
            items.push(ListItem {
                kind: "ListItem",
                position: i as u32 + 2,
                name: name.clone(),
                item: url.clone(),
            });
        }
        BreadcrumbList {
            context: CONTEXT,
            kind: "BreadcrumbList",
            item_list_element: items,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryPoint {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub url_template: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchAction {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub target: EntryPoint,
    #[serde(rename = "query-input")]
    pub query_input: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSite {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    pub potential_action: SearchAction,
}

impl WebSite {
    pub fn new(name: &str, base: &str) -> Self {
        WebSite {
            context: CONTEXT,
            kind: "WebSite",
            name: name.into(),
            url: format!("{base}/"),
            potential_action: SearchAction {
                kind: "SearchAction",
                target: EntryPoint {
                    kind: "EntryPoint",
                    url_template: format!("{base}/search?q={{search_term_string}}"),
                },
                query_input: "required name=search_term_string",
            },
        }
    }
}

pub fn publisher(name: &str, base: &str) -> Organization {
    Organization {
        kind: "Organization",
        name: name.into(),
        url: format!("{base}/"),
        logo: ImageObject::new(format!("{base}/logo.png"), 512, 512),
    }
}

/// JSON for a `<script type="application/ld+json">`: `<` is escaped so no value can close
/// the script element early.
pub fn to_script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let name = SiteName::new("The Gazette");
        assert_eq!(name.title(""), "The Gazette");
        assert_eq!(name.title("Tech"), "Tech – The Gazette");
        assert_eq!(SiteName::default().title("Tech"), "Tech");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let crumbs = BreadcrumbList::new(
            "https://x.example",
            &[(
                "</script><script>alert(1)".into(),
                "https://x.example/a".into(),
            )],
        );
        let json = to_script_json(&crumbs);
        assert!(!json.contains("</script"));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back["itemListElement"][1]["name"],
            "</script><script>alert(1)"
        );
        assert_eq!(back["@type"], "BreadcrumbList");
    }

    #[test]
    fn website_has_a_search_action() {
        let v: serde_json::Value =
            serde_json::from_str(&to_script_json(&WebSite::new("Paper", "https://p.example")))
                .unwrap();
        assert_eq!(
            v["potentialAction"]["target"]["urlTemplate"],
            "https://p.example/search?q={search_term_string}"
        );
        assert_eq!(
            v["potentialAction"]["query-input"],
            "required name=search_term_string"
        );
    }
}
