//! The latest of many quick requests (a preview while typing, a search as you type): each
//! waits a moment and is dropped if a newer one came meanwhile, and an answer that arrives
//! after a newer request was made is dropped too, whatever order answers arrive in.

use leptos::prelude::*;
use std::future::Future;
use std::time::Duration;

#[derive(Clone, Copy)]
pub struct Latest {
    generation: StoredValue<u64>,
}

impl Latest {
    pub fn new() -> Self {
        Latest {
            generation: StoredValue::new(0),
        }
    }

    /// Forgets whatever is waiting or on its way.
    pub fn cancel(self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    /// After `delay`, unless a newer call came, sends `request` and gives its answer to `apply`
    /// unless a newer call came meanwhile.
    pub fn run<R, F, T>(self, delay: Duration, request: R, apply: impl Fn(T) + 'static)
    where
        R: FnOnce() -> F + 'static,
        F: Future<Output = T> + 'static,
        T: 'static,
    {
        let mine = self.cancel();
        let current = move || self.generation.get_value() == mine;
        set_timeout(
            move || {
                if !current() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let answer = request().await;
                    if current() {
                        apply(answer);
                    }
                });
            },
            delay,
        );
    }
}
