//! Who may send a request now. Reads share a few slots, and a user's read always takes the next
//! free one before a background read (prefetch, paging for a filter); background reads also have
//! a budget of their own per minute, far below the service's limit, so they never crowd out what
//! the user asked for. Writes have slots of their own: no number of hung reads can starve a save.
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::time::Instant;

use crate::api::http::Window;

/// How many reads may be in flight at once.
pub const READ_SLOTS: usize = 6;
/// How many writes may be in flight at once (besides the reads).
pub const WRITE_SLOTS: usize = 2;
/// How many background reads may be in flight at once (they also take read slots).
pub const BACKGROUND_SLOTS: usize = 2;
/// Background reads started per minute at most (Plannr allows 500 a minute for everything).
pub const BACKGROUND_PER_MINUTE: usize = 60;

/// Which queue a request waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// A read the user is waiting for.
    User,
    /// A read nobody asked for directly (prefetch, paging behind a filter).
    Background,
    /// A change (save, rename, pin, switch).
    Write,
}

#[derive(Debug)]
struct Queue {
    free: usize,
    user: VecDeque<oneshot::Sender<ReadPermit>>,
    background: VecDeque<oneshot::Sender<ReadPermit>>,
}

/// Read slots handed out user-first.
#[derive(Debug, Clone)]
struct PriorityGate(Arc<Mutex<Queue>>);

/// One read slot; freed when dropped (also when the task holding it is aborted).
#[derive(Debug)]
pub struct ReadPermit(Option<Arc<Mutex<Queue>>>);

fn lock(q: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    q.lock().unwrap_or_else(|e| e.into_inner())
}

impl Drop for ReadPermit {
    fn drop(&mut self) {
        let Some(gate) = self.0.take() else { return };
        let mut q = lock(&gate);
        // Hand the slot on: to the first user read still waiting, else a background one.
        while let Some(tx) = q.user.pop_front().or_else(|| q.background.pop_front()) {
            match tx.send(ReadPermit(Some(gate.clone()))) {
                Ok(()) => return,
                // That waiter is gone (cancelled): disarm the permit and try the next.
                Err(mut p) => p.0 = None,
            }
        }
        q.free += 1;
    }
}

impl PriorityGate {
    fn new(n: usize) -> PriorityGate {
        PriorityGate(Arc::new(Mutex::new(Queue {
            free: n,
            user: VecDeque::new(),
            background: VecDeque::new(),
        })))
    }

    async fn acquire(&self, user: bool) -> ReadPermit {
        loop {
            let rx = {
                let mut q = lock(&self.0);
                if q.free > 0 && (user || q.user.is_empty()) {
                    q.free -= 1;
                    return ReadPermit(Some(self.0.clone()));
                }
                let (tx, rx) = oneshot::channel();
                if user {
                    q.user.push_back(tx);
                } else {
                    q.background.push_back(tx);
                }
                rx
            };
            if let Ok(p) = rx.await {
                return p;
            }
        }
    }

    fn waiting(&self) -> (usize, usize) {
        let q = lock(&self.0);
        (q.user.len(), q.background.len())
    }
}

/// Background reads: at most `max` started in any `window`.
type Budget = Window<Instant>;

/// What a request holds while it runs.
#[derive(Debug)]
pub enum Slot {
    Read(ReadPermit, Option<OwnedSemaphorePermit>),
    Write(OwnedSemaphorePermit),
}

/// The worker's slots (one set for every backend).
#[derive(Debug, Clone)]
pub struct Slots {
    reads: PriorityGate,
    writes: Arc<Semaphore>,
    background: Arc<Semaphore>,
    budget: Arc<Mutex<Budget>>,
}

impl Default for Slots {
    fn default() -> Slots {
        Slots::new(READ_SLOTS, WRITE_SLOTS)
    }
}

impl Slots {
    /// `reads` and `writes` slots; background reads keep to `BACKGROUND_PER_MINUTE`.
    pub fn new(reads: usize, writes: usize) -> Slots {
        Slots {
            reads: PriorityGate::new(reads.max(1)),
            writes: Arc::new(Semaphore::new(writes.max(1))),
            background: Arc::new(Semaphore::new(BACKGROUND_SLOTS)),
            budget: Arc::new(Mutex::new(Budget::new(
                BACKGROUND_PER_MINUTE,
                Duration::from_secs(60),
            ))),
        }
    }

