//! A spanned document tree shared by the TOML and JSON codebook readers, so
//! one walker turns either into a codebook with the same line/column
//! diagnostics.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A value with the byte range it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct SValue {
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Arr(Vec<SValue>),
    /// Keys with their spans, in document order (TOML: key order).
    Obj(Vec<(String, Range<usize>, SValue)>),
    Null,
    /// A TOML date/time, or an integer out of range.
    Other(&'static str),
}

impl SValue {
    pub fn type_str(&self) -> &'static str {
        match &self.kind {
            Kind::Str(_) => "a string",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Bool(_) => "a boolean",
            Kind::Arr(_) => "a list",
            Kind::Obj(_) => "a table",
            Kind::Null => "null",
            Kind::Other(t) => t,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.kind {
            Kind::Int(i) => Some(i as f64),
            Kind::Float(f) => Some(f),
            _ => None,
        }
    }
}

/// A syntax error: where and what.
pub type SyntaxError = (Range<usize>, String);

/// Most syntax errors reported from one file.
const MAX_SYNTAX_ERRORS: usize = 20;
/// Most trial parses spent looking for repairs (each reads the whole file).
const MAX_REPAIR_PARSES: usize = 60;

/// Read TOML into the tree, or return its syntax errors: each real one, not
/// the cascade that follows a missing bracket (see [`independent_errors`]).
pub fn from_toml(source: &str) -> Result<SValue, Vec<SyntaxError>> {
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(independent_errors(source, syntax_errors(errors)));
    }
    Ok(SValue {
        span: doc.span(),
        kind: table_kind(doc.get_ref()),
    })
}

/// The syntax errors of `text`, in file order.
fn toml_errors(text: &str) -> Vec<SyntaxError> {
    syntax_errors(DeTable::parse_recoverable(text).1)
}

fn syntax_errors(errors: Vec<toml::de::Error>) -> Vec<SyntaxError> {
    let mut out: Vec<SyntaxError> = errors
        .into_iter()
        .map(|e| {
            (
                e.span().unwrap_or(0..0),
                format!("TOML syntax: {}", e.message().trim()),
            )
        })
        .collect();
    out.sort_by_key(|(span, _)| (span.start, span.end));
    out
}

/// Text inserted into a copy of the source to step over an error, kept to
/// map positions in the copy back to the source.
#[derive(Default)]
struct Inserts(Vec<(usize, usize)>);

impl Inserts {
    fn add(&mut self, at: usize, len: usize) {
        for (p, _) in &mut self.0 {
            if *p >= at {
                *p += len;
            }
        }
        self.0.push((at, len));
        self.0.sort_unstable();
    }

    /// A byte offset in the copy as an offset in the source.
    fn to_source(&self, x: usize) -> usize {
        let mut shift = 0;
        for &(p, n) in &self.0 {
            if x >= p + n {
                shift += n;
            } else if x >= p {
                return p - shift;
            } else {
                break;
            }
        }
        x - shift
    }
}

