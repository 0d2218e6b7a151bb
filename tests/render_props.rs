//! Properties of the text pipeline on arbitrary input: never panics, output is always clean,
//! sanitising is idempotent, wrapping respects the width and loses no visible character.
use plannr_tui::render::html::{Body, BodyLine, html_to_body, raw_to_body, text_to_body};
use plannr_tui::render::sanitize;
use plannr_tui::render::wrap::{display_width, truncate_to_width, wrap_body};
use proptest::prelude::*;

/// Written out here, not taken from the crate, so a mistake there cannot hide itself.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters a terminal may draw at another width than ratatui counts (soft hyphen,
/// default-ignorables, skin-tone modifiers) and regional indicators (replaced by letters).
fn is_ambiguous_width(c: char) -> bool {
    matches!(
        c as u32,
        0xAD | 0x34F
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
            | 0x1F1E6..=0x1F1FF
    )
}

fn bad(c: char, newline_ok: bool) -> bool {
    (c < ' ' && !(newline_ok && c == '\n'))
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || is_bidi_control(c)
        || is_ambiguous_width(c)
}

/// A regional indicator as the letter the sanitiser puts in its place; anything else as is.
fn as_letter(c: char) -> char {
    match c as u32 {
        n @ 0x1F1E6..=0x1F1FF => char::from_u32('A' as u32 + (n - 0x1F1E6)).unwrap_or(c),
        _ => c,
    }
}

/// Characters that matter to the sanitiser, HTML and the wrapper, mixed with anything at all.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '\x1b', '[', ']', '\x07', '\\', '\n', '\r', '\t', '\u{9b}', '\u{9c}', '\u{9d}',
            '\u{90}', '\u{98}', '\u{9e}', '\u{9f}', '\x18', '\x7f', 'P', '0', '5', ';', 'm', '?',
            'a', 'b', ' ', ' ', '日', '😀', '\u{202e}', '\u{2066}', '\u{200d}', '\u{301}', '>',
            '<', '/', '&', '#', '"', '\u{2028}', '\u{a0}', 'x', '\u{ad}', '\u{3164}',
            '\u{fe0f}', '\u{1f1ec}', '\u{1f1e7}', '\u{1f3fd}', '\u{e0067}', '\u{2764}',
        ]),
        1 => any::<char>(),
    ]
}

fn nasty_string() -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..200).prop_map(|v| v.into_iter().collect())
}

