//! `tanda analyze`: load, code, tally, print, write.
//!
//! The corpus streams through in chunks of files: each chunk is read and
//! coded in parallel, then folded into the tallies and appended to
//! passages.csv and hits.csv in file order, and dropped. Memory is bounded
//! by the chunk (and the capped passage lists of the workbook and the HTML
//! page), not by the corpus; output does not depend on the thread count.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::progress::Progress;
use super::{AnalyzeArgs, load_codebook, present};
use crate::codebook::Matcher;
use crate::coder::{CodedPassage, POLICY, POLICY_ID};
use crate::corpus::{Document, Skipped};
use crate::error::{Error, exit};
use crate::outdir::{OutOptions, ResultsDir};
use crate::report::write::{self as w, write_atomic};
use crate::report::{self, Counts, Header, Tally};

/// Files read and coded together. Large enough to keep every core busy,
/// small enough that a chunk of ordinary documents stays in a few MB.
const CHUNK_FILES: usize = 64;

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
    let opts = args.read.options()?;
    let segmenter = args.segmenter()?;
    // Before any work: a folder that cannot be used is said at once.
    let out = begin_out(&args)?;
    let dropped = std::sync::atomic::AtomicUsize::new(0);
    let mut stream = crate::corpus::stream(&args.corpus, &opts)?;
    let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
    let matcher = Matcher::compile(&cb);
    let renamed = rename_fields(&args, &matcher, &stream.fields, &stream.field_origins)?;
    let fields = renamed.fields;
    let agg = Aggregate::new(&args, &matcher, &fields, out.as_ref().map(|o| o.path()))?;
    let progress = Progress::new(args.quiet, stream.bytes().0, stream.files().0);
    report_skips(&args, &progress, stream.root(), &stream.skipped)?;
    // Two stages: this thread reads and codes chunk after chunk (in
    // parallel, on rayon's pool) while a second one folds the previous
    // chunk into the tallies and writes its rows, in order.
    type Chunk = Vec<Result<(Summary, Option<(Document, Vec<CodedPassage>)>), Skipped>>;
    let summarizer = agg.summarizer();
    // The workbook and the page list passages: only for them does a
    // document itself go on to the writer thread.
    let keep_documents = args.out.is_some() && !args.csv_only;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(1);
    let root = stream.root().to_string();
    let args_ref = &args;
    let progress_ref = &progress;
    let joined = std::thread::scope(|scope| -> anyhow::Result<_> {
        // Builder, not `scope.spawn`: failing to start the thread is an
        // error to report, not a panic.
        let writer = std::thread::Builder::new()
            .name("tanda-writer".into())
            .spawn_scoped(scope, move || -> Result<Aggregate<'_>, Error> {
                let mut agg = agg;
                for chunk in rx {
                    let mut skips = Vec::new();
                    for r in chunk {
                        match r {
                            Ok((summary, kept)) => {
                                if let Some((d, ps)) = &kept {
                                    agg.add_lines(d, ps, &summary);
                                }
                                agg.add(summary)?;
                            }
                            Err(s) => skips.push(s),
                        }
                    }
                    report_skips(args_ref, progress_ref, &root, &skips)?;
                }
                Ok(agg)
            })
            .map_err(|e| anyhow::anyhow!("could not start the writer thread: {e}"))?;
        while stream.remaining() > 0 {
            let chunk = stream.next_chunk(CHUNK_FILES, |d| {
                let ps = code_document(&matcher, &d, &segmenter, &dropped);
                // Counted and rendered here, in parallel; the writer
                // thread only adds up and appends.
                let summary = summarizer.summarize(&d, &ps);
                (summary, keep_documents.then_some((d, ps)))
            });
            progress.update(stream.bytes().1, stream.files().1);
            // The writer stopped early (an error it will report): stop too.
            if tx.send(chunk).is_err() {
                break;
            }
        }
        drop(tx);
        Ok(writer.join())
    })?;
    progress.finish();
    let agg = match joined {
        Ok(result) => result?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let end = stream.finish()?;
    if !args.quiet {
        for warning in &end.warnings {
            eprintln!("warning: {warning}");
        }
        note_dropped(&args, dropped.into_inner());
    }
    agg.finish(&cb, &end.root, &end.skipped, &end.ignored, out.as_ref())?;
    if let Some(out) = out {
        out.commit()?;
    }
    Ok(exit::OK)
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

/// Cut a document into passages (counting those dropped by --min-words)
/// and code each.
fn code_document(
    matcher: &Matcher,
    doc: &Document,
    segmenter: &crate::corpus::Segmenter,
    dropped: &std::sync::atomic::AtomicUsize,
) -> Vec<CodedPassage> {
    let seg = segmenter.segment(&doc.id, &doc.paragraphs);
    if seg.dropped > 0 {
        dropped.fetch_add(seg.dropped, std::sync::atomic::Ordering::Relaxed);
    }
    seg.passages
        .into_iter()
        .map(|passage| {
            let coded = crate::coder::code(matcher, &passage.text);
            CodedPassage { passage, coded }
        })
        .collect()
}

/// Say how many passages --min-words dropped.
fn note_dropped(args: &AnalyzeArgs, dropped: usize) {
    if args.min_words > 0 {
        eprintln!(
            "note: --min-words {}: {dropped} passage(s) shorter than {} words dropped",
            args.min_words, args.min_words
        );
    }
}

/// Say which files were skipped; with `--strict` the first one is fatal
/// (before any result file is put in place).
fn report_skips(
    args: &AnalyzeArgs,
    progress: &Progress,
    root: &str,
    skipped: &[Skipped],
) -> Result<(), Error> {
    if !args.quiet {
        for s in skipped {
            // A spreadsheet corpus names rows, not files under a folder.
            let at = if Path::new(root).is_file() {
                format!("{root}: {}", s.id)
            } else {
                Path::new(root).join(&s.id).display().to_string()
            };
            progress.eprintln(&format!("warning: {at}: skipped: {}", s.reason));
        }
    }
    if args.strict
        && let Some(first) = skipped.first()
    {
        return Err(Error::Strict {
            count: skipped.len(),
            first: format!("{}: {}", first.id, first.reason),
        });
    }
    Ok(())
}

/// Metadata variables named like a column of the results, renamed
/// `meta:NAME` (said unless `--quiet`); then `--by` checked against the
/// new names.
fn rename_fields(
    args: &AnalyzeArgs,
    matcher: &Matcher,
    fields: &[String],
    origins: &[String],
) -> Result<crate::corpus::Renamed, Error> {
    let ids: Vec<String> = matcher.categories.iter().map(|c| c.id.clone()).collect();
    let renamed = crate::corpus::rename_fields(fields, origins, |f| w::is_own_column(f, &ids));
    if !args.quiet {
        for warning in &renamed.warnings {
            eprintln!("warning: {warning}");
        }
    }
    check_fields(args, &renamed.fields, &renamed.renames)?;
    Ok(renamed)
}

fn check_fields(
    args: &AnalyzeArgs,
    fields: &[String],
    renames: &[(String, String)],
) -> Result<(), Error> {
    for field in &args.by {
        if let Some((_, new)) = renames.iter().find(|(old, _)| old == field) {
            return Err(Error::RenamedField {
                field: field.clone(),
                renamed: new.clone(),
            });
        }
        if !fields.contains(field) {
            return Err(Error::UnknownField {
                field: field.clone(),
                available: fields.join(", "),
            });
        }
    }
    Ok(())
}

/// Code a loaded corpus (`--watch`, which keeps extracted documents between
/// runs), print the table, write the results. Returns the frequency rows.
fn analyze_once(
    args: &AnalyzeArgs,
    corpus: &crate::corpus::Corpus,
    cb: &crate::codebook::Codebook,
) -> anyhow::Result<Vec<report::FreqRow>> {
    let matcher = Matcher::compile(cb);
    let renamed = rename_fields(args, &matcher, &corpus.fields, &corpus.field_origins)?;
    let segmenter = args.segmenter()?;
    let dropped = std::sync::atomic::AtomicUsize::new(0);
    let out = begin_out(args)?;
    let mut agg = Aggregate::new(
        args,
        &matcher,
        &renamed.fields,
        out.as_ref().map(|o| o.path()),
    )?;
    let coded: Vec<(&Document, Vec<CodedPassage>)> = corpus
        .documents
        .par_iter()
        .map(|d| (d, code_document(&matcher, d, &segmenter, &dropped)))
        .collect();
    if !args.quiet {
        note_dropped(args, dropped.into_inner());
    }
    let summarizer = agg.summarizer();
    for (d, ps) in &coded {
        let summary = summarizer.summarize(d, ps);
        agg.add_lines(d, ps, &summary);
        agg.add(summary)?;
    }
    let rows = agg.finish(
        cb,
        &corpus.root,
        &corpus.skipped,
        &corpus.ignored,
        out.as_ref(),
    )?;
    if let Some(out) = out {
        out.commit()?;
    }
    Ok(rows)
}

/// A document's passages.csv, hits.csv and documents.csv rows, formatted.
type Rendered = (Vec<u8>, Vec<u8>, Vec<u8>);

/// A document's value of a metadata variable (empty when it has none).
fn field_value(fields: &[String], doc: &Document, field: &str) -> String {
    fields
        .iter()
        .position(|f| f == field)
        .and_then(|i| doc.metadata.get(i))
        .cloned()
        .unwrap_or_default()
}

/// A coded passage kept for the workbook's passage sheet (capped).
struct XlsxLine {
    doc_id: String,
    passage_id: String,
    metadata: Vec<String>,
    words: u64,
    coded: Vec<bool>,
    counts: Vec<u32>,
    text: String,
}

/// A coded passage kept for the HTML page (capped).
struct HtmlLine {
    passage_id: String,
    text: String,
    coded: Vec<String>,
    marks: Vec<(std::ops::Range<usize>, String)>,
}

/// Ends each passage's list of coded categories in [`Summary::coded`].
const END: usize = usize::MAX;

/// What the tallies and the result files need of one coded document.
///
/// Made on the worker thread that coded the document, so that the
/// document and its passages are dropped there too: glibc returns memory
/// freed by another thread to the allocating thread's arena under that
/// arena's lock, and a writer thread freeing every document contended
/// with the workers' allocations.
struct Summary {
    counts: Counts,
    key: report::GroupKey,
    source: Option<report::GroupKey>,
    year: Option<report::GroupKey>,
    /// Each passage's coded categories, each list followed by [`END`].
    coded: Vec<usize>,
    /// Counted hits, and rows of hits.csv (counted and counter-indicators).
    hits: u64,
    hit_rows: u64,
    record: w::DocumentRecord,
    /// The document's metadata values (for the workbook's documents sheet).
    metadata: Vec<String>,
    rendered: Option<Rendered>,
}

impl Summary {
    /// Each passage's coded categories, in passage order.
    fn coded_by_passage(&self) -> impl Iterator<Item = &[usize]> {
        self.coded.split(|&c| c == END)
    }
}

/// Summarises documents on any thread (see [`Summary`]).
struct Summarizer<'a> {
    args: &'a AnalyzeArgs,
    matcher: &'a Matcher,
    fields: &'a [String],
    by_source: bool,
    by_year: bool,
    /// The row formats of passages.csv and hits.csv (with `--out`).
    rows: Option<(w::PassageRows, w::HitRows)>,
}

