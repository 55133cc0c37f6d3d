//! The snapshot's files: every coded passage's text, and its codes.
//!
//! Two files per corpus (and per set of options that shape passages), in
//! `recode/` under the extraction cache:
//!
//! - `NAME.texts`: a magic, a 16-byte token, then every passage's text, in
//!   corpus order. Written by a full run only: it depends on the corpus, not
//!   on the codebook.
//! - `NAME.codes`: a magic, then per document its group keys and per passage
//!   the text's length, its words, hit totals and nonzero category counts
//!   (varints), then a JSON trailer ([`Trailer`]: the corpus fingerprint, the
//!   codebook's [`CodingSignature`], the text file's token, what the reading
//!   said), its length and the magic again. Rewritten by every run that
//!   codes anything.
//!
//! Each file is written under a temporary name and renamed into place, the
//! text file first: a run stopped in between leaves codes whose token does
//! not match the texts, which the next run ignores. Nothing here is the
//! user's: a file that does not read back is a snapshot to rebuild, never an
//! error.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::plan::CodingSignature;
use crate::coder::{Coded, HitTotals};
use crate::corpus::Skipped;

const CODES_MAGIC: &[u8; 8] = b"TANDARC1";
const TEXTS_MAGIC: &[u8; 8] = b"TANDART1";
const TOKEN_LEN: usize = 16;

/// Where a snapshot lives.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The passages' texts.
    pub texts: PathBuf,
    /// The documents' records and the trailer.
    pub codes: PathBuf,
}

impl Paths {
    /// The snapshot named `name` in `dir`.
    pub fn new(dir: &Path, name: &str) -> Paths {
        Paths {
            texts: dir.join(format!("{name}.texts")),
            codes: dir.join(format!("{name}.codes")),
        }
    }
}

/// What a snapshot says of its run besides the documents.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Trailer {
    /// The corpus and options the run read (see [`super::Snapshot`]).
    pub key: String,
    /// The text file's token, hex.
    pub token: String,
    /// The codebook the codes are of.
    pub codebook: CodingSignature,
    /// Categories per passage.
    pub categories: usize,
    /// Documents recorded.
    pub documents: u64,
    /// Passages recorded.
    pub passages: u64,
    /// Bytes of passage text in the text file.
    pub text_bytes: u64,
    /// Files skipped while reading, in the groups (chunks) and the order
    /// the run said so.
    pub skips: Vec<Vec<Skipped>>,
    /// Files (or rows) not read, and why.
    pub skipped: Vec<Skipped>,
    /// Files tanda does not read.
    pub ignored: Vec<String>,
    /// What the reading warned of, in order.
    pub warnings: Vec<String>,
    /// Passages dropped by `min_words`.
    pub dropped: u64,
}

/// One document as the snapshot holds it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Its values of the `--by` fields.
    pub key: Vec<String>,
    /// Its `source_type` (when the tables by source are made).
    pub source: Option<Vec<String>>,
    /// Its `year` (when the tables by year are made).
    pub year: Option<Vec<String>>,
    /// Each passage's text (its bytes in the document's texts, one after
    /// another) and codes (no hit list).
    pub passages: Vec<(std::ops::Range<usize>, Coded)>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_strs(out: &mut Vec<u8>, v: Option<&[String]>) {
    match v {
        None => out.push(0),
        Some(v) => {
            put_varint(out, v.len() as u64 + 1);
            for s in v {
                put_str(out, s);
            }
        }
    }
}

/// One document for the snapshot.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Its record (see [`encode`]).
    pub codes: Vec<u8>,
    /// Its passages' texts, one after another (empty when the snapshot
    /// keeps the texts it has).
    pub texts: Vec<u8>,
    /// Its passages.
    pub passages: usize,
    /// Bytes of its passages' texts.
    pub text_len: usize,
}

/// Append a document's record to `codes`, its passages' texts to `texts`.
pub fn encode<'a>(
    key: &[String],
    source: Option<&[String]>,
    year: Option<&[String]>,
    passages: impl Iterator<Item = (&'a str, &'a Coded)>,
    count: usize,
    codes: &mut Vec<u8>,
    mut texts: Option<&mut Vec<u8>>,
) {
    put_strs(codes, Some(key));
    put_strs(codes, source);
    put_strs(codes, year);
    put_varint(codes, count as u64);
    for (text, c) in passages {
        if let Some(t) = texts.as_deref_mut() {
            t.extend_from_slice(text.as_bytes());
        }
        put_varint(codes, text.len() as u64);
        put_varint(codes, c.words as u64);
        put_varint(codes, u64::from(c.hit_totals.counted));
        put_varint(codes, u64::from(c.hit_totals.all));
        let nonzero = |i: usize| c.counts[i] != 0 || c.counter[i] != 0 || c.scores[i] != 0.0;
        let n = c.counts.len();
        put_varint(codes, (0..n).filter(|&i| nonzero(i)).count() as u64);
        let mut last = 0;
        for i in (0..n).filter(|&i| nonzero(i)) {
            put_varint(codes, (i - last) as u64);
            last = i;
            put_varint(codes, u64::from(c.counts[i]));
            put_varint(codes, u64::from(c.counter[i]));
            // Unweighted codebooks score each counted hit 1: the count says it.
            if c.scores[i] == f64::from(c.counts[i]) {
                codes.push(0);
            } else {
                codes.push(1);
                codes.extend_from_slice(&c.scores[i].to_le_bytes());
            }
        }
    }
}

