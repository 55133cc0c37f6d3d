//! End-to-end tests of the `tanda` binary. Expected numbers for the `mini`
//! fixture are worked out by hand from the texts and `mini.toml` (see the
//! comments); nothing here is copied from a run's output.

use std::path::Path;

mod common;
use common::{fixture, read_csv, tanda};
use predicates::prelude::*;

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

// The mini corpus by hand:
// reports/a.txt  p1 "The report gives data from a survey of 40 hotels." 10 words;
//                   info: report, data, survey* = 3
//                p2 "NGOs lobbied the ministry and kept up the pressure." 9 words;
//                   lev.moral: lobb* (lobbied), pressure = 2
// news/b.md      p1 heading "Watch list" 2 words, no hits
//                p2 "Thailand stayed on the Tier 2 Watch List; tourism revenue was at risk."
//                   13 words; lev.material: tier 2 watch list, tourism revenue = 2
//                p3 "Penelitian ini memakai data sekunder." 5 words; `data` excluded
// statutes/c.txt p1 "Section 1. The ministry shall report each year; the government must
//                   publish the data." (re-/port and pub-/lish joined) 14 words;
//                   info: report, data = 2
// news/corrupt.txt is binary (NUL bytes): skipped with a warning.
// Totals: 3 documents, 6 passages, 53 words.

