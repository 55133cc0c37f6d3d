//! Compilation of a validated codebook into a [`Matcher`]: every distinct
//! word pattern becomes one [`Pattern`] indexed by its first atom, so looking
//! up the candidates at a text position costs a hash lookup (exact words,
//! including generated Indonesian forms) plus one lookup per distinct
//! glob-prefix length, whatever the number of entries.

use std::collections::{BTreeSet, HashMap, HashSet};

use regex::{Regex, RegexBuilder};

use super::rule::{Operand, Order, Rule};
use super::{AtomPattern, Codebook, Morphology, Pattern, morph};
use crate::text::fold;

pub type PatternId = u32;

type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Who a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternOwner {
    /// Entry `entry` of category `category` (indices into [`Matcher::categories`]
    /// and that category's `entries`).
    Include { category: usize, entry: usize },
    /// An exclusion listed by `category`.
    Exclude { category: usize },
    /// An operand of a proximity rule: its matches are collected, not counted.
    Operand,
}

/// A compiled proximity operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompiledOperand {
    Pattern(PatternId),
    /// Counted hits of a category's subtree.
    Category(usize),
}

/// A compiled proximity rule.
#[derive(Debug, Clone)]
pub struct ProxRule {
    pub category: usize,
    pub entry: usize,
    pub a: CompiledOperand,
    /// The context: any of these satisfies the rule's condition.
    pub b: Vec<CompiledOperand>,
    pub window: usize,
    pub order: Order,
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
    pub min_score: Option<f64>,
    /// Entry texts as written (for reports); indices match `PatternOwner::Include::entry`.
    pub entries: Vec<String>,
    pub entry_weights: Vec<f64>,
    /// Whether a negation word before a hit of the entry cancels it.
    pub entry_negate: Vec<bool>,
    /// Regex texts as written.
    pub regex: Vec<String>,
    pub regex_weights: Vec<f64>,
    pub regex_negate: Vec<bool>,
    /// This category and all its descendants, in display order.
    pub subtree: Vec<usize>,
    /// Indices into [`Matcher::prox`] of this category's proximity rules.
    pub prox: Vec<usize>,
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
    pub prox: Vec<ProxRule>,
    /// Categories in an order where every category comes after those its
    /// proximity rules refer to.
    pub eval_order: Vec<usize>,
    pub negation_words: HashSet<String>,
    pub negation_window: usize,
    // foldhash: a fast non-cryptographic hash; the maps are only looked up,
    // never iterated, so their order cannot reach an output.
    /// Patterns by their exact first atom's folded form; the flag says the
    /// atom is case-sensitive, so the text as written must be compared too
    /// (for the others the key is the whole test: no second look at the
    /// pattern).
    exact_first: FastMap<String, Vec<(PatternId, bool)>>,
    /// All `stem*` prefixes in one byte trie, so a word finds every prefix
    /// it starts with in a single walk over its bytes, whatever the number
    /// of globs or of distinct prefix lengths.
    prefix_trie: PrefixTrie,
    /// Patterns whose first atom is a glob of another shape than `stem*`:
    /// their required literals in one automaton, so a word is
    /// scanned once instead of once per glob; `other_lit[i]` is the pattern
    /// of literal `i`. Globs without a literal are in `other_always`.
    other_ac: Option<aho_corasick::AhoCorasick>,
    other_lit: Vec<PatternId>,
    other_always: Vec<PatternId>,
    /// Per pattern: its slot among the patterns that are operands of
    /// proximity rules (`u32::MAX` if it is not one). The coder keeps the
    /// matches of operands only, so its per-passage table is as small as
    /// the rules, not as large as the codebook.
    pub operand_slot: Vec<u32>,
    /// Number of operand slots.
    pub operands: usize,
}

#[derive(Default)]
struct PatternTable {
    patterns: Vec<CompiledPattern>,
    by_key: HashMap<String, PatternId>,
}

