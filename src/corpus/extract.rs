//! Turning a file's bytes into lines of text, one extractor per format.
//!
//! Extractors keep the source's line structure (line numbers in hits point
//! into the original file) and mark lines that are headings or list items, so
//! the normaliser can make them passages of their own. New formats (PDF,
//! DOCX, HTML) implement [`Extractor`] and register in [`extractor_for`].

use std::collections::BTreeMap;

/// What kind of line the extractor saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Text,
    /// A heading: always a paragraph of its own.
    Heading,
    /// A list item: starts a new paragraph.
    ListItem,
}

/// One line of extracted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// 1-based line number in the source file.
    pub no: u32,
    pub text: String,
    pub kind: LineKind,
}

/// The result of extracting one file.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub lines: Vec<SourceLine>,
    /// Encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// Metadata found inside the document (e.g. Markdown front matter).
    pub metadata: BTreeMap<String, String>,
}

/// Why a file could not be read. Each reason says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("empty file")]
    Empty,
    #[error(
        "looks like a binary file (NUL bytes), not text; remove it or give it the right extension"
    )]
    Binary,
    #[error(
        "not valid UTF-8 (invalid byte 0x{byte:02X} at line {line}); re-save the file as UTF-8"
    )]
    NotUtf8 { byte: u8, line: usize },
    #[error("no text left after extraction")]
    NoText,
    #[error("cannot read file: {0}")]
    Io(String),
}

/// A format reader.
pub trait Extractor: Sync {
    /// Short format name recorded in outputs (`txt`, `md`).
    fn format(&self) -> &'static str;
    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError>;
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
        _ => None,
    }
}

/// Extensions of formats that later versions read; files with these are
/// reported as skipped rather than silently ignored.
pub fn is_known_unsupported(ext: &str) -> bool {
    matches!(
        ext,
        "pdf" | "docx" | "doc" | "html" | "htm" | "odt" | "rtf" | "xhtml"
    )
}

/// Decode bytes as UTF-8 (BOM allowed) or UTF-16 with a BOM.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest).map(|s| (s, "UTF-8 (BOM)"));
    }
    for (bom, le, name) in [
        (&[0xFF, 0xFE], true, "UTF-16LE"),
        (&[0xFE, 0xFF], false, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            return Ok((String::from_utf16_lossy(&units), name));
        }
    }
    if bytes.contains(&0) {
        return Err(ExtractError::Binary);
    }
    utf8(bytes).map(|s| (s, "UTF-8"))
}

fn utf8(bytes: &[u8]) -> Result<String, ExtractError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ExtractError::NotUtf8 {
                byte: bytes[at],
                line,
            })
        }
    }
}

/// Split text into numbered lines (`\n`, `\r\n` or `\r`).
fn split_lines(text: &str) -> Vec<SourceLine> {
    let mut out = Vec::new();
    let mut no = 0u32;
    for raw in text.split('\n') {
        // A lone `\r` (old Mac) also ends a line.
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        for piece in raw.split('\r') {
            no += 1;
            out.push(SourceLine {
                no,
                text: piece.to_string(),
                kind: LineKind::Text,
            });
        }
    }
    if text.ends_with('\n') {
        out.pop();
    }
    out
}

impl Extractor for PlainText {
    fn format(&self) -> &'static str {
        "txt"
    }

    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        let (text, encoding) = decode(bytes)?;
        Ok(Extracted {
            lines: split_lines(&text),
            encoding,
            metadata: BTreeMap::new(),
        })
    }
}

impl Extractor for Markdown {
    fn format(&self) -> &'static str {
        "md"
    }

    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        let (text, encoding) = decode(bytes)?;
        let mut lines = split_lines(&text);
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
        assert_eq!(decode(b"a\0b"), Err(ExtractError::Binary));
        assert_eq!(
            decode(b"line one\nsmart \x93quote\x94"),
            Err(ExtractError::NotUtf8 {
                byte: 0x93,
                line: 2
            })
        );
    }

    #[test]
    fn lines_are_numbered_for_all_line_endings() {
        let l = split_lines("a\r\nb\rc\nd\n");
        let got: Vec<(u32, &str)> = l.iter().map(|x| (x.no, x.text.as_str())).collect();
        assert_eq!(got, vec![(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
    }

    #[test]
    fn markdown_front_matter_headings_and_links() {
        let md = "---\ntitle: \"A report\"\nyear: 2011\n---\n# The **Code** of conduct\n\nSee [the report](http://x.org/r) and _emphasis_ in snake_case.\n- item one\n";
        let e = Markdown.extract(md.as_bytes()).unwrap();
        assert_eq!(
            e.metadata.get("title").map(String::as_str),
            Some("A report")
        );
        assert_eq!(e.metadata.get("year").map(String::as_str), Some("2011"));
        assert_eq!(e.lines[0].text, "");
        assert_eq!(e.lines[4].text, "The Code of conduct");
        assert_eq!(e.lines[4].kind, LineKind::Heading);
        assert_eq!(e.lines[4].no, 5);
        assert_eq!(
            e.lines[6].text,
            "See the report and emphasis in snake_case."
        );
        assert_eq!(e.lines[7].kind, LineKind::ListItem);
        assert_eq!(e.lines[7].text, "item one");
    }
}
