//! A WordPress post body (HTML with Gutenberg block comments, `[caption]` and other
//! shortcodes, or the classic editor's bare paragraphs) to the portal's Markdown.
//!
//! The HTML goes through `htmd` (turndown's rules) with handlers of ours for what WordPress
//! writes: figures with captions, embeds, images inside links. What cannot reach readers —
//! scripts, iframes, forms, plugin shortcodes, dynamic blocks — is left out and named in
//! `dropped`, for the import's report. The Markdown is rendered and sanitised like any other
//! article afterwards: the sanitiser stays the last gate.
//!
//! Images are not resolved here (that needs the media directory and the store): each becomes
//! a placeholder, listed in `images`, that `finish` replaces with the stored image's Markdown.

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown, Node};
use markup5ever_rcdom::NodeData;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};

/// An image of the body, as WordPress had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub src: String,
    pub alt: String,
    pub caption: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// Markdown with a placeholder (`placeholder(i)`) for each of `images`.
    pub markdown: String,
    pub images: Vec<ImageRef>,
    /// What was left out, one line each ("script", "iframe from www.youtube.com"...).
    pub dropped: Vec<String>,
}

const MARK: char = '\u{E000}';

/// Deepest element nesting converted as HTML. The converter walks the tree by recursion, so
/// a body nested deeper (30,000 `<div>`s in a hostile export) would overflow the thread's
/// stack and abort the whole process; such a body is imported as its text instead. Real
/// posts nest a few dozen levels at most.
pub const MAX_HTML_DEPTH: usize = 100;

/// How deeply the tree nests, walked without recursion.
fn depth_of(root: &Rc<Node>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root.clone(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if deepest > MAX_HTML_DEPTH {
            break;
        }
        for child in node.children.borrow().iter() {
            stack.push((child.clone(), depth + 1));
        }
    }
    deepest
}

/// The placeholder of image `i` in `Body::markdown`.
pub fn placeholder(i: usize) -> String {
    format!("{MARK}{i}{MARK}")
}

#[derive(Default)]
struct Found {
    images: Vec<ImageRef>,
    dropped: Vec<String>,
}

type Shared = Arc<Mutex<Found>>;

fn attr(attrs: &[html5ever::Attribute], key: &str) -> Option<String> {
    attrs
        .iter()
        .find(|a| &*a.name.local == key)
        .map(|a| a.value.to_string())
}

fn node_tag(node: &Rc<Node>) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

fn node_attr(node: &Rc<Node>, key: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attr(&attrs.borrow(), key),
        _ => None,
    }
}

/// The first element below `node` (itself included) with tag `tag`.
fn find(node: &Rc<Node>, tag: &str) -> Option<Rc<Node>> {
    if node_tag(node).as_deref() == Some(tag) {
        return Some(node.clone());
    }
    node.children.borrow().iter().find_map(|c| find(c, tag))
}

/// The text below `node`, whitespace collapsed.
fn text_of(node: &Rc<Node>) -> String {
    fn walk(node: &Rc<Node>, out: &mut String) {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } if matches!(&*name.local, "script" | "style") => {}
            _ => {
                for c in node.children.borrow().iter() {
                    walk(c, out);
                }
            }
        }
    }
    let mut out = String::new();
    walk(node, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("an unknown site")
        .to_string()
}

