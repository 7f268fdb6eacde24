//! A generated WordPress export (WXR) of any size, in the shape WordPress 6 writes, for timing
//! `portal import wordpress` (`portal-demo wxr --posts 5000 > export.xml`): Gutenberg
//! paragraph and heading blocks, categories, authors, dates, a sticky post now and then.

use super::content::{self, DESKS};
use crate::server::{newsroom::markdown, newsroom::slug};
use fastrand::Rng;
use std::io::Write;

/// Text inside CDATA: a "]]>" in it would end the section early.
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// Paragraphs and subheadings as Gutenberg blocks.
fn blocks(html: &str) -> String {
    html.replace("<p>", "<!-- wp:paragraph -->\n<p>")
        .replace("</p>", "</p>\n<!-- /wp:paragraph -->\n")
        .replace(
            "<h2>",
            "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">",
        )
        .replace("</h2>", "</h2>\n<!-- /wp:heading -->\n")
}

pub fn write(out: &mut impl Write, posts: usize) -> std::io::Result<()> {
    let mut rng = Rng::with_seed(5_000);
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:wfw=\"http://wellformedweb.org/CommentAPI/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n\
         <channel>\n<title>Generated Gazette</title>\n<link>https://generated.example</link>\n\
         <wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>https://generated.example</wp:base_site_url>"
    )?;
    for (i, name) in content::AUTHORS.iter().enumerate() {
        writeln!(
            out,
            "<wp:author><wp:author_id>{}</wp:author_id><wp:author_login>{}</wp:author_login>\
             <wp:author_display_name>{}</wp:author_display_name></wp:author>",
            i + 1,
            cdata(&format!("writer{i}")),
            cdata(name)
        )?;
    }
    for desk in DESKS {
        writeln!(
            out,
            "<wp:category><wp:category_nicename>{0}</wp:category_nicename><wp:cat_name>{0}</wp:cat_name></wp:category>",
            cdata(desk.slug)
        )?;
    }
    let start = 1_500_000_000i64;
    for i in 0..posts {
        let desk = &DESKS[i % DESKS.len()];
        let headline = desk.headlines[(i / DESKS.len()) % desk.headlines.len()];
        // Its illustration is an upload of the old site (not there unless --media-dir has it).
        let figure = format!(
            "https://generated.example/wp-content/uploads/2017/07/{}.jpg",
            desk.slug
        );
        let w = content::write(desk, headline, &mut rng, &figure, "");
        let html = blocks(&markdown::render(&w.body_md).html);
        let at = start + 3_600 * i as i64;
        let date = chrono::DateTime::from_timestamp(at, 0)
            .unwrap_or_default()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        let slug = format!("{}-{i}", slug::slugify(&w.title));
        writeln!(
            out,
            "<item><title>{title}</title><link>https://generated.example/{path}/{slug}/</link>\
             <guid isPermaLink=\"false\">https://generated.example/?p={id}</guid>\
             <dc:creator>{creator}</dc:creator><content:encoded>{body}</content:encoded>\
             <excerpt:encoded>{excerpt}</excerpt:encoded><wp:post_id>{id}</wp:post_id>\
             <wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>\
             <wp:post_modified>{date}</wp:post_modified><wp:post_modified_gmt>{date}</wp:post_modified_gmt>\
             <wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>\
             <wp:post_type>post</wp:post_type><wp:is_sticky>{sticky}</wp:is_sticky>\
             <category domain=\"category\" nicename=\"{section}\">{section_name}</category></item>",
            title = cdata(&w.title),
            path = &date[..10].replace('-', "/"),
            id = i + 10,
            creator = cdata(&format!("writer{}", i % content::AUTHORS.len())),
            body = cdata(&html),
            excerpt = cdata(&w.excerpt),
            status = if i % 50 == 49 { "draft" } else { "publish" },
            sticky = u8::from(i % 1000 == 0),
            section = desk.slug,
            section_name = cdata(desk.slug),
        )?;
    }
    writeln!(out, "</channel>\n</rss>")
}
