//! The editor's save machine, in plain Rust (no signals, no browser), so tests drive it
//! directly. It decides when a save may start, what is sent, what an answer means (saved,
//! invalid, refused because someone else saved first, failed), what the status line says,
//! and when this browser's copy of the text may go. The view (`super`) only wires it to
//! signals, timers, local storage and the server.
//!
//! Nothing typed is lost: the browser's copy is dropped only when the server has the text,
//! a failed save is retried by the next autosave, and a conflict stops all saving until the
//! person chooses.

use crate::error::AppError;
use crate::model::article_href;
use crate::model::newsroom::*;
use crate::model::validate::{self, Field, FieldError};
use serde::{Deserialize, Serialize};
use std::future::Future;

#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    Idle,
    Saving,
    Saved { at: String, pending: bool },
    Invalid,
    Failed(String),
    Conflict,
}

/// What the editor sends next: a save, a workflow step, or a save and then a step (unsaved
/// edits always go first, as an explicit save).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub save: Option<SaveRequest>,
    pub step: Option<StatusAction>,
    /// The article and version the step is based on, if nothing is saved first.
    pub id: i64,
    pub base_version: i64,
}

/// An answer of the server, in the order the plan produced them.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Saved {
        sent: Box<ArticleForm>,
        result: Result<SaveResult, AppError>,
    },
    Stepped(Result<SaveResult, AppError>),
}

/// What the view has to do after an answer.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Followup {
    /// The server chose the address: show it in the (empty) slug field.
    pub fill_slug: Option<String>,
    /// The server says it has everything typed, as this version: this browser keeps the copy
    /// (so a save the server later loses is not lost) until the server shows that version or
    /// a newer one, when the editor next opens.
    pub acknowledged: Option<LocalCopy>,
}

/// What this browser keeps of an article while it is being edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalCopy {
    pub form: ArticleForm,
    pub base_version: i64,
    pub saved_ms: f64,
    /// The version the server said it saved this text as (none while it is unsaved).
    #[serde(default)]
    pub acknowledged: Option<i64>,
}

pub fn local_key(id: i64) -> String {
    format!("portal:article:{id}")
}

/// Text the server does not show yet, offered for restoring.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub form: ArticleForm,
    /// What the banner says about where the text comes from.
    pub message: &'static str,
}

/// Sends `plan` with the given request functions (the server functions in the browser, fakes
/// in tests) and collects the answers. A step waits for the save before it and is skipped if
/// that save did not go through.
pub async fn carry_out<S, SF, C, CF>(plan: Plan, save: S, change: C) -> Vec<Outcome>
where
    S: Fn(SaveRequest) -> SF,
    SF: Future<Output = Result<SaveResult, AppError>>,
    C: Fn(i64, i64, StatusAction) -> CF,
    CF: Future<Output = Result<SaveResult, AppError>>,
{
    let mut outcomes = Vec::new();
    let mut base_version = plan.base_version;
    if let Some(request) = plan.save {
        let sent = Box::new(request.form.clone());
        let result = save(request).await;
        let went_through = match &result {
            Ok(SaveResult::Saved(s)) if !s.pending => {
                base_version = s.version;
                true
            }
            _ => false,
        };
        outcomes.push(Outcome::Saved { sent, result });
        if !went_through {
            return outcomes;
        }
    }
    if let Some(step) = plan.step {
        outcomes.push(Outcome::Stepped(change(plan.id, base_version, step).await));
    }
    outcomes
}

#[derive(Debug, Clone)]
pub struct EditorController {
    id: i64,
    base_version: i64,
    status: Status,
    public_url: Option<String>,
    /// What the server has: the form as last saved (or loaded).
    last_saved: ArticleForm,
    state: SaveState,
    in_flight: bool,
    conflict: Option<Conflict>,
    /// Errors show for every field after an explicit save, for filled-in fields before.
    attempted: bool,
    server_errors: Vec<FieldError>,
    offer: Option<Offer>,
    /// The server's autosave of a live article, if it has one.
    server_autosave: Option<ArticleForm>,
}

