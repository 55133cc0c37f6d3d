//! The analyze pipeline as a library: a corpus and a codebook in, tallies,
//! tables and (optionally) a results folder out.
//!
//! [`analyze`] streams a corpus from disk in chunks of files: each chunk is
//! read and coded in parallel, then folded into the tallies and appended to
//! passages.csv and hits.csv in file order, and dropped. Memory is bounded
//! by the chunk (and the capped passage lists of the workbook and the HTML
//! page), not by the corpus; output does not depend on the thread count.
//! [`analyze_corpus`] does the same for a corpus already in memory (`--watch`
//! keeps one; the Python package codes one), and can show the caller every
//! coded document in corpus order.
//!
//! The table job (no results folder) also leaves a snapshot of the run
//! for the next one, and reads the corpus leanly (no hashes, no language
//! guesses it would not show); a run that finds a snapshot of its corpus
//! and options re-codes from it instead of reading the corpus
//! ([`crate::recode`], `replay.rs`).
//!
//! Nothing here prints: what a user should hear of (skipped files, notes,
//! progress) goes to an [`Observer`]; what was made comes back as an
//! [`Outcome`]. The command line renders both.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::codebook::{Codebook, Matcher};
use crate::coder::{Coded, CodedPassage, POLICY, POLICY_ID};
use crate::corpus::{Corpus, Document, LoadOptions, Segmenter, Skipped, Unit};
use crate::error::{Error, usage_error};
use crate::outdir::ResultsDir;
use crate::recode::store;
use crate::report::write::{self as w, write_atomic};
use crate::report::{self, Counts, Header, TableOptions, Tables, Tally};

mod replay;

/// Files read and coded together. Large enough to keep every core busy,
/// small enough that a chunk of ordinary documents stays in a few MB.
const CHUNK_FILES: usize = 64;

/// How a corpus is cut, grouped and counted: the options of `tanda analyze`
/// that change what is computed (not how it is shown).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The unit of analysis.
    pub unit: Unit,
    /// With [`Unit::Article`]: the headings to cut at, a regular expression
    /// matched at the start of a line.
    pub unit_regex: Option<String>,
    /// Drop passages of fewer words.
    pub min_words: usize,
    /// Crosstab by these metadata variables.
    pub by: Vec<String>,
    /// How tables are computed and written.
    pub tables: TableOptions,
    /// Any skipped document fails the run ([`Error::Strict`]).
    pub strict: bool,
    /// With a results folder: also tables.xlsx and report.html (`false` is
    /// `--csv-only`).
    pub reports: bool,
}

impl Options {
    /// The segmenter these options describe.
    pub fn segmenter(&self) -> Result<Segmenter, Error> {
        let mut seg = Segmenter::new(self.unit).with_min_words(self.min_words);
        if let Some(re) = &self.unit_regex {
            if self.unit != Unit::Article {
                return Err(usage_error!("--unit-regex needs --unit article"));
            }
            seg = seg.with_headings(re).map_err(Error::Usage)?;
        }
        Ok(seg)
    }
}

/// What a run tells its user while it works. Every method has a default
/// that ignores the event, so a caller implements only what it shows.
pub trait Observer: Sync {
    /// The corpus holds this many bytes in this many files (called once,
    /// before any is read).
    fn start(&mut self, _bytes: u64, _files: usize) {}
    /// So many bytes and files read so far.
    fn progress(&self, _bytes: u64, _files: usize) {}
    /// Something the user should know; the run goes on.
    fn warning(&self, _message: &str) {}
    /// Something the user asked for or may like to know (passages dropped
    /// by `min_words`).
    fn note(&self, _message: &str) {}
}

/// An observer that hears nothing.
pub struct Silent;

impl Observer for Silent {}

/// What a run made.
#[derive(Debug)]
pub struct Outcome {
    /// The tables, from the tallies.
    pub tables: Tables,
    /// Counted hits (entries weighing more than 0).
    pub hits: u64,
    /// Rows of hits.csv: counted hits and counter-indicators.
    pub hit_rows: u64,
    /// The metadata variables, as the result files name them (one named
    /// like a result column becomes `meta:NAME`).
    pub fields: Vec<String>,
    /// With a results folder: what was written in it.
    pub written: Option<Written>,
}

