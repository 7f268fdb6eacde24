//! Live coverage: an article that grows by short timestamped updates while readers keep it
//! open. The page renders the updates it has; an open page hears of every change through the
//! server's event stream (`/api/live/<article id>`), each event named by the coverage's
//! revision so a page that comes back asks for exactly what it missed.

use super::fields::{Field, FieldError};
use super::{AuthorRef, DateLabel};
use serde::{Deserialize, Serialize};

/// How many updates a page (or one "Older updates" step) shows.
pub const LIVE_PAGE_SIZE: usize = 20;
/// The longest update (Markdown characters): live updates are short.
pub const UPDATE_MAX: usize = 5_000;
/// The longest key event title.
pub const KEY_TITLE_MAX: usize = 120;

/// Where an article's live coverage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LiveState {
    /// An ordinary article.
    Off,
    Live,
    Ended,
}

impl LiveState {
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => LiveState::Live,
            2 => LiveState::Ended,
            _ => LiveState::Off,
        }
    }

    pub fn code(self) -> i64 {
        match self {
            LiveState::Off => 0,
            LiveState::Live => 1,
            LiveState::Ended => 2,
        }
    }
}

/// One update as readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveUpdate {
    pub id: i64,
    /// The coverage's revision of this update's last change.
    pub rev: i64,
    /// Rendered and sanitised on the server when it was posted or edited.
    pub html: String,
    /// A key event's short title ('' for an ordinary update).
    pub key_title: String,
    pub pinned: bool,
    pub author: Option<AuthorRef>,
    /// When it was posted: "14:07" (with the day when it is not today's) and RFC 3339.
    pub posted: DateLabel,
    /// Unix seconds of `posted`: the order of the stream.
    pub posted_at: i64,
    /// When its text last changed after posting.
    pub edited: Option<DateLabel>,
}

impl LiveUpdate {
    /// The element id of the update on its page (key events link to it).
    pub fn anchor(&self) -> String {
        update_anchor(self.id)
    }
}

pub fn update_anchor(id: i64) -> String {
    format!("update-{id}")
}

/// A key event in the list above the stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEvent {
    pub id: i64,
    pub title: String,
    pub posted: DateLabel,
    pub posted_at: i64,
}

/// An article's live coverage as its page opens with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCoverage {
    pub article_id: i64,
    pub state: LiveState,
    pub started: Option<DateLabel>,
    pub ended: Option<DateLabel>,
    /// The revision this page shows: its stream asks for what came after.
    pub rev: i64,
    pub pinned: Option<LiveUpdate>,
    /// Newest first, the pinned one not among them.
    pub updates: Vec<LiveUpdate>,
    /// Every key event, newest first.
    pub key_events: Vec<KeyEvent>,
    /// When there are older updates: the id of the oldest one shown, to ask for those before.
    pub older: Option<i64>,
    /// Whether this page shows older updates (its `?before=` address), not the newest.
    pub paged: bool,
}

/// A page of older updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OlderUpdates {
    pub updates: Vec<LiveUpdate>,
    pub older: Option<i64>,
}

/// What an open page hears: each change, named by the revision it brought (the stream's
/// event id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// A new update, or a changed one (edited, pinned, unpinned): its whole new state.
    Update { update: LiveUpdate },
    /// An update was deleted.
    Remove { id: i64 },
    /// The coverage ended (or went live again).
    State {
        state: LiveState,
        ended: Option<DateLabel>,
    },
    /// Too much changed while the page was away: it should load again.
    Reload,
}

/// The key events of a list of updates, newest first.
pub fn key_events_of<'a>(updates: impl IntoIterator<Item = &'a LiveUpdate>) -> Vec<KeyEvent> {
    let mut events: Vec<KeyEvent> = updates
        .into_iter()
        .filter(|u| !u.key_title.is_empty())
        .map(|u| KeyEvent {
            id: u.id,
            title: u.key_title.clone(),
            posted: u.posted.clone(),
            posted_at: u.posted_at,
        })
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse((e.posted_at, e.id)));
    events
}

/// The newsroom's view of one update (with its source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorUpdate {
    pub update: LiveUpdate,
    pub body_md: String,
    pub author_id: Option<i64>,
    /// The account that posted it.
    pub posted_by: Option<i64>,
    /// Whether the one asking may edit or delete it, and pin it.
    pub may_edit: bool,
    pub may_pin: bool,
}

