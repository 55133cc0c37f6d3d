//! Loading a corpus folder: discover files, extract and repair their text,
//! attach metadata. Knows nothing of codebooks.
//!
//! A bad document never sinks the run: it is recorded in
//! [`Corpus::skipped`] with the reason, and the caller decides (`--strict`)
//! whether that is fatal.

mod docx;
mod epub;
pub mod extract;
mod html;
mod language;
pub mod metadata;
pub mod normalize;
pub mod ocr;
mod odt;
mod pdf;
mod rtf;
pub mod segment;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::codebook::sha256_hex;
use crate::error::Error;
pub use extract::{ExtractError, Extractor, extractor_for};
pub use language::detect_language;
pub use normalize::Paragraph;
pub use segment::{Passage, Unit, segment};

/// The variable derived from the first folder when the sheet does not give it.
pub const SOURCE_TYPE: &str = "source_type";

/// One readable document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the corpus root, `/`-separated.
    pub id: String,
    pub format: &'static str,
    pub encoding: &'static str,
    pub bytes: u64,
    pub sha256: String,
    /// Values aligned to [`Corpus::fields`]; empty string when missing.
    pub metadata: Vec<String>,
    pub paragraphs: Vec<Paragraph>,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub reason: String,
}

/// A loaded corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The root as given by the user.
    pub root: String,
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
    /// Files with extensions tanda does not read (not documents).
    pub ignored: Vec<String>,
    /// Metadata variable names, sheet order, then `source_type` if derived,
    /// then front-matter keys not in the sheet.
    pub fields: Vec<String>,
    /// Non-fatal problems (metadata sheet rows naming missing files, ...).
    pub warnings: Vec<String>,
}

impl Corpus {
    /// Value of `field` for a document, if the field exists.
    pub fn value<'a>(&self, doc: &'a Document, field: &str) -> Option<&'a str> {
        let i = self.fields.iter().position(|f| f == field)?;
        doc.metadata.get(i).map(String::as_str)
    }
}

