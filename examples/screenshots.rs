//! Screenshots of every pane, made from the real binary: `plannr-tui --demo` runs in a
//! pseudo-terminal, is driven with keys like a user would, and each screen (read back through a
//! vt100 parser: characters, colours, bold, reverse, underline) is painted to a PNG with the
//! bundled DejaVu Sans Mono. Run `screenshots/make.sh` (it builds the binary and calls this):
//!
//!     cargo run --example screenshots -- target/debug/plannr-tui screenshots
//!
//! Every shot is made in the dark and the light preset, on a dark and a light terminal
//! background respectively. The run fails if a screen never appears or shows the demo token.
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSansMono.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSansMono-Bold.ttf");
const DEADLINE: Duration = Duration::from_secs(30);
/// What the demo server accepts as a token: it must never be on screen.
const DEMO_TOKEN: &str = "demo-token";

type Shared<T> = Arc<Mutex<T>>;

struct Tui {
    parser: Shared<vt100::Parser>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Tui {
    fn start(bin: &Path, home: &Path, rows: u16, cols: u16, theme: &str) -> Result<Tui, String> {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| format!("open a pty: {e}"))?;
        let mut cmd = CommandBuilder::new(bin);
        cmd.env_clear();
        cmd.env("HOME", home);
        cmd.env("PATH", home);
        cmd.env("TERM", "xterm-256color");
        // Times in a fixed zone, so the pictures do not depend on where they are made.
        cmd.env("TZ", "Europe/London");
        cmd.cwd(home);
        let log = home.join("log");
        cmd.args([
            "--demo".as_ref(),
            "--theme".as_ref(),
            theme.as_ref(),
            "--log-file".as_ref(),
            log.as_os_str(),
        ]);
        let child = pty
            .slave
            .spawn_command(cmd)
            .map_err(|e| format!("start {}: {e}", bin.display()))?;
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let writer = pty.master.take_writer().map_err(|e| e.to_string())?;
        let mut input = pty.master.try_clone_reader().map_err(|e| e.to_string())?;
        let p = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = input.read(&mut buf) {
                if n == 0 {
                    return;
                }
                p.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .process(&buf[..n]);
            }
        });
        Ok(Tui {
            parser,
            writer,
            child,
            _master: pty.master,
        })
    }

    fn screen(&self) -> vt100::Screen {
        self.parser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .screen()
            .clone()
    }

    fn send(&mut self, keys: &str) -> Result<(), String> {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|_| self.writer.flush())
            .map_err(|e| format!("send keys: {e}"))?;
        std::thread::sleep(Duration::from_millis(150));
        Ok(())
    }

    /// The screen once `ready` holds and nothing is loading (no spinner in the status bar) and
    /// it has stopped changing.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> Result<vt100::Screen, String> {
        let start = Instant::now();
        let mut last = String::new();
        let mut same_since = Instant::now();
        loop {
            let s = self.screen();
            let text = s.contents();
            let (rows, _) = s.size();
            let status = s
                .rows(0, s.size().1)
                .nth(usize::from(rows) - 1)
                .unwrap_or_default();
            let busy = status
                .chars()
                .any(|c| ('\u{2800}'..='\u{28ff}').contains(&c));
            if text != last {
                last = text.clone();
                same_since = Instant::now();
            }
            if ready(&text) && !busy && same_since.elapsed() > Duration::from_millis(400) {
                if text.contains(DEMO_TOKEN) {
                    return Err(format!("the token is on screen at {what}"));
                }
                return Ok(s);
            }
            if start.elapsed() > DEADLINE {
                return Err(format!("timed out waiting for {what}; screen:\n{text}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The terminal a preset is shown on.
struct Look {
    bg: [u8; 3],
    fg: [u8; 3],
}

const DARK: Look = Look {
    bg: [0x1d, 0x1f, 0x21],
    fg: [0xd8, 0xd8, 0xd8],
};
const LIGHT: Look = Look {
    bg: [0xff, 0xff, 0xff],
    fg: [0x1e, 0x1e, 0x1e],
};

/// The 16 ANSI colours (as xterm's defaults, slightly softened), then the 256-colour cube and
/// grey ramp.
fn indexed(i: u8) -> [u8; 3] {
    const ANSI: [[u8; 3]; 16] = [
        [0x00, 0x00, 0x00],
        [0xcd, 0x31, 0x31],
        [0x0d, 0xa1, 0x4f],
        [0xd7, 0xba, 0x00],
        [0x24, 0x72, 0xc8],
        [0xbc, 0x3f, 0xbc],
        [0x11, 0xa8, 0xcd],
        [0xc8, 0xc8, 0xc8],
        [0x76, 0x76, 0x76],
        [0xf1, 0x4c, 0x4c],
        [0x23, 0xd1, 0x8b],
        [0xf5, 0xf5, 0x43],
        [0x3b, 0x8e, 0xea],
        [0xd6, 0x70, 0xd6],
        [0x29, 0xb8, 0xdb],
        [0xff, 0xff, 0xff],
    ];
    match i {
        0..=15 => ANSI[usize::from(i)],
        16..=231 => {
            let n = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            [level(n / 36), level((n / 6) % 6), level(n % 6)]
        }
        _ => {
            let g = 8 + (i - 232) * 10;
            [g, g, g]
        }
    }
}

fn colour(c: vt100::Color, default: [u8; 3]) -> [u8; 3] {
    match c {
        vt100::Color::Default => default,
        vt100::Color::Idx(i) => indexed(i),
        vt100::Color::Rgb(r, g, b) => [r, g, b],
    }
}

struct Painter<'f> {
    regular: FontRef<'f>,
    bold: FontRef<'f>,
    scale: PxScale,
    cw: u32,
    ch: u32,
    ascent: f32,
}

/// Light box-drawing characters as (left, right, up, down) strokes, drawn as lines so that
/// borders join across cells whatever the font's metrics.
fn box_strokes(c: char) -> Option<(bool, bool, bool, bool)> {
    Some(match c {
        '─' => (true, true, false, false),
        '│' => (false, false, true, true),
        '┌' => (false, true, false, true),
        '┐' => (true, false, false, true),
        '└' => (false, true, true, false),
        '┘' => (true, false, true, false),
        '├' => (false, true, true, true),
        '┤' => (true, false, true, true),
        '┬' => (true, true, false, true),
        '┴' => (true, true, true, false),
        '┼' => (true, true, true, true),
        _ => return None,
    })
}

impl<'f> Painter<'f> {
    fn new(px: f32) -> Result<Painter<'static>, String> {
        let regular = FontRef::try_from_slice(REGULAR).map_err(|e| e.to_string())?;
        let bold = FontRef::try_from_slice(BOLD).map_err(|e| e.to_string())?;
        let scale = PxScale::from(px);
        let s = regular.as_scaled(scale);
        let cw = s.h_advance(regular.glyph_id('M')).round() as u32;
        let ch = (s.ascent() - s.descent()).ceil() as u32 + 2;
        let ascent = s.ascent() + 1.0;
        Ok(Painter {
            regular,
            bold,
            scale,
            cw,
            ch,
            ascent,
        })
    }

    fn paint(&self, screen: &vt100::Screen, look: &Look, missing: &mut Vec<char>) -> Image {
        let (rows, cols) = screen.size();
        let mut img = Image::new(
            u32::from(cols) * self.cw,
            u32::from(rows) * self.ch,
            look.bg,
        );
        for row in 0..rows {
            for col in 0..cols {
                let Some(cell) = screen.cell(row, col) else {
                    continue;
                };
                if cell.is_wide_continuation() {
                    continue;
                }
                let mut fg = colour(cell.fgcolor(), look.fg);
                let mut bg = colour(cell.bgcolor(), look.bg);
                if cell.inverse() {
                    std::mem::swap(&mut fg, &mut bg);
                }
                let width = if cell.is_wide() { 2 } else { 1 };
                let x = u32::from(col) * self.cw;
                let y = u32::from(row) * self.ch;
                img.fill(x, y, self.cw * width, self.ch, bg);
                let text = cell.contents();
                let Some(c) = text.chars().next() else {
                    continue;
                };
                if c == ' ' {
                    continue;
                }
                if let Some((l, r, u, d)) = box_strokes(c) {
                    // Two pixels wide, so borders survive a picture shown scaled down.
                    let t = 2;
                    let (mx, my) = (x + self.cw / 2 - 1, y + self.ch / 2 - 1);
                    if l {
                        img.fill(x, my, self.cw / 2 + 1, t, fg);
                    }
                    if r {
                        img.fill(mx, my, self.cw - self.cw / 2 + 1, t, fg);
                    }
                    if u {
                        img.fill(mx, y, t, self.ch / 2 + 1, fg);
                    }
                    if d {
                        img.fill(mx, my, t, self.ch - self.ch / 2 + 1, fg);
                    }
                    continue;
                }
                let font = if cell.bold() {
                    &self.bold
                } else {
                    &self.regular
                };
                let id = font.glyph_id(c);
                if id.0 == 0 {
                    if !missing.contains(&c) {
                        missing.push(c);
                    }
                    continue;
                }
                let glyph =
                    id.with_scale_and_position(self.scale, point(x as f32, y as f32 + self.ascent));
                if let Some(o) = font.outline_glyph(glyph) {
                    let b = o.px_bounds();
                    o.draw(|gx, gy, cov| {
                        let px = b.min.x as i64 + i64::from(gx);
                        let py = b.min.y as i64 + i64::from(gy);
                        img.blend(px, py, fg, cov);
                    });
                }
                if cell.underline() {
                    img.fill(x, y + self.ch - 2, self.cw * width, 1, fg);
                }
            }
        }
        img
    }
}

struct Image {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Image {
    fn new(w: u32, h: u32, bg: [u8; 3]) -> Image {
        let mut px = Vec::with_capacity((w * h * 3) as usize);
        for _ in 0..w * h {
            px.extend_from_slice(&bg);
        }
        Image { w, h, px }
    }

    fn fill(&mut self, x: u32, y: u32, w: u32, h: u32, c: [u8; 3]) {
        for yy in y..(y + h).min(self.h) {
            for xx in x..(x + w).min(self.w) {
                let i = ((yy * self.w + xx) * 3) as usize;
                self.px[i..i + 3].copy_from_slice(&c);
            }
        }
    }

    fn blend(&mut self, x: i64, y: i64, c: [u8; 3], a: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.w) || y >= i64::from(self.h) {
            return;
        }
        let i = ((y as u32 * self.w + x as u32) * 3) as usize;
        let a = a.clamp(0.0, 1.0);
        for (px, new) in self.px[i..i + 3].iter_mut().zip(c) {
            let old = f32::from(*px);
            *px = (old + (f32::from(new) - old) * a).round() as u8;
        }
    }

    fn save(&self, path: &Path) -> Result<(), String> {
        let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut enc = png::Encoder::new(std::io::BufWriter::new(file), self.w, self.h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&self.px).map_err(|e| e.to_string())
    }
}

const ROWS: u16 = 32;
const COLS: u16 = 120;

fn any_of<'a>(words: &'a [&'a str]) -> impl Fn(&str) -> bool + 'a {
    move |t: &str| words.iter().all(|w| t.contains(w))
}

/// Drive one session in `theme`, saving each pane as `<name>-<theme>.png` in `out`.
fn session(bin: &Path, out: &Path, theme: &str, look: &Look) -> Result<Vec<PathBuf>, String> {
    let home = std::env::temp_dir().join(format!("plannr-shots-{}-{theme}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let painter = Painter::new(16.0)?;
    let mut missing = Vec::new();
    let mut saved = Vec::new();
    let mut shot = |name: &str, s: &vt100::Screen, missing: &mut Vec<char>| -> Result<(), String> {
        if std::env::var_os("SHOTS_TEXT").is_some() {
            eprintln!("{name}-{theme}:\n{}", s.contents());
        }
        let path = out.join(format!("{name}-{theme}.png"));
        painter.paint(s, look, missing).save(&path)?;
        eprintln!("wrote {}", path.display());
        saved.push(path);
        Ok(())
    };
    let mut tui = Tui::start(bin, &home, ROWS, COLS, theme)?;

    let s = tui.wait_for(
        "the mailboxes",
        any_of(&["Mailboxes (5)", "Harbour Wealth"]),
    )?;
    shot("mailboxes", &s, &mut missing)?;

    // The demo's client with the 1,500-message thread (the seeded dataset is the same every run).
    tui.send("2")?;
    tui.wait_for("the client list", any_of(&["choose a client"]))?;
    tui.send("/Susan Walker\r")?;
    tui.wait_for(
        "the client search",
        any_of(&["name contains", "Susan Walker"]),
    )?;
    tui.send("\r")?;
    let s = tui.wait_for("a client's emails", any_of(&["— emails", "Subject"]))?;
    shot("emails", &s, &mut missing)?;

    // The email at the top of the list opens its thread; `h` cycles how HTML is shown.
    tui.send("\r")?;
    let s = tui.wait_for("a thread", |t| !t.contains("— emails"))?;
    shot("thread", &s, &mut missing)?;

    tui.send("3")?;
    tui.wait_for(
        "the conversations",
        any_of(&["Conversations (", "Last message"]),
    )?;
    tui.send("j")?;
    tui.send("r")?;
    tui.send("\x15Pension transfer — Hughes (2026)")?;
    let s = tui.wait_for("the rename editor", any_of(&["Rename conversation"]))?;
    shot("conversations-rename", &s, &mut missing)?;
    tui.send("\x1b")?;
    tui.send("y")?;

    tui.send("4")?;
    tui.wait_for("the contacts' clients", any_of(&["Clients"]))?;
    tui.send("\r")?;
    tui.wait_for("contact details", any_of(&["contact details", "Value"]))?;
    tui.send("e")?;
    tui.wait_for("the form", any_of(&["Edit "]))?;
    // Value field: a number that is not one, then save.
    tui.send("\t")?;
    tui.send("\x15amelia.lloyd@")?;
    tui.send("\x13")?;
    let s = tui.wait_for("a validation error", any_of(&["⚠"]))?;
    shot("contact-form-error", &s, &mut missing)?;
    tui.send("\x1b")?;
    tui.send("y")?;

    tui.send("5")?;
    let s = tui.wait_for("the Outreach pane", any_of(&["Outreach mailboxes ("]))?;
    shot("outreach", &s, &mut missing)?;

    tui.send("q")?;
    if !missing.is_empty() {
        eprintln!("characters the font lacks (drawn blank): {missing:?}");
    }
    let _ = std::fs::remove_dir_all(&home);
    Ok(saved)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(bin), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: screenshots PATH-TO-plannr-tui OUT-DIR");
        std::process::exit(2);
    };
    let out = Path::new(out);
    // The child runs with PATH set to its temp home: name the binary by its full path.
    let bin = match std::fs::canonicalize(bin) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{bin}: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("{}: {e}", out.display());
        std::process::exit(1);
    }
    for (theme, look) in [("dark", &DARK), ("light", &LIGHT)] {
        if let Err(e) = session(&bin, out, theme, look) {
            eprintln!("{theme}: {e}");
            std::process::exit(1);
        }
    }
}