impl EditorController {
    pub fn new(article: &EditorArticle) -> Self {
        EditorController {
            id: article.id,
            base_version: article.version,
            status: article.status,
            public_url: article.public_url.clone(),
            last_saved: article.form.clone(),
            state: SaveState::Idle,
            in_flight: false,
            conflict: None,
            attempted: false,
            server_errors: vec![],
            offer: article.pending_autosave.clone().map(|form| Offer {
                form,
                message:
                    "There are unsaved changes to this article from an autosave on the server.",
            }),
            server_autosave: article.pending_autosave.clone(),
        }
    }

    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn base_version(&self) -> i64 {
        self.base_version
    }

    pub fn status(&self) -> Status {
        self.status
    }

    pub fn public_url(&self) -> Option<String> {
        self.public_url.clone()
    }

    pub fn state(&self) -> &SaveState {
        &self.state
    }

    pub fn conflict(&self) -> Option<&Conflict> {
        self.conflict.as_ref()
    }

    pub fn offer(&self) -> Option<&Offer> {
        self.offer.as_ref()
    }

    pub fn is_busy(&self) -> bool {
        self.in_flight
    }

    pub fn is_dirty(&self, current: &ArticleForm) -> bool {
        *current != self.last_saved
    }

    /// Autosave runs while there are unsaved changes, unless the person has to act first
    /// (fix a field, resolve a conflict) or a save is on its way. After a failure it retries.
    pub fn autosave_due(&self, current: &ArticleForm) -> bool {
        self.is_dirty(current)
            && !self.in_flight
            && !matches!(self.state, SaveState::Invalid | SaveState::Conflict)
    }

    fn start(&mut self, explicit: bool) -> bool {
        if self.in_flight || self.conflict.is_some() {
            return false;
        }
        self.in_flight = true;
        if explicit {
            self.attempted = true;
        }
        self.state = SaveState::Saving;
        true
    }

    fn request(&self, current: &ArticleForm, autosave: bool) -> SaveRequest {
        SaveRequest {
            id: self.id,
            base_version: self.base_version,
            form: current.clone(),
            autosave,
        }
    }

    /// A save, if one may start now.
    pub fn begin_save(&mut self, current: &ArticleForm, autosave: bool) -> Option<Plan> {
        if !self.start(!autosave) {
            return None;
        }
        Some(Plan {
            save: Some(self.request(current, autosave)),
            step: None,
            id: self.id,
            base_version: self.base_version,
        })
    }

    /// A workflow step (publish, schedule...), with unsaved edits saved first.
    pub fn begin_step(&mut self, current: &ArticleForm, step: StatusAction) -> Option<Plan> {
        if self.in_flight {
            return None;
        }
        let save = self.is_dirty(current).then(|| self.request(current, false));
        if !self.start(true) {
            return None;
        }
        Some(Plan {
            save,
            step: Some(step),
            id: self.id,
            base_version: self.base_version,
        })
    }

