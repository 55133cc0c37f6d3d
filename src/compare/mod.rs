//! What an edit changed: two runs (results folders, or one corpus coded with
//! two codebooks) compared per category, per entry and per passage; and two
//! codebooks compared structurally.

pub mod codebooks;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::codebook::Matcher;
use crate::coder::CodedPassage;
use crate::corpus::Document;
use crate::report::read::{HitRow, Results};
use crate::report::write::entry_text;

/// One passage of a run.
#[derive(Debug, Clone)]
pub struct PassageView {
    /// The passage id (as in passages.csv).
    pub id: String,
    /// The document it belongs to.
    pub doc_id: String,
    /// The passage's text.
    pub text: String,
    /// Aligned to [`RunView::categories`].
    pub coded: Vec<bool>,
}

/// One match of a run (offsets in characters): a counted hit or, where
/// the run records it, a counter-indicator.
#[derive(Debug, Clone)]
pub struct HitView {
    /// The id of the passage it is in.
    pub passage: String,
    /// The category id it counts for.
    pub category: String,
    /// The entry (or regex) that matched, as displayed.
    pub entry: String,
    /// Start offset in the passage text, in characters.
    pub start: usize,
    /// End offset (exclusive), in characters.
    pub end: usize,
}

/// A run as the comparison needs it.
#[derive(Debug, Clone)]
pub struct RunView {
    /// What the run is called in output (a folder or codebook path).
    pub label: String,
    /// Category ids, in display order.
    pub categories: Vec<String>,
    /// In corpus order.
    pub passages: Vec<PassageView>,
    /// The run's matches, passage by passage.
    pub hits: Vec<HitView>,
}

impl RunView {
    /// From a results folder and its hits.csv.
    pub fn from_results(label: &str, r: &Results, hits: Vec<HitRow>) -> RunView {
        RunView {
            label: label.to_string(),
            categories: r.categories.iter().map(|c| c.id.clone()).collect(),
            passages: r
                .passages
                .iter()
                .map(|p| PassageView {
                    id: p.passage_id.clone(),
                    doc_id: p.doc_id.clone(),
                    text: p.text.clone(),
                    coded: (0..r.categories.len()).map(|c| r.is_coded(p, c)).collect(),
                })
                .collect(),
            hits: hits
                .into_iter()
                .map(|h| HitView {
                    passage: h.passage_id,
                    category: h.category,
                    entry: h.entry,
                    start: h.start,
                    end: h.end,
                })
                .collect(),
        }
    }

    /// From a corpus coded in memory.
    pub fn from_coding(
        label: &str,
        m: &Matcher,
        docs: &[(&Document, Vec<CodedPassage>)],
    ) -> RunView {
        let mut passages = Vec::new();
        let mut hits = Vec::new();
        for (doc, ps) in docs {
            for p in ps {
                let text = &p.passage.text;
                let mut at = crate::text::CharCursor::new(text);
                passages.push(PassageView {
                    id: p.passage.id.clone(),
                    doc_id: doc.id.clone(),
                    text: text.clone(),
                    coded: (0..m.categories.len())
                        .map(|c| p.coded.is_coded(m, c))
                        .collect(),
                });
                for h in &p.coded.hits {
                    let start = at.at(h.span.start);
                    hits.push(HitView {
                        passage: p.passage.id.clone(),
                        category: m.categories[h.category].id.clone(),
                        entry: entry_text(m, h.category, h.entry),
                        start,
                        end: start + text[h.span.clone()].chars().count(),
                    });
                }
            }
        }
        RunView {
            label: label.to_string(),
            categories: m.categories.iter().map(|c| c.id.clone()).collect(),
            passages,
            hits,
        }
    }
}

/// How the passages coded with one category changed between the runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryChange {
    /// The category id.
    pub category: String,
    /// Passages coded; `None` when the run has no such category.
    pub before: Option<u64>,
    /// Passages coded in the new run; `None` when it has no such category.
    pub after: Option<u64>,
    /// Passages (present in both runs) coded now but not before.
    pub gained: u64,
    /// Passages coded before but not now.
    pub lost: u64,
}

/// An entry whose hit count changed, over passages present in both runs.
/// Only entries with different counts are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryChange {
    /// The category the entry belongs to.
    pub category: String,
    /// The entry (or regex) as displayed.
    pub entry: String,
    /// Its counted hits in the old run.
    pub hits_before: u64,
    /// Its counted hits in the new run.
    pub hits_after: u64,
}

/// One passage that gained or lost a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassageChange {
    /// The category id.
    pub category: String,
    /// The passage id.
    pub passage_id: String,
    /// The document it belongs to.
    pub doc_id: String,
    /// `gained` or `lost`.
    pub change: &'static str,
    /// Entries that fired (after a gain) or had fired (before a loss).
    pub entries: Vec<String>,
    /// Words around the first such match, the match in \[brackets\].
    pub context: String,
}

