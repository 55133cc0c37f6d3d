//! Result files. Each is written to a temporary file in the target folder and
//! renamed into place, so a crash or a full disk never leaves a half-written
//! file where the user expects a result. CSV cells are neutralised against
//! formula injection (a cell starting with `=`, `+`, `-`, `@`, tab or CR gets
//! a leading `'`), as OWASP recommends for spreadsheet exports.

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use sha2::Digest;

use super::table::FreqRow;
use crate::codebook::Matcher;
use crate::coder::{CodedPassage, EntryRef};
use crate::corpus::Document;
use crate::error::Error;

/// Write `path` atomically: `fill` writes into a temporary file beside it,
/// which then replaces `path`.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let err = |e: io::Error| Error::Write {
        path: path.display().to_string(),
        source: e,
    };
    let tmp = staged_file(path, fill).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Write `path` only if it does not exist: like [`write_atomic`], but the
/// finished file is moved into place without replacing anything, even a
/// file that appears meanwhile. `Ok(false)` when `path` exists.
pub fn write_new(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<bool, Error> {
    let err = |e: io::Error| Error::Write {
        path: path.display().to_string(),
        source: e,
    };
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(false);
    }
    let tmp = staged_file(path, fill).map_err(err)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(err(e.error)),
    }
}

/// A temporary file beside `path`, filled, synced and given ordinary
/// permissions, ready to be moved into place.
fn staged_file(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".tanda-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    permit(&tmp)?;
    Ok(tmp)
}

/// Temporary files are created private; a result file gets the
/// permissions of an ordinary new file.
fn permit(tmp: &tempfile::NamedTempFile) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}

