//! Inputs read as what they are: a UTF-8 file with a few stray bytes stays
//! UTF-8 (and says so), an HTML charset label is checked against the bytes,
//! metadata named like a result column is renamed instead of shadowing it,
//! an unreadable cell in a coder sheet costs one unit, not the category, and
//! file names that are not UTF-8 keep distinct ids.
//!
//! Every corpus is written here, byte by byte; expected values are counted
//! by hand from what is written (see each test).

use std::path::Path;

mod common;
use common::{parse_csv, read_csv, tanda};

/// A codebook of one category, `information`, matching `data` and `report`.
const CODEBOOK: &str = r#"name = "Inputs"
version = "1"

[[category]]
id = "information"
label = "Information"
description = "Producing and sharing data."
entries = ["data", "report"]
"#;

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

/// Run `analyze CORPUS --codebook cb.toml --out OUT` plus `extra`; returns
/// the standard error.
fn analyze(root: &Path, corpus: &Path, out: &Path, extra: &[&str]) -> String {
    let cb = root.join("cb.toml");
    write(&cb, CODEBOOK.as_bytes());
    let o = tanda()
        .arg("analyze")
        .arg(corpus)
        .arg("--codebook")
        .arg(&cb)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("run.json")).expect("json")
}

/// Each document's encoding as run.json records it.
fn encodings(out: &Path) -> Vec<(String, String)> {
    run_json(out)["corpus"]["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                d["encoding"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The `text` of each passage of passages.csv, by passage id.
fn passage_text(out: &Path, pid: &str) -> String {
    let (h, rows) = read_csv(&out.join("passages.csv"));
    let (p, t) = (
        h.iter().position(|x| x == "passage_id").expect("pid"),
        h.iter().position(|x| x == "text").expect("text"),
    );
    rows.iter()
        .find(|r| r[p] == pid)
        .unwrap_or_else(|| panic!("no {pid}"))[t]
        .clone()
}

/// 37 bytes of UTF-8 French: `é` and `à` are 2 bytes, `’` 3.
const FR: &str = "Le caf\u{e9} \u{e9}tait ferm\u{e9} \u{e0} l\u{2019}heure. ";

#[test]
fn utf8_with_stray_bytes_stays_utf8_and_names_the_count() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("c");
    // fr.txt: 8 sentences (296 bytes), a stray byte (0xFF, 0xFE, 0x80)
    // after the 2nd, 4th and 6th: 3 invalid bytes in 299.
    let mut fr = Vec::new();
    for i in 0..8 {
        fr.extend_from_slice(FR.as_bytes());
        if let Some(b) = [None, Some(0xFF), None, Some(0xFE), None, Some(0x80)]
            .get(i)
            .copied()
            .flatten()
        {
            fr.push(b);
        }
    }
    write(&corpus.join("fr.txt"), &fr);
    // th.txt: Thai (3 bytes a letter) with one stray 0xFF between words.
    let word = "\u{e20}\u{e32}\u{e29}\u{e32}\u{e44}\u{e17}\u{e22} ";
    let mut th = word.repeat(3).into_bytes();
    th.push(0xFF);
    th.extend_from_slice(word.repeat(3).as_bytes());
    write(&corpus.join("th.txt"), &th);
    // legacy.txt: the same French in windows-1252, every accent one byte
    // that is invalid UTF-8 (é = 0xE9, à = 0xE0, ’ = 0x92).
    let mut legacy = Vec::new();
    for _ in 0..8 {
        for c in FR.chars() {
            legacy.push(match c {
                '\u{e9}' => 0xE9,
                '\u{e0}' => 0xE0,
                '\u{2019}' => 0x92,
                c => c as u8,
            });
        }
    }
    write(&corpus.join("legacy.txt"), &legacy);

    let out = dir.path().join("out");
    let err = analyze(dir.path(), &corpus, &out, &[]);
    let mut enc = encodings(&out);
    enc.sort();
    assert_eq!(
        enc,
        [
            ("fr.txt".into(), "UTF-8".into()),
            ("legacy.txt".into(), "windows-1252".into()),
            ("th.txt".into(), "UTF-8".into()),
        ]
    );
    let fr_text = passage_text(&out, "fr.txt#p1");
    assert_eq!(fr_text.matches('\u{fffd}').count(), 3);
    assert_eq!(
        fr_text.replace('\u{fffd}', ""),
        FR.repeat(8).trim_end(),
        "every accent kept"
    );
    assert_eq!(passage_text(&out, "legacy.txt#p1"), FR.repeat(8).trim_end());
    assert_eq!(
        passage_text(&out, "th.txt#p1").replace('\u{fffd}', ""),
        word.repeat(6).trim_end()
    );
    let fr_path = corpus.join("fr.txt").display().to_string();
    let th_path = corpus.join("th.txt").display().to_string();
    assert!(
        err.contains(&format!(
            "warning: {fr_path}: 3 invalid UTF-8 bytes replaced with U+FFFD; re-save as UTF-8 to silence"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "warning: {th_path}: 1 invalid UTF-8 byte replaced with U+FFFD"
        )),
        "{err}"
    );
    assert!(!err.contains("legacy.txt"), "{err}");

    // --encoding wins: fr.txt read as windows-1252, nothing replaced.
    let out2 = dir.path().join("out2");
    let err = analyze(dir.path(), &corpus, &out2, &["--encoding", "windows-1252"]);
    assert!(!err.contains("U+FFFD"), "{err}");
    let enc = encodings(&out2);
    assert!(enc.iter().all(|(_, e)| e == "windows-1252"), "{enc:?}");
}

#[test]
fn html_charset_labels_are_checked_against_the_bytes() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("c");
    let page = |charset: &str, body: &str| {
        format!("<html><head><meta charset=\"{charset}\"></head><body><p>{body}</p></body></html>")
    };
    // An ASCII page that says utf-16.
    write(
        &corpus.join("ascii.html"),
        page("utf-16", "A plain report on data.").as_bytes(),
    );
    // UTF-8 bytes labelled iso-8859-1.
    write(
        &corpus.join("latin.html"),
        page("iso-8859-1", "Le caf\u{e9} \u{e9}tait ferm\u{e9}.").as_bytes(),
    );
    // windows-1252 bytes labelled utf-8: `é` is the lone byte 0xE9.
    let mut cp = page("utf-8", "Le caf_ _tait ferm_.").into_bytes();
    for b in cp.iter_mut().filter(|b| **b == b'_') {
        *b = 0xE9;
    }
    write(&corpus.join("cp.html"), &cp);
    let out = dir.path().join("out");
    let err = analyze(dir.path(), &corpus, &out, &[]);
    assert_eq!(
        passage_text(&out, "ascii.html#p1"),
        "A plain report on data."
    );
    assert_eq!(
        passage_text(&out, "latin.html#p1"),
        "Le caf\u{e9} \u{e9}tait ferm\u{e9}."
    );
    assert_eq!(
        passage_text(&out, "cp.html#p1"),
        "Le caf\u{e9} \u{e9}tait ferm\u{e9}."
    );
    let mut enc = encodings(&out);
    enc.sort();
    assert_eq!(
        enc,
        [
            ("ascii.html".into(), "UTF-8".into()),
            ("cp.html".into(), "windows-1252".into()),
            ("latin.html".into(), "UTF-8".into()),
        ]
    );
    for (file, label, used) in [
        ("ascii.html", "utf-16", "UTF-8"),
        ("latin.html", "iso-8859-1", "UTF-8"),
        ("cp.html", "utf-8", "windows-1252"),
    ] {
        let shown = corpus.join(file).display().to_string();
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("warning: {shown}: ")))
            .unwrap_or_else(|| panic!("no warning for {file}: {err}"));
        assert!(
            line.contains(&format!("declares charset `{label}`"))
                && line.contains(&format!("read as {used} instead")),
            "{line}"
        );
    }
}

