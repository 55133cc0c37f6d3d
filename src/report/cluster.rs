//! Tests for crosstabs whose passages are clustered in documents.
//!
//! Passages (paragraphs) are not independent: passages of one document share
//! its author, topic and style, so they tend to be coded alike, and a
//! document with many hits tends to have more. Pearson's χ² and the Poisson
//! likelihood-ratio G² treat every passage (every word) as an independent
//! draw and so overstate significance when documents differ. The tests here
//! take documents as the sampling units (clusters, PSUs of a one-stage
//! design without strata) and correct the classical statistics by their
//! design effects, the way survey statistics does:
//!
//! * [`rao_scott`]: Pearson's χ² for coded × group with the Rao–Scott
//!   first-order correction (X²/δ̄) and the second-order (Satterthwaite) F,
//!   exactly as R's `survey::svychisq` computes them.
//! * [`rate_test`]: the likelihood-ratio G² for equal Poisson rates
//!   (hits per word) across groups and, when asked, the same Rao–Scott
//!   corrections with design effects of the group rates.
//!
//! Assumptions, shared by both:
//! * every document belongs to exactly one group (groups are document
//!   metadata), so clusters are nested in groups;
//! * the documents are treated as sampled with replacement from a large
//!   population of documents (the with-replacement, "ultimate cluster"
//!   linearisation variance, `n/(n−1) Σ uᵢuᵢᵀ` over the n documents, no finite
//!   population correction), as survey software does by default;
//! * the corrections are large-sample approximations in the number of
//!   documents: with a handful of documents the design effects are poorly
//!   estimated, which the F form's denominator degrees of freedom
//!   (d₀·(n−1)) reflect.
//!
//! Everything is computed from per-group sums that merge by addition
//! ([`ClusterSums`], [`RateSums`]); with integer counts the sums are exact in
//! `f64` (below 2⁵³), so merging per-thread or per-shard tallies in any order
//! gives bit-identical results.
//!
//! References: Rao, J.N.K. & Scott, A.J. (1981), The analysis of categorical
//! data from complex sample surveys: chi-squared tests for goodness of fit
//! and independence in two-way tables, JASA 76, 221–230; Rao & Scott (1984),
//! On chi-squared tests for multiway contingency tables with cell
//! proportions estimated from survey data, Annals of Statistics 12, 46–60;
//! Thomas, D.R. & Rao, J.N.K. (1987), Small-sample comparisons of level and
//! power for simple goodness-of-fit statistics under cluster sampling, JASA
//! 82, 630–636 (the F form); Lumley, T. (2010), Complex Surveys: A Guide to
//! Analysis Using R, Wiley (svychisq, the tests as the survey package runs them).
//! Checked against samplics and statsmodels (tests/crosscheck/raoscott_crosscheck.py,
//! fixture tests/fixtures/raoscott/cases.json, test tests/stats_crosscheck.rs) and
//! against R's survey package (tests/crosscheck/raoscott_svychisq.R).

use super::stats::{chi2_sf, ln_gamma};

/// Short name of the coded-passages test of [`rao_scott`] for table headers.
pub const RAO_SCOTT_NAME: &str = "Pearson χ², Rao–Scott F by document";
/// Short name of [`rate_test`] without clustering.
pub const RATE_NAME: &str = "LR G² (Poisson, words as exposure)";
/// Short name of [`rate_test`] with clustering.
pub const RATE_CLUSTERED_NAME: &str = "LR G² (Poisson, words as exposure), Rao–Scott F by document";

/// Design effects below this are taken as zero: every document then has
/// exactly its group's proportion (or rate), the design variance vanishes
/// and the corrected statistic is undefined.
const MIN_DEFF: f64 = 1e-9;

/// One group's cluster sums for a binary outcome (one category): for each
/// document (cluster) i in the group, mᵢ = passages, yᵢ = passages coded.
/// Merge by addition ([`ClusterSums::add`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct ClusterSums {
    /// Documents with at least one passage.
    pub clusters: u64,
    /// Σ mᵢ: passages.
    pub m: f64,
    /// Σ yᵢ: passages coded.
    pub y: f64,
    /// Σ yᵢ².
    pub yy: f64,
    /// Σ mᵢyᵢ.
    pub my: f64,
    /// Σ mᵢ².
    pub mm: f64,
}

