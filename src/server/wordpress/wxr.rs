//! A streaming reader of WordPress export files (WXR: RSS 2.0 with the `wp:`, `content:`,
//! `excerpt:` and `dc:` namespaces). One `<item>` at a time, never the whole file in memory.
//!
//! Safe with hostile files: a document type declaration is refused (WordPress never writes one,
//! and it is where entity bombs and external entities live), so no entity is ever expanded
//! beyond XML's five and character references; text must be UTF-8; every field has a size
//! limit checked while it is read.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::BufRead;

/// Longest value of any small field (title, slug, dates, names...) read from the file.
pub const FIELD_LIMIT: usize = 64 * 1024;
/// Longest post body (`content:encoded`) read from the file.
pub const CONTENT_LIMIT: usize = 8 * 1024 * 1024;
/// Longest single piece of the file read at once (a text, a CDATA section, a comment, a tag),
/// whether it is kept or skipped: quick-xml reads a piece whole before handing it over, so a
/// 400 MB CDATA in an element nobody reads would otherwise be in memory (twice) before any
/// field's limit could say no.
pub const PIECE_LIMIT: usize = CONTENT_LIMIT + 64 * 1024;

/// The file as quick-xml reads it, refusing to go on once one piece has taken more than
/// `PIECE_LIMIT` bytes (the count starts again at every piece).
struct Bounded<R> {
    inner: R,
    used: usize,
    exceeded: bool,
}

impl<R: BufRead> std::io::Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.used > PIECE_LIMIT {
            self.exceeded = true;
            return Err(std::io::Error::other("a piece of the file is too long"));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.used += amount;
        self.inner.consume(amount);
    }
}

/// The small fields of an item that are read (comments and the rest are skipped whole).
const ITEM_FIELDS: &[&str] = &[
    "title",
    "link",
    "guid",
    "dc:creator",
    "excerpt:encoded",
    "wp:post_id",
    "wp:post_date",
    "wp:post_date_gmt",
    "wp:post_modified",
    "wp:post_modified_gmt",
    "wp:post_name",
    "wp:status",
    "wp:post_type",
    "wp:post_parent",
    "wp:is_sticky",
    "wp:attachment_url",
];

/// A WordPress post, page or attachment, as the export describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    pub title: String,
    /// The permalink the site had for it.
    pub link: String,
    pub guid: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub id: i64,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_modified: String,
    pub post_modified_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_type: String,
    pub post_parent: i64,
    pub is_sticky: bool,
    pub attachment_url: String,
    /// `(domain, nicename, name)`: `category` and `post_tag` terms.
    pub terms: Vec<(String, String, String)>,
    /// The post's custom fields (`_thumbnail_id`, `_wp_attachment_image_alt`...).
    pub meta: Vec<(String, String)>,
    /// How many comments it has in the export (they are not read: the portal has none).
    pub comments: usize,
}

impl Item {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// What the channel says before and between the items.
#[derive(Debug, Clone, Default)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub base_site_url: String,
    pub wxr_version: String,
    /// Login → display name.
    pub authors: HashMap<String, String>,
    /// Login → the author's number there (`/?author=N`).
    pub author_ids: HashMap<String, i64>,
    /// Nicename → name, from the channel's `wp:category` list.
    pub categories: HashMap<String, String>,
}

/// Why a file cannot be read, with the byte offset where it was noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WxrError {
    pub offset: u64,
    pub message: String,
}

impl std::fmt::Display for WxrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for WxrError {}

/// Where inside the document the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum In {
    Outside,
    Channel,
    Author,
    Category,
    Item,
    ItemMeta,
}

pub struct WxrReader<R: BufRead> {
    reader: Reader<Bounded<R>>,
    buf: Vec<u8>,
    channel: Channel,
    seen_rss: bool,
    seen_channel: bool,
    finished: bool,
}

