//! The masthead and the footer (admins): which sections the masthead shows and in which
//! order, and the footer's other links (a page of this site or a whole https:// address).

use super::Newsroom;
use crate::error::AppError;
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{Field, FieldError};
use crate::model::{FooterLink, Navigation};
use crate::server::db::{articles as articles_db, navigation as db};

/// Most links the footer holds besides the sections.
pub const FOOTER_LINKS_MAX: usize = 20;
const LABEL_MAX: usize = 60;

impl Newsroom {
    pub async fn navigation(&self, actor: &Actor) -> Result<Navigation, AppError> {
        require(actor, Action::ManageNavigation)?;
        let sections = articles_db::categories(&self.pool).await?;
        Ok(Navigation {
            sections: sections.iter().map(|c| c.to_model()).collect(),
            footer: db::footer_links(&self.pool)
                .await?
                .into_iter()
                .map(|(label, href)| FooterLink { label, href })
                .collect(),
            pages: crate::server::db::pages::list(&self.pool, false)
                .await?
                .into_iter()
                .filter(|p| p.status == "published")
                .map(|p| FooterLink {
                    label: p.title,
                    href: super::page_href(&p.page_path),
                })
                .collect(),
        })
    }

    /// Saves the order of every section (each once), which the masthead shows, and the
    /// footer's links; field errors for what will not do (nothing saved then).
    pub async fn save_navigation(
        &self,
        actor: &Actor,
        nav: &Navigation,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageNavigation)?;
        let existing = articles_db::categories(&self.pool).await?;
        let mut order = Vec::with_capacity(existing.len());
        for section in &nav.sections {
            match existing.iter().find(|c| c.slug == section.slug) {
                Some(c) if !order.iter().any(|(id, _)| *id == c.id) => {
                    order.push((c.id, section.in_nav))
                }
                _ => {
                    return Ok(vec![FieldError::new(
                        Field::Navigation,
                        "The sections changed meanwhile: reload the page and try again.",
                    )])
                }
            }
        }
        if order.len() != existing.len() {
            return Ok(vec![FieldError::new(
                Field::Navigation,
                "The sections changed meanwhile: reload the page and try again.",
            )]);
        }
        let mut errors = Vec::new();
        if nav.footer.len() > FOOTER_LINKS_MAX {
            errors.push(FieldError::new(
                Field::Navigation,
                format!("The footer holds at most {FOOTER_LINKS_MAX} links."),
            ));
        }
        let mut footer = Vec::with_capacity(nav.footer.len());
        for link in &nav.footer {
            let label = link.label.split_whitespace().collect::<Vec<_>>().join(" ");
            if label.is_empty() || label.chars().count() > LABEL_MAX {
                errors.push(FieldError::new(
                    Field::Navigation,
                    format!("Give each footer link a label of up to {LABEL_MAX} characters."),
                ));
                continue;
            }
            match footer_target(&link.href) {
                Some(href) => footer.push((label, href)),
                None => errors.push(FieldError::new(
                    Field::Navigation,
                    format!(
                        "“{label}”: link to a page of this site (/about-us) or a whole https:// address."
                    ),
                )),
            }
        }
        if !errors.is_empty() {
            return Ok(errors);
        }
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        db::save(tx.conn(), &order, &footer).await?;
        self.audit(&mut tx, actor, "navigation", "the masthead and the footer")
            .await?;
        tx.commit().await?;
        Ok(vec![])
    }
}

/// Where a footer link may go: a page of this site, or a whole https:// address.
fn footer_target(href: &str) -> Option<String> {
    crate::server::redirects::typed_target(href)
}

#[cfg(test)]
mod tests {
    #[test]
    fn footer_links_go_to_this_site_or_https() {
        assert_eq!(
            super::footer_target(" /about-us "),
            Some("/about-us".into())
        );
        assert_eq!(
            super::footer_target("https://jobs.example/"),
            Some("https://jobs.example/".into())
        );
        for bad in [
            "javascript:alert(1)",
            "http://x.example/",
            "//evil.example",
            "/\\evil.example",
            "about-us",
            "",
        ] {
            assert_eq!(super::footer_target(bad), None, "{bad}");
        }
    }
}