/// The files of a results folder, staged (not yet committed).
#[derive(Debug)]
pub struct Written {
    /// The files, in the order run.json lists them.
    pub files: Vec<String>,
    /// Passage texts longer than Excel's cell limit, cut in tables.xlsx.
    pub cut: usize,
}

/// Code a corpus from disk and tally it; with `out`, write every result
/// file into its staged folder (the caller commits it).
pub fn analyze(
    corpus: &Path,
    load: &LoadOptions,
    codebook: &Codebook,
    opts: &Options,
    out: Option<&ResultsDir>,
    observer: &mut impl Observer,
) -> Result<Outcome, Error> {
    let segmenter = opts.segmenter()?;
    let dropped = AtomicUsize::new(0);
    let mut stream = crate::corpus::stream(corpus, &reading(load, opts, out.is_none()))?;
    let matcher = Matcher::compile(codebook);
    let fields = rename_fields(
        opts,
        &matcher,
        &stream.fields,
        &stream.field_origins,
        observer,
    )?;
    observer.start(stream.bytes().0, stream.files().0);
    let observer: &_ = observer;
    let root = stream.root().to_string();
    report_skips(opts, observer, &root, &stream.skipped)?;
    // The table job keeps a snapshot for the next run to re-code from.
    let snapshot = replay::locate(corpus, load, opts, &stream, out.is_none());
    if let Some(snapshot) = &snapshot {
        let run = replay::Replay {
            snapshot,
            codebook,
            matcher: &matcher,
            opts,
            fields: &fields,
            root: &root,
            total: (stream.bytes().0, stream.files().0),
        };
        // A snapshot that does not read back to its end is rebuilt by a
        // full run (nothing was said yet).
        if let Some(outcome) = replay::replay(run, observer)? {
            return Ok(outcome);
        }
    }
    let agg = Aggregate::new(opts, &matcher, &fields, out)?;
    let snap_writer = snapshot
        .as_ref()
        .and_then(|s| store::Writer::create(&s.paths, None).ok());
    let snap = snap_writer.is_some();
    // Two stages: this thread reads and codes chunk after chunk (in
    // parallel, on rayon's pool) while a second one folds the previous
    // chunk into the tallies and writes its rows, in order.
    let summarizer = agg.summarizer();
    // The workbook and the page list passages: only for them does a
    // document itself go on to the writer thread.
    let keep_documents = out.is_some() && opts.reports;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(1);
    let root_ref = &root;
    let joined = std::thread::scope(|scope| -> Result<_, Error> {
        // Builder, not `scope.spawn`: failing to start the thread is an
        // error to report, not a panic.
        let writer = std::thread::Builder::new()
            .name("tanda-writer".into())
            .spawn_scoped(scope, move || {
                write_chunks(rx, agg, snap_writer, (opts, observer, root_ref))
            })
            .map_err(|e| Error::Input {
                path: root_ref.clone(),
                message: format!("could not start the writer thread: {e}"),
            })?;
        while stream.remaining() > 0 {
            let chunk = stream.next_chunk(CHUNK_FILES, |d| {
                let ps = code_document(&matcher, &d, &segmenter, &dropped, out.is_some());
                // Counted and rendered here, in parallel; the writer
                // thread only adds up and appends.
                let summary = summarizer.summarize(&d, &ps, snap);
                (summary, keep_documents.then_some((d, ps)))
            });
            observer.progress(stream.bytes().1, stream.files().1);
            // The writer stopped early (an error it will report): stop too.
            if tx.send(chunk).is_err() {
                break;
            }
        }
        drop(tx);
        Ok(writer.join())
    })?;
    let (agg, snap_writer) = match joined {
        Ok(result) => result?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let end = stream.finish()?;
    for warning in &end.warnings {
        observer.warning(warning);
    }
    let dropped = dropped.into_inner();
    note_dropped(opts, observer, dropped);
    if let (Some((w, skips)), Some(snapshot)) = (snap_writer, &snapshot) {
        let reading = replay::Reading {
            skips,
            end: &end,
            dropped,
        };
        replay::finish_snapshot(w, snapshot, codebook, &matcher, reading);
    }
    agg.finish(codebook, &end.root, &end.skipped, &end.ignored, out)
}

/// A chunk of coded documents (or the files that could not be read), with
/// each document itself where the workbook and the page list passages.
type Chunk = Vec<Result<(Summary, Option<(Document, Vec<CodedPassage>)>), Skipped>>;

/// A snapshot being written, and the skipped files of each chunk so far.
type Snapshotting = (store::Writer, Vec<Vec<Skipped>>);

/// The writer thread of [`analyze`]: fold each chunk into the tallies and
/// the result files, in order, say its skipped files, and feed the
/// snapshot; returns the tallies and the snapshot still to finish, with
/// the skips of each chunk (said again when it is replayed).
fn write_chunks<'a>(
    rx: std::sync::mpsc::Receiver<Chunk>,
    mut agg: Aggregate<'a>,
    mut snap_writer: Option<store::Writer>,
    (opts, observer, root): (&Options, &impl Observer, &str),
) -> Result<(Aggregate<'a>, Option<Snapshotting>), Error> {
    let mut skip_groups = Vec::new();
    for chunk in rx {
        let mut skips = Vec::new();
        for r in chunk {
            match r {
                Ok((mut summary, kept)) => {
                    if let Some((d, ps)) = &kept {
                        agg.add_lines(d, ps, &summary);
                    }
                    store::Writer::keep(&mut snap_writer, summary.snap.take());
                    agg.add(summary)?;
                }
                Err(s) => skips.push(s),
            }
        }
        report_skips(opts, observer, root, &skips)?;
        if snap_writer.is_some() && !skips.is_empty() {
            skip_groups.push(skips);
        }
    }
    Ok((agg, snap_writer.map(|w| (w, skip_groups))))
}

