//! `tanda suggest`: what a hand-coded sample says the codebook lacks and
//! where it over-reaches, per category. It proposes; it never edits the
//! codebook.
//!
//! For each category the sample's passages fall into four cells (human
//! value above 0 = coded by hand; the codebook's decision as the results
//! say it):
//!
//! - **false negatives** (coded by hand, not by the codebook): the terms
//!   most over-represented in those passages against the rest of the coded
//!   sample (or of the results), by Dunning's G² and Hardie's log ratio
//!   ([`crate::keyness`]), counted as the coder tokenises text. A term an
//!   entry of the category already matches is flagged (`already_matched`)
//!   and, unless asked for, left out: the gap there is the threshold or an
//!   exclusion, not a missing word.
//! - **false positives** (coded by the codebook, not by hand): the entries
//!   whose counted hits stood behind them (from hits.csv), with how many
//!   false-positive and true-positive passages each fired in.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::agree::coders::{Blank, Coder};
use crate::codebook::{Codebook, Matcher};
use crate::error::Error;
use crate::keyness::{TermCounts, TermOptions, keyness, terms_of};
use crate::report::read::{HitRow, Results};

/// What the false negatives are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Against {
    /// The other passages of the sample coded for the category (true
    /// positives, false positives and true negatives).
    #[default]
    Sample,
    /// Every other passage of the results folder.
    Corpus,
}

impl std::str::FromStr for Against {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sample" => Ok(Against::Sample),
            "corpus" => Ok(Against::Corpus),
            other => Err(format!("unknown --against `{other}`; use sample or corpus")),
        }
    }
}

/// Options of [`suggest`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Which terms to count (phrase lengths, function words).
    pub terms: TermOptions,
    /// What the false negatives are compared with.
    pub against: Against,
    /// Leave out terms seen fewer times than this in the false negatives.
    pub min_count: u64,
    /// Terms and entries listed per category.
    pub top: usize,
    /// Example passage ids per row.
    pub examples: usize,
    /// List terms an entry of the category already matches (flagged).
    pub include_matched: bool,
    /// How a blank cell of the human coding sheet is read.
    pub blank: Blank,
    /// Only these categories (ids); all the sheet has when `None`.
    pub categories: Option<Vec<String>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            terms: TermOptions {
                min_n: 1,
                max_n: 3,
                skip_stopwords: true,
            },
            against: Against::Sample,
            min_count: 2,
            top: 20,
            examples: 3,
            include_matched: false,
            blank: Blank::Missing,
            categories: None,
        }
    }
}

/// A term over-represented in the passages the codebook missed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedTerm {
    /// The term: a word, or words joined by spaces.
    pub term: String,
    /// Occurrences in the false-negative passages.
    pub fn_count: u64,
    /// Occurrences in the reference (the rest of the sample or corpus).
    pub rest_count: u64,
    /// False-negative passages holding the term.
    pub fn_passages: u64,
    /// All terms of the same length in the false negatives and in the
    /// reference (the keyness test's sample sizes).
    pub fn_total: u64,
    /// All terms of the same length in the reference.
    pub rest_total: u64,
    /// Signed G² of the term in the false negatives against the reference
    /// (see [`crate::keyness::Key::g2`]).
    pub g2: f64,
    /// p of G² on one degree of freedom.
    pub p: f64,
    /// Log₂ ratio of relative frequencies (see
    /// [`crate::keyness::Key::log_ratio`]).
    pub log_ratio: f64,
    /// An entry of the category (or of a subcategory) matches the term on
    /// its own.
    pub already_matched: bool,
    /// False-negative passages holding the term, in results order.
    pub examples: Vec<String>,
}

/// An entry whose counted hits stood behind false positives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FpEntry {
    /// The entry as written in the codebook.
    pub entry: String,
    /// The category that owns it: the category itself or a subcategory.
    pub owner: String,
    /// False-positive passages it fired in (counted hits).
    pub fp_passages: u64,
    /// True-positive passages it fired in.
    pub tp_passages: u64,
    /// False-positive passages it fired in, in results order.
    pub examples: Vec<String>,
}

