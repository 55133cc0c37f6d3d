//! Statistics for crosstabs: Pearson's chi-square test of independence
//! (without continuity correction), its p-value, adjusted standardised
//! residuals and Cramér's V. Checked against scipy's `chi2_contingency` in
//! tests/crosscheck/chisq_crosscheck.py.

/// The test of one contingency table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChiSquare {
    /// Pearson's χ² statistic, without continuity correction.
    pub chi2: f64,
    /// Degrees of freedom: (rows − 1)(columns − 1).
    pub df: usize,
    /// p of χ² on `df` degrees of freedom.
    pub p: f64,
    /// Cramér's V: √(χ² / (n (min(rows, columns) − 1))).
    pub cramers_v: f64,
    /// Adjusted standardised residuals, (o − e) / √(e (1 − r/n)(1 − c/n)),
    /// same shape as the table; |r| > 1.96 marks a cell that departs from
    /// independence at the 5% level.
    pub residuals: Vec<Vec<f64>>,
    /// More than 20% of expected counts are below 5, or one is below 1: the
    /// chi-square approximation is unreliable (Cochran's rule).
    pub small_expected: bool,
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularised upper incomplete gamma Q(a, x) (Numerical Recipes: series
/// for x < a + 1, continued fraction otherwise).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let gln = ln_gamma(a);
    if x < a + 1.0 {
        let (mut sum, mut del, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        1.0 - sum * (-x + a * x.ln() - gln).exp()
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
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
        (-x + a * x.ln() - gln).exp() * h
    }
}

/// Upper tail of the chi-square distribution with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: usize) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    gamma_q(df as f64 / 2.0, x / 2.0).clamp(0.0, 1.0)
}

/// Test a table of counts (rows × columns). Rows and columns whose total is
/// zero are left out (they carry no information). `None` when fewer than
/// two rows or columns remain.
pub fn chi_square(table: &[Vec<f64>]) -> Option<ChiSquare> {
    let rows: Vec<usize> = (0..table.len())
        .filter(|&r| table[r].iter().sum::<f64>() > 0.0)
        .collect();
    let ncol = table.first().map_or(0, Vec::len);
    let cols: Vec<usize> = (0..ncol)
        .filter(|&c| table.iter().map(|r| r[c]).sum::<f64>() > 0.0)
        .collect();
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let rt: Vec<f64> = rows
        .iter()
        .map(|&r| cols.iter().map(|&c| table[r][c]).sum())
        .collect();
    let ct: Vec<f64> = cols
        .iter()
        .map(|&c| rows.iter().map(|&r| table[r][c]).sum())
        .collect();
    let n: f64 = rt.iter().sum();
    let mut chi2 = 0.0;
    let (mut small, mut tiny) = (0usize, false);
    let mut residuals = vec![vec![f64::NAN; ncol]; table.len()];
    for (i, &r) in rows.iter().enumerate() {
        for (j, &c) in cols.iter().enumerate() {
            let e = rt[i] * ct[j] / n;
            let o = table[r][c];
            chi2 += (o - e).powi(2) / e;
            if e < 5.0 {
                small += 1;
            }
            if e < 1.0 {
                tiny = true;
            }
            let v = e * (1.0 - rt[i] / n) * (1.0 - ct[j] / n);
            residuals[r][c] = if v > 0.0 { (o - e) / v.sqrt() } else { 0.0 };
        }
    }
    let df = (rows.len() - 1) * (cols.len() - 1);
    let k = rows.len().min(cols.len()) as f64;
    Some(ChiSquare {
        chi2,
        df,
        p: chi2_sf(chi2, df),
        cramers_v: (chi2 / (n * (k - 1.0))).sqrt(),
        residuals,
        small_expected: tiny || small * 5 > rows.len() * cols.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_by_hand() {
        // 2×2: [[10, 20], [30, 40]], n = 100. Expected: [[12, 18], [28, 42]].
        // χ² = 4/12 + 4/18 + 4/28 + 4/42 = 0.79365…; df = 1.
        let t = vec![vec![10.0, 20.0], vec![30.0, 40.0]];
        let r = chi_square(&t).unwrap();
        assert!((r.chi2 - 0.793_650_8).abs() < 1e-6, "{}", r.chi2);
        assert_eq!(r.df, 1);
        // p for χ²(1) = 0.7937 is 0.37299 (P(|Z| > 0.8909)).
        assert!((r.p - 0.372_99).abs() < 1e-4, "{}", r.p);
        // Cramér's V = sqrt(0.7937 / 100) = 0.0891.
        assert!((r.cramers_v - 0.089_087).abs() < 1e-5);
        // In a 2×2 table every adjusted residual is ±sqrt(χ²).
        assert!((r.residuals[0][0].abs() - r.chi2.sqrt()).abs() < 1e-9);
        assert!(!r.small_expected);
    }

    #[test]
    fn survival_function_known_values() {
        // Textbook critical values.
        assert!((chi2_sf(3.841_459, 1) - 0.05).abs() < 1e-6);
        assert!((chi2_sf(5.991_465, 2) - 0.05).abs() < 1e-6);
        assert!((chi2_sf(18.307_04, 10) - 0.05).abs() < 1e-6);
        assert!((chi2_sf(0.0, 3) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn degenerate_tables() {
        assert!(chi_square(&[vec![1.0, 2.0]]).is_none());
        assert!(chi_square(&[vec![0.0, 0.0], vec![1.0, 2.0]]).is_none());
        let small = chi_square(&[vec![1.0, 2.0], vec![2.0, 1.0]]).unwrap();
        assert!(small.small_expected);
    }
}
