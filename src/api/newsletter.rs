//! The newsletter's server functions: a reader's subscription for the pages their links open
//! (under `/newsletter/`: never cached, the token is a secret), and the newsroom's overview
//! and schedule. The forms themselves post to `server::edge::newsletter` (they work without
//! JavaScript).

use crate::error::AppError;
use crate::model::newsletter::{NewsletterOverview, Subscription};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The subscription of the link's `token` (404 when the link is no longer valid).
#[server(prefix = "/newsletter/api", endpoint = "subscription", input = GetUrl)]
pub async fn get_subscription(token: String) -> Result<Subscription, AppError> {
    super::ssr::state()?.newsletter().subscription(&token).await
}

/// Subscribers, last sends and the schedule, for editors.
#[server(prefix = "/api", endpoint = "admin/newsletter", input = GetUrl)]
pub async fn get_newsletter_overview() -> Result<NewsletterOverview, AppError> {
    let (state, actor) = super::ssr::actor().await?;
    state.newsletter().overview(&actor).await
}

/// When digests go out: the hour (0-23, the newsroom's time) and the weekly ones' day (1-7).
#[server(prefix = "/api", endpoint = "admin/newsletter_schedule")]
pub async fn set_newsletter_schedule(hour: i64, weekly_day: i64) -> Result<(), AppError> {
    let (state, actor) = super::ssr::actor().await?;
    state
        .newsletter()
        .set_schedule(&actor, hour, weekly_day)
        .await
}