/// Give a finished temporary file the permissions of an ordinary new file
/// (temporary files are created private) and rename it over `path`.
pub fn publish(tmp: tempfile::NamedTempFile, path: &Path) -> io::Result<()> {
    permit(&tmp)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A CSV cell safe to open in a spreadsheet.
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV writer; with `excel`, the file starts with a UTF-8 byte-order
/// mark so Excel reads it as UTF-8 (LibreOffice and R ignore it).
fn csv_out(w: &mut dyn Write, excel: bool) -> io::Result<csv::Writer<&mut dyn Write>> {
    if excel {
        w.write_all(b"\xEF\xBB\xBF")?;
    }
    Ok(csv::WriterBuilder::new().from_writer(w))
}

fn io_err(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

/// A result file being written: a temporary file beside its final path,
/// renamed into place by [`Staged::commit`] only when complete (dropped
/// unfinished, it is deleted).
pub struct Staged {
    path: std::path::PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl Staged {
    /// Open a temporary file beside `path` (same folder, so the final rename
    /// stays on one file system).
    pub fn create(path: &Path) -> Result<Self, Error> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".tanda-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| write_err(path, e))?;
        Ok(Staged {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// A buffered writer into the temporary file.
    fn writer(&self) -> Result<BufWriter<std::fs::File>, Error> {
        let f = self
            .tmp
            .as_file()
            .try_clone()
            .map_err(|e| write_err(&self.path, e))?;
        Ok(BufWriter::with_capacity(1 << 16, f))
    }

    /// Sync the finished file and rename it over the final path.
    pub fn commit(self) -> Result<(), Error> {
        let err = |e| write_err(&self.path, e);
        self.tmp.as_file().sync_all().map_err(err)?;
        publish(self.tmp, &self.path).map_err(|e| write_err(&self.path, e))
    }
}

fn write_err(path: &Path, e: io::Error) -> Error {
    Error::Write {
        path: path.display().to_string(),
        source: e,
    }
}

/// A CSV result written as the corpus streams past. Rows arrive already
/// rendered as CSV bytes (see [`PassageRows`], [`HitRows`]), so that the
/// formatting runs in parallel with the coding and the file is only appended to.
pub struct CsvFile {
    staged: Staged,
    out: BufWriter<std::fs::File>,
    /// Bytes appended since the last early sync began.
    unsynced: u64,
    /// [`EARLY_SYNC_BYTES`], smaller in tests.
    sync_every: u64,
    /// A thread syncing what had been written when it began (see
    /// [`CsvFile::append`]).
    syncer: Option<std::thread::JoinHandle<io::Result<()>>>,
    /// The SHA-256 of every byte written, for run.json: taken as the rows
    /// pass, so the finished file (hits.csv can be several times the
    /// corpus) is not read back to be hashed at the end of the run.
    hash: sha2::Sha256,
}

/// Every this many bytes appended, what is written so far starts going to
/// disk in the background.
const EARLY_SYNC_BYTES: u64 = 64 << 20;

/// A CSV header line, encoded as the result files encode it.
pub fn header_line(header: &[String]) -> Vec<u8> {
    let mut head = Rows::new();
    head.record(header.iter().map(|h| h.as_bytes()));
    head.finish()
}

impl CsvFile {
    fn create(path: &Path, excel: bool, header: &[&str]) -> Result<Self, Error> {
        let staged = Staged::create(path)?;
        let out = staged.writer()?;
        let mut file = CsvFile {
            staged,
            out,
            unsynced: 0,
            sync_every: EARLY_SYNC_BYTES,
            syncer: None,
            hash: sha2::Sha256::default(),
        };
        if excel {
            file.write(b"\xEF\xBB\xBF")?;
        }
        let mut head = Rows::new();
        head.record(header.iter().map(|h| h.as_bytes()));
        file.write(&head.finish())?;
        Ok(file)
    }

    /// Write and hash bytes.
    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out
            .write_all(bytes)
            .map_err(|e| write_err(&self.staged.path, e))?;
        self.hash.update(bytes);
        Ok(())
    }

    /// Append rendered rows.
    ///
    /// The finished file is synced before it is renamed into place (see
    /// [`Staged::commit`]); hits.csv can be several times the corpus, and
    /// syncing it all at the end left the cores idle for a tenth of a run.
    /// So every `EARLY_SYNC_BYTES` (64 MB), once the previous early sync is done,
    /// a thread syncs what has been written so far while coding goes on.
    pub fn append(&mut self, rows: &[u8]) -> Result<(), Error> {
        self.write(rows)?;
        self.unsynced += rows.len() as u64;
        if self.unsynced >= self.sync_every && self.syncer.as_ref().is_none_or(|t| t.is_finished())
        {
            self.join_syncer()?;
            self.start_sync()
                .map_err(|e| write_err(&self.staged.path, e))?;
            self.unsynced = 0;
        }
        Ok(())
    }

    /// Flush what is buffered and start a thread syncing the file so far.
    fn start_sync(&mut self) -> io::Result<()> {
        self.out.flush()?;
        let file = self.out.get_ref().try_clone()?;
        // Builder, not `thread::spawn`: failing to start a thread is an
        // error to report, not a panic.
        let syncer = std::thread::Builder::new()
            .name("tanda-sync".into())
            .spawn(move || file.sync_data())?;
        self.syncer = Some(syncer);
        Ok(())
    }

    /// Wait for the early sync, if one is running, and report its error.
    fn join_syncer(&mut self) -> Result<(), Error> {
        match self.syncer.take().map(std::thread::JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(write_err(&self.staged.path, e)),
            Some(Err(_)) => Err(write_err(
                &self.staged.path,
                io::Error::other("the thread syncing the file stopped"),
            )),
        }
    }

    /// Flush, wait for the background sync, sync the file and rename it to its
    /// final path. Returns the SHA-256 (hex) of the file's bytes.
    pub fn commit(mut self) -> Result<String, Error> {
        self.join_syncer()?;
        self.out
            .flush()
            .map_err(|e| write_err(&self.staged.path, e))?;
        drop(self.out);
        self.staged.commit()?;
        Ok(crate::hash::hex(&self.hash.finalize()))
    }
}

/// CSV records rendered into memory, byte for byte as the csv crate writes
/// them with its defaults (a field is quoted when it holds `,`, `"`, CR or
/// LF; quotes inside are doubled; records end with LF).
///
/// Why not the csv crate here: hits.csv is several times the size of the
/// corpus, and going through `csv::Writer` meant a `Vec` of `Cow` fields and
/// a `String` per number for every row (a sixth of the whole run). Rows are
/// built from fields that are encoded once (category and entry texts, the
/// passage's ids) and numbers written with `itoa`. A test compares the
/// output with the csv crate's on awkward fields.
struct Rows {
    buf: Vec<u8>,
    /// Is the next field the first of its record?
    first: bool,
}

impl Rows {
    fn new() -> Self {
        Rows::with_capacity(0)
    }

    /// Rows of about `bytes` bytes in all: one allocation instead of a
    /// doubling (and copying) buffer.
    fn with_capacity(bytes: usize) -> Self {
        Rows {
            buf: Vec::with_capacity(bytes),
            first: true,
        }
    }

    fn sep(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.buf.push(b',');
        }
    }

    /// A field, quoted when it must be.
    fn field(&mut self, s: &[u8]) {
        self.sep();
        encode_field(s, &mut self.buf);
    }

    /// A field already encoded with [`encode_field`].
    fn encoded(&mut self, s: &[u8]) {
        self.sep();
        self.buf.extend_from_slice(s);
    }

    /// A source line (`page:line` for paged formats), as `Loc` shows it:
    /// digits and a colon, never quoted.
    fn loc(&mut self, loc: crate::corpus::extract::Loc) {
        self.sep();
        loc.write_to(&mut self.buf);
    }

    fn num(&mut self, n: u64) {
        self.sep();
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    fn end(&mut self) {
        self.buf.push(b'\n');
        self.first = true;
    }

    fn record<'a>(&mut self, fields: impl IntoIterator<Item = &'a [u8]>) {
        for f in fields {
            self.field(f);
        }
        self.end();
    }

    fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Append `s` to `out` as one CSV field (the csv crate's `Necessary` quoting).
fn encode_field(s: &[u8], out: &mut Vec<u8>) {
    if !s.iter().any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.extend_from_slice(s);
        return;
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    // A stretch at a time: each quote is doubled.
    let mut rest = s;
    while let Some(i) = rest.iter().position(|&b| b == b'"') {
        out.extend_from_slice(&rest[..=i]);
        out.push(b'"');
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// A CSV field already encoded with [`encode_field`].
type Cell = Vec<u8>;

/// `s` encoded as a CSV field.
fn encoded(s: &str) -> Cell {
    let mut out = Vec::new();
    encode_field(s.as_bytes(), &mut out);
    out
}

/// `s` encoded as a spreadsheet-safe CSV field.
fn encoded_cell(s: &str) -> Cell {
    encoded(&safe_cell(s))
}

/// How `passages.csv` rows look: shared by the threads that render them.
#[derive(Debug, Clone)]
pub struct PassageRows {
    unit: String,
    weighted: bool,
    /// Per category: threshold and min_score, which decide coding.
    rules: Vec<(u32, Option<f64>)>,
}

/// `passages.csv`: one row per passage, written document by document.
pub struct PassagesCsv {
    /// The file the rows go to.
    pub file: CsvFile,
    /// Renders a document's passages as CSV rows.
    pub rows: PassageRows,
}

impl PassagesCsv {
    /// Create the file at `path` and write its header: `doc_id`,
    /// `passage_id`, `unit`, the metadata `fields`, `words`, a decision
    /// column (1/0) per category, then `ID:hits` per category, for weighted
    /// codebooks `ID:counter` and `ID:score`, then `matched` and `text`.
    /// With `excel`, a UTF-8 byte-order mark first.
    pub fn create(
        path: &Path,
        fields: &[String],
        matcher: &Matcher,
        unit: &str,
        excel: bool,
    ) -> Result<Self, Error> {
        let (header, rows) = PassageRows::new(fields, matcher, unit);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        Ok(PassagesCsv {
            file: CsvFile::create(path, excel, &header)?,
            rows,
        })
    }
}

impl PassageRows {
    /// The header of passages.csv (metadata variables `fields`) and the
    /// format of its rows.
    pub fn new(fields: &[String], matcher: &Matcher, unit: &str) -> (Vec<String>, PassageRows) {
        let mut header: Vec<&str> = vec!["doc_id", "passage_id", "unit"];
        header.extend(fields.iter().map(String::as_str));
        header.push("words");
        // A category's own column holds the decision (1/0), which is what a
        // reader filtering on it assumes; its counted hits and (weighted
        // codebooks) its score follow, named after it.
        header.extend(matcher.categories.iter().map(|c| c.id.as_str()));
        let hit_names: Vec<String> = matcher
            .categories
            .iter()
            .map(|c| format!("{}:hits", c.id))
            .collect();
        header.extend(hit_names.iter().map(String::as_str));
        // Scores only when the codebook weighs entries: a plain codebook's
        // score is its count.
        let weighted = matcher.is_weighted();
        let score_names: Vec<String> = matcher
            .categories
            .iter()
            .map(|c| format!("{}:score", c.id))
            .collect();
        let counter_names: Vec<String> = matcher
            .categories
            .iter()
            .map(|c| format!("{}:counter", c.id))
            .collect();
        if weighted {
            header.extend(counter_names.iter().map(String::as_str));
            header.extend(score_names.iter().map(String::as_str));
        }
        header.extend(["matched", "text"]);
        let rows = PassageRows {
            unit: unit.to_string(),
            weighted,
            rules: matcher
                .categories
                .iter()
                .map(|c| (c.threshold, c.min_score))
                .collect(),
        };
        (header.into_iter().map(str::to_string).collect(), rows)
    }

    /// The rows of one document's passages.
    pub fn render(&self, doc: &Document, passages: &[CodedPassage]) -> Vec<u8> {
        // The text twice (text and matched columns) and the counts.
        let size: usize = passages
            .iter()
            .map(|p| 2 * p.passage.text.len() + 8 * p.coded.counts.len() + 64)
            .sum();
        let mut out = Rows::with_capacity(size);
        let doc_id = encoded_cell(&doc.id);
        let mut meta = Vec::new();
        for (i, v) in doc.metadata.iter().enumerate() {
            if i > 0 {
                meta.push(b',');
            }
            encode_field(safe_cell(v).as_bytes(), &mut meta);
        }
        let mut matched: Vec<&str> = Vec::new();
        let mut joined = String::new();
        let mut seen: std::collections::HashSet<&str, foldhash::fast::FixedState> =
            std::collections::HashSet::default();
        for p in passages {
            out.encoded(&doc_id);
            out.field(safe_cell(&p.passage.id).as_bytes());
            out.field(self.unit.as_bytes());
            if !doc.metadata.is_empty() {
                out.encoded(&meta);
            }
            out.num(p.coded.words as u64);
            let c = &p.coded;
            for (i, &(threshold, min_score)) in self.rules.iter().enumerate() {
                let on = crate::coder::decides(threshold, min_score, c.counts[i], c.scores[i]);
                out.field(if on { b"1" } else { b"0" });
            }
            for &n in &p.coded.counts {
                out.num(u64::from(n));
            }
            if self.weighted {
                for &n in &p.coded.counter {
                    out.num(u64::from(n));
                }
                for x in &p.coded.scores {
                    out.field(format_score(*x).as_bytes());
                }
            }
            // Distinct matched words in text order; a set beside the list
            // keeps this linear (a large dictionary gives a passage
            // hundreds of hits).
            matched.clear();
            seen.clear();
            for h in p.coded.hits.iter().filter(|h| h.counted()) {
                let m = &p.passage.text[h.span.clone()];
                if seen.insert(m) {
                    matched.push(m);
                }
            }
            joined.clear();
            for (k, m) in matched.iter().enumerate() {
                if k > 0 {
                    joined.push(';');
                }
                joined.push_str(m);
            }
            out.field(safe_cell(&joined).as_bytes());
            out.field(safe_cell(&p.passage.text).as_bytes());
            out.end();
        }
        out.finish()
    }
}

/// A score with no float noise (`2.5`, `3`, `0.333333`).
pub fn format_score(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

pub use crate::coder::entry_text;

/// How `hits.csv` rows look: shared by the threads that render them.
#[derive(Debug, Clone)]
pub struct HitRows {
    weighted: bool,
    /// The category and entry cells of a hit, CSV-encoded and joined by a
    /// comma (the entry's display text spreadsheet-safe): per category, for
    /// its entries, then for its regexes. One copy per row instead of two.
    entries: Vec<(Vec<Cell>, Vec<Cell>)>,
}

/// `hits.csv`: one row per match, counted hits and counter-indicators
/// (`counted` 0), written document by document.
pub struct HitsCsv {
    /// The file the rows go to.
    pub file: CsvFile,
    /// Renders a document's hits as CSV rows.
    pub rows: HitRows,
}

impl HitsCsv {
    /// Create the file at `path` and write its header. With `excel`, a UTF-8
    /// byte-order mark first.
    pub fn create(path: &Path, matcher: &Matcher, excel: bool) -> Result<Self, Error> {
        let (header, rows) = HitRows::new(matcher);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        Ok(HitsCsv {
            file: CsvFile::create(path, excel, &header)?,
            rows,
        })
    }
}

impl HitRows {
    /// The header of hits.csv and the format of its rows.
    pub fn new(matcher: &Matcher) -> (Vec<String>, HitRows) {
        let weighted = matcher.is_weighted();
        let mut header = vec![
            "doc_id",
            "passage_id",
            "category",
            "entry",
            "matched",
            "start",
            "end",
            "line",
        ];
        if weighted {
            // `counted` 0 marks a counter-indicator (weight 0 or less): it
            // lowers the score but is not counted as a hit.
            header.extend(["weight", "counted"]);
        }
        let entries = matcher
            .categories
            .iter()
            .enumerate()
            .map(|(c, cat)| {
                let both = |e: EntryRef| {
                    let mut cell = encoded(&cat.id);
                    cell.push(b',');
                    cell.extend(encoded_cell(&entry_text(matcher, c, e)));
                    cell
                };
                (
                    (0..cat.entries.len())
                        .map(|i| both(EntryRef::Entry(i)))
                        .collect(),
                    (0..cat.regex.len())
                        .map(|i| both(EntryRef::Regex(i)))
                        .collect(),
                )
            })
            .collect();
        (
            header.into_iter().map(str::to_string).collect(),
            HitRows { weighted, entries },
        )
    }

    /// The rows of one document's hits.
    pub fn render(&self, doc: &Document, passages: &[CodedPassage]) -> Vec<u8> {
        let hits: usize = passages.iter().map(|p| p.coded.hits.len()).sum();
        let mut out = Rows::with_capacity(hits * (2 * doc.id.len() + 48));
        let doc_id = encoded_cell(&doc.id);
        let mut ids = Vec::new();
        for p in passages {
            let text = &p.passage.text;
            // The two id cells, joined: one copy per row.
            ids.clear();
            ids.extend_from_slice(&doc_id);
            ids.push(b',');
            encode_field(safe_cell(&p.passage.id).as_bytes(), &mut ids);
            // In ASCII text character offsets are byte offsets. Otherwise
            // hits come in text order, so character offsets are counted
            // onwards from the previous hit instead of from the start.
            let ascii = text.is_ascii();
            let mut at = crate::text::CharCursor::new(text);
            for h in &p.coded.hits {
                let matched = &text[h.span.clone()];
                let (start, end) = if ascii {
                    (h.span.start, h.span.end)
                } else {
                    let start = at.at(h.span.start);
                    (start, start + matched.chars().count())
                };
                let (entries, regexes) = &self.entries[h.category];
                let entry = match h.entry {
                    EntryRef::Entry(i) => &entries[i],
                    EntryRef::Regex(i) => &regexes[i],
                };
                out.encoded(&ids);
                out.encoded(entry);
                out.field(safe_cell(matched).as_bytes());
                out.num(start as u64);
                out.num(end as u64);
                out.loc(p.passage.line_at(h.span.start));
                if self.weighted {
                    out.field(format_score(h.weight).as_bytes());
                    out.field(if h.counted() { b"1" } else { b"0" });
                }
                out.end();
            }
        }
        out.finish()
    }
}

/// The measures of `documents.csv` per category, named as in
/// frequencies.csv: passages coded, their % of the document's passages,
/// counted hits, hits per 1,000 words.
pub const DOCUMENT_MEASURES: [&str; 4] = [
    "passages_coded",
    "passages_pct",
    "hits",
    "hits_per_1000_words",
];

/// Whether `name` is a column tanda writes beside the metadata in
/// passages.csv or documents.csv, for a codebook with `categories`: a
/// metadata variable of that name would make a second column of the name,
/// and readers take the first (see [`crate::corpus::rename_fields`]).
pub fn is_own_column(name: &str, categories: &[String]) -> bool {
    const FIXED: [&str; 7] = [
        "doc_id",
        "passage_id",
        "unit",
        "words",
        "passages",
        "matched",
        "text",
    ];
    FIXED.contains(&name)
        || categories.iter().any(|c| {
            name == c
                || name.strip_prefix(c.as_str()).is_some_and(|rest| {
                    rest.strip_prefix(':').is_some_and(|m| {
                        ["hits", "score", "counter"].contains(&m) || DOCUMENT_MEASURES.contains(&m)
                    })
                })
        })
}

/// The header of `documents.csv`: the LIWC-style row per document that
/// researchers merge with their own data (R, Stata, a spreadsheet).
pub fn documents_header(fields: &[String], categories: &[String]) -> Vec<String> {
    let mut h: Vec<String> = vec!["doc_id".into()];
    h.extend(fields.iter().cloned());
    h.extend(["words".into(), "passages".into()]);
    for c in categories {
        h.extend(DOCUMENT_MEASURES.iter().map(|m| format!("{c}:{m}")));
    }
    h
}

/// One document's measures, aligned to [`documents_header`]'s columns
/// after the metadata: words, passages, then per category
/// [`DOCUMENT_MEASURES`].
pub fn document_measures(c: &super::Counts) -> Vec<f64> {
    let mut v = vec![c.words as f64, c.passages as f64];
    for k in &c.cats {
        v.push(k.passages_coded as f64);
        v.push(if c.passages == 0 {
            0.0
        } else {
            100.0 * k.passages_coded as f64 / c.passages as f64
        });
        v.push(k.hits as f64);
        v.push(if c.words == 0 {
            0.0
        } else {
            1000.0 * k.hits as f64 / c.words as f64
        });
    }
    v
}

/// `documents.csv`: one row per document, written as documents arrive.
pub struct DocumentsCsv {
    /// The file the rows go to.
    pub file: CsvFile,
}

impl DocumentsCsv {
    /// Create the file at `path` and write its header: `doc_id`, the
    /// metadata `fields`, `words`, `passages`, then measures per category.
    /// With `excel`, a UTF-8 byte-order mark first.
    pub fn create(
        path: &Path,
        fields: &[String],
        categories: &[String],
        excel: bool,
    ) -> Result<Self, Error> {
        let header = documents_header(fields, categories);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        Ok(DocumentsCsv {
            file: CsvFile::create(path, excel, &header)?,
        })
    }
}

/// `documents.csv` in one piece: the header, then rows made by
/// [`document_row`].
pub fn documents_csv(
    w: &mut dyn Write,
    fields: &[String],
    categories: &[String],
    rows: &[u8],
    excel: bool,
) -> io::Result<()> {
    let mut out = csv_out(w, excel)?;
    out.write_record(
        documents_header(fields, categories)
            .iter()
            .map(|h| safe_cell(h).into_owned()),
    )
    .map_err(io_err)?;
    out.flush()?;
    drop(out);
    w.write_all(rows)
}

/// One row of `documents.csv`.
pub fn document_row(doc_id: &str, metadata: &[String], c: &super::Counts) -> Vec<u8> {
    let mut out = Rows::new();
    out.field(safe_cell(doc_id).as_bytes());
    for v in metadata {
        out.field(safe_cell(v).as_bytes());
    }
    let m = document_measures(c);
    for (i, x) in m.iter().enumerate() {
        // Counts as integers; % with 2 decimals and rates with 3, as in
        // frequencies.csv.
        match (i, (i.saturating_sub(2)) % 4) {
            (0 | 1, _) | (_, 0 | 2) => out.num(*x as u64),
            (_, 1) => out.field(format!("{x:.2}").as_bytes()),
            _ => out.field(format!("{x:.3}").as_bytes()),
        }
    }
    out.end();
    out.finish()
}

/// Columns of the tidy frequency table (CSV and XLSX).
pub const FREQ_COLUMNS: [&str; 17] = [
    "by",
    "group",
    "category",
    "label",
    "depth",
    "passages",
    "passages_coded",
    "passages_pct",
    "documents",
    "documents_coded",
    "documents_pct",
    "hits",
    "counter_hits",
    "words",
    "hits_per_1000_words",
    "pct_words",
    "category_share_pct",
];

/// Columns of the crosstab tests before the per-group residuals.
pub const TEST_COLUMNS: [&str; 14] = [
    "by",
    "category",
    "unit",
    "test",
    "statistic",
    "df",
    "df2",
    "p",
    "mean_deff",
    "pearson_chi2",
    "pearson_df",
    "pearson_p",
    "cramers_v",
    "small_expected",
];

/// The tidy frequency table as CSV.
pub fn frequencies_csv(w: &mut dyn Write, rows: &[FreqRow], excel: bool) -> io::Result<()> {
    let mut out = csv_out(w, excel)?;
    out.write_record(FREQ_COLUMNS).map_err(io_err)?;
    for r in rows {
        out.write_record([
            safe_cell(&r.by).as_ref(),
            safe_cell(&r.group).as_ref(),
            &r.category,
            safe_cell(&r.label).as_ref(),
            &r.depth.to_string(),
            &r.passages.to_string(),
            &r.passages_coded.to_string(),
            &format!("{:.2}", r.passages_pct),
            &r.documents.to_string(),
            &r.documents_coded.to_string(),
            &format!("{:.2}", r.documents_pct),
            &r.hits.to_string(),
            &r.counter_hits.to_string(),
            &r.words.to_string(),
            &format!("{:.3}", r.hits_per_1000_words),
            &format!("{:.3}", r.pct_words),
            &format!("{:.2}", r.category_share_pct),
        ])
        .map_err(io_err)?;
    }
    out.flush()
}

/// The frequency table for reading: one row per category, one column per
/// group and measure (`all:passages_pct`, `news:passages_pct`, …).
pub fn frequencies_wide_csv(w: &mut dyn Write, rows: &[FreqRow], excel: bool) -> io::Result<()> {
    let mut out = csv_out(w, excel)?;
    let mut groups: Vec<&str> = Vec::new();
    let mut cats: Vec<(&str, &str)> = Vec::new();
    for r in rows {
        if !groups.contains(&r.group.as_str()) {
            groups.push(&r.group);
        }
        if !cats.iter().any(|c| c.0 == r.category) {
            cats.push((&r.category, &r.label));
        }
    }
    const MEASURES: [&str; 5] = [
        "passages_coded",
        "passages_pct",
        "documents_coded",
        "hits",
        "hits_per_1000_words",
    ];
    let mut header = vec!["category".to_string(), "label".to_string()];
    for g in &groups {
        let name = if g.is_empty() { "all" } else { g };
        header.extend(MEASURES.iter().map(|m| format!("{name}:{m}")));
    }
    out.write_record(header.iter().map(|h| safe_cell(h).into_owned()))
        .map_err(io_err)?;
    for (cat, label) in cats {
        let mut rec = vec![cat.to_string(), safe_cell(label).into_owned()];
        for g in &groups {
            match rows.iter().find(|r| r.category == cat && r.group == *g) {
                Some(r) => rec.extend([
                    r.passages_coded.to_string(),
                    format!("{:.2}", r.passages_pct),
                    r.documents_coded.to_string(),
                    r.hits.to_string(),
                    format!("{:.3}", r.hits_per_1000_words),
                ]),
                None => rec.extend(std::iter::repeat_n(String::new(), MEASURES.len())),
            }
        }
        out.write_record(&rec).map_err(io_err)?;
    }
    out.flush()
}

/// The chi-square test of every category across the groups, with the
/// adjusted residual of each group.
pub fn tests_csv(
    w: &mut dyn Write,
    tests: &[super::CrossTest],
    tally: &super::Tally,
    excel: bool,
) -> io::Result<()> {
    let mut out = csv_out(w, excel)?;
    let groups: Vec<String> = tally.groups.keys().map(super::GroupKey::label).collect();
    let mut header: Vec<String> = TEST_COLUMNS.map(String::from).to_vec();
    header.extend(groups.iter().map(|g| format!("residual:{g}")));
    out.write_record(header.iter().map(|h| safe_cell(h).into_owned()))
        .map_err(io_err)?;
    for t in tests {
        use super::table::TestValue;
        let mut rec: Vec<String> = t
            .values()
            .into_iter()
            .map(|v| match v {
                TestValue::Text(s) => safe_cell(s).into_owned(),
                TestValue::Num(x) => format!("{x:.6}"),
                TestValue::Bool(b) => b.to_string(),
                TestValue::Empty => String::new(),
            })
            .collect();
        rec.extend(
            (0..groups.len()).map(|g| t.residual(g).map_or(String::new(), |r| format!("{r:.4}"))),
        );
        out.write_record(&rec).map_err(io_err)?;
    }
    out.flush()
}

/// Co-occurrence of categories in passages.
pub fn cooccurrence_csv(w: &mut dyn Write, pairs: &[super::CoPair], excel: bool) -> io::Result<()> {
    let mut out = csv_out(w, excel)?;
    out.write_record(["category_a", "category_b", "both", "either", "jaccard"])
        .map_err(io_err)?;
    for p in pairs {
        out.write_record([
            p.a.as_str(),
            p.b.as_str(),
            &p.both.to_string(),
            &p.either.to_string(),
            &format!("{:.4}", p.jaccard),
        ])
        .map_err(io_err)?;
    }
    out.flush()
}

/// `run.json`: everything needed to trace and reproduce the run. No
/// timestamps, so identical inputs give identical bytes.
#[derive(Debug, Serialize)]
pub struct RunRecord {
    /// The version of tanda that wrote the results (`CARGO_PKG_VERSION`).
    pub tanda_version: String,
    /// The codebook the corpus was coded with.
    pub codebook: CodebookRecord,
    /// The coding unit (document, paragraph, sentence, ...), as given.
    pub unit: String,
    /// How hits were counted and passages coded.
    pub counting_policy: PolicyRecord,
    /// The options that shape the tables.
    pub options: OptionsRecord,
    /// What was read, and what was not.
    pub corpus: CorpusRecord,
    /// Totals over the whole run.
    pub counts: CountsRecord,
    /// How text was cut into words.
    pub segmenter: SegmenterRecord,
    /// The files the run wrote into the results folder, run.json last.
    pub files: Vec<String>,
    /// SHA-256 of each file of `files` but run.json itself: a later
    /// `--out` into the folder refuses files changed since, and `report`
    /// tells an edited passages.csv from the one tanda wrote.
    pub outputs: std::collections::BTreeMap<String, String>,
}

/// How text was split into words, so a reader can tell why counts differ
/// between tanda versions.
#[derive(Debug, Serialize)]
pub struct SegmenterRecord {
    /// The word segmenter used for spaced scripts.
    pub words: String,
    /// The segmenter used for scripts written without spaces (Thai, Lao,
    /// Khmer, Myanmar, CJK).
    pub complex_scripts: String,
}

impl Default for SegmenterRecord {
    fn default() -> Self {
        SegmenterRecord {
            words: "Unicode UAX #29 word boundaries (unicode-segmentation), hyphenated compounds rejoined".into(),
            complex_scripts: crate::text::COMPLEX_SEGMENTER.into(),
        }
    }
}

/// The codebook a run used, identified by its content hash.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct CodebookRecord {
    /// Where the codebook came from: its path as given, or the built-in
    /// codebook's name.
    pub path: String,
    /// The codebook's own name.
    pub name: String,
    /// The codebook's own version string.
    pub version: String,
    /// SHA-256 (hex) of the codebook's canonical form, not of its file's
    /// bytes (see [`crate::codebook::Codebook::sha256`]): the identity of
    /// the rules applied.
    pub sha256: String,
    /// Every category, in display order.
    pub categories: Vec<CategoryRecord>,
}

/// What a reader of the results needs to know of a category to re-decide
/// "coded" from the counts in passages.csv.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CategoryRecord {
    /// The category id, as written in the codebook.
    pub id: String,
    /// The human-readable label.
    pub label: String,
    /// The id of the parent category, for a nested one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Hits a passage needs to be coded with the category.
    pub threshold: u32,
    /// Least summed weight a passage needs to be coded, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
    /// Entries (and regexes) of its own; 0 for a pure grouping.
    #[serde(default)]
    pub entries: usize,
}

impl CategoryRecord {
    /// The records of a compiled codebook's categories, in display order.
    pub fn of(matcher: &Matcher) -> Vec<CategoryRecord> {
        matcher
            .categories
            .iter()
            .map(|c| CategoryRecord {
                id: c.id.clone(),
                label: c.label.clone(),
                parent: c.parent.map(|p| matcher.categories[p].id.clone()),
                threshold: c.threshold,
                min_score: c.min_score,
                entries: c.entries.len() + c.regex.len(),
            })
            .collect()
    }
}

/// The counting policy: an identifier and its rules in words.
#[derive(Debug, Serialize)]
pub struct PolicyRecord {
    /// The policy identifier ([`crate::coder::POLICY_ID`]).
    pub id: String,
    /// The policy in words ([`crate::coder::POLICY`]).
    pub rules: String,
}

/// Command-line options that change the tables.
#[derive(Debug, Serialize)]
pub struct OptionsRecord {
    /// `--by`: the metadata fields tables were broken down by.
    pub by: Vec<String>,
    /// `--bin`: the width of year bins, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bin: Option<u32>,
    /// `--strict`: whether skipped documents fail the run.
    pub strict: bool,
    /// `--min-words`: passages shorter than this were dropped (0: none).
    #[serde(skip_serializing_if = "is_zero")]
    pub min_words: usize,
    /// `--unit-regex`: the article headings cut at, when not the built-in ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_regex: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The corpus as read.
#[derive(Debug, Serialize)]
pub struct CorpusRecord {
    /// The corpus path as given by the user.
    pub root: String,
    /// Metadata field names, in column order.
    pub fields: Vec<String>,
    /// Every document coded, in order.
    pub documents: Vec<DocumentRecord>,
    /// Files that could not be read, and why.
    pub skipped: Vec<SkippedRecord>,
    /// Files with extensions tanda does not read.
    pub ignored: Vec<String>,
}

/// One coded document.
#[derive(Debug, Serialize)]
pub struct DocumentRecord {
    /// Path relative to the corpus root, `/`-separated.
    pub id: String,
    /// The reader that extracted it (`txt`, `pdf`, `docx`, ...).
    pub format: &'static str,
    /// The character encoding it was decoded from, or the container format.
    pub encoding: &'static str,
    /// File size in bytes.
    pub bytes: u64,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Passages coded (after `--min-words` dropped any).
    pub passages: u64,
    /// Words in those passages.
    pub words: u64,
}

/// A file that was not coded.
#[derive(Debug, Serialize)]
pub struct SkippedRecord {
    /// Path relative to the corpus root.
    pub id: String,
    /// Why it was skipped, for the user.
    pub reason: String,
}

/// Totals over all coded documents.
#[derive(Debug, Serialize)]
pub struct CountsRecord {
    /// Documents coded.
    pub documents: u64,
    /// Passages coded.
    pub passages: u64,
    /// Words in the coded passages.
    pub words: u64,
    /// Counted hits (weight > 0) over all passages.
    pub hits: u64,
}

/// Write `record` as pretty-printed JSON followed by a newline.
pub fn run_json(w: &mut dyn Write, record: &RunRecord) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, record).map_err(io::Error::other)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Early syncs in the background leave the file exactly as written,
    /// and nothing appears at the final path before the commit.
    #[test]
    fn early_syncs_keep_the_file_whole() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("hits.csv");
        let mut f = CsvFile::create(&path, false, &["a", "b"])?;
        f.sync_every = 100;
        let mut expected = b"a,b\n".to_vec();
        for i in 0..2000 {
            let row = format!("{i},row number {i}\n");
            f.append(row.as_bytes())?;
            expected.extend_from_slice(row.as_bytes());
        }
        // The early sync ran (its thread is still held until the commit).
        assert!(f.syncer.is_some());
        assert!(!path.exists());
        let hash = f.commit()?;
        assert_eq!(std::fs::read(&path)?, expected);
        // The hash taken while writing is the hash of the file as read back.
        assert_eq!(hash, crate::hash::sha256_file(&path)?);
        Ok(())
    }

    #[test]
    fn rows_are_written_as_the_csv_crate_writes_them() {
        let records: Vec<Vec<&str>> = vec![
            vec![
                "plain",
                "with,comma",
                "say \"no\"",
                "",
                "line\nbreak",
                "cr\rx",
            ],
            vec!["'=x", " spaced ", "\"", ",", "ไทย, ok", "#hash"],
            vec!["", "", ""],
        ];
        let mut ours = Rows::new();
        let mut theirs = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for r in &records {
            ours.record(r.iter().map(|f| f.as_bytes()));
            theirs.write_record(r).unwrap();
        }
        let mut numbers = Rows::new();
        numbers.num(0);
        numbers.encoded(&encoded_cell("a\"b"));
        numbers.num(u64::MAX);
        numbers.end();
        theirs
            .write_record(["0", "a\"b", &u64::MAX.to_string()])
            .unwrap();
        let want = String::from_utf8(theirs.into_inner().unwrap()).unwrap();
        let mut got = ours.finish();
        got.extend(numbers.finish());
        assert_eq!(String::from_utf8(got).unwrap(), want);
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(safe_cell("-5 cases"), "'-5 cases");
        assert_eq!(safe_cell("@x"), "'@x");
        assert_eq!(safe_cell("plain"), "plain");
    }

    #[test]
    fn atomic_write_replaces_whole_file_only_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        std::fs::write(&p, "old").unwrap();
        let failed = write_atomic(&p, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        write_atomic(&p, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }
}
