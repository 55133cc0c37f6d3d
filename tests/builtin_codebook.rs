//! The built-in codebook wherever a codebook is expected, its exports and
//! their round trips, `codebook init`, and one syntax error for one missing
//! bracket.
//!
//! Expected values come from `codebooks/tan.toml` read with the `toml`
//! crate (not tanda's parser), or from running the same command with the
//! file's path instead of `builtin` (the built-in codebook is that file).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;
use common::{fixture, tanda, tanda_at_root};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tan_path() -> PathBuf {
    root().join("codebooks/tan.toml")
}

fn tan_text() -> String {
    std::fs::read_to_string(tan_path()).expect("codebooks/tan.toml reads")
}

/// Run tanda with `args`; (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = tanda_at_root().args(args).output().expect("tanda runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "tanda {args:?} failed:\n{err}");
    assert!(
        !err.contains("cannot read codebook"),
        "tanda {args:?}: {err}"
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

// ---------------------------------------------------------------------------
// `builtin` everywhere
// ---------------------------------------------------------------------------

#[test]
fn analyze_with_builtin_is_the_default_and_the_file() {
    let mini = fixture("mini");
    let by_default = ok(&["analyze", s(&mini), "--format", "csv", "--quiet"]);
    let builtin = ok(&[
        "analyze",
        s(&mini),
        "--format",
        "csv",
        "--quiet",
        "--codebook",
        "builtin",
    ]);
    let file = ok(&[
        "analyze",
        s(&mini),
        "--format",
        "csv",
        "--quiet",
        "--codebook",
        "codebooks/tan.toml",
    ]);
    assert!(builtin.lines().count() > 10, "{builtin}");
    assert_eq!(builtin, by_default);
    assert_eq!(builtin, file);
    // The table header names it as the built-in codebook.
    let table = ok(&["analyze", s(&mini), "--quiet", "--codebook", "builtin"]);
    assert!(table.contains("(builtin:tan)"), "{table}");
}

#[test]
fn kwic_and_explain_take_builtin() {
    let mini = fixture("mini");
    let kwic = |cb: &str| {
        ok(&[
            "kwic",
            s(&mini),
            "--category",
            "information",
            "--quiet",
            "--codebook",
            cb,
        ])
    };
    let k = kwic("builtin");
    // reports/a.txt p1 says "report", "data" and "survey": information.
    assert!(k.contains("reports/a.txt#p1"), "{k}");
    assert_eq!(k, kwic("codebooks/tan.toml"));

    let explain = |cb: &str| ok(&["explain", s(&mini), "reports/a.txt#p1", "--codebook", cb]);
    let e = explain("builtin");
    assert!(e.contains("builtin:tan"), "{e}");
    assert!(e.contains("information"), "{e}");
    assert_eq!(
        e.replace("builtin:tan", "X"),
        explain("codebooks/tan.toml").replace("codebooks/tan.toml", "X")
    );
}

#[test]
fn diff_and_codebook_diff_take_builtin() {
    let mini = fixture("mini");
    // The same codebook on both sides: nothing changes (exit 0, not 6).
    let out = ok(&[
        "diff",
        "builtin",
        "codebooks/tan.toml",
        "--corpus",
        s(&mini),
        "--quiet",
    ]);
    assert!(out.contains("old: builtin"), "{out}");
    let out = ok(&["codebook", "diff", "builtin", "codebooks/tan.toml"]);
    assert!(!out.trim().is_empty());
    // Against another codebook it does find differences.
    let (code, _, err) = run(&[
        "diff",
        "builtin",
        s(&fixture("mini.toml")),
        "--corpus",
        s(&mini),
        "--quiet",
    ]);
    assert_eq!(code, 6, "{err}");
}

#[test]
fn every_codebook_command_takes_builtin() {
    let check = ok(&["codebook", "check", "builtin"]);
    assert!(check.starts_with("builtin:tan: ok: TAN"), "{check}");

    let show = ok(&["codebook", "show", "builtin"]);
    assert_eq!(show, ok(&["codebook", "show"]));
    assert!(show.contains("information"));

    // The manual names the command that made it on its third line.
    let doc = ok(&["codebook", "doc", "builtin"]);
    let without_command = |t: &str| -> Vec<String> {
        t.lines()
            .enumerate()
            .filter(|(i, _)| *i != 2)
            .map(|(_, l)| l.to_string())
            .collect()
    };
    assert_eq!(
        without_command(&doc),
        without_command(&ok(&["codebook", "doc"]))
    );

    let test = ok(&[
        "codebook",
        "test",
        "builtin",
        "--text",
        "NGOs lobbied the ministry.",
    ]);
    assert!(test.contains("builtin:tan"), "{test}");
    let examples = ok(&["codebook", "test", "builtin", "--examples"]);
    assert!(examples.contains(", 0 failed"), "{examples}");

    let exported = ok(&["codebook", "export", "builtin", "--format", "json"]);
    assert!(exported.contains("\"category\""));
}

#[test]
fn code_and_report_take_builtin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("docs.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"d1\", \"text\": \"The NGO published a report with data from a survey.\"}\n\
         {\"id\": \"d2\", \"text\": \"NGOs lobbied the ministry and kept up the pressure.\"}\n",
    )
    .expect("write input");
    let coded = tanda()
        .args(["code", "--jsonl", "--quiet", "--codebook", "builtin"])
        .arg(&input)
        .output()
        .expect("code runs");
    assert!(
        coded.status.success(),
        "{}",
        String::from_utf8_lossy(&coded.stderr)
    );
    let coded_path = dir.path().join("coded.jsonl");
    std::fs::write(&coded_path, &coded.stdout).expect("write coded");
    let report = |cb: Option<&str>| {
        let mut args = vec!["report", s(&coded_path), "--format", "csv"];
        if let Some(cb) = cb {
            args.extend(["--codebook", cb]);
        }
        ok(&args)
    };
    let r = report(Some("builtin"));
    assert!(r.contains("information"), "{r}");
    assert_eq!(r, report(None));
    assert_eq!(r, report(Some("codebooks/tan.toml")));
}

