//! `report.html`: one self-contained page (no network, no scripts) with the
//! run's header, the tables, charts drawn by tanda as inline SVG, and the
//! coded passages with their matches highlighted.

use std::fmt::Write as _;

use super::table::{CatView, CoPair, FreqRow, Header, format_p, thousands};
use super::tally::Tally;

const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// A coded passage for the browsable list.
pub struct HtmlPassage<'a> {
    /// The passage id.
    pub passage_id: &'a str,
    /// The passage text.
    pub text: &'a str,
    /// Categories the passage is coded for.
    pub coded: Vec<&'a str>,
    /// Highlights: byte range in `text`, and the title to show (category: entry).
    pub marks: Vec<(std::ops::Range<usize>, String)>,
}

/// What the page shows.
pub struct HtmlReport<'a> {
    /// What the run was.
    pub header: &'a Header,
    /// The categories, in display order.
    pub cats: &'a [CatView],
    /// The frequency table's rows.
    pub rows: &'a [FreqRow],
    /// Tally by `source_type`, when the corpus has it.
    pub by_source: Option<&'a Tally>,
    /// Tally by `year`, when the corpus has it.
    pub by_year: Option<&'a Tally>,
    /// Category pairs coded together.
    pub co: &'a [CoPair],
    /// The crosstab to show (its tally and tests), when `--by` was given.
    pub crosstab: Option<(&'a Tally, &'a [super::CrossTest])>,
    /// The first coded passages, at most [`MAX_LISTED`].
    pub passages: Vec<HtmlPassage<'a>>,
    /// How many passages are coded in all.
    pub coded_total: usize,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn overall(rows: &[FreqRow]) -> impl Iterator<Item = &FreqRow> {
    rows.iter().filter(|r| r.by.is_empty())
}

/// Horizontal bars: % of passages coded per category.
fn bar_chart(rows: &[FreqRow]) -> String {
    let rows: Vec<&FreqRow> = overall(rows).collect();
    let (lw, bw, rh) = (190.0, 420.0, 22.0);
    let h = rows.len() as f64 * rh + 30.0;
    let max = rows.iter().map(|r| r.passages_pct).fold(1.0_f64, f64::max);
    let mut s = format!(
        r#"<svg class="chart" id="chart-categories" role="img" aria-label="Passages coded per category" viewBox="0 0 {w} {h}" width="{w}" height="{h}">"#,
        w = lw + bw + 60.0
    );
    for (i, r) in rows.iter().enumerate() {
        let y = i as f64 * rh + 10.0;
        let w = r.passages_pct / max * bw;
        let colour = PALETTE[0];
        let name = format!("{}{}", "\u{a0}\u{a0}".repeat(r.depth), esc(&r.category));
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty}" class="label" text-anchor="end">{name}</text><rect class="bar" x="{lw}" y="{y}" width="{w:.1}" height="{bh}" fill="{colour}" opacity="{op}"><title>{id}: {n} passages ({p:.1}%)</title></rect><text x="{vx:.1}" y="{ty}" class="value">{p:.1}%</text>"#,
            x = lw - 6.0,
            ty = y + 14.0,
            bh = rh - 6.0,
            op = if r.depth == 0 { 1.0 } else { 0.65 },
            id = esc(&r.category),
            n = r.passages_coded,
            p = r.passages_pct,
            vx = lw + w + 4.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// Top-level categories (depth 0) with their index.
fn top_level(cats: &[CatView]) -> Vec<(usize, &CatView)> {
    cats.iter()
        .enumerate()
        .filter(|(_, c)| c.depth == 0)
        .collect()
}

/// Stacked bars per group: the share of each top-level category's hits.
fn stacked_chart(cats: &[CatView], t: &Tally) -> String {
    let tops = top_level(cats);
    let (lw, bw, rh) = (120.0, 460.0, 26.0);
    let h = t.groups.len() as f64 * rh + 50.0;
    let mut s = format!(
        r#"<svg class="chart" id="chart-stacked" role="img" aria-label="Mix of hits by group" viewBox="0 0 {w} {h}" width="{w}" height="{h}">"#,
        w = lw + bw + 20.0
    );
    for (gi, (k, c)) in t.groups.iter().enumerate() {
        let y = gi as f64 * rh + 10.0;
        let total: u64 = tops
            .iter()
            .map(|(i, _)| c.cats.get(*i).map_or(0, |x| x.hits))
            .sum();
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="label" text-anchor="end">{}</text>"#,
            lw - 6.0,
            y + 15.0,
            esc(&k.label())
        );
        let mut x = lw;
        for (ti, (i, cat)) in tops.iter().enumerate() {
            let hits = c.cats.get(*i).map_or(0, |x| x.hits);
            let w = if total == 0 {
                0.0
            } else {
                hits as f64 / total as f64 * bw
            };
            let _ = write!(
                s,
                r#"<rect class="segment" x="{x:.1}" y="{y}" width="{w:.1}" height="{bh}" fill="{col}"><title>{g}: {id} {hits} hits ({p:.1}%)</title></rect>"#,
                bh = rh - 6.0,
                col = PALETTE[ti % PALETTE.len()],
                g = esc(&k.label()),
                id = esc(&cat.id),
                p = if total == 0 {
                    0.0
                } else {
                    100.0 * hits as f64 / total as f64
                },
            );
            x += w;
        }
    }
    legend(&mut s, &tops, lw, t.groups.len() as f64 * rh + 24.0);
    s.push_str("</svg>");
    s
}

