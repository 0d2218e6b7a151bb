//! Hostile strings through the sanitiser and then through a terminal emulator (vt100): the screen
//! must show exactly the expected text, in default colours, with the cursor only moved by printing,
//! and no title / clipboard / bell / mode change. Each hostile string is also fed *unsanitised* to
//! prove the checks would catch it.
use plannr_tui::render::sanitize;
use unicode_width::UnicodeWidthChar;

#[derive(Default, Debug)]
struct Recorder {
    events: Vec<String>,
}

impl vt100::Callbacks for Recorder {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("bell".into());
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("visual bell".into());
    }
    fn resize(&mut self, _: &mut vt100::Screen, r: (u16, u16)) {
        self.events.push(format!("resize {r:?}"));
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.events
            .push(format!("icon name {:?}", String::from_utf8_lossy(name)));
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.events
            .push(format!("title {:?}", String::from_utf8_lossy(title)));
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.events
            .push(format!("clipboard {:?}", String::from_utf8_lossy(data)));
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8]) {
        self.events.push("paste".into());
    }
    fn unhandled_char(&mut self, _: &mut vt100::Screen, c: char) {
        self.events.push(format!("unhandled char {c:?}"));
    }
    fn unhandled_control(&mut self, _: &mut vt100::Screen, b: u8) {
        self.events.push(format!("unhandled control {b:#x}"));
    }
    fn unhandled_escape(&mut self, _: &mut vt100::Screen, _: Option<u8>, _: Option<u8>, b: u8) {
        self.events.push(format!("unhandled escape {b:#x}"));
    }
    fn unhandled_csi(
        &mut self,
        _: &mut vt100::Screen,
        _: Option<u8>,
        _: Option<u8>,
        _: &[&[u16]],
        c: char,
    ) {
        self.events.push(format!("unhandled csi {c:?}"));
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, _: &[&[u8]]) {
        self.events.push("unhandled osc".into());
    }
}

/// Everything wrong with what the terminal did when shown `text`, given the text the user should see.
fn problems(text: &str, expected: &str) -> Vec<String> {
    let mut p = vt100::Parser::new_with_callbacks(24, 80, 0, Recorder::default());
    // The UI positions lines itself; the test feeds CR LF so a line starts at column 0.
    p.process(text.replace('\n', "\r\n").as_bytes());
    let mut out = p.callbacks().events.clone();
    let screen = p.screen();

    let contents = screen.contents();
    if contents != expected {
        out.push(format!("screen shows {contents:?}, expected {expected:?}"));
    }
    let (rows, cols) = screen.size();
    for r in 0..rows {
        for c in 0..cols {
            let cell = screen.cell(r, c).expect("in range");
            if cell.fgcolor() != vt100::Color::Default
                || cell.bgcolor() != vt100::Color::Default
                || cell.bold()
                || cell.dim()
                || cell.italic()
                || cell.underline()
                || cell.inverse()
            {
                out.push(format!("cell {r},{c} {:?} has attributes", cell.contents()));
            }
        }
    }
    if screen.fgcolor() != vt100::Color::Default
        || screen.bgcolor() != vt100::Color::Default
        || screen.bold()
        || screen.inverse()
        || screen.underline()
        || screen.italic()
    {
        out.push("current attributes changed".into());
    }
    let last = expected.rsplit('\n').next().unwrap_or("");
    let want = (
        expected.matches('\n').count() as u16,
        // A terminal advances per character, not per grapheme cluster.
        last.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>() as u16,
    );
    if screen.cursor_position() != want {
        out.push(format!(
            "cursor at {:?}, expected {want:?}",
            screen.cursor_position()
        ));
    }
    if screen.alternate_screen() {
        out.push("alternate screen".into());
    }
    if screen.application_keypad() || screen.application_cursor() {
        out.push("application keypad/cursor mode".into());
    }
    if screen.hide_cursor() {
        out.push("cursor hidden".into());
    }
    if screen.bracketed_paste() {
        out.push("bracketed paste".into());
    }
    if screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None {
        out.push("mouse mode".into());
    }
    out
}

