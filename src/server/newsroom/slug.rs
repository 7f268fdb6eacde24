//! Slugs for article addresses.

/// Longest slug we produce from a title; long headlines make unwieldy URLs.
pub const MAX_SLUG_LEN: usize = crate::model::validate::SLUG_MAX;

/// "Harbour Council Backs €40m Plan!" -> "harbour-council-backs-eur40m-plan".
/// Non-Latin scripts are transliterated; a title with no usable character gets "article".
pub fn slugify(title: &str) -> String {
    let mut s = slug::slugify(title);
    if s.len() > MAX_SLUG_LEN {
        let cut = s[..MAX_SLUG_LEN].rfind('-').unwrap_or(MAX_SLUG_LEN);
        s.truncate(cut);
    }
    if s.is_empty() {
        "article".into()
    } else {
        s
    }
}

/// Tag or author names as an editor typed them, as (address, name) pairs: spaces tidied, empty ones
/// and repeats (names with the same address) left out, the order kept.
pub fn tag_pairs(names: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for name in names {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if !name.chars().any(char::is_alphanumeric) {
            continue;
        }
        let slug = slugify(&name);
        if !out.iter().any(|(s, _)| *s == slug) {
            out.push((slug, name));
        }
    }
    out
}

/// `base`, or `base-2`, `base-3`... : the first that `taken` says is free.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .expect("an unbounded range always finds a free slug")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::slug_is_valid;

    #[test]
    fn slugs_from_titles() {
        assert_eq!(
            slugify("Harbour Council Backs New Ferry Plan"),
            "harbour-council-backs-new-ferry-plan"
        );
        assert_eq!(
            slugify("  Crème brûlée: a café's secret!  "),
            "creme-brulee-a-cafe-s-secret"
        );
        assert_eq!(slugify("Привет мир"), "privet-mir");
        assert_eq!(slugify("!!!"), "article");
        let names: Vec<String> = ["  Harbour   plan ", "harbour-plan", "", "!!", "Café"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            tag_pairs(&names),
            vec![
                ("harbour-plan".to_string(), "Harbour plan".to_string()),
                ("cafe".to_string(), "Café".to_string())
            ]
        );
        let long = slugify(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG_LEN && slug_is_valid(&long), "{long}");
    }

    #[test]
    fn uniqueness_suffixes() {
        let taken = ["x", "x-2"];
        assert_eq!(unique("y", |s| taken.contains(&s)), "y");
        assert_eq!(unique("x", |s| taken.contains(&s)), "x-3");
    }
}
