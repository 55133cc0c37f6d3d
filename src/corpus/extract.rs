//! Turning a file's bytes into lines of text, one extractor per format.
//!
//! Extractors keep the source's line structure (line numbers in hits point
//! into the original file) and mark lines that are headings or list items, so
//! the normaliser can make them passages of their own. New formats (PDF,
//! DOCX, HTML, ODT, RTF, EPUB) implement [`Extractor`] and register in
//! [`extractor_for`].

use std::collections::BTreeMap;

/// What kind of line the extractor saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// An ordinary line of running text.
    Text,
    /// A heading: always a paragraph of its own.
    Heading,
    /// A list item: starts a new paragraph.
    ListItem,
}

/// Where a line stands in its source: a line number, and for paginated
/// formats (PDF) the page, in which case the line counts from the top of the
/// page. Printed `12` or `3:12` (page 3, line 12).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Loc {
    /// 1-based page, 0 when the format has no pages.
    pub page: u32,
    /// 1-based line.
    pub line: u32,
}

impl Loc {
    /// A location on line `line` of a format without pages.
    pub fn line(line: u32) -> Loc {
        Loc { page: 0, line }
    }
}

impl Loc {
    /// The location as tanda prints it, appended to `out`: `12`, or
    /// `3:12` (page 3, line 12) in a paged format. hits.csv writes one per
    /// row, so without going through `fmt`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut b = itoa::Buffer::new();
        if self.page > 0 {
            out.extend_from_slice(b.format(self.page).as_bytes());
            out.push(b':');
        }
        out.extend_from_slice(b.format(self.line).as_bytes());
    }
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = Vec::with_capacity(24);
        self.write_to(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

/// One line of extracted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// Where the line stands in the source file.
    pub no: Loc,
    /// The line's text, without its line ending.
    pub text: String,
    /// Heading, list item or plain text.
    pub kind: LineKind,
}

/// The result of extracting one file.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// The file's lines of text, in source order.
    pub lines: Vec<SourceLine>,
    /// Encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// Metadata found inside the document (e.g. Markdown front matter).
    pub metadata: BTreeMap<String, String>,
    /// Each non-empty line is already a paragraph (DOCX, HTML): the
    /// normaliser must not rejoin lines or guess at the layout.
    pub structured: bool,
    /// What the reader had to guess or repair (bytes replaced, a charset
    /// label not believed), without the file name: the loader adds it.
    pub warnings: Vec<String>,
}

/// Why a file could not be read. Each reason says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The file (or the part holding its text) is empty.
    #[error("empty file")]
    Empty,
    /// The bytes look binary (NUL bytes, control characters), not text.
    #[error("looks like a binary file, not text; remove it or give it the right extension")]
    Binary,
    /// The bytes are not valid in the encoding given or detected.
    #[error(
        "not valid {encoding} (invalid byte 0x{byte:02X} at line {line}); re-save the file as UTF-8 or give the right --encoding"
    )]
    BadEncoding {
        /// The encoding the bytes were read as.
        encoding: &'static str,
        /// The first invalid byte.
        byte: u8,
        /// The line it is on.
        line: usize,
    },
    /// Extraction left no text (every line blank, or headings skipped).
    #[error("no text left after extraction")]
    NoText,
    /// The format's reader failed; the message says why and what to do.
    #[error("{0}")]
    Format(String),
    /// The file, its text or its unzipped parts exceed `--max-doc-mb`.
    #[error(
        "{what} exceeds the {limit_mb} MB limit; split the document, or raise the limit with --max-doc-mb"
    )]
    TooLarge {
        /// What is too large ("the file", "its text", "its unzipped parts").
        what: String,
        /// The limit, in MB (`--max-doc-mb`).
        limit_mb: u64,
    },
    /// Reading the file would need more memory than allowed.
    #[error(
        "reading it needs more than {mb} MB of memory (a compression bomb, or a very large PDF); refused. --max-doc-mb raises the limit (a PDF may use 256 MB plus 16 times that many MB)"
    )]
    Memory {
        /// The memory limit that would be exceeded, in MB.
        mb: u64,
    },
}

