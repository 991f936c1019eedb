//! Workspace automation: `cargo xtask ci`.
fn main() {}
