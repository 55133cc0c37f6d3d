//! The coding decision in every output, counter-indicators kept apart, and a
//! code corrected in a spreadsheet carried through `tanda report`.
//!
//! Fixture: tests/fixtures/weighted.toml on tests/fixtures/weighted/ (both
//! synthetic). Worked out by hand from the entries' weights:
//!
//! | passage            | words | acc hits (weights)                 | acc counter | acc score | acc coded | info |
//! |--------------------|------:|------------------------------------|------------:|----------:|-----------|------|
//! | news/story.txt#p1  |     9 | violated +2, commitments +1        |           0 |         3 | yes (≥ 1) | —    |
//! | news/story.txt#p2  |    10 | —                                  |           0 |         0 | no        | `data plan` weight 0: 0 counted, 1 counter, not coded |
//! | news/story.txt#p3  |     6 | —                                  |           0 |         0 | no        | survey, data: 2 counted, coded |
//! | statutes/law.txt#p1|     9 | commitments +1 (shall −2, ayat −1) |           2 |        −2 | no        | —    |
//! | statutes/law.txt#p2|     8 | violate +2 (shall −2)              |           1 |         0 | no        | —    |
//!
//! So acc: 4 counted hits (not 7), 3 counter-indicator hits, 1 passage coded;
//! info: 2 counted, 1 counter, 1 coded. Words 42 (story 25, law 17).

use std::path::Path;

mod common;
use common::{fixture, parse_csv, read_csv, tanda};

