//! Tables from results already written (`tanda report`): results folders or
//! the JSON lines of `tanda code --jsonl`, corrected by hand or not, one run
//! or the shards of one corpus. Tallies add up, so shards give exactly the
//! tables of a single run — provided they were coded with one codebook, one
//! unit and one counting policy, which is checked first.

use std::collections::BTreeMap;
use std::path::Path;

use super::read::Results;
use super::{CatView, Counts, Header, PassageCounts, TableOptions, Tables, Tally, group_key};
use crate::error::Error;

/// The tables of several results, with the rows of their documents.csv.
#[derive(Debug)]
pub struct Combined {
    /// The tables, as one run of all the results would give them.
    pub tables: Tables,
    /// documents.csv's rows, rendered, one per document in order.
    pub document_rows: Vec<u8>,
}

/// Add up results into one set of tables, grouped by `by`. Results of
/// different codebooks, units or counting policies do not add up and are
/// refused, as is a `by` variable one of them lacks.
pub fn combine(all: &[Results], by: &[String], opts: &TableOptions) -> Result<Combined, Error> {
    let Some(first) = all.first() else {
        return Err(Error::Usage("no results to report on".to_string()));
    };
    check_compatible(first, &all[1..])?;
    for f in by {
        if let Some(r) = all.iter().find(|r| !r.fields.contains(f)) {
            return Err(Error::UnknownField {
                field: f.clone(),
                available: r.fields.join(", "),
            });
        }
    }
    let cats = CatView::of_records(&first.categories);
    let n = cats.len();
    let mut tally = Tally::new(by.to_vec());
    let mut flags: Vec<Vec<bool>> = Vec::new();
    let mut document_rows: Vec<u8> = Vec::new();
    for r in all {
        let field_idx: Vec<usize> = by
            .iter()
            .map(|f| r.fields.iter().position(|x| x == f).unwrap_or(0))
            .collect();
        // Documents in order of first appearance, their passages together.
        let mut by_doc: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for (i, p) in r.passages.iter().enumerate() {
            by_doc
                .entry(p.doc_id.as_str())
                .or_insert_with(|| {
                    order.push(p.doc_id.as_str());
                    Vec::new()
                })
                .push(i);
        }
        for d in order {
            let idx = &by_doc[d];
            let mut c = Counts::document(n);
            for &i in idx {
                let p = &r.passages[i];
                c.add_passage(PassageCounts {
                    words: p.words,
                    hits: &p.counts,
                    counter: &p.counter,
                    coded: &p.coded,
                });
                flags.push(p.coded.clone());
            }
            c.close_document();
            let p0 = &r.passages[idx[0]];
            let key = group_key(
                field_idx.iter().map(|&i| p0.metadata[i].clone()).collect(),
                opts.bin,
            );
            document_rows.extend(super::write::document_row(d, &p0.metadata, &c));
            tally.add(key, &c);
        }
    }
    let header = header_of_results(all, &tally.total);
    let co = super::cooccurrence(&cats, flags.into_iter());
    Ok(Combined {
        tables: Tables::new(header, cats, tally, co, opts),
        document_rows,
    })
}

/// Results coded under another policy, codebook or unit than the first.
fn check_compatible(first: &Results, rest: &[Results]) -> Result<(), Error> {
    for r in rest {
        if r.policy_id != first.policy_id {
            return Err(Error::Input {
                path: r.dir.clone(),
                message: format!(
                    "was counted under policy {} where {} was counted under {}; counts of different policies do not add up: re-run analyze on both with one tanda",
                    r.policy_id, first.dir, first.policy_id
                ),
            });
        }
        if r.codebook_sha256 != first.codebook_sha256 || r.unit != first.unit {
            return Err(Error::Input {
                path: r.dir.clone(),
                message: format!(
                    "was made with another codebook or unit ({} {} sha256 {}…, unit {}) than {} ({} {} sha256 {}…, unit {}); only results of one codebook and unit add up",
                    r.codebook_name,
                    r.codebook_version,
                    short(&r.codebook_sha256),
                    r.unit,
                    first.dir,
                    first.codebook_name,
                    first.codebook_version,
                    short(&first.codebook_sha256),
                    first.unit
                ),
            });
        }
    }
    Ok(())
}

/// The first 12 characters of a hash as run.json gives it (by characters:
/// an edited run.json may hold anything).
fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

/// The header of tables rebuilt from results: their codebook, unit and the
/// policy they were counted under (not necessarily this tanda's).
fn header_of_results(all: &[Results], total: &Counts) -> Header {
    let first = &all[0];
    Header {
        tanda_version: env!("CARGO_PKG_VERSION").to_string(),
        corpus: all
            .iter()
            .map(|r| r.dir.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        documents: total.documents,
        passages: total.passages,
        words: total.words,
        unit: first.unit.clone(),
        codebook_name: first.codebook_name.clone(),
        codebook_version: first.codebook_version.clone(),
        codebook_origin: "from results".to_string(),
        codebook_sha256: first.codebook_sha256.clone(),
        // The policy the results were counted under, not today's.
        policy_id: first.policy_id.clone(),
        policy: if first.policy_id == crate::coder::POLICY_ID {
            crate::coder::POLICY.to_string()
        } else {
            format!(
                "as counted by the tanda that wrote {} (policy {}; this tanda counts under {})",
                first.dir,
                first.policy_id,
                crate::coder::POLICY_ID
            )
        },
        skipped: all
            .iter()
            .flat_map(|r| crate::corpus::skipped_in_results(Path::new(&r.dir)))
            .collect(),
    }
}
