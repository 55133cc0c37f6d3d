//! A results folder is one unit (issue 19, item 5) and `report` checks what
//! it reads (item 6): real runs of the binary on a corpus made here.
//!
//! The corpus by hand: a.txt has two paragraphs, b.txt one, so a run at the
//! default unit (paragraph) has 2 documents and 3 passages.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{fixture, tanda};

/// Exit codes, as README.md's "Exit codes" lists them.
const EXIT_USAGE: i32 = 2;
const EXIT_INPUT: i32 = 4;
const EXIT_OUT: i32 = 8;

fn corpus(root: &Path) -> PathBuf {
    let c = root.join("corpus");
    fs::create_dir_all(&c).unwrap();
    fs::write(
        c.join("a.txt"),
        "The report gives data from a survey of 40 hotels.\n\nNGOs lobbied the ministry and kept up the pressure.\n",
    )
    .unwrap();
    fs::write(c.join("b.txt"), "Tourism revenue fell sharply that year.\n").unwrap();
    fs::write(c.join("metadata.csv"), "path,group\na.txt,x\nb.txt,y\n").unwrap();
    c
}

fn analyze(corpus: &Path, out: &Path) -> assert_cmd::Command {
    let mut c = tanda();
    c.arg("analyze")
        .arg(corpus)
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .arg("--out")
        .arg(out);
    c
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every file of a folder with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    names(dir)
        .into_iter()
        .map(|n| {
            let b = fs::read(dir.join(&n)).unwrap();
            (n, b)
        })
        .collect()
}

/// Run `cmd`, check that it exits with `code`, and give its output (to read stderr).
fn fails(cmd: &mut assert_cmd::Command, code: i32) -> std::process::Output {
    cmd.assert().code(code).get_output().clone()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("run.json")).unwrap()).unwrap()
}

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn a_rerun_leaves_no_file_of_the_earlier_run() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).args(["--by", "group"]).assert().success();
    for f in ["report.html", "tables.xlsx", "crosstab-tests.csv"] {
        assert!(res.join(f).is_file(), "the first run writes {f}");
    }
    analyze(&c, &res).arg("--csv-only").assert().success();
    for f in ["report.html", "tables.xlsx", "crosstab-tests.csv"] {
        assert!(!res.join(f).exists(), "{f} of the earlier run is left");
    }
    // What is there is exactly what this run says it wrote.
    let run = run_json(&res);
    let mut listed: Vec<String> = serde_json::from_value(run["files"].clone()).unwrap();
    listed.sort();
    assert_eq!(names(&res), listed);
    assert_eq!(run["counts"]["documents"], 2);
    assert_eq!(run["counts"]["passages"], 3);
    // And nothing beside it: no staged or old folder, no lock.
    assert_eq!(names(t.path()), ["corpus", "res"]);
}

#[test]
fn run_json_records_the_checksum_of_each_file() {
    use sha2::Digest;
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let run = run_json(&res);
    let outputs = run["outputs"].as_object().unwrap();
    let mut files: Vec<&String> = outputs.keys().collect();
    files.sort();
    let mut expected: Vec<String> = names(&res);
    expected.retain(|n| n != "run.json");
    assert_eq!(files, expected.iter().collect::<Vec<_>>());
    for (name, hash) in outputs {
        let digest = sha2::Sha256::digest(fs::read(res.join(name)).unwrap());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hash, &hex, "{name}");
    }
}

#[test]
fn an_edited_passages_csv_is_refused_and_force_replaces_it() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let written = fs::read(res.join("passages.csv")).unwrap();
    // A code corrected by hand: one decision cell changed.
    let text = String::from_utf8(written.clone()).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = lines[1].replacen(",1,", ",0,", 1);
    assert_ne!(
        lines[1],
        text.lines().nth(1).unwrap(),
        "a decision was changed"
    );
    let edited = format!("{}\n", lines.join("\n"));
    fs::write(res.join("passages.csv"), &edited).unwrap();

    let out = fails(&mut analyze(&c, &res), EXIT_OUT);
    let msg = stderr(&out);
    assert!(
        msg.contains("passages.csv (changed since tanda wrote it)"),
        "{msg}"
    );
    assert!(msg.contains("--force"), "{msg}");
    assert_eq!(
        fs::read_to_string(res.join("passages.csv")).unwrap(),
        edited
    );

    // The README's workflow still works on the corrected folder.
    let rep = tanda()
        .arg("report")
        .arg(&res)
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(stderr(&rep).contains("passages.csv was changed since tanda wrote it"));

    analyze(&c, &res).arg("--force").assert().success();
    assert_eq!(fs::read(res.join("passages.csv")).unwrap(), written);
}