// ---------------------------------------------------------------------------
// One error line per failure
// ---------------------------------------------------------------------------

#[test]
fn a_missing_codebook_is_one_error_line_with_its_cause_once() {
    let (code, _, err) = run(&["analyze", "corpus/", "--codebook", "no-such-codebook.toml"]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: cannot read codebook no-such-codebook.toml"));
    // The OS's message ("No such file or directory" here) appears once.
    let os_text = std::fs::read(root().join("no-such-codebook.toml"))
        .expect_err("file is missing")
        .to_string();
    assert_eq!(err.matches(os_text.as_str()).count(), 1, "{err}");
}

#[test]
fn a_write_error_says_its_cause_once_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("no-such-dir").join("out.toml");
    let (code, _, err) = run(&[
        "codebook",
        "export",
        "builtin",
        "--format",
        "toml",
        "-o",
        s(&target),
    ]);
    assert_eq!(code, 1, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    let os_text = std::fs::read(&target).expect_err("missing").to_string();
    assert_eq!(errors[0].matches(os_text.as_str()).count(), 1, "{err}");
}

// ---------------------------------------------------------------------------
// Export and re-import
// ---------------------------------------------------------------------------

/// A codebook document (TOML or JSON) read with serde, normalised to the
/// model's values: defaults written out, numbers as f64, entries as tables.
fn normalised(doc: serde_json::Value) -> serde_json::Value {
    use serde_json::{Value, json};
    let num = |v: Option<&Value>, default: f64| v.and_then(Value::as_f64).unwrap_or(default);
    let entries = |v: Option<&Value>| -> Value {
        Value::Array(
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|e| match e {
                            Value::String(t) => json!({
                                "term": t, "weight": 1.0, "case_sensitive": false, "negate": null
                            }),
                            _ => json!({
                                "term": e["term"],
                                "weight": num(e.get("weight"), 1.0),
                                "case_sensitive": e.get("case_sensitive").cloned().unwrap_or(json!(false)),
                                "negate": e.get("negate").cloned().unwrap_or(Value::Null),
                            }),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        )
    };
    let strings = |v: Option<&Value>| v.cloned().unwrap_or(json!([]));
    let text = |v: Option<&Value>| v.cloned().unwrap_or(json!(""));
    let cats: Vec<Value> = doc["category"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            let examples: Vec<Value> = c
                .get("example")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            json!({
                                "text": x["text"],
                                "lang": text(x.get("lang")),
                                "coded": x.get("coded").cloned().unwrap_or(json!(true)),
                                "why": text(x.get("why")),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "id": c["id"],
                "label": c.get("label").cloned().unwrap_or(c["id"].clone()),
                "description": text(c.get("description")),
                "definition": text(c.get("definition")),
                "inclusion": strings(c.get("inclusion")),
                "exclusion": strings(c.get("exclusion")),
                "example": examples,
                "entries": entries(c.get("entries")),
                "regex": entries(c.get("regex")),
                "exclude": entries(c.get("exclude")),
                "threshold": num(c.get("threshold"), 1.0),
                "min_score": c.get("min_score").and_then(Value::as_f64),
                "negate": c.get("negate").cloned().unwrap_or(json!(false)),
                "morphology": c.get("morphology").cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    json!({
        "name": doc["name"],
        "version": doc["version"],
        "description": text(doc.get("description")),
        "morphology": doc.get("morphology").cloned().unwrap_or(Value::Null),
        "negation": doc.get("negation").cloned().unwrap_or(Value::Null),
        "category": cats,
    })
}

fn toml_doc(text: &str) -> serde_json::Value {
    let v: toml::Value = toml::from_str(text).expect("valid TOML");
    serde_json::to_value(v).expect("TOML as JSON")
}

/// The full SHA-256 a run records in run.json.
fn run_sha256(codebook: &str) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    ok(&[
        "analyze",
        s(&fixture("mini")),
        "--quiet",
        "--csv-only",
        "--codebook",
        codebook,
        "--out",
        s(out.path()),
    ]);
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("run.json")).expect("run.json"))
            .expect("run.json parses");
    run["codebook"]["sha256"]
        .as_str()
        .expect("sha256")
        .to_string()
}

#[test]
fn toml_and_json_exports_keep_everything_and_the_hash() {
    let original = toml_doc(&tan_text());
    // What the built-in codebook holds, counted from the file itself.
    let cats = original["category"].as_array().expect("categories");
    let examples: usize = cats
        .iter()
        .map(|c| {
            c.get("example")
                .and_then(|e| e.as_array())
                .map_or(0, Vec::len)
        })
        .sum();
    assert_eq!(examples, 203, "README: 203 worked examples");
    assert!(cats.iter().all(|c| c.get("definition").is_some()));

    let dir = tempfile::tempdir().expect("tempdir");
    let builtin_hash = run_sha256("builtin");
    assert_eq!(builtin_hash.len(), 64);
    for format in ["toml", "json"] {
        let path = dir.path().join(format!("tan.{format}"));
        let (code, _, err) = run(&[
            "codebook",
            "export",
            "builtin",
            "--format",
            format,
            "-o",
            s(&path),
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(!err.contains("note:"), "TOML/JSON lose nothing: {err}");
        let text = std::fs::read_to_string(&path).expect("export reads");
        let doc = if format == "toml" {
            toml_doc(&text)
        } else {
            serde_json::from_str(&text).expect("valid JSON")
        };
        assert_eq!(
            normalised(doc),
            normalised(original.clone()),
            "{format} export differs from codebooks/tan.toml"
        );
        assert_eq!(run_sha256(s(&path)), builtin_hash, "{format}");
        // And `codebook import` of the export writes the same model again.
        let again = dir.path().join(format!("again.{format}"));
        let (code, _, err) = run(&["codebook", "import", s(&path), "-o", s(&again)]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(run_sha256(s(&again)), builtin_hash, "{format} import");
    }
    // The hash is the model's, not the file's bytes: a comment leaves it
    // alone, a changed weight does not.
    let commented = dir.path().join("commented.toml");
    std::fs::write(&commented, format!("# my copy\n{}", tan_text())).expect("write");
    assert_eq!(run_sha256(s(&commented)), builtin_hash);
    let text = tan_text();
    let at = text.find("weight = 2").expect("a weight 2 entry");
    let mut changed = text.clone();
    changed.replace_range(at..at + "weight = 2".len(), "weight = 3");
    let changed_path = dir.path().join("changed.toml");
    std::fs::write(&changed_path, changed).expect("write");
    assert_ne!(run_sha256(s(&changed_path)), builtin_hash);
}

/// Does an entry of tan.toml say a proximity rule (`NEAR(a, b, n)`,
/// `BEFORE(…)`, `AFTER(…)` or the infix `a NEAR b n`)? LIWC has none.
fn is_proximity(term: &str) -> bool {
    term.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| matches!(w, "NEAR" | "BEFORE" | "AFTER"))
}

/// (category, lower-cased term) → weight for every entry a LIWC file can
/// hold, from tan.toml read with the `toml` crate.
fn liwc_entries() -> BTreeMap<(String, String), f64> {
    let doc = toml_doc(&tan_text());
    let mut out = BTreeMap::new();
    for c in doc["category"].as_array().expect("categories") {
        let id = c["id"].as_str().expect("id").to_string();
        for e in c
            .get("entries")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            let (term, weight) = match e {
                serde_json::Value::String(t) => (t.clone(), 1.0),
                _ => (
                    e["term"].as_str().expect("term").to_string(),
                    e.get("weight").and_then(|w| w.as_f64()).unwrap_or(1.0),
                ),
            };
            if is_proximity(&term) {
                continue;
            }
            let key = (id.clone(), term.to_lowercase());
            if let Some(prev) = out.insert(key.clone(), weight) {
                assert_eq!(prev, weight, "{key:?} twice with different weights");
            }
        }
    }
    out
}

/// (category, term) → weight of a codebook as `tanda codebook import`
/// writes it to JSON.
fn imported_entries(path: &Path) -> BTreeMap<(String, String), f64> {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("back.json");
    let (code, _, err) = run(&["codebook", "import", s(path), "-o", s(&json)]);
    assert_eq!(code, 0, "import of {} failed: {err}", path.display());
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("read")).expect("json");
    let mut out = BTreeMap::new();
    for c in doc["category"].as_array().expect("categories") {
        let id = c["id"].as_str().expect("id").to_string();
        for e in c
            .get("entries")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            let (term, weight) = match e {
                serde_json::Value::String(t) => (t.clone(), 1.0),
                _ => (
                    e["term"].as_str().expect("term").to_string(),
                    e.get("weight").and_then(|w| w.as_f64()).unwrap_or(1.0),
                ),
            };
            out.insert((id.clone(), term), weight);
        }
    }
    out
}

#[test]
fn liwc_exports_read_back_with_every_entry() {
    let want = liwc_entries();
    assert!(want.len() > 1000, "{}", want.len());
    assert!(
        want.values().any(|&w| w == 0.0),
        "tan.toml has 0-weight entries"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["dic", "dicx"] {
        let path = dir.path().join(format!("tan.{format}"));
        let (code, _, err) = run(&[
            "codebook",
            "export",
            "builtin",
            "--format",
            format,
            "-o",
            s(&path),
        ]);
        assert_eq!(code, 0, "{err}");
        // What LIWC cannot say is listed on standard error.
        assert!(err.contains("proximity rule(s)"), "{err}");
        assert!(err.contains("exclusion(s)"), "{err}");
        assert_eq!(
            err.contains("weights"),
            format == "dic",
            "only .dic loses weights: {err}"
        );
        let got = imported_entries(&path);
        let keys = |m: &BTreeMap<(String, String), f64>| -> BTreeSet<(String, String)> {
            m.keys().cloned().collect()
        };
        assert_eq!(keys(&got), keys(&want), "{format}: entries differ");
        if format == "dicx" {
            assert_eq!(got, want, "dicx keeps weights");
        } else {
            assert!(got.values().all(|&w| w == 1.0));
        }
    }
}

// ---------------------------------------------------------------------------
// codebook init
// ---------------------------------------------------------------------------

#[test]
fn init_writes_the_builtin_codebook_and_keeps_existing_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let in_dir = || {
        let mut c = tanda();
        c.current_dir(dir.path());
        c
    };
    // Default name.
    let out = in_dir().args(["codebook", "init"]).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = dir.path().join("codebook.toml");
    assert_eq!(
        std::fs::read(&written).expect("written"),
        std::fs::read(tan_path()).expect("tan.toml")
    );
    // It is a codebook tanda reads, with the built-in's hash.
    assert_eq!(run_sha256(s(&written)), run_sha256("builtin"));

    // An existing file is kept, and the message says how to replace it.
    let mine = dir.path().join("mine.toml");
    std::fs::write(&mine, "my own work\n").expect("write");
    let out = in_dir()
        .args(["codebook", "init", "mine.toml"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--force"), "{err}");
    assert!(err.contains("mine.toml"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "my own work\n"
    );
    // The default name too.
    let out = in_dir().args(["codebook", "init"]).output().expect("runs");
    assert!(!out.status.success());

    let out = in_dir()
        .args(["codebook", "init", "mine.toml", "--force"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&mine).expect("read"),
        std::fs::read(tan_path()).expect("tan.toml")
    );
    // No temporary files left behind.
    let names: BTreeSet<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["codebook.toml".to_string(), "mine.toml".to_string()])
    );
}

// ---------------------------------------------------------------------------
// One missing bracket, one error
// ---------------------------------------------------------------------------

#[test]
fn one_missing_bracket_is_one_error_at_its_line() {
    let text = tan_text();
    let lines: Vec<&str> = text.split('\n').collect();
    let closing: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_end() == "]")
        .map(|(i, _)| i)
        .collect();
    assert!(closing.len() > 10);
    let dir = tempfile::tempdir().expect("tempdir");
    // The first, one in the middle and the last closing bracket on a line
    // of its own.
    for &drop in [
        closing[0],
        closing[closing.len() / 2],
        closing[closing.len() - 1],
    ]
    .iter()
    {
        let broken: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != drop)
            .map(|(_, l)| *l)
            .collect();
        let path = dir.path().join(format!("missing-{}.toml", drop + 1));
        std::fs::write(&path, broken.join("\n")).expect("write fixture");
        let (code, out, err) = run(&["codebook", "check", s(&path)]);
        assert_eq!(code, 3, "{out}{err}");
        let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
        assert_eq!(errors.len(), 1, "`]` of line {}:\n{out}", drop + 1);
        // The line that now stands where the `]` was: where it is missing.
        let want = format!("{}:{}:", path.display(), drop + 1);
        assert!(errors[0].starts_with(&want), "want {want}: {}", errors[0]);
        assert!(errors[0].contains("`]`"), "{}", errors[0]);
        // Loading it elsewhere reports the same single error.
        let (code, _, err) = run(&["analyze", "corpus/", "--codebook", s(&path)]);
        assert_eq!(code, 3);
        assert_eq!(
            err.lines().filter(|l| l.contains(": error: ")).count(),
            1,
            "{err}"
        );
    }
}