/// Sites whose embedded players readers would want a link to (an iframe from anywhere else —
/// an advert, a tracker — is left out without one).
fn is_video_host(host: &str) -> bool {
    const HOSTS: &[&str] = &[
        "youtube.com",
        "youtu.be",
        "youtube-nocookie.com",
        "vimeo.com",
        "dailymotion.com",
        "soundcloud.com",
        "spotify.com",
        "google.com",
        "openstreetmap.org",
    ];
    let host = host.to_ascii_lowercase();
    HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// A paragraph linking to what an embed showed.
fn embed_link(url: &str, caption: &str) -> String {
    let label = if caption.is_empty() {
        format!("View on {}", host_of(url))
    } else {
        caption.to_string()
    };
    format!(
        "\n\n[{}](<{}>)\n\n",
        escape_label(&label),
        url.replace(['<', '>', ' '], "")
    )
}

fn escape_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

fn add_image(found: &Shared, src: String, alt: String, caption: String) -> String {
    let mut f = found.lock().unwrap_or_else(PoisonError::into_inner);
    f.images.push(ImageRef { src, alt, caption });
    placeholder(f.images.len() - 1)
}

fn drop_note(found: &Shared, what: String) {
    let mut f = found.lock().unwrap_or_else(PoisonError::into_inner);
    if !f.dropped.contains(&what) {
        f.dropped.push(what);
    }
}

fn converter(found: &Shared) -> HtmlToMarkdown {
    let images = found.clone();
    let figures = found.clone();
    let frames = found.clone();
    let active = found.clone();
    let links = found.clone();
    HtmlToMarkdown::builder()
        // A hard break as "\\" at the end of the line: trailing spaces do not survive tidying.
        .options(htmd::options::Options {
            br_style: htmd::options::BrStyle::Backslash,
            ..Default::default()
        })
        .skip_tags(vec!["style", "template", "head", "title", "meta", "link"])
        .add_handler(
            vec![
                "script", "noscript", "object", "embed", "applet", "form", "input", "button",
                "select", "textarea", "canvas", "svg", "math",
            ],
            move |_: &dyn Handlers, e: Element| {
                drop_note(&active, e.tag.to_string());
                None
            },
        )
        .add_handler(
            vec!["iframe", "video", "audio"],
            move |_: &dyn Handlers, e: Element| {
                let src = attr(e.attrs, "src")
                    .or_else(|| find(e.node, "source").and_then(|s| node_attr(&s, "src")))
                    .unwrap_or_default();
                if is_web_url(&src) && (e.tag != "iframe" || is_video_host(&host_of(&src))) {
                    drop_note(
                        &frames,
                        format!("{} from {} (now a link)", e.tag, host_of(&src)),
                    );
                    Some(embed_link(&src, "").into())
                } else if is_web_url(&src) {
                    drop_note(&frames, format!("{} from {}", e.tag, host_of(&src)));
                    None
                } else {
                    drop_note(&frames, e.tag.to_string());
                    None
                }
            },
        )
        .add_handler(vec!["img"], move |_: &dyn Handlers, e: Element| {
            let src = attr(e.attrs, "src")?;
            let alt = attr(e.attrs, "alt").unwrap_or_default();
            Some(add_image(&images, src, alt, String::new()).into())
        })
        .add_handler(vec!["a"], move |h: &dyn Handlers, e: Element| {
            // A linked image (to its attachment page or the full-size file): the image alone.
            let only_image = {
                let children = e.node.children.borrow();
                let elements: Vec<_> = children.iter().filter(|c| node_tag(c).is_some()).collect();
                let texts = children.iter().any(|c| match &c.data {
                    NodeData::Text { contents } => !contents.borrow().trim().is_empty(),
                    _ => false,
                });
                elements.len() == 1 && node_tag(elements[0]).as_deref() == Some("img") && !texts
            };
            if only_image {
                return Some(h.walk_children(e.node));
            }
            let href = attr(e.attrs, "href").unwrap_or_default();
            if href
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:")
            {
                drop_note(&links, "a javascript: link".into());
                return Some(h.walk_children(e.node));
            }
            h.fallback(e)
        })
        .add_handler(vec!["figure"], move |h: &dyn Handlers, e: Element| {
            let class = attr(e.attrs, "class").unwrap_or_default();
            let caption = find(e.node, "figcaption")
                .map(|c| text_of(&c))
                .unwrap_or_default();
            if class.contains("wp-block-embed") {
                let url = find(e.node, "iframe")
                    .and_then(|f| node_attr(&f, "src"))
                    .unwrap_or_else(|| {
                        let text = text_of(e.node);
                        text.split_whitespace()
                            .find(|w| is_web_url(w))
                            .unwrap_or_default()
                            .to_string()
                    });
                if is_web_url(&url) {
                    drop_note(
                        &figures,
                        format!("embed from {} (now a link)", host_of(&url)),
                    );
                    return Some(embed_link(&url, &caption).into());
                }
                return Some(HandlerResult::from(String::new()));
            }
            let img = find(e.node, "img");
            match img.as_ref().and_then(|i| node_attr(i, "src")) {
                Some(src) if !class.contains("wp-block-gallery") => {
                    let alt = img
                        .as_ref()
                        .and_then(|i| node_attr(i, "alt"))
                        .unwrap_or_default();
                    let mark = add_image(&figures, src, alt, caption);
                    Some(format!("\n\n{mark}\n\n").into())
                }
                _ => Some(h.walk_children(e.node)),
            }
        })
        .build()
}

/// Converts a post's content. Never fails: what it cannot convert it leaves out and names.
pub fn to_markdown(content: &str) -> Body {
    let found: Shared = Arc::default();
    let mut dropped_early = Vec::new();
    let html = prepare(content, &mut dropped_early);
    // A converter that fails, or panics on markup nobody foresaw, costs this post its
    // formatting, never the import: the text comes in, and the report says so.
    let converted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let converter = converter(&found);
        let tree = converter.html_to_tree(&html)?;
        if depth_of(&tree) > MAX_HTML_DEPTH {
            return Ok(None);
        }
        Ok::<_, std::io::Error>(Some(converter.tree_to_markdown(&tree)))
    }));
    let markdown = match converted {
        Ok(Ok(Some(markdown))) => markdown,
        Ok(Ok(None)) => {
            dropped_early.push(format!(
                "its formatting (the HTML nests more than {MAX_HTML_DEPTH} levels deep; \
                 imported as text)"
            ));
            html2text_fallback(&html)
        }
        _ => {
            dropped_early
                .push("its formatting (the HTML could not be converted; imported as text)".into());
            html2text_fallback(&html)
        }
    };
    let found = std::mem::take(&mut *found.lock().unwrap_or_else(PoisonError::into_inner));
    let mut dropped = dropped_early;
    for d in found.dropped {
        if !dropped.contains(&d) {
            dropped.push(d);
        }
    }
    Body {
        markdown: tidy(&markdown),
        images: found.images,
        dropped,
    }
}