#[test]
fn a_file_tanda_did_not_write_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    fs::write(res.join("notes.txt"), "my notes").unwrap();
    let before = contents(&res);
    let out = fails(&mut analyze(&c, &res), EXIT_OUT);
    assert!(stderr(&out).contains("notes.txt (not written by tanda)"));
    assert_eq!(contents(&res), before);

    // A folder of the user's, never written by tanda.
    let mine = t.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("thesis.docx"), "chapter 1").unwrap();
    let out = fails(&mut analyze(&c, &mine), EXIT_OUT);
    assert!(stderr(&out).contains("thesis.docx (not written by tanda)"));
    assert_eq!(names(&mine), ["thesis.docx"]);
}

#[test]
fn out_inside_the_corpus_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let out = fails(&mut analyze(&c, &c.join("results")), EXIT_OUT);
    assert!(
        stderr(&out).contains("inside the corpus"),
        "{}",
        stderr(&out)
    );
    assert_eq!(names(&c), ["a.txt", "b.txt", "metadata.csv"]);
    // Nor may --out hold the corpus (replacing it would remove it).
    analyze(&c, t.path()).assert().code(EXIT_OUT);
    assert!(c.join("a.txt").is_file());
}

#[test]
fn a_results_folder_inside_a_corpus_is_not_read() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    // Moved in by hand: its report.html and CSV files are no documents.
    fs::rename(&res, c.join("old-results")).unwrap();
    let res2 = t.path().join("res2");
    let out = analyze(&c, &res2).assert().success().get_output().clone();
    assert!(
        stderr(&out).contains("a folder tanda wrote"),
        "{}",
        stderr(&out)
    );
    let run = run_json(&res2);
    assert_eq!(run["counts"]["documents"], 2);
    assert_eq!(run["counts"]["passages"], 3);
    // Given as the corpus itself, it is refused.
    let out = fails(
        &mut analyze(&c.join("old-results"), &t.path().join("res3")),
        EXIT_INPUT,
    );
    assert!(stderr(&out).contains("not a corpus"), "{}", stderr(&out));
}

#[test]
fn a_stale_lock_is_taken_over_with_a_note() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    let pid = dead_pid();
    fs::write(t.path().join("res.tanda-lock"), format!("{pid}\n")).unwrap();
    let out = analyze(&c, &res).assert().success().get_output().clone();
    let msg = stderr(&out);
    assert!(
        msg.contains("took over the lock") && msg.contains(&format!("process {pid}")),
        "{msg}"
    );
    assert_eq!(names(t.path()), ["corpus", "res"]);
}

#[test]
fn leftovers_of_an_interrupted_run_are_swept() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let pid = dead_pid();
    // What a kill -9 leaves: a staged folder and an old one (both of a
    // process that is gone), and the lock file.
    let tmp = t.path().join(format!("res.tanda-tmp-{pid}-0"));
    fs::create_dir(&tmp).unwrap();
    fs::write(tmp.join("passages.csv"), "doc_id,passage_id\n").unwrap();
    let old = t.path().join(format!("res.tanda-old-{pid}-1"));
    fs::create_dir(&old).unwrap();
    fs::write(old.join("run.json"), "{}").unwrap();
    fs::write(t.path().join("res.tanda-lock"), format!("{pid}\n")).unwrap();
    let out = analyze(&c, &res).assert().success().get_output().clone();
    assert!(
        stderr(&out).contains("removed 2 temporary folder(s)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(names(t.path()), ["corpus", "res"]);
}

/// A kill between the two renames of a swap (where the system cannot
/// exchange folders in one step) leaves DIR moved aside: the next run puts
/// it back, so DIR is the old run whole even when that run then fails.
#[test]
fn an_interrupted_swap_is_undone_and_a_failed_run_leaves_the_old_one() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let before = contents(&res);
    let pid = dead_pid();
    fs::rename(&res, t.path().join(format!("res.tanda-old-{pid}-0"))).unwrap();
    let tmp = t.path().join(format!("res.tanda-tmp-{pid}-1"));
    fs::create_dir(&tmp).unwrap();
    fs::write(tmp.join("hits.csv"), "half a file").unwrap();
    // A run that fails after taking the folder: an unknown --by field.
    let out = fails(analyze(&c, &res).args(["--by", "nosuchfield"]), EXIT_USAGE);
    assert!(stderr(&out).contains("put back the previous results"));
    assert_eq!(contents(&res), before);
    assert_eq!(names(t.path()), ["corpus", "res"]);
}