/// Find candidate files under `root`: hidden entries skipped, symlinked
/// folders not followed (no loops), sorted by relative path.
fn discover(root: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::CorpusRead {
            path: dir.display().to_string(),
            source: e,
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() || (ft.is_symlink() && path.is_file()) {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let id = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((id, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn extension(id: &str) -> String {
    Path::new(id)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

#[derive(Clone)]
enum Loaded {
    Doc(Document, BTreeMap<String, String>),
    Skip(Skipped),
}

/// Extracted documents kept between runs (`--watch`), keyed by document id
/// and invalidated by the file's modification time and size.
#[derive(Default)]
pub struct Cache {
    entries: std::collections::HashMap<String, (Option<std::time::SystemTime>, u64, Loaded)>,
    /// How many files the last load read from disk (the rest came from the
    /// cache), and how many it considered.
    pub last_read: usize,
    pub last_total: usize,
    /// Keep the loaded documents for the next load (`--watch`). Off by
    /// default: a one-shot run would otherwise hold a second copy of the
    /// whole corpus.
    pub keep: bool,
}

impl Cache {
    /// A cache that keeps what it loads, for `--watch`.
    pub fn keeping() -> Self {
        Cache {
            keep: true,
            ..Default::default()
        }
    }
}

/// Encoding names are `&'static str` (from encoding_rs); map a cached name
/// back to one.
fn intern_encoding(name: &str) -> &'static str {
    match name {
        "pdf" => "pdf",
        "docx" => "docx",
        "odt" => "odt",
        "epub" => "epub",
        n if n.starts_with(ocr::ENCODING_PREFIX) => ocr::intern(n),
        "UTF-8 (BOM)" => "UTF-8 (BOM)",
        n => encoding_rs::Encoding::for_label(n.as_bytes()).map_or("UTF-8", |e| e.name()),
    }
}

fn stamp(path: &Path) -> (Option<std::time::SystemTime>, u64) {
    std::fs::metadata(path).map_or((None, 0), |m| (m.modified().ok(), m.len()))
}

/// How to read a corpus.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub extract: extract::ExtractOptions,
    /// Leave headings out (DOCX/HTML/Markdown headings are otherwise
    /// passages of their own).
    pub skip_headings: bool,
    /// Where extracted text of PDF, DOCX and HTML files is kept between
    /// runs, keyed by the file's SHA-256; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
}

/// Bump when extraction or repair changes, so old cache entries are not used.
const EXTRACT_VERSION: u32 = 1;

/// The default extraction cache: `$TANDA_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/tanda`, else `~/.cache/tanda`.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("TANDA_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("tanda"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("tanda"))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CachedExtraction {
    encoding: String,
    metadata: BTreeMap<String, String>,
    paragraphs: Vec<Paragraph>,
}

fn cache_path(dir: &Path, sha: &str, format: &str, opts: &LoadOptions) -> PathBuf {
    let enc = opts.extract.encoding.map_or("auto", |e| e.name());
    // OCR'd text depends on the engine's version and the languages.
    let ocr = match &opts.extract.ocr {
        Some(o) if format == "pdf" => format!("-{}", ocr::cache_key(o)),
        _ => String::new(),
    };
    dir.join(format!(
        "{sha}-{format}-v{EXTRACT_VERSION}-{enc}{ocr}{}.json",
        if opts.skip_headings { "-nohead" } else { "" }
    ))
}

/// Only formats whose parsing costs more than reading the cache are cached.
fn worth_caching(format: &str) -> bool {
    matches!(format, "pdf" | "docx" | "html" | "odt" | "rtf" | "epub")
}

/// The variable that says a document's language.
pub const LANGUAGE: &str = "language";

fn load_one(id: &str, path: &Path, extractor: &dyn Extractor, opts: &LoadOptions) -> Loaded {
    let skip = |reason: String| {
        Loaded::Skip(Skipped {
            id: id.to_string(),
            reason,
        })
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(format!("cannot read file: {e}")),
    };
    let sha256 = sha256_hex(&bytes);
    let cached = opts
        .cache_dir
        .as_deref()
        .filter(|_| worth_caching(extractor.format()))
        .map(|d| cache_path(d, &sha256, extractor.format(), opts));
    if let Some(p) = &cached
        && let Ok(b) = std::fs::read(p)
        && let Ok(c) = serde_json::from_slice::<CachedExtraction>(&b)
    {
        return Loaded::Doc(
            Document {
                id: id.to_string(),
                format: extractor.format(),
                encoding: intern_encoding(&c.encoding),
                bytes: bytes.len() as u64,
                sha256,
                metadata: Vec::new(),
                paragraphs: c.paragraphs,
            },
            c.metadata,
        );
    }
    let extracted = match extractor.extract(&bytes, &opts.extract) {
        Ok(x) => x,
        Err(e) => return skip(e.to_string()),
    };
    let mut paragraphs = if extracted.structured {
        normalize::structured(&extracted.lines)
    } else {
        normalize::paragraphs(&extracted.lines)
    };
    if opts.skip_headings {
        paragraphs.retain(|p| !p.heading);
    }
    if paragraphs.is_empty() {
        return skip(ExtractError::NoText.to_string());
    }
    if let Some(p) = &cached {
        // A cache that cannot be written only costs time: ignore failures.
        let entry = CachedExtraction {
            encoding: extracted.encoding.to_string(),
            metadata: extracted.metadata.clone(),
            paragraphs: paragraphs.clone(),
        };
        if let Some(dir) = p.parent()
            && std::fs::create_dir_all(dir).is_ok()
            && let Ok(json) = serde_json::to_vec(&entry)
            && let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir)
            && std::io::Write::write_all(&mut tmp, &json).is_ok()
        {
            let _ = tmp.persist(p);
        }
    }
    Loaded::Doc(
        Document {
            id: id.to_string(),
            format: extractor.format(),
            encoding: extracted.encoding,
            bytes: bytes.len() as u64,
            sha256,
            metadata: Vec::new(),
            paragraphs,
        },
        extracted.metadata,
    )
}

/// Load every document under `root` with default options.
pub fn load(root: &Path) -> Result<Corpus, Error> {
    load_cached(root, &LoadOptions::default(), &mut Cache::default())
}

/// The files of a corpus before any is read: what to read, what is skipped
/// or ignored by its extension, and the metadata sheet.
struct Scan {
    shown: String,
    sheet: Option<metadata::Sheet>,
    todo: Vec<(String, PathBuf, &'static dyn Extractor)>,
    skipped: Vec<Skipped>,
    ignored: Vec<String>,
}

fn scan(root: &Path) -> Result<Scan, Error> {
    let shown = root.display().to_string();
    if !root.exists() {
        return Err(Error::CorpusMissing { path: shown });
    }
    if !root.is_dir() {
        return Err(Error::CorpusNotDir { path: shown });
    }
    let sheet = metadata::read_sheet(root)?;
    let files = discover(root)?;

    let mut ignored = Vec::new();
    let mut todo = Vec::new();
    let mut skipped = Vec::new();
    for (id, path) in files {
        if sheet.as_ref().is_some_and(|s| s.name == id) {
            continue;
        }
        let ext = extension(&id);
        match extractor_for(&ext) {
            Some(x) => todo.push((id, path, x)),
            None if extract::is_known_unsupported(&ext) => skipped.push(Skipped {
                id,
                reason: format!(
                    ".{ext} files are not supported yet; convert to .txt to include it"
                ),
            }),
            None => ignored.push(id),
        }
    }
    Ok(Scan {
        shown,
        sheet,
        todo,
        skipped,
        ignored,
    })
}

/// Metadata variables: sheet order, then `source_type` if derived, then
/// front-matter keys not in the sheet (in document order), then `language`.
fn fields_of<'a>(
    sheet: Option<&metadata::Sheet>,
    fronts: impl Iterator<Item = &'a BTreeMap<String, String>>,
) -> Vec<String> {
    let mut fields: Vec<String> = sheet.map(|s| s.fields.clone()).unwrap_or_default();
    if !fields.iter().any(|f| f == SOURCE_TYPE) {
        fields.push(SOURCE_TYPE.to_string());
    }
    for fm in fronts {
        for k in fm.keys() {
            if !fields.contains(k) {
                fields.push(k.clone());
            }
        }
    }
    if !fields.iter().any(|f| f == LANGUAGE) {
        fields.push(LANGUAGE.to_string());
    }
    fields
}

/// Give `doc` its metadata values: the sheet's row, then front matter, then
/// the first folder as `source_type`. The language guess is left to the
/// caller (it reads the whole text). Returns whether the sheet has a row for
/// the document.
fn assign_metadata(
    doc: &mut Document,
    fm: &BTreeMap<String, String>,
    sheet: Option<&metadata::Sheet>,
    fields: &[String],
) -> bool {
    let st = fields.iter().position(|f| f == SOURCE_TYPE).unwrap_or(0);
    let mut values = vec![String::new(); fields.len()];
    let mut listed = true;
    if let Some(sheet) = sheet {
        match sheet.rows.get(&doc.id) {
            Some((row, _)) => {
                for (i, v) in row.iter().enumerate() {
                    values[i].clone_from(v);
                }
            }
            None => listed = false,
        }
    }
    for (k, v) in fm {
        if let Some(i) = fields.iter().position(|f| f == k)
            && values[i].is_empty()
        {
            values[i].clone_from(v);
        }
    }
    if values[st].is_empty()
        && let Some((folder, _)) = doc.id.split_once('/')
    {
        values[st] = folder.to_string();
    }
    doc.metadata = values;
    listed
}

/// Guess the language of a document whose metadata does not give one.
fn fill_language(doc: &mut Document, fields: &[String]) {
    if let Some(lang) = fields.iter().position(|f| f == LANGUAGE)
        && doc.metadata[lang].is_empty()
    {
        doc.metadata[lang] = detect_language(&doc.paragraphs).to_string();
    }
}

/// The sheet's own warnings, documents without a row, and rows naming no
/// document.
///
/// `unlisted` counts the documents without a row; `shown` holds the first
/// few of them (the message names three).
fn sheet_warnings(
    sheet: &metadata::Sheet,
    unlisted: usize,
    shown: &[String],
    known: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut warnings = sheet.warnings.clone();
    if unlisted > 0 {
        let shown_ids: Vec<&str> = shown.iter().take(3).map(String::as_str).collect();
        warnings.push(format!(
            "{}: {} document(s) have no row ({}{}); their metadata is empty",
            sheet.name,
            unlisted,
            shown_ids.join(", "),
            if unlisted > 3 { ", ..." } else { "" }
        ));
    }
    for (path, (_, line)) in &sheet.rows {
        if !known(path) {
            warnings.push(format!(
                "{}:{line}: names `{path}`, which is not a document in the corpus",
                sheet.name
            ));
        }
    }
    warnings
}

fn empty_corpus(shown: String, skipped: usize, ignored: usize) -> Error {
    let detail = if skipped == 0 && ignored == 0 {
        String::new()
    } else {
        format!(" ({skipped} skipped, {ignored} with other extensions)")
    };
    Error::CorpusEmpty {
        path: shown,
        detail,
    }
}

/// Load every document under `root`, re-reading only files whose time or
/// size changed since they went into `cache`.
pub fn load_cached(root: &Path, opts: &LoadOptions, cache: &mut Cache) -> Result<Corpus, Error> {
    let Scan {
        shown,
        sheet,
        todo,
        mut skipped,
        ignored,
    } = scan(root)?;

    let stamps: Vec<(Option<std::time::SystemTime>, u64)> =
        todo.iter().map(|(_, p, _)| stamp(p)).collect();
    let loaded: Vec<Loaded> = todo
        .par_iter()
        .zip(&stamps)
        .map(|((id, path, x), st)| match cache.entries.get(id) {
            Some((t, len, l)) if st.0.is_some() && (*t, *len) == *st => l.clone(),
            _ => load_one(id, path, *x, opts),
        })
        .collect();
    cache.last_read = todo
        .iter()
        .zip(&stamps)
        .filter(|((id, _, _), st)| {
            !matches!(cache.entries.get(id), Some((t, len, _)) if st.0.is_some() && (*t, *len) == **st)
        })
        .count();
    cache.last_total = todo.len();
    if cache.keep {
        cache.entries = todo
            .iter()
            .zip(stamps)
            .zip(&loaded)
            .map(|(((id, _, _), (t, len)), l)| (id.clone(), (t, len, l.clone())))
            .collect();
    }

    let mut docs = Vec::new();
    let mut front: Vec<BTreeMap<String, String>> = Vec::new();
    for l in loaded {
        match l {
            Loaded::Doc(d, fm) => {
                docs.push(d);
                front.push(fm);
            }
            Loaded::Skip(s) => skipped.push(s),
        }
    }
    skipped.sort_by(|a, b| a.id.cmp(&b.id));

    if docs.is_empty() {
        return Err(empty_corpus(shown, skipped.len(), ignored.len()));
    }

    let fields = fields_of(sheet.as_ref(), front.iter());
    let mut unlisted = Vec::new();
    for (doc, fm) in docs.iter_mut().zip(&front) {
        if !assign_metadata(doc, fm, sheet.as_ref(), &fields) {
            unlisted.push(doc.id.clone());
        }
    }
    // The guess reads every paragraph's characters: done in parallel.
    docs.par_iter_mut().for_each(|d| fill_language(d, &fields));
    let warnings = match &sheet {
        Some(sheet) => sheet_warnings(sheet, unlisted.len(), &unlisted, |path| {
            docs.iter().any(|d| d.id == path) || skipped.iter().any(|s| s.id == path)
        }),
        None => vec![metadata::no_sheet_warning(&shown)],
    };

    Ok(Corpus {
        root: shown,
        documents: docs,
        skipped,
        ignored,
        fields,
        warnings,
    })
}

/// A corpus read a chunk of files at a time, so that memory is bounded by
/// the chunk rather than the corpus (`tanda analyze`). Documents come out in
/// the same order, with the same metadata, as from [`load_cached`].
pub struct CorpusStream {
    scan: Scan,
    opts: LoadOptions,
    /// Metadata variables (see [`Corpus::fields`]).
    pub fields: Vec<String>,
    next: usize,
    /// File sizes, for progress.
    sizes: Vec<u64>,
    /// Documents read so far. Per-document state grows with the corpus, so
    /// only what the sheet's warnings need is kept: the documents the sheet
    /// names, and the number (and first few) of those it does not.
    loaded: usize,
    loaded_in_sheet: std::collections::HashSet<String>,
    unlisted: usize,
    unlisted_shown: Vec<String>,
    /// Files skipped so far (unsupported extensions first, then as read).
    pub skipped: Vec<Skipped>,
}

/// What is known once every file of a [`CorpusStream`] has been read.
pub struct StreamEnd {
    pub root: String,
    pub skipped: Vec<Skipped>,
    pub ignored: Vec<String>,
    pub fields: Vec<String>,
    pub warnings: Vec<String>,
}

/// Open `root` for streaming. Front-matter keys become metadata variables,
/// so Markdown files (and only those) are read once ahead to learn them.
pub fn stream(root: &Path, opts: &LoadOptions) -> Result<CorpusStream, Error> {
    let scan = scan(root)?;
    let fronts: Vec<BTreeMap<String, String>> = scan
        .todo
        .par_iter()
        .filter(|(_, _, x)| x.format() == "md")
        .map(|(id, path, x)| match load_one(id, path, *x, opts) {
            Loaded::Doc(_, fm) => fm,
            Loaded::Skip(_) => BTreeMap::new(),
        })
        .collect();
    let fields = fields_of(scan.sheet.as_ref(), fronts.iter());
    let skipped = scan.skipped.clone();
    let sizes = scan.todo.iter().map(|(_, p, _)| stamp(p).1).collect();
    Ok(CorpusStream {
        scan,
        opts: opts.clone(),
        fields,
        next: 0,
        sizes,
        loaded: 0,
        loaded_in_sheet: Default::default(),
        unlisted: 0,
        unlisted_shown: Vec::new(),
        skipped,
    })
}

impl CorpusStream {
    /// The root as given by the user.
    pub fn root(&self) -> &str {
        &self.scan.shown
    }

    /// Files not read yet.
    pub fn remaining(&self) -> usize {
        self.scan.todo.len() - self.next
    }

    /// Files to read in all, and how many have been read.
    pub fn files(&self) -> (usize, usize) {
        (self.scan.todo.len(), self.next)
    }

    /// Bytes to read in all (file sizes when the stream was opened), and
    /// how many have been read.
    pub fn bytes(&self) -> (u64, u64) {
        (
            self.sizes.iter().sum(),
            self.sizes[..self.next].iter().sum(),
        )
    }

    /// Read the next `n` files in parallel and hand each document (metadata
    /// filled in) to `f`, also in parallel. Results are in file order; a
    /// file that cannot be read comes back as its [`Skipped`] (and is kept
    /// for [`CorpusStream::finish`]).
    pub fn next_chunk<T: Send>(
        &mut self,
        n: usize,
        f: impl Fn(Document) -> T + Sync,
    ) -> Vec<Result<T, Skipped>> {
        let end = (self.next + n).min(self.scan.todo.len());
        let files = &self.scan.todo[self.next..end];
        self.next = end;
        let (sheet, fields, opts) = (self.scan.sheet.as_ref(), &self.fields, &self.opts);
        let out: Vec<Result<(T, String, bool), Skipped>> = files
            .par_iter()
            .map(|(id, path, x)| match load_one(id, path, *x, opts) {
                Loaded::Doc(mut d, fm) => {
                    let listed = assign_metadata(&mut d, &fm, sheet, fields);
                    fill_language(&mut d, fields);
                    let id = d.id.clone();
                    Ok((f(d), id, listed))
                }
                Loaded::Skip(s) => Err(s),
            })
            .collect();
        out.into_iter()
            .map(|r| match r {
                Ok((t, id, listed)) => {
                    self.loaded += 1;
                    if !listed {
                        self.unlisted += 1;
                        if self.unlisted_shown.len() < 3 {
                            self.unlisted_shown.push(id.clone());
                        }
                    }
                    if self
                        .scan
                        .sheet
                        .as_ref()
                        .is_some_and(|sh| sh.rows.contains_key(&id))
                    {
                        self.loaded_in_sheet.insert(id);
                    }
                    Ok(t)
                }
                Err(s) => {
                    self.skipped.push(s.clone());
                    Err(s)
                }
            })
            .collect()
    }

    /// Finish reading: the skipped files (sorted), ignored files, metadata
    /// warnings; an error when no document could be read.
    pub fn finish(mut self) -> Result<StreamEnd, Error> {
        self.skipped.sort_by(|a, b| a.id.cmp(&b.id));
        if self.loaded == 0 {
            return Err(empty_corpus(
                self.scan.shown,
                self.skipped.len(),
                self.scan.ignored.len(),
            ));
        }
        let warnings = match &self.scan.sheet {
            Some(sheet) => sheet_warnings(sheet, self.unlisted, &self.unlisted_shown, |path| {
                self.loaded_in_sheet.contains(path) || self.skipped.iter().any(|s| s.id == path)
            }),
            None => vec![metadata::no_sheet_warning(&self.scan.shown)],
        };
        Ok(StreamEnd {
            root: self.scan.shown,
            skipped: self.skipped,
            ignored: self.scan.ignored,
            fields: self.fields,
            warnings,
        })
    }
}
