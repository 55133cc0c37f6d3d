//! Why a passage was or was not coded: every candidate match with its weight
//! and fate, and per category the counted hits, the counter-indicators, the
//! score and the rule that decided (`threshold`, `min_score`). Shared by
//! `tanda explain` and `tanda codebook test`, so both say the same thing.

use std::fmt::Write;

use super::{Coded, Fate, Trace, counts_up, entry_text, entry_weight};
use crate::codebook::Matcher;

/// A number as people write it: no float noise, a real minus sign.
pub fn number(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s.strip_prefix('-') {
        Some("0") => "0".to_string(),
        Some(rest) => format!("−{rest}"),
        None => s.to_string(),
    }
}

/// A weight with its sign (`+1`, `−2.5`, `0`).
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", number(x))
    } else {
        number(x)
    }
}

/// What became of one candidate match, in words.
pub fn fate_text(m: &Matcher, text: &str, t: &Trace) -> String {
    let weight = entry_weight(m, t.category, t.entry);
    match &t.fate {
        Fate::Counted if counts_up(weight) => "counted".to_string(),
        Fate::Counted => format!(
            "counter-indicator (weight {}): lowers the score, not counted",
            number(weight)
        ),
        Fate::Overlapped { by } => format!(
            "cancelled: lost to `{}` (overlap: the longer or more exact match counts)",
            entry_text(m, by.0, by.1)
        ),
        Fate::Excluded { by } => format!("cancelled by exclusion `{}`", &text[by.clone()]),
        Fate::Negated { by } => format!("cancelled by negation `{}`", &text[by.clone()]),
    }
}

/// The decision for one category, with what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Index into `Matcher::categories`.
    pub category: usize,
    /// Hits that count (weight above 0).
    pub counted: u32,
    /// Hits of counter-indicators (weight 0 or less).
    pub counter: u32,
    /// Sum of the counted hits' weights.
    pub score: f64,
    /// Counted hits needed to code (the category's `threshold`).
    pub threshold: u32,
    /// Least score needed to code, when the category sets `min_score`.
    pub min_score: Option<f64>,
    /// Whether the passage is coded for the category.
    pub coded: bool,
    /// Candidate matches cancelled (overlap, exclusion, negation); known
    /// only from a traced coding, else 0.
    pub cancelled: u32,
}

impl Decision {
    /// The decision for category `c` from a passage's coding (no trace:
    /// `cancelled` is 0).
    pub fn of(m: &Matcher, coded: &Coded, c: usize) -> Decision {
        let info = &m.categories[c];
        Decision {
            category: c,
            counted: coded.counts[c],
            counter: coded.counter[c],
            score: coded.scores[c],
            threshold: info.threshold.max(1),
            min_score: info.min_score,
            coded: coded.is_coded(m, c),
            cancelled: 0,
        }
    }

    /// `accountability: 5 hits (3 counter-indicators), score −2.2 < min_score 1 → not coded`.
    pub fn line(&self, m: &Matcher) -> String {
        let id = &m.categories[self.category].id;
        let total = self.counted + self.counter;
        let mut s = format!("{id}: {total} hit{}", if total == 1 { "" } else { "s" });
        let mut also = Vec::new();
        if self.counter > 0 {
            also.push(format!(
                "{} counter-indicator{}",
                self.counter,
                if self.counter == 1 { "" } else { "s" }
            ));
        }
        if self.cancelled > 0 {
            also.push(format!("{} cancelled", self.cancelled));
        }
        if !also.is_empty() {
            let _ = write!(s, " ({})", also.join("; "));
        }
        let verdict = if self.coded { "coded" } else { "not coded" };
        // The rule that decided: the threshold when it is not reached,
        // else min_score when there is one, else the threshold.
        if self.counted < self.threshold {
            let _ = write!(
                s,
                ", {} counted < threshold {} → {verdict}",
                self.counted, self.threshold
            );
        } else if let Some(min) = self.min_score {
            let cmp = if self.score >= min { "≥" } else { "<" };
            let _ = write!(
                s,
                ", score {} {cmp} min_score {} → {verdict}",
                number(self.score),
                number(min)
            );
        } else {
            let _ = write!(
                s,
                ", {} counted ≥ threshold {} → {verdict}",
                self.counted, self.threshold
            );
        }
        s
    }
}