/// The suggestions for one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategorySuggestions {
    /// The category id.
    pub category: String,
    /// The category label.
    pub label: String,
    /// The sample's passages by cell (human × codebook).
    pub tp: u64,
    /// Passages the codebook coded and the human did not.
    pub fp: u64,
    /// Passages the human coded and the codebook did not (`fn` is a keyword).
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Passages neither coded.
    pub tn: u64,
    /// Passages and terms the false negatives were compared with.
    pub reference_passages: u64,
    /// Terms in the reference passages (all lengths asked).
    pub reference_terms: u64,
    /// Terms in the false negatives (all lengths asked).
    pub fn_terms: u64,
    /// Terms over-represented in the false negatives, in keyness order, at most
    /// `top`.
    pub missed: Vec<MissedTerm>,
    /// Entries behind the false positives, at most `top`.
    pub false_positives: Vec<FpEntry>,
}

/// The result of [`suggest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    /// The suggestions, one per category.
    pub categories: Vec<CategorySuggestions>,
    /// Problems that do not stop the run (categories skipped, sheet
    /// passages not in the results, another codebook coded the results).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

fn input(path: &str, message: String) -> Error {
    Error::Input {
        path: path.to_string(),
        message,
    }
}

/// Up to three ids, quoted, for messages.
fn first_ids<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<String> = ids.take(3).map(|s| format!("`{s}`")).collect();
    v.join(", ")
}

/// Suggestions for every category of `results` that `sheet` codes.
/// `codebook` is the one whose entries are checked for `already_matched`
/// (it should be the one that coded `results`; a warning says when not).
pub fn suggest(
    codebook: &Codebook,
    results: &Results,
    hits: &[HitRow],
    sheet: &Coder,
    opts: &Options,
) -> Result<Suggestions, Error> {
    let mut warnings = Vec::new();
    if !results.codebook_sha256.is_empty() && results.codebook_sha256 != codebook.sha256 {
        warnings.push(format!(
            "{} was coded with codebook `{}` {}, not with {} (`{}` {}): the false positives come from the results' hits, `already_matched` from the codebook given; re-run `tanda analyze` with this codebook to compare like with like",
            results.dir,
            results.codebook_name,
            results.codebook_version,
            codebook.origin,
            codebook.name,
            codebook.version
        ));
    }
    let index = locate_sheet(results, sheet, &mut warnings)?;
    let chosen = choose_categories(results, sheet, opts, &mut warnings)?;
    let mut run = Run {
        results,
        hits,
        sheet,
        opts,
        index,
        matcher: Matcher::compile(codebook),
        cache: Terms::new(results, opts.terms),
        matched_cache: HashMap::new(),
    };
    let categories = chosen.into_iter().map(|c| run.category(c)).collect();
    Ok(Suggestions {
        categories,
        warnings,
    })
}

/// The sheet's passages, located in the results: the results index of
/// each results passage id. An error when the sheet names no passage or
/// none the results hold; a warning when only some are missing.
fn locate_sheet<'a>(
    results: &'a Results,
    sheet: &Coder,
    warnings: &mut Vec<String>,
) -> Result<HashMap<&'a str, usize>, Error> {
    let index: HashMap<&str, usize> = results
        .passages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.passage_id.as_str(), i))
        .collect();
    if sheet.order.is_empty() {
        return Err(input(
            &sheet.source,
            "the sheet names no passage (no row with a passage_id)".to_string(),
        ));
    }
    let absent: Vec<&String> = sheet
        .order
        .iter()
        .filter(|id| !index.contains_key(id.as_str()))
        .collect();
    if !absent.is_empty() {
        let example_result = results.passages.first().map_or(String::new(), |p| {
            format!("; its passages look like `{}`", p.passage_id)
        });
        let advice = format!(
            "a sheet for `suggest` must key passages by the passage_id of {}/passages.csv{example_result} (unit `{}`). Draw the sheet from these results with `tanda sample`, or re-run `tanda analyze` on the corpus the sheet was drawn from, with the same --unit",
            results.dir, results.unit
        );
        if absent.len() == sheet.order.len() {
            return Err(input(
                &sheet.source,
                format!(
                    "none of its {} passages is in the results folder {} (first: {}); {advice}",
                    sheet.order.len(),
                    results.dir,
                    first_ids(absent.into_iter())
                ),
            ));
        }
        warnings.push(format!(
            "{}: {} of its {} passages are not in the results folder {} and are left out (first: {}); {advice}, or delete those rows",
            sheet.source,
            absent.len(),
            sheet.order.len(),
            results.dir,
            first_ids(absent.into_iter())
        ));
    }
    Ok(index)
}