fn legend(s: &mut String, tops: &[(usize, &CatView)], x0: f64, y: f64) {
    let mut x = x0;
    for (ti, (_, cat)) in tops.iter().enumerate() {
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{y}" width="10" height="10" fill="{}"/><text x="{:.1}" y="{}" class="legend">{}</text>"#,
            PALETTE[ti % PALETTE.len()],
            x + 14.0,
            y + 9.0,
            esc(&cat.id)
        );
        x += 24.0 + cat.id.chars().count() as f64 * 7.0;
    }
}

/// One line per top-level category: % of passages coded, by year.
fn line_chart(cats: &[CatView], t: &Tally) -> String {
    let tops = top_level(cats);
    let years: Vec<(f64, String, &super::Counts)> = t
        .groups
        .iter()
        .filter_map(|(k, c)| {
            k.0.first()
                .and_then(|v| v.get(..4))
                .and_then(|y| y.parse::<f64>().ok())
                .map(|y| (y, k.label(), c))
        })
        .collect();
    let (x0, y0, w, h) = (50.0, 15.0, 560.0, 220.0);
    let mut s = format!(
        r#"<svg class="chart" id="chart-years" role="img" aria-label="Passages coded by year" viewBox="0 0 {tw} {th}" width="{tw}" height="{th}">"#,
        tw = x0 + w + 20.0,
        th = y0 + h + 72.0
    );
    if years.len() < 2 {
        s.push_str(r#"<text x="10" y="30" class="label">fewer than two years</text></svg>"#);
        return s;
    }
    let (ymin, ymax) = (years[0].0, years[years.len() - 1].0);
    let span = (ymax - ymin).max(1.0);
    let px = |y: f64| x0 + (y - ymin) / span * w;
    let py = |p: f64| y0 + h - p / 100.0 * h;
    let _ = write!(
        s,
        r##"<line x1="{x0}" y1="{b}" x2="{r}" y2="{b}" stroke="#888"/><line x1="{x0}" y1="{y0}" x2="{x0}" y2="{b}" stroke="#888"/>"##,
        b = y0 + h,
        r = x0 + w
    );
    for p in [0, 25, 50, 75, 100] {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="tick" text-anchor="end">{p}%</text>"#,
            x0 - 4.0,
            py(p as f64) + 4.0
        );
    }
    // Year labels with each year's passages (n), thinned so they never
    // overlap.
    let mut last_x = f64::NEG_INFINITY;
    for (y, label, c) in &years {
        let x = px(*y);
        let n = format!("n={}", c.passages);
        if x - last_x >= 8.0 * label.chars().count().max(n.len()) as f64 {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{}" class="tick" text-anchor="middle">{}</text><text x="{x:.1}" y="{}" class="tick" text-anchor="middle">{n}</text>"#,
                y0 + h + 14.0,
                esc(label),
                y0 + h + 26.0
            );
            last_x = x;
        }
    }
    // A line joins consecutive years only: where the corpus has no year
    // between two (a step larger than the smallest one), the line breaks,
    // so a gap is never drawn as a trend. Every year is a dot.
    let step = years
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .fold(f64::INFINITY, f64::min);
    let mut runs: Vec<&[(f64, String, &super::Counts)]> = Vec::new();
    let mut start = 0;
    for i in 1..=years.len() {
        if i == years.len() || years[i].0 - years[i - 1].0 > step + 1e-9 {
            runs.push(&years[start..i]);
            start = i;
        }
    }
    for (ti, (i, cat)) in tops.iter().enumerate() {
        let colour = PALETTE[ti % PALETTE.len()];
        let pct = |c: &super::Counts| {
            let k = c.cats.get(*i).copied().unwrap_or_default();
            if c.passages == 0 {
                0.0
            } else {
                100.0 * k.passages_coded as f64 / c.passages as f64
            }
        };
        for run in &runs {
            if run.len() > 1 {
                let pts: Vec<String> = run
                    .iter()
                    .map(|(y, _, c)| format!("{:.1},{:.1}", px(*y), py(pct(c))))
                    .collect();
                let _ = write!(
                    s,
                    r#"<polyline class="series" points="{}" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></polyline>"#,
                    pts.join(" "),
                    esc(&cat.id)
                );
            }
            for (y, label, c) in run.iter() {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{colour}"><title>{}: {}, {:.1}% of {} passages</title></circle>"#,
                    px(*y),
                    py(pct(c)),
                    esc(label),
                    esc(&cat.id),
                    pct(c),
                    c.passages
                );
            }
        }
    }
    legend(&mut s, &tops, x0, y0 + h + 44.0);
    s.push_str("</svg>");
    s
}

