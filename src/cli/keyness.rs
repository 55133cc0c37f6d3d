//! `tanda keyness`: words and phrases over-represented in target passages
//! against the rest (G² and log ratio), a dictionary-building aid.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{KwicFormat, parse_ngrams};
use crate::error::exit;
use crate::keyness::{Target, TermOptions, keyness as keys, split_terms};
use crate::report::read::read_results;
use crate::report::write::safe_cell;

#[derive(Args, Debug)]
pub(super) struct KeynessArgs {
    /// A results folder (`tanda analyze --out`).
    results: PathBuf,
    /// The target passages: a category id (its coded passages) or FIELD=VALUE.
    #[arg(long, value_name = "CATEGORY|FIELD=VALUE")]
    target: String,
    /// Phrase lengths in words: 1 (default), 2, or a range such as 1-3 (at most 4).
    #[arg(long, default_value = "1", value_parser = parse_ngrams, value_name = "N|A-B")]
    ngrams: (usize, usize),
    /// Terms shown (the most over-represented).
    #[arg(long, default_value_t = 30, value_name = "N")]
    top: usize,
    /// Leave out terms seen fewer times than this in the target.
    #[arg(long, default_value_t = 2, value_name = "N")]
    min_count: u64,
    #[arg(long, value_enum, default_value = "table")]
    format: KwicFormat,
}

/// `tanda keyness RESULTS --target …`.
pub(super) fn run(args: KeynessArgs) -> anyhow::Result<i32> {
    let r = read_results(&args.results)?;
    let target =
        Target::parse(&args.target, &r).map_err(|e| crate::error::usage_error!("--target: {e}"))?;
    let opts = TermOptions {
        min_n: args.ngrams.0,
        max_n: args.ngrams.1,
        skip_stopwords: false,
    };
    let (t, rest) = split_terms(&r, &target, opts);
    if t.units == 0 {
        anyhow::bail!("no passage of {} is a target of `{}`", r.dir, args.target);
    }
    let rows: Vec<_> = keys(&t, &rest)
        .into_iter()
        .filter(|k| k.target >= args.min_count && k.g2 > 0.0)
        .take(args.top)
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        KwicFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "term",
                "target",
                "reference",
                "target_total",
                "reference_total",
                "g2",
                "p",
                "log_ratio",
            ])?;
            for k in &rows {
                w.write_record([
                    safe_cell(&k.term).as_ref(),
                    &k.target.to_string(),
                    &k.reference.to_string(),
                    &k.target_total.to_string(),
                    &k.reference_total.to_string(),
                    &format!("{:.6}", k.g2),
                    &format!("{:.6}", k.p),
                    &format!("{:.6}", k.log_ratio),
                ])?;
            }
            w.flush()?;
        }
        KwicFormat::Table => {
            writeln!(
                out,
                "target `{}`: {} passages, {} terms; reference: {} passages, {} terms",
                args.target,
                t.units,
                t.totals.iter().sum::<u64>(),
                rest.units,
                rest.totals.iter().sum::<u64>()
            )?;
            writeln!(
                out,
                "G²: Dunning's log-likelihood (2 × 2, no correction); log ratio: log₂ of relative frequencies (Hardie)"
            )?;
            writeln!(
                out,
                "  {:<32} {:>7} {:>9} {:>9} {:>7} {:>6}",
                "term", "target", "reference", "G²", "p", "LR"
            )?;
            for k in &rows {
                writeln!(
                    out,
                    "  {:<32} {:>7} {:>9} {:>9.2} {:>7} {:>6.2}",
                    k.term,
                    k.target,
                    k.reference,
                    k.g2,
                    crate::report::table::format_p(k.p),
                    k.log_ratio
                )?;
            }
        }
    }
    Ok(exit::OK)
}
