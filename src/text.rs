//! Tokenisation shared by the codebook compiler and the coder.
//!
//! Text and dictionary entries must be split into words *the same way*, or a
//! dictionary silently fails to match (the most common way LIWC, quanteda and
//! hand-written scripts disagree). Everything that decides what a word is lives
//! here, and both sides call it.
//!
//! The model has two levels:
//! - a **word** is what a reader counts: a Unicode (UAX #29) word, with
//!   hyphenated compounds rejoined (`anti-trafficking`, `anak-anak` are one
//!   word each). Word counts and "per 1,000 words" use words.
//! - an **atom** is what the matcher compares: the parts of a word between
//!   hyphens, case-folded. `good-looking` is the atoms `good`, `looking`, so an
//!   entry written `good looking` or `good-looking` matches both spellings.
//!   A full reduplication `X-X` (Indonesian plural `anak-anak`) is a single
//!   atom `X`: it is one word, and an entry `anak` matches it once.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// One comparable unit of text: a case-folded word part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// Byte range in the tokenised text (covers the whole compound for a
    /// reduplication).
    pub span: Range<usize>,
    /// Folded form used for matching: a range of [`Tokens::folded`] (one
    /// buffer per text instead of a `String` per word; read it with
    /// [`Tokens::norm`]).
    pub norm: Range<usize>,
    /// Only white space or a hyphen separates this atom from the previous
    /// one, so a phrase may run on into it. Punctuation (`law, enforcement`,
    /// `exploited. Children`) stops a phrase.
    pub joined: bool,
}

/// The words and atoms of one text.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The atoms (case-folded word parts that entries match on), in
    /// text order.
    pub atoms: Vec<Atom>,
    /// Number of words (hyphenated compounds count once).
    pub words: usize,
    /// The folded forms of the atoms: first the text itself with ASCII
    /// letters lower-cased (an ASCII atom's folded form is its own span
    /// there, so most words are never copied or folded one by one), then
    /// the folded forms of the atoms that are not ASCII, back to back.
    pub folded: String,
}

impl Tokens {
    /// The folded form of atom `i`.
    pub fn norm(&self, i: usize) -> &str {
        &self.folded[self.atoms[i].norm.clone()]
    }
}

/// Hyphen-like characters that join the parts of a compound word when they
/// stand between two word characters with no space around them.
pub fn is_joining_hyphen(s: &str) -> bool {
    matches!(s, "-" | "\u{2010}" | "\u{2011}")
}

/// A segment counts as a word when it contains a letter or a digit.
fn is_wordlike(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Fold a word for matching: compatibility decomposition (ligatures `ﬁ` → `fi`,
/// full-width letters), lower case, `ß` → `ss`, typographic apostrophes
/// unified. Applied identically to text and to dictionary entries.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`], appending to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in s.nfkc() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => out.push('\''),
            'ß' | 'ẞ' => out.push_str("ss"),
            '\u{00AD}' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// [`fold`] of a whole passage, appended to `out`, computed piece by
/// piece: ASCII letters lowered where they stand, each run of other
/// characters (with the ASCII character before it, which a combining mark
/// may compose with) folded as a whole. Normalisation composes no
/// character with a following ASCII one, so this equals `fold(text)`
/// without normalising the ASCII majority of most text (the re-coding
/// search folds every passage of a corpus with it).
pub fn fold_text(text: &str, out: &mut String) {
    if text.is_ascii() {
        return fold_into(text, out);
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let ascii_end = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(bytes.len(), |p| i + p);
        // Keep the last ASCII character of the run for the fold below.
        let keep = if ascii_end < bytes.len() && ascii_end > i {
            ascii_end - 1
        } else {
            ascii_end
        };
        fold_into(&text[i..keep], out);
        if ascii_end == bytes.len() {
            return;
        }
        let other_end = bytes[ascii_end..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |p| ascii_end + p);
        fold_into(&text[keep..other_end], out);
        i = other_end;
    }
}

/// Scripts written without spaces between words (Thai, Lao, Khmer,
/// Burmese): UAX #29 gives one piece per character there, so these runs are
/// cut with ICU4X's dictionary word segmenter instead.
pub fn is_complex_script(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0EFF | 0x1780..=0x17FF | 0x19E0..=0x19FF | 0x1000..=0x109F | 0xAA60..=0xAA7F)
}

/// Does `text` hold a character of a complex script? Their UTF-8 forms all
/// start with the byte E0, E1 or EA, so text without those bytes (Latin
/// text with a few curly quotes or dashes) is answered by a byte scan
/// without decoding.
fn has_complex_script(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, 0xE0 | 0xE1 | 0xEA)) && text.chars().any(is_complex_script)
}

