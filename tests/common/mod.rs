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

/// A CSV file's header and rows, as strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    read_csv_from(csv::Reader::from_path(path).expect("csv opens"))
}

/// CSV bytes (a command's standard output) as header and rows.
pub fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    read_csv_from(csv::Reader::from_reader(bytes))
}

fn read_csv_from<R: std::io::Read>(mut r: csv::Reader<R>) -> (Vec<String>, Vec<Vec<String>>) {
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}
