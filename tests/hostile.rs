//! Issue 19: no panic reachable from input or the environment. Each case here used to
//! end in a panic (exit 101) or a runaway; each must now give a normal exit.

mod common;

use common::{parse_csv, tanda, tanda_at_root};

/// kwic with a regex entry whose hit starts and ends on punctuation, between words, used
/// to panic with `begin > end` slicing the left context; `--window 0` did anywhere.
#[test]
fn kwic_regex_hits_on_punctuation_and_window_zero() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join("c")).expect("mkdir");
    std::fs::write(
        dir.path().join("c/a.txt"),
        "Say: (urgent) action now, please.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("cb.toml"),
        "name = \"T\"\n[[category]]\nid = \"u\"\nregex = ['\\(urgent\\)']\n",
    )
    .expect("write");
    for window in ["0", "1", "5"] {
        let out = tanda()
            .current_dir(dir.path())
            .args(["kwic", "c", "--codebook", "cb.toml", "--category", "u"])
            .args(["--format", "csv", "--quiet", "--window", window])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let (header, rows) = parse_csv(&out);
        let col = |n: &str| header.iter().position(|h| h == n).expect(n);
        assert_eq!(rows.len(), 1, "window {window}");
        assert_eq!(rows[0][col("keyword")], "(urgent)");
        // Derived by hand from the sentence: the words either side of "(urgent)".
        let (left, right) = match window {
            "0" => ("", ""),
            "1" => ("Say:", "action"),
            // Words only: the closing full stop is not a word.
            _ => ("Say:", "action now, please"),
        };
        assert_eq!(rows[0][col("left")], left, "window {window}");
        assert_eq!(rows[0][col("right")], right, "window {window}");
    }
}

/// `--threads 100000` used to keep creating threads; now it is capped at four per core,
/// says so, and codes exactly as one thread does.
#[test]
fn absurd_thread_counts_are_capped_and_change_nothing() {
    let run = |threads: &str| {
        let out = tanda_at_root()
            .args([
                "analyze",
                "corpus/",
                "--threads",
                threads,
                "--format",
                "csv",
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (many, note) = run("100000");
    assert!(note.contains("--threads 100000: using"), "{note}");
    let (one, _) = run("1");
    assert_eq!(many, one);
}
