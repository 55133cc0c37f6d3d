//! Compilation of a validated codebook into a [`Matcher`]: every distinct
//! entry becomes one [`Pattern`] indexed by its first atom, so looking up the
//! candidates at a text position costs a hash lookup (exact words) plus one
//! lookup per distinct glob-prefix length, whatever the number of entries.

use std::collections::{BTreeSet, HashMap};

use regex::{Regex, RegexBuilder};

use super::{AtomPattern, Codebook, Pattern};

pub type PatternId = u32;

/// Who a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternOwner {
    /// Entry `entry` of category `category` (indices into [`Matcher::categories`]
    /// and that category's `entries`).
    Include { category: usize, entry: usize },
    /// An exclusion listed by `category`.
    Exclude { category: usize },
}

/// A category as the coder and the reports see it, in display (tree) order.
#[derive(Debug, Clone)]
pub struct CategoryInfo {
    pub id: String,
    pub label: String,
    pub description: String,
    pub parent: Option<usize>,
    pub depth: usize,
    pub children: Vec<usize>,
    pub threshold: u32,
    /// Entry texts as written (for reports); indices match `PatternOwner::Include::entry`.
    pub entries: Vec<String>,
    /// Regex texts as written.
    pub regex: Vec<String>,
    /// This category and all its descendants, in display order.
    pub subtree: Vec<usize>,
}

#[derive(Debug)]
pub struct CompiledPattern {
    pub pattern: Pattern,
    pub rank: (usize, usize, usize),
    pub owners: Vec<PatternOwner>,
}

/// A compiled codebook.
#[derive(Debug)]
pub struct Matcher {
    pub categories: Vec<CategoryInfo>,
    pub patterns: Vec<CompiledPattern>,
    /// Regexes with (category, regex index).
    pub regexes: Vec<(Regex, usize, usize)>,
    exact_first: HashMap<String, Vec<PatternId>>,
    prefix_first: HashMap<String, Vec<PatternId>>,
    /// Distinct character lengths of the prefixes in `prefix_first`, ascending.
    prefix_lens: Vec<usize>,
    /// Patterns whose first atom is a glob of another shape.
    other_first: Vec<PatternId>,
}

impl Matcher {
    /// Compile a codebook that passed validation. Entries that do not parse
    /// (only possible if validation was skipped) are left out.
    pub fn compile(cb: &Codebook) -> Matcher {
        let order = display_order(cb);
        let mut index_of: HashMap<&str, usize> = HashMap::new();
        for (new, &old) in order.iter().enumerate() {
            index_of.insert(cb.categories[old].id.as_str(), new);
        }
        let mut categories: Vec<CategoryInfo> = order
            .iter()
            .map(|&old| {
                let c = &cb.categories[old];
                let parent = c.parent_id().and_then(|p| index_of.get(p).copied());
                CategoryInfo {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    description: c.description.clone(),
                    parent,
                    depth: 0,
                    children: Vec::new(),
                    threshold: c.threshold,
                    entries: c.entries.iter().map(|e| e.text.clone()).collect(),
                    regex: c.regex.iter().map(|e| e.text.clone()).collect(),
                    subtree: Vec::new(),
                }
            })
            .collect();
        for i in 0..categories.len() {
            let mut depth = 0;
            let mut p = categories[i].parent;
            while let Some(pi) = p {
                depth += 1;
                categories[pi].subtree.push(i);
                p = categories[pi].parent;
            }
            categories[i].depth = depth;
            if let Some(pi) = categories[i].parent {
                categories[pi].children.push(i);
            }
        }
        for (i, c) in categories.iter_mut().enumerate() {
            c.subtree.insert(0, i);
            c.subtree.sort_unstable();
        }

        let mut patterns: Vec<CompiledPattern> = Vec::new();
        let mut by_key: HashMap<String, PatternId> = HashMap::new();
        let mut add = |pattern: Pattern, owner: PatternOwner| {
            let key = pattern.key();
            let id = *by_key.entry(key).or_insert_with(|| {
                patterns.push(CompiledPattern {
                    rank: pattern.rank(),
                    pattern,
                    owners: Vec::new(),
                });
                (patterns.len() - 1) as PatternId
            });
            let owners = &mut patterns[id as usize].owners;
            if !owners.contains(&owner) {
                owners.push(owner);
            }
        };
        let mut regexes = Vec::new();
        for (new, &old) in order.iter().enumerate() {
            let c = &cb.categories[old];
            for (ei, e) in c.entries.iter().enumerate() {
                if let Ok(p) = Pattern::parse(&e.text) {
                    add(
                        p,
                        PatternOwner::Include {
                            category: new,
                            entry: ei,
                        },
                    );
                }
            }
            for e in &c.exclude {
                if let Ok(p) = Pattern::parse(&e.text) {
                    add(p, PatternOwner::Exclude { category: new });
                }
            }
            for (ri, e) in c.regex.iter().enumerate() {
                if let Ok(re) = RegexBuilder::new(&e.text).case_insensitive(true).build() {
                    regexes.push((re, new, ri));
                }
            }
        }

        let mut exact_first: HashMap<String, Vec<PatternId>> = HashMap::new();
        let mut prefix_first: HashMap<String, Vec<PatternId>> = HashMap::new();
        let mut prefix_lens = BTreeSet::new();
        let mut other_first = Vec::new();
        for (id, cp) in patterns.iter().enumerate() {
            let id = id as PatternId;
            match &cp.pattern.atoms[0] {
                AtomPattern::Exact(s) => exact_first.entry(s.clone()).or_default().push(id),
                AtomPattern::Glob(g) if g.prefix_only => {
                    prefix_lens.insert(g.prefix.chars().count());
                    prefix_first.entry(g.prefix.clone()).or_default().push(id);
                }
                AtomPattern::Glob(_) => other_first.push(id),
            }
        }
        Matcher {
            categories,
            patterns,
            regexes,
            exact_first,
            prefix_first,
            prefix_lens: prefix_lens.into_iter().collect(),
            other_first,
        }
    }

