//! Frequency tables: built once as rows, rendered as terminal text,
//! Markdown, CSV (tidy) or JSON.

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::stats::{ChiSquare, chi_square};
use super::tally::{Counts, Tally};
use crate::codebook::Matcher;

/// A category as the tables need it (from a compiled codebook, or from a
/// results folder's run.json).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatView {
    /// The category id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Nesting depth: 0 for a top-level category.
    pub depth: usize,
}

impl CatView {
    /// The categories of a compiled codebook, in display order.
    pub fn of_matcher(m: &Matcher) -> Vec<CatView> {
        m.categories
            .iter()
            .map(|c| CatView {
                id: c.id.clone(),
                label: c.label.clone(),
                depth: c.depth,
            })
            .collect()
    }

    /// The categories recorded in a results folder's run.json; depth follows
    /// the `parent` links.
    pub fn of_records(r: &[super::write::CategoryRecord]) -> Vec<CatView> {
        r.iter()
            .map(|c| {
                let mut depth = 0;
                let mut p = c.parent.as_deref();
                while let Some(pid) = p {
                    depth += 1;
                    p = r
                        .iter()
                        .find(|x| x.id == pid)
                        .and_then(|x| x.parent.as_deref());
                }
                CatView {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    depth,
                }
            })
            .collect()
    }
}

/// What a crosstab cell shows (`--measure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Passages coded (n and % of the group's passages).
    #[default]
    Passages,
    /// Documents coded (n and % of the group's documents).
    Documents,
    /// Hits.
    Hits,
    /// Hits per 1,000 words.
    Per1k,
    /// Hits as % of words (LIWC's measure).
    PctWords,
}

impl std::str::FromStr for Measure {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "passages" => Ok(Measure::Passages),
            "documents" | "docs" => Ok(Measure::Documents),
            "hits" => Ok(Measure::Hits),
            "per1k" | "per-1k" => Ok(Measure::Per1k),
            "pct-words" | "pct_words" | "liwc" => Ok(Measure::PctWords),
            o => Err(format!(
                "unknown measure `{o}`; use passages, documents, hits, per1k or pct-words"
            )),
        }
    }
}

impl Measure {
    fn describe(self) -> &'static str {
        match self {
            Measure::Passages => "passages coded (n, % of the group's passages)",
            Measure::Documents => "documents coded (n, % of the group's documents)",
            Measure::Hits => "hits",
            Measure::Per1k => "hits per 1,000 words",
            Measure::PctWords => "hits as % of words (LIWC-style)",
        }
    }
}

/// What every output says about the run that made it.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// The version of tanda that made the output.
    pub tanda_version: String,
    /// The corpus path as given.
    pub corpus: String,
    /// Documents coded.
    pub documents: u64,
    /// Passages coded.
    pub passages: u64,
    /// Words in the coded passages.
    pub words: u64,
    /// The coding unit (document, paragraph, sentence, ...).
    pub unit: String,
    /// The codebook's name.
    pub codebook_name: String,
    /// The codebook's version string.
    pub codebook_version: String,
    /// Where the codebook came from: its path as given, or the built-in
    /// codebook's name.
    pub codebook_origin: String,
    /// SHA-256 (hex) of the codebook's canonical form (see
    /// [`crate::codebook::Codebook::sha256`]).
    pub codebook_sha256: String,
    /// The counting policy's identifier.
    pub policy_id: String,
    /// The counting policy in words.
    pub policy: String,
    /// Files (or spreadsheet rows) not read, and why.
    pub skipped: Vec<crate::corpus::Skipped>,
}

impl Header {
    /// The header of a coding: `root` coded with `cb` into `unit`s, with
    /// today's counting policy.
    pub fn of_coding(
        root: &str,
        total: &super::Counts,
        unit: &str,
        cb: &crate::codebook::Codebook,
        skipped: &[crate::corpus::Skipped],
    ) -> Header {
        Header {
            tanda_version: env!("CARGO_PKG_VERSION").to_string(),
            corpus: root.to_string(),
            documents: total.documents,
            passages: total.passages,
            words: total.words,
            unit: unit.to_string(),
            codebook_name: cb.name.clone(),
            codebook_version: cb.version.clone(),
            codebook_origin: cb.origin.clone(),
            codebook_sha256: cb.sha256.clone(),
            policy_id: crate::coder::POLICY_ID.to_string(),
            policy: crate::coder::POLICY.to_string(),
            skipped: skipped.to_vec(),
        }
    }
}

