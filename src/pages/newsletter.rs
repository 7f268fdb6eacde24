//! The newsletter's pages: signing up (`/newsletter`), the page the confirmation mail links to
//! with its "Confirm" button (`/newsletter/confirm?token=…`), and managing or ending a
//! subscription (`/newsletter/manage?token=…`). Plain HTML forms, posted to
//! `server::edge::newsletter`: they work without JavaScript.

use crate::api::newsletter::get_subscription;
use crate::components::error_view::{ErrorNote, ErrorView};
use crate::components::site::use_site;
use crate::error::AppError;
use crate::model::newsletter::{Frequency, Outcome, Subscription};
use crate::model::{Category, SiteInfo};
use crate::routes::newsletter as at;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// What a form did, from the address (`?done=…` / `?error=…`): a note, with the page's status
/// for a problem.
fn said() -> Option<Outcome> {
    let query = use_query_map();
    let q = query.read_untracked();
    q.get("error")
        .or_else(|| q.get("done"))
        .and_then(|s| Outcome::parse(&s))
}

fn note(outcome: Option<Outcome>) -> impl IntoView {
    outcome.map(|o| {
        if o.is_error() {
            let error = match o.status() {
                422 => AppError::Unprocessable(o.message().into()),
                503 => AppError::Unavailable(o.message().into()),
                500 => AppError::Internal,
                _ => AppError::BadRequest(o.message().into()),
            };
            Either::Left(view! { <div role="alert"><ErrorNote error class="form-error newsletter-note"/></div> })
        } else {
            Either::Right(view! { <p class="newsletter-note done" role="status">{o.message()}</p> })
        }
    })
}

/// The sections to choose from (none ticked: every section).
fn section_choices(categories: &[Category], chosen: &[String]) -> impl IntoView {
    view! {
        <fieldset class="newsletter-sections">
            <legend>"Sections (none ticked: all of them)"</legend>
            {categories
                .iter()
                .map(|c| {
                    let checked = chosen.contains(&c.slug);
                    view! {
                        <label class="check">
                            <input type="checkbox" name="section" value=c.slug.clone() checked=checked/>
                            " " {c.name.clone()}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn frequency_choices(current: Frequency) -> impl IntoView {
    view! {
        <fieldset class="newsletter-frequency">
            <legend>"How often"</legend>
            {Frequency::ALL
                .into_iter()
                .map(|f| view! {
                    <label class="check">
                        <input type="radio" name="frequency" value=f.as_str() checked=f == current/>
                        " " {f.label()}
                    </label>
                })
                .collect_view()}
        </fieldset>
    }
}

/// `/newsletter`: the signup form.
#[component]
pub fn NewsletterPage() -> impl IntoView {
    let outcome = said();
    view! {
        <Title text="Newsletter"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match use_site().await {
                    Ok(site) => Either::Left(view! { <Signup site outcome/> }),
                    Err(error) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Signup(site: SiteInfo, outcome: Option<Outcome>) -> impl IntoView {
    let form = site.newsletter.then(|| {
        view! {
            <form class="newsletter-form" method="post" action=at::SUBSCRIBE>
                <label for="newsletter-email">"Your e-mail address"</label>
                <input id="newsletter-email" type="email" name="email" autocomplete="email" required maxlength="254" placeholder="name@example.org"/>
                {frequency_choices(Frequency::Daily)}
                {section_choices(&site.categories, &[])}
                <button type="submit" class="button primary">"Subscribe"</button>
                <p class="newsletter-small">
                    "We send one mail to confirm; nothing else until you press \"Confirm\". Every \
                     mail has a link to unsubscribe. We keep the address and your choices, nothing else."
                </p>
            </form>
        }
    });
    let off = (!site.newsletter).then(|| {
        view! {
            <p class="newsletter-note" role="status">
                "The newsletter is not available on this site at the moment."
            </p>
        }
    });
    view! {
        <section class="wrap newsletter-page">
            <h1>{format!("{}'s newsletter", site.name)}</h1>
            <p class="newsletter-lead">
                "The new articles, once a day or once a week, straight to your inbox. No \
                 tracking: no pixels, no redirected links."
            </p>
            {note(outcome)}
            {form}
            {off}
        </section>
    }
}

/// The subscription of the address's token, or the page saying the link is no longer valid.
fn with_subscription<V: IntoView + 'static>(
    body: impl Fn(Subscription, SiteInfo, String) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView {
    let query = use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    let data = Resource::new(move || token.clone(), get_subscription);
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let body = body.clone();
                let token = query.read_untracked().get("token").unwrap_or_default();
                Suspend::new(async move {
                    match (use_site().await, data.await) {
                        (Ok(site), Ok(sub)) => Either::Left(body(sub, site, token)),
                        (Err(error), _) | (_, Err(error)) => {
                            Either::Right(view! { <ErrorView error/> })
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// `/newsletter/confirm?token=…`: what the confirmation mail opens. Opening it changes
/// nothing (mail scanners open links); the button does.
#[component]
pub fn NewsletterConfirmPage() -> impl IntoView {
    view! {
        <Title text="Confirm your subscription"/>
        {with_subscription(|sub: Subscription, site: SiteInfo, token: String| {
            let manage = at::manage_page(&token, None);
            view! {
                <section class="wrap newsletter-page">
                    <h1>"Confirm your subscription"</h1>
                    {if sub.confirmed {
                        Either::Left(view! {
                            <p class="newsletter-note done" role="status">
                                "This address is confirmed already. "
                                <a href=manage>"Change what you get or unsubscribe"</a>"."
                            </p>
                        })
                    } else {
                        Either::Right(view! {
                            <p>{format!("Get {}'s newsletter at ", site.name)}<strong>{sub.email.clone()}</strong>"?"</p>
                            <form class="newsletter-form" method="post" action=at::CONFIRM_FORM>
                                <input type="hidden" name="token" value=token.clone()/>
                                <button type="submit" class="button primary">"Confirm"</button>
                            </form>
                            <p class="newsletter-small">"Not you? Leave this page: the address gets nothing and is forgotten within 7 days."</p>
                        })
                    }}
                </section>
            }
        })}
    }
}

/// `/newsletter/manage?token=…`: how often, which sections, or unsubscribe.
#[component]
pub fn NewsletterManagePage() -> impl IntoView {
    let outcome = said();
    view! {
        <Title text="Your newsletter"/>
        {with_subscription(move |sub: Subscription, site: SiteInfo, token: String| {
            view! {
                <section class="wrap newsletter-page">
                    <h1>"Your newsletter"</h1>
                    {note(outcome)}
                    <p>"Sent to " <strong>{sub.email.clone()}</strong>
                        {(!sub.confirmed).then_some(" (not confirmed yet: press \"Confirm\" on the page the mail links to)")}
                    </p>
                    <form class="newsletter-form" method="post" action=at::MANAGE_FORM>
                        <input type="hidden" name="token" value=token.clone()/>
                        {frequency_choices(sub.frequency)}
                        {section_choices(&site.categories, &sub.sections)}
                        <button type="submit" class="button primary">"Save"</button>
                    </form>
                    <form class="newsletter-form unsubscribe" method="post" action=at::UNSUBSCRIBE>
                        <input type="hidden" name="token" value=token.clone()/>
                        <button type="submit" class="button">"Unsubscribe"</button>
                        <span class="newsletter-small">" The address is deleted at once."</span>
                    </form>
                </section>
            }
        })}
    }
}
