//! The re-coding loop end to end: diff, codebook diff, sample, agree, watch.
//! Expected figures are worked out by hand in the comments.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

mod common;
use common::{fixture, tanda};
use predicates::prelude::*;

/// `mini.toml` without `lobb*` and `pressure`: reports/a.txt#p2 ("NGOs
/// lobbied the ministry and kept up the pressure.") loses lev.moral and so
/// lev; nothing else changes.
fn edited_codebook(dir: &Path) -> PathBuf {
    let src = std::fs::read_to_string(fixture("mini.toml")).unwrap();
    let edited = src.replace(
        r#"entries = ["lobb*", "melobi", "pressure"]"#,
        r#"entries = ["melobi"]"#,
    );
    assert_ne!(src, edited);
    let p = dir.join("edited.toml");
    std::fs::write(&p, edited).unwrap();
    p
}

fn analyze_to(dir: &Path, codebook: &Path) {
    tanda()
        .args(["analyze", "--quiet"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(codebook)
        .arg("--out")
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn diff_of_results_folders_names_categories_entries_and_passages() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    analyze_to(&old, &fixture("mini.toml"));
    analyze_to(&new, &edited_codebook(tmp.path()));
    let out = tanda()
        .args(["diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .assert()
        .code(6)
        .get_output()
        .stdout
        .clone();
    let d: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let cat = |id: &str| {
        d["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (cat("lev")["before"].as_u64(), cat("lev")["after"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (
            cat("lev.moral")["before"].as_u64(),
            cat("lev.moral")["after"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(
        cat("info")["gained"].as_u64().unwrap() + cat("info")["lost"].as_u64().unwrap(),
        0
    );
    let entries: Vec<(String, u64, u64)> = d["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["entry"].as_str().unwrap().to_string(),
                e["hits_before"].as_u64().unwrap(),
                e["hits_after"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![("lobb*".to_string(), 1, 0), ("pressure".to_string(), 1, 0)]
    );
    let lost: Vec<(&str, &str)> = d["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["category"].as_str().unwrap(),
                p["passage_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lost,
        vec![
            ("lev", "reports/a.txt#p2"),
            ("lev.moral", "reports/a.txt#p2")
        ]
    );
    assert_eq!(
        d["passages"][1]["context"],
        "NGOs [lobbied] the ministry and kept up the"
    );
    // The same folder against itself: nothing changed, exit 0.
    tanda()
        .arg("diff")
        .arg(&old)
        .arg(&old)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no differences"));
}

#[test]
fn diff_of_two_codebooks_codes_the_corpus_once_each() {
    let tmp = tempfile::tempdir().unwrap();
    tanda()
        .arg("diff")
        .arg(fixture("mini.toml"))
        .arg(edited_codebook(tmp.path()))
        .arg("--corpus")
        .arg(fixture("mini"))
        .arg("--quiet")
        .assert()
        .code(6)
        .stdout(predicate::str::contains(
            "- lev.moral  reports/a.txt#p2  (lobb*, pressure)",
        ))
        .stdout(predicate::str::contains("NGOs [lobbied] the ministry"));
    tanda()
        .arg("diff")
        .arg(fixture("mini.toml"))
        .arg(fixture("mini.toml"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("--corpus"));
}

#[test]
fn codebook_diff_is_structural() {
    let tmp = tempfile::tempdir().unwrap();
    tanda()
        .args(["codebook", "diff"])
        .arg(fixture("mini.toml"))
        .arg(edited_codebook(tmp.path()))
        .assert()
        .code(6)
        .stdout(predicate::str::contains(
            "  lev.moral\n    - lobb*\n    - pressure\n",
        ));
    tanda()
        .args(["codebook", "diff"])
        .arg(fixture("mini.toml"))
        .arg(fixture("mini.toml"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no differences"));
}

#[test]
fn sample_is_reproducible_stratified_and_can_be_blind() {
    let tmp = tempfile::tempdir().unwrap();
    let res = tmp.path().join("res");
    analyze_to(&res, &fixture("mini.toml"));
    let draw = |name: &str, extra: &[&str]| -> Vec<csv::StringRecord> {
        let out = tmp.path().join(name);
        tanda()
            .arg("sample")
            .arg(&res)
            .args(["-n", "4", "--seed", "7"])
            .args(extra)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let mut r = csv::Reader::from_path(&out).unwrap();
        let mut rows = vec![r.headers().unwrap().clone()];
        rows.extend(r.records().map(Result::unwrap));
        rows
    };
    let a = draw("a.csv", &[]);
    let b = draw("b.csv", &[]);
    assert_eq!(a, b);
    assert_eq!(a.len(), 5);
    assert!(a[0].iter().any(|h| h == "auto:info"));
    // Stratified by category: round-robin over info, lev, lev.moral,
    // lev.material, (none) gives at least one passage coded info, one coded
    // lev and one coded for nothing.
    let s = draw("s.csv", &["--stratify", "category"]);
    let h = &s[0];
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert!(s[1..].iter().any(|r| &r[col("auto:info")] == "1"));
    assert!(s[1..].iter().any(|r| &r[col("auto:lev")] == "1"));
    assert!(s[1..].iter().any(|r| {
        ["info", "lev", "lev.moral", "lev.material"]
            .iter()
            .all(|c| &r[col(&format!("auto:{c}"))] == "0")
    }));
    let blind = draw("blind.csv", &["--blind"]);
    assert!(!blind[0].iter().any(|x| x.starts_with("auto:")));
    // The human columns are there and empty.
    assert!(
        blind[1..]
            .iter()
            .all(|r| r[blind[0].iter().position(|x| x == "info").unwrap()].is_empty())
    );
}

#[test]
fn agree_scores_a_results_folder_against_a_human_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    let res = tmp.path().join("res");
    analyze_to(&res, &fixture("mini.toml"));
    // tanda codes info on a#p1 and c#p1, lev on a#p2 and b#p2. The human:
    // info on a#p1 only (c#p1 is a statute saying the ministry shall report:
    // the human says no), lev on a#p2 and b#p2 and also b#p3.
    let human = tmp.path().join("human.csv");
    std::fs::write(
        &human,
        "passage_id,info,lev\nreports/a.txt#p1,1,0\nreports/a.txt#p2,0,1\nnews/b.md#p1,0,0\nnews/b.md#p2,0,1\nnews/b.md#p3,0,1\nstatutes/c.txt#p1,0,0\n",
    )
    .unwrap();
    let out = tanda()
        .arg("agree")
        .arg(&human)
        .arg(&res)
        .args(["--reference", "human", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let row = |c: &str| {
        v["agreement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["category"] == c)
            .unwrap()
            .clone()
    };
    let prf = |c: &str| {
        v["against_reference"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["category"] == c)
            .unwrap()
            .clone()
    };
    // info: 6 units, 5 agree; tanda tp 1 fp 1 fn 0 → precision .5, recall 1.
    assert_eq!(row("info")["units"], 6);
    assert!((row("info")["percent_agreement"].as_f64().unwrap() - 500.0 / 6.0).abs() < 1e-9);
    assert_eq!(
        (
            prf("info")["tp"].as_u64(),
            prf("info")["fp"].as_u64(),
            prf("info")["fn_"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(prf("info")["precision"], 0.5);
    assert_eq!(prf("info")["recall"], 1.0);
    // lev: tp 2, fn 1 (b#p3) → recall 2/3, precision 1.
    assert_eq!(prf("lev")["precision"], 1.0);
    assert!((prf("lev")["recall"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    // Cohen's kappa for info by hand: po = 5/6; human 1/6 positive, tanda
    // 2/6 → pe = (1/6)(2/6) + (5/6)(4/6) = 22/36; kappa = (30/36 - 22/36) / (14/36) = 8/14.
    assert!((row("info")["kappa"].as_f64().unwrap() - 8.0 / 14.0).abs() < 1e-12);
}

#[test]
fn watch_recodes_after_a_codebook_edit_from_cached_text() {
    let tmp = tempfile::tempdir().unwrap();
    let cb = tmp.path().join("cb.toml");
    std::fs::copy(fixture("mini.toml"), &cb).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tanda"))
        .args(["analyze", "--quiet", "--watch"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(&cb)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |what: &str| -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(l) = rx.recv_timeout(Duration::from_millis(200)) {
                let done = l.contains(what);
                seen.push(l);
                if done {
                    return seen;
                }
            }
        }
        panic!("no `{what}` within 20 s; saw {seen:#?}");
    };
    let first = wait_for("Watching for changes");
    assert!(
        first
            .iter()
            .any(|l| l.contains("4 of 4 files read from disk"))
    );
    // Let the file time move on, then edit the codebook.
    std::thread::sleep(Duration::from_millis(1100));
    let src = std::fs::read_to_string(&cb).unwrap();
    std::fs::write(
        &cb,
        src.replace(
            r#"entries = ["lobb*", "melobi", "pressure"]"#,
            r#"entries = ["melobi"]"#,
        ),
    )
    .unwrap();
    let second = wait_for("Watching for changes");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        second.iter().any(|l| l.trim() == "lev.moral 1 → 0 (-1)"),
        "{second:#?}"
    );
    assert!(
        second
            .iter()
            .any(|l| l.contains("0 of 4 files read from disk")),
        "{second:#?}"
    );
}

#[test]
fn qdpx_round_trip_gives_back_the_coding() {
    let tmp = tempfile::tempdir().unwrap();
    let res = tmp.path().join("res");
    analyze_to(&res, &fixture("mini.toml"));
    let project = tmp.path().join("p.qdpx");
    tanda()
        .arg("export-qdpx")
        .arg(&res)
        .arg("-o")
        .arg(&project)
        .assert()
        .success();
    // A zip with the project and one text per source.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&project).unwrap()).unwrap();
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(names[0], "project.qde");
    let sheet = tmp.path().join("human.csv");
    tanda()
        .arg("import-qdpx")
        .arg(&project)
        .arg("-o")
        .arg(&sheet)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(&sheet).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        h,
        ["passage_id", "info", "lev", "lev.moral", "lev.material"]
    );
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    // By hand (see tests/cli.rs): info on a#p1 and c#p1; lev on a#p2 and b#p2.
    let coded = |cat: usize| -> Vec<&str> {
        rows.iter()
            .filter(|r| r[cat] == "1")
            .map(|r| r[0].as_str())
            .collect()
    };
    assert_eq!(coded(1), ["reports/a.txt#p1", "statutes/c.txt#p1"]);
    assert_eq!(coded(2), ["news/b.md#p2", "reports/a.txt#p2"]);
    assert_eq!(rows.len(), 6);
    // The same project exported twice is byte-identical.
    let again = tmp.path().join("q.qdpx");
    tanda()
        .arg("export-qdpx")
        .arg(&res)
        .arg("-o")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&project).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn diff_of_a_real_edit_to_the_builtin_codebook() {
    // Remove `recommend*` from leverage.moral. The passages that must lose
    // leverage.moral are exactly those whose only leverage.moral hits came
    // from that entry — worked out here from the original run's hits.csv,
    // independently of the diff code.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(root.join("codebooks/tan.toml")).unwrap();
    let edited = src.replacen(r#" "recommend*","#, "", 1);
    assert_ne!(
        src, edited,
        "the built-in codebook no longer has `recommend*`"
    );
    let cb = tmp.path().join("edited.toml");
    std::fs::write(&cb, edited).unwrap();
    let orig = tmp.path().join("orig");
    tanda()
        .args(["analyze", "--quiet", "corpus", "--out"])
        .arg(&orig)
        .current_dir(root)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(orig.join("hits.csv")).unwrap();
    let mut by_passage: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[2] == "leverage.moral" {
            by_passage
                .entry(rec[1].to_string())
                .or_default()
                .push(rec[3].to_string());
        }
    }
    let expected: Vec<String> = by_passage
        .iter()
        .filter(|(_, entries)| entries.iter().all(|e| e == "recommend*"))
        .map(|(p, _)| p.clone())
        .collect();
    assert!(!expected.is_empty());
    let out = tanda()
        .args(["diff", "--quiet", "--format", "json", "codebooks/tan.toml"])
        .arg(&cb)
        .args(["--corpus", "corpus"])
        .current_dir(root)
        .assert()
        .code(6)
        .get_output()
        .stdout
        .clone();
    let d: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let mut lost: Vec<String> = d["passages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["category"] == "leverage.moral")
        .map(|p| {
            assert_eq!(p["change"], "lost");
            p["passage_id"].as_str().unwrap().to_string()
        })
        .collect();
    lost.sort();
    assert_eq!(lost, expected);
    let e = d["entries"].as_array().unwrap();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0]["entry"], "recommend*");
    assert_eq!(e[0]["hits_after"], 0);
}
