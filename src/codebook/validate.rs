//! Checks that a parsed codebook can be compiled and means what its author
//! thinks it means. Errors stop a run; warnings are printed and the run goes on.

use std::collections::{BTreeMap, HashMap, HashSet};

use regex::RegexBuilder;

use super::rule::{Operand, Rule};
use super::{AtomPattern, Category, Codebook, Diagnostic, Pattern, Pos};

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

/// Parse an entry as the compiler will.
fn rule_of(e: &super::Entry) -> Result<Rule, String> {
    if e.case_sensitive {
        Pattern::parse_with(&e.text, true).map(Rule::Pattern)
    } else {
        Rule::parse(&e.text)
    }
}

/// Every problem of `cb`, errors and warnings, in the order of the file.
pub fn validate(cb: &Codebook) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    if cb.name.trim().is_empty() {
        d.push(Diagnostic::error(
            Pos { line: 1, column: 1 },
            "the codebook's `name` is empty",
        ));
    }
    check_ids(cb, &mut d);

    let ids: HashSet<&str> = cb.categories.iter().map(|c| c.id.as_str()).collect();
    // Each entry parsed once, for all the checks below (a 6,000-entry
    // dictionary spent most of its loading time parsing entries again).
    let rules: Vec<Vec<Result<Rule, String>>> = cb
        .categories
        .iter()
        .map(|c| c.entries.iter().map(rule_of).collect())
        .collect();
    let has_children: HashSet<&str> = cb.categories.iter().filter_map(|c| c.parent_id()).collect();

    for (c, rules) in cb.categories.iter().zip(&rules) {
        check_place(c, &ids, &has_children, &mut d);
        check_entries(c, rules, &ids, &mut d);
        check_exclusions(c, &mut d);
        check_regexes(c, &mut d);
    }
    for w in &cb.negation.words {
        if Pattern::parse(w).map(|p| p.atoms.len()) != Ok(1) {
            d.push(Diagnostic::error(
                Pos { line: 1, column: 1 },
                format!("negation word `{w}` must be a single word"),
            ));
        }
    }

    sibling_duplicates(cb, &rules, &mut d);
    reference_cycles(cb, &mut d);
    d.sort_by_key(|x| (x.pos.line, x.pos.column));
    d
}

/// Category ids that are malformed or defined twice.
fn check_ids(cb: &Codebook, d: &mut Vec<Diagnostic>) {
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
}

/// A category's place in the tree: a parent that does not exist (among
/// `ids`) is an error, a category with nothing to code (no entries, no
/// regex, not among `has_children`) a warning.
fn check_place(
    c: &Category,
    ids: &HashSet<&str>,
    has_children: &HashSet<&str>,
    d: &mut Vec<Diagnostic>,
) {
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
    // An empty category is a codebook under construction (or a format that cannot hold
    // its rules, as LIWC cannot hold proximity), not a broken one: it codes nothing,
    // and the user is told so.
    if c.entries.is_empty() && c.regex.is_empty() && !has_children.contains(c.id.as_str()) {
        d.push(Diagnostic::warning(
            c.pos,
            format!(
                "category `{}` is empty: it has no entries, no regex and no child categories, so it codes nothing; add entries or remove it",
                c.id
            ),
        ));
    }
}

