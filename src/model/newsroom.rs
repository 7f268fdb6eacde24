//! The newsroom's data: the article form, its workflow, and what saving it can answer.

use super::fields::{Field, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Review,
    Scheduled,
    Published,
    Trash,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::Review,
        Status::Scheduled,
        Status::Published,
        Status::Trash,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Trash => "trash",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Review => "In review",
            Status::Scheduled => "Scheduled",
            Status::Published => "Published",
            Status::Trash => "Trash",
        }
    }

    /// Readers can see it: edits go live only on an explicit save, never by autosave.
    pub fn is_live(self) -> bool {
        matches!(self, Status::Published | Status::Scheduled)
    }
}

/// An import started from the newsroom, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRun {
    pub id: i64,
    pub file_name: String,
    pub dry_run: bool,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub posts_done: i64,
    pub posts_total: i64,
    /// The import's report (or, when it failed, why).
    pub report: String,
}

/// An uploaded image as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    pub id: i64,
    /// The variant pages use as `src` (800 px wide, or the largest below).
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// `srcset` over every variant.
    pub srcset: String,
    /// The largest variant, for figures in the body.
    pub large_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub slug: String,
    pub title: String,
}

/// Everything an editor edits. One struct, so that saving, revisions, local copies and the
/// conflict view all speak of the same thing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleForm {
    pub title: String,
    pub slug: String,
    pub category: String,
    pub excerpt: String,
    pub body_md: String,
    /// The byline as text: made from `authors` when it has any (older revisions have only
    /// this).
    pub author_name: String,
    /// The byline's people (profile names), in order.
    #[serde(default)]
    pub authors: Vec<String>,
    pub image: Option<MediaRef>,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    pub read_also: Vec<Pick>,
    /// Tag names, in the editor's order (absent from revisions older than tags).
    #[serde(default)]
    pub tags: Vec<String>,
    pub editors_pick: bool,
    pub pick_order: i64,
    /// A page's parent page, by its slug (empty: a page at the top; articles have none).
    #[serde(default)]
    pub parent: String,
    /// Set for a page: no section, byline or excerpt needed (what the page is, the server
    /// reads from its row, never from here).
    #[serde(default)]
    pub is_page: bool,
}

impl ArticleForm {
    /// The value of one field as text, for showing two versions side by side.
    pub fn field_text(&self, field: Field) -> String {
        match field {
            Field::Title => self.title.clone(),
            Field::Slug => self.slug.clone(),
            Field::Category => self.category.clone(),
            Field::Excerpt => self.excerpt.clone(),
            Field::Body => self.body_md.clone(),
            Field::AuthorName => {
                if self.authors.is_empty() {
                    self.author_name.clone()
                } else {
                    crate::model::byline_text(&self.authors)
                }
            }
            Field::Image => self
                .image
                .as_ref()
                .map(|i| i.url.clone())
                .unwrap_or_else(|| "(none)".into()),
            Field::ImageAlt => self.image_alt.clone(),
            Field::ImageCaption => self.image_caption.clone(),
            Field::ImageCredit => self.image_credit.clone(),
            Field::ReadAlso => self
                .read_also
                .iter()
                .map(|p| p.title.clone())
                .collect::<Vec<_>>()
                .join("; "),
            Field::Tags => self.tags.join(", "),
            Field::Parent => self.parent.clone(),
            Field::PickOrder => format!(
                "{} (order {})",
                if self.editors_pick {
                    "picked"
                } else {
                    "not picked"
                },
                self.pick_order
            ),
            _ => String::new(),
        }
    }

    /// Which fields differ between two versions of an article.
    pub fn changed_fields(&self, other: &ArticleForm) -> Vec<Field> {
        let (a, b) = (self, other);
        let pairs: [(Field, bool); 14] = [
            (Field::Title, a.title != b.title),
            (Field::Slug, a.slug != b.slug),
            (Field::Category, a.category != b.category),
            (Field::Excerpt, a.excerpt != b.excerpt),
            (Field::Body, a.body_md != b.body_md),
            (
                Field::AuthorName,
                a.author_name != b.author_name || a.authors != b.authors,
            ),
            (
                Field::Image,
                a.image.as_ref().map(|i| i.id) != b.image.as_ref().map(|i| i.id),
            ),
            (Field::ImageAlt, a.image_alt != b.image_alt),
            (Field::ImageCaption, a.image_caption != b.image_caption),
            (Field::ImageCredit, a.image_credit != b.image_credit),
            (Field::ReadAlso, a.read_also != b.read_also),
            (Field::Tags, a.tags != b.tags),
            (Field::Parent, a.parent != b.parent),
            (
                Field::PickOrder,
                a.editors_pick != b.editors_pick || a.pick_order != b.pick_order,
            ),
        ];
        pairs
            .into_iter()
            .filter_map(|(field, differs)| differs.then_some(field))
            .collect()
    }
}

