//! Repairing extracted text into paragraphs.
//!
//! Real sources arrive hard-wrapped, double-spaced, hyphenated at line ends
//! and paginated with running headers — the shape `pdftotext` gives. This
//! module rebuilds paragraphs from lines while remembering which source line
//! every part of a paragraph came from, so hits can point back to the file.
//!
//! What it does, in order:
//! 1. NFC, soft hyphens removed, form feeds read as page breaks.
//! 2. On paginated text: running headers/footers (the same first or last line
//!    on at least half the pages, digits ignored) and page-number lines dropped.
//! 3. Double spacing (a blank line after every line) recognised, so that a
//!    single blank line joins and two or more separate paragraphs.
//! 4. Lines of a paragraph joined with a space; a line-end hyphen is removed
//!    (`organi-` + `zation`) unless the hyphen is real: a reduplication
//!    (`anak-` + `anak`), a compound the document spells with a hyphen
//!    elsewhere, a known compound prefix (`self-`, `non-`, `well-`…), or a
//!    capitalised or numeric continuation (`pan-` + `Asian`).
//!
//! Matching-level folding (ligatures, case, apostrophes) is *not* done here:
//! the paragraph keeps the original characters for display and the tokenizer
//! folds each word.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::extract::{LineKind, Loc, SourceLine};
use crate::text::{fold, fold_into};

/// The evidence for deciding whether a line-end hyphen is real: does the
/// document spell a word (folded) so elsewhere?
///
/// The words are folded into one buffer, `\n` between them, when the
/// first question comes (most documents never ask: a line-end hyphen
/// before the same word or a capital decides alone). A document with few
/// line-end hyphens searches the buffer for each question; one with many
/// gets a hash set of the words, built once. Both give the same answers.
struct Vocab<'a> {
    items: &'a [Item<'a>],
    /// Set up front: line-end hyphens that may ask (two questions each).
    many: bool,
    words: std::cell::OnceCell<Vec<u8>>,
    set: std::cell::OnceCell<HashSet<String, foldhash::fast::FixedState>>,
}

/// Up to this many line-end hyphens, questions search the word buffer;
/// beyond, a hash set of the words is built.
const SCAN_HYPHENS: usize = 32;

impl<'a> Vocab<'a> {
    fn new(items: &'a [Item<'a>], hyphens: usize) -> Self {
        Vocab {
            items,
            many: hyphens > SCAN_HYPHENS,
            words: std::cell::OnceCell::new(),
            set: std::cell::OnceCell::new(),
        }
    }

    /// Is `key` (folded) one of the document's words?
    fn contains(&self, key: &str) -> bool {
        let words = self.words.get_or_init(|| vocabulary(self.items));
        if self.many {
            let set = self.set.get_or_init(|| {
                // Pieces of UTF-8 cut at `\n` bytes are UTF-8.
                words
                    .split(|&b| b == b'\n')
                    .filter_map(|w| std::str::from_utf8(w).ok())
                    .map(|w| w.trim_matches('-'))
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect()
            });
            return set.contains(key);
        }
        // A word neither starts nor ends with a hyphen.
        if key.is_empty() || key.starts_with('-') || key.ends_with('-') {
            return false;
        }
        memchr::memmem::find_iter(words, key.as_bytes()).any(|at| is_word_at(words, at, key.len()))
    }
}

/// A paragraph of repaired text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Paragraph {
    /// The paragraph's text, lines rejoined and repaired.
    pub text: String,
    /// (byte offset in `text`, source line number): where each source line's
    /// contribution starts. Sorted by offset.
    pub lines: Vec<(usize, Loc)>,
    /// A heading: a passage of its own, left out with `--skip-headings`.
    pub heading: bool,
}

/// Prefixes that form real hyphenated compounds in English.
const HYPHEN_PREFIXES: &[&str] = &[
    "self", "non", "anti", "ex", "well", "cross", "co", "child", "cost", "long", "short", "so",
    "pro", "post", "pre", "semi", "sub", "quasi", "multi", "all", "half", "low", "high", "mid",
];

/// A cleaned line (borrowed from the extracted line when cleaning changed
/// nothing but the surrounding white space, as for most lines), a blank line
/// or a page break.
#[derive(Debug, Clone)]
enum Item<'a> {
    Text {
        no: Loc,
        text: std::borrow::Cow<'a, str>,
        kind: LineKind,
        /// Leading white space of the extracted line, in characters (a tab
        /// counts 4): an indented first line starts a paragraph.
        indent: u16,
    },
    Blank,
    PageBreak,
}

/// Paragraphs of a structured format (DOCX, HTML): one per non-empty line,
/// cleaned (NFC, soft hyphens) but never rejoined.
pub fn structured(lines: &[SourceLine]) -> Vec<Paragraph> {
    lines
        .iter()
        .filter_map(|l| {
            let text: String = l
                .text
                .nfc()
                .filter(|&c| c != '\u{ad}' && c != '\u{feff}')
                .collect();
            let text = text.trim();
            (!text.is_empty()).then(|| Paragraph {
                text: text.to_string(),
                lines: vec![(0, l.no)],
                heading: l.kind == LineKind::Heading,
            })
        })
        .collect()
}

/// Repair extracted lines into paragraphs.
pub fn paragraphs(lines: &[SourceLine]) -> Vec<Paragraph> {
    let columns = split_columns(lines);
    let lines = columns.as_deref().unwrap_or(lines);
    let mut items = clean_lines(lines);
    mark_bullets(&mut items);
    let items = move_footnotes(drop_running_heads(items));
    let hyphens = items
        .iter()
        .filter(|it| matches!(it, Item::Text { text, .. } if trailing_fragment(text).is_some()))
        .count();
    let vocab = Vocab::new(&items, hyphens);
    let wrapped = is_wrapped(&items);
    build(&items, wrapped, &vocab)
}

fn clean_lines(lines: &[SourceLine]) -> Vec<Item<'_>> {
    let mut items = Vec::with_capacity(lines.len());
    for l in lines {
        let mut t = l.text.as_str();
        while let Some(rest) = t.strip_prefix('\u{c}') {
            items.push(Item::PageBreak);
            t = rest;
        }
        // Byte test first (`memchr3`, many bytes at a time): form feed is
        // 0C, and the UTF-8 forms of U+00AD and U+FEFF start with C2 and
        // EF, bytes most lines lack.
        let plain = !(memchr::memchr3(0x0c, 0xc2, 0xef, t.as_bytes()).is_some()
            && t.contains(['\u{c}', '\u{ad}', '\u{feff}']));
        let text: std::borrow::Cow<'_, str> = if plain
            && (t.is_ascii()
                || unicode_normalization::is_nfc_quick(t.chars())
                    == unicode_normalization::IsNormalized::Yes)
        {
            // Already NFC with nothing to drop (most lines): borrowed.
            t.trim().into()
        } else {
            let cleaned: String = t
                .nfc()
                .filter(|&c| c != '\u{ad}' && c != '\u{c}' && c != '\u{feff}')
                .collect();
            cleaned.trim().to_string().into()
        };
        if text.is_empty() {
            items.push(Item::Blank);
        } else {
            let indent = t
                .chars()
                .take_while(|c| c.is_whitespace())
                .fold(0u16, |n, c| n.saturating_add(if c == '\t' { 4 } else { 1 }));
            items.push(Item::Text {
                no: l.no,
                text,
                kind: l.kind,
                indent,
            });
        }
        if memchr::memchr(0x0c, t.as_bytes()).is_some() {
            items.push(Item::PageBreak);
        }
    }
    items
}

