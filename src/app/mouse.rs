//! The mouse, as the keys it stands for: the wheel scrolls (↓/↑ three times), a click on the tab
//! bar switches pane, a click on a list row moves the selection there (as ↓/↑ would, so paging
//! follows), a double-click on a row opens it (Enter); every pane's lists, Outreach's too. A click with an overlay open closes it,
//! as a key does. Pure: the time of each event comes in the message.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::keys::on_key;
use super::list::ListNav;
use super::{State, Tab, contacts, mail};
use crate::keymap::Action;

/// Two clicks on the same row within this many milliseconds are a double-click.
pub const DOUBLE_CLICK_MS: u64 = 400;
/// Lines one wheel notch scrolls.
const WHEEL_LINES: usize = 3;
/// Screen row of a list's first item: tab bar, pane title, table header.
const FIRST_ROW: u16 = 3;

/// Run `action` of the active pane `times` times, exactly as its key would (whatever key the
/// user bound it to).
fn press(state: &mut State, action: Action, times: usize) {
    for _ in 0..times {
        state.core.forced = Some(action);
        on_key(state, KeyEvent::new(KeyCode::Null, KeyModifiers::NONE));
    }
}

pub fn on_mouse(state: &mut State, ev: MouseEvent, at_ms: u64) {
    match ev.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            // A text field keeps ↑/↓ for itself (history); the wheel leaves it alone.
            if state.captures_input() && !state.help && state.log.is_none() {
                return;
            }
            let action = if ev.kind == MouseEventKind::ScrollDown {
                Action::Down
            } else {
                Action::Up
            };
            press(state, action, WHEEL_LINES);
        }
        MouseEventKind::Down(MouseButton::Left) => click(state, ev.column, ev.row, at_ms),
        _ => {}
    }
}

