//! Reliability statistics: how far two or more codings of the same passages
//! agree. Formulas are documented in docs/agreement.md and checked against
//! Krippendorff's published examples and the Python packages `krippendorff`
//! and scikit-learn.
//!
//! Data are a units × coders matrix of optional values (missing = the coder
//! did not code that unit).

use std::collections::BTreeMap;

pub mod coders;
pub mod sample;

/// One category's agreement among coders: a row of `tanda agree`'s table
/// and of its JSON (`agreement`), which `tanda codebook doc` reads back for
/// the manual. One type both ways, so the two cannot drift.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AgreementRow {
    /// The category id (the shared column name).
    pub category: String,
    /// Units every coder coded.
    pub units: usize,
    /// Percentage (0–100) of agreeing pairs of values within units; `None`
    /// when there are no pairs.
    pub percent_agreement: Option<f64>,
    /// `cohen` for two coders, `fleiss` for more.
    pub kappa_kind: String,
    /// Cohen's or Fleiss' kappa (see `kappa_kind`); `None` when undefined.
    pub kappa: Option<f64>,
    /// Krippendorff's alpha at the chosen level; `None` when undefined.
    pub alpha: Option<f64>,
    /// Lower end of alpha's 95% percentile bootstrap interval, when computed.
    pub alpha_ci_low: Option<f64>,
    /// Upper end of alpha's 95% percentile bootstrap interval, when computed.
    pub alpha_ci_high: Option<f64>,
}

/// One coder's accuracy against the reference on one category
/// (`against_reference` in `tanda agree`'s JSON).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PrfRow {
    /// The category id.
    pub category: String,
    /// The coder compared with the reference.
    pub coder: String,
    /// Their confusion counts and precision, recall and F1.
    #[serde(flatten)]
    pub prf: Prf,
}

/// What `tanda agree` computes for a set of coders: one row per category,
/// and each coder against the reference when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// One row per shared category.
    pub rows: Vec<AgreementRow>,
    /// Each other coder against the reference, per category; empty without a
    /// reference coder.
    pub against_reference: Vec<PrfRow>,
}

/// How agreement is computed (`tanda agree`'s options).
#[derive(Debug, Clone, Copy)]
pub struct AgreementOptions {
    /// Level of measurement for alpha.
    pub level: Level,
    /// How a blank cell is read.
    pub blank: coders::Blank,
    /// Bootstrap replicates for alpha's 95% interval (0: none).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Score the other coders against this one (an index into the coders).
    pub reference: Option<usize>,
}

/// Percent agreement, Cohen's (two coders) or Fleiss' kappa and
/// Krippendorff's alpha per category; precision, recall and F1 of each
/// coder against the reference. Units are the passages at least two coders
/// coded.
pub fn agreement(
    all: &[coders::Coder],
    categories: &[String],
    opts: &AgreementOptions,
) -> Agreement {
    let mut rows = Vec::new();
    let mut against_reference = Vec::new();
    for cat in categories {
        let (_, data) = coders::matrix(all, cat, opts.blank);
        let units = data
            .iter()
            .filter(|u| u.iter().flatten().count() >= 2)
            .count();
        let (kappa_kind, kappa) = if all.len() == 2 {
            ("cohen", cohen_kappa(&data, 0, 1))
        } else {
            ("fleiss", fleiss_kappa(&data))
        };
        let ci = (opts.bootstrap > 0)
            .then(|| bootstrap_alpha(&data, opts.level, opts.bootstrap, opts.seed))
            .flatten();
        rows.push(AgreementRow {
            category: cat.clone(),
            units,
            percent_agreement: percent_agreement(&data),
            kappa_kind: kappa_kind.to_string(),
            kappa,
            alpha: krippendorff_alpha(&data, opts.level),
            alpha_ci_low: ci.map(|c| c.0),
            alpha_ci_high: ci.map(|c| c.1),
        });
        if let Some(r) = opts.reference {
            for (i, c) in all.iter().enumerate().filter(|(i, _)| *i != r) {
                against_reference.push(PrfRow {
                    category: cat.clone(),
                    coder: c.name.clone(),
                    prf: precision_recall(&data, r, i),
                });
            }
        }
    }
    Agreement {
        rows,
        against_reference,
    }
}