#[test]
fn analyze_mini_prints_hand_counted_table() {
    let out = tanda()
        .args(["analyze"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "corrupt.txt: skipped: looks like a binary file",
        ))
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    assert!(
        s.contains("documents 3 · passages 6 · words 53 · unit paragraph"),
        "{s}"
    );
    assert!(s.contains("codebook Mini 0.1"), "{s}");
    assert!(s.contains("counting tanda-count/2"), "{s}");
    let row = |id: &str| -> Vec<String> {
        s.lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no row {id} in\n{s}"))
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    // category, passages, %, docs, hits, per 1k words, % of words (then a bar)
    assert_eq!(
        row("info")[..7],
        ["info", "2", "33.3", "2", "5", "94.34", "9.43"]
    );
    assert_eq!(
        row("lev")[..7],
        ["lev", "2", "33.3", "2", "4", "75.47", "7.55"]
    );
    assert_eq!(
        row("lev.moral")[..7],
        ["lev.moral", "1", "16.7", "1", "2", "37.74", "3.77"]
    );
    assert_eq!(
        row("lev.material")[..7],
        ["lev.material", "1", "16.7", "1", "2", "37.74", "3.77"]
    );
    // Children are indented under their parent.
    assert!(s.contains("\n  lev.moral"), "{s}");
}

#[test]
fn analyze_by_source_type_gives_group_percentages() {
    let out = tanda()
        .args([
            "analyze",
            "--quiet",
            "--by",
            "source_type",
            "--format",
            "csv",
        ])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    let get = |group: &str, cat: &str, field: &str| -> String {
        let row = rows
            .iter()
            .find(|r| r[col(&h, "group")] == group && r[col(&h, "category")] == cat)
            .unwrap_or_else(|| panic!("no row {group}/{cat}"));
        row[col(&h, field)].clone()
    };
    // news: 3 passages, info 0; report: 2 passages, info 1; statute: 1, info 1.
    assert_eq!(get("news", "info", "passages"), "3");
    assert_eq!(get("news", "info", "passages_coded"), "0");
    assert_eq!(get("report", "info", "passages_pct"), "50.00");
    assert_eq!(get("statute", "info", "passages_pct"), "100.00");
    assert_eq!(get("news", "lev.material", "hits"), "2");
    assert_eq!(get("news", "lev", "words"), "20");
    // The whole-corpus rows come first, with empty by/group.
    assert_eq!(rows[0][col(&h, "by")], "");
    assert_eq!(get("", "info", "hits_per_1000_words"), "94.340");
    // Groups are labelled by the field.
    assert!(rows.iter().any(|r| r[col(&h, "by")] == "source_type"));
}

#[test]
fn out_files_trace_every_count_to_its_hits() {
    let dir = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--quiet"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let (ph, prow) = read_csv(&dir.path().join("passages.csv"));
    assert_eq!(
        ph,
        [
            "doc_id",
            "passage_id",
            "unit",
            "source_type",
            "year",
            "language",
            "words",
            "info",
            "lev",
            "lev.moral",
            "lev.material",
            "info:hits",
            "lev:hits",
            "lev.moral:hits",
            "lev.material:hits",
            "matched",
            "text"
        ]
    );
    assert_eq!(prow.len(), 6);
    let c = prow
        .iter()
        .find(|r| r[1] == "statutes/c.txt#p1")
        .expect("passage c#p1");
    assert_eq!(
        c[col(&ph, "text")],
        "Section 1. The ministry shall report each year; the government must publish the data."
    );
    // The category column is the decision; its hits have their own column.
    assert_eq!(c[col(&ph, "info")], "1");
    assert_eq!(c[col(&ph, "info:hits")], "2");
    assert_eq!(c[col(&ph, "lev")], "0");
    assert_eq!(c[col(&ph, "matched")], "report;data");
    assert_eq!(c[col(&ph, "year")], "2003");

    let (hh, hrow) = read_csv(&dir.path().join("hits.csv"));
    assert_eq!(
        hh,
        [
            "doc_id",
            "passage_id",
            "category",
            "entry",
            "matched",
            "start",
            "end",
            "line"
        ]
    );
    assert_eq!(hrow.len(), 9);
    // "Section 1. The ministry shall " is 30 characters; "report" starts on line 1
    // (it was split as "re-"/"port"), "data" on line 3.
    let report = hrow
        .iter()
        .find(|r| r[1] == "statutes/c.txt#p1" && r[4] == "report")
        .expect("hit report");
    assert_eq!(&report[2..], ["info", "report", "report", "30", "36", "1"]);
    let data = hrow
        .iter()
        .find(|r| r[1] == "statutes/c.txt#p1" && r[4] == "data")
        .expect("hit data");
    assert_eq!(data[7], "3");
    let lobbied = hrow
        .iter()
        .find(|r| r[4] == "lobbied")
        .expect("hit lobbied");
    assert_eq!(&lobbied[2..4], ["lev.moral", "lobb*"]);

    // Every leaf count in passages.csv equals its rows in hits.csv, and
    // (threshold 1, no weights) a passage is coded exactly when it has one.
    for p in &prow {
        for cat in ["info", "lev.moral", "lev.material"] {
            let n = hrow.iter().filter(|h| h[1] == p[1] && h[2] == cat).count();
            assert_eq!(
                p[col(&ph, &format!("{cat}:hits"))],
                n.to_string(),
                "{} {cat}",
                p[1]
            );
            assert_eq!(
                p[col(&ph, cat)],
                if n > 0 { "1" } else { "0" },
                "{} {cat}",
                p[1]
            );
        }
    }

    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(run["codebook"]["name"], "Mini");
    assert_eq!(run["codebook"]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(run["counting_policy"]["id"], "tanda-count/2");
    assert_eq!(run["counts"]["passages"], 6);
    assert_eq!(run["counts"]["words"], 53);
    assert_eq!(run["counts"]["hits"], 9);
    assert_eq!(run["corpus"]["documents"].as_array().map(Vec::len), Some(3));
    assert_eq!(run["corpus"]["skipped"][0]["id"], "news/corrupt.txt");
    // No temporary files are left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cooccurrence.csv",
            "documents.csv",
            "frequencies-wide.csv",
            "frequencies.csv",
            "hits.csv",
            "passages.csv",
            "report.html",
            "run.json",
            "tables.xlsx"
        ]
    );
}

