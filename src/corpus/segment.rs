//! Units of analysis: documents, paragraphs, sentences, articles of a
//! statute or windows of N words, with stable ids
//! (`reports/ecpat-2011.txt#p12`, `laws/uu-21-2007.txt#a3`, `x.txt#w2`).

use std::fmt;
use std::str::FromStr;

use unicode_segmentation::UnicodeSegmentation;

use super::extract::Loc;
use super::normalize::Paragraph;

/// The unit a passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// The whole document is one passage (`#doc`).
    Document,
    /// One passage per paragraph (`#p1`, `#p2`, ...), the default.
    #[default]
    Paragraph,
    /// One passage per sentence (`#s1`, ...).
    Sentence,
    /// Articles of a statute: cut at headings such as `Article 3`,
    /// `Pasal 3`, `§ 3` (see [`Segmenter::headings`]).
    Article,
    /// Non-overlapping windows of this many words (the last may be shorter).
    Window(usize),
}

/// Where a passage stands in its document: the part of a passage id after
/// `#` (`p3`, `s12`, `a3`, `w3`, `doc`). Ids are written and read back only
/// through this type, so every reader of passages.csv, hits.csv, a coder
/// sheet or a REFI-QDA project agrees with the segmenter that made them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassageId {
    /// The n-th paragraph (1-based).
    Paragraph(usize),
    /// The n-th sentence of the document (1-based).
    Sentence(usize),
    /// The n-th article; 0 is the text before the first article heading.
    Article(usize),
    /// The n-th window (1-based).
    Window(usize),
    /// The whole document.
    Document,
}

impl PassageId {
    /// The full id of this passage of document `doc_id`: `DOC_ID#p3`.
    pub fn of(&self, doc_id: &str) -> String {
        format!("{doc_id}#{self}")
    }

    /// Split a full passage id into its document id and place; `None` when
    /// it has no `#` or the part after the last `#` is not a place.
    pub fn parse(id: &str) -> Option<(&str, PassageId)> {
        let (doc, place) = id.rsplit_once('#')?;
        Some((doc, place.parse().ok()?))
    }

    /// The unit of passages with ids like this one; `None` for windows,
    /// whose size the id does not say.
    pub fn unit(&self) -> Option<Unit> {
        match self {
            PassageId::Paragraph(_) => Some(Unit::Paragraph),
            PassageId::Sentence(_) => Some(Unit::Sentence),
            PassageId::Article(_) => Some(Unit::Article),
            PassageId::Window(_) => None,
            PassageId::Document => Some(Unit::Document),
        }
    }
}

impl fmt::Display for PassageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PassageId::Paragraph(n) => write!(f, "p{n}"),
            PassageId::Sentence(n) => write!(f, "s{n}"),
            PassageId::Article(n) => write!(f, "a{n}"),
            PassageId::Window(n) => write!(f, "w{n}"),
            PassageId::Document => f.write_str("doc"),
        }
    }
}

impl std::str::FromStr for PassageId {
    type Err = ();

    /// `p3`, `s12`, `a0`, `w3` or `doc`.
    fn from_str(s: &str) -> Result<Self, ()> {
        if s == "doc" {
            return Ok(PassageId::Document);
        }
        let (kind, num) = s.split_at(s.chars().next().map_or(0, char::len_utf8));
        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let n: usize = num.parse().map_err(|_| ())?;
        match kind {
            "p" => Ok(PassageId::Paragraph(n)),
            "s" => Ok(PassageId::Sentence(n)),
            "a" => Ok(PassageId::Article(n)),
            "w" => Ok(PassageId::Window(n)),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Document => "document",
            Unit::Paragraph => "paragraph",
            Unit::Sentence => "sentence",
            Unit::Article => "article",
            Unit::Window(n) => return write!(f, "window:{n}"),
        })
    }
}