/// How the corpus is read: leanly for tables not grouped by language,
/// which show no document's hash or guessed language (see
/// [`LoadOptions::lean`]).
fn reading<'a>(
    load: &'a LoadOptions,
    opts: &Options,
    table_job: bool,
) -> std::borrow::Cow<'a, LoadOptions> {
    if table_job && !opts.by.iter().any(|f| f.contains(crate::corpus::LANGUAGE)) {
        std::borrow::Cow::Owned(LoadOptions {
            lean: true,
            ..load.clone()
        })
    } else {
        std::borrow::Cow::Borrowed(load)
    }
}

/// Code a corpus held in memory and tally it, like [`analyze`] (its skipped
/// files are said, and fatal with `strict`); `visit` sees every document
/// with its coded passages and its counts, in corpus order.
pub fn analyze_corpus(
    corpus: &Corpus,
    codebook: &Codebook,
    opts: &Options,
    out: Option<&ResultsDir>,
    observer: &mut impl Observer,
    mut visit: impl FnMut(&Document, &[CodedPassage], &Counts),
) -> Result<Outcome, Error> {
    let segmenter = opts.segmenter()?;
    let matcher = Matcher::compile(codebook);
    let fields = rename_fields(
        opts,
        &matcher,
        &corpus.fields,
        &corpus.field_origins,
        observer,
    )?;
    report_skips(opts, observer, &corpus.root, &corpus.skipped)?;
    let dropped = AtomicUsize::new(0);
    let mut agg = Aggregate::new(opts, &matcher, &fields, out)?;
    let coded: Vec<(&Document, Vec<CodedPassage>)> = corpus
        .documents
        .par_iter()
        .map(|d| (d, code_document(&matcher, d, &segmenter, &dropped, true)))
        .collect();
    note_dropped(opts, observer, dropped.into_inner());
    let summarizer = agg.summarizer();
    for (d, ps) in &coded {
        let summary = summarizer.summarize(d, ps, false);
        visit(d, ps, &summary.counts);
        agg.add_lines(d, ps, &summary);
        agg.add(summary)?;
    }
    agg.finish(
        codebook,
        &corpus.root,
        &corpus.skipped,
        &corpus.ignored,
        out,
    )
}

/// Cut a document into passages (counting those dropped by `min_words`)
/// and code each; with `hits` false for their counts only (see
/// [`crate::coder::code_counts`]).
pub fn code_document(
    matcher: &Matcher,
    doc: &Document,
    segmenter: &Segmenter,
    dropped: &AtomicUsize,
    hits: bool,
) -> Vec<CodedPassage> {
    let seg = segmenter.segment(&doc.id, &doc.paragraphs);
    if seg.dropped > 0 {
        dropped.fetch_add(seg.dropped, Ordering::Relaxed);
    }
    seg.passages
        .into_iter()
        .map(|passage| {
            let coded = if hits {
                crate::coder::code(matcher, &passage.text)
            } else {
                crate::coder::code_counts(matcher, &passage.text)
            };
            CodedPassage { passage, coded }
        })
        .collect()
}