/// The syntax errors of a TOML file worth showing. A recovering parser that
/// meets a missing `]` reads the rest of the file as the unclosed list and
/// reports an error on nearly every line after it (thousands for the
/// built-in codebook). So: report the first error, then try the small
/// repairs a human would make there (a missing `,`, `]`, `}`, quote or `=`;
/// a list or inline table closed before the line with the error) on a copy
/// of the text, keep the repair that leaves the fewest errors, all of them
/// past this one, and go on with the next error. When no repair gets past an
/// error, the errors after it may all be its echo and are not reported.
fn independent_errors(source: &str, mut errors: Vec<SyntaxError>) -> Vec<SyntaxError> {
    let mut text = source.to_string();
    let mut inserts = Inserts::default();
    let mut out: Vec<SyntaxError> = Vec::new();
    let mut parses = 0;
    while let Some((span, message)) = errors.first().cloned() {
        let start = inserts.to_source(span.start);
        let end = inserts.to_source(span.end).max(start);
        out.push((start..end, message));
        if out.len() >= MAX_SYNTAX_ERRORS {
            break;
        }
        let at = span.start.min(text.len());
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        // Fuller repairs first: a candidate that fixes exactly this error
        // and leaves the rest as it was ends the search, so `"}` must be
        // tried before `"` (a string and its table left open).
        let candidates = [
            (at, ","),
            (at, "\"},"),
            (at, "\"}"),
            (at, "\"]"),
            (at, "\""),
            (at, "'"),
            (at, "]"),
            (at, "}"),
            (at, "="),
            (line_start, "]\n"),
            (line_start, "}\n"),
            (line_start, "},\n"),
        ];
        let mut best: Option<(usize, &str, Vec<SyntaxError>)> = None;
        if parses >= MAX_REPAIR_PARSES {
            break;
        }
        for (pos, insert) in candidates {
            if !text.is_char_boundary(pos) {
                continue;
            }
            let mut repaired = text.clone();
            repaired.insert_str(pos, insert);
            let rest = toml_errors(&repaired);
            parses += 1;
            // Past this error: what remains starts after where it was, and
            // after its line when the repair closed something before it.
            let shifted = at + insert.len();
            let must_pass = if pos == at {
                shifted
            } else {
                repaired[shifted..]
                    .find('\n')
                    .map_or(repaired.len(), |i| shifted + i)
            };
            let past = rest.first().is_none_or(|(s, _)| s.start > must_pass);
            let better = best
                .as_ref()
                .map_or(rest.len() < errors.len(), |b| rest.len() < b.2.len());
            if past && better {
                // Fixed this error and touched nothing else: no candidate
                // can do better, stop trying.
                let exact = rest.is_empty()
                    || (rest.len() + 1 == errors.len()
                        && rest.iter().zip(&errors[1..]).all(|(now, before)| {
                            now.1 == before.1 && now.0.start == before.0.start + insert.len()
                        }));
                best = Some((pos, insert, rest));
                if exact {
                    break;
                }
            }
            if parses >= MAX_REPAIR_PARSES {
                break;
            }
        }
        let Some((pos, insert, rest)) = best else {
            break;
        };
        // The parser's own words for an unclosed list or table name the
        // symptom (`string values must be quoted`, `unexpected =`) where it
        // noticed it. Say the cause, where the bracket belongs: after the
        // last value, before the blank and comment lines that follow it.
        let closer = match insert {
            "]\n" => Some(("]", "list")),
            "}\n" | "},\n" => Some(("}", "inline table")),
            _ => None,
        };
        if let (Some((bracket, what)), Some(last)) = (closer, out.last_mut()) {
            let mut here = pos;
            while here > 0 {
                let prev_start = text[..here - 1].rfind('\n').map_or(0, |i| i + 1);
                let prev = text[prev_start..here - 1].trim();
                if !(prev.is_empty() || prev.starts_with('#')) {
                    break;
                }
                here = prev_start;
            }
            let next_line = text[pos..].lines().next().unwrap_or("").trim();
            let mut shown: String = next_line.chars().take(40).collect();
            if shown.len() < next_line.len() {
                shown.push('…');
            }
            let at = inserts.to_source(here);
            *last = (
                at..at,
                format!(
                    "TOML syntax: missing `{bracket}`: the {what} above is not closed before `{shown}`"
                ),
            );
        }
        text.insert_str(pos, insert);
        inserts.add(pos, insert.len());
        errors = rest;
    }
    out
}

fn table_kind(t: &DeTable<'_>) -> Kind {
    Kind::Obj(
        t.iter()
            .map(|(k, v)| {
                (
                    k.get_ref().to_string(),
                    k.span(),
                    toml_value(v.get_ref(), v.span()),
                )
            })
            .collect(),
    )
}