/// One row of the tidy frequency table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreqRow {
    /// The `--by` fields joined with `+`; empty for the whole corpus.
    pub by: String,
    /// The group's values joined with ` / `; empty for the whole corpus.
    pub group: String,
    /// The category id.
    pub category: String,
    /// The category label.
    pub label: String,
    /// Nesting depth: 0 for a top-level category.
    pub depth: usize,
    /// Passages in the group.
    pub passages: u64,
    /// Of those, passages coded with the category.
    pub passages_coded: u64,
    /// `passages_coded` as a percentage of `passages` (0 when there are none).
    pub passages_pct: f64,
    /// Documents in the group.
    pub documents: u64,
    /// Documents with at least one passage coded with the category.
    pub documents_coded: u64,
    /// `documents_coded` as a percentage of `documents` (0 when there are none).
    pub documents_pct: f64,
    /// Counted hits: entries weighing more than 0 (every measure of hits
    /// counts only these).
    pub hits: u64,
    /// Hits of counter-indicators (entries weighing 0 or less), apart.
    pub counter_hits: u64,
    /// Words in the group's passages.
    pub words: u64,
    /// Counted hits per 1,000 words.
    pub hits_per_1000_words: f64,
    /// Hits as a percentage of words (LIWC's measure).
    pub pct_words: f64,
    /// Row %: this group's share of all passages coded for the category
    /// (100 for the whole corpus).
    pub category_share_pct: f64,
}

fn pct(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

fn rows_of(cats: &[CatView], by: &str, group: &str, c: &Counts) -> Vec<FreqRow> {
    cats.iter()
        .enumerate()
        .map(|(i, cat)| {
            let k = c.cats.get(i).copied().unwrap_or_default();
            let per = |scale: f64| {
                if c.words == 0 {
                    0.0
                } else {
                    scale * k.hits as f64 / c.words as f64
                }
            };
            FreqRow {
                by: by.to_string(),
                group: group.to_string(),
                category: cat.id.clone(),
                label: cat.label.clone(),
                depth: cat.depth,
                passages: c.passages,
                passages_coded: k.passages_coded,
                passages_pct: pct(k.passages_coded, c.passages),
                documents: c.documents,
                documents_coded: k.documents_coded,
                documents_pct: pct(k.documents_coded, c.documents),
                hits: k.hits,
                counter_hits: k.counter_hits,
                words: c.words,
                hits_per_1000_words: per(1000.0),
                pct_words: per(100.0),
                category_share_pct: 100.0,
            }
        })
        .collect()
}

/// All rows: the whole corpus first, then each group in natural order.
pub fn frequency_rows(cats: &[CatView], tally: &Tally) -> Vec<FreqRow> {
    let mut rows = rows_of(cats, "", "", &tally.total);
    let by = tally.by.join("+");
    for (k, c) in &tally.groups {
        let mut g = rows_of(cats, &by, &k.label(), c);
        for (i, r) in g.iter_mut().enumerate() {
            let all = tally.total.cats.get(i).map_or(0, |x| x.passages_coded);
            r.category_share_pct = pct(r.passages_coded, all);
        }
        rows.extend(g);
    }
    rows
}

/// Whether crosstab tests treat documents as clusters of passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cluster {
    /// Documents as clusters when some document holds several passages
    /// (paragraph and sentence units), else none.
    #[default]
    Auto,
    /// Always treat documents as clusters.
    Document,
    /// Treat passages as independent.
    None,
}

impl std::str::FromStr for Cluster {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Cluster::Auto),
            "document" => Ok(Cluster::Document),
            "none" => Ok(Cluster::None),
            o => Err(format!("unknown cluster `{o}`; use document, none or auto")),
        }
    }
}

/// The test of one category across the groups, fit for the measure the
/// crosstab shows: coded/not coded passages (Pearson's χ², Rao–Scott
/// corrected with documents as clusters), documents coded (Pearson's χ²:
/// documents are the units), or hits against words (a likelihood-ratio test
/// of Poisson rates, Rao–Scott corrected when clustered).
#[derive(Debug, Clone, Serialize)]
pub struct CrossTest {
    /// The category tested.
    pub category: String,
    /// The `--by` fields the groups come from, joined with `+`.
    pub by: String,
    /// What is tested: `passages` or `documents` coded, or `hits`.
    pub unit: &'static str,
    /// The test that gives `p` (printed under the table).
    pub test: &'static str,
    /// Its statistic: χ², G², or the design-corrected F.
    pub statistic: f64,
    /// Its degrees of freedom (the numerator's for F, not always whole).
    pub df: f64,
    /// The denominator's degrees of freedom of F (design df × df).
    pub df2: Option<f64>,
    /// The p-value of `test`.
    pub p: f64,
    /// The mean generalised design effect δ̄ (clustered tests).
    pub mean_deff: Option<f64>,
    /// Pearson's test of the coded/not coded table (counts, not rates):
    /// χ², its df and p as if passages were independent, Cramér's V, the
    /// adjusted residuals behind ▲/▼ and the small-expected-count flag.
    pub pearson: Option<ChiSquare>,
    /// Groups left out of the test: the `(missing)` group.
    pub left_out: Vec<String>,
}