/// The word segmenter used for complex scripts, recorded in run.json.
pub const COMPLEX_SEGMENTER: &str =
    "icu_segmenter 2 dictionary model (compiled data: Thai, Lao, Khmer, Burmese)";

fn icu() -> &'static icu_segmenter::WordSegmenterBorrowed<'static> {
    static SEG: std::sync::OnceLock<icu_segmenter::WordSegmenterBorrowed<'static>> =
        std::sync::OnceLock::new();
    SEG.get_or_init(|| {
        icu_segmenter::WordSegmenter::new_dictionary(
            icu_segmenter::options::WordBreakInvariantOptions::default(),
        )
    })
}

/// Word-boundary pieces of `text` with their byte offsets: UAX #29, with
/// complex-script runs cut by the dictionary segmenter.
fn pieces(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::with_capacity(text.len() / 3);
    if text.is_ascii() || !has_complex_script(text) {
        word_bounds(text, 0, &mut out);
        return out;
    }
    let mut rest_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_complex_script(c) {
            continue;
        }
        // A run of complex-script characters (marks included).
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_complex_script(d) {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        word_bounds(&text[rest_start..i], rest_start, &mut out);
        let run = &text[i..end];
        let mut prev = 0;
        for b in icu().segment_str(run).skip(1) {
            out.push((i + prev, &run[prev..b]));
            prev = b;
        }
        rest_start = end;
    }
    word_bounds(&text[rest_start..], rest_start, &mut out);
    out
}

/// UAX #29 word-boundary pieces of `text`, offset by `base`, appended to
/// `out`: exactly what `split_word_bound_indices` gives, but fast on ASCII.
///
/// Why this is exact: there is always a boundary before an ASCII white-space
/// character that follows a character other than white space (no UAX #29
/// rule joins across it; only WB3d joins space to space), and no rule looks
/// back past white space. So the text can be
/// cut into pieces of "white-space run + non-white-space run" and each piece
/// segmented alone: ASCII pieces (most words in most corpora) by the ASCII
/// subset of the rules in [`ascii_bounds`], the rest by `unicode_segmentation`.
/// A property test compares the two on random text.
fn word_bounds<'a>(text: &'a str, base: usize, out: &mut Vec<(usize, &'a str)>) {
    for_each_piece(text, |start, piece| {
        if piece.is_ascii() {
            ascii_bounds(piece, base + start, |o, s| out.push((o, s)));
        } else {
            out.extend(
                piece
                    .split_word_bound_indices()
                    .map(|(o, s)| (base + start + o, s)),
            );
        }
    });
}

/// The pieces of "white-space run + non-white-space run" of `text` that
/// [`word_bounds`] segments one by one, with their byte offsets.
fn for_each_piece<'a>(text: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let b = text.as_bytes();
    let mut start = 0;
    while start < b.len() {
        let mut i = start;
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            // A non-ASCII space (U+3000, U+2003 …) joins the ASCII spaces
            // after it (WB3d): keep them in one piece.
            let spaced = text[start..i]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_ascii() && c.is_whitespace());
            if !(spaced && i < b.len()) {
                break;
            }
        }
        f(start, &text[start..i]);
        start = i;
    }
}

