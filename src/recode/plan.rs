//! Which passages a codebook edit can change.
//!
//! A passage's coding is a function of its text and the codebook alone. When
//! an edit leaves the codebook's structure as it was (the categories, their
//! thresholds, regular expressions, negation and morphology settings) and
//! only adds, removes or changes word, glob and phrase entries or
//! exclusions, a passage's counts can change only if a changed pattern (old
//! or new) can start a match in it: the coder looks a pattern up by its
//! first atom, so a passage holding no word the first atom matches never
//! sees that pattern. Unchanged entries keep their relative order, so the
//! coder's tie-breaks (rank, position, category, entry order) decide among
//! them as before. Anything else re-codes every passage.
//!
//! The test is on text, not on words: a passage is re-coded when its folded
//! text (see [`crate::text::fold`]) holds the literal letters every match of
//! a changed first atom must hold. The folded form of every word of a
//! passage is a substring of the folded passage, so this can only re-code
//! too much, never too little.

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

use crate::codebook::{AtomPattern, Codebook, Entry, Matcher, Morphology};
use crate::text::{fold, fold_text};

/// What of a codebook decides how passages are coded: everything but labels,
/// descriptions, the manual and positions. Kept with a run's snapshot, so
/// the next run can tell what an edit changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodingSignature {
    negation_words: Vec<String>,
    negation_window: usize,
    morphology: Option<String>,
    categories: Vec<CategorySignature>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CategorySignature {
    id: String,
    threshold: u32,
    /// `f64::to_bits`, so that equality is exact.
    min_score: Option<u64>,
    negate: bool,
    morphology: Option<String>,
    morphology_set: bool,
    regex: Vec<EntrySignature>,
    entries: Vec<EntrySignature>,
    exclude: Vec<EntrySignature>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct EntrySignature {
    text: String,
    weight: u64,
    case_sensitive: bool,
    negate: Option<bool>,
}

impl EntrySignature {
    fn of(e: &Entry) -> EntrySignature {
        EntrySignature {
            text: e.text.clone(),
            weight: e.weight.to_bits(),
            case_sensitive: e.case_sensitive,
            negate: e.negate,
        }
    }

    fn entry(&self) -> Entry {
        let mut e = Entry::new(self.text.clone(), Default::default());
        e.weight = f64::from_bits(self.weight);
        e.case_sensitive = self.case_sensitive;
        e.negate = self.negate;
        e
    }
}

fn morphology_name(m: Option<Morphology>) -> Option<String> {
    m.map(|m| format!("{m:?}"))
}

impl CodingSignature {
    /// The signature of `cb`.
    pub fn of(cb: &Codebook) -> CodingSignature {
        let sigs = |es: &[Entry]| es.iter().map(EntrySignature::of).collect();
        CodingSignature {
            negation_words: cb.negation.words.clone(),
            negation_window: cb.negation.window,
            morphology: morphology_name(cb.morphology),
            categories: cb
                .categories
                .iter()
                .map(|c| CategorySignature {
                    id: c.id.clone(),
                    threshold: c.threshold,
                    min_score: c.min_score.map(f64::to_bits),
                    negate: c.negate,
                    morphology: morphology_name(c.morphology),
                    morphology_set: c.morphology_set,
                    regex: sigs(&c.regex),
                    entries: sigs(&c.entries),
                    exclude: sigs(&c.exclude),
                })
                .collect(),
        }
    }

    /// The signature with every category's entries and exclusions left out:
    /// what an entry-only edit keeps.
    fn structure(&self) -> CodingSignature {
        let mut s = self.clone();
        for c in &mut s.categories {
            c.entries.clear();
            c.exclude.clear();
        }
        s
    }
}

/// What a run with codebook `new` must re-code, given the snapshot of a run
/// with a codebook of signature `old`.
#[derive(Debug)]
pub enum Plan {
    /// Nothing that decides coding changed: every passage keeps its codes.
    Same,
    /// Only passages whose folded text holds one of these literals can change.
    Passages(Literals),
    /// Every passage must be coded again, for this reason.
    All(String),
}

/// The literal letters of the changed patterns' first atoms, searched for
/// in passages.
#[derive(Debug)]
pub struct Literals {
    /// Folded, deduplicated, sorted.
    pub literals: Vec<String>,
    /// Entries (and exclusions) added, removed or changed.
    pub entries: usize,
    searcher: Searcher,
}

/// How the literals are searched for: a few each with its own SIMD
/// substring searcher (an automaton's prefilter falls back to rare bytes
/// that ordinary text is full of), many with one automaton.
#[derive(Debug)]
enum Searcher {
    None,
    Few(Vec<memchr::memmem::Finder<'static>>),
    Many(AhoCorasick),
}

/// Literals up to which each gets its own searcher.
const FEW: usize = 4;

impl Literals {
    /// Which of a document's passages can be coded differently after the
    /// edit? `folded` is scratch space.
    pub fn may_change<'t>(
        &self,
        passages: impl Iterator<Item = &'t str>,
        folded: &mut String,
    ) -> Vec<bool> {
        // The passages folded, one after another, each followed by a NUL
        // (in no literal), so that no match runs from one into the next.
        folded.clear();
        let mut starts = Vec::new();
        for text in passages {
            starts.push(folded.len());
            fold_text(text, folded);
            folded.push('\0');
        }
        let mut changed = vec![false; starts.len()];
        let hay = folded.as_bytes();
        let passage_at = |pos: usize| starts.partition_point(|&s| s <= pos) - 1;
        // Mark the passage of each match, then go on from the next passage.
        let mut mark_all = |find: &dyn Fn(usize) -> Option<usize>| {
            let mut at = 0;
            while at < hay.len()
                && let Some(pos) = find(at)
            {
                let p = passage_at(pos);
                changed[p] = true;
                at = starts.get(p + 1).copied().unwrap_or(hay.len());
            }
        };
        match &self.searcher {
            Searcher::None => {}
            Searcher::Few(finders) => {
                for f in finders {
                    mark_all(&|at| f.find(&hay[at..]).map(|p| at + p));
                }
            }
            Searcher::Many(ac) => {
                mark_all(&|at| {
                    ac.find(aho_corasick::Input::new(hay).range(at..))
                        .map(|m| m.start())
                });
            }
        }
        changed
    }
}

/// Compare a snapshot's codebook with the codebook of this run.
pub fn plan(old: &CodingSignature, new: &Codebook) -> Plan {
    let new_sig = CodingSignature::of(new);
    if *old == new_sig {
        return Plan::Same;
    }
    if old.structure() != new_sig.structure() {
        return Plan::All(
            "the edit changed more than entries and exclusions (categories, thresholds, regular expressions, negation or morphology)".into(),
        );
    }
    // A codebook of the changed entries alone, with the categories and
    // settings of `new`: its compiled patterns are the changed ones,
    // Indonesian forms included.
    let mut changed = new.clone();
    let mut count = 0;
    for (c, (o, n)) in changed
        .categories
        .iter_mut()
        .zip(old.categories.iter().zip(&new_sig.categories))
    {
        let Some(entries) = changed_entries(&o.entries, &n.entries) else {
            return Plan::All(format!("entries of category `{}` were reordered", n.id));
        };
        let exclude = symmetric_difference(&o.exclude, &n.exclude);
        count += entries.len() + exclude.len();
        c.entries = entries.iter().map(EntrySignature::entry).collect();
        c.exclude = exclude.iter().map(EntrySignature::entry).collect();
        c.regex.clear();
    }
    let matcher = Matcher::compile(&changed);
    if !matcher.prox.is_empty() {
        return Plan::All("a proximity rule was edited".into());
    }
    let mut literals = Vec::new();
    for p in &matcher.patterns {
        let literal = match p.pattern.atoms.first() {
            Some(AtomPattern::Exact(s)) => Some(s.clone()),
            Some(AtomPattern::ExactCase(s)) => Some(fold(s)),
            Some(AtomPattern::Glob(g)) => g.required_literal(),
            None => None,
        };
        match literal {
            Some(l) if !l.is_empty() => literals.push(l),
            _ => {
                return Plan::All(format!(
                    "the edited entry `{}` has no letters to look for",
                    p.pattern.key()
                ));
            }
        }
    }
    literals.sort();
    literals.dedup();
    let searcher = if literals.is_empty() {
        Searcher::None
    } else if literals.len() <= FEW {
        Searcher::Few(
            literals
                .iter()
                .map(|l| memchr::memmem::Finder::new(l.as_bytes()).into_owned())
                .collect(),
        )
    } else {
        // Leftmost-first: the kind that may use the SIMD packed searcher
        // (where a match starts is the same under any kind).
        match AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(&literals)
        {
            Ok(ac) => Searcher::Many(ac),
            Err(e) => return Plan::All(format!("the edited entries' letters: {e}")),
        }
    };
    Plan::Passages(Literals {
        literals,
        entries: count,
        searcher,
    })
}

/// The entries of `old` not in `new` and of `new` not in `old` (as
/// multisets), or `None` when the entries both keep are not in the same
/// order (the coder breaks ties by entry order).
fn changed_entries(old: &[EntrySignature], new: &[EntrySignature]) -> Option<Vec<EntrySignature>> {
    if old == new {
        return Some(Vec::new());
    }
    let (kept_old, removed) = split_kept(old, new);
    let (kept_new, added) = split_kept(new, old);
    if kept_old != kept_new {
        return None;
    }
    Some(removed.into_iter().chain(added).collect())
}

/// `a` split into the entries `b` also holds (as many times as `b` does,
/// earliest first) and the rest.
fn split_kept(
    a: &[EntrySignature],
    b: &[EntrySignature],
) -> (Vec<EntrySignature>, Vec<EntrySignature>) {
    let mut left: std::collections::HashMap<&EntrySignature, usize> =
        std::collections::HashMap::new();
    for e in b {
        *left.entry(e).or_default() += 1;
    }
    let (mut kept, mut rest) = (Vec::new(), Vec::new());
    for e in a {
        match left.get_mut(e) {
            Some(n) if *n > 0 => {
                *n -= 1;
                kept.push(e.clone());
            }
            _ => rest.push(e.clone()),
        }
    }
    (kept, rest)
}

fn symmetric_difference(old: &[EntrySignature], new: &[EntrySignature]) -> Vec<EntrySignature> {
    let (_, removed) = split_kept(old, new);
    let (_, added) = split_kept(new, old);
    removed.into_iter().chain(added).collect()
}
