//! Frequency tables: built once as rows, rendered as terminal text,
//! Markdown, CSV (tidy) or JSON.

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::tally::{Counts, Tally};
use crate::codebook::Matcher;

/// What every output says about the run that made it.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub tanda_version: String,
    pub corpus: String,
    pub documents: u64,
    pub passages: u64,
    pub words: u64,
    pub unit: String,
    pub codebook_name: String,
    pub codebook_version: String,
    pub codebook_origin: String,
    pub codebook_sha256: String,
    pub policy_id: String,
    pub policy: String,
}

/// One row of the tidy frequency table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreqRow {
    /// The `--by` fields joined with `+`; empty for the whole corpus.
    pub by: String,
    /// The group's values joined with ` / `; empty for the whole corpus.
    pub group: String,
    pub category: String,
    pub label: String,
    pub depth: usize,
    pub passages: u64,
    pub passages_coded: u64,
    pub passages_pct: f64,
    pub documents: u64,
    pub documents_coded: u64,
    pub documents_pct: f64,
    pub hits: u64,
    pub words: u64,
    pub hits_per_1000_words: f64,
}

fn pct(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

fn rows_of(matcher: &Matcher, by: &str, group: &str, c: &Counts) -> Vec<FreqRow> {
    matcher
        .categories
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            let k = c.cats.get(i).copied().unwrap_or_default();
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
                words: c.words,
                hits_per_1000_words: if c.words == 0 {
                    0.0
                } else {
                    1000.0 * k.hits as f64 / c.words as f64
                },
            }
        })
        .collect()
}

/// All rows: the whole corpus first, then each group in natural order.
pub fn frequency_rows(matcher: &Matcher, tally: &Tally) -> Vec<FreqRow> {
    let mut rows = rows_of(matcher, "", "", &tally.total);
    let by = tally.by.join("+");
    for (k, c) in &tally.groups {
        rows.extend(rows_of(matcher, &by, &k.label(), c));
    }
    rows
}

/// A grid of cells to align.
struct Grid {
    header: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
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

    fn plain(&self) -> String {
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

    fn markdown(&self) -> String {
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

fn overall_grid(rows: &[FreqRow], markdown: bool) -> Grid {
    Grid {
        header: ["category", "passages", "%", "docs", "hits", "per 1k words"]
            .map(String::from)
            .to_vec(),
        right: vec![false, true, true, true, true, true],
        rows: rows
            .iter()
            .filter(|r| r.by.is_empty())
            .map(|r| {
                vec![
                    category_cell(r, markdown),
                    thousands(r.passages_coded),
                    format!("{:.1}", r.passages_pct),
                    thousands(r.documents_coded),
                    thousands(r.hits),
                    format!("{:.2}", r.hits_per_1000_words),
                ]
            })
            .collect(),
    }
}

fn crosstab_grid(matcher: &Matcher, tally: &Tally, markdown: bool) -> Grid {
    let mut header = vec![format!("category \\ {}", tally.by.join(" × "))];
    let mut right = vec![false];
    for (k, c) in &tally.groups {
        header.push(format!("{} (n={})", k.label(), thousands(c.passages)));
        right.push(true);
    }
    let rows = matcher
        .categories
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            let mut r = vec![format!(
                "{}{}",
                if markdown { "&nbsp;&nbsp;" } else { "  " }.repeat(cat.depth),
                cat.id
            )];
            for c in tally.groups.values() {
                let k = c.cats.get(i).copied().unwrap_or_default();
                r.push(format!(
                    "{} ({:.1}%)",
                    thousands(k.passages_coded),
                    pct(k.passages_coded, c.passages)
                ));
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
        format!(
            "codebook {} {} ({}) sha256 {}",
            h.codebook_name,
            h.codebook_version,
            h.codebook_origin,
            &h.codebook_sha256[..h.codebook_sha256.len().min(12)]
        ),
        format!("counting {}: {}", h.policy_id, h.policy),
    ]
}

/// The terminal table: header, overall table, and the crosstab when grouped.
pub fn render_text(h: &Header, matcher: &Matcher, tally: &Tally, rows: &[FreqRow]) -> String {
    let mut out = header_lines(h).join("\n");
    out.push_str("\n\n");
    out.push_str(&overall_grid(rows, false).plain());
    if !tally.by.is_empty() {
        let _ = writeln!(
            out,
            "\npassages coded by {} (n, % of the group's passages)",
            tally.by.join(" × ")
        );
        out.push_str(&crosstab_grid(matcher, tally, false).plain());
    }
    out
}

/// The same as Markdown, for papers and READMEs.
pub fn render_markdown(h: &Header, matcher: &Matcher, tally: &Tally, rows: &[FreqRow]) -> String {
    let mut out = String::new();
    for l in header_lines(h) {
        let _ = writeln!(out, "- {l}");
    }
    out.push('\n');
    out.push_str(&overall_grid(rows, true).markdown());
    if !tally.by.is_empty() {
        let _ = writeln!(
            out,
            "\nPassages coded by {} (n, % of the group's passages)\n",
            tally.by.join(" × ")
        );
        out.push_str(&crosstab_grid(matcher, tally, true).markdown());
    }
    out
}

/// JSON: the header and the tidy rows.
pub fn render_json(h: &Header, rows: &[FreqRow]) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Out<'a> {
        run: &'a Header,
        frequencies: &'a [FreqRow],
    }
    let mut s = serde_json::to_string_pretty(&Out {
        run: h,
        frequencies: rows,
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
