//! Which portal section an imported post goes to, and the addresses of WordPress's categories.

use super::{ImportError, Options, Report};
use crate::server::db::{self, imports, Conn, Pool};
use std::collections::HashMap;

/// The portal's sections, and how the export's categories map onto them.
pub(super) struct Sections {
    /// slug → id, and lower-case name → slug.
    pub(super) by_slug: HashMap<String, i64>,
    pub(super) by_name: HashMap<String, String>,
    /// WordPress category (lower case slug or name) → portal slug, from `--map`.
    pub(super) map: HashMap<String, String>,
}

impl Sections {
    pub(super) async fn load(pool: &Pool, options: &Options) -> Result<Self, ImportError> {
        let rows = db::articles::categories(pool)
            .await
            .map_err(ImportError::Read)?;
        let mut sections = Sections {
            by_slug: rows.iter().map(|c| (c.slug.clone(), c.id)).collect(),
            by_name: rows
                .iter()
                .map(|c| (c.name.to_lowercase(), c.slug.clone()))
                .collect(),
            map: HashMap::new(),
        };
        for (from, to) in &options.map {
            let to = to.trim().to_lowercase();
            let target = if sections.by_slug.contains_key(&to) {
                to
            } else if let Some(slug) = sections.by_name.get(&to) {
                slug.clone()
            } else {
                return Err(ImportError::NoSection {
                    from: from.clone(),
                    to,
                    sections: rows.iter().map(|c| c.slug.clone()).collect(),
                });
            };
            sections.map.insert(from.trim().to_lowercase(), target);
        }
        Ok(sections)
    }

    /// The slug and id of a post's section, creating the section `find` asked for (once; the
    /// rest of the run finds it). Without a connection (a dry run) nothing is written and the
    /// new section's id is 0, but the report says the same.
    pub(super) async fn resolve(
        &mut self,
        section: &Result<String, (String, String)>,
        conn: Option<Conn<'_>>,
        report: &mut Report,
    ) -> Result<(String, i64), sqlx::Error> {
        let (nicename, name) = match section {
            Ok(slug) => return Ok((slug.clone(), self.by_slug[slug])),
            Err(wanted) => wanted,
        };
        let slug = crate::server::newsroom::slug::slugify(nicename);
        if let Some(&id) = self.by_slug.get(&slug) {
            return Ok((slug, id));
        }
        let name = if name.is_empty() { nicename } else { name };
        let id = match conn {
            Some(conn) => imports::create_section(conn, &slug, name).await?,
            None => 0,
        };
        self.by_slug.insert(slug.clone(), id);
        self.by_name.insert(name.to_lowercase(), slug.clone());
        report.sections_created.push(format!("{name} ({slug})"));
        Ok((slug, id))
    }

    /// The portal section for a post's categories `(nicename, name)`: a mapped one first, then
    /// one the portal has by slug or name; `Err((slug, name))` is one to create.
    /// The second value is the WordPress category that decided.
    pub(super) fn find(
        &self,
        terms: &[(String, String)],
    ) -> (Result<String, (String, String)>, String) {
        for (nicename, name) in terms {
            for key in [nicename.to_lowercase(), name.to_lowercase()] {
                if let Some(slug) = self.map.get(&key) {
                    return (Ok(slug.clone()), nicename.clone());
                }
            }
        }
        for (nicename, name) in terms {
            if self.by_slug.contains_key(&nicename.to_lowercase()) {
                return (Ok(nicename.to_lowercase()), nicename.clone());
            }
            if let Some(slug) = self.by_name.get(&name.to_lowercase()) {
                return (Ok(slug.clone()), nicename.clone());
            }
        }
        let first = terms
            .first()
            .cloned()
            .unwrap_or_else(|| ("uncategorized".into(), "Uncategorized".into()));
        let nicename = first.0.clone();
        (Err(first), nicename)
    }
}

pub(super) fn note_section(report: &mut Report, section: &str, category: &str) {
    let used = report.sections_used.entry(section.to_string()).or_default();
    if !used.iter().any(|c| c == category) {
        used.push(category.to_string());
    }
}

/// `/category/<wp>/` → `/category/<ours>`, their feeds, and the site's feed.
pub(super) fn section_redirects(report: &Report) -> Vec<(String, String)> {
    let mut out = vec![
        ("/feed".to_string(), "/feed.xml".to_string()),
        ("/?feed=rss2".to_string(), "/feed.xml".to_string()),
        ("/feed/atom".to_string(), "/atom.xml".to_string()),
    ];
    for (ours, wps) in &report.sections_used {
        for wp in wps {
            let wp = wp.to_lowercase();
            // Even to a section of the same slug: WordPress's address has a trailing slash
            // (the redirect layer never answers an address with itself).
            out.push((format!("/category/{wp}"), crate::model::category_href(ours)));
            out.push((
                format!("/category/{wp}/feed"),
                format!("/category/{ours}/feed.xml"),
            ));
        }
    }
    out
}
