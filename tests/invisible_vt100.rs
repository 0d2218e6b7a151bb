//! Characters whose width a terminal may count differently from ratatui (soft hyphens, Hangul
//! fillers, regional indicators, variation selectors, emoji ZWJ sequences, …) must never leave the
//! terminal's screen different from ratatui's buffer: if they did, ratatui's diffing would leave
//! stale text painted over the next view. Each case of `assets/hostile/invisible.txt` is sanitised
//! as at ingestion, drawn through the real crossterm backend into bytes, fed to a terminal emulator
//! (vt100, which like a terminal counts each character's own width), and compared cell for cell
//! with the buffer, after a first frame and after a second frame that draws something else.
mod common;

use plannr_tui::render::sanitize;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};
use ratatui::{Frame, Terminal, TerminalOptions, Viewport};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const CORPUS: &str = include_str!("../assets/hostile/invisible.txt");
const ROWS: u16 = 12;
const COLS: u16 = 60;

fn corpus() -> Vec<&'static str> {
    CORPUS.lines().filter(|l| !l.is_empty()).collect()
}

/// Where the emulator's screen differs from the buffer ratatui believes is on it.
fn differences(screen: &vt100::Screen, buf: &Buffer) -> Vec<String> {
    let mut out = Vec::new();
    for row in 0..buf.area.height {
        for col in 0..buf.area.width {
            let Some(v) = screen.cell(row, col) else {
                continue;
            };
            let r = buf[(col, row)].symbol();
            if v.is_wide_continuation() {
                // The second half of a wide character: ratatui left this cell blank.
                let prev = if col > 0 {
                    buf[(col - 1, row)].symbol()
                } else {
                    ""
                };
                if prev.width() != 2 {
                    out.push(format!(
                        "row {row} col {col}: terminal continues a wide character, buffer has {prev:?} then {r:?}"
                    ));
                }
                continue;
            }
            let shown = v.contents();
            let shown = if shown.is_empty() { " " } else { shown };
            if shown != r {
                out.push(format!(
                    "row {row} col {col}: terminal shows {shown:?}, buffer has {r:?}"
                ));
            }
        }
    }
    out
}

/// The bytes the backend writes, shared with the test.
#[derive(Clone, Default)]
struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Draw each frame in turn through the crossterm backend into an emulator; after each, compare.
fn check(name: &str, frames: &[&dyn Fn(&mut Frame)]) -> Vec<String> {
    check_sized(name, (COLS, ROWS), frames)
}

fn check_sized(
    name: &str,
    (cols, rows): (u16, u16),
    frames: &[&dyn Fn(&mut Frame)],
) -> Vec<String> {
    let sink = Sink::default();
    let backend = CrosstermBackend::new(sink.clone());
    let mut term = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        },
    )
    .expect("terminal");
    let mut parser = vt100::Parser::new(rows, cols, 0);
    let mut problems = Vec::new();
    for (n, frame) in frames.iter().enumerate() {
        let buf = term.draw(|f| frame(f)).expect("draw").buffer.clone();
        let bytes = std::mem::take(&mut *sink.0.lock().unwrap_or_else(|e| e.into_inner()));
        parser.process(&bytes);
        for d in differences(parser.screen(), &buf) {
            problems.push(format!("{name}, frame {n}: {d}"));
        }
    }
    problems
}

fn text_frame(lines: Vec<String>) -> impl Fn(&mut Frame) {
    move |f: &mut Frame| {
        let lines: Vec<Line> = lines.iter().map(|l| Line::from(l.as_str())).collect();
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title("view")),
            f.area(),
        );
    }
}

fn table_frame(cells: Vec<String>) -> impl Fn(&mut Frame) {
    move |f: &mut Frame| {
        let rows = cells
            .iter()
            .map(|c| Row::new(vec![c.clone(), "rel Advice".to_string(), c.clone()]));
        f.render_widget(
            Table::new(
                rows,
                [
                    ratatui::layout::Constraint::Length(18),
                    ratatui::layout::Constraint::Length(12),
                    ratatui::layout::Constraint::Fill(1),
                ],
            ),
            f.area(),
        );
    }
}

