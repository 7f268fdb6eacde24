//! Who may do what in the newsroom: the one place roles are checked. The server asks before
//! every action (and refuses with 403); the newsroom's pages ask the same function to decide
//! which buttons to show. Whether an action makes sense for an article's status is the
//! workflow's question (`StatusAction::target`), not this one's.

use super::accounts::{CurrentUser, Role};
use super::newsroom::{Status, StatusAction};
use crate::error::AppError;

/// Who is acting: from the session, never from the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

impl From<&CurrentUser> for Actor {
    fn from(user: &CurrentUser) -> Self {
        Actor {
            id: user.id,
            name: user.display_name.clone(),
            role: user.role,
        }
    }
}

/// What the policy needs to know of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleFacts {
    pub author_id: Option<i64>,
    pub status: Status,
    /// A page (About us, Imprint…): the editors' alone, whoever created it.
    pub is_page: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// The newsroom itself: the dashboard, the preview, finding articles for READ ALSO.
    UseNewsroom,
    CreateArticle,
    UploadMedia,
    /// The dashboard lists every article (otherwise only one's own).
    ListEveryArticle,
    ViewArticle(ArticleFacts),
    EditArticle(ArticleFacts),
    /// Put an article in (or take it out of) EDITOR'S PICK. A save by someone who may not
    /// keeps what was set.
    SetEditorsPick,
    /// Write the byline readers see. A save by someone who may not keeps the byline as it was
    /// (an author's own name, from when they created the article).
    SetByline,
    ChangeStatus(ArticleFacts, &'a StatusAction),
    /// A dated correction or update note under a published article.
    AddNote(ArticleFacts),
    /// Rename and merge tags (anyone who edits an article may tag it, creating new tags).
    ManageTags,
    /// Edit any author's profile and link profiles to accounts.
    ManageAuthors,
    /// Change an image's texts or delete it: the editors', and one's own uploads (the
    /// uploader given here).
    EditMedia(Option<i64>),
    /// Edit an author's profile: the editors', and one's own (the profile linked to one's
    /// account, given here).
    EditProfile(Option<i64>),
    /// List, create and change accounts, set their passwords.
    ManageUsers,
    /// List, add and remove redirects (old addresses answering 301).
    ManageRedirects,
    /// Choose the masthead's sections and their order, and the footer's links.
    ManageNavigation,
    /// Create pages (About us, Imprint, Privacy…); opening, editing and publishing one is
    /// the article actions' question, with the page's facts.
    CreatePage,
    /// Bring in another site's content (a WordPress export): articles, sections, redirects.
    ImportContent,
    /// Switch an article to live coverage, and end it.
    SwitchLive(ArticleFacts),
    /// Post an update to an article's live coverage.
    PostUpdate(ArticleFacts),
    /// Edit or delete an update: the editors', and one's own (its poster given here).
    ChangeUpdate(Option<i64>),
    /// Pin an update above the stream.
    PinUpdate,
    /// See the newsletter's subscriber counts and last sends.
    ViewNewsletter,
    /// Set when digests go out, and export the subscribers' addresses.
    ManageNewsletter,
}

/// May `actor` do `action`?
pub fn may(actor: &Actor, action: Action) -> bool {
    let editor = matches!(actor.role, Role::Admin | Role::Editor);
    let own = |a: &ArticleFacts| a.author_id == Some(actor.id);
    match action {
        Action::UseNewsroom | Action::CreateArticle | Action::UploadMedia => true,
        Action::ListEveryArticle
        | Action::SetEditorsPick
        | Action::SetByline
        | Action::ManageTags
        | Action::ManageAuthors
        | Action::CreatePage
        | Action::PinUpdate
        | Action::ViewNewsletter
        | Action::AddNote(_) => editor,
        // Live coverage is the paper's voice on breaking news: editors start and end it.
        Action::SwitchLive(a) => editor && !a.is_page,
        // Whoever may open the article posts to its coverage (an author, to their own).
        Action::PostUpdate(a) => !a.is_page && (editor || own(&a)),
        Action::ChangeUpdate(poster) => editor || poster == Some(actor.id),
        // Pages speak for the whole paper: the editors', whoever created one.
        Action::ViewArticle(a) | Action::EditArticle(a) | Action::ChangeStatus(a, _)
            if a.is_page =>
        {
            editor
        }
        Action::EditProfile(linked) | Action::EditMedia(linked) => {
            editor || linked == Some(actor.id)
        }
        Action::ViewArticle(a) => editor || own(&a),
        // Authors write their own drafts; once an article is scheduled or out, it is the
        // editors'.
        Action::EditArticle(a) => {
            editor || (own(&a) && matches!(a.status, Status::Draft | Status::Review))
        }
        // Only editors make things public or take them down. Authors move their own articles
        // between draft and review (and to the trash and back) while the articles are in
        // their hands: once an editor has scheduled or published one, editors decide.
        Action::ChangeStatus(a, step) => match step {
            StatusAction::Schedule(_) | StatusAction::Publish | StatusAction::Unpublish => editor,
            StatusAction::SubmitForReview
            | StatusAction::BackToDraft
            | StatusAction::Trash
            | StatusAction::Restore => {
                editor
                    || (own(&a)
                        && matches!(a.status, Status::Draft | Status::Review | Status::Trash))
            }
        },
        Action::ManageUsers
        | Action::ImportContent
        | Action::ManageRedirects
        | Action::ManageNewsletter
        | Action::ManageNavigation => actor.role == Role::Admin,
    }
}