/// The UAX #29 word-boundary pieces of the ASCII text `piece`, offset by
/// `base`, handed to `f` in order.
///
/// The ASCII subset of the rules: letters, digits and `_` join each other
/// (WB5, WB8–WB10, WB13a/b), across a mark between letters or digits (see
/// [`ascii_word_end`]); CR LF is one piece (WB3), a run of spaces is one
/// (WB3d); every other character stands alone (WB3a/b, WB999). The
/// property test `word_bounds_equal_uax29` checks this against
/// `unicode-segmentation`.
fn ascii_bounds<'a>(piece: &'a str, base: usize, mut f: impl FnMut(usize, &'a str)) {
    let b = piece.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        i = match b[i] {
            c if WORDISH[c as usize] => ascii_word_end(b, i, b.len()),
            b'\r' if b.get(i + 1) == Some(&b'\n') => i + 2,
            b' ' => i + b[i..].iter().take_while(|&&c| c == b' ').count(),
            _ => i + 1,
        };
        f(base + start, &piece[start..i]);
    }
}

/// Where the segment that starts with the letter, digit or `_` at `i`
/// ends (before `end`): letters, digits and `_` run on, and a `:` `.` `'`
/// between two letters (WB6/7) or a `,` `;` `.` `'` between two digits
/// (WB11/12) joins them. The one copy of these rules: [`ascii_bounds`] and
/// [`ascii_words`] both call it.
fn ascii_word_end(b: &[u8], mut i: usize, end: usize) -> usize {
    loop {
        i = swar::run_end(b, i, end, swar::word_bytes, |c| WORDISH[c as usize]);
        // The character after the mark is a letter or a digit.
        if i + 1 < end && mid_joined(b[i - 1], b[i], b[i + 1]) {
            i += 2;
        } else {
            return i;
        }
    }
}

/// Split `text` into words and atoms.
/// The byte ranges of a keyword-in-context line: up to `window` words before and after a hit
/// that covers `span` (bytes) and `hit_atoms` (word indices). Never panics: a hit that starts or
/// ends between words (a regex hit on punctuation), covers no word, or sits in a passage without
/// words gets the text up to its own edges, and a window of 0 gives empty sides.
pub fn context_ranges(
    atoms: &[Atom],
    span: &Range<usize>,
    hit_atoms: &Range<usize>,
    window: usize,
) -> (Range<usize>, Range<usize>) {
    let left_start = if window == 0 || atoms.is_empty() {
        span.start
    } else {
        let i = hit_atoms.start.saturating_sub(window).min(atoms.len() - 1);
        atoms[i].span.start.min(span.start)
    };
    let right_end = if window == 0 || atoms.is_empty() {
        span.end
    } else {
        let i = hit_atoms
            .end
            .saturating_add(window)
            .min(atoms.len())
            .saturating_sub(1);
        atoms[i].span.end.max(span.end)
    };
    (left_start..span.start, span.end..right_end)
}

