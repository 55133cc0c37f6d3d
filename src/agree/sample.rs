//! Drawing passages from a results folder for hand-coding (`tanda sample`):
//! a seeded, optionally stratified draw and the coder sheet `tanda agree`
//! reads back.

use std::collections::BTreeMap;

use super::Rng;
use crate::error::Error;
use crate::report::read::Results;

/// Draw up to `n` passages (indices into `r.passages`, in passage order)
/// with the seeded [`Rng`]. `stratify`: `None` draws from all passages;
/// `"category"` from each category's coded passages and those coded for
/// none; a metadata variable from each of its values. Strata are drawn
/// round-robin, so each gets an equal share until it runs out (rare
/// categories are not drowned) and no passage is drawn twice.
pub fn draw(r: &Results, n: usize, seed: u64, stratify: Option<&str>) -> Result<Vec<usize>, Error> {
    let n = n.min(r.passages.len());
    let mut rng = Rng::new(seed);
    // Strata: lists of passage indices. Drawn round-robin, so each stratum
    // gets an equal share until it runs out (rare categories are not drowned).
    let strata: Vec<(String, Vec<usize>)> = match stratify {
        None => vec![("all".into(), (0..r.passages.len()).collect())],
        Some("category") => {
            let mut s: Vec<(String, Vec<usize>)> = r
                .categories
                .iter()
                .enumerate()
                .map(|(c, cat)| {
                    (
                        cat.id.clone(),
                        (0..r.passages.len())
                            .filter(|&i| r.is_coded(&r.passages[i], c))
                            .collect(),
                    )
                })
                .collect();
            s.push((
                "(none)".into(),
                (0..r.passages.len())
                    .filter(|&i| (0..r.categories.len()).all(|c| !r.is_coded(&r.passages[i], c)))
                    .collect(),
            ));
            s
        }
        Some(field) => {
            let Some(fi) = r.fields.iter().position(|f| f == field) else {
                return Err(Error::UnknownField {
                    field: field.to_string(),
                    available: format!("category, {}", r.fields.join(", ")),
                });
            };
            let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, p) in r.passages.iter().enumerate() {
                groups.entry(p.metadata[fi].as_str()).or_default().push(i);
            }
            groups
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect()
        }
    };
    let mut lists: Vec<Vec<usize>> = strata
        .iter()
        .map(|(_, v)| {
            let mut v = v.clone();
            rng.shuffle(&mut v);
            v
        })
        .collect();
    let mut picked = vec![false; r.passages.len()];
    let mut chosen = Vec::with_capacity(n);
    while chosen.len() < n && lists.iter().any(|l| !l.is_empty()) {
        for l in &mut lists {
            while let Some(i) = l.pop() {
                if !picked[i] {
                    picked[i] = true;
                    chosen.push(i);
                    break;
                }
            }
            if chosen.len() == n {
                break;
            }
        }
    }
    chosen.sort_unstable();
    Ok(chosen)
}

/// The coder sheet of the drawn passages: a header and one row per passage
/// (ids, metadata, text, an empty column per category to fill, then, unless
/// `blind`, the codebook's decisions as `auto:ID`, and a `note` column).
pub fn sheet(r: &Results, chosen: &[usize], blind: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = vec!["passage_id".into(), "doc_id".into()];
    header.extend(r.fields.iter().cloned());
    header.push("text".into());
    header.extend(r.categories.iter().map(|c| c.id.clone()));
    if !blind {
        header.extend(r.categories.iter().map(|c| format!("auto:{}", c.id)));
    }
    header.push("note".into());
    let mut records: Vec<Vec<String>> = Vec::with_capacity(chosen.len());
    for &i in chosen {
        let p = &r.passages[i];
        let mut rec: Vec<String> = vec![p.passage_id.clone(), p.doc_id.clone()];
        rec.extend(p.metadata.iter().cloned());
        rec.push(p.text.clone());
        rec.extend(r.categories.iter().map(|_| String::new()));
        if !blind {
            rec.extend((0..r.categories.len()).map(|c| u8::from(r.is_coded(p, c)).to_string()));
        }
        rec.push(String::new());
        records.push(rec);
    }
    (header, records)
}