impl PatternTable {
    fn add(&mut self, pattern: Pattern, owner: PatternOwner) -> PatternId {
        let key = pattern.key();
        let id = match self.by_key.get(&key) {
            Some(&id) => id,
            None => {
                self.patterns.push(CompiledPattern {
                    rank: pattern.rank(),
                    pattern,
                    owners: Vec::new(),
                });
                let id = (self.patterns.len() - 1) as PatternId;
                self.by_key.insert(key, id);
                id
            }
        };
        let owners = &mut self.patterns[id as usize].owners;
        if !owners.contains(&owner) {
            owners.push(owner);
        }
        id
    }
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
        let mut categories = category_infos(cb, &order, &index_of);
        let Entries {
            table,
            regexes,
            prox,
        } = compile_entries(cb, &order, &index_of, &mut categories);
        let FirstIndex {
            exact_first,
            prefix_trie,
            other_ac,
            other_lit,
            other_always,
        } = FirstIndex::new(&table.patterns);
        let eval_order = evaluation_order(&categories, &prox);
        let mut operands = 0usize;
        let operand_slot = table
            .patterns
            .iter()
            .map(|cp| {
                if cp.owners.contains(&PatternOwner::Operand) {
                    operands += 1;
                    (operands - 1) as u32
                } else {
                    u32::MAX
                }
            })
            .collect();
        Matcher {
            categories,
            patterns: table.patterns,
            regexes,
            prox,
            eval_order,
            negation_words: cb.negation.words.iter().map(|w| fold(w)).collect(),
            negation_window: cb.negation.window,
            exact_first,
            prefix_trie,
            operand_slot,
            operands,
            other_ac,
            other_lit,
            other_always,
        }
    }

    /// Call `f` with every pattern whose first atom matches a text atom with
    /// folded form `norm`, written `raw`.
    pub fn for_each_first(&self, norm: &str, raw: &str, mut f: impl FnMut(PatternId)) {
        if let Some(ids) = self.exact_first.get(norm) {
            for &(id, case) in ids {
                if !case || self.patterns[id as usize].pattern.atoms[0].matches(norm, raw) {
                    f(id);
                }
            }
        }
        self.prefix_trie.for_each_prefix(norm, &mut f);
        if let Some(ac) = &self.other_ac {
            // Candidates: globs whose literal occurs in the word, tried in
            // pattern order.
            let mut cands: Vec<PatternId> = ac
                .find_overlapping_iter(norm)
                .map(|m| self.other_lit[m.pattern().as_usize()])
                .collect();
            if !cands.is_empty() {
                cands.sort_unstable();
                cands.dedup();
                for id in cands {
                    if self.patterns[id as usize].pattern.atoms[0].matches(norm, raw) {
                        f(id);
                    }
                }
            }
        }
        for &id in &self.other_always {
            if self.patterns[id as usize].pattern.atoms[0].matches(norm, raw) {
                f(id);
            }
        }
    }

    /// Does the codebook give any entry a weight other than 1?
    pub fn is_weighted(&self) -> bool {
        self.categories.iter().any(|c| {
            c.entry_weights
                .iter()
                .chain(&c.regex_weights)
                .any(|&w| w != 1.0)
                || c.min_score.is_some()
        })
    }
}

/// The categories of `cb` in display `order` (`index_of`: id → display
/// index), with their parents, depths, children and subtrees filled in;
/// their proximity rules are added when the entries are compiled.
fn category_infos(
    cb: &Codebook,
    order: &[usize],
    index_of: &HashMap<&str, usize>,
) -> Vec<CategoryInfo> {
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
                min_score: c.min_score,
                entries: c.entries.iter().map(|e| e.text.clone()).collect(),
                entry_weights: c.entries.iter().map(|e| e.weight).collect(),
                entry_negate: c
                    .entries
                    .iter()
                    .map(|e| e.negate.unwrap_or(c.negate))
                    .collect(),
                regex: c.regex.iter().map(|e| e.text.clone()).collect(),
                regex_weights: c.regex.iter().map(|e| e.weight).collect(),
                regex_negate: c
                    .regex
                    .iter()
                    .map(|e| e.negate.unwrap_or(c.negate))
                    .collect(),
                subtree: Vec::new(),
                prox: Vec::new(),
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
    categories
}

