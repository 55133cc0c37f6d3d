//! `tanda analyze`: the arguments turned into [`analysis::Options`], the
//! run handed to [`crate::analysis`], its tables printed and its messages
//! said on standard error. `--watch` re-runs it from an in-memory cache.

use std::io::Write;
use std::path::Path;
use std::path::PathBuf;

use clap::Args;

use super::progress::Progress;
use super::{Format, ReadArgs, TableOpts, load_codebook, parse_regex, parse_unit, present};
use crate::analysis::{self, Observer, Outcome};
use crate::corpus::Unit;
use crate::error::{Error, exit};
use crate::outdir::{OutOptions, ResultsDir};
use crate::report;

#[derive(Args, Debug)]
pub(super) struct AnalyzeArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The corpus folder (.txt, .md, .pdf, .docx, .html; optional metadata.csv at its root),
    /// or one spreadsheet (.csv, .tsv, .xlsx) with a document per row (see --text-column).
    corpus: PathBuf,
    /// Codebook file (TOML, JSON, .dic, .dicx, or `builtin`); the built-in TAN codebook when left out.
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
    /// Unit of analysis: document, paragraph, sentence, article (a statute
    /// cut at `Article 3`, `Section 3`, `Pasal 3`, `มาตรา 3`, `Art. 3`, `§ 3`
    /// headings; the text before the first is `#a0`) or window:N (runs of N
    /// words).
    #[arg(long, default_value = "paragraph", value_parser = parse_unit, value_name = "UNIT")]
    unit: Unit,
    /// With --unit article: the headings to cut at, as a regular expression
    /// matched at the start of a line, e.g. '(Chapter|Bab) [0-9]+'.
    #[arg(long, value_name = "REGEX", value_parser = parse_regex)]
    unit_regex: Option<String>,
    /// Drop passages of fewer than N words (headlines, "Media contact:",
    /// page furniture); how many were dropped is said on standard error.
    #[arg(long, value_name = "N", default_value_t = 0)]
    min_words: usize,
    /// Crosstab by a metadata field (repeatable: groups are value combinations).
    #[arg(long, value_name = "FIELD")]
    by: Vec<String>,
    /// Write passages.csv, hits.csv, documents.csv, frequencies.csv,
    /// cooccurrence.csv, tables.xlsx, report.html and run.json to this
    /// folder (see the list below).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// With --out, write the CSV files and run.json only (no tables.xlsx, no
    /// report.html): for large corpora and pipelines, where the workbook and
    /// the page would only show their first passages anyway.
    #[arg(long, requires = "out")]
    csv_only: bool,
    /// With --out: replace DIR even when it holds files tanda did not write
    /// or files changed since tanda wrote them (a hand-corrected
    /// passages.csv): they are deleted with the rest of the folder.
    #[arg(long, requires = "out")]
    force: bool,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[command(flatten)]
    table: TableOpts,
    /// Fail (exit 5) when any document is skipped.
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: one per core; at most 4 per core, fewer if the machine refuses
    /// to start them). Results are identical for any value.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Print no warnings or progress on standard error.
    #[arg(short, long)]
    quiet: bool,
    /// Keep running: re-code whenever the codebook or the corpus changes and
    /// show what changed since the previous run.
    #[arg(long)]
    watch: bool,
}

impl AnalyzeArgs {
    /// What the run computes, as the library takes it.
    fn options(&self) -> crate::analysis::Options {
        crate::analysis::Options {
            unit: self.unit,
            unit_regex: self.unit_regex.clone(),
            min_words: self.min_words,
            by: self.by.clone(),
            tables: self.table.options(),
            strict: self.strict,
            reports: !self.csv_only,
        }
    }
}

pub(super) fn run(args: AnalyzeArgs) -> anyhow::Result<i32> {
    if let Some(n) = args.threads {
        for note in crate::threads::configure(n) {
            if !args.quiet {
                eprintln!("note: {note}");
            }
        }
    }
    if args.watch {
        return watch(&args);
    }
    let load = args.read.options()?;
    let opts = args.options();
    // Before any work: bad options and a folder that cannot be used are said at once.
    opts.segmenter()?;
    let out = begin_out(&args)?;
    let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
    let mut observer = Said::new(args.quiet);
    let outcome = analysis::analyze(&args.corpus, &load, &cb, &opts, out.as_ref(), &mut observer);
    observer.finish();
    let outcome = outcome?;
    show(&args, &outcome, out)?;
    Ok(exit::OK)
}

/// Print the tables, put the results folder in place and say what it holds.
fn show(args: &AnalyzeArgs, outcome: &Outcome, out: Option<ResultsDir>) -> anyhow::Result<()> {
    present::print(&outcome.tables, args.format, &args.table)?;
    let (Some(out), Some(written)) = (out, &outcome.written) else {
        return Ok(());
    };
    out.commit()?;
    if args.quiet {
        return Ok(());
    }
    if written.cut > 0 {
        eprintln!(
            "note: {} passage text(s) longer than Excel's 32,767-character cell limit were cut in tables.xlsx (marked in the cell); passages.csv has them whole",
            written.cut
        );
    }
    let total = &outcome.tables.tally.total;
    eprintln!(
        "wrote {}: passages.csv ({} rows), hits.csv ({} rows), documents.csv ({} rows), {}",
        args.out.as_deref().unwrap_or(Path::new("")).display(),
        total.passages,
        outcome.hit_rows,
        total.documents,
        written.files[3..].join(", ")
    );
    Ok(())
}