/// A category's entries (`rules`: each parsed): parse errors, proximity
/// operands naming no category of `ids`, repeats, globs so short they match
/// almost any word, and exact entries a glob of the category shadows.
fn check_entries(
    c: &Category,
    rules: &[Result<Rule, String>],
    ids: &HashSet<&str>,
    d: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
    let mut globs: Vec<(&str, super::pattern::Glob)> = Vec::new();
    let mut exacts: Vec<(&super::Entry, String)> = Vec::new();
    for (e, rule) in c.entries.iter().zip(rules) {
        match rule {
            Err(msg) => d.push(Diagnostic::error(
                e.pos,
                format!("entry `{}`: {msg}", e.text),
            )),
            Ok(Rule::Proximity { a, b, .. }) => {
                for o in a.alternatives().into_iter().chain(b.alternatives()) {
                    if let Operand::Category(r) = o
                        && !ids.contains(r.as_str())
                    {
                        d.push(Diagnostic::error(
                            e.pos,
                            format!("entry `{}` refers to @{r}, which is not a category of this codebook", e.text),
                        ));
                    }
                }
            }
            Ok(Rule::Pattern(p)) => {
                let key = p.key();
                if let Some(prev) = seen.get(&key) {
                    d.push(Diagnostic::warning(
                        e.pos,
                        format!(
                            "entry `{}` repeats `{key}` from line {} in category `{}`; it is counted once, remove one",
                            e.text, prev.line, c.id
                        ),
                    ));
                    continue;
                }
                seen.insert(key.clone(), e.pos);
                match p.atoms.as_slice() {
                    [AtomPattern::Glob(g)] => {
                        if g.literal_len <= 2 {
                            d.push(Diagnostic::warning(
                                e.pos,
                                format!(
                                    "glob `{}` has {} literal letter(s): it matches almost any word (every word of 2 letters or fewer it covers); make it longer",
                                    e.text, g.literal_len
                                ),
                            ));
                        }
                        globs.push((e.text.as_str(), g.clone()));
                    }
                    [AtomPattern::Exact(w)] => exacts.push((e, w.clone())),
                    _ => {}
                }
            }
        }
    }
    for (e, w) in &exacts {
        if let Some((g, _)) = globs.iter().find(|(_, g)| g.matches(w)) {
            d.push(Diagnostic::warning(
                e.pos,
                format!(
                    "entry `{}` is shadowed by glob `{g}` in the same category: it adds nothing to the counts (tanda prefers the exact entry in hits.csv; LIWC would credit the glob)",
                    e.text
                ),
            ));
        }
    }
}

/// A category's exclusions: each must be a word, glob or phrase.
fn check_exclusions(c: &Category, d: &mut Vec<Diagnostic>) {
    for e in &c.exclude {
        if matches!(Rule::parse(&e.text), Ok(Rule::Proximity { .. })) {
            d.push(Diagnostic::error(
                e.pos,
                format!(
                    "exclusion `{}` is a proximity rule; exclusions are words, globs or phrases",
                    e.text
                ),
            ));
        } else if let Err(msg) = Pattern::parse_with(&e.text, e.case_sensitive) {
            d.push(Diagnostic::error(
                e.pos,
                format!("exclusion `{}`: {msg}", e.text),
            ));
        }
    }
}

