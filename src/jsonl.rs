//! The JSON-lines format of `tanda code --jsonl`, defined once.
//!
//! Why a module of its own: the coded record is written by `tanda code` (the
//! map step of a cluster job) and read back by `tanda report` (the reduce
//! step). With one [`Record`] type serialised by the one and deserialised by
//! the other, the two cannot drift apart. And the input side is hostile by
//! nature (dumps of scraped text, files cut short, the wrong file given):
//! [`Lines`] reads lines with a cap, so a file without newlines (or
//! `/dev/zero`) never grows memory past the cap, strips a UTF-8 byte-order
//! mark, and turns a line that is not UTF-8 into a [`LineError`] of that line
//! alone, so the lines around it are still coded.
//!
//! Coding is linear in the size of a line: the character offsets of hits
//! are found by walking each passage once ([`crate::text::CharCursor`]), and nothing is
//! computed for hits when they are left out.

use std::collections::BTreeMap;
use std::io::{self, BufRead};

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::codebook::Matcher;
use crate::coder::code;
use crate::corpus::{Unit, extract, normalize, segment};
use crate::report::write::entry_text;

/// The default of `--max-doc-mb`: the most text one document (one input
/// line) may hold, in MB; the same limit as for a corpus folder.
pub const DEFAULT_MAX_DOC_MB: usize = crate::corpus::extract::Limits::DEFAULT_MB as usize;

/// Bytes in one MB of `--max-doc-mb` (1 MB = 1,048,576 bytes).
pub const MB: usize = 1 << 20;

/// The most bytes one coded record line may hold when read back, for a
/// document cap of `max_doc` bytes: the passage text (JSON-escaped) plus
/// its hits, which repeat the matched words.
pub fn record_cap(max_doc: usize) -> usize {
    max_doc.saturating_mul(16)
}

/// Why one input line was skipped. Each message says what is wrong, then
/// (after `; `) what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// Longer than the cap; the rest of the line was discarded unread.
    #[error("the line exceeds {mb} MB (--max-doc-mb to raise)")]
    TooLong {
        /// The cap, in whole MB.
        mb: usize,
    },
    /// The line is not valid UTF-8.
    #[error(
        "not UTF-8 (an invalid byte at byte {offset} of the line); save the input as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)"
    )]
    NotUtf8 {
        /// 1-based byte offset of the first invalid byte in the line.
        offset: usize,
    },
    /// The line is not valid JSON.
    #[error("not JSON ({message}); give one JSON object per line")]
    NotJson {
        /// The parser's message, with the column.
        message: String,
    },
    /// The line is JSON but not an object.
    #[error("a JSON {found} where an object is expected; give one JSON object per line")]
    NotObject {
        /// What was found instead (`array`, `string`, ...).
        found: &'static str,
    },
    /// The object has no usable id field.
    #[error(
        "no `{field}` field (a string or number); add it, or name the id field with --id-field"
    )]
    NoId {
        /// The id field looked for (`--id-field`).
        field: String,
    },
    /// The object has no text string field.
    #[error("no `{field}` string field; add it, or name the text field with --text-field")]
    NoText {
        /// The text field looked for (`--text-field`).
        field: String,
    },
}

/// A serde_json error without its " at line 1 column N" suffix (our lines
/// are numbered by the caller), with the column in front instead.
pub fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match s.strip_suffix(&suffix) {
        Some(msg) if e.line() == 1 => format!("column {}: {msg}", e.column()),
        Some(msg) => format!(
            "line {} of the record, column {}: {msg}",
            e.line(),
            e.column()
        ),
        None => s,
    }
}

/// Lines of a byte stream, each at most `max` bytes (the newline and a
/// `\r` before it not counted), read without ever holding more than `max`
/// bytes of one line. A UTF-8 byte-order mark at the start is removed.
pub struct Lines<R> {
    inner: R,
    max: usize,
    /// Number of the last line given out (1-based).
    lineno: usize,
    /// Discarding the rest of a line that was too long.
    discarding: bool,
    at_start: bool,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    /// Read lines of at most `max` bytes from `inner`.
    pub fn new(inner: R, max: usize) -> Self {
        Lines {
            inner,
            max,
            lineno: 0,
            discarding: false,
            at_start: true,
            done: false,
        }
    }

    /// The reader, to finish reading it.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The cap in whole MB, as messages say it.
    fn mb(&self) -> usize {
        self.max.div_ceil(MB)
    }

