//! Counts that merge by addition, so per-document, per-thread and per-shard
//! tallies combine exactly into the whole run's table.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::codebook::Matcher;
use crate::coder::{Coded, CodedPassage};

/// Counts of one category within one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CatCounts {
    /// Passages coded with the category.
    pub passages_coded: u64,
    /// Documents with at least one passage coded with the category.
    pub documents_coded: u64,
    /// Counted hits (entries weighing more than 0).
    pub hits: u64,
    /// Hits of counter-indicators (entries weighing 0 or less).
    pub counter_hits: u64,
    /// Σ over documents of (passages coded)², of passages coded × passages,
    /// of hits², of hits × words: with [`Counts`]' sums, what a test that
    /// treats documents as clusters needs, kept as exact integers so that
    /// tallies add up in any order to the same bits.
    #[serde(skip)]
    pub coded_sq: u128,
    /// Σ over documents of passages coded × passages (see `coded_sq`).
    #[serde(skip)]
    pub coded_x_passages: u128,
    /// Σ over documents of hits² (see `coded_sq`).
    #[serde(skip)]
    pub hits_sq: u128,
    /// Σ over documents of hits × words (see `coded_sq`).
    #[serde(skip)]
    pub hits_x_words: u128,
}

/// What a tally needs of one passage.
#[derive(Debug, Clone, Copy)]
pub struct PassageCounts<'a> {
    /// Words in the passage.
    pub words: u64,
    /// Per category: counted hits, counter-indicator hits, the decision.
    pub hits: &'a [u32],
    /// Per category: counter-indicator hits.
    pub counter: &'a [u32],
    /// Per category: whether the passage is coded.
    pub coded: &'a [bool],
}

/// Counts of one group (or of the whole corpus).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Documents counted.
    pub documents: u64,
    /// Passages counted.
    pub passages: u64,
    /// Words in those passages.
    pub words: u64,
    /// Documents with at least one passage, and with at least one word:
    /// the clusters of the tests that treat documents as clusters.
    pub docs_with_passages: u64,
    /// Documents with at least one word.
    pub docs_with_words: u64,
    /// Σ over documents of passages² and of words² (see [`CatCounts`]).
    pub passages_sq: u128,
    /// Σ over documents of words² (see `passages_sq`).
    pub words_sq: u128,
    /// Per category, display order.
    pub cats: Vec<CatCounts>,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.documents += other.documents;
        self.passages += other.passages;
        self.words += other.words;
        self.docs_with_passages += other.docs_with_passages;
        self.docs_with_words += other.docs_with_words;
        self.passages_sq += other.passages_sq;
        self.words_sq += other.words_sq;
        if self.cats.len() < other.cats.len() {
            self.cats.resize(other.cats.len(), CatCounts::default());
        }
        for (a, b) in self.cats.iter_mut().zip(&other.cats) {
            a.passages_coded += b.passages_coded;
            a.documents_coded += b.documents_coded;
            a.hits += b.hits;
            a.counter_hits += b.counter_hits;
            a.coded_sq += b.coded_sq;
            a.coded_x_passages += b.coded_x_passages;
            a.hits_sq += b.hits_sq;
            a.hits_x_words += b.hits_x_words;
        }
    }

    /// An empty document, to fill with [`add_passage`](Self::add_passage)
    /// and close with [`close_document`](Self::close_document).
    pub fn document(ncat: usize) -> Counts {
        Counts {
            documents: 1,
            cats: vec![CatCounts::default(); ncat],
            ..Counts::default()
        }
    }

    /// Add one passage of the document.
    pub fn add_passage(&mut self, p: PassageCounts<'_>) {
        self.passages += 1;
        self.words += p.words;
        for (i, cat) in self.cats.iter_mut().enumerate() {
            cat.hits += u64::from(p.hits[i]);
            cat.counter_hits += u64::from(p.counter[i]);
            if p.coded[i] {
                cat.passages_coded += 1;
            }
        }
    }

    /// Finish a document: documents coded and the per-document products.
    pub fn close_document(&mut self) {
        let sq = |x: u64| u128::from(x) * u128::from(x);
        self.docs_with_passages = u64::from(self.passages > 0);
        self.docs_with_words = u64::from(self.words > 0);
        self.passages_sq = sq(self.passages);
        self.words_sq = sq(self.words);
        for cat in &mut self.cats {
            cat.documents_coded = u64::from(cat.passages_coded > 0);
            cat.coded_sq = sq(cat.passages_coded);
            cat.coded_x_passages = u128::from(cat.passages_coded) * u128::from(self.passages);
            cat.hits_sq = sq(cat.hits);
            cat.hits_x_words = u128::from(cat.hits) * u128::from(self.words);
        }
    }

    /// The counts of one document's coded passages.
    pub fn of_document(matcher: &Matcher, passages: &[CodedPassage]) -> Counts {
        Counts::of_coded(matcher, passages.iter().map(|p| &p.coded))
    }

    /// [`Counts::of_document`], from the passages' codes alone.
    pub fn of_coded<'a>(matcher: &Matcher, passages: impl Iterator<Item = &'a Coded>) -> Counts {
        let n = matcher.categories.len();
        let mut c = Counts::document(n);
        let mut coded = vec![false; n];
        for p in passages {
            for (i, on) in coded.iter_mut().enumerate() {
                *on = p.is_coded(matcher, i);
            }
            c.add_passage(PassageCounts {
                words: p.words as u64,
                hits: &p.counts,
                counter: &p.counter,
                coded: &coded,
            });
        }
        c.close_document();
        c
    }
}

