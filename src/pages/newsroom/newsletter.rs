//! The newsletter in the newsroom (editors): subscribers, the last sends, when digests go
//! out (admins set it) and the export of the list (admins).

use super::frame::AdminFrame;
use super::Me;
use crate::api::newsletter::{get_newsletter_overview, SetNewsletterSchedule};
use crate::components::error_view::ErrorNote;
use crate::model::accounts::CurrentUser;
use crate::model::newsletter::{NewsletterOverview, WEEKDAYS};
use crate::model::policy::{may, Action, Actor};
use crate::pages::grouped;
use leptos::prelude::*;

#[component]
pub fn NewsletterAdminPage(me: Me) -> impl IntoView {
    view! { <AdminFrame title="Newsletter" me page=|user| view! { <Newsletter user/> }/> }
}

fn n(v: i64) -> String {
    grouped(v.max(0) as u64)
}

#[component]
fn Newsletter(user: CurrentUser) -> impl IntoView {
    let actor = Actor::from(&user);
    if !may(&actor, Action::ViewNewsletter) {
        return view! { <p class="form-error">"Editors see the newsletter's figures."</p> }
            .into_any();
    }
    let admin = may(&actor, Action::ManageNewsletter);
    let save = ServerAction::<SetNewsletterSchedule>::new();
    let overview = Resource::new(move || save.version().get(), |_| get_newsletter_overview());
    view! {
        <div class="admin-head">
            <h1>"Newsletter"</h1>
            {admin.then(|| view! {
                <a class="button" href="/api/admin/newsletter.csv" download="newsletter-subscribers.csv" rel="external">"Export subscribers (CSV)"</a>
            })}
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <Overview o admin save/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Overview(
    o: NewsletterOverview,
    admin: bool,
    save: ServerAction<SetNewsletterSchedule>,
) -> impl IntoView {
    let off = o.off_because.clone().map(|why| {
        view! { <p class="form-error" role="status">{why}</p> }
    });
    let confirmed = o.confirmed_daily + o.confirmed_weekly;
    let day_name = WEEKDAYS
        .get((o.weekly_day - 1).clamp(0, 6) as usize)
        .copied()
        .unwrap_or("Monday");
    let when = format!(
        "Daily digests go out at {:02}:00, weekly ones on {day_name} at {:02}:00 ({}).",
        o.send_hour, o.send_hour, o.timezone
    );
    let schedule = admin.then(|| {
        let problem = move || match save.value().get() {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        };
        view! {
            <ActionForm action=save attr:class="inline-form newsletter-schedule">
                <label>"Hour "
                    <select name="hour">
                        {(0..24).map(|h| view! { <option value=h.to_string() selected=h == o.send_hour>{format!("{h:02}:00")}</option> }).collect_view()}
                    </select>
                </label>
                <label>" Weekly on "
                    <select name="weekly_day">
                        {WEEKDAYS.iter().enumerate().map(|(i, d)| {
                            let day = i as i64 + 1;
                            view! { <option value=day.to_string() selected=day == o.weekly_day>{*d}</option> }
                        }).collect_view()}
                    </select>
                </label>
                " " <button type="submit" class="button">"Save"</button>
            </ActionForm>
            {move || problem().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        }
    });
    let sends = if o.last_sends.is_empty() {
        view! { <p class="empty">"No digest has gone out yet."</p> }.into_any()
    } else {
        view! {
            <table class="admin-table">
                <thead>
                    <tr>
                        <th scope="col">"Period"</th>
                        <th scope="col" class="num">"Sent"</th>
                        <th scope="col" class="num">"Skipped (nothing new)"</th>
                        <th scope="col" class="num">"Refused"</th>
                        <th scope="col" class="num">"Under way"</th>
                        <th scope="col" class="num">"Articles listed"</th>
                        <th scope="col">"Last"</th>
                    </tr>
                </thead>
                <tbody>
                    {o.last_sends.into_iter().map(|s| view! {
                        <tr>
                            <td data-label="Period">{s.period}</td>
                            <td class="num" data-label="Sent">{n(s.sent)}</td>
                            <td class="num" data-label="Skipped">{n(s.skipped)}</td>
                            <td class="num" data-label="Refused">{n(s.failed)}</td>
                            <td class="num" data-label="Under way">{n(s.sending)}</td>
                            <td class="num" data-label="Articles listed">{n(s.articles)}</td>
                            <td class="nowrap" data-label="Last">{s.last}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        {off}
        <section class="panel">
            <h2>"Subscribers"</h2>
            <dl class="newsletter-figures">
                <div><dt>"Confirmed"</dt><dd>{n(confirmed)}</dd></div>
                <div><dt>"Daily"</dt><dd>{n(o.confirmed_daily)}</dd></div>
                <div><dt>"Weekly"</dt><dd>{n(o.confirmed_weekly)}</dd></div>
                <div><dt>"Waiting to confirm"</dt><dd>{n(o.pending)}</dd></div>
                <div><dt>"Refused by the mail server"</dt><dd>{n(o.bounced)}</dd></div>
            </dl>
        </section>
        <section class="panel">
            <h2>"When digests go out"</h2>
            <p class="hint">{when}</p>
            {schedule}
        </section>
        <section class="panel">
            <h2>"Last sends"</h2>
            {sends}
        </section>
    }
}
