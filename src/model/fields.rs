//! The fields of the newsroom's forms and the one shape of a problem with one: `FieldError`.
//! Every check answers with these (`validate`, the server's own checks), and every form shows
//! them next to the input they name.

use serde::{Deserialize, Serialize};

/// The field a problem belongs to, so a form can show it next to the right input.
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
    Tags,
    /// A page's parent page.
    Parent,
    /// An author's profile (name, role, bio, links).
    Profile,
    /// A redirect: its old address or its target.
    Redirect,
    /// The masthead's sections and the footer's links.
    Navigation,
    PickOrder,
    PublishAt,
    Note,
    Email,
    DisplayName,
    Password,
    /// One's own current password, asked before changing it.
    CurrentPassword,
    /// The account as a whole (the address is taken, the last admin would go).
    Account,
    /// A live coverage update's text, and a key event's title.
    LiveUpdate,
    KeyEvent,
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
            Field::Tags => "Tags",
            Field::Parent => "Parent page",
            Field::Profile => "Profile",
            Field::Redirect => "Redirect",
            Field::Navigation => "Navigation",
            Field::PickOrder => "Pick order",
            Field::PublishAt => "Publish at",
            Field::Note => "Update note",
            Field::Email => "E-mail",
            Field::DisplayName => "Display name",
            Field::Password => "Password",
            Field::CurrentPassword => "Current password",
            Field::Account => "Account",
            Field::LiveUpdate => "Update",
            Field::KeyEvent => "Key event title",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

/// The messages alone, for a single line of text (the command line, a notice).
pub fn messages(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