/// A run that fails after writing part of its files (--strict and a
/// skipped document) leaves DIR exactly as it was.
#[test]
fn a_failed_run_leaves_the_folder_untouched() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let before = contents(&res);
    fs::write(c.join("z.txt"), [0u8, 159, 146, 150, 0, 0, 1, 2]).unwrap();
    analyze(&c, &res).arg("--strict").assert().code(5);
    assert_eq!(contents(&res), before);
    assert_eq!(names(t.path()), ["corpus", "res"]);
}

#[cfg(unix)]
mod held {
    use super::*;
    use std::time::{Duration, Instant};

    /// Wait for a condition another process brings about (not a timing
    /// assertion: the deadline only stops a broken run from hanging).
    fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !cond() {
            assert!(Instant::now() < deadline, "gave up waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A run held after it took the folder: its codebook is a FIFO nobody
    /// writes to, so it waits in the read.
    /// The held run, killed if a test fails before it ends.
    struct Held(std::process::Child);

    impl Drop for Held {
        fn drop(&mut self) {
            if self.0.try_wait().ok().flatten().is_none() {
                let _ = self.0.kill();
                let _ = self.0.wait();
            }
        }
    }

    fn held_run(c: &Path, res: &Path, fifo: &Path) -> Held {
        let ok = std::process::Command::new("mkfifo")
            .arg(fifo)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mkfifo");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tanda"))
            .arg("analyze")
            .arg(c)
            .arg("--codebook")
            .arg(fifo)
            .arg("--out")
            .arg(res)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let child = Held(child);
        let lock = res.with_file_name("res.tanda-lock");
        let pid = child.0.id().to_string();
        wait_for("the lock", || {
            fs::read_to_string(&lock).is_ok_and(|s| s.trim() == pid)
        });
        let parent = res.parent().unwrap().to_path_buf();
        wait_for("the staged folder", || {
            names(&parent)
                .iter()
                .any(|n| n.starts_with(&format!("res.tanda-tmp-{pid}-")))
        });
        child
    }