    /// Call `f` with every pattern whose first atom matches `norm`.
    pub fn for_each_first(&self, norm: &str, mut f: impl FnMut(PatternId)) {
        if let Some(ids) = self.exact_first.get(norm) {
            ids.iter().copied().for_each(&mut f);
        }
        if !self.prefix_lens.is_empty() {
            let mut ends = norm
                .char_indices()
                .map(|(i, _)| i)
                .skip(1)
                .chain([norm.len()]);
            let mut taken = 0usize;
            let mut end = 0usize;
            for &len in &self.prefix_lens {
                while taken < len {
                    match ends.next() {
                        Some(e) => {
                            end = e;
                            taken += 1;
                        }
                        None => break,
                    }
                }
                if taken < len {
                    break;
                }
                if let Some(ids) = self.prefix_first.get(&norm[..end]) {
                    ids.iter().copied().for_each(&mut f);
                }
            }
        }
        for &id in &self.other_first {
            if self.patterns[id as usize].pattern.atoms[0].matches(norm) {
                f(id);
            }
        }
    }
}

/// Categories in tree order: each root in codebook order followed by its
/// descendants, children in codebook order. Returns indices into
/// `cb.categories`.
fn display_order(cb: &Codebook) -> Vec<usize> {
    let ids: HashMap<&str, usize> = cb
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); cb.categories.len()];
    let mut roots = Vec::new();
    for (i, c) in cb.categories.iter().enumerate() {
        match c.parent_id().and_then(|p| ids.get(p)) {
            Some(&p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let mut out = Vec::with_capacity(cb.categories.len());
    fn visit(i: usize, children: &[Vec<usize>], out: &mut Vec<usize>) {
        out.push(i);
        for &c in &children[i] {
            visit(c, children, out);
        }
    }
    for r in roots {
        visit(r, &children, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::from_source;
    use super::*;

    #[test]
    fn tree_order_depth_and_subtrees() {
        let src = r#"name = "T"
[[category]]
id = "b.x"
entries = ["bx"]
[[category]]
id = "a"
entries = ["a"]
[[category]]
id = "b"
[[category]]
id = "b.y"
entries = ["by"]
"#;
        let (cb, _) = from_source(src, "t").unwrap();
        let m = Matcher::compile(&cb);
        let ids: Vec<&str> = m.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b", "b.x", "b.y"]);
        assert_eq!(m.categories[2].depth, 1);
        assert_eq!(m.categories[1].subtree, vec![1, 2, 3]);
        assert_eq!(m.categories[1].children, vec![2, 3]);
    }

    #[test]
    fn lookup_by_first_atom() {
        let src = r#"name = "T"
[[category]]
id = "a"
entries = ["report", "repo*", "rep*", "*port", "plan of action"]
"#;
        let (cb, _) = from_source(src, "t").unwrap();
        let m = Matcher::compile(&cb);
        let mut got = Vec::new();
        m.for_each_first("report", |id| {
            got.push(m.patterns[id as usize].pattern.key())
        });
        got.sort();
        assert_eq!(got, vec!["*port", "rep*", "repo*", "report"]);
        let mut got = Vec::new();
        m.for_each_first("re", |id| got.push(id));
        assert!(got.is_empty());
        let mut got = Vec::new();
        m.for_each_first("plan", |id| got.push(m.patterns[id as usize].pattern.key()));
        assert_eq!(got, vec!["plan of action"]);
    }
}