/// Settings that change how files are read.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Decode text files with this encoding instead of detecting one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// OCR PDF pages that have no text layer (`--ocr`).
    pub ocr: Option<super::ocr::OcrOptions>,
    /// How much one document may cost (`--max-doc-mb`).
    pub limits: Limits,
    /// A program that reads a PDF in a child process (`tanda pdf-worker`),
    /// so that a PDF that cannot be bounded from inside (a compression
    /// bomb) costs the child its memory limit, not the run. `None` reads
    /// in this process, isolated from panics only.
    pub pdf_worker: Option<std::path::PathBuf>,
}

/// How much memory one document may cost, from one number: the most text
/// a document may hold (`--max-doc-mb`, default [`Limits::DEFAULT_MB`]).
/// Everything else scales with it, because what a document costs to read
/// scales with its text:
///
/// | what | limit |
/// |---|---|
/// | text extracted from one document; a .txt/.md file; a JSON line | M |
/// | a PDF, HTML, RTF, DOCX, ODT or EPUB file; a document's unzipped parts together | 4 × M |
/// | memory of the child process reading one PDF | 256 MB + 16 × M |
///
/// Sizes are checked from the file's metadata before reading and again
/// while reading (a file may grow), so a 1 GB file costs nothing to refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most text one document may hold, in MB.
    pub text_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            text_mb: Self::DEFAULT_MB,
        }
    }
}

const MB: u64 = 1024 * 1024;

impl Limits {
    /// Default `--max-doc-mb`: about 2.7 million words of English, 5,000
    /// printed pages; real reports, statutes and books hold well under it.
    pub const DEFAULT_MB: u64 = 16;

    /// The most text (UTF-8 bytes) one document may hold.
    pub fn text_bytes(&self) -> u64 {
        self.text_mb.saturating_mul(MB)
    }

    /// The largest file of `format` read, in MB.
    pub fn file_mb(&self, format: &str) -> u64 {
        let factor = match format {
            "txt" | "md" => 1,
            _ => 4,
        };
        self.text_mb.saturating_mul(factor)
    }

    /// The most a document's zip parts may inflate to, all together, in MB.
    pub fn unzipped_mb(&self) -> u64 {
        self.text_mb.saturating_mul(4)
    }

    /// The address-space limit of the child process reading one PDF.
    pub fn pdf_worker_bytes(&self) -> u64 {
        (256 * MB).saturating_add(self.text_mb.saturating_mul(16 * MB))
    }

    /// Refuse text longer than [`Limits::text_bytes`].
    pub fn check_text(&self, len: usize) -> Result<(), ExtractError> {
        if len as u64 > self.text_bytes() {
            return Err(ExtractError::TooLarge {
                what: "its text".into(),
                limit_mb: self.text_mb,
            });
        }
        Ok(())
    }
}

/// A format reader.
pub trait Extractor: Sync {
    /// Short format name recorded in outputs (`txt`, `md`, `pdf` …).
    fn format(&self) -> &'static str;
    /// Extract lines of text from a file's `bytes`.
    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError>;
}

/// Plain text.
pub struct PlainText;
/// Markdown: front matter read as metadata, markup stripped, headings and
/// list items marked.
pub struct Markdown;

/// The extractor for a file extension (lower-case, without dot), if supported.
pub fn extractor_for(ext: &str) -> Option<&'static dyn Extractor> {
    match ext {
        "txt" | "text" => Some(&PlainText),
        "md" | "markdown" => Some(&Markdown),
        "pdf" => Some(&super::pdf::Pdf),
        "docx" => Some(&super::docx::Docx),
        "html" | "htm" | "xhtml" => Some(&super::html::Html),
        "odt" => Some(&super::odt::Odt),
        "rtf" => Some(&super::rtf::Rtf),
        "epub" => Some(&super::epub::Epub),
        _ => None,
    }
}

/// Extensions of formats tanda does not read but a researcher may expect it
/// to; files with these are reported as skipped rather than ignored.
pub fn is_known_unsupported(ext: &str) -> bool {
    matches!(ext, "doc" | "pages")
}

/// Share of control characters (other than white space and form feeds)
/// above which decoded text is taken for binary data.
const MAX_CONTROL_SHARE: f64 = 0.02;