impl FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "document" | "doc" => Ok(Unit::Document),
            "paragraph" | "para" => Ok(Unit::Paragraph),
            "sentence" => Ok(Unit::Sentence),
            "article" | "articles" => Ok(Unit::Article),
            other => match other.strip_prefix("window:") {
                Some(n) => n
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1)
                    .map(Unit::Window)
                    .ok_or_else(|| {
                        format!("`{other}`: give the window's size in words, e.g. window:200")
                    }),
                None => Err(format!(
                    "unknown unit `{other}`; use document, paragraph, sentence, article or window:N (N words)"
                )),
            },
        }
    }
}

/// One passage of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// `DOC_ID#p3`, `DOC_ID#s12`, `DOC_ID#a3`, `DOC_ID#w3` or `DOC_ID#doc`.
    pub id: String,
    /// The passage text.
    pub text: String,
    /// (byte offset in `text`, source line): see [`Paragraph::lines`].
    pub lines: Vec<(usize, Loc)>,
}

impl Passage {
    /// Source line of a byte offset in the passage text.
    pub fn line_at(&self, byte: usize) -> Loc {
        let i = self.lines.partition_point(|&(off, _)| off <= byte);
        self.lines
            .get(i.saturating_sub(1))
            .map_or(Loc::default(), |&(_, l)| l)
    }
}

/// Cut a document's paragraphs into passages of `unit` (articles at the
/// built-in headings; every passage kept).
pub fn segment(doc_id: &str, paragraphs: &[Paragraph], unit: Unit) -> Vec<Passage> {
    Segmenter::new(unit).segment(doc_id, paragraphs).passages
}

/// How documents are cut into passages: the unit, the heading pattern of
/// articles, and the shortest passage kept.
#[derive(Debug, Clone, Default)]
pub struct Segmenter {
    /// The unit passages are cut into.
    pub unit: Unit,
    /// Headings that start an article (`--unit-regex`), matched at the
    /// start of a line; `None`: the built-in [`ARTICLE_HEADINGS`].
    pub headings: Option<regex::Regex>,
    /// Passages of fewer words are dropped (`--min-words`; 0 keeps all).
    /// Dropped passages keep their numbers: `#p2` stays `#p2` when `#p1`
    /// is dropped.
    pub min_words: usize,
}

/// The passages of one document, and how many were dropped as too short.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// The passages kept, in document order.
    pub passages: Vec<Passage>,
    /// How many passages were dropped as shorter than `min_words`.
    pub dropped: usize,
}

/// The headings `--unit article` cuts at, at the start of a line:
/// `Article 3`, `ARTICLE IV`, `Art. 3`, `Section 2`, `Pasal 12`, `§ 4`,
/// `มาตรา ๑๒` (Thai or Arabic digits).
pub const ARTICLE_HEADINGS: &str = r"(?:Article|ARTICLE|Art\.|ART\.|Section|SECTION|Pasal|PASAL)[ \t\u{a0}]*(?:[0-9]+[A-Za-z]?|[IVXLCDM]+)\b|§[ \t\u{a0}]*[0-9]+[a-z]?\b|มาตรา[ \t\u{a0}]*[0-9๐-๙]+";

fn builtin_headings() -> &'static regex::Regex {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!("^(?:{ARTICLE_HEADINGS})"))
            .unwrap_or_else(|e| unreachable!("built-in heading pattern: {e}"))
    });
    &RE
}

impl Segmenter {
    /// A segmenter for `unit` with the built-in headings, keeping every
    /// passage.
    pub fn new(unit: Unit) -> Self {
        Segmenter {
            unit,
            ..Default::default()
        }
    }

    /// Use `pattern` (a regular expression, matched at the start of a
    /// line) for article headings instead of the built-in ones.
    pub fn with_headings(mut self, pattern: &str) -> Result<Self, String> {
        let re = regex::Regex::new(&format!("^(?:{pattern})")).map_err(|e| {
            format!("--unit-regex `{pattern}` is not a valid regular expression: {e}")
        })?;
        self.headings = Some(re);
        Ok(self)
    }

    /// Drop passages of fewer than `n` words.
    pub fn with_min_words(mut self, n: usize) -> Self {
        self.min_words = n;
        self
    }

