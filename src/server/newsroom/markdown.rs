//! Article bodies: Markdown in, sanitised HTML and plain text out. Runs when an article is
//! saved, never per request, and the preview of the editor uses the same function.
//!
//! Conventions on top of CommonMark:
//! - a paragraph holding only an image becomes a `<figure>`; the image title is the caption,
//!   and a part after " | " is the credit line: `![alt](/media/x.svg "Caption | © Source")`;
//! - `#` headings are demoted to `<h2>`: the page's title is the only `<h1>`;
//! - raw HTML is shown as text, never interpreted;
//! - images come from the portal's own media only (an image elsewhere would tell another site
//!   about every reader: a tracking pixel), unless the host is one an operator allowed
//!   (`PORTAL_IMAGE_HOSTS`); any other image becomes a plain link with its alt text.

use html_escape::{encode_double_quoted_attribute, encode_text};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Words a reader gets through in a minute, for "N min read".
const WORDS_PER_MINUTE: usize = 230;

/// Deepest nesting of quotes, lists and emphasis a body may have. No article needs more than a
/// handful; a body nested tens of thousands deep costs the sanitiser's HTML parser time that
/// grows with the square of the depth (seconds to minutes of a core).
pub const MAX_NESTING: usize = 100;
/// Longest a render may take before the editor is told so (the work itself is bounded by
/// `MAX_NESTING` and the body's length; this is the backstop).
const RENDER_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);
/// Longest a render waits for a free slot before the editor is told to retry.
const RENDER_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Plain text for the search index and the word count.
    pub text: String,
    pub reading_minutes: u32,
}

pub use crate::server::weburl::ImageHosts;

/// The body with images from the portal's own media only.
pub fn render(markdown: &str) -> Rendered {
    render_with(markdown, &ImageHosts::default())
}

fn parse(markdown: &str) -> Vec<Event<'_>> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_SMART_PUNCTUATION);
    Parser::new_ext(markdown, options).collect()
}

/// How deeply the parsed body nests (quotes in lists in emphasis...).
fn depth_of(events: &[Event]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for event in events {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// What an editor is told about a body nested too deeply.
pub fn too_deep_message() -> String {
    format!(
        "The text nests quotes, lists or emphasis more than {MAX_NESTING} levels deep. \
         Flatten it (fewer > or list levels) and try again."
    )
}

/// Renders a body from the newsroom where it cannot hold up readers: on a blocking thread,
/// as many at once as the machine has cores (the rest wait for a turn), within a time limit.
/// A body nested deeper than `MAX_NESTING` is refused with a message.
pub async fn render_checked(
    markdown: String,
    hosts: ImageHosts,
) -> Result<Rendered, crate::error::AppError> {
    use crate::error::AppError;
    use crate::server::slots::Slots;
    static RENDERING: Slots = Slots::per_core();
    let busy = || {
        AppError::TooManyRequests(
            "The newsroom is busy rendering other texts. Try again in a few seconds.".into(),
        )
    };
    let job = RENDERING
        .spawn(Some(RENDER_QUEUE_WAIT), move || {
            let events = parse(&markdown);
            if depth_of(&events) > MAX_NESTING {
                return None;
            }
            Some(render_events(&markdown, events, &hosts))
        })
        .await
        .map_err(|_| busy())?;
    match tokio::time::timeout(RENDER_LIMIT, job).await {
        Ok(Ok(Some(rendered))) => Ok(rendered),
        Ok(Ok(None)) => Err(AppError::BadRequest(too_deep_message())),
        Ok(Err(e)) => Err(AppError::internal("rendering a body", e)),
        Err(_) => Err(AppError::BadRequest(
            "The text took too long to render. Simplify its structure and try again.".into(),
        )),
    }
}

/// Renders at once, in this thread. A body nested deeper than `MAX_NESTING` (from an import,
/// say) is kept as plain text paragraphs.
pub fn render_with(markdown: &str, hosts: &ImageHosts) -> Rendered {
    let events = parse(markdown);
    if depth_of(&events) > MAX_NESTING {
        return as_plain_text(markdown);
    }
    render_events(markdown, events, hosts)
}

/// A body shown as the text it is, paragraph by paragraph, nothing interpreted.
fn as_plain_text(markdown: &str) -> Rendered {
    let paragraphs: Vec<&str> = markdown
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let html = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", encode_text(p)))
        .collect();
    let text = paragraphs.join("\n");
    let words = text.split_whitespace().count();
    Rendered {
        html,
        text,
        reading_minutes: words.div_ceil(WORDS_PER_MINUTE).max(1) as u32,
    }
}

fn render_events(markdown: &str, events: Vec<Event>, hosts: &ImageHosts) -> Rendered {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut text = String::with_capacity(markdown.len());
    let mut foreign_image = false;
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::Paragraph)) {
            if let Some((figure, used)) = figure_at(&events[i + 1..], hosts) {
                text.push_str(&figure.plain);
                text.push('\n');
                out.push(Event::Html(CowStr::from(figure.html)));
                i += used + 1;
                continue;
            }
        }
        let event = match events[i].clone() {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: demote(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
            // An image from elsewhere is a link to it, never loaded by the reader's browser.
            // (Without the image's title: a caption is no link title.)
            Event::Start(Tag::Image { dest_url, id, .. }) if !hosts.allows(&dest_url) => {
                foreign_image = true;
                Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title: CowStr::from(""),
                    id,
                })
            }
            Event::End(TagEnd::Image) if foreign_image => {
                foreign_image = false;
                Event::End(TagEnd::Link)
            }
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        };
        match &event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push('\n'),
            _ => {}
        }
        out.push(event);
        i += 1;
    }

    let mut raw_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw_html, out.into_iter());
    let words = text.split_whitespace().count();
    Rendered {
        html: sanitize(&raw_html, hosts),
        text: text.trim().to_string(),
        reading_minutes: words.div_ceil(WORDS_PER_MINUTE).max(1) as u32,
    }
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

