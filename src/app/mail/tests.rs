//! Pure update logic of the Mail pane: thread paging and anchoring, lists, filters.
use std::collections::VecDeque;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::thread::{Part, Row};
use super::*;
use crate::api::Page;
use crate::api::models::{Attachment, Mailbox, Participant, ThreadQuery};
use crate::app::Route as AppRoute;
use crate::app::client_picker::tests::client;

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn core(w: u16, h: u16, per_page: u32) -> Core {
    Core {
        size: (w, h),
        settings: Settings {
            thread_page_size: per_page,
            ..Settings::default()
        },
        ..Core::default()
    }
}

fn email(i: usize) -> EmailMessage {
    EmailMessage {
        uuid: format!("m{i:05}"),
        message_created_at: format!("2025-01-01T{i:08}"),
        subject: format!("Subject {i}"),
        text: Some(format!("Body of {i}\nsecond line\n> quoted {i}")),
        participants: vec![Participant {
            kind: "from".into(),
            name: format!("Sender {i}"),
            email: "s@example.com".into(),
        }]
        .into(),
        ..EmailMessage::default()
    }
}

/// A fake thread endpoint that answers like the demo: halves closest-first (or, with `far`,
/// page 1 of a half at the thread's end: (ancestors, descendants)), Laravel meta.
struct Fake {
    msgs: Vec<EmailMessage>,
    open: usize,
    far: (bool, bool),
}

impl Fake {
    fn new(len: usize, open: usize) -> Fake {
        Fake {
            msgs: (0..len).map(email).collect(),
            open,
            far: (false, false),
        }
    }

    fn page(items: Vec<EmailMessage>, page: u32, per: u32, total: usize) -> Page<EmailMessage> {
        let last = total.div_ceil(per as usize).max(1) as u32;
        Page {
            items,
            current_page: Some(page),
            last_page: Some(last),
            per_page: Some(per),
            total: Some(total as u64),
            has_next: Some(page < last),
            next: None,
            skipped: 0,
            ..Page::default()
        }
    }

    /// The message fetched on its own: with html (one link, one quote) and a one-item thread.
    fn full(&self, uuid: &str) -> EmailMessage {
        let i = self
            .msgs
            .iter()
            .position(|m| m.uuid == uuid)
            .expect("known message");
        let mut m = self.msgs[i].clone();
        m.html = Some(format!(
            "<p>Formatted {i}</p><p>See <a href=\"https://example.com/{i}\">the report</a>.</p><blockquote>quoted {i}</blockquote>"
        ));
        m.ancestors = Some(Box::new(Fake::page(Vec::new(), 1, 1, 0)));
        m.descendants = Some(Box::new(Fake::page(Vec::new(), 1, 1, 0)));
        m
    }

    fn answer(&self, q: ThreadQuery) -> EmailMessage {
        let per = q.per_page as usize;
        let mut m = self.msgs[self.open].clone();
        m.html = Some(format!("<p>Opened message {}</p>", self.open));
        m.thread_count = Some(self.msgs.len() as u64);
        let mut anc: Vec<usize> = (0..self.open).rev().collect();
        if self.far.0 {
            anc.reverse();
        }
        let anc: Vec<EmailMessage> = anc
            .into_iter()
            .skip((q.page_ancestors as usize - 1) * per)
            .take(per)
            .map(|i| self.msgs[i].clone())
            .collect();
        let mut desc: Vec<usize> = (self.open + 1..self.msgs.len()).collect();
        if self.far.1 {
            desc.reverse();
        }
        let desc: Vec<EmailMessage> = desc
            .into_iter()
            .skip((q.page_descendants as usize - 1) * per)
            .take(per)
            .map(|i| self.msgs[i].clone())
            .collect();
        m.ancestors = Some(Box::new(Fake::page(
            anc,
            q.page_ancestors,
            q.per_page,
            self.open,
        )));
        m.descendants = Some(Box::new(Fake::page(
            desc,
            q.page_descendants,
            q.per_page,
            self.msgs.len() - self.open - 1,
        )));
        m
    }
}

/// Drives the pane: requests queue up as the pane emits them and are answered one at a time, so
/// "in flight" is real. Records every thread request.
struct Harness {
    pane: MailPane,
    core: Core,
    fake: Fake,
    queue: VecDeque<(RequestId, Route, Call)>,
    log: Vec<(Part, ThreadQuery)>,
    /// Fail the next answer for this (part, page).
    fail: Option<(Part, u32)>,
    /// Single-message fetches (uuid, query), in the order sent.
    fulls: Vec<(String, ThreadQuery)>,
    /// Fail the next single-message fetch of this uuid.
    fail_full: Option<String>,
}

impl Harness {
    fn new(len: usize, open: usize, per: u32, w: u16, h: u16) -> Harness {
        Harness::with_order(len, open, per, w, h, (false, false))
    }

    /// `far`: page 1 of (ancestors, descendants) holds the thread's (start, end).
    fn with_order(len: usize, open: usize, per: u32, w: u16, h: u16, far: (bool, bool)) -> Harness {
        let mut core = core(w, h, per);
        let mut pane = MailPane::new(&core.settings);
        let mut fake = Fake::new(len, open);
        fake.far = far;
        pane.open_thread(&fake.msgs[open].uuid.clone(), &mut core);
        let mut hs = Harness {
            pane,
            core,
            fake,
            queue: VecDeque::new(),
            log: Vec::new(),
            fail: None,
            fulls: Vec::new(),
            fail_full: None,
        };
        hs.collect();
        hs
    }

    fn collect(&mut self) {
        for cmd in std::mem::take(&mut self.core.out) {
            match cmd {
                Command::Api { id, call, .. } => {
                    let Some(AppRoute::Mail(r)) = self.core.pending.get(&id).cloned() else {
                        panic!("unrouted")
                    };
                    if let (Route::Thread(part), Call::Plannr(PlannrCall::Thread { query, .. })) =
                        (&r, &call)
                    {
                        self.log.push((*part, *query));
                    }
                    if let Call::Plannr(PlannrCall::Thread { uuid, query }) = &call
                        && matches!(r, Route::Full { .. })
                    {
                        self.fulls.push((uuid.clone(), *query));
                    }
                    self.queue.push_back((id, r, call));
                }
                Command::RenderHtml { id, html, width } => {
                    let Some(AppRoute::Mail(r)) = self.core.pending.remove(&id) else {
                        panic!("unrouted")
                    };
                    let body = crate::render::html::html_to_body(&html, width);
                    self.pane
                        .on_result(r, id, Ok(Reply::Body(Box::new(body))), &mut self.core);
                }
                _ => {}
            }
        }
        self.check_in_flight();
    }

    fn check_in_flight(&self) {
        for part in [Part::Ancestors, Part::Descendants] {
            let n = self
                .queue
                .iter()
                .filter(|(_, r, _)| *r == Route::Thread(part))
                .count();
            assert!(n <= 2, "{n} {part:?} requests in flight");
        }
        for (_, r, _) in &self.queue {
            if let Route::Full { uuid } = r {
                let n = self
                    .queue
                    .iter()
                    .filter(|(_, q, _)| matches!(q, Route::Full { uuid: u } if u == uuid))
                    .count();
                assert!(n <= 1, "{n} fetches of {uuid} in flight");
            }
        }
    }