/// Test names for tables (see [`CrossTest::test`]).
pub const PEARSON_NAME: &str = "Pearson χ² (units independent)";

/// One cell of a test's row in crosstab-tests.csv and the workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum TestValue<'a> {
    /// A text cell.
    Text(&'a str),
    /// A number.
    Num(f64),
    /// A yes/no flag.
    Bool(bool),
    /// An empty cell (a value that does not apply).
    Empty,
}

impl CrossTest {
    /// The statistic's symbol for a table header: χ², G² or F.
    pub fn symbol(&self) -> &'static str {
        if self.df2.is_some() {
            "F"
        } else if self.unit == "hits" {
            "G²"
        } else {
            "χ²"
        }
    }

    /// More than 20% of expected counts below 5 (Pearson's table).
    pub fn small_expected(&self) -> bool {
        self.pearson.as_ref().is_some_and(|p| p.small_expected)
    }

    /// Cramér's V of the coded/not coded table, if Pearson's test was run.
    pub fn cramers_v(&self) -> Option<f64> {
        self.pearson.as_ref().map(|p| p.cramers_v)
    }

    /// The adjusted residual of the coded row in group column `col`.
    pub fn residual(&self, col: usize) -> Option<f64> {
        self.pearson
            .as_ref()
            .and_then(|p| p.residuals.first())
            .and_then(|r| r.get(col))
            .copied()
            .filter(|r| r.is_finite())
    }

    /// The statistic as printed, † when Pearson's approximation is unreliable.
    pub fn statistic_cell(&self) -> String {
        format!(
            "{:.2}{}",
            self.statistic,
            if self.small_expected() { "†" } else { "" }
        )
    }

    /// Degrees of freedom as printed: `2`, or `1.8, 47` for F.
    pub fn df_cell(&self) -> String {
        match self.df2 {
            Some(d2) => format!("{:.1}, {:.0}", self.df, d2),
            None => format!("{}", self.df),
        }
    }

    /// The row's cells, aligned to [`super::write::TEST_COLUMNS`].
    pub fn values(&self) -> Vec<TestValue<'_>> {
        use TestValue::{Bool, Empty, Num, Text};
        let opt = |x: Option<f64>| x.map_or(Empty, Num);
        let p = self.pearson.as_ref();
        vec![
            Text(&self.by),
            Text(&self.category),
            Text(self.unit),
            Text(self.test),
            Num(self.statistic),
            Num(self.df),
            opt(self.df2),
            Num(self.p),
            opt(self.mean_deff),
            opt(p.map(|p| p.chi2)),
            opt(p.map(|p| p.df as f64)),
            opt(p.map(|p| p.p)),
            opt(self.cramers_v()),
            p.map_or(Empty, |p| Bool(p.small_expected)),
        ]
    }
}

fn rate_sums(c: &Counts, k: &super::CatCounts) -> super::cluster::RateSums {
    super::cluster::RateSums {
        clusters: c.docs_with_words,
        h: k.hits as f64,
        w: c.words as f64,
        hh: k.hits_sq as f64,
        hw: k.hits_x_words as f64,
        ww: c.words_sq as f64,
    }
}

fn cluster_sums(c: &Counts, k: &super::CatCounts) -> super::cluster::ClusterSums {
    super::cluster::ClusterSums {
        clusters: c.docs_with_passages,
        m: c.passages as f64,
        y: k.passages_coded as f64,
        yy: k.coded_sq as f64,
        my: k.coded_x_passages as f64,
        mm: c.passages_sq as f64,
    }
}