/// What the entries, exclusions and regexes of a codebook compile to.
struct Entries {
    table: PatternTable,
    /// Regexes with (category, regex index).
    regexes: Vec<(Regex, usize, usize)>,
    prox: Vec<ProxRule>,
}

/// Compile the entries, exclusions and regexes of every category of `cb`,
/// in display `order`: word patterns into one table (an Indonesian
/// category's plain words with all their generated forms), proximity rules
/// into [`ProxRule`]s, listed in their category of `categories` too.
fn compile_entries(
    cb: &Codebook,
    order: &[usize],
    index_of: &HashMap<&str, usize>,
    categories: &mut [CategoryInfo],
) -> Entries {
    let mut table = PatternTable::default();
    let mut regexes = Vec::new();
    let mut prox = Vec::new();
    for (new, &old) in order.iter().enumerate() {
        let c = &cb.categories[old];
        for (ei, e) in c.entries.iter().enumerate() {
            let owner = PatternOwner::Include {
                category: new,
                entry: ei,
            };
            let rule = if e.case_sensitive {
                Pattern::parse_with(&e.text, true).map(Rule::Pattern)
            } else {
                Rule::parse(&e.text)
            };
            match rule {
                Ok(Rule::Pattern(p)) => {
                    if c.morphology == Some(Morphology::Indonesian)
                        && let [AtomPattern::Exact(root)] = p.atoms.as_slice()
                    {
                        for form in morph::indonesian_forms(root) {
                            table.add(
                                Pattern {
                                    atoms: vec![AtomPattern::Exact(form)],
                                },
                                owner,
                            );
                        }
                    } else {
                        table.add(p, owner);
                    }
                }
                Ok(Rule::Proximity {
                    a,
                    b,
                    window,
                    order,
                }) => {
                    let mut op = |o: &Operand| match o {
                        Operand::Pattern(p) => Some(CompiledOperand::Pattern(
                            table.add(p.clone(), PatternOwner::Operand),
                        )),
                        Operand::Category(id) => Some(CompiledOperand::Category(
                            index_of.get(id.as_str()).copied().unwrap_or(new),
                        )),
                        // Parsing keeps alternatives out of `a` and
                        // flattens them in `b`.
                        Operand::Any(_) => None,
                    };
                    let Some(a) = op(&a) else { continue };
                    let b: Vec<CompiledOperand> =
                        b.alternatives().into_iter().filter_map(&mut op).collect();
                    categories[new].prox.push(prox.len());
                    prox.push(ProxRule {
                        category: new,
                        entry: ei,
                        a,
                        b,
                        window,
                        order,
                    });
                }
                Err(_) => {}
            }
        }
        for e in &c.exclude {
            if let Ok(p) = Pattern::parse_with(&e.text, e.case_sensitive) {
                table.add(p, PatternOwner::Exclude { category: new });
            }
        }
        for (ri, e) in c.regex.iter().enumerate() {
            if let Ok(re) = RegexBuilder::new(&e.text)
                .case_insensitive(!e.case_sensitive)
                .build()
            {
                regexes.push((re, new, ri));
            }
        }
    }
    Entries {
        table,
        regexes,
        prox,
    }
}

/// The patterns indexed by their first atom (the fields of [`Matcher`] of
/// the same names).
struct FirstIndex {
    exact_first: FastMap<String, Vec<(PatternId, bool)>>,
    prefix_trie: PrefixTrie,
    other_ac: Option<aho_corasick::AhoCorasick>,
    other_lit: Vec<PatternId>,
    other_always: Vec<PatternId>,
}