    /// Answer the oldest outstanding request.
    fn answer_one(&mut self) -> bool {
        let Some((id, route, call)) = self.queue.pop_front() else {
            return false;
        };
        self.core.pending.remove(&id);
        let result = match (&route, call) {
            (Route::Thread(part), Call::Plannr(PlannrCall::Thread { query, .. })) => {
                let page = match part {
                    Part::Ancestors => query.page_ancestors,
                    Part::Descendants => query.page_descendants,
                    Part::First => 1,
                };
                if self.fail == Some((*part, page)) {
                    self.fail = None;
                    Err(ApiError::Server {
                        status: 503,
                        message: "try later".into(),
                    })
                } else {
                    Ok(Reply::Plannr(PlannrReply::Email(Box::new(
                        self.fake.answer(query),
                    ))))
                }
            }
            (Route::Full { uuid }, Call::Plannr(PlannrCall::Thread { uuid: asked, .. })) => {
                assert_eq!(uuid, &asked);
                if self.fail_full.as_deref() == Some(uuid.as_str()) {
                    self.fail_full = None;
                    Err(ApiError::Server {
                        status: 503,
                        message: "try later".into(),
                    })
                } else {
                    Ok(Reply::Plannr(PlannrReply::Email(Box::new(
                        self.fake.full(uuid),
                    ))))
                }
            }
            _ => panic!("unexpected call"),
        };
        self.pane.on_result(route, id, result, &mut self.core);
        self.collect();
        true
    }

    fn settle(&mut self) {
        while self.answer_one() {}
    }

    fn press(&mut self, k: KeyEvent) {
        self.pane.on_key(k, &mut self.core);
        self.collect();
    }

    fn thread(&self) -> &Thread {
        self.pane.thread.as_ref().expect("thread open")
    }

    fn pages(&self, part: Part) -> Vec<u32> {
        self.log
            .iter()
            .filter_map(|(p, q)| match p {
                Part::Ancestors if *p == part => Some(q.page_ancestors),
                Part::Descendants if *p == part => Some(q.page_descendants),
                _ => None,
            })
            .collect()
    }

    /// The screen row of message `uuid`'s header, if visible.
    fn header_row(&self, uuid: &str) -> Option<usize> {
        let t = self.thread();
        let i = t.index_of(uuid)?;
        t.visible().iter().position(|r| *r == Row::Header(i))
    }
}

/// Both orders a server may page a thread's halves in: (ancestors, descendants) far-first.
const ORDERS: [(bool, bool); 2] = [(false, false), (true, true)];

#[test]
fn scrolling_up_fetches_each_ancestor_page_exactly_once() {
    // 103 ancestors, page size 10: pages 1..=11 (page 1 comes with the first call).
    for far in ORDERS {
        let mut h = Harness::with_order(120, 103, 10, 80, 24, far);
        h.settle();
        assert_eq!(h.log[0].0, Part::First);
        for n in 0..2000 {
            h.press(ch('k'));
            // Answer lazily: keep pressing while a page is in flight, to prove no duplicate is sent.
            if n % 7 == 0 {
                h.answer_one();
            }
        }
        h.settle();
        for _ in 0..2000 {
            h.press(ch('k'));
            h.settle();
        }
        // Whatever scrolling up left (a gap below the screen while at the top), reading down
        // from the top fills.
        h.press(ch('g'));
        for _ in 0..50 {
            h.press(key(KeyCode::PageDown));
            h.settle();
        }
        let mut pages = h.pages(Part::Ancestors);
        assert_eq!(
            pages.len(),
            10,
            "{far:?}: 1 + 10 requests = ceil(103/10): {pages:?}"
        );
        pages.sort();
        assert_eq!(pages, (2..=11).collect::<Vec<_>>(), "{far:?}: each once");
        let t = h.thread();
        assert!(t.ancestors.is_complete());
        assert_eq!(t.msgs.len(), 120);
        assert_eq!(t.msgs.first().map(|m| m.m.uuid.as_str()), Some("m00000"));
        assert!(
            t.msgs
                .windows(2)
                .all(|w| w[0].m.sort_key() < w[1].m.sort_key())
        );
        // Ancestor pages asked for page 1 of descendants only.
        assert!(
            h.log
                .iter()
                .filter(|(p, _)| *p == Part::Ancestors)
                .all(|(_, q)| q.page_descendants == 1)
        );
    }
}

#[test]
fn scrolling_down_fetches_each_descendant_page_exactly_once() {
    for far in ORDERS {
        let mut h = Harness::with_order(60, 2, 7, 120, 40, far);
        h.settle();
        for _ in 0..500 {
            h.press(key(KeyCode::PageDown));
            h.settle();
        }
        // 57 descendants / 7 = 9 pages; page 1 came with the first call.
        let mut pages = h.pages(Part::Descendants);
        pages.sort();
        assert_eq!(pages, (2..=9).collect::<Vec<_>>(), "{far:?}");
        assert!(
            h.pages(Part::Ancestors).is_empty(),
            "2 ancestors fit the first page"
        );
        assert_eq!(h.thread().msgs.len(), 60);
        let uuids: Vec<&str> = h.thread().msgs.iter().map(|m| m.m.uuid.as_str()).collect();
        let mut sorted = uuids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(uuids, sorted, "ordered oldest first, no duplicates");
    }
}

/// Thread requests sent so far.
fn sent(h: &Harness) -> usize {
    h.log.len()
}

#[test]
fn opening_in_the_middle_costs_one_request_and_one_look_ahead_per_side() {
    for far in ORDERS {
        let mut h = Harness::with_order(1500, 750, 25, 80, 24, far);
        h.answer_one();
        assert_eq!(
            sent(&h),
            3,
            "{far:?}: the first call, then each half's last page"
        );
        // Until the order is known nothing of a half is shown: only the opened message and
        // two gap rows.
        let t = h.thread();
        assert_eq!(t.msgs.len(), 1);
        assert!(matches!(t.visible()[0], Row::Gap(ref g) if g.count == Some(750)));
        h.settle();
        assert_eq!(sent(&h), 3, "{far:?}: {:?}", h.log);
        let t = h.thread();
        let want = if far.0 {
            crate::app::mail::side::Order::FarthestFirst
        } else {
            crate::app::mail::side::Order::NearestFirst
        };
        assert_eq!(t.ancestors.order, want);
        // Page 1 and the last page of each half: 750 ancestors fill 30 pages of 25, 749
        // descendants leave 24 for one end: 25 + 25 + 1 + 25 + 24.
        assert_eq!(t.loaded(), 100);
        assert_eq!(t.size(), Some(1500));
        assert_eq!(t.position(), (751, Some(1500)));
    }
}

