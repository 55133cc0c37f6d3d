//! Word and phrase frequencies and keyness: the dictionary-building aids a
//! researcher uses to make a codebook valid on their own corpus (what
//! quanteda's `textstat_frequency` and `textstat_keyness` do).
//!
//! Terms are counted as the coder sees text: the same tokeniser (UAX #29
//! words, Thai segmented, case and ligatures folded, hyphen parts as atoms,
//! `X-X` reduplication as `X`), and a phrase (2–4 atoms) never crosses
//! punctuation, as a codebook phrase would not. So a term listed here, put
//! into a codebook as an entry, matches what was counted. Terms without a
//! letter (numbers, dates) are left out.

use std::collections::HashMap;

use crate::codebook::Matcher;
use crate::coder::code_tokens;
use crate::text::{Tokens, tokenize};

/// Counts of terms in a set of passages: term frequency and the number of
/// passages (or documents, see [`TermCounts::add_unit`]) holding the term.
#[derive(Debug, Clone, Default)]
pub struct TermCounts {
    /// term → (occurrences, units containing it)
    pub terms: HashMap<String, (u64, u64)>,
    /// Occurrences of all terms of each length (index n − 1): the sample
    /// size of keyness tests for terms of that length.
    pub totals: [u64; 4],
    /// Units (passages or documents) added.
    pub units: u64,
}

/// Which terms to count.
#[derive(Debug, Clone, Copy)]
pub struct TermOptions {
    /// Shortest and longest phrase, in atoms (1 = single words; at most 4).
    pub min_n: usize,
    /// Longest phrase, in atoms (at most 4).
    pub max_n: usize,
    /// Leave out terms that begin or end with a function word of the
    /// built-in lists ([`crate::stopwords`]): single function words, and
    /// phrases such as `of the` or `the government`, but not
    /// `rights of children`.
    pub skip_stopwords: bool,
}

impl Default for TermOptions {
    fn default() -> Self {
        TermOptions {
            min_n: 1,
            max_n: 1,
            skip_stopwords: false,
        }
    }
}

fn has_letter(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

/// The terms of one text, in order: every run of `n` joined atoms for each
/// `n` asked. With `matcher`, only terms none of whose atoms is covered by
/// any match of the codebook (counted, counter-indicator or cancelled alike
/// are "matched": the entry exists).
pub fn terms_of(text: &str, opts: TermOptions, matcher: Option<&Matcher>) -> Vec<String> {
    let tokens = tokenize(text);
    let covered = matcher.map(|m| covered_atoms(m, text, &tokens));
    let atoms = &tokens.atoms;
    let mut out = Vec::new();
    let max_n = opts.max_n.clamp(1, 4);
    let stop = |i: usize| opts.skip_stopwords && crate::stopwords::is_stopword(tokens.norm(i));
    for start in 0..atoms.len() {
        if stop(start) {
            continue;
        }
        let mut term = String::new();
        for n in 1..=max_n {
            let i = start + n - 1;
            if i >= atoms.len() || (n > 1 && !atoms[i].joined) {
                break;
            }
            if covered.as_ref().is_some_and(|c| c[i]) {
                break;
            }
            let norm = tokens.norm(i);
            if !has_letter(norm) {
                break;
            }
            if n > 1 {
                term.push(' ');
            }
            term.push_str(norm);
            if n >= opts.min_n && !stop(i) {
                out.push(term.clone());
            }
        }
    }
    out
}

/// Which atoms some entry of the codebook matched.
fn covered_atoms(m: &Matcher, text: &str, tokens: &Tokens) -> Vec<bool> {
    let coded = code_tokens(m, text, tokens);
    let mut covered = vec![false; tokens.atoms.len()];
    for h in &coded.hits {
        for c in &mut covered[h.atoms.clone()] {
            *c = true;
        }
    }
    covered
}

impl TermCounts {
    /// Count one unit's terms (a unit counts once per term for `units`).
    pub fn add_unit(&mut self, terms: &[String]) {
        self.units += 1;
        let mut seen: HashMap<&str, ()> = HashMap::new();
        for t in terms {
            let n = t.split(' ').count().clamp(1, 4);
            self.totals[n - 1] += 1;
            let e = self.terms.entry(t.clone()).or_insert((0, 0));
            e.0 += 1;
            if seen.insert(t.as_str(), ()).is_none() {
                e.1 += 1;
            }
        }
    }

    /// Terms by frequency (then alphabetically, so ties are deterministic).
    pub fn ranked(&self) -> Vec<(&str, u64, u64)> {
        let mut v: Vec<(&str, u64, u64)> = self
            .terms
            .iter()
            .map(|(t, &(f, d))| (t.as_str(), f, d))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    /// Occurrences of terms as long as `term` (its test's sample size).
    fn total_for(&self, term: &str) -> u64 {
        self.totals[term.split(' ').count().clamp(1, 4) - 1]
    }
}

/// One term's keyness: target against reference.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Key {
    /// The term: a word, or words joined by spaces.
    pub term: String,
    /// Occurrences in the target and in the reference.
    pub target: u64,
    /// Occurrences in the reference.
    pub reference: u64,
    /// All terms of the same length in the target and in the reference
    /// (the other two cells of the table are these minus the term's).
    pub target_total: u64,
    /// All terms of the same length in the reference.
    pub reference_total: u64,
    /// Dunning's log-likelihood G² of the 2 × 2 table (term / other terms
    /// × target / reference), no continuity correction; negative when the
    /// term is rarer in the target than expected (as quanteda signs it).
    pub g2: f64,
    /// p of G² on one degree of freedom.
    pub p: f64,
    /// Hardie's log ratio: log₂ of the ratio of relative frequencies, with
    /// 0.5 for a zero count; 1 means twice as frequent in the target.
    pub log_ratio: f64,
}

/// G² of a 2 × 2 table [[a, b], [c, d]] without correction.
pub fn g2_2x2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let n = a + b + c + d;
    if n <= 0.0 {
        return 0.0;
    }
    let rows = [a + b, c + d];
    let cols = [a + c, b + d];
    let cells = [[a, b], [c, d]];
    let mut g = 0.0;
    for (i, row) in cells.iter().enumerate() {
        for (j, &o) in row.iter().enumerate() {
            let e = rows[i] * cols[j] / n;
            if o > 0.0 && e > 0.0 {
                g += o * (o / e).ln();
            }
        }
    }
    2.0 * g
}