/// Split `text` into atoms and words, the same way for codebook entries
/// and for coded text.
pub fn tokenize(text: &str) -> Tokens {
    let mut tokens = Tokens {
        atoms: Vec::with_capacity(text.len() / 5),
        words: 0,
        folded: String::with_capacity(text.len()),
    };
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] into `tokens`, reusing its buffers (whatever it held is
/// replaced).
///
/// Segments go straight from the segmenter into the compound logic, without
/// a list of pieces in between (that list and a second pass over it were a
/// third of the time of a run with a small dictionary). A property test
/// checks this route against the one through `pieces`.
pub fn tokenize_into(text: &str, tokens: &mut Tokens) {
    tokens.atoms.clear();
    tokens.folded.clear();
    tokens.folded.push_str(text);
    tokens.folded.make_ascii_lowercase();
    tokens.words = 0;
    let mut compound = Compound::default();
    if text.is_ascii() {
        // ASCII text needs no cutting into pieces: the ASCII rules cover it.
        ascii_words(text, 0..text.len(), &mut compound, tokens);
    } else if !has_complex_script(text) {
        // Consecutive ASCII pieces go to `ascii_words` as one stretch (a
        // piece starts with white space, so nothing joins across them).
        let mut ascii_from = 0;
        for_each_piece(text, |start, piece| {
            if !piece.is_ascii() {
                ascii_words(text, ascii_from..start, &mut compound, tokens);
                for (o, seg) in piece.split_word_bound_indices() {
                    compound.segment(text, start + o, seg, tokens);
                }
                ascii_from = start + piece.len();
            }
        });
        ascii_words(text, ascii_from..text.len(), &mut compound, tokens);
    } else {
        for (start, seg) in pieces(text) {
            compound.segment(text, start, seg, tokens);
        }
    }
    compound.finish(text, tokens);
}

/// Feed the UAX #29 segments of the ASCII stretch `range` of `text` to
/// `compound`: what [`ascii_bounds`] followed by [`Compound::segment`]
/// does, in one pass over the bytes, with no list of segments (most of the
/// time of tokenising was there).
///
/// Why this is the same: a segment holding a letter or a digit starts with
/// one of them or with `_` and ends where [`ascii_word_end`] says. Every
/// other segment (a run of spaces, CR LF, one punctuation mark) holds no
/// letter or digit, so the compound logic only asks whether it is a hyphen
/// — always a segment of its own — and handling such segments character by
/// character changes nothing. The property test `tokenizer_routes_agree`
/// checks it against the segment-by-segment route.
fn ascii_words(text: &str, range: Range<usize>, compound: &mut Compound, tokens: &mut Tokens) {
    let b = text.as_bytes();
    let end = range.end;
    let mut i = range.start;
    while i < end {
        let c = b[i];
        if !WORDISH[c as usize] {
            compound.other(text, i, c == b'-', tokens);
            i += 1;
            continue;
        }
        let start = i;
        i = ascii_word_end(b, i, end);
        if c == b'_' && !b[start..i].iter().any(u8::is_ascii_alphanumeric) {
            compound.other(text, start, false, tokens);
        } else if compound.pending_hyphen || matches!(b.get(i), Some(&n) if n == b'-' || n >= 0x80)
        {
            // It may continue or begin a hyphenated compound.
            compound.word(text, start..i, tokens);
        } else {
            // A word on its own (most words): one atom, its folded form its
            // own span in the lower-cased copy.
            compound.finish(text, tokens);
            tokens.words += 1;
            push_atom(text, tokens, start..i, start..i);
        }
    }
}

/// Byte classes of eight bytes at once (one `u64`, little-endian): each
/// function sets the high bit of every byte in the class and clears every
/// other bit. Bytes are taken below 0x80 and moved by an addition so that
/// the high bit carries a comparison; no addition carries into the next
/// byte. A byte with its high bit set (not ASCII) is in none of the classes.
pub(crate) mod swar {
    pub const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = !HIGH;
    const fn splat(b: u8) -> u64 {
        0x0101_0101_0101_0101 * b as u64
    }

    /// ASCII letters: lower-cased by setting bit 5 (only `A`–`Z` and
    /// `a`–`z` land in `a`–`z`), then `a` ≤ byte ≤ `z`.
    pub fn letters(w: u64) -> u64 {
        let lower = (w & LOW) | splat(0x20);
        (lower + splat(0x80 - b'a')) & !(lower + splat(0x80 - b'z' - 1)) & !w & HIGH
    }

    /// ASCII digits.
    pub fn digits(w: u64) -> u64 {
        let x = w & LOW;
        (x + splat(0x80 - b'0')) & !(x + splat(0x80 - b'9' - 1)) & !w & HIGH
    }

    /// Bytes equal to the ASCII byte `b`.
    pub fn bytes_equal(w: u64, b: u8) -> u64 {
        let v = w ^ splat(b);
        !(((v & LOW) + LOW) | v) & HIGH
    }

    /// The bytes that join into a word ([`super::WORDISH`]): letters,
    /// digits, `_`.
    pub fn word_bytes(w: u64) -> u64 {
        letters(w) | digits(w) | bytes_equal(w, b'_')
    }

    /// Where the run of bytes of a class that starts at `i` ends (at
    /// `end` at the latest): eight bytes at a time through `class` while
    /// they are all in it (most words end within the first eight), the
    /// last few through `is`, the same class a byte at a time.
    pub fn run_end(
        b: &[u8],
        mut i: usize,
        end: usize,
        class: impl Fn(u64) -> u64,
        is: impl Fn(u8) -> bool,
    ) -> usize {
        while let Some(eight) = b[i..end].first_chunk::<8>() {
            let outside = !class(u64::from_le_bytes(*eight)) & HIGH;
            if outside != 0 {
                return i + outside.trailing_zeros() as usize / 8;
            }
            i += 8;
        }
        while i < end && is(b[i]) {
            i += 1;
        }
        i
    }
}

/// The ASCII bytes that join each other into a word: letters, digits, `_`.
static WORDISH: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

/// Does the mark `m` join the characters `p` and `n` around it into one
/// word (WB6/7: between letters; WB11/12: between digits)?
fn mid_joined(p: u8, m: u8, n: u8) -> bool {
    (p.is_ascii_alphabetic() && matches!(m, b':' | b'.' | b'\'') && n.is_ascii_alphabetic())
        || (p.is_ascii_digit() && matches!(m, b',' | b';' | b'.' | b'\'') && n.is_ascii_digit())
}

/// The word being assembled from segments: its word-like parts and whether a
/// hyphen right after the last one waits for the next.
#[derive(Default)]
struct Compound {
    parts: Vec<Range<usize>>,
    pending_hyphen: bool,
}

impl Compound {
    /// Feed the segment `seg` that starts at byte `start` of `text`.
    fn segment(&mut self, text: &str, start: usize, seg: &str, tokens: &mut Tokens) {
        if is_wordlike(seg) {
            self.word(text, start..start + seg.len(), tokens);
        } else {
            self.other(text, start, is_joining_hyphen(seg), tokens);
        }
    }

    /// A word-like segment.
    fn word(&mut self, text: &str, range: Range<usize>, tokens: &mut Tokens) {
        let continues = self.pending_hyphen && !self.parts.is_empty();
        if !continues {
            self.finish(text, tokens);
        }
        self.parts.push(range);
        self.pending_hyphen = false;
    }

    /// Any other segment: a hyphen right after a part may join the next
    /// part; anything else ends the word.
    fn other(&mut self, text: &str, start: usize, hyphen: bool, tokens: &mut Tokens) {
        if hyphen && !self.pending_hyphen && self.parts.last().is_some_and(|p| p.end == start) {
            self.pending_hyphen = true;
        } else {
            self.finish(text, tokens);
            self.pending_hyphen = false;
        }
    }

    /// End the word, if there is one.
    fn finish(&mut self, text: &str, tokens: &mut Tokens) {
        if !self.parts.is_empty() {
            flush_compound(text, &mut self.parts, tokens);
        }
    }
}

/// Push an atom whose folded form is `norm` (a range of `tokens.folded`),
/// working out whether it is joined to the previous one.
fn push_atom(text: &str, tokens: &mut Tokens, span: Range<usize>, norm: Range<usize>) {
    let ascii_gap = |c: &u8| matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'-');
    let joined = tokens.atoms.last().is_some_and(|prev| {
        let gap = text
            .as_bytes()
            .get(prev.span.end..span.start)
            .unwrap_or_default();
        if gap.is_ascii() {
            gap.iter().all(ascii_gap)
        } else {
            text.get(prev.span.end..span.start).is_some_and(|gap| {
                gap.chars()
                    .all(|c| c.is_whitespace() || is_joining_hyphen(c.encode_utf8(&mut [0; 4])))
            })
        }
    });
    tokens.atoms.push(Atom { span, norm, joined });
}