/// A save as the editor sends it: the form, based on the version it was loaded at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveRequest {
    pub id: i64,
    pub base_version: i64,
    pub form: ArticleForm,
    /// A background save while typing: never changes what readers see.
    pub autosave: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub date: String,
    pub text: String,
}

/// An article as the editor opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorArticle {
    pub id: i64,
    pub version: i64,
    pub status: Status,
    pub form: ArticleForm,
    /// When it goes (or went) live, as `YYYY-MM-DDTHH:MM` in the site's timezone.
    pub publish_at: Option<String>,
    pub public_url: Option<String>,
    pub updated: String,
    pub updated_by: String,
    pub notes: Vec<Note>,
    pub author_id: Option<i64>,
    /// The editor has unsaved autosaved text for a live article (not yet public).
    pub pending_autosave: Option<ArticleForm>,
    /// Set when this is a page (About us, Imprint…) rather than an article.
    #[serde(default)]
    pub page: Option<PageFacts>,
}

/// What the editor shows of a page besides the form: where it lives and where it may move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageFacts {
    /// Its address, "/about-us/our-team".
    pub path: String,
    /// The pages it may be put under (not itself, nor a page under it): (slug, title, path).
    pub parents: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub version: i64,
    pub status: Status,
    pub slug: String,
    /// "14:02" in the site's timezone.
    pub at: String,
    /// Autosave of a live article: kept on the server, not shown to readers yet.
    pub pending: bool,
    /// Its public address (an article's `/article/…`, a page's own).
    #[serde(default)]
    pub href: String,
}

/// One line of a line-by-line comparison of two texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Same(String),
    Theirs(String),
    Mine(String),
}

/// Someone else saved first. Nothing of either version is lost: theirs is in the database,
/// yours is still in your form (and your browser's local copy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub current: EditorArticle,
    pub changed: Vec<Field>,
    /// Their body against yours, line by line (empty when the bodies agree). Computed on the
    /// server, so the browser carries no diff code.
    pub body_diff: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveResult {
    Saved(Saved),
    Invalid(Vec<FieldError>),
    Conflict(Box<Conflict>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusAction {
    SubmitForReview,
    BackToDraft,
    /// `YYYY-MM-DDTHH:MM` in the site's timezone.
    Schedule(String),
    Publish,
    Unpublish,
    Trash,
    Restore,
}

impl StatusAction {
    pub fn label(&self) -> &'static str {
        match self {
            StatusAction::SubmitForReview => "Submit for review",
            StatusAction::BackToDraft => "Back to draft",
            StatusAction::Schedule(_) => "Schedule",
            StatusAction::Publish => "Publish",
            StatusAction::Unpublish => "Unpublish",
            StatusAction::Trash => "Move to trash",
            StatusAction::Restore => "Restore",
        }
    }

    /// The status this action leads to, if the workflow allows it from `from`. (Whether the
    /// actor may take it is `model::policy`'s question.)
    pub fn target(&self, from: Status) -> Option<Status> {
        use Status::*;
        match (self, from) {
            (StatusAction::SubmitForReview, Draft) => Some(Review),
            (StatusAction::BackToDraft, Review | Scheduled) => Some(Draft),
            (StatusAction::Schedule(_), Draft | Review | Scheduled) => Some(Scheduled),
            (StatusAction::Publish, Draft | Review | Scheduled) => Some(Published),
            (StatusAction::Unpublish, Published) => Some(Draft),
            (StatusAction::Trash, Draft | Review) => Some(Trash),
            (StatusAction::Restore, Trash) => Some(Draft),
            _ => None,
        }
    }
}

/// A line of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminRow {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub category: String,
    pub author: String,
    pub updated: String,
    pub public_url: Option<String>,
    /// A page's address ("/about-us/our-team"); articles have none.
    #[serde(default)]
    pub path: Option<String>,
    /// Readers' views (articles on the dashboard; pages are not counted).
    #[serde(default)]
    pub views: Option<ViewFigures>,
}

/// An article's views: the last 24 hours, the last 7 days, all time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewFigures {
    pub day: i64,
    pub week: i64,
    pub total: i64,
}

