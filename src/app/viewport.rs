//! What the Mail thread and an open conversation share: messages laid out as screen lines, the
//! anchor that keeps the reading position while pages arrive above it, and finding the message
//! that holds a line. Each view keeps its own rules on top (the thread's gap rows and lazy
//! layout, the conversation's newest-at-the-bottom following).

/// What a screen line of a message is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// "Ann Lee · 12 Mar 14:05" (a conversation message's first line).
    Header,
    /// "From: …", "Mailbox: …" (label width in chars, for styling).
    Meta(u8),
    Attachment {
        index: usize,
    },
    Body,
    /// A quoted line, nested this deep (1 and more).
    Quote(u8),
    /// "┄ 12 quoted lines (z shows them)".
    Folded,
    Link,
    /// "(formatting…)", "loading formatted version…", "(no text)", files of a conversation message.
    Notice,
    Blank,
}

impl LineKind {
    /// A body line quoted `depth` deep (0: not quoted).
    pub fn body(depth: u8) -> LineKind {
        if depth == 0 {
            LineKind::Body
        } else {
            LineKind::Quote(depth)
        }
    }
}

/// One screen line of a message, wrapped for the view's width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewLine {
    pub text: String,
    pub kind: LineKind,
}

impl ViewLine {
    pub fn new(text: String, kind: LineKind) -> ViewLine {
        ViewLine { text, kind }
    }
}

/// The line at the top of the viewport: `offset` lines below the first line of message `uuid`
/// (negative: above it, e.g. a gap row of the thread).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Anchor {
    pub uuid: String,
    pub offset: isize,
}

/// Given the first line of each message (ascending), the message that holds line `line`: the
/// last one starting at or before it (0 when none does).
pub fn item_at(starts: &[usize], line: usize) -> usize {
    starts.partition_point(|&s| s <= line).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_holding_a_line_is_the_last_starting_at_or_before_it() {
        let starts = [0, 3, 3, 7];
        assert_eq!(item_at(&starts, 0), 0);
        assert_eq!(item_at(&starts, 2), 0);
        // An empty message (3..3) never holds a line: the next one starting there does.
        assert_eq!(item_at(&starts, 3), 2);
        assert_eq!(item_at(&starts, 100), 3);
        assert_eq!(item_at(&[], 5), 0);
        assert_eq!(item_at(&[2], 0), 0);
        assert_eq!(LineKind::body(0), LineKind::Body);
        assert_eq!(LineKind::body(2), LineKind::Quote(2));
    }
}