#[test]
fn g_and_capital_g_reach_the_ends_in_two_requests_at_most_and_focus_them() {
    for far in ORDERS {
        let mut h = Harness::with_order(1500, 750, 25, 80, 24, far);
        h.settle();
        let before = sent(&h);
        h.press(ch('g'));
        h.settle();
        assert!(sent(&h) - before <= 2, "{far:?}: {:?}", &h.log[before..]);
        let t = h.thread();
        assert_eq!(t.top_line(), 0);
        assert_eq!(t.visible()[0], Row::Header(0));
        assert_eq!(t.msgs[0].m.uuid, "m00000");
        assert_eq!(t.focus, "m00000", "g moves the cursor too");
        let before = sent(&h);
        h.press(ch('G'));
        h.settle();
        assert!(sent(&h) - before <= 2, "{far:?}: {:?}", &h.log[before..]);
        let t = h.thread();
        assert_eq!(t.top_line() + t.height, t.total_lines(), "at the bottom");
        let last = t.msgs.len() - 1;
        assert_eq!(t.msgs[last].m.uuid, "m01499");
        assert_eq!(t.visible().last(), Some(&Row::Header(last)));
        assert_eq!(t.focus, "m01499", "G focuses the last message");
    }
}

#[test]
fn keys_pressed_while_g_or_capital_g_waits_for_its_end_move_from_that_end() {
    // The bug: a movement key pressed before g's (or G's) page arrived cancelled it, and the
    // view stayed by the opened message: `g j` typed ahead at 300 ms latency never reached the
    // start. Now the keys wait and are replayed from the end once it is on screen.
    for answered_first in [false, true] {
        let mut h = Harness::new(1500, 750, 25, 80, 24);
        if answered_first {
            h.answer_one(); // the opened message came; each half's last page is in flight
        }
        h.press(ch('g'));
        h.press(ch('j'));
        h.press(ch('j'));
        h.settle();
        let t = h.thread();
        assert_eq!(t.msgs[0].m.uuid, "m00000", "{answered_first}");
        assert_eq!(t.top_line(), 2, "{answered_first}: g, then two lines down");
        assert_eq!(t.visible()[0], Row::Header(2));
        assert_eq!(
            t.focus, "m00002",
            "{answered_first}: the cursor is on screen"
        );

        let mut h = Harness::new(1500, 750, 25, 80, 24);
        if answered_first {
            h.answer_one();
        }
        h.press(ch('G'));
        h.press(ch('p'));
        h.settle();
        let t = h.thread();
        let last = t.msgs.len() - 1;
        assert_eq!(t.msgs[last].m.uuid, "m01499", "{answered_first}");
        assert_eq!(
            t.focus, "m01498",
            "{answered_first}: G, then the previous message"
        );
        let i = t.index_of("m01498").expect("placed");
        assert!(t.visible().contains(&Row::Header(i)), "{answered_first}");
    }
}

#[test]
fn enter_typed_after_g_opens_the_first_message_once_it_is_there() {
    // The bug: Enter pressed while g's page was on the way toggled whichever message had the
    // cursor then (the opened one collapsed), not the first message g was going to.
    let mut h = Harness::new(1500, 750, 25, 80, 24);
    h.answer_one();
    h.press(ch('g'));
    h.press(key(KeyCode::Enter));
    h.settle();
    let t = h.thread();
    assert_eq!(t.focus, "m00000");
    assert!(t.msgs[0].expanded, "the first message opened");
    let opened = t.index_of("m00750").expect("opened");
    assert!(t.msgs[opened].expanded, "the opened message left as it was");
}

#[test]
fn paging_never_skips_a_gap_that_is_still_loading() {
    // The bug: a gap row is one line, so a second PageDown pressed while its page loaded carried
    // the view past it: from message 20 straight to the far end, 1,400 messages skipped. Now the
    // view stops with the gap on screen and the page comes in where the reader is.
    let mut h = Harness::new(1500, 750, 25, 80, 24);
    h.settle();
    h.press(ch('g'));
    h.settle();
    h.press(key(KeyCode::PageDown)); // the gap row under the first page comes on screen
    h.press(key(KeyCode::PageDown)); // its page is still on the way
    h.press(key(KeyCode::PageDown));
    h.settle();
    let next = h.header_row("m00025");
    assert!(
        next.is_some(),
        "the message after the first page is on screen"
    );
    let t = h.thread();
    assert!(t.focused().is_some_and(|m| m.slot < -700), "{}", t.focus);

    // Reading up from the end: the page above comes in at the top of the screen.
    let mut h = Harness::new(1500, 750, 25, 80, 24);
    h.settle();
    h.press(ch('G'));
    h.settle();
    h.press(key(KeyCode::PageUp)); // the gap row above the last page comes on screen
    h.press(key(KeyCode::PageUp)); // its page is still on the way
    h.press(key(KeyCode::PageUp));
    h.settle();
    assert_eq!(
        h.header_row("m01475"),
        Some(0),
        "the message above the last page, on the top row"
    );
}

#[test]
fn a_one_row_thread_reads_down_through_its_gaps() {
    // The bug: with one row for the thread (a 5-row terminal) reading down stopped with the gap
    // on the second row, which is off screen: its page was never asked for and the wall never
    // lifted, so j and PageDown did nothing from there on.
    let mut h = Harness::new(1500, 750, 25, 80, 5);
    h.settle();
    h.press(ch('g'));
    h.settle();
    for _ in 0..100 {
        h.press(ch('j'));
        h.settle();
    }
    let t = h.thread();
    let slot = t.focused().map(|m| m.slot).unwrap_or(i64::MIN);
    assert!(slot > -700, "read on past the first gaps: {}", t.focus);
}

#[test]
fn keys_kept_for_g_are_dropped_when_its_page_fails() {
    // The bug: keys kept while g waited stayed queued after its page failed and were made on
    // the next, unrelated answer: an Enter meant for the first message collapsed the opened one.
    let mut h = Harness::new(1500, 750, 25, 80, 24);
    h.answer_one(); // the opened message; each half's last page is in flight
    h.fail = Some((Part::Ancestors, 30));
    h.press(ch('g'));
    h.press(key(KeyCode::Enter));
    h.settle();
    let t = h.thread();
    let opened = t.index_of("m00750").expect("placed");
    assert!(t.msgs[opened].expanded, "the opened message stays open");
    assert_eq!(t.focus, "m00750");
}

#[test]
fn keys_typed_before_the_opened_message_comes_are_made_once_it_is_there() {
    // The bug: at 300 ms latency, keys pressed right after Enter on an email (before the opened
    // message came) did nothing: they were lost. Now they wait and are made once it is there,
    // as if pressed then.
    let typed = [ch('j'), ch('j'), ch('j')];
    let mut early = Harness::new(1500, 750, 25, 80, 24);
    for &k in &typed {
        early.press(k);
    }
    early.settle();
    let mut late = Harness::new(1500, 750, 25, 80, 24);
    late.answer_one();
    for &k in &typed {
        late.press(k);
    }
    late.settle();
    let mut none = Harness::new(1500, 750, 25, 80, 24);
    none.settle();
    let (e, l) = (early.thread(), late.thread());
    assert_eq!((&e.top, &e.focus), (&l.top, &l.focus));
    assert_ne!(
        (&e.top, &e.focus),
        (&none.thread().top, &none.thread().focus),
        "the keys moved the view"
    );
}

#[test]
fn a_gap_whose_page_failed_is_no_wall() {
    // Scrolling waits for a gap only while its page can come: a failed one can be passed.
    let mut h = Harness::new(1500, 750, 25, 80, 24);
    h.settle();
    h.press(ch('g'));
    h.settle();
    h.fail = Some((Part::Ancestors, 29));
    h.press(key(KeyCode::PageDown)); // the gap row comes on screen; its page fails
    h.settle();
    for _ in 0..3 {
        h.press(key(KeyCode::PageDown));
    }
    let t = h.thread();
    let slot = t.focused().map(|m| m.slot).unwrap_or(i64::MIN);
    assert!(slot > -725, "past the gap: {}", t.focus);
}