impl FirstIndex {
    /// Index `patterns` by their first atom: exact words in a map, `stem*`
    /// globs in the prefix trie, other globs by their required literal in
    /// one automaton (or tried on every word when there is none).
    fn new(patterns: &[CompiledPattern]) -> FirstIndex {
        let mut exact_first: FastMap<String, Vec<(PatternId, bool)>> = FastMap::default();
        let mut prefix_first: FastMap<String, Vec<PatternId>> = FastMap::default();
        let mut other_first = Vec::new();
        for (id, cp) in patterns.iter().enumerate() {
            let id = id as PatternId;
            let first = &cp.pattern.atoms[0];
            match (first.index_key(), first) {
                (Some(k), _) => exact_first
                    .entry(k)
                    .or_default()
                    .push((id, matches!(first, AtomPattern::ExactCase(_)))),
                (None, AtomPattern::Glob(g)) if g.prefix_only => {
                    prefix_first.entry(g.prefix.clone()).or_default().push(id);
                }
                _ => other_first.push(id),
            }
        }
        let prefix_trie = PrefixTrie::new(&prefix_first);
        let mut other_lit = Vec::new();
        let mut literals = Vec::new();
        let mut other_always = Vec::new();
        for &id in &other_first {
            match &patterns[id as usize].pattern.atoms[0] {
                AtomPattern::Glob(g) => match g.required_literal() {
                    Some(l) => {
                        literals.push(l);
                        other_lit.push(id);
                    }
                    None => other_always.push(id),
                },
                _ => other_always.push(id),
            }
        }
        let other_ac = if literals.is_empty() {
            None
        } else {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(&literals)
                .ok()
        };
        if other_ac.is_none() {
            // No automaton (none needed, or it could not be built): every
            // such glob is tried on every word.
            other_always = other_first.clone();
            other_lit.clear();
        }
        FirstIndex {
            exact_first,
            prefix_trie,
            other_ac,
            other_lit,
            other_always,
        }
    }
}

/// A byte trie of glob prefixes. Prefixes end on character boundaries, so
/// walking a word's UTF-8 bytes finds exactly the prefixes that are prefixes
/// of the word, shortest first.
///
/// Stored as a dense transition table over byte classes (the bytes that occur
/// in some prefix; every other byte ends the walk at once): one array load per
/// byte of the word. A trie of sorted edge lists cost a binary search and a
/// pointer chase per byte, and was the largest single cost of coding with a
/// dictionary of many `stem*` entries.
#[derive(Debug)]
struct PrefixTrie {
    /// Byte → class; class 0 = no prefix has this byte.
    class: [u8; 256],
    /// Number of classes, 0 included.
    width: usize,
    /// `next[node * width + class]`: the child, 0 = none (the root, node 0,
    /// is nobody's child).
    next: Vec<u32>,
    /// Per node: range of `ids` of the patterns whose prefix ends there.
    ends: Vec<(u32, u32)>,
    ids: Vec<PatternId>,
}

impl PrefixTrie {
    fn new(prefixes: &FastMap<String, Vec<PatternId>>) -> Self {
        let mut sorted: Vec<(&String, &Vec<PatternId>)> = prefixes.iter().collect();
        sorted.sort();
        let mut class = [0u8; 256];
        let mut width = 1usize;
        for (prefix, _) in &sorted {
            for &b in prefix.as_bytes() {
                if class[b as usize] == 0 {
                    // At most 255 distinct bytes; classes fit a u8.
                    class[b as usize] = width as u8;
                    width += 1;
                }
            }
        }
        let mut t = PrefixTrie {
            class,
            width,
            next: vec![0; width],
            ends: vec![(0, 0)],
            ids: Vec::new(),
        };
        // Patterns per node, gathered before they are laid out in `ids`.
        let mut at: Vec<Vec<PatternId>> = vec![Vec::new()];
        for (prefix, ids) in sorted {
            let mut node = 0usize;
            for &b in prefix.as_bytes() {
                let slot = node * width + class[b as usize] as usize;
                node = match t.next[slot] {
                    0 => {
                        let child = at.len();
                        at.push(Vec::new());
                        t.next.extend(std::iter::repeat_n(0, width));
                        t.next[slot] = child as u32;
                        child
                    }
                    child => child as usize,
                };
            }
            at[node].extend(ids.iter().copied());
        }
        t.ends = at
            .iter()
            .map(|v| {
                let start = t.ids.len() as u32;
                t.ids.extend_from_slice(v);
                (start, t.ids.len() as u32)
            })
            .collect();
        t
    }

