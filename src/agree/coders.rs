//! Coder sheets: one CSV per coder, keyed by passage id, one column per
//! category; or a results folder standing for tanda as a coder.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use crate::report::read::{read_results, unguard};

/// Columns that are never categories in a coder sheet.
const RESERVED: &[&str] = &[
    "passage_id",
    "id",
    "doc_id",
    "unit",
    "text",
    "words",
    "matched",
    "note",
    "notes",
    "coder",
    "comment",
    "comments",
];

/// One coder's values: passage id → category → value (None = left blank).
#[derive(Debug, Clone)]
pub struct Coder {
    pub name: String,
    /// Category columns in sheet order.
    pub categories: Vec<String>,
    pub values: BTreeMap<String, BTreeMap<String, Option<f64>>>,
}

fn err(path: &Path, message: impl Into<String>) -> Error {
    Error::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Read a value a human typed: numbers, or yes/no, true/false, x.
fn value(s: &str) -> Result<Option<f64>, ()> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(x) = t.parse::<f64>()
        && x.is_finite()
    {
        return Ok(Some(x));
    }
    match t.to_lowercase().as_str() {
        "x" | "yes" | "y" | "true" | "ya" => Ok(Some(1.0)),
        "no" | "n" | "false" | "tidak" => Ok(Some(0.0)),
        _ => Err(()),
    }
}

/// A coder sheet (CSV) or a results folder.
pub fn load(path: &Path) -> Result<Coder, Error> {
    let name = path.file_stem().or_else(|| path.file_name()).map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    if path.is_dir() {
        return from_results(path, name);
    }
    let mut rdr =
        csv::Reader::from_path(path).map_err(|e| err(path, format!("cannot read: {e}")))?;
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| err(path, e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let key = header
        .iter()
        .position(|h| h == "passage_id")
        .or_else(|| header.iter().position(|h| h == "id"))
        .ok_or_else(|| err(path, "no `passage_id` column to key the passages by"))?;
    let rows: Vec<csv::StringRecord> = rdr
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| err(path, e.to_string()))?;
    // A category column holds only values a coder types (numbers, yes/no).
    let categories: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            *i != key
                && !RESERVED.contains(&h.as_str())
                && !h.starts_with("auto:")
                && rows.iter().all(|r| value(r.get(*i).unwrap_or("")).is_ok())
        })
        .map(|(i, h)| (i, h.clone()))
        .collect();
    let mut values = BTreeMap::new();
    for (ri, r) in rows.iter().enumerate() {
        let id = unguard(r.get(key).unwrap_or("")).trim().to_string();
        if id.is_empty() {
            continue;
        }
        let mut m = BTreeMap::new();
        for (c, cat) in &categories {
            m.insert(cat.clone(), value(r.get(*c).unwrap_or("")).unwrap_or(None));
        }
        if values.insert(id.clone(), m).is_some() {
            return Err(err(
                path,
                format!("line {}: passage `{id}` appears twice", ri + 2),
            ));
        }
    }
    Ok(Coder {
        name,
        categories: categories.into_iter().map(|(_, c)| c).collect(),
        values,
    })
}

fn from_results(dir: &Path, name: String) -> Result<Coder, Error> {
    let r = read_results(dir)?;
    let mut values = BTreeMap::new();
    for p in &r.passages {
        let m = (0..r.categories.len())
            .map(|c| {
                (
                    r.categories[c].id.clone(),
                    Some(f64::from(u8::from(r.is_coded(p, c)))),
                )
            })
            .collect();
        values.insert(p.passage_id.clone(), m);
    }
    Ok(Coder {
        name,
        categories: r.categories.iter().map(|c| c.id.clone()).collect(),
        values,
    })
}

/// The units × coders matrix of one category, over the union of passage ids
/// (sorted). Units no coder coded are left out.
pub fn matrix(coders: &[Coder], category: &str) -> (Vec<String>, Vec<super::Unit>) {
    let mut ids: Vec<&String> = coders.iter().flat_map(|c| c.values.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut keys = Vec::new();
    let mut data = Vec::new();
    for id in ids {
        let unit: super::Unit = coders
            .iter()
            .map(|c| {
                c.values
                    .get(id)
                    .and_then(|m| m.get(category).copied().flatten())
            })
            .collect();
        if unit.iter().any(Option::is_some) {
            keys.push(id.clone());
            data.push(unit);
        }
    }
    (keys, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_key_by_passage_and_find_category_columns() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("alice.csv");
        std::fs::write(
            &a,
            "passage_id,text,info,lev,note\np1,some text,1,0,\np2,more,yes,,unsure\np3,x,0,1,\n",
        )
        .unwrap();
        let c = load(&a).unwrap();
        assert_eq!(c.name, "alice");
        assert_eq!(c.categories, vec!["info", "lev"]);
        assert_eq!(c.values["p2"]["info"], Some(1.0));
        assert_eq!(c.values["p2"]["lev"], None);
        let b = dir.path().join("bob.csv");
        std::fs::write(&b, "passage_id,info\np1,1\np4,0\n").unwrap();
        let cb = load(&b).unwrap();
        let (keys, m) = matrix(&[c, cb], "info");
        assert_eq!(keys, vec!["p1", "p2", "p3", "p4"]);
        assert_eq!(m[0], vec![Some(1.0), Some(1.0)]);
        assert_eq!(m[3], vec![None, Some(0.0)]);
    }

    #[test]
    fn duplicate_passages_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "passage_id,info\np1,1\np1,0\n").unwrap();
        assert!(load(&a).unwrap_err().to_string().contains("line 3"));
    }
}
