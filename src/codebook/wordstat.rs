//! WordStat (Provalis) categorization dictionaries, `.cat`: one line per
//! category or entry, the hierarchy given by leading tabs. An entry line
//! ends in a number in parentheses, its weight (`ABANDON* (1)`); any other
//! line is a category, holding the lines indented below it. Words of a
//! phrase are joined by `_` (`HUMAN_RIGHTS (1)`), `*` is a wildcard.
//!
//! Read as quanteda's `read_dict_wordstat` reads them (an entry is a line
//! ending in ` (N)`, tabs give the depth, `_` becomes a space) except that
//! entries are kept under the category they stand in at every level, and a
//! weight of several digits or with decimals is read too. Entries are
//! lowercased (WordStat writes them in capitals; tanda's matching ignores
//! case anyway). Files are UTF-8 or, as older WordStat versions wrote them,
//! Windows-1252/Latin-1.

use std::fmt::Write as _;

use super::foreign::{Tree, decode, notes, tree};
use super::parse::Parsed;
use super::{Codebook, Diagnostic};

/// `entry (weight)` split, if the line ends in a parenthesised number.
fn entry_of(line: &str) -> Option<(&str, f64)> {
    let body = line.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let num = body[open + 1..].trim();
    if num.is_empty()
        || !num
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    let w: f64 = num.parse().ok().filter(|w: &f64| w.is_finite())?;
    Some((body[..open].trim_end(), w))
}

/// Parse a `.cat` file.
pub fn parse(bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut t = Tree::default();
    let text = decode(bytes, &mut t.diags);
    // Open categories: (depth, index).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let lno = i + 1;
        let depth = raw.chars().take_while(|&c| c == '\t').count();
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        while stack.last().is_some_and(|&(d, _)| d >= depth) {
            stack.pop();
        }
        match entry_of(line) {
            Some((word, weight)) => {
                let Some(&(_, ci)) = stack.last() else {
                    t.error(
                        lno,
                        format!("entry `{line}` stands under no category; put a category line above it, with fewer tabs"),
                    );
                    continue;
                };
                let word = word.replace('_', " ").to_lowercase();
                t.entry(ci, &word, weight, lno);
            }
            None => {
                let parent = stack.last().map(|&(_, p)| p);
                let ci = t.category(parent, line, lno);
                stack.push((depth, ci));
            }
        }
    }
    if !t.fatal && !t.cats.is_empty() && t.cats.iter().all(|c| c.entries.is_empty()) {
        // Every line read as a category: not a WordStat file, or one whose
        // entries lost their `(1)`.
        t.error(
            1,
            "no entry line found: WordStat entries end in a weight in parentheses, like `WORD (1)`; is this a .cat file?",
        );
        t.fatal = true;
    }
    t.finish(
        "WordStat dictionary",
        "a .cat file has category lines and, indented below them with tabs, entries ending in a weight like `WORD (1)`",
    )
}

/// The codebook as a `.cat` file: category names in capitals, entries one
/// tab deeper with their weight, phrases joined by `_`. Entries keep their
/// letters as written: uppercasing is not reversible in every language
/// (`ß` becomes `SS`), and neither WordStat nor tanda matches by case.
pub fn write(cb: &Codebook) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut notes = notes(cb, true, true);
    let mut underscores = 0;
    for n in tree(cb) {
        let _ = writeln!(out, "{}{}", "\t".repeat(n.depth), n.name.to_uppercase());
        for (e, w) in &n.entries {
            if e.contains('_') {
                underscores += 1;
            }
            let _ = writeln!(
                out,
                "{}{} ({})",
                "\t".repeat(n.depth + 1),
                e.split_whitespace().collect::<Vec<_>>().join("_"),
                w
            );
        }
    }
    if underscores > 0 {
        notes.push(format!(
            "{underscores} entr{} hold `_`, which WordStat reads as a space between words",
            if underscores == 1 { "y" } else { "ies" }
        ));
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_weights_and_phrases() {
        let src = "POSITIVE\n\tGOOD (1)\n\tHUMAN_RIGHTS (2)\n\tSUB\n\t\tEXCELLEN* (1)\n\tFINE (1)\nNEGATIVE\n\tBAD (1)\n";
        let (p, d) = parse(src.as_bytes());
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        let got: Vec<(&str, Vec<(&str, f64)>)> = p
            .categories
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.entries
                        .iter()
                        .map(|e| (e.text.as_str(), e.weight))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "positive",
                    vec![("good", 1.0), ("human rights", 2.0), ("fine", 1.0)]
                ),
                ("positive.sub", vec![("excellen*", 1.0)]),
                ("negative", vec![("bad", 1.0)]),
            ]
        );
        assert_eq!(p.categories[0].label, "POSITIVE");
    }

    #[test]
    fn entry_lines_need_a_number_in_parentheses() {
        assert_eq!(entry_of("GOOD (1)"), Some(("GOOD", 1.0)));
        assert_eq!(entry_of("GOOD (12)"), Some(("GOOD", 12.0)));
        assert_eq!(entry_of("GOOD (x)"), None);
        assert_eq!(entry_of("GOOD"), None);
        let (_, d) = parse(b"ORPHAN (1)\n");
        assert!(d[0].message.contains("under no category"));
        let (p, d) = parse(b"just\nsome text\n");
        assert!(
            p.is_none() && d[0].message.contains("no entry line"),
            "{d:?}"
        );
    }
}
