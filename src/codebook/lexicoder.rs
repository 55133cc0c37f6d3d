//! Lexicoder `.lc3` dictionaries: a `+category` line, then that category's
//! entries one per line (`*` a wildcard at the end of a word, spaces
//! between the words of a phrase), then the next `+category`.
//!
//! Read as quanteda's `read_dict_lexicoder` reads them: lines trimmed,
//! blank lines skipped, the category name is the rest of the `+` line.
//! Lexicoder has no hierarchy; a name with dots (`neg.positive`) is read as
//! a path, so the `.lc3` tanda writes (`+parent.child`) reads back as the
//! same tree. Lexicoder 3 writes UTF-8; other bytes are read as
//! Windows-1252 with a warning.

use std::fmt::Write as _;

use super::foreign::{Tree, decode, notes, tree};
use super::parse::Parsed;
use super::{Codebook, Diagnostic};

/// Parse a `.lc3` file.
pub fn parse(bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut t = Tree::default();
    let text = decode(bytes, &mut t.diags);
    let mut current: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let lno = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('+') {
            let name = name.trim();
            if name.is_empty() {
                t.error(lno, "a `+` line needs a category name after the `+`");
                current = None;
                continue;
            }
            let parts: Vec<&str> = name.split('.').collect();
            let mut parent = None;
            for (k, part) in parts.iter().enumerate() {
                parent = Some(if k + 1 == parts.len() {
                    t.category(parent, part, lno)
                } else {
                    t.ancestor(parent, part, lno)
                });
            }
            // Only the innermost category takes the entries; an ancestor
            // met again is not a repeat.
            current = parent;
            continue;
        }
        match current {
            Some(ci) => t.entry(ci, line, 1.0, lno),
            None => {
                t.error(
                    lno,
                    format!("entry `{line}` comes before any `+category` line; put a `+name` line above it"),
                );
            }
        }
    }
    t.finish(
        "Lexicoder dictionary",
        "a .lc3 file starts each category with a `+name` line",
    )
}

/// The codebook as a `.lc3` file, with notes on what it cannot hold.
pub fn write(cb: &Codebook) -> (String, Vec<String>) {
    let mut out = String::new();
    for n in tree(cb) {
        let _ = writeln!(out, "+{}", n.id);
        for (e, _) in &n.entries {
            let _ = writeln!(out, "{e}");
        }
    }
    (out, notes(cb, false, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_entries_and_dotted_paths() {
        let (p, d) = parse(b"\xef\xbb\xbf+negative\r\nabandon*\r\n  a lie*\r\n\r\n+neg.positive\r\nnot good\r\n+negative\r\nabandon*\r\n");
        let p = p.unwrap();
        let ids: Vec<&str> = p.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["negative", "neg", "neg.positive"]);
        let texts: Vec<&str> = p.categories[0]
            .entries
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(texts, vec!["abandon*", "a lie*"]);
        assert_eq!(p.categories[2].entries[0].text, "not good");
        // The repeated `+negative` merges, the repeated entry warns (line 8).
        assert!(
            d.iter()
                .any(|x| x.pos.line == 7 && x.message.contains("merged")),
            "{d:?}"
        );
        assert!(
            d.iter()
                .any(|x| x.pos.line == 8 && x.message.contains("repeats line 2")),
            "{d:?}"
        );
    }

    #[test]
    fn entries_before_any_category_are_errors() {
        let (_, d) = parse(b"orphan\n+a\nx\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].pos.line, 1);
        let (p, d) = parse(b"");
        assert!(p.is_none() && d[0].message.contains("no category"));
    }
}