    /// Throw away bytes up to and including the next newline.
    fn discard_line(&mut self) -> io::Result<()> {
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                self.done = true;
                return Ok(());
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    self.inner.consume(i + 1);
                    return Ok(());
                }
                None => {
                    let n = buf.len();
                    self.inner.consume(n);
                }
            }
        }
    }

    /// The next lines to code together: at most `lines` non-blank lines or
    /// `bytes` of text, each with its line number. A line that cannot be
    /// used ends the chunk, so it is said at once: after a line too long the
    /// reader may discard for long (or for ever, on /dev/zero). Empty at the
    /// end of the input.
    pub fn next_chunk(
        &mut self,
        lines: usize,
        bytes: usize,
    ) -> io::Result<Vec<(usize, Result<String, LineError>)>> {
        let mut chunk = Vec::new();
        let mut size = 0usize;
        while let Some((n, line)) = self.next_line()? {
            match line {
                Ok(l) if l.trim().is_empty() => continue,
                Ok(l) => {
                    size += l.len();
                    chunk.push((n, Ok(l)));
                }
                Err(e) => {
                    chunk.push((n, Err(e)));
                    break;
                }
            }
            if chunk.len() == lines || size >= bytes {
                break;
            }
        }
        Ok(chunk)
    }

    /// The next line: its number and its text, or why it cannot be used.
    /// `Ok(None)` at the end of the input. A line too long is reported as
    /// soon as the cap is passed; its rest is discarded on the next call.
    pub fn next_line(&mut self) -> io::Result<Option<(usize, Result<String, LineError>)>> {
        if self.discarding {
            self.discarding = false;
            self.discard_line()?;
        }
        if self.done {
            return Ok(None);
        }
        let mut line: Vec<u8> = Vec::new();
        let mut any = false;
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                self.done = true;
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, newline) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            // `+ 1`: room for a `\r` before the newline, which is not text.
            if line.len() + take > self.max + 1 {
                self.lineno += 1;
                self.at_start = false;
                if newline {
                    self.inner.consume(take + 1);
                } else {
                    self.inner.consume(take);
                    self.discarding = true;
                }
                return Ok(Some((
                    self.lineno,
                    Err(LineError::TooLong { mb: self.mb() }),
                )));
            }
            line.extend_from_slice(&buf[..take]);
            self.inner.consume(take + usize::from(newline));
            if newline {
                break;
            }
        }
        self.lineno += 1;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > self.max {
            self.at_start = false;
            return Ok(Some((
                self.lineno,
                Err(LineError::TooLong { mb: self.mb() }),
            )));
        }
        if std::mem::take(&mut self.at_start) && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        let text = String::from_utf8(line).map_err(|e| LineError::NotUtf8 {
            offset: e.utf8_error().valid_up_to() + 1,
        });
        Ok(Some((self.lineno, text)))
    }
}

/// One hit in a [`Record`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitRecord {
    // Fields in alphabetical order: the order serde_json has always
    // written them in (its maps sort keys), kept so output stays the same.
    /// The category id.
    pub category: String,
    /// Character offset (Unicode scalar values) where the match ends.
    pub end: usize,
    /// The entry (or regex) that matched, as displayed.
    pub entry: String,
    /// The passage text it matched.
    pub matched: String,
    /// Character offset where the match starts.
    pub start: usize,
}

/// One coded passage: one line of `tanda code --jsonl` output.
///
/// Per-category maps are keyed by category id. Fields are in alphabetical
/// order, as the output has always been.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Ids of the categories the passage is coded for (absent in output
    /// of older tanda: then the thresholds decide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coded: Option<Vec<String>>,
    /// Counter-indicator hits (weighted codebooks only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_counter"
    )]
    pub counter: Option<BTreeMap<String, u32>>,
    /// Counted hits.
    #[serde(deserialize_with = "de_counts")]
    pub counts: BTreeMap<String, u32>,
    /// The id of the document (input line) the passage comes from.
    pub doc_id: String,
    /// Every match in the passage (counter-indicators too), when hits were
    /// asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hits: Option<Vec<HitRecord>>,
    /// The input line's fields other than id and text.
    #[serde(default)]
    pub metadata: Map<String, Value>,
    /// The passage id.
    pub passage_id: String,
    /// Scores (weighted codebooks only): they decide coding under
    /// `min_score`, so `tanda report` needs them.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_scores"
    )]
    pub scores: Option<BTreeMap<String, f64>>,
    /// The passage text.
    pub text: String,
    /// The coding unit (document, paragraph, sentence, ...).
    pub unit: String,
    /// Words in the passage.
    #[serde(deserialize_with = "de_words")]
    pub words: u64,
}

