//! Live coverage for readers: what an article's page opens with (`coverage`), older updates
//! (`older`), and the hub that tells every open page of this server about each change
//! (`Hub`): one broadcast per article, fed by one database read per change however many
//! readers listen. The event stream itself is the HTTP edge's (`edge::live`); what editors
//! do is the newsroom's (`newsroom::live`).

use crate::model::live::{
    key_events_of, KeyEvent, LiveCoverage, LiveEvent, LiveState, LiveUpdate, OlderUpdates,
    LIVE_PAGE_SIZE,
};
use crate::model::AuthorRef;
use crate::server::dates;
use crate::server::db::{live as db, Pool};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Key events listed above the stream, at most.
pub const KEY_EVENTS_MAX: usize = 100;
/// Changes a page that comes back is sent one by one, at most; past that it loads again.
pub const CATCH_UP_MAX: usize = 500;
/// Changes kept for a reader whose connection is slow, before it catches up from the
/// database instead (each stream's memory stays bounded).
const BACKLOG: usize = 32;

/// An update's time as the stream shows it: "14:07" today, "December 7, 14:07" before.
pub fn time_label(ts: i64, now: i64, tz: &Tz) -> crate::model::DateLabel {
    let at = dates::at(ts, tz);
    let same_day = at.date_naive() == dates::at(now, tz).date_naive();
    crate::model::DateLabel {
        text: if same_day {
            at.format("%H:%M").to_string()
        } else {
            at.format("%B %-d, %H:%M").to_string()
        },
        iso: at.to_rfc3339(),
    }
}

/// A row as readers see it.
pub fn to_update(row: &db::UpdateRow, now: i64, tz: &Tz) -> LiveUpdate {
    LiveUpdate {
        id: row.id,
        rev: row.rev,
        html: row.body_html.clone(),
        key_title: row.key_title.clone(),
        pinned: row.pinned,
        author: match (&row.author_slug, &row.author_name) {
            (Some(slug), Some(name)) => Some(AuthorRef {
                slug: slug.clone(),
                name: name.clone(),
            }),
            _ => None,
        },
        posted: time_label(row.created_at, now, tz),
        posted_at: row.created_at,
        edited: row.edited_at.map(|t| time_label(t, now, tz)),
    }
}

fn to_key_event(row: &db::UpdateRow, now: i64, tz: &Tz) -> KeyEvent {
    key_events_of(std::iter::once(&to_update(row, now, tz)))
        .pop()
        .expect("a key event's row has a title")
}

/// What the page of a live (or ended) article opens with: the pinned update, a page of
/// updates (the newest, or those before update `before`), every key event.
pub async fn coverage(
    pool: &Pool,
    article_id: i64,
    before: Option<i64>,
    now: i64,
    tz: &Tz,
) -> Result<Option<LiveCoverage>, sqlx::Error> {
    let Some(c) = db::coverage(pool, article_id).await? else {
        return Ok(None);
    };
    let state = LiveState::from_code(c.live_state);
    if state == LiveState::Off {
        return Ok(None);
    }
    let pinned = match before {
        None => db::pinned(pool, article_id).await?,
        Some(_) => None,
    };
    let (updates, older) = page(pool, article_id, before, now, tz).await?;
    let key_events = db::key_events(pool, article_id, KEY_EVENTS_MAX)
        .await?
        .iter()
        .map(|r| to_key_event(r, now, tz))
        .collect();
    Ok(Some(LiveCoverage {
        article_id,
        state,
        started: c.live_started_at.map(|t| dates::label(t, tz)),
        ended: c.live_ended_at.map(|t| time_label(t, now, tz)),
        rev: c.live_rev,
        pinned: pinned.map(|r| to_update(&r, now, tz)),
        updates,
        key_events,
        older,
        paged: before.is_some(),
    }))
}

async fn page(
    pool: &Pool,
    article_id: i64,
    before: Option<i64>,
    now: i64,
    tz: &Tz,
) -> Result<(Vec<LiveUpdate>, Option<i64>), sqlx::Error> {
    let mut rows = db::page(pool, article_id, before, LIVE_PAGE_SIZE + 1).await?;
    let more = rows.len() > LIVE_PAGE_SIZE;
    rows.truncate(LIVE_PAGE_SIZE);
    let older = more.then(|| rows.last().map(|r| r.id)).flatten();
    Ok((rows.iter().map(|r| to_update(r, now, tz)).collect(), older))
}

