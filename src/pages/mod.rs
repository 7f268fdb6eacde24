//! One module per route: the page component and the resources it reads.

pub mod archive;
pub mod article;
pub mod author;
pub mod category;
pub mod home;
pub mod newsletter;
#[cfg(feature = "newsroom")]
pub mod newsroom;
pub mod not_found;
pub mod search;
pub mod site_page;
pub mod tag;

/// "1 article", "12,500 articles": a count as readers write it, its thousands grouped.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", grouped(n))
    }
}

/// A number with its thousands grouped: 5,670.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (5670, "5,670"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(super::grouped(n), text);
        }
        assert_eq!(super::counted(0, "article", "articles"), "0 articles");
        assert_eq!(super::counted(1, "article", "articles"), "1 article");
        assert_eq!(
            super::counted(12500, "article", "articles"),
            "12,500 articles"
        );
    }
}