/// Reads values back from a document record.
struct Cursor<'a> {
    buf: &'a [u8],
}

fn bad() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "snapshot record cut short")
}

impl Cursor<'_> {
    fn varint(&mut self) -> io::Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.buf.split_first().ok_or_else(bad)?;
            self.buf = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(bad())
    }

    fn small(&mut self) -> io::Result<u32> {
        u32::try_from(self.varint()?).map_err(|_| bad())
    }

    fn str(&mut self) -> io::Result<String> {
        let n = usize::try_from(self.varint()?).map_err(|_| bad())?;
        if n > self.buf.len() {
            return Err(bad());
        }
        let (s, rest) = self.buf.split_at(n);
        self.buf = rest;
        String::from_utf8(s.to_vec()).map_err(|_| bad())
    }

    fn strs(&mut self) -> io::Result<Option<Vec<String>>> {
        let n = self.varint()?;
        if n == 0 {
            return Ok(None);
        }
        (1..n)
            .map(|_| self.str())
            .collect::<io::Result<_>>()
            .map(Some)
    }

    fn byte(&mut self) -> io::Result<u8> {
        let (&b, rest) = self.buf.split_first().ok_or_else(bad)?;
        self.buf = rest;
        Ok(b)
    }
}

fn decode(buf: &[u8], ncat: usize) -> io::Result<Doc> {
    let mut c = Cursor { buf };
    let key = c.strs()?.ok_or_else(bad)?;
    let source = c.strs()?;
    let year = c.strs()?;
    let n = c.varint()?;
    let mut passages = Vec::new();
    let mut at = 0usize;
    for _ in 0..n {
        let len = usize::try_from(c.varint()?).map_err(|_| bad())?;
        let span = at..at.checked_add(len).ok_or_else(bad)?;
        at = span.end;
        let words = usize::try_from(c.varint()?).map_err(|_| bad())?;
        let hit_totals = HitTotals {
            counted: c.small()?,
            all: c.small()?,
        };
        let mut coded = Coded {
            words,
            hits: Vec::new(),
            counts: vec![0; ncat],
            counter: vec![0; ncat],
            scores: vec![0.0; ncat],
            hit_totals,
        };
        let k = c.varint()?;
        let mut i = 0usize;
        for _ in 0..k {
            i += usize::try_from(c.varint()?).map_err(|_| bad())?;
            if i >= ncat {
                return Err(bad());
            }
            coded.counts[i] = c.small()?;
            coded.counter[i] = c.small()?;
            coded.scores[i] = match c.byte()? {
                0 => f64::from(coded.counts[i]),
                _ => {
                    let b: [u8; 8] = c
                        .buf
                        .get(..8)
                        .ok_or_else(bad)?
                        .try_into()
                        .map_err(|_| bad())?;
                    c.buf = &c.buf[8..];
                    f64::from_le_bytes(b)
                }
            };
        }
        passages.push((span, coded));
    }
    if !c.buf.is_empty() {
        return Err(bad());
    }
    Ok(Doc {
        key,
        source,
        year,
        passages,
    })
}

/// A file written under a temporary name beside its final one.
struct Staged {
    /// `None` once committed.
    file: Option<BufWriter<File>>,
    tmp: PathBuf,
    path: PathBuf,
    written: u64,
}