    /// Takes in one answer of the server.
    pub fn finish(&mut self, outcome: Outcome, current: &ArticleForm) -> Followup {
        self.in_flight = false;
        let (sent, result) = match outcome {
            Outcome::Saved { sent, result } => (*sent, result),
            // A step changes no text: what the server has is what it had.
            Outcome::Stepped(result) => (self.last_saved.clone(), result),
        };
        let mut followup = Followup::default();
        match result {
            Ok(SaveResult::Saved(s)) => {
                self.base_version = s.version;
                self.status = s.status;
                self.server_errors.clear();
                let mut saved_form = sent;
                if saved_form.slug.is_empty() && !s.pending {
                    saved_form.slug = s.slug.clone();
                    if current.slug.is_empty() {
                        followup.fill_slug = Some(s.slug.clone());
                    }
                }
                if !s.pending {
                    // (A server from before pages said no address: an article's then.)
                    let href = if s.href.is_empty() {
                        article_href(&s.slug)
                    } else {
                        s.href.clone()
                    };
                    self.public_url = (s.status == Status::Published).then_some(href);
                }
                // With the slug filled in, what is on screen is what was saved.
                let mut on_screen = current.clone();
                if let Some(slug) = &followup.fill_slug {
                    on_screen.slug = slug.clone();
                }
                self.last_saved = saved_form;
                if !self.is_dirty(&on_screen) {
                    followup.acknowledged = Some(LocalCopy {
                        form: self.last_saved.clone(),
                        base_version: s.version,
                        saved_ms: 0.0,
                        // An autosave kept aside does not move the version: the copy goes
                        // when the server shows the same text.
                        acknowledged: (!s.pending).then_some(s.version),
                    });
                }
                self.state = SaveState::Saved {
                    at: s.at,
                    pending: s.pending,
                };
            }
            Ok(SaveResult::Invalid(errors)) => {
                self.attempted = true;
                self.server_errors = errors;
                self.state = SaveState::Invalid;
            }
            Ok(SaveResult::Conflict(c)) => {
                self.conflict = Some(*c);
                self.state = SaveState::Conflict;
            }
            Err(AppError::Unauthorized(m)) | Err(AppError::Forbidden(m)) => {
                self.state = SaveState::Failed(m)
            }
            Err(_) => self.state = SaveState::Failed("Not saved — retrying".into()),
        }
        followup
    }

    /// "Save my version": based on theirs now, so the save goes through.
    pub fn keep_mine(&mut self, current: &ArticleForm) -> Option<Plan> {
        let theirs = self.conflict.take()?;
        self.base_version = theirs.current.version;
        self.state = SaveState::Idle;
        self.begin_save(current, false)
    }

    /// "Discard mine, load theirs": the form to show (this browser's copy goes too).
    pub fn take_theirs(&mut self) -> Option<ArticleForm> {
        let theirs = self.conflict.take()?;
        self.last_saved = theirs.current.form.clone();
        self.base_version = theirs.current.version;
        self.status = theirs.current.status;
        self.state = SaveState::Idle;
        Some(theirs.current.form)
    }

    /// A revision was restored on the server: this is the article now.
    pub fn restored(&mut self, article: &EditorArticle) {
        self.last_saved = article.form.clone();
        self.base_version = article.version;
        self.status = article.status;
        self.state = SaveState::Saved {
            at: "just now".into(),
            pending: false,
        };
    }

    /// This browser's copy, found when the editor opens: offered if it holds text the server
    /// does not have; true when the server has it (the same text, or a version at least as
    /// new as the one it acknowledged for it) and the copy can go.
    pub fn consider_local_copy(&mut self, copy: LocalCopy, current: &ArticleForm) -> bool {
        let confirmed = copy.form == *current
            || self.server_autosave.as_ref() == Some(&copy.form)
            || copy.acknowledged.is_some_and(|v| self.base_version > v);
        if confirmed {
            return true;
        }
        self.offer = Some(Offer {
            form: copy.form,
            message: if copy.acknowledged.is_some() {
                "This browser kept text of this article that the server said it saved, but the \
                 server no longer has it."
            } else {
                "There are unsaved changes to this article from this browser (not yet saved)."
            },
        });
        false
    }

    /// The offered text, to load into the form.
    pub fn take_offer(&mut self) -> Option<ArticleForm> {
        self.offer.take().map(|o| o.form)
    }

    pub fn discard_offer(&mut self) {
        self.offer = None;
    }

    /// What this browser should keep now: the form, while it differs from the server's.
    pub fn local_copy(&self, current: &ArticleForm, now_ms: f64) -> Option<LocalCopy> {
        self.is_dirty(current).then(|| LocalCopy {
            form: current.clone(),
            base_version: self.base_version,
            saved_ms: now_ms,
            acknowledged: None,
        })
    }

