//! The codebook: its model, the TOML parser, validation and compilation into
//! a [`Matcher`].
//!
//! A codebook is edited by hand, so every problem is reported with the file,
//! line and column of the offending value, and all problems are reported at
//! once rather than one per run.

mod compile;
mod diagnostic;
pub mod export;
mod foreign;
pub mod lexicoder;
pub mod liwc;
pub mod morph;
mod parse;
mod pattern;
mod rule;
mod svalue;
mod validate;
pub mod wordstat;
pub mod yaml;
pub mod yoshikoder;

use std::path::Path;

pub use compile::{CategoryInfo, CompiledOperand, Matcher, PatternId, PatternOwner, ProxRule};
pub use diagnostic::{Diagnostic, Severity};
pub use pattern::{AtomPattern, Pattern};
pub use rule::{Operand, Order, Rule};

use crate::error::Error;

/// The codebook shipped inside the binary: Keck & Sikkink's transnational
/// advocacy tactics, plus actors.
pub const BUILTIN_TAN: &str = include_str!("../../codebooks/tan.toml");
/// How the built-in codebook is named in outputs in place of a path.
pub const BUILTIN_NAME: &str = "builtin:tan";
/// What a user writes wherever a codebook file is expected (`--codebook
/// builtin`, `codebook check builtin`, …) to mean the built-in codebook.
pub const BUILTIN_ARG: &str = "builtin";

/// Does this codebook path name the built-in codebook (`builtin`)? A file
/// that happens to be called `builtin` is still reachable as `./builtin`.
pub fn is_builtin_arg(path: &Path) -> bool {
    path.as_os_str() == BUILTIN_ARG
}

/// Where a value stands in the codebook file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// One dictionary entry as written, with its position and options.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub text: String,
    pub pos: Pos,
    /// Contribution of each hit to the category's score (default 1).
    pub weight: f64,
    /// Match letter case exactly (`ECPAT` but not `ecpat`).
    pub case_sensitive: bool,
    /// Overrides the category's `negate` for this entry.
    pub negate: Option<bool>,
}

impl Entry {
    pub fn new(text: impl Into<String>, pos: Pos) -> Entry {
        Entry {
            text: text.into(),
            pos,
            weight: 1.0,
            case_sensitive: false,
            negate: None,
        }
    }
}

/// Morphological expansion of single-word entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Morphology {
    /// Indonesian affixes: an entry `lapor` also matches `melaporkan`,
    /// `pelaporan`, `dilaporkan` … (see [`morph`]).
    Indonesian,
}

/// Words that cancel a following hit in categories (or entries) that ask
/// for negation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negation {
    pub words: Vec<String>,
    /// How many words before a hit are searched for a negation word.
    pub window: usize,
}

impl Default for Negation {
    fn default() -> Self {
        Negation {
            words: [
                "not", "no", "never", "without", "tidak", "bukan", "belum", "tanpa", "tak",
                "jangan",
            ]
            .map(String::from)
            .to_vec(),
            window: 3,
        }
    }
}

/// A category of the codebook. Children are expressed by dotted ids:
/// `leverage.material` is a child of `leverage`.
#[derive(Debug, Clone, PartialEq)]
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
    /// Score (sum of hit weights) a passage needs, in addition to `threshold`.
    pub min_score: Option<f64>,
    /// Cancel hits preceded by a negation word (see [`Negation`]).
    pub negate: bool,
    /// Morphological expansion; `None` with `morphology_set` false means
    /// "as the codebook says".
    pub morphology: Option<Morphology>,
    pub morphology_set: bool,
    /// The coding manual: a definition, inclusion and exclusion rules, and
    /// worked examples (see `tanda codebook doc`).
    pub manual: Manual,
    pub pos: Pos,
}

/// What a human coder reads about a category.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Manual {
    pub definition: String,
    pub inclusion: Vec<String>,
    pub exclusion: Vec<String>,
    pub examples: Vec<Example>,
}

/// A worked example: a passage that is (or, for a near miss, is not) coded
/// for the category, with the reason.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Example {
    pub text: String,
    pub lang: String,
    pub coded: bool,
    pub why: String,
    pub pos: Pos,
}

impl Category {
    /// A category with no entries and default settings.
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        description: impl Into<String>,
        pos: Pos,
    ) -> Category {
        Category {
            id: id.into(),
            label: label.into(),
            description: description.into(),
            entries: Vec::new(),
            regex: Vec::new(),
            exclude: Vec::new(),
            threshold: 1,
            min_score: None,
            negate: false,
            morphology: None,
            morphology_set: false,
            manual: Manual::default(),
            pos,
        }
    }

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
    pub negation: Negation,
    /// Default morphology for categories that do not set their own.
    pub morphology: Option<Morphology>,
    pub categories: Vec<Category>,
    /// The path as given, or [`BUILTIN_NAME`].
    pub origin: String,
    /// SHA-256 (hex) of the codebook's canonical form
    /// ([`export::canonical_json`]): what the model holds, not how the file
    /// spells it, so a codebook exported to TOML or JSON and read back keeps
    /// its hash, while any change of an entry, weight, setting or manual text
    /// changes it. This is the hash shown in table headers and run.json.
    pub sha256: String,
    /// SHA-256 (hex) of the file's bytes as read (comments and layout
    /// included).
    pub file_sha256: String,
}