#[test]
fn capital_g_pressed_while_pages_load_focuses_the_last_message() {
    // The bug: G focused the last message loaded when it was pressed ("188 of 200").
    let mut h = Harness::new(200, 20, 25, 80, 24);
    h.answer_one();
    h.press(ch('G'));
    h.settle();
    let t = h.thread();
    assert_eq!(t.focus, "m00199");
    assert_eq!(t.position(), (200, Some(200)));
}

/// Walk every virtual line: messages in thread order, and wherever messages are missing between
/// two shown ones (or at an end), a gap row saying how many.
fn check_gaps(t: &Thread) {
    let mut prev: Option<i64> = None;
    let mut pending_gap: Option<usize> = None;
    let mut counted = 0usize;
    let first_slot = -(t.ancestors.total.expect("total") as i64);
    for line in 0..t.total_lines() {
        match t.row_at(line) {
            Row::Gap(g) => {
                let c = g.count.expect("a known count");
                counted += c;
                pending_gap = Some(c);
            }
            Row::Header(i) => {
                let slot = t.msgs[i].slot;
                let expect = prev.map(|p| p + 1).unwrap_or(first_slot);
                let missing = (slot - expect) as usize;
                assert_eq!(
                    pending_gap.unwrap_or(0),
                    missing,
                    "{missing} missing before slot {slot} without a gap row"
                );
                pending_gap = None;
                prev = Some(slot);
            }
            _ => {}
        }
    }
    assert_eq!(
        counted + t.loaded(),
        t.size().expect("size") as usize,
        "loaded + gaps = the thread"
    );
}

#[test]
fn gap_rows_stand_wherever_messages_are_missing_and_fill_once_each() {
    for far in ORDERS {
        let mut h = Harness::with_order(1500, 750, 25, 80, 24, far);
        h.settle();
        check_gaps(h.thread());
        h.press(ch('g'));
        h.settle();
        check_gaps(h.thread());
        for _ in 0..10 {
            h.press(key(KeyCode::PageDown));
            h.settle();
            check_gaps(h.thread());
        }
        h.press(ch('G'));
        h.settle();
        check_gaps(h.thread());
        // From the top, page down through the whole thread: every page loads once.
        h.press(ch('g'));
        h.settle();
        for _ in 0..3000 {
            h.press(key(KeyCode::PageDown));
            h.settle();
        }
        check_gaps(h.thread());
        let t = h.thread();
        assert_eq!(t.loaded(), 1500, "{far:?}");
        assert!(t.ancestors.is_complete() && t.descendants.is_complete());
        let mut a = h.pages(Part::Ancestors);
        let mut d = h.pages(Part::Descendants);
        a.sort();
        d.sort();
        assert_eq!(a, (2..=30).collect::<Vec<_>>(), "{far:?}");
        assert_eq!(d, (2..=30).collect::<Vec<_>>(), "{far:?}");
        assert_eq!(sent(&h), 59, "1 + 29 + 29, in either order");
    }
}

#[test]
fn a_failed_page_waits_for_retry_then_loads() {
    let mut h = Harness::new(100, 80, 10, 80, 24);
    h.fail = Some((Part::Ancestors, 2));
    h.settle();
    let failed_row = |h: &Harness| {
        h.thread()
            .visible()
            .iter()
            .any(|r| matches!(r, Row::Gap(g) if matches!(g.state, thread::GapState::Failed(_))))
    };
    for _ in 0..40 {
        if h.thread().ancestors.failed().is_some() {
            break;
        }
        h.press(ch('k'));
        h.settle();
    }
    assert!(h.thread().ancestors.failed().is_some());
    assert!(failed_row(&h), "its gap row says so, on screen");
    for _ in 0..40 {
        h.press(ch('k'));
        h.settle();
    }
    for _ in 0..40 {
        if failed_row(&h) {
            break;
        }
        h.press(ch('j'));
        h.settle();
    }
    let mut asked = h.pages(Part::Ancestors);
    asked.retain(|&p| p == 2);
    assert_eq!(
        asked,
        vec![2],
        "a failed page is not re-requested by scrolling"
    );
    assert!(failed_row(&h));
    h.press(key(KeyCode::Enter));
    h.settle();
    let mut asked = h.pages(Part::Ancestors);
    asked.retain(|&p| p == 2);
    assert_eq!(
        asked,
        vec![2, 2],
        "Enter on the error row retries the same page"
    );
    assert!(h.thread().ancestors.is_loaded(2));
    assert!(h.thread().ancestors.failed().is_none());
}

#[test]
fn a_page_filling_a_gap_above_keeps_the_anchor_line_on_the_same_row() {
    let mut h = Harness::new(200, 150, 10, 80, 24);
    h.settle();
    let root = h.fake.msgs[150].uuid.clone();
    // Scroll up until the gap row above the first page of ancestors asks for the next page.
    let mut n = 0;
    while h.queue.is_empty() && n < 100 {
        h.press(ch('k'));
        n += 1;
    }
    assert!(!h.queue.is_empty(), "a page of ancestors is wanted");
    let before = h.header_row(&root);
    let screen = |h: &Harness| -> Vec<String> {
        let t = h.thread();
        t.visible()
            .iter()
            .map(|r| match r {
                Row::Header(i) => format!("header {}", t.msgs[*i].m.uuid),
                Row::Line(i, l) => format!("{}: {}", t.msgs[*i].m.uuid, l.text),
                other => format!("{other:?}"),
            })
            .collect()
    };
    let screen_before = screen(&h);
    let n_before = h.thread().msgs.len();
    h.answer_one();
    assert!(h.thread().msgs.len() > n_before, "a page filled the gap");
    assert_eq!(h.header_row(&root), before, "no jump");
    assert_eq!(
        screen(&h)[1..],
        screen_before[1..],
        "only the gap row changed"
    );
}

#[test]
fn stale_and_repeated_answers_are_dropped() {
    let mut h = Harness::new(50, 25, 10, 80, 24);
    h.settle();
    let n = h.thread().msgs.len();
    // An answer nobody asked for changes nothing.
    let t = h.pane.thread.as_mut().expect("thread");
    assert!(!t.on_loaded(
        Part::Ancestors,
        999,
        h.fake.answer(ThreadQuery {
            per_page: 10,
            page_ancestors: 2,
            page_descendants: 1
        })
    ));
    assert_eq!(t.msgs.len(), n);
    // A server ignoring page[ancestors] sends page 1 again for page 2: paging stops there,
    // with a note in the gap row, and nothing is duplicated.
    let id = 1000;
    t.ancestors.mark_loading(2, id);
    let again = h.fake.answer(ThreadQuery {
        per_page: 10,
        page_ancestors: 1,
        page_descendants: 1,
    });
    assert!(t.on_loaded(Part::Ancestors, id, again));
    assert!(t.ancestors.stopped.is_some());
    assert!(t.wanted().iter().all(|r| r.part != Part::Ancestors));
    let uuids: Vec<&str> = t.msgs.iter().map(|m| m.m.uuid.as_str()).collect();
    let mut sorted = uuids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(uuids, sorted);
    assert_eq!(t.msgs.len(), n);
}