    /// Cut a document's paragraphs into passages.
    pub fn segment(&self, doc_id: &str, paragraphs: &[Paragraph]) -> Segmented {
        let mut passages = match self.unit {
            Unit::Paragraph => paragraphs
                .iter()
                .enumerate()
                .map(|(i, p)| Passage {
                    id: PassageId::Paragraph(i + 1).of(doc_id),
                    text: p.text.clone(),
                    lines: p.lines.clone(),
                })
                .collect(),
            Unit::Document => {
                let (text, lines) = join(paragraphs.iter().map(|p| (p, 0, p.text.len())));
                if text.is_empty() {
                    Vec::new()
                } else {
                    vec![Passage {
                        id: PassageId::Document.of(doc_id),
                        text,
                        lines,
                    }]
                }
            }
            Unit::Sentence => {
                let mut out = Vec::new();
                for p in paragraphs {
                    for (start, end) in sentences(&p.text) {
                        let lines = sub_lines(&p.lines, start, end);
                        out.push(Passage {
                            id: PassageId::Sentence(out.len() + 1).of(doc_id),
                            text: p.text[start..end].to_string(),
                            lines,
                        });
                    }
                }
                out
            }
            Unit::Article => {
                let re = self.headings.as_ref().unwrap_or_else(|| builtin_headings());
                articles(doc_id, paragraphs, re)
            }
            Unit::Window(n) => windows(doc_id, paragraphs, n.max(1)),
        };
        let mut dropped = 0;
        if self.min_words > 0 {
            passages.retain(|p| {
                let keep = crate::text::count_words(&p.text) >= self.min_words;
                dropped += usize::from(!keep);
                keep
            });
        }
        Segmented { passages, dropped }
    }
}

/// Join pieces of paragraphs (`(paragraph, start, end)` byte ranges) with a
/// blank line between them, keeping the line map.
fn join<'a>(
    pieces: impl Iterator<Item = (&'a Paragraph, usize, usize)>,
) -> (String, Vec<(usize, Loc)>) {
    let mut text = String::new();
    let mut lines = Vec::new();
    for (p, start, end) in pieces {
        let piece = &p.text[start..end];
        let lead = piece.len() - piece.trim_start().len();
        let (start, piece) = (start + lead, piece.trim());
        if piece.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let base = text.len();
        lines.extend(
            sub_lines(&p.lines, start, start + piece.len())
                .into_iter()
                .map(|(o, l)| (base + o, l)),
        );
        text.push_str(piece);
    }
    (text, lines)
}

/// Does an article heading start at byte `at` of paragraph `p`? At the
/// start of a paragraph, a match is enough; at the start of a later line
/// of it, the text before must end a sentence or clause (`.` `:` `;` `!`
/// `?`), or the line must hold the heading alone (`Article 5`, `Pasal 5:`),
/// so that a wrapped line beginning "Article 5 of this Law" is not a cut.
fn heading_at(p: &Paragraph, at: usize, next: usize, re: &regex::Regex) -> bool {
    let Some(rest) = p.text.get(at..) else {
        return false;
    };
    let Some(m) = re.find(rest) else {
        return false;
    };
    if at == 0 {
        return true;
    }
    let before = p.text[..at].trim_end();
    if before.ends_with(['.', ':', ';', '!', '?']) {
        return true;
    }
    let line = rest.get(..next.saturating_sub(at)).unwrap_or(rest);
    line.get(m.end()..).is_some_and(|t| {
        t.trim()
            .trim_matches(['.', ':', ')', '-', '–', '—'])
            .trim()
            .is_empty()
    })
}

