//! The history of an article: every save is a revision (autosaves coalesce), any revision can
//! be restored, and a save based on an old version is answered with both versions side by side.

use super::{facts, Newsroom};
use crate::error::AppError;
use crate::model::newsroom::*;
use crate::model::policy::{require, Action, Actor};
use crate::server::dates;
use crate::server::db::newsroom as db;

/// Autosaves by the same person within this many seconds share one revision.
const AUTOSAVE_COALESCE: i64 = 10 * 60;
/// An article's history keeps its newest autosaves and its newest revisions of any kind up to
/// these counts; older ones are pruned with every new revision.
pub const KEEP_AUTOSAVES: u32 = 20;
pub const KEEP_REVISIONS: u32 = 300;
/// Lines of the history per page.
pub const HISTORY_PAGE: u32 = 30;

/// Why a revision was written (stored as its `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revision {
    Create,
    Save,
    /// Text kept while typing; a person's autosaves within a few minutes share one revision,
    /// so a morning of typing is a handful of revisions, not thousands.
    Autosave,
    Restore,
    Status,
    Schedule,
    /// The first revision of an article the WordPress import wrote.
    Import,
}

impl Revision {
    fn kind(self) -> &'static str {
        match self {
            Revision::Create => "create",
            Revision::Save => "save",
            Revision::Autosave => "autosave",
            Revision::Restore => "restore",
            Revision::Status => "status",
            Revision::Schedule => "schedule",
            Revision::Import => "import",
        }
    }

    /// Writes the revision inside the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn record(
        self,
        tx: &mut crate::server::db::WriteTx,
        article_id: i64,
        version: i64,
        status: Status,
        user_id: Option<i64>,
        now: i64,
        form: &ArticleForm,
    ) -> Result<(), AppError> {
        let snapshot = snapshot(form)?;
        match (self, user_id) {
            (Revision::Autosave, Some(user_id)) => {
                db::upsert_autosave(
                    tx.conn(),
                    article_id,
                    version,
                    status.as_str(),
                    user_id,
                    now,
                    AUTOSAVE_COALESCE,
                    &snapshot,
                )
                .await?
            }
            _ => {
                db::add_revision(
                    tx.conn(),
                    article_id,
                    version,
                    self.kind(),
                    status.as_str(),
                    user_id,
                    now,
                    &snapshot,
                )
                .await?;
            }
        }
        db::prune_revisions(tx.conn(), article_id, KEEP_AUTOSAVES, KEEP_REVISIONS).await?;
        Ok(())
    }
}

fn snapshot(form: &ArticleForm) -> Result<String, AppError> {
    serde_json::to_string(form).map_err(|e| AppError::internal("revision snapshot", e))
}

/// Their text against mine, line by line, removals before additions. A pathological pair of
/// texts gets a coarser answer after a short while instead of holding the request.
pub fn diff_lines(theirs: &str, mine: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let (old, new): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), mine.lines().collect());
    TextDiff::configure()
        .timeout(std::time::Duration::from_millis(300))
        .diff_slices(&old, &new)
        .iter_all_changes()
        .map(|change| {
            let line = change.value().to_string();
            match change.tag() {
                ChangeTag::Equal => DiffLine::Same(line),
                ChangeTag::Delete => DiffLine::Theirs(line),
                ChangeTag::Insert => DiffLine::Mine(line),
            }
        })
        .collect()
}

impl Newsroom {
    /// The answer to a save based on an old version: the saved version, what differs from
    /// `mine`, and the two bodies compared.
    pub(super) async fn conflict(
        &self,
        actor: &Actor,
        id: i64,
        mine: &ArticleForm,
    ) -> Result<SaveResult, AppError> {
        let current = self.load(actor, id).await?;
        let changed = current.form.changed_fields(mine);
        let body_diff = if changed.contains(&crate::model::validate::Field::Body) {
            diff_lines(&current.form.body_md, &mine.body_md)
        } else {
            vec![]
        };
        Ok(SaveResult::Conflict(Box::new(Conflict {
            current,
            changed,
            body_diff,
        })))
    }

    /// A page of the history, newest first: the revisions before `before` (from the newest
    /// when `None`), and where the next older page starts.
    pub async fn revisions(
        &self,
        actor: &Actor,
        id: i64,
        before: Option<i64>,
    ) -> Result<RevisionPage, AppError> {
        let row = self.row_or_404(id).await?;
        require(actor, Action::ViewArticle(facts(&row)))?;
        // One more than a page: whether there is an older page at all.
        let rows = db::revisions(&self.pool, id, before, HISTORY_PAGE + 1).await?;
        let (rows, older) = crate::server::db::older_page(rows, HISTORY_PAGE, |r| r.id);
        let items = rows
            .into_iter()
            .map(|r| RevisionInfo {
                id: r.id,
                // Without an account: the import wrote it, or the scheduler published.
                by: r.user_name.unwrap_or_else(|| match r.kind.as_str() {
                    "import" => "WordPress import".into(),
                    _ => "Scheduler".into(),
                }),
                version: r.version,
                kind: r.kind,
                status: Status::parse(&r.status).unwrap_or(Status::Draft),
                at: dates::date_time(r.saved_at, &self.tz),
                title: r.title.unwrap_or_default(),
            })
            .collect();
        Ok(RevisionPage { items, older })
    }

    pub async fn revision_form(
        &self,
        actor: &Actor,
        id: i64,
        revision_id: i64,
    ) -> Result<ArticleForm, AppError> {
        let row = self.row_or_404(id).await?;
        require(actor, Action::ViewArticle(facts(&row)))?;
        let rev = db::revision(&self.pool, id, revision_id)
            .await?
            .ok_or_else(|| AppError::not_found("There is no such revision."))?;
        serde_json::from_str(&rev.snapshot)
            .map_err(|e| AppError::internal("reading a revision snapshot", e))
    }

    /// Restores a revision as a new save (the history keeps everything in between).
    pub async fn restore(
        &self,
        actor: &Actor,
        id: i64,
        revision_id: i64,
        base_version: i64,
    ) -> Result<SaveResult, AppError> {
        let form = self.revision_form(actor, id, revision_id).await?;
        self.write(
            actor,
            SaveRequest {
                id,
                base_version,
                form,
                autosave: false,
            },
            Revision::Restore,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_changed_lines() {
        assert_eq!(
            diff_lines("a\nb\nc", "a\nB\nc\nd"),
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Theirs("b".into()),
                DiffLine::Mine("B".into()),
                DiffLine::Same("c".into()),
                DiffLine::Mine("d".into()),
            ]
        );
        assert!(diff_lines("same\n", "same\n")
            .iter()
            .all(|l| matches!(l, DiffLine::Same(_))));
    }
}
