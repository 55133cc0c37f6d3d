//! No function of the library or the CLI is over 120 lines (issue 20: a
//! function does one job; long ones were split where their own comments
//! divided them). Counted on rustfmt-formatted source: from the `fn` line to
//! the `}` at the same indentation; `#[cfg(test)]` modules are not counted.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 120;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// (name, first line, length) of every function in `src` outside test modules.
fn functions(src: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = src.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        // A test module: skip to its closing brace.
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .get(i + 1)
                .is_some_and(|l| l.trim_start().starts_with("mod "))
        {
            let indent = line.len() - trimmed.len();
            let close = format!("{}}}", " ".repeat(indent));
            i += 2;
            while i < lines.len() && lines[i] != close {
                i += 1;
            }
            i += 1;
            continue;
        }
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        let fn_at = words.iter().position(|w| *w == "fn");
        let is_fn = fn_at.is_some_and(|k| {
            words[..k].iter().all(|w| {
                matches!(*w, "pub" | "const" | "async" | "unsafe" | "extern")
                    || w.starts_with("pub(")
                    || w.starts_with('"')
            })
        });
        if let (true, Some(k)) = (is_fn, fn_at) {
            let name: String = words
                .get(k + 1)
                .map(|w| {
                    w.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect()
                })
                .unwrap_or_default();
            let indent = line.len() - trimmed.len();
            // The signature ends at a line ending in `{` (a body) or `;` (none).
            let mut j = i;
            while j < lines.len() && !lines[j].ends_with('{') && !lines[j].ends_with(';') {
                j += 1;
            }
            if j < lines.len() && lines[j].ends_with('{') {
                let close = format!("{}}}", " ".repeat(indent));
                let mut k = j + 1;
                while k < lines.len() && lines[k] != close {
                    k += 1;
                }
                found.push((name, i + 1, k - i + 1));
                i = k + 1;
                continue;
            }
        }
        i += 1;
    }
    found
}

#[test]
fn the_counter_counts_what_it_should() {
    let src = "fn a() {\n    x;\n}\n\npub(crate) fn b(\n    y: u8,\n) -> u8 {\n    y\n}\n\ntrait T {\n    fn c(&self);\n}\n\n#[cfg(test)]\nmod tests {\n    fn long() {\n    }\n}\n";
    assert_eq!(
        functions(src),
        vec![("a".to_string(), 1, 3), ("b".to_string(), 5, 5)]
    );
}

#[test]
fn no_function_is_over_120_lines() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut long = Vec::new();
    let mut counted = 0;
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        for (name, line, len) in functions(&src) {
            counted += 1;
            if len > MAX_LINES {
                long.push(format!("{}:{line} {name}: {len} lines", f.display()));
            }
        }
    }
    assert!(counted > 500, "found only {counted} functions");
    assert!(
        long.is_empty(),
        "functions over {MAX_LINES} lines (split them where their comments divide them):\n{}",
        long.join("\n")
    );
}