/// `--unit article`: cut at headings at the start of a paragraph or of a
/// source line within one; the text before the first heading is `#a0`.
fn articles(doc_id: &str, paragraphs: &[Paragraph], re: &regex::Regex) -> Vec<Passage> {
    // Cut points as (paragraph, byte offset), in order.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(p.lines.iter().map(|&(o, _)| o).filter(|&o| o > 0))
            .collect();
        for (k, &at) in starts.iter().enumerate() {
            let next = starts.get(k + 1).copied().unwrap_or(p.text.len());
            if p.text.is_char_boundary(at) && heading_at(p, at, next, re) {
                cuts.push((pi, at));
            }
        }
    }
    let end = (paragraphs.len(), 0);
    let mut bounds = vec![(0usize, 0usize)];
    bounds.extend(cuts.iter().copied().filter(|&c| c != (0, 0)));
    bounds.push(end);
    let first_is_heading = cuts.first() == Some(&(0, 0));
    let mut out = Vec::new();
    for (k, w) in bounds.windows(2).enumerate() {
        let ((p0, o0), (p1, o1)) = (w[0], w[1]);
        let pieces = (p0..=p1.min(paragraphs.len().saturating_sub(1)))
            .filter(|&pi| pi < paragraphs.len())
            .filter_map(|pi| {
                let p = &paragraphs[pi];
                let s = if pi == p0 { o0 } else { 0 };
                let e = if pi == p1 { o1 } else { p.text.len() };
                (s < e).then_some((p, s, e))
            });
        let (text, lines) = join(pieces);
        if text.is_empty() {
            continue;
        }
        let n = if first_is_heading { k + 1 } else { k };
        out.push(Passage {
            id: PassageId::Article(n).of(doc_id),
            text,
            lines,
        });
    }
    out
}

/// `--unit window:N`: the document's words in runs of `n`, cut before
/// the first word of each run (words as the tokenizer counts them, a
/// hyphenated compound once).
fn windows(doc_id: &str, paragraphs: &[Paragraph], n: usize) -> Vec<Passage> {
    let (text, lines) = join(paragraphs.iter().map(|p| (p, 0, p.text.len())));
    let tokens = crate::text::tokenize(&text);
    let mut starts: Vec<usize> = Vec::with_capacity(tokens.words);
    let mut prev_end: Option<usize> = None;
    for a in &tokens.atoms {
        let new_word = match prev_end {
            None => true,
            // A compound's parts: joined by one hyphen, or overlapping (a
            // reduplication's atoms cover the whole compound).
            Some(e) => a.span.start >= e && !crate::text::is_joining_hyphen(&text[e..a.span.start]),
        };
        if new_word {
            starts.push(a.span.start);
        }
        prev_end = Some(prev_end.map_or(a.span.end, |e| e.max(a.span.end)));
    }
    let mut out = Vec::new();
    let cuts: Vec<usize> = starts.iter().step_by(n).skip(1).copied().collect();
    let mut from = 0;
    for end in cuts.into_iter().chain(std::iter::once(text.len())) {
        let piece = text[from..end].trim();
        if !piece.is_empty() {
            let lead = text[from..end].len() - text[from..end].trim_start().len();
            let start = from + lead;
            out.push(Passage {
                id: PassageId::Window(out.len() + 1).of(doc_id),
                text: piece.to_string(),
                lines: sub_lines(&lines, start, start + piece.len()),
            });
        }
        from = end;
    }
    out
}

/// The line map of `text[start..end]`, rebased to the slice.
fn sub_lines(lines: &[(usize, Loc)], start: usize, end: usize) -> Vec<(usize, Loc)> {
    let first = lines
        .partition_point(|&(o, _)| o <= start)
        .saturating_sub(1);
    lines[first..]
        .iter()
        .take_while(|&&(o, _)| o < end)
        .map(|&(o, l)| (o.saturating_sub(start), l))
        .collect()
}

/// Abbreviations after which a full stop does not end a sentence (English and
/// Indonesian), compared case-insensitively without the final dot.
const ABBREVIATIONS: &[&str] = &[
    // English
    "dr", "mr", "mrs", "ms", "prof", "no", "nos", "art", "arts", "vol", "p", "pp", "ed", "eds",
    "fig", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "cf", "al", "approx", "dept", "govt",
    "inc", "ltd", "co", "corp", "sec", "para", "ch", "est", "rev", "gen", "sen", "rep", "gov",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    // Indonesian
    "hal", "hlm", "dkk", "dll", "dsb", "dst", "tsb", "yth", "thn", "tgl", "jl", "kab", "kec",
    "prov", "bpk", "drs", "ir", "sdr", "no", "pol", "kompol", "brigjen", "irjen",
];