impl Summarizer<'_> {
    fn summarize(&self, doc: &Document, passages: &[CodedPassage]) -> Summary {
        let m = self.matcher;
        let ncat = m.categories.len();
        let counts = Counts::of_document(m, passages);
        let fields = self.fields;
        let key = present::group_key(
            self.args
                .by
                .iter()
                .map(|f| field_value(fields, doc, f))
                .collect(),
            self.args.table.bin,
        );
        let one = |on: bool, field: &str| {
            on.then(|| report::GroupKey(vec![field_value(fields, doc, field)]))
        };
        let mut coded = Vec::new();
        let (mut hits, mut hit_rows) = (0, 0);
        for p in passages {
            hits += p.coded.hits.iter().filter(|h| h.counted()).count() as u64;
            hit_rows += p.coded.hits.len() as u64;
            coded.extend((0..ncat).filter(|&c| p.coded.is_coded(m, c)));
            coded.push(END);
        }
        let rendered = self.rows.as_ref().map(|(p, h)| {
            (
                p.render(doc, passages),
                h.render(doc, passages),
                w::document_row(&doc.id, &doc.metadata, &counts),
            )
        });
        Summary {
            metadata: if self.rows.is_some() && !self.args.csv_only {
                doc.metadata.clone()
            } else {
                Vec::new()
            },
            record: w::DocumentRecord {
                id: doc.id.clone(),
                format: doc.format,
                encoding: doc.encoding,
                bytes: doc.bytes,
                sha256: doc.sha256.clone(),
                passages: counts.passages,
                words: counts.words,
            },
            counts,
            key,
            source: one(self.by_source, crate::corpus::SOURCE_TYPE),
            year: one(self.by_year, "year"),
            coded,
            hits,
            hit_rows,
            rendered,
        }
    }
}