impl ClusterSums {
    /// Add one document with `m` passages of which `y` are coded. A document
    /// without passages is no sampling unit of the passage table (survey
    /// software never sees it) and is skipped.
    pub fn add_cluster(&mut self, m: f64, y: f64) {
        if m.is_nan() || m <= 0.0 {
            return;
        }
        self.clusters += 1;
        self.m += m;
        self.y += y;
        self.yy += y * y;
        self.my += m * y;
        self.mm += m * m;
    }

    /// Merge another tally of the same group.
    pub fn add(&mut self, other: &ClusterSums) {
        self.clusters += other.clusters;
        self.m += other.m;
        self.y += other.y;
        self.yy += other.yy;
        self.my += other.my;
        self.mm += other.mm;
    }
}

/// One group's sums for a count with exposure: for each document i in the
/// group, hᵢ = hits, wᵢ = words. Merge by addition ([`RateSums::add`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct RateSums {
    /// Documents with at least one word.
    pub clusters: u64,
    /// Σ hᵢ: hits.
    pub h: f64,
    /// Σ wᵢ: words.
    pub w: f64,
    /// Σ hᵢ².
    pub hh: f64,
    /// Σ hᵢwᵢ.
    pub hw: f64,
    /// Σ wᵢ².
    pub ww: f64,
}

impl RateSums {
    /// Add one document with `h` hits in `w` words. A document without words
    /// has no exposure (its log offset would be −∞) and is skipped.
    pub fn add_cluster(&mut self, h: f64, w: f64) {
        if w.is_nan() || w <= 0.0 {
            return;
        }
        self.clusters += 1;
        self.h += h;
        self.w += w;
        self.hh += h * h;
        self.hw += h * w;
        self.ww += w * w;
    }

    /// Merge another tally of the same group.
    pub fn add(&mut self, other: &RateSums) {
        self.clusters += other.clusters;
        self.h += other.h;
        self.w += other.w;
        self.hh += other.hh;
        self.hw += other.hw;
        self.ww += other.ww;
    }
}

/// The Rao–Scott corrections of a statistic X (Pearson's X² or G²) with
/// k − 1 degrees of freedom, from the generalised design effects δⱼ, the
/// eigenvalues of Δ = V₀⁻¹V (V: design covariance of the k − 1 tested
/// contrasts, V₀: their covariance under independent sampling).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DesignCorrection {
    /// δ̄ = tr Δ / (k − 1), the mean generalised design effect: how many
    /// times larger the variance is than under independent passages (words).
    pub mean_deff: f64,
    /// First-order Rao–Scott statistic X/δ̄, referred to χ²(k − 1).
    pub chi2: f64,
    /// p of `chi2` on k − 1 degrees of freedom.
    pub p_chi2: f64,
    /// Second-order (Satterthwaite) statistic F = X / tr Δ.
    pub f: f64,
    /// Numerator df d₀ = (tr Δ)² / tr Δ² (k − 1 when all δⱼ are equal,
    /// smaller when they vary).
    pub df1: f64,
    /// Denominator df d₀ · (n − 1), n = documents.
    pub df2: f64,
    /// p of `f` on (df1, df2), what `svychisq(statistic = "F")` reports.
    pub p_f: f64,
    /// Design degrees of freedom: documents − 1 (one stratum).
    pub design_df: f64,
}

/// The design-based test of independence of coded × group.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RaoScott {
    /// Groups with passages (columns of the table).
    pub groups: usize,
    /// Documents with passages (PSUs).
    pub clusters: u64,
    /// Pearson's X² of the 2 × k table of passages, unadjusted.
    pub pearson: f64,
    /// k − 1.
    pub df: usize,
    /// p of the unadjusted X² (what chi_square reports: too small when
    /// passages of a document are alike).
    pub p_pearson: f64,
    /// The Rao–Scott corrections; `correction.p_f` is the p to report.
    pub correction: DesignCorrection,
}

/// The test of equal hit rates (hits per word) across groups.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RateTest {
    /// Short name of the test that ran, for table headers: [`RATE_NAME`] or
    /// [`RATE_CLUSTERED_NAME`].
    pub name: &'static str,
    /// Groups with words.
    pub groups: usize,
    /// Documents with words.
    pub clusters: u64,
    /// G² = 2 Σ_g H_g ln(r̂_g / r̂), r̂_g = H_g/W_g, r̂ = H/W: the deviance
    /// difference of Poisson GLMs with log(words) offset, one rate for all
    /// groups (H0) against one rate per group.
    pub g2: f64,
    /// k − 1.
    pub df: usize,
    /// p of the unadjusted G² on k − 1 df.
    pub p_g2: f64,
    /// With `clustered`: the Rao–Scott corrections of G².
    pub correction: Option<DesignCorrection>,
}

