//! Sanitising of untrusted text. Every string from the network passes through here once, when it is
//! decoded. After that nothing the UI draws can contain an escape sequence, a C0/C1 control, or a
//! bidi override, and tabs are expanded.

const TAB: usize = 8;

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Remove escape sequences and controls. `keep_newlines` keeps `\n` (bodies); otherwise newlines
/// become spaces (one-line fields such as names and subjects).
fn clean(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut col = 0usize;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\u{1b}' => {
                // ESC: swallow the whole sequence.
                match it.next() {
                    Some('[') => {
                        // CSI: parameters/intermediates until a final byte 0x40..=0x7E.
                        for d in it.by_ref() {
                            if ('\u{40}'..='\u{7e}').contains(&d) {
                                break;
                            }
                        }
                    }
                    Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut it),
                    _ => {}
                }
            }
            '\u{9b}' => {
                for d in it.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&d) {
                        break;
                    }
                }
            }
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut it),
            '\n' if keep_newlines => {
                out.push('\n');
                col = 0;
            }
            '\n' | '\r' if !keep_newlines => {
                if !out.ends_with(' ') {
                    out.push(' ');
                    col += 1;
                }
            }
            '\t' => {
                let n = TAB - (col % TAB);
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            c if c.is_control() || is_bidi_control(c) => {}
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

/// Skip an OSC/DCS/SOS/PM/APC string up to its terminator (BEL, ST = ESC \\, or 8-bit ST).
fn skip_string(it: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(d) = it.next() {
        match d {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if it.peek() == Some(&'\\') {
                    it.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// A one-line field (name, subject, address): newlines become spaces.
pub fn line(s: &str) -> String {
    clean(s, false)
}

/// A multi-line field (a body): newlines kept, `\r\n` folded, tabs expanded per line.
pub fn block(s: &str) -> String {
    clean(s, true)
}
