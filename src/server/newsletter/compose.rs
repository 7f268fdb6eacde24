//! The newsletter's mails: a plain-text part and an HTML part in the site's look (its
//! masthead, red rule and section labels; styles inline, as mail programs want them). No
//! images, no tracking pixels, no redirected links: every link goes straight to the site.

use super::mail::Mail;
use crate::model::newsletter::Frequency;
use crate::model::ArticleSummary;

/// The addresses a mail links to.
pub struct Links {
    pub site: String,
    pub confirm: String,
    pub manage: String,
    pub unsubscribe: String,
}

/// Text for HTML, attributes included.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const RED: &str = "#b0141c";

/// The HTML around a mail's content.
fn page(site_name: &str, links: &Links, preheader: &str, content: &str, footer: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{name}</title></head>
<body style="margin:0;padding:0;background:#f4f4f1;color:#1a1a1a;font-family:Georgia,'Times New Roman',serif;">
<div style="display:none;max-height:0;overflow:hidden;">{preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f1;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-top:4px solid {RED};">
<tr><td style="padding:20px 24px 12px;border-bottom:1px solid #e3e3de;">
<a href="{site}" style="color:#1a1a1a;text-decoration:none;font-size:28px;font-weight:bold;letter-spacing:-0.5px;">{name}</a>
</td></tr>
<tr><td style="padding:20px 24px;font-size:16px;line-height:1.5;">{content}</td></tr>
<tr><td style="padding:16px 24px 24px;border-top:1px solid #e3e3de;font-family:Arial,Helvetica,sans-serif;font-size:13px;line-height:1.5;color:#5c5c5c;">{footer}</td></tr>
</table></td></tr></table>
</body></html>
"#,
        name = esc(site_name),
        site = esc(&links.site),
        preheader = esc(preheader),
    )
}

/// The one mail a new address gets: a link to the page with the "Confirm" button.
pub fn confirmation(site_name: &str, email: &str, links: &Links) -> Mail {
    let subject = format!("Confirm your subscription to {site_name}'s newsletter");
    let text = format!(
        "{site_name}\n\n\
         Someone, hopefully you, asked for {site_name}'s newsletter at {email}.\n\n\
         To start it, open this page and press \"Confirm\":\n{confirm}\n\n\
         If it was not you, ignore this mail: nothing else will be sent to this address, and \
         we forget it in 7 days.\n",
        confirm = links.confirm,
    );
    let content = format!(
        r#"<h1 style="font-size:22px;margin:0 0 12px;">Confirm your subscription</h1>
<p style="margin:0 0 16px;">Someone, hopefully you, asked for {name}'s newsletter at <strong>{email}</strong>.</p>
<p style="margin:0 0 20px;"><a href="{confirm}" style="display:inline-block;background:{RED};color:#ffffff;text-decoration:none;font-family:Arial,Helvetica,sans-serif;font-weight:bold;padding:12px 20px;border-radius:3px;">Open the page to confirm</a></p>
<p style="margin:0;font-size:14px;color:#5c5c5c;">If it was not you, ignore this mail: nothing else will be sent to this address, and we forget it in 7 days.</p>"#,
        name = esc(site_name),
        email = esc(email),
        confirm = esc(&links.confirm),
    );
    let footer = format!(
        r#"You get this mail because this address was entered on <a href="{site}" style="color:#5c5c5c;">{name}</a>."#,
        site = esc(&links.site),
        name = esc(site_name),
    );
    Mail {
        to: email.to_string(),
        subject,
        text,
        html: page(
            site_name,
            links,
            "One step left: confirm your subscription.",
            &content,
            &footer,
        ),
        unsubscribe: links.unsubscribe.clone(),
    }
}