impl RateTest {
    /// The p of the test that ran: the Rao–Scott F's when clustered, else G²'s.
    pub fn p(&self) -> f64 {
        self.correction.as_ref().map_or(self.p_g2, |c| c.p_f)
    }
}

impl RaoScott {
    /// The p to report (the second-order F's, as `svychisq` reports).
    pub fn p(&self) -> f64 {
        self.correction.p_f
    }
}

/// Rao–Scott test of independence of coded (yes/no) × group with documents
/// as clusters, from one [`ClusterSums`] per group (groups without passages
/// are left out, like empty columns in chi_square).
///
/// Cell proportions P̂ (2 × k: coded and not coded in each group, over all
/// N passages) have the linearised with-replacement covariance
/// V = n/(n−1) Σᵢ uᵢuᵢᵀ, uᵢ = (cᵢ − mᵢP̂)/N, where cᵢ are document i's cell
/// counts (nonzero only in its own group's two cells). Following
/// `svychisq`, with C a basis of the interaction contrasts (matrices with
/// zero row and column sums) and D = diag(P̂) (1/0 read as 0 for an empty
/// cell, as svychisq does):
/// Δ = (CᵀD⁻¹C/N)⁻¹ (CᵀD⁻¹VD⁻¹C). Because C·D⁻¹cᵢ involves only yᵢ and mᵢ
/// of one group, Δ needs only Σyᵢ², Σmᵢyᵢ, Σmᵢ², Σyᵢ, Σmᵢ per group.
///
/// `None` when the test is undefined: fewer than 2 groups with passages,
/// the category coded in no passage or in all, fewer than 2 documents, or
/// zero design variance (every document coded in exactly its group's
/// proportion).
pub fn rao_scott(groups: &[ClusterSums]) -> Option<RaoScott> {
    let g: Vec<&ClusterSums> = groups.iter().filter(|s| s.m > 0.0).collect();
    let k = g.len();
    let n: u64 = g.iter().map(|s| s.clusters).sum();
    let big_n: f64 = g.iter().map(|s| s.m).sum();
    let y: f64 = g.iter().map(|s| s.y).sum();
    if k < 2 || n < 2 || !(y > 0.0 && y < big_n) {
        return None;
    }
    let p = y / big_n;
    let pearson: f64 = g
        .iter()
        .map(|s| (s.y - s.m * p).powi(2) / (s.m * p * (1.0 - p)))
        .sum();
    // 1/P̂ of each group's two cells (0 for an empty cell, as svychisq).
    let inv = |x: f64| if x > 0.0 { big_n / x } else { 0.0 };
    let alpha: Vec<f64> = g.iter().map(|s| inv(s.y)).collect();
    let beta: Vec<f64> = g.iter().map(|s| inv(s.m - s.y)).collect();
    // Contrast s: +1 in group s, −1 in group k−1 (coded cell; the uncoded
    // cell has the opposite sign). Any basis gives the same eigenvalues.
    let d = k - 1;
    let a = |s: usize, j: usize| -> f64 {
        if j == s {
            1.0
        } else if j == d {
            -1.0
        } else {
            0.0
        }
    };
    // D⁻¹z·P̂ for contrast z: Σ_g a_g ([Y_g > 0] − [M_g − Y_g > 0]); zero
    // unless a cell is empty.
    let ind: Vec<f64> = g
        .iter()
        .map(|s| f64::from(u8::from(s.y > 0.0)) - f64::from(u8::from(s.m - s.y > 0.0)))
        .collect();
    let q: Vec<f64> = (0..d)
        .map(|s| (0..k).map(|j| a(s, j) * ind[j]).sum())
        .collect();
    // Per document eᵢ = D⁻¹z·cᵢ / a_g = (α+β)yᵢ − βmᵢ; its sums per group.
    let see: Vec<f64> = (0..k)
        .map(|j| {
            let (ab, b, s) = (alpha[j] + beta[j], beta[j], g[j]);
            ab * ab * s.yy - 2.0 * ab * b * s.my + b * b * s.mm
        })
        .collect();
    let sem: Vec<f64> = (0..k)
        .map(|j| (alpha[j] + beta[j]) * g[j].my - beta[j] * g[j].mm)
        .collect();
    let nf = n as f64;
    let scale = nf / (nf - 1.0) / (big_n * big_n);
    let mut am = vec![vec![0.0; d]; d];
    let mut bm = vec![vec![0.0; d]; d];
    for s in 0..d {
        for t in 0..d {
            let mut av = 0.0;
            let mut bv = 0.0;
            for j in 0..k {
                let (asj, atj) = (a(s, j), a(t, j));
                av += asj * atj * (alpha[j] + beta[j]) / big_n;
                bv +=
                    asj * atj * see[j] - (asj * q[t] + atj * q[s]) * sem[j] + q[s] * q[t] * g[j].mm;
            }
            am[s][t] = av;
            bm[s][t] = bv * scale;
        }
    }
    let correction = correct(pearson, &am, &bm, nf)?;
    Some(RaoScott {
        groups: k,
        clusters: n,
        pearson,
        df: d,
        p_pearson: chi2_sf(pearson, d),
        correction,
    })
}

