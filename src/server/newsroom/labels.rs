//! Labels in the newsroom, tags and authors' profiles alike: suggestions while typing them,
//! their lists; and renaming and merging tags. An old tag address always answers one 301 to
//! where its articles are now.

use super::{slug, Newsroom};
use crate::error::AppError;
use crate::model::newsroom::{LabelLine, TagChange};
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{check_tags, Field, FieldError};
use crate::model::{tag_href, Paged};
use crate::server::db::labels::{self as db, Kind, AUTHORS, TAGS};

/// Suggestions offered while typing a tag or an author.
const SUGGESTIONS: u32 = 8;
/// Lines per page of the newsroom's lists of tags and authors.
pub const LABELS_PAGE_SIZE: u32 = 50;

impl Newsroom {
    /// Existing tags starting with what is typed, the most used first.
    pub async fn tag_suggestions(
        &self,
        actor: &Actor,
        typed: &str,
    ) -> Result<Vec<String>, AppError> {
        self.suggestions(TAGS, actor, typed).await
    }

    /// Existing authors' profiles whose name starts with what is typed, the most used first.
    pub async fn author_suggestions(
        &self,
        actor: &Actor,
        typed: &str,
    ) -> Result<Vec<String>, AppError> {
        self.suggestions(AUTHORS, actor, typed).await
    }

    /// The tags, by name, those containing `q` only (when given).
    pub async fn tags(
        &self,
        actor: &Actor,
        q: &str,
        page: u32,
    ) -> Result<Paged<LabelLine>, AppError> {
        self.labels(TAGS, actor, q, page).await
    }

    /// The authors' profiles, by name, those containing `q` only (when given).
    pub async fn authors(
        &self,
        actor: &Actor,
        q: &str,
        page: u32,
    ) -> Result<Paged<LabelLine>, AppError> {
        self.labels(AUTHORS, actor, q, page).await
    }

    async fn suggestions(
        &self,
        kind: Kind,
        actor: &Actor,
        typed: &str,
    ) -> Result<Vec<String>, AppError> {
        require(actor, Action::UseNewsroom)?;
        let typed: String = typed
            .trim()
            .chars()
            .take(crate::model::limits::TAG_NAME_MAX)
            .collect();
        if typed.is_empty() {
            return Ok(vec![]);
        }
        let slug_prefix = if typed.chars().any(char::is_alphanumeric) {
            slug::slugify(&typed)
        } else {
            typed.clone()
        };
        Ok(db::suggest(kind, &self.pool, &typed, &slug_prefix, SUGGESTIONS).await?)
    }

    async fn labels(
        &self,
        kind: Kind,
        actor: &Actor,
        q: &str,
        page: u32,
    ) -> Result<Paged<LabelLine>, AppError> {
        require(actor, Action::UseNewsroom)?;
        let page = page.max(1);
        let offset = (page as u64 - 1) * LABELS_PAGE_SIZE as u64;
        let (rows, total) = db::list(kind, &self.pool, q, LABELS_PAGE_SIZE, offset).await?;
        Ok(Paged {
            items: rows
                .into_iter()
                .map(|r| LabelLine {
                    id: r.id,
                    slug: r.slug,
                    name: r.name,
                    articles: r.articles as u64,
                    published: r.published as u64,
                })
                .collect(),
            page,
            total_pages: total.div_ceil(LABELS_PAGE_SIZE as u64).max(1) as u32,
            total_items: total,
        })
    }

    /// Renames a tag or merges it into another. Field errors (under "Tags") for a name that
    /// will not do; 404 for a tag that is gone.
    pub async fn change_tag(
        &self,
        actor: &Actor,
        id: i64,
        change: &TagChange,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageTags)?;
        let now = self.clock.now();
        let name = match change {
            TagChange::Rename(n) | TagChange::MergeInto(n) => {
                n.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        };
        let errors = if name.is_empty() {
            vec![FieldError::new(Field::Tags, "Write the tag's name.")]
        } else {
            check_tags(std::slice::from_ref(&name))
        };
        if !errors.is_empty() {
            return Ok(errors);
        }
        let new_slug = slug::slugify(&name);
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let Some(tag) = db::by_id(TAGS, tx.conn(), id).await? else {
            return Err(AppError::not_found("That tag no longer exists."));
        };
        let other = db::resolve(TAGS, tx.conn(), &new_slug, &name)
            .await?
            .filter(|s| *s != tag.slug);
        let what = match change {
            TagChange::Rename(_) => {
                if let Some(taken) = other {
                    return Ok(vec![FieldError::new(
                        Field::Tags,
                        format!(
                            "There is already a tag “{name}” (/tag/{taken}). Merge into it instead."
                        ),
                    )]);
                }
                db::rename(TAGS, tx.conn(), id, &new_slug, &name).await?;
                if new_slug != tag.slug {
                    db::move_addresses(tx.conn(), &tag_href(&tag.slug), &tag_href(&new_slug), now)
                        .await?;
                }
                format!("renamed tag “{}” to “{name}”", tag.name)
            }
            TagChange::MergeInto(_) => {
                let Some(into_slug) = other else {
                    return Ok(vec![FieldError::new(
                        Field::Tags,
                        format!("There is no other tag called “{name}”. Rename this one instead."),
                    )]);
                };
                let into = db::by_slug_in(TAGS, tx.conn(), &into_slug)
                    .await?
                    .ok_or_else(|| AppError::not_found("That tag no longer exists."))?;
                db::merge(TAGS, tx.conn(), id, into.id).await?;
                db::move_addresses(tx.conn(), &tag_href(&tag.slug), &tag_href(&into.slug), now)
                    .await?;
                format!("merged tag “{}” into “{}”", tag.name, into.name)
            }
        };
        self.audit(&mut tx, actor, "tags", &what).await?;
        tx.commit().await?;
        Ok(vec![])
    }
}
