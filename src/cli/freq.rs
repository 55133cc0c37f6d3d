//! `tanda freq`: word and phrase frequencies of a corpus, by group, and
//! the frequent words no codebook entry matches (a dictionary-building aid).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{KwicFormat, ReadArgs, load_codebook, load_corpus, parse_ngrams};
use crate::codebook::Matcher;
use crate::error::exit;
use crate::keyness::{TermOptions, corpus_terms};
use crate::report::write::safe_cell;

#[derive(Args, Debug)]
pub(super) struct FreqArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The corpus folder.
    corpus: PathBuf,
    /// One list per value of this metadata field.
    #[arg(long, value_name = "FIELD")]
    by: Option<String>,
    /// Phrase lengths in words: 1 (default), 2, or a range such as 1-3 (at most 4).
    #[arg(long, default_value = "1", value_parser = parse_ngrams, value_name = "N|A-B")]
    ngrams: (usize, usize),
    /// Terms per list.
    #[arg(long, default_value_t = 50, value_name = "N")]
    top: usize,
    /// Only terms no entry of the codebook matches (what the dictionary
    /// lacks), function words left out (see --keep-stopwords).
    #[arg(long)]
    unmatched: bool,
    /// Codebook for --unmatched (the built-in one when left out).
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
    /// With --unmatched, keep function words. By default --unmatched leaves
    /// out terms that begin or end with a function word of the built-in
    /// English, Indonesian and Thai lists (`the`, `of the`, `yang`, `dan`,
    /// `และ`…), so the list starts with content words; phrases with a
    /// function word inside (`rights of children`) stay.
    #[arg(long)]
    keep_stopwords: bool,
    #[arg(long, value_enum, default_value = "table")]
    format: KwicFormat,
}

/// `tanda freq CORPUS`.
pub(super) fn run(args: FreqArgs) -> anyhow::Result<i32> {
    let corpus = load_corpus(&args.corpus, &args.read, true, false)?;
    if let Some(f) = &args.by
        && !corpus.fields.contains(f)
    {
        crate::error::usage!(
            "no metadata field `{f}` in {}; fields: {}",
            corpus.root,
            corpus.fields.join(", ")
        );
    }
    let matcher = if args.unmatched {
        Some(Matcher::compile(&load_codebook(
            args.codebook.as_deref(),
            true,
        )?))
    } else {
        None
    };
    let opts = TermOptions {
        min_n: args.ngrams.0,
        max_n: args.ngrams.1,
        skip_stopwords: args.unmatched && !args.keep_stopwords,
    };
    let groups = corpus_terms(&corpus, args.by.as_deref(), opts, matcher.as_ref());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut w = csv::Writer::from_writer(Vec::new());
    if args.format == KwicFormat::Csv {
        w.write_record(["group", "term", "frequency", "documents", "per_1000_terms"])?;
    }
    for (group, counts) in &groups {
        let total: u64 = counts.totals.iter().sum();
        let label = if args.by.is_none() {
            "all".to_string()
        } else if group.is_empty() {
            "(missing)".to_string()
        } else {
            group.clone()
        };
        let ranked = counts.ranked();
        if args.format == KwicFormat::Table {
            writeln!(
                out,
                "{label}: {} documents, {total} terms{}",
                counts.units,
                match (args.unmatched, args.keep_stopwords) {
                    (true, false) => " no codebook entry matches (function words left out)",
                    (true, true) => " no codebook entry matches",
                    _ => "",
                }
            )?;
            writeln!(
                out,
                "  {:<32} {:>9} {:>9} {:>9}",
                "term", "freq", "docs", "per 1k"
            )?;
        }
        for (term, f, d) in ranked.into_iter().take(args.top) {
            let per = 1000.0 * f as f64 / total.max(1) as f64;
            match args.format {
                KwicFormat::Csv => w.write_record([
                    safe_cell(&label).as_ref(),
                    safe_cell(term).as_ref(),
                    &f.to_string(),
                    &d.to_string(),
                    &format!("{per:.3}"),
                ])?,
                KwicFormat::Table => {
                    writeln!(out, "  {term:<32} {f:>9} {d:>9} {per:>9.2}")?;
                }
            }
        }
        if args.format == KwicFormat::Table {
            writeln!(out)?;
        }
    }
    out.write_all(&w.into_inner()?)?;
    Ok(exit::OK)
}