fn analyze(out: &Path) {
    tanda()
        .args(["analyze", "--quiet"])
        .arg(fixture("weighted"))
        .arg("--codebook")
        .arg(fixture("weighted.toml"))
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

type Table = (Vec<String>, Vec<Vec<String>>);

fn cell(t: &Table, key_col: &str, key: &str, col: &str) -> String {
    let k = t.0.iter().position(|h| h == key_col).expect(key_col);
    let c =
        t.0.iter()
            .position(|h| h == col)
            .unwrap_or_else(|| panic!("no {col} in {:?}", t.0));
    t.1.iter()
        .find(|r| r[k] == key)
        .unwrap_or_else(|| panic!("no row {key}"))[c]
        .clone()
}

fn freq(t: &Table, group: &str, cat: &str, col: &str) -> String {
    let (g, c, v) = (
        t.0.iter().position(|h| h == "group").expect("group"),
        t.0.iter().position(|h| h == "category").expect("category"),
        t.0.iter().position(|h| h == col).expect(col),
    );
    t.1.iter()
        .find(|r| r[g] == group && r[c] == cat)
        .unwrap_or_else(|| panic!("no {group}/{cat}"))[v]
        .clone()
}

#[test]
fn category_columns_hold_decisions_and_hits_exclude_counter_indicators() {
    let dir = tempfile::tempdir().expect("tmp");
    analyze(dir.path());
    let p = read_csv(&dir.path().join("passages.csv"));
    let row = |id: &str, col: &str| cell(&p, "passage_id", id, col);
    // Decision, counted hits, counter-indicators, score (the table above).
    for (id, acc, hits, counter, score) in [
        ("news/story.txt#p1", "1", "2", "0", "3"),
        ("news/story.txt#p2", "0", "0", "0", "0"),
        ("statutes/law.txt#p1", "0", "1", "2", "-2"),
        ("statutes/law.txt#p2", "0", "1", "1", "0"),
    ] {
        assert_eq!(
            [row(id, "acc"), row(id, "acc:hits"), row(id, "acc:counter")],
            [acc, hits, counter],
            "{id}"
        );
        assert_eq!(row(id, "acc:score"), score, "{id}");
    }
    // A counter-indicator alone neither codes nor counts.
    assert_eq!(row("news/story.txt#p2", "info"), "0");
    assert_eq!(row("news/story.txt#p2", "info:counter"), "1");
    assert_eq!(row("news/story.txt#p3", "info"), "1");
    // `matched` lists counted hits only.
    assert_eq!(row("statutes/law.txt#p1", "matched"), "commitments");

    // hits.csv keeps every hit, marked; the counted ones equal `ID:hits`.
    let h = read_csv(&dir.path().join("hits.csv"));
    let hc = |name: &str| h.0.iter().position(|x| x == name).expect(name);
    assert_eq!(h.1.len(), 10, "6 counted + 4 counter-indicators");
    let shall: Vec<&Vec<String>> = h.1.iter().filter(|r| r[hc("matched")] == "shall").collect();
    assert_eq!(shall.len(), 2);
    for r in shall {
        assert_eq!(
            (r[hc("weight")].as_str(), r[hc("counted")].as_str()),
            ("-2", "0")
        );
    }
    for prow in &p.1 {
        let pid = &prow[p.0.iter().position(|x| x == "passage_id").expect("pid")];
        for cat in ["acc", "info"] {
            let n =
                h.1.iter()
                    .filter(|r| &r[hc("passage_id")] == pid && r[hc("category")] == cat)
                    .filter(|r| r[hc("counted")] == "1")
                    .count();
            assert_eq!(
                row(pid, &format!("{cat}:hits")),
                n.to_string(),
                "{pid} {cat}"
            );
        }
    }

    // frequencies.csv: hits and rates count only counted hits.
    let f = read_csv(&dir.path().join("frequencies.csv"));
    assert_eq!(freq(&f, "", "acc", "hits"), "4");
    assert_eq!(freq(&f, "", "acc", "counter_hits"), "3");
    assert_eq!(freq(&f, "", "acc", "passages_coded"), "1");
    // 4 / 42 words × 1000 = 95.238…
    assert_eq!(freq(&f, "", "acc", "hits_per_1000_words"), "95.238");
    assert_eq!(freq(&f, "", "info", "counter_hits"), "1");

    // documents.csv: one row per document, by hand from the table above.
    let d = read_csv(&dir.path().join("documents.csv"));
    let doc = |id: &str, col: &str| cell(&d, "doc_id", id, col);
    assert_eq!(d.1.len(), 2);
    assert_eq!(
        [
            doc("news/story.txt", "words"),
            doc("news/story.txt", "passages"),
            doc("news/story.txt", "acc:passages_coded"),
            doc("news/story.txt", "acc:passages_pct"),
            doc("news/story.txt", "acc:hits"),
            doc("news/story.txt", "acc:hits_per_1000_words"),
        ],
        ["25", "3", "1", "33.33", "2", "80.000"]
    );
    // law: 2 counted hits in 17 words = 117.647 per 1,000; nothing coded.
    assert_eq!(
        doc("statutes/law.txt", "acc:hits_per_1000_words"),
        "117.647"
    );
    assert_eq!(doc("statutes/law.txt", "acc:passages_coded"), "0");
    assert_eq!(doc("statutes/law.txt", "source_type"), "statutes");
}

/// Rewrite one cell of passages.csv, as a researcher correcting a code in a
/// spreadsheet would (through the csv crate, quoting as a spreadsheet does).
fn set_cell(path: &Path, pid: &str, col: &str, value: &str) {
    let (h, mut rows) = read_csv(path);
    let k = h.iter().position(|x| x == "passage_id").expect("pid");
    let c = h.iter().position(|x| x == col).expect(col);
    let row = rows.iter_mut().find(|r| r[k] == pid).expect("row");
    row[c] = value.to_string();
    let mut w = csv::Writer::from_path(path).expect("write");
    w.write_record(&h).expect("header");
    for r in rows {
        w.write_record(&r).expect("row");
    }
    w.flush().expect("flush");
}

#[test]
fn a_code_corrected_in_passages_csv_changes_the_reported_tables() {
    let dir = tempfile::tempdir().expect("tmp");
    let res = dir.path().join("res");
    analyze(&res);
    // The researcher reads law#p2 ("Officials who violate this article shall
    // be removed") and codes it accountability after all.
    set_cell(&res.join("passages.csv"), "statutes/law.txt#p2", "acc", "1");
    let out = dir.path().join("tables");
    let stdout = tanda()
        .arg("report")
        .arg(&res)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(stdout).expect("utf8");
    // acc: 2 of 5 passages coded now (40.0%), hits unchanged (4).
    let acc = s
        .lines()
        .find(|l| l.starts_with("acc "))
        .unwrap_or_else(|| panic!("{s}"));
    assert_eq!(
        acc.split_whitespace().take(5).collect::<Vec<_>>(),
        ["acc", "2", "40.0", "2", "4"],
        "{s}"
    );
    let f = read_csv(&out.join("frequencies.csv"));
    assert_eq!(freq(&f, "", "acc", "passages_coded"), "2");
    assert_eq!(freq(&f, "", "acc", "documents_coded"), "2");
    let d = read_csv(&out.join("documents.csv"));
    assert_eq!(
        cell(&d, "doc_id", "statutes/law.txt", "acc:passages_coded"),
        "1"
    );
    assert_eq!(
        cell(&d, "doc_id", "statutes/law.txt", "acc:passages_pct"),
        "50.00"
    );

    // A value that is not a decision is refused with its line and column:
    // rows are in file order, news/story.txt#p1..p3 on lines 2-4, law#p1 on 5.
    set_cell(&res.join("passages.csv"), "statutes/law.txt#p1", "acc", "2");
    tanda()
        .arg("report")
        .arg(&res)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "line 5, column `acc`: `2` is not a coding decision",
        ));
}