/// Keyness of every term seen in either set, strongest first (G² from
/// most over-represented in the target to most under-represented, then
/// alphabetically).
pub fn keyness(target: &TermCounts, reference: &TermCounts) -> Vec<Key> {
    let mut terms: Vec<&str> = target.terms.keys().map(String::as_str).collect();
    terms.extend(
        reference
            .terms
            .keys()
            .map(String::as_str)
            .filter(|t| !target.terms.contains_key(*t)),
    );
    let mut out: Vec<Key> = terms
        .into_iter()
        .map(|t| {
            let a = target.terms.get(t).map_or(0, |x| x.0);
            let b = reference.terms.get(t).map_or(0, |x| x.0);
            let (nt, nr) = (target.total_for(t), reference.total_for(t));
            let (af, bf) = (a as f64, b as f64);
            let (c, d) = ((nt - a) as f64, (nr - b) as f64);
            let g = g2_2x2(af, bf, c, d);
            let expected_a = (af + bf) * nt as f64 / (nt + nr).max(1) as f64;
            let sign = if af >= expected_a { 1.0 } else { -1.0 };
            let rel = |x: f64, n: u64| (if x == 0.0 { 0.5 } else { x }) / n.max(1) as f64;
            Key {
                term: t.to_string(),
                target: a,
                reference: b,
                target_total: nt,
                reference_total: nr,
                g2: sign * g,
                p: crate::report::stats::chi2_sf(g, 1),
                log_ratio: (rel(af, nt) / rel(bf, nr)).log2(),
            }
        })
        .collect();
    out.sort_by(|x, y| {
        y.g2.partial_cmp(&x.g2)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.term.cmp(&y.term))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_stop_at_punctuation_and_numbers_are_left_out() {
        let t = terms_of(
            "Child labour, in 2011: anak-anak bekerja.",
            TermOptions {
                min_n: 1,
                max_n: 2,
                ..TermOptions::default()
            },
            None,
        );
        // "labour in" crosses a comma; "in 2011" has a number; anak-anak is
        // one atom `anak`.
        assert_eq!(
            t,
            [
                "child",
                "child labour",
                "labour",
                "in",
                "anak",
                "anak bekerja",
                "bekerja"
            ]
        );
    }

    #[test]
    fn stopwords_drop_terms_that_begin_or_end_with_one() {
        let opts = TermOptions {
            min_n: 1,
            max_n: 3,
            skip_stopwords: true,
        };
        // `rights of` ends and `of children`, `in the law` begin with a
        // function word; `rights of children` holds one only inside.
        assert_eq!(
            terms_of("The rights of children in the law", opts, None),
            ["rights", "rights of children", "children", "law"]
        );
        assert_eq!(
            terms_of("hak yang dilanggar", opts, None),
            ["hak", "hak yang dilanggar", "dilanggar"]
        );
    }

    #[test]
    fn g2_by_hand() {
        // [[10, 5], [90, 195]]: N = 300, rows 15/285, cols 100/200.
        // E = 5, 10, 95, 190. G² = 2 Σ O ln(O/E).
        let want = 2.0
            * (10.0 * (10.0f64 / 5.0).ln()
                + 5.0 * (5.0f64 / 10.0).ln()
                + 90.0 * (90.0f64 / 95.0).ln()
                + 195.0 * (195.0f64 / 190.0).ln());
        assert!((g2_2x2(10.0, 5.0, 90.0, 195.0) - want).abs() < 1e-12);
    }

    #[test]
    fn keyness_signs_and_log_ratio() {
        let mut a = TermCounts::default();
        let mut b = TermCounts::default();
        a.add_unit(&["lobby".into(), "lobby".into(), "the".into(), "the".into()]);
        b.add_unit(&["the".into(), "the".into(), "the".into(), "report".into()]);
        let k = keyness(&a, &b);
        let get = |t: &str| k.iter().find(|x| x.term == t).expect(t).clone();
        // lobby: 2 of 4 in the target, 0 of 4 in the reference: log ratio
        // log2((2/4) / (0.5/4)) = 2; over-represented, G² > 0.
        assert_eq!((get("lobby").target, get("lobby").reference), (2, 0));
        assert!((get("lobby").log_ratio - 2.0).abs() < 1e-12);
        assert!(get("lobby").g2 > 0.0);
        assert!(get("report").g2 < 0.0);
        assert_eq!(k[0].term, "lobby");
        // units: each term counted once per unit for document frequency.
        assert_eq!(a.terms["lobby"], (2, 1));
    }
}

/// Term counts of a corpus per group of a metadata field (one group `""`
/// without `by`); each document counts once for a term's `units`.
pub fn corpus_terms(
    corpus: &crate::corpus::Corpus,
    by: Option<&str>,
    opts: TermOptions,
    matcher: Option<&Matcher>,
) -> std::collections::BTreeMap<String, TermCounts> {
    let col = by.and_then(|f| corpus.fields.iter().position(|x| x == f));
    let mut out: std::collections::BTreeMap<String, TermCounts> = Default::default();
    for doc in &corpus.documents {
        let group = col
            .and_then(|i| doc.metadata.get(i))
            .cloned()
            .unwrap_or_default();
        let mut terms = Vec::new();
        for p in &doc.paragraphs {
            terms.extend(terms_of(&p.text, opts, matcher));
        }
        out.entry(group).or_default().add_unit(&terms);
    }
    out
}

/// Which passages of a results folder are the target of a keyness test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Passages coded for this category (index into the results' categories).
    Category(usize),
    /// Passages whose metadata field (index into the results' fields) has
    /// this value.
    Field(usize, String),
}

