//! What the readers and writers of other tools' dictionaries share
//! (WordStat `.cat`, Yoshikoder `.ykd`, Lexicoder `.lc3`, quanteda YAML).
//!
//! Those formats hold a tree of named categories with word, glob and phrase
//! entries, and little else. Reading builds tanda categories from the tree
//! (a child's id is `parent.child`, the name as written is the label);
//! writing walks tanda's categories in tree order and lists, through
//! [`super::export::lossy_notes`], everything the format cannot hold.

use std::collections::{HashMap, HashSet};

use super::liwc::{add_missing_parents, id_of, pos};
use super::parse::Parsed;
use super::{Category, Codebook, Diagnostic, Entry};

/// Categories and entries as a reader finds them, with the diagnostics.
#[derive(Default)]
pub(super) struct Tree {
    pub cats: Vec<Category>,
    pub diags: Vec<Diagnostic>,
    /// (category, entry folded) → line, to warn about repeats.
    seen: HashMap<(usize, String), usize>,
    /// Category names as written → index, per parent, to merge repeats.
    names: HashMap<(Option<usize>, String), usize>,
    ids: HashSet<String>,
    /// Set when a reader could not go on at all.
    pub fatal: bool,
}

impl Tree {
    pub fn warn(&mut self, line: usize, msg: impl Into<String>) {
        self.diags.push(Diagnostic::warning(pos(line), msg));
    }

    pub fn error(&mut self, line: usize, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(pos(line), msg));
    }

    /// The category `name` under `parent`, created on first sight. A name
    /// met twice under the same parent is one category (its entries
    /// merged), as quanteda merges repeated keys.
    pub fn category(&mut self, parent: Option<usize>, name: &str, line: usize) -> usize {
        self.category_as(parent, name, line, true)
    }

    /// Like [`Tree::category`], without the warning for a category met
    /// again (an ancestor named in a dotted path).
    pub fn ancestor(&mut self, parent: Option<usize>, name: &str, line: usize) -> usize {
        self.category_as(parent, name, line, false)
    }

    fn category_as(&mut self, parent: Option<usize>, name: &str, line: usize, warn: bool) -> usize {
        let name = name.trim();
        if let Some(&ci) = self.names.get(&(parent, name.to_string())) {
            if !warn {
                return ci;
            }
            self.warn(
                line,
                format!(
                    "category `{name}` appears again (first at line {}); its entries are merged",
                    self.cats[ci].pos.line
                ),
            );
            return ci;
        }
        let leaf = id_of(name);
        let base = match parent {
            Some(p) => format!("{}.{leaf}", self.cats[p].id),
            None => leaf,
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        if id != base {
            self.warn(
                line,
                format!(
                    "category `{name}` would have the id `{base}` of another category; it is `{id}`"
                ),
            );
        }
        self.ids.insert(id.clone());
        let label = if name.is_empty() {
            id.clone()
        } else {
            name.to_string()
        };
        self.cats
            .push(Category::new(id, label, String::new(), pos(line)));
        let ci = self.cats.len() - 1;
        self.names.insert((parent, name.to_string()), ci);
        ci
    }

    /// Add an entry to category `ci`; empty entries are skipped, repeats
    /// warned about and counted once.
    pub fn entry(&mut self, ci: usize, text: &str, weight: f64, line: usize) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            self.warn(line, "empty entry skipped");
            return;
        }
        let key = (ci, text.to_lowercase());
        if let Some(prev) = self.seen.get(&key) {
            let msg = format!(
                "entry `{text}` repeats line {prev} in category `{}`; counted once",
                self.cats[ci].id
            );
            self.warn(line, msg);
            return;
        }
        self.seen.insert(key, line);
        let mut e = Entry::new(text, pos(line));
        e.weight = weight;
        self.cats[ci].entries.push(e);
    }

    /// The parsed codebook (`None` after a fatal error or with no category).
    pub fn finish(mut self, name: &str, what: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
        if self.fatal {
            return (None, self.diags);
        }
        if self.cats.is_empty() {
            self.error(1, format!("no category found: {what}"));
            return (None, self.diags);
        }
        add_missing_parents(&mut self.cats);
        let parsed = Parsed {
            name: name.to_string(),
            categories: self.cats,
            ..Parsed::default()
        };
        (Some(parsed), self.diags)
    }
}

