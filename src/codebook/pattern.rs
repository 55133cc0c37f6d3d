//! Dictionary entries compiled to sequences of atom patterns.
//!
//! An entry is split into atoms by the same tokenizer as the text
//! ([`crate::text`]), so `anti-trafficking`, `anti trafficking` and
//! `Anti-Trafficking` are one pattern. Words carrying `*` (any run of
//! characters within the word, possibly empty) or `?` (exactly one character)
//! are globs; globs never cross a word boundary.

use crate::text::{fold, tokenize};

/// One part of a glob.
#[derive(Debug, Clone, PartialEq, Eq)]
enum GlobTok {
    Lit(char),
    Star,
    One,
}

/// A wildcard pattern for one atom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    toks: Vec<GlobTok>,
    /// Folded literal characters before the first wildcard.
    pub prefix: String,
    /// True for the common `stem*` shape, which is looked up by prefix.
    pub prefix_only: bool,
    /// Number of literal characters.
    pub literal_len: usize,
    shape: Shape,
}

/// Glob shapes matched without the general algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// `*lit*`
    Infix(String),
    /// `*lit`
    Suffix(String),
    Other,
}

impl Glob {
    fn parse(folded: &str) -> Glob {
        let mut toks = Vec::new();
        for c in folded.chars() {
            toks.push(match c {
                '*' => {
                    if toks.last() == Some(&GlobTok::Star) {
                        continue;
                    }
                    GlobTok::Star
                }
                '?' => GlobTok::One,
                c => GlobTok::Lit(c),
            });
        }
        let prefix: String = toks
            .iter()
            .map_while(|t| match t {
                GlobTok::Lit(c) => Some(*c),
                _ => None,
            })
            .collect();
        let literal_len = toks.iter().filter(|t| matches!(t, GlobTok::Lit(_))).count();
        let prefix_only = toks.len() == literal_len + 1 && toks.last() == Some(&GlobTok::Star);
        let lits = |t: &[GlobTok]| -> Option<String> {
            t.iter()
                .map(|x| match x {
                    GlobTok::Lit(c) => Some(*c),
                    _ => None,
                })
                .collect()
        };
        let shape = match toks.as_slice() {
            [GlobTok::Star, mid @ .., GlobTok::Star] if !mid.is_empty() => {
                lits(mid).map_or(Shape::Other, Shape::Infix)
            }
            [GlobTok::Star, rest @ ..] if !rest.is_empty() => {
                lits(rest).map_or(Shape::Other, Shape::Suffix)
            }
            _ => Shape::Other,
        };
        Glob {
            toks,
            prefix,
            prefix_only,
            literal_len,
            shape,
        }
    }

    /// Does the glob match the whole of `s`?
    /// The longest run of literal characters: every word the glob matches
    /// contains it, so it can be searched for before the glob is tried.
    pub fn required_literal(&self) -> Option<String> {
        let mut best = String::new();
        let mut run = String::new();
        for t in &self.toks {
            match t {
                GlobTok::Lit(c) => run.push(*c),
                _ => {
                    if run.chars().count() > best.chars().count() {
                        best = std::mem::take(&mut run);
                    }
                    run.clear();
                }
            }
        }
        if run.chars().count() > best.chars().count() {
            best = run;
        }
        (!best.is_empty()).then_some(best)
    }