/// The updates before update `before` ("Older updates").
pub async fn older(
    pool: &Pool,
    article_id: i64,
    before: i64,
    now: i64,
    tz: &Tz,
) -> Result<OlderUpdates, sqlx::Error> {
    let (updates, older) = page(pool, article_id, Some(before), now, tz).await?;
    Ok(OlderUpdates { updates, older })
}

/// The changes after revision `since`, in order, each with its revision: what a page that
/// comes back missed. `None` when there are too many to send one by one (the page loads again).
pub async fn changes_since(
    pool: &Pool,
    article_id: i64,
    since: i64,
    now: i64,
    tz: &Tz,
) -> Result<Option<Vec<(i64, LiveEvent)>>, sqlx::Error> {
    let Some(c) = db::coverage(pool, article_id).await? else {
        return Ok(Some(Vec::new()));
    };
    if c.live_rev <= since {
        return Ok(Some(Vec::new()));
    }
    let rows = db::changed_since(pool, article_id, since, CATCH_UP_MAX + 1).await?;
    if rows.len() > CATCH_UP_MAX {
        return Ok(None);
    }
    let mut events: Vec<(i64, LiveEvent)> = rows
        .iter()
        .map(|r| {
            let event = if r.deleted {
                LiveEvent::Remove { id: r.id }
            } else {
                LiveEvent::Update {
                    update: to_update(r, now, tz),
                }
            };
            (r.rev, event)
        })
        .collect();
    if c.live_state_rev > since {
        events.push((
            c.live_state_rev,
            LiveEvent::State {
                state: LiveState::from_code(c.live_state),
                ended: c.live_ended_at.map(|t| time_label(t, now, tz)),
            },
        ));
    }
    events.sort_by_key(|(rev, _)| *rev);
    Ok(Some(events))
}

/// One event as every stream of its article sends it: its revision and its text, made once.
#[derive(Debug)]
pub struct Sent {
    pub rev: i64,
    pub event: LiveEvent,
    pub json: String,
}

impl Sent {
    pub fn new(rev: i64, event: LiveEvent) -> Arc<Self> {
        let json = serde_json::to_string(&event).unwrap_or_default();
        Arc::new(Sent { rev, event, json })
    }
}

/// The readers of one article on this server.
struct Channel {
    sender: broadcast::Sender<Arc<Sent>>,
    /// The last revision broadcast; `None` until the first reader reads it. Held while a
    /// change is read and sent, so changes go out once each and in order.
    last: tokio::sync::Mutex<Option<i64>>,
}

/// How many streams may be open, and how readers reconnect (`PORTAL_LIVE_*`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_client: usize,
    pub total: usize,
    /// The reconnect delay the stream tells browsers.
    pub retry: Duration,
}

/// Why a stream was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// This client address has `per_client` streams open.
    Client,
    /// The server has `total` streams open.
    Server,
}

/// Every open page of this server, by article: `poke` after a change (here, or announced by
/// another server) sends it to all of them.
pub struct Hub {
    pool: Pool,
    tz: Tz,
    limits: Limits,
    channels: Mutex<HashMap<i64, Arc<Channel>>>,
    clients: Mutex<HashMap<IpAddr, usize>>,
    open: std::sync::atomic::AtomicUsize,
    closing: watch::Sender<bool>,
}

/// A reader's place in the hub, given back when its stream ends.
pub struct Subscription {
    pub receiver: broadcast::Receiver<Arc<Sent>>,
    /// Tells the stream to end (the server is stopping).
    pub closing: watch::Receiver<bool>,
    pub retry: Duration,
    _seat: Seat,
}