#[test]
fn expanding_the_bottom_message_scrolls_its_body_into_view() {
    let mut h = Harness::new(60, 10, 50, 80, 24);
    h.settle();
    // Walk the focus down until it is on the screen's last row.
    let rows = h.thread().height;
    for _ in 0..40 {
        if h.header_row(&h.thread().focus.clone()) == Some(rows - 1) {
            break;
        }
        h.press(ch('n'));
    }
    let focus = h.thread().focus.clone();
    assert_eq!(
        h.header_row(&focus),
        Some(rows - 1),
        "set-up: focus on the last row"
    );
    h.press(key(KeyCode::Enter));
    h.settle();
    let t = h.thread();
    let i = t.index_of(&focus).expect("focused");
    let m = &t.msgs[i];
    assert!(m.expanded && m.height() <= rows);
    let shown = t
        .visible()
        .iter()
        .filter(|r| matches!(r, Row::Header(j) | Row::Line(j, _) if *j == i))
        .count();
    assert_eq!(shown, m.height(), "the whole message is on screen");
}

#[test]
fn expand_all_and_resize_lay_out_only_what_is_near_the_screen() {
    let mut h = Harness::new(3000, 1500, 500, 80, 24);
    h.settle();
    h.press(ch('g'));
    h.settle();
    h.press(ch('G'));
    h.settle();
    for _ in 0..20 {
        h.press(key(KeyCode::PageUp));
        h.settle();
    }
    let screen_focus = h.header_row(&h.thread().focus.clone());
    // `o` itself (before the pane fetches the messages now on screen, whose "loading" lines
    // then push what is below them).
    if let Some(t) = h.pane.thread.as_mut() {
        t.toggle_all();
    }
    assert_eq!(
        h.header_row(&h.thread().focus.clone()),
        screen_focus,
        "focus row kept"
    );
    let t = h.thread();
    assert!(t.msgs.iter().all(|m| m.expanded));
    let laid = t.msgs.iter().filter(|m| m.laid).count();
    assert!(laid < 60, "{laid} of {} wrapped", t.msgs.len());
    h.press(ch('j'));
    h.press(ch('k'));
    h.settle();
    // Every row on screen is real content, and scrolling by one line moves exactly one line.
    for step in 0..200 {
        let before = h.thread().visible();
        let before: Vec<String> = before.iter().map(|r| format!("{r:?}")).collect();
        let fetches = h.fulls.len();
        h.press(ch(if step % 50 < 25 { 'k' } else { 'j' }));
        // (A message coming on screen is fetched for its html; its "loading" line is news.)
        let fetched = h.fulls.len() > fetches;
        h.settle();
        let after: Vec<String> = h
            .thread()
            .visible()
            .iter()
            .map(|r| format!("{r:?}"))
            .collect();
        let t = h.thread();
        assert!(t.layout_is_consistent(), "incremental line starts drifted");
        for r in t.visible() {
            assert_ne!(r, Row::Blank, "an estimated message reached the screen");
        }
        if step % 50 < 25 && after != before && !fetched {
            assert_eq!(after[1..], before[..before.len() - 1], "k moves one line");
        }
    }
    h.core.size = (60, 30);
    h.pane.on_resize(&mut h.core);
    h.collect();
    let t = h.thread();
    let laid = t.msgs.iter().filter(|m| m.laid).count();
    assert!(laid < 80, "{laid} re-wrapped on resize");
    for r in t.visible() {
        if let Row::Header(i) | Row::Line(i, _) = r {
            assert_eq!(t.msgs[i].wrapped_width, 60);
        }
    }
}

#[test]
fn opened_message_is_expanded_focused_and_counted() {
    let mut h = Harness::new(40, 20, 10, 80, 24);
    h.settle();
    let t = h.thread();
    let f = t.focused().expect("focus");
    assert_eq!(f.m.uuid, "m00020");
    assert!(f.expanded);
    assert!(
        f.lines.iter().any(|l| l.text.contains("Opened message 20")),
        "HTML rendered: {:?}",
        f.lines
    );
    let (n, total) = t.position();
    assert_eq!((n, total), (21, Some(40)));
}

#[test]
fn toggles_jumps_modes_and_folds() {
    let mut h = Harness::new(30, 10, 10, 80, 24);
    h.settle();
    h.press(ch('p'));
    assert_eq!(h.thread().focus, "m00009");
    h.press(key(KeyCode::Enter));
    let f = h.thread().focused().expect("focus");
    assert!(f.expanded && f.lines.iter().any(|l| l.text.contains("Body of 9")));
    assert!(
        f.lines
            .iter()
            .any(|l| matches!(l.kind, body::LineKind::Quote(1)))
    );
    h.press(ch('z'));
    let f = h.thread().focused().expect("focus");
    assert!(f.lines.iter().any(|l| l.kind == body::LineKind::Folded));
    h.press(ch(' '));
    assert!(!h.thread().focused().expect("focus").expanded);
    h.press(ch('n'));
    h.press(ch('n'));
    assert_eq!(h.thread().focus, "m00011");
    h.press(ch('o'));
    assert!(h.thread().msgs.iter().all(|m| m.expanded));
    h.press(ch('o'));
    assert!(h.thread().msgs.iter().all(|m| !m.expanded));
    // v cycles the opened message: rendered → text → source (source shows markup).
    h.press(ch('p'));
    assert_eq!(h.thread().focus, "m00010");
    h.press(ch('v'));
    h.press(ch('v'));
    let f = h.thread().focused().expect("focus");
    assert_eq!(f.mode, body::BodyMode::Raw);
    assert!(
        f.lines.iter().any(|l| l.text.contains("<p>")),
        "{:?}",
        f.lines
    );
}

#[test]
fn resize_rewraps_in_update_and_tiny_terminals_do_not_panic() {
    let mut h = Harness::new(30, 10, 10, 80, 24);
    h.settle();
    h.press(ch('o'));
    let long = h.thread().total_lines();
    for (w, hh) in [(1, 1), (2, 3), (20, 5), (0, 0), (200, 60)] {
        h.core.size = (w, hh);
        h.pane.on_resize(&mut h.core);
        h.collect();
        h.settle();
        for k in ['j', 'k', 'G', 'g', 'n', 'p', 'o', 'v'] {
            h.press(ch(k));
            h.settle();
        }
        let _ = h.thread().visible();
    }
    h.core.size = (30, 24);
    h.pane.on_resize(&mut h.core);
    h.press(ch('o'));
    assert!(
        h.thread().total_lines() > long,
        "narrower means more wrapped lines"
    );
    // Lazy layout: what is on or near the screen is wrapped at the new width; the rest waits.
    let t = h.thread();
    for row in t.visible() {
        if let Row::Header(i) | Row::Line(i, _) = row {
            assert!(t.msgs[i].is_laid() && t.msgs[i].wrapped_width == 30);
        }
    }
}

#[test]
fn copy_respects_the_setting() {
    let mut h = Harness::new(5, 2, 10, 80, 24);
    h.settle();
    h.press(ch('y'));
    assert!(
        h.core
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("osc52_copy"))
    );
    h.core.settings.osc52_copy = true;
    h.pane.on_key(ch('y'), &mut h.core);
    let payload = h.core.out.iter().find_map(|c| match c {
        Command::Osc52(p) => Some(p.clone()),
        _ => None,
    });
    assert_eq!(
        payload,
        Some(base64(
            body::copy_text(h.thread().focused().expect("focus")).as_bytes()
        ))
    );
}

