//! `tanda report RESULTS [RESULTS …]`: every table rebuilt from results
//! folders (passages.csv) or from the JSON lines of `tanda code --jsonl`
//! (the map step of a cluster job), so corrected codes or shards of one corpus give
//! their tables without re-coding. Tallies add up, so the shards of a corpus
//! give exactly the tables of a single run.

use std::path::PathBuf;

use clap::Args;

use super::{Format, TableOpts, load_codebook, present};
use crate::error::{Error, exit};
use crate::outdir::{OutOptions, ResultsDir};
use crate::report::read::{read_jsonl, read_results};

#[derive(Args, Debug)]
pub(super) struct ReportArgs {
    /// Results folders of `tanda analyze --out`, or files of the JSON lines
    /// `tanda code --jsonl` writes (one, or the shards of a corpus).
    #[arg(required = true)]
    results: Vec<PathBuf>,
    /// The codebook that coded the JSON-lines inputs (the built-in one when
    /// left out); results folders name their own in run.json.
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
    /// Crosstab by a metadata field (repeatable).
    #[arg(long, value_name = "FIELD")]
    by: Vec<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[command(flatten)]
    table: TableOpts,
    /// Write the table files (frequencies, tests, co-occurrence) to this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// With --out: replace DIR even when it holds files tanda did not write
    /// or files changed since tanda wrote them.
    #[arg(long, requires = "out")]
    force: bool,
}

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
    let combined = crate::report::combine::combine(&all, &args.by, &args.table.options())?;
    let tables = &combined.tables;
    present::print(tables, args.format, &args.table)?;
    let first = &all[0];
    if let (Some(out), Some(shown)) = (out, &args.out) {
        let dir = out.path();
        let mut files = tables.write(dir, args.table.excel)?;
        let cat_ids: Vec<String> = first.categories.iter().map(|c| c.id.clone()).collect();
        crate::report::write::write_atomic(&dir.join("documents.csv"), |f| {
            crate::report::write::documents_csv(
                f,
                &first.fields,
                &cat_ids,
                &combined.document_rows,
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