/// Likelihood-ratio test of equal Poisson rates across groups with words as
/// exposure, from one [`RateSums`] per group (groups without words are left
/// out). H0: one rate r for all groups; H1: a rate r_g per group;
/// G² = 2 Σ_g H_g ln(r̂_g/r̂) on k − 1 df (the deviance difference of the two
/// Poisson GLMs with a log(words) offset, at document or group level alike).
///
/// With `clustered`, G² is corrected like Pearson's X² in [`rao_scott`]
/// (Rao & Scott 1981, 1984; Rao–Scott corrections of likelihood-ratio
/// statistics), on the rate scale: the group rates r̂_g = H_g/W_g are ratio
/// estimators with linearised with-replacement variance (documents as PSUs)
/// v_g = n/(n−1) Σ_{i∈g} (hᵢ − r̂_g wᵢ)² / W_g², independent across groups
/// (documents are nested in groups); their variance if every word were an
/// independent Poisson draw under H0 is r̂/W_g. For the k − 1 contrasts
/// C (r_g − r_k), Δ = (C diag(r̂/W_g) Cᵀ)⁻¹ (C diag(v_g) Cᵀ); the first-order
/// statistic is G²/δ̄ on χ²(k − 1), the second-order F = G²/tr Δ on
/// (d₀, d₀(n − 1)), d₀ = (tr Δ)²/tr Δ², as svychisq does for tables. A group
/// without hits is fine here (v_g = 0), unlike on the log-rate scale of a
/// survey-weighted Poisson GLM whose fit does not exist then.
///
/// `None` when the test is undefined: fewer than 2 groups with words, no
/// hits at all, and with `clustered` fewer than 2 documents or zero design
/// variance (every document at exactly its group's rate).
pub fn rate_test(groups: &[RateSums], clustered: bool) -> Option<RateTest> {
    let g: Vec<&RateSums> = groups.iter().filter(|s| s.w > 0.0).collect();
    let k = g.len();
    let n: u64 = g.iter().map(|s| s.clusters).sum();
    let hits: f64 = g.iter().map(|s| s.h).sum();
    let words: f64 = g.iter().map(|s| s.w).sum();
    if k < 2 || hits.is_nan() || hits <= 0.0 {
        return None;
    }
    let r = hits / words;
    let g2 = 2.0
        * g.iter()
            .filter(|s| s.h > 0.0)
            .map(|s| s.h * (s.h / s.w / r).ln())
            .sum::<f64>();
    let g2 = g2.max(0.0);
    let d = k - 1;
    let correction = if clustered {
        if n < 2 {
            return None;
        }
        let nf = n as f64;
        let v0: Vec<f64> = g.iter().map(|s| r / s.w).collect();
        let v: Vec<f64> = g
            .iter()
            .map(|s| {
                let rg = s.h / s.w;
                let ss = (s.hh - 2.0 * rg * s.hw + rg * rg * s.ww).max(0.0);
                nf / (nf - 1.0) * ss / (s.w * s.w)
            })
            .collect();
        // Contrasts e_s − e_{k−1}: (C diag(x) Cᵀ)_st = x_s[s = t] + x_{k−1}.
        let form = |x: &[f64]| -> Vec<Vec<f64>> {
            (0..d)
                .map(|s| {
                    (0..d)
                        .map(|t| if s == t { x[s] } else { 0.0 } + x[d])
                        .collect()
                })
                .collect()
        };
        Some(correct(g2, &form(&v0), &form(&v), nf)?)
    } else {
        None
    };
    Some(RateTest {
        name: if clustered {
            RATE_CLUSTERED_NAME
        } else {
            RATE_NAME
        },
        groups: k,
        clusters: n,
        g2,
        df: d,
        p_g2: chi2_sf(g2, d),
        correction,
    })
}

