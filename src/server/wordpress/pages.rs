//! WordPress pages become pages here: published ones published, drafts as drafts, each under
//! its parent (parents first, whatever order the export lists them in), at the address its
//! parents' slugs and its own make. Their old addresses (the permalink, `/?page_id=N`,
//! `/?p=N`) answer 301. Written after the posts, in one transaction (a site has a few dozen).

use super::{prepare, Images, ImportError, Item, Report, Scan, Sections, Target};
use crate::model::newsroom::ArticleForm;
use crate::server::db::{self, articles::NewRow, imports};
use std::collections::{HashMap, HashSet};

/// What the import's run knows that the pages need.
pub(super) struct Run<'a, 'b> {
    pub site: &'a str,
    pub imported: &'a HashSet<i64>,
    pub scanned: &'a Scan,
    pub sections: &'a Sections,
    pub target: &'a Target<'b>,
    pub dry_run: bool,
    pub slugs_in_run: &'a mut HashSet<String>,
}

/// How deep `id` sits among `parents` (0: at the top), a circle counting as the top.
fn depth(id: i64, parents: &HashMap<i64, i64>) -> usize {
    let mut seen = vec![id];
    let mut at = id;
    while let Some(&p) = parents.get(&at) {
        if p == 0 || seen.contains(&p) || !parents.contains_key(&p) {
            break;
        }
        seen.push(p);
        at = p;
    }
    seen.len() - 1
}

pub(super) async fn write(
    run: Run<'_, '_>,
    pages: Vec<Item>,
    images: &mut Images<'_>,
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut wanted = Vec::new();
    for item in pages {
        let status = match super::status_here(&item.status, "pages") {
            Ok(status) => status,
            Err(what) => {
                *report.not_imported.entry(what).or_default() += 1;
                continue;
            }
        };
        if run.imported.contains(&item.id) {
            report.already_imported += 1;
            continue;
        }
        wanted.push((item, status));
    }
    if wanted.is_empty() {
        return Ok(());
    }
    // Parents first.
    let parents: HashMap<i64, i64> = wanted.iter().map(|(i, _)| (i.id, i.post_parent)).collect();
    wanted.sort_by_key(|(i, _)| (depth(i.id, &parents), i.id));
    let t = run.target;
    let failed = ImportError::Write;
    if run.dry_run {
        for (_, status) in &wanted {
            count(report, status);
        }
        return Ok(());
    }
    let mut tx = db::begin_write(t.pool).await.map_err(failed)?;
    // A page's section is never shown; the column wants one.
    let section = db::articles::categories(t.pool)
        .await
        .map_err(failed)?
        .into_iter()
        .next()
        .map(|c| (c.id, c.slug))
        .unwrap_or((1, String::new()));
    // The pages written before (a second run) and in this one: WordPress id → (id, path).
    let mut here = imports::imported_pages(tx.conn(), run.site)
        .await
        .map_err(failed)?;
    let mut recorded = Vec::new();
    let mut redirects = Vec::new();
    for (item, status) in wanted {
        let Some(mut p) = prepare(
            &item,
            status,
            run.scanned,
            run.sections,
            images,
            t.hosts,
            t.tz,
            t.now,
            report,
        )
        .await?
        else {
            continue;
        };
        let parent = (item.post_parent > 0)
            .then(|| here.get(&item.post_parent).cloned())
            .flatten();
        if item.post_parent > 0 && parent.is_none() {
            report.notes.push(format!(
                "page {} “{}”: its parent page {} is not in the export; now at the top",
                item.id, p.article.title, item.post_parent
            ));
        }
        // A slug of its own, and at the top none of the portal's own addresses.
        let mut base = p.slug.clone();
        if parent.is_none() && !crate::routes::is_free_for_a_page(&base) {
            base = format!("{base}-page");
            report.notes.push(format!(
                "page {} “{}”: /{} is one of the portal's own addresses; now /{base}",
                item.id, p.article.title, p.slug
            ));
        }
        let mut slug = base.clone();
        let mut n = 1;
        while run.slugs_in_run.contains(&slug)
            || imports::slug_taken(tx.conn(), &slug)
                .await
                .map_err(failed)?
        {
            n += 1;
            slug = format!("{base}-{n}");
        }
        run.slugs_in_run.insert(slug.clone());
        let path = match &parent {
            Some((_, path)) => format!("{path}/{slug}"),
            None => slug.clone(),
        };
        let parent_slug = match &parent {
            Some((_, path)) => path.rsplit('/').next().unwrap_or_default().to_string(),
            None => String::new(),
        };
        let a = &mut p.article;
        a.slug = slug.clone();
        a.category_id = section.0;
        a.author_name = String::new();
        a.authors.clear();
        a.tags.clear();
        a.editors_pick = false;
        a.pick_order = 0;
        // (A page has no lead image: one WordPress gave it is dropped, its images in the body
        // are kept.)
        a.image_id = None;
        a.image_url = None;
        a.image_srcset = String::new();
        a.image_width = None;
        a.image_height = None;
        a.image_alt = String::new();
        a.image_caption = String::new();
        a.page_path = Some(path.clone());
        a.parent_id = parent.as_ref().map(|(id, _)| *id);
        let form = ArticleForm {
            title: a.title.clone(),
            slug: slug.clone(),
            category: section.1.clone(),
            excerpt: a.excerpt.clone(),
            body_md: a.body_md.clone(),
            parent: parent_slug,
            is_page: true,
            ..Default::default()
        };
        let row = NewRow {
            id: None,
            created_at: p.created_at,
            updated_at: p.updated_at,
            author_id: None,
        };
        let id = crate::server::newsroom::write_imported(&mut tx, &p.article, row, &form)
            .await
            .map_err(|source| ImportError::Article {
                title: p.article.title.clone(),
                source,
            })?;
        count(report, status);
        here.insert(item.id, (id, path.clone()));
        recorded.push((item.id, id));
        if status != "draft" {
            let to = crate::server::newsroom::page_href(&path);
            let mut old = p.old.clone();
            old.push(format!("/?page_id={}", item.id));
            for from in old {
                if let Some(key) = crate::server::redirects::key(&from) {
                    if key != to {
                        redirects.push((key, to.clone()));
                    }
                }
            }
        }
    }
    imports::record_posts(tx.conn(), run.site, &recorded, t.now)
        .await
        .map_err(failed)?;
    report.redirects += imports::add_redirects(tx.conn(), &redirects, "wordpress", t.now)
        .await
        .map_err(failed)? as usize;
    tx.commit().await.map_err(failed)?;
    Ok(())
}

fn count(report: &mut Report, status: &str) {
    if status == "draft" {
        report.page_drafts += 1;
    } else {
        report.pages += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::depth;
    use std::collections::HashMap;

    #[test]
    fn parents_come_first_and_circles_end() {
        let parents: HashMap<i64, i64> = [(1, 0), (2, 1), (3, 2), (4, 99), (5, 6), (6, 5)]
            .into_iter()
            .collect();
        assert_eq!(depth(1, &parents), 0);
        assert_eq!(depth(2, &parents), 1);
        assert_eq!(depth(3, &parents), 2);
        assert_eq!(depth(4, &parents), 0);
        assert!(depth(5, &parents) <= 1);
    }
}
