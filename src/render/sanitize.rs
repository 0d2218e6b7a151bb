//! Sanitising of untrusted text. Every string from the network passes through here once, when it is
//! decoded. After that nothing the UI draws can contain an escape sequence, a C0/C1 control, or a
//! bidi override, and tabs are expanded.
//!
//! What is removed, in one pass and without a regex:
//! - whole escape sequences: CSI (`ESC [` params, intermediates, final byte), OSC (`ESC ]`),
//!   DCS/SOS/PM/APC (`ESC P`/`X`/`^`/`_`) up to BEL or ST (`ESC \` or 0x9C), their 8-bit C1 forms
//!   (0x9B CSI, 0x9D OSC, 0x90 DCS, 0x98 SOS, 0x9E PM, 0x9F APC), and every other `ESC` sequence
//!   (`ESC` + intermediates 0x20–0x2F + one final 0x30–0x7E, e.g. `ESC c`, `ESC ( B`);
//! - every other C0 control, DEL and C1 control (so also BS, VT, FF, SO/SI, NEL …);
//! - bidi controls U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C;
//! - characters a terminal may draw at another width than we count ([`is_invisible`]: soft hyphen,
//!   default-ignorables such as zero-width joiners and variation selectors, Hangul fillers,
//!   skin-tone modifiers); regional indicators become their ASCII letters (a flag 🇬🇧 → `GB`).
//!   So for every grapheme we draw, its width is the sum of its characters' widths, which is
//!   what a terminal counts.
//!
//! Kept: printable text including combining marks, wide CJK and emoji.
//! Tabs become spaces up to the next multiple of 8 *display columns* (unicode-width), so a tab after
//! a CJK character lands where a terminal would put it. U+2028/U+2029 count as line breaks.
//!
//! Bounds on what a broken sequence may hide (the attacker controls the bytes, so we choose the
//! behaviour that shows *more* text, never less):
//! - CSI ends at its final byte, or at the first character that cannot belong to a CSI (anything
//!   outside 0x20–0x7E); that character is then processed normally (so `ESC [` followed by a
//!   newline or by non-ASCII text only loses the `ESC [`).
//! - OSC/DCS/SOS/PM/APC strings end at BEL, ST, CAN, SUB, a new `ESC`, **or at a line break**
//!   (`\n`, `\r`, U+2028/9): an unterminated string never hides anything beyond the end of its line.
//!   The line break itself is kept. A properly terminated string that spans lines therefore shows its
//!   later lines as plain text, which is harmless.
//!
//! The output never contains a character that this module would change, so sanitising is
//! idempotent, and text that needs no change is returned without copying (`*_cow`).
use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

const TAB: usize = 8;
const ESC: char = '\u{1b}';

/// Bidi embedding/override/isolate/mark controls that can reorder what the user sees.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// A one-line field (name, subject, address): every line break (or run of them) becomes one space.
pub fn line(s: &str) -> String {
    line_cow(s).into_owned()
}

/// A multi-line field (a body): `\n` kept, `\r\n` folded to `\n`, a lone `\r` dropped, tabs expanded
/// per line.
pub fn block(s: &str) -> String {
    block_cow(s).into_owned()
}

/// [`line`] without a copy when the input is already clean.
pub fn line_cow(s: &str) -> Cow<'_, str> {
    clean(s, false, false)
}

/// [`block`] without a copy when the input is already clean.
pub fn block_cow(s: &str) -> Cow<'_, str> {
    clean(s, true, false)
}

/// HTML source, before a parser sees it: as [`block`], except that an escape sequence never
/// swallows markup. `<`, `>`, `&` and quotes end any sequence and are kept, so a lone ESC before a tag
/// (`hello \x1b</p>`) loses only the ESC, and the tag still closes its element.
pub fn markup(s: &str) -> String {
    markup_cow(s).into_owned()
}

/// [`markup`] without a copy when the input is already clean.
pub fn markup_cow(s: &str) -> Cow<'_, str> {
    clean(s, true, true)
}

/// Characters whose width a terminal may count differently from us, or draw at all when we do
/// not: removed at ingestion so every cell we draw is the width we think.
/// - soft hyphen U+00AD (0 or 1 column depending on the terminal);
/// - the rest of Unicode's Default_Ignorable_Code_Point set: combining grapheme joiner, Hangul
///   fillers (U+115F/1160, U+3164, U+FFA0, which some fonts draw wide and some not at all),
///   Khmer inherent vowels, Mongolian variation selectors, zero-width space/joiners (an emoji ZWJ
///   sequence is one 2-column glyph to us and up to three to a terminal), word joiner and
///   invisible operators, variation selectors (VS16 turns a 1-column symbol into a 2-column
///   emoji on some terminals only), BOM, shorthand format controls, musical format controls,
///   tags (U+E0000–E0FFF, incl. VS17–256);
/// - emoji skin-tone modifiers (drawn joined or as a separate swatch).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x115F
            | 0x1160
            | 0x17B4
            | 0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
            | 0x1F3FB..=0x1F3FF
    )
}

