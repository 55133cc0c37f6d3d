//! `tanda suggest CODEBOOK --agree SHEET RESULTS`: what a hand-coded sample
//! says the codebook lacks (terms of the false negatives) and where it
//! over-reaches (entries behind the false positives).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{TableFormat, load_codebook, parse_ngrams};
use crate::agree::coders::{self, Blank};
use crate::error::exit;
use crate::keyness::TermOptions;
use crate::report::read::{read_hits, read_results};
use crate::report::table::{Grid, format_p};
use crate::report::write::{safe_cell, write_atomic};
use crate::suggest::{Against, CategorySuggestions, Options, Suggestions, suggest};

#[derive(Args, Debug)]
pub(super) struct SuggestArgs {
    /// The codebook that coded RESULTS (a TOML/JSON/.dic file, or `builtin`).
    codebook: PathBuf,
    /// The hand-coded sample: a coder sheet (.csv, .tsv, .xlsx) keyed by passage_id.
    #[arg(long = "agree", value_name = "SHEET")]
    sheet: PathBuf,
    /// A results folder of `tanda analyze --out` with this codebook.
    results: PathBuf,
    /// Phrase lengths in words: 1, 2, or a range such as 1-3 (at most 4).
    #[arg(long, default_value = "1-3", value_parser = parse_ngrams, value_name = "N|A-B")]
    ngrams: (usize, usize),
    /// Missed terms and false-positive entries listed per category.
    #[arg(long, default_value_t = 20, value_name = "N")]
    top: usize,
    /// Leave out terms seen fewer times than this in the false negatives.
    #[arg(long, default_value_t = 2, value_name = "N")]
    min_count: u64,
    /// Example passage ids per row.
    #[arg(long, default_value_t = 3, value_name = "N")]
    examples: usize,
    /// What the false negatives are compared with: the rest of the coded
    /// sample, or every other passage of RESULTS.
    #[arg(long, default_value = "sample", value_name = "sample|corpus",
          value_parser = ["sample", "corpus"])]
    against: String,
    /// Also list terms an entry of the category already matches (flagged).
    #[arg(long)]
    include_matched: bool,
    /// Keep terms that begin or end with a function word (built-in English,
    /// Indonesian and Thai lists).
    #[arg(long)]
    keep_stopwords: bool,
    /// How a blank category cell of the sheet is read (as in `tanda agree`):
    /// `missing` leaves the passage out of that category, `not-coded` reads it as 0.
    #[arg(long, default_value = "missing", value_name = "missing|not-coded",
          value_parser = ["missing", "not-coded"])]
    blank: String,
    /// Only these categories (comma-separated ids).
    #[arg(long, value_name = "IDS")]
    categories: Option<String>,
    /// table (default), csv or json on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: TableFormat,
    /// Also write the rows to FILE: CSV, or JSON when FILE ends in .json.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print no warnings on standard error.
    #[arg(short, long)]
    quiet: bool,
}

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
        write_missed(w, c, opts, reference, markdown)?;
        write_false_positives(w, c, markdown)?;
    }
    Ok(())
}

/// A category's missed terms: what the passages coded by hand but not by
/// the codebook say more often than the reference.
fn write_missed(
    w: &mut dyn Write,
    c: &CategorySuggestions,
    opts: &Options,
    reference: &str,
    markdown: bool,
) -> std::io::Result<()> {
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
    Ok(())
}

/// The entries behind a category's false positives.
fn write_false_positives(
    w: &mut dyn Write,
    c: &CategorySuggestions,
    markdown: bool,
) -> std::io::Result<()> {
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
    Ok(())
}