impl Staged {
    fn create(path: &Path) -> io::Result<Staged> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        remove_abandoned(dir, &name);
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        Ok(Staged {
            file: Some(file),
            tmp,
            path: path.to_path_buf(),
            written: 0,
        })
    }

    fn write(&mut self, b: &[u8]) -> io::Result<()> {
        self.written += b.len() as u64;
        match &mut self.file {
            Some(f) => f.write_all(b),
            None => Err(io::Error::other("written after commit")),
        }
    }

    fn commit(mut self) -> io::Result<()> {
        if let Some(f) = self.file.take() {
            f.into_inner().map_err(|e| e.into_error())?;
        }
        std::fs::rename(&self.tmp, &self.path)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // A file not committed is removed; a committed one was renamed.
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// A temporary file not written to for this long was left by a run that
/// was killed (a run writing its snapshot touches it every chunk).
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(3600);

/// Remove the temporary files of `name` that killed runs left in `dir`
/// (they can be as large as the corpus).
fn remove_abandoned(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > ABANDONED);
        if file.starts_with(&prefix) && file.ends_with(".tmp") && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes a snapshot as a run codes its documents.
pub struct Writer {
    codes: Staged,
    /// `None` when the run keeps the text file of the snapshot it read.
    texts: Option<Staged>,
    token: String,
    documents: u64,
    passages: u64,
}

impl Writer {
    /// Start a snapshot at `paths`: with `keep_texts` (the token of the
    /// text file already there) only the codes are written.
    pub fn create(paths: &Paths, keep_texts: Option<&str>) -> io::Result<Writer> {
        let mut codes = Staged::create(&paths.codes)?;
        codes.write(CODES_MAGIC)?;
        let (texts, token) = match keep_texts {
            Some(token) => (None, token.to_string()),
            None => {
                let token = new_token();
                let mut t = Staged::create(&paths.texts)?;
                t.write(TEXTS_MAGIC)?;
                t.write(&hex_decode(&token))?;
                (Some(t), token)
            }
        };
        Ok(Writer {
            codes,
            texts,
            token,
            documents: 0,
            passages: 0,
        })
    }

    /// Add one document.
    pub fn add(&mut self, r: &Record) -> io::Result<()> {
        self.codes.write(&(r.codes.len() as u64).to_le_bytes())?;
        self.codes.write(&(r.text_len as u64).to_le_bytes())?;
        self.codes.write(&r.codes)?;
        if let Some(t) = &mut self.texts {
            t.write(&r.texts)?;
        }
        self.documents += 1;
        self.passages += r.passages as u64;
        Ok(())
    }

    /// Add one document to the snapshot `writer` is writing, if any; a
    /// snapshot that cannot be written is dropped (it is a cache: the run
    /// goes on without it).
    pub fn keep(writer: &mut Option<Writer>, record: Option<Record>) {
        if let (Some(w), Some(r)) = (writer.as_mut(), record)
            && w.add(&r).is_err()
        {
            *writer = None;
        }
    }

    /// Write the trailer and put the files in place (texts first). What
    /// the writing counted (documents, passages, the text file's token and
    /// length) replaces the trailer's; the rest is the caller's, and
    /// `text_bytes` stays as given when the texts are kept.
    pub fn finish(mut self, mut trailer: Trailer) -> io::Result<()> {
        if let Some(t) = &self.texts {
            trailer.text_bytes = t.written - (TEXTS_MAGIC.len() + TOKEN_LEN) as u64;
        }
        trailer.token = self.token;
        trailer.documents = self.documents;
        trailer.passages = self.passages;
        let json = serde_json::to_vec(&trailer).map_err(io::Error::other)?;
        self.codes.write(&json)?;
        self.codes.write(&(json.len() as u64).to_le_bytes())?;
        self.codes.write(CODES_MAGIC)?;
        if let Some(t) = self.texts {
            t.commit()?;
        }
        self.codes.commit()
    }
}

fn new_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    crate::hash::sha256_hex(format!("{nanos} {}", std::process::id()).as_bytes())[..TOKEN_LEN * 2]
        .to_string()
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a snapshot back, document by document.
pub struct Reader {
    /// The snapshot's trailer.
    pub trailer: Trailer,
    codes: io::Take<BufReader<File>>,
    texts: BufReader<File>,
    /// Documents not read yet.
    left: u64,
    /// Bytes of passage text not read yet.
    text_left: u64,
}

impl Reader {
    /// Open the snapshot at `paths` if it is whole and of the corpus and
    /// options `key`; `None` otherwise (no snapshot, another corpus state,
    /// or files that do not match).
    pub fn open(paths: &Paths, key: &str) -> Option<Reader> {
        Self::try_open(paths, key).ok().flatten()
    }

    fn try_open(paths: &Paths, key: &str) -> io::Result<Option<Reader>> {
        let mut codes = File::open(&paths.codes)?;
        let len = codes.metadata()?.len();
        let tail = (8 + CODES_MAGIC.len()) as u64;
        if len < CODES_MAGIC.len() as u64 + tail {
            return Ok(None);
        }
        codes.seek(SeekFrom::Start(len - tail))?;
        let mut end = [0u8; 16];
        codes.read_exact(&mut end)?;
        let (json_len, magic) = end.split_at(8);
        let json_len = u64::from_le_bytes(json_len.try_into().map_err(|_| bad())?);
        if magic != CODES_MAGIC || json_len > len - tail - CODES_MAGIC.len() as u64 {
            return Ok(None);
        }
        let body_end = len - tail - json_len;
        codes.seek(SeekFrom::Start(body_end))?;
        let mut json = vec![0; json_len as usize];
        codes.read_exact(&mut json)?;
        let Ok(trailer) = serde_json::from_slice::<Trailer>(&json) else {
            return Ok(None);
        };
        if trailer.key != key {
            return Ok(None);
        }
        codes.seek(SeekFrom::Start(0))?;
        let mut magic = [0u8; 8];
        codes.read_exact(&mut magic)?;
        if &magic != CODES_MAGIC {
            return Ok(None);
        }
        let mut texts = File::open(&paths.texts)?;
        let mut head = [0u8; 8 + TOKEN_LEN];
        texts.read_exact(&mut head)?;
        if &head[..8] != TEXTS_MAGIC
            || hex_encode(&head[8..]) != trailer.token
            || texts.metadata()?.len() != head.len() as u64 + trailer.text_bytes
        {
            return Ok(None);
        }
        let left = trailer.documents;
        let text_left = trailer.text_bytes;
        Ok(Some(Reader {
            trailer,
            codes: BufReader::with_capacity(1 << 20, codes)
                .take(body_end - CODES_MAGIC.len() as u64),
            texts: BufReader::with_capacity(1 << 20, texts),
            left,
            text_left,
        }))
    }

    /// Have both files been read to the end of what the trailer counts,
    /// with nothing left over?
    pub fn read_whole(&self) -> bool {
        self.left == 0 && self.codes.limit() == 0 && self.text_left == 0
    }

    /// The next document's record and its passages' texts, as stored
    /// (see [`Raw::decode`]).
    pub fn next_document(&mut self) -> io::Result<Option<Raw>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let mut lens = [0u8; 16];
        self.codes.read_exact(&mut lens)?;
        let (len, text_len) = lens.split_at(8);
        let len = usize::try_from(u64::from_le_bytes(len.try_into().map_err(|_| bad())?))
            .map_err(|_| bad())?;
        let text_len = usize::try_from(u64::from_le_bytes(text_len.try_into().map_err(|_| bad())?))
            .map_err(|_| bad())?;
        // Lengths from the file are checked against what is left of it
        // before anything that size is allocated.
        if len as u64 > self.codes.limit() || text_len as u64 > self.text_left {
            return Err(bad());
        }
        self.text_left -= text_len as u64;
        let mut record = vec![0; len];
        self.codes.read_exact(&mut record)?;
        let mut text = vec![0; text_len];
        self.texts.read_exact(&mut text)?;
        Ok(Some(Raw {
            record,
            text,
            categories: self.trailer.categories,
        }))
    }
}