/// Two columns printed side by side (`pdftotext -layout` on a two-column
/// page): a page whose lines keep one column of blank space (the gutter)
/// with text on both sides is read as a typesetter would — the left
/// column down the page, then the right one. A line that crosses the
/// gutter (a title, a running header, a figure spanning both columns)
/// stays where it is and ends the columns above it. `None` when no page
/// has a gutter.
fn split_columns(lines: &[SourceLine]) -> Option<Vec<SourceLine>> {
    // Cheap test first: a gutter needs long runs of spaces inside lines
    // (one searcher for every line: most lines are searched to their end).
    let run = memchr::memmem::Finder::new("     ");
    if !lines
        .iter()
        .any(|l| run.find(l.text.trim().as_bytes()).is_some())
    {
        return None;
    }
    let mut out: Vec<SourceLine> = Vec::with_capacity(lines.len() + lines.len() / 2);
    let mut any = false;
    let mut start = 0;
    while start < lines.len() {
        let mut end = start + 1;
        while end < lines.len() && !lines[end].text.starts_with('\u{c}') {
            end += 1;
        }
        let page = &lines[start..end];
        let rows: Vec<Vec<char>> = page
            .iter()
            .map(|l| {
                l.text
                    .trim_start_matches('\u{c}')
                    .trim_end()
                    .chars()
                    .collect()
            })
            .collect();
        match gutter(&rows) {
            Some(c) => {
                any = true;
                split_page(page, &rows, c, &mut out);
            }
            None => out.extend_from_slice(page),
        }
        start = end;
    }
    any.then_some(out)
}

/// Fewest lines that show a gutter on a page.
const COLUMN_MIN_LINES: usize = 8;
/// How far (characters) a line's gap may stray from the page's gutter:
/// `pdftotext -layout` sets each group of lines on its own character grid.
const GUTTER_SLACK: usize = 8;

/// Where a right-hand text may start in a line: after two or more spaces
/// (inside the line, or at its start).
fn gap_ends(r: &[char]) -> impl Iterator<Item = usize> + '_ {
    (2..r.len()).filter(move |&i| {
        !r[i].is_whitespace() && r[i - 1].is_whitespace() && r[i - 2].is_whitespace()
    })
}

/// The character column where a page's right-hand column starts: the
/// place (give or take two characters) where the most lines resume after
/// a gap of two or more spaces, in the middle half of the page, if at
/// least [`COLUMN_MIN_LINES`] lines do so there and as many lines have
/// text both left of it and split there.
fn gutter(rows: &[Vec<char>]) -> Option<usize> {
    let width = rows.iter().map(Vec::len).max()?;
    if width < 40 {
        return None;
    }
    let mut hist = vec![0usize; width + 3];
    for r in rows {
        for p in gap_ends(r) {
            hist[p] += 1;
        }
    }
    let (c, n) = (width / 4..width * 3 / 4)
        .map(|c| (c, hist[c - 2..=c + 2].iter().sum::<usize>()))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    if n < COLUMN_MIN_LINES {
        return None;
    }
    let split = rows
        .iter()
        .filter(|r| split_at(r, c).is_some_and(|p| r[..p].iter().any(|ch| !ch.is_whitespace())))
        .count();
    (split >= COLUMN_MIN_LINES).then_some(c)
}

/// Where a line divides at the gutter `c`: the start of its right-hand
/// text nearest `c` (within [`GUTTER_SLACK`]).
fn split_at(r: &[char], c: usize) -> Option<usize> {
    gap_ends(r)
        .filter(|&p| p.abs_diff(c) <= GUTTER_SLACK)
        .min_by_key(|&p| p.abs_diff(c))
}

/// One page's lines in reading order: the left halves, then the right
/// halves. A line that crosses the gutter above the first divided line or
/// below the last (a title, a running head, a page number) stays where it
/// is; one among the columns (the extractor closed up the gutter) goes
/// with the left column.
fn split_page(page: &[SourceLine], rows: &[Vec<char>], c: usize, out: &mut Vec<SourceLine>) {
    let split: Vec<Option<usize>> = rows.iter().map(|r| split_at(r, c)).collect();
    let first = split.iter().position(Option::is_some).unwrap_or(0);
    let last = split.iter().rposition(Option::is_some).unwrap_or(0);
    let mut left: Vec<SourceLine> = Vec::new();
    let mut right: Vec<SourceLine> = Vec::new();
    for (i, l) in page.iter().enumerate() {
        let ff = if i == 0 && l.text.starts_with('\u{c}') {
            "\u{c}"
        } else {
            ""
        };
        let line = |t: String| SourceLine {
            no: l.no,
            text: t,
            kind: l.kind,
        };
        let r = &rows[i];
        let (a, z): (String, String) = match split[i] {
            Some(p) => (r[..p].iter().collect(), r[p..].iter().collect()),
            None => (r.iter().collect(), String::new()),
        };
        let a = format!("{ff}{}", a.trim_end());
        if split[i].is_none() && (i < first || i > last) && !r.is_empty() {
            out.append(&mut left);
            out.append(&mut right);
            out.push(line(a));
            continue;
        }
        // Each column keeps its own blank lines (where one column has a
        // gap the other may not).
        left.push(line(a));
        right.push(line(z));
    }
    out.append(&mut left);
    out.append(&mut right);
}

/// Signs that mark a list item wherever they start a line.
const BULLETS: &[char] = &[
    '•', '◦', '▪', '▫', '‣', '⁃', '∙', '●', '○', '■', '□', '►', '▶', '➢', '➤', '✓', '✔', '❖',
];

/// A sign a symbol font drew that the extractor could not name: a private
/// use code point (Wingdings, Symbol, OpenSymbol bullets) or a C1 control
/// character (what `pdftotext` makes of TeX's bullet).
fn unnamed_glyph(c: char) -> bool {
    ('\u{e000}'..='\u{f8ff}').contains(&c) || ('\u{80}'..='\u{9f}').contains(&c)
}

/// The bullet sign a line starts with, if its first word is one sign
/// (not a letter or digit) followed by a space.
fn leading_sign(text: &str) -> Option<char> {
    let mut cs = text.chars();
    let c = cs.next()?;
    (!c.is_alphanumeric() && cs.next().is_some_and(char::is_whitespace)).then_some(c)
}

/// List items whose bullet the extractor kept: a line that starts with a
/// bullet sign (`•`, `▪`, a symbol font's unnamed glyph…) and a space is
/// a list item, and the signs are taken off. Another lone sign (`-`, `–`,
/// `*`, `‹`) counts as a bullet only where it starts at least two lines of
/// the document, each after a line that ends a sentence or a lead-in
/// (`… the following:`): a dash that merely wrapped to a line start
/// continues its sentence.
fn mark_bullets(items: &mut [Item<'_>]) {
    let mut prev_ends = true;
    let mut candidates: HashMap<char, Vec<usize>> = HashMap::new();
    let mut sure: Vec<usize> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Item::Text { text, kind, .. } = it else {
            continue;
        };
        if *kind == LineKind::Text
            && let Some(c) = leading_sign(text)
        {
            if BULLETS.contains(&c) || unnamed_glyph(c) {
                sure.push(i);
            } else if prev_ends && !matches!(c, '(' | '[' | '"' | '“' | '\'' | '‘') {
                candidates.entry(c).or_default().push(i);
            }
        }
        prev_ends = ends_sentence(text);
    }
    sure.extend(candidates.into_values().filter(|v| v.len() >= 2).flatten());
    for i in sure {
        if let Item::Text { text, kind, .. } = &mut items[i] {
            // Take off every leading sign (Writer may print two: the list's
            // glyph and a typed `•`).
            let mut rest: &str = text;
            while let Some(c) = leading_sign(rest) {
                rest = rest[c.len_utf8()..].trim_start();
            }
            if !rest.is_empty() {
                *text = rest.to_string().into();
                *kind = LineKind::ListItem;
            }
        }
    }
}

/// Digits masked, so "Page 3" and "Page 4" compare equal.
fn mask(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

fn is_page_number(s: &str) -> bool {
    let t = s
        .trim()
        .trim_matches(|c| c == '-' || c == '–' || c == '—' || c == ' ');
    let lower = t.to_lowercase();
    let core = lower
        .strip_prefix("page ")
        .or_else(|| lower.strip_prefix("halaman "))
        .or_else(|| lower.strip_prefix("hal. "))
        .unwrap_or(&lower);
    let core = core.split(" of ").next().unwrap_or(core);
    let core = core.split(" dari ").next().unwrap_or(core);
    (!core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit()))
        || (!core.is_empty()
            && core.len() <= 6
            && core.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l')))
}

/// The footnote number a line starts with, and the text after it: `1`
/// alone, `1Norm …` (the mark glued on) or `1 Norm …`; at most 3 digits.
fn footnote_start(text: &str) -> Option<(u32, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let n: u32 = text[..digits].parse().ok()?;
    let rest = &text[digits..];
    let body = rest.trim_start();
    let ok = rest.is_empty()
        || body
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '“' | '‘' | '\''));
    ok.then_some((n, body))
}