fn looks_binary(text: &str) -> bool {
    let (mut ctl, mut all) = (0usize, 0usize);
    for c in text.chars().take(65_536) {
        all += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            ctl += 1;
        }
    }
    all > 0 && ctl as f64 / all as f64 > MAX_CONTROL_SHARE
}

/// UTF-16 without a BOM: many NUL bytes, all in even or all in odd places.
pub(super) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    if odd * 10 > half * 3 && even * 20 < half {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 > half * 3 && odd * 20 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Text decoded from bytes, with what had to be repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// Name of the encoding used.
    pub encoding: &'static str,
    /// Invalid UTF-8 bytes replaced with U+FFFD (see [`mostly_utf8`]).
    pub replaced: usize,
}

impl Decoded {
    /// The warning to show for this decoding, if any (without the file
    /// name).
    pub fn warning(&self) -> Option<String> {
        (self.replaced > 0).then(|| replaced_warning(self.replaced))
    }
}

/// The warning for `n` invalid UTF-8 bytes replaced in a file.
pub fn replaced_warning(n: usize) -> String {
    format!(
        "{n} invalid UTF-8 byte{} replaced with U+FFFD; re-save as UTF-8 to silence",
        if n == 1 { "" } else { "s" }
    )
}

/// Bytes per invalid stretch of UTF-8 allowed in a file still read as
/// UTF-8 (plus one stretch). See [`mostly_utf8`].
const BYTES_PER_BAD: usize = 100;

/// Bytes that are UTF-8 but for a few damaged spots (a stray byte from a
/// bad copy and paste, a file cut off mid-character): the text and the
/// number of invalid bytes replaced with U+FFFD. `None` when the bytes are
/// better read as a legacy encoding.
///
/// "A few" is both of:
/// - at most one invalid stretch (what one U+FFFD replaces: 1 to 3 bytes)
///   per 100 bytes, plus one (a short file may have one stray byte);
/// - at least as many valid multi-byte UTF-8 characters as invalid
///   stretches.
///
/// The second tells a damaged UTF-8 file from a legacy one in a Latin,
/// Cyrillic or Greek script: in windows-1252, ISO-8859-x, KOI8-R … every
/// letter beyond ASCII is a byte ≥ 0x80 followed by ASCII or by another
/// letter, which is invalid UTF-8, and a valid multi-byte sequence only
/// comes about by an unlikely pair such as `Ã©`. So a legacy file has
/// (nearly) no valid multi-byte characters and an invalid stretch per
/// accented letter, however few its accents (an English page with one
/// `café` in 50 KB stays windows-1252). A UTF-8 file with its accents,
/// curly quotes or Thai script intact has many valid ones.
///
/// The first keeps out the legacy CJK encodings, whose double bytes now
/// and then form valid UTF-8 by chance: measured on Japanese, Chinese and
/// Korean text in Shift_JIS, EUC-JP, GBK, Big5 and EUC-KR, about one
/// invalid stretch per 2 bytes and 0.15 to 0.42 valid characters per
/// invalid stretch, far from both bounds. A file damaged more than this
/// is left to the detector, as is plain ASCII with one high byte, which is
/// as likely windows-1252 (`caf\xE9`) and reads the same either way but
/// for that one character.
pub fn mostly_utf8(bytes: &[u8]) -> Option<(String, usize)> {
    let (mut bad, mut bad_bytes, mut multi) = (0usize, 0usize, 0usize);
    let allowed = 1 + bytes.len() / BYTES_PER_BAD;
    for chunk in bytes.utf8_chunks() {
        multi += chunk.valid().chars().filter(|c| c.len_utf8() > 1).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
            bad_bytes += chunk.invalid().len();
            if bad > allowed {
                return None;
            }
        }
    }
    if bad == 0 || multi < bad {
        return None;
    }
    Some((String::from_utf8_lossy(bytes).into_owned(), bad_bytes))
}

