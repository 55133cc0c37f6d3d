//! A light language guess for documents whose metadata does not give one.
//!
//! The script decides for Thai, Lao, Khmer and Burmese; otherwise the more
//! frequent of a few English and Indonesian function words; `und` when
//! neither is clear. It reads every letter of the first 200 paragraphs, so
//! it is written to cost a few instructions per byte: it runs on every
//! document without a `language` value.

use super::Paragraph;
use crate::text::swar;

/// The guess for a document's paragraphs.
pub fn detect_language(paragraphs: &[Paragraph]) -> &'static str {
    let mut t = Tally::default();
    for p in paragraphs.iter().take(200) {
        t.scan(&p.text);
    }
    t.verdict()
}

/// Letters per script and function words, counted over the letters of a
/// text (a word is a maximal run of letters).
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    letters: usize,
    /// Thai, Lao, Khmer, Burmese.
    script: [usize; 4],
    en: usize,
    id: usize,
}

/// `w` (at most 8 bytes) as a little-endian integer: how
/// [`Tally::scan`] reads a lower-cased word.
const fn pack(w: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = w.len();
    while i > 0 {
        i -= 1;
        k = (k << 8) | w[i] as u64;
    }
    k
}

// English and Indonesian function words (2 to 6 letters, lower case).
const THE: u64 = pack(b"the");
const AND: u64 = pack(b"and");
const OF: u64 = pack(b"of");
const TO: u64 = pack(b"to");
const IN: u64 = pack(b"in");
const IS: u64 = pack(b"is");
const THAT: u64 = pack(b"that");
const FOR: u64 = pack(b"for");
const WITH: u64 = pack(b"with");
const WAS: u64 = pack(b"was");
const ARE: u64 = pack(b"are");
const ON: u64 = pack(b"on");
const BY: u64 = pack(b"by");
const YANG: u64 = pack(b"yang");
const DAN: u64 = pack(b"dan");
const DI: u64 = pack(b"di");
const UNTUK: u64 = pack(b"untuk");
const DENGAN: u64 = pack(b"dengan");
const INI: u64 = pack(b"ini");
const DARI: u64 = pack(b"dari");
const DALAM: u64 = pack(b"dalam");
const TIDAK: u64 = pack(b"tidak");
const AKAN: u64 = pack(b"akan");
const PADA: u64 = pack(b"pada");
const ITU: u64 = pack(b"itu");
const OLEH: u64 = pack(b"oleh");

impl Tally {
    /// Count `text`. Runs of ASCII letters are found eight bytes at a time
    /// ([`swar::run_end`]), and a run of 2 to 6 of them is read as one
    /// integer (lower-cased by setting bit 5 of every byte, which maps only
    /// letters to letters) and matched
    /// against the function words' integers; only characters outside ASCII
    /// are decoded, to test whether they are letters and of which script.
    fn scan(&mut self, text: &str) {
        let b = text.as_bytes();
        let n = b.len();
        // Was the character before `i` a letter outside ASCII? Then an
        // ASCII run starting at `i` is part of its word, which is no
        // function word.
        let mut joined = false;
        let mut i = 0;
        while i < n {
            let c = b[i];
            if c.is_ascii_alphabetic() {
                let s = i;
                i = swar::run_end(b, i, n, swar::letters, |c| c.is_ascii_alphabetic());
                let len = i - s;
                self.letters += len;
                if joined || !(2..=6).contains(&len) {
                    continue;
                }
                // A letter outside ASCII right after the run joins it too.
                if i < n && b[i] >= 0x80 && next_char(text, i).is_alphabetic() {
                    continue;
                }
                self.word(b, s, len);
            } else if c < 0x80 {
                joined = false;
                i += 1;
            } else {
                let ch = next_char(text, i);
                joined = ch.is_alphabetic();
                if joined {
                    self.letter(ch);
                }
                i += ch.len_utf8();
            }
        }
    }

