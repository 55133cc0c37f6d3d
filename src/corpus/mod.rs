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
pub mod pdf;
mod pdf_layout;
pub mod read;
mod rtf;
pub mod segment;
pub mod table_corpus;

#[cfg(test)]
mod inputs_tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::hash::sha256_hex;
pub use extract::{ExtractError, Extractor, extractor_for};
pub use language::detect_language;
pub use normalize::Paragraph;
pub use segment::{Passage, PassageId, Segmented, Segmenter, Unit, segment};
pub use table_corpus::TableOptions;

/// The variable derived from the first folder when the sheet does not give it.
pub const SOURCE_TYPE: &str = "source_type";

/// One readable document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the corpus root, `/`-separated.
    pub id: String,
    /// The reader that extracted it (`txt`, `md`, `pdf`, `docx`, ...).
    pub format: &'static str,
    /// The encoding its bytes were decoded from (`UTF-8`, `windows-1252`,
    /// ...), or the container format (`pdf`, `docx`, ...).
    pub encoding: &'static str,
    /// File size in bytes (for a spreadsheet row: its text's size).
    pub bytes: u64,
    /// SHA-256 of the file's bytes, hex (for a spreadsheet row: of its text).
    pub sha256: String,
    /// Values aligned to [`Corpus::fields`]; empty string when missing.
    pub metadata: Vec<String>,
    /// The text, as repaired paragraphs in document order.
    pub paragraphs: Vec<Paragraph>,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    /// Path relative to the corpus root (or `SHEET#rowN` for a spreadsheet
    /// row).
    pub id: String,
    /// Why it was not read, and what to do.
    pub reason: String,
}

/// A loaded corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The root as given by the user.
    pub root: String,
    /// Every document read, in corpus order.
    pub documents: Vec<Document>,
    /// Files (or rows) not read, and why.
    pub skipped: Vec<Skipped>,
    /// Files with extensions tanda does not read (not documents).
    pub ignored: Vec<String>,
    /// Metadata variable names, sheet order, then `source_type` if derived,
    /// then front-matter keys not in the sheet.
    pub fields: Vec<String>,
    /// Where each of [`Corpus::fields`] comes from, for messages (see
    /// `field_origins`).
    pub field_origins: Vec<String>,
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
/// folders not followed (no loops), folders tanda wrote (results) not
/// entered, sorted by relative path. Also returns those folders' ids.
fn discover(root: &Path) -> Result<Found, Error> {
    let mut out = Vec::new();
    let mut tanda_dirs = Vec::new();
    let mut unreadable = Vec::new();
    let mut bad_names = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if dir == root => {
                return Err(Error::CorpusRead {
                    path: dir.display().to_string(),
                    source: e,
                });
            }
            // One folder that cannot be read (permissions, a path longer
            // than the system allows) is reported; the rest is read.
            Err(e) => {
                let rel = dir.strip_prefix(root).unwrap_or(&dir);
                unreadable.push(Skipped {
                    id: format!("{}/", rel.display()),
                    reason: format!(
                        "cannot read this folder ({e}); its files are left out. Check its permissions, or move it to a shorter path"
                    ),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<(String, bool)> =
                rel.components().map(|c| id_part(c.as_os_str())).collect();
            let id = parts
                .iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join("/");
            if parts.last().is_some_and(|p| p.1) {
                bad_names.push(id.clone());
            }
            if ft.is_dir() {
                // Results are never read as documents: a run would count
                // its own report.
                if crate::outdir::is_tanda_folder(&path) {
                    tanda_dirs.push(id);
                } else {
                    stack.push(path);
                }
            } else if ft.is_file() || (ft.is_symlink() && path.is_file()) {
                out.push((id, path));
            }
        }
    }
    out.sort();
    tanda_dirs.sort();
    unreadable.sort_by(|a, b| a.id.cmp(&b.id));
    bad_names.sort();
    Ok(Found {
        files: out,
        tanda_dirs,
        unreadable,
        bad_names,
    })
}

/// One part of a document id: the file or folder name, with each byte that
/// is not UTF-8 written `\xHH` (so two names that differ only in such bytes
/// get two ids, and the id says which bytes the name holds), and whether
/// any was.
fn id_part(name: &std::ffi::OsStr) -> (String, bool) {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        let mut bad = false;
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
                bad = true;
            }
        }
        (out, bad)
    }
    #[cfg(not(unix))]
    {
        let s = name.to_string_lossy();
        let bad = matches!(s, std::borrow::Cow::Owned(_));
        (s.into_owned(), bad)
    }
}