/// A count as records hold it: a whole number from 0 to 4,294,967,295 (a
/// larger one is an error, never wrapped or cut).
pub fn whole_u32(v: f64) -> Option<u32> {
    (v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)).then_some(v as u32)
}

fn not_a_count<E: serde::de::Error>(v: f64, what: &str) -> E {
    E::custom(format!(
        "`{v}` in `{what}` is not a count (a whole number from 0 to {})",
        u32::MAX
    ))
}

fn per_category<'de, D: Deserializer<'de>>(
    d: D,
    field: &str,
) -> Result<BTreeMap<String, u32>, D::Error> {
    let raw = BTreeMap::<String, f64>::deserialize(d)?;
    raw.into_iter()
        .map(|(k, v)| match whole_u32(v) {
            Some(n) => Ok((k, n)),
            None => Err(not_a_count(v, &format!("{field}.{k}"))),
        })
        .collect()
}

fn de_counts<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, u32>, D::Error> {
    per_category(d, "counts")
}

fn de_counter<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BTreeMap<String, u32>>, D::Error> {
    per_category(d, "counter").map(Some)
}

fn de_scores<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BTreeMap<String, f64>>, D::Error> {
    // A score that is not finite is written as null; read as 0, as
    // `tanda report` always has.
    let raw = BTreeMap::<String, Option<f64>>::deserialize(d)?;
    Ok(Some(
        raw.into_iter()
            .map(|(k, v)| (k, v.unwrap_or(0.0)))
            .collect(),
    ))
}

fn de_words<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = f64::deserialize(d)?;
    whole_u32(v)
        .map(u64::from)
        .ok_or_else(|| not_a_count(v, "words"))
}