struct Figure {
    html: String,
    plain: String,
}

/// `events` starts just after a paragraph's start. If the paragraph is one image and
/// nothing else, returns the figure and how many events it used (through the paragraph end).
fn figure_at(events: &[Event], hosts: &ImageHosts) -> Option<(Figure, usize)> {
    let Some(Event::Start(Tag::Image {
        dest_url, title, ..
    })) = events.first()
    else {
        return None;
    };
    if !hosts.allows(dest_url) {
        return None;
    }
    let mut alt = String::new();
    let mut j = 1;
    loop {
        match events.get(j)? {
            Event::End(TagEnd::Image) => break,
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
        j += 1;
    }
    if !matches!(events.get(j + 1), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let (caption, credit) = match title.split_once(" | ") {
        Some((c, r)) => (c.trim(), r.trim()),
        None => (title.trim(), ""),
    };
    let size = known_size(dest_url)
        .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
        .unwrap_or_default();
    let mut html = format!(
        "<figure><img src=\"{}\" alt=\"{}\"{size} loading=\"lazy\" decoding=\"async\">",
        encode_double_quoted_attribute(dest_url),
        encode_double_quoted_attribute(&alt)
    );
    if !caption.is_empty() || !credit.is_empty() {
        html.push_str("<figcaption>");
        html.push_str(&encode_text(caption));
        if !credit.is_empty() {
            html.push_str(" <span class=\"credit\">");
            html.push_str(&encode_text(credit));
            html.push_str("</span>");
        }
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>");
    // The credit line is not searchable text: "Meridian Photo Desk" is in every article.
    let plain = caption.to_string();
    Some((Figure { html, plain }, j + 2))
}

/// Width and height of the images this site stores itself, so figures reserve their space
/// before they load: uploads are named `…-<width>x<height>.webp`, demo illustrations are all
/// the same size. Images from elsewhere keep the CSS's fixed aspect ratio.
fn known_size(url: &str) -> Option<(u32, u32)> {
    let path = url.strip_prefix("/media/")?;
    if path.starts_with("demo/") && path.ends_with(".svg") {
        return Some(crate::server::media::DEMO_ART_SIZE);
    }
    let stem = path.strip_suffix(".webp")?;
    let (w, h) = stem.rsplit_once('-')?.1.split_once('x')?;
    match (w.parse::<u32>(), h.parse::<u32>()) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 && w <= 10_000 && h <= 10_000 => Some((w, h)),
        _ => None,
    }
}

/// The last gate before readers: whatever the renderer produced, only harmless markup leaves.
pub fn sanitize(html: &str, hosts: &ImageHosts) -> String {
    let hosts = hosts.clone();
    ammonia::Builder::default()
        // The last gate: whatever produced the HTML, no image from elsewhere survives it.
        .attribute_filter(move |element, attribute, value| {
            if element == "img" && attribute == "src" && !hosts.allows(value) {
                None
            } else {
                Some(value.into())
            }
        })
        .add_tags(["figure", "figcaption"])
        .add_tag_attributes("img", ["loading", "decoding", "width", "height"])
        .add_allowed_classes("span", ["credit"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_headings_and_text() {
        let r = render("# Big\n\nFirst *para*.\n\n## Sub\n\nSecond.");
        assert!(r.html.contains("<h2>Big</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2>Sub</h2>"));
        assert!(r.html.contains("<em>para</em>"));
        assert!(!r.html.contains("<h1>"));
        assert_eq!(r.text, "Big\nFirst para.\nSub\nSecond.");
    }

    #[test]
    fn lone_image_becomes_a_figure_with_credit() {
        let r = render("Intro.\n\n![A quay at dawn](/media/q.svg \"Boats at rest | © Meridian Photo Desk\")\n\nAfter.");
        assert!(
            r.html
                .contains("<figure><img src=\"/media/q.svg\" alt=\"A quay at dawn\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<figcaption>Boats at rest <span class=\"credit\">© Meridian Photo Desk</span></figcaption>"), "{}", r.html);
        assert!(r.text.contains("Boats at rest"));
    }

    #[test]
    fn figures_of_our_own_images_reserve_their_size() {
        let upload = render("![Quay](/media/2026/11/00ab-800x533.webp \"Quay\")");
        assert!(
            upload.html.contains("width=\"800\" height=\"533\""),
            "{}",
            upload.html
        );
        let demo = render("![Quay](/media/demo/politics-3.svg)");
        assert!(
            demo.html.contains("width=\"1200\" height=\"675\""),
            "{}",
            demo.html
        );
        // An allowed host's image is shown, but its size is not ours to know.
        let elsewhere = ImageHosts(vec!["elsewhere.example".into()]);
        for other in [
            "![x](https://elsewhere.example/a-800x533.webp)",
            "![x](/media/2026/11/00ab-800.webp)",
            "![x](/media/2026/11/00ab-0x533.webp)",
            "![x](/media/2026/11/00ab-ax533.webp)",
        ] {
            let r = render_with(other, &elsewhere);
            assert!(r.html.contains("<figure>"), "{}", r.html);
            assert!(!r.html.contains("width="), "{other}: {}", r.html);
        }
    }

    #[test]
    fn inline_image_stays_inline() {
        let r = render("Look ![x](/a.png) here.");
        assert!(!r.html.contains("<figure>"));
        assert!(r.html.contains("<img src=\"/a.png\""));
    }

    #[test]
    fn scripts_and_raw_html_never_survive() {
        let r = render("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(2)> [x](javascript:alert(3))\n\n![y](javascript:alert(4) \"c\\\" onload=\\\"x\")");
        // Text may mention anything (escaped); no *tag* may carry script.
        let tags: Vec<&str> = r
            .html
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or(""))
            .collect();
        for tag in &tags {
            for bad in ["script", "onerror", "javascript:", "onload"] {
                assert!(!tag.contains(bad), "{bad} in <{tag}> of {}", r.html);
            }
        }
        assert!(
            r.html.contains("&lt;script&gt;"),
            "raw html is shown as text: {}",
            r.html
        );
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(render("one two").reading_minutes, 1);
        let words = "word ".repeat(231);
        assert_eq!(render(&words).reading_minutes, 2);
        assert_eq!(render("").reading_minutes, 1);
    }

    #[test]
    fn sanitize_keeps_safe_links() {
        let html = sanitize(
            "<a href=\"https://example.org\" onclick=\"x()\">a</a>",
            &ImageHosts::default(),
        );
        assert_eq!(
            html,
            "<a href=\"https://example.org\" rel=\"noopener noreferrer\">a</a>"
        );
    }

    #[test]
    fn images_from_elsewhere_become_links_unless_their_host_is_allowed() {
        let body = "![Pixel](https://tracker.example/p.gif)\n\nText ![inline](http://tracker.example/i.png) here.\n\n![Ours](/media/a.webp)";
        let r = render(body);
        assert!(!r.html.contains("<img src=\"https://tracker"), "{}", r.html);
        assert!(!r.html.contains("<img src=\"http://tracker"), "{}", r.html);
        assert!(
            r.html.contains(
                "<a href=\"https://tracker.example/p.gif\" rel=\"noopener noreferrer\">Pixel</a>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<img src=\"/media/a.webp\""), "{}", r.html);
        let allowed = ImageHosts(vec!["Photos.Example.org".into()]);
        let r = render_with(
            "![Wire photo](https://photos.example.org/x.jpg \"Caption\")",
            &allowed,
        );
        assert!(
            r.html
                .contains("<figure><img src=\"https://photos.example.org/x.jpg\""),
            "{}",
            r.html
        );
        // Look-alikes of an allowed host are not it.
        for url in [
            "https://photos.example.org.evil.example/x.jpg",
            "https://photos.example.org@evil.example/x.jpg",
            "//evil.example/x.jpg",
            "/\t/evil.example/x.jpg",
            "/\\evil.example/x.jpg",
            " //evil.example/x.jpg",
            "javascript:alert(1)",
        ] {
            assert!(!allowed.allows(url), "{url}");
        }
        assert!(allowed.allows("https://photos.example.org:8443/x.jpg"));
        // The sanitiser drops a foreign src whatever produced it.
        let html = sanitize(
            "<img src=\"https://tracker.example/p.gif\" alt=\"x\">",
            &allowed,
        );
        assert!(!html.contains("tracker"), "{html}");
    }

    #[test]
    fn a_body_nested_past_the_bound_is_kept_as_text() {
        let deep = format!("{}deep & done", ">".repeat(20_000));
        let r = render(&deep);
        assert!(!r.html.contains("<blockquote>"), "{}", &r.html[..200]);
        assert!(
            r.html.ends_with("deep &amp; done</p>"),
            "{}",
            &r.html[r.html.len() - 60..]
        );
        let fair = format!("{}fair", "> ".repeat(20));
        assert_eq!(render(&fair).html.matches("<blockquote>").count(), 20);
    }
}