/// The warning for files and folders whose names are not valid UTF-8.
fn bad_name_warnings(shown: &str, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            format!(
                "{}: the name is not valid UTF-8; its id writes the bad bytes as \\xHH. Rename the file so that ids and metadata rows match it",
                Path::new(shown).join(id).display()
            )
        })
        .collect()
}

/// What [`discover`] finds: candidate files (id, path), and the ids of
/// folders tanda wrote, which it did not enter.
struct Found {
    files: Vec<(String, PathBuf)>,
    tanda_dirs: Vec<String>,
    /// Folders that could not be listed, as skipped items.
    unreadable: Vec<Skipped>,
    /// Ids of names that are not valid UTF-8 (see [`id_part`]).
    bad_names: Vec<String>,
}

/// The warning for each results folder found inside a corpus.
fn tanda_dir_warnings(shown: &str, dirs: &[String]) -> Vec<String> {
    dirs.iter()
        .map(|d| {
            format!(
                "{}: a folder tanda wrote (results, with run.json or report.json): not read as documents",
                Path::new(shown).join(d).display()
            )
        })
        .collect()
}

fn extension(id: &str) -> String {
    Path::new(id)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// A file read: the document, its front matter and the reader's warnings
/// (without the file name), or why it was skipped.
#[derive(Clone)]
enum Loaded {
    Doc(Document, BTreeMap<String, String>, Vec<String>),
    Skip(Skipped),
}

/// A reader's warnings about document `id`, each naming the file.
fn file_warnings<'a>(
    root: &'a str,
    id: &'a str,
    warnings: &'a [String],
) -> impl Iterator<Item = String> + 'a {
    warnings
        .iter()
        .map(move |w| format!("{}: {w}", Path::new(root).join(id).display()))
}

/// Extracted documents kept between runs (`--watch`), keyed by document id
/// and invalidated by the file's modification time and size.
#[derive(Default)]
pub struct Cache {
    entries: std::collections::HashMap<String, (Option<std::time::SystemTime>, u64, Loaded)>,
    /// How many files the last load read from disk (the rest came from the
    /// cache), and how many it considered.
    pub last_read: usize,
    /// How many files the last load considered.
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
    /// How file bytes become text (encoding, limits, OCR, ...).
    pub extract: extract::ExtractOptions,
    /// Leave headings out (DOCX/HTML/Markdown headings are otherwise
    /// passages of their own).
    pub skip_headings: bool,
    /// Where extracted text of PDF, DOCX and HTML files is kept between
    /// runs, keyed by the file's SHA-256; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// The text and id columns of a corpus given as one spreadsheet.
    pub table: TableOptions,
    /// Leave out what only some outputs show: the SHA-256 of a document
    /// (run.json's record; still taken where the extraction cache needs
    /// it) and the guess of its language where the metadata give none
    /// (the `language` variable stays empty). For runs that print tables
    /// not grouped by language: the guess and the hash were a tenth of
    /// the table job.
    pub lean: bool,
}

/// Bump when extraction or repair changes, so old cache entries are not used.
const EXTRACT_VERSION: u32 = 6;

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
    #[serde(default)]
    warnings: Vec<String>,
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
    let limits = opts.extract.limits;
    let bytes = match read::read_bounded(path, limits.file_mb(extractor.format()), &extension(id)) {
        Ok(b) => b,
        Err(e) => return skip(e.to_string()),
    };
    // The hash keys the extraction cache; without it, only run.json shows it.
    let cacheable = opts.cache_dir.is_some() && worth_caching(extractor.format());
    let sha256 = if opts.lean && !cacheable {
        String::new()
    } else {
        sha256_hex(&bytes)
    };
    let cached = opts
        .cache_dir
        .as_deref()
        .filter(|_| cacheable)
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
            c.warnings,
        );
    }
    let extracted = match extractor.extract(&bytes, &opts.extract).and_then(|x| {
        limits
            .check_text(x.lines.iter().map(|l| l.text.len()).sum())
            .map(|()| x)
    }) {
        Ok(x) => x,
        Err(e) => return skip(e.to_string()),
    };
    // The file's bytes are not needed past this point.
    let size = bytes.len() as u64;
    drop(bytes);
    let mut paragraphs = if extracted.structured {
        normalize::structured(&extracted.lines)
    } else {
        normalize::paragraphs(&extracted.lines)
    };
    if extractor.format() == "txt" {
        paragraphs = mark_text_headings(paragraphs);
    }
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
            warnings: extracted.warnings.clone(),
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
            bytes: size,
            sha256,
            metadata: Vec::new(),
            paragraphs,
        },
        extracted.metadata,
        extracted.warnings,
    )
}

