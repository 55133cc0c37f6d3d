//! The coding manual, generated from a codebook (`tanda codebook doc`), and
//! the check of its worked examples (`tanda codebook test --examples`).
//!
//! Generating the manual from the codebook means the two cannot drift: the
//! committed manual is regenerated in a test and compared.

use std::fmt::Write as _;

use serde::Deserialize;

use crate::codebook::{AtomPattern, Category, Codebook, Matcher, Pattern, Rule};
use crate::coder::code;

/// Reliability figures to print in the manual: the JSON of
/// `tanda agree --format json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Reliability {
    /// Agreement per category among the coders.
    pub agreement: Vec<AgreementRow>,
    /// Each coder against the reference, when there was one.
    #[serde(default)]
    pub against_reference: Vec<PrfRow>,
}

pub use crate::agree::{AgreementRow, PrfRow};

/// One example's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleCheck {
    /// The category the example belongs to.
    pub category: String,
    /// The example's text.
    pub text: String,
    /// Whether the example should be coded (a positive example) or not (a
    /// near miss).
    pub expected: bool,
    /// Whether the codebook codes it.
    pub got: bool,
    /// The example's explanation, as written in the codebook.
    pub why: String,
}

/// Code every worked example with the codebook: a positive example must be
/// coded for its category, a near miss must not.
pub fn check_examples(cb: &Codebook, m: &Matcher) -> Vec<ExampleCheck> {
    let mut out = Vec::new();
    for c in &cb.categories {
        let Some(ci) = m.categories.iter().position(|x| x.id == c.id) else {
            continue;
        };
        for ex in &c.manual.examples {
            let coded = code(m, &ex.text);
            out.push(ExampleCheck {
                category: c.id.clone(),
                text: ex.text.clone(),
                expected: ex.coded,
                got: coded.is_coded(m, ci),
                why: ex.why.clone(),
            });
        }
    }
    out
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "**{title}**\n");
    for i in items {
        let _ = writeln!(out, "- {i}");
    }
    out.push('\n');
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('*', "\\*")
        .replace('_', "\\_")
}

fn join_entries(v: &[&str]) -> String {
    v.iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".to_string(), |v| format!("{v:.2}"))
}

/// Render the manual as Markdown.
pub fn render(
    cb: &Codebook,
    m: &Matcher,
    reliability: Option<&Reliability>,
    command: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} {} — coding manual\n", cb.name, cb.version);
    let _ = writeln!(
        out,
        "Generated from `{}` (SHA-256 `{}`) by `{command}`. Do not edit by hand: edit the codebook and regenerate.\n",
        cb.origin,
        &cb.sha256[..16]
    );
    if !cb.description.is_empty() {
        let _ = writeln!(out, "{}\n", cb.description);
    }
    out.push_str("## Categories\n\n");
    for c in &m.categories {
        let _ = writeln!(out, "{}- `{}` — {}", "  ".repeat(c.depth), c.id, c.label);
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "A passage is coded for a category when it has at least the category's threshold of counted hits (1 unless said otherwise) and, where the category sets `min_score`, when the sum of its hits' weights reaches it. Only entries weighing more than 0 give counted hits; entries weighing 0 or less are counter-indicators: they lower the score and are reported apart, never as hits. A parent category counts the hits of its children. Matching follows the counting policy `{}` (README, \"Counting policy\").\n",
        crate::coder::POLICY_ID
    );
    if let Some(r) = reliability {
        reliability_section(&mut out, r);
    }
    for (ci, info) in m.categories.iter().enumerate() {
        let Some(c) = cb.categories.iter().find(|c| c.id == info.id) else {
            continue;
        };
        category_section(&mut out, m, ci, c);
    }
    out
}

/// The `Reliability` section: one table row per category of `r`.
fn reliability_section(out: &mut String, r: &Reliability) {
    out.push_str("## Reliability\n\n");
    out.push_str("Agreement of the codebook with a hand-coded validation set that was not used to tune it (for the built-in codebook: the current held-out set, named in `validation/HELDOUT`):\n\n");
    out.push_str("| category | passages | agreement % | Krippendorff's α | 95% CI | precision | recall | F1 |\n|---|---:|---:|---:|---|---:|---:|---:|\n");
    for a in &r.agreement {
        let p = r
            .against_reference
            .iter()
            .find(|p| p.category == a.category);
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            a.category,
            a.units,
            a.percent_agreement
                .map_or("n/a".into(), |v| format!("{v:.1}")),
            pct(a.alpha),
            match (a.alpha_ci_low, a.alpha_ci_high) {
                (Some(l), Some(h)) => format!("[{l:.2}, {h:.2}]"),
                _ => String::new(),
            },
            pct(p.and_then(|p| p.prf.precision)),
            pct(p.and_then(|p| p.prf.recall)),
            pct(p.and_then(|p| p.prf.f1)),
        );
    }
    out.push('\n');
}

