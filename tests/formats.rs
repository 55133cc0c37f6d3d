//! Real secondary sources: PDF, DOCX, HTML, legacy encodings, Thai, bad
//! files. Fixtures are in tests/fixtures/formats (see its README for how
//! each was made).

use std::path::{Path, PathBuf};

mod common;
use common::tanda;
use predicates::prelude::*;

fn formats(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(p)
}

/// A corpus folder holding copies of the given fixtures.
fn corpus_of(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::copy(formats(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn passages(out: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(out.join("passages.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let t = h.iter().position(|x| x == "text").unwrap();
    let p = h.iter().position(|x| x == "passage_id").unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (
                x[p].split('#').nth(1).unwrap().to_string(),
                x[t].to_string(),
            )
        })
        .collect()
}

#[test]
fn the_same_text_in_four_formats_codes_the_same() {
    let mut results = Vec::new();
    for f in ["same.txt", "same.docx", "same.html", "same.pdf"] {
        let corpus = corpus_of(&[f]);
        let out = tempfile::tempdir().unwrap();
        tanda()
            .args(["analyze", "--quiet", "--no-cache", "--format", "csv"])
            .arg(corpus.path())
            .arg("--out")
            .arg(out.path())
            .assert()
            .success();
        let freq = std::fs::read_to_string(out.path().join("frequencies.csv")).unwrap();
        results.push((f, passages(out.path()), freq));
    }
    let (_, base_p, base_f) = &results[0];
    assert_eq!(base_p.len(), 3, "same.txt has three paragraphs");
    for (f, p, freq) in &results[1..] {
        // Same passages, same text, same counts, whatever the format.
        assert_eq!(p, base_p, "{f}");
        assert_eq!(freq, base_f, "{f}");
    }
}

#[test]
fn bad_files_are_reported_and_skipped_strict_makes_them_fatal() {
    let bad = [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file"),
        ("not-a-zip.docx", "not a zip archive"),
        ("bomb.docx", "zip bomb"),
        ("truncated.pdf", "damaged or truncated"),
        ("scanned.pdf", "no text layer (scanned? run with --ocr)"),
        ("encrypted.pdf", "password-protected"),
    ];
    let mut files: Vec<&str> = bad.iter().map(|(f, _)| *f).collect();
    files.push("same.txt");
    let corpus = corpus_of(&files);
    let mut assert = tanda()
        .args(["analyze", "--no-cache"])
        .arg(corpus.path())
        .assert()
        .success();
    for (f, why) in bad {
        assert = assert.stderr(
            predicate::str::contains(format!("{f}: skipped: ")).and(predicate::str::contains(why)),
        );
    }
    assert.stdout(predicate::str::contains("documents 1 ·"));
    tanda()
        .args(["analyze", "--strict", "--no-cache"])
        .arg(corpus.path())
        .assert()
        .code(5);
}

#[test]
fn encodings_are_detected_recorded_and_can_be_forced() {
    let corpus = corpus_of(&["utf16.txt", "latin1.txt", "same.txt"]);
    let out = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--quiet"])
        .arg(corpus.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("run.json")).unwrap()).unwrap();
    let enc = |id: &str| {
        run["corpus"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["encoding"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(enc("utf16.txt"), "UTF-16LE");
    assert_eq!(enc("same.txt"), "UTF-8");
    // ISO-8859-1 text is read as its superset windows-1252 (as browsers do).
    assert_eq!(enc("latin1.txt"), "windows-1252");
    let text: Vec<(String, String)> = passages(out.path());
    assert!(
        text.iter().any(|(_, t)| t.contains('ä') || t.contains('é')),
        "{text:?}"
    );
    // The UTF-16 file reads like the UTF-8 one.
    let out2 = tempfile::tempdir().unwrap();
    let c2 = corpus_of(&["utf16.txt"]);
    tanda()
        .args(["analyze", "--quiet"])
        .arg(c2.path())
        .arg("--out")
        .arg(out2.path())
        .assert()
        .success();
    let c3 = corpus_of(&["same.txt"]);
    let out3 = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--quiet"])
        .arg(c3.path())
        .arg("--out")
        .arg(out3.path())
        .assert()
        .success();
    assert_eq!(passages(out2.path()), passages(out3.path()));
    // Forcing UTF-8 on a legacy file reports the bad byte and skips it.
    let c4 = corpus_of(&["latin1.txt", "same.txt"]);
    tanda()
        .args(["analyze", "--encoding", "utf-8"])
        .arg(c4.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "latin1.txt: skipped: not valid UTF-8 (invalid byte",
        ));
    tanda()
        .args(["analyze", "--encoding", "klingon"])
        .arg(c4.path())
        .assert()
        .code(2);
}

/// The sample corpus, run once with a private cache.
fn sample(args: &[&str]) -> (tempfile::TempDir, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    tanda()
        .env("TANDA_CACHE_DIR", cache.path())
        .args(["analyze", "--quiet", "corpus"])
        .args(args)
        .arg("--out")
        .arg(out.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success();
    (out, cache)
}

#[test]
fn sample_pdf_docx_html_and_thai_documents_are_read() {
    let (out, cache) = sample(&[]);
    let mut r = csv::Reader::from_path(out.path().join("passages.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let text_of = |suffix: &str| -> String {
        rows.iter()
            .filter(|x| x[col("doc_id")].ends_with(suffix))
            .map(|x| x[col("text")].to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let pdf = text_of(".pdf");
    assert!(pdf.contains("National Plan of Action"), "{pdf}");
    assert!(
        !pdf.contains("ECPAT Thailand Review 2012 — synthetic"),
        "running header survived:\n{pdf}"
    );
    let html = text_of(".html");
    assert!(html.contains("Tier 3"));
    for furniture in ["Most read", "cookies", "All rights reserved"] {
        assert!(
            !html.contains(furniture),
            "`{furniture}` from the page furniture:\n{html}"
        );
    }
    let docx = text_of(".docx");
    assert!(docx.contains("Pasal 81"));
    // Thai documents are detected as Thai and cut into words.
    let th: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|x| &x[col("language")] == "th")
        .collect();
    assert!(th.len() >= 2);
    // Hits in a PDF say page:line.
    let mut hr = csv::Reader::from_path(out.path().join("hits.csv")).unwrap();
    let pdf_lines: Vec<String> = hr
        .records()
        .map(Result::unwrap)
        .filter(|x| x[0].ends_with(".pdf"))
        .map(|x| x[7].to_string())
        .collect();
    assert!(!pdf_lines.is_empty());
    assert!(
        pdf_lines.iter().all(|l| l.split(':').count() == 2),
        "{pdf_lines:?}"
    );
    assert!(
        pdf_lines.iter().any(|l| l.starts_with("2:")),
        "no hit on page 2: {pdf_lines:?}"
    );
    // Extraction of PDF, DOCX and HTML was cached by content hash…
    let cached = std::fs::read_dir(cache.path()).unwrap().count();
    assert_eq!(cached, 3);
    // …and a second run from the cache gives the same bytes.
    let out2 = tempfile::tempdir().unwrap();
    tanda()
        .env("TANDA_CACHE_DIR", cache.path())
        .args(["analyze", "--quiet", "corpus", "--out"])
        .arg(out2.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success();
    for f in ["passages.csv", "hits.csv", "run.json"] {
        assert_eq!(
            std::fs::read(out.path().join(f)).unwrap(),
            std::fs::read(out2.path().join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn skip_headings_drops_heading_passages() {
    let (with, _c1) = sample(&[]);
    let (without, _c2) = sample(&["--skip-headings"]);
    let a = passages(with.path());
    let b = passages(without.path());
    assert!(
        a.iter().any(|(_, t)| t == "Pasal 81"),
        "the DOCX heading is a passage by default"
    );
    assert!(!b.iter().any(|(_, t)| t == "Pasal 81"));
    assert!(b.len() < a.len());
}

#[test]
fn thai_entries_match_inside_running_thai_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("th.toml"),
        "name = \"th\"\n[[category]]\nid = \"info\"\nentries = [\"รายงาน\", \"ข้อมูล\"]\n[[category]]\nid = \"law\"\nentries = [\"กฎหมาย\", \"law\"]\n",
    )
    .unwrap();
    let c = tempfile::tempdir().unwrap();
    // "The foundation published a report with data on enforcing the law (law)."
    std::fs::write(
        c.path().join("t.txt"),
        "มูลนิธิเผยแพร่รายงานพร้อมข้อมูลการบังคับใช้กฎหมาย (law) ในปี 2013\n",
    )
    .unwrap();
    let out = tanda()
        .args(["analyze", "--quiet", "--format", "csv"])
        .arg(c.path())
        .arg("--codebook")
        .arg(dir.path().join("th.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    let hits = |cat: &str| -> String {
        s.lines()
            .find(|l| l.starts_with(&format!(",,{cat},")))
            .unwrap_or_else(|| panic!("{cat}?\n{s}"))
            .split(',')
            .nth(11)
            .unwrap()
            .to_string()
    };
    assert_eq!(hits("info"), "2");
    assert_eq!(hits("law"), "2");
}

#[test]
fn fuzzer_found_inputs_are_errors_not_crashes() {
    // Inputs on which a parser panicked during fuzzing (fuzz/run.sh): each
    // must be reported and skipped, the run going on.
    let dir = tempfile::tempdir().unwrap();
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for e in std::fs::read_dir(&fuzz).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    std::fs::copy(formats("same.txt"), dir.path().join("same.txt")).unwrap();
    tanda()
        .args(["analyze", "--no-cache"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pdf-missing-object.pdf: skipped: ",
        ))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn symlink_loops_non_utf8_paths_and_a_50_mb_page_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(formats("same.txt"), dir.path().join("same.txt")).unwrap();
    // A folder that links to its parent: followed, it would never end.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    // A file name that is not UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::copy(formats("same.txt"), dir.path().join(odd)).unwrap();
    // A 50 MB page: many paragraphs and scripts.
    let mut page = String::from("<html lang=\"en\"><body><article>");
    let para = "<p>The report documents cases and urges the government to enforce the law.</p>\n<script>var x = 1;</script>\n";
    while page.len() < 50 * 1024 * 1024 {
        page.push_str(para);
    }
    page.push_str("</article></body></html>");
    std::fs::write(dir.path().join("big.html"), page).unwrap();
    let stats = |extra: &[&str]| -> serde_json::Value {
        let out = tanda()
            .args(["corpus", "stats", "--no-cache", "--format", "json"])
            .args(extra)
            .arg(dir.path())
            .timeout(std::time::Duration::from_secs(300))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    // Its text (about 31 MB) is over the default --max-doc-mb of 16: skipped,
    // with the flag named.
    let v = stats(&[]);
    assert_eq!(v["documents"], 2, "{v}");
    let why = v["skipped"][0][1].as_str().unwrap();
    assert!(why.contains("--max-doc-mb"), "{v}");
    let v = stats(&["--max-doc-mb", "40"]);
    // same.txt, the non-UTF-8 name (read, with a replacement character in
    // its id), big.html; the loop adds nothing.
    assert_eq!(v["documents"], 3, "{v}");
    assert!(v["paragraphs"].as_u64().unwrap() > 400_000);
}