/// Regional indicator symbols (U+1F1E6–1F1FF): a pair is a flag that terminals draw 2, 3 or 4
/// columns wide, a lone one anything from 1 to 2. Each becomes its ASCII letter (🇬🇧 → `GB`).
fn regional_letter(c: char) -> Option<char> {
    let n = (c as u32).checked_sub(0x1F1E6).filter(|n| *n < 26)?;
    char::from_u32('A' as u32 + n)
}

/// Whether a non-ASCII character needs work (dropped, replaced, or a line break).
fn needs_work(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{2028}' | '\u{2029}')
        || is_bidi_control(c)
        || is_invisible(c)
        || regional_letter(c).is_some()
}

/// Index of the first byte that may need work, or `None` if the text is clean. Byte-level scan:
/// ASCII controls and DEL are found directly; a non-ASCII character is decoded and looked at
/// only when its lead byte starts a block holding something `needs_work` catches.
fn first_dirty(s: &str, keep_newlines: bool) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x20 {
            if !(keep_newlines && x == b'\n') {
                return Some(i);
            }
        } else if x == 0x7f
            || (matches!(
                x,
                0xC2 | 0xCD | 0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF0 | 0xF3
            ) && s
                .get(i..)
                .and_then(|t| t.chars().next())
                .is_some_and(needs_work))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Remove escape sequences and controls. `keep_newlines` keeps `\n` (bodies); otherwise line breaks
/// become spaces (one-line fields such as names and subjects). `markup`: `<`, `>`, `&` are never
/// part of a sequence.
fn clean(s: &str, keep_newlines: bool, markup: bool) -> Cow<'_, str> {
    let Some(start) = first_dirty(s, keep_newlines) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    // Display column of the current line, computed lazily (only tabs need it): `col` is the width
    // of `out[line start..counted]`. Newlines copied in clean runs are found when a tab comes.
    let mut counted = 0usize;
    let mut col = 0usize;

    out.push_str(&s[..start]);
    let mut i = start;
    while i < s.len() {
        // Copy the clean run up to the next character that needs work in one go.
        let run = first_dirty(&s[i..], keep_newlines).unwrap_or(s.len() - i);
        out.push_str(&s[i..i + run]);
        i += run;
        let mut it = s[i..].chars();
        let Some(c) = it.next() else { break };
        // A character that ends a sequence without belonging to it is looked at again.
        let mut pending = None;
        match c {
            ESC => pending = skip_esc(&mut it, markup),
            '\u{9b}' => pending = skip_csi(&mut it, markup),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                pending = skip_string(&mut it, markup)
            }
            '\u{2028}' | '\u{2029}' if keep_newlines => out.push('\n'),
            // `\r\n` → `\n` and a lone `\r` disappears: dropping every `\r` does both.
            '\r' if keep_newlines => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' if !out.ends_with(' ') => out.push(' '),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => {}
            '\t' => {
                let seg = &out[counted..];
                match seg.rfind('\n') {
                    Some(nl) => col = seg[nl + 1..].width(),
                    None => col += seg.width(),
                }
                let n = TAB - (col % TAB);
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
                counted = out.len();
            }
            c if regional_letter(c).is_some() => out.extend(regional_letter(c)),
            // Other controls, bidi marks and invisible characters are dropped.
            _ => {}
        }
        i = s.len() - it.as_str().len() - pending.map_or(0, char::len_utf8);
    }
    Cow::Owned(out)
}

/// Characters that give HTML its structure: in markup mode they end any escape sequence.
fn is_markup(c: char) -> bool {
    matches!(c, '<' | '>' | '&' | '"' | '\'')
}

/// After `ESC`: swallow the rest of the sequence. Returns a character that turned out not to belong
/// to the sequence and must be processed as ordinary input.
fn skip_esc(it: &mut std::str::Chars<'_>, markup: bool) -> Option<char> {
    match it.next()? {
        d if markup && is_markup(d) => Some(d),
        '[' => skip_csi(it, markup),
        ']' | 'P' | 'X' | '^' | '_' => skip_string(it, markup),
        // nF: intermediates then a final byte (`ESC ( B`, `ESC # 8`, …).
        c @ ' '..='/' => {
            let _ = c;
            for d in it.by_ref() {
                match d {
                    d if markup && is_markup(d) => return Some(d),
                    ' '..='/' => {}
                    '0'..='~' => return None,
                    d => return Some(d),
                }
            }
            None
        }
        // Fp/Fe/Fs two-character sequences (`ESC c`, `ESC 7`, `ESC M`, `ESC =`, …).
        '0'..='~' => None,
        // Not a sequence (`ESC` + control / DEL / non-ASCII): drop the ESC alone.
        d => Some(d),
    }
}

