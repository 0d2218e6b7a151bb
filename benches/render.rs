//! Render benchmarks (figures, not pass/fail). Run with `cargo bench --bench render`.
fn main() {}
