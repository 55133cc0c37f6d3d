//! Every example the README shows is what the binary prints.
//!
//! Each ```text block of README.md whose first line is `$ tanda …` is run:
//! every `$ tanda ARGS` line is executed (in a scratch folder holding the
//! repository's corpus/, codebooks/ and validation/, and the tutorial's
//! my.toml), and the lines shown after it must appear in its output, in
//! order (a `...` line stands for lines left out). Numbers quoted in the
//! README's prose are checked in `readme_prose_numbers_are_what_tanda_prints`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Split a command line as a POSIX shell would for the README's simple
/// cases: spaces separate words, single and double quotes group.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// The scratch folder the README's commands run in.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    for name in ["corpus", "codebooks", "validation"] {
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).expect("symlink");
    }
    // Tutorial step 5: the built-in codebook without "recommend*" in
    // leverage.moral (its first occurrence).
    let tan = std::fs::read_to_string(root().join("codebooks/tan.toml")).expect("tan.toml");
    let my = tan.replacen("\"recommend*\", ", "", 1);
    assert_ne!(my, tan, "codebooks/tan.toml no longer has \"recommend*\"");
    std::fs::write(dir.path().join("my.toml"), my).expect("my.toml");
    dir
}

/// (command words, expected lines) of every `$ tanda` example.
fn examples(readme: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(l) = lines.next() {
        if l.trim() != "```text" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        if !block.first().is_some_and(|f| f.starts_with("$ tanda ")) {
            continue;
        }
        for line in block {
            match line.strip_prefix("$ ") {
                Some(cmd) => out.push((shell_words(cmd), Vec::new())),
                None => {
                    if let Some(last) = out.last_mut() {
                        last.1.push(line.trim_end().to_string());
                    }
                }
            }
        }
    }
    out
}

fn run(dir: &Path, words: &[String]) -> String {
    assert_eq!(words[0], "tanda");
    let out = Command::cargo_bin("tanda")
        .expect("binary")
        .args(&words[1..])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TANDA_CACHE_DIR", dir.join(".cache"))
        .output()
        .expect("run");
    assert!(
        out.status.success() || out.status.code() == Some(6),
        "README: `{}` failed: {}",
        words.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn readme_examples_are_what_tanda_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let dir = scratch();
    let examples = examples(&readme);
    assert!(examples.len() >= 10, "{} examples found", examples.len());
    for (words, expected) in &examples {
        let got = run(dir.path(), words);
        let got: Vec<&str> = got.lines().map(str::trim_end).collect();
        let mut at = 0;
        for want in expected.iter().filter(|l| l.trim() != "...") {
            match got[at..].iter().position(|g| g == want) {
                Some(i) => at += i + 1,
                None => panic!(
                    "README: `{}` does not print, in this order:\n{want}\n\nit prints:\n{}",
                    words.join(" "),
                    got.join("\n")
                ),
            }
        }
    }
}

#[test]
fn readme_prose_numbers_are_what_tanda_prints() {
    let readme = std::fs::read_to_string(root().join("README.md"))
        .expect("README")
        .replace('\n', " ");
    let dir = scratch();
    let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    run(
        dir.path(),
        &words("tanda analyze corpus/ --quiet --out results/"),
    );
    let mut r = csv::Reader::from_path(dir.path().join("results/passages.csv")).expect("csv");
    let h = r.headers().expect("h").clone();
    let col = |n: &str| h.iter().position(|x| x == n).expect(n);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let coded = rows
        .iter()
        .filter(|r| &r[col("information")] == "1")
        .count();
    let with_hits = rows
        .iter()
        .filter(|r| r[col("information:hits")].parse::<u32>().expect("n") > 0)
        .count();
    let claim = format!(
        "`information` = 1 gives the {coded} coded passages; `information:hits` > 0 gives {with_hits},"
    );
    assert!(readme.contains(&claim), "README should say: {claim}");

    let json = run(
        dir.path(),
        &words("tanda analyze corpus/ --quiet --by source_type --format json"),
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let acc = v["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .find(|t| t["category"] == "accountability")
        .expect("accountability");
    let claim = format!(
        "(Pearson χ² {:.2}, p < .001 if every paragraph were independent) to p = {}:",
        acc["pearson"]["chi2"].as_f64().expect("chi2"),
        format!("{:.3}", acc["p"].as_f64().expect("p")).trim_start_matches('0')
    );
    assert!(acc["pearson"]["p"].as_f64().expect("p") < 0.001);
    assert!(readme.contains(&claim), "README should say: {claim}");
}

/// The README's table of held-out figures is the committed reliability report
/// (which `tests/manual.rs` reproduces from the held-out set).
#[test]
fn readme_reliability_table_is_the_held_out_report() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("validation/reliability-report.json")).expect("report"),
    )
    .expect("json");
    let prf = report["against_reference"].as_array().expect("prf");
    let mut checked = 0;
    for a in report["agreement"].as_array().expect("agreement") {
        let cat = a["category"].as_str().expect("category");
        if cat.contains('.') && !cat.starts_with("leverage.") {
            continue; // the README shows the tactics and the two new groups
        }
        let p = prf.iter().find(|r| r["category"] == cat).expect("prf row");
        let f = |v: &serde_json::Value| v.as_f64().expect("number");
        let row = format!(
            "| {cat} | {} | {:.3} [{:.2}, {:.2}] | {:.3} | {:.3} | {:.3} |",
            a["units"],
            f(&a["alpha"]),
            f(&a["alpha_ci_low"]),
            f(&a["alpha_ci_high"]),
            f(&p["precision"]),
            f(&p["recall"]),
            f(&p["f1"]),
        );
        assert!(readme.contains(&row), "README should have the row: {row}");
        checked += 1;
    }
    assert_eq!(checked, 8, "six tactic columns and the two new groups");
}
