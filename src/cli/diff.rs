//! `tanda diff` (two results folders, or two codebooks coding a corpus) and
//! `tanda codebook diff`: exactly what an edit changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use super::{ReadArgs, TableFormat, is_codebook_arg, load_codebook, load_corpus, parse_unit};
use crate::codebook::Matcher;
use crate::coder::{CodedPassage, code_document};
use crate::compare::{self, RunView, codebooks};
use crate::corpus::Document;
use crate::corpus::Unit;
use crate::error::{Error, exit};
use crate::report::read::{read_hits, read_results};
use crate::report::write::safe_cell;

#[derive(Args, Debug)]
pub(super) struct DiffArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The earlier results folder or codebook.
    old: PathBuf,
    /// The later results folder or codebook.
    new: PathBuf,
    /// The corpus to code when OLD and NEW are codebooks.
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Unit of analysis when coding a corpus.
    #[arg(long, default_value = "paragraph", value_parser = parse_unit, value_name = "document|paragraph|sentence|article|window:N")]
    unit: Unit,
    /// Words of context around a match in changed passages.
    #[arg(long, default_value_t = 6, value_name = "N")]
    context: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: TableFormat,
    /// Print no warnings on standard error.
    #[arg(short, long)]
    quiet: bool,
}

fn is_results(p: &Path) -> bool {
    p.is_dir() && p.join("run.json").is_file()
}

/// `tanda diff OLD NEW`: two results folders, or two codebooks with --corpus.
pub(super) fn run(args: DiffArgs) -> anyhow::Result<i32> {
    let (old, new) = views(&args)?;
    let d = compare::diff(&old, &new, args.context);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &d)?;
            writeln!(out)?;
        }
        TableFormat::Csv => write_csv(&mut out, &d)?,
        TableFormat::Table | TableFormat::Markdown => write_table(&mut out, &d)?,
    }
    out.flush()?;
    Ok(if d.changed() { exit::CHANGED } else { exit::OK })
}

/// The two runs to compare: two results folders as written, or two
/// codebooks coding `--corpus` now.
fn views(args: &DiffArgs) -> anyhow::Result<(RunView, RunView)> {
    let views = if is_results(&args.old) && is_results(&args.new) {
        let view = |p: &PathBuf| -> Result<RunView, Error> {
            let r = read_results(p)?;
            Ok(RunView::from_results(
                &p.display().to_string(),
                &r,
                read_hits(p)?,
            ))
        };
        (view(&args.old)?, view(&args.new)?)
    } else if is_codebook_arg(&args.old) && is_codebook_arg(&args.new) {
        let Some(corpus_dir) = &args.corpus else {
            crate::error::usage!(
                "OLD and NEW are codebooks: say which corpus to code with --corpus DIR"
            );
        };
        let corpus = load_corpus(corpus_dir, &args.read, args.quiet, false)?;
        let code = |p: &PathBuf| -> Result<RunView, Error> {
            let cb = load_codebook(Some(p), args.quiet)?;
            let m = Matcher::compile(&cb);
            let coded: Vec<(&Document, Vec<CodedPassage>)> = corpus
                .documents
                .par_iter()
                .map(|d| (d, code_document(&m, d, args.unit)))
                .collect();
            Ok(RunView::from_coding(&p.display().to_string(), &m, &coded))
        };
        (code(&args.old)?, code(&args.new)?)
    } else {
        crate::error::usage!(
            "OLD and NEW must both be results folders (with run.json) or both codebooks (files, or `builtin`); got {} and {}",
            args.old.display(),
            args.new.display()
        );
    };
    Ok(views)
}