/// The section of category `c` (matcher index `ci`): its definition and
/// rules, indicators, exclusions and worked examples.
fn category_section(out: &mut String, m: &Matcher, ci: usize, c: &Category) {
    let info = &m.categories[ci];
    let _ = writeln!(out, "## `{}` — {}\n", c.id, c.label);
    if let Some(p) = info.parent {
        let _ = writeln!(out, "Part of `{}`.\n", m.categories[p].id);
    }
    if !c.manual.definition.is_empty() {
        let _ = writeln!(out, "**Definition.** {}\n", c.manual.definition.trim());
    }
    if !c.description.is_empty() {
        let _ = writeln!(out, "**Coding instruction.** {}\n", c.description.trim());
    }
    list(out, "Inclusion rules", &c.manual.inclusion);
    list(out, "Exclusion rules", &c.manual.exclusion);
    indicators(out, c, info.threshold);
    if !c.exclude.is_empty() {
        let mut ex: Vec<&str> = c.exclude.iter().map(|e| e.text.as_str()).collect();
        ex.sort_unstable_by_key(|s| s.to_lowercase());
        let _ = writeln!(
            out,
            "**Not counted** (a match of these cancels overlapping hits): {}\n",
            join_entries(&ex)
        );
    }
    if !c.manual.examples.is_empty() {
        examples(out, m, ci, c);
    }
}

/// The `Indicators` list of category `c`: its entries by kind (words,
/// word families, phrases, proximity rules, regexes), each kind sorted.
fn indicators(out: &mut String, c: &Category, threshold: u32) {
    let mut words = Vec::new();
    let mut globs = Vec::new();
    let mut phrases = Vec::new();
    let mut rules = Vec::new();
    for e in &c.entries {
        match Rule::parse(&e.text) {
            Ok(Rule::Pattern(Pattern { atoms })) if atoms.len() == 1 => {
                if matches!(atoms[0], AtomPattern::Glob(_)) {
                    globs.push(e.text.as_str());
                } else {
                    words.push(e.text.as_str());
                }
            }
            Ok(Rule::Pattern(_)) => phrases.push(e.text.as_str()),
            _ => rules.push(e.text.as_str()),
        }
    }
    for v in [&mut words, &mut globs, &mut phrases, &mut rules] {
        v.sort_unstable_by_key(|s| s.to_lowercase());
    }
    if words.is_empty()
        && globs.is_empty()
        && phrases.is_empty()
        && rules.is_empty()
        && c.regex.is_empty()
    {
        return;
    }
    let n = c.entries.len() + c.regex.len();
    let _ = writeln!(
        out,
        "**Indicators** ({n} entries{})\n",
        if threshold > 1 {
            format!("; threshold {threshold}")
        } else {
            String::new()
        }
    );
    if !words.is_empty() {
        let _ = writeln!(out, "- Words: {}", join_entries(&words));
    }
    if !globs.is_empty() {
        let _ = writeln!(
            out,
            "- Word families (`*` = any letters): {}",
            join_entries(&globs)
        );
    }
    if !phrases.is_empty() {
        let _ = writeln!(out, "- Phrases: {}", join_entries(&phrases));
    }
    if !rules.is_empty() {
        let _ = writeln!(out, "- Proximity rules: {}", join_entries(&rules));
    }
    if !c.regex.is_empty() {
        let r: Vec<&str> = c.regex.iter().map(|e| e.text.as_str()).collect();
        let _ = writeln!(out, "- Patterns (regex): {}", join_entries(&r));
    }
    if c.morphology.is_some() {
        out.push_str("- Indonesian affixed forms of every single word are matched too.\n");
    }
    out.push('\n');
}

/// The `Examples` table of category `c` (matcher index `ci`): each worked
/// example, coded now, with whether the codebook gets it right.
fn examples(out: &mut String, m: &Matcher, ci: usize, c: &Category) {
    out.push_str("**Examples**\n\n| | example | lang | why | tanda |\n|---|---|---|---|---|\n");
    for ex in &c.manual.examples {
        let got = code(m, &ex.text).is_coded(m, ci);
        let mark = if ex.coded {
            "✓ code"
        } else {
            "✗ near miss"
        };
        let result = match (ex.coded, got) {
            (true, true) => "coded",
            (false, false) => "not coded",
            (true, false) => "**missed**",
            (false, true) => "**coded (wrongly)**",
        };
        let _ = writeln!(
            out,
            "| {mark} | {} | {} | {} | {result} |",
            md_escape(&ex.text),
            ex.lang,
            md_escape(&ex.why)
        );
    }
    out.push('\n');
}