/// The text without markup, for a body the converter could not take.
fn html2text_fallback(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// No runs of more than one blank line; no trailing spaces.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string()
}

/// Replaces the image placeholders: `images[i]` is the Markdown of image `i`, or `None` when
/// it could not be imported (it is left out; the caller reports it).
pub fn finish(markdown: &str, images: &[Option<String>]) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK.len_utf8()..];
        match after.find(MARK) {
            Some(end) => {
                if let Some(Some(md)) = after[..end]
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| images.get(i))
                {
                    out.push_str(md);
                }
                rest = &after[end + MARK.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    tidy(&out)
}

/// The Markdown of an image: `![alt](url "caption")`, the portal's figure.
pub fn image_markdown(url: &str, alt: &str, caption: &str) -> String {
    let alt = escape_label(alt);
    let caption: String = caption.replace('"', "\u{201d}").replace('\n', " ");
    if caption.trim().is_empty() {
        format!("![{alt}]({url})")
    } else {
        format!("![{alt}]({url} \"{}\")", caption.trim())
    }
}

/// Shortcodes and the classic editor's paragraphs, before the HTML parser sees the text.
fn prepare(content: &str, dropped: &mut Vec<String>) -> String {
    let mut html = dynamic_blocks(content, dropped);
    html = shortcodes(&html, dropped);
    if !html.contains("<!-- wp:") && !html.contains("<p") {
        html = autop(&html);
    }
    html
}

/// Gutenberg's self-closing blocks (`<!-- wp:latest-posts /-->`) are drawn by WordPress's PHP
/// at view time: there is nothing to import. Named in the report, except the harmless ones.
fn dynamic_blocks(content: &str, dropped: &mut Vec<String>) -> String {
    let mut rest = content;
    while let Some(i) = rest.find("<!-- wp:") {
        let after = &rest[i + 8..];
        let Some(end) = after.find("-->") else { break };
        let inner = &after[..end];
        if inner.trim_end().ends_with('/') {
            let name: String = inner
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_'))
                .collect::<String>()
                .trim_end_matches('/')
                .to_string();
            if !matches!(name.as_str(), "more" | "nextpage" | "spacer" | "separator") {
                let note = format!("dynamic block {name}");
                if !dropped.contains(&note) {
                    dropped.push(note);
                }
            }
        }
        rest = &after[end..];
    }
    content.to_string()
}

/// Shortcodes WordPress itself or common plugins write.
const KNOWN_SHORTCODES: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "audio",
    "video",
    "playlist",
];

