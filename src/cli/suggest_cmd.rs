//! `tanda suggest CODEBOOK --agree SHEET RESULTS`: what a hand-coded sample
//! says the codebook lacks (terms of the false negatives) and where it
//! over-reaches (entries behind the false positives).

use std::io::Write;

use super::{SuggestArgs, TableFormat, load_codebook};
use crate::agree::coders::{self, Blank};
use crate::error::exit;
use crate::keyness::TermOptions;
use crate::report::read::{read_hits, read_results};
use crate::report::table::{Grid, format_p};
use crate::report::write::{safe_cell, write_atomic};
use crate::suggest::{Against, Options, Suggestions, suggest};

pub(super) fn run(args: SuggestArgs) -> anyhow::Result<i32> {
    let blank: Blank = args.blank.parse().map_err(anyhow::Error::msg)?;
    let against: Against = args.against.parse().map_err(anyhow::Error::msg)?;
    let cb = load_codebook(Some(&args.codebook), args.quiet)?;
    let sheet = coders::load(&args.sheet)?;
    let results = read_results(&args.results)?;
    let hits = read_hits(&args.results)?;
    let opts = Options {
        terms: TermOptions {
            min_n: args.ngrams.0,
            max_n: args.ngrams.1,
            skip_stopwords: !args.keep_stopwords,
        },
        against,
        min_count: args.min_count,
        top: args.top,
        examples: args.examples,
        include_matched: args.include_matched,
        blank,
        categories: args
            .categories
            .as_deref()
            .map(|s| s.split(',').map(|x| x.trim().to_string()).collect()),
    };
    let s = suggest(&cb, &results, &hits, &sheet, &opts)?;
    if !args.quiet {
        for w in sheet.warnings.iter().chain(&s.warnings) {
            eprintln!("warning: {w}");
        }
    }
    if let Some(path) = &args.out {
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        write_atomic(path, |w| {
            if json {
                write_json(w, &s)
            } else {
                write_csv(w, &s)
            }
        })?;
        if !args.quiet {
            eprintln!("wrote {}", path.display());
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        TableFormat::Csv => write_csv(&mut out, &s)?,
        TableFormat::Json => write_json(&mut out, &s)?,
        TableFormat::Table | TableFormat::Markdown => {
            write_table(&mut out, &s, &opts, args.format == TableFormat::Markdown)?;
        }
    }
    out.flush()?;
    Ok(exit::OK)
}

fn write_json(w: &mut dyn Write, s: &Suggestions) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, s)?;
    writeln!(w)
}

/// One row per missed term and per false-positive entry.
fn write_csv(w: &mut dyn Write, s: &Suggestions) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "category",
        "kind",
        "text",
        "owner",
        "fn_count",
        "rest_count",
        "fn_passages",
        "fn_total",
        "rest_total",
        "g2",
        "p",
        "log_ratio",
        "already_matched",
        "fp_passages",
        "tp_passages",
        "examples",
    ])?;
    for c in &s.categories {
        for m in &c.missed {
            out.write_record([
                c.category.as_str(),
                "missed",
                &safe_cell(&m.term),
                "",
                &m.fn_count.to_string(),
                &m.rest_count.to_string(),
                &m.fn_passages.to_string(),
                &m.fn_total.to_string(),
                &m.rest_total.to_string(),
                &format!("{:.6}", m.g2),
                &format!("{:.6}", m.p),
                &format!("{:.6}", m.log_ratio),
                if m.already_matched { "yes" } else { "no" },
                "",
                "",
                &safe_cell(&m.examples.join(" ")),
            ])?;
        }
        for f in &c.false_positives {
            out.write_record([
                c.category.as_str(),
                "false_positive",
                &safe_cell(&f.entry),
                &f.owner,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                &f.fp_passages.to_string(),
                &f.tp_passages.to_string(),
                &safe_cell(&f.examples.join(" ")),
            ])?;
        }
    }
    out.flush()
}