/// First- and second-order Rao–Scott corrections of `stat` from
/// Δ = A⁻¹B (A: covariance of the contrasts under independence, B: design
/// covariance), `n` documents.
fn correct(stat: f64, a: &[Vec<f64>], b: &[Vec<f64>], n: f64) -> Option<DesignCorrection> {
    let delta = solve(a, b)?;
    let d = delta.len();
    let tr: f64 = (0..d).map(|i| delta[i][i]).sum();
    let tr2: f64 = (0..d)
        .flat_map(|i| (0..d).map(move |j| (i, j)))
        .map(|(i, j)| delta[i][j] * delta[j][i])
        .sum();
    let mean_deff = tr / d as f64;
    if mean_deff.is_nan()
        || mean_deff <= MIN_DEFF
        || !mean_deff.is_finite()
        || tr2.is_nan()
        || tr2 <= 0.0
    {
        return None;
    }
    let df1 = tr * tr / tr2;
    let design_df = n - 1.0;
    let chi2 = stat / mean_deff;
    let f = stat / tr;
    Some(DesignCorrection {
        mean_deff,
        chi2,
        p_chi2: chi2_sf(chi2, d),
        f,
        df1,
        df2: df1 * design_df,
        p_f: f_sf(f, df1, df1 * design_df),
        design_df,
    })
}

/// Solve A X = B for X (A square, nonsingular) by Gaussian elimination with
/// partial pivoting; `None` if A is singular.
fn solve(a: &[Vec<f64>], b: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let d = a.len();
    let mut m: Vec<Vec<f64>> = a
        .iter()
        .zip(b)
        .map(|(ra, rb)| ra.iter().chain(rb).copied().collect())
        .collect();
    for col in 0..d {
        let piv = (col..d).max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))?;
        if m[piv][col].is_nan() || m[piv][col] == 0.0 {
            return None;
        }
        m.swap(col, piv);
        for row in 0..d {
            if row != col {
                let factor = m[row][col] / m[col][col];
                if factor != 0.0 {
                    let pivot_row = m[col].clone();
                    for (x, p) in m[row].iter_mut().zip(&pivot_row).skip(col) {
                        *x -= factor * p;
                    }
                }
            }
        }
    }
    Some(
        (0..d)
            .map(|i| m[i][d..].iter().map(|x| x / m[i][i]).collect())
            .collect(),
    )
}

/// Upper tail of the F distribution with (d1, d2) degrees of freedom (real,
/// positive): P(F > f) = I_x(d2/2, d1/2), x = d2/(d2 + d1·f).
pub fn f_sf(f: f64, d1: f64, d2: f64) -> f64 {
    if !(d1 > 0.0 && d2 > 0.0) || f.is_nan() {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f.is_infinite() {
        return 0.0;
    }
    let den = d2 + d1 * f;
    beta_reg(d2 / 2.0, d1 / 2.0, d2 / den, d1 * f / den).clamp(0.0, 1.0)
}

/// Regularised incomplete beta I_x(a, b), with y = 1 − x given separately
/// to keep its precision (Numerical Recipes §6.4: continued fraction on
/// whichever side converges).
fn beta_reg(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * y.ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, y) / b
    }
}

