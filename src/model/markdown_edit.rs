//! The editor toolbar's text operations, as pure functions on (text, selection) so they can
//! be tested without a browser. Offsets are in UTF-16 code units, as the DOM counts them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Heading,
    Bold,
    Italic,
    Link,
    Quote,
    List,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Heading,
        Format::Bold,
        Format::Italic,
        Format::Link,
        Format::Quote,
        Format::List,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Format::Heading => "Heading",
            Format::Bold => "Bold",
            Format::Italic => "Italic",
            Format::Link => "Link",
            Format::Quote => "Quote",
            Format::List => "List",
        }
    }

    pub fn glyph(self) -> &'static str {
        match self {
            Format::Heading => "H2",
            Format::Bold => "B",
            Format::Italic => "I",
            Format::Link => "Link",
            Format::Quote => "Quote",
            Format::List => "List",
        }
    }
}

fn to_byte(text: &str, utf16: usize) -> usize {
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if count >= utf16 {
            return i;
        }
        count += c.len_utf16();
    }
    text.len()
}

fn to_utf16(text: &str, byte: usize) -> usize {
    text[..byte].encode_utf16().count()
}

/// Applies `format` to the selection `start..end`; returns the new text and selection.
pub fn apply(text: &str, start: usize, end: usize, format: Format) -> (String, usize, usize) {
    let (s, e) = (to_byte(text, start.min(end)), to_byte(text, start.max(end)));
    let selected = &text[s..e];
    let (before, after) = (&text[..s], &text[e..]);
    let wrap = |left: &str, right: &str, placeholder: &str| {
        let inner = if selected.is_empty() {
            placeholder
        } else {
            selected
        };
        let new = format!("{before}{left}{inner}{right}{after}");
        let sel_start = to_utf16(&new, before.len() + left.len());
        let sel_end = sel_start + inner.encode_utf16().count();
        (new, sel_start, sel_end)
    };
    match format {
        Format::Bold => wrap("**", "**", "bold text"),
        Format::Italic => wrap("_", "_", "italic text"),
        Format::Link => {
            let inner = if selected.is_empty() {
                "link text"
            } else {
                selected
            };
            let new = format!("{before}[{inner}](https://){after}");
            // Select the address so it can be typed over.
            let url_start = to_utf16(&new, before.len() + inner.len() + 3);
            (new, url_start, url_start + "https://".len())
        }
        Format::Heading | Format::Quote | Format::List => {
            // Line formats: apply to every line the selection touches.
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let line_end = after.find('\n').map_or(text.len(), |i| e + i);
            let prefix = match format {
                Format::Heading => "## ",
                Format::Quote => "> ",
                _ => "- ",
            };
            let block = &text[line_start..line_end];
            let block = if block.is_empty() {
                format.label()
            } else {
                block
            };
            let lines: Vec<String> = block
                .split('\n')
                .map(|l| {
                    let bare = l.trim_start_matches(['#', '>', '-', ' ']);
                    if l.starts_with(prefix) {
                        bare.to_string()
                    } else {
                        format!("{prefix}{bare}")
                    }
                })
                .collect();
            let replaced = lines.join("\n");
            let new = format!("{}{}{}", &text[..line_start], replaced, &text[line_end..]);
            let a = to_utf16(&new, line_start);
            (new, a, a + replaced.encode_utf16().count())
        }
    }
}

/// Inserts `snippet` as its own paragraph at `at` (used for images).
pub fn insert_block(text: &str, at: usize, snippet: &str) -> (String, usize) {
    let b = to_byte(text, at);
    let (before, after) = text.split_at(b);
    let lead = if before.is_empty() || before.ends_with("\n\n") {
        ""
    } else if before.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let trail = if after.starts_with("\n\n") || after.is_empty() {
        ""
    } else {
        "\n\n"
    };
    let new = format!("{before}{lead}{snippet}{trail}{after}");
    let cursor = to_utf16(&new, before.len() + lead.len() + snippet.len());
    (new, cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_selection_or_placeholder() {
        assert_eq!(
            apply("say hi now", 4, 6, Format::Bold),
            ("say **hi** now".into(), 6, 8)
        );
        assert_eq!(
            apply("x", 1, 1, Format::Italic),
            ("x_italic text_".into(), 2, 13)
        );
        let (t, a, b) = apply("see this", 4, 8, Format::Link);
        assert_eq!(t, "see [this](https://)");
        assert_eq!(&t[a..b], "https://");
    }

    #[test]
    fn line_formats_toggle() {
        let (t, _, _) = apply("one\ntwo\nthree", 4, 5, Format::Heading);
        assert_eq!(t, "one\n## two\nthree");
        let (t, _, _) = apply("## two", 3, 3, Format::Heading);
        assert_eq!(t, "two");
        let (t, _, _) = apply("a\nb", 0, 3, Format::List);
        assert_eq!(t, "- a\n- b");
        let (t, _, _) = apply("", 0, 0, Format::Quote);
        assert_eq!(t, "> Quote");
    }

    #[test]
    fn offsets_are_utf16_like_the_dom() {
        // "é" is one UTF-16 unit, "😀" two.
        let (t, a, b) = apply("é😀 word", 4, 8, Format::Bold);
        assert_eq!(t, "é😀 **word**");
        assert_eq!((a, b), (6, 10));
    }

    #[test]
    fn blocks_get_their_own_paragraph() {
        let (t, c) = insert_block("para one", 8, "![x](/a.webp)");
        assert_eq!(t, "para one\n\n![x](/a.webp)");
        assert_eq!(c, t.len());
        let (t, _) = insert_block("a\n\nb", 1, "IMG");
        assert_eq!(t, "a\n\nIMG\n\nb");
    }
}