#[test]
fn copy_of_an_empty_message_sends_nothing_and_says_so() {
    // An empty OSC 52 payload clears the user's clipboard: never send one, never say "Copied".
    let mut h = Harness::new(1, 0, 10, 80, 24);
    h.settle();
    h.core.settings.osc52_copy = true;
    let m = h
        .pane
        .thread
        .as_mut()
        .and_then(|t| t.focused_mut())
        .expect("focus");
    m.m.text = Some(String::new());
    m.m.html = None;
    m.body = thread::BodyState::Ready(crate::render::html::text_to_body(" \n\n"));
    h.core.out.clear();
    h.pane.on_key(ch('y'), &mut h.core);
    assert!(
        !h.core.out.iter().any(|c| matches!(c, Command::Osc52(_))),
        "{:?}",
        h.core.out
    );
    let status = h
        .core
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(!status.contains("Copied"), "{status}");
    assert!(status.contains("Nothing to copy"), "{status}");
}

#[test]
fn base64_matches_rfc4648() {
    for (i, o) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(i.as_bytes()), o);
    }
    assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
}

#[test]
fn save_asks_the_worker_once_with_the_focused_attachment() {
    let mut h = Harness::new(3, 1, 10, 80, 24);
    h.settle();
    if let Some(t) = h.pane.thread.as_mut() {
        let f = t.focused_mut().expect("focus");
        f.m.attachments = vec![
            Attachment {
                name: "a.pdf".into(),
                download_url: Some("http://x/a".into()),
                size: Some(10),
                ..Attachment::default()
            },
            Attachment {
                name: "b.pdf".into(),
                download_url: Some("http://x/b".into()),
                ..Attachment::default()
            },
        ];
    }
    h.press(ch('a'));
    h.pane.on_key(ch('s'), &mut h.core);
    let dl: Vec<&Command> = h
        .core
        .out
        .iter()
        .filter(|c| matches!(c, Command::Download { .. }))
        .collect();
    assert!(
        matches!(dl.as_slice(), [Command::Download { url, name, .. }] if url == "http://x/b" && name == "b.pdf")
    );
    let Some(Command::Download { id, .. }) = dl.first().map(|c| (*c).clone()) else {
        panic!()
    };
    h.core.out.clear();
    h.pane.on_key(ch('s'), &mut h.core);
    assert!(
        !h.core
            .out
            .iter()
            .any(|c| matches!(c, Command::Download { .. })),
        "one at a time"
    );
    let r = h.core.pending.remove(&id);
    assert!(matches!(r, Some(AppRoute::Mail(Route::Download { .. }))));
    h.pane.on_progress(
        Route::Download {
            name: "b.pdf".into(),
        },
        id,
        50,
        Some(100),
        &mut h.core,
    );
    assert!(
        h.core
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("50%"))
    );
    h.pane.on_result(
        Route::Download {
            name: "b.pdf".into(),
        },
        id,
        Ok(Reply::Saved {
            path: "/tmp/b (1).pdf".into(),
            bytes: 100,
        }),
        &mut h.core,
    );
    assert!(h.pane.download.is_none());
    assert!(
        h.core
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("b (1).pdf"))
    );
}

#[test]
fn an_attachment_that_is_not_ready_is_not_downloaded_and_the_user_is_told_why() {
    let mut h = Harness::new(3, 1, 10, 80, 24);
    h.settle();
    if let Some(t) = h.pane.thread.as_mut() {
        let f = t.focused_mut().expect("focus");
        f.m.attachments = vec![Attachment {
            name: "late.pdf".into(),
            download_url: Some("http://x/late".into()),
            status: Some("pending".into()),
            ..Attachment::default()
        }];
    }
    h.core.out.clear();
    h.pane.on_key(ch('s'), &mut h.core);
    assert!(
        !h.core
            .out
            .iter()
            .any(|c| matches!(c, Command::Download { .. })),
        "a pending file is not fetched"
    );
    assert!(h.pane.download.is_none());
    let said = h
        .core
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        said.contains("late.pdf") && said.contains("not ready") && said.contains("pending"),
        "the user is told which file and why: {said:?}"
    );
    // Once Plannr says it is stored, the same key fetches it.
    if let Some(t) = h.pane.thread.as_mut() {
        let f = t.focused_mut().expect("focus");
        f.m.attachments[0].status = Some("uploaded".into());
    }
    h.pane.on_key(ch('s'), &mut h.core);
    assert!(
        h.core
            .out
            .iter()
            .any(|c| matches!(c, Command::Download { url, .. } if url == "http://x/late"))
    );
}

// ---------------------------------------------------------------- lists

fn take_api(core: &mut Core) -> Vec<(RequestId, Call)> {
    std::mem::take(&mut core.out)
        .into_iter()
        .filter_map(|c| match c {
            Command::Api { id, call, .. } => Some((id, call)),
            _ => None,
        })
        .collect()
}

#[test]
fn client_search_is_debounced_and_sent_as_filter_name() {
    let mut core = core(80, 24, 25);
    let mut pane = MailPane::new(&core.settings);
    pane.on_show(&mut core);
    let first = take_api(&mut core);
    assert!(matches!(
        first.as_slice(),
        [(
            _,
            Call::Plannr(PlannrCall::Clients {
                name: None,
                page: 1,
                ..
            })
        )]
    ));
    pane.on_key(ch('/'), &mut core);
    assert!(pane.captures_input());
    let mut seqs = Vec::new();
    for c in "thom".chars() {
        pane.on_key(ch(c), &mut core);
        seqs.push(core.seq);
    }
    assert!(take_api(&mut core).is_empty(), "nothing sent while typing");
    pane.on_debounce(seqs[1], &mut core);
    assert!(take_api(&mut core).is_empty(), "an old timer does nothing");
    pane.on_debounce(seqs[3], &mut core);
    let sent = take_api(&mut core);
    assert!(
        matches!(sent.as_slice(), [(_, Call::Plannr(PlannrCall::Clients { name: Some(n), page: 1, .. }))] if n == "thom")
    );
    // The answer to the superseded first request is ignored.
    pane.on_result(
        Route::Clients,
        first[0].0,
        Ok(Reply::Plannr(PlannrReply::Clients(Page {
            items: vec![client(9)],
            ..Page::default()
        }))),
        &mut core,
    );
    assert!(pane.picker.clients.items.is_empty());
    pane.on_result(
        Route::Clients,
        sent[0].0,
        Ok(Reply::Plannr(PlannrReply::Clients(Page {
            items: vec![client(1)],
            has_next: Some(false),
            ..Page::default()
        }))),
        &mut core,
    );
    assert_eq!(pane.picker.clients.items.len(), 1);
    pane.on_key(key(KeyCode::Enter), &mut core);
    assert!(!pane.captures_input());
    pane.on_key(key(KeyCode::Enter), &mut core);
    assert_eq!(pane.view, View::Emails);
    let sent = take_api(&mut core);
    assert!(
        matches!(sent.as_slice(), [(_, Call::Plannr(PlannrCall::ClientEmails { client_uuid, query }))] if client_uuid == "c1" && query.page == 1 && query.incoming.is_none())
    );
}

