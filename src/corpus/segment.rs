//! Units of analysis: documents, paragraphs or sentences, with stable ids
//! (`reports/ecpat-2011.txt#p12`).

use std::fmt;
use std::str::FromStr;

use unicode_segmentation::UnicodeSegmentation;

use super::extract::Loc;
use super::normalize::Paragraph;

/// The unit a passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    Document,
    #[default]
    Paragraph,
    Sentence,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Document => "document",
            Unit::Paragraph => "paragraph",
            Unit::Sentence => "sentence",
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
            other => Err(format!(
                "unknown unit `{other}`; use document, paragraph or sentence"
            )),
        }
    }
}

/// One passage of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// `DOC_ID#p3`, `DOC_ID#s12` or `DOC_ID#doc`.
    pub id: String,
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

/// Cut a document's paragraphs into passages of `unit`.
pub fn segment(doc_id: &str, paragraphs: &[Paragraph], unit: Unit) -> Vec<Passage> {
    match unit {
        Unit::Paragraph => paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| Passage {
                id: format!("{doc_id}#p{}", i + 1),
                text: p.text.clone(),
                lines: p.lines.clone(),
            })
            .collect(),
        Unit::Document => {
            let mut text = String::new();
            let mut lines = Vec::new();
            for p in paragraphs {
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                let base = text.len();
                lines.extend(p.lines.iter().map(|&(o, l)| (base + o, l)));
                text.push_str(&p.text);
            }
            if text.is_empty() {
                return Vec::new();
            }
            vec![Passage {
                id: format!("{doc_id}#doc"),
                text,
                lines,
            }]
        }
        Unit::Sentence => {
            let mut out = Vec::new();
            for p in paragraphs {
                for (start, end) in sentences(&p.text) {
                    let lines = sub_lines(&p.lines, start, end);
                    out.push(Passage {
                        id: format!("{doc_id}#s{}", out.len() + 1),
                        text: p.text[start..end].to_string(),
                        lines,
                    });
                }
            }
            out
        }
    }
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