#[test]
fn explain_shows_the_score_that_decided() {
    tanda()
        .arg("explain")
        .arg(fixture("weighted"))
        .arg("statutes/law.txt#p1")
        .arg("--codebook")
        .arg(fixture("weighted.toml"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "acc: 3 hits (2 counter-indicators), score −2 < min_score 1 → not coded",
        ))
        .stdout(predicates::str::contains(
            "−2  shall  `shall`  counter-indicator (weight −2)",
        ))
        .stdout(predicates::str::contains("[shall]{acc: counter-indicator}"));
}

#[test]
fn exported_codings_never_include_counter_indicators() {
    let dir = tempfile::tempdir().expect("tmp");
    let res = dir.path().join("res");
    analyze(&res);
    for codings in ["passages", "hits"] {
        let project = dir.path().join(format!("{codings}.qdpx"));
        let mut export = tanda();
        export.arg("export-qdpx").arg(&res).arg("-o").arg(&project);
        if codings == "hits" {
            export.args(["--codings", "hits"]);
        }
        export.assert().success();
        let sheet = dir.path().join(format!("{codings}.csv"));
        tanda()
            .arg("import-qdpx")
            .arg(&project)
            .arg("-o")
            .arg(&sheet)
            .assert()
            .success();
        let t = read_csv(&sheet);
        let acc = |pid: &str| cell(&t, "passage_id", pid, "acc");
        // law#p1 has one counted hit (commitments) but is not coded; its
        // counter-indicators are never codings.
        let law1 = if codings == "hits" { "1" } else { "0" };
        assert_eq!(acc("statutes/law.txt#p1"), law1, "{codings}");
        assert_eq!(acc("news/story.txt#p1"), "1", "{codings}");
        // story#p2 holds only the weight-0 `data plan`: no info coding.
        assert_eq!(
            cell(&t, "passage_id", "news/story.txt#p2", "info"),
            "0",
            "{codings}"
        );
    }
}