/// The category columns every coder has (in the first coder's order),
/// narrowed to `only` when given. A category of `only` that not every coder
/// has, or no common category at all, is an error naming the columns.
pub fn common_categories(
    all: &[coders::Coder],
    only: Option<&[&str]>,
) -> Result<Vec<String>, crate::Error> {
    let Some(first) = all.first() else {
        return Ok(Vec::new());
    };
    let mut categories: Vec<String> = first
        .categories
        .iter()
        .filter(|c| all.iter().all(|k| k.categories.contains(c)))
        .cloned()
        .collect();
    if let Some(want) = only {
        for w in want {
            if !categories.iter().any(|c| c == w) {
                return Err(crate::Error::Usage(format!(
                    "category `{w}` is not a column of every coder (common: {})",
                    categories.join(", ")
                )));
            }
        }
        categories.retain(|c| want.contains(&c.as_str()));
    }
    if categories.is_empty() {
        let lists: Vec<String> = all
            .iter()
            .map(|c| format!("{}: {}", c.name, c.categories.join(", ")))
            .collect();
        return Err(crate::Error::Input {
            path: first.name.clone(),
            message: format!(
                "the coders share no category column; columns per coder: {}",
                lists.join("; ")
            ),
        });
    }
    Ok(categories)
}

/// Level of measurement for Krippendorff's alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Categories: values either equal or not.
    Nominal,
    /// Ranks: differences weigh by how many values lie between.
    Ordinal,
    /// Numbers on a scale: squared differences.
    Interval,
    /// Numbers with a true zero: differences relative to their sum.
    Ratio,
}

impl Level {
    /// The name used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Nominal => "nominal",
            Level::Ordinal => "ordinal",
            Level::Interval => "interval",
            Level::Ratio => "ratio",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "nominal" => Ok(Level::Nominal),
            "ordinal" => Ok(Level::Ordinal),
            "interval" => Ok(Level::Interval),
            "ratio" => Ok(Level::Ratio),
            other => Err(format!(
                "unknown level `{other}`; use nominal, ordinal, interval or ratio"
            )),
        }
    }
}

/// `x` without floating-point noise around zero: values within 1e-12 of 0
/// (including -0.0) become 0.0, so a kappa that is 0 by its formula (observed
/// agreement equal to chance) is not reported as -2e-16.
pub fn clean(x: f64) -> f64 {
    if x.abs() < 1e-12 { 0.0 } else { x }
}

/// `x` with `digits` decimals, never as `-0.000`: a value that rounds to
/// zero is written without a sign.
pub fn fixed(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}

/// One unit's values, one per coder.
pub type Unit = Vec<Option<f64>>;

/// Distinct values in ascending order (values are compared exactly).
fn values(data: &[Unit]) -> Vec<f64> {
    let mut v: Vec<f64> = data.iter().flatten().flatten().copied().collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn index_of(vals: &[f64], x: f64) -> usize {
    vals.partition_point(|&v| v < x)
}

/// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's
/// Alpha-Reliability"), via the coincidence matrix. Units with fewer than two
/// values are not pairable and are left out. `None` when there is nothing to
/// compare or no variation at all (alpha is undefined).
pub fn krippendorff_alpha(data: &[Unit], level: Level) -> Option<f64> {
    let vals = values(data);
    let k = vals.len();
    if k == 0 {
        return None;
    }
    // Coincidence matrix o[c][k].
    let mut o = vec![vec![0f64; k]; k];
    for unit in data {
        let present: Vec<usize> = unit.iter().flatten().map(|&x| index_of(&vals, x)).collect();
        let m = present.len();
        if m < 2 {
            continue;
        }
        let w = 1.0 / (m as f64 - 1.0);
        for (i, &a) in present.iter().enumerate() {
            for (j, &b) in present.iter().enumerate() {
                if i != j {
                    o[a][b] += w;
                }
            }
        }
    }
    let nc: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = nc.iter().sum();
    if n <= 1.0 {
        return None;
    }
    let delta2 = |c: usize, d: usize| -> f64 {
        if c == d {
            return 0.0;
        }
        match level {
            Level::Nominal => 1.0,
            Level::Interval => (vals[c] - vals[d]).powi(2),
            Level::Ratio => {
                let s = vals[c] + vals[d];
                if s == 0.0 {
                    0.0
                } else {
                    ((vals[c] - vals[d]) / s).powi(2)
                }
            }
            Level::Ordinal => {
                let (lo, hi) = if c < d { (c, d) } else { (d, c) };
                let between: f64 = nc[lo..=hi].iter().sum();
                (between - (nc[lo] + nc[hi]) / 2.0).powi(2)
            }
        }
    };
    let mut observed = 0.0;
    let mut expected = 0.0;
    for c in 0..k {
        for d in 0..k {
            let dd = delta2(c, d);
            observed += o[c][d] * dd;
            expected += nc[c] * nc[d] * dd;
        }
    }
    if expected == 0.0 {
        return None;
    }
    Some(clean(1.0 - (n - 1.0) * observed / expected))
}

/// Share of agreeing pairs among all pairs of values within units.
pub fn percent_agreement(data: &[Unit]) -> Option<f64> {
    let (mut agree, mut pairs) = (0f64, 0f64);
    for unit in data {
        let present: Vec<f64> = unit.iter().flatten().copied().collect();
        for i in 0..present.len() {
            for j in i + 1..present.len() {
                pairs += 1.0;
                if present[i] == present[j] {
                    agree += 1.0;
                }
            }
        }
    }
    (pairs > 0.0).then(|| 100.0 * agree / pairs)
}

/// Cohen's kappa for coders `a` and `b` over the units both coded.
pub fn cohen_kappa(data: &[Unit], a: usize, b: usize) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = data
        .iter()
        .filter_map(|u| Some(((*u.get(a)?)?, (*u.get(b)?)?)))
        .collect();
    let n = pairs.len() as f64;
    if n == 0.0 {
        return None;
    }
    let po = pairs.iter().filter(|(x, y)| x == y).count() as f64 / n;
    let mut ma: BTreeMap<u64, f64> = BTreeMap::new();
    let mut mb: BTreeMap<u64, f64> = BTreeMap::new();
    for (x, y) in &pairs {
        *ma.entry(x.to_bits()).or_default() += 1.0 / n;
        *mb.entry(y.to_bits()).or_default() += 1.0 / n;
    }
    let pe: f64 = ma
        .iter()
        .map(|(k, p)| p * mb.get(k).copied().unwrap_or(0.0))
        .sum();
    if (1.0 - pe).abs() < 1e-12 {
        return None;
    }
    Some(clean((po - pe) / (1.0 - pe)))
}