fn name_of(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

impl<R: BufRead> WxrReader<R> {
    pub fn new(input: R) -> Self {
        let mut reader = Reader::from_reader(Bounded {
            inner: input,
            used: 0,
            exceeded: false,
        });
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = true;
        WxrReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            channel: Channel::default(),
            seen_rss: false,
            seen_channel: false,
            finished: false,
        }
    }

    /// What the channel has said so far (authors and categories come before the items in
    /// every export WordPress writes).
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// How far into the file the reader is, in bytes.
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn error(&self, message: impl Into<String>) -> WxrError {
        WxrError {
            offset: self.reader.buffer_position(),
            message: message.into(),
        }
    }

    fn next_event(&mut self) -> Result<Event<'static>, WxrError> {
        self.buf.clear();
        self.reader.get_mut().used = 0;
        match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => Ok(event.into_owned()),
            Err(_) if self.reader.get_ref().exceeded => Err(WxrError {
                offset: self.reader.buffer_position(),
                message: format!(
                    "one piece of the file (a text or CDATA section, a comment) is longer than \
                     {PIECE_LIMIT} bytes: this is not a WordPress export, or it is damaged"
                ),
            }),
            Err(e) => {
                Err(WxrError {
                    offset: self.reader.error_position(),
                    message: match e {
                        // Every syntax error but one is something left open at the end.
                        quick_xml::Error::Syntax(
                            quick_xml::errors::SyntaxError::InvalidBangMarkup,
                        ) => "the file is not well-formed XML: unknown markup after <!".to_string(),
                        quick_xml::Error::Syntax(s) => {
                            format!("the file ends inside markup ({s}): it is truncated (export it again)")
                        }
                        quick_xml::Error::IllFormed(s) => {
                            format!("the file is not well-formed XML: {s}")
                        }
                        quick_xml::Error::Io(e) => format!("cannot read the file: {e}"),
                        other => format!("the file is not valid XML: {other}"),
                    },
                })
            }
        }
    }

    /// The text of the element just opened, up to its end tag, at most `limit` bytes.
    /// Markup inside it (which WXR never has outside CDATA) is refused.
    fn text(&mut self, name: &str, limit: usize) -> Result<String, WxrError> {
        let mut out = String::new();
        loop {
            let event = self.next_event()?;
            let piece: std::borrow::Cow<'_, str> = match &event {
                Event::Text(t) => t
                    .xml10_content()
                    .map_err(|_| self.error(format!("<{name}> holds text that is not UTF-8")))?,
                Event::CData(t) => t
                    .xml10_content()
                    .map_err(|_| self.error(format!("<{name}> holds text that is not UTF-8")))?,
                Event::GeneralRef(r) => {
                    if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => c.to_string().into(),
                            _ => {
                                return Err(
                                    self.error(format!("<{name}>: a bad character reference"))
                                )
                            }
                        }
                    } else {
                        let entity = r.decode().map_err(|_| {
                            self.error(format!("<{name}> holds text that is not UTF-8"))
                        })?;
                        match quick_xml::escape::resolve_predefined_entity(&entity) {
                            Some(s) => s.into(),
                            None => {
                                return Err(self.error(format!(
                                    "<{name}> uses the entity &{entity}; which is not defined \
                                     (entities other than XML's own are never expanded)"
                                )))
                            }
                        }
                    }
                }
                Event::Comment(_) | Event::PI(_) => "".into(),
                Event::End(_) => return Ok(out),
                Event::Start(e) => {
                    return Err(self.error(format!(
                        "<{name}> holds an element <{}>; WordPress writes text there",
                        name_of(e)
                    )))
                }
                Event::Eof => {
                    return Err(self.error(format!(
                        "the file ends inside <{name}>: it is truncated (export it again)"
                    )))
                }
                _ => "".into(),
            };
            if out.len() + piece.len() > limit {
                return Err(self.error(format!(
                    "<{name}> is longer than {limit} bytes: this is not a WordPress export, or it \
                     is damaged"
                )));
            }
            out.push_str(&piece);
        }
    }

    /// Skips the element just opened, with everything inside it.
    fn skip(&mut self, name: &str) -> Result<(), WxrError> {
        let mut depth = 1usize;
        loop {
            match self.next_event()? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => {
                    return Err(self.error(format!(
                        "the file ends inside <{name}>: it is truncated (export it again)"
                    )))
                }
                _ => {}
            }
        }
    }

    fn attribute(&self, e: &BytesStart<'_>, key: &str) -> Result<String, WxrError> {
        match e.try_get_attribute(key) {
            Ok(Some(a)) => a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .map_err(|_| self.error(format!("a bad value of the attribute {key}"))),
            Ok(None) => Ok(String::new()),
            Err(_) => Err(self.error("a malformed attribute")),
        }
    }

    fn number(&self, name: &str, text: &str) -> Result<i64, WxrError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(0);
        }
        text.parse()
            .map_err(|_| self.error(format!("<{name}> should be a number, not {text:?}")))
    }

    /// The next item of the file, or `None` after the end of the channel.
    pub fn next_item(&mut self) -> Result<Option<Item>, WxrError> {
        if self.finished {
            return Ok(None);
        }
        let mut at = if self.seen_channel {
            In::Channel
        } else {
            In::Outside
        };
        let mut item = Item::default();
        let mut author = (String::new(), String::new());
        let mut author_id: Option<i64> = None;
        let mut category = (String::new(), String::new());
        let mut meta = (String::new(), String::new());
        loop {
            let event = self.next_event()?;
            match event {
                Event::DocType(_) => {
                    return Err(self.error(
                        "the file declares a document type (<!DOCTYPE>); WordPress exports never \
                         do, and entities are not expanded: refusing it",
                    ))
                }
                Event::Start(e) => {
                    let name = name_of(&e);
                    match (at, name.as_str()) {
                        (In::Outside, "rss") if !self.seen_rss => self.seen_rss = true,
                        (In::Outside, "channel") if self.seen_rss => {
                            self.seen_channel = true;
                            at = In::Channel;
                        }
                        (In::Outside, _) => {
                            return Err(self.error(format!(
                                "this is not a WordPress export: it starts with <{name}>, not \
                                 <rss><channel>"
                            )))
                        }
                        (In::Channel, "item") => {
                            at = In::Item;
                            item = Item::default();
                        }
                        (In::Channel, "wp:author") => {
                            at = In::Author;
                            author = Default::default();
                            author_id = None;
                        }
                        (In::Channel, "wp:category") => {
                            at = In::Category;
                            category = Default::default();
                        }
                        (In::Channel, "title") => {
                            self.channel.title = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Channel, "link") => {
                            self.channel.link = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Channel, "wp:base_site_url") => {
                            self.channel.base_site_url = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Channel, "wp:wxr_version") => {
                            self.channel.wxr_version = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Author, "wp:author_login") => {
                            author.0 = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Author, "wp:author_display_name") => {
                            author.1 = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Author, "wp:author_id") => {
                            author_id = self.text(&name, FIELD_LIMIT)?.trim().parse().ok()
                        }
                        (In::Category, "wp:category_nicename") => {
                            category.0 = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Category, "wp:cat_name") => {
                            category.1 = self.text(&name, FIELD_LIMIT)?
                        }
                        (In::Item, "wp:postmeta") => {
                            at = In::ItemMeta;
                            meta = Default::default();
                        }
                        (In::ItemMeta, "wp:meta_key") => meta.0 = self.text(&name, FIELD_LIMIT)?,
                        (In::ItemMeta, "wp:meta_value") => {
                            // Only a few keys matter; a plugin's big serialized blobs are read
                            // and dropped, within the body's limit.
                            meta.1 = self.text(&name, CONTENT_LIMIT)?;
                        }
                        (In::Item, "category") => {
                            let domain = self.attribute(&e, "domain")?;
                            let nicename = self.attribute(&e, "nicename")?;
                            let label = self.text(&name, FIELD_LIMIT)?;
                            item.terms.push((domain, nicename, label));
                        }
                        (In::Item, "wp:comment") => {
                            item.comments += 1;
                            self.skip(&name)?
                        }
                        (In::Item, "content:encoded") => {
                            item.content = self.text(&name, CONTENT_LIMIT)?
                        }
                        (In::Item, field) if ITEM_FIELDS.contains(&field) => {
                            let text = self.text(&name, FIELD_LIMIT)?;
                            match field {
                                "title" => item.title = text,
                                "link" => item.link = text,
                                "guid" => item.guid = text,
                                "dc:creator" => item.creator = text,
                                "excerpt:encoded" => item.excerpt = text,
                                "wp:post_id" => item.id = self.number(field, &text)?,
                                "wp:post_date" => item.post_date = text,
                                "wp:post_date_gmt" => item.post_date_gmt = text,
                                "wp:post_modified" => item.post_modified = text,
                                "wp:post_modified_gmt" => item.post_modified_gmt = text,
                                "wp:post_name" => item.post_name = text,
                                "wp:status" => item.status = text,
                                "wp:post_type" => item.post_type = text,
                                "wp:post_parent" => item.post_parent = self.number(field, &text)?,
                                "wp:is_sticky" => item.is_sticky = text.trim() == "1",
                                "wp:attachment_url" => item.attachment_url = text,
                                _ => {}
                            }
                        }
                        (_, _) => self.skip(&name)?,
                    }
                }
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    match (at, name.as_str()) {
                        (In::Item, "item") => {
                            if item.id <= 0 {
                                return Err(self.error(format!(
                                    "an item without a <wp:post_id> ({}): this is an RSS feed, \
                                     not a WordPress export (Tools → Export)",
                                    item.title.chars().take(60).collect::<String>()
                                )));
                            }
                            return Ok(Some(item));
                        }
                        (In::ItemMeta, "wp:postmeta") => {
                            if matches!(
                                meta.0.as_str(),
                                "_thumbnail_id" | "_wp_attachment_image_alt" | "_wp_attached_file"
                            ) {
                                item.meta.push(std::mem::take(&mut meta));
                            }
                            at = In::Item;
                        }
                        (In::Author, "wp:author") => {
                            let (login, display) = std::mem::take(&mut author);
                            if !login.is_empty() {
                                if let Some(id) = author_id.take() {
                                    self.channel.author_ids.insert(login.clone(), id);
                                }
                                self.channel.authors.insert(login, display);
                            }
                            at = In::Channel;
                        }
                        (In::Category, "wp:category") => {
                            let (nicename, name) = std::mem::take(&mut category);
                            if !nicename.is_empty() {
                                self.channel.categories.insert(nicename, name);
                            }
                            at = In::Channel;
                        }
                        (In::Channel, "channel") => {
                            at = In::Outside;
                        }
                        (In::Outside, "rss") => {
                            self.finished = true;
                            return Ok(None);
                        }
                        _ => {}
                    }
                }
                Event::Eof => {
                    return Err(if !self.seen_channel {
                        self.error("this is not a WordPress export: no <rss><channel> in it")
                    } else {
                        self.error("the file ends before </rss>: it is truncated (export it again)")
                    })
                }
                Event::Text(t)
                    if at == In::Outside && t.iter().any(|b| !b.is_ascii_whitespace()) =>
                {
                    return Err(
                        self.error("text outside the <rss> element: not a WordPress export")
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(xml: &str) -> Result<(Channel, Vec<Item>), WxrError> {
        let mut r = WxrReader::new(xml.as_bytes());
        let mut out = Vec::new();
        while let Some(item) = r.next_item()? {
            out.push(item);
        }
        Ok((r.channel().clone(), out))
    }

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old Gazette</title><link>https://gazette.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://gazette.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[ana]]></wp:author_login><wp:author_display_name><![CDATA[Ana Reyes]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[local]]></wp:category_nicename><wp:cat_name><![CDATA[Local &amp; Regional]]></wp:cat_name></wp:category>
"#;

    #[test]
    fn reads_channel_and_items() {
        let xml = format!(
            "{HEAD}<item><title>Caf&#233; &amp; Co</title><link>https://gazette.example/2024/05/03/cafe/</link>\
             <dc:creator><![CDATA[ana]]></dc:creator><content:encoded><![CDATA[<p>Hi <b>there</b></p>]]></content:encoded>\
             <wp:post_id>12</wp:post_id><wp:post_date><![CDATA[2024-05-03 10:00:00]]></wp:post_date>\
             <wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type><wp:is_sticky>1</wp:is_sticky>\
             <category domain=\"category\" nicename=\"local\"><![CDATA[Local &amp; Regional]]></category>\
             <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[40]]></wp:meta_value></wp:postmeta>\
             <wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta>\
             <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[nice]]></wp:comment_content></wp:comment>\
             </item></channel></rss>"
        );
        let (channel, items) = items(&xml).unwrap();
        assert_eq!(channel.authors["ana"], "Ana Reyes");
        assert_eq!(channel.author_ids["ana"], 1);
        // CDATA is text as written: WordPress stores names HTML-escaped (the import decodes).
        assert_eq!(channel.categories["local"], "Local &amp; Regional");
        assert_eq!(channel.base_site_url, "https://gazette.example");
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.title, "Café & Co");
        assert_eq!(item.id, 12);
        assert!(item.is_sticky);
        assert_eq!(item.content, "<p>Hi <b>there</b></p>");
        assert_eq!(item.meta("_thumbnail_id"), Some("40"));
        assert_eq!(item.meta("_edit_last"), None);
        // Inside CDATA, "&amp;" is text as written.
        assert_eq!(
            item.terms,
            vec![(
                "category".into(),
                "local".into(),
                "Local &amp; Regional".into()
            )]
        );
    }

    #[test]
    fn hostile_and_broken_files_are_refused_with_a_reason() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>"#;
        assert!(items(bomb).unwrap_err().message.contains("document type"));
        let external = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>"#;
        assert!(items(external)
            .unwrap_err()
            .message
            .contains("document type"));
        let undeclared = format!("{HEAD}<item><title>&x;</title></item></channel></rss>");
        assert!(items(&undeclared).unwrap_err().message.contains("&x;"));
        let truncated = format!("{HEAD}<item><title>Half");
        assert!(items(&truncated).unwrap_err().message.contains("truncated"));
        assert!(items(HEAD).unwrap_err().message.contains("truncated"));
        let huge = format!(
            "{HEAD}<item><title>{}</title></item></channel></rss>",
            "x".repeat(FIELD_LIMIT + 1)
        );
        assert!(items(&huge).unwrap_err().message.contains("longer than"));
        let mut bad_utf8 = format!("{HEAD}<item><title>ab").into_bytes();
        bad_utf8.extend_from_slice(&[0xff, 0xfe]);
        bad_utf8.extend_from_slice(b"</title></item></channel></rss>");
        let mut r = WxrReader::new(&bad_utf8[..]);
        assert!(r.next_item().unwrap_err().message.contains("UTF-8"));
        assert!(items("<html><body>hi</body></html>")
            .unwrap_err()
            .message
            .contains("not a WordPress export"));
        let feed = format!("{HEAD}<item><title>No id</title></item></channel></rss>");
        assert!(items(&feed).unwrap_err().message.contains("wp:post_id"));
        let mismatched = format!("{HEAD}<item><title>x</titel></item></channel></rss>");
        assert!(items(&mismatched)
            .unwrap_err()
            .message
            .contains("well-formed"));
    }
}
