//! `tanda codebook check|show`.

use std::io::Write;
use std::path::Path;

use super::{load_codebook, print_diagnostics};
use crate::codebook::{self, Matcher, Severity};
use crate::error::{Error, exit};

/// Validate a codebook; diagnostics go to standard output (they are the
/// command's result), one per line as `FILE:LINE:COLUMN: severity: message`.
pub(super) fn check(file: &Path) -> anyhow::Result<i32> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match codebook::load(Some(file)) {
        Ok((cb, warnings)) => {
            print_diagnostics(&mut out, &cb.origin, &warnings);
            let entries: usize = cb
                .categories
                .iter()
                .map(|c| c.entries.len() + c.regex.len())
                .sum();
            writeln!(
                out,
                "{}: ok: {} {} — {} categories, {} entries, {} warning(s)",
                cb.origin,
                cb.name,
                cb.version,
                cb.categories.len(),
                entries,
                warnings.len()
            )?;
            Ok(exit::OK)
        }
        Err(Error::Codebook {
            origin,
            diagnostics,
        }) => {
            print_diagnostics(&mut out, &origin, &diagnostics);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            writeln!(
                out,
                "{origin}: {errors} error(s); fix them and run the check again"
            )?;
            Ok(exit::CODEBOOK)
        }
        Err(e) => Err(e.into()),
    }
}

/// Word-wrap `text` at `width` columns with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Print the codebook as a tree.
pub(super) fn show(file: Option<&Path>) -> anyhow::Result<i32> {
    let cb = load_codebook(file, false)?;
    let m = Matcher::compile(&cb);
    let mut s = String::new();
    s.push_str(&format!(
        "{} {} ({}) sha256 {}\n",
        cb.name,
        cb.version,
        cb.origin,
        &cb.sha256[..12]
    ));
    if !cb.description.trim().is_empty() {
        s.push_str(&wrap(&cb.description, 76, ""));
    }
    s.push('\n');
    for c in &m.categories {
        let indent = "  ".repeat(c.depth);
        let own = c.entries.len() + c.regex.len();
        let total: usize = c
            .subtree
            .iter()
            .map(|&i| m.categories[i].entries.len() + m.categories[i].regex.len())
            .sum();
        let counts = if total == own {
            format!("{own} entries")
        } else {
            format!("{own} own entries, {total} with subcategories")
        };
        let threshold = if c.threshold > 1 {
            format!(", threshold {}", c.threshold)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "{indent}{} — {} ({counts}{threshold})\n",
            c.id, c.label
        ));
        s.push_str(&wrap(
            &c.description,
            72usize.saturating_sub(indent.len()),
            &format!("{indent}    "),
        ));
        let sample: Vec<&str> = c.entries.iter().take(8).map(String::as_str).collect();
        if !sample.is_empty() {
            let more = if c.entries.len() > 8 { ", …" } else { "" };
            s.push_str(&format!("{indent}    e.g. {}{more}\n", sample.join(", ")));
        }
        s.push('\n');
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(s.as_bytes())?;
    Ok(exit::OK)
}
