//! The newsroom's data: accounts, roles, the article form and what saving it can answer.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Editor,
    Author,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Author];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Author => "author",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Editor => "Editor",
            Role::Author => "Author",
        }
    }

    /// Publish, schedule, unpublish; edit anyone's article; set Editor's Pick.
    pub fn is_editor(self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }

    pub fn manages_users(self) -> bool {
        self == Role::Admin
    }
}

/// The logged-in user as the browser may know them: no hash, no session token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

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
    pub author_name: String,
    pub image: Option<MediaRef>,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    pub read_also: Vec<Pick>,
    pub editors_pick: bool,
    pub pick_order: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Title,
    Slug,
    Category,
    Excerpt,
    Body,
    AuthorName,
    Image,
    ImageAlt,
    ImageCaption,
    ImageCredit,
    ReadAlso,
    PickOrder,
    PublishAt,
    Note,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "Title",
            Field::Slug => "Address (slug)",
            Field::Category => "Section",
            Field::Excerpt => "Excerpt",
            Field::Body => "Body",
            Field::AuthorName => "Author",
            Field::Image => "Featured image",
            Field::ImageAlt => "Alt text",
            Field::ImageCaption => "Caption",
            Field::ImageCredit => "Credit",
            Field::ReadAlso => "READ ALSO",
            Field::PickOrder => "Pick order",
            Field::PublishAt => "Publish at",
            Field::Note => "Update note",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
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
}

/// Someone else saved first. Nothing of either version is lost: theirs is in the database,
/// yours is still in your form (and your browser's local copy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub current: EditorArticle,
    pub changed: Vec<Field>,
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

    /// Only editors and admins make things public or take them down.
    pub fn needs_editor(&self) -> bool {
        matches!(
            self,
            StatusAction::Schedule(_) | StatusAction::Publish | StatusAction::Unpublish
        )
    }

    /// The status this action leads to, if it is allowed from `from`.
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminRow {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub category: String,
    pub author: String,
    pub updated: String,
    pub public_url: Option<String>,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created: String,
}