    /// Count the letter `c` and its script.
    fn letter(&mut self, c: char) {
        self.letters += 1;
        match c as u32 {
            0x0E00..=0x0E7F => self.script[0] += 1,
            0x0E80..=0x0EFF => self.script[1] += 1,
            0x1780..=0x17FF => self.script[2] += 1,
            0x1000..=0x109F => self.script[3] += 1,
            _ => {}
        }
    }

    /// Look up the ASCII word `b[s..s + len]` (2 to 6 letters).
    fn word(&mut self, b: &[u8], s: usize, len: usize) {
        let raw = match b[s..].first_chunk::<8>() {
            Some(eight) => u64::from_le_bytes(*eight),
            None => pack(&b[s..s + len]),
        };
        let mask = (1u64 << (8 * len)) - 1;
        let key = (raw | 0x2020_2020_2020_2020) & mask;
        match key {
            THE | AND | OF | TO | IN | IS | THAT | FOR | WITH | WAS | ARE | ON | BY => self.en += 1,
            YANG | DAN | DI | UNTUK | DENGAN | INI | DARI | DALAM | TIDAK | AKAN | PADA | ITU
            | OLEH => self.id += 1,
            _ => {}
        }
    }

    fn verdict(&self) -> &'static str {
        let [thai, lao, khmer, burmese] = self.script;
        for (n, code) in [(thai, "th"), (lao, "lo"), (khmer, "km"), (burmese, "my")] {
            if self.letters > 0 && n * 5 > self.letters {
                return code;
            }
        }
        if self.en + self.id < 5 {
            "und"
        } else if self.en >= self.id {
            "en"
        } else {
            "id"
        }
    }
}

/// The character starting at byte `i` of `text` (a character boundary).
fn next_char(text: &str, i: usize) -> char {
    text.get(i..)
        .and_then(|t| t.chars().next())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, a character at a time: words are maximal runs of
    /// letters, looked up lower-cased.
    fn reference(text: &str) -> Tally {
        let mut t = Tally::default();
        for w in text.split(|c: char| !c.is_alphabetic()) {
            for c in w.chars() {
                t.letter(c);
            }
            match w.to_ascii_lowercase().as_str() {
                "the" | "and" | "of" | "to" | "in" | "is" | "that" | "for" | "with" | "was"
                | "are" | "on" | "by" => t.en += 1,
                "yang" | "dan" | "di" | "untuk" | "dengan" | "ini" | "dari" | "dalam" | "tidak"
                | "akan" | "pada" | "itu" | "oleh" => t.id += 1,
                _ => {}
            }
        }
        t
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The byte scan counts what the definition counts, on strings of
        /// function words, their near misses, letters outside ASCII (which
        /// join a word) and separators, run together or apart.
        #[test]
        fn scan_counts_what_the_definition_counts(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "the", "The", "THE", "and", "of", "tO", "that", "with", "by", "yang", "Dan",
                "di", "untuk", "DENGAN", "dalam", "oleh", "itu", "thee", "th", "a", "dengann",
                "untu", "x", "é", "ß", "ก", "ລ", "ក", "က", "İ", "\u{301}", " ", " ", ".", "-",
                "'", "1", "\u{2019}", "\u{a0}", "\n", "_",
            ]),
            0..24,
        )) {
            let text: String = pieces.concat();
            let mut t = Tally::default();
            t.scan(&text);
            proptest::prop_assert_eq!(t, reference(&text), "{:?}", text);
        }
    }

    fn guess(text: &str) -> &'static str {
        let mut t = Tally::default();
        t.scan(text);
        t.verdict()
    }

    #[test]
    fn guesses_from_function_words_and_scripts() {
        assert_eq!(
            guess("The report of the network and the ministry is in the annex."),
            "en"
        );
        assert_eq!(
            guess("Laporan yang disusun oleh jaringan itu dan data dari dinas tidak lengkap."),
            "id"
        );
        assert_eq!(guess("กฎหมายคุ้มครองเด็ก พ.ศ. 2546 and the plan"), "th");
        // Too few function words to tell.
        assert_eq!(guess("ECPAT, UNICEF, 2011."), "und");
        // Words joined to letters outside ASCII are not function words.
        assert_eq!(guess("theé andé ofé toé iné"), "und");
    }
}