/// Continued fraction of the incomplete beta (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..100_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(f64::MIN_POSITIVE)
    }

    fn sums(docs: &[(usize, f64, f64)], k: usize) -> Vec<ClusterSums> {
        let mut g = vec![ClusterSums::default(); k];
        for &(j, m, y) in docs {
            g[j].add_cluster(m, y);
        }
        g
    }

    /// Pearson's X² of the 2 × k table, from the textbook formula.
    fn pearson(docs: &[(usize, f64, f64)], k: usize) -> f64 {
        let (mut mg, mut yg) = (vec![0.0; k], vec![0.0; k]);
        for &(j, m, y) in docs {
            mg[j] += m;
            yg[j] += y;
        }
        let (n, y): (f64, f64) = (mg.iter().sum(), yg.iter().sum());
        let mut x2 = 0.0;
        for j in 0..k {
            for (o, e) in [(yg[j], mg[j] * y / n), (mg[j] - yg[j], mg[j] * (n - y) / n)] {
                x2 += (o - e) * (o - e) / e;
            }
        }
        x2
    }

    #[test]
    fn passages_as_documents_deff_is_n_over_n_minus_1() {
        // Every document one passage: the with-replacement variance is
        // N/(N−1) times the multinomial one, so every δⱼ = N/(N−1), d₀ = k−1.
        let mut docs = Vec::new();
        for (j, m, y) in [(0, 30, 12), (1, 50, 10), (2, 20, 15)] {
            for i in 0..m {
                docs.push((j, 1.0, if i < y { 1.0 } else { 0.0 }));
            }
        }
        let r = rao_scott(&sums(&docs, 3)).unwrap();
        let x2 = pearson(&docs, 3);
        let c = &r.correction;
        assert!(close(r.pearson, x2, 1e-12), "{} {x2}", r.pearson);
        assert!(close(c.mean_deff, 100.0 / 99.0, 1e-12), "{}", c.mean_deff);
        assert!(close(c.chi2, x2 * 99.0 / 100.0, 1e-12));
        assert!(close(c.df1, 2.0, 1e-12));
        assert!(close(c.df2, 2.0 * 99.0, 1e-12));
        assert!(close(c.f, x2 / (2.0 * 100.0 / 99.0), 1e-12));
        // F(2, ν) has the closed-form tail (1 + 2f/ν)^(−ν/2).
        let p = (1.0 + 2.0 * c.f / c.df2).powf(-c.df2 / 2.0);
        assert!(close(c.p_f, p, 1e-10), "{} {p}", c.p_f);
        assert_eq!((r.groups, r.clusters, r.df), (3, 100, 2));
    }

    #[test]
    fn two_groups_match_the_design_effect_of_two_proportions() {
        // With k = 2 there is one δ: the design effect of the group
        // proportions' contrast, Σ_g v_g/(p_g q_g)² over Σ_g 1/(M_g p_g q_g),
        // v_g = n/(n−1) Σ_{i∈g} (yᵢ − p_g mᵢ)² / M_g² (ratio estimator).
        let docs = [
            (0, 12.0, 3.0),
            (0, 5.0, 4.0),
            (0, 9.0, 1.0),
            (0, 20.0, 11.0),
            (1, 7.0, 6.0),
            (1, 14.0, 12.0),
            (1, 3.0, 1.0),
        ];
        let n = docs.len() as f64;
        let (mut num, mut den) = (0.0, 0.0);
        for j in 0..2 {
            let mg: f64 = docs.iter().filter(|d| d.0 == j).map(|d| d.1).sum();
            let yg: f64 = docs.iter().filter(|d| d.0 == j).map(|d| d.2).sum();
            let p = yg / mg;
            let ss: f64 = docs
                .iter()
                .filter(|d| d.0 == j)
                .map(|d| (d.2 - p * d.1).powi(2))
                .sum();
            let v = n / (n - 1.0) * ss / (mg * mg);
            num += v / (p * (1.0 - p)).powi(2);
            den += 1.0 / (mg * p * (1.0 - p));
        }
        let deff = num / den;
        let r = rao_scott(&sums(&docs, 2)).unwrap();
        let c = &r.correction;
        let x2 = pearson(&docs, 2);
        assert!(close(c.mean_deff, deff, 1e-10), "{} {deff}", c.mean_deff);
        assert!(close(c.f, x2 / deff, 1e-10));
        assert!(close(c.chi2, x2 / deff, 1e-10));
        assert!(close(c.df1, 1.0, 1e-12));
        assert!(close(c.df2, 6.0, 1e-12));
        assert!(close(c.p_chi2, chi2_sf(x2 / deff, 1), 1e-12));
    }

    #[test]
    fn f_tail_known_values() {
        // F(1, 2) = t₂²: P(F > f) = 1 − √f/√(2 + f).
        for f in [0.3, 1.0, 4.0, 50.0] {
            let p = 1.0 - f64::sqrt(f / (2.0 + f));
            assert!(close(f_sf(f, 1.0, 2.0), p, 1e-10), "{f}");
        }
        // F(2, ν): (1 + 2f/ν)^(−ν/2), also deep in the tail.
        for (f, nu) in [(3.0f64, 7.5f64), (40.0, 200.0), (0.01, 3.0)] {
            let p = (1.0 + 2.0 * f / nu).powf(-nu / 2.0);
            assert!(close(f_sf(f, 2.0, nu), p, 1e-10), "{f} {nu}");
        }
        // Textbook 5% critical values.
        assert!((f_sf(4.964_603, 1.0, 10.0) - 0.05).abs() < 1e-6);
        assert!((f_sf(3.098_391, 3.0, 20.0) - 0.05).abs() < 1e-6);
        assert_eq!(f_sf(0.0, 3.0, 4.0), 1.0);
    }

    #[test]
    fn empty_cell_follows_svychisq() {
        // Group 0 is never coded (an empty cell). Reference figures from
        // R 4.2 survey 4.1.1 svychisq(~coded + grp, statistic = "F"), printed
        // by tests/crosscheck/raoscott_svychisq.R.
        let docs = [
            (0, 5.0, 0.0),
            (0, 3.0, 0.0),
            (0, 7.0, 0.0),
            (1, 4.0, 1.0),
            (1, 6.0, 3.0),
            (1, 2.0, 2.0),
            (1, 8.0, 1.0),
            (2, 5.0, 5.0),
            (2, 3.0, 1.0),
        ];
        let r = rao_scott(&sums(&docs, 3)).unwrap();
        let c = &r.correction;
        assert!(close(r.pearson, 14.316_794_871_794_87, 1e-12));
        assert!(close(c.f, 3.054_019_822_982_537_5, 1e-10), "{}", c.f);
        assert!(close(c.df1, 1.977_028_078_931_064_4, 1e-10), "{}", c.df1);
        assert!(close(c.df2, 15.816_224_631_448_515, 1e-10));
        assert!(close(c.p_f, 0.076_056_590_639_401_7, 1e-8), "{}", c.p_f);
        // Group 0 always coded, group 1 sometimes.
        let docs = [
            (0, 4.0, 4.0),
            (0, 6.0, 6.0),
            (1, 5.0, 1.0),
            (1, 9.0, 2.0),
            (1, 3.0, 0.0),
        ];
        let r = rao_scott(&sums(&docs, 2)).unwrap();
        let c = &r.correction;
        assert!(close(r.pearson, 17.104_072_398_190_045, 1e-12));
        assert!(close(c.f, 13.257_089_396_377_07, 1e-10), "{}", c.f);
        assert!(close(c.df2, 4.0, 1e-12));
        assert!(close(c.p_f, 0.021_944_689_157_077_1, 1e-8), "{}", c.p_f);
    }

    #[test]
    fn degenerate_tables_have_no_test() {
        let docs = [(0, 4.0, 1.0), (0, 6.0, 2.0), (1, 5.0, 3.0)];
        assert!(rao_scott(&sums(&docs, 2)).is_some());
        // One group with passages (the other empty).
        assert!(rao_scott(&sums(&[(0, 4.0, 1.0), (0, 6.0, 2.0)], 2)).is_none());
        // Never coded, always coded.
        assert!(rao_scott(&sums(&[(0, 4.0, 0.0), (1, 6.0, 0.0)], 2)).is_none());
        assert!(rao_scott(&sums(&[(0, 4.0, 4.0), (1, 6.0, 6.0)], 2)).is_none());
        // No passages at all.
        assert!(rao_scott(&[ClusterSums::default(), ClusterSums::default()]).is_none());
        // Identical documents within each group: zero design variance.
        let same = [(0, 4.0, 1.0), (0, 4.0, 1.0), (1, 5.0, 3.0), (1, 5.0, 3.0)];
        assert!(rao_scott(&sums(&same, 2)).is_none());
        // A document without passages is no cluster.
        let mut s = ClusterSums::default();
        s.add_cluster(0.0, 0.0);
        assert_eq!(s, ClusterSums::default());
    }

    #[test]
    fn sums_merge_by_addition() {
        let docs = [
            (0, 12.0, 3.0),
            (0, 5.0, 4.0),
            (1, 7.0, 6.0),
            (1, 14.0, 2.0),
            (2, 3.0, 1.0),
            (2, 8.0, 8.0),
        ];
        let whole = sums(&docs, 3);
        let mut merged = sums(&docs[..3], 3);
        for (m, p) in merged.iter_mut().zip(sums(&docs[3..], 3)) {
            m.add(&p);
        }
        assert_eq!(merged, whole);
        assert_eq!(rao_scott(&merged), rao_scott(&whole));
        let mut a = RateSums::default();
        a.add_cluster(3.0, 100.0);
        let mut b = RateSums::default();
        b.add_cluster(5.0, 40.0);
        b.add_cluster(1.0, 0.0); // no words: skipped
        a.add(&b);
        let want = RateSums {
            clusters: 2,
            h: 8.0,
            w: 140.0,
            hh: 34.0,
            hw: 500.0,
            ww: 11_600.0,
        };
        assert_eq!(a, want);
    }

    fn rates(docs: &[(usize, f64, f64)], k: usize) -> Vec<RateSums> {
        let mut g = vec![RateSums::default(); k];
        for &(j, h, w) in docs {
            g[j].add_cluster(h, w);
        }
        g
    }

    #[test]
    fn poisson_lr_by_hand() {
        // Group 0: 10 hits in 1000 words, group 1: 30 in 1500; r = 0.016.
        let docs = [(0, 4.0, 600.0), (0, 6.0, 400.0), (1, 30.0, 1500.0)];
        let t = rate_test(&rates(&docs, 2), false).unwrap();
        let g2 = 2.0 * (10.0 * (0.01f64 / 0.016).ln() + 30.0 * (0.02f64 / 0.016).ln());
        assert!(close(t.g2, g2, 1e-12), "{} {g2}", t.g2);
        assert_eq!((t.df, t.groups, t.clusters, t.name), (1, 2, 3, RATE_NAME));
        assert!(t.correction.is_none());
        assert!(close(t.p(), chi2_sf(g2, 1), 1e-12));
    }

    #[test]
    fn clustered_rates_two_groups_by_hand() {
        // One contrast r₀ − r₁: δ = (v₀ + v₁) / (r/W₀ + r/W₁), v_g the
        // linearised variance of the ratio estimator H_g/W_g.
        let docs = [
            (0, 4.0, 600.0),
            (0, 0.0, 250.0),
            (0, 9.0, 400.0),
            (1, 30.0, 1500.0),
            (1, 2.0, 700.0),
            (1, 11.0, 900.0),
            (1, 5.0, 300.0),
        ];
        let n = docs.len() as f64;
        let (hits, words): (f64, f64) = (
            docs.iter().map(|d| d.1).sum(),
            docs.iter().map(|d| d.2).sum(),
        );
        let r = hits / words;
        let (mut num, mut den) = (0.0, 0.0);
        for j in 0..2 {
            let hg: f64 = docs.iter().filter(|d| d.0 == j).map(|d| d.1).sum();
            let wg: f64 = docs.iter().filter(|d| d.0 == j).map(|d| d.2).sum();
            let rg = hg / wg;
            let ss: f64 = docs
                .iter()
                .filter(|d| d.0 == j)
                .map(|d| (d.1 - rg * d.2).powi(2))
                .sum();
            num += n / (n - 1.0) * ss / (wg * wg);
            den += r / wg;
        }
        let deff = num / den;
        let t = rate_test(&rates(&docs, 2), true).unwrap();
        let c = t.correction.as_ref().unwrap();
        assert_eq!(t.name, RATE_CLUSTERED_NAME);
        assert!(close(c.mean_deff, deff, 1e-10), "{} {deff}", c.mean_deff);
        assert!(close(c.chi2, t.g2 / deff, 1e-10));
        assert!(close(c.df2, n - 1.0, 1e-12));
        assert_eq!(t.p(), c.p_f);
    }

    #[test]
    fn rate_degenerate_cases() {
        // No hits anywhere, one group with words.
        assert!(rate_test(&rates(&[(0, 0.0, 10.0), (1, 0.0, 20.0)], 2), false).is_none());
        assert!(rate_test(&rates(&[(0, 3.0, 10.0), (1, 1.0, 0.0)], 2), false).is_none());
        // A group without hits: G² = 2 H₁ ln(r₁/r), clustered works too.
        let docs = [
            (0, 0.0, 100.0),
            (0, 0.0, 50.0),
            (1, 3.0, 80.0),
            (1, 6.0, 70.0),
        ];
        let t = rate_test(&rates(&docs, 2), true).unwrap();
        let g2 = 2.0 * 9.0 * ((9.0f64 / 150.0) / (9.0 / 300.0)).ln();
        assert!(close(t.g2, g2, 1e-12));
        assert!(t.correction.unwrap().mean_deff > 0.0);
        // Every document at exactly its group's rate: no design variance.
        let flat = [
            (0, 1.0, 100.0),
            (0, 2.0, 200.0),
            (1, 3.0, 100.0),
            (1, 6.0, 200.0),
        ];
        assert!(rate_test(&rates(&flat, 2), false).is_some());
        assert!(rate_test(&rates(&flat, 2), true).is_none());
    }
}
