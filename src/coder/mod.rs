//! Applying a compiled codebook to one passage. Pure: text in, hits out.
//!
//! The counting policy (also printed in every output, see [`POLICY`]):
//! 1. Text and entries are tokenised alike ([`crate::text`]); matching is over
//!    case-folded atoms.
//! 2. Within one category an atom is counted at most once. When matches of a
//!    category overlap, the longest wins (most atoms), then the one with more
//!    exact atoms (an exact word beats a glob), then the one with more literal
//!    characters (a longer prefix beats a shorter one), then the earlier one.
//! 3. A phrase is one hit; it matches across spaces, line breaks and hyphens
//!    but not across punctuation. One atom may count for several categories.
//! 4. An exclusion listed by a category cancels every hit of that category
//!    and its descendants that overlaps the exclusion's match.
//! 5. A parent's count is the union of its own and its descendants' hits, with
//!    overlapping hits counted once (rule 2 applied to all of them).
//! 6. A passage is coded for a category when its count reaches the category's
//!    threshold (default 1).

use std::ops::Range;

use crate::codebook::{Matcher, PatternOwner};
use crate::corpus::{Document, Passage, Unit, segment};
use crate::text::{Tokens, tokenize};

/// Policy identifier recorded in outputs; bump when the rules change.
pub const POLICY_ID: &str = "tanda-count/1";

/// The counting policy in one line, printed in every output header.
pub const POLICY: &str = "UAX#29 words, case-folded, hyphen/space variants equal, X-X reduplication = X; \
per category each word counted once, longest match wins, then exact over glob, then longer literal; \
a phrase is one hit and does not cross punctuation; a word may count for several categories; exclusions cancel overlapping hits; \
parents count the union of their subtree; coded when hits >= threshold (default 1)";

/// Which entry of a category produced a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryRef {
    /// Index into the category's `entries`.
    Entry(usize),
    /// Index into the category's `regex`.
    Regex(usize),
}

/// One counted match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into `Matcher::categories` of the category that owns the entry.
    pub category: usize,
    pub entry: EntryRef,
    /// Byte range in the passage text.
    pub span: Range<usize>,
    /// Atom range in the passage's tokens.
    pub atoms: Range<usize>,
}

/// The coding of one passage.
#[derive(Debug, Clone, Default)]
pub struct Coded {
    pub words: usize,
    /// Counted hits of each category's own entries, ordered by position.
    pub hits: Vec<Hit>,
    /// Per category (display order): hits counted, parents as the union of
    /// their subtree.
    pub counts: Vec<u32>,
}

impl Coded {
    /// Is the passage coded for category `c` under `matcher`'s thresholds?
    pub fn is_coded(&self, matcher: &Matcher, c: usize) -> bool {
        self.counts[c] >= matcher.categories[c].threshold.max(1)
    }
}

