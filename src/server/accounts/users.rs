//! Managing users (admins), one's own password, the demo accounts and the audit log.

use super::hashing::{hash_password, verify};
use super::{Accounts, Note};
use crate::error::AppError;
use crate::model::accounts::{AuditEntry, AuditPage, Role, UserRow};
use crate::model::policy::{require, Action, Actor};
use crate::model::validate::{check_account, check_password, Field, FieldError};
use crate::server::db::{self, audit, users};

/// The demo tool's accounts: e-mail, name, role, password. The passwords are public (the
/// README prints them), so a server reachable from other machines refuses to start while
/// any of these accounts still has its demo password.
pub const DEMO_USERS: [(&str, &str, Role, &str); 3] = [
    (
        "editor@meridian.example",
        "Demo Editor",
        Role::Editor,
        "meridian-editor-demo",
    ),
    (
        "author@meridian.example",
        "Demo Author",
        Role::Author,
        "meridian-author-demo",
    ),
    (
        "admin@meridian.example",
        "Demo Admin",
        Role::Admin,
        "meridian-admin-demo",
    ),
];

impl Accounts {
    /// The demo accounts that still have their published passwords (and are not disabled).
    pub async fn with_demo_passwords(&self) -> Result<Vec<&'static str>, AppError> {
        let mut found = vec![];
        for (email, _, _, password) in DEMO_USERS {
            let Some(user) = users::by_email(&self.pool, email).await? else {
                continue;
            };
            if !user.disabled && verify(password.to_string(), user.password_hash).await? {
                found.push(email);
            }
        }
        Ok(found)
    }

    /// A page of the audit log (admins only).
    pub async fn audit_log(
        &self,
        actor: &Actor,
        before: Option<i64>,
    ) -> Result<AuditPage, AppError> {
        require(actor, Action::ManageUsers)?;
        const PAGE: u32 = 50;
        let rows = audit::page(&self.pool, before, PAGE + 1).await?;
        let (rows, older) = super::db::older_page(rows, PAGE, |r| r.id);
        let items = rows
            .into_iter()
            .map(|r| AuditEntry {
                at: crate::server::dates::date_time(r.at, &self.tz),
                who: r.actor,
                action: r.action,
                target: r.target,
                client: r.client,
            })
            .collect();
        Ok(AuditPage { items, older })
    }

    pub async fn list(&self, actor: &Actor) -> Result<Vec<UserRow>, AppError> {
        require(actor, Action::ManageUsers)?;
        Ok(users::list(&self.pool)
            .await?
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                role: u.role(),
                email: u.email,
                display_name: u.display_name,
                disabled: u.disabled,
                created: crate::server::dates::label(u.created_at, &self.tz).text,
            })
            .collect())
    }

    /// An admin creates an account.
    pub async fn create(
        &self,
        actor: &Actor,
        email: &str,
        display_name: &str,
        role: Role,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageUsers)?;
        let note = Note {
            actor_id: Some(actor.id),
            actor: &actor.name,
            action: "created a user",
            target: format!("{email} ({})", role.as_str()),
        };
        self.insert_user(email, display_name, role, password, Some(note))
            .await
    }

    /// Creates an account (for an admin, the command line, the demo tool); the problems with
    /// the input instead, when there are any.
    pub async fn add_user(
        &self,
        email: &str,
        display_name: &str,
        role: Role,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        self.insert_user(email, display_name, role, password, None)
            .await
    }

    /// Creates an account and writes `note` with it, in one transaction.
    async fn insert_user(
        &self,
        email: &str,
        display_name: &str,
        role: Role,
        password: String,
        note: Option<Note<'_>>,
    ) -> Result<Vec<FieldError>, AppError> {
        let mut errors = check_account(email, display_name);
        errors.extend(check_password(&password));
        if !errors.is_empty() {
            return Ok(errors);
        }
        let hash = hash_password(password).await?;
        let mut tx = db::begin_write(&self.pool).await?;
        let inserted = users::insert(
            tx.conn(),
            email,
            display_name,
            role,
            &hash,
            self.clock.now(),
        )
        .await?;
        if inserted.is_none() {
            return Ok(vec![FieldError::new(
                Field::Email,
                "An account with this e-mail address exists already.",
            )]);
        }
        self.record(&mut tx, note).await?;
        tx.commit().await?;
        Ok(vec![])
    }

    /// Changes an account's name, role or whether it may log in.
    pub async fn update(
        &self,
        actor: &Actor,
        id: i64,
        display_name: &str,
        role: Role,
        disabled: bool,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageUsers)?;
        // Read, check and write under the writer's lock: two admins demoting each other at
        // the same moment cannot leave the site without one.
        let mut tx = db::begin_write(&self.pool).await?;
        let Some(target) = users::by_id(tx.conn(), id).await? else {
            return Err(AppError::not_found("There is no such user."));
        };
        let errors = check_account(&target.email, display_name);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let loses_admin =
            target.role() == Role::Admin && !target.disabled && (role != Role::Admin || disabled);
        if loses_admin && users::active_admins(tx.conn()).await? <= 1 {
            return Ok(vec![FieldError::new(
                Field::Account,
                "The site needs at least one active admin.",
            )]);
        }
        if id == actor.id && disabled {
            return Ok(vec![FieldError::new(
                Field::Account,
                "You cannot disable your own account.",
            )]);
        }
        users::update(
            tx.conn(),
            id,
            display_name,
            role,
            disabled,
            self.clock.now(),
        )
        .await?;
        let note = Note {
            actor_id: Some(actor.id),
            actor: &actor.name,
            action: "changed a user",
            target: format!(
                "{}: {}{}",
                target.email,
                role.as_str(),
                if disabled { ", disabled" } else { "" }
            ),
        };
        self.record(&mut tx, Some(note)).await?;
        tx.commit().await?;
        Ok(vec![])
    }

    /// An admin sets someone's password; every session of theirs ends.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        id: i64,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        require(actor, Action::ManageUsers)?;
        let email = users::by_id(self.pool.acquire().await?.conn(), id)
            .await?
            .map(|u| u.email)
            .unwrap_or_default();
        let note = Note {
            actor_id: Some(actor.id),
            actor: &actor.name,
            action: "set a password",
            target: email,
        };
        self.store_password(id, password, Some(note)).await
    }

    /// Sets a password (for an admin or the command line); every session of the user ends.
    pub async fn set_password(
        &self,
        id: i64,
        password: String,
    ) -> Result<Vec<FieldError>, AppError> {
        self.store_password(id, password, None).await
    }

    /// Hashes the password (before taking the writer: hashing is slow), then stores it and
    /// writes `note` in one transaction.
    pub(super) async fn store_password(
        &self,
        id: i64,
        password: String,
        note: Option<Note<'_>>,
    ) -> Result<Vec<FieldError>, AppError> {
        let errors = check_password(&password);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let hash = hash_password(password).await?;
        let mut tx = db::begin_write(&self.pool).await?;
        if !users::set_password(tx.conn(), id, &hash, self.clock.now()).await? {
            return Err(AppError::not_found("There is no such user."));
        }
        self.record(&mut tx, note).await?;
        tx.commit().await?;
        Ok(vec![])
    }
}
