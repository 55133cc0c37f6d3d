//! Checks that a parsed codebook can be compiled and means what its author
//! thinks it means. Errors stop a run; warnings are printed and the run goes on.

use std::collections::{BTreeMap, HashMap, HashSet};

use regex::RegexBuilder;

use super::{Codebook, Diagnostic, Pattern, Pos};

/// Is `id` a well-formed category id (`leverage`, `leverage.material`)?
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

pub fn validate(cb: &Codebook) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    if cb.name.trim().is_empty() {
        d.push(Diagnostic::error(
            Pos { line: 1, column: 1 },
            "the codebook's `name` is empty",
        ));
    }

    let mut first_pos: HashMap<&str, Pos> = HashMap::new();
    for c in &cb.categories {
        if !valid_id(&c.id) {
            d.push(Diagnostic::error(
                c.pos,
                format!(
                    "category id `{}` is not valid: use letters, digits, `_` or `-`, with `.` only between a parent's id and a child's (`leverage.material`)",
                    c.id
                ),
            ));
            continue;
        }
        if let Some(prev) = first_pos.get(c.id.as_str()) {
            d.push(Diagnostic::error(
                c.pos,
                format!(
                    "duplicate category id `{}` (first defined at line {}); rename one of them",
                    c.id, prev.line
                ),
            ));
        } else {
            first_pos.insert(&c.id, c.pos);
        }
    }

    let ids: HashSet<&str> = cb.categories.iter().map(|c| c.id.as_str()).collect();
    let has_children: HashSet<&str> = cb.categories.iter().filter_map(|c| c.parent_id()).collect();

    for c in &cb.categories {
        if let Some(parent) = c.parent_id()
            && valid_id(&c.id)
            && !ids.contains(parent)
        {
            d.push(Diagnostic::error(
                c.pos,
                format!(
                    "category `{}` names a parent `{parent}` that does not exist; add a [[category]] with id = \"{parent}\" or rename this one",
                    c.id
                ),
            ));
        }
        if c.entries.is_empty() && c.regex.is_empty() && !has_children.contains(c.id.as_str()) {
            d.push(Diagnostic::error(
                c.pos,
                format!(
                    "category `{}` is empty: it has no entries, no regex and no child categories",
                    c.id
                ),
            ));
        }

        let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
        for e in c.entries.iter().chain(&c.exclude) {
            match Pattern::parse(&e.text) {
                Err(msg) => d.push(Diagnostic::error(
                    e.pos,
                    format!("entry `{}`: {msg}", e.text),
                )),
                Ok(p) => {
                    let key = p.key();
                    if let Some(prev) = seen.get(&key) {
                        d.push(Diagnostic::warning(
                            e.pos,
                            format!(
                                "entry `{}` repeats `{key}` from line {} in category `{}`; it is counted once, remove one",
                                e.text, prev.line, c.id
                            ),
                        ));
                    } else {
                        seen.insert(key, e.pos);
                    }
                }
            }
        }
        for e in &c.regex {
            match RegexBuilder::new(&e.text).case_insensitive(true).build() {
                Err(err) => {
                    let msg = err
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .to_string();
                    d.push(Diagnostic::error(
                        e.pos,
                        format!("regex `{}` does not compile: {msg}", e.text),
                    ));
                }
                Ok(re) if re.is_match("") => d.push(Diagnostic::warning(
                    e.pos,
                    format!(
                        "regex `{}` can match the empty string; such matches are ignored",
                        e.text
                    ),
                )),
                Ok(_) => {}
            }
        }
    }

    sibling_duplicates(cb, &mut d);
    d.sort_by_key(|x| (x.pos.line, x.pos.column));
    d
}

/// The same entry in two categories that share a parent is almost always a
/// slip: the passage will be coded for both.
fn sibling_duplicates(cb: &Codebook, d: &mut Vec<Diagnostic>) {
    let mut by_parent: BTreeMap<Option<&str>, BTreeMap<String, (&str, Pos)>> = BTreeMap::new();
    for c in &cb.categories {
        let group = by_parent.entry(c.parent_id()).or_default();
        for e in &c.entries {
            let Ok(p) = Pattern::parse(&e.text) else {
                continue;
            };
            let key = p.key();
            match group.get(&key) {
                Some((other, prev)) if *other != c.id.as_str() => d.push(Diagnostic::warning(
                    e.pos,
                    format!(
                        "entry `{}` is also in sibling category `{other}` (line {}); a match counts for both",
                        e.text, prev.line
                    ),
                )),
                Some(_) => {}
                None => {
                    group.insert(key, (&c.id, e.pos));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::from_source;
    use super::*;

    fn diags(src: &str) -> Vec<Diagnostic> {
        match from_source(src, "t.toml") {
            Ok((_, w)) => w,
            Err(d) => d,
        }
    }

    #[test]
    fn every_structural_error_is_found_at_once() {
        let src = r#"name = "T"
[[category]]
id = "a"
entries = ["x", "*"]
[[category]]
id = "a"
entries = ["y"]
[[category]]
id = "b.c"
entries = ["z"]
[[category]]
id = "empty"
[[category]]
id = "r"
regex = ["(unclosed"]
"#;
        let d = diags(src);
        let lines: Vec<(usize, bool)> = d
            .iter()
            .map(|x| (x.pos.line, x.severity == super::super::Severity::Error))
            .collect();
        assert_eq!(
            lines,
            vec![(4, true), (6, true), (9, true), (12, true), (15, true)],
            "{d:#?}"
        );
        assert!(d[2].message.contains("parent `b`"));
        assert!(d[3].message.contains("empty"));
        assert!(d[4].message.contains("does not compile"));
    }

    #[test]
    fn warnings_do_not_fail() {
        let src = r#"name = "T"
[[category]]
id = "p"
[[category]]
id = "p.a"
entries = ["lobby", "Lobby"]
[[category]]
id = "p.b"
entries = ["lobby"]
regex = ["x*"]
"#;
        let (_, w) = from_source(src, "t.toml").unwrap();
        assert_eq!(w.len(), 3, "{w:#?}");
        assert!(w[0].message.contains("repeats"));
        assert!(w[1].message.contains("sibling category `p.a`"));
        assert!(w[2].message.contains("empty string"));
    }
}
