//! The rules the newsroom's forms follow. The form checks them as you type; the server checks
//! the same ones (plus what only it can know: slug uniqueness, existing sections) on save.
//! Whatever fails comes back in one shape everywhere: `Vec<FieldError>`, empty when all is well.

pub use super::fields::{messages, Field, FieldError};
use super::limits::{TAGS_PER_ARTICLE, TAG_NAME_MAX};
use super::newsroom::ArticleForm;

pub const TITLE_MIN: usize = 5;
pub const TITLE_MAX: usize = 200;
pub const SLUG_MAX: usize = 80;
pub const EXCERPT_MAX: usize = 400;
pub const BODY_MAX: usize = 200_000;
pub const AUTHOR_MAX: usize = 80;
pub const ALT_MAX: usize = 250;
pub const CAPTION_MAX: usize = 300;
pub const CREDIT_MAX: usize = 120;
pub const NOTE_MAX: usize = 1_000;
pub const PICK_ORDER_MAX: i64 = 999;
pub const READ_ALSO_MAX: usize = 2;
pub const AUTHORS_PER_ARTICLE: usize = 6;
pub const ROLE_TITLE_MAX: usize = 80;
pub const BIO_MAX: usize = 2_000;
pub const LINKS_MAX: usize = 1_000;
pub const EMAIL_MAX: usize = 254;
pub const NAME_MAX: usize = 80;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 200;
/// Largest upload accepted, in bytes.
pub const UPLOAD_MAX_BYTES: usize = 10 * 1024 * 1024;
pub const UPLOAD_TYPES: &str = "JPEG, PNG, WebP or GIF";

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn push(errors: &mut Vec<FieldError>, field: Field, message: impl Into<String>) {
    errors.push(FieldError::new(field, message));
}

