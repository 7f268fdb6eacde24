//! The newsroom under /admin: login, dashboard, the article editor, users.

pub mod dashboard;
pub mod editor;
pub mod frame;
pub mod login;
pub mod users;
