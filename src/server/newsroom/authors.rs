//! Authors' profiles in the newsroom: opening and saving one (editors any, a person their
//! own), starting a new one, and giving older articles profiles from their bylines.

use super::{form::stored_media_ref, slug, Newsroom};
use crate::error::AppError;
use crate::model::newsroom::{MediaRef, ProfileEdit, ProfileForm};
use crate::model::policy::{may, require, Action, Actor};
use crate::model::validate::{check_profile, Field, FieldError};
use crate::server::db::{authors as db, labels, newsroom as newsroom_db};

impl Newsroom {
    /// A profile as its form opens it.
    pub async fn profile(&self, actor: &Actor, id: i64) -> Result<ProfileEdit, AppError> {
        let row = self.profile_or_404(id).await?;
        require(actor, Action::EditProfile(row.user_id))?;
        let may_link = crate::model::policy::may(actor, Action::ManageAuthors);
        Ok(ProfileEdit {
            id,
            slug: row.slug,
            form: ProfileForm {
                name: row.name,
                role_title: row.role_title,
                bio: row.bio,
                links: row.links,
                photo: serde_json::from_str::<MediaRef>(&row.photo).ok(),
                user_id: row.user_id,
            },
            accounts: if may_link {
                db::accounts(&self.pool).await?
            } else {
                Vec::new()
            },
            may_link,
        })
    }

    /// The profile linked to the actor's account, if any (for "Your profile").
    pub async fn own_profile(&self, actor: &Actor) -> Result<Option<i64>, AppError> {
        require(actor, Action::UseNewsroom)?;
        Ok(db::of_user(&self.pool, actor.id).await?.map(|p| p.id))
    }

    /// Saves a profile: field errors for what will not do (nothing saved then). Its address
    /// follows its name; the old one answers 301.
    pub async fn save_profile(
        &self,
        actor: &Actor,
        id: i64,
        form: &ProfileForm,
    ) -> Result<Vec<FieldError>, AppError> {
        let row = self.profile_or_404(id).await?;
        require(actor, Action::EditProfile(row.user_id))?;
        let mut errors = check_profile(form);
        if !errors.is_empty() {
            return Ok(errors);
        }
        let now = self.clock.now();
        let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
        let new_slug = slug::slugify(&name);
        // Only those who manage authors change which account a profile belongs to.
        let user_id = if may(actor, Action::ManageAuthors) {
            form.user_id
        } else {
            row.user_id
        };
        let photo = match &form.photo {
            Some(p) => match newsroom_db::media(&self.pool, p.id).await? {
                Some(m) => stored_media_ref(&m),
                None => {
                    errors.push(FieldError::new(
                        Field::Profile,
                        "That photo is no longer available. Upload it again.",
                    ));
                    None
                }
            },
            None => None,
        };
        let links: Vec<&str> = form
            .links
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        if let Some(other) = labels::by_slug_in(labels::AUTHORS, tx.conn(), &new_slug)
            .await?
            .filter(|o| o.id != id)
        {
            errors.push(FieldError::new(
                Field::Profile,
                format!(
                    "Another profile has this name's address (/author/{}, “{}”).",
                    other.slug, other.name
                ),
            ));
        }
        if let Some(uid) = user_id.filter(|u| Some(*u) != row.user_id) {
            if let Some(linked) = db::of_user(&self.pool, uid).await? {
                errors.push(FieldError::new(
                    Field::Profile,
                    format!("That account is linked to “{}” already.", linked.name),
                ));
            }
        }
        if !errors.is_empty() {
            return Ok(errors);
        }
        let photo_json = photo
            .as_ref()
            .and_then(|p| serde_json::to_string(p).ok())
            .unwrap_or_default();
        db::update(
            tx.conn(),
            id,
            &db::ProfileUpdate {
                slug: &new_slug,
                name: &name,
                role_title: form.role_title.trim(),
                bio: form.bio.trim(),
                photo_id: photo.as_ref().map(|p| p.id),
                photo: &photo_json,
                links: &links.join("\n"),
                user_id,
            },
            now,
        )
        .await?;
        if new_slug != row.slug {
            labels::move_addresses(
                tx.conn(),
                &crate::model::author_href(&row.slug),
                &crate::model::author_href(&new_slug),
                now,
            )
            .await?;
        }
        // Bylines are stored as text beside the profiles, for lists and feeds: they follow.
        if name != row.name {
            db::rewrite_bylines(tx.conn(), id, crate::model::byline_text).await?;
        }
        self.audit(
            &mut tx,
            actor,
            "profile",
            &format!("saved the profile of “{name}”"),
        )
        .await?;
        tx.commit().await?;
        Ok(vec![])
    }

    /// A new profile for someone who has not written yet (editors): its id, or what is wrong
    /// with the name.
    pub async fn new_profile(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<Result<i64, Vec<FieldError>>, AppError> {
        require(actor, Action::ManageAuthors)?;
        let form = ProfileForm {
            name: name.to_string(),
            ..Default::default()
        };
        let errors = check_profile(&form);
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let Some(id) =
            db::create(tx.conn(), &slug::slugify(&name), &name, self.clock.now()).await?
        else {
            return Ok(Err(vec![FieldError::new(
                Field::Profile,
                "A profile with this name's address exists already.",
            )]));
        };
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Gives the articles written before there were profiles one from their byline text.
    pub async fn give_bylines_profiles(&self) -> Result<u64, AppError> {
        let mut tx = crate::server::db::begin_write(&self.pool).await?;
        let done = db::backfill(tx.conn(), slug::slugify, self.clock.now()).await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn profile_or_404(&self, id: i64) -> Result<db::ProfileRow, AppError> {
        db::by_id(self.pool.acquire().await?.conn(), id)
            .await?
            .ok_or_else(|| AppError::not_found("There is no such author's profile."))
    }
}
