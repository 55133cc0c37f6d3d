//! Helpers shared by the integration tests (each `tests/*.rs` is its own
//! crate, so each uses only some of these).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A file or folder under `tests/fixtures`.
pub fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

/// The built `tanda` binary.
pub fn tanda() -> Command {
    Command::cargo_bin("tanda").expect("binary builds")
}

/// The `tanda` binary run from the project root (for paths like `corpus/`).
pub fn tanda_at_root() -> Command {
    let mut c = tanda();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}