/// The difference of two runs.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The old run's label.
    pub old: String,
    /// The new run's label.
    pub new: String,
    /// Per category, in display order.
    pub categories: Vec<CategoryChange>,
    /// Entries whose hit counts changed, biggest change first.
    pub entries: Vec<EntryChange>,
    /// Passages that gained or lost a category.
    pub passages: Vec<PassageChange>,
    /// Passages present in one run only (different corpus or unit).
    pub only_old: usize,
    /// Passages present in the new run only.
    pub only_new: usize,
}

impl Diff {
    /// Whether anything changed: a category's coded count, gain or loss, or an
    /// entry's hits. Drives exit code 6.
    pub fn changed(&self) -> bool {
        self.categories
            .iter()
            .any(|c| c.before != c.after || c.gained + c.lost > 0)
            || !self.entries.is_empty()
    }
}

/// `text` with `words` words either side of characters `start..end`.
pub fn context(text: &str, start: usize, end: usize, words: usize) -> String {
    let idx: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let (bs, be) = (idx[start.min(idx.len() - 1)], idx[end.min(idx.len() - 1)]);
    let left: Vec<&str> = text[..bs].split_whitespace().collect();
    let right: Vec<&str> = text[be..].split_whitespace().collect();
    let l = left[left.len().saturating_sub(words)..].join(" ");
    let r = right[..right.len().min(words)].join(" ");
    let sep_l = if text[..bs].ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let sep_r = if text[be..].starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    format!("{l}{sep_l}[{}]{sep_r}{r}", &text[bs..be])
        .trim()
        .to_string()
}

/// Compare two runs. `words` is the context width of passage snippets.
pub fn diff(old: &RunView, new: &RunView, words: usize) -> Diff {
    let mut cats: Vec<String> = old.categories.clone();
    for c in &new.categories {
        if !cats.contains(c) {
            cats.push(c.clone());
        }
    }
    let (oi, ni) = (passage_index(old), passage_index(new));
    let only_old = old
        .passages
        .iter()
        .filter(|p| !ni.contains_key(p.id.as_str()))
        .count();
    let only_new = new
        .passages
        .iter()
        .filter(|p| !oi.contains_key(p.id.as_str()))
        .count();

    let (oh, nh) = (hits_by_passage(old), hits_by_passage(new));

    let mut categories = Vec::new();
    let mut passages = Vec::new();
    for cat in &cats {
        let oc = old.categories.iter().position(|c| c == cat);
        let nc = new.categories.iter().position(|c| c == cat);
        let count = |run: &RunView, c: Option<usize>| {
            c.map(|c| run.passages.iter().filter(|p| p.coded[c]).count() as u64)
        };
        let (mut gained, mut lost) = (0, 0);
        // Walk passages in the new run's order, then those only in the old.
        for p in &new.passages {
            let was = match (oc, oi.get(p.id.as_str())) {
                (Some(c), Some(&i)) => old.passages[i].coded[c],
                _ => false,
            };
            let is = nc.is_some_and(|c| p.coded[c]);
            if is && !was && oi.contains_key(p.id.as_str()) {
                gained += 1;
                passages.push(change(
                    cat,
                    p,
                    "gained",
                    &subtree_hits(&nh, &p.id, cat),
                    words,
                ));
            } else if was && !is {
                lost += 1;
                let op = &old.passages[oi[p.id.as_str()]];
                passages.push(change(
                    cat,
                    op,
                    "lost",
                    &subtree_hits(&oh, &p.id, cat),
                    words,
                ));
            }
        }
        categories.push(CategoryChange {
            category: cat.clone(),
            before: count(old, oc),
            after: count(new, nc),
            gained,
            lost,
        });
    }
    Diff {
        old: old.label.clone(),
        new: new.label.clone(),
        categories,
        entries: entry_changes(old, new, &oi, &ni, &cats),
        passages,
        only_old,
        only_new,
    }
}

/// The index of each passage of a run, by id.
fn passage_index(run: &RunView) -> HashMap<&str, usize> {
    run.passages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}