/// Fleiss' kappa over the units coded by every coder.
pub fn fleiss_kappa(data: &[Unit]) -> Option<f64> {
    let full: Vec<Vec<f64>> = data
        .iter()
        .filter(|u| u.iter().all(Option::is_some))
        .map(|u| u.iter().flatten().copied().collect())
        .collect();
    let m = full.first()?.len() as f64;
    let n = full.len() as f64;
    if m < 2.0 {
        return None;
    }
    let vals = values(&data.iter().map(|u| u.to_vec()).collect::<Vec<_>>());
    let mut pj = vec![0f64; vals.len()];
    let mut p_bar = 0.0;
    for unit in &full {
        let mut counts = vec![0f64; vals.len()];
        for &x in unit {
            counts[index_of(&vals, x)] += 1.0;
        }
        p_bar += (counts.iter().map(|c| c * c).sum::<f64>() - m) / (m * (m - 1.0));
        for (p, c) in pj.iter_mut().zip(&counts) {
            *p += c;
        }
    }
    p_bar /= n;
    let pe: f64 = pj.iter().map(|c| (c / (n * m)).powi(2)).sum();
    if (1.0 - pe).abs() < 1e-12 {
        return None;
    }
    Some(clean((p_bar - pe) / (1.0 - pe)))
}

/// Precision, recall and F1 of coder `b` against reference coder `a`, on
/// the units both coded; a value above 0 is a positive.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prf {
    /// True positives: both above 0.
    pub tp: u64,
    /// False positives: the coder above 0, the reference not.
    pub fp: u64,
    /// False negatives: the reference above 0, the coder not (`fn` is a keyword).
    pub fn_: u64,
    /// True negatives: neither above 0.
    pub tn: u64,
    /// `tp / (tp + fp)`; `None` when the coder marked no positive.
    pub precision: Option<f64>,
    /// `tp / (tp + fn)`; `None` when the reference has no positive.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall; 0 when both are 0, `None` when
    /// either is undefined.
    pub f1: Option<f64>,
}

/// Precision, recall and F1 of coder column `b` against column
/// `reference`, on the units both coded (see [`Prf`]).
pub fn precision_recall(data: &[Unit], reference: usize, b: usize) -> Prf {
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for u in data {
        let (Some(Some(r)), Some(Some(x))) = (u.get(reference), u.get(b)) else {
            continue;
        };
        match (*r > 0.0, *x > 0.0) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
    }
    let ratio = |a: u64, b: u64| (a + b > 0).then(|| a as f64 / (a + b) as f64);
    let precision = ratio(tp, fp);
    let recall = ratio(tp, fn_);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    Prf {
        tp,
        fp,
        fn_,
        tn,
        precision,
        recall,
        f1,
    }
}