fn click(state: &mut State, x: u16, y: u16, at_ms: u64) {
    let last = state.last_click.replace((x, y, at_ms));
    if state.help || state.log.is_some() || state.palette.is_some() || state.login_picker.is_some()
    {
        if state.login_picker.is_none() {
            // Any key closes an overlay.
            on_key(state, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        }
        return;
    }
    if y == 0 {
        if let Some(tab) = tab_at_shown(x, |t| state.shown(t))
            && !state.captures_input()
        {
            state.activate(tab);
        }
        return;
    }
    let Some((selected, start, below)) = list_position(state) else {
        return;
    };
    if y < FIRST_ROW || y >= state.core.size.1.saturating_sub(below) {
        return;
    }
    let target = start + usize::from(y - FIRST_ROW);
    if target > selected {
        press(state, Action::Down, target - selected);
    } else {
        press(state, Action::Up, selected - target);
    }
    let double = last.is_some_and(|(lx, ly, lt)| {
        ly == y && lx.abs_diff(x) <= 2 && at_ms.saturating_sub(lt) <= DOUBLE_CLICK_MS
    });
    if double {
        state.last_click = None;
        press(state, Action::Open, 1);
    }
}

/// The tab whose label is at column `x` of the tab bar (" plannr " then " N Title " each, for the
/// tabs `shown` says are drawn: a backend not set up has none).
pub fn tab_at_shown(x: u16, shown: impl Fn(Tab) -> bool) -> Option<Tab> {
    let mut left = 8u16;
    for t in Tab::ALL.into_iter().filter(|t| shown(*t)) {
        let w = u16::try_from(t.title().chars().count() + 4).unwrap_or(u16::MAX);
        if (left..left.saturating_add(w)).contains(&x) {
            return Some(t);
        }
        left = left.saturating_add(w);
    }
    None
}

/// The selection and first shown row of the list on screen, if the screen is a plain list, and
/// how many screen rows under the list are not its rows (the status bar, the pane's hint, …).
fn list_position(state: &State) -> Option<(usize, usize, u16)> {
    if state.captures_input() {
        return None;
    }
    let nav: &ListNav = match state.tab {
        Tab::Mailboxes => &state.mailboxes.nav,
        Tab::Mail => match state.mail.view {
            mail::View::Clients => &state.mail.picker.nav,
            mail::View::Emails => &state.mail.emails_nav,
            mail::View::Thread => return None,
        },
        Tab::Conversations if state.conversations.open.is_none() => &state.conversations.nav,
        Tab::Conversations => return None,
        Tab::Contacts if state.contacts.form.is_some() => return None,
        Tab::Contacts => match state.contacts.view {
            contacts::View::Clients => &state.contacts.picker.nav,
            contacts::View::Details => &state.contacts.detail_nav,
        },
        // Under an Outreach list: the selected row's detail line, the hint, the status bar.
        Tab::Outreach => {
            let o = &state.outreach;
            let nav = match (&o.open, &o.mailings) {
                (Some(_), _) => return None,
                (None, Some(v)) => &v.list.nav,
                (None, None) => &o.boxes.nav,
            };
            return Some((nav.selected, nav.offset.min(nav.selected), 3));
        }
    };
    // As `ui::widgets::visible_rows` draws it.
    Some((nav.selected, nav.offset.min(nav.selected), 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Msg, Settings, update};

    fn mouse(kind: MouseEventKind, x: u16, y: u16, at_ms: u64) -> Msg {
        Msg::Mouse {
            event: MouseEvent {
                kind,
                column: x,
                row: y,
                modifiers: KeyModifiers::NONE,
            },
            at_ms,
        }
    }

    /// With Plannr only (Outreach not set up, its tab not drawn).
    fn tab_at(x: u16) -> Option<Tab> {
        tab_at_shown(x, |t| t != Tab::Outreach)
    }

    /// Only Outreach set up, 40 mailboxes loaded (one page, no more).
    fn outreach_loaded() -> State {
        use crate::api::outreach::{CursorPage, Known, Mailbox};
        use crate::app::outreach::OutreachReply;
        use crate::app::{Command, Reply};
        let settings = Settings {
            plannr: false,
            outreach: true,
            ..Settings::default()
        };
        let mut s = State::new(settings, None, (100, 24));
        let out = s.init();
        let Some(Command::Api { id, .. }) =
            out.into_iter().find(|c| matches!(c, Command::Api { .. }))
        else {
            panic!("the Outreach pane asks for its mailboxes");
        };
        let items = (0..40)
            .map(|i| Mailbox {
                id: 100 + i,
                email: Known::Set(format!("box{i}@x.example")),
                ..Mailbox::default()
            })
            .collect();
        update(
            &mut s,
            Msg::Api {
                id,
                result: Ok(Reply::Outreach(OutreachReply::Mailboxes(CursorPage {
                    items,
                    next: None,
                    count: None,
                }))),
            },
        );
        s
    }

    fn outreach_calls(out: &[crate::app::Command]) -> Vec<crate::app::outreach::OutreachCall> {
        out.iter()
            .filter_map(|c| match c {
                crate::app::Command::Api {
                    call: crate::app::Call::Outreach(o),
                    ..
                } => Some(o.clone()),
                _ => None,
            })
            .collect()
    }

    /// The Outreach lists answer the mouse like the other panes: the wheel scrolls, a click
    /// selects the row under it, a double-click opens it (mailbox → its mailings → a mailing),
    /// and the wheel scrolls an open mailing. A click below the table (the detail line, the
    /// hint) selects nothing.
    #[test]
    fn outreach_lists_scroll_select_and_open_with_the_mouse() {
        let mut s = outreach_loaded();
        assert_eq!(s.tab, Tab::Outreach);
        update(&mut s, mouse(MouseEventKind::ScrollDown, 10, 8, 0));
        assert_eq!(s.outreach.boxes.nav.selected, 3);
        update(&mut s, mouse(MouseEventKind::ScrollUp, 10, 8, 10));
        assert_eq!(s.outreach.boxes.nav.selected, 0);
        let click = |x, y| mouse(MouseEventKind::Down(MouseButton::Left), x, y, 0);
        // Rows start under the tab bar, the title and the table header.
        update(&mut s, click(5, 7));
        assert_eq!(s.outreach.boxes.nav.selected, 4);
        // 24 rows: tab bar, title, header, 19 rows of table … then detail, hint, status.
        let before = s.outreach.boxes.nav.selected;
        for y in [21, 22, 23] {
            update(
                &mut s,
                mouse(
                    MouseEventKind::Down(MouseButton::Left),
                    5,
                    y,
                    5_000 + u64::from(y) * 1000,
                ),
            );
            assert_eq!(
                s.outreach.boxes.nav.selected, before,
                "row {y} is not a list row"
            );
        }
        let out = update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 5, 5, 20_000),
        );
        assert!(outreach_calls(&out).is_empty(), "one click only selects");
        assert_eq!(s.outreach.boxes.nav.selected, 2);
        let out = update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 6, 5, 20_200),
        );
        assert_eq!(
            outreach_calls(&out),
            vec![crate::app::outreach::OutreachCall::Mailings {
                mailbox_id: 102,
                next: None,
                page_size: s.core.settings.list_page_size.clamp(1, 1000),
            }],
            "a double-click opens the mailbox's mailings"
        );
        let Some(crate::app::Command::Api { id, .. }) = out.first() else {
            panic!("a request");
        };
        let items = (0..10)
            .map(|i| crate::api::outreach::Mailing {
                id: 500 + i,
                ..crate::api::outreach::Mailing::default()
            })
            .collect();
        update(
            &mut s,
            Msg::Api {
                id: *id,
                result: Ok(crate::app::Reply::Outreach(
                    crate::app::outreach::OutreachReply::Mailings(
                        crate::api::outreach::CursorPage {
                            items,
                            next: None,
                            count: None,
                        },
                    ),
                )),
            },
        );
        update(&mut s, mouse(MouseEventKind::ScrollDown, 10, 8, 30_000));
        let nav = |s: &State| s.outreach.mailings.as_ref().map(|v| v.list.nav.selected);
        assert_eq!(nav(&s), Some(3));
        update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 5, 9, 40_000),
        );
        assert_eq!(nav(&s), Some(6));
        let out = update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 5, 9, 40_300),
        );
        assert_eq!(
            outreach_calls(&out),
            vec![crate::app::outreach::OutreachCall::Mailing { id: 506 }],
            "a double-click opens the mailing"
        );
        // An open mailing is not a list: a click there selects nothing behind it.
        let out = update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 5, 4, 50_000),
        );
        assert!(out.is_empty() && s.outreach.open.is_some());
        assert_eq!(nav(&s), Some(6));
    }

    #[test]
    fn with_only_outreach_its_label_is_first() {
        assert_eq!(tab_at_shown(8, |t| t == Tab::Outreach), Some(Tab::Outreach));
        assert_eq!(tab_at_shown(21, |t| t == Tab::Outreach), None);
        assert_eq!(tab_at_shown(58, |_| true), Some(Tab::Outreach));
    }

    #[test]
    fn tab_labels_are_where_the_tab_bar_draws_them() {
        // " plannr  1 Mailboxes  2 Mail  3 Conversations  4 Contacts"
        assert_eq!(tab_at(3), None);
        assert_eq!(tab_at(8), Some(Tab::Mailboxes));
        assert_eq!(tab_at(20), Some(Tab::Mailboxes));
        assert_eq!(tab_at(21), Some(Tab::Mail));
        assert_eq!(tab_at(29), Some(Tab::Conversations));
        assert_eq!(tab_at(46), Some(Tab::Contacts));
        assert_eq!(tab_at(58), None);
    }

    #[test]
    fn click_switches_tab_and_closes_help() {
        let mut s = State::new(Settings::default(), Some("acc".into()), (80, 24));
        update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 50, 0, 0),
        );
        assert_eq!(s.tab, Tab::Contacts);
        s.help = true;
        update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 10, 0, 1000),
        );
        assert!(!s.help);
        assert_eq!(s.tab, Tab::Contacts, "the click only closed help");
        // The command palette likewise.
        s.palette = Some(crate::app::palette::Palette::new());
        update(
            &mut s,
            mouse(MouseEventKind::Down(MouseButton::Left), 10, 0, 2000),
        );
        assert!(s.palette.is_none());
        assert_eq!(s.tab, Tab::Contacts, "the click only closed the palette");
    }
}