/// Everything a run accumulates, document by document, in corpus order.
struct Aggregate<'a> {
    args: &'a AnalyzeArgs,
    matcher: &'a Matcher,
    fields: &'a [String],
    tally: Tally,
    co: report::CoCounter,
    by_source: Option<Tally>,
    by_year: Option<Tally>,
    documents: Vec<w::DocumentRecord>,
    hits: u64,
    hit_rows: u64,
    coded_total: usize,
    xlsx_lines: Vec<XlsxLine>,
    html_lines: Vec<HtmlLine>,
    /// passages.csv and hits.csv, written as documents arrive (`--out`).
    files: Option<(w::PassagesCsv, w::HitsCsv, w::DocumentsCsv)>,
    /// The first documents' rows for the workbook's documents sheet.
    xlsx_documents: Vec<report::xlsx::DocumentLine>,
}

impl<'a> Aggregate<'a> {
    fn new(
        args: &'a AnalyzeArgs,
        matcher: &'a Matcher,
        fields: &'a [String],
        staged: Option<&Path>,
    ) -> Result<Self, Error> {
        let files = match staged {
            Some(dir) => {
                let unit = args.unit.to_string();
                Some((
                    w::PassagesCsv::create(
                        &dir.join("passages.csv"),
                        fields,
                        matcher,
                        &unit,
                        args.table.excel,
                    )?,
                    w::HitsCsv::create(&dir.join("hits.csv"), matcher, args.table.excel)?,
                    w::DocumentsCsv::create(
                        &dir.join("documents.csv"),
                        fields,
                        &matcher
                            .categories
                            .iter()
                            .map(|c| c.id.clone())
                            .collect::<Vec<_>>(),
                        args.table.excel,
                    )?,
                ))
            }
            None => None,
        };
        let by_field = |field: &str| {
            fields
                .iter()
                .any(|f| f == field)
                .then(|| Tally::new(vec![field.to_string()]))
        };
        Ok(Aggregate {
            args,
            matcher,
            fields,
            tally: Tally::new(args.by.clone()),
            co: report::CoCounter::new(matcher.categories.len()),
            by_source: by_field(crate::corpus::SOURCE_TYPE),
            by_year: by_field("year"),
            documents: Vec::new(),
            hits: 0,
            hit_rows: 0,
            coded_total: 0,
            xlsx_lines: Vec::new(),
            html_lines: Vec::new(),
            xlsx_documents: Vec::new(),
            files,
        })
    }