/// `[caption]` becomes a figure, `[embed]`/`[video]`/`[audio]` a link; any other shortcode
/// (a name, then attributes with `=` or a closing `[/name]`) is left out and named.
fn shortcodes(text: &str, dropped: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inside = &after[..close];
        let name: String = inside
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
            .collect();
        let attrs = &inside[name.len()..];
        let closing_tag = format!("[/{name}]");
        let body_end = if name.is_empty() {
            None
        } else {
            after[close + 1..].find(&closing_tag)
        };
        let is_shortcode = !name.is_empty()
            && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && (attrs.is_empty() || attrs.starts_with(' '))
            && (KNOWN_SHORTCODES.contains(&name.as_str())
                || attrs.contains('=')
                || body_end.is_some());
        if !is_shortcode {
            out.push('[');
            rest = after;
            continue;
        }
        let (enclosed, next) = match body_end {
            Some(end) => (
                &after[close + 1..close + 1 + end],
                &after[close + 1 + end + closing_tag.len()..],
            ),
            None => ("", &after[close + 1..]),
        };
        let src = shortcode_attr(attrs, "src").or_else(|| shortcode_attr(attrs, "url"));
        match name.as_str() {
            "caption" | "wp_caption" => {
                // The image (possibly inside a link), then the caption's text.
                let split = enclosed.rfind('>').map_or(0, |i| i + 1);
                let (media, caption) = enclosed.split_at(split);
                let caption =
                    shortcode_attr(attrs, "caption").unwrap_or_else(|| caption.trim().to_string());
                out.push_str(&format!(
                    "<figure>{media}<figcaption>{caption}</figcaption></figure>"
                ));
            }
            "embed" | "video" | "audio" => {
                let url = src.unwrap_or_else(|| enclosed.trim().to_string());
                if is_web_url(&url) {
                    out.push_str(&format!(
                        "<p><a href=\"{0}\">View on {1}</a></p>",
                        html_escape::encode_double_quoted_attribute(&url),
                        html_escape::encode_text(&host_of(&url))
                    ));
                }
                let note = format!("[{name}] shortcode (now a link)");
                if !dropped.contains(&note) {
                    dropped.push(note);
                }
            }
            _ => {
                // Plugin markup: its text survives (a highlight, a button's label), the
                // shortcode does not.
                out.push_str(&shortcodes(enclosed, dropped));
                let note = format!("[{name}] shortcode");
                if !dropped.contains(&note) {
                    dropped.push(note);
                }
            }
        }
        rest = next;
    }
    out.push_str(rest);
    out
}

fn shortcode_attr(attrs: &str, key: &str) -> Option<String> {
    let start = attrs.find(&format!("{key}="))? + key.len() + 1;
    let value = &attrs[start..];
    let (quote, value) = match value.chars().next()? {
        q @ ('"' | '\'') => (Some(q), &value[1..]),
        _ => (None, value),
    };
    let end = match quote {
        Some(q) => value.find(q)?,
        None => value.find(' ').unwrap_or(value.len()),
    };
    Some(value[..end].to_string())
}