/// Say how many passages `min_words` dropped.
fn note_dropped(opts: &Options, observer: &impl Observer, dropped: usize) {
    if opts.min_words > 0 {
        observer.note(&format!(
            "--min-words {}: {dropped} passage(s) shorter than {} words dropped",
            opts.min_words, opts.min_words
        ));
    }
}

/// Say which files were skipped; with `strict` the first one is fatal
/// (before any result file is put in place).
fn report_skips(
    opts: &Options,
    observer: &impl Observer,
    root: &str,
    skipped: &[Skipped],
) -> Result<(), Error> {
    for s in skipped {
        // A spreadsheet corpus names rows, not files under a folder.
        let at = if Path::new(root).is_file() {
            format!("{root}: {}", s.id)
        } else {
            Path::new(root).join(&s.id).display().to_string()
        };
        observer.warning(&format!("{at}: skipped: {}", s.reason));
    }
    if opts.strict
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
/// `meta:NAME` (each a warning); then `by` checked against the new names.
fn rename_fields(
    opts: &Options,
    matcher: &Matcher,
    fields: &[String],
    origins: &[String],
    observer: &impl Observer,
) -> Result<Vec<String>, Error> {
    let ids: Vec<String> = matcher.categories.iter().map(|c| c.id.clone()).collect();
    let renamed = crate::corpus::rename_fields(fields, origins, |f| w::is_own_column(f, &ids));
    for warning in &renamed.warnings {
        observer.warning(warning);
    }
    for field in &opts.by {
        if let Some((_, new)) = renamed.renames.iter().find(|(old, _)| old == field) {
            return Err(Error::RenamedField {
                field: field.clone(),
                renamed: new.clone(),
            });
        }
        if !renamed.fields.contains(field) {
            return Err(Error::UnknownField {
                field: field.clone(),
                available: renamed.fields.join(", "),
            });
        }
    }
    Ok(renamed.fields)
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
    /// Its record for run.json (with a results folder).
    record: Option<w::DocumentRecord>,
    /// The document's metadata values (for the workbook's documents sheet).
    metadata: Vec<String>,
    rendered: Option<Rendered>,
    /// Its record and passage texts for the re-coding snapshot, and its
    /// number of passages.
    snap: Option<store::Record>,
}

/// A document's group keys: its values of the `--by` fields, and of
/// `source_type` and `year` for the tables by source and by year.
struct Keys {
    key: report::GroupKey,
    source: Option<report::GroupKey>,
    year: Option<report::GroupKey>,
}

impl Keys {
    /// The document's snapshot record (see [`store::encode`]).
    fn encode<'a>(
        &self,
        passages: impl Iterator<Item = (&'a str, &'a Coded)>,
        count: usize,
        codes: &mut Vec<u8>,
        texts: Option<&mut Vec<u8>>,
    ) {
        store::encode(
            &self.key.0,
            self.source.as_ref().map(|k| k.0.as_slice()),
            self.year.as_ref().map(|k| k.0.as_slice()),
            passages,
            count,
            codes,
            texts,
        );
    }
}

impl Summary {
    /// Each passage's coded categories, in passage order.
    fn coded_by_passage(&self) -> impl Iterator<Item = &[usize]> {
        self.coded.split(|&c| c == END)
    }
}

/// Summarises documents on any thread (see [`Summary`]).
struct Summarizer<'a> {
    opts: &'a Options,
    matcher: &'a Matcher,
    fields: &'a [String],
    by_source: bool,
    by_year: bool,
    /// The row formats of passages.csv and hits.csv (with a results folder).
    rows: Option<(w::PassageRows, w::HitRows)>,
}