    /// At most `max` background reads started in any `window` (tests use a long window, so the
    /// budget cannot refill while they run).
    pub fn with_background_budget(self, max: usize, window: Duration) -> Slots {
        if let Ok(mut b) = self.budget.lock() {
            b.max = max;
            b.window = window;
        }
        self
    }

    /// Wait for a slot in `lane` (a background read also waits for its budget, then for every
    /// user read queued before it).
    pub async fn acquire(&self, lane: Lane) -> Slot {
        match lane {
            Lane::Write => loop {
                if let Ok(p) = self.writes.clone().acquire_owned().await {
                    return Slot::Write(p);
                }
            },
            Lane::User => Slot::Read(self.reads.acquire(true).await, None),
            Lane::Background => {
                let own = self.background.clone().acquire_owned().await.ok();
                loop {
                    let wait = {
                        let mut b = self.budget.lock().unwrap_or_else(|e| e.into_inner());
                        b.wait(Instant::now())
                    };
                    if wait.is_zero() {
                        break;
                    }
                    tracing::debug!("background budget: waiting {wait:?}");
                    tokio::time::sleep(wait).await;
                }
                Slot::Read(self.reads.acquire(false).await, own)
            }
        }
    }

    /// Reads waiting for a slot: (user, background). For tests and the log.
    pub fn waiting(&self) -> (usize, usize) {
        self.reads.waiting()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Let spawned tasks run until `done` holds (no clock involved).
    async fn settle(done: impl Fn() -> bool) {
        while !done() {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_user_read_goes_before_background_reads_queued_earlier() {
        let slots = Slots::new(1, 1);
        let held = slots.acquire(Lane::User).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let (go_tx, go_rx) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        let mut spawn = |name: &'static str, lane: Lane| {
            let (s, o, mut go) = (slots.clone(), order.clone(), go_rx.clone());
            tasks.push(tokio::spawn(async move {
                let _p = s.acquire(lane).await;
                o.lock().unwrap_or_else(|e| e.into_inner()).push(name);
                let _ = go.wait_for(|g| *g).await;
            }));
        };
        spawn("bg1", Lane::Background);
        settle(|| slots.waiting() == (0, 1)).await;
        spawn("bg2", Lane::Background);
        settle(|| slots.waiting() == (0, 2)).await;
        spawn("user", Lane::User);
        settle(|| slots.waiting() == (1, 2)).await;
        drop(held);
        let _ = go_tx.send(true);
        for t in tasks {
            assert!(t.await.is_ok());
        }
        let order = order.lock().unwrap_or_else(|e| e.into_inner()).clone();
        assert_eq!(order, vec!["user", "bg1", "bg2"]);
    }

    #[tokio::test]
    async fn an_aborted_waiter_does_not_keep_the_slot() {
        let slots = Slots::new(1, 1);
        let held = slots.acquire(Lane::User).await;
        let s = slots.clone();
        let waiter = tokio::spawn(async move {
            let _p = s.acquire(Lane::User).await;
            std::future::pending::<()>().await;
        });
        settle(|| slots.waiting() == (1, 0)).await;
        waiter.abort();
        let _ = waiter.await;
        drop(held);
        // The slot came back: it is free, not handed to the aborted waiter.
        let q = lock(&slots.reads.0);
        assert_eq!((q.free, q.user.len()), (1, 0));
    }

    #[test]
    fn background_budget_is_a_sliding_minute() {
        let mut b = Budget::new(10, Duration::from_secs(60));
        let t0 = Instant::now();
        let started = (0..25)
            .filter(|i| b.wait(t0 + Duration::from_secs(*i)).is_zero())
            .count();
        assert_eq!(started, 10, "ten in the first 25 s");
        assert_eq!(
            b.wait(t0 + Duration::from_secs(30)),
            Duration::from_secs(30)
        );
        assert!(b.wait(t0 + Duration::from_secs(60)).is_zero());
    }
}