/// After a CSI introducer: parameters and intermediates (0x20–0x3F) up to a final byte
/// (0x40–0x7E). Any other character aborts the sequence and is handed back.
fn skip_csi(it: &mut std::str::Chars<'_>, markup: bool) -> Option<char> {
    for d in it.by_ref() {
        match d {
            d if markup && is_markup(d) => return Some(d),
            ' '..='?' => {}
            '@'..='~' => return None,
            d => return Some(d),
        }
    }
    None
}

/// Skip an OSC/DCS/SOS/PM/APC string up to its terminator: BEL, ST (`ESC \` or 0x9C), CAN, SUB.
/// A new `ESC` (not followed by `\`) or a line break ends it too and is handed back.
fn skip_string(it: &mut std::str::Chars<'_>, markup: bool) -> Option<char> {
    while let Some(d) = it.next() {
        match d {
            d if markup && is_markup(d) => return Some(d),
            '\u{7}' | '\u{9c}' | '\u{18}' | '\u{1a}' => return None,
            ESC => {
                let mut peek = it.clone();
                if peek.next() == Some('\\') {
                    *it = peek;
                    return None;
                }
                return Some(ESC);
            }
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => return Some(d),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_borrows() {
        for s in ["", "hello", "naïve café 日本語 👩👩👧", "a\nb"] {
            assert!(matches!(block_cow(s), Cow::Borrowed(_)), "{s:?}");
        }
        assert!(matches!(line_cow("plain"), Cow::Borrowed(_)));
        // A newline is work for `line`, and `\r`/ESC/tab for both.
        assert!(matches!(line_cow("a\nb"), Cow::Owned(_)));
        assert!(matches!(block_cow("a\r\nb"), Cow::Owned(_)));
        assert!(matches!(block_cow("a\tb"), Cow::Owned(_)));
        assert!(matches!(block_cow("a\u{202e}b"), Cow::Owned(_)));
        assert!(matches!(block_cow("a\u{85}b"), Cow::Owned(_)));
    }

    #[test]
    fn csi_sequences() {
        assert_eq!(line("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(line("\x1b[2J\x1b[Hx"), "x");
        assert_eq!(line("a\x1b[?1049hb"), "ab");
        assert_eq!(line("a\x1b[38;2;1;2;3mb"), "ab");
        assert_eq!(line("a\x1b[ qb"), "ab"); // intermediate byte
        // 8-bit CSI
        assert_eq!(line("\u{9b}31mred"), "red");
        // Aborted CSI: the aborting character is kept.
        assert_eq!(block("a\x1b[12\nb"), "a\nb");
        assert_eq!(line("a\x1b[1日b"), "a日b");
        // Unterminated at end of input.
        assert_eq!(line("a\x1b[12"), "a");
    }

    #[test]
    fn osc_sequences() {
        assert_eq!(line("\x1b]0;pwned\x07title"), "title");
        assert_eq!(line("\x1b]2;pwned\x1b\\title"), "title");
        assert_eq!(line("\x1b]52;c;aGVsbG8=\x07x"), "x");
        assert_eq!(line("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"), "link");
        assert_eq!(line("\u{9d}0;pwned\u{9c}ok"), "ok");
        assert_eq!(line("\u{9d}0;pwned\x07ok"), "ok");
        // An unterminated OSC ends at the line break; the next line survives.
        assert_eq!(block("a\x1b]0;pwned\nvisible"), "a\nvisible");
        assert_eq!(line("a\x1b]0;pwned\nvisible"), "a visible");
        assert_eq!(block("a\x1b]0;pwned\r\nvisible"), "a\nvisible");
        // A new ESC ends it and starts a new sequence.
        assert_eq!(line("\x1b]0;x\x1b[31mred"), "red");
        // CAN aborts.
        assert_eq!(line("\x1b]0;x\x18ok"), "ok");
    }

    #[test]
    fn dcs_sos_pm_apc() {
        assert_eq!(line("\x1bPq#0;2;0;0;0#1!7~\x1b\\after"), "after");
        assert_eq!(line("\u{90}1$r\u{9c}after"), "after");
        assert_eq!(line("\x1bXsos\x1b\\a"), "a");
        assert_eq!(line("\x1b^pm\x1b\\a"), "a");
        assert_eq!(line("\x1b_apc\x1b\\a"), "a");
        assert_eq!(
            line("\u{98}sos\u{9c}a\u{9e}pm\u{9c}b\u{9f}apc\u{9c}c"),
            "abc"
        );
    }

    #[test]
    fn other_escapes_and_controls() {
        assert_eq!(line("a\x1bcb"), "ab"); // RIS
        assert_eq!(line("a\x1b7b\x1b8c"), "abc"); // save/restore cursor
        assert_eq!(line("a\x1b(0b"), "ab"); // charset
        assert_eq!(line("a\x1b#8b"), "ab"); // DECALN
        assert_eq!(line("a\x1b"), "a");
        assert_eq!(line("a\x1b\x1b[1mb"), "ab");
        assert_eq!(line("a\x08\x08b\x0e\x0f\x7f\u{85}\u{9c}\x00c"), "abc");
        assert_eq!(block("a\x0b\x0cb"), "ab");
    }

    #[test]
    fn newlines() {
        assert_eq!(line("a\r\nb\nc\rd"), "a b c d");
        assert_eq!(line("a\n\n\nb"), "a b");
        assert_eq!(block("a\r\nb\rc\n\nd"), "a\nbc\n\nd");
        assert_eq!(block("a\u{2028}b"), "a\nb");
    }

    #[test]
    fn tabs_by_display_width() {
        assert_eq!(line("\tx"), "        x");
        assert_eq!(line("ab\tx"), "ab      x");
        assert_eq!(line("abcdefgh\tx"), "abcdefgh        x");
        // 日本 is 4 columns wide: the tab fills 4 more.
        assert_eq!(line("日本\tx"), "日本    x");
        assert_eq!(line("日本語の\tx"), "日本語の        x");
        // Columns restart after a newline in a block.
        assert_eq!(block("abc\n日\tx"), "abc\n日      x");
        // Escape sequences take no columns.
        assert_eq!(line("\x1b[1mab\x1b[0m\tx"), "ab      x");
        // Tabs after a clean prefix that contains a newline.
        assert_eq!(block("abcdef\nab\tx"), "abcdef\nab      x");
        assert_eq!(line("a\tb\tc"), "a       b       c");
    }

    #[test]
    fn bidi_removed_joiners_kept() {
        assert_eq!(line("abc\u{202e}fed\u{202c}"), "abcfed");
        assert_eq!(
            line(
                "\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}x\u{202a}\u{202b}\u{202d}"
            ),
            "x"
        );
        // Joiners go: an emoji ZWJ sequence is drawn as its parts, the width every terminal agrees on.
        assert_eq!(line("👩\u{200d}👩\u{200d}👧"), "👩👩👧");
        assert_eq!(line("e\u{301}\u{200b}x"), "e\u{301}x");
        assert_eq!(line("日本語 😀"), "日本語 😀");
        // Close neighbours of the bidi and invisible ranges stay.
        assert_eq!(
            line("\u{2010}\u{2030}\u{205f}\u{2070}"),
            "\u{2010}\u{2030}\u{205f}\u{2070}"
        );
    }

    #[test]
    fn invisible_and_ambiguous_width_characters() {
        assert_eq!(line("co\u{ad}op\u{ad}"), "coop");
        assert_eq!(line("\u{3164}\u{3164}x\u{115f}\u{1160}\u{ffa0}"), "x");
        assert_eq!(
            line("\u{2764}\u{fe0f} \u{231a}\u{fe0e}"),
            "\u{2764} \u{231a}"
        );
        assert_eq!(line("\u{1f1ec}\u{1f1e7} \u{1f1fa}"), "GB U");
        assert_eq!(line("\u{1f44d}\u{1f3fd}"), "\u{1f44d}");
        assert_eq!(
            line("a\u{feff}b\u{2060}c\u{34f}d\u{e0067}\u{e007f}"),
            "abcd"
        );
        // Neighbours stay.
        assert_eq!(
            line("\u{ac}\u{ae}\u{3163}\u{3165}\u{fe10}"),
            "\u{ac}\u{ae}\u{3163}\u{3165}\u{fe10}"
        );
        assert!(matches!(line_cow("日本語 é ü"), Cow::Borrowed(_)));
        assert!(matches!(line_cow("x\u{ad}"), Cow::Owned(_)));
    }

    #[test]
    fn idempotent_examples() {
        for s in ["a\tb\x1b[1m\tc", "\x1b]0;x\ny\tz", "日\t\u{202e}x\r\n"] {
            let once = block(s);
            assert_eq!(block(&once), once);
            let once = line(s);
            assert_eq!(line(&once), once);
        }
    }
}
