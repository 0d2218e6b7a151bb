//! Gap rows: runs of messages not loaded yet, between two placed messages or at an end. Each
//! knows which half and which ranks it covers, so the page bordering the part on screen can be
//! asked for, and what state those pages are in (for its text).
use super::super::side::{Half, Order, PageState};
use super::{Row, Thread};

#[derive(Debug, Clone, PartialEq)]
pub enum GapState {
    /// Loads when it comes on screen.
    Idle,
    Loading,
    Failed(String),
    /// Paging stopped on this side (the server repeated a page).
    Stopped(String),
    /// Its pages are loaded but these messages did not come (or did not decode).
    Unreadable,
}

/// A gap row: `count` messages (None: unknown) of `half`, ranks `near..=far` from the opened one.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub half: Half,
    pub count: Option<usize>,
    pub near: usize,
    pub far: Option<usize>,
    pub state: GapState,
    /// Before the first / after the last placed message.
    pub edge: bool,
}

fn rank_of(slot: i64) -> usize {
    usize::try_from(slot.unsigned_abs().saturating_sub(1)).unwrap_or(usize::MAX)
}

impl Thread {
    /// Recompute the end gaps (before the first placed message, after the last).
    pub(super) fn edge_gaps(&mut self) {
        let first = self.msgs.first().map(|m| m.slot).unwrap_or(0).min(0);
        let last = self.msgs.last().map(|m| m.slot).unwrap_or(0).max(0);
        let missing = |total: Option<usize>, have: i64, complete: bool| match total {
            Some(n) => {
                let m = (n as i64 - have.abs()).max(0) as usize;
                (m > 0).then_some(Some(m))
            }
            None => (!complete).then_some(None),
        };
        self.lead = if self.msgs.is_empty() {
            None
        } else {
            missing(self.ancestors.total, first, self.ancestors.reached_end())
        };
        self.trail = if self.msgs.is_empty() {
            None
        } else {
            missing(self.descendants.total, last, self.descendants.reached_end())
        };
    }

    /// Whether a gap row stands right before message `i`.
    pub(super) fn gap_before(&self, i: usize) -> bool {
        if i == 0 {
            return self.lead.is_some();
        }
        self.msgs[i].slot - self.msgs[i - 1].slot > 1
    }

    /// The gap row before message `i` (`i == msgs.len()`: the one after the last).
    pub(super) fn gap(&self, i: usize) -> Gap {
        let n = self.msgs.len();
        let (half, near, far, count, edge) = if i == 0 {
            let first = self.msgs.first().map(|m| m.slot).unwrap_or(0).min(0);
            let near = first.unsigned_abs() as usize;
            let count = self.lead.flatten();
            let far = count.map(|c| near + c - 1);
            (Half::Ancestors, near, far, count, true)
        } else if i >= n {
            let last = self.msgs.last().map(|m| m.slot).unwrap_or(0).max(0);
            let near = last as usize;
            let count = self.trail.flatten();
            let far = count.map(|c| near + c - 1);
            (Half::Descendants, near, far, count, true)
        } else {
            let (a, b) = (self.msgs[i - 1].slot, self.msgs[i].slot);
            let count = (b - a - 1).max(0) as usize;
            if b <= 0 {
                // Ancestors: slot b-1 is the nearest missing one.
                (
                    Half::Ancestors,
                    rank_of(b - 1),
                    Some(rank_of(a + 1)),
                    Some(count),
                    false,
                )
            } else {
                (
                    Half::Descendants,
                    rank_of(a + 1),
                    Some(rank_of(b - 1)),
                    Some(count),
                    false,
                )
            }
        };
        let s = self.side(half);
        let state = if let Some(note) = &s.stopped {
            GapState::Stopped(note.clone())
        } else if s.order == Order::Unknown {
            if s.loading() {
                GapState::Loading
            } else if let Some((_, m)) = s.failed() {
                GapState::Failed(m.to_string())
            } else {
                GapState::Idle
            }
        } else {
            let ends = [Some(s.page_of(near)), far.map(|f| s.page_of(f))];
            let states: Vec<Option<&PageState>> =
                ends.iter().flatten().map(|&p| s.state(p)).collect();
            if let Some(m) = states.iter().find_map(|st| match st {
                Some(PageState::Failed(m)) => Some(m.clone()),
                _ => None,
            }) {
                GapState::Failed(m)
            } else if states
                .iter()
                .any(|st| matches!(st, Some(PageState::Loading(_))))
            {
                GapState::Loading
            } else if far.is_some()
                && states
                    .iter()
                    .all(|st| matches!(st, Some(PageState::Loaded { .. })))
            {
                GapState::Unreadable
            } else {
                GapState::Idle
            }
        };
        Gap {
            half,
            count,
            near,
            far,
            state,
            edge,
        }
    }

    /// The page to ask for a gap row on screen row `y`: the one bordering the messages the
    /// reader comes from (below the row when scrolling up, above it when reading down), so
    /// the text continues where the eyes are.
    fn gap_page(&self, g: &Gap, y: usize) -> Option<u32> {
        let s = self.side(g.half);
        if s.order == Order::Unknown || s.stopped.is_some() {
            return None;
        }
        // At the screen's edges only one side of the row is visible.
        let from_below = match y {
            0 => true,
            y if y + 1 >= self.height => false,
            _ => self.heading_up,
        };
        // For ancestors "below" is nearer the opened message; for descendants farther.
        let near_side = match g.half {
            Half::Ancestors => from_below,
            Half::Descendants => !from_below,
        };
        let order: [Option<usize>; 2] = if near_side {
            [Some(g.near), g.far]
        } else {
            [g.far, Some(g.near)]
        };
        order
            .into_iter()
            .flatten()
            .map(|r| s.page_of(r))
            .find(|&p| !s.is_loaded(p))
            .filter(|&p| s.can_ask(p))
    }

    /// Whether the messages of gap `g` are on their way, or will be asked for once it is on
    /// screen (not failed, stopped, or without a page left to ask for).
    pub(super) fn will_load(&self, g: &Gap) -> bool {
        let s = self.side(g.half);
        match g.state {
            GapState::Loading => true,
            GapState::Idle if s.order != Order::Unknown && s.stopped.is_none() => {
                [Some(g.near), g.far]
                    .into_iter()
                    .flatten()
                    .map(|r| s.page_of(r))
                    .any(|p| !s.is_loaded(p) && s.can_ask(p))
            }
            _ => false,
        }
    }

    /// Pages bordering the gap rows on screen.
    pub(super) fn gap_pages_on_screen(&self) -> Vec<(Half, u32)> {
        let mut out = Vec::new();
        for (y, row) in self.visible().into_iter().enumerate() {
            if let Row::Gap(g) = row
                && g.state == GapState::Idle
                && let Some(p) = self.gap_page(&g, y)
            {
                out.push((g.half, p));
            }
        }
        out
    }

    /// A failed page whose gap row is on screen.
    pub(super) fn failed_on_screen(&self) -> Option<(Half, u32)> {
        self.visible().into_iter().find_map(|row| match row {
            Row::Gap(g) if matches!(g.state, GapState::Failed(_)) => {
                let s = self.side(g.half);
                s.failed().map(|(p, _)| (g.half, p))
            }
            _ => None,
        })
    }
}
