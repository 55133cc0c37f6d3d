//! The structural difference of two codebooks: categories added, removed,
//! renamed or moved, entries added or removed, settings changed. No corpus
//! needed.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::codebook::{Category, Codebook};

/// A category matched across the two codebooks under another id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// Its id in the old codebook.
    pub old: String,
    /// Its id in the new codebook.
    pub new: String,
    /// `renamed` (another name) or `moved` (same name under another parent).
    pub kind: &'static str,
}

/// What changed inside a category present in both codebooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryDelta {
    /// The category's id in the new codebook.
    pub category: String,
    /// Entries in the new codebook only.
    pub entries_added: Vec<String>,
    /// Entries in the old codebook only.
    pub entries_removed: Vec<String>,
    /// `field: old → new` for changed settings.
    pub settings: Vec<String>,
}

/// The structural difference of two codebooks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CodebookDiff {
    /// Ids of categories in the new codebook only (not matched as renamed).
    pub added: Vec<String>,
    /// Ids of categories in the old codebook only (not matched as renamed).
    pub removed: Vec<String>,
    /// Categories matched under another id or parent.
    pub renamed: Vec<Renamed>,
    /// Categories whose entries or settings changed.
    pub changed: Vec<CategoryDelta>,
}

impl CodebookDiff {
    /// Whether the two codebooks are the same in structure, entries and
    /// settings.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.changed.is_empty()
    }
}

fn entry_set(c: &Category) -> BTreeSet<&str> {
    c.entries.iter().map(|e| e.text.as_str()).collect()
}

fn jaccard(a: &BTreeSet<&str>, b: &BTreeSet<&str>) -> f64 {
    let inter = a.intersection(b).count() as f64;
    let union = a.union(b).count() as f64;
    if union == 0.0 { 0.0 } else { inter / union }
}

fn leaf(id: &str) -> &str {
    id.rsplit('.').next().unwrap_or(id)
}

fn push_if(out: &mut Vec<String>, name: &str, a: String, b: String) {
    if a != b {
        out.push(format!("{name}: {a} → {b}"));
    }
}

