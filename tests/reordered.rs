//! `tanda report` on a results folder whose passages.csv had its columns
//! moved in a spreadsheet (issue 20): the columns are read by name, so the
//! tables are those of the file as tanda wrote it; a column that is gone is
//! an error naming the file and the column, never a panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

fn tanda() -> assert_cmd::Command {
    common::tanda_at_root()
}

/// `tanda analyze corpus --out DIR` into `tmp/orig`.
fn analyze(tmp: &Path) -> PathBuf {
    let out = tmp.join("orig");
    tanda()
        .args(["analyze", "--quiet", "--no-cache", "corpus", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// A copy of the results folder `from` as `to`, its passages.csv rewritten
/// with every row passed through `change`.
fn copy_with(from: &Path, to: &Path, change: &dyn Fn(Vec<String>) -> Vec<String>) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(from.join("passages.csv"))
        .unwrap();
    let mut w = csv::Writer::from_path(to.join("passages.csv")).unwrap();
    for rec in rdr.records() {
        let row: Vec<String> = rec.unwrap().iter().map(String::from).collect();
        w.write_record(change(row)).unwrap();
    }
    w.flush().unwrap();
}

/// `tanda report RESULTS --by source_type --out OUT`; its files (but the
/// manifest, which names the input folder) by name.
fn report(results: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    tanda()
        .arg("report")
        .arg(results)
        .args(["--by", "source_type", "--out"])
        .arg(out)
        .assert()
        .success();
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "report.json")
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The position of column `name` in `header`.
fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

/// documents.csv of a report on the moved columns against what the corpus
/// says: each document's source_type and year as corpus/metadata.csv gives
/// them (by path, which is the doc_id), its words the sum of its passages'
/// words in the original passages.csv.
fn check_documents(orig: &Path, report_dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mh, mrows) = common::read_csv(&root.join("corpus/metadata.csv"));
    let meta: BTreeMap<&str, (&str, &str)> = mrows
        .iter()
        .map(|r| {
            let (p, s, y) = (col(&mh, "path"), col(&mh, "source_type"), col(&mh, "year"));
            (r[p].as_str(), (r[s].as_str(), r[y].as_str()))
        })
        .collect();
    let (ph, prows) = common::read_csv(&orig.join("passages.csv"));
    let mut words: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &prows {
        *words.entry(r[col(&ph, "doc_id")].as_str()).or_default() +=
            r[col(&ph, "words")].parse::<u64>().unwrap();
    }
    let (dh, drows) = common::read_csv(&report_dir.join("documents.csv"));
    assert_eq!(drows.len(), words.len(), "one row per document");
    for r in &drows {
        let doc = r[col(&dh, "doc_id")].as_str();
        let (source_type, year) = meta[doc];
        assert_eq!(r[col(&dh, "source_type")], source_type, "{doc}");
        assert_eq!(r[col(&dh, "year")], year, "{doc}");
        assert_eq!(r[col(&dh, "words")], words[doc].to_string(), "{doc}");
    }
}

#[test]
fn report_reads_passages_with_unit_moved_after_words() {
    let tmp = tempfile::tempdir().unwrap();
    let orig = analyze(tmp.path());
    let (header, _) = common::read_csv(&orig.join("passages.csv"));
    let (unit, words) = (col(&header, "unit"), col(&header, "words"));
    assert!(
        unit + 1 < words,
        "the corpus has metadata fields: {header:?}"
    );
    let moved = tmp.path().join("moved");
    copy_with(&orig, &moved, &|mut row| {
        row.swap(unit, words);
        row
    });
    let (moved_header, _) = common::read_csv(&moved.join("passages.csv"));
    assert!(col(&moved_header, "unit") > col(&moved_header, "words"));

    let want = report(&orig, &tmp.path().join("report-orig"));
    let got = report(&moved, &tmp.path().join("report-moved"));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &want {
        assert!(got[name] == *bytes, "{name} differs");
    }
    check_documents(&orig, &tmp.path().join("report-moved"));
}

#[test]
fn report_reads_passages_with_all_columns_reversed() {
    let tmp = tempfile::tempdir().unwrap();
    let orig = analyze(tmp.path());
    let reversed = tmp.path().join("reversed");
    copy_with(&orig, &reversed, &|mut row| {
        row.reverse();
        row
    });
    let got = report(&reversed, &tmp.path().join("report-reversed"));
    let want = report(&orig, &tmp.path().join("report-orig"));
    // documents.csv lists the metadata fields in the order of the header
    // it was read from; every table is the same.
    for (name, bytes) in &want {
        if name != "documents.csv" {
            assert!(got[name] == *bytes, "{name} differs");
        }
    }
    check_documents(&orig, &tmp.path().join("report-reversed"));
}

#[test]
fn a_missing_column_is_an_error_naming_file_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let orig = analyze(tmp.path());
    let (header, _) = common::read_csv(&orig.join("passages.csv"));
    let words = col(&header, "words");
    let cut = tmp.path().join("cut");
    copy_with(&orig, &cut, &|mut row| {
        row.remove(words);
        row
    });
    let out = tanda().arg("report").arg(&cut).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("passages.csv"), "{err}");
    assert!(err.contains("no `words` column"), "{err}");
    assert!(err.contains("re-run `tanda analyze`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// run.json edited by hand: a codebook hash of multi-byte characters is
/// shown cut at 12 characters, never cut inside a character (a panic
/// before), in the text table and in the LaTeX one.
#[test]
fn a_hand_edited_codebook_hash_is_shown_not_panicked_on() {
    let tmp = tempfile::tempdir().unwrap();
    let orig = analyze(tmp.path());
    let run_path = orig.join("run.json");
    let mut run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&run_path).unwrap()).unwrap();
    run["codebook"]["sha256"] = serde_json::Value::String("é".repeat(40));
    std::fs::write(&run_path, serde_json::to_string_pretty(&run).unwrap()).unwrap();
    for format in ["table", "latex"] {
        let out = tanda()
            .args(["report", "--format", format])
            .arg(&orig)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(&"é".repeat(12)), "{format}: {text}");
        assert!(!text.contains(&"é".repeat(13)), "{format}");
    }
}
