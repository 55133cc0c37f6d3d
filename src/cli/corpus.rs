//! `tanda corpus stats`: what a corpus holds before any coding.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{ReadArgs, TableFormat, load_corpus};
use crate::error::exit;
use crate::text::count_words;

#[derive(Subcommand, Debug)]
pub(super) enum CorpusCommand {
    /// Documents by format, language, encoding and source type; words and
    /// paragraphs; files skipped and why; duplicate files.
    Stats(CorpusStatsArgs),
}

#[derive(Args, Debug)]
pub(super) struct CorpusStatsArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The corpus folder.
    corpus: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    format: TableFormat,
}

#[derive(Serialize)]
struct Stats {
    corpus: String,
    documents: usize,
    paragraphs: usize,
    words: usize,
    by_format: BTreeMap<String, usize>,
    by_language: BTreeMap<String, usize>,
    by_encoding: BTreeMap<String, usize>,
    by_source_type: BTreeMap<String, usize>,
    skipped: Vec<(String, String)>,
    /// Groups of documents with the same content (SHA-256).
    duplicates: Vec<Vec<String>>,
    ignored: Vec<String>,
}

fn line(map: &BTreeMap<String, usize>) -> String {
    let mut v: Vec<(&String, &usize)> = map.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

pub(super) fn stats(args: CorpusStatsArgs) -> anyhow::Result<i32> {
    let c = load_corpus(&args.corpus, &args.read, true, false)?;
    let mut s = Stats {
        corpus: c.root.clone(),
        documents: c.documents.len(),
        paragraphs: 0,
        words: 0,
        by_format: BTreeMap::new(),
        by_language: BTreeMap::new(),
        by_encoding: BTreeMap::new(),
        by_source_type: BTreeMap::new(),
        skipped: c
            .skipped
            .iter()
            .map(|k| (k.id.clone(), k.reason.clone()))
            .collect(),
        duplicates: Vec::new(),
        ignored: c.ignored.clone(),
    };
    let mut by_hash: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in &c.documents {
        s.paragraphs += d.paragraphs.len();
        s.words += d
            .paragraphs
            .iter()
            .map(|p| count_words(&p.text))
            .sum::<usize>();
        *s.by_format.entry(d.format.to_string()).or_default() += 1;
        *s.by_encoding.entry(d.encoding.to_string()).or_default() += 1;
        let get = |f: &str| {
            c.value(d, f)
                .filter(|v| !v.is_empty())
                .unwrap_or("(missing)")
                .to_string()
        };
        *s.by_language
            .entry(get(crate::corpus::LANGUAGE))
            .or_default() += 1;
        *s.by_source_type
            .entry(get(crate::corpus::SOURCE_TYPE))
            .or_default() += 1;
        by_hash
            .entry(d.sha256.as_str())
            .or_default()
            .push(d.id.clone());
    }
    s.duplicates = by_hash.into_values().filter(|v| v.len() > 1).collect();
    let mut out = std::io::stdout().lock();
    if matches!(args.format, TableFormat::Json | TableFormat::Csv) {
        serde_json::to_writer_pretty(&mut out, &s)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "corpus {}: {} documents, {} paragraphs, {} words",
            s.corpus,
            s.documents,
            s.paragraphs,
            crate::report::table::thousands(s.words as u64)
        )?;
        writeln!(out, "by format:      {}", line(&s.by_format))?;
        writeln!(out, "by language:    {}", line(&s.by_language))?;
        writeln!(out, "by encoding:    {}", line(&s.by_encoding))?;
        writeln!(out, "by source type: {}", line(&s.by_source_type))?;
        if s.skipped.is_empty() {
            writeln!(out, "skipped:        none")?;
        } else {
            writeln!(out, "skipped ({}):", s.skipped.len())?;
            for (id, why) in &s.skipped {
                writeln!(out, "  {id}: {why}")?;
            }
        }
        for group in &s.duplicates {
            writeln!(out, "duplicate content: {}", group.join(" = "))?;
        }
        if !s.ignored.is_empty() {
            writeln!(out, "ignored (not documents): {}", s.ignored.join(", "))?;
        }
    }
    Ok(exit::OK)
}