impl Record {
    /// The record as one line of JSON (without the newline).
    pub fn to_line(&self) -> String {
        // A struct of strings, numbers and maps with string keys cannot
        // fail to serialise; should it, the error is written in its place.
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// A record from one line of JSON.
    pub fn from_line(line: &str) -> Result<Record, serde_json::Error> {
        serde_json::from_str(line)
    }
}

/// How input lines are read and coded (`tanda code`'s options).
#[derive(Debug, Clone)]
pub struct Options {
    /// The coding unit passages are cut into.
    pub unit: Unit,
    /// The field holding the document id.
    pub id_field: String,
    /// The field holding the text.
    pub text_field: String,
    /// Give each passage's hits.
    pub hits: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            unit: Unit::default(),
            id_field: "id".into(),
            text_field: "text".into(),
            hits: true,
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Code one input line (`{"id": …, "text": …, …metadata}`) into the records
/// of its passages.
pub fn code_line(m: &Matcher, opts: &Options, line: &str) -> Result<Vec<Record>, LineError> {
    let v: Value = serde_json::from_str(line).map_err(|e| LineError::NotJson {
        message: json_message(&e),
    })?;
    let Value::Object(mut obj) = v else {
        return Err(LineError::NotObject { found: kind(&v) });
    };
    let id = match obj.get(&opts.id_field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(LineError::NoId {
                field: opts.id_field.clone(),
            });
        }
    };
    let text = match obj.remove(&opts.text_field) {
        Some(Value::String(s)) => s,
        _ => {
            return Err(LineError::NoText {
                field: opts.text_field.clone(),
            });
        }
    };
    obj.remove(&opts.id_field);
    let metadata = obj;
    let paragraphs = normalize::paragraphs(&extract::split_lines(&text));
    drop(text);
    let unit = opts.unit.to_string();
    let per_cat = |f: &dyn Fn(usize) -> u32| -> BTreeMap<String, u32> {
        m.categories
            .iter()
            .enumerate()
            .map(|(i, cat)| (cat.id.clone(), f(i)))
            .collect()
    };
    let mut out = Vec::new();
    for p in segment(&id, &paragraphs, opts.unit) {
        let c = code(m, &p.text);
        let coded: Vec<String> = (0..m.categories.len())
            .filter(|&i| c.is_coded(m, i))
            .map(|i| m.categories[i].id.clone())
            .collect();
        let hits = opts.hits.then(|| {
            // Hits come in text order: one walk of the passage for all.
            let mut at = crate::text::CharCursor::new(&p.text);
            c.hits
                .iter()
                .map(|h| {
                    let matched = p.text.get(h.span.clone()).unwrap_or_default();
                    let start = at.at(h.span.start);
                    HitRecord {
                        category: m.categories[h.category].id.clone(),
                        end: start + matched.chars().count(),
                        entry: entry_text(m, h.category, h.entry),
                        matched: matched.to_string(),
                        start,
                    }
                })
                .collect()
        });
        let weighted = m.is_weighted();
        out.push(Record {
            coded: Some(coded),
            counter: weighted.then(|| per_cat(&|i| c.counter[i])),
            counts: per_cat(&|i| c.counts[i]),
            doc_id: id.clone(),
            hits,
            metadata: metadata.clone(),
            passage_id: p.id,
            scores: weighted.then(|| {
                m.categories
                    .iter()
                    .enumerate()
                    .map(|(i, cat)| (cat.id.clone(), c.scores[i]))
                    .collect()
            }),
            text: p.text,
            unit: unit.clone(),
            words: c.words as u64,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(usize, Result<String, LineError>)> {
        let mut r = Lines::new(input, max);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(l);
        }
        out
    }

    #[test]
    fn lines_are_numbered_and_crlf_is_not_text() {
        let got = lines(b"a\r\nb\n\nc", 10);
        assert_eq!(
            got,
            vec![
                (1, Ok("a".into())),
                (2, Ok("b".into())),
                (3, Ok(String::new())),
                (4, Ok("c".into()))
            ]
        );
        assert!(lines(b"", 10).is_empty());
        assert_eq!(lines(b"x\n", 10), vec![(1, Ok("x".into()))]);
    }

    #[test]
    fn a_bom_is_removed_from_line_one_only() {
        let got = lines(b"\xEF\xBB\xBF{}\n\xEF\xBB\xBF{}\n", 10);
        assert_eq!(got[0], (1, Ok("{}".into())));
        assert_eq!(got[1], (2, Ok("\u{feff}{}".into())));
    }

    #[test]
    fn a_long_line_is_skipped_and_the_next_read() {
        // Cap 4: "abcd" fits, "abcde" does not; a 1-byte buffer makes the
        // cap be crossed within one line's many reads.
        let input: &[u8] = b"abcd\nabcde\nok\nabcdefghij";
        for cap in [1, 3, 64] {
            let r = std::io::BufReader::with_capacity(cap, input);
            let mut l = Lines::new(r, 4);
            let mut got = Vec::new();
            while let Some(x) = l.next_line().unwrap() {
                got.push(x);
            }
            let too = Err(LineError::TooLong { mb: 1 });
            assert_eq!(
                got,
                vec![
                    (1, Ok("abcd".into())),
                    (2, too.clone()),
                    (3, Ok("ok".into())),
                    (4, too)
                ],
                "buffer {cap}"
            );
        }
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        let got = lines(b"ok\nab\xFFc\nok\n", 10);
        assert_eq!(got[1], (2, Err(LineError::NotUtf8 { offset: 3 })));
        assert_eq!(got[2], (3, Ok("ok".into())));
    }

    #[test]
    fn a_record_with_an_oversized_count_names_it() {
        let line = r#"{"coded":[],"counts":{"a":1e12},"doc_id":"d","metadata":{},"passage_id":"d#p1","text":"","unit":"paragraph","words":0}"#;
        let e = Record::from_line(line).unwrap_err();
        assert!(
            json_message(&e).contains("`1000000000000` in `counts.a` is not a count"),
            "{e}"
        );
    }

    #[test]
    fn line_errors_say_what_is_wrong() {
        let (cb, _) = crate::codebook::load(None).unwrap();
        let m = Matcher::compile(&cb);
        let o = Options::default();
        let err = |l: &str| code_line(&m, &o, l).unwrap_err();
        assert!(matches!(err("not json"), LineError::NotJson { .. }));
        assert_eq!(err("[1]"), LineError::NotObject { found: "array" });
        assert_eq!(
            err(r#"{"text":"x"}"#),
            LineError::NoId { field: "id".into() }
        );
        assert_eq!(
            err(r#"{"id":1,"text":2}"#),
            LineError::NoText {
                field: "text".into()
            }
        );
    }
}