/// Heat map of Jaccard similarity between categories.
fn heat_map(cats: &[CatView], co: &[CoPair]) -> String {
    let n = cats.len();
    let (lw, cell) = (150.0, 26.0);
    let size = lw + n as f64 * cell + 10.0;
    let mut s = format!(
        r#"<svg class="chart" id="chart-heatmap" role="img" aria-label="Co-occurrence heat map" viewBox="0 0 {size} {h}" width="{size}" height="{h}">"#,
        h = size + 60.0
    );
    for (i, c) in cats.iter().enumerate() {
        let y = lw + i as f64 * cell;
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" class="label" text-anchor="end">{}</text>"#,
            lw - 6.0,
            y + 17.0,
            esc(&c.id)
        );
        let x = lw + i as f64 * cell + 13.0;
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{}" class="label" transform="rotate(-60 {x:.1} {})">{}</text>"#,
            lw - 6.0,
            lw - 6.0,
            esc(&c.id)
        );
    }
    for (i, a) in cats.iter().enumerate() {
        for (j, b) in cats.iter().enumerate() {
            let v = if i == j {
                1.0
            } else {
                co.iter()
                    .find(|p| (p.a == a.id && p.b == b.id) || (p.a == b.id && p.b == a.id))
                    .map_or(f64::NAN, |p| p.jaccard)
            };
            let fill = if v.is_nan() {
                "#eeeeee".to_string()
            } else {
                let t = v.clamp(0.0, 1.0);
                let c = |lo: f64, hi: f64| (lo + (hi - lo) * t).round() as u8;
                format!(
                    "#{:02x}{:02x}{:02x}",
                    c(247.0, 8.0),
                    c(251.0, 48.0),
                    c(255.0, 107.0)
                )
            };
            let _ = write!(
                s,
                r#"<rect class="cell" x="{:.1}" y="{:.1}" width="{w}" height="{w}" fill="{fill}"><title>{} × {}: {}</title></rect>"#,
                lw + j as f64 * cell,
                lw + i as f64 * cell,
                esc(&a.id),
                esc(&b.id),
                if v.is_nan() {
                    "parent and child".to_string()
                } else {
                    format!("Jaccard {v:.3}")
                },
                w = cell - 2.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

fn table_html(rows: &[FreqRow]) -> String {
    let mut s = String::from(
        "<table class=\"freq\"><thead><tr><th>category</th><th>passages</th><th>%</th><th>docs</th><th>hits</th><th>per 1k words</th><th>% words</th></tr></thead><tbody>",
    );
    for r in overall(rows) {
        let _ = write!(
            s,
            "<tr class=\"d{}\"><td>{}{}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2}</td></tr>",
            r.depth,
            "&nbsp;&nbsp;".repeat(r.depth),
            esc(&r.category),
            thousands(r.passages_coded),
            r.passages_pct,
            thousands(r.documents_coded),
            thousands(r.hits),
            r.hits_per_1000_words,
            r.pct_words
        );
    }
    s.push_str("</tbody></table>");
    s
}

fn crosstab_html(cats: &[CatView], t: &Tally, tests: &[super::CrossTest]) -> String {
    let mut s = format!(
        "<table class=\"freq\"><thead><tr><th>category \\ {}</th>",
        esc(&t.by.join(" × "))
    );
    for (k, c) in &t.groups {
        let _ = write!(s, "<th>{} (n={})</th>", esc(&k.label()), c.passages);
    }
    let symbol = tests.first().map_or("χ²", super::CrossTest::symbol);
    let _ = write!(
        s,
        "<th>{symbol}</th><th>df</th><th>p</th><th>V</th></tr></thead><tbody>"
    );
    for (i, cat) in cats.iter().enumerate() {
        let test = tests.iter().find(|x| x.category == cat.id);
        let _ = write!(
            s,
            "<tr class=\"d{}\"><td>{}{}</td>",
            cat.depth,
            "&nbsp;&nbsp;".repeat(cat.depth),
            esc(&cat.id)
        );
        for (gi, c) in t.groups.values().enumerate() {
            let k = c.cats.get(i).copied().unwrap_or_default();
            let r = test.and_then(|x| x.residual(gi)).unwrap_or(0.0);
            let cls = if r > 1.96 {
                " class=\"hi\""
            } else if r < -1.96 {
                " class=\"lo\""
            } else {
                ""
            };
            let p = if c.passages == 0 {
                0.0
            } else {
                100.0 * k.passages_coded as f64 / c.passages as f64
            };
            let _ = write!(s, "<td{cls}>{} ({p:.1}%)</td>", k.passages_coded);
        }
        match test {
            Some(x) => {
                let _ = write!(
                    s,
                    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                    x.statistic_cell(),
                    x.df_cell(),
                    format_p(x.p),
                    x.cramers_v().map_or(String::new(), |v| format!("{v:.2}"))
                );
            }
            None => s.push_str("<td colspan=\"4\">n/a</td>"),
        }
        s.push_str("</tr>");
    }
    let _ = write!(
        s,
        "</tbody></table><p class=\"note\">Cells in blue are above, in red below what independence predicts (adjusted standardised residual beyond ±1.96). {}</p>",
        esc(&super::table::test_note(tests, t))
    );
    s
}

fn passage_html(p: &HtmlPassage<'_>) -> String {
    let mut marks = p.marks.clone();
    marks.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::new();
    let mut at = 0;
    for (r, title) in marks {
        if r.start < at || r.end > p.text.len() {
            continue;
        }
        out.push_str(&esc(&p.text[at..r.start]));
        let _ = write!(
            out,
            "<mark title=\"{}\">{}</mark>",
            esc(&title),
            esc(&p.text[r.clone()])
        );
        at = r.end;
    }
    out.push_str(&esc(&p.text[at..]));
    format!(
        "<div class=\"passage\"><div class=\"pid\">{} <span class=\"codes\">{}</span></div><p>{}</p></div>",
        esc(p.passage_id),
        esc(&p.coded.join(", ")),
        out
    )
}

/// Passages listed in the page at most (the CSV files have all).
pub const MAX_LISTED: usize = 2000;

/// Render the page.
pub fn render(r: &HtmlReport<'_>) -> String {
    let h = r.header;
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(
        s,
        "<title>tanda report — {} {}</title>",
        esc(&h.codebook_name),
        esc(&h.corpus)
    );
    s.push_str("<style>body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2em auto;max-width:1050px;color:#222;padding:0 1em}h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}table.freq{border-collapse:collapse;font-variant-numeric:tabular-nums}table.freq td,table.freq th{padding:2px 10px;text-align:right;border-bottom:1px solid #eee}table.freq td:first-child,table.freq th:first-child{text-align:left}tr.d0 td:first-child{font-weight:600}.hi{background:#dbe9f6}.lo{background:#f8dddd}.note,.meta{color:#666;font-size:.9em}svg.chart{display:block;margin:1em 0;max-width:100%;height:auto}.label{font-size:12px;fill:#333}.value,.tick,.legend{font-size:11px;fill:#555}mark{background:#ffe58f;padding:0 1px}.passage{border-left:3px solid #4e79a7;margin:.7em 0;padding:.2em .8em}.pid{font-size:.85em;color:#666}.codes{color:#4e79a7}details{margin:.5em 0}summary{cursor:pointer}</style></head><body>");
    let _ = write!(
        s,
        "<h1>tanda report: {} {}</h1>",
        esc(&h.codebook_name),
        esc(&h.codebook_version)
    );
    let _ = write!(
        s,
        "<p class=\"meta\" id=\"run-header\">tanda {} · corpus <code>{}</code> · {} documents · {} passages · {} words · unit {}<br>codebook {} {} (<code>{}</code>) sha256 <code>{}</code><br>counting {}: {}</p>",
        esc(&h.tanda_version),
        esc(&h.corpus),
        thousands(h.documents),
        thousands(h.passages),
        thousands(h.words),
        esc(&h.unit),
        esc(&h.codebook_name),
        esc(&h.codebook_version),
        esc(&h.codebook_origin),
        esc(&h.codebook_sha256),
        esc(&h.policy_id),
        esc(&h.policy)
    );
    if !h.skipped.is_empty() {
        // Nothing skipped silently: every file not read, and why.
        const SHOWN: usize = 500;
        let _ = write!(
            s,
            "<details id=\"skipped\"><summary>{} file(s) not read: {}</summary><ul>",
            thousands(h.skipped.len() as u64),
            esc(&crate::corpus::skip_summary(&h.skipped))
        );
        for k in h.skipped.iter().take(SHOWN) {
            let _ = write!(
                s,
                "<li><code>{}</code>: {}</li>",
                esc(&k.id),
                esc(&k.reason)
            );
        }
        if h.skipped.len() > SHOWN {
            let _ = write!(
                s,
                "<li>… and {} more (run.json lists them all)</li>",
                h.skipped.len() - SHOWN
            );
        }
        s.push_str("</ul></details>");
    }
    s.push_str("<h2>Categories</h2>");
    s.push_str(&table_html(r.rows));
    s.push_str("<h2>Passages coded per category</h2>");
    s.push_str(&bar_chart(r.rows));
    if let Some((t, tests)) = r.crosstab {
        let _ = write!(s, "<h2>By {}</h2>", esc(&t.by.join(" × ")));
        s.push_str(&crosstab_html(r.cats, t, tests));
    }
    if let Some(t) = r.by_source {
        s.push_str("<h2>Mix of hits by source type</h2><p class=\"note\">Each bar splits one source type's hits among the top-level categories.</p>");
        s.push_str(&stacked_chart(r.cats, t));
    }
    if let Some(t) = r.by_year {
        s.push_str("<h2>By year</h2><p class=\"note\">Share of each year's passages coded for each top-level category; n is the year's passages. Lines join consecutive years only: a break is a gap in the corpus.</p>");
        s.push_str(&line_chart(r.cats, t));
    }
    s.push_str("<h2>Co-occurrence</h2><p class=\"note\">Jaccard similarity of the passages coded for two categories (darker = more often together).</p>");
    s.push_str(&heat_map(r.cats, r.co));
    let _ = write!(
        s,
        "<h2>Coded passages</h2><p class=\"note\">{} passages coded for at least one category{}; hover a highlight to see the category and entry.</p>",
        r.coded_total,
        if r.coded_total > r.passages.len() {
            format!(
                ", the first {} listed (all are in passages.csv)",
                r.passages.len()
            )
        } else {
            String::new()
        }
    );
    let mut current_doc = "";
    for p in r.passages.iter().take(MAX_LISTED) {
        let doc = p.passage_id.split('#').next().unwrap_or("");
        if doc != current_doc {
            if !current_doc.is_empty() {
                s.push_str("</details>");
            }
            let _ = write!(s, "<details><summary>{}</summary>", esc(doc));
            current_doc = doc;
        }
        s.push_str(&passage_html(p));
    }
    if !current_doc.is_empty() {
        s.push_str("</details>");
    }
    s.push_str("</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{CatCounts, Counts, GroupKey};

    #[test]
    fn year_lines_break_at_gaps_and_say_n() {
        let cats = vec![CatView {
            id: "info".into(),
            label: "Information".into(),
            depth: 0,
        }];
        let mut t = Tally::new(vec!["year".into()]);
        // 2000 and 2001 are consecutive; 2005 comes after a gap.
        for (year, passages, coded) in [("2000", 4, 1), ("2001", 2, 2), ("2005", 5, 0)] {
            t.add(
                GroupKey(vec![year.into()]),
                &Counts {
                    documents: 1,
                    passages,
                    cats: vec![CatCounts {
                        passages_coded: coded,
                        ..CatCounts::default()
                    }],
                    ..Counts::default()
                },
            );
        }
        let svg = line_chart(&cats, &t);
        // One line (2000–2001), and a dot for each of the three years.
        assert_eq!(svg.matches("<polyline").count(), 1, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
        assert!(svg.contains("2001: info, 100.0% of 2 passages"), "{svg}");
        for n in ["n=4", "n=2", "n=5"] {
            assert!(svg.contains(n), "{n}: {svg}");
        }
    }
}