/// Longest one-line paragraph of a text file taken for a heading.
const HEADING_WORDS: usize = 12;
const HEADING_CHARS: usize = 80;

/// A short line that does not end like a sentence or a clause.
fn short_title(t: &str, words: usize, chars: usize) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars().count() <= chars
        && t.split_whitespace().count() <= words
        && t.chars().any(char::is_alphabetic)
        && !t.ends_with([
            '.', ',', ';', ':', '!', '?', '…', '"', '”', '’', '\'', ')', '-', '–', '—',
        ])
}

/// `1. Introduction`, `2.3 Methods`, `IV. Findings`, `B. Scope`.
fn numbered_heading(line: &str) -> bool {
    static RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+\p{Lu}").ok()
    });
    RE.as_ref().is_some_and(|re| re.is_match(line.trim_start()))
}

/// Mark the headings of a plain-text file, which has no markup for them: a
/// short line standing alone between blank lines that does not end like a
/// sentence (`Findings`, `Chapter 2: Method`), and a numbered heading
/// (`2. Method`) even when the text follows on the next line without a blank
/// one (it is cut off as a paragraph of its own).
pub fn mark_text_headings(paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    let mut out = Vec::with_capacity(paragraphs.len());
    for mut p in paragraphs {
        if p.lines.len() == 1 {
            p.heading |= short_title(&p.text, HEADING_WORDS, HEADING_CHARS);
            out.push(p);
            continue;
        }
        let second = p.lines.get(1).map_or(p.text.len(), |l| l.0);
        let third = p.lines.get(2).map_or(p.text.len(), |l| l.0);
        let (first, next) = (
            p.text.get(..second).unwrap_or(""),
            p.text.get(second..third).unwrap_or(""),
        );
        let split = !p.heading
            && numbered_heading(first)
            && short_title(first, 8, 60)
            && next
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && first.trim().chars().count() * 10 < next.trim().chars().count() * 6;
        if !split {
            out.push(p);
            continue;
        }
        out.push(Paragraph {
            text: first.trim_end().to_string(),
            lines: vec![p.lines[0]],
            heading: true,
        });
        out.push(Paragraph {
            text: p.text[second..].to_string(),
            lines: p.lines[1..].iter().map(|&(o, l)| (o - second, l)).collect(),
            heading: false,
        });
    }
    out
}

/// The kind of reason a file was skipped, for the one-line summary:
/// `scanned PDF`, `.doc` (a format tanda does not read, by extension),
/// `password-protected`, `empty`, `binary`, `too large`, `wrong encoding`,
/// `unreadable` (the file could not be opened) or `damaged` (the rest).
pub fn skip_kind(s: &Skipped) -> String {
    let r = s.reason.as_str();
    let kind = if r.contains("no text layer") {
        "scanned PDF"
    } else if r.contains("files are not supported yet") {
        let ext = extension(&s.id);
        return if ext.is_empty() {
            "unsupported format".into()
        } else {
            format!(".{ext}")
        };
    } else if r.contains("password-protected") {
        "password-protected"
    } else if r == ExtractError::Empty.to_string()
        || r == ExtractError::NoText.to_string()
        || r == table_corpus::EMPTY_CELL
    {
        "empty"
    } else if r == ExtractError::Binary.to_string() {
        "binary"
    } else if r.contains("--max-doc-mb") {
        "too large"
    } else if r.starts_with("not valid ") {
        "wrong encoding"
    } else if r.starts_with("cannot read file")
        || r.starts_with("cannot read the sheet")
        || r.starts_with("cannot read this folder")
        || r.starts_with("not a regular file")
    {
        "unreadable"
    } else {
        "damaged"
    };
    kind.to_string()
}