/// `may`, as the server asks it before acting: refused is a 403.
pub fn require(actor: &Actor, action: Action) -> Result<(), AppError> {
    if may(actor, action) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    const ME: i64 = 7;

    fn actor(role: Role) -> Actor {
        Actor {
            id: ME,
            name: "Someone".into(),
            role,
        }
    }

    fn article(own: bool, status: Status) -> ArticleFacts {
        ArticleFacts {
            author_id: Some(if own { ME } else { ME + 1 }),
            status,
            is_page: false,
        }
    }

    /// One row of the matrix: [admin, editor, author on their own article, author on
    /// another's].
    fn check<'a>(what: &str, action: impl Fn(bool) -> Action<'a>, expected: [bool; 4]) {
        let got = [
            may(&actor(Role::Admin), action(false)),
            may(&actor(Role::Editor), action(false)),
            may(&actor(Role::Author), action(true)),
            may(&actor(Role::Author), action(false)),
        ];
        assert_eq!(
            got, expected,
            "{what}: [admin, editor, author (own), author (other)]"
        );
    }

    /// Every action for every role, on the actor's own article and on someone else's.
    #[test]
    fn the_whole_role_action_matrix() {
        let everyone = [true; 4];
        let editors = [true, true, false, false];
        check("use the newsroom", |_| Action::UseNewsroom, everyone);
        check("create an article", |_| Action::CreateArticle, everyone);
        check("upload media", |_| Action::UploadMedia, everyone);
        check("list every article", |_| Action::ListEveryArticle, editors);
        check("set editor's pick", |_| Action::SetEditorsPick, editors);
        check("set the byline", |_| Action::SetByline, editors);
        check("manage tags", |_| Action::ManageTags, editors);
        check("create a page", |_| Action::CreatePage, editors);
        check(
            "manage authors' profiles",
            |_| Action::ManageAuthors,
            editors,
        );
        check(
            "edit a profile (one's own or another's)",
            |own| Action::EditProfile(Some(if own { ME } else { ME + 1 })),
            [true, true, true, false],
        );
        check(
            "edit an unlinked profile",
            |_| Action::EditProfile(None),
            editors,
        );
        check(
            "manage users",
            |_| Action::ManageUsers,
            [true, false, false, false],
        );
        check(
            "manage the navigation",
            |_| Action::ManageNavigation,
            [true, false, false, false],
        );
        check(
            "manage redirects",
            |_| Action::ManageRedirects,
            [true, false, false, false],
        );
        check(
            "import content",
            |_| Action::ImportContent,
            [true, false, false, false],
        );
        check("pin a live update", |_| Action::PinUpdate, editors);
        check(
            "see the newsletter's figures",
            |_| Action::ViewNewsletter,
            editors,
        );
        check(
            "set the newsletter's schedule, export its list",
            |_| Action::ManageNewsletter,
            [true, false, false, false],
        );
        check(
            "edit or delete a live update (one's own or another's)",
            |own| Action::ChangeUpdate(Some(if own { ME } else { ME + 1 })),
            [true, true, true, false],
        );
        for status in Status::ALL {
            let name = status.as_str();
            let on = |own| article(own, status);
            check(
                &format!("view a {name} article"),
                |own| Action::ViewArticle(on(own)),
                [true, true, true, false],
            );
            let author_edits = matches!(status, Draft | Review);
            check(
                &format!("edit a {name} article"),
                |own| Action::EditArticle(on(own)),
                [true, true, author_edits, false],
            );
            check(
                &format!("add a note to a {name} article"),
                |own| Action::AddNote(on(own)),
                editors,
            );
            let steps = [
                (StatusAction::SubmitForReview, true),
                (StatusAction::BackToDraft, true),
                (StatusAction::Schedule("2030-01-01T09:00".into()), false),
                (StatusAction::Publish, false),
                (StatusAction::Unpublish, false),
                (StatusAction::Trash, true),
                (StatusAction::Restore, true),
            ];
            // An author's own steps only while the article is in their hands.
            let in_their_hands = matches!(status, Draft | Review | Trash);
            for (step, authors_may) in &steps {
                check(
                    &format!("{} a {name} article", step.label()),
                    |own| Action::ChangeStatus(on(own), step),
                    [true, true, *authors_may && in_their_hands, false],
                );
            }
            // A page is the editors', even one an author created.
            let page = |own| ArticleFacts {
                is_page: true,
                ..on(own)
            };
            check(
                &format!("view a {name} page"),
                |own| Action::ViewArticle(page(own)),
                editors,
            );
            check(
                &format!("edit a {name} page"),
                |own| Action::EditArticle(page(own)),
                editors,
            );
            check(
                &format!("switch a {name} article to live coverage"),
                |own| Action::SwitchLive(on(own)),
                editors,
            );
            check(
                &format!("post a live update to a {name} article"),
                |own| Action::PostUpdate(on(own)),
                [true, true, true, false],
            );
            check(
                &format!("switch a {name} page to live coverage"),
                |own| Action::SwitchLive(page(own)),
                [false; 4],
            );
            check(
                &format!("post a live update to a {name} page"),
                |own| Action::PostUpdate(page(own)),
                [false; 4],
            );
            for (step, _) in &steps {
                check(
                    &format!("{} a {name} page", step.label()),
                    |own| Action::ChangeStatus(page(own), step),
                    editors,
                );
            }
        }
    }

    #[test]
    fn editors_need_no_ownership_and_unowned_articles_belong_to_no_author() {
        let orphan = ArticleFacts {
            author_id: None,
            status: Draft,
            is_page: false,
        };
        assert!(may(&actor(Role::Editor), Action::EditArticle(orphan)));
        assert!(!may(&actor(Role::Author), Action::ViewArticle(orphan)));
    }
}