fn grid(header: &[&str], right: &[bool], rows: Vec<Vec<String>>, markdown: bool) -> String {
    let g = Grid {
        header: header.iter().map(|h| h.to_string()).collect(),
        right: right.to_vec(),
        rows,
    };
    if markdown { g.markdown() } else { g.plain() }
}

/// `1 true positive`, `2 true positives`.
fn count(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn write_table(
    w: &mut dyn Write,
    s: &Suggestions,
    opts: &Options,
    markdown: bool,
) -> std::io::Result<()> {
    writeln!(
        w,
        "Suggestions only: nothing is changed in the codebook. G²: Dunning's log-likelihood (2 × 2, no correction); LR: log₂ ratio of relative frequencies."
    )?;
    let reference = match opts.against {
        Against::Sample => "the rest of the coded sample",
        Against::Corpus => "every other passage of the results",
    };
    for c in &s.categories {
        writeln!(
            w,
            "\n{} ({}): {}, {}, {}, {}",
            c.category,
            c.label,
            count(c.tp, "true positive"),
            count(c.fn_, "false negative"),
            count(c.fp, "false positive"),
            count(c.tn, "true negative")
        )?;
        if c.fn_ == 0 {
            writeln!(w, "  missed: none (no passage coded by hand was missed)")?;
        } else {
            writeln!(
                w,
                "  missed: terms of the {} ({} terms) against {reference} ({}, {} terms){}",
                count(c.fn_, "false-negative passage"),
                c.fn_terms,
                count(c.reference_passages, "passage"),
                c.reference_terms,
                if opts.include_matched {
                    ""
                } else {
                    "; terms an entry already matches left out"
                }
            )?;
            if c.missed.is_empty() {
                writeln!(
                    w,
                    "  (no term seen at least {} times is over-represented)",
                    opts.min_count
                )?;
            } else {
                let mut head = vec!["term", "in FN", "rest", "FN passages", "G²", "p", "LR"];
                let mut right = vec![false, true, true, true, true, true, true];
                if opts.include_matched {
                    head.push("matched");
                    right.push(false);
                }
                head.push("examples");
                right.push(false);
                let rows = c
                    .missed
                    .iter()
                    .map(|m| {
                        let mut r = vec![
                            m.term.clone(),
                            m.fn_count.to_string(),
                            m.rest_count.to_string(),
                            m.fn_passages.to_string(),
                            format!("{:.2}", m.g2),
                            format_p(m.p),
                            format!("{:.2}", m.log_ratio),
                        ];
                        if opts.include_matched {
                            r.push(if m.already_matched { "yes" } else { "" }.to_string());
                        }
                        r.push(m.examples.join(" "));
                        r
                    })
                    .collect();
                w.write_all(indent(&grid(&head, &right, rows, markdown)).as_bytes())?;
            }
        }
        if c.fp == 0 {
            writeln!(w, "  false positives: none")?;
        } else if c.false_positives.is_empty() {
            writeln!(
                w,
                "  false positives: {}, no counted hit recorded in hits.csv",
                count(c.fp, "passage")
            )?;
        } else {
            writeln!(
                w,
                "  false positives: entries that fired in the {} (and in true positives)",
                count(c.fp, "false-positive passage")
            )?;
            let rows = c
                .false_positives
                .iter()
                .map(|f| {
                    let entry = if f.owner == c.category {
                        f.entry.clone()
                    } else {
                        format!("{} ({})", f.entry, f.owner)
                    };
                    vec![
                        entry,
                        f.fp_passages.to_string(),
                        f.tp_passages.to_string(),
                        f.examples.join(" "),
                    ]
                })
                .collect();
            w.write_all(
                indent(&grid(
                    &["entry", "FP", "TP", "examples"],
                    &[false, true, true, false],
                    rows,
                    markdown,
                ))
                .as_bytes(),
            )?;
        }
    }
    Ok(())
}
