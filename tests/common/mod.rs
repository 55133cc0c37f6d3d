//! Helpers shared by the integration tests (each `tests/*.rs` is its own
//! crate, so each uses only some of these).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tanda::codebook::{Codebook, Matcher};
use tanda::coder::code;

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

/// Code texts with two codebooks and compare, category by category (matched
/// by id), the counts and the scores; `Err` says where they differ.
pub fn same_coding(a: &Codebook, b: &Codebook, texts: &[String]) -> Result<(), String> {
    let (ma, mb) = (Matcher::compile(a), Matcher::compile(b));
    if ma.categories.len() != mb.categories.len() {
        return Err(format!(
            "{} categories vs {}",
            ma.categories.len(),
            mb.categories.len()
        ));
    }
    for t in texts {
        let (ca, cb) = (code(&ma, t), code(&mb, t));
        for (i, c) in ma.categories.iter().enumerate() {
            let j = mb
                .categories
                .iter()
                .position(|x| x.id == c.id)
                .ok_or(format!("category {} lost", c.id))?;
            if ca.counts[i] != cb.counts[j] || ca.scores[i] != cb.scores[j] {
                return Err(format!(
                    "{}: {} ({}) vs {} ({}) on {t:?}",
                    c.id, ca.counts[i], ca.scores[i], cb.counts[j], cb.scores[j]
                ));
            }
        }
    }
    Ok(())
}