/// WordPress's `wpautop`, simplified: the classic editor stores paragraphs as blank lines and
/// line breaks as newlines.
fn autop(text: &str) -> String {
    const BLOCKS: &[&str] = &[
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<blockquote",
        "<figure",
        "<div",
        "<table",
        "<pre",
        "<hr",
        "<p",
        "<iframe",
        "<script",
        "<style",
        "<!--",
    ];
    let normalised = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(normalised.len() + 64);
    for chunk in normalised.split("\n\n") {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        let lower = chunk.to_ascii_lowercase();
        if BLOCKS.iter().any(|b| lower.starts_with(b)) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br>"));
            out.push_str("</p>");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> Body {
        to_markdown(html)
    }

    #[test]
    fn gutenberg_blocks_become_markdown() {
        let html = "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">When to go</h2>\n<!-- /wp:heading -->\n\n\
            <!-- wp:paragraph -->\n<p>The <strong>old</strong> quarter is <a href=\"https://maps.example/q\">best</a> on foot.</p>\n<!-- /wp:paragraph -->\n\n\
            <!-- wp:list -->\n<ul><li>Bread</li><li>Cheese</li></ul>\n<!-- /wp:list -->\n\n\
            <!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>Slow down.</p><cite>A baker</cite></blockquote>\n<!-- /wp:quote -->";
        let b = md(html);
        assert!(b.markdown.starts_with("## When to go"), "{}", b.markdown);
        assert!(
            b.markdown
                .contains("The **old** quarter is [best](https://maps.example/q) on foot."),
            "{}",
            b.markdown
        );
        assert!(b.markdown.contains("Bread") && b.markdown.contains("Cheese"));
        assert!(b.markdown.contains("> Slow down."), "{}", b.markdown);
        assert!(!b.markdown.contains("wp:"), "{}", b.markdown);
        assert!(b.dropped.is_empty(), "{:?}", b.dropped);
    }

    #[test]
    fn figures_captions_and_linked_images() {
        let html = "<!-- wp:image {\"id\":40} -->\n<figure class=\"wp-block-image\"><a href=\"https://g.example/wp-content/uploads/2024/05/quay.jpg\"><img src=\"https://g.example/wp-content/uploads/2024/05/quay-1024x683.jpg\" alt=\"The quay at dawn\" class=\"wp-image-40\"/></a><figcaption class=\"wp-element-caption\">Boats at <em>first</em> light</figcaption></figure>\n<!-- /wp:image -->\n\
            <p>Text [caption id=\"attachment_41\" align=\"alignnone\" width=\"300\"]<img src=\"/wp-content/uploads/2023/01/map.png\" alt=\"Map\" width=\"300\" /> The route[/caption] after</p>";
        let b = md(html);
        assert_eq!(
            b.images,
            vec![
                ImageRef {
                    src: "https://g.example/wp-content/uploads/2024/05/quay-1024x683.jpg".into(),
                    alt: "The quay at dawn".into(),
                    caption: "Boats at first light".into()
                },
                ImageRef {
                    src: "/wp-content/uploads/2023/01/map.png".into(),
                    alt: "Map".into(),
                    caption: "The route".into()
                },
            ]
        );
        let done = finish(
            &b.markdown,
            &[
                Some(image_markdown(
                    "/media/a.webp",
                    "The quay at dawn",
                    "Boats at first light",
                )),
                None,
            ],
        );
        assert!(
            done.starts_with("![The quay at dawn](/media/a.webp \"Boats at first light\")"),
            "{done}"
        );
        assert!(!done.contains(MARK));
    }

    #[test]
    fn scripts_iframes_and_shortcodes_are_left_out_and_named() {
        let html = "<p>Before</p><script>alert(1)</script><p onclick=\"x()\">Click</p>\
            <!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=abc\"} -->\n<figure class=\"wp-block-embed is-type-video\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=abc\n</div></figure>\n<!-- /wp:embed -->\
            <iframe src=\"https://evil.example/x\"></iframe><p>[gallery ids=\"1,2,3\"] [contact-form-7 id=\"5\"] [sic] [1] [su_note]Kept text[/su_note]</p>\
            <!-- wp:latest-posts {\"postsToShow\":3} /--><p><a href=\"javascript:alert(1)\">bad</a></p>";
        let b = md(html);
        assert!(!b.markdown.contains("alert"), "{}", b.markdown);
        assert!(
            b.markdown
                .contains("[View on www.youtube.com](<https://www.youtube.com/watch?v=abc>)"),
            "{}",
            b.markdown
        );
        assert!(!b.markdown.contains("evil.example"), "{}", b.markdown);
        assert!(
            b.dropped.iter().any(|d| d == "iframe from evil.example"),
            "{:?}",
            b.dropped
        );
        assert!(
            b.markdown.contains("\\[sic\\]") || b.markdown.contains("[sic]"),
            "{}",
            b.markdown
        );
        assert!(b.markdown.contains("Kept text"), "{}", b.markdown);
        assert!(
            !b.markdown.contains("gallery") && !b.markdown.contains("contact-form"),
            "{}",
            b.markdown
        );
        for expected in [
            "script",
            "[gallery] shortcode",
            "[contact-form-7] shortcode",
            "[su_note] shortcode",
            "dynamic block latest-posts",
            "a javascript: link",
        ] {
            assert!(
                b.dropped.iter().any(|d| d == expected),
                "{expected} not in {:?}",
                b.dropped
            );
        }
        // What the portal would render from it: nothing live.
        let html = crate::server::newsroom::markdown::render(&b.markdown).html;
        assert!(
            !html.contains("<script") && !html.contains("<iframe") && !html.contains("javascript:"),
            "{html}"
        );
    }

    #[test]
    fn classic_editor_paragraphs() {
        let b = md(
            "First paragraph\nwith a break.\n\nSecond <em>one</em>.\n\n<h3>Heading</h3>\n\nThird.",
        );
        assert_eq!(
            b.markdown,
            "First paragraph\\\nwith a break.\n\nSecond *one*.\n\n### Heading\n\nThird."
        );
    }
}