    pub fn matches(&self, s: &str) -> bool {
        if self.prefix_only {
            return s.starts_with(&self.prefix);
        }
        // Fast paths for the common shapes `*lit*` and `*lit`.
        match &self.shape {
            Shape::Infix(lit) => return s.contains(lit.as_str()),
            Shape::Suffix(lit) => return s.ends_with(lit.as_str()),
            Shape::Other => {}
        }
        let chars: Vec<char> = s.chars().collect();
        let (mut p, mut i) = (0usize, 0usize);
        let mut back: Option<(usize, usize)> = None;
        while i < chars.len() {
            match self.toks.get(p) {
                Some(GlobTok::Lit(c)) if *c == chars[i] => {
                    p += 1;
                    i += 1;
                }
                Some(GlobTok::One) => {
                    p += 1;
                    i += 1;
                }
                Some(GlobTok::Star) => {
                    back = Some((p, i));
                    p += 1;
                }
                _ => match back {
                    Some((bp, bi)) => {
                        p = bp + 1;
                        i = bi + 1;
                        back = Some((bp, bi + 1));
                    }
                    None => return false,
                },
            }
        }
        self.toks[p..].iter().all(|t| *t == GlobTok::Star)
    }

    /// Does the glob have no literal letters at all (`*`, `?*`)?
    pub fn is_wildcard_only(&self) -> bool {
        self.literal_len == 0
    }
}

/// One atom of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtomPattern {
    /// Folded form, compared with the text's folded atom.
    Exact(String),
    /// Letter case kept: compared with the text as written.
    ExactCase(String),
    Glob(Glob),
}

impl AtomPattern {
    /// Does the atom match a text atom with folded form `norm`, written `raw`?
    pub fn matches(&self, norm: &str, raw: &str) -> bool {
        match self {
            AtomPattern::Exact(s) => s == norm,
            AtomPattern::ExactCase(s) => s == raw,
            AtomPattern::Glob(g) => g.matches(norm),
        }
    }

    /// The folded form under which the atom is indexed, if it is exact.
    pub fn index_key(&self) -> Option<String> {
        match self {
            AtomPattern::Exact(s) => Some(s.clone()),
            AtomPattern::ExactCase(s) => Some(fold(s)),
            AtomPattern::Glob(_) => None,
        }
    }

    fn literal_len(&self) -> usize {
        match self {
            AtomPattern::Exact(s) | AtomPattern::ExactCase(s) => s.chars().count(),
            AtomPattern::Glob(g) => g.literal_len,
        }
    }
}

/// An entry compiled to atoms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub atoms: Vec<AtomPattern>,
}

impl Pattern {
    /// Compile an entry as written in a codebook.
    pub fn parse(entry: &str) -> Result<Pattern, String> {
        Pattern::parse_with(entry, false)
    }

    /// Compile an entry; with `case_sensitive`, exact words keep their case.
    pub fn parse_with(entry: &str, case_sensitive: bool) -> Result<Pattern, String> {
        let mut atoms = Vec::new();
        for word in entry.split_whitespace() {
            if word.contains(['*', '?']) {
                for part in word.split(['-', '\u{2010}', '\u{2011}']) {
                    let part =
                        part.trim_matches(|c: char| !(c.is_alphanumeric() || c == '*' || c == '?'));
                    if part.is_empty() {
                        continue;
                    }
                    let glob = Glob::parse(&fold(part));
                    if glob.is_wildcard_only() {
                        return Err(format!(
                            "`{part}` has no letters: a glob of wildcards alone matches every word"
                        ));
                    }
                    atoms.push(AtomPattern::Glob(glob));
                }
            } else {
                let toks = tokenize(word);
                atoms.extend(toks.atoms.iter().enumerate().map(|(i, a)| {
                    if case_sensitive {
                        AtomPattern::ExactCase(word[a.span.clone()].to_string())
                    } else {
                        AtomPattern::Exact(toks.norm(i).to_string())
                    }
                }));
            }
        }
        if atoms.is_empty() {
            return Err("the entry has no letters or digits to match".to_string());
        }
        Ok(Pattern { atoms })
    }

    /// Ranking used when matches of one category overlap: more atoms first
    /// (the longest phrase wins), then more exact atoms (an exact word beats a
    /// glob), then more literal characters (a longer prefix beats a shorter).
    pub fn rank(&self) -> (usize, usize, usize) {
        let exact = self
            .atoms
            .iter()
            .filter(|a| !matches!(a, AtomPattern::Glob(_)))
            .count();
        let literal = self.atoms.iter().map(AtomPattern::literal_len).sum();
        (self.atoms.len(), exact, literal)
    }