/// The dashboard's order: last updated first, or most viewed first over a span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DashboardSort {
    #[default]
    Updated,
    ViewsDay,
    ViewsWeek,
    ViewsTotal,
}

impl DashboardSort {
    pub const ALL: [DashboardSort; 4] = [
        DashboardSort::Updated,
        DashboardSort::ViewsDay,
        DashboardSort::ViewsWeek,
        DashboardSort::ViewsTotal,
    ];

    /// As the address says it (`?sort=views-day`); the default says nothing.
    pub fn as_str(self) -> &'static str {
        match self {
            DashboardSort::Updated => "",
            DashboardSort::ViewsDay => "views-day",
            DashboardSort::ViewsWeek => "views-week",
            DashboardSort::ViewsTotal => "views-total",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The hours of views it sums, back from now (`None`: not by views; `Some(None)`: all).
    pub fn hours(self) -> Option<Option<i64>> {
        match self {
            DashboardSort::Updated => None,
            DashboardSort::ViewsDay => Some(Some(24)),
            DashboardSort::ViewsWeek => Some(Some(168)),
            DashboardSort::ViewsTotal => Some(None),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionPage {
    pub items: Vec<RevisionInfo>,
    /// Where the next older page starts (`before`), if there is one.
    pub older: Option<i64>,
}

impl RevisionInfo {
    /// How the history names the kind of revision ("save", "autosave", "restore", …).
    pub fn kind_label(&self) -> &str {
        match self.kind.as_str() {
            "import" => "Imported from WordPress",
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub id: i64,
    pub version: i64,
    pub kind: String,
    pub status: Status,
    pub by: String,
    pub at: String,
    pub title: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_fields_lists_differences() {
        let a = ArticleForm {
            title: "Harbour plan approved".into(),
            body_md: "Text.".into(),
            ..Default::default()
        };
        let mut b = a.clone();
        b.body_md.push_str(" More.");
        b.editors_pick = true;
        assert_eq!(a.changed_fields(&b), [Field::Body, Field::PickOrder]);
        assert!(a.changed_fields(&a).is_empty());
    }

    #[test]
    fn workflow_targets() {
        use Status::*;
        assert_eq!(StatusAction::Publish.target(Review), Some(Published));
        assert_eq!(StatusAction::Publish.target(Published), None);
        assert_eq!(StatusAction::Unpublish.target(Published), Some(Draft));
        assert_eq!(StatusAction::Trash.target(Published), None);
        assert_eq!(StatusAction::Restore.target(Trash), Some(Draft));
    }
}

/// A tag or an author's profile as the newsroom's lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelLine {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Articles carrying it, and how many of those are published.
    pub articles: u64,
    pub published: u64,
}

/// What an editor does to a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagChange {
    /// A new name (its address follows it; the old one answers 301).
    Rename(String),
    /// Into the tag of this name: its articles move there and it goes (its address answers
    /// 301 to the other's).
    MergeInto(String),
}

/// An author's profile as the newsroom edits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub name: String,
    pub role_title: String,
    pub bio: String,
    /// Addresses elsewhere, one per line.
    pub links: String,
    pub photo: Option<MediaRef>,
    /// The newsroom account linked to it (its person edits it), if any.
    pub user_id: Option<i64>,
}

/// A profile opened for editing, with what the form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEdit {
    pub id: i64,
    pub slug: String,
    pub form: ProfileForm,
    /// The accounts it may be linked to (for those who may link; empty otherwise): (id, name).
    pub accounts: Vec<(i64, String)>,
    /// Whether the one asking may change the linked account.
    pub may_link: bool,
}

/// An old address answering 301, as the newsroom lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedirectLine {
    pub from: String,
    pub to: String,
    /// Who made it: `manual` (the newsroom, the command line), `wordpress` (an import),
    /// `label` (a renamed tag or author).
    pub source: String,
}

/// An image of the media library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryItem {
    pub media: MediaRef,
    /// The file's name as it was uploaded or imported.
    pub name: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// Who uploaded it ("" for an import).
    pub uploader: String,
    pub date: String,
    /// Whether the one asking may change its texts and delete it.
    pub editable: bool,
}

/// An article using an image (as its lead image or in its text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaUse {
    pub id: i64,
    pub title: String,
    pub status: Status,
}

/// An image's texts as the library edits them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaTexts {
    pub alt: String,
    pub caption: String,
    pub credit: String,
}