/// A valid slug: lowercase ASCII letters and digits in hyphen-separated groups.
pub fn slug_is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What the server will make of a title when the slug is left empty (ASCII-only preview;
/// the server also transliterates other scripts).
pub fn slug_preview(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut s = out.trim_end_matches('-').to_string();
    if s.len() > SLUG_MAX {
        let cut = s[..SLUG_MAX].rfind('-').unwrap_or(SLUG_MAX);
        s.truncate(cut);
    }
    s
}

/// Rules for every save (drafts included): lengths and formats.
pub fn check_form(form: &ArticleForm) -> Vec<FieldError> {
    let mut e = Vec::new();
    let title = form.title.trim();
    if title.is_empty() {
        push(&mut e, Field::Title, "A title is required.");
    } else if chars(title) < TITLE_MIN {
        push(
            &mut e,
            Field::Title,
            format!("Use at least {TITLE_MIN} characters."),
        );
    } else if chars(title) > TITLE_MAX {
        push(
            &mut e,
            Field::Title,
            format!("Keep it under {TITLE_MAX} characters."),
        );
    }
    let slug = form.slug.trim();
    if !slug.is_empty() && !slug_is_valid(slug) {
        push(
            &mut e,
            Field::Slug,
            format!("Use lowercase letters, digits and single hyphens (at most {SLUG_MAX})."),
        );
    }
    if form.category.trim().is_empty() && !form.is_page {
        push(&mut e, Field::Category, "Choose a section.");
    }
    if chars(&form.excerpt) > EXCERPT_MAX {
        push(
            &mut e,
            Field::Excerpt,
            format!("Keep it under {EXCERPT_MAX} characters."),
        );
    }
    if chars(&form.body_md) > BODY_MAX {
        push(
            &mut e,
            Field::Body,
            format!("The body is longer than {BODY_MAX} characters."),
        );
    }
    if form.is_page {
        // A page has no byline.
    } else if form.authors.is_empty() && form.author_name.trim().is_empty() {
        push(
            &mut e,
            Field::AuthorName,
            "Name the author as readers should see it.",
        );
    } else if form
        .authors
        .iter()
        .chain(std::iter::once(&form.author_name).filter(|_| form.authors.is_empty()))
        .any(|a| chars(a.trim()) > AUTHOR_MAX)
    {
        push(
            &mut e,
            Field::AuthorName,
            format!("Keep each name under {AUTHOR_MAX} characters."),
        );
    } else if form.authors.len() > AUTHORS_PER_ARTICLE {
        push(
            &mut e,
            Field::AuthorName,
            format!("Name at most {AUTHORS_PER_ARTICLE} authors."),
        );
    } else if form
        .authors
        .iter()
        .any(|a| !a.chars().any(char::is_alphanumeric))
    {
        push(
            &mut e,
            Field::AuthorName,
            "An author's name needs a letter.",
        );
    }
    if form.image.is_some() && form.image_alt.trim().is_empty() {
        push(
            &mut e,
            Field::ImageAlt,
            "Describe the image for readers who cannot see it.",
        );
    }
    if chars(&form.image_alt) > ALT_MAX {
        push(
            &mut e,
            Field::ImageAlt,
            format!("Keep it under {ALT_MAX} characters."),
        );
    }
    if chars(&form.image_caption) > CAPTION_MAX {
        push(
            &mut e,
            Field::ImageCaption,
            format!("Keep it under {CAPTION_MAX} characters."),
        );
    }
    if chars(&form.image_credit) > CREDIT_MAX {
        push(
            &mut e,
            Field::ImageCredit,
            format!("Keep it under {CREDIT_MAX} characters."),
        );
    }
    if form.read_also.len() > READ_ALSO_MAX {
        push(&mut e, Field::ReadAlso, "Choose at most two articles.");
    }
    let mut seen = std::collections::HashSet::new();
    if !form.read_also.iter().all(|p| seen.insert(&p.slug)) {
        push(&mut e, Field::ReadAlso, "Choose two different articles.");
    }
    e.extend(check_tags(&form.tags));
    if !(0..=PICK_ORDER_MAX).contains(&form.pick_order) {
        push(
            &mut e,
            Field::PickOrder,
            format!("Use a number from 0 to {PICK_ORDER_MAX}."),
        );
    }
    e
}

/// Only the size limits of `check_form`: a form past one can never be saved, so not even an
/// autosave (which keeps unfinished forms) stores it.
pub fn check_sizes(form: &ArticleForm) -> Vec<FieldError> {
    let fields = [
        (Field::Title, &form.title, TITLE_MAX),
        (Field::Slug, &form.slug, SLUG_MAX),
        (Field::Excerpt, &form.excerpt, EXCERPT_MAX),
        (Field::Body, &form.body_md, BODY_MAX),
        (Field::AuthorName, &form.author_name, AUTHOR_MAX * 8),
        (Field::ImageAlt, &form.image_alt, ALT_MAX),
        (Field::ImageCaption, &form.image_caption, CAPTION_MAX),
        (Field::ImageCredit, &form.image_credit, CREDIT_MAX),
    ];
    let mut e: Vec<FieldError> = fields
        .into_iter()
        .filter(|(_, value, max)| chars(value.trim()) > *max)
        .map(|(field, _, max)| FieldError::new(field, format!("Keep it under {max} characters.")))
        .collect();
    if form.category.len() > SLUG_MAX {
        e.push(FieldError::new(Field::Category, "Choose a section."));
    }
    if form.read_also.len() > READ_ALSO_MAX {
        e.push(FieldError::new(
            Field::ReadAlso,
            "Choose at most two articles.",
        ));
    }
    if form.authors.len() > AUTHORS_PER_ARTICLE * 4
        || form
            .authors
            .iter()
            .any(|a| chars(a.trim()) > AUTHOR_MAX * 4)
    {
        e.push(FieldError::new(
            Field::AuthorName,
            "Too many authors, or a name far too long.",
        ));
    }
    if form.tags.len() > TAGS_PER_ARTICLE * 4
        || form.tags.iter().any(|t| chars(t.trim()) > TAG_NAME_MAX * 4)
    {
        e.push(FieldError::new(
            Field::Tags,
            "Too many tags, or one far too long.",
        ));
    }
    e
}

/// An article's tags: at most `TAGS_PER_ARTICLE`, each a name of up to `TAG_NAME_MAX`
/// characters with a letter or digit in it (its address is made from it).
pub fn check_tags(tags: &[String]) -> Vec<FieldError> {
    let mut e = Vec::new();
    if tags.len() > TAGS_PER_ARTICLE {
        push(
            &mut e,
            Field::Tags,
            format!("Use at most {TAGS_PER_ARTICLE} tags."),
        );
    }
    if let Some(long) = tags.iter().find(|t| chars(t.trim()) > TAG_NAME_MAX) {
        push(
            &mut e,
            Field::Tags,
            format!(
                "Keep each tag under {TAG_NAME_MAX} characters (“{}…” is longer).",
                long.chars().take(20).collect::<String>()
            ),
        );
    }
    if tags.iter().any(|t| !t.chars().any(char::is_alphanumeric)) {
        push(&mut e, Field::Tags, "A tag needs a letter or a digit.");
    }
    e
}

/// Extra rules before an article goes to readers (publish or schedule) or to review.
pub fn check_ready(form: &ArticleForm) -> Vec<FieldError> {
    let mut e = check_form(form);
    // A page's summary is optional: it only describes the page to search engines.
    if form.excerpt.trim().is_empty() && !form.is_page {
        push(
            &mut e,
            Field::Excerpt,
            "Write a short excerpt: it is shown in lists and link previews.",
        );
    }
    if form.body_md.trim().is_empty() {
        push(&mut e, Field::Body, "The article has no text yet.");
    }
    e
}

pub fn check_note(note: &str) -> Vec<FieldError> {
    let n = chars(note.trim());
    let mut e = Vec::new();
    if n == 0 {
        push(&mut e, Field::Note, "Write the note first.");
    } else if n > NOTE_MAX {
        push(
            &mut e,
            Field::Note,
            format!("Keep it under {NOTE_MAX} characters."),
        );
    }
    e
}

/// An account's address and name, for the admin's user form and the command line alike.
pub fn check_account(email: &str, name: &str) -> Vec<FieldError> {
    let mut e = Vec::new();
    let email = email.trim();
    let at = email.find('@');
    if email.len() > EMAIL_MAX
        || at.is_none_or(|i| i == 0 || i == email.len() - 1 || !email[i + 1..].contains('.'))
        || email.contains(char::is_whitespace)
    {
        push(&mut e, Field::Email, "Enter a valid e-mail address.");
    }
    if name.trim().is_empty() || chars(name.trim()) > NAME_MAX {
        push(
            &mut e,
            Field::DisplayName,
            format!("Enter a display name (at most {NAME_MAX} characters)."),
        );
    }
    e
}

pub fn check_password(password: &str) -> Vec<FieldError> {
    let mut e = Vec::new();
    if chars(password) < PASSWORD_MIN || chars(password) > PASSWORD_MAX {
        push(
            &mut e,
            Field::Password,
            format!("Passwords need {PASSWORD_MIN} to {PASSWORD_MAX} characters."),
        );
    }
    e
}

/// An author's profile: a name (with a letter in it), and the other fields within their
/// limits; each link an http(s) address.
pub fn check_profile(p: &super::newsroom::ProfileForm) -> Vec<FieldError> {
    let mut e = Vec::new();
    let name = p.name.trim();
    if !name.chars().any(char::is_alphanumeric) {
        push(&mut e, Field::Profile, "Write the author's name.");
    } else if chars(name) > AUTHOR_MAX {
        push(
            &mut e,
            Field::Profile,
            format!("Keep the name under {AUTHOR_MAX} characters."),
        );
    }
    if chars(p.role_title.trim()) > ROLE_TITLE_MAX {
        push(
            &mut e,
            Field::Profile,
            format!("Keep the role under {ROLE_TITLE_MAX} characters."),
        );
    }
    if chars(p.bio.trim()) > BIO_MAX {
        push(
            &mut e,
            Field::Profile,
            format!("Keep the bio under {BIO_MAX} characters."),
        );
    }
    if chars(&p.links) > LINKS_MAX {
        push(
            &mut e,
            Field::Profile,
            format!("Keep the links under {LINKS_MAX} characters."),
        );
    } else if let Some(bad) = p.links.lines().map(str::trim).find(|l| {
        !(l.is_empty() || l.starts_with("https://") || l.starts_with("http://"))
            || l.contains(char::is_whitespace)
    }) {
        push(
            &mut e,
            Field::Profile,
            format!(
                "“{}” is not a web address (https://…).",
                bad.chars().take(40).collect::<String>()
            ),
        );
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::newsroom::Pick;

    fn good() -> ArticleForm {
        ArticleForm {
            title: "Harbour plan approved".into(),
            category: "politics".into(),
            excerpt: "The council voted.".into(),
            body_md: "Text.".into(),
            author_name: "Maren Holt".into(),
            ..Default::default()
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<Field> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_form_passes() {
        assert!(check_form(&good()).is_empty());
        assert!(check_ready(&good()).is_empty());
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut f = good();
        f.title = "Hi".into();
        f.slug = "Bad Slug".into();
        f.category = "".into();
        f.excerpt = "x".repeat(EXCERPT_MAX + 1);
        f.author_name = " ".into();
        f.pick_order = -1;
        f.read_also = vec![
            Pick {
                slug: "a".into(),
                title: "A".into()
            };
            2
        ];
        assert_eq!(
            fields(&check_form(&f)),
            [
                Field::Title,
                Field::Slug,
                Field::Category,
                Field::Excerpt,
                Field::AuthorName,
                Field::ReadAlso,
                Field::PickOrder
            ]
        );
    }

    #[test]
    fn drafts_may_be_empty_but_not_published_ones() {
        let mut f = good();
        f.excerpt.clear();
        f.body_md = "  ".into();
        assert!(check_form(&f).is_empty());
        assert_eq!(fields(&check_ready(&f)), [Field::Excerpt, Field::Body]);
    }

    #[test]
    fn slugs() {
        assert!(slug_is_valid("harbour-plan-2"));
        for bad in ["", "-a", "a-", "a--b", "Ab", "a b", "é"] {
            assert!(!slug_is_valid(bad), "{bad}");
        }
        assert_eq!(
            slug_preview("  Harbour: the £40m plan!  "),
            "harbour-the-40m-plan"
        );
        assert!(slug_preview(&"word ".repeat(50)).len() <= SLUG_MAX);
    }

    #[test]
    fn accounts() {
        assert!(check_account("ed@example.org", "Ed").is_empty());
        assert!(check_password("long enough pw").is_empty());
        assert_eq!(
            fields(&check_account("nope", "")),
            [Field::Email, Field::DisplayName]
        );
        assert_eq!(fields(&check_password("short")), [Field::Password]);
        assert_eq!(fields(&check_account("a@b", "Ed")), [Field::Email]);
    }

    #[test]
    fn notes() {
        assert!(check_note("Corrected the date.").is_empty());
        assert_eq!(fields(&check_note("  ")), [Field::Note]);
        assert_eq!(
            fields(&check_note(&"x".repeat(NOTE_MAX + 1))),
            [Field::Note]
        );
    }
}