/// A group's values of the `--by` fields. Ordered naturally: numbers as
/// numbers (so years sort by value), missing values last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupKey(pub Vec<String>);

impl GroupKey {
    /// The values joined with ` / `, an empty value shown as `(missing)`.
    pub fn label(&self) -> String {
        self.0
            .iter()
            .map(|v| {
                if v.is_empty() {
                    "(missing)"
                } else {
                    v.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

fn natural(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal).then(a.cmp(b)),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        _ => a.cmp(b),
    }
}

impl Ord for GroupKey {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.0.iter().zip(&other.0) {
            let o = natural(a, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        self.0.len().cmp(&other.0.len())
    }
}

impl PartialOrd for GroupKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Counts of the whole run and per group of the `--by` fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The `--by` fields (empty: no grouping).
    pub by: Vec<String>,
    /// Counts of the whole run.
    pub total: Counts,
    /// Counts per group, in natural order of the group values.
    pub groups: BTreeMap<GroupKey, Counts>,
}

impl Tally {
    /// An empty tally grouped by the `by` fields.
    pub fn new(by: Vec<String>) -> Tally {
        Tally {
            by,
            ..Tally::default()
        }
    }

    /// Add one document's counts under its group.
    pub fn add(&mut self, key: GroupKey, counts: &Counts) {
        self.total.add(counts);
        if !self.by.is_empty() {
            self.groups.entry(key).or_default().add(counts);
        }
    }

    /// Merge another tally of the same fields (shards, threads).
    pub fn merge(&mut self, other: &Tally) {
        self.total.add(&other.total);
        for (k, v) in &other.groups {
            self.groups.entry(k.clone()).or_default().add(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(docs: u64, passages: u64, coded: u64) -> Counts {
        Counts {
            documents: docs,
            passages,
            words: passages * 10,
            cats: vec![CatCounts {
                passages_coded: coded,
                documents_coded: u64::from(coded > 0),
                hits: coded * 2,
                ..CatCounts::default()
            }],
            ..Counts::default()
        }
    }

    #[test]
    fn merging_equals_adding_in_one_tally() {
        let parts = [
            ("2011", counts(1, 5, 2)),
            ("1999", counts(1, 3, 0)),
            ("2011", counts(1, 4, 4)),
        ];
        let mut whole = Tally::new(vec!["year".into()]);
        for (y, c) in &parts {
            whole.add(GroupKey(vec![y.to_string()]), c);
        }
        let mut a = Tally::new(vec!["year".into()]);
        a.add(GroupKey(vec!["2011".into()]), &parts[0].1);
        let mut b = Tally::new(vec!["year".into()]);
        b.add(GroupKey(vec!["1999".into()]), &parts[1].1);
        b.add(GroupKey(vec!["2011".into()]), &parts[2].1);
        a.merge(&b);
        assert_eq!(a, whole);
        assert_eq!(whole.total.passages, 12);
        assert_eq!(whole.total.cats[0].documents_coded, 2);
        let g = &whole.groups[&GroupKey(vec!["2011".into()])];
        assert_eq!(
            (g.documents, g.passages, g.cats[0].passages_coded),
            (2, 9, 6)
        );
    }

    #[test]
    fn groups_sort_naturally_missing_last() {
        let mut keys = [
            GroupKey(vec!["".into()]),
            GroupKey(vec!["2011".into()]),
            GroupKey(vec!["996".into()]),
            GroupKey(vec!["news".into()]),
        ];
        keys.sort();
        let labels: Vec<String> = keys.iter().map(GroupKey::label).collect();
        assert_eq!(labels, vec!["996", "2011", "news", "(missing)"]);
    }
}