/// HTML-ish text: tags, entities (including ones that decode to controls) and nasty text.
fn html_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        nasty_string(),
        prop::sample::select(vec![
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<blockquote>",
            "</blockquote>",
            "<br>",
            "<a href=\"http://x/&#27;[1m\">",
            "</a>",
            "<img alt=\"&#x202e;pic\" src=x>",
            "<table>",
            "<tr>",
            "<td>",
            "</td>",
            "</tr>",
            "</table>",
            "&#27;",
            "&#x9b;",
            "&#7;",
            "&gt;",
            "<pre>",
            "</pre>",
            "<ul><li>",
            "<hr>",
            "&#x2066;",
            "\t",
            "<!--",
            "-->",
            "<script>",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

fn assert_body_clean(b: &Body) {
    for s in b.lines.iter().map(|l| &l.text).chain(&b.links) {
        assert!(!s.chars().any(|c| bad(c, false)), "{s:?}");
    }
}

fn non_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn sanitize_is_clean_and_idempotent(s in prop_oneof![nasty_string(), any::<String>()]) {
        let l = sanitize::line(&s);
        prop_assert!(!l.chars().any(|c| bad(c, false)), "{:?} -> {:?}", s, l);
        prop_assert_eq!(sanitize::line(&l), l.clone());
        let b = sanitize::block(&s);
        prop_assert!(!b.chars().any(|c| bad(c, true)), "{:?} -> {:?}", s, b);
        prop_assert!(!b.contains('\t') && !l.contains('\t'));
        prop_assert_eq!(sanitize::block(&b), b.clone());
        // Text with nothing to remove comes back unchanged.
        if !s.chars().any(|c| bad(c, true) || c == '\t' || c == '\r' || c == '\u{2028}' || c == '\u{2029}') {
            prop_assert_eq!(&b, &s);
        }
    }

    #[test]
    fn sanitised_graphemes_are_as_wide_as_their_characters(s in prop_oneof![nasty_string(), any::<String>()]) {
        // A terminal adds up character widths; ratatui measures graphemes. They must agree.
        use unicode_segmentation::UnicodeSegmentation;
        use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
        let l = sanitize::line(&s);
        for g in l.graphemes(true) {
            let chars: usize = g.chars().map(|c| c.width().unwrap_or(0)).sum();
            prop_assert_eq!(g.width(), chars, "{:?} in {:?}", g, l);
        }
    }

    #[test]
    fn sanitize_keeps_ordinary_text(s in nasty_string()) {
        // Without sequence introducers, every visible character survives, in order.
        let introducer = |c: char| matches!(c, '\x1b' | '\u{90}' | '\u{98}' | '\u{9b}' | '\u{9d}' | '\u{9e}' | '\u{9f}');
        let s: String = s.chars().filter(|&c| !introducer(c)).collect();
        let visible = |t: &str| -> String {
            t.chars()
                .map(as_letter)
                .filter(|&c| !bad(c, false) && !c.is_whitespace())
                .collect()
        };
        prop_assert_eq!(visible(&sanitize::line(&s)), visible(&s));
        prop_assert_eq!(visible(&sanitize::block(&s)), visible(&s));
    }

    #[test]
    fn bodies_are_clean(s in prop_oneof![html_string(), nasty_string(), any::<String>()]) {
        assert_body_clean(&html_to_body(&s, 80));
        assert_body_clean(&text_to_body(&s));
        assert_body_clean(&raw_to_body(&s));
    }

    #[test]
    fn wrap_fits_and_keeps_text(s in nasty_string(), width in 0u16..100) {
        let body = text_to_body(&s);
        let wrapped = wrap_body(&body, width);
        if width >= 2 {
            for l in &wrapped {
                prop_assert!(display_width(&l.text) <= usize::from(width), "{:?} at {}", l.text, width);
            }
        }
        let before: String = body.lines.iter().map(|l| non_space(&l.text)).collect();
        let after: String = wrapped.iter().map(|l| non_space(&l.text)).collect();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn wrap_keeps_quote_depth(words in prop::collection::vec("[a-z]{1,12}", 1..40), depth in 0u8..5, width in 2u16..40) {
        let body = Body { lines: vec![BodyLine { text: words.join(" "), quote_depth: depth }], links: vec![], width: 0 };
        let wrapped = wrap_body(&body, width);
        prop_assert!(wrapped.iter().all(|l| l.quote_depth == depth));
        // Words shorter than the room a line quoted this deep has (its bars take some) are
        // never split, and no line is wider than that room.
        let room = plannr_tui::render::wrap::quote_room(depth, usize::from(width));
        prop_assert!(wrapped.iter().all(|l| display_width(&l.text) <= room));
        let out: Vec<&str> = wrapped.iter().flat_map(|l| l.text.split(' ')).collect();
        for w in words.iter().filter(|w| w.len() <= room) {
            prop_assert!(out.contains(&w.as_str()), "{:?} split in {:?}", w, wrapped);
        }
    }

    #[test]
    fn truncate_fits(s in nasty_string(), width in 0usize..50) {
        let clean = sanitize::line(&s);
        let t = truncate_to_width(&clean, width);
        prop_assert!(display_width(&t) <= width, "{:?} at {}", t, width);
        if display_width(&clean) <= width {
            prop_assert_eq!(t, clean);
        } else if width > 0 {
            prop_assert!(t.ends_with('…'));
        }
    }
}