#[derive(Debug, Clone)]
struct Cand {
    rank: (usize, usize, usize),
    category: usize,
    entry: EntryRef,
    atoms: Range<usize>,
    span: Range<usize>,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Sort key for the greedy selection: best rank first, then position.
fn order(a: &Cand, b: &Cand) -> std::cmp::Ordering {
    b.rank
        .cmp(&a.rank)
        .then(a.atoms.start.cmp(&b.atoms.start))
        .then(a.category.cmp(&b.category))
        .then(a.entry.cmp(&b.entry))
}

/// Keep the best non-overlapping candidates (rule 2). Input order is irrelevant.
fn select(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.sort_by(order);
    let mut kept: Vec<Cand> = Vec::with_capacity(cands.len());
    for c in cands {
        if !kept.iter().any(|k| overlaps(&k.atoms, &c.atoms)) {
            kept.push(c);
        }
    }
    kept
}

/// Code one passage.
pub fn code(matcher: &Matcher, text: &str) -> Coded {
    let tokens = tokenize(text);
    code_tokens(matcher, text, &tokens)
}

/// Code one passage that has already been tokenised.
pub fn code_tokens(matcher: &Matcher, text: &str, tokens: &Tokens) -> Coded {
    let ncat = matcher.categories.len();
    let atoms = &tokens.atoms;
    let mut per_cat: Vec<Vec<Cand>> = vec![Vec::new(); ncat];
    let mut excluded: Vec<Vec<Range<usize>>> = vec![Vec::new(); ncat];

    for i in 0..atoms.len() {
        matcher.for_each_first(&atoms[i].norm, |pid| {
            let cp = &matcher.patterns[pid as usize];
            let n = cp.pattern.atoms.len();
            if i + n > atoms.len() {
                return;
            }
            let rest_ok = cp.pattern.atoms[1..]
                .iter()
                .zip(&atoms[i + 1..i + n])
                .all(|(p, a)| a.joined && p.matches(&a.norm));
            if !rest_ok {
                return;
            }
            let span = atoms[i].span.start..atoms[i + n - 1].span.end;
            for owner in &cp.owners {
                match *owner {
                    PatternOwner::Include { category, entry } => per_cat[category].push(Cand {
                        rank: cp.rank,
                        category,
                        entry: EntryRef::Entry(entry),
                        atoms: i..i + n,
                        span: span.clone(),
                    }),
                    PatternOwner::Exclude { category } => excluded[category].push(i..i + n),
                }
            }
        });
    }

    for (re, category, ri) in &matcher.regexes {
        for m in re.find_iter(text) {
            if m.is_empty() {
                continue;
            }
            let first = atoms.partition_point(|a| a.span.end <= m.start());
            let last = atoms.partition_point(|a| a.span.start < m.end());
            if first >= last {
                continue;
            }
            per_cat[*category].push(Cand {
                rank: (last - first, 0, m.as_str().chars().count()),
                category: *category,
                entry: EntryRef::Regex(*ri),
                atoms: first..last,
                span: m.range(),
            });
        }
    }

    // Rule 4: exclusions of a category and of its ancestors.
    let mut own: Vec<Vec<Cand>> = Vec::with_capacity(ncat);
    for (c, cands) in per_cat.into_iter().enumerate() {
        let mut cands = cands;
        let mut a = Some(c);
        while let Some(ai) = a {
            if !excluded[ai].is_empty() {
                cands.retain(|k| !excluded[ai].iter().any(|x| overlaps(x, &k.atoms)));
            }
            a = matcher.categories[ai].parent;
        }
        own.push(select(cands));
    }

    // Rule 5: parents count the union of their subtree.
    let mut counts = vec![0u32; ncat];
    for (c, info) in matcher.categories.iter().enumerate() {
        counts[c] = if info.subtree.len() == 1 {
            own[c].len() as u32
        } else {
            let all: Vec<Cand> = info
                .subtree
                .iter()
                .flat_map(|&s| own[s].iter().cloned())
                .collect();
            select(all).len() as u32
        };
    }

    let mut hits: Vec<Hit> = own
        .into_iter()
        .flatten()
        .map(|k| Hit {
            category: k.category,
            entry: k.entry,
            span: k.span,
            atoms: k.atoms,
        })
        .collect();
    hits.sort_by(|a, b| {
        (a.span.start, a.category, a.entry, a.span.end).cmp(&(
            b.span.start,
            b.category,
            b.entry,
            b.span.end,
        ))
    });
    Coded {
        words: tokens.words,
        hits,
        counts,
    }
}

/// A passage with its coding.
#[derive(Debug, Clone)]
pub struct CodedPassage {
    pub passage: Passage,
    pub coded: Coded,
}

/// Segment a document into `unit` passages and code each.
pub fn code_document(matcher: &Matcher, doc: &Document, unit: Unit) -> Vec<CodedPassage> {
    segment(&doc.id, &doc.paragraphs, unit)
        .into_iter()
        .map(|passage| {
            let coded = code(matcher, &passage.text);
            CodedPassage { passage, coded }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! Golden tests: one per rule of the counting policy. Expected numbers are
    //! worked out by hand from the rule, not taken from a run.
    use super::*;
    use crate::codebook::from_source;

    fn matcher(src: &str) -> Matcher {
        let full = format!("name = \"T\"\n{src}");
        let (cb, _) = from_source(&full, "t").unwrap_or_else(|d| panic!("{d:#?}"));
        Matcher::compile(&cb)
    }

    fn count(m: &Matcher, id: &str, text: &str) -> u32 {
        let i = m.categories.iter().position(|c| c.id == id).unwrap();
        code(m, text).counts[i]
    }

    fn matched<'a>(m: &Matcher, text: &'a str) -> Vec<(String, &'a str)> {
        code(m, text)
            .hits
            .iter()
            .map(|h| {
                let cat = &m.categories[h.category];
                let e = match h.entry {
                    EntryRef::Entry(i) => cat.entries[i].clone(),
                    EntryRef::Regex(i) => cat.regex[i].clone(),
                };
                (format!("{}:{}", cat.id, e), &text[h.span.clone()])
            })
            .collect()
    }

    #[test]
    fn longest_phrase_wins() {
        let m = matcher(
            "[[category]]\nid = \"a\"\nentries = [\"national plan of action\", \"plan\", \"action\", \"plan of action\"]\n",
        );
        let text = "The National Plan of Action and an action plan.";
        assert_eq!(count(&m, "a", text), 3);
        assert_eq!(
            matched(&m, text),
            vec![
                (
                    "a:national plan of action".to_string(),
                    "National Plan of Action"
                ),
                ("a:action".to_string(), "action"),
                ("a:plan".to_string(), "plan"),
            ]
        );
    }

    #[test]
    fn exact_beats_glob_and_longer_prefix_beats_shorter() {
        let m =
            matcher("[[category]]\nid = \"a\"\nentries = [\"advoca*\", \"advocacy\", \"adv*\"]\n");
        assert_eq!(
            matched(&m, "advocacy advocates advice"),
            vec![
                ("a:advocacy".to_string(), "advocacy"),
                ("a:advoca*".to_string(), "advocates"),
                ("a:adv*".to_string(), "advice"),
            ]
        );
    }

    #[test]
    fn a_word_counts_once_per_category_but_for_several_categories() {
        let m = matcher(
            "[[category]]\nid = \"a\"\nentries = [\"report*\", \"report\"]\n[[category]]\nid = \"b\"\nentries = [\"report\"]\n",
        );
        assert_eq!(count(&m, "a", "report"), 1);
        assert_eq!(count(&m, "b", "report"), 1);
    }

    #[test]
    fn parent_is_union_of_children_overlaps_once() {
        let m = matcher(
            "[[category]]\nid = \"p\"\nentries = [\"tourism\"]\n[[category]]\nid = \"p.x\"\nentries = [\"tourism revenue\"]\n[[category]]\nid = \"p.y\"\nentries = [\"revenue\", \"sanctions\"]\n",
        );
        let text = "tourism revenue and sanctions";
        assert_eq!(count(&m, "p.x", text), 1);
        assert_eq!(count(&m, "p.y", text), 2);
        // Own "tourism" and child "revenue" both lie inside "tourism revenue".
        assert_eq!(count(&m, "p", text), 2);
        // Own hits are recorded once each, with their own category.
        assert_eq!(code(&m, text).hits.len(), 4);
    }

    #[test]
    fn exclusions_cancel_overlapping_hits_of_the_subtree() {
        let m = matcher(
            "[[category]]\nid = \"i\"\nentries = [\"information\", \"data\"]\nexclude = [\"information technology\", \"data sekunder\"]\n[[category]]\nid = \"i.c\"\nentries = [\"sekunder\"]\n",
        );
        assert_eq!(count(&m, "i", "information technology, data"), 1);
        assert_eq!(count(&m, "i", "Penelitian ini memakai data sekunder."), 0);
        assert_eq!(count(&m, "i.c", "data sekunder"), 0);
        assert_eq!(count(&m, "i", "information about data"), 2);
    }

    #[test]
    fn hyphen_space_and_line_break_variants_are_one() {
        let m = matcher("[[category]]\nid = \"a\"\nentries = [\"anti-trafficking\", \"anak\"]\n");
        assert_eq!(
            count(
                &m,
                "a",
                "anti trafficking, Anti-Trafficking, anti-\ntrafficking"
            ),
            3
        );
        // Reduplication is one word and one hit.
        assert_eq!(count(&m, "a", "anak-anak"), 1);
        let c = code(&m, "anak-anak dan anak");
        assert_eq!(c.words, 3);
    }

    #[test]
    fn thresholds_decide_coding() {
        let m = matcher("[[category]]\nid = \"a\"\nthreshold = 2\nentries = [\"law\"]\n");
        let one = code(&m, "law");
        let two = code(&m, "law and law");
        assert!(!one.is_coded(&m, 0));
        assert!(two.is_coded(&m, 0));
    }

    #[test]
    fn regex_hits_snap_to_words() {
        let m = matcher("[[category]]\nid = \"a\"\nregex = ['UU No\\. \\d+ Tahun \\d{4}']\n");
        let text = "Menurut UU No. 23 Tahun 2002, anak";
        assert_eq!(
            matched(&m, text),
            vec![(
                "a:UU No\\. \\d+ Tahun \\d{4}".to_string(),
                "UU No. 23 Tahun 2002"
            )]
        );
    }

    #[test]
    fn phrases_stop_at_punctuation() {
        let m = matcher(
            "[[category]]\nid = \"a\"\nentries = [\"law enforcement\", \"exploited child*\"]\n",
        );
        assert_eq!(count(&m, "a", "law enforcement; law, enforcement"), 1);
        assert_eq!(count(&m, "a", "were exploited. Children were"), 0);
        assert_eq!(count(&m, "a", "exploited  \n children"), 1);
    }

    #[test]
    fn globs_inside_phrases() {
        let m = matcher("[[category]]\nid = \"a\"\nentries = [\"national plan* of action\"]\n");
        assert_eq!(count(&m, "a", "national plans of action"), 1);
        assert_eq!(count(&m, "a", "national planning of   action"), 1);
        assert_eq!(count(&m, "a", "national plan for action"), 0);
    }
}
