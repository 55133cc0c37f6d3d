//! The built-in codebook as a research instrument: its worked examples pass,
//! and the committed coding manual and reliability figures are exactly what
//! the code produces now (so they cannot go stale).
//!
//! To regenerate after editing codebooks/tan.toml, run `validation/tools/regenerate.sh`.

use std::path::Path;

use assert_cmd::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tanda() -> Command {
    let mut c = Command::cargo_bin("tanda").expect("binary builds");
    c.current_dir(root());
    c
}

#[test]
fn every_worked_example_of_the_builtin_codebook_passes() {
    let out = tanda()
        .args(["codebook", "test", "builtin", "--examples"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    assert!(s.contains(", 0 failed"), "{s}");
}

#[test]
fn reliability_figures_are_reproduced_from_the_held_out_set() {
    // The held-out set the reported figures come from (regenerate.sh reads it too).
    let heldout = std::fs::read_to_string(root().join("validation/HELDOUT")).unwrap();
    let heldout = root().join(heldout.trim());
    let res = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--quiet"])
        .arg(heldout.join("corpus"))
        .args(["--unit", "document", "--out"])
        .arg(res.path())
        .assert()
        .success();
    // A set with halves is reported on its `report` half only.
    let reference = ["reference-report.csv", "reference.csv"]
        .iter()
        .map(|f| heldout.join(f))
        .find(|p| p.exists())
        .unwrap();
    let out = tanda()
        .arg("agree")
        .arg(&reference)
        .arg(res.path())
        .arg("--reference")
        .arg(&reference)
        .args(["--bootstrap", "1000", "--seed", "1", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut fresh: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let mut committed: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("validation/reliability-report.json")).unwrap(),
    )
    .unwrap();
    // The results folder is a temporary one: its name is the only difference allowed.
    for v in [&mut fresh, &mut committed] {
        v["coders"] = serde_json::Value::Null;
        for r in v["against_reference"].as_array_mut().unwrap() {
            r["coder"] = serde_json::Value::Null;
        }
    }
    assert_eq!(fresh, committed, "run validation/tools/regenerate.sh");
}

#[test]
fn the_committed_manual_is_generated_from_the_codebook() {
    let out = tanda()
        .args([
            "codebook",
            "doc",
            "--reliability",
            "validation/reliability-report.json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let committed = std::fs::read_to_string(root().join("docs/codebook-tan.md")).unwrap();
    assert!(
        String::from_utf8(out).unwrap() == committed,
        "docs/codebook-tan.md is stale: run validation/tools/regenerate.sh"
    );
}