/// A digest: the new articles, newest first, each with its section and excerpt.
pub fn digest(
    site_name: &str,
    frequency: Frequency,
    email: &str,
    articles: &[ArticleSummary],
    links: &Links,
) -> Mail {
    let (kind, span) = match frequency {
        Frequency::Daily => ("daily", "since your last digest"),
        Frequency::Weekly => ("weekly", "this week"),
    };
    let n = articles.len();
    let count = if n == 1 {
        "1 new article".to_string()
    } else {
        format!("{n} new articles")
    };
    let lead = articles
        .first()
        .map(|a| a.title.as_str())
        .unwrap_or_default();
    let subject = format!("{site_name}: {lead}");
    let absolute = |href: &str| format!("{}{href}", links.site);
    let mut text = format!("{site_name} — your {kind} digest: {count} {span}\n\n");
    let mut items = String::new();
    for a in articles {
        let url = absolute(&a.href());
        text.push_str(&format!(
            "{}\n{}\n{}\n{}\n\n",
            a.category.name.to_uppercase(),
            a.title,
            a.excerpt,
            url
        ));
        items.push_str(&format!(
            r#"<div style="margin:0 0 22px;">
<div style="font-family:Arial,Helvetica,sans-serif;font-size:11px;font-weight:bold;letter-spacing:1px;text-transform:uppercase;color:{RED};">{section}</div>
<a href="{url}" style="display:block;color:#1a1a1a;text-decoration:none;font-size:20px;font-weight:bold;line-height:1.3;margin:4px 0 6px;">{title}</a>
<div style="font-size:15px;color:#3d3d3d;">{excerpt}</div>
<div style="font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#767676;margin-top:4px;">{date}</div>
</div>"#,
            section = esc(&a.category.name),
            url = esc(&url),
            title = esc(&a.title),
            excerpt = esc(&a.excerpt),
            date = esc(&a.published.text),
        ));
    }
    text.push_str(&format!(
        "You get this {kind} digest at {email}.\nChange what you get or unsubscribe: {manage}\n",
        manage = links.manage,
    ));
    let content = format!(
        r#"<p style="margin:0 0 18px;font-family:Arial,Helvetica,sans-serif;font-size:13px;color:#5c5c5c;">Your {kind} digest: {count} {span}</p>
{items}"#
    );
    let footer = format!(
        r#"You get this {kind} digest at {email}. <a href="{manage}" style="color:#5c5c5c;">Change what you get or unsubscribe</a>."#,
        email = esc(email),
        manage = esc(&links.manage),
    );
    Mail {
        to: email.to_string(),
        subject,
        text,
        html: page(
            site_name,
            links,
            &format!("{count} {span}"),
            &content,
            &footer,
        ),
        unsubscribe: links.unsubscribe.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, DateLabel};

    fn links() -> Links {
        Links {
            site: "https://news.example".into(),
            confirm: "https://news.example/newsletter/confirm?token=t".into(),
            manage: "https://news.example/newsletter/manage?token=t".into(),
            unsubscribe: "https://news.example/newsletter/api/unsubscribe?token=t".into(),
        }
    }

    #[test]
    fn a_digest_escapes_what_editors_wrote_and_tracks_nothing() {
        let article = ArticleSummary {
            slug: "quay".into(),
            title: "Quay <reopens> & \"more\"".into(),
            excerpt: "Boats are back.".into(),
            category: Category {
                slug: "world".into(),
                name: "World".into(),
                in_nav: true,
            },
            published: DateLabel {
                text: "December 8, 2026".into(),
                iso: String::new(),
            },
            image: None,
            live: false,
        };
        let mail = digest(
            "The Daily Meridian",
            Frequency::Daily,
            "r@example.org",
            &[article],
            &links(),
        );
        assert!(mail
            .html
            .contains("Quay &lt;reopens&gt; &amp; &quot;more&quot;"));
        assert!(!mail.html.contains("<reopens>"));
        assert!(mail
            .html
            .contains(r#"href="https://news.example/article/quay""#));
        assert!(!mail.html.contains("<img"), "no images, no pixels");
        assert!(mail.text.contains("https://news.example/article/quay"));
        assert!(mail.text.contains("1 new article"));
        assert_eq!(
            mail.subject,
            "The Daily Meridian: Quay <reopens> & \"more\""
        );
        assert_eq!(mail.unsubscribe, links().unsubscribe);
    }
}