    fn signal(child: &Held, sig: &str) {
        let ok = std::process::Command::new("kill")
            .args([sig, &child.0.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    #[test]
    fn a_second_run_into_a_held_folder_fails_naming_the_first() {
        let t = tempfile::tempdir().unwrap();
        let c = corpus(t.path());
        let res = t.path().join("res");
        analyze(&c, &res).assert().success();
        let before = contents(&res);
        let other = t.path().join("other");
        analyze(&c, &other).assert().success();
        let mut first = held_run(&c, &res, &t.path().join("cb.fifo"));
        let out = fails(&mut analyze(&c, &res), EXIT_OUT);
        let msg = stderr(&out);
        assert!(
            msg.contains(&format!(
                "is being written by another tanda run (process {};",
                first.0.id()
            )),
            "{msg}"
        );
        // `report --out` into it is refused the same way.
        let out = fails(
            tanda().arg("report").arg(&other).arg("--out").arg(&res),
            EXIT_OUT,
        );
        assert!(
            stderr(&out).contains("another tanda run"),
            "{}",
            stderr(&out)
        );
        signal(&first, "-TERM");
        let status = first.0.wait().unwrap();
        assert_eq!(status.code(), Some(130));
        // The staged folder and the lock are gone; DIR is the old run.
        assert_eq!(names(t.path()), ["cb.fifo", "corpus", "other", "res"]);
        assert_eq!(contents(&res), before);
    }

    #[test]
    fn an_interrupted_first_run_leaves_nothing() {
        let t = tempfile::tempdir().unwrap();
        let c = corpus(t.path());
        let res = t.path().join("res");
        let mut first = held_run(&c, &res, &t.path().join("cb.fifo"));
        signal(&first, "-INT");
        assert_eq!(first.0.wait().unwrap().code(), Some(130));
        assert_eq!(names(t.path()), ["cb.fifo", "corpus"]);
    }
}

// ---- report ----

#[test]
fn report_refuses_a_cut_passages_csv() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let text = fs::read_to_string(res.join("passages.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "a header and 3 passages");
    // Cut at a row boundary: the last passage is gone.
    fs::write(
        res.join("passages.csv"),
        format!("{}\n", lines[..3].join("\n")),
    )
    .unwrap();
    let out = fails(tanda().arg("report").arg(&res), EXIT_INPUT);
    let msg = stderr(&out);
    assert!(msg.contains("passages.csv"), "{msg}");
    assert!(
        msg.contains("has 2 passage rows where run.json records 3"),
        "{msg}"
    );
}

#[test]
fn report_refuses_a_passages_csv_of_another_run() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    // Another corpus with as many passages: a.txt's two paragraphs in one
    // file named otherwise, and b.txt.
    let other = t.path().join("other");
    fs::create_dir(&other).unwrap();
    fs::copy(c.join("a.txt"), other.join("x.txt")).unwrap();
    fs::copy(c.join("b.txt"), other.join("b.txt")).unwrap();
    let res2 = t.path().join("res2");
    analyze(&other, &res2).assert().success();
    fs::copy(res2.join("passages.csv"), res.join("passages.csv")).unwrap();
    let out = fails(tanda().arg("report").arg(&res), EXIT_INPUT);
    let msg = stderr(&out);
    assert!(
        msg.contains("passages.csv") && msg.contains("x.txt, which run.json does not list"),
        "{msg}"
    );
}

#[test]
fn report_refuses_the_same_results_twice() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let out = fails(tanda().arg("report").arg(&res).arg(&res), EXIT_INPUT);
    assert!(stderr(&out).contains("given twice"), "{}", stderr(&out));
    // Spelled differently.
    tanda()
        .current_dir(t.path())
        .args(["report", "res", "./res/"])
        .assert()
        .code(EXIT_INPUT);
    // A copy holds the same passages.
    let copy = t.path().join("copy");
    fs::create_dir(&copy).unwrap();
    for n in names(&res) {
        fs::copy(res.join(&n), copy.join(&n)).unwrap();
    }
    let out = fails(tanda().arg("report").arg(&res).arg(&copy), EXIT_INPUT);
    assert!(
        stderr(&out).contains("holds the same passages"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn report_refuses_counts_beyond_u32() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    // JSON lines of `tanda code`, then one count made too large.
    let docs = t.path().join("docs.jsonl");
    fs::write(
        &docs,
        "{\"id\":\"a\",\"text\":\"The report gives data from a survey.\"}\n",
    )
    .unwrap();
    let coded = tanda()
        .args(["code", "--jsonl", "--codebook"])
        .arg(fixture("mini.toml"))
        .arg(&docs)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut line: serde_json::Value =
        serde_json::from_slice(coded.split(|&b| b == b'\n').next().unwrap()).unwrap();
    for (big, shown) in [
        (serde_json::json!(4294967296u64), "4294967296"),
        (serde_json::json!(1e12), "1000000000000"),
    ] {
        line["counts"]["info"] = big;
        let f = t.path().join("big.jsonl");
        fs::write(&f, format!("{line}\n")).unwrap();
        let out = fails(
            tanda()
                .arg("report")
                .arg(&f)
                .arg("--codebook")
                .arg(fixture("mini.toml")),
            EXIT_INPUT,
        );
        let msg = stderr(&out);
        assert!(
            msg.contains(&format!("`{shown}` in `counts.info` is not a count")),
            "{msg}"
        );
    }
    // In passages.csv too.
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let text = fs::read_to_string(res.join("passages.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "info:hits").unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    cells[col] = "4294967296".into();
    lines[1] = cells.join(",");
    fs::write(res.join("passages.csv"), format!("{}\n", lines.join("\n"))).unwrap();
    let out = fails(tanda().arg("report").arg(&res), EXIT_INPUT);
    assert!(
        stderr(&out).contains("`4294967296` in column `info:hits` is not a count"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn report_out_is_one_unit_too() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(t.path());
    let res = t.path().join("res");
    analyze(&c, &res).assert().success();
    let tables = t.path().join("tables");
    tanda()
        .arg("report")
        .arg(&res)
        .args(["--by", "group", "--out"])
        .arg(&tables)
        .assert()
        .success();
    assert!(tables.join("crosstab-tests.csv").is_file());
    assert!(tables.join("report.json").is_file());
    tanda()
        .arg("report")
        .arg(&res)
        .arg("--out")
        .arg(&tables)
        .assert()
        .success();
    assert!(!tables.join("crosstab-tests.csv").exists());
    // Into the results folder it reads: refused (it would be replaced).
    tanda()
        .arg("report")
        .arg(&res)
        .arg("--out")
        .arg(&res)
        .assert()
        .code(EXIT_OUT);
    assert!(res.join("passages.csv").is_file());
    assert_eq!(names(t.path()), ["corpus", "res", "tables"]);
}
