//! Turns for heavy work: password hashing, image processing, rendering a body from the
//! newsroom, compressing a page for the cache. Each kind runs on the blocking threads, at most
//! one job per core at once: the work only uses CPU, so more at once would not finish sooner,
//! only hold more memory at the same time (a password hash takes 19 MiB, an image job up to a
//! few hundred). A job holds its turn until it has really ended, even when the request that
//! asked for it has given up waiting.

use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

/// One kind of heavy work's turns (a `static`).
pub struct Slots {
    semaphore: OnceLock<Semaphore>,
}

/// No turn came free in time: the caller answers 429 with a message of its own.
#[derive(Debug)]
pub struct Busy;

impl Slots {
    /// As many turns as the machine has cores.
    pub const fn per_core() -> Self {
        Slots {
            semaphore: OnceLock::new(),
        }
    }

    /// How many turns there are in all.
    pub fn count() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    }

    fn semaphore(&'static self) -> &'static Semaphore {
        self.semaphore.get_or_init(|| Semaphore::new(Self::count()))
    }

    /// Waits for a turn (at most `wait`; `None`: as long as it takes), then runs `job` on a
    /// blocking thread, which keeps the turn until `job` returns.
    pub async fn spawn<T: Send + 'static>(
        &'static self,
        wait: Option<Duration>,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<JoinHandle<T>, Busy> {
        let turn = match wait {
            Some(wait) => tokio::time::timeout(wait, self.semaphore().acquire())
                .await
                .map_err(|_| Busy)?,
            None => self.semaphore().acquire().await,
        }
        // Never closed: a closed one would mean no turn ever again.
        .map_err(|_| Busy)?;
        Ok(tokio::task::spawn_blocking(move || {
            let _turn = turn;
            job()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn never_more_jobs_at_once_than_cores_and_a_turn_outlives_its_caller() {
        static SLOTS: Slots = Slots::per_core();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut jobs = Vec::new();
        for _ in 0..4 * Slots::count() {
            let (running, most) = (running.clone(), most.clone());
            jobs.push(tokio::spawn(SLOTS.spawn(None, move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            })));
        }
        for job in jobs {
            job.await.unwrap().unwrap().await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), Slots::count());

        // Every turn taken by jobs nobody waits for any more: a new one is busy.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = Arc::new(std::sync::Mutex::new(held));
        for _ in 0..Slots::count() {
            let held = held.clone();
            drop(
                SLOTS
                    .spawn(None, move || held.lock().unwrap().recv().ok())
                    .await,
            );
        }
        let waited = SLOTS.spawn(Some(Duration::from_millis(50)), || ()).await;
        assert!(
            waited.is_err(),
            "a turn was given while every job still ran"
        );
        for _ in 0..Slots::count() {
            release.send(()).unwrap();
        }
        SLOTS
            .spawn(Some(Duration::from_secs(10)), || ())
            .await
            .expect("the turns come back when the jobs end")
            .await
            .unwrap();
    }
}