/// Per category with any candidate match: its decision line and each of its
/// own candidates (weight, entry, matched words, fate). Parents whose hits
/// come from their subcategories say so.
pub fn explain(m: &Matcher, text: &str, coded: &Coded, traces: &[Trace]) -> String {
    let mut s = String::new();
    for (c, info) in m.categories.iter().enumerate() {
        let own: Vec<&Trace> = traces.iter().filter(|t| t.category == c).collect();
        if own.is_empty() && coded.counts[c] + coded.counter[c] == 0 {
            continue;
        }
        let indent = "  ".repeat(info.depth);
        let d = Decision {
            cancelled: own
                .iter()
                .filter(|t| !matches!(t.fate, Fate::Counted))
                .count() as u32,
            ..Decision::of(m, coded, c)
        };
        let _ = write!(s, "{indent}{}", d.line(m));
        if info.subtree.len() > 1 {
            s.push_str("  (its own hits and its subcategories')");
        }
        s.push('\n');
        for t in own {
            let weight = entry_weight(m, c, t.entry);
            let w = if matches!(t.fate, Fate::Counted) {
                signed(weight)
            } else {
                "×".to_string()
            };
            let _ = writeln!(
                s,
                "{indent}  {w:>5}  {}  `{}`  {}",
                entry_text(m, c, t.entry),
                &text[t.span.clone()],
                fate_text(m, text, t)
            );
        }
    }
    if s.is_empty() {
        s.push_str("no entry of the codebook matched\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::from_source;
    use crate::coder::code_traced;

    fn matcher(src: &str) -> Matcher {
        let (cb, _) = from_source(src, "test.toml").expect("test codebook");
        Matcher::compile(&cb)
    }

    const WEIGHTED: &str = r#"
name = "t"
[[category]]
id = "accountability"
min_score = 1
entries = [{ term = "violat*", weight = 1.8 }, { term = "shall", weight = -2 }, { term = "ayat", weight = -2 }]
"#;

    #[test]
    fn a_score_below_min_score_says_so_with_its_numbers() {
        let m = matcher(WEIGHTED);
        // One indicator (+1.8) and two counter-indicators (−2 each):
        // score 1.8 − 4 = −2.2 < 1, so not coded; 3 hits, 2 counter.
        let text = "The minister shall act under ayat 2 when a violation is found.";
        let (coded, traces) = code_traced(&m, text);
        let d = Decision::of(&m, &coded, 0);
        assert_eq!((d.counted, d.counter, d.coded), (1, 2, false));
        assert!((d.score - (-2.2)).abs() < 1e-9);
        assert_eq!(
            d.line(&m),
            "accountability: 3 hits (2 counter-indicators), score −2.2 < min_score 1 → not coded"
        );
        let e = explain(&m, text, &coded, &traces);
        assert!(
            e.contains("−2  shall  `shall`  counter-indicator (weight −2)"),
            "{e}"
        );
        assert!(e.contains("+1.8  violat*  `violation`  counted"), "{e}");
    }

    #[test]
    fn a_counter_indicator_alone_never_codes_and_is_not_a_hit() {
        // Without min_score, a weight-0 entry used to code the passage by
        // itself (it was a hit and reached the threshold).
        let m = matcher(
            r#"
name = "t"
[[category]]
id = "info"
entries = ["report", { term = "report card", weight = 0 }]
"#,
        );
        let (coded, _) = code_traced(&m, "Her report card was fine.");
        assert_eq!((coded.counts[0], coded.counter[0]), (0, 1));
        assert!(!coded.is_coded(&m, 0));
        assert_eq!(
            Decision::of(&m, &coded, 0).line(&m),
            "info: 1 hit (1 counter-indicator), 0 counted < threshold 1 → not coded"
        );
        let (coded, _) = code_traced(&m, "The report was fine.");
        assert_eq!(
            Decision::of(&m, &coded, 0).line(&m),
            "info: 1 hit, 1 counted ≥ threshold 1 → coded"
        );
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(-2.2), "−2.2");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(3.0), "3");
        assert_eq!(signed(1.5), "+1.5");
        assert_eq!(signed(0.0), "0");
    }
}