/// Decode text bytes: BOM (UTF-8, UTF-16) → strict UTF-8 → UTF-16 without
/// BOM → UTF-8 with a few damaged bytes ([`mostly_utf8`]) → a legacy
/// encoding guessed by `chardetng` (Windows-1252, ISO-8859-x, Shift_JIS …),
/// or `forced` when given. Returns the text and the name of the encoding
/// used.
pub fn decode_with(
    bytes: &[u8],
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<(String, &'static str), ExtractError> {
    decode_checked(bytes, forced).map(|d| (d.text, d.encoding))
}

/// [`decode_with`], also saying how many invalid UTF-8 bytes were
/// replaced (so the caller can warn).
pub fn decode_checked(
    bytes: &[u8],
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Decoded, ExtractError> {
    let ok = |text: String, encoding: &'static str| {
        Ok(Decoded {
            text,
            encoding,
            replaced: 0,
        })
    };
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    if let Some(enc) = forced {
        if enc == encoding_rs::UTF_8 {
            let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            return utf8(b).and_then(|s| ok(s, "UTF-8"));
        }
        let (text, _, _) = enc.decode(bytes);
        return ok(text.into_owned(), enc.name());
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let name = match enc.name() {
            "UTF-8" => "UTF-8 (BOM)",
            n => n,
        };
        return ok(text.into_owned(), name);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if memchr::memchr(0, bytes).is_some() {
            return match utf16_without_bom(bytes) {
                Some(enc) => ok(
                    enc.decode_without_bom_handling(bytes).0.into_owned(),
                    enc.name(),
                ),
                None => Err(ExtractError::Binary),
            };
        }
        return ok(s.to_string(), "UTF-8");
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return ok(text.into_owned(), enc.name());
    }
    if bytes.contains(&0) {
        return Err(ExtractError::Binary);
    }
    if let Some((text, replaced)) = mostly_utf8(bytes)
        && !looks_binary(&text)
    {
        return Ok(Decoded {
            text,
            encoding: "UTF-8",
            replaced,
        });
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, _) = enc.decode(bytes);
    if looks_binary(&text) {
        return Err(ExtractError::Binary);
    }
    ok(text.into_owned(), enc.name())
}

/// [`decode_with`] without a forced encoding.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), ExtractError> {
    decode_with(bytes, None)
}

fn utf8(bytes: &[u8]) -> Result<String, ExtractError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ExtractError::BadEncoding {
                encoding: "UTF-8",
                byte: bytes[at],
                line,
            })
        }
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Install a panic hook that stays silent for panics caught by
/// [`isolate`] (third-party parsers that panic on odd files) and reports
/// all others as usual.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !QUIET.with(|q| q.get()) {
            default(info);
        }
    }));
}

/// Run a parser that may panic; a panic becomes an error naming `what`.
pub fn isolate<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, ExtractError> {
    QUIET.with(|q| q.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    r.map_err(|_| {
        ExtractError::Format(format!(
            "the {what} parser failed on this file (damaged or unusual {what}); repair or convert it"
        ))
    })
}

/// Split text into numbered lines (`\n`, `\r\n` or `\r`, a lone `\r` as
/// old Macs wrote). A line end at the very end of the text starts no
/// further line; empty text is one empty line.
pub fn split_lines(text: &str) -> Vec<SourceLine> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut no = 0u32;
    let mut line = |from: usize, to: usize| {
        no += 1;
        out.push(SourceLine {
            no: Loc::line(no),
            // Cut at ASCII bytes: character boundaries.
            text: text.get(from..to).unwrap_or_default().to_string(),
            kind: LineKind::Text,
        });
    };
    // Both line-end bytes found by one vectorised search.
    let mut start = 0;
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', b);
    while let Some(i) = ends.next() {
        line(start, i);
        start = i + 1;
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            ends.next();
            start += 1;
        }
    }
    if start < b.len() || start == 0 {
        line(start, b.len());
    }
    out
}

impl Extractor for PlainText {
    fn format(&self) -> &'static str {
        "txt"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        let d = decode_checked(bytes, opts.encoding)?;
        Ok(Extracted {
            lines: split_lines(&d.text),
            encoding: d.encoding,
            metadata: BTreeMap::new(),
            structured: false,
            warnings: d.warning().into_iter().collect(),
        })
    }
}