/// A category's regexes: each must compile; one that can match the empty
/// string is warned about.
fn check_regexes(c: &Category, d: &mut Vec<Diagnostic>) {
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

/// The same entry in two categories that share a parent is almost always a
/// slip: the passage will be coded for both.
fn sibling_duplicates(cb: &Codebook, rules: &[Vec<Result<Rule, String>>], d: &mut Vec<Diagnostic>) {
    let mut by_parent: BTreeMap<Option<&str>, BTreeMap<String, (&str, Pos)>> = BTreeMap::new();
    for (c, rules) in cb.categories.iter().zip(rules) {
        let group = by_parent.entry(c.parent_id()).or_default();
        for (e, rule) in c.entries.iter().zip(rules) {
            let Ok(Rule::Pattern(p)) = rule else {
                continue;
            };
            let key = p.key();
            match group.get(&key) {
                // One dictionary line that lists several categories is a
                // deliberate choice (LIWC does it all the time), not a slip.
                Some((other, prev)) if *other != c.id.as_str() && prev.line != e.pos.line => d.push(Diagnostic::warning(
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

/// `@category` references must not loop (a category cannot be evaluated
/// before itself): `leverage.moral` may not refer to `@leverage`.
fn reference_cycles(cb: &Codebook, d: &mut Vec<Diagnostic>) {
    let in_subtree = |id: &str, root: &str| id == root || id.starts_with(&format!("{root}."));
    // Edges: category → categories it needs (the referenced subtrees).
    let mut needs: BTreeMap<&str, Vec<(&str, Pos, String)>> = BTreeMap::new();
    for c in &cb.categories {
        for e in &c.entries {
            let Ok(rule) = rule_of(e) else { continue };
            for r in rule.category_refs() {
                for t in cb.categories.iter().filter(|t| in_subtree(&t.id, r)) {
                    needs
                        .entry(&c.id)
                        .or_default()
                        .push((&t.id, e.pos, e.text.clone()));
                }
            }
        }
    }
    // Depth-first search for a path back to the start.
    for start in needs.keys() {
        let mut stack: Vec<&str> = vec![start];
        let mut seen: HashSet<&str> = HashSet::new();
        let mut found: Option<(Pos, String)> = None;
        let first_edges = &needs[start];
        'outer: while let Some(cur) = stack.pop() {
            for (next, pos, text) in needs.get(cur).map(Vec::as_slice).unwrap_or(&[]) {
                if next == start {
                    let (p, t) = if cur == *start {
                        (*pos, text.clone())
                    } else {
                        first_edges
                            .first()
                            .map_or((*pos, text.clone()), |(_, p, t)| (*p, t.clone()))
                    };
                    found = Some((p, t));
                    break 'outer;
                }
                if seen.insert(next) {
                    stack.push(next);
                }
            }
        }
        if let Some((pos, text)) = found {
            d.push(Diagnostic::error(
                pos,
                format!(
                    "entry `{text}` makes category `{start}` depend on itself through its @references; refer to a category outside its own subtree"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Severity, from_source};
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
entries = ["NEAR(@nowhere, x, 3)", "NEAR(x, y)"]
"#;
        let d = diags(src);
        let lines: Vec<(usize, bool)> = d
            .iter()
            .map(|x| (x.pos.line, x.severity == Severity::Error))
            .collect();
        assert_eq!(
            lines,
            vec![
                (4, true),
                (6, true),
                (9, true),
                (12, false),
                (15, true),
                (16, true),
                (16, true)
            ],
            "{d:#?}"
        );
        assert!(d[2].message.contains("parent `b`"));
        assert!(d[3].message.contains("empty"));
        assert!(d[4].message.contains("does not compile"));
        assert!(d[5].message.contains("@nowhere") || d[6].message.contains("@nowhere"));
    }

    #[test]
    fn warnings_do_not_fail() {
        let src = r#"name = "T"
[[category]]
id = "p"
[[category]]
id = "p.a"
entries = ["lobby", "Lobby", "lobb*", "in*"]
[[category]]
id = "p.b"
entries = ["lobby"]
regex = ["x*"]
"#;
        let (_, w) = from_source(src, "t.toml").unwrap();
        let msgs: Vec<&str> = w.iter().map(|x| x.message.as_str()).collect();
        assert_eq!(w.len(), 5, "{msgs:#?}");
        assert!(msgs.iter().any(|m| m.contains("repeats")));
        assert!(msgs.iter().any(|m| m.contains("shadowed by glob `lobb*`")));
        assert!(msgs.iter().any(|m| m.contains("`in*` has 2 literal")));
        assert!(msgs.iter().any(|m| m.contains("sibling category `p.a`")));
        assert!(msgs.iter().any(|m| m.contains("empty string")));
    }

    #[test]
    fn self_reference_through_a_parent_is_an_error() {
        let src = r#"name = "T"
[[category]]
id = "lev"
[[category]]
id = "lev.moral"
entries = ["NEAR(ngo, @lev, 5)"]
[[category]]
id = "ok"
entries = ["NEAR(ngo, @lev, 5)"]
"#;
        let d = diags(src);
        let errors: Vec<&Diagnostic> = d.iter().filter(|x| x.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 1, "{d:#?}");
        assert_eq!(errors[0].pos.line, 6);
        assert!(errors[0].message.contains("depend on itself"));
    }

    #[test]
    fn proximity_rules_are_not_exclusions() {
        let d = diags(
            "name = \"T\"\n[[category]]\nid = \"a\"\nentries = [\"x\"]\nexclude = [\"NEAR(a, b, 3)\"]\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("is a proximity rule"));
    }
}