#[test]
fn the_screen_equals_the_buffer_for_every_invisible_character_case() {
    let other = text_frame(
        (0..ROWS)
            .map(|i| format!("another email's header, line {i}"))
            .collect(),
    );
    let mut problems = Vec::new();
    for case in corpus() {
        let clean = sanitize::line(case);
        let text = text_frame(vec![
            clean.clone(),
            format!("…-ACCT-99 {clean}"),
            clean.clone(),
        ]);
        let table = table_frame(vec![clean.clone(); 4]);
        problems.extend(check(case, &[&text, &other]));
        problems.extend(check(case, &[&other, &table, &text, &other]));
    }
    assert!(
        problems.is_empty(),
        "{} differences, first ones:\n{}",
        problems.len(),
        problems
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_check_catches_the_unsanitised_corpus() {
    // Proof the comparison can fail: the raw cases desynchronise the emulator from the buffer.
    let other = text_frame((0..ROWS).map(|i| format!("other line {i}")).collect());
    let failing = corpus()
        .into_iter()
        .filter(|case| {
            let text = text_frame(vec![case.to_string(); 3]);
            !check(case, &[&text, &other]).is_empty()
        })
        .count();
    assert!(failing >= 3, "only {failing} raw cases differ");
}

#[test]
fn every_sanitised_grapheme_is_as_wide_as_its_characters() {
    // The property that keeps the screen in step: a terminal adds up character widths, ratatui
    // measures whole graphemes; after sanitising the two agree for every grapheme.
    for case in corpus() {
        let clean = sanitize::line(case);
        for g in clean.graphemes(true) {
            let chars: usize = g.chars().map(|c| c.width().unwrap_or(0)).sum();
            assert_eq!(g.width(), chars, "{g:?} in {clean:?} (from {case:?})");
        }
    }
}

/// The demo serving the corpus (`--invisible`) as mailbox names, subjects, senders, client names,
/// conversation names and contact values; each real pane is drawn by the app itself, one after
/// another in one terminal (forwards, then backwards), and the emulator's screen must equal the
/// buffer after every frame.
#[tokio::test]
async fn every_real_pane_drawn_with_the_corpus_matches_the_screen() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use plannr_tui::app::{self, Msg, Settings, State};
    use plannr_tui::demo::{DemoOptions, DemoServer};

    let s = DemoServer::start(DemoOptions {
        invisible: true,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    let c = common::demo_client(&s, |_| {});
    let size = (100u16, 30u16);
    let mut state = State::new(Settings::default(), Some(s.account_uuid.clone()), size);
    state.core.now = 1_750_000_000;
    let how = common::Drive {
        debounce: true,
        ..common::Drive::default()
    };
    let init = state.init();
    common::drive(&c, &mut state, init, how).await;
    let draw = |state: &State| {
        let mut t =
            Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1)).expect("terminal");
        t.draw(|f| plannr_tui::ui::draw(state, f))
            .expect("draw")
            .buffer
            .clone()
    };
    let mut views: Vec<(&str, Buffer)> = vec![("mailboxes", draw(&state))];
    for (name, keys) in [
        ("mail: clients", vec![KeyCode::Char('2')]),
        ("mail: emails", vec![KeyCode::Enter]),
        ("mail: thread", vec![KeyCode::Enter]),
        ("conversations", vec![KeyCode::Char('3')]),
        ("conversation", vec![KeyCode::Enter]),
        ("contacts: clients", vec![KeyCode::Char('4')]),
        ("contacts: details", vec![KeyCode::Enter]),
    ] {
        for k in keys {
            let cmds = app::update(&mut state, Msg::Key(KeyEvent::new(k, KeyModifiers::NONE)));
            common::drive(&c, &mut state, cmds, how).await;
        }
        views.push((name, draw(&state)));
    }
    // The corpus reached the panes (sanitised): at least the cases' plain words are on screen.
    let shown: String = views
        .iter()
        .map(|(_, b)| b.content.iter().map(|c| c.symbol()).collect::<String>())
        .collect();
    for word in [
        "Soft hyphens",
        "Hangul filler",
        "Variation selectors",
        "Family",
    ] {
        assert!(shown.contains(word), "{word:?} is on no pane");
    }
    let frame = |b: &Buffer| {
        let b = b.clone();
        move |f: &mut Frame| f.buffer_mut().clone_from(&b)
    };
    let frames: Vec<_> = views.iter().map(|(_, b)| frame(b)).collect();
    let forwards: Vec<&dyn Fn(&mut Frame)> =
        frames.iter().map(|f| f as &dyn Fn(&mut Frame)).collect();
    let backwards: Vec<&dyn Fn(&mut Frame)> = forwards.iter().rev().copied().collect();
    let names: Vec<&str> = views.iter().map(|(n, _)| *n).collect();
    let mut problems = check_sized("panes forwards", size, &forwards);
    problems.extend(check_sized("panes backwards", size, &backwards));
    assert!(
        problems.is_empty(),
        "{} differences over {names:?}, first ones:\n{}",
        problems.len(),
        problems
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