impl Summarizer<'_> {
    /// With `snap`, the summary brings the document's record and texts
    /// for the re-coding snapshot.
    fn summarize(&self, doc: &Document, passages: &[CodedPassage], snap: bool) -> Summary {
        let keys = self.keys(doc);
        let snap = snap.then(|| {
            let (mut codes, mut texts) = (Vec::new(), Vec::new());
            keys.encode(
                passages.iter().map(|p| (p.passage.text.as_str(), &p.coded)),
                passages.len(),
                &mut codes,
                Some(&mut texts),
            );
            store::Record {
                passages: passages.len(),
                text_len: texts.len(),
                codes,
                texts,
            }
        });
        let mut s = self.summary(keys, passages.iter().map(|p| &p.coded));
        s.snap = snap;
        if let Some((p, h)) = self.rows.as_ref() {
            s.record = Some(w::DocumentRecord {
                id: doc.id.clone(),
                format: doc.format,
                encoding: doc.encoding,
                bytes: doc.bytes,
                sha256: doc.sha256.clone(),
                passages: s.counts.passages,
                words: s.counts.words,
            });
            s.rendered = Some((
                p.render(doc, passages),
                h.render(doc, passages),
                w::document_row(&doc.id, &doc.metadata, &s.counts),
            ));
            if self.opts.reports {
                s.metadata = doc.metadata.clone();
            }
        }
        s
    }

    /// A document's group keys.
    fn keys(&self, doc: &Document) -> Keys {
        let fields = self.fields;
        let one = |on: bool, field: &str| {
            on.then(|| report::GroupKey(vec![field_value(fields, doc, field)]))
        };
        Keys {
            key: report::group_key(
                self.opts
                    .by
                    .iter()
                    .map(|f| field_value(fields, doc, f))
                    .collect(),
                self.opts.tables.bin,
            ),
            source: one(self.by_source, crate::corpus::SOURCE_TYPE),
            year: one(self.by_year, "year"),
        }
    }

    /// What the tallies need of a document with these keys and passages.
    fn summary<'c>(
        &self,
        keys: Keys,
        passages: impl Iterator<Item = &'c Coded> + Clone,
    ) -> Summary {
        let m = self.matcher;
        let ncat = m.categories.len();
        let counts = Counts::of_coded(m, passages.clone());
        let mut coded = Vec::new();
        let (mut hits, mut hit_rows) = (0, 0);
        for p in passages {
            hits += u64::from(p.hit_totals.counted);
            hit_rows += u64::from(p.hit_totals.all);
            coded.extend((0..ncat).filter(|&c| p.is_coded(m, c)));
            coded.push(END);
        }
        Summary {
            metadata: Vec::new(),
            record: None,
            counts,
            key: keys.key,
            source: keys.source,
            year: keys.year,
            coded,
            hits,
            hit_rows,
            rendered: None,
            snap: None,
        }
    }
}

/// Everything a run accumulates, document by document, in corpus order.
struct Aggregate<'a> {
    opts: &'a Options,
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
    /// passages.csv and hits.csv, written as documents arrive (with a
    /// results folder).
    files: Option<(w::PassagesCsv, w::HitsCsv, w::DocumentsCsv)>,
    /// The first documents' rows for the workbook's documents sheet.
    xlsx_documents: Vec<report::xlsx::DocumentLine>,
}

