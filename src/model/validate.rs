//! The rules an article must follow. The form checks them as you type; the server checks
//! the same ones (plus what only it can know: slug uniqueness, existing sections) on save.

use super::admin::{ArticleForm, Field, FieldError, Role};

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
    errors.push(FieldError {
        field,
        message: message.into(),
    });
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
    if form.category.trim().is_empty() {
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
    if form.author_name.trim().is_empty() {
        push(
            &mut e,
            Field::AuthorName,
            "Name the author as readers should see it.",
        );
    } else if chars(form.author_name.trim()) > AUTHOR_MAX {
        push(
            &mut e,
            Field::AuthorName,
            format!("Keep it under {AUTHOR_MAX} characters."),
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
    if !(0..=PICK_ORDER_MAX).contains(&form.pick_order) {
        push(
            &mut e,
            Field::PickOrder,
            format!("Use a number from 0 to {PICK_ORDER_MAX}."),
        );
    }
    e
}

/// Extra rules before an article goes to readers (publish or schedule) or to review.
pub fn check_ready(form: &ArticleForm) -> Vec<FieldError> {
    let mut e = check_form(form);
    if form.excerpt.trim().is_empty() {
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

pub fn check_note(note: &str) -> Option<FieldError> {
    let n = chars(note.trim());
    if n == 0 {
        Some(FieldError {
            field: Field::Note,
            message: "Write the note first.".into(),
        })
    } else if n > NOTE_MAX {
        Some(FieldError {
            field: Field::Note,
            message: format!("Keep it under {NOTE_MAX} characters."),
        })
    } else {
        None
    }
}

/// Account fields, for the admin's user form and the command line alike.
pub fn check_account(email: &str, name: &str, password: Option<&str>) -> Vec<String> {
    let mut e = Vec::new();
    let email = email.trim();
    let at = email.find('@');
    if email.len() > EMAIL_MAX
        || at.is_none_or(|i| i == 0 || i == email.len() - 1 || !email[i + 1..].contains('.'))
        || email.contains(char::is_whitespace)
    {
        e.push("Enter a valid e-mail address.".to_string());
    }
    if name.trim().is_empty() || chars(name.trim()) > NAME_MAX {
        e.push(format!(
            "Enter a display name (at most {NAME_MAX} characters)."
        ));
    }
    if let Some(p) = password {
        if chars(p) < PASSWORD_MIN || chars(p) > PASSWORD_MAX {
            e.push(format!(
                "Passwords need {PASSWORD_MIN} to {PASSWORD_MAX} characters."
            ));
        }
    }
    e
}

/// Which fields differ between two versions of an article.
pub fn changed_fields(a: &ArticleForm, b: &ArticleForm) -> Vec<Field> {
    let mut f = Vec::new();
    let pairs: [(Field, bool); 11] = [
        (Field::Title, a.title != b.title),
        (Field::Slug, a.slug != b.slug),
        (Field::Category, a.category != b.category),
        (Field::Excerpt, a.excerpt != b.excerpt),
        (Field::Body, a.body_md != b.body_md),
        (Field::AuthorName, a.author_name != b.author_name),
        (
            Field::Image,
            a.image.as_ref().map(|i| i.id) != b.image.as_ref().map(|i| i.id),
        ),
        (Field::ImageAlt, a.image_alt != b.image_alt),
        (Field::ImageCaption, a.image_caption != b.image_caption),
        (Field::ImageCredit, a.image_credit != b.image_credit),
        (Field::ReadAlso, a.read_also != b.read_also),
    ];
    for (field, differs) in pairs {
        if differs {
            f.push(field);
        }
    }
    if a.editors_pick != b.editors_pick || a.pick_order != b.pick_order {
        f.push(Field::PickOrder);
    }
    f
}

/// Whether a role may change Editor's Pick (authors' saves keep whatever an editor set).
pub fn may_set_pick(role: Role) -> bool {
    role.is_editor()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Theirs(String),
    Mine(String),
}

/// A line diff (longest common subsequence) to show what changed between two texts.
/// Texts over a few thousand lines are compared as two blocks instead.
pub fn diff_lines(theirs: &str, mine: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = theirs.lines().collect();
    let b: Vec<&str> = mine.lines().collect();
    if a.len() * b.len() > 4_000_000 {
        let mut out: Vec<DiffLine> = a.iter().map(|l| DiffLine::Theirs(l.to_string())).collect();
        out.extend(b.iter().map(|l| DiffLine::Mine(l.to_string())));
        return out;
    }
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(DiffLine::Mine(b[j].to_string()));
            j += 1;
        } else {
            out.push(DiffLine::Theirs(a[i].to_string()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::admin::Pick;

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
        assert!(check_account("ed@example.org", "Ed", Some("long enough pw")).is_empty());
        assert_eq!(check_account("nope", "", Some("short")).len(), 3);
        assert_eq!(check_account("a@b", "Ed", None).len(), 1);
    }

    #[test]
    fn diff_marks_changed_lines() {
        let d = diff_lines("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Mine("B".into()),
                DiffLine::Theirs("b".into()),
                DiffLine::Same("c".into()),
                DiffLine::Mine("d".into()),
            ]
        );
    }

    #[test]
    fn changed_fields_lists_differences() {
        let a = good();
        let mut b = good();
        b.body_md.push_str(" More.");
        b.editors_pick = true;
        assert_eq!(changed_fields(&a, &b), [Field::Body, Field::PickOrder]);
    }
}