    /// Every problem with the form: the server's, then the live checks for other fields.
    pub fn errors(&self, current: &ArticleForm) -> Vec<FieldError> {
        let mut all = self.server_errors.clone();
        for e in validate::check_form(current) {
            if !all.iter().any(|x| x.field == e.field) {
                all.push(e);
            }
        }
        all
    }

    /// The message under one field (`all` is what `errors` gave), once it should show: after
    /// a save was tried, or as soon as the field has something in it.
    pub fn error_for(
        &self,
        all: &[FieldError],
        current: &ArticleForm,
        field: Field,
    ) -> Option<String> {
        if !self.attempted && field_is_empty(current, field) {
            return None;
        }
        all.iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    pub fn status_text(&self, current: &ArticleForm) -> String {
        let dirty = self.is_dirty(current);
        match &self.state {
            SaveState::Idle if dirty => "Unsaved changes".to_string(),
            SaveState::Idle => "All changes saved".to_string(),
            SaveState::Saving => "Saving…".to_string(),
            SaveState::Saved { at, pending: false } if !dirty => format!("Saved at {at}"),
            SaveState::Saved { at, pending: true } if !dirty => {
                format!("Draft copy saved at {at} — not public until you update")
            }
            SaveState::Saved { .. } => "Unsaved changes".to_string(),
            SaveState::Invalid => "Not saved — check the highlighted fields".to_string(),
            SaveState::Failed(m) => m.clone(),
            SaveState::Conflict => "Not saved — someone else changed this article".to_string(),
        }
    }

    pub fn status_class(&self) -> &'static str {
        match self.state {
            SaveState::Failed(_) | SaveState::Invalid | SaveState::Conflict => "save-state bad",
            SaveState::Saving => "save-state busy",
            _ => "save-state",
        }
    }
}