    /// What the worker threads need to summarise documents for [`add`](Self::add).
    fn summarizer(&self) -> Summarizer<'a> {
        Summarizer {
            args: self.args,
            matcher: self.matcher,
            fields: self.fields,
            by_source: self.by_source.is_some(),
            by_year: self.by_year.is_some(),
            rows: self
                .files
                .as_ref()
                .map(|(p, h, _)| (p.rows.clone(), h.rows.clone())),
        }
    }

    /// Fold in one document's summary: tallies, co-occurrences, its
    /// record for run.json and its rows of passages.csv and hits.csv.
    fn add(&mut self, s: Summary) -> Result<(), Error> {
        for on in s.coded_by_passage().filter(|on| !on.is_empty()) {
            self.co.add(on);
            self.coded_total += 1;
        }
        self.tally.add(s.key, &s.counts);
        for (tally, key) in [(&mut self.by_source, s.source), (&mut self.by_year, s.year)] {
            if let (Some(t), Some(k)) = (tally, key) {
                t.add(k, &s.counts);
            }
        }
        self.hits += s.hits;
        self.hit_rows += s.hit_rows;
        if let (Some((pf, hf, df)), Some((prows, hrows, drow))) = (&mut self.files, s.rendered) {
            pf.file.append(&prows)?;
            hf.file.append(&hrows)?;
            df.file.append(&drow)?;
            if !self.args.csv_only && self.xlsx_documents.len() < report::xlsx::MAX_XLSX_PASSAGES {
                self.xlsx_documents.push(report::xlsx::DocumentLine {
                    doc_id: s.record.id.clone(),
                    metadata: s.metadata,
                    measures: w::document_measures(&s.counts),
                });
            }
        }
        self.documents.push(s.record);
        Ok(())
    }

    /// Keep a document's coded passages for the workbook and the page, up
    /// to their caps (with `--out`, not `--csv-only`).
    fn add_lines(&mut self, doc: &Document, passages: &[CodedPassage], s: &Summary) {
        if self.files.is_none() || self.args.csv_only {
            return;
        }
        let m = self.matcher;
        for (p, on) in passages.iter().zip(s.coded_by_passage()) {
            if self.xlsx_lines.len() >= report::xlsx::MAX_XLSX_PASSAGES
                && self.html_lines.len() >= report::html::MAX_LISTED
            {
                return;
            }
            if on.is_empty() {
                continue;
            }
            if self.xlsx_lines.len() < report::xlsx::MAX_XLSX_PASSAGES {
                self.xlsx_lines.push(XlsxLine {
                    doc_id: doc.id.clone(),
                    passage_id: p.passage.id.clone(),
                    metadata: doc.metadata.clone(),
                    words: p.coded.words as u64,
                    coded: (0..m.categories.len()).map(|c| on.contains(&c)).collect(),
                    counts: p.coded.counts.clone(),
                    text: p.passage.text.clone(),
                });
            }
            // Only the passages the page lists are kept (the CSV files have all).
            if self.html_lines.len() < report::html::MAX_LISTED {
                self.html_lines.push(HtmlLine {
                    passage_id: p.passage.id.clone(),
                    text: p.passage.text.clone(),
                    coded: on.iter().map(|&c| m.categories[c].id.clone()).collect(),
                    marks: p
                        .coded
                        .hits
                        .iter()
                        .map(|h| {
                            (
                                h.span.clone(),
                                format!(
                                    "{}: {}{}",
                                    m.categories[h.category].id,
                                    w::entry_text(m, h.category, h.entry),
                                    if h.counted() {
                                        String::new()
                                    } else {
                                        format!(
                                            " (counter-indicator, weight {})",
                                            w::format_score(h.weight)
                                        )
                                    }
                                ),
                            )
                        })
                        .collect(),
                });
            }
        }
    }

    /// Print the tables and put every result file in place.
    fn finish(
        self,
        cb: &crate::codebook::Codebook,
        root: &str,
        skipped: &[Skipped],
        ignored: &[String],
        out: Option<&ResultsDir>,
    ) -> anyhow::Result<Vec<report::FreqRow>> {
        let args = self.args;
        let matcher = self.matcher;
        let header = Header {
            tanda_version: env!("CARGO_PKG_VERSION").to_string(),
            corpus: root.to_string(),
            documents: self.tally.total.documents,
            passages: self.tally.total.passages,
            words: self.tally.total.words,
            unit: args.unit.to_string(),
            codebook_name: cb.name.clone(),
            codebook_version: cb.version.clone(),
            codebook_origin: cb.origin.clone(),
            codebook_sha256: cb.sha256.clone(),
            policy_id: POLICY_ID.to_string(),
            policy: POLICY.to_string(),
            skipped: skipped.to_vec(),
        };
        let cats = report::CatView::of_matcher(matcher);
        let co = self.co.finish(&cats);
        let tables = present::Tables::new(header, cats, self.tally, co, &args.table);
        present::print(&tables, args.format, &args.table)?;
        let (Some(out), Some(shown), Some((passages_csv, hits_csv, documents_csv))) =
            (out, &args.out, self.files)
        else {
            return Ok(tables.rows);
        };
        // Everything goes to the staged folder; `shown` names it in messages.
        let dir = out.path();
        let excel = args.table.excel;
        let ncat = matcher.categories.len();
        debug_assert!(ncat == tables.cats.len());

        let xlsx_job = || -> Result<usize, Error> {
            // tables.xlsx: the tables and the coded passages, typed.
            let cat_ids: Vec<String> = matcher.categories.iter().map(|c| c.id.clone()).collect();
            let lines: Vec<report::xlsx::PassageLine<'_>> = self
                .xlsx_lines
                .iter()
                .map(|l| report::xlsx::PassageLine {
                    doc_id: &l.doc_id,
                    passage_id: &l.passage_id,
                    metadata: &l.metadata,
                    words: l.words,
                    coded: &l.coded,
                    counts: &l.counts,
                    text: &l.text,
                })
                .collect();
            let (xlsx, cut) = report::xlsx::workbook(
                &tables.rows,
                &tables.tests,
                &tables.tally,
                tables.co.as_deref(),
                self.fields,
                &cat_ids,
                &lines,
                self.coded_total,
                &self.xlsx_documents,
            )
            .map_err(|e| Error::Write {
                path: shown.join("tables.xlsx").display().to_string(),
                source: std::io::Error::other(e.to_string()),
            })?;
            write_atomic(&dir.join("tables.xlsx"), |f| f.write_all(&xlsx))?;
            Ok(cut)
        };
        let html_job = || -> Result<(), Error> {
            // report.html: tables, charts and the coded passages.
            let passages: Vec<report::html::HtmlPassage<'_>> = self
                .html_lines
                .iter()
                .map(|l| report::html::HtmlPassage {
                    passage_id: &l.passage_id,
                    text: &l.text,
                    coded: l.coded.iter().map(String::as_str).collect(),
                    marks: l.marks.clone(),
                })
                .collect();
            let html = report::html::render(&report::html::HtmlReport {
                header: &tables.header,
                cats: &tables.cats,
                rows: &tables.rows,
                by_source: self.by_source.as_ref(),
                by_year: self.by_year.as_ref(),
                co: tables.co.as_deref().unwrap_or(&[]),
                crosstab: (!tables.tally.by.is_empty())
                    .then_some((&tables.tally, tables.tests.as_slice())),
                passages,
                coded_total: self.coded_total,
            });
            write_atomic(&dir.join("report.html"), |f| f.write_all(html.as_bytes()))
        };
        let reports = !args.csv_only;
        // The remaining big files are independent: finish them in parallel.
        let ((passages_done, hits_done), (xlsx_done, html_done)) = rayon::join(
            || {
                rayon::join(
                    || passages_csv.file.commit(),
                    || {
                        hits_csv.file.commit()?;
                        documents_csv.file.commit()
                    },
                )
            },
            || {
                rayon::join(
                    || reports.then(xlsx_job).transpose(),
                    || reports.then(html_job).transpose(),
                )
            },
        );
        passages_done?;
        hits_done?;
        let cut = xlsx_done?;
        html_done?;
        let mut files = vec![
            "passages.csv".to_string(),
            "hits.csv".to_string(),
            "documents.csv".to_string(),
        ];
        files.extend(present::write_tables(dir, &tables, excel)?);
        if let Some(cut) = cut {
            files.push("tables.xlsx".to_string());
            if cut > 0 && !args.quiet {
                eprintln!(
                    "note: {cut} passage text(s) longer than Excel's 32,767-character cell limit were cut in tables.xlsx (marked in the cell); passages.csv has them whole"
                );
            }
            files.push("report.html".to_string());
        }
        // Hashed before run.json is written: run.json records them, so the
        // next run can tell a file tanda wrote from one edited since.
        let outputs = out.hashes(&files)?;
        files.push("run.json".to_string());

        let record = w::RunRecord {
            tanda_version: env!("CARGO_PKG_VERSION").to_string(),
            codebook: w::CodebookRecord {
                path: cb.origin.clone(),
                name: cb.name.clone(),
                version: cb.version.clone(),
                sha256: cb.sha256.clone(),
                categories: w::CategoryRecord::of(matcher),
            },
            unit: args.unit.to_string(),
            counting_policy: w::PolicyRecord {
                id: POLICY_ID.to_string(),
                rules: POLICY.to_string(),
            },
            options: w::OptionsRecord {
                by: args.by.clone(),
                bin: args.table.bin,
                strict: args.strict,
                min_words: args.min_words,
                unit_regex: args.unit_regex.clone(),
            },
            corpus: w::CorpusRecord {
                root: root.to_string(),
                fields: self.fields.to_vec(),
                documents: self.documents,
                skipped: skipped
                    .iter()
                    .map(|s| w::SkippedRecord {
                        id: s.id.clone(),
                        reason: s.reason.clone(),
                    })
                    .collect(),
                ignored: ignored.to_vec(),
            },
            counts: w::CountsRecord {
                documents: tables.tally.total.documents,
                passages: tables.tally.total.passages,
                words: tables.tally.total.words,
                hits: self.hits,
            },
            segmenter: w::SegmenterRecord::default(),
            files,
            outputs,
        };
        write_atomic(&dir.join("run.json"), |f| w::run_json(f, &record))?;
        if !args.quiet {
            eprintln!(
                "wrote {}: passages.csv ({} rows), hits.csv ({} rows), documents.csv ({} rows), {}",
                shown.display(),
                record.counts.passages,
                self.hit_rows,
                record.counts.documents,
                record.files[3..].join(", ")
            );
        }
        Ok(tables.rows)
    }
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
