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