/// Warnings, notes and the progress bar on standard error (none with
/// `--quiet`).
struct Said {
    quiet: bool,
    progress: Option<Progress>,
}

impl Said {
    fn new(quiet: bool) -> Said {
        Said {
            quiet,
            progress: None,
        }
    }

    fn say(&self, line: &str) {
        match &self.progress {
            Some(p) => p.eprintln(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(p) = &self.progress {
            p.finish();
        }
    }
}

impl Observer for Said {
    fn start(&mut self, bytes: u64, files: usize) {
        self.progress = Some(Progress::new(self.quiet, bytes, files));
    }

    fn progress(&self, bytes: u64, files: usize) {
        if let Some(p) = &self.progress {
            p.update(bytes, files);
        }
    }

    fn warning(&self, message: &str) {
        if !self.quiet {
            self.say(&format!("warning: {message}"));
        }
    }

    fn note(&self, message: &str) {
        if !self.quiet {
            self.say(&format!("note: {message}"));
        }
    }
}

/// With `--out`: lock the results folder and stage the run beside it
/// (see [`crate::outdir`]); its notes said unless `--quiet`.
fn begin_out(args: &AnalyzeArgs) -> Result<Option<ResultsDir>, Error> {
    let Some(dir) = &args.out else {
        return Ok(None);
    };
    let opts = OutOptions {
        force: args.force,
        inputs: std::iter::once(args.corpus.clone())
            .chain(args.codebook.clone())
            .collect(),
        scanned: vec![args.corpus.clone()],
    };
    let out = ResultsDir::begin(dir, &opts)?;
    if !args.quiet {
        for note in out.notes() {
            eprintln!("note: {note}");
        }
    }
    Ok(Some(out))
}

/// Code a loaded corpus (`--watch`, which keeps extracted documents between
/// runs), print the table, write the results. Returns the frequency rows.
fn analyze_once(
    args: &AnalyzeArgs,
    corpus: &crate::corpus::Corpus,
    cb: &crate::codebook::Codebook,
) -> anyhow::Result<Vec<report::FreqRow>> {
    let opts = args.options();
    opts.segmenter()?;
    let out = begin_out(args)?;
    let mut observer = Said::new(args.quiet);
    let outcome =
        analysis::analyze_corpus(corpus, cb, &opts, out.as_ref(), &mut observer, |_, _, _| {})?;
    show(args, &outcome, out)?;
    Ok(outcome.tables.rows)
}

/// What `--watch` looks at: the codebook file and every file of the corpus,
/// by modification time and size.
fn snapshot(args: &AnalyzeArgs) -> Vec<(String, Option<std::time::SystemTime>, u64)> {
    let mut out = Vec::new();
    let mut push = |p: &Path| {
        let m = std::fs::metadata(p).ok();
        out.push((
            p.display().to_string(),
            m.as_ref().and_then(|m| m.modified().ok()),
            m.map_or(0, |m| m.len()),
        ));
    };
    if let Some(cb) = &args.codebook {
        push(cb);
    }
    if args.corpus.is_file() {
        // A spreadsheet corpus.
        push(&args.corpus);
    }
    let mut stack = vec![args.corpus.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => push(&e.path()),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// `--watch`: re-code whenever the codebook or the corpus changes, from the
/// cached extracted text, and say what changed since the previous run.
fn watch(args: &AnalyzeArgs) -> anyhow::Result<i32> {
    let mut cache = crate::corpus::Cache::keeping();
    let mut previous: Option<Vec<report::FreqRow>> = None;
    loop {
        let seen = snapshot(args);
        let started = std::time::Instant::now();
        let result = args
            .read
            .options()
            .and_then(|opts| Ok(crate::corpus::load_cached(&args.corpus, &opts, &mut cache)?))
            .and_then(|corpus| {
                let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
                let rows = analyze_once(args, &corpus, &cb)?;
                Ok(rows)
            });
        match result {
            Ok(rows) => {
                let mut out = std::io::stdout().lock();
                if let Some(prev) = &previous {
                    let changes: Vec<String> = rows
                        .iter()
                        .filter(|r| r.by.is_empty())
                        .filter_map(|r| {
                            let before = prev
                                .iter()
                                .find(|p| p.by.is_empty() && p.category == r.category)
                                .map(|p| p.passages_coded);
                            match before {
                                Some(b) if b == r.passages_coded => None,
                                Some(b) => Some(format!(
                                    "{} {b} → {} ({:+})",
                                    r.category,
                                    r.passages_coded,
                                    r.passages_coded as i64 - b as i64
                                )),
                                None => Some(format!("{} new: {}", r.category, r.passages_coded)),
                            }
                        })
                        .collect();
                    if changes.is_empty() {
                        writeln!(out, "\nchanges since the last run: none")?;
                    } else {
                        writeln!(out, "\nchanges since the last run (passages coded):")?;
                        for c in changes {
                            writeln!(out, "  {c}")?;
                        }
                    }
                }
                writeln!(
                    out,
                    "\ncoded in {} ms; {} of {} files read from disk, the rest from the cache. Watching for changes (Ctrl-C stops)…",
                    started.elapsed().as_millis(),
                    cache.last_read,
                    cache.last_total
                )?;
                out.flush()?;
                previous = Some(rows);
            }
            Err(e) => {
                super::report_error(&e);
                eprintln!("waiting for a change to try again (Ctrl-C stops)…");
            }
        }
        while snapshot(args) == seen {
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        let mut out = std::io::stdout().lock();
        writeln!(out, "\n── change detected: re-coding ──\n")?;
        out.flush()?;
    }
}