fn mail_in(i: usize, mailbox: &str) -> EmailMessage {
    let mut m = email(i);
    m.mailbox = Some(Box::new(Mailbox {
        uuid: mailbox.into(),
        name: format!("Box {mailbox}"),
        ..Mailbox::default()
    }));
    m.attachments = if i.is_multiple_of(3) {
        vec![Attachment::default()]
    } else {
        vec![]
    };
    m
}

#[test]
fn email_list_pages_ahead_filters_mailbox_client_side_and_cycles_direction() {
    let mut core = core(80, 24, 25);
    core.settings.list_page_size = 20;
    let mut pane = MailPane::new(&core.settings);
    pane.set_mailbox_filter(Some(("mb1".into(), "Box 1".into())), &mut core);
    pane.open_client(client(1), &mut core);
    let mut served = 0;
    let mut pages = Vec::new();
    // Serve pages where 1 in 4 emails is in mb1; the pane keeps loading to fill the screen.
    for _ in 0..50 {
        let calls = take_api(&mut core);
        if calls.is_empty() {
            break;
        }
        for (id, call) in calls {
            let Call::Plannr(PlannrCall::ClientEmails { query, .. }) = call else {
                panic!()
            };
            pages.push(query.page);
            let items: Vec<EmailMessage> = (served..served + 20)
                .map(|i| mail_in(i, if i % 4 == 0 { "mb1" } else { "mb2" }))
                .collect();
            served += 20;
            let next = query.page < 10;
            core.pending.remove(&id);
            pane.on_result(
                Route::Emails,
                id,
                Ok(Reply::Plannr(PlannrReply::Emails(Page {
                    items,
                    has_next: Some(next),
                    ..Page::default()
                }))),
                &mut core,
            );
        }
    }
    let rows = MailPane::list_rows(&core);
    assert!(
        pane.shown.len() > 2 * rows,
        "filled two screens ahead: {}",
        pane.shown.len()
    );
    assert!(pane.shown.iter().all(|&i| {
        pane.emails.items[i]
            .mailbox
            .as_ref()
            .is_some_and(|m| m.uuid == "mb1")
    }));
    assert_eq!(
        pages,
        (1..=pages.len() as u32).collect::<Vec<_>>(),
        "in order, once each"
    );
    assert!(!pane.emails.is_complete());
    // Moving to the end asks for the next page before the end is reached.
    for _ in 0..rows {
        pane.on_key(ch('j'), &mut core);
    }
    let calls = take_api(&mut core);
    assert_eq!(calls.len(), 1);
    // `m` clears the mailbox filter.
    pane.on_key(ch('m'), &mut core);
    assert_eq!(pane.shown.len(), pane.emails.items.len());
    // `i` cycles all → incoming → outgoing, each a fresh page 1.
    pane.on_key(ch('i'), &mut core);
    let calls = take_api(&mut core);
    assert!(
        matches!(calls.as_slice(), [(_, Call::Plannr(PlannrCall::ClientEmails { query, .. }))] if query.incoming == Some(true) && query.page == 1)
    );
    pane.on_key(ch('i'), &mut core);
    let calls = take_api(&mut core);
    assert!(
        matches!(calls.as_slice(), [(_, Call::Plannr(PlannrCall::ClientEmails { query, .. }))] if query.incoming == Some(false))
    );
    // Esc goes back a level; at the top the pane lets q quit.
    pane.on_key(key(KeyCode::Esc), &mut core);
    assert_eq!(pane.view, View::Clients);
    assert!(!pane.on_key(ch('q'), &mut core));
}

// ---------------------------------------------------------------- full messages (html)

const ONE: ThreadQuery = ThreadQuery {
    per_page: 1,
    page_ancestors: 1,
    page_descendants: 1,
};

fn has_line(m: &thread::TMsg, needle: &str) -> bool {
    m.lines.iter().any(|l| l.text.contains(needle))
}

#[test]
fn expanding_fetches_the_full_message_once_and_renders_its_html() {
    let mut h = Harness::new(30, 10, 10, 80, 24);
    h.settle();
    assert!(h.fulls.is_empty(), "the opened message already has html");
    h.press(ch('p'));
    h.press(key(KeyCode::Enter));
    assert_eq!(
        h.fulls,
        vec![("m00009".to_string(), ONE)],
        "exactly one fetch"
    );
    // Meanwhile: the plain text, with a dim loading line.
    let f = h.thread().focused().expect("focus");
    assert!(has_line(f, "Body of 9"), "{:?}", f.lines);
    assert!(
        f.lines
            .iter()
            .any(|l| l.kind == body::LineKind::Notice && l.text == "loading formatted version…")
    );
    // Pressing keys while it loads sends nothing more.
    h.press(ch('j'));
    h.press(ch('k'));
    h.settle();
    assert_eq!(h.fulls.len(), 1);
    h.settle();
    let f = h.thread().focused().expect("focus");
    assert!(has_line(f, "Formatted 9"), "{:?}", f.lines);
    assert!(has_line(f, "[1] https://example.com/9"), "numbered link");
    assert!(f.lines.iter().any(|l| l.kind == body::LineKind::Quote(1)));
    assert!(!has_line(f, "loading formatted version"));
    // Collapse and expand again: no second fetch; v cycles to text and to the html source.
    h.press(ch(' '));
    h.press(ch(' '));
    assert_eq!(h.fulls.len(), 1, "fetched at most once");
    assert!(has_line(
        h.thread().focused().expect("focus"),
        "Formatted 9"
    ));
    h.press(ch('v'));
    assert!(has_line(h.thread().focused().expect("focus"), "Body of 9"));
    h.press(ch('v'));
    assert!(has_line(
        h.thread().focused().expect("focus"),
        "<a href=\"https://example.com/9\">"
    ));
    h.settle();
    assert_eq!(h.fulls.len(), 1);
}

#[test]
fn a_failed_fetch_keeps_the_text_and_retries_on_the_next_expand() {
    let mut h = Harness::new(30, 10, 10, 80, 24);
    h.settle();
    h.press(ch('p'));
    h.fail_full = Some("m00009".into());
    h.press(key(KeyCode::Enter));
    h.settle();
    assert_eq!(h.fulls.len(), 1);
    let err = h
        .core
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        err.contains("Could not load the formatted version"),
        "{err}"
    );
    let f = h.thread().focused().expect("focus");
    assert_eq!(f.fetch, thread::Fetch::Failed);
    assert!(has_line(f, "Body of 9") && !has_line(f, "loading formatted"));
    // Scrolling does not retry on its own.
    h.press(ch('j'));
    h.press(ch('k'));
    h.settle();
    h.settle();
    assert_eq!(h.fulls.len(), 1);
    // Expanding again does, once.
    h.press(ch(' '));
    h.press(ch(' '));
    assert_eq!(h.fulls.len(), 2);
    h.settle();
    assert!(has_line(
        h.thread().focused().expect("focus"),
        "Formatted 9"
    ));
    assert_eq!(h.fulls.len(), 2);
}