/// Text of a dictionary file: UTF-8 (a BOM is dropped), else read as
/// Windows-1252 (which covers Latin-1) with a warning, as LIWC files are.
pub(super) fn decode(bytes: &[u8], diags: &mut Vec<Diagnostic>) -> String {
    let (text, legacy) = super::liwc::decode(bytes);
    if let Some(enc) = legacy {
        diags.push(Diagnostic::warning(
            pos(1),
            format!("not UTF-8: read as {enc} (Latin-1); save the file as UTF-8 to be sure"),
        ));
    }
    text
}

/// A category as a writer sees it: tree depth, its name, and its plain
/// entries (words, globs, phrases; whitespace runs as one space) with
/// weights. The name is the label when the label gives back the id's last
/// part on reading (`Naming, shaming` for `naming__shaming`) and is safe on
/// one line, else that last part.
pub(super) struct Node<'a> {
    pub depth: usize,
    pub id: &'a str,
    pub name: &'a str,
    pub entries: Vec<(String, f64)>,
}

/// The codebook's categories in tree order (parents before children).
pub(super) fn tree(cb: &Codebook) -> Vec<Node<'_>> {
    let m = super::Matcher::compile(cb);
    let by_id: HashMap<&str, &Category> =
        cb.categories.iter().map(|c| (c.id.as_str(), c)).collect();
    m.categories
        .iter()
        .filter_map(|info| {
            let c = by_id.get(info.id.as_str())?;
            Some(Node {
                depth: info.depth,
                id: c.id.as_str(),
                name: name_of(c),
                entries: c
                    .entries
                    .iter()
                    .filter(|e| super::export::exportable(e))
                    .map(|e| {
                        (
                            e.text.split_whitespace().collect::<Vec<_>>().join(" "),
                            e.weight,
                        )
                    })
                    .filter(|(t, _)| !t.is_empty())
                    .collect(),
            })
        })
        .collect()
}

fn leaf(c: &Category) -> &str {
    c.id.rsplit('.').next().unwrap_or(&c.id)
}

/// The name a writer gives a category (see [`Node`]).
fn name_of(c: &Category) -> &str {
    let label = c.label.trim();
    // A name ending in `)` would read as a WordStat entry (`NAME (1)`).
    if id_of(label) == leaf(c)
        && !label.is_empty()
        && !label.ends_with(')')
        && !label.starts_with(['+', '-', '#'])
        && !label.chars().any(char::is_control)
    {
        c.label.trim()
    } else {
        leaf(c)
    }
}

/// What a dictionary format loses: [`super::export::lossy_notes`] plus
/// labels, descriptions and the codebook's own fields.
pub(super) fn notes(cb: &Codebook, weights_ok: bool, labels_ok: bool) -> Vec<String> {
    let mut notes = super::export::lossy_notes(cb, weights_ok, &|_: &Entry| false);
    let relabelled: Vec<&str> = cb
        .categories
        .iter()
        .filter(|c| {
            if labels_ok {
                name_of(c) != c.label
            } else {
                c.label != c.id && c.label != leaf(c)
            }
        })
        .map(|c| c.id.as_str())
        .collect();
    if !relabelled.is_empty() {
        notes.push(format!(
            "labels of {} categor{} ({}) left out: the file names categories by their ids",
            relabelled.len(),
            if relabelled.len() == 1 { "y" } else { "ies" },
            relabelled.join(", ")
        ));
    }
    let described = cb
        .categories
        .iter()
        .filter(|c| !c.description.is_empty())
        .count();
    if described > 0 {
        notes.push(format!(
            "descriptions of {described} categor{} left out",
            if described == 1 { "y" } else { "ies" }
        ));
    }
    if !cb.description.is_empty() || !cb.version.is_empty() {
        notes.push("the codebook's version and description left out".into());
    }
    notes
}