impl<'a> Aggregate<'a> {
    fn new(
        opts: &'a Options,
        matcher: &'a Matcher,
        fields: &'a [String],
        out: Option<&ResultsDir>,
    ) -> Result<Self, Error> {
        let excel = opts.tables.excel;
        let files = match out.map(ResultsDir::path) {
            Some(dir) => {
                let unit = opts.unit.to_string();
                Some((
                    w::PassagesCsv::create(
                        &dir.join("passages.csv"),
                        fields,
                        matcher,
                        &unit,
                        excel,
                    )?,
                    w::HitsCsv::create(&dir.join("hits.csv"), matcher, excel)?,
                    w::DocumentsCsv::create(
                        &dir.join("documents.csv"),
                        fields,
                        &matcher
                            .categories
                            .iter()
                            .map(|c| c.id.clone())
                            .collect::<Vec<_>>(),
                        excel,
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
            opts,
            matcher,
            fields,
            tally: Tally::new(opts.by.clone()),
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
            opts: self.opts,
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
            if self.opts.reports && self.xlsx_documents.len() < report::xlsx::MAX_XLSX_PASSAGES {
                self.xlsx_documents.push(report::xlsx::DocumentLine {
                    doc_id: s.record.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
                    metadata: s.metadata,
                    measures: w::document_measures(&s.counts),
                });
            }
        }
        if let Some(record) = s.record {
            self.documents.push(record);
        }
        Ok(())
    }

    /// Keep a document's coded passages for the workbook and the page, up
    /// to their caps (with a results folder and its reports).
    fn add_lines(&mut self, doc: &Document, passages: &[CodedPassage], s: &Summary) {
        if self.files.is_none() || !self.opts.reports {
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
                    marks: p.coded.hits.iter().map(|h| html_mark(m, h)).collect(),
                });
            }
        }
    }

    /// Make the tables and, with a results folder, every result file.
    fn finish(
        self,
        cb: &Codebook,
        root: &str,
        skipped: &[Skipped],
        ignored: &[String],
        out: Option<&ResultsDir>,
    ) -> Result<Outcome, Error> {
        let header = Header::of_coding(
            root,
            &self.tally.total,
            &self.opts.unit.to_string(),
            cb,
            skipped,
        );
        let cats = report::CatView::of_matcher(self.matcher);
        let co = self.co.finish(&cats);
        let tables = Tables::new(header, cats, self.tally, co, &self.opts.tables);
        let (Some(out), Some(files)) = (out, self.files) else {
            return Ok(Outcome {
                tables,
                hits: self.hits,
                hit_rows: self.hit_rows,
                fields: self.fields.to_vec(),
                written: None,
            });
        };
        let stream = Streamed {
            files,
            fields: self.fields,
            xlsx_lines: self.xlsx_lines,
            html_lines: self.html_lines,
            xlsx_documents: self.xlsx_documents,
            by_source: self.by_source,
            by_year: self.by_year,
            coded_total: self.coded_total,
        };
        let StreamedFiles { files, hashed, cut } =
            stream.write(out, &tables, self.matcher, self.opts)?;
        let written = write_run_record(RunParts {
            out,
            files,
            hashed,
            cut,
            cb,
            matcher: self.matcher,
            opts: self.opts,
            root,
            fields: self.fields,
            documents: self.documents,
            skipped,
            ignored,
            tables: &tables,
            hits: self.hits,
        })?;
        Ok(Outcome {
            tables,
            hits: self.hits,
            hit_rows: self.hit_rows,
            fields: self.fields.to_vec(),
            written: Some(written),
        })
    }
}

/// A hit as the HTML page marks it: the span and what fired there.
fn html_mark(m: &Matcher, h: &crate::coder::Hit) -> (std::ops::Range<usize>, String) {
    let what = format!(
        "{}: {}{}",
        m.categories[h.category].id,
        w::entry_text(m, h.category, h.entry),
        if h.counted() {
            String::new()
        } else {
            format!(" (counter-indicator, weight {})", w::format_score(h.weight))
        }
    );
    (h.span.clone(), what)
}

/// What a run kept for the result files besides its tallies.
struct Streamed<'a> {
    files: (w::PassagesCsv, w::HitsCsv, w::DocumentsCsv),
    fields: &'a [String],
    xlsx_lines: Vec<XlsxLine>,
    html_lines: Vec<HtmlLine>,
    xlsx_documents: Vec<report::xlsx::DocumentLine>,
    by_source: Option<Tally>,
    by_year: Option<Tally>,
    coded_total: usize,
}

