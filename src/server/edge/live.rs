//! The event stream of an article's live coverage: `GET /api/live/<article id>`, server-sent
//! events. A page opens it with the revision it shows (`?since=`; a browser reconnecting sends
//! `Last-Event-ID`), is sent what changed after that from the database, then each change as
//! the hub broadcasts it. Each event's id is its revision, so nothing arrives twice and
//! nothing is missed across reconnects. The stream is never cached, compressed or timed out
//! like a page: it is routed beside the pages, and `RouteKind::Stream` keeps the page cache
//! off it.

use crate::error::AppError;
use crate::model::live::{LiveEvent, LiveState};
use crate::server::live::{changes_since, Hub, Refused, Sent, Subscription};
use crate::server::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Request};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

/// A comment line this often keeps proxies from closing a quiet stream (most cut idle
/// connections after 30 to 60 s).
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn stream(
    State(state): State<AppState>,
    Path(article_id): Path<String>,
    req: Request<Body>,
) -> Response {
    let Ok(article_id) = article_id.parse::<i64>() else {
        return AppError::not_found("There is no live coverage at this address.").into_response();
    };
    let hub = state.live.clone();
    let coverage = match crate::server::db::live::coverage(&state.pool, article_id).await {
        Ok(c) => c,
        Err(e) => return AppError::from(e).into_response(),
    };
    let Some(coverage) = coverage.filter(|c| {
        c.status == "published"
            && !c.is_page
            && LiveState::from_code(c.live_state) != LiveState::Off
    }) else {
        return AppError::not_found("There is no live coverage at this address.").into_response();
    };
    // Where the page is: the last event it saw (a reconnecting browser says so), else the
    // revision the page was rendered at; a page that names none hears only what comes next.
    let since = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or_else(|| since_param(req.uri().query()))
        .unwrap_or(coverage.live_rev)
        .max(0);
    let client = crate::server::client::client_of(req.extensions(), req.headers(), &state.config)
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let subscription = match hub.subscribe(article_id, client).await {
        Ok(s) => s,
        Err(refused) => return refusal(refused, &hub),
    };
    if *subscription.closing.borrow() {
        return AppError::Unavailable(
            "The server is restarting. Please try again in a moment.".into(),
        )
        .into_response();
    }
    let retry = subscription.retry;
    let mut queue = VecDeque::new();
    queue.push_back(Event::default().retry(retry).comment("live"));
    let mut reader = Reader {
        hub,
        article_id,
        sub: subscription,
        sent: since,
        queue,
        done: false,
    };
    if since > coverage.live_rev {
        // A revision this coverage never had (a database restored from a backup): start over.
        reader.send(coverage.live_rev, &LiveEvent::Reload);
    } else {
        reader.catch_up().await;
    }
    let events = futures_util::stream::unfold(reader, Reader::next);
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
        .into_response();
    // nginx would otherwise hold the events back in its buffer.
    res.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn since_param(query: Option<&str>) -> Option<i64> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "since")
        .and_then(|(_, v)| v.parse().ok())
}

fn refusal(refused: Refused, hub: &Hub) -> Response {
    let retry_secs = hub.limits().retry.as_secs().max(1) * 10;
    let mut res = match refused {
        Refused::Client => AppError::TooManyRequests(format!(
            "This address has {} live pages open already. Close one, or reload in a while.",
            hub.limits().per_client
        )),
        Refused::Server => AppError::Unavailable(
            "Too many readers are following live coverage right now. Reload the page in a while."
                .into(),
        ),
    }
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&retry_secs.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// One reader's stream: what is queued to send, and its place in the hub.
struct Reader {
    hub: Arc<Hub>,
    article_id: i64,
    sub: Subscription,
    /// The revision of the last event sent (or the page's own).
    sent: i64,
    queue: VecDeque<Event>,
    done: bool,
}

impl Reader {
    fn send(&mut self, rev: i64, event: &LiveEvent) {
        let json = serde_json::to_string(event).unwrap_or_default();
        self.queue
            .push_back(Event::default().id(rev.to_string()).data(json));
        self.sent = self.sent.max(rev);
    }

    /// What changed after the last event sent, from the database.
    async fn catch_up(&mut self) {
        let hub = self.hub.clone();
        match changes_since(
            hub.pool(),
            self.article_id,
            self.sent,
            crate::server::dates::now(),
            hub.tz(),
        )
        .await
        {
            Ok(Some(events)) => {
                for (rev, event) in events {
                    self.send(rev, &event);
                }
            }
            Ok(None) => {
                if let Ok(Some(c)) =
                    crate::server::db::live::coverage(hub.pool(), self.article_id).await
                {
                    self.send(c.live_rev, &LiveEvent::Reload);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, article_id = self.article_id, "a live page could not catch up; it reconnects");
                self.done = true;
            }
        }
    }

    fn broadcast(&mut self, sent: &Sent) {
        if sent.rev > self.sent {
            self.sent = sent.rev;
            self.queue.push_back(
                Event::default()
                    .id(sent.rev.to_string())
                    .data(sent.json.as_str()),
            );
        }
    }

    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Some((Ok(event), self));
            }
            if self.done {
                return None;
            }
            enum Woke {
                Closing,
                Got(Result<Arc<Sent>, RecvError>),
            }
            let woke = tokio::select! {
                biased;
                _ = self.sub.closing.wait_for(|closing| *closing) => Woke::Closing,
                got = self.sub.receiver.recv() => Woke::Got(got),
            };
            match woke {
                Woke::Closing => {
                    // Readers come back spread over a few seconds, not all at once.
                    let retry = self.sub.retry;
                    let spread = Duration::from_millis(fastrand::u64(0..=retry.as_millis() as u64));
                    self.queue
                        .push_back(Event::default().retry(retry + spread).comment("restarting"));
                    self.done = true;
                }
                Woke::Got(Ok(sent)) => self.broadcast(&sent),
                // Too slow to keep up with the broadcast: what it missed, from the database.
                Woke::Got(Err(RecvError::Lagged(_))) => self.catch_up().await,
                Woke::Got(Err(RecvError::Closed)) => self.done = true,
            }
        }
    }
}
