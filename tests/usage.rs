//! Issue 20: a command line that asks for something that cannot be done as given exits 2
//! (usage error, as documented in the README's exit codes), not 1 (failure).

mod common;

use common::tanda_at_root;

#[test]
fn usage_errors_exit_2_and_say_what_to_type() {
    let cases: &[(&[&str], &str)] = &[
        (&["diff", "builtin", "builtin"], "--corpus DIR"),
        (
            &["diff", "corpus", "builtin"],
            "must both be results folders",
        ),
        (&["explain", "corpus", "no-hash-here"], "DOC#p3"),
        (&["explain", "corpus", "reports/x.txt#q1"], "#p3, #s3"),
        (
            &["kwic", "corpus", "--category", "nosuch"],
            "no category `nosuch`",
        ),
        (
            &["analyze", "corpus", "--unit-regex", "^#"],
            "--unit article",
        ),
        (&["codebook", "test", "builtin"], "--text"),
        (&["code"], "--jsonl"),
    ];
    for (args, says) in cases {
        let out = tanda_at_root().args(*args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

/// `report` says the counting policy the results were counted under (run.json's), not
/// the one of the tanda reading them, and refuses to add up results of two policies.
#[test]
fn report_keeps_the_policy_of_the_results() {
    let tmp = tempfile::tempdir().expect("tmp");
    for (sub, out) in [("corpus/news", "a"), ("corpus/statutes", "b")] {
        tanda_at_root()
            .args(["analyze", sub, "--quiet", "--out"])
            .arg(tmp.path().join(out))
            .assert()
            .success();
    }
    // Results of an earlier policy: only run.json says so.
    let rj = tmp.path().join("b/run.json");
    let text = std::fs::read_to_string(&rj).expect("read");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let today = v["counting_policy"]["id"].as_str().expect("id").to_string();
    v["counting_policy"]["id"] = "tanda-count/1".into();
    std::fs::write(&rj, serde_json::to_string_pretty(&v).expect("json")).expect("write");

    let out = tanda_at_root()
        .arg("report")
        .arg(tmp.path().join("b"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("counting tanda-count/1"), "{stdout}");
    assert!(!stdout.contains(&format!("counting {today}")), "{stdout}");

    let out = tanda_at_root()
        .arg("report")
        .arg(tmp.path().join("a"))
        .arg(tmp.path().join("b"))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("counted under policy tanda-count/1"), "{err}");
}