/// Tests for every category of a grouped tally. The `(missing)` group is
/// shown in the tables but left out of the tests. With `cluster` Auto,
/// documents are clusters when the tally has more passages than documents.
pub fn cross_tests(
    cats: &[CatView],
    tally: &Tally,
    measure: Measure,
    cluster: Cluster,
) -> Vec<CrossTest> {
    use super::cluster::{RAO_SCOTT_NAME, rao_scott, rate_test};
    let groups: Vec<(&super::GroupKey, &Counts)> = tally
        .groups
        .iter()
        .filter(|(k, _)| !k.0.iter().any(String::is_empty))
        .collect();
    let left_out: Vec<String> = tally
        .groups
        .keys()
        .filter(|k| k.0.iter().any(String::is_empty))
        .map(super::GroupKey::label)
        .collect();
    if groups.len() < 2 {
        return Vec::new();
    }
    let clustered = match cluster {
        Cluster::Auto => tally.total.passages > tally.total.docs_with_passages,
        Cluster::Document => true,
        Cluster::None => false,
    };
    let docs = measure == Measure::Documents;
    let rates = matches!(measure, Measure::Hits | Measure::Per1k | Measure::PctWords);
    // With several groups' values dropped, residual columns must still line
    // up with the table's groups: a left-out group gets NaN (no mark).
    let keep: Vec<bool> = tally
        .groups
        .keys()
        .map(|k| !k.0.iter().any(String::is_empty))
        .collect();
    let widen = |mut t: ChiSquare| {
        for row in &mut t.residuals {
            let mut it = row.iter().copied();
            *row = keep
                .iter()
                .map(|&k| {
                    if k {
                        it.next().unwrap_or(f64::NAN)
                    } else {
                        f64::NAN
                    }
                })
                .collect();
        }
        t
    };
    cats.iter()
        .enumerate()
        .filter_map(|(i, cat)| {
            let k = |c: &Counts| c.cats.get(i).copied().unwrap_or_default();
            let base = |test, statistic, df, p| CrossTest {
                category: cat.id.clone(),
                by: tally.by.join("+"),
                unit: if rates {
                    "hits"
                } else if docs {
                    "documents"
                } else {
                    "passages"
                },
                test,
                statistic,
                df,
                df2: None,
                p,
                mean_deff: None,
                pearson: None,
                left_out: left_out.clone(),
            };
            if rates {
                let sums: Vec<_> = groups.iter().map(|(_, c)| rate_sums(c, &k(c))).collect();
                let t = rate_test(&sums, clustered)?;
                let mut out = base(t.name, t.g2, t.df as f64, t.p());
                if let Some(d) = t.correction {
                    (out.statistic, out.df, out.df2, out.mean_deff) =
                        (d.f, d.df1, Some(d.df2), Some(d.mean_deff));
                }
                return Some(out);
            }
            let (coded, rest): (Vec<f64>, Vec<f64>) = groups
                .iter()
                .map(|(_, c)| {
                    let k = k(c);
                    if docs {
                        (
                            k.documents_coded as f64,
                            (c.documents - k.documents_coded) as f64,
                        )
                    } else {
                        (
                            k.passages_coded as f64,
                            (c.passages - k.passages_coded) as f64,
                        )
                    }
                })
                .unzip();
            let pearson = widen(chi_square(&[coded, rest])?);
            let mut out = base(PEARSON_NAME, pearson.chi2, pearson.df as f64, pearson.p);
            if clustered && !docs {
                let sums: Vec<_> = groups.iter().map(|(_, c)| cluster_sums(c, &k(c))).collect();
                if let Some(rs) = rao_scott(&sums) {
                    let d = rs.correction;
                    out.test = RAO_SCOTT_NAME;
                    (out.statistic, out.df, out.df2, out.p, out.mean_deff) =
                        (d.f, d.df1, Some(d.df2), d.p_f, Some(d.mean_deff));
                }
            }
            out.pearson = Some(pearson);
            Some(out)
        })
        .collect()
}

/// Which categories are coded together: for each pair, the passages coded
/// for both, for either, and their ratio (Jaccard).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoPair {
    /// The first category's id.
    pub a: String,
    /// The second category's id.
    pub b: String,
    /// Passages coded for both.
    pub both: u64,
    /// Passages coded for either (or both).
    pub either: u64,
    /// `both / either`; 0 when `either` is 0.
    pub jaccard: f64,
}

/// Co-occurrence from per-passage coding flags (rows of categories).
pub fn cooccurrence(cats: &[CatView], coded: impl Iterator<Item = Vec<bool>>) -> Vec<CoPair> {
    let mut counter = CoCounter::new(cats.len());
    for flags in coded {
        let on: Vec<usize> = (0..flags.len()).filter(|&i| flags[i]).collect();
        counter.add(&on);
    }
    counter.finish(cats)
}

/// Co-occurrence counts built one passage at a time (so a corpus can be
/// streamed); mergeable by addition like every tally.
#[derive(Debug, Clone)]
pub struct CoCounter {
    both: Vec<Vec<u64>>,
    single: Vec<u64>,
}

impl CoCounter {
    /// A counter for `n` categories, all counts zero.
    pub fn new(n: usize) -> Self {
        CoCounter {
            both: vec![vec![0u64; n]; n],
            single: vec![0u64; n],
        }
    }