/// The entries whose hits changed, counted over the passages both runs
/// have (`oi`, `ni`: passage indices of the old and new run): by category
/// in `cats` order, largest change first, then by entry.
fn entry_changes(
    old: &RunView,
    new: &RunView,
    oi: &HashMap<&str, usize>,
    ni: &HashMap<&str, usize>,
    cats: &[String],
) -> Vec<EntryChange> {
    let mut per_entry: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for h in &old.hits {
        if ni.contains_key(h.passage.as_str()) {
            per_entry
                .entry((h.category.clone(), h.entry.clone()))
                .or_default()
                .0 += 1;
        }
    }
    for h in &new.hits {
        if oi.contains_key(h.passage.as_str()) {
            per_entry
                .entry((h.category.clone(), h.entry.clone()))
                .or_default()
                .1 += 1;
        }
    }
    let mut entries: Vec<EntryChange> = per_entry
        .into_iter()
        .filter(|(_, (b, a))| b != a)
        .map(|((category, entry), (b, a))| EntryChange {
            category,
            entry,
            hits_before: b,
            hits_after: a,
        })
        .collect();
    let order: HashMap<&str, usize> = cats
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    entries.sort_by(|x, y| {
        order[x.category.as_str()]
            .cmp(&order[y.category.as_str()])
            .then((y.hits_after.abs_diff(y.hits_before)).cmp(&x.hits_after.abs_diff(x.hits_before)))
            .then(x.entry.cmp(&y.entry))
    });
    entries
}

/// Hits of a run by passage.
fn hits_by_passage(run: &RunView) -> HashMap<&str, Vec<&HitView>> {
    let mut m: HashMap<&str, Vec<&HitView>> = HashMap::new();
    for h in &run.hits {
        m.entry(h.passage.as_str()).or_default().push(h);
    }
    m
}

/// Hits of `cat` and its subcategories (`cat.…`) in a passage, by position:
/// a parent's coding rests on its children's hits. Only the passage's own
/// hits are looked at, so a diff costs the number of hits, not changed
/// passages times all hits.
fn subtree_hits<'a>(
    m: &HashMap<&str, Vec<&'a HitView>>,
    passage: &str,
    cat: &str,
) -> Vec<&'a HitView> {
    let in_subtree = |c: &str| {
        c.strip_prefix(cat)
            .is_some_and(|r| r.is_empty() || r.starts_with('.'))
    };
    let mut hits: Vec<&HitView> = m
        .get(passage)
        .map(|v| {
            v.iter()
                .copied()
                .filter(|h| in_subtree(&h.category))
                .collect()
        })
        .unwrap_or_default();
    hits.sort_by_key(|h| (h.start, h.end, h.category.clone(), h.entry.clone()));
    hits
}

fn change(
    cat: &str,
    p: &PassageView,
    kind: &'static str,
    hits: &[&HitView],
    words: usize,
) -> PassageChange {
    let mut entries: Vec<String> = Vec::new();
    for h in hits {
        if !entries.contains(&h.entry) {
            entries.push(h.entry.clone());
        }
    }
    let context = hits
        .first()
        .map(|h| context(&p.text, h.start, h.end, words))
        .unwrap_or_default();
    PassageChange {
        category: cat.to_string(),
        passage_id: p.id.clone(),
        doc_id: p.doc_id.clone(),
        change: kind,
        entries,
        context,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        label: &str,
        cats: &[&str],
        passages: &[(&str, &str, &[bool])],
        hits: &[(&str, &str, &str, usize, usize)],
    ) -> RunView {
        RunView {
            label: label.into(),
            categories: cats.iter().map(|c| c.to_string()).collect(),
            passages: passages
                .iter()
                .map(|(id, text, coded)| PassageView {
                    id: id.to_string(),
                    doc_id: "d".into(),
                    text: text.to_string(),
                    coded: coded.to_vec(),
                })
                .collect(),
            hits: hits
                .iter()
                .map(|(p, c, e, s, en)| HitView {
                    passage: p.to_string(),
                    category: c.to_string(),
                    entry: e.to_string(),
                    start: *s,
                    end: *en,
                })
                .collect(),
        }
    }

    #[test]
    fn gains_losses_and_entry_changes() {
        let old = run(
            "old",
            &["a"],
            &[
                ("p1", "we lobby hard", &[true]),
                ("p2", "a report here", &[false]),
            ],
            &[("p1", "a", "lobby", 3, 8)],
        );
        let new = run(
            "new",
            &["a"],
            &[
                ("p1", "we lobby hard", &[false]),
                ("p2", "a report here", &[true]),
            ],
            &[("p2", "a", "report", 2, 8)],
        );
        let d = diff(&old, &new, 5);
        assert!(d.changed());
        assert_eq!(
            d.categories[0],
            CategoryChange {
                category: "a".into(),
                before: Some(1),
                after: Some(1),
                gained: 1,
                lost: 1
            }
        );
        assert_eq!(d.entries.len(), 2);
        let lost = d.passages.iter().find(|p| p.change == "lost").unwrap();
        assert_eq!(lost.context, "we [lobby] hard");
        let gained = d.passages.iter().find(|p| p.change == "gained").unwrap();
        assert_eq!(gained.entries, vec!["report"]);
        assert!(!diff(&old, &old, 5).changed());
    }

    #[test]
    fn context_counts_words_each_side() {
        let t = "one two three four five six seven";
        let s = t.find("four").unwrap();
        assert_eq!(context(t, s, s + 4, 2), "two three [four] five six");
    }
}
