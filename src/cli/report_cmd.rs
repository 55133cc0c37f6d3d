//! `tanda report RESULTS [RESULTS …]`: every table rebuilt from results
//! folders (passages.csv) or from the JSON lines of `tanda code --jsonl`
//! (the map step of a cluster job), so corrected codes or shards of one corpus give
//! their tables without re-coding. Tallies add up, so the shards of a corpus
//! give exactly the tables of a single run.

use std::collections::BTreeMap;

use super::{ReportArgs, load_codebook, present};
use crate::error::{Error, exit};
use crate::outdir::{OutOptions, ResultsDir};
use crate::report::read::{read_jsonl, read_results};
use crate::report::{CatView, Counts, Header, PassageCounts, Tally};

pub(super) fn run(args: ReportArgs) -> anyhow::Result<i32> {
    // The same input twice would count its passages twice.
    let mut canonical: Vec<(std::path::PathBuf, &std::path::PathBuf)> = Vec::new();
    for input in &args.results {
        let c = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        if let Some((_, first)) = canonical.iter().find(|(p, _)| *p == c) {
            return Err(Error::Input {
                path: input.display().to_string(),
                message: format!(
                    "is given twice (also as {}); each results folder is counted once, so give it once",
                    first.display()
                ),
            }
            .into());
        }
        canonical.push((c, input));
    }
    // Before reading anything: a folder that cannot be used is said at once.
    let out = match &args.out {
        Some(dir) => {
            let out = ResultsDir::begin(
                dir,
                &OutOptions {
                    force: args.force,
                    inputs: args
                        .results
                        .iter()
                        .cloned()
                        .chain(args.codebook.clone())
                        .collect(),
                    scanned: Vec::new(),
                },
            )?;
            for note in out.notes() {
                eprintln!("note: {note}");
            }
            Some(out)
        }
        None => None,
    };
    let mut all: Vec<crate::report::read::Results> = Vec::new();
    let mut jsonl_codebook = None;
    for input in &args.results {
        // A file is JSON lines (Spark's part-00000 files have no extension);
        // a folder is a results folder.
        if input.is_file() {
            if jsonl_codebook.is_none() {
                let cb = load_codebook(args.codebook.as_deref(), true)?;
                let m = crate::codebook::Matcher::compile(&cb);
                jsonl_codebook = Some((cb, m));
            }
            if let Some((cb, m)) = &jsonl_codebook {
                all.push(read_jsonl(input, cb, m)?);
            }
        } else {
            let r = read_results(input)?;
            if r.edited {
                eprintln!(
                    "note: {}: passages.csv was changed since tanda wrote it (codes corrected by hand?); its rows match run.json, and its decisions are the ones counted",
                    input.display()
                );
            }
            all.push(r);
        }
        let r = &all[all.len() - 1];
        if let Some(same) = all[..all.len() - 1].iter().find(|o| o.sha256 == r.sha256) {
            return Err(Error::Input {
                path: r.dir.clone(),
                message: format!(
                    "holds the same passages as {} (a copy?); each run is counted once, so give it once",
                    same.dir
                ),
            }
            .into());
        }
    }
    let first = &all[0];
    for r in &all[1..] {
        if r.policy_id != first.policy_id {
            return Err(Error::Input {
                path: r.dir.clone(),
                message: format!(
                    "was counted under policy {} where {} was counted under {}; counts of different policies do not add up: re-run analyze on both with one tanda",
                    r.policy_id, first.dir, first.policy_id
                ),
            }
            .into());
        }
        if r.codebook_sha256 != first.codebook_sha256 || r.unit != first.unit {
            return Err(Error::Input {
                path: r.dir.clone(),
                message: format!(
                    "was made with another codebook or unit ({} {} sha256 {}…, unit {}) than {} ({} {} sha256 {}…, unit {}); only results of one codebook and unit add up",
                    r.codebook_name,
                    r.codebook_version,
                    &r.codebook_sha256[..r.codebook_sha256.len().min(12)],
                    r.unit,
                    first.dir,
                    first.codebook_name,
                    first.codebook_version,
                    &first.codebook_sha256[..first.codebook_sha256.len().min(12)],
                    first.unit
                ),
            }
            .into());
        }
    }
    for f in &args.by {
        if let Some(r) = all.iter().find(|r| !r.fields.contains(f)) {
            return Err(Error::UnknownField {
                field: f.clone(),
                available: r.fields.join(", "),
            }
            .into());
        }
    }
    let cats = CatView::of_records(&first.categories);
    let n = cats.len();
    let mut tally = Tally::new(args.by.clone());
    let mut flags: Vec<Vec<bool>> = Vec::new();
    let mut doc_rows: Vec<u8> = Vec::new();
    let (mut docs, mut passages, mut words) = (0u64, 0u64, 0u64);
    for r in &all {
        let field_idx: Vec<usize> = args
            .by
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
            let key = present::group_key(
                field_idx.iter().map(|&i| p0.metadata[i].clone()).collect(),
                args.table.bin,
            );
            doc_rows.extend(crate::report::write::document_row(d, &p0.metadata, &c));
            docs += 1;
            passages += c.passages;
            words += c.words;
            tally.add(key, &c);
        }
    }
    let header = Header {
        tanda_version: env!("CARGO_PKG_VERSION").to_string(),
        corpus: all
            .iter()
            .map(|r| r.dir.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        documents: docs,
        passages,
        words,
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
            .flat_map(|r| crate::corpus::skipped_in_results(std::path::Path::new(&r.dir)))
            .collect(),
    };
    let co = crate::report::cooccurrence(&cats, flags.into_iter());
    let tables = present::Tables::new(header, cats, tally, co, &args.table);
    present::print(&tables, args.format, &args.table)?;
    if let (Some(out), Some(shown)) = (out, &args.out) {
        let dir = out.path();
        let mut files = present::write_tables(dir, &tables, args.table.excel)?;
        let cat_ids: Vec<String> = first.categories.iter().map(|c| c.id.clone()).collect();
        crate::report::write::write_atomic(&dir.join("documents.csv"), |f| {
            crate::report::write::documents_csv(
                f,
                &first.fields,
                &cat_ids,
                &doc_rows,
                args.table.excel,
            )
        })?;
        files.push("documents.csv".to_string());
        // The manifest: what was written from what, with each file's
        // checksum, so a later --out into the folder can tell it is tanda's.
        let record = serde_json::json!({
            "tanda_version": env!("CARGO_PKG_VERSION"),
            "command": "report",
            "inputs": all
                .iter()
                .map(|r| serde_json::json!({"path": r.dir, "sha256": r.sha256}))
                .collect::<Vec<_>>(),
            "outputs": out.hashes(&files)?,
        });
        crate::report::write::write_atomic(&dir.join("report.json"), |f| {
            serde_json::to_writer_pretty(&mut *f, &record).map_err(std::io::Error::other)?;
            f.write_all(b"\n")
        })?;
        files.push("report.json".to_string());
        out.commit()?;
        eprintln!("wrote {}: {}", shown.display(), files.join(", "));
    }
    Ok(exit::OK)
}