#[test]
fn outputs_are_byte_identical_across_runs_and_thread_counts() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        tanda()
            .args([
                "analyze",
                "--quiet",
                "--threads",
                threads,
                "--by",
                "source_type",
            ])
            .arg(&corpus)
            .arg("--out")
            .arg(dir.path())
            .assert()
            .success();
    }
    let mut files: Vec<String> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.len() >= 9, "{files:?}");
    for f in &files {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        assert!(!x.is_empty());
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn strict_makes_a_skipped_document_fatal() {
    tanda()
        .args(["analyze", "--strict"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .assert()
        .code(5)
        .stderr(predicate::str::contains("--strict"))
        .stderr(predicate::str::contains("news/corrupt.txt"));
}

#[test]
fn codebook_check_lists_every_problem_with_position() {
    let f = fixture("typo.toml");
    let out = tanda()
        .args(["codebook", "check"])
        .arg(&f)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    let shown = f.display().to_string();
    let lines: Vec<&str> = s.lines().collect();
    assert!(
        lines[0].starts_with(&format!("{shown}:3:6: warning: category `info` is empty")),
        "{s}"
    );
    assert!(
        lines[1].starts_with(&format!("{shown}:4:1: error: unknown key `entires`")),
        "{s}"
    );
    assert!(lines[1].contains("did you mean `entries`"), "{s}");
    assert!(
        lines[2].starts_with(&format!(
            "{shown}:6:6: error: category `lev.moral` names a parent `lev`"
        )),
        "{s}"
    );
    assert!(
        lines[3].starts_with(&format!("{shown}:7:21: error: entry `*`")),
        "{s}"
    );
    assert_eq!(lines.len(), 5, "{s}");
}

#[test]
fn codebook_check_accepts_the_builtin_file_and_analyze_rejects_a_bad_one() {
    tanda()
        .args(["codebook", "check", "codebooks/tan.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: TAN"));
    tanda()
        .args(["analyze"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("typo.toml"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "typo.toml:4:1: error: unknown key",
        ));
}

#[test]
fn codebook_show_prints_the_tree() {
    tanda()
        .args(["codebook", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("TAN"))
        .stdout(predicate::str::contains("\n  leverage.material — "))
        .stdout(predicate::str::contains("Keck"));
}

#[test]
fn corpus_errors_have_their_exit_codes() {
    tanda()
        .args(["analyze", "no/such/folder"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no/such/folder does not exist"));
    let empty = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze"])
        .arg(empty.path())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no documents found"));
    tanda()
        .args(["analyze", "--by", "colour"])
        .arg(fixture("mini"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown metadata field `colour`"))
        .stderr(predicate::str::contains("source_type"));
    tanda()
        .args(["analyze", "--unit", "chapter"])
        .arg(fixture("mini"))
        .assert()
        .code(2);
}

#[test]
fn sentence_and_document_units() {
    let out = tanda()
        .args([
            "analyze", "--quiet", "--unit", "sentence", "--format", "json",
        ])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    // c.txt "Section 1." does not end a sentence? It does: "1." is followed by
    // "The" — so c.txt has 2 sentences; a.txt 2, b.md 3 (heading + 2): 7.
    assert_eq!(v["run"]["passages"], 7);
    assert_eq!(v["run"]["unit"], "sentence");
    let out = tanda()
        .args([
            "analyze", "--quiet", "--unit", "document", "--format", "json",
        ])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["run"]["passages"], 3);
    // Word counts do not depend on the unit.
    assert_eq!(v["run"]["words"], 53);
}

#[test]
fn markdown_format_is_a_pipe_table() {
    tanda()
        .args(["analyze", "--quiet", "--format", "markdown"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| category | passages | % | docs | hits | per 1k words | % words |",
        ))
        .stdout(predicate::str::contains(
            "| info | 2 | 33.3 | 2 | 5 | 94.34 | 9.43 |",
        ));
}

/// Runs the built-in codebook over the shipped corpus once for the tests below.
fn sample_run() -> (tempfile::TempDir, Vec<String>, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--quiet", "corpus"])
        .arg("--out")
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success();
    let (h, rows) = read_csv(&dir.path().join("passages.csv"));
    (dir, h, rows)
}

#[test]
fn sample_corpus_every_listed_document_is_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (mh, meta) = read_csv(&root.join("metadata.csv"));
    assert!(meta.len() >= 15);
    assert!(meta.iter().all(|r| r[col(&mh, "synthetic")] == "yes"));
    let (dir, h, rows) = sample_run();
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(
        run["corpus"]["documents"].as_array().map(Vec::len),
        Some(meta.len())
    );
    assert_eq!(run["corpus"]["skipped"].as_array().map(Vec::len), Some(0));
    // Metadata from the sheet reaches every passage.
    for m in &meta {
        let p = rows
            .iter()
            .find(|r| r[col(&h, "doc_id")] == m[col(&mh, "path")])
            .unwrap_or_else(|| panic!("no passage of {}", m[0]));
        assert_eq!(p[col(&h, "year")], m[col(&mh, "year")]);
        assert_eq!(p[col(&h, "language")], m[col(&mh, "language")]);
    }
    // The four tactics and the actors are columns, named by their ids.
    for id in [
        "information",
        "symbolic",
        "leverage",
        "leverage.material",
        "accountability",
        "actors",
    ] {
        col(&h, id);
    }
}

#[test]
fn sample_corpus_pdf_shaped_extractions_are_repaired() {
    let (_dir, h, rows) = sample_run();
    let text_of = |doc: &str| -> String {
        rows.iter()
            .filter(|r| r[col(&h, "doc_id")] == doc)
            .map(|r| r[col(&h, "text")].clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let en = text_of("reports/ecpat-2011-monitoring-extract.txt");
    for joined in [
        "organizations",
        "government",
        "monitoring",
        "well-known",
        "child-sensitive",
        "deported rather than prosecuted",
    ] {
        assert!(en.contains(joined), "missing `{joined}` in\n{en}");
    }
    for gone in ["organi-", "govern-", "Country Monitoring Report: Thailand"] {
        assert!(!en.contains(gone), "`{gone}` survived in\n{en}");
    }
    let id = text_of("reports/laporan-2013-pemantauan-extract.txt");
    for joined in [
        "perlindungan",
        "pemegang",
        "anak-anak",
        "referensi-referensi",
        "pelaporan",
    ] {
        assert!(id.contains(joined), "missing `{joined}` in\n{id}");
    }
    assert!(!id.contains('\u{ad}'));
}

#[test]
fn sample_corpus_one_line_paragraphs_stay_paragraphs() {
    // Plain-text documents write each paragraph on one line with a blank
    // line between: every non-empty line is a passage (headings included).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (_dir, h, rows) = sample_run();
    for doc in [
        "news/2004-bali-hotel-kode-etik.md",
        "news/2010-tip-watch-list.txt",
        "statutes/id-2002-ran-eska-kutipan.md",
    ] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        let passages = rows.iter().filter(|r| r[col(&h, "doc_id")] == doc).count();
        assert_eq!(passages, lines, "{doc}");
    }
}

/// The metadata sheet's warnings survive streaming: documents without a row
/// are counted (the first three named), and a row naming no document is
/// reported with its line, while documents it names are recognised.
#[test]
fn sheet_warnings_name_unlisted_documents_and_stray_rows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "listed.txt"] {
        std::fs::write(root.join(name), "The report gives data.\n").unwrap();
    }
    std::fs::write(
        root.join("metadata.csv"),
        "path,year\nlisted.txt,2011\nmissing.txt,2012\n",
    )
    .unwrap();
    tanda()
        .args(["analyze"])
        .arg(root)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "5 document(s) have no row (a.txt, b.txt, c.txt, ...)",
        ))
        .stderr(predicate::str::contains(
            "metadata.csv:3: names `missing.txt`, which is not a document",
        ))
        .stderr(predicate::str::contains("`listed.txt`").not());
}