/// (input, what the user should see). `hostile` entries must be caught when not sanitised.
const CORPUS: &[(&str, &str, bool)] = &[
    ("\x1b[31mred\x1b[0m plain", "red plain", true),
    ("before\x1b[2J\x1b[Hhome", "beforehome", true),
    ("abc\x1b[10;10Hdef", "abcdef", true),
    ("\x1b]0;pwned\x07after", "after", true),
    ("\x1b]2;pwned\x1b\\after", "after", true),
    ("\x1b]1;icon\x07after", "after", true),
    ("\x1b]52;c;aGVsbG8=\x07after", "after", true),
    ("\x1bP1$r0m\x1b\\after", "after", true),
    ("\u{9b}31mred", "red", true),
    ("\u{9d}0;pwned\u{9c}after", "after", true),
    ("ab\u{202e}cd\u{202c}", "abcd", true),
    ("x\x1b[?1049hy", "xy", true),
    ("x\x1b[?1000h\x1b[?2004h\x1b[?25l\x1b=y", "xy", true),
    ("bell\x07 back\x08\x08", "bell back", true),
    ("over\rwrite", "overwrite", true), // a one-line field shows "over write"
    ("\x1b]0;unterminated\nnext line", "\nnext line", true),
    ("a\x1b[1;1Hb\x1b[7mc", "abc", true),
    ("tab\tx\n日本\ty", "tab     x\n日本    y", false),
    (
        "emoji 😀 and 家族 👩\u{200d}👩\u{200d}👧",
        // Zero-width joiners go at ingestion (terminals disagree on a ZWJ sequence's width).
        "emoji 😀 and 家族 👩👩👧",
        false,
    ),
];

#[test]
fn sanitised_text_is_inert() {
    for &(input, expected, _) in CORPUS {
        let clean = sanitize::block(input);
        let p = problems(&clean, expected);
        assert!(p.is_empty(), "{input:?} -> {clean:?}: {p:#?}");
        // One-line fields are just as inert.
        let clean = sanitize::line(input);
        let expected = match input {
            "over\rwrite" => "over write".to_string(),
            // Tab stops count from the start of the joined line.
            "tab\tx\n日本\ty" => "tab     x 日本  y".to_string(),
            _ => expected.replace('\n', " "),
        };
        let p = problems(&clean, &expected);
        assert!(p.is_empty(), "line {input:?} -> {clean:?}: {p:#?}");
    }
}

#[test]
fn unsanitised_text_is_caught() {
    for &(input, expected, hostile) in CORPUS {
        if hostile {
            let p = problems(input, expected);
            assert!(
                !p.is_empty(),
                "the check cannot see the attack in {input:?}"
            );
        }
    }
    // Specific effects are visible to the harness.
    let p = problems("\x1b]0;pwned\x07", "");
    assert!(p.iter().any(|e| e.contains("pwned")), "{p:?}");
    let p = problems("\x1b]52;c;aGVsbG8=\x07", "");
    assert!(p.iter().any(|e| e.starts_with("clipboard")), "{p:?}");
    let p = problems("\x1b[?1049h", "");
    assert!(p.iter().any(|e| e == "alternate screen"), "{p:?}");
}

#[test]
fn sanitised_html_is_inert() {
    let body = plannr_tui::render::html::html_to_body(
        "<p>a&#27;[2J&#27;]0;pwned&#7;b&#x9b;7mc&#x202e;d</p>",
        80,
    );
    let text: Vec<_> = body.lines.iter().map(|l| l.text.as_str()).collect();
    let text = text.join("\n");
    // html5ever drops or remaps the control references, leaving "[2J" etc. as visible text: what
    // is printed must be exactly what is seen, with no effect on the terminal.
    assert!(text.starts_with('a') && text.ends_with("cd"), "{text:?}");
    assert!(problems(&text, &text).is_empty(), "{text:?}");
}