impl Target {
    /// `CATEGORY` or `FIELD=VALUE`, resolved against a results folder.
    pub fn parse(s: &str, r: &crate::report::read::Results) -> Result<Target, String> {
        if let Some((f, v)) = s.split_once('=') {
            return r
                .fields
                .iter()
                .position(|x| x == f.trim())
                .map(|i| Target::Field(i, v.trim().to_string()))
                .ok_or_else(|| {
                    format!(
                        "no metadata field `{}`; fields: {}",
                        f.trim(),
                        r.fields.join(", ")
                    )
                });
        }
        r.categories
            .iter()
            .position(|c| c.id == s.trim())
            .map(Target::Category)
            .ok_or_else(|| {
                let ids: Vec<&str> = r.categories.iter().map(|c| c.id.as_str()).collect();
                format!(
                    "`{s}` is neither a category ({}) nor FIELD=VALUE",
                    ids.join(", ")
                )
            })
    }
}

/// Term counts of the target passages and of the rest (each passage one
/// unit).
pub fn split_terms(
    r: &crate::report::read::Results,
    target: &Target,
    opts: TermOptions,
) -> (TermCounts, TermCounts) {
    let (mut t, mut rest) = (TermCounts::default(), TermCounts::default());
    for p in &r.passages {
        let hit = match target {
            Target::Category(c) => r.is_coded(p, *c),
            Target::Field(i, v) => p.metadata.get(*i).is_some_and(|x| x == v),
        };
        let terms = terms_of(&p.text, opts, None);
        if hit {
            t.add_unit(&terms);
        } else {
            rest.add_unit(&terms);
        }
    }
    (t, rest)
}