/// Does the text carry footnote mark `n`: a word or a punctuation mark
/// with the number glued to its end (`process.1`, `States2`)?
fn has_mark(text: &str, n: u32) -> bool {
    let n = n.to_string();
    text.split_whitespace().any(|tok| {
        let tok = tok.trim_end_matches([',', ';', ':', ')']);
        tok.strip_suffix(n.as_str()).is_some_and(|head| {
            !head.ends_with(|c: char| c.is_ascii_digit())
                && head.chars().last().is_some_and(|c| {
                    c.is_alphabetic() || matches!(c, '.' | ',' | ';' | ':' | ')' | '"' | '”' | '’')
                })
        })
    })
}

/// Footnotes printed at the foot of a page interrupt a paragraph that
/// goes on over the page. Footnotes are numbered through the document; a
/// page's last lines from one that starts with the next expected number
/// (`1`, `1Norm …`), whose mark (`… process.1`) is in the page's text
/// above, to the page's end are its footnotes: they are moved to the end
/// of the text, one paragraph each, numbers taken off.
fn move_footnotes(items: Vec<Item<'_>>) -> Vec<Item<'_>> {
    let mut next = 1u32;
    let mut moved: Vec<usize> = Vec::new();
    let mut starts: HashSet<usize> = HashSet::new();
    let mut page_start = 0;
    let breaks: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, it)| matches!(it, Item::PageBreak))
        .map(|(i, _)| i)
        .collect();
    // Only paginated text has page feet.
    if breaks.is_empty() {
        return items;
    }
    for end in breaks.iter().copied().chain([items.len()]) {
        let text = |i: usize| match &items[i] {
            Item::Text { text, .. } => Some(text.as_ref()),
            _ => None,
        };
        // The last line of the page that starts footnote `next`.
        let first = (page_start..end).rev().find(|&i| {
            text(i)
                .and_then(footnote_start)
                .is_some_and(|(n, _)| n == next)
                && (page_start..i).any(|j| text(j).is_some_and(|t| has_mark(t, next)))
        });
        if let Some(first) = first {
            for i in first..end {
                if let Some(t) = text(i) {
                    if let Some((n, _)) = footnote_start(t)
                        && n == next
                    {
                        starts.insert(i);
                        next += 1;
                    }
                    moved.push(i);
                }
            }
        }
        page_start = end + 1;
    }
    if moved.is_empty() {
        return items;
    }
    let keep: HashSet<usize> = moved.iter().copied().collect();
    let mut notes: Vec<Item<'_>> = Vec::new();
    let mut pending_start = false;
    let mut out: Vec<Item<'_>> = Vec::with_capacity(items.len() + 1);
    for (i, it) in items.into_iter().enumerate() {
        if !keep.contains(&i) {
            out.push(it);
            continue;
        }
        let Item::Text {
            no,
            text,
            kind,
            indent,
        } = it
        else {
            continue;
        };
        if starts.contains(&i) {
            let body = footnote_start(&text).map_or("", |(_, b)| b).to_string();
            if body.is_empty() {
                // The number alone on its line: the text follows.
                pending_start = true;
                continue;
            }
            // Each footnote starts a paragraph of its own, as a list item
            // does.
            notes.push(Item::Text {
                no,
                text: body.into(),
                kind: LineKind::ListItem,
                indent,
            });
        } else {
            let kind = if std::mem::take(&mut pending_start) {
                LineKind::ListItem
            } else {
                kind
            };
            notes.push(Item::Text {
                no,
                text,
                kind,
                indent,
            });
        }
    }
    out.push(Item::PageBreak);
    out.extend(notes);
    out
}

/// Text lines read at each end of a page for running heads and feet.
const HEAD_DEPTH: usize = 3;

/// Remove running headers, footers and page numbers on paginated text: at
/// each end of a page, the outermost line if it is a page number or
/// repeats (digits ignored) at that place on at least half the pages, and
/// then inward, while the lines are furniture, lines repeated word for
/// word at the ends of at least half the pages (a browser's date and
/// title, its URL) and page numbers.
fn drop_running_heads(items: Vec<Item<'_>>) -> Vec<Item<'_>> {
    // Page ranges over item indices.
    let mut pages: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, it) in items.iter().enumerate() {
        if matches!(it, Item::PageBreak) {
            pages.push((start, i));
            start = i + 1;
        }
    }
    pages.push((start, items.len()));
    pages.retain(|&(s, e)| items[s..e].iter().any(|it| matches!(it, Item::Text { .. })));
    if pages.len() < 2 {
        return items;
    }
    // The outermost text line at each end of a page, and the next
    // [`HEAD_DEPTH`] - 1 inward (a browser prints date and title above,
    // URL and page counter below).
    let ends = |&(s, e): &(usize, usize)| -> (Vec<usize>, Vec<usize>) {
        let texts = || (s..e).filter(|&i| matches!(items[i], Item::Text { .. }));
        let top: Vec<usize> = texts().take(HEAD_DEPTH).collect();
        let bottom: Vec<usize> = texts().rev().take(HEAD_DEPTH).collect();
        (top, bottom)
    };
    let text_at = |i: usize| match &items[i] {
        Item::Text { text, .. } => text.as_ref(),
        _ => "",
    };
    // Per page, each form counted once: masked (digits as `#`) for the
    // outermost lines, exact for the inner ones.
    let mut masked: HashMap<String, usize> = HashMap::new();
    let mut exact: HashMap<&str, usize> = HashMap::new();
    for p in &pages {
        let (top, bottom) = ends(p);
        let mut seen = HashSet::new();
        for i in [top.first(), bottom.first()].into_iter().flatten() {
            if seen.insert(mask(text_at(*i))) {
                *masked.entry(mask(text_at(*i))).or_default() += 1;
            }
        }
        let mut seen = HashSet::new();
        for &i in top.iter().chain(&bottom) {
            if seen.insert(text_at(i)) {
                *exact.entry(text_at(i)).or_default() += 1;
            }
        }
    }
    let need = pages.len().div_ceil(2).max(2);
    let mut drop = HashSet::new();
    for p in &pages {
        let (top, bottom) = ends(p);
        for end in [&top, &bottom] {
            for (depth, &i) in end.iter().enumerate() {
                let t = text_at(i);
                let furniture = if depth == 0 {
                    is_page_number(t) || masked.get(&mask(t)).is_some_and(|&n| n >= need)
                } else {
                    // Inward, only a line repeated word for word, or a page
                    // number between furniture and the page's end.
                    exact.get(t).is_some_and(|&n| n >= need)
                        || (is_page_number(t) && end[..depth].iter().all(|j| drop.contains(j)))
                };
                if !furniture {
                    break;
                }
                drop.insert(i);
            }
        }
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, it)| if drop.contains(&i) { Item::Blank } else { it })
        .collect()
}

/// Folded words of the document, and hyphenated compounds as `a-b`, with
/// `\n` between them (and first and last): a word is a run of letters,
/// digits and hyphens without the hyphens at its ends.
///
/// ASCII lines are copied lower-cased with every other byte made a `\n`, so
/// a word may still carry hyphens at its ends there (`\n--dash--\n`);
/// [`is_word_at`] reads them as the word does. Other lines are folded word
/// by word.
fn vocabulary(items: &[Item<'_>]) -> Vec<u8> {
    let mut buf = vec![b'\n'];
    let mut folded = String::new();
    for it in items {
        if let Item::Text { text, .. } = it {
            if text.is_ascii() {
                // Only ASCII bytes are mapped, to ASCII bytes: still UTF-8.
                buf.extend(text.bytes().map(|b| WORD_BYTE[b as usize]));
                buf.push(b'\n');
                continue;
            }
            for w in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
                let w = w.trim_matches('-');
                if !w.is_empty() {
                    folded.clear();
                    fold_into(w, &mut folded);
                    buf.extend_from_slice(folded.as_bytes());
                    buf.push(b'\n');
                }
            }
        }
    }
    buf
}