fn toml_value(v: &DeValue<'_>, span: Range<usize>) -> SValue {
    let kind = match v {
        DeValue::String(s) => Kind::Str(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Kind::Int(n),
            Err(_) => Kind::Other("an integer out of range"),
        },
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) => Kind::Float(x),
            Err(_) => Kind::Other("a special float"),
        },
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(_) => Kind::Other("a date"),
        DeValue::Array(a) => Kind::Arr(
            a.iter()
                .map(|x| toml_value(x.get_ref(), x.span()))
                .collect(),
        ),
        DeValue::Table(t) => table_kind(t),
    };
    SValue { span, kind }
}

/// Deepest nesting accepted in JSON (a codebook needs about 4).
const MAX_DEPTH: usize = 64;

/// Read JSON into the tree. Stops at the first syntax error.
pub fn from_json(source: &str) -> Result<SValue, SyntaxError> {
    let mut p = JsonParser {
        s: source.as_bytes(),
        src: source,
        i: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err((
            p.i..p.i + 1,
            "JSON syntax: unexpected text after the end of the document".into(),
        ));
    }
    Ok(v)
}

struct JsonParser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn err<T>(&self, msg: &str) -> Result<T, SyntaxError> {
        let end = (self.i + 1).min(self.s.len());
        Err((self.i..end, format!("JSON syntax: {msg}")))
    }

    fn value(&mut self, depth: usize) -> Result<SValue, SyntaxError> {
        if depth > MAX_DEPTH {
            return self.err("nested too deeply");
        }
        let start = self.i;
        let Some(&c) = self.s.get(self.i) else {
            return self.err("unexpected end of file; a value was expected");
        };
        let kind = match c {
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => Kind::Str(self.string()?),
            b't' => self.word("true", Kind::Bool(true))?,
            b'f' => self.word("false", Kind::Bool(false))?,
            b'n' => self.word("null", Kind::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => {
                return self
                    .err("expected a value (string, number, list, object, true, false or null)");
            }
        };
        Ok(SValue {
            span: start..self.i,
            kind,
        })
    }

    fn word(&mut self, w: &str, k: Kind) -> Result<Kind, SyntaxError> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(k)
        } else {
            self.err("expected a value (string, number, list, object, true, false or null)")
        }
    }

    fn number(&mut self) -> Result<Kind, SyntaxError> {
        let start = self.i;
        while self.i < self.s.len()
            && matches!(
                self.s[self.i],
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
            )
        {
            self.i += 1;
        }
        let text = &self.src[start..self.i];
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Kind::Int(n));
        }
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Kind::Float(x)),
            _ => {
                self.i = start;
                self.err("malformed number")
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let Some(h) = self.src.get(self.i..self.i + 4) else {
            return self.err("truncated \\u escape");
        };
        let v = u32::from_str_radix(h, 16).or_else(|_| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return self.err("unterminated string");
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        return self.err("unterminated string");
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.i -= 1;
                            return self.err("unknown escape in string");
                        }
                    }
                }
                c if c < 0x20 => return self.err("control character in string; escape it"),
                _ => {
                    // Copy a run of plain bytes (always whole UTF-8 characters,
                    // since the run stops only at ASCII bytes).
                    let start = self.i;
                    while self.i < self.s.len()
                        && !matches!(self.s[self.i], b'"' | b'\\' | 0..=0x1F)
                    {
                        self.i += 1;
                    }
                    out.push_str(&self.src[start..self.i]);
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Kind::Arr(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Kind::Arr(items));
                }
                _ => return self.err("expected `,` or `]` in a list"),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        self.i += 1;
        let mut fields = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Kind::Obj(fields));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return self.err("expected a quoted key");
            }
            let kstart = self.i;
            let key = self.string()?;
            let kspan = kstart..self.i;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return self.err("expected `:` after a key");
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth + 1)?;
            fields.push((key, kspan, v));
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Kind::Obj(fields));
                }
                _ => return self.err("expected `,` or `}` in an object"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(src: &str, offset: usize) -> usize {
        src[..offset].matches('\n').count() + 1
    }

    #[test]
    fn a_missing_bracket_is_one_error_not_a_cascade() {
        // The `]` of `a` is missing: the recovering parser alone reports
        // every later line; the list should have closed before line 5.
        let src =
            "name = \"T\"\na = [\n  \"x\",\n  \"y\",\nb = [\n  \"z\",\n]\nc = 1\nd = [1, 2]\n";
        let (_, raw) = DeTable::parse_recoverable(src);
        assert!(raw.len() > 1, "the raw parser cascades: {raw:?}");
        let errs = from_toml(src).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(line_of(src, errs[0].0.start), 5);
        assert!(errs[0].1.contains("missing `]`"), "{}", errs[0].1);
    }

    #[test]
    fn independent_errors_are_all_reported_at_their_lines() {
        // Two missing commas (lines 3 and 6) and a missing `]` before line 8.
        let src = "a = [\n  \"x\",\n  \"y\" \"z\",\n]\nb = [\n  \"p\" \"q\",\n  \"r\",\nc = 2\n";
        let errs = from_toml(src).unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|(s, _)| line_of(src, s.start)).collect();
        assert_eq!(lines, vec![3, 6, 8], "{errs:?}");
        // An error no small repair gets past ends the list: what follows
        // may be its echo.
        let src = "b = [\n  1 2,\n  3,\nc = 2\n";
        let errs = from_toml(src).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(line_of(src, errs[0].0.start), 2);
    }

    #[test]
    fn inserted_text_maps_back_to_source_offsets() {
        let mut ins = Inserts::default();
        ins.add(10, 2); // copy: 0..10 source, 10..12 inserted, 12.. = source 10..
        ins.add(4, 1); // copy: 0..4, [4] inserted, 5..11 = source 4..10, 11..13 inserted
        assert_eq!(ins.to_source(3), 3);
        assert_eq!(ins.to_source(4), 4);
        assert_eq!(ins.to_source(5), 4);
        assert_eq!(ins.to_source(12), 10);
        assert_eq!(ins.to_source(13), 10);
        assert_eq!(ins.to_source(20), 17);
    }

    #[test]
    fn json_values_and_spans() {
        let src = r#"{"name": "T", "n": [1, 2.5, true, null], "s": "a\"\u00e9\ud83d\ude00"}"#;
        let v = from_json(src).unwrap();
        let Kind::Obj(fields) = &v.kind else { panic!() };
        assert_eq!(fields[0].0, "name");
        assert_eq!(&src[fields[0].2.span.clone()], "\"T\"");
        let Kind::Arr(items) = &fields[1].2.kind else {
            panic!()
        };
        assert_eq!(items[0].kind, Kind::Int(1));
        assert_eq!(items[1].kind, Kind::Float(2.5));
        assert_eq!(items[3].kind, Kind::Null);
        assert_eq!(fields[2].2.kind, Kind::Str("a\"é😀".into()));
    }

    #[test]
    fn json_errors_point_at_the_problem() {
        for (src, at) in [
            ("{\"a\" 1}", 5),
            ("[1, 2", 5),
            ("{\"a\": tru}", 6),
            ("\"abc", 4),
            ("[1] x", 4),
        ] {
            let (span, msg) = from_json(src).unwrap_err();
            assert_eq!(span.start, at, "{src}: {msg}");
        }
        let deep = "[".repeat(1000);
        assert!(from_json(&deep).is_err());
    }

    #[test]
    fn toml_tree_keeps_spans() {
        let src = "name = \"T\"\n[[category]]\nid = \"a\"\n";
        let v = from_toml(src).unwrap();
        let Kind::Obj(fields) = &v.kind else { panic!() };
        let cat = fields.iter().find(|f| f.0 == "category").unwrap();
        let Kind::Arr(items) = &cat.2.kind else {
            panic!()
        };
        let Kind::Obj(c) = &items[0].kind else {
            panic!()
        };
        assert_eq!(&src[c[0].2.span.clone()], "\"a\"");
    }
}