/// Skipped files counted by kind, most common first: `1 scanned PDF, 2 .doc`
/// reads `2 .doc, 1 scanned PDF`. Empty when nothing was skipped.
pub fn skip_summary(skipped: &[Skipped]) -> String {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for s in skipped {
        *by.entry(skip_kind(s)).or_default() += 1;
    }
    let mut kinds: Vec<(String, usize)> = by.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    kinds
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The files a results folder's run.json lists as skipped (none when it
/// cannot be read: the caller reads run.json for everything else and says
/// so).
pub fn skipped_in_results(dir: &Path) -> Vec<Skipped> {
    let Ok(bytes) = std::fs::read(dir.join("run.json")) else {
        return Vec::new();
    };
    let Ok(run) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Vec::new();
    };
    run["corpus"]["skipped"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| Skipped {
                    id: s["id"].as_str().unwrap_or_default().to_string(),
                    reason: s["reason"].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
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
    /// Folders tanda wrote, not entered (see [`discover`]).
    tanda_dirs: Vec<String>,
    /// Names that are not valid UTF-8 (see [`id_part`]).
    bad_names: Vec<String>,
}

fn scan(root: &Path) -> Result<Scan, Error> {
    let shown = root.display().to_string();
    if !root.exists() {
        return Err(Error::CorpusMissing { path: shown });
    }
    if !root.is_dir() {
        return Err(Error::CorpusNotDir { path: shown });
    }
    if crate::outdir::is_tanda_folder(root) {
        return Err(Error::Input {
            path: shown,
            message: "is a results folder tanda wrote (it holds run.json or report.json), not a corpus; give the folder of the documents".into(),
        });
    }
    let sheet = metadata::read_sheet(root)?;
    let Found {
        files,
        tanda_dirs,
        unreadable,
        bad_names,
    } = discover(root)?;

    let mut ignored = Vec::new();
    let mut todo = Vec::new();
    let mut skipped = unreadable;
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
        tanda_dirs,
        bad_names,
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

/// Where each metadata variable comes from, aligned to `fields`: the
/// sheet (its path), else the first Markdown file whose front matter has
/// it, else empty (derived: `source_type`, `language`).
fn field_origins<'a>(
    root: &str,
    fields: &[String],
    sheet: Option<&metadata::Sheet>,
    mut fronts: impl Iterator<Item = (&'a str, &'a BTreeMap<String, String>)>,
) -> Vec<String> {
    let mut out: Vec<String> = fields
        .iter()
        .map(|f| match sheet {
            Some(sh) if sh.fields.contains(f) => {
                Path::new(root).join(&sh.name).display().to_string()
            }
            _ => String::new(),
        })
        .collect();
    let mut left = out.iter().filter(|o| o.is_empty()).count();
    while left > 0 {
        let Some((id, fm)) = fronts.next() else { break };
        for (i, f) in fields.iter().enumerate() {
            if out[i].is_empty() && fm.contains_key(f) {
                out[i] = format!("front matter of {}", Path::new(root).join(id).display());
                left -= 1;
            }
        }
    }
    out
}

/// Metadata variables renamed because a result file has a column of the
/// same name (see [`rename_fields`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renamed {
    /// The variables, renamed ones as `meta:NAME`, aligned to the original.
    pub fields: Vec<String>,
    /// (original name, new name) for each variable renamed.
    pub renames: Vec<(String, String)>,
    /// One warning per renamed variable, naming it, where it comes from
    /// and its new name.
    pub warnings: Vec<String>,
}

/// The prefix of a metadata variable renamed by [`rename_fields`].
pub const META_PREFIX: &str = "meta:";

/// Rename the metadata variables named like a column tanda writes beside
/// them (`taken`: `words`, `text`, a category id …) to `meta:NAME`, so a
/// result file never has two columns of one name: a reader (`tanda report`,
/// a spreadsheet, R) takes the first, and a `words` variable read as the
/// word count gives a wrong rate. `origins` (aligned to `fields`) says
/// where each comes from, for the warning.
pub fn rename_fields(
    fields: &[String],
    origins: &[String],
    taken: impl Fn(&str) -> bool,
) -> Renamed {
    let mut out = Renamed {
        fields: fields.to_vec(),
        ..Renamed::default()
    };
    for (i, name) in fields.iter().enumerate() {
        if !taken(name) {
            continue;
        }
        let mut new = format!("{META_PREFIX}{name}");
        while taken(&new) || out.fields.contains(&new) {
            new.insert_str(0, META_PREFIX);
        }
        let from = match origins.get(i).map(String::as_str) {
            Some("") | None => String::new(),
            Some(o) => format!(" (from {o})"),
        };
        out.warnings.push(format!(
            "metadata field `{name}`{from} has the name of a column tanda writes; it is written `{new}` in the results (use --by {new})"
        ));
        out.renames.push((name.clone(), new.clone()));
        out.fields[i] = new;
    }
    out
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
    if table_corpus::is_table_file(root)
        || opts.table.text_column.is_some()
        || opts.table.id_column.is_some()
    {
        return load_streamed(root, opts);
    }
    let Scan {
        shown,
        sheet,
        todo,
        mut skipped,
        ignored,
        tanda_dirs,
        bad_names,
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
    let mut warnings = Vec::new();
    for l in loaded {
        match l {
            Loaded::Doc(d, fm, w) => {
                warnings.extend(file_warnings(&shown, &d.id, &w));
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
    let field_origins = field_origins(
        &shown,
        &fields,
        sheet.as_ref(),
        docs.iter().map(|d| d.id.as_str()).zip(&front),
    );
    let mut unlisted = Vec::new();
    for (doc, fm) in docs.iter_mut().zip(&front) {
        if !assign_metadata(doc, fm, sheet.as_ref(), &fields) {
            unlisted.push(doc.id.clone());
        }
    }
    // The guess reads every paragraph's characters: done in parallel.
    docs.par_iter_mut().for_each(|d| fill_language(d, &fields));
    warnings.extend(bad_name_warnings(&shown, &bad_names));
    warnings.extend(tanda_dir_warnings(&shown, &tanda_dirs));
    warnings.extend(match &sheet {
        Some(sheet) => sheet_warnings(sheet, unlisted.len(), &unlisted, |path| {
            docs.iter().any(|d| d.id == path) || skipped.iter().any(|s| s.id == path)
        }),
        None => vec![metadata::no_sheet_warning(&shown)],
    });

    Ok(Corpus {
        root: shown,
        documents: docs,
        skipped,
        ignored,
        fields,
        field_origins,
        warnings,
    })
}

/// Load a corpus whole through [`stream`] (a spreadsheet corpus: there is
/// nothing to cache).
fn load_streamed(root: &Path, opts: &LoadOptions) -> Result<Corpus, Error> {
    let mut s = stream(root, opts)?;
    let mut documents = Vec::new();
    while s.remaining() > 0 {
        documents.extend(s.next_chunk(256, |d| d).into_iter().flatten());
    }
    let field_origins = s.field_origins.clone();
    let end = s.finish()?;
    Ok(Corpus {
        root: end.root,
        documents,
        skipped: end.skipped,
        ignored: end.ignored,
        fields: end.fields,
        field_origins,
        warnings: end.warnings,
    })
}

/// Run `work` (read and code a file of `size` bytes, its size when the
/// stream was opened) holding the one lock for large files when the file
/// is large: what a document costs in memory
/// grows with its size (up to about 20 times its text for one long
/// paragraph), so two large documents are never in memory at once and a
/// run's peak stays near one document's cost, whatever the thread count.
/// "Large" is an eighth of the text limit (2 MB by default); smaller files
/// run in parallel as before. Nothing inside `work` takes the lock again.
fn one_large_at_a_time<R>(size: u64, opts: &LoadOptions, work: impl FnOnce() -> R) -> R {
    static LARGE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    if size > opts.extract.limits.text_bytes() / 8 {
        let _guard = LARGE.lock().unwrap_or_else(|e| e.into_inner());
        work()
    } else {
        work()
    }
}

/// Where a [`CorpusStream`] reads from.
enum Source {
    Folder(Box<Scan>),
    Table(Box<table_corpus::TableSource>),
}

/// A corpus read a chunk of files at a time, so that memory is bounded by
/// the chunk rather than the corpus (`tanda analyze`). Documents come out in
/// the same order, with the same metadata, as from [`load_cached`]. A
/// corpus given as one spreadsheet is read a chunk of rows at a time.
pub struct CorpusStream {
    source: Source,
    opts: LoadOptions,
    /// Metadata variables (see [`Corpus::fields`]).
    pub fields: Vec<String>,
    /// Where each of `fields` comes from (see [`Corpus::field_origins`]).
    pub field_origins: Vec<String>,
    next: usize,
    /// File sizes, for progress.
    sizes: Vec<u64>,
    /// File modification times (with the sizes: [`CorpusStream::fingerprint`]).
    mtimes: Vec<Option<std::time::SystemTime>>,
    /// Documents read so far. Per-document state grows with the corpus, so
    /// only what the sheet's warnings need is kept: the documents the sheet
    /// names, and the number (and first few) of those it does not.
    loaded: usize,
    loaded_in_sheet: std::collections::HashSet<String>,
    unlisted: usize,
    unlisted_shown: Vec<String>,
    /// The readers' warnings so far, each naming its file.
    read_warnings: Vec<String>,
    /// Files skipped so far (unsupported extensions first, then as read).
    pub skipped: Vec<Skipped>,
}

/// What is known once every file of a [`CorpusStream`] has been read.
pub struct StreamEnd {
    /// The root as given by the user.
    pub root: String,
    /// Files (or rows) not read, and why.
    pub skipped: Vec<Skipped>,
    /// Files with extensions tanda does not read (not documents).
    pub ignored: Vec<String>,
    /// Metadata variable names (see [`Corpus::fields`]).
    pub fields: Vec<String>,
    /// Non-fatal problems, each naming its file.
    pub warnings: Vec<String>,
}

/// Open `root` for streaming: a folder of documents, or one spreadsheet
/// (.csv, .tsv, .xlsx) with a document per row. Front-matter keys become
/// metadata variables, so Markdown files (and only those) are read once
/// ahead to learn them.
pub fn stream(root: &Path, opts: &LoadOptions) -> Result<CorpusStream, Error> {
    if table_corpus::is_table_file(root) {
        let table = table_corpus::open(root, &opts.table, opts.extract.encoding)?;
        let mut fields = table.fields.clone();
        if !fields.iter().any(|f| f == LANGUAGE) {
            fields.push(LANGUAGE.to_string());
        }
        let field_origins = fields
            .iter()
            .map(|f| {
                if table.fields.contains(f) {
                    table.shown.clone()
                } else {
                    String::new()
                }
            })
            .collect();
        return Ok(CorpusStream {
            field_origins,
            sizes: vec![table.bytes],
            mtimes: vec![stamp(root).0],
            source: Source::Table(Box::new(table)),
            opts: opts.clone(),
            fields,
            next: 0,
            loaded: 0,
            loaded_in_sheet: Default::default(),
            unlisted: 0,
            unlisted_shown: Vec::new(),
            read_warnings: Vec::new(),
            skipped: Vec::new(),
        });
    }
    if opts.table.text_column.is_some() || opts.table.id_column.is_some() {
        let shown = root.display().to_string();
        return Err(Error::Input {
            message: if root.is_dir() {
                "--text-column and --id-column are for a corpus given as one spreadsheet (.csv, .tsv or .xlsx); this is a folder of documents".into()
            } else {
                "--text-column needs a .csv, .tsv or .xlsx file".into()
            },
            path: shown,
        });
    }
    let scan = scan(root)?;
    let fronts: Vec<(&str, BTreeMap<String, String>)> = scan
        .todo
        .par_iter()
        .filter(|(_, _, x)| x.format() == "md")
        .map(|(id, path, x)| match load_one(id, path, *x, opts) {
            Loaded::Doc(_, fm, _) => (id.as_str(), fm),
            Loaded::Skip(_) => (id.as_str(), BTreeMap::new()),
        })
        .collect();
    let fields = fields_of(scan.sheet.as_ref(), fronts.iter().map(|f| &f.1));
    let field_origins = field_origins(
        &scan.shown,
        &fields,
        scan.sheet.as_ref(),
        fronts.iter().map(|(id, fm)| (*id, fm)),
    );
    drop(fronts);
    let skipped = scan.skipped.clone();
    let (mtimes, sizes) = scan.todo.iter().map(|(_, p, _)| stamp(p)).unzip();
    Ok(CorpusStream {
        mtimes,
        source: Source::Folder(Box::new(scan)),
        opts: opts.clone(),
        fields,
        field_origins,
        next: 0,
        sizes,
        loaded: 0,
        loaded_in_sheet: Default::default(),
        unlisted: 0,
        unlisted_shown: Vec::new(),
        read_warnings: Vec::new(),
        skipped,
    })
}

/// A spreadsheet row's text made into a document: read as a plain-text
/// file would be (paragraphs at blank lines, headings marked).
fn row_document(
    row: table_corpus::RowDoc,
    (format, encoding): (&'static str, &'static str),
    fields: &[String],
    opts: &LoadOptions,
) -> Result<Document, Skipped> {
    let skip = |reason: String| Skipped {
        id: row.id.clone(),
        reason,
    };
    let lines = extract::split_lines(&row.text);
    let mut paragraphs = mark_text_headings(normalize::paragraphs(&lines));
    if opts.skip_headings {
        paragraphs.retain(|p| !p.heading);
    }
    if paragraphs.is_empty() {
        return Err(skip(ExtractError::NoText.to_string()));
    }
    let mut metadata = row.metadata;
    metadata.resize(fields.len(), String::new());
    let mut doc = Document {
        format,
        encoding,
        bytes: row.text.len() as u64,
        sha256: if opts.lean {
            String::new()
        } else {
            sha256_hex(row.text.as_bytes())
        },
        metadata,
        paragraphs,
        id: row.id,
    };
    if !opts.lean {
        fill_language(&mut doc, fields);
    }
    Ok(doc)
}

impl CorpusStream {
    /// The root as given by the user.
    pub fn root(&self) -> &str {
        match &self.source {
            Source::Folder(scan) => &scan.shown,
            Source::Table(t) => &t.shown,
        }
    }

    /// A digest of what the stream will read: every file's name, size and
    /// modification time, the metadata sheet's, and the names it skipped
    /// or ignored. Equal digests mean an unchanged corpus as far as `make`
    /// or `rsync` would tell (a file rewritten within the same clock tick
    /// at the same size goes unnoticed); caches of whole runs are keyed by
    /// it.
    pub fn fingerprint(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let when = |t: &Option<std::time::SystemTime>| {
            t.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos())
        };
        match &self.source {
            Source::Folder(scan) => {
                for ((id, _, x), (size, mtime)) in
                    scan.todo.iter().zip(self.sizes.iter().zip(&self.mtimes))
                {
                    let _ = writeln!(s, "{id}\t{}\t{size}\t{}", x.format(), when(mtime));
                }
                if let Some(sheet) = &scan.sheet {
                    let (mtime, size) = stamp(&Path::new(&scan.shown).join(&sheet.name));
                    let _ = writeln!(s, "sheet {}\t{size}\t{}", sheet.name, when(&mtime));
                }
                for x in &scan.skipped {
                    let _ = writeln!(s, "skipped {}\t{}", x.id, x.reason);
                }
                for (what, names) in [
                    ("ignored", &scan.ignored),
                    ("tanda", &scan.tanda_dirs),
                    ("bad", &scan.bad_names),
                ] {
                    for n in names {
                        let _ = writeln!(s, "{what} {n}");
                    }
                }
            }
            Source::Table(t) => {
                let _ = writeln!(
                    s,
                    "table {}\t{}\t{}",
                    t.shown,
                    t.bytes,
                    when(&self.mtimes[0])
                );
            }
        }
        sha256_hex(s.as_bytes())
    }

    /// Files not read yet; for a spreadsheet, 1 until its last row has
    /// been read (how many rows it has is not known ahead).
    pub fn remaining(&self) -> usize {
        match &self.source {
            Source::Folder(scan) => scan.todo.len() - self.next,
            Source::Table(t) => usize::from(!t.done()),
        }
    }

    /// Files to read in all, and how many have been read (for a
    /// spreadsheet: rows read, twice, as the total is not known ahead).
    pub fn files(&self) -> (usize, usize) {
        match &self.source {
            Source::Folder(scan) => (scan.todo.len(), self.next),
            Source::Table(_) => (self.next, self.next),
        }
    }

    /// Bytes to read in all (file sizes when the stream was opened), and
    /// how many have been read.
    pub fn bytes(&self) -> (u64, u64) {
        match &self.source {
            Source::Folder(_) => (
                self.sizes.iter().sum(),
                self.sizes[..self.next].iter().sum(),
            ),
            Source::Table(t) => (t.bytes, t.position()),
        }
    }

    /// Read the next `n` files (or rows) in parallel and hand each document
    /// (metadata filled in) to `f`, also in parallel. Results are in file
    /// order; a file that cannot be read comes back as its [`Skipped`] (and
    /// is kept for [`CorpusStream::finish`]).
    pub fn next_chunk<T: Send>(
        &mut self,
        n: usize,
        f: impl Fn(Document) -> T + Sync,
    ) -> Vec<Result<T, Skipped>> {
        // Per document: what `f` made, its id, whether the sheet lists it,
        // and the reader's warnings.
        type Read<T> = Result<(T, String, bool, Vec<String>), Skipped>;
        let out: Vec<Read<T>> = match &mut self.source {
            Source::Folder(scan) => {
                // At most `n` files, and no more bytes than one document may
                // hold unless a single file does: a large file makes a chunk
                // of its own, so the documents a chunk keeps in memory stay
                // near one document's worth.
                let budget = self.opts.extract.limits.text_bytes();
                let mut end = (self.next + n).min(scan.todo.len());
                let mut total = 0u64;
                for (i, size) in self.sizes[self.next..end].iter().enumerate() {
                    total = total.saturating_add(*size);
                    if total > budget {
                        end = self.next + i.max(1);
                        break;
                    }
                }
                let files = &scan.todo[self.next..end];
                let sizes = &self.sizes[self.next..end];
                self.next = end;
                let (sheet, fields, opts) = (scan.sheet.as_ref(), &self.fields, &self.opts);
                files
                    .par_iter()
                    .zip(sizes)
                    .map(|((id, path, x), &size)| {
                        one_large_at_a_time(size, opts, || match load_one(id, path, *x, opts) {
                            Loaded::Doc(mut d, fm, w) => {
                                let listed = assign_metadata(&mut d, &fm, sheet, fields);
                                if !opts.lean {
                                    fill_language(&mut d, fields);
                                }
                                let id = d.id.clone();
                                let w = file_warnings(&scan.shown, &id, &w).collect();
                                Ok((f(d), id, listed, w))
                            }
                            Loaded::Skip(s) => Err(s),
                        })
                    })
                    .collect()
            }
            Source::Table(table) => {
                let rows: Vec<_> = std::iter::from_fn(|| table.next_row()).take(n).collect();
                self.next += rows.len();
                let kind = (table.format, table.encoding);
                let (fields, opts) = (&self.fields, &self.opts);
                rows.into_par_iter()
                    .map(|r| {
                        let d = row_document(r?, kind, fields, opts)?;
                        let id = d.id.clone();
                        Ok((f(d), id, true, Vec::new()))
                    })
                    .collect()
            }
        };
        let sheet = match &self.source {
            Source::Folder(scan) => scan.sheet.as_ref(),
            Source::Table(_) => None,
        };
        out.into_iter()
            .map(|r| match r {
                Ok((t, id, listed, w)) => {
                    self.loaded += 1;
                    self.read_warnings.extend(w);
                    if !listed {
                        self.unlisted += 1;
                        if self.unlisted_shown.len() < 3 {
                            self.unlisted_shown.push(id.clone());
                        }
                    }
                    if sheet.is_some_and(|sh| sh.rows.contains_key(&id)) {
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

    /// Finish reading: the skipped files (sorted; a spreadsheet's rows in
    /// sheet order), ignored files, metadata warnings; an error when no
    /// document could be read.
    pub fn finish(mut self) -> Result<StreamEnd, Error> {
        let (shown, ignored, warnings) = match self.source {
            Source::Folder(scan) => {
                self.skipped.sort_by(|a, b| a.id.cmp(&b.id));
                let mut warnings = std::mem::take(&mut self.read_warnings);
                warnings.extend(bad_name_warnings(&scan.shown, &scan.bad_names));
                warnings.extend(tanda_dir_warnings(&scan.shown, &scan.tanda_dirs));
                warnings.extend(match &scan.sheet {
                    Some(sheet) => {
                        sheet_warnings(sheet, self.unlisted, &self.unlisted_shown, |path| {
                            self.loaded_in_sheet.contains(path)
                                || self.skipped.iter().any(|s| s.id == path)
                        })
                    }
                    None => vec![metadata::no_sheet_warning(&scan.shown)],
                });
                (scan.shown, scan.ignored, warnings)
            }
            Source::Table(t) => {
                let t = *t;
                (t.shown, Vec::new(), t.warnings)
            }
        };
        if self.loaded == 0 {
            return Err(empty_corpus(shown, self.skipped.len(), ignored.len()));
        }
        Ok(StreamEnd {
            root: shown,
            skipped: self.skipped,
            ignored,
            fields: self.fields,
            warnings,
        })
    }
}