/// ASCII byte → itself lower-cased if it may be part of a word (letter,
/// digit, hyphen), else `\n`.
static WORD_BYTE: [u8; 256] = {
    let mut t = [b'\n'; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || b == b'-' {
            t[c] = b.to_ascii_lowercase();
        }
        c += 1;
    }
    t
};

/// Is `buf[at..at + len]` a whole word of a [`vocabulary`] buffer: between
/// separators, with nothing but hyphens between it and them?
fn is_word_at(buf: &[u8], at: usize, len: usize) -> bool {
    let mut i = at;
    while i > 0 && buf[i - 1] == b'-' {
        i -= 1;
    }
    let mut j = at + len;
    while j < buf.len() && buf[j] == b'-' {
        j += 1;
    }
    (i == 0 || buf[i - 1] == b'\n') && (j == buf.len() || buf[j] == b'\n')
}

/// The lines look hard-wrapped (short, often ending mid-sentence): tells
/// double-spaced extraction from ordinary text whose one-line paragraphs
/// are separated by blank lines, which has the same blank-line rhythm.
fn is_wrapped(items: &[Item<'_>]) -> bool {
    let texts: Vec<&str> = items
        .iter()
        .filter_map(|it| match it {
            Item::Text { text, .. } => Some(text.as_ref()),
            _ => None,
        })
        .collect();
    if texts.len() < 5 {
        return false;
    }
    let mut lens: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    lens.sort_unstable();
    let median = lens[lens.len() / 2];
    let open = texts.iter().filter(|t| !ends_sentence(t)).count();
    median <= 100 && open * 5 >= texts.len() * 2
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end();
    let closers = ['.', '!', '?', ':', '"', '”', '»', ')', ';'];
    if t.ends_with(closers) {
        return true;
    }
    // A footnote mark after the full stop (`… the process.1`, `diluted.²`):
    // one to three digits after punctuation that follows a word.
    let body = t.trim_end_matches(|c: char| c.is_ascii_digit() || "¹²³⁴⁵⁶⁷⁸⁹⁰".contains(c));
    let marks = t[body.len()..].chars().count();
    let mut back = body.chars().rev();
    (1..=3).contains(&marks)
        && back.next().is_some_and(|c| closers.contains(&c))
        && back
            .next()
            .is_some_and(|c| c.is_alphabetic() || closers.contains(&c))
}

/// Does the line start with a list enumerator (`a)`, `(b)`, `ii.`)?
fn enumerator(s: &str) -> bool {
    let w = s.split_whitespace().next().unwrap_or("");
    let core = w.trim_start_matches('(');
    let Some(body) = core.strip_suffix([')', '.']) else {
        return false;
    };
    !body.is_empty()
        && body.chars().count() <= 4
        && (body.chars().all(|c| c.is_ascii_digit())
            || body.chars().count() == 1
            || body.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// What the layout around one line says, gathered before paragraphs are
/// built: the evidence is read per page and per stretch of lines, never
/// from one test over the whole document.
struct LineInfo {
    /// Index of the line's item.
    item: usize,
    /// Blank lines between the previous text line and this one.
    blanks: usize,
    /// A page break between the previous text line and this one.
    page_break: bool,
    /// Page (counted from 0 at form feeds) the line is on.
    page: usize,
    len: usize,
    indent: u16,
}

/// Per page: the typical (80th percentile) line length, and the usual
/// left edge (the most common indentation of full lines).
#[derive(Clone, Copy)]
struct PageStats {
    typical: usize,
    base: u16,
}

fn line_infos(items: &[Item<'_>]) -> Vec<LineInfo> {
    let mut out = Vec::new();
    let (mut blanks, mut page_break, mut page) = (0usize, false, 0usize);
    for (i, it) in items.iter().enumerate() {
        match it {
            Item::Blank => blanks += 1,
            Item::PageBreak => {
                page_break = true;
                page += 1;
            }
            Item::Text { text, indent, .. } => {
                out.push(LineInfo {
                    item: i,
                    blanks,
                    page_break,
                    page,
                    len: text.chars().count(),
                    indent: *indent,
                });
                blanks = 0;
                page_break = false;
            }
        }
    }
    out
}

fn page_stats(infos: &[LineInfo]) -> Vec<PageStats> {
    let pages = infos.last().map_or(0, |l| l.page + 1);
    let mut out = Vec::with_capacity(pages);
    let whole = stats_of(infos);
    let mut i = 0;
    for p in 0..pages {
        let start = i;
        while i < infos.len() && infos[i].page == p {
            i += 1;
        }
        let on = &infos[start..i];
        // A page of a few lines says little: the document's figures then.
        out.push(if on.len() < 8 { whole } else { stats_of(on) });
    }
    out
}

fn stats_of(on: &[LineInfo]) -> PageStats {
    {
        let mut lens: Vec<usize> = on.iter().map(|l| l.len).collect();
        lens.sort_unstable();
        let typical = lens.get(lens.len() * 4 / 5).copied().unwrap_or(0);
        // The commonest indentation of the full lines; ties go to the
        // smaller one. Counted as runs of the sorted indentations.
        let mut indents: Vec<u16> = on
            .iter()
            .filter(|l| l.len * 10 >= typical * 7)
            .map(|l| l.indent)
            .collect();
        indents.sort_unstable();
        let (mut base, mut most) = (0, 0);
        for run in indents.chunk_by(|a, b| a == b) {
            if run.len() > most {
                (base, most) = (run[0], run.len());
            }
        }
        PageStats { typical, base }
    }
}

/// Is the line at `k` in a double-spaced stretch: do more of the nearby
/// line transitions (eight either way, page breaks left out) have exactly
/// one blank line than none? (Where a paragraph start drops the blank, a
/// third or more of the transitions may have none.) A document may mix rhythms (double-spaced body, single-
/// spaced quotations or footnotes), so each stretch is judged alone.
fn double_here(infos: &[LineInfo], k: usize) -> bool {
    let lo = k.saturating_sub(8).max(1);
    let hi = (k + 9).min(infos.len());
    let (mut one, mut none) = (0usize, 0usize);
    for l in &infos[lo..hi] {
        if l.page_break {
            continue;
        }
        match l.blanks {
            0 => none += 1,
            1 => one += 1,
            _ => {}
        }
    }
    one >= 3 && one > none
}

/// A line that looks like a heading: short, no closing punctuation, starts
/// with a capital or a number (`Pasal 3`, `2.1 Method`), few words.
fn heading_like(text: &str, len: usize, typical: usize) -> bool {
    let t = text.trim();
    // The length first: most lines are too long, and counting words is not
    // free on a paragraph held as one line.
    len * 10 <= typical * 7
        && len <= 90
        && (1..=12).contains(&t.split_whitespace().count())
        && !t.ends_with([
            '.', ',', ';', ':', '!', '?', '-', '–', '—', '"', '”', ')', '/',
        ])
        && t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        // Page furniture left over and bare numbers are not headings.
        && t.chars().any(char::is_alphabetic)
}

/// The measure (full line length, in characters) of the stretch around
/// each line: the median length of the text lines within
/// [`MEASURE_SPAN`] lines either way, on the same page or not. Most lines
/// of running text are full, so the median is the measure, whatever a
/// few headings, last lines or lines an extractor joined do. A text of
/// fewer than [`MEASURE_MIN`] lines shows no measure (0).
fn measures(infos: &[LineInfo]) -> Vec<usize> {
    if infos.len() < MEASURE_MIN {
        return vec![0; infos.len()];
    }
    // The window's lengths kept sorted as it slides: one line comes in and
    // one goes out per step (a binary search each), instead of sorting
    // the whole window for every line.
    let mut window: Vec<usize> = Vec::with_capacity(2 * MEASURE_SPAN + 1);
    let (mut lo, mut hi) = (0, 0);
    (0..infos.len())
        .map(|k| {
            let (want_lo, want_hi) = (
                k.saturating_sub(MEASURE_SPAN),
                (k + MEASURE_SPAN + 1).min(infos.len()),
            );
            while hi < want_hi {
                let len = infos[hi].len;
                window.insert(window.partition_point(|&x| x < len), len);
                hi += 1;
            }
            while lo < want_lo {
                let len = infos[lo].len;
                window.remove(window.partition_point(|&x| x < len));
                lo += 1;
            }
            window[window.len() * MEASURE_RANK / 100]
        })
        .collect()
}

/// [`measures`] by its definition: the window sorted anew for each line.
#[cfg(test)]
fn measures_by_sorting(infos: &[LineInfo]) -> Vec<usize> {
    if infos.len() < MEASURE_MIN {
        return vec![0; infos.len()];
    }
    (0..infos.len())
        .map(|k| {
            let lo = k.saturating_sub(MEASURE_SPAN);
            let hi = (k + MEASURE_SPAN + 1).min(infos.len());
            let mut window: Vec<usize> = infos[lo..hi].iter().map(|l| l.len).collect();
            window.sort_unstable();
            window[window.len() * MEASURE_RANK / 100]
        })
        .collect()
}

/// Did a line run to the measure: no room for the next line's first
/// word? Unknown (false) where the document is too short to show a
/// measure.
fn ran_full(len: usize, next: &str, measure: usize) -> bool {
    measure > 0 && !next_word_fits(len, next, measure)
}

/// Lines either way that [`measures`] reads.
const MEASURE_SPAN: usize = 12;
/// Fewest lines that show a measure.
const MEASURE_MIN: usize = 8;
/// Percentile of line lengths taken as the measure.
const MEASURE_RANK: usize = 80;

/// Would the first word of the next line have fitted at the end of this
/// one? A typesetter breaks a line of running text only when the next word
/// does not fit, so a line with room left for it ended its paragraph (or
/// was broken by hand). Proportional type makes character counts of full
/// lines vary a little: the room must exceed the word by a margin.
fn next_word_fits(len: usize, next: &str, measure: usize) -> bool {
    let word = next
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    let margin = (measure / FIT_MARGIN_DIV).max(1);
    len + 1 + word + margin <= measure
}

/// Tolerance for [`next_word_fits`]: the measure divided by this.
const FIT_MARGIN_DIV: usize = 30;

fn build(items: &[Item<'_>], wrapped: bool, vocab: &Vocab<'_>) -> Vec<Paragraph> {
    let infos = line_infos(items);
    let mut lines = Lines {
        items,
        stats: page_stats(&infos),
        measure: measures(&infos),
        infos,
        wrapped,
        headingish: Vec::new(),
    };
    lines.headingish = (0..lines.infos.len())
        .map(|k| lines.heading_here(k))
        .collect();
    let Lines {
        infos, headingish, ..
    } = &lines;

    let mut out: Vec<Paragraph> = Vec::new();
    let mut cur: Option<Paragraph> = None;

    let flush = |cur: &mut Option<Paragraph>, out: &mut Vec<Paragraph>| {
        if let Some(p) = cur.take()
            && !p.text.is_empty()
        {
            out.push(p);
        }
    };

    for k in 0..infos.len() {
        let l = &infos[k];
        let Item::Text { no, text, kind, .. } = &items[l.item] else {
            continue;
        };
        let new_para = match kind {
            LineKind::Heading | LineKind::ListItem => true,
            LineKind::Text => {
                cur.as_ref().is_none_or(|p| p.heading) || k == 0 || lines.starts_paragraph(k)
            }
        };
        let heading = *kind == LineKind::Heading || headingish[k];
        if new_para || heading {
            flush(&mut cur, &mut out);
            cur = Some(Paragraph {
                text: String::new(),
                lines: Vec::new(),
                heading,
            });
        }
        if let Some(p) = cur.as_mut() {
            append_line(p, *no, &rejoin_reduplications(text, vocab), vocab);
        }
        if heading {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    join_wrapped_headings(out)
}

/// The text lines of a document with what [`build`] judges them by.
struct Lines<'i, 'a> {
    items: &'i [Item<'a>],
    infos: Vec<LineInfo>,
    stats: Vec<PageStats>,
    /// Each line's measure ([`measures`]).
    measure: Vec<usize>,
    /// Is the text hard-wrapped?
    wrapped: bool,
    /// Each line's [`Lines::heading_here`].
    headingish: Vec<bool>,
}

impl Lines<'_, '_> {
    /// The text of line `k` (empty for a non-text item).
    fn text_of(&self, k: usize) -> &str {
        match &self.items[self.infos[k].item] {
            Item::Text { text, .. } => text.as_ref(),
            _ => "",
        }
    }

    fn kind_of(&self, k: usize) -> LineKind {
        match &self.items[self.infos[k].item] {
            Item::Text { kind, .. } => *kind,
            _ => LineKind::Text,
        }
    }

    /// Is line `k` heading-like? Judged with its neighbours (the line
    /// before ends a sentence or a block, the line after starts like a
    /// sentence).
    fn heading_here(&self, k: usize) -> bool {
        let (infos, stats) = (&self.infos, &self.stats);
        let text_of = |k: usize| self.text_of(k);
        let l = &infos[k];
        let st = &stats[l.page];
        if self.kind_of(k) != LineKind::Text || !heading_like(text_of(k), l.len, st.typical) {
            return false;
        }
        let before_ok = k == 0
            || l.blanks >= 1
            || ends_sentence(text_of(k - 1))
            || heading_like(
                text_of(k - 1),
                infos[k - 1].len,
                stats[infos[k - 1].page].typical,
            );
        let after_ok =
            k + 1 >= infos.len() || infos[k + 1].blanks >= 1 || !starts_lowercase(text_of(k + 1));
        before_ok && after_ok && trailing_fragment(text_of(k)).is_none()
    }

    /// Does text line `k` (not the first, after a line of running text)
    /// start a new paragraph?
    fn starts_paragraph(&self, k: usize) -> bool {
        let (infos, stats, measure, headingish, wrapped) = (
            &self.infos,
            &self.stats,
            &self.measure,
            &self.headingish,
            self.wrapped,
        );
        let l = &infos[k];
        let st = &stats[l.page];
        let text = self.text_of(k);
        let prev = self.text_of(k - 1);
        let pl = &infos[k - 1];
        let pst = &stats[pl.page];
        // The previous line's shortness is judged on its page.
        let short = pl.len * 100 < pst.typical * 85 || next_word_fits(pl.len, text, measure[k - 1]);
        let sentence = ends_sentence(prev) && !starts_lowercase(text);
        let indented = l.indent > st.base
            && l.indent <= st.base + 12
            && l.indent >= pl.indent.saturating_add(1)
            && (pl.page != l.page || pl.indent <= st.base + 1 || pl.indent + 2 <= l.indent);
        if trailing_fragment(prev).is_some() && !headingish[k - 1] {
            // A word broken at the line end goes on.
            false
        } else if starts_lowercase(text)
            && !headingish[k - 1]
            && (l.blanks == 0
                || l.page_break
                || (l.blanks == 1 && wrapped && double_here(infos, k))
                || (l.blanks == 1
                    && !ends_sentence(prev)
                    && (wrapped || ran_full(pl.len, text, measure[k - 1]))
                    && !enumerator(text)))
        {
            // A line starting in lower case continues a
            // sentence, across a page or column break too
            // (`… a state-funded` / `advance so that …`),
            // unless a blank line of a single-spaced stretch
            // separates it from a line that ended a sentence: in
            // hard-wrapped text, or after a full line, a line
            // that stops in mid-sentence was wrapped, not
            // ended (extractors put blank lines in list items
            // and between words of a loosely set line).
            false
        } else if headingish[k] || headingish[k - 1] {
            true
        } else if l.page_break {
            // Blank lines around a removed header say
            // nothing: a paragraph goes on across the page
            // unless the last one ended a sentence and the
            // new one starts like a paragraph.
            sentence && (short || indented)
        } else if wrapped && double_here(infos, k) {
            // Double-spaced stretch: one blank line is the
            // line spacing; two separate; none marks a
            // paragraph start (mixed rhythm) when the line is
            // indented or the last one ended short.
            match l.blanks {
                0 => indented || (sentence && short),
                1 => sentence && (indented || pl.len * 4 < pst.typical * 3),
                _ => true,
            }
        } else if l.blanks >= 1 {
            true
        } else {
            indented || (sentence && short)
        }
    }
}

/// A heading the typesetter wrapped onto two lines comes out as two
/// heading-like lines, one right under the other (`Keeping the Promise:
/// Thailand's Progress One` / `Year after the 2011 National Plan of
/// Action`): join them, unless the second starts a numbered heading of its
/// own (`2. Method`, `Pasal 3`, `BAB II`).
fn join_wrapped_headings(paras: Vec<Paragraph>) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::with_capacity(paras.len());
    for p in paras {
        if let Some(prev) = out.last_mut()
            && prev.heading
            && p.heading
            && !numbered_heading(&p.text)
            && !prev.text.ends_with(':')
            && let (Some(&(_, a)), Some(&(_, b))) = (prev.lines.last(), p.lines.first())
            && a.page == b.page
            && b.line == a.line + 1
        {
            let base = prev.text.len() + 1;
            prev.text.push(' ');
            prev.text.push_str(&p.text);
            prev.lines
                .extend(p.lines.iter().map(|&(off, loc)| (off + base, loc)));
            continue;
        }
        out.push(p);
    }
    out
}

/// Does a heading start with its own number (`2.`, `2.1`, `IV.`) or a
/// section word and a number (`Pasal 3`, `Article 3`, `BAB II`)?
fn numbered_heading(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or("");
    let numeral = |w: &str| {
        let w = w.trim_end_matches(['.', ')', ':']);
        !w.is_empty()
            && (w.chars().all(|c| c.is_ascii_digit() || c == '.')
                || w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')))
    };
    if numeral(first) {
        return true;
    }
    let section = [
        "article",
        "section",
        "chapter",
        "pasal",
        "bab",
        "bagian",
        "part",
        "annex",
        "lampiran",
        "มาตรา",
        "หมวด",
    ];
    section.contains(&first.to_lowercase().as_str()) && words.next().is_some_and(numeral)
}

/// Put back the hyphen of a reduplication that an extractor removed when
/// it joined a word broken at its real hyphen (`pdftotext` turns
/// `strategi-` + `strategi` into `strategistrategi`): a word made of the
/// same half twice (three letters or more) gets its hyphen back when the
/// document writes the half as a word, or the reduplication with a hyphen,
/// elsewhere. (`murmur`, `couscous`: no `mur`, no `cous` in the text.)
fn rejoin_reduplications<'t>(line: &'t str, vocab: &Vocab<'_>) -> std::borrow::Cow<'t, str> {
    let mut out: Option<String> = None;
    let mut last = 0;
    let ascii = line.is_ascii();
    for_each_token(line, |at, tok| {
        // Six letters at least: shorter tokens are not looked at.
        if tok.len() < 6 {
            return;
        }
        let core = if ascii {
            ascii_core(tok)
        } else {
            tok.trim_matches(|c: char| !c.is_alphabetic())
        };
        let Some(mid) = reduplication_mid(core) else {
            return;
        };
        let (a, b) = core.split_at(mid);
        let half = fold(a);
        if half != fold(b) || !(vocab.contains(&half) || vocab.contains(&format!("{half}-{half}")))
        {
            return;
        }
        let cut = at + (core.as_ptr() as usize - tok.as_ptr() as usize) + mid;
        let o = out.get_or_insert_with(String::new);
        o.push_str(&line[last..cut]);
        o.push('-');
        last = cut;
    });
    match out {
        Some(mut o) => {
            o.push_str(&line[last..]);
            o.into()
        }
        None => line.into(),
    }
}

/// Each token of `line` with its byte offset, as `str::split_whitespace`
/// cuts them. An ASCII line is cut on its bytes, without decoding a
/// character (white space there is what `char::is_whitespace` says of
/// ASCII: space and U+0009 to U+000D).
fn for_each_token<'t>(line: &'t str, mut f: impl FnMut(usize, &'t str)) {
    if !line.is_ascii() {
        for tok in line.split_whitespace() {
            f(tok.as_ptr() as usize - line.as_ptr() as usize, tok);
        }
        return;
    }
    let b = line.as_bytes();
    let space = |c: u8| c == b' ' || (0x09..=0x0d).contains(&c);
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        let start = i;
        while i < b.len() && !space(b[i]) {
            i += 1;
        }
        if start < i {
            // Cut at ASCII bytes of an ASCII line: on character boundaries.
            f(start, &line[start..i]);
        }
    }
}

/// An ASCII token without the non-letters at its ends (what
/// `trim_matches(|c| !c.is_alphabetic())` leaves of it), found on bytes.
fn ascii_core(tok: &str) -> &str {
    let b = tok.as_bytes();
    let start = b
        .iter()
        .position(u8::is_ascii_alphabetic)
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(u8::is_ascii_alphabetic)
        .map_or(start, |e| e + 1);
    // Cut at ASCII bytes: on character boundaries of any string.
    &tok[start..end]
}

/// Where `core` would split into two halves of a reduplication: it is
/// letters only, of an even number of at least six, and (for ASCII, where
/// folding is lower-casing) its halves are equal but for case. ASCII words
/// are judged on their bytes: most words of a line are ASCII, and most are
/// not doubled, so no character is decoded and nothing is folded for them.
fn reduplication_mid(core: &str) -> Option<usize> {
    if core.is_ascii() {
        let b = core.as_bytes();
        let n = b.len();
        // The first letters compared first: most words fail there.
        let doubled = n >= 6
            && n.is_multiple_of(2)
            && b[0].eq_ignore_ascii_case(&b[n / 2])
            && b[..n / 2].eq_ignore_ascii_case(&b[n / 2..])
            && b.iter().all(u8::is_ascii_alphabetic);
        return doubled.then_some(n / 2);
    }
    let n = core.chars().count();
    if n < 6 || !n.is_multiple_of(2) || !core.chars().all(char::is_alphabetic) {
        return None;
    }
    core.char_indices().nth(n / 2).map(|(mid, _)| mid)
}

/// The letters at the end of `s` before a final hyphen, if it ends so.
fn trailing_fragment(s: &str) -> Option<&str> {
    let body = s.strip_suffix('-')?;
    let start = body
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map(|(i, _)| i)?;
    Some(&body[start..])
}

fn append_line(p: &mut Paragraph, no: Loc, line: &str, vocab: &Vocab<'_>) {
    if p.text.is_empty() {
        p.lines.push((0, no));
        p.text.push_str(line);
        return;
    }
    let head: &str = line
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    if let Some(frag) = trailing_fragment(&p.text)
        && !head.is_empty()
    {
        if keep_hyphen(frag, head, vocab) {
            p.lines.push((p.text.len(), no));
            p.text.push_str(line);
        } else {
            p.text.pop();
            p.lines.push((p.text.len(), no));
            p.text.push_str(line);
        }
        return;
    }
    p.text.push(' ');
    p.lines.push((p.text.len(), no));
    p.text.push_str(line);
}

fn keep_hyphen(frag: &str, head: &str, vocab: &Vocab<'_>) -> bool {
    let (f, h) = (fold(frag), fold(head));
    if f == h {
        return true; // reduplication: anak-anak
    }
    if head.chars().next().is_some_and(|c| c.is_uppercase()) {
        return true; // pan-Asian, ASEAN-wide
    }
    if vocab.contains(&format!("{f}-{h}")) {
        return true;
    }
    if vocab.contains(&format!("{f}{h}")) {
        return false;
    }
    HYPHEN_PREFIXES.contains(&f.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general definitions the ASCII routes of [`for_each_token`] and
    /// [`reduplication_mid`] stand for.
    fn reduplication_mid_general(core: &str) -> Option<usize> {
        let n = core.chars().count();
        if n < 6 || !n.is_multiple_of(2) || !core.chars().all(char::is_alphabetic) {
            return None;
        }
        let (mid, _) = core.char_indices().nth(n / 2)?;
        (fold(&core[..mid]) == fold(&core[mid..])).then_some(mid)
    }

    proptest::proptest! {
        /// The commonest indentation counted by runs of sorted values is
        /// the one a count per value finds, ties to the smaller.
        #[test]
        fn base_indent_by_runs_equals_by_counts(
            lines in proptest::collection::vec((0usize..100, 0u16..6), 0..60),
        ) {
            let infos: Vec<LineInfo> = lines
                .iter()
                .enumerate()
                .map(|(i, &(len, indent))| LineInfo {
                    item: i,
                    blanks: 0,
                    page_break: false,
                    page: 0,
                    len,
                    indent,
                })
                .collect();
            let st = stats_of(&infos);
            let mut counts: HashMap<u16, usize> = HashMap::new();
            for l in infos.iter().filter(|l| l.len * 10 >= st.typical * 7) {
                *counts.entry(l.indent).or_default() += 1;
            }
            let base = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map_or(0, |(k, _)| k);
            proptest::prop_assert_eq!(st.base, base);
        }
    }

    proptest::proptest! {
        /// The sliding sorted window gives each line the measure that
        /// sorting its window anew gives.
        #[test]
        fn sliding_measures_equal_sorted_windows(
            lens in proptest::collection::vec(0usize..120, 0..200),
        ) {
            let infos: Vec<LineInfo> = lens
                .iter()
                .enumerate()
                .map(|(i, &len)| LineInfo {
                    item: i,
                    blanks: 0,
                    page_break: false,
                    page: 0,
                    len,
                    indent: 0,
                })
                .collect();
            proptest::prop_assert_eq!(measures(&infos), measures_by_sorting(&infos));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Tokens cut on bytes are those of `split_whitespace`, at the
        /// same offsets; a reduplication found on bytes is one the folded
        /// halves find, and none is missed.
        #[test]
        fn byte_routes_agree_with_definitions(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "B", "an", "AN", "ak", "k", "z", "0", "-", ".", ",", " ", "  ", "\t",
                "\u{0b}", "\u{0c}", "\r", "\u{1c}", "\u{85}", "\u{a0}", "é", "É", "ß",
                "anak", "Anak", "kupu", "KUPU", "\u{2003}",
            ]),
            0..30,
        )) {
            let line: String = pieces.concat();
            let mut fast = Vec::new();
            for_each_token(&line, |at, t| fast.push((at, t)));
            let slow: Vec<(usize, &str)> = line
                .split_whitespace()
                .map(|t| (t.as_ptr() as usize - line.as_ptr() as usize, t))
                .collect();
            proptest::prop_assert_eq!(&fast, &slow);
            for (_, t) in slow {
                let core = t.trim_matches(|c: char| !c.is_alphabetic());
                if t.is_ascii() {
                    proptest::prop_assert_eq!(ascii_core(t), core);
                }
                let fast = reduplication_mid(core)
                    .filter(|&m| fold(&core[..m]) == fold(&core[m..]));
                proptest::prop_assert_eq!(fast, reduplication_mid_general(core), "{:?}", core);
            }
        }
    }

    fn lines(text: &str) -> Vec<SourceLine> {
        text.split('\n')
            .enumerate()
            .map(|(i, t)| SourceLine {
                no: Loc::line(i as u32 + 1),
                text: t.to_string(),
                kind: LineKind::Text,
            })
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        paragraphs(&lines(text))
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    /// Few line-end hyphens search the word buffer, many use a hash set:
    /// the same answers either way, for ASCII and non-ASCII lines.
    #[test]
    fn vocabulary_search_and_set_agree() {
        let src = lines(
            "The self-help groups and co-operation.\nKerja-sama antar-lembaga, Straße-\nÉCOLE-based co-\n--dash-- end",
        );
        let items = clean_lines(&src);
        let (scan, set) = (Vocab::new(&items, 1), Vocab::new(&items, 1000));
        for key in [
            "self-help",
            "selfhelp",
            "co-operation",
            "cooperation",
            "kerja-sama",
            "antar-lembaga",
            "strasse",
            "école-based",
            "dash",
            "end",
            "the",
            "co",
            "help",
            "",
            "-",
            "lembaga",
        ] {
            assert_eq!(scan.contains(key), set.contains(key), "{key}");
        }
        assert!(scan.contains("self-help") && scan.contains("école-based"));
        assert!(!scan.contains("help") && !scan.contains("selfhelp"));
    }

    #[test]
    fn hard_wraps_join_and_blank_lines_separate() {
        assert_eq!(
            texts("The report was\npublished in 2011.\n\nA second\nparagraph."),
            vec!["The report was published in 2011.", "A second paragraph."]
        );
    }

    #[test]
    fn line_end_hyphenation_joined_real_hyphens_kept() {
        let t = texts(
            "The organi-\nzation and the govern-\nment met anak-\nanak and referensi-\nreferensi, a self-\nregulation and pan-\nAsian effort.",
        );
        assert_eq!(
            t,
            vec![
                "The organization and the government met anak-anak and referensi-referensi, a self-regulation and pan-Asian effort."
            ]
        );
    }

    #[test]
    fn document_evidence_decides_ambiguous_hyphens() {
        let t = texts(
            "a child-sensitive approach\n\nthe child-\nsensitive courts and the data-\nbase of the database",
        );
        assert_eq!(
            t[1],
            "the child-sensitive courts and the database of the database"
        );
    }

    #[test]
    fn double_spaced_extraction_is_recognised() {
        let src = "First line of a long paragraph that goes\n\non and on over several lines of\n\nextracted text until it ends here.\n\n\nA new paragraph starts here and\n\nit also continues on a second line\n\nand a third one.";
        assert_eq!(
            texts(src),
            vec![
                "First line of a long paragraph that goes on and on over several lines of extracted text until it ends here.",
                "A new paragraph starts here and it also continues on a second line and a third one."
            ]
        );
    }

    #[test]
    fn one_line_paragraphs_with_blank_lines_are_not_double_spacing() {
        let src = "A first paragraph that is a full sentence and rather long, as paragraphs written on one line are in plain text files.\n\nA second paragraph, also complete, that continues the story with more detail than a wrapped line holds.\n\nA third one.\n\nA fourth one that ends.\n\nA fifth.\n\nAnd a sixth.";
        assert_eq!(texts(src).len(), 6);
    }

    #[test]
    fn running_headers_and_page_numbers_dropped() {
        let src = "Monitoring Report 2011\nThe first page text continues\nacross the break\n1\n\u{c}Monitoring Report 2011\nonto the second page.\n2\n\u{c}Monitoring Report 2011\nThird page.\n3";
        assert_eq!(
            texts(src),
            vec![
                "The first page text continues across the break onto the second page.",
                "Third page."
            ]
        );
    }

    /// A browser's print furniture: date and title above, URL and page
    /// counter below, on every page. The outermost lines repeat with
    /// digits changing (`1/3`, `2/3`); the inner ones repeat word for
    /// word. Body lines near the ends of pages stay.
    #[test]
    fn browser_headers_and_footers_dropped() {
        let page = |n: usize, body: &str| {
            format!("12/6/26, 10:17 PM Report Title\n{body}\nfile:///tmp/report.html\n{n}/3")
        };
        let src = [
            page(1, "Article 1\nThe first page ends here."),
            page(2, "Article 2\nThe second page ends here."),
            page(3, "Article 3\nThe third page ends here."),
        ]
        .join("\n\u{c}");
        assert_eq!(
            texts(&src),
            vec![
                "Article 1",
                "The first page ends here.",
                "Article 2",
                "The second page ends here.",
                "Article 3",
                "The third page ends here."
            ]
        );
    }

    /// A footnote mark after a full stop still ends the sentence, so the
    /// heading after it stands alone.
    #[test]
    fn footnote_mark_after_a_full_stop_ends_a_sentence() {
        assert!(ends_sentence("comparable stages of the process.1"));
        assert!(ends_sentence("is diluted.\u{b2}"));
        assert!(!ends_sentence("released in version 1.5"));
        assert!(!ends_sentence("the figure for 2023"));
    }

    /// A footnote at the foot of a page (its number alone on a line, then
    /// its text) is moved after the text, so the paragraph it interrupted
    /// joins over the page; a line that starts with a number but has no
    /// mark above it is no footnote.
    #[test]
    fn footnotes_at_the_page_foot_move_out_of_the_paragraph() {
        let src = "The network met in Bangkok in 1990, and its\nreport was read widely.1 Its members then went\n1\nThe report is held in the archive.\n\u{c}on to lobby the government for a new law.";
        assert_eq!(
            texts(src),
            vec![
                "The network met in Bangkok in 1990, and its report was read widely.1 Its members then went on to lobby the government for a new law.",
                "The report is held in the archive."
            ]
        );
        let src = "The members agreed on the rules.\n2 Members shall meet twice a year.\n\u{c}The next page.";
        assert_eq!(
            texts(src),
            // Not moved: the line stays between its neighbours.
            vec![
                "The members agreed on the rules. 2 Members shall meet twice a year. The next page."
            ]
        );
        assert_eq!(
            footnote_start("2The coding manual"),
            Some((2, "The coding manual"))
        );
        assert_eq!(footnote_start("1 (satu) hari"), None);
        assert!(has_mark("the process.1", 1) && has_mark("States2 and", 2));
        assert!(!has_mark("in 2021", 1) && !has_mark("in 1990, and", 1));
    }

    #[test]
    fn paragraph_continues_across_a_page_break() {
        let src = "Report header\n\nOffenders were often deported rather than\n\n14\n\u{c}Report header\n\nprosecuted, and victims waited.\n\n15";
        assert_eq!(
            texts(src),
            vec!["Offenders were often deported rather than prosecuted, and victims waited."]
        );
    }

    #[test]
    fn line_map_points_to_source_lines() {
        let p = &paragraphs(&lines("\nalpha beta\ngam-\nma delta"))[0];
        assert_eq!(p.text, "alpha beta gamma delta");
        assert_eq!(
            p.lines,
            vec![(0, Loc::line(2)), (11, Loc::line(3)), (14, Loc::line(4))]
        );
    }

    #[test]
    fn soft_hyphens_removed_and_nfc_applied() {
        assert_eq!(
            texts("perlin\u{ad}dungan cafe\u{301}"),
            vec!["perlindungan café"]
        );
    }

    #[test]
    fn reduplication_joined_by_the_extractor_gets_its_hyphen_back() {
        let t = texts(
            "Perserikatan BangsaBangsa dan bangsa lain, strategistrategi\nbaru; a murmur of couscous.",
        );
        assert_eq!(
            t,
            vec![
                "Perserikatan Bangsa-Bangsa dan bangsa lain, strategistrategi baru; a murmur of couscous."
            ]
        );
        // With the reduplication written elsewhere, it is repaired too.
        let t = texts("strategi-strategi lama dan strategistrategi baru.");
        assert_eq!(
            t,
            vec!["strategi-strategi lama dan strategi-strategi baru."]
        );
    }

    /// Justified text with no indent and no blank lines: the first
    /// paragraph's last line (36 characters of a 41-character measure) had
    /// room for the next line's first word, so it ended its paragraph; the
    /// full line `… in full online.` had none for `Then`, so the sentence
    /// after it is the same paragraph.
    #[test]
    fn a_line_with_room_for_the_next_word_ends_its_paragraph() {
        let src = "The committee met in the capital twice a\nyear and heard the reports of the eleven\nprovincial offices on their caseloads and\non the budget. Delegates asked for shorter\nreports, and the secretariat agreed.\nThe second report described how regional\noffices shared their records with police\nunits and with the courts; the figures it\ngave were later published in full online.\nThen the donors asked for an evaluation.";
        let t = texts(src);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t[0].ends_with("the secretariat agreed."));
        assert!(t[1].starts_with("The second report"));
        assert!(t[1].ends_with("online. Then the donors asked for an evaluation."));
        assert!(next_word_fits(36, "The second", 41));
        assert!(!next_word_fits(41, "Then the", 41));
    }

    /// Bullets the extractor kept start list items and are taken off: a
    /// standard sign, a symbol font's private-use glyph, a C1 control
    /// (pdftotext's TeX bullet), and a dash that starts two lines after
    /// sentence ends. A dash that merely wrapped to a line start does not.
    #[test]
    fn bullet_lines_are_list_items() {
        let src = "Our findings are these:\n\u{2022} First finding goes\non here.\n\u{f0b7} Second finding.\n\u{88} Third finding.\nSteps follow.\n- one step;\n- another step.\nThe network was weak\n\u{2013} as we argue \u{2013} in 1990.";
        assert_eq!(
            texts(src),
            vec![
                "Our findings are these:",
                "First finding goes on here.",
                "Second finding.",
                "Third finding.",
                "Steps follow.",
                "one step;",
                "another step.",
                "The network was weak \u{2013} as we argue \u{2013} in 1990."
            ]
        );
    }

    /// A blank line between a full line that stops mid-sentence and one
    /// that starts in lower case is no paragraph break (extractors put
    /// blank lines inside list items and around indented blocks), unless
    /// the lower-case line is an enumerated item of its own or the line
    /// before stopped short (a fragment, a keyword list).
    #[test]
    fn blank_line_inside_a_sentence_joins() {
        assert_eq!(
            texts(
                "The monitoring team met every month and\nreviewed the cases that members had sent.\nIts members drew on three sources of the\n\nevidence collected in 2023 and in 2024.\n\nA second paragraph starts here and goes\non for a few more lines of ordinary text\nuntil it reaches the end of the section.\nThen a last line."
            ),
            vec![
                "The monitoring team met every month and reviewed the cases that members had sent. Its members drew on three sources of the evidence collected in 2023 and in 2024.",
                "A second paragraph starts here and goes on for a few more lines of ordinary text until it reaches the end of the section. Then a last line."
            ]
        );
        assert_eq!(
            texts("apples and pears\n\nbananas\n\nthree lines that run to the right margin"),
            vec![
                "apples and pears",
                "bananas",
                "three lines that run to the right margin"
            ]
        );
        assert_eq!(
            texts("Two options were put\n\na) first option\n\nb) second option"),
            vec![
                "Two options were put",
                "a) first option",
                "b) second option"
            ]
        );
    }

    /// Two columns printed side by side (`pdftotext -layout`): the left
    /// column is read down the page, then the right one, even where the
    /// extractor set a line on a grid shifted by two characters.
    #[test]
    fn two_columns_side_by_side_are_read_one_after_the_other() {
        let left = [
            "The first column starts",
            "here and runs down the",
            "page for nine lines of",
            "text, which a reader",
            "takes in before the",
            "second column, as any",
            "typesetter would expect",
            "of a page printed in two",
            "columns.",
        ];
        let right = [
            "The second column holds",
            "another paragraph that",
            "begins at the top and",
            "ends at the bottom, and",
            "the extractor printed",
            "it beside the first one",
            "on the same lines, with",
            "a gutter of spaces in",
            "between.",
        ];
        let page: Vec<String> = left
            .iter()
            .zip(right)
            .enumerate()
            .map(|(i, (l, r))| format!("{l:<w$}{r}", w = if i == 4 { 24 } else { 28 }))
            .collect();
        assert_eq!(
            texts(&page.join("\n")),
            vec![left.join(" "), right.join(" ")]
        );
        // One column with a few wide gaps is not split.
        let one =
            "A line with  a double space in it here\nand another line that goes on for a\nwhile.";
        assert_eq!(texts(one).len(), 1);
    }

    #[test]
    fn headings_stand_alone() {
        let mut l = lines("Title\nBody line one\nand two.");
        l[0].kind = LineKind::Heading;
        let p = paragraphs(&l);
        assert_eq!(p.len(), 2);
        assert!(p[0].heading);
        assert_eq!(p[1].text, "Body line one and two.");
    }
}