/// The folded form of `part` as a range of `tokens.folded`: its own span
/// in the lower-cased copy of the text when it is ASCII, else its fold
/// appended to the buffer.
fn fold_part(text: &str, part: &Range<usize>, tokens: &mut Tokens) -> Range<usize> {
    if text.as_bytes()[part.clone()].is_ascii() {
        return part.clone();
    }
    let start = tokens.folded.len();
    fold_into(&text[part.clone()], &mut tokens.folded);
    start..tokens.folded.len()
}

fn flush_compound(text: &str, parts: &mut Vec<Range<usize>>, tokens: &mut Tokens) {
    tokens.words += 1;
    if parts.len() == 2 {
        let a = fold_part(text, &parts[0], tokens);
        let b = fold_part(text, &parts[1], tokens);
        if tokens.folded[a.clone()] == tokens.folded[b.clone()] {
            if b.start >= text.len() {
                // `b`'s fold was appended: drop it again.
                tokens.folded.truncate(b.start);
            }
            push_atom(text, tokens, parts[0].start..parts[1].end, a);
        } else {
            push_atom(text, tokens, parts[0].clone(), a);
            push_atom(text, tokens, parts[1].clone(), b);
        }
        parts.clear();
        return;
    }
    for p in parts.iter() {
        let norm = fold_part(text, p, tokens);
        push_atom(text, tokens, p.clone(), norm);
    }
    // Cleared, not taken: the list keeps its allocation for the next word.
    parts.clear();
}

