//! What an import did, as the command line prints it and the newsroom's page shows it.

use std::collections::BTreeMap;

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub site: String,
    pub dry_run: bool,
    pub seconds: f64,
    pub published: usize,
    pub scheduled: usize,
    pub drafts: usize,
    pub already_imported: usize,
    /// Pages imported published (or scheduled), and as drafts.
    pub pages: usize,
    pub page_drafts: usize,
    /// Post statuses not imported (`private`, `trash`...) and other item types, with counts.
    pub not_imported: BTreeMap<String, usize>,
    /// Section slug → the WordPress categories filed under it.
    pub sections_used: BTreeMap<String, Vec<String>>,
    pub sections_created: Vec<String>,
    pub images_imported: usize,
    pub images_reused: usize,
    pub images_missing: Vec<String>,
    /// Per post: what was left out of its body, and titles that were shortened.
    pub notes: Vec<String>,
    pub redirects: usize,
    /// Comments on the posts and pages in the export (not imported: the portal has none).
    pub comments: usize,
}

impl Report {
    pub fn imported(&self) -> usize {
        self.published + self.scheduled + self.drafts
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.dry_run {
            "Would import"
        } else {
            "Imported"
        };
        writeln!(
            f,
            "{verb} from {} in {:.1} s: {} posts ({} published, {} scheduled, {} as drafts); \
             {} imported before, left as they are.",
            self.site,
            self.seconds,
            self.imported(),
            self.published,
            self.scheduled,
            self.drafts,
            self.already_imported
        )?;
        if self.pages + self.page_drafts > 0 {
            writeln!(
                f,
                "Pages: {} ({} published, {} as drafts), each under its parent.",
                self.pages + self.page_drafts,
                self.pages,
                self.page_drafts
            )?;
        }
        if !self.sections_used.is_empty() {
            let used: Vec<String> = self
                .sections_used
                .iter()
                .map(|(section, from)| format!("{section} ← {}", from.join(", ")))
                .collect();
            writeln!(f, "Sections: {}.", used.join("; "))?;
        }
        if !self.sections_created.is_empty() {
            writeln!(
                f,
                "New sections (not in the navigation until an editor adds them): {}.",
                self.sections_created.join(", ")
            )?;
        }
        writeln!(
            f,
            "Images: {} imported, {} imported before, {} not found.",
            self.images_imported,
            self.images_reused,
            self.images_missing.len()
        )?;
        list(f, "not found: ", &self.images_missing)?;
        if !self.not_imported.is_empty() {
            let skipped: Vec<String> = self
                .not_imported
                .iter()
                .map(|(what, n)| format!("{n} {what}"))
                .collect();
            writeln!(f, "Not imported: {}.", skipped.join(", "))?;
        }
        if self.comments > 0 {
            writeln!(
                f,
                "Comments: {} in the export, not imported (the portal has no comments).",
                self.comments
            )?;
        }
        if !self.notes.is_empty() {
            writeln!(f, "Left out or changed:")?;
            list(f, "", &self.notes)?;
        }
        write!(
            f,
            "Redirects: {} old addresses now answer 301 to the new ones.",
            self.redirects
        )
    }
}

/// Lines of a report, the first `REPORT_LINES` of them (a big site's would fill a terminal).
const REPORT_LINES: usize = 50;

fn list(f: &mut std::fmt::Formatter<'_>, prefix: &str, lines: &[String]) -> std::fmt::Result {
    for line in lines.iter().take(REPORT_LINES) {
        writeln!(f, "  {prefix}{line}")?;
    }
    if lines.len() > REPORT_LINES {
        writeln!(f, "  … and {} more", lines.len() - REPORT_LINES)?;
    }
    Ok(())
}