#[test]
fn the_missing_group_is_shown_but_left_out_of_the_tests() {
    let dir = tempfile::tempdir().expect("tmp");
    let c = dir.path();
    // Three synthetic documents; region is missing for the third.
    for (name, text) in [
        (
            "a.txt",
            "The survey data show many cases.\n\nNothing here.\n",
        ),
        ("b.txt", "Nothing here.\n\nNor here.\n"),
        ("c.txt", "The data were shared.\n\nNothing.\n"),
    ] {
        std::fs::write(c.join(name), text).expect("write");
    }
    std::fs::write(
        c.join("metadata.csv"),
        "path,region\na.txt,north\nb.txt,south\nc.txt,\n",
    )
    .expect("write");
    let out = tanda()
        .args(["analyze", "--quiet", "--by", "region", "--format", "json"])
        .arg(c)
        .arg("--codebook")
        .arg(fixture("weighted.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let info = v["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .find(|t| t["category"] == "info")
        .expect("info test");
    assert_eq!(info["left_out"], serde_json::json!(["(missing)"]));
    // north: 1 of 2 passages coded, south 0 of 2: a 2 × 2 table (df 1);
    // with (missing) it would be 2 × 3. Pearson's χ² by hand: expected
    // coded 0.5 and 0.5, not coded 1.5 and 1.5, so χ² = 2·(0.5²/0.5) +
    // 2·(0.5²/1.5) = 1.333….
    assert_eq!(info["pearson"]["df"], 1);
    let chi2 = info["pearson"]["chi2"].as_f64().expect("chi2");
    assert!((chi2 - 4.0 / 3.0).abs() < 1e-9, "{chi2}");
    // The (missing) group is still a column of the table, and the note says why
    // it has no part in the test.
    let text = tanda()
        .args(["analyze", "--quiet", "--by", "region"])
        .arg(c)
        .arg("--codebook")
        .arg(fixture("weighted.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).expect("utf8");
    assert!(text.contains("(missing) (n=2)"), "{text}");
    assert!(
        text.replace('\n', " ")
            .contains("the (missing) group is shown but left out of the tests"),
        "{text}"
    );
}

#[test]
fn analyze_help_names_every_file_it_writes() {
    let dir = tempfile::tempdir().expect("tmp");
    tanda()
        .args(["analyze", "--quiet", "--by", "source_type"])
        .arg(fixture("weighted"))
        .arg("--codebook")
        .arg(fixture("weighted.toml"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let help = tanda()
        .args(["analyze", "--help"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(help).expect("utf8");
    let mut written = 0;
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            help.contains(&format!("  {name} ")),
            "{name} not in analyze --help"
        );
        written += 1;
    }
    assert_eq!(written, 10, "the files of a grouped run");
    for ext in [
        ".txt",
        ".md",
        ".pdf",
        ".docx",
        ".html",
        ".odt",
        "metadata.csv",
    ] {
        assert!(help.contains(ext), "{ext}");
    }
}

#[test]
fn kwic_shows_weight_score_and_decision_and_can_hide_counter_indicators() {
    let run = |extra: &[&str]| -> Table {
        let out = tanda()
            .args(["kwic", "--quiet", "--category", "acc", "--format", "csv"])
            .args(extra)
            .arg(fixture("weighted"))
            .arg("--codebook")
            .arg(fixture("weighted.toml"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        parse_csv(&out)
    };
    let all = run(&[]);
    let c = |name: &str| all.0.iter().position(|h| h == name).expect(name);
    // 4 counted acc hits and 3 counter-indicators (the table at the top).
    assert_eq!(all.1.len(), 7);
    let ayat = all
        .1
        .iter()
        .find(|r| r[c("keyword")] == "ayat")
        .expect("ayat");
    // law#p1: commitments +1, shall −2, ayat −1: score −2, not coded.
    assert_eq!(
        [&ayat[c("weight")], &ayat[c("score")], &ayat[c("coded")]],
        ["-1", "-2", "0"]
    );
    let counted = run(&["--counted-only"]);
    assert_eq!(counted.1.len(), 4);
}