/// The diff as CSV: one row per category, entry and passage that changed.
fn write_csv(out: &mut dyn Write, d: &compare::Diff) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "kind",
        "category",
        "entry_or_passage",
        "before",
        "after",
        "detail",
    ])?;
    let n = |x: Option<u64>| x.map(|v| v.to_string()).unwrap_or_default();
    for c in &d.categories {
        w.write_record([
            "category",
            &c.category,
            "",
            &n(c.before),
            &n(c.after),
            &format!("+{} -{}", c.gained, c.lost),
        ])?;
    }
    for e in &d.entries {
        w.write_record([
            "entry",
            &e.category,
            safe_cell(&e.entry).as_ref(),
            &e.hits_before.to_string(),
            &e.hits_after.to_string(),
            "",
        ])?;
    }
    for p in &d.passages {
        let (b, a) = if p.change == "gained" {
            ("0", "1")
        } else {
            ("1", "0")
        };
        w.write_record([
            "passage",
            &p.category,
            safe_cell(&p.passage_id).as_ref(),
            b,
            a,
            safe_cell(&p.context).as_ref(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The diff as text: passages coded per category, hits per entry that
/// changed, and the passages that gained or lost a category.
fn write_table(out: &mut dyn Write, d: &compare::Diff) -> anyhow::Result<()> {
    writeln!(out, "old: {}\nnew: {}", d.old, d.new)?;
    if d.only_old + d.only_new > 0 {
        writeln!(
            out,
            "note: {} passage(s) only in old, {} only in new (different corpus or unit?); they are not compared",
            d.only_old, d.only_new
        )?;
    }
    writeln!(out, "\npassages coded per category")?;
    let w = d
        .categories
        .iter()
        .map(|c| c.category.len())
        .max()
        .unwrap_or(8)
        .max(8);
    writeln!(
        out,
        "{:<w$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
        "category", "before", "after", "change", "gained", "lost"
    )?;
    for c in &d.categories {
        let n = |x: Option<u64>| x.map_or("-".to_string(), |v| v.to_string());
        let change = match (c.before, c.after) {
            (Some(b), Some(a)) => format!("{:+}", a as i64 - b as i64),
            _ => "new/gone".to_string(),
        };
        writeln!(
            out,
            "{:<w$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
            c.category,
            n(c.before),
            n(c.after),
            change,
            c.gained,
            c.lost
        )?;
    }
    if !d.entries.is_empty() {
        writeln!(out, "\nhits per entry that changed")?;
        for e in &d.entries {
            writeln!(
                out,
                "  {:<w$}  {:<28}  {:>4} → {:<4} ({:+})",
                e.category,
                e.entry,
                e.hits_before,
                e.hits_after,
                e.hits_after as i64 - e.hits_before as i64
            )?;
        }
    }
    if !d.passages.is_empty() {
        writeln!(out, "\npassages that gained or lost a category")?;
        for p in &d.passages {
            let sign = if p.change == "gained" { "+" } else { "-" };
            writeln!(
                out,
                "{sign} {}  {}  ({})",
                p.category,
                p.passage_id,
                p.entries.join(", ")
            )?;
            if !p.context.is_empty() {
                writeln!(out, "      {}", p.context)?;
            }
        }
    }
    if !d.changed() {
        writeln!(out, "\nno differences")?;
    }
    Ok(())
}

/// `tanda codebook diff OLD NEW`.
pub(super) fn codebook_diff(old: &Path, new: &Path, format: TableFormat) -> anyhow::Result<i32> {
    let a = load_codebook(Some(old), true)?;
    let b = load_codebook(Some(new), true)?;
    let d = codebooks::diff(&a, &b);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if matches!(format, TableFormat::Json | TableFormat::Csv) {
        serde_json::to_writer_pretty(&mut out, &d)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "old: {} {} ({})\nnew: {} {} ({})",
            a.name, a.version, a.origin, b.name, b.version, b.origin
        )?;
        for id in &d.added {
            writeln!(out, "+ category {id}")?;
        }
        for id in &d.removed {
            writeln!(out, "- category {id}")?;
        }
        for r in &d.renamed {
            writeln!(out, "~ category {} → {} ({})", r.old, r.new, r.kind)?;
        }
        for c in &d.changed {
            writeln!(out, "  {}", c.category)?;
            for e in &c.entries_added {
                writeln!(out, "    + {e}")?;
            }
            for e in &c.entries_removed {
                writeln!(out, "    - {e}")?;
            }
            for s in &c.settings {
                writeln!(out, "    ~ {s}")?;
            }
        }
        if d.is_empty() {
            writeln!(out, "no differences")?;
        }
    }
    out.flush()?;
    Ok(if d.is_empty() {
        exit::OK
    } else {
        exit::CHANGED
    })
}