/// A document as read from the snapshot, not yet decoded (decoding runs in
/// parallel, reading does not).
pub struct Raw {
    record: Vec<u8>,
    text: Vec<u8>,
    categories: usize,
}

impl Raw {
    /// Bytes of the passages' texts.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The document, its passages' texts one after another, and its record
    /// as stored (to be written again as it is when nothing changed).
    pub fn decode(self) -> io::Result<(Doc, String, Vec<u8>)> {
        let doc = decode(&self.record, self.categories)?;
        let text = String::from_utf8(self.text).map_err(|_| bad())?;
        // The passages cover the text, each a whole run of characters.
        let ends_well = doc
            .passages
            .iter()
            .all(|(r, _)| text.is_char_boundary(r.end));
        if !ends_well || doc.passages.last().map_or(0, |(r, _)| r.end) != text.len() {
            return Err(bad());
        }
        Ok((doc, text, self.record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A killed run's temporary file is removed once it is an hour old; a
    /// fresh one (a run writing now) and other files stay.
    #[test]
    fn abandoned_temporary_files_are_removed() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let old = dir.path().join(".snap.texts.123.tmp");
        let fresh = dir.path().join(".snap.codes.456.tmp");
        let other = dir.path().join(".other.texts.123.tmp");
        let kept = dir.path().join("snap.texts");
        for p in [&old, &fresh, &other, &kept] {
            std::fs::write(p, b"x")?;
        }
        let two_hours = std::time::SystemTime::now() - 2 * ABANDONED;
        for p in [&old, &other, &kept] {
            File::options()
                .write(true)
                .open(p)?
                .set_modified(two_hours)?;
        }
        remove_abandoned(dir.path(), "snap.texts");
        remove_abandoned(dir.path(), "snap.codes");
        assert!(!old.exists());
        assert!(fresh.exists() && other.exists() && kept.exists());
        Ok(())
    }
}