/// Count words the way [`tokenize`] does, without building atoms.
pub fn count_words(text: &str) -> usize {
    tokenize(text).words
}

/// Convert a byte offset in `text` to a character (Unicode scalar) offset.
///
/// Spreadsheets, Python and R index strings by characters, so every offset
/// tanda writes is a character offset.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Character offsets of byte offsets in one text, each counted on from the
/// one before: for offsets in ascending order (a passage's hits) converting
/// all of them costs one walk of the text, not one walk per offset, which
/// made a document coded as one passage quadratic. An offset before the
/// previous one starts again from the beginning.
pub struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The character offset of byte offset `byte` (a character boundary).
    pub fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            (self.byte, self.chars) = (0, 0);
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_cursor_counts_as_char_offset_does_in_any_order() {
        let text = "Ché ก็ได้ 5 ñu — end";
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut c = CharCursor::new(text);
        // Ascending, repeated, then backwards.
        let order: Vec<usize> = bounds
            .iter()
            .copied()
            .chain([bounds[3], bounds[3], 0, bounds[7]])
            .collect();
        for b in order {
            assert_eq!(c.at(b), char_offset(text, b), "byte {b}");
        }
    }

    /// Each byte class, for every byte value at every position of the
    /// word, among bytes in the class and among bytes outside it.
    #[test]
    fn swar_classes_mark_exactly_their_bytes() {
        type Class = (fn(u64) -> u64, fn(u8) -> bool);
        let classes: [Class; 4] = [
            (swar::letters, |b| b.is_ascii_alphabetic()),
            (swar::digits, |b| b.is_ascii_digit()),
            (|w| swar::bytes_equal(w, b'_'), |b| b == b'_'),
            (swar::word_bytes, |b| WORDISH[b as usize]),
        ];
        for (class, is) in classes {
            for b in 0..=255u8 {
                for at in 0..8 {
                    for fill in [b'q', b'7', b'_', b' ', 0x80, 0xff] {
                        let mut w = [fill; 8];
                        w[at] = b;
                        let got = class(u64::from_le_bytes(w));
                        for (k, &x) in w.iter().enumerate() {
                            assert_eq!(
                                got >> (8 * k) & 0xff,
                                if is(x) { 0x80 } else { 0 },
                                "{w:?} byte {k}"
                            );
                        }
                    }
                }
            }
        }
    }

    fn norms(t: &str) -> Vec<String> {
        let tokens = tokenize(t);
        (0..tokens.atoms.len())
            .map(|i| tokens.norm(i).to_string())
            .collect()
    }

    #[test]
    fn words_and_punctuation() {
        let t = tokenize("The report, published in 2011, said: “No.”");
        assert_eq!(t.words, 7);
        assert_eq!(
            norms("The report, published"),
            vec!["the", "report", "published"]
        );
    }

    #[test]
    fn hyphenated_compound_is_one_word_two_atoms() {
        let t = tokenize("anti-trafficking law");
        assert_eq!(t.words, 2);
        assert_eq!(
            norms("anti-trafficking law"),
            vec!["anti", "trafficking", "law"]
        );
        // A spaced dash is not a compound.
        assert_eq!(tokenize("law - policy").words, 2);
    }

    #[test]
    fn reduplication_is_one_atom() {
        let t = tokenize("Anak-anak dan referensi-referensi");
        assert_eq!(t.words, 3);
        assert_eq!(norms("Anak-anak dan"), vec!["anak", "dan"]);
        let a = &t.atoms[0];
        assert_eq!(a.span, 0.."Anak-anak".len());
    }

    #[test]
    fn piecewise_fold_equals_fold() {
        for text in [
            "Advocacy and ADVOCATES",
            "Children’s rights, ﬁnancial STRAẞE",
            "cafe\u{301} Cafe\u{301}s",
            "advo\u{00AD}cacy ＡＤＶＯＣＡＣＹ",
            "กฎหมาย ECPAT ไทย 2011",
            "é",
            "e\u{301}x",
            "",
            "ß",
            "x’y’z",
        ] {
            let mut out = String::new();
            fold_text(text, &mut out);
            assert_eq!(out, fold(text), "{text:?}");
        }
    }

    #[test]
    fn folding_unifies_ligatures_case_and_apostrophes() {
        assert_eq!(fold("ﬁnancial"), "financial");
        assert_eq!(fold("Children’s"), "children's");
        assert_eq!(fold("STRAẞE"), "strasse");
        assert_eq!(norms("children’s rights"), norms("Children's Rights"));
    }

    #[test]
    fn numbers_and_acronyms_stay_whole() {
        assert_eq!(norms("1.082 kasus, 14,7%"), vec!["1.082", "kasus", "14,7"]);
        assert_eq!(norms("the U.S. report"), vec!["the", "u.s", "report"]);
    }

    #[test]
    fn punctuation_between_atoms_is_a_phrase_barrier() {
        let joined: Vec<bool> = tokenize("law enforcement, anti-\ntrafficking. Next")
            .atoms
            .iter()
            .map(|a| a.joined)
            .collect();
        assert_eq!(joined, vec![false, true, false, true, false]);
    }

    #[test]
    fn thai_is_cut_into_words_and_mixes_with_latin() {
        // "รายงานการค้ามนุษย์" = report (รายงาน) + trafficking (การค้ามนุษย์…)
        let n = norms("ECPAT รายงานการค้ามนุษย์ 2013");
        assert_eq!(n[0], "ecpat");
        assert_eq!(n[1], "รายงาน");
        assert_eq!(n.last().map(String::as_str), Some("2013"));
        assert!(n.len() >= 4, "{n:?}");
        // The same words tokenise the same inside and outside running text.
        let alone = tokenize("รายงาน");
        assert_eq!(alone.norm(0), "รายงาน");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// The ASCII fast path must cut exactly where UAX #29 does, on text
        /// that mixes the characters its rules treat specially with
        /// non-ASCII letters, marks, quotes and spaces.
        #[test]
        fn word_bounds_equal_uax29(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "Z", "q", "0", "7", ".", ",", ";", ":", "'", "\"", "_", "-", " ", " ",
                "\t", "\n", "\r", "\u{0b}", "\u{0c}", "!", "(", "%", "@",
                "é", "\u{0301}", "\u{2019}", "\u{00A0}", "\u{2014}", "\u{200D}", "\u{00AD}",
                "\u{3000}", "\u{2003}", "ก", "中", "\u{1F1E9}", "\u{FF0E}", "٣",
                // Runs of eight word bytes and more (read eight at a time).
                "perlindungan", "Child_Rights2011", "abcdefg", "x1_y2_z3_w4",
            ]),
            0..40,
        )) {
            let text: String = pieces.concat();
            let mut fast = Vec::new();
            word_bounds(&text, 0, &mut fast);
            let slow: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    /// The tokeniser through the list of pieces.
    fn tokenize_general(text: &str) -> Tokens {
        let mut t = Tokens {
            folded: text.to_ascii_lowercase(),
            ..Tokens::default()
        };
        let mut compound = Compound::default();
        for (start, seg) in pieces(text) {
            compound.segment(text, start, seg, &mut t);
        }
        compound.finish(text, &mut t);
        t
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// Segments fed straight to the compound logic (all-ASCII text,
        /// ASCII stretches of mixed text, the rest) give exactly the words
        /// and atoms (spans, folded forms, phrase joints) of the route
        /// through the list of pieces.
        #[test]
        fn tokenizer_routes_agree(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "B", "z", "0", "9", ".", ",", ";", ":", "'", "\"", "_", "-", "-", " ", " ",
                "\t", "\n", "\r", "\u{0b}", "\u{0c}", "!", "(", "%", "@", "/", "#",
                "a", "e", "1", " ", "-", "é", "\u{2019}", "\u{2010}", "\u{00A0}", "\u{2014}",
                "\u{3000}", "\u{0301}", "\u{00AD}", "“",
                // Runs of eight word bytes and more (read eight at a time).
                "perlindungan", "Child_Rights2011", "abcdefg", "x1_y2_z3_w4",
            ]),
            0..40,
        )) {
            let text: String = pieces.concat();
            let fast = tokenize(&text);
            let slow = tokenize_general(&text);
            proptest::prop_assert_eq!(fast.words, slow.words);
            proptest::prop_assert_eq!(&fast.atoms, &slow.atoms);
            proptest::prop_assert_eq!(&fast.folded, &slow.folded);
        }
    }

    #[test]
    fn char_offsets_count_scalars() {
        let s = "ﬁ café x";
        let x = s.find('x').unwrap();
        assert_eq!(char_offset(s, x), 7);
    }

    #[test]
    fn context_ranges_never_cross_the_hit() {
        let text = "Say: (urgent) action now, please";
        let t = tokenize(text);
        let words: Vec<&str> = t.atoms.iter().map(|a| &text[a.span.clone()]).collect();
        assert_eq!(words, ["Say", "urgent", "action", "now", "please"]);
        // A regex hit "(urgent)" starts and ends on punctuation, between words.
        let span = 5..13;
        let (l, r) = context_ranges(&t.atoms, &span, &(1..2), 1);
        assert_eq!(&text[l], "Say: ");
        assert_eq!(&text[r], " action");
        // Window 0: nothing either side, whatever the atoms say.
        let (l, r) = context_ranges(&t.atoms, &span, &(1..2), 0);
        assert!(l.is_empty() && r.is_empty());
        // A hit covering no word (atoms 2..2) and a passage without words.
        let (l, r) = context_ranges(&t.atoms, &(12..13), &(2..2), 2);
        assert_eq!(&text[l], "Say: (urgent");
        assert_eq!(&text[r], " action now");
        let (l, r) = context_ranges(&[], &(0..1), &(0..0), 3);
        assert_eq!((l, r), (0..0, 1..1));
    }
}