impl Streamed<'_> {
    /// Close the CSV files written as documents arrived and write the
    /// tables, the workbook and the page, in parallel. Returns the files
    /// written and how many passage texts the workbook cut.
    fn write(
        self,
        out: &ResultsDir,
        tables: &Tables,
        matcher: &Matcher,
        opts: &Options,
    ) -> Result<StreamedFiles, Error> {
        let dir = out.path();
        let (passages_csv, hits_csv, documents_csv) = self.files;
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
            let (xlsx, cut) = report::xlsx::workbook(&report::xlsx::WorkbookInput {
                rows: &tables.rows,
                tests: &tables.tests,
                tally: &tables.tally,
                co: tables.co.as_deref(),
                fields: self.fields,
                categories: &cat_ids,
                passages: &lines,
                total_coded: self.coded_total,
                documents: &self.xlsx_documents,
                tempdir: Some(dir),
            })
            .map_err(|e| Error::Write {
                path: Path::new(out.shown())
                    .join("tables.xlsx")
                    .display()
                    .to_string(),
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
        let reports = opts.reports;
        // The remaining big files are independent: finish them in parallel.
        let ((passages_done, hits_done), (xlsx_done, html_done)) = rayon::join(
            || {
                rayon::join(
                    || passages_csv.file.commit(),
                    || Ok((hits_csv.file.commit()?, documents_csv.file.commit()?)),
                )
            },
            || {
                rayon::join(
                    || reports.then(xlsx_job).transpose(),
                    || reports.then(html_job).transpose(),
                )
            },
        );
        let passages_hash = passages_done?;
        let (hits_hash, documents_hash) = hits_done?;
        let cut = xlsx_done?;
        html_done?;
        // The streamed files, hashed as they were written, in run.json's order.
        let streamed = [
            ("passages.csv", passages_hash),
            ("hits.csv", hits_hash),
            ("documents.csv", documents_hash),
        ];
        let mut files: Vec<String> = streamed.iter().map(|(f, _)| f.to_string()).collect();
        let hashed: BTreeMap<String, String> = streamed
            .into_iter()
            .map(|(f, h)| (f.to_string(), h))
            .collect();
        files.extend(tables.write(dir, opts.tables.excel)?);
        if cut.is_some() {
            files.push("tables.xlsx".to_string());
            files.push("report.html".to_string());
        }
        Ok(StreamedFiles {
            files,
            hashed,
            cut: cut.unwrap_or(0),
        })
    }
}

/// What [`Streamed::write`] wrote.
struct StreamedFiles {
    /// The files, in run.json's order.
    files: Vec<String>,
    /// The hashes of those hashed as they were written.
    hashed: BTreeMap<String, String>,
    /// Passage texts cut to Excel's cell limit.
    cut: usize,
}

/// What run.json is made of.
struct RunParts<'a> {
    out: &'a ResultsDir,
    files: Vec<String>,
    /// Hashes of `files` already known (taken while they were written).
    hashed: BTreeMap<String, String>,
    cut: usize,
    cb: &'a Codebook,
    matcher: &'a Matcher,
    opts: &'a Options,
    root: &'a str,
    fields: &'a [String],
    documents: Vec<w::DocumentRecord>,
    skipped: &'a [Skipped],
    ignored: &'a [String],
    tables: &'a Tables,
    hits: u64,
}

/// Write run.json: the manifest of the run, with the hash of every file
/// written before it.
fn write_run_record(p: RunParts<'_>) -> Result<Written, Error> {
    let mut files = p.files;
    // Hashed before run.json is written: run.json records them, so the
    // next run can tell a file tanda wrote from one edited since.
    let rest: Vec<String> = files
        .iter()
        .filter(|f| !p.hashed.contains_key(*f))
        .cloned()
        .collect();
    let mut outputs = p.out.hashes(&rest)?;
    outputs.extend(p.hashed);
    files.push("run.json".to_string());
    let total = &p.tables.tally.total;
    let record = w::RunRecord {
        tanda_version: env!("CARGO_PKG_VERSION").to_string(),
        codebook: w::CodebookRecord {
            path: p.cb.origin.clone(),
            name: p.cb.name.clone(),
            version: p.cb.version.clone(),
            sha256: p.cb.sha256.clone(),
            categories: w::CategoryRecord::of(p.matcher),
        },
        unit: p.opts.unit.to_string(),
        counting_policy: w::PolicyRecord {
            id: POLICY_ID.to_string(),
            rules: POLICY.to_string(),
        },
        options: w::OptionsRecord {
            by: p.opts.by.clone(),
            bin: p.opts.tables.bin,
            strict: p.opts.strict,
            min_words: p.opts.min_words,
            unit_regex: p.opts.unit_regex.clone(),
        },
        corpus: w::CorpusRecord {
            root: p.root.to_string(),
            fields: p.fields.to_vec(),
            documents: p.documents,
            skipped: p
                .skipped
                .iter()
                .map(|s| w::SkippedRecord {
                    id: s.id.clone(),
                    reason: s.reason.clone(),
                })
                .collect(),
            ignored: p.ignored.to_vec(),
        },
        counts: w::CountsRecord {
            documents: total.documents,
            passages: total.passages,
            words: total.words,
            hits: p.hits,
        },
        segmenter: w::SegmenterRecord::default(),
        files,
        outputs,
    };
    write_atomic(&p.out.path().join("run.json"), |f| w::run_json(f, &record))?;
    Ok(Written {
        files: record.files,
        cut: p.cut,
    })
}