    /// A canonical spelling, used to merge identical entries.
    pub fn key(&self) -> String {
        let mut s = String::new();
        for (i, a) in self.atoms.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            match a {
                AtomPattern::Exact(e) => s.push_str(e),
                AtomPattern::ExactCase(e) => {
                    s.push('=');
                    s.push_str(e);
                }
                AtomPattern::Glob(g) => {
                    for t in &g.toks {
                        match t {
                            GlobTok::Lit(c) => s.push(*c),
                            GlobTok::Star => s.push('*'),
                            GlobTok::One => s.push('?'),
                        }
                    }
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(s: &str) -> Glob {
        Glob::parse(s)
    }

    #[test]
    fn required_literal_is_the_longest_literal_run() {
        let lit = |s: &str| glob(s).required_literal();
        assert_eq!(lit("*lapor*").as_deref(), Some("lapor"));
        assert_eq!(lit("ab*cdef?g").as_deref(), Some("cdef"));
        assert_eq!(lit("*lobi").as_deref(), Some("lobi"));
        assert_eq!(lit("?*"), None);
        // Every word the glob matches contains its literal.
        for (g, w) in [("ab*cdef?g", "abxxcdefyg"), ("*k?mpa*", "kampanye")] {
            let g = glob(g);
            assert!(g.matches(w));
            assert!(w.contains(g.required_literal().unwrap().as_str()));
        }
    }

    #[test]
    fn globs_match_anywhere_in_a_word() {
        assert!(glob("advoca*").matches("advocacy"));
        assert!(glob("advoca*").matches("advoca"));
        assert!(!glob("advoca*").matches("advoc"));
        assert!(glob("*kampanye*").matches("mengkampanyekan"));
        assert!(glob("*kampanye*").matches("kampanye"));
        assert!(!glob("*kampanye*").matches("kampanya"));
        assert!(glob("organi?ation").matches("organization"));
        assert!(glob("organi?ation").matches("organisation"));
        assert!(!glob("organi?ation").matches("organiation"));
        assert!(glob("*lapor").matches("melapor"));
        assert!(!glob("*lapor").matches("laporan"));
        assert!(glob("a*b*c").matches("axxbyyc"));
        assert!(!glob("a*b*c").matches("axxbyy"));
    }

    #[test]
    fn entries_tokenise_like_text() {
        let p = Pattern::parse("Anti-Trafficking  law").unwrap();
        let q = Pattern::parse("anti trafficking law").unwrap();
        assert_eq!(p, q);
        assert_eq!(p.atoms.len(), 3);
        let r = Pattern::parse("anak-anak").unwrap();
        assert_eq!(r.atoms, vec![AtomPattern::Exact("anak".into())]);
        let g = Pattern::parse("national plan* of action").unwrap();
        assert_eq!(g.atoms.len(), 4);
        assert!(matches!(g.atoms[1], AtomPattern::Glob(_)));
    }

    #[test]
    fn bad_entries_are_rejected() {
        assert!(Pattern::parse("*").is_err());
        assert!(Pattern::parse("--").is_err());
        assert!(Pattern::parse("   ").is_err());
    }

    #[test]
    fn rank_orders_length_then_exactness_then_literals() {
        let phrase = Pattern::parse("plan of action").unwrap().rank();
        let word = Pattern::parse("action").unwrap().rank();
        let glob_long = Pattern::parse("advocac*").unwrap().rank();
        let glob_short = Pattern::parse("advo*").unwrap().rank();
        let exact = Pattern::parse("advocacy").unwrap().rank();
        assert!(phrase > word);
        assert!(exact > glob_long);
        assert!(glob_long > glob_short);
    }
}