impl Extractor for Markdown {
    fn format(&self) -> &'static str {
        "md"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        let d = decode_checked(bytes, opts.encoding)?;
        let (encoding, warnings) = (d.encoding, d.warning().into_iter().collect());
        let mut lines = split_lines(&d.text);
        let mut metadata = BTreeMap::new();
        let mut start = 0;
        // YAML-style front matter: simple `key: value` pairs between `---` lines.
        if lines.first().is_some_and(|l| l.text.trim_end() == "---")
            && let Some(end) = lines.iter().skip(1).position(|l| {
                let t = l.text.trim_end();
                t == "---" || t == "..."
            })
        {
            let end = end + 1;
            for l in &lines[1..end] {
                if let Some((k, v)) = l.text.split_once(':') {
                    let k = k.trim();
                    let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
                    if !k.is_empty() && !k.starts_with('#') {
                        metadata.insert(k.to_string(), v.to_string());
                    }
                }
            }
            for l in &mut lines[..=end] {
                l.text.clear();
            }
            start = end + 1;
        }
        let mut in_code = false;
        for l in &mut lines[start..] {
            let t = l.text.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                in_code = !in_code;
                l.text.clear();
                continue;
            }
            if in_code {
                continue;
            }
            if let Some(h) = heading_text(t) {
                l.text = strip_inline(h);
                l.kind = LineKind::Heading;
            } else if let Some(item) = list_item_text(t) {
                l.text = strip_inline(item);
                l.kind = LineKind::ListItem;
            } else if t.starts_with('>') {
                l.text = strip_inline(t.trim_start_matches('>').trim_start());
            } else if is_rule(t) {
                l.text.clear();
            } else {
                l.text = strip_inline(&l.text);
            }
        }
        Ok(Extracted {
            lines,
            encoding,
            metadata,
            structured: false,
            warnings,
        })
    }
}

fn heading_text(t: &str) -> Option<&str> {
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) {
        let rest = &t[hashes..];
        if rest.is_empty() || rest.starts_with(' ') {
            return Some(rest.trim().trim_end_matches('#').trim_end());
        }
    }
    None
}

fn list_item_text(t: &str) -> Option<&str> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some(rest);
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

fn is_rule(t: &str) -> bool {
    let t = t.trim();
    t.len() >= 3
        && (t.chars().all(|c| c == '-' || c == ' ')
            || t.chars().all(|c| c == '*' || c == ' ')
            || t.chars().all(|c| c == '_' || c == ' '))
}

