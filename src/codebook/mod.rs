//! The codebook: its model, the TOML parser, validation and compilation into
//! a [`Matcher`].
//!
//! A codebook is edited by hand, so every problem is reported with the file,
//! line and column of the offending value, and all problems are reported at
//! once rather than one per run.

mod compile;
mod diagnostic;
mod parse;
mod pattern;
mod validate;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use compile::{CategoryInfo, Matcher, PatternId, PatternOwner};
pub use diagnostic::{Diagnostic, Severity};
pub use pattern::{AtomPattern, Pattern};

use crate::error::Error;

/// The codebook shipped inside the binary: Keck & Sikkink's transnational
/// advocacy tactics, plus actors.
pub const BUILTIN_TAN: &str = include_str!("../../codebooks/tan.toml");
/// How the built-in codebook is named in outputs in place of a path.
pub const BUILTIN_NAME: &str = "builtin:tan";

/// Where a value stands in the codebook file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// One dictionary entry as written, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub text: String,
    pub pos: Pos,
}

/// A category of the codebook. Children are expressed by dotted ids:
/// `leverage.material` is a child of `leverage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub label: String,
    pub description: String,
    /// Words, globs and phrases.
    pub entries: Vec<Entry>,
    /// Regular expressions, matched over the passage text.
    pub regex: Vec<Entry>,
    /// Entries whose matches cancel overlapping hits of this category and
    /// its descendants.
    pub exclude: Vec<Entry>,
    /// Hits a passage needs to be coded for this category.
    pub threshold: u32,
    pub pos: Pos,
}

impl Category {
    /// The id of the parent category, if the id is dotted.
    pub fn parent_id(&self) -> Option<&str> {
        self.id.rsplit_once('.').map(|(p, _)| p)
    }
}

/// A parsed codebook plus where it came from.
#[derive(Debug, Clone)]
pub struct Codebook {
    pub name: String,
    pub version: String,
    pub description: String,
    pub categories: Vec<Category>,
    /// The path as given, or [`BUILTIN_NAME`].
    pub origin: String,
    /// SHA-256 of the codebook file's bytes, hex.
    pub sha256: String,
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Parse and validate a codebook held in memory. `origin` names it in
/// messages. Returns the codebook with its warnings, or every problem found.
pub fn from_source(
    source: &str,
    origin: &str,
) -> Result<(Codebook, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (parsed, mut diags) = parse::parse_toml(source);
    let Some((name, version, description, categories)) = parsed else {
        return Err(diags);
    };
    let codebook = Codebook {
        name,
        version,
        description,
        categories,
        origin: origin.to_string(),
        sha256: sha256_hex(source.as_bytes()),
    };
    diags.extend(validate::validate(&codebook));
    diags.sort_by_key(|d| (d.pos.line, d.pos.column));
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    Ok((codebook, diags))
}

/// Load a codebook from a file, or the built-in one when `path` is `None`.
pub fn load(path: Option<&Path>) -> Result<(Codebook, Vec<Diagnostic>), Error> {
    let (source, origin) = match path {
        None => (BUILTIN_TAN.to_string(), BUILTIN_NAME.to_string()),
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| Error::CodebookRead {
                path: p.display().to_string(),
                source: e,
            })?;
            let text = String::from_utf8(bytes).map_err(|e| Error::Codebook {
                origin: p.display().to_string(),
                diagnostics: vec![Diagnostic::error(
                    line_col_of_byte(
                        &String::from_utf8_lossy(e.as_bytes()),
                        e.utf8_error().valid_up_to(),
                    ),
                    "the codebook is not valid UTF-8; save it as UTF-8",
                )],
            })?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
            (text, p.display().to_string())
        }
    };
    from_source(&source, &origin).map_err(|diagnostics| Error::Codebook {
        origin,
        diagnostics,
    })
}

/// Line and column (1-based, columns in characters) of a byte offset.
pub fn line_col_of_byte(source: &str, byte: usize) -> Pos {
    let byte = byte.min(source.len());
    let mut b = byte;
    while !source.is_char_boundary(b) {
        b -= 1;
    }
    let before = &source[..b];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Pos { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_codebook_is_valid() {
        let (cb, warnings) = from_source(BUILTIN_TAN, BUILTIN_NAME).unwrap_or_else(|d| {
            panic!("{:#?}", d);
        });
        assert!(warnings.iter().all(|w| w.severity == Severity::Warning));
        let top: Vec<&str> = cb
            .categories
            .iter()
            .filter(|c| c.parent_id().is_none())
            .map(|c| c.id.as_str())
            .collect();
        for want in [
            "information",
            "symbolic",
            "leverage",
            "accountability",
            "actors",
        ] {
            assert!(top.contains(&want), "missing top-level category {want}");
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let s = "ab\ncé x";
        assert_eq!(
            line_col_of_byte(s, s.find('x').unwrap()),
            Pos { line: 2, column: 4 }
        );
        assert_eq!(line_col_of_byte(s, 0), Pos { line: 1, column: 1 });
    }
}