fn settings(o: &Category, n: &Category) -> Vec<String> {
    let mut out = Vec::new();
    push_if(
        &mut out,
        "label",
        format!("{:?}", o.label),
        format!("{:?}", n.label),
    );
    if o.description != n.description {
        out.push("description changed".to_string());
    }
    push_if(
        &mut out,
        "threshold",
        o.threshold.to_string(),
        n.threshold.to_string(),
    );
    push_if(
        &mut out,
        "min_score",
        format!("{:?}", o.min_score),
        format!("{:?}", n.min_score),
    );
    push_if(
        &mut out,
        "negate",
        o.negate.to_string(),
        n.negate.to_string(),
    );
    push_if(
        &mut out,
        "morphology",
        format!("{:?}", o.morphology),
        format!("{:?}", n.morphology),
    );
    let list = |v: &[crate::codebook::Entry]| {
        v.iter()
            .map(|e| e.text.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    push_if(
        &mut out,
        "exclude",
        format!("[{}]", list(&o.exclude)),
        format!("[{}]", list(&n.exclude)),
    );
    push_if(
        &mut out,
        "regex",
        format!("[{}]", list(&o.regex)),
        format!("[{}]", list(&n.regex)),
    );
    let options = |c: &Category| {
        c.entries
            .iter()
            .filter(|e| e.weight != 1.0 || e.case_sensitive || e.negate.is_some())
            .map(|e| {
                format!(
                    "{}={}{}{}",
                    e.text,
                    e.weight,
                    if e.case_sensitive {
                        " case-sensitive"
                    } else {
                        ""
                    },
                    e.negate.map(|n| format!(" negate={n}")).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    push_if(
        &mut out,
        "entry options",
        format!("[{}]", options(o)),
        format!("[{}]", options(n)),
    );
    out
}

fn delta(o: &Category, n: &Category) -> Option<CategoryDelta> {
    let (os, ns) = (entry_set(o), entry_set(n));
    let d = CategoryDelta {
        category: n.id.clone(),
        entries_added: ns.difference(&os).map(|s| s.to_string()).collect(),
        entries_removed: os.difference(&ns).map(|s| s.to_string()).collect(),
        settings: settings(o, n),
    };
    (!d.entries_added.is_empty() || !d.entries_removed.is_empty() || !d.settings.is_empty())
        .then_some(d)
}

/// Compare two codebooks. Categories are matched by id; the rest are
/// paired when at least half their entries are shared (Jaccard ≥ 0.5),
/// best pairs first.
pub fn diff(old: &Codebook, new: &Codebook) -> CodebookDiff {
    let mut d = CodebookDiff::default();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_left: Vec<usize> = Vec::new();
    for (i, o) in old.categories.iter().enumerate() {
        match new.categories.iter().position(|n| n.id == o.id) {
            Some(j) => pairs.push((i, j)),
            None => old_left.push(i),
        }
    }
    let mut new_left: Vec<usize> = (0..new.categories.len())
        .filter(|j| !pairs.iter().any(|p| p.1 == *j))
        .collect();
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for &i in &old_left {
        for &j in &new_left {
            let s = jaccard(
                &entry_set(&old.categories[i]),
                &entry_set(&new.categories[j]),
            );
            let same_leaf = leaf(&old.categories[i].id) == leaf(&new.categories[j].id);
            if s >= 0.5
                || (same_leaf && s > 0.0)
                || (same_leaf && old.categories[i].entries.is_empty())
            {
                candidates.push((s + if same_leaf { 1.0 } else { 0.0 }, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in candidates {
        if old_left.contains(&i) && new_left.contains(&j) {
            old_left.retain(|&x| x != i);
            new_left.retain(|&x| x != j);
            let (o, n) = (&old.categories[i], &new.categories[j]);
            d.renamed.push(Renamed {
                old: o.id.clone(),
                new: n.id.clone(),
                kind: if leaf(&o.id) == leaf(&n.id) {
                    "moved"
                } else {
                    "renamed"
                },
            });
            pairs.push((i, j));
        }
    }
    d.removed = old_left
        .iter()
        .map(|&i| old.categories[i].id.clone())
        .collect();
    d.added = new_left
        .iter()
        .map(|&j| new.categories[j].id.clone())
        .collect();
    pairs.sort_by_key(|p| p.1);
    d.changed = pairs
        .iter()
        .filter_map(|&(i, j)| delta(&old.categories[i], &new.categories[j]))
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::from_source;

    fn cb(src: &str) -> Codebook {
        from_source(&format!("name = \"t\"\n{src}"), "t.toml")
            .unwrap()
            .0
    }

    #[test]
    fn added_removed_renamed_moved_and_entry_changes() {
        let old = cb(r#"
[[category]]
id = "info"
entries = ["report", "data", "survey"]
[[category]]
id = "lev"
[[category]]
id = "lev.moral"
entries = ["lobby", "pressure"]
[[category]]
id = "gone"
entries = ["zzz"]
"#);
        let new = cb(r#"
[[category]]
id = "information"
entries = ["report", "data", "survey", "monitoring"]
[[category]]
id = "pressure"
[[category]]
id = "pressure.moral"
threshold = 2
entries = ["lobby", "pressure"]
[[category]]
id = "fresh"
entries = ["new"]
"#);
        let d = diff(&old, &new);
        // A parent with no entries of its own cannot be recognised by content.
        assert_eq!(d.removed, vec!["lev", "gone"]);
        assert_eq!(d.added, vec!["pressure", "fresh"]);
        let r: Vec<(&str, &str, &str)> = d
            .renamed
            .iter()
            .map(|r| (r.old.as_str(), r.new.as_str(), r.kind))
            .collect();
        assert!(r.contains(&("info", "information", "renamed")));
        assert!(r.contains(&("lev.moral", "pressure.moral", "moved")));
        let info = d
            .changed
            .iter()
            .find(|c| c.category == "information")
            .unwrap();
        assert_eq!(info.entries_added, vec!["monitoring"]);
        let moral = d
            .changed
            .iter()
            .find(|c| c.category == "pressure.moral")
            .unwrap();
        // The label defaults to the id, so it changed with the move.
        assert_eq!(
            moral.settings,
            vec![
                "label: \"lev.moral\" → \"pressure.moral\"",
                "threshold: 1 → 2"
            ]
        );
        assert!(diff(&old, &old).is_empty());
    }
}