    /// Count one passage by its coded categories, in increasing order.
    pub fn add(&mut self, on: &[usize]) {
        // Count pairs among the passage's coded categories only (few per
        // passage); "either" follows from the single counts:
        // |A ∪ B| = |A| + |B| − |A ∩ B|.
        for (a, &i) in on.iter().enumerate() {
            self.single[i] += 1;
            for &j in &on[a + 1..] {
                self.both[i][j] += 1;
            }
        }
    }

    /// The pairs, each once (`a` before `b` in display order); a category
    /// and its own descendant are left out, since they always co-occur.
    pub fn finish(self, cats: &[CatView]) -> Vec<CoPair> {
        let n = cats.len();
        let (both, single) = (self.both, self.single);
        let either: Vec<Vec<u64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| single[i] + single[j] - both[i.min(j)][i.max(j)])
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                // A parent and its own child always co-occur: not informative.
                if cats[j].id.starts_with(&format!("{}.", cats[i].id)) {
                    continue;
                }
                out.push(CoPair {
                    a: cats[i].id.clone(),
                    b: cats[j].id.clone(),
                    both: both[i][j],
                    either: either[i][j],
                    jaccard: if either[i][j] == 0 {
                        0.0
                    } else {
                        both[i][j] as f64 / either[i][j] as f64
                    },
                });
            }
        }
        out
    }
}

/// A grid of cells to align (also used by other commands' tables).
pub(crate) struct Grid {
    pub header: Vec<String>,
    pub right: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    fn widths(&self) -> Vec<usize> {
        let mut w: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.width());
            }
        }
        w
    }

    fn pad(s: &str, width: usize, right: bool) -> String {
        let fill = " ".repeat(width.saturating_sub(s.width()));
        if right {
            format!("{fill}{s}")
        } else {
            format!("{s}{fill}")
        }
    }

    pub fn plain(&self) -> String {
        let w = self.widths();
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| Self::pad(c, w[i], self.right[i]))
                .collect();
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(&self.header, &mut out);
        let rule: Vec<String> = w.iter().map(|&n| "─".repeat(n)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for r in &self.rows {
            line(r, &mut out);
        }
        out
    }

    pub fn markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|");
        let mut out = String::new();
        let cells: Vec<String> = self.header.iter().map(|h| esc(h)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
        let rule: Vec<&str> = self
            .right
            .iter()
            .map(|&r| if r { "---:" } else { ":---" })
            .collect();
        let _ = writeln!(out, "|{}|", rule.join("|"));
        for r in &self.rows {
            let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out
    }
}

/// Thousands separators for counts printed to people.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn category_cell(row: &FreqRow, markdown: bool) -> String {
    let indent = if markdown { "&nbsp;&nbsp;" } else { "  " };
    format!("{}{}", indent.repeat(row.depth), row.category)
}

/// A bar of `pct` percent, `width` cells wide, in eighths of a cell.
pub fn bar(pct: f64, width: usize) -> String {
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = ((pct.clamp(0.0, 100.0) / 100.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8 - 1]);
    }
    s
}

/// How a table is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Colour the output (ANSI escapes) for a terminal.
    pub colour: bool,
    /// What crosstab cells show.
    pub measure: Measure,
}

fn overall_grid(rows: &[FreqRow], markdown: bool, style: Style) -> Grid {
    let bars = !markdown;
    let mut header: Vec<String> = [
        "category",
        "passages",
        "%",
        "docs",
        "hits",
        "per 1k words",
        "% words",
    ]
    .map(String::from)
    .to_vec();
    let mut right = vec![false, true, true, true, true, true, true];
    if bars {
        header.push("% coded".to_string());
        right.push(false);
    }
    Grid {
        header,
        right,
        rows: rows
            .iter()
            .filter(|r| r.by.is_empty())
            .map(|r| {
                let mut v = vec![
                    category_cell(r, markdown),
                    thousands(r.passages_coded),
                    format!("{:.1}", r.passages_pct),
                    thousands(r.documents_coded),
                    thousands(r.hits),
                    format!("{:.2}", r.hits_per_1000_words),
                    format!("{:.2}", r.pct_words),
                ];
                if bars {
                    let b = bar(r.passages_pct, 10);
                    v.push(if style.colour {
                        format!("\x1b[36m{b}\x1b[0m")
                    } else {
                        b
                    });
                }
                v
            })
            .collect(),
    }
}

fn mark(test: Option<&CrossTest>, col: usize) -> &'static str {
    match test.and_then(|t| t.residual(col)) {
        Some(r) if r > 1.96 => " ▲",
        Some(r) if r < -1.96 => " ▼",
        _ => "",
    }
}