/// The categories compared (results indices, display order): those of the
/// results that were asked for and that the sheet codes. An error when a
/// category asked for is unknown or none is left; warnings for categories
/// the sheet lacks and sheet columns that are no category.
fn choose_categories(
    results: &Results,
    sheet: &Coder,
    opts: &Options,
    warnings: &mut Vec<String>,
) -> Result<Vec<usize>, Error> {
    if let Some(want) = &opts.categories {
        for w in want {
            if !results.categories.iter().any(|c| &c.id == w) {
                let ids: Vec<&str> = results.categories.iter().map(|c| c.id.as_str()).collect();
                return Err(input(
                    &results.dir,
                    format!(
                        "category `{w}` is not in the codebook of these results ({})",
                        ids.join(", ")
                    ),
                ));
            }
        }
    }
    let asked = |id: &str| {
        opts.categories
            .as_ref()
            .is_none_or(|w| w.iter().any(|x| x == id))
    };
    let missing: Vec<&str> = results
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| asked(id) && !sheet.categories.iter().any(|s| s == id))
        .collect();
    if !missing.is_empty() {
        warnings.push(format!(
            "{}: no column for {} {}; skipped (add a column named by the category id to have it compared)",
            sheet.source,
            if missing.len() == 1 {
                "category"
            } else {
                "categories"
            },
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let extra: Vec<String> = sheet
        .categories
        .iter()
        .filter(|s| !results.categories.iter().any(|c| &c.id == *s))
        .map(|s| format!("`{s}`"))
        .collect();
    if !extra.is_empty() {
        warnings.push(format!(
            "{}: {} not a category of the codebook of {}; ignored",
            sheet.source,
            if extra.len() == 1 {
                format!("column {} is", extra[0])
            } else {
                format!("columns {} are", extra.join(", "))
            },
            results.dir
        ));
    }
    let chosen: Vec<usize> = (0..results.categories.len())
        .filter(|&c| {
            let id = &results.categories[c].id;
            asked(id) && sheet.categories.contains(id)
        })
        .collect();
    if chosen.is_empty() {
        return Err(input(
            &sheet.source,
            format!(
                "no column of the sheet ({}) is a category of the codebook of {} ({}); name the columns by category id",
                sheet.categories.join(", "),
                results.dir,
                results
                    .categories
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(chosen)
}

/// What one [`suggest`] call compares, and the caches shared by its
/// categories.
struct Run<'a> {
    results: &'a Results,
    hits: &'a [HitRow],
    sheet: &'a Coder,
    opts: &'a Options,
    /// Results index of each results passage id.
    index: HashMap<&'a str, usize>,
    matcher: Matcher,
    cache: Terms<'a>,
    /// The categories (matcher indices) each term is matched by.
    matched_cache: HashMap<String, HashSet<usize>>,
}

/// A category's sample passages counted by cell.
#[derive(Default)]
struct CellCounts {
    tp: u64,
    fp: u64,
    fn_: u64,
    tn: u64,
}

impl Run<'_> {
    /// The suggestions for category `c` (results index).
    fn category(&mut self, c: usize) -> CategorySuggestions {
        let results = self.results;
        let rec = &results.categories[c];
        let (cell, n) = self.cells(c);
        let (target, rest) = self.term_counts(&cell);
        let missed = self.missed(c, &cell, &target, &rest);
        let false_positives = self.false_positives(c, &cell);
        CategorySuggestions {
            category: rec.id.clone(),
            label: rec.label.clone(),
            tp: n.tp,
            fp: n.fp,
            fn_: n.fn_,
            tn: n.tn,
            reference_passages: rest.units,
            reference_terms: rest.totals.iter().sum(),
            fn_terms: target.totals.iter().sum(),
            missed,
            false_positives,
        }
    }

    /// Each results passage's cell for category `c` (`None`: not in the
    /// sheet, or blank there and blanks are missing), and the counts.
    fn cells(&self, c: usize) -> (Vec<Option<Cell>>, CellCounts) {
        let (results, sheet, opts) = (self.results, self.sheet, self.opts);
        let rec = &results.categories[c];
        // Human value per results passage (None: not in the sheet or blank).
        let human: Vec<Option<bool>> = results
            .passages
            .iter()
            .map(
                |p| match sheet.values.get(&p.passage_id).and_then(|m| m.get(&rec.id)) {
                    Some(Some(v)) => Some(*v > 0.0),
                    Some(None) if opts.blank == Blank::NotCoded => Some(false),
                    _ => None,
                },
            )
            .collect();
        let mut cell = vec![None; results.passages.len()];
        let mut n = CellCounts::default();
        for (i, p) in results.passages.iter().enumerate() {
            let Some(h) = human[i] else { continue };
            let k = match (h, results.is_coded(p, c)) {
                (true, true) => {
                    n.tp += 1;
                    Cell::Tp
                }
                (false, true) => {
                    n.fp += 1;
                    Cell::Fp
                }
                (true, false) => {
                    n.fn_ += 1;
                    Cell::Fn
                }
                (false, false) => {
                    n.tn += 1;
                    Cell::Tn
                }
            };
            cell[i] = Some(k);
        }
        (cell, n)
    }

    /// The terms of the false negatives and of the reference they are
    /// compared with (the rest of the sample, or every other passage).
    fn term_counts(&mut self, cell: &[Option<Cell>]) -> (TermCounts, TermCounts) {
        let (mut target, mut rest) = (TermCounts::default(), TermCounts::default());
        for (i, k) in cell.iter().enumerate() {
            match (k, self.opts.against) {
                (Some(Cell::Fn), _) => target.add_unit(self.cache.get(i)),
                (Some(_), Against::Sample) | (_, Against::Corpus) => {
                    rest.add_unit(self.cache.get(i))
                }
                (None, Against::Sample) => {}
            }
        }
        (target, rest)
    }

    /// The terms most over-represented in the false negatives of category
    /// `c` against the reference, at most `top`, those an entry of the
    /// category's subtree already matches left out unless asked for.
    fn missed(
        &mut self,
        c: usize,
        cell: &[Option<Cell>],
        target: &TermCounts,
        rest: &TermCounts,
    ) -> Vec<MissedTerm> {
        let (results, opts, matcher) = (self.results, self.opts, &self.matcher);
        let rec = &results.categories[c];
        let owner_subtree = matcher
            .categories
            .iter()
            .position(|m| m.id == rec.id)
            .map(|m| matcher.categories[m].subtree.clone())
            .unwrap_or_default();
        let mut missed = Vec::new();
        if target.units == 0 {
            return missed;
        }
        for k in keyness(target, rest) {
            if missed.len() >= opts.top {
                break;
            }
            if k.g2 <= 0.0 || k.target < opts.min_count {
                continue;
            }
            let hit_by = self
                .matched_cache
                .entry(k.term.clone())
                .or_insert_with(|| matched_categories(matcher, &k.term));
            let already_matched = owner_subtree.iter().any(|o| hit_by.contains(o));
            if already_matched && !opts.include_matched {
                continue;
            }
            let examples = (0..results.passages.len())
                .filter(|&i| cell[i] == Some(Cell::Fn) && self.cache.get(i).contains(&k.term))
                .take(opts.examples)
                .map(|i| results.passages[i].passage_id.clone())
                .collect();
            missed.push(MissedTerm {
                fn_passages: target.terms.get(&k.term).map_or(0, |x| x.1),
                term: k.term,
                fn_count: k.target,
                rest_count: k.reference,
                fn_total: k.target_total,
                rest_total: k.reference_total,
                g2: k.g2,
                p: k.p,
                log_ratio: k.log_ratio,
                already_matched,
                examples,
            });
        }
        missed
    }

    /// The entries of category `c`'s subtree whose counted hits stood
    /// behind its false positives, most false positives first, at most
    /// `top`.
    fn false_positives(&self, c: usize, cell: &[Option<Cell>]) -> Vec<FpEntry> {
        let (results, opts) = (self.results, self.opts);
        let owners: HashSet<&str> = subtree_ids(results, c);
        // (owner, entry) → (fp passages, tp passages), in results order.
        let mut fired: BTreeMap<(&str, &str), Fired> = BTreeMap::new();
        let mut seen: HashSet<(usize, &str, &str)> = HashSet::new();
        for h in self.hits {
            if !h.counted || !owners.contains(h.category.as_str()) {
                continue;
            }
            let Some(&i) = self.index.get(h.passage_id.as_str()) else {
                continue;
            };
            let key = (h.category.as_str(), h.entry.as_str());
            if !seen.insert((i, key.0, key.1)) {
                continue;
            }
            match cell[i] {
                Some(Cell::Fp) => fired.entry(key).or_default().0.push(i),
                Some(Cell::Tp) => fired.entry(key).or_default().1.push(i),
                _ => {}
            }
        }
        let mut false_positives: Vec<FpEntry> = fired
            .into_iter()
            .filter(|(_, (f, _))| !f.is_empty())
            .map(|((owner, entry), (mut f, t))| {
                f.sort_unstable();
                FpEntry {
                    entry: entry.to_string(),
                    owner: owner.to_string(),
                    fp_passages: f.len() as u64,
                    tp_passages: t.len() as u64,
                    examples: f
                        .iter()
                        .take(opts.examples)
                        .map(|&i| results.passages[i].passage_id.clone())
                        .collect(),
                }
            })
            .collect();
        false_positives.sort_by(|a, b| {
            b.fp_passages
                .cmp(&a.fp_passages)
                .then(a.tp_passages.cmp(&b.tp_passages))
                .then(a.entry.cmp(&b.entry))
                .then(a.owner.cmp(&b.owner))
        });
        false_positives.truncate(opts.top);
        false_positives
    }
}

/// The false-positive and true-positive passages (results indices) an
/// entry fired in.
type Fired = (Vec<usize>, Vec<usize>);

/// A passage's place in one category's 2 × 2 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Tp,
    Fp,
    Fn,
    Tn,
}

/// The terms of each results passage, computed once when first asked.
struct Terms<'a> {
    results: &'a Results,
    opts: TermOptions,
    terms: Vec<Option<Vec<String>>>,
}

impl<'a> Terms<'a> {
    fn new(results: &'a Results, opts: TermOptions) -> Self {
        Terms {
            results,
            opts,
            terms: vec![None; results.passages.len()],
        }
    }

    fn get(&mut self, i: usize) -> &[String] {
        let (results, opts) = (self.results, self.opts);
        self.terms[i].get_or_insert_with(|| terms_of(&results.passages[i].text, opts, None))
    }
}

/// The categories (matcher indices) whose entries match `term` on its own
/// (counted, counter-indicator alike: the entry exists).
fn matched_categories(matcher: &Matcher, term: &str) -> HashSet<usize> {
    crate::coder::code(matcher, term)
        .hits
        .iter()
        .map(|h| h.category)
        .collect()
}

/// Ids of category `c` and its descendants in the results.
fn subtree_ids(results: &Results, c: usize) -> HashSet<&str> {
    let root = results.categories[c].id.as_str();
    let parent: HashMap<&str, &str> = results
        .categories
        .iter()
        .filter_map(|r| r.parent.as_deref().map(|p| (r.id.as_str(), p)))
        .collect();
    results
        .categories
        .iter()
        .map(|r| r.id.as_str())
        .filter(|&id| {
            let mut at = Some(id);
            // Bounded walk up the parents (a cycle cannot loop forever).
            for _ in 0..=results.categories.len() {
                match at {
                    Some(x) if x == root => return true,
                    Some(x) => at = parent.get(x).copied(),
                    None => return false,
                }
            }
            false
        })
        .collect()
}