/// A small, fixed pseudo-random generator (SplitMix64), so that a seed gives
/// the same samples and bootstrap intervals on every machine and version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64-bit value (SplitMix64).
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), without modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Percentile bootstrap interval (95%) of alpha, resampling units with
/// replacement `reps` times. Replicates where alpha is undefined are left
/// out; `None` when fewer than half are defined.
pub fn bootstrap_alpha(data: &[Unit], level: Level, reps: usize, seed: u64) -> Option<(f64, f64)> {
    if data.is_empty() || reps == 0 {
        return None;
    }
    let mut rng = Rng::new(seed);
    let mut alphas = Vec::with_capacity(reps);
    let mut sample: Vec<Unit> = Vec::with_capacity(data.len());
    for _ in 0..reps {
        sample.clear();
        for _ in 0..data.len() {
            sample.push(data[rng.below(data.len())].clone());
        }
        if let Some(a) = krippendorff_alpha(&sample, level) {
            alphas.push(a);
        }
    }
    if alphas.len() * 2 < reps {
        return None;
    }
    alphas.sort_by(f64::total_cmp);
    let at =
        |q: f64| alphas[((q * (alphas.len() - 1) as f64).round() as usize).min(alphas.len() - 1)];
    Some((at(0.025), at(0.975)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_reliability_report_reads_back_field_for_field() {
        // The JSON `tanda agree` wrote for validation/ is read with the same
        // types it was written with, and writes back to the same values.
        let text = include_str!("../../validation/reliability-report.json");
        let v: serde_json::Value = serde_json::from_str(text).expect("json");
        for (key, n) in [("agreement", 8), ("against_reference", 8)] {
            let rows = v[key].clone();
            let back = match key {
                "agreement" => {
                    let r: Vec<AgreementRow> = serde_json::from_value(rows.clone()).expect(key);
                    assert!(r.len() >= n, "{key}: {}", r.len());
                    serde_json::to_value(r).expect(key)
                }
                _ => {
                    let r: Vec<PrfRow> = serde_json::from_value(rows.clone()).expect(key);
                    assert!(r.len() >= n, "{key}: {}", r.len());
                    serde_json::to_value(r).expect(key)
                }
            };
            assert_eq!(back, rows, "{key}");
        }
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    /// section C: 4 coders, 12 units, with missing values. Published results:
    /// nominal .743, ordinal .815, interval .849, ratio .797.
    fn krippendorff_example() -> Vec<Unit> {
        let n = None;
        let s = |x: f64| Some(x);
        let coders: [[Option<f64>; 12]; 4] = [
            [
                s(1.),
                s(2.),
                s(3.),
                s(3.),
                s(2.),
                s(1.),
                s(4.),
                s(1.),
                s(2.),
                n,
                n,
                n,
            ],
            [
                s(1.),
                s(2.),
                s(3.),
                s(3.),
                s(2.),
                s(2.),
                s(4.),
                s(1.),
                s(2.),
                s(5.),
                n,
                s(3.),
            ],
            [
                n,
                s(3.),
                s(3.),
                s(3.),
                s(2.),
                s(3.),
                s(4.),
                s(2.),
                s(2.),
                s(5.),
                s(1.),
                n,
            ],
            [
                s(1.),
                s(2.),
                s(3.),
                s(3.),
                s(2.),
                s(4.),
                s(4.),
                s(1.),
                s(2.),
                s(5.),
                s(1.),
                n,
            ],
        ];
        (0..12)
            .map(|u| coders.iter().map(|c| c[u]).collect())
            .collect()
    }

    fn r3(x: Option<f64>) -> f64 {
        (x.unwrap() * 1000.0).round() / 1000.0
    }

    #[test]
    fn krippendorff_published_values_at_all_levels() {
        let d = krippendorff_example();
        assert_eq!(r3(krippendorff_alpha(&d, Level::Nominal)), 0.743);
        assert_eq!(r3(krippendorff_alpha(&d, Level::Ordinal)), 0.815);
        assert_eq!(r3(krippendorff_alpha(&d, Level::Interval)), 0.849);
        assert_eq!(r3(krippendorff_alpha(&d, Level::Ratio)), 0.797);
    }

    #[test]
    fn two_coder_binary_example_by_hand() {
        // Krippendorff (2011) section A: 2 coders, 10 units, binary.
        // Published alpha = 0.095.
        let a = [0., 1., 0., 0., 0., 0., 0., 0., 1., 0.];
        let b = [1., 1., 1., 0., 0., 1., 0., 0., 0., 0.];
        let d: Vec<Unit> = a
            .iter()
            .zip(&b)
            .map(|(x, y)| vec![Some(*x), Some(*y)])
            .collect();
        assert_eq!(r3(krippendorff_alpha(&d, Level::Nominal)), 0.095);
        // 6 of 10 units agree.
        assert_eq!(percent_agreement(&d), Some(60.0));
        // Cohen: po = .6; p_a(1) = .2, p_b(1) = .4 → pe = .8*.6 + .2*.4 = .56;
        // kappa = (.6 - .56) / .44 = .0909…
        assert_eq!(r3(cohen_kappa(&d, 0, 1)), 0.091);
        // Against a as reference: tp 1, fp 3, fn 1.
        let p = precision_recall(&d, 0, 1);
        assert_eq!((p.tp, p.fp, p.fn_, p.tn), (1, 3, 1, 5));
        assert_eq!(p.precision, Some(0.25));
        assert_eq!(p.recall, Some(0.5));
        assert_eq!(r3(p.f1), 0.333);
    }

    #[test]
    fn fleiss_kappa_textbook_example() {
        // Fleiss (1971) style check on a tiny table worked by hand:
        // 3 units, 3 raters, categories 0/1.
        // unit counts (n0, n1): (3,0), (0,3), (1,2)
        // P_i: 1, 1, (1+4-3)/6 = 1/3 → P̄ = 7/9
        // p0 = 4/9, p1 = 5/9 → Pe = 16/81 + 25/81 = 41/81
        // kappa = (7/9 - 41/81) / (1 - 41/81) = (63-41)/(81-41) = 22/40 = .55
        let d: Vec<Unit> = vec![
            vec![Some(0.), Some(0.), Some(0.)],
            vec![Some(1.), Some(1.), Some(1.)],
            vec![Some(0.), Some(1.), Some(1.)],
        ];
        assert_eq!(r3(fleiss_kappa(&d)), 0.55);
    }

    #[test]
    fn undefined_cases_are_none() {
        let same: Vec<Unit> = vec![vec![Some(1.), Some(1.)]; 5];
        assert_eq!(krippendorff_alpha(&same, Level::Nominal), None);
        let lonely: Vec<Unit> = vec![vec![Some(1.), None]; 5];
        assert_eq!(krippendorff_alpha(&lonely, Level::Nominal), None);
        assert_eq!(percent_agreement(&lonely), None);
    }

    #[test]
    fn rng_is_fixed_and_bootstrap_reproducible() {
        let mut r = Rng::new(7);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut r2 = Rng::new(7);
        let again: Vec<u64> = (0..3).map(|_| r2.next_u64()).collect();
        assert_eq!(first, again);
        let d = krippendorff_example();
        let a = bootstrap_alpha(&d, Level::Nominal, 200, 1).unwrap();
        let b = bootstrap_alpha(&d, Level::Nominal, 200, 1).unwrap();
        assert_eq!(a, b);
        assert!(a.0 < 0.743 && 0.743 < a.1);
    }

    #[test]
    fn zero_is_never_written_with_a_sign() {
        assert_eq!(fixed(-0.0, 3), "0.000");
        assert_eq!(fixed(-2.8e-16, 3), "0.000");
        assert_eq!(fixed(-0.0004, 3), "0.000");
        assert_eq!(fixed(-0.0006, 3), "-0.001");
        assert_eq!(fixed(-0.125, 3), "-0.125");
        assert_eq!(fixed(0.5, 1), "0.5");
        assert!(clean(-0.0).is_sign_positive());
        assert_eq!(clean(-2.8e-16), 0.0);
        assert_eq!(clean(-1e-6), -1e-6);
        // All 0 against 0 0 0 1 1: po = pe = 3/5, kappa 0 by the formula.
        let d: Vec<Unit> = [0., 0., 0., 1., 1.]
            .iter()
            .map(|&b| vec![Some(0.), Some(b)])
            .collect();
        let k = cohen_kappa(&d, 0, 1).unwrap();
        assert!(k == 0.0 && k.is_sign_positive(), "{k}");
    }
}