fn crosstab_grid(
    cats: &[CatView],
    tally: &Tally,
    tests: &[CrossTest],
    markdown: bool,
    style: Style,
) -> Grid {
    let mut header = vec![format!("category \\ {}", tally.by.join(" × "))];
    let mut right = vec![false];
    for (k, c) in &tally.groups {
        let n = if style.measure == Measure::Documents {
            c.documents
        } else {
            c.passages
        };
        header.push(format!("{} (n={})", k.label(), thousands(n)));
        right.push(true);
    }
    let with_tests = !tests.is_empty();
    let with_v = tests.iter().any(|t| t.pearson.is_some());
    if with_tests {
        let symbol = tests.first().map_or("χ²", CrossTest::symbol);
        header.extend([symbol, "df", "p"].map(String::from));
        right.extend([true, true, true]);
        if with_v {
            header.push("V".to_string());
            right.push(true);
        }
    }
    let indent = if markdown { "&nbsp;&nbsp;" } else { "  " };
    let rows = cats
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            let test = tests.iter().find(|t| t.category == cat.id);
            let mut r = vec![format!("{}{}", indent.repeat(cat.depth), cat.id)];
            for (gi, c) in tally.groups.values().enumerate() {
                let k = c.cats.get(i).copied().unwrap_or_default();
                let per = |scale: f64| {
                    if c.words == 0 {
                        0.0
                    } else {
                        scale * k.hits as f64 / c.words as f64
                    }
                };
                let cell = match style.measure {
                    Measure::Passages => format!(
                        "{} ({:.1}%)",
                        thousands(k.passages_coded),
                        pct(k.passages_coded, c.passages)
                    ),
                    Measure::Documents => format!(
                        "{} ({:.1}%)",
                        thousands(k.documents_coded),
                        pct(k.documents_coded, c.documents)
                    ),
                    Measure::Hits => thousands(k.hits),
                    Measure::Per1k => format!("{:.2}", per(1000.0)),
                    Measure::PctWords => format!("{:.2}", per(100.0)),
                };
                let m = if matches!(style.measure, Measure::Passages | Measure::Documents) {
                    mark(test, gi)
                } else {
                    ""
                };
                r.push(format!("{cell}{m}"));
            }
            if with_tests {
                match test {
                    Some(t) => {
                        r.extend([t.statistic_cell(), t.df_cell(), format_p(t.p)]);
                        if with_v {
                            r.push(t.cramers_v().map_or(String::new(), |v| format!("{v:.2}")));
                        }
                    }
                    None => {
                        r.extend(["n/a", "", ""].map(String::from));
                        if with_v {
                            r.push(String::new());
                        }
                    }
                }
            }
            r
        })
        .collect();
    Grid {
        header,
        right,
        rows,
    }
}