/// Remove inline Markdown: `[text](url)` → `text`, emphasis markers, code ticks.
fn strip_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['[', '*', '_', '`', '!']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let c = tail.as_bytes()[0];
        match c {
            b'!' if tail.starts_with("![") => {
                rest = &tail[1..];
            }
            b'[' => {
                if let Some(close) = tail.find("](")
                    && let Some(end) = tail[close..].find(')')
                {
                    out.push_str(&tail[1..close]);
                    rest = &tail[close + end + 1..];
                    continue;
                }
                out.push('[');
                rest = &tail[1..];
            }
            b'*' | b'`' => {
                rest = &tail[1..];
            }
            b'_' => {
                // Keep intra-word underscores (snake_case); drop emphasis ones.
                let prev_word = out.chars().last().is_some_and(char::is_alphanumeric);
                let next_word = tail[1..].chars().next().is_some_and(char::is_alphanumeric);
                if prev_word && next_word {
                    out.push('_');
                }
                rest = &tail[1..];
            }
            _ => {
                out.push(c as char);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines by the definition: split at `\n`, one `\r` before it dropped,
    /// the rest split at `\r`; a final `\n` starts no line.
    fn lines_by_definition(text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for raw in text.split('\n') {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            out.extend(raw.split('\r').map(str::to_string));
        }
        if text.ends_with('\n') {
            out.pop();
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn split_lines_cuts_where_the_definition_cuts(chars in proptest::collection::vec(
            proptest::sample::select(vec!['a', 'é', ' ', '\n', '\r', '\u{2028}', '\u{85}']),
            0..16,
        )) {
            let text: String = chars.into_iter().collect();
            let got = split_lines(&text);
            let want = lines_by_definition(&text);
            proptest::prop_assert_eq!(
                got.iter().map(|l| l.text.clone()).collect::<Vec<_>>(),
                want,
                "{:?}",
                text
            );
            for (k, l) in got.iter().enumerate() {
                proptest::prop_assert_eq!(l.no, Loc::line(k as u32 + 1));
            }
        }
    }

    #[test]
    fn decodes_utf8_bom_and_utf16() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc").unwrap(),
            ("abc".to_string(), "UTF-8 (BOM)")
        );
        let le = [0xFF, 0xFE, b'h', 0, b'i', 0];
        assert_eq!(decode(&le).unwrap().0, "hi");
        let be = [0xFE, 0xFF, 0, b'h', 0, b'i'];
        assert_eq!(decode(&be).unwrap().0, "hi");
        assert_eq!(decode(b""), Err(ExtractError::Empty));
        assert_eq!(decode(b"a\0b\x01\x02"), Err(ExtractError::Binary));
        // Windows-1252 is detected and transcoded.
        let (t, enc) = decode(
            b"The \x93Code\x94 \x97 signed in a caf\xe9 by the hotel\x92s staff, with further text to detect.",
        )
        .unwrap();
        assert_eq!(enc, "windows-1252");
        assert!(
            t.contains("\u{201c}Code\u{201d}")
                && t.contains("caf\u{e9}")
                && t.contains("hotel\u{2019}s"),
            "{t}"
        );
        // UTF-16 without a BOM.
        let le: Vec<u8> = "plain text here"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(&le).unwrap(),
            ("plain text here".to_string(), "UTF-16LE")
        );
        // A forced encoding wins; forced UTF-8 reports the bad byte.
        let forced = decode_with(b"caf\xe9", Some(encoding_rs::UTF_8));
        assert_eq!(
            forced,
            Err(ExtractError::BadEncoding {
                encoding: "UTF-8",
                byte: 0xE9,
                line: 1
            })
        );
    }

    #[test]
    fn utf8_with_a_few_stray_bytes_stays_utf8_and_counts_them() {
        // French in UTF-8 (every accent a valid 2- or 3-byte character),
        // with 3 stray bytes written in: 0xFF, 0xFE and a lone 0x80.
        // 5 × 74 bytes, a stray byte after each of the first three: 3 in
        // 373 bytes (up to 1 + 373 / 100 = 4 allowed).
        let sentence = "Le caf\u{e9} \u{e9}tait ferm\u{e9} \u{e0} l\u{2019}heure. ".repeat(2);
        assert_eq!(sentence.len(), 74);
        let text = sentence.repeat(5);
        let mut b = Vec::new();
        for (i, stray) in [0xFF, 0xFE, 0x80, 0, 0].into_iter().enumerate() {
            b.extend_from_slice(sentence.as_bytes());
            if i < 3 {
                b.push(stray);
            }
        }
        let d = decode_checked(&b, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 3);
        assert_eq!(d.text.matches('\u{fffd}').count(), 3);
        assert_eq!(d.text.replace('\u{fffd}', ""), text);
        assert_eq!(
            d.warning().as_deref(),
            Some("3 invalid UTF-8 bytes replaced with U+FFFD; re-save as UTF-8 to silence")
        );
        // Thai with one stray byte: Thai, not "binary".
        let thai = "\u{e20}\u{e32}\u{e29}\u{e32}\u{e44}\u{e17}\u{e22} ".repeat(10);
        let mut b = thai.as_bytes().to_vec();
        b.insert(21, 0xFF);
        let d = decode_checked(&b, None).unwrap();
        assert_eq!((d.encoding, d.replaced), ("UTF-8", 1));
        assert_eq!(d.text.replace('\u{fffd}', ""), thai);
        // A file cut off in the middle of `é` (0xC3 0xA9): one byte left.
        let cut = "d\u{e9}j\u{e0} vu, caf\u{e9}".as_bytes();
        let d = decode_checked(&cut[..cut.len() - 1], None).unwrap();
        assert_eq!((d.encoding, d.replaced), ("UTF-8", 1));
        assert!(d.text.ends_with("caf\u{fffd}"), "{}", d.text);
        // The user's --encoding still wins, with nothing replaced.
        let mut b = text.as_bytes().to_vec();
        b.insert(10, 0xFF);
        let d = decode_checked(&b, Some(encoding_rs::WINDOWS_1252)).unwrap();
        assert_eq!((d.encoding, d.replaced), ("windows-1252", 0));
        assert!(d.text.starts_with("Le caf\u{c3}\u{a9}"), "{}", d.text);
    }

    #[test]
    fn legacy_files_are_still_detected_as_legacy() {
        let enc = |e: &'static encoding_rs::Encoding, s: &str| e.encode(s).0.into_owned();
        // Every accented letter of windows-1252 is invalid UTF-8.
        let fr = "Le caf\u{e9} \u{e9}tait ferm\u{e9} \u{e0} l\u{2019}heure o\u{f9} les \u{e9}l\u{e8}ves arriv\u{e8}rent. ";
        let b = enc(encoding_rs::WINDOWS_1252, fr);
        let d = decode_checked(&b, None).unwrap();
        assert_eq!((d.encoding, d.replaced), ("windows-1252", 0));
        assert_eq!(d.text, fr);
        // One accent in 5 KB of English: one invalid byte, well under the
        // count bound, but no valid multi-byte character: still legacy.
        let long = format!(
            "{}Caf\u{e9} au lait.",
            "The report gives data on schools. ".repeat(150)
        );
        let b = enc(encoding_rs::WINDOWS_1252, &long);
        assert!(b.len() > 5000);
        let d = decode_checked(&b, None).unwrap();
        assert_eq!((d.encoding, d.replaced), ("windows-1252", 0));
        assert!(d.text.ends_with("Caf\u{e9} au lait."));
        // Russian in windows-1251 and Japanese in Shift_JIS, Korean in EUC-KR.
        for (e, s) in [
            (
                encoding_rs::WINDOWS_1251,
                "\u{420}\u{443}\u{441}\u{441}\u{43a}\u{438}\u{439} \u{442}\u{435}\u{43a}\u{441}\u{442} \u{43e} \u{448}\u{43a}\u{43e}\u{43b}\u{430}\u{445}. ",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "\u{65e5}\u{672c}\u{8a9e}\u{306e}\u{6587}\u{7ae0}\u{3067}\u{3059}\u{3002}\u{653f}\u{5e9c}\u{306f}\u{5b66}\u{6821}\u{306e}\u{30c7}\u{30fc}\u{30bf}\u{3092}\u{516c}\u{958b}\u{3057}\u{305f}\u{3002}",
            ),
            (
                encoding_rs::EUC_KR,
                "\u{d55c}\u{ad6d}\u{c5b4} \u{bb38}\u{c7a5}\u{c785}\u{b2c8}\u{b2e4}. \u{c815}\u{bd80}\u{b294} \u{d559}\u{ad50} \u{b370}\u{c774}\u{d130}\u{b97c} \u{acf5}\u{ac1c}\u{d588}\u{b2e4}. ",
            ),
        ] {
            let b = enc(e, &s.repeat(4));
            assert!(mostly_utf8(&b).is_none(), "{}", e.name());
            let d = decode_checked(&b, None).unwrap();
            assert_ne!(d.encoding, "UTF-8", "{}", e.name());
            assert_eq!(d.replaced, 0);
        }
    }

    #[test]
    fn lines_are_numbered_for_all_line_endings() {
        let l = split_lines("a\r\nb\rc\nd\n");
        let got: Vec<(u32, &str)> = l.iter().map(|x| (x.no.line, x.text.as_str())).collect();
        assert_eq!(got, vec![(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
    }

    #[test]
    fn markdown_front_matter_headings_and_links() {
        let md = "---\ntitle: \"A report\"\nyear: 2011\n---\n# The **Code** of conduct\n\nSee [the report](http://x.org/r) and _emphasis_ in snake_case.\n- item one\n";
        let e = Markdown
            .extract(md.as_bytes(), &ExtractOptions::default())
            .unwrap();
        assert_eq!(
            e.metadata.get("title").map(String::as_str),
            Some("A report")
        );
        assert_eq!(e.metadata.get("year").map(String::as_str), Some("2011"));
        assert_eq!(e.lines[0].text, "");
        assert_eq!(e.lines[4].text, "The Code of conduct");
        assert_eq!(e.lines[4].kind, LineKind::Heading);
        assert_eq!(e.lines[4].no, Loc::line(5));
        assert_eq!(
            e.lines[6].text,
            "See the report and emphasis in snake_case."
        );
        assert_eq!(e.lines[7].kind, LineKind::ListItem);
        assert_eq!(e.lines[7].text, "item one");
    }
}
