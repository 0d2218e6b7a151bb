//! A sliding window: at most `max` starts in any `window`. The transport's client-side rate
//! limit and the worker's budget for background reads are both one of these.

use std::collections::VecDeque;
use std::ops::Sub;
use std::time::Duration;

/// At most `max` starts in any `window`; generic over the clock's instant (std's for the
/// transport, tokio's for the worker, whose tests may pause time).
#[derive(Debug)]
pub struct Window<I> {
    pub max: usize,
    pub window: Duration,
    started: VecDeque<I>,
}

impl<I: Copy + Sub<I, Output = Duration>> Window<I> {
    pub fn new(max: usize, window: Duration) -> Window<I> {
        Window {
            max,
            window,
            started: VecDeque::new(),
        }
    }

    /// How long to wait before the next start may happen at `now`; a zero wait records the start.
    pub fn wait(&mut self, now: I) -> Duration {
        while self
            .started
            .front()
            .is_some_and(|t| now - *t >= self.window)
        {
            self.started.pop_front();
        }
        if self.started.len() < self.max.max(1) {
            self.started.push_back(now);
            return Duration::ZERO;
        }
        let oldest = self.started.front().copied().unwrap_or(now);
        self.window
            .saturating_sub(now - oldest)
            .max(Duration::from_millis(1))
    }
}