fn field_is_empty(f: &ArticleForm, field: Field) -> bool {
    match field {
        Field::Title => f.title.trim().is_empty(),
        Field::Excerpt => f.excerpt.trim().is_empty(),
        Field::Body => f.body_md.trim().is_empty(),
        Field::AuthorName => f.author_name.trim().is_empty(),
        Field::ImageAlt => f.image_alt.trim().is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> EditorArticle {
        EditorArticle {
            id: 9,
            version: 3,
            status: Status::Draft,
            form: ArticleForm {
                title: "Ferry timetable".into(),
                category: "travel".into(),
                author_name: "Ada".into(),
                ..Default::default()
            },
            publish_at: None,
            public_url: None,
            page: None,
            updated: String::new(),
            updated_by: String::new(),
            notes: vec![],
            author_id: Some(1),
            pending_autosave: None,
        }
    }

    fn edited(title: &str) -> ArticleForm {
        ArticleForm {
            title: title.into(),
            ..article().form
        }
    }

    fn saved(version: i64, status: Status, slug: &str, pending: bool) -> SaveResult {
        SaveResult::Saved(Saved {
            version,
            status,
            slug: slug.into(),
            at: "14:02".into(),
            pending,
            href: format!("/article/{slug}"),
        })
    }

    #[test]
    fn a_save_goes_out_once_and_its_answer_settles_the_state() {
        let mut c = EditorController::new(&article());
        let form = edited("Ferry timetable changes");
        assert!(c.is_dirty(&form) && c.autosave_due(&form));
        assert_eq!(c.status_text(&form), "Unsaved changes");
        let plan = c.begin_save(&form, true).expect("a save starts");
        let request = plan.save.clone().unwrap();
        assert_eq!(
            (request.id, request.base_version, request.autosave),
            (9, 3, true)
        );
        assert_eq!(c.status_text(&form), "Saving…");
        // While it is on its way, nothing else starts.
        assert!(c.begin_save(&form, false).is_none());
        assert!(!c.autosave_due(&form));
        let f = c.finish(
            Outcome::Saved {
                sent: Box::new(form.clone()),
                result: Ok(saved(4, Status::Draft, "ferry-timetable-changes", false)),
            },
            &form,
        );
        assert_eq!(c.base_version(), 4);
        assert!(!c.is_dirty(&ArticleForm {
            slug: "ferry-timetable-changes".into(),
            ..form.clone()
        }));
        assert_eq!(f.fill_slug.as_deref(), Some("ferry-timetable-changes"));
        let kept = f
            .acknowledged
            .expect("the copy stays until the server shows it");
        assert_eq!(kept.acknowledged, Some(4));
        assert_eq!(
            kept.form,
            ArticleForm {
                slug: "ferry-timetable-changes".into(),
                ..form.clone()
            },
            "what was sent and acknowledged, with the address the server chose"
        );
    }

    #[test]
    fn typing_during_a_save_keeps_the_local_copy_and_the_next_autosave() {
        let mut c = EditorController::new(&article());
        let sent = edited("Ferry timetable changes");
        c.begin_save(&sent, true).unwrap();
        let typed_on = edited("Ferry timetable changes again");
        let f = c.finish(
            Outcome::Saved {
                sent: Box::new(sent),
                result: Ok(saved(4, Status::Draft, "ferry", false)),
            },
            &ArticleForm {
                slug: "ferry".into(),
                ..typed_on.clone()
            },
        );
        assert!(
            f.acknowledged.is_none(),
            "the newer text is only in this browser"
        );
        assert!(c.autosave_due(&typed_on));
        assert_eq!(c.status_text(&typed_on), "Unsaved changes");
        assert!(c.local_copy(&typed_on, 1.0).is_some());
    }

    #[test]
    fn invalid_forms_wait_for_the_person_and_failures_retry() {
        let mut c = EditorController::new(&article());
        let form = edited("Hi");
        c.begin_save(&form, false).unwrap();
        c.finish(
            Outcome::Saved {
                sent: Box::new(form.clone()),
                result: Ok(SaveResult::Invalid(vec![FieldError::new(
                    Field::Slug,
                    "Another article already uses this address.",
                )])),
            },
            &form,
        );
        assert_eq!(c.state(), &SaveState::Invalid);
        assert!(!c.autosave_due(&form), "no autosave until a field is fixed");
        let all = c.errors(&form);
        assert_eq!(
            c.error_for(&all, &form, Field::Slug).as_deref(),
            Some("Another article already uses this address.")
        );
        assert!(
            c.error_for(&all, &form, Field::Title).is_some(),
            "live check"
        );
        assert_eq!(c.status_class(), "save-state bad");

        // An explicit save is still possible; a network failure then retries on its own.
        c.begin_save(&form, false).unwrap();
        c.finish(
            Outcome::Saved {
                sent: Box::new(form.clone()),
                result: Err(AppError::Transport("offline".into())),
            },
            &form,
        );
        assert_eq!(c.status_text(&form), "Not saved — retrying");
        assert!(c.autosave_due(&form));
        // A session that ended says so.
        c.begin_save(&form, true).unwrap();
        c.finish(
            Outcome::Saved {
                sent: Box::new(form.clone()),
                result: Err(AppError::Unauthorized("Log in again.".into())),
            },
            &form,
        );
        assert_eq!(c.status_text(&form), "Log in again.");
    }

    #[test]
    fn errors_show_for_filled_fields_before_any_save_and_all_after() {
        let mut c = EditorController::new(&article());
        let shown = |c: &EditorController, form: &ArticleForm| {
            c.error_for(&c.errors(form), form, Field::Title)
        };
        let empty_title = edited("");
        assert!(shown(&c, &empty_title).is_none());
        assert!(shown(&c, &edited("Hm")).is_some());
        c.begin_save(&empty_title, false).unwrap();
        assert!(shown(&c, &empty_title).is_some());
    }

    fn conflict() -> Conflict {
        let mut theirs = article();
        theirs.version = 5;
        theirs.form.title = "Their headline".into();
        Conflict {
            changed: vec![Field::Title],
            current: theirs,
            body_diff: vec![],
        }
    }

    #[test]
    fn a_conflict_stops_saving_until_the_person_chooses() {
        let mut c = EditorController::new(&article());
        let mine = edited("My headline");
        c.begin_save(&mine, true).unwrap();
        c.finish(
            Outcome::Saved {
                sent: Box::new(mine.clone()),
                result: Ok(SaveResult::Conflict(Box::new(conflict()))),
            },
            &mine,
        );
        assert_eq!(c.state(), &SaveState::Conflict);
        assert!(c.conflict().is_some());
        assert!(!c.autosave_due(&mine));
        assert!(c.begin_save(&mine, false).is_none(), "no save over theirs");
        assert!(
            c.local_copy(&mine, 1.0).is_some(),
            "my text stays in the browser"
        );

        // Keeping mine saves on top of their version.
        let plan = c.keep_mine(&mine).unwrap();
        assert_eq!(plan.save.unwrap().base_version, 5);
        assert!(c.conflict().is_none());
    }

    #[test]
    fn taking_theirs_loads_their_form_as_saved() {
        let mut c = EditorController::new(&article());
        let mine = edited("My headline");
        c.begin_save(&mine, true).unwrap();
        c.finish(
            Outcome::Saved {
                sent: Box::new(mine.clone()),
                result: Ok(SaveResult::Conflict(Box::new(conflict()))),
            },
            &mine,
        );
        let theirs = c.take_theirs().unwrap();
        assert_eq!(theirs.title, "Their headline");
        assert!(!c.is_dirty(&theirs));
        assert_eq!(c.base_version(), 5);
        assert_eq!(c.status_text(&theirs), "All changes saved");
    }

    #[test]
    fn steps_save_unsaved_edits_first_and_keep_the_text_as_saved() {
        let mut c = EditorController::new(&article());
        let form = edited("Ready to go");
        let plan = c.begin_step(&form, StatusAction::Publish).unwrap();
        assert!(plan.save.is_some() && plan.step == Some(StatusAction::Publish));
        c.finish(
            Outcome::Saved {
                sent: Box::new(form.clone()),
                result: Ok(saved(4, Status::Draft, "ready-to-go", false)),
            },
            &form,
        );
        let on_screen = ArticleForm {
            slug: "ready-to-go".into(),
            ..form.clone()
        };
        c.finish(
            Outcome::Stepped(Ok(saved(5, Status::Published, "ready-to-go", false))),
            &on_screen,
        );
        assert_eq!(c.status(), Status::Published);
        assert_eq!(c.public_url().as_deref(), Some("/article/ready-to-go"));
        assert!(!c.is_dirty(&on_screen));
        // Nothing unsaved: a step goes alone.
        let plan = c.begin_step(&on_screen, StatusAction::Unpublish).unwrap();
        assert!(plan.save.is_none());
        assert_eq!(plan.base_version, 5);
    }

    #[test]
    fn autosaves_of_live_articles_say_they_wait_for_update() {
        let mut a = article();
        a.status = Status::Published;
        let mut c = EditorController::new(&a);
        let form = ArticleForm {
            slug: "ferry".into(),
            ..edited("Changed")
        };
        c.begin_save(&form, true).unwrap();
        c.finish(
            Outcome::Saved {
                sent: Box::new(form.clone()),
                result: Ok(saved(3, Status::Published, "ferry", true)),
            },
            &form,
        );
        assert_eq!(
            c.status_text(&form),
            "Draft copy saved at 14:02 — not public until you update"
        );
    }

    #[test]
    fn local_copies_are_offered_only_when_they_differ() {
        let mut c = EditorController::new(&article());
        let current = article().form;
        let same = LocalCopy {
            form: current.clone(),
            base_version: 3,
            saved_ms: 1.0,
            acknowledged: None,
        };
        assert!(c.consider_local_copy(same, &current), "stale: drop it");
        assert!(c.offer().is_none());
        let newer = LocalCopy {
            form: edited("Typed before the tab closed"),
            base_version: 3,
            saved_ms: 2.0,
            acknowledged: None,
        };
        assert!(!c.consider_local_copy(newer, &current));
        assert!(c
            .offer()
            .unwrap()
            .message
            .contains("this browser (not yet saved)"));
        assert_eq!(c.take_offer().unwrap().title, "Typed before the tab closed");
        assert!(c.offer().is_none());
        assert!(c.local_copy(&current, 3.0).is_none(), "nothing unsaved");
    }

    #[test]
    fn acknowledged_copies_go_only_when_the_server_shows_their_version() {
        // The server answered "saved as version 3" for this text, then lost it (a crash of
        // the machine before the write reached the disk): it still shows version 2.
        let mut older = article();
        older.version = 2;
        let mut c = EditorController::new(&older);
        let lost = LocalCopy {
            form: edited("Acknowledged, then lost"),
            base_version: 3,
            saved_ms: 1.0,
            acknowledged: Some(3),
        };
        assert!(!c.consider_local_copy(lost.clone(), &older.form));
        assert!(c
            .offer()
            .unwrap()
            .message
            .contains("the server said it saved, but the server no longer has it"));
        // Version 3 with the same text, or anything newer (a colleague's save on top):
        // the server has it.
        let mut c = EditorController::new(&article());
        assert!(c.consider_local_copy(
            LocalCopy {
                form: article().form,
                ..lost.clone()
            },
            &article().form
        ));
        let mut newer = article();
        newer.version = 4;
        let mut c = EditorController::new(&newer);
        assert!(c.consider_local_copy(lost.clone(), &newer.form));
        // An autosave of a live article the server keeps aside: the same text is there.
        let mut live = article();
        live.pending_autosave = Some(lost.form.clone());
        let mut c = EditorController::new(&live);
        assert!(c.consider_local_copy(
            LocalCopy {
                acknowledged: None,
                ..lost
            },
            &live.form
        ));
    }

    #[test]
    fn pending_autosaves_on_the_server_are_offered() {
        let mut a = article();
        a.pending_autosave = Some(edited("Waiting on the server"));
        let mut c = EditorController::new(&a);
        assert!(c
            .offer()
            .unwrap()
            .message
            .contains("an autosave on the server"));
        c.discard_offer();
        assert!(c.offer().is_none());
    }

    #[tokio::test]
    async fn a_plan_sends_its_save_then_its_step_on_the_new_version() {
        let plan = Plan {
            save: Some(SaveRequest {
                id: 9,
                base_version: 3,
                form: edited("Ready"),
                autosave: false,
            }),
            step: Some(StatusAction::Publish),
            id: 9,
            base_version: 3,
        };
        let steps = std::sync::Mutex::new(vec![]);
        let outcomes = carry_out(
            plan.clone(),
            |_| async { Ok(saved(4, Status::Draft, "ready", false)) },
            |id, base, step| {
                steps.lock().unwrap().push((id, base, step));
                async { Ok(saved(5, Status::Published, "ready", false)) }
            },
        )
        .await;
        assert_eq!(outcomes.len(), 2);
        assert_eq!(*steps.lock().unwrap(), [(9, 4, StatusAction::Publish)]);

        // A save that does not go through stops the step.
        let outcomes = carry_out(
            plan,
            |_| async { Ok(SaveResult::Invalid(vec![])) },
            |_, _, _| async { panic!("no step after a failed save") },
        )
        .await;
        assert_eq!(outcomes.len(), 1);
    }
}