/// p-values as papers print them.
pub fn format_p(p: f64) -> String {
    if p < 0.001 {
        "<.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

fn header_lines(h: &Header) -> Vec<String> {
    vec![
        format!("tanda {} · corpus {}", h.tanda_version, h.corpus),
        format!(
            "documents {} · passages {} · words {} · unit {}",
            thousands(h.documents),
            thousands(h.passages),
            thousands(h.words),
            h.unit
        ),
    ]
    .into_iter()
    .chain((!h.skipped.is_empty()).then(|| {
        format!(
            "skipped {}: {}",
            thousands(h.skipped.len() as u64),
            crate::corpus::skip_summary(&h.skipped)
        )
    }))
    .chain([format!(
        "codebook {} {} ({}) sha256 {}",
        h.codebook_name,
        h.codebook_version,
        h.codebook_origin,
        h.codebook_sha256.chars().take(12).collect::<String>()
    )])
    .chain(wrap(
        &format!("counting {}: {}", h.policy_id, h.policy),
        80,
        "  ",
    ))
    .collect()
}

/// `text` cut at spaces into lines of at most `width` columns (a longer
/// word stands alone); lines after the first start with `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let w = line.width();
        if w > 0 && w + 1 + word.width() > width {
            lines.push(std::mem::replace(&mut line, indent.to_string()));
        }
        if !line.is_empty() && line != indent {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

/// What the tests under a crosstab are, in words: which test ran, how
/// clustering was handled, the marks, and the groups left out.
pub fn test_note(tests: &[CrossTest], tally: &Tally) -> String {
    let Some(t) = tests.first() else {
        return String::new();
    };
    let mut parts: Vec<String> = Vec::new();
    let clusters = tally
        .groups
        .iter()
        .filter(|(k, _)| !k.0.iter().any(String::is_empty))
        .map(|(_, c)| c.docs_with_passages)
        .sum::<u64>();
    let clustered = t.df2.is_some();
    parts.push(format!("test: {}", t.test));
    if t.unit == "hits" {
        parts.push(
            "G²: likelihood-ratio test that the groups share one rate of hits per word \
             (Poisson, words as exposure)"
                .to_string(),
        );
    } else {
        parts.push(format!(
            "χ²: Pearson's test of independence of coded/not coded {} × group (no continuity \
             correction)",
            t.unit
        ));
    }
    if clustered {
        parts.push(format!(
            "passages are nested in documents, so the {clusters} documents are clusters: F is the \
             Rao–Scott second-order corrected statistic (as R's svychisq), df its numerator and \
             denominator df; --cluster none gives the uncorrected test"
        ));
    }
    if t.pearson.is_some() {
        parts.push(
            "▲/▼ adjusted standardised residual (units independent) above 1.96 / below −1.96; \
             V: Cramér's V; † more than 20% of expected counts below 5 (or one below 1): \
             the approximation is unreliable"
                .to_string(),
        );
    }
    if !t.left_out.is_empty() {
        parts.push(format!(
            "the {} group is shown but left out of the tests",
            t.left_out.join(", ")
        ));
    }
    parts.join("; ")
}

/// The tables as terminal text or Markdown: header, overall table, the
/// crosstab (with its `tests`) when grouped, and the co-occurrences when asked.
#[allow(clippy::too_many_arguments)]
fn render(
    h: &Header,
    cats: &[CatView],
    tally: &Tally,
    rows: &[FreqRow],
    tests: &[CrossTest],
    co: Option<&[CoPair]>,
    style: Style,
    markdown: bool,
) -> String {
    let grid = |g: Grid| if markdown { g.markdown() } else { g.plain() };
    let mut out = if markdown {
        header_lines(h)
            .iter()
            .map(|l| format!("- {l}\n"))
            .collect::<String>()
    } else {
        header_lines(h).join("\n") + "\n"
    };
    out.push('\n');
    out.push_str(&grid(overall_grid(rows, markdown, style)));
    let counter: u64 = rows
        .iter()
        .filter(|r| r.by.is_empty() && r.depth == 0)
        .map(|r| r.counter_hits)
        .sum();
    if counter > 0 {
        let note = format!(
            "hits, per 1k words and % words count entries weighing more than 0; \
             {} hit(s) of counter-indicators (weight 0 or less) lowered scores and are \
             left out (frequencies.csv: counter_hits)",
            thousands(counter)
        );
        if markdown {
            let _ = writeln!(out, "\n{note}");
        } else {
            for l in wrap(&note, 80, "") {
                let _ = writeln!(out, "{l}");
            }
        }
    }
    if !tally.by.is_empty() {
        let _ = writeln!(
            out,
            "\n{} by {}{}",
            style.measure.describe(),
            tally.by.join(" × "),
            if markdown { "\n" } else { "" }
        );
        out.push_str(&grid(crosstab_grid(cats, tally, tests, markdown, style)));
        if !tests.is_empty() {
            let note = test_note(tests, tally);
            if markdown {
                let _ = writeln!(out, "\n{note}");
            } else {
                for l in wrap(&note, 80, "") {
                    let _ = writeln!(out, "{l}");
                }
            }
        }
    }
    if let Some(co) = co {
        out.push_str(&cooccurrence_text(co, markdown));
    }
    out
}

/// The terminal table.
pub fn render_text(
    h: &Header,
    cats: &[CatView],
    tally: &Tally,
    rows: &[FreqRow],
    tests: &[CrossTest],
    co: Option<&[CoPair]>,
    style: Style,
) -> String {
    render(h, cats, tally, rows, tests, co, style, false)
}

/// The same as Markdown, for papers and READMEs.
pub fn render_markdown(
    h: &Header,
    cats: &[CatView],
    tally: &Tally,
    rows: &[FreqRow],
    tests: &[CrossTest],
    co: Option<&[CoPair]>,
    style: Style,
) -> String {
    render(h, cats, tally, rows, tests, co, style, true)
}

/// Pairs shown in a terminal or Markdown table (the files have all).
const CO_SHOWN: usize = 15;

fn cooccurrence_text(co: &[CoPair], markdown: bool) -> String {
    let mut pairs: Vec<&CoPair> = co.iter().filter(|p| p.both > 0).collect();
    pairs.sort_by(|a, b| {
        b.jaccard
            .total_cmp(&a.jaccard)
            .then(b.both.cmp(&a.both))
            .then(a.a.cmp(&b.a))
            .then(a.b.cmp(&b.b))
    });
    let more = pairs.len().saturating_sub(CO_SHOWN);
    pairs.truncate(CO_SHOWN);
    let g = Grid {
        header: ["category", "with", "both", "either", "Jaccard"]
            .map(String::from)
            .to_vec(),
        right: vec![false, false, true, true, true],
        rows: pairs
            .iter()
            .map(|p| {
                vec![
                    p.a.clone(),
                    p.b.clone(),
                    thousands(p.both),
                    thousands(p.either),
                    format!("{:.3}", p.jaccard),
                ]
            })
            .collect(),
    };
    let title = "\ncategories coded in the same passages (by Jaccard = both / either)\n";
    let tail = if more > 0 {
        format!("… {more} more pairs (all pairs: cooccurrence.csv with --out, or --format json)\n")
    } else {
        String::new()
    };
    if markdown {
        format!("{title}\n{}{tail}", g.markdown())
    } else {
        format!("{title}{}{tail}", g.plain())
    }
}

fn latex_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                o.push('\\');
                o.push(c);
            }
            '~' => o.push_str("\\textasciitilde{}"),
            '^' => o.push_str("\\textasciicircum{}"),
            '\\' => o.push_str("\\textbackslash{}"),
            '▲' => o.push_str("$\\blacktriangle$"),
            '▼' => o.push_str("$\\blacktriangledown$"),
            'χ' => o.push_str("$\\chi$"),
            '²' => o.push_str("$^2$"),
            '†' => o.push_str("\\dag{}"),
            c => o.push(c),
        }
    }
    o
}

