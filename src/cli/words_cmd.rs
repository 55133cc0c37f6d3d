//! `tanda freq` and `tanda keyness`: the dictionary-building aids (word and
//! phrase frequencies, words no entry matches, over-represented words).

use std::io::Write;

use super::{FreqArgs, KeynessArgs, KwicFormat, load_codebook, load_corpus};
use crate::codebook::Matcher;
use crate::error::exit;
use crate::keyness::{Target, TermOptions, corpus_terms, keyness as keys, split_terms};
use crate::report::read::read_results;
use crate::report::write::safe_cell;

/// `tanda freq CORPUS`.
pub(super) fn freq(args: FreqArgs) -> anyhow::Result<i32> {
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

/// `tanda keyness RESULTS --target …`.
pub(super) fn keyness(args: KeynessArgs) -> anyhow::Result<i32> {
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
