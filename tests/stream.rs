//! `tanda analyze` streams a corpus in chunks of files. These tests build a
//! corpus of several chunks (a few hundred files) and check what streaming
//! must not change: every passage is written once, in file order; a
//! front-matter key of a late Markdown file is a column from the first row;
//! a bad file in a later chunk is reported and skipped (fatal with
//! `--strict`, leaving no result file behind); and the output is the same
//! byte for byte whatever the thread count.

use std::fs;
use std::path::Path;

mod common;
use common::{fixture, tanda};

/// Files in the corpus (several chunks of 64).
const FILES: usize = 200;

/// Build the corpus: `FILES` two-paragraph text files, an empty file in the
/// middle, and a Markdown file sorted last whose front matter has a key no
/// other document has.
fn corpus(dir: &Path) {
    for i in 0..FILES {
        let body = format!(
            "Document {i}: the report gives data from a survey.\n\nNGOs lobbied the ministry {i} times.\n"
        );
        fs::write(dir.join(format!("d{i:04}.txt")), body).unwrap();
    }
    fs::write(dir.join("d0150-empty.txt"), "").unwrap();
    fs::write(
        dir.join("zz-late.md"),
        "---\noutlet: Late Gazette\n---\n\nThe ministry kept up the pressure.\n",
    )
    .unwrap();
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn a_corpus_of_many_chunks_streams_in_order_with_late_fields_and_skips() {
    let c = tempfile::tempdir().unwrap();
    corpus(c.path());
    let out = tempfile::tempdir().unwrap();
    let run = tanda()
        .arg("analyze")
        .arg(c.path())
        .args(["--codebook"])
        .arg(fixture("mini.toml"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        stderr.contains("d0150-empty.txt: skipped: empty file"),
        "{stderr}"
    );

    let (header, rows) = read_csv(&out.path().join("passages.csv"));
    // Two passages per text file, one for the Markdown file.
    assert_eq!(rows.len(), FILES * 2 + 1);
    let doc = header.iter().position(|h| h == "doc_id").unwrap();
    let outlet = header
        .iter()
        .position(|h| h == "outlet")
        .expect("the late file's front-matter key is a column");
    // File order, each document's passages together.
    let ids: Vec<&str> = rows.iter().map(|r| r[doc].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert_eq!(ids.last(), Some(&"zz-late.md"));
    assert_eq!(rows.last().unwrap()[outlet], "Late Gazette");
    assert_eq!(rows[0][outlet], "");

    // Every passage's hit count equals its rows in hits.csv.
    let (hh, hits) = read_csv(&out.path().join("hits.csv"));
    let info = header.iter().position(|h| h == "info:hits").unwrap();
    let total: usize = rows.iter().map(|r| r[info].parse::<usize>().unwrap()).sum();
    let cat = hh.iter().position(|h| h == "category").unwrap();
    assert_eq!(hits.iter().filter(|h| h[cat] == "info").count(), total);
    // "report", "data", "survey" in each file's first paragraph.
    assert_eq!(total, FILES * 3);

    let runj: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(runj["counts"]["documents"], FILES + 1);
    assert_eq!(runj["corpus"]["skipped"][0]["id"], "d0150-empty.txt");
}

#[test]
fn streamed_output_is_identical_for_one_and_two_threads() {
    let c = tempfile::tempdir().unwrap();
    corpus(c.path());
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        tanda()
            .arg("analyze")
            .arg(c.path())
            .args(["--quiet", "--threads", threads, "--out"])
            .arg(dir.path())
            .assert()
            .success();
    }
    let mut names: Vec<_> = fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    for n in names {
        let x = fs::read(a.path().join(&n)).unwrap();
        let y = fs::read(b.path().join(&n)).unwrap();
        assert!(x == y, "{n:?} differs between 1 and 2 threads");
    }
}

#[test]
fn strict_stops_at_a_bad_file_in_a_later_chunk_and_writes_nothing() {
    let c = tempfile::tempdir().unwrap();
    corpus(c.path());
    let out = tempfile::tempdir().unwrap();
    tanda()
        .arg("analyze")
        .arg(c.path())
        .args(["--quiet", "--strict", "--out"])
        .arg(out.path())
        .assert()
        .code(5);
    let left: Vec<_> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        left.is_empty(),
        "no result file and no temporary file may be left: {left:?}"
    );
}