/// Does this sentence piece end in something that is not a sentence end?
fn ends_in_abbreviation(piece: &str) -> bool {
    let t = piece.trim_end();
    let Some(body) = t.strip_suffix('.') else {
        return false;
    };
    let word: &str = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // Initials and dotted acronyms: "J.", "U.S.", "F.B.I."
    let letters: Vec<&str> = word.split('.').collect();
    if letters
        .iter()
        .all(|l| l.chars().count() == 1 && l.chars().all(char::is_alphabetic))
        && word.chars().next().is_some_and(char::is_uppercase)
    {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Sentence byte ranges in `text` (UAX #29, then pieces ending in an
/// abbreviation or initial are merged with the next). Trailing spaces are
/// trimmed from each range.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut merge_next = false;
    for (start, piece) in text.split_sentence_bound_indices() {
        let end = start + piece.trim_end().len();
        if piece.trim().is_empty() {
            continue;
        }
        let starts_lower = piece
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
        match out.last_mut() {
            Some(last) if merge_next || starts_lower => last.1 = end,
            _ => out.push((start, end)),
        }
        merge_next = ends_in_abbreviation(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passage_ids_read_back_as_written() {
        for (id, doc, place) in [
            ("reports/a.txt#p3", "reports/a.txt", PassageId::Paragraph(3)),
            ("a#b.txt#s12", "a#b.txt", PassageId::Sentence(12)),
            ("law.txt#a0", "law.txt", PassageId::Article(0)),
            ("x.md#w7", "x.md", PassageId::Window(7)),
            ("x.md#doc", "x.md", PassageId::Document),
        ] {
            assert_eq!(PassageId::parse(id), Some((doc, place)), "{id}");
            assert_eq!(place.of(doc), id);
        }
        for bad in [
            "x.txt",
            "x.txt#",
            "x.txt#p",
            "x.txt#q3",
            "x.txt#p3a",
            "x.txt#p-1",
            "x.txt#é3",
        ] {
            assert_eq!(PassageId::parse(bad), None, "{bad}");
        }
        assert_eq!(PassageId::Window(2).unit(), None);
        assert_eq!(PassageId::Article(2).unit(), Some(Unit::Article));
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn abbreviations_numbers_and_initials_do_not_end_sentences() {
        assert_eq!(
            split(
                "Dr. Somchai met the U.S. Embassy. Law No. 21 passed. It covers 1.082 cases, or 14,7% of all."
            ),
            vec![
                "Dr. Somchai met the U.S. Embassy.",
                "Law No. 21 passed.",
                "It covers 1.082 cases, or 14,7% of all."
            ]
        );
        assert_eq!(
            split("Lihat hal. 12 dan Suharto dkk. Tahun lalu J. Smith menulis. Selesai."),
            vec![
                "Lihat hal. 12 dan Suharto dkk. Tahun lalu J. Smith menulis.",
                "Selesai."
            ]
        );
    }

    #[test]
    fn passage_ids_and_line_lookup() {
        let paras = vec![
            Paragraph {
                text: "One. Two here.".into(),
                lines: vec![(0, Loc::line(1)), (5, Loc::line(2))],
                heading: false,
            },
            Paragraph {
                text: "Three.".into(),
                lines: vec![(0, Loc::line(4))],
                heading: false,
            },
        ];
        let s = segment("d.txt", &paras, Unit::Sentence);
        let ids: Vec<&str> = s.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["d.txt#s1", "d.txt#s2", "d.txt#s3"]);
        assert_eq!(s[1].text, "Two here.");
        assert_eq!(s[1].line_at(0), Loc::line(2));
        let d = segment("d.txt", &paras, Unit::Document);
        assert_eq!(d[0].text, "One. Two here.\n\nThree.");
        assert_eq!(d[0].line_at(d[0].text.find("Three").unwrap()), Loc::line(4));
        assert_eq!(d[0].line_at(6), Loc::line(2));
        let p = segment("d.txt", &paras, Unit::Paragraph);
        assert_eq!(p[1].id, "d.txt#p2");
    }
}