/// Frees the stream's place when it is dropped (the reader left, or the server stopped).
struct Seat {
    hub: Arc<Hub>,
    article_id: i64,
    client: IpAddr,
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.hub
            .open
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        metrics::gauge!("portal_live_streams").decrement(1.0);
        let mut clients = lock(&self.hub.clients);
        if let Some(n) = clients.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                clients.remove(&self.client);
            }
        }
        drop(clients);
        // The receiver is gone already (dropped before the seat: field order); the last
        // reader of an article takes its channel with it.
        let mut channels = lock(&self.hub.channels);
        if channels
            .get(&self.article_id)
            .is_some_and(|c| c.sender.receiver_count() == 0)
        {
            channels.remove(&self.article_id);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Hub {
    pub fn new(pool: Pool, tz: Tz, limits: Limits) -> Arc<Self> {
        Arc::new(Hub {
            pool,
            tz,
            limits,
            channels: Mutex::default(),
            clients: Mutex::default(),
            open: Default::default(),
            closing: watch::Sender::new(false),
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn tz(&self) -> &Tz {
        &self.tz
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        self.open.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Ends every stream (with the retry hint), and refuses new ones: the server is stopping.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// A place for a reader of `article_id` from `client`; then the stream catches up from
    /// the database (`changes_since`) and sends what the receiver gets after that.
    pub async fn subscribe(
        self: &Arc<Self>,
        article_id: i64,
        client: IpAddr,
    ) -> Result<Subscription, Refused> {
        {
            let mut clients = lock(&self.clients);
            let mine = clients.entry(client).or_insert(0);
            if *mine >= self.limits.per_client {
                return Err(Refused::Client);
            }
            if self.open.load(std::sync::atomic::Ordering::Relaxed) >= self.limits.total {
                return Err(Refused::Server);
            }
            *mine += 1;
            self.open.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        metrics::gauge!("portal_live_streams").increment(1.0);
        let seat = Seat {
            hub: self.clone(),
            article_id,
            client,
        };
        let channel = lock(&self.channels)
            .entry(article_id)
            .or_insert_with(|| {
                Arc::new(Channel {
                    sender: broadcast::channel(BACKLOG).0,
                    last: tokio::sync::Mutex::new(None),
                })
            })
            .clone();
        let receiver = channel.sender.subscribe();
        // The channel's starting point, read after this reader listens: a change committed
        // after it is broadcast (and heard), one before it is in the reader's catch-up.
        {
            let mut last = channel.last.lock().await;
            if last.is_none() {
                if let Ok(Some(c)) = db::coverage(&self.pool, article_id).await {
                    *last = Some(c.live_rev);
                }
            }
        }
        Ok(Subscription {
            receiver,
            closing: self.closing.subscribe(),
            retry: self.limits.retry,
            _seat: seat,
        })
    }

    /// Sends the changes of `article_id`'s coverage since the last one sent to its readers on
    /// this server (none listening: nothing is read).
    pub async fn poke(&self, article_id: i64) {
        let Some(channel) = lock(&self.channels).get(&article_id).cloned() else {
            return;
        };
        let mut last = channel.last.lock().await;
        let Some(since) = *last else {
            // No reader has read its starting point yet: each will catch up by itself.
            return;
        };
        match changes_since(&self.pool, article_id, since, dates::now(), &self.tz).await {
            Ok(Some(events)) => {
                for (rev, event) in events {
                    *last = Some(rev);
                    let _ = channel.sender.send(Sent::new(rev, event));
                }
            }
            Ok(None) => {
                if let Ok(Some(c)) = db::coverage(&self.pool, article_id).await {
                    *last = Some(c.live_rev);
                    let _ = channel
                        .sender
                        .send(Sent::new(c.live_rev, LiveEvent::Reload));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, article_id, "reading a live change failed; its readers catch up when it next changes")
            }
        }
    }

    /// Follows the changes other servers announce (PostgreSQL): pokes each article named.
    pub fn spawn_follower(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let hub = self.clone();
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Option<i64>>();
            let listening = pool.follow_live(move |article| {
                let _ = tx.send(article);
            });
            let poking = async {
                while let Some(article) = rx.recv().await {
                    match article {
                        Some(id) => hub.poke(id).await,
                        // Announcements may have been lost: every open article catches up.
                        None => {
                            let open: Vec<i64> = lock(&hub.channels).keys().copied().collect();
                            for id in open {
                                hub.poke(id).await;
                            }
                        }
                    }
                }
            };
            tokio::join!(listening, poking);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::time_label;

    #[test]
    fn an_update_of_today_shows_its_time_and_an_older_one_its_day() {
        let tz = chrono_tz::Europe::Berlin;
        // 2026-12-08 13:07 UTC = 14:07 in Berlin.
        let t = 1_796_735_220;
        assert_eq!(time_label(t, t + 60, &tz).text, "14:07");
        assert_eq!(time_label(t, t + 86_400, &tz).text, "December 8, 14:07");
        assert!(time_label(t, t, &tz).iso.starts_with("2026-12-08T14:07"));
    }
}