/// frequencies.csv (or `report --format csv`): `hits_per_1000_words` of
/// the overall row of `information`.
fn per_1k(t: &(Vec<String>, Vec<Vec<String>>)) -> String {
    let col = |n: &str| t.0.iter().position(|h| h == n).expect(n);
    let (g, c, v) = (col("group"), col("category"), col("hits_per_1000_words"));
    t.1.iter()
        .find(|r| r[g].is_empty() && r[c] == "information")
        .expect("overall row")[v]
        .clone()
}

#[test]
fn metadata_named_like_a_result_column_is_renamed_and_report_agrees() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("c");
    // a.md: front matter `words: 5`; body of 11 words with 2 hits
    // (report, data). b.txt: 6 words, no hit. The sheet gives a column
    // named like the category, `information`.
    write(
        &corpus.join("a.md"),
        b"---\nwords: 5\n---\nThe report gives data on every school in the district today.\n",
    );
    write(&corpus.join("b.txt"), b"Nothing here at all to see.\n");
    write(
        &corpus.join("metadata.csv"),
        b"path,information\na.md,yes\nb.txt,no\n",
    );
    let out = dir.path().join("out");
    let err = analyze(dir.path(), &corpus, &out, &[]);
    for (field, from) in [
        (
            "words",
            format!("front matter of {}", corpus.join("a.md").display()),
        ),
        (
            "information",
            corpus.join("metadata.csv").display().to_string(),
        ),
    ] {
        assert!(
            err.contains(&format!(
                "metadata field `{field}` (from {from}) has the name of a column tanda writes; it is written `meta:{field}`"
            )),
            "{err}"
        );
    }
    // One column of each name; the metadata under its new name.
    let (h, rows) = read_csv(&out.join("passages.csv"));
    for name in ["words", "information", "meta:words", "meta:information"] {
        assert_eq!(
            h.iter().filter(|x| *x == name).count(),
            1,
            "{name} in {h:?}"
        );
    }
    let col = |n: &str| h.iter().position(|x| x == n).expect(n);
    let a = rows.iter().find(|r| r[col("doc_id")] == "a.md").expect("a");
    assert_eq!(
        [
            &a[col("words")],
            &a[col("meta:words")],
            &a[col("information")],
            &a[col("meta:information")]
        ],
        ["11", "5", "1", "yes"]
    );
    let (dh, _) = read_csv(&out.join("documents.csv"));
    assert_eq!(dh.iter().filter(|x| *x == "words").count(), 1, "{dh:?}");
    assert!(dh.contains(&"meta:words".to_string()), "{dh:?}");

    // 2 hits in 11 + 6 = 17 words: 117.647 per 1,000, in analyze and in
    // report reading the folder back.
    let freq = read_csv(&out.join("frequencies.csv"));
    assert_eq!(per_1k(&freq), "117.647");
    let o = tanda()
        .arg("report")
        .arg(&out)
        .args(["--format", "csv"])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(per_1k(&parse_csv(&o.stdout)), "117.647");

    // --by the old name says what to type; the new name works.
    let o = tanda()
        .arg("analyze")
        .arg(&corpus)
        .arg("--codebook")
        .arg(dir.path().join("cb.toml"))
        .args(["--by", "words", "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("give --by meta:words"), "{err}");
    let o = tanda()
        .arg("report")
        .arg(&out)
        .args(["--by", "meta:words", "--format", "csv"])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = parse_csv(&o.stdout);
    let col = |n: &str| t.0.iter().position(|h| h == n).expect(n);
    // a.md (meta:words 5) has both hits in 11 words: 181.818 per 1,000.
    let row =
        t.1.iter()
            .find(|r| r[col("group")] == "5" && r[col("category")] == "information")
            .unwrap_or_else(|| panic!("no group 5: {:?}", t.1));
    assert_eq!(row[col("hits_per_1000_words")], "181.818");
}

#[test]
fn an_unreadable_cell_costs_one_unit_not_the_category() {
    let dir = tempfile::tempdir().expect("tmp");
    let (a, b) = (dir.path().join("alice.csv"), dir.path().join("bob.csv"));
    write(
        &a,
        b"passage_id,info,lev\np1,1,0\np2,0,1\np3,1,1\np4,?,0\np5,1,0\np6,0,1\n",
    );
    write(
        &b,
        b"passage_id,info,lev\np1,1,0\np2,0,1\np3,0,1\np4,1,NaN\np5,1,0\np6,0,inf\n",
    );
    let o = tanda()
        .arg("agree")
        .arg(&a)
        .arg(&b)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    for (file, row, col, cell) in [
        (&a, 5, "info", "?"),
        (&b, 5, "lev", "NaN"),
        (&b, 7, "lev", "inf"),
    ] {
        assert!(
            err.contains(&format!(
                "{}: row {row}, column `{col}`: `{cell}` is not a code",
                file.display()
            )),
            "{err}"
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let rows = v["agreement"].as_array().expect("rows");
    let get = |cat: &str| {
        rows.iter()
            .find(|r| r["category"] == cat)
            .unwrap_or_else(|| panic!("category {cat} dropped: {v}"))
    };
    // info: p4 is missing for alice, so 5 units: p1 (1,1) p2 (0,0) p3 (1,0)
    // p5 (1,1) p6 (0,0). Alpha: 10 values, five 1s and five 0s, one
    // disagreeing unit: 1 - (10 - 1) × 2 / (2 × 5 × 5) = 0.64 (the Python
    // `krippendorff` package gives 0.64 too). Cohen: 4 of 5 agree, alice
    // 3/5 ones, bob 2/5: pe = 0.6 × 0.4 + 0.4 × 0.6 = 0.48, kappa =
    // (0.8 - 0.48) / 0.52 = 0.6154.
    let info = get("info");
    assert_eq!(info["units"], 5);
    assert!((info["alpha"].as_f64().expect("alpha") - 0.64).abs() < 1e-9);
    assert!((info["kappa"].as_f64().expect("kappa") - 0.32 / 0.52).abs() < 1e-9);
    // lev: p4 and p6 missing for bob: p1 (0,0) p2 (1,1) p3 (1,1) p5 (0,0),
    // 4 units all agreeing: alpha 1.
    let lev = get("lev");
    assert_eq!(lev["units"], 4);
    assert_eq!(lev["alpha"].as_f64(), Some(1.0));
    assert_eq!(lev["percent_agreement"].as_f64(), Some(100.0));
}

#[cfg(unix)]
#[test]
fn names_that_differ_only_in_bad_bytes_keep_two_ids() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("c");
    std::fs::create_dir_all(&corpus).expect("mkdir");
    let ff = corpus.join(std::ffi::OsStr::from_bytes(b"n\xFF.txt"));
    let fe = corpus.join(std::ffi::OsStr::from_bytes(b"n\xFE.txt"));
    if std::fs::write(&ff, b"One report here.\n").is_err() {
        // A file system that takes only UTF-8 names: nothing to test.
        return;
    }
    write(&fe, b"Another data file.\n");
    let out = dir.path().join("out");
    let err = analyze(dir.path(), &corpus, &out, &[]);
    let (h, rows) = read_csv(&out.join("documents.csv"));
    let id = h.iter().position(|x| x == "doc_id").expect("doc_id");
    let mut ids: Vec<&str> = rows.iter().map(|r| r[id].as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["n\\xFE.txt", "n\\xFF.txt"]);
    for id in ids {
        assert!(
            err.contains(&format!(
                "{}: the name is not valid UTF-8",
                corpus.join(id).display()
            )),
            "{err}"
        );
    }
}