    fn for_each_prefix(&self, word: &str, f: &mut impl FnMut(PatternId)) {
        let mut node = 0usize;
        for &b in word.as_bytes() {
            let c = self.class[b as usize] as usize;
            if c == 0 {
                return;
            }
            node = self.next[node * self.width + c] as usize;
            if node == 0 {
                return;
            }
            let (start, end) = self.ends[node];
            for &id in &self.ids[start as usize..end as usize] {
                f(id);
            }
        }
    }
}

/// Categories ordered so that a category's proximity rules are evaluated
/// after every category (and subtree) they refer to. Validation rejects
/// cycles; should one slip through, the remaining categories follow in
/// display order.
fn evaluation_order(categories: &[CategoryInfo], prox: &[ProxRule]) -> Vec<usize> {
    let n = categories.len();
    let mut deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for r in prox {
        for &o in std::iter::once(&r.a).chain(&r.b) {
            if let CompiledOperand::Category(t) = o {
                for &s in &categories[t].subtree {
                    if s != r.category {
                        deps[r.category].insert(s);
                    }
                }
            }
        }
    }
    // A parent's union needs its subtree; a rule referring to the parent
    // already depends on the whole subtree, so nothing more is needed.
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    loop {
        let before = out.len();
        for c in 0..n {
            if !done[c] && deps[c].iter().all(|&d| done[d]) {
                done[c] = true;
                out.push(c);
            }
        }
        if out.len() == n {
            break;
        }
        if out.len() == before {
            out.extend((0..n).filter(|&c| !done[c]));
            break;
        }
    }
    out
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
entries = ["report", "repo*", "rep*", "*port", "plan of action", { term = "ECPAT", case_sensitive = true }, "*lapor*", "r?p*t"]
"#;
        let (cb, _) = from_source(src, "t").unwrap();
        let m = Matcher::compile(&cb);
        let keys = |norm: &str, raw: &str| {
            let mut got = Vec::new();
            m.for_each_first(norm, raw, |id| {
                got.push(m.patterns[id as usize].pattern.key())
            });
            got.sort();
            got
        };
        assert_eq!(
            keys("report", "Report"),
            vec!["*port", "r?p*t", "rep*", "repo*", "report"]
        );
        assert!(keys("re", "re").is_empty());
        // Globs of other shapes are found through their literals.
        assert_eq!(keys("melaporkan", "melaporkan"), vec!["*lapor*"]);
        assert!(keys("portal", "portal").is_empty());
        assert_eq!(keys("rapt", "rapt"), vec!["r?p*t"]);
        assert_eq!(keys("plan", "plan"), vec!["plan of action"]);
        assert_eq!(keys("ecpat", "ECPAT"), vec!["=ECPAT"]);
        assert!(keys("ecpat", "Ecpat").is_empty());
    }

    #[test]
    fn proximity_rules_are_evaluated_after_their_references() {
        let src = r#"name = "T"
[[category]]
id = "lev"
entries = ["NEAR(@actors, pressure, 5)"]
[[category]]
id = "actors"
[[category]]
id = "actors.ngo"
entries = ["ngo*"]
"#;
        let (cb, _) = from_source(src, "t").unwrap();
        let m = Matcher::compile(&cb);
        let pos = |id: &str| {
            let c = m.categories.iter().position(|c| c.id == id).unwrap();
            m.eval_order.iter().position(|&x| x == c).unwrap()
        };
        assert!(pos("lev") > pos("actors.ngo"));
        assert!(pos("lev") > pos("actors"));
    }

    #[test]
    fn indonesian_morphology_expands_roots_into_exact_forms() {
        let src = r#"name = "T"
morphology = "id"
[[category]]
id = "a"
entries = ["lapor", "data sekunder"]
[[category]]
id = "b"
morphology = "none"
entries = ["desak"]
"#;
        let (cb, _) = from_source(src, "t").unwrap();
        let m = Matcher::compile(&cb);
        let hit = |w: &str| {
            let mut n = 0;
            m.for_each_first(w, w, |_| n += 1);
            n
        };
        assert_eq!(hit("melaporkan"), 1);
        assert_eq!(hit("pelaporan"), 1);
        assert_eq!(hit("data"), 1);
        assert_eq!(hit("desak"), 1);
        assert_eq!(hit("mendesak"), 0);
    }
}