/// The newsroom's view of an article's coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorCoverage {
    pub article_id: i64,
    pub state: LiveState,
    /// Whether the article is published (readers see updates only then).
    pub published: bool,
    /// The byline's profiles to post under: (id, name).
    pub authors: Vec<(i64, String)>,
    /// The profile linked to the one asking, when it is in the byline (the composer's choice).
    pub own_author: Option<i64>,
    pub updates: Vec<EditorUpdate>,
    pub older: Option<i64>,
    /// Whether the one asking may start and end the coverage, and post updates.
    pub may_switch: bool,
    pub may_post: bool,
}

/// An update as the composer sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UpdateForm {
    pub body: String,
    pub author_id: Option<i64>,
    /// `Some` for a key event (its title).
    pub key_title: Option<String>,
}

/// An update with nothing but its id and time, for tests of lists of updates.
#[cfg(test)]
pub fn sample_update(id: i64, at: i64) -> LiveUpdate {
    LiveUpdate {
        id,
        rev: id,
        html: String::new(),
        key_title: String::new(),
        pinned: false,
        author: None,
        posted: DateLabel {
            text: String::new(),
            iso: String::new(),
        },
        posted_at: at,
        edited: None,
    }
}

/// What is wrong with an update before it is posted (the composer shows it beside the field).
pub fn check_update(form: &UpdateForm) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let n = form.body.trim().chars().count();
    if n == 0 {
        errors.push(FieldError::new(
            Field::LiveUpdate,
            "Write the update first.",
        ));
    } else if n > UPDATE_MAX {
        errors.push(FieldError::new(
            Field::LiveUpdate,
            format!("Keep an update under {UPDATE_MAX} characters ({n} now)."),
        ));
    }
    if let Some(title) = &form.key_title {
        let n = title.trim().chars().count();
        if n == 0 {
            errors.push(FieldError::new(
                Field::KeyEvent,
                "Give the key event a short title, or untick \"Key event\".",
            ));
        } else if n > KEY_TITLE_MAX {
            errors.push(FieldError::new(
                Field::KeyEvent,
                format!("Keep the title under {KEY_TITLE_MAX} characters."),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(id: i64, at: i64, key: &str) -> LiveUpdate {
        LiveUpdate {
            key_title: key.into(),
            ..sample_update(id, at)
        }
    }

    #[test]
    fn key_events_are_the_titled_updates_newest_first() {
        let all = [
            update(1, 10, "Polls close"),
            update(2, 20, ""),
            update(3, 30, "First result"),
        ];
        let keys: Vec<_> = key_events_of(&all).into_iter().map(|k| k.id).collect();
        assert_eq!(keys, [3, 1]);
    }

    #[test]
    fn an_update_needs_text_and_a_key_event_its_title() {
        let form = |body: &str, key: Option<&str>| UpdateForm {
            body: body.into(),
            author_id: None,
            key_title: key.map(Into::into),
        };
        let fields = |f: UpdateForm| -> Vec<Field> {
            check_update(&f).into_iter().map(|e| e.field).collect()
        };
        assert!(fields(form("Polls have closed.", None)).is_empty());
        assert_eq!(fields(form("  ", None)), [Field::LiveUpdate]);
        assert_eq!(fields(form("x", Some(" "))), [Field::KeyEvent]);
        assert_eq!(
            fields(form(
                &"x".repeat(UPDATE_MAX + 1),
                Some(&"t".repeat(KEY_TITLE_MAX + 1))
            )),
            [Field::LiveUpdate, Field::KeyEvent]
        );
        assert!(fields(form("x", Some("Polls close"))).is_empty());
    }

    #[test]
    fn events_travel_as_tagged_json() {
        let json = serde_json::to_string(&LiveEvent::Remove { id: 4 }).unwrap();
        assert_eq!(json, r#"{"kind":"remove","id":4}"#);
        let back: LiveEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(back, LiveEvent::Remove { id: 4 });
        assert_eq!(
            LiveState::from_code(LiveState::Ended.code()),
            LiveState::Ended
        );
    }
}
