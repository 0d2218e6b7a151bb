//! Pure text functions: sanitising untrusted text, HTML→text, wrapping. No I/O, no async.
pub mod html;
pub mod sanitize;
pub mod wrap;