pub use crate::hash::sha256_hex;

/// Codebook file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
    /// LIWC `.dic` (2007 and 2015 styles).
    Dic,
    /// LIWC-22 `.dicx` (CSV).
    Dicx,
    /// WordStat `.cat`.
    Cat,
    /// Yoshikoder `.ykd`.
    Ykd,
    /// Lexicoder `.lc3`.
    Lc3,
    /// quanteda YAML (`.yml`, `.yaml`).
    Yaml,
}

impl Format {
    /// The format a file name implies (TOML when unknown).
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".dicx") {
            Format::Dicx
        } else if lower.ends_with(".dic") {
            Format::Dic
        } else if lower.ends_with(".cat") {
            Format::Cat
        } else if lower.ends_with(".ykd") {
            Format::Ykd
        } else if lower.ends_with(".lc3") {
            Format::Lc3
        } else if lower.ends_with(".yml") || lower.ends_with(".yaml") {
            Format::Yaml
        } else {
            Format::Toml
        }
    }
}

impl Codebook {
    /// Apply the codebook's defaults to categories that did not set them.
    fn resolve_defaults(&mut self) {
        for c in &mut self.categories {
            if !c.morphology_set {
                c.morphology = self.morphology;
            }
        }
    }
}

/// Parse and validate a codebook held in memory (TOML or JSON). `origin`
/// names it in messages and picks the format by its extension. Returns the
/// codebook with its warnings, or every problem found.
pub fn from_source(
    source: &str,
    origin: &str,
) -> Result<(Codebook, Vec<Diagnostic>), Vec<Diagnostic>> {
    from_bytes(source.as_bytes(), origin)
}

/// Like [`from_source`] for raw bytes in any supported format (LIWC,
/// WordStat, Yoshikoder, Lexicoder and YAML dictionaries may be
/// Windows-1252).
pub fn from_bytes(
    bytes: &[u8],
    origin: &str,
) -> Result<(Codebook, Vec<Diagnostic>), Vec<Diagnostic>> {
    let format = Format::from_path(origin);
    let (parsed, mut diags) = match format {
        Format::Dic => liwc::parse_dic(bytes),
        Format::Dicx => liwc::parse_dicx(bytes),
        Format::Cat => wordstat::parse(bytes),
        Format::Ykd => yoshikoder::parse(bytes),
        Format::Lc3 => lexicoder::parse(bytes),
        Format::Yaml => yaml::parse(bytes),
        Format::Toml | Format::Json => {
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let lossy = String::from_utf8_lossy(bytes);
                    return Err(vec![Diagnostic::error(
                        line_col_of_byte(&lossy, e.valid_up_to()),
                        "the codebook is not valid UTF-8; save it as UTF-8",
                    )]);
                }
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            if format == Format::Json {
                parse::parse_json(text)
            } else {
                parse::parse_toml(text)
            }
        }
    };
    let Some(p) = parsed else {
        return Err(diags);
    };
    let name = if matches!(
        format,
        Format::Dic | Format::Dicx | Format::Cat | Format::Lc3 | Format::Yaml
    ) {
        // These files carry no name: use the file's (a .ykd names itself).
        std::path::Path::new(origin)
            .file_stem()
            .map_or(p.name.clone(), |s| s.to_string_lossy().into_owned())
    } else {
        p.name
    };
    let mut codebook = Codebook {
        name,
        version: p.version,
        description: p.description,
        negation: p.negation,
        morphology: p.morphology,
        categories: p.categories,
        origin: origin.to_string(),
        sha256: String::new(),
        file_sha256: sha256_hex(bytes),
    };
    codebook.resolve_defaults();
    codebook.sha256 = sha256_hex(export::canonical_json(&codebook).as_bytes());
    diags.extend(validate::validate(&codebook));
    diags.sort_by_key(|d| (d.pos.line, d.pos.column));
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    Ok((codebook, diags))
}

/// Load a codebook from a file, or the built-in one when `path` is `None`
/// or `builtin` ([`BUILTIN_ARG`]). Every command that takes a codebook loads
/// it here, so `builtin` means the same everywhere.
pub fn load(path: Option<&Path>) -> Result<(Codebook, Vec<Diagnostic>), Error> {
    let (bytes, origin) = match path {
        None => (BUILTIN_TAN.as_bytes().to_vec(), BUILTIN_NAME.to_string()),
        Some(p) if is_builtin_arg(p) => (BUILTIN_TAN.as_bytes().to_vec(), BUILTIN_NAME.to_string()),
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| Error::CodebookRead {
                path: p.display().to_string(),
                source: e,
            })?;
            (bytes, p.display().to_string())
        }
    };
    from_bytes(&bytes, &origin).map_err(|diagnostics| Error::Codebook {
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