fn latex_grid(g: &Grid, caption: &str) -> String {
    let cols: String = g.right.iter().map(|&r| if r { 'r' } else { 'l' }).collect();
    let mut out = String::new();
    let _ = writeln!(out, "% {caption}");
    let _ = writeln!(out, "\\begin{{tabular}}{{{cols}}}\n\\hline");
    let row = |cells: &[String]| {
        cells
            .iter()
            .map(|c| latex_escape(c.trim_start()))
            .collect::<Vec<_>>()
            .join(" & ")
    };
    let _ = writeln!(out, "{} \\\\\n\\hline", row(&g.header));
    for r in &g.rows {
        let _ = writeln!(out, "{} \\\\", row(r));
    }
    out.push_str("\\hline\n\\end{tabular}\n");
    out
}

/// LaTeX `tabular`s for papers (booktabs-free, so any class compiles it).
pub fn render_latex(
    h: &Header,
    cats: &[CatView],
    tally: &Tally,
    rows: &[FreqRow],
    tests: &[CrossTest],
    style: Style,
) -> String {
    let mut out = format!(
        "% tanda {} · codebook {} {} (sha256 {}) · unit {} · counting {}\n",
        h.tanda_version,
        h.codebook_name,
        h.codebook_version,
        h.codebook_sha256.chars().take(12).collect::<String>(),
        h.unit,
        h.policy_id
    );
    let mut g = overall_grid(rows, true, style);
    for r in &mut g.rows {
        r[0] = r[0].replace("&nbsp;", "~");
    }
    out.push_str(&latex_grid(&g, "frequencies"));
    if !tally.by.is_empty() {
        let mut g = crosstab_grid(cats, tally, tests, true, style);
        for r in &mut g.rows {
            r[0] = r[0].replace("&nbsp;", "~");
        }
        out.push('\n');
        out.push_str(&latex_grid(
            &g,
            &format!("{} by {}", style.measure.describe(), tally.by.join(" x ")),
        ));
    }
    out
}

/// JSON: the header, the tidy rows, the tests and co-occurrences.
pub fn render_json(
    h: &Header,
    rows: &[FreqRow],
    tests: &[CrossTest],
    co: Option<&[CoPair]>,
) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Out<'a> {
        run: &'a Header,
        frequencies: &'a [FreqRow],
        #[serde(skip_serializing_if = "<[CrossTest]>::is_empty")]
        tests: &'a [CrossTest],
        #[serde(skip_serializing_if = "Option::is_none")]
        cooccurrence: Option<&'a [CoPair]>,
    }
    let mut s = serde_json::to_string_pretty(&Out {
        run: h,
        frequencies: rows,
        tests,
        cooccurrence: co,
    })?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn grid_aligns_by_display_width() {
        let g = Grid {
            header: vec!["a".into(), "n".into()],
            right: vec![false, true],
            rows: vec![
                vec!["ข่าว".into(), "10".into()],
                vec!["xy".into(), "5".into()],
            ],
        };
        let s = g.plain();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[2].width(), lines[3].width());
    }
}