#[test]
fn expand_all_fetches_only_messages_on_screen() {
    let mut h = Harness::new(200, 100, 50, 80, 24);
    h.settle();
    h.press(ch('o'));
    assert!(h.thread().msgs.len() > 100 && h.thread().msgs.iter().all(|m| m.expanded));
    // Before any answer: one fetch per message that is (partly) on screen, and only those.
    let on_screen = |h: &Harness| -> Vec<String> {
        let t = h.thread();
        let mut v: Vec<String> = t
            .visible()
            .iter()
            .filter_map(|r| match r {
                Row::Header(i) | Row::Line(i, _) => Some(t.msgs[*i].m.uuid.clone()),
                _ => None,
            })
            .collect();
        v.dedup();
        v
    };
    let mut asked: Vec<String> = h.fulls.iter().map(|(u, _)| u.clone()).collect();
    let mut want: Vec<String> = on_screen(&h)
        .into_iter()
        .filter(|u| *u != h.thread().uuid)
        .collect();
    asked.sort();
    want.sort();
    assert!(!asked.is_empty());
    assert!(
        asked.iter().all(|u| want.contains(u)),
        "{asked:?} vs {want:?}"
    );
    h.settle();
    let n = h.fulls.len();
    assert!(n < 20, "not hundreds at once: {n}");
    let mut seen: Vec<String> = h.fulls.iter().map(|(u, _)| u.clone()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n, "no message fetched twice");
    // Scrolling brings new messages into view: they are fetched as they come.
    h.press(key(KeyCode::PageDown));
    h.settle();
    assert!(h.fulls.len() > n);
    assert!(h.fulls.iter().all(|(_, q)| *q == ONE));
    for u in on_screen(&h) {
        let t = h.thread();
        let m = &t.msgs[t.index_of(&u).expect("loaded")];
        assert_eq!(m.fetch, thread::Fetch::Done, "{u} on screen is fetched");
    }
}

#[test]
fn an_answer_for_a_closed_or_replaced_thread_is_dropped() {
    let mut h = Harness::new(30, 10, 10, 80, 24);
    h.settle();
    h.press(ch('p'));
    h.press(key(KeyCode::Enter));
    assert_eq!(h.fulls.len(), 1);
    // Leave the thread with the fetch in flight, then open it again.
    let (id, route, call) = h.queue.pop_front().expect("fetch in flight");
    h.press(key(KeyCode::Esc));
    assert!(h.pane.thread.is_none());
    let uuid = h.fake.msgs[10].uuid.clone();
    h.pane.open_thread(&uuid, &mut h.core);
    h.collect();
    h.settle();
    let Call::Plannr(PlannrCall::Thread { uuid: asked, .. }) = call else {
        panic!("a thread call")
    };
    let full = h.fake.full(&asked);
    h.pane.on_result(
        route,
        id,
        Ok(Reply::Plannr(PlannrReply::Email(Box::new(full)))),
        &mut h.core,
    );
    h.collect();
    let t = h.thread();
    let m = &t.msgs[t.index_of("m00009").expect("loaded")];
    assert!(
        m.m.html.is_none() && m.fetch == thread::Fetch::NotYet,
        "stale answer dropped"
    );
    assert!(!m.expanded);
    assert!(h.queue.is_empty(), "nothing converted or fetched for it");
}

#[test]
fn the_rendered_body_replacing_the_text_moves_nothing_on_screen() {
    let mut h = Harness::new(30, 10, 10, 80, 24);
    h.settle();
    // Expand the previous message, then scroll so its header is above the screen and the top
    // row is two lines into the opened message.
    h.press(ch('p'));
    h.press(key(KeyCode::Enter));
    assert_eq!(h.fulls.len(), 1);
    let opened = h.fake.msgs[10].uuid.clone();
    let row = h.header_row(&opened).expect("opened header visible");
    for _ in 0..row + 2 {
        h.press(ch('j'));
    }
    let screen = |h: &Harness| format!("{:?}", h.thread().visible());
    let anchor = h.thread().top.clone();
    assert_eq!(anchor.uuid, opened);
    let before = screen(&h);
    let h9 = h.thread().msgs[9].height();
    h.settle();
    assert_ne!(h9, h.thread().msgs[9].height(), "the body changed height");
    assert!(
        h.thread().msgs[9]
            .lines
            .iter()
            .any(|l| l.text.contains("Formatted 9"))
    );
    assert_eq!(h.thread().top, anchor, "the anchor is kept");
    assert_eq!(screen(&h), before, "nothing on screen moved");
}

/// Issue 17.4 in the email list: `/` opens an empty search box (it reopened the last query and
/// typing appended to it); ↑ on the empty field brings the last query back.
#[test]
fn email_search_starts_empty_with_the_last_query_one_up_away() {
    let mut core = core(80, 24, 25);
    let mut pane = MailPane::new(&core.settings);
    pane.open_client(client(1), &mut core);
    pane.on_key(ch('/'), &mut core);
    for c in "invoice".chars() {
        pane.on_key(ch(c), &mut core);
    }
    pane.on_key(key(KeyCode::Enter), &mut core);
    assert_eq!(pane.search, "invoice");
    pane.on_key(ch('/'), &mut core);
    assert_eq!(
        pane.email_search.as_ref().map(|e| e.text()),
        Some(String::new())
    );
    pane.on_key(ch('q'), &mut core);
    pane.on_key(key(KeyCode::Enter), &mut core);
    assert_eq!(pane.search, "q", "a new query, not “invoiceq”");
    let searched: Vec<Option<String>> = take_api(&mut core)
        .into_iter()
        .filter_map(|(_, c)| match c {
            Call::Plannr(PlannrCall::ClientEmails { query, .. }) => Some(query.search),
            _ => None,
        })
        .collect();
    assert_eq!(searched.last(), Some(&Some("q".to_string())));
    pane.on_key(ch('/'), &mut core);
    pane.on_key(key(KeyCode::Up), &mut core);
    assert_eq!(
        pane.email_search.as_ref().map(|e| e.text()),
        Some("q".into())
    );
}

#[test]
fn a_resize_lays_the_html_out_again_at_the_new_width() {
    let mut h = Harness::new(30, 10, 10, 80, 24);
    h.settle();
    let body_width = |h: &Harness| match &h.thread().focused().expect("focus").body {
        thread::BodyState::Ready(b) => b.width,
        other => panic!("{other:?}"),
    };
    assert_eq!(body_width(&h), body::content_width(80));
    h.core.size = (50, 24);
    h.pane.on_resize(&mut h.core);
    let asked: Vec<u16> = h
        .core
        .out
        .iter()
        .filter_map(|c| match c {
            Command::RenderHtml { width, .. } => Some(*width),
            _ => None,
        })
        .collect();
    assert_eq!(asked, [body::content_width(50)], "once, at the new width");
    // Meanwhile the old layout is shown re-wrapped to the pane (no plain-text flash).
    let f = h.thread().focused().expect("focus");
    assert!(has_line(f, "Opened message 10"), "{:?}", f.lines);
    assert!(f.lines.iter().all(|l| l.text.chars().count() <= 48));
    h.collect();
    assert_eq!(body_width(&h), body::content_width(50));
    // Nothing changed, nothing asked.
    h.pane.on_resize(&mut h.core);
    assert!(
        !h.core
            .out
            .iter()
            .any(|c| matches!(c, Command::RenderHtml { .. }))
    );
}
