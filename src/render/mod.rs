//! Pure text functions: sanitising untrusted text, HTML→text, wrapping.
pub mod sanitize;
