//! `tanda analyze`: load, code, tally, print, write.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::{AnalyzeArgs, load_codebook, load_corpus, present};
use crate::codebook::Matcher;
use crate::coder::{CodedPassage, POLICY, POLICY_ID, code_document};
use crate::corpus::{Corpus, Document};
use crate::error::{Error, exit};
use crate::report::write::{self as w, write_atomic};
use crate::report::{self, Counts, Header, Tally};

pub(super) fn run(args: AnalyzeArgs) -> anyhow::Result<i32> {
    if let Some(n) = args.threads {
        // Fails only if a pool already exists (tests calling twice): harmless.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    if args.watch {
        return watch(&args);
    }
    let corpus = load_corpus(&args.corpus, &args.read, args.quiet, args.strict)?;
    let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
    analyze_once(&args, &corpus, &cb)?;
    Ok(exit::OK)
}

/// Code a loaded corpus, print the table, write the results. Returns the
/// frequency rows (for `--watch` to compare runs).
fn analyze_once(
    args: &AnalyzeArgs,
    corpus: &Corpus,
    cb: &crate::codebook::Codebook,
) -> anyhow::Result<Vec<report::FreqRow>> {
    let matcher = Matcher::compile(cb);
    for field in &args.by {
        if !corpus.fields.contains(field) {
            return Err(Error::UnknownField {
                field: field.clone(),
                available: corpus.fields.join(", "),
            }
            .into());
        }
    }

    let coded: Vec<(&Document, Vec<CodedPassage>)> = corpus
        .documents
        .par_iter()
        .map(|d| (d, code_document(&matcher, d, args.unit)))
        .collect();

    let mut tally = Tally::new(args.by.clone());
    let mut doc_counts = Vec::with_capacity(coded.len());
    for (doc, passages) in &coded {
        let counts = Counts::of_document(&matcher, passages);
        let key = present::group_key(
            args.by
                .iter()
                .map(|f| corpus.value(doc, f).unwrap_or("").to_string())
                .collect(),
            args.table.bin,
        );
        tally.add(key, &counts);
        doc_counts.push(counts);
    }

    let unit = args.unit.to_string();
    let header = Header {
        tanda_version: env!("CARGO_PKG_VERSION").to_string(),
        corpus: corpus.root.clone(),
        documents: tally.total.documents,
        passages: tally.total.passages,
        words: tally.total.words,
        unit: unit.clone(),
        codebook_name: cb.name.clone(),
        codebook_version: cb.version.clone(),
        codebook_origin: cb.origin.clone(),
        codebook_sha256: cb.sha256.clone(),
        policy_id: POLICY_ID.to_string(),
        policy: POLICY.to_string(),
    };
    let cats = report::CatView::of_matcher(&matcher);
    let co = report::cooccurrence(
        &cats,
        coded.iter().flat_map(|(_, ps)| {
            ps.iter().map(|p| {
                (0..matcher.categories.len())
                    .map(|c| p.coded.is_coded(&matcher, c))
                    .collect()
            })
        }),
    );
    let tables = present::Tables::new(header, cats, tally, co, &args.table);
    present::print(&tables, args.format, &args.table)?;

    if let Some(dir) = &args.out {
        write_results(
            dir,
            args,
            corpus,
            &matcher,
            cb,
            &coded,
            &doc_counts,
            &tables,
        )?;
    }
    Ok(tables.rows)
}

/// What `--watch` looks at: the codebook file and every file of the corpus,
/// by modification time and size.
fn snapshot(args: &AnalyzeArgs) -> Vec<(String, Option<std::time::SystemTime>, u64)> {
    let mut out = Vec::new();
    let mut push = |p: &Path| {
        let m = std::fs::metadata(p).ok();
        out.push((
            p.display().to_string(),
            m.as_ref().and_then(|m| m.modified().ok()),
            m.map_or(0, |m| m.len()),
        ));
    };
    if let Some(cb) = &args.codebook {
        push(cb);
    }
    let mut stack = vec![args.corpus.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => push(&e.path()),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// `--watch`: re-code whenever the codebook or the corpus changes, from the
/// cached extracted text, and say what changed since the previous run.
fn watch(args: &AnalyzeArgs) -> anyhow::Result<i32> {
    let mut cache = crate::corpus::Cache::keeping();
    let mut previous: Option<Vec<report::FreqRow>> = None;
    loop {
        let seen = snapshot(args);
        let started = std::time::Instant::now();
        let result = args
            .read
            .options()
            .and_then(|opts| Ok(crate::corpus::load_cached(&args.corpus, &opts, &mut cache)?))
            .and_then(|corpus| {
                let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
                let rows = analyze_once(args, &corpus, &cb)?;
                Ok(rows)
            });
        match result {
            Ok(rows) => {
                let mut out = std::io::stdout().lock();
                if let Some(prev) = &previous {
                    let changes: Vec<String> = rows
                        .iter()
                        .filter(|r| r.by.is_empty())
                        .filter_map(|r| {
                            let before = prev
                                .iter()
                                .find(|p| p.by.is_empty() && p.category == r.category)
                                .map(|p| p.passages_coded);
                            match before {
                                Some(b) if b == r.passages_coded => None,
                                Some(b) => Some(format!(
                                    "{} {b} → {} ({:+})",
                                    r.category,
                                    r.passages_coded,
                                    r.passages_coded as i64 - b as i64
                                )),
                                None => Some(format!("{} new: {}", r.category, r.passages_coded)),
                            }
                        })
                        .collect();
                    if changes.is_empty() {
                        writeln!(out, "\nchanges since the last run: none")?;
                    } else {
                        writeln!(out, "\nchanges since the last run (passages coded):")?;
                        for c in changes {
                            writeln!(out, "  {c}")?;
                        }
                    }
                }
                writeln!(
                    out,
                    "\ncoded in {} ms; {} of {} files read from disk, the rest from the cache. Watching for changes (Ctrl-C stops)…",
                    started.elapsed().as_millis(),
                    cache.last_read,
                    cache.last_total
                )?;
                out.flush()?;
                previous = Some(rows);
            }
            Err(e) => {
                super::report_error(&e);
                eprintln!("waiting for a change to try again (Ctrl-C stops)…");
            }
        }
        while snapshot(args) == seen {
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        let mut out = std::io::stdout().lock();
        writeln!(out, "\n── change detected: re-coding ──\n")?;
        out.flush()?;
    }
}

#[allow(clippy::too_many_arguments)]
fn write_results(
    dir: &Path,
    args: &AnalyzeArgs,
    corpus: &Corpus,
    matcher: &Matcher,
    cb: &crate::codebook::Codebook,
    coded: &[(&Document, Vec<CodedPassage>)],
    doc_counts: &[Counts],
    tables: &present::Tables,
) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Write {
        path: dir.display().to_string(),
        source: e,
    })?;
    let unit = args.unit.to_string();
    let excel = args.table.excel;
    let ncat = matcher.categories.len();
    // The four big files are independent: write them in parallel.
    let passages_job = || {
        write_atomic(&dir.join("passages.csv"), |f| {
            w::passages_csv(f, corpus, matcher, &unit, coded, excel)
        })
    };
    let hits_job = || {
        write_atomic(&dir.join("hits.csv"), |f| {
            w::hits_csv(f, matcher, coded, excel)
        })
    };
    let xlsx_job = || -> Result<usize, Error> {
        // tables.xlsx: the tables and the coded passages, typed.
        let cat_ids: Vec<String> = matcher.categories.iter().map(|c| c.id.clone()).collect();
        let lines: Vec<report::xlsx::PassageLine<'_>> = coded
            .iter()
            .flat_map(|(d, ps)| {
                ps.iter()
                    .filter(|p| (0..ncat).any(|c| p.coded.is_coded(matcher, c)))
                    .map(move |p| report::xlsx::PassageLine {
                        doc_id: &d.id,
                        passage_id: &p.passage.id,
                        metadata: &d.metadata,
                        words: p.coded.words as u64,
                        counts: &p.coded.counts,
                        text: &p.passage.text,
                    })
            })
            .collect();
        let (xlsx, cut) = report::xlsx::workbook(
            &tables.rows,
            &tables.tests,
            &tables.tally,
            tables.co.as_deref(),
            &corpus.fields,
            &cat_ids,
            &lines,
        )
        .map_err(|e| Error::Write {
            path: dir.join("tables.xlsx").display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        write_atomic(&dir.join("tables.xlsx"), |f| f.write_all(&xlsx))?;
        Ok(cut)
    };
    let html_job = || -> Result<(), Error> {
        // report.html: tables, charts and the coded passages.
        let by_field = |field: &str| -> Option<Tally> {
            corpus.fields.iter().any(|f| f == field).then(|| {
                let mut t = Tally::new(vec![field.to_string()]);
                for ((d, _), c) in coded.iter().zip(doc_counts) {
                    t.add(
                        report::GroupKey(vec![corpus.value(d, field).unwrap_or("").to_string()]),
                        c,
                    );
                }
                t
            })
        };
        let by_source = by_field(crate::corpus::SOURCE_TYPE);
        let by_year = by_field("year");
        let coded_total = coded
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .filter(|p| (0..ncat).any(|c| p.coded.is_coded(matcher, c)))
            .count();
        // Only the passages the page lists are built (the CSV files have all).
        let passages: Vec<report::html::HtmlPassage<'_>> = coded
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .filter_map(|p| {
                let codes: Vec<&str> = (0..ncat)
                    .filter(|&c| p.coded.is_coded(matcher, c))
                    .map(|c| matcher.categories[c].id.as_str())
                    .collect();
                (!codes.is_empty()).then(|| report::html::HtmlPassage {
                    passage_id: &p.passage.id,
                    text: &p.passage.text,
                    coded: codes,
                    marks: p
                        .coded
                        .hits
                        .iter()
                        .map(|h| {
                            (
                                h.span.clone(),
                                format!(
                                    "{}: {}",
                                    matcher.categories[h.category].id,
                                    w::entry_text(matcher, h.category, h.entry)
                                ),
                            )
                        })
                        .collect(),
                })
            })
            .take(report::html::MAX_LISTED)
            .collect();
        let html = report::html::render(&report::html::HtmlReport {
            header: &tables.header,
            cats: &tables.cats,
            rows: &tables.rows,
            by_source: by_source.as_ref(),
            by_year: by_year.as_ref(),
            co: tables.co.as_deref().unwrap_or(&[]),
            crosstab: (!tables.tally.by.is_empty())
                .then_some((&tables.tally, tables.tests.as_slice())),
            passages,
            coded_total,
        });
        write_atomic(&dir.join("report.html"), |f| f.write_all(html.as_bytes()))
    };
    let ((passages_done, hits_done), (xlsx_done, html_done)) = rayon::join(
        || rayon::join(passages_job, hits_job),
        || rayon::join(xlsx_job, html_job),
    );
    passages_done?;
    hits_done?;
    let cut = xlsx_done?;
    html_done?;
    let mut files = vec!["passages.csv".to_string(), "hits.csv".to_string()];
    files.extend(present::write_tables(dir, tables, excel)?);
    files.push("tables.xlsx".to_string());
    if cut > 0 && !args.quiet {
        eprintln!(
            "note: {cut} passage text(s) longer than Excel's 32,767-character cell limit were cut in tables.xlsx (marked in the cell); passages.csv has them whole"
        );
    }
    files.push("report.html".to_string());
    files.push("run.json".to_string());

    let hits: u64 = coded
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(|p| p.coded.hits.len() as u64))
        .sum();
    let record = w::RunRecord {
        tanda_version: env!("CARGO_PKG_VERSION").to_string(),
        codebook: w::CodebookRecord {
            path: cb.origin.clone(),
            name: cb.name.clone(),
            version: cb.version.clone(),
            sha256: cb.sha256.clone(),
            categories: w::CategoryRecord::of(matcher),
        },
        unit,
        counting_policy: w::PolicyRecord {
            id: POLICY_ID.to_string(),
            rules: POLICY.to_string(),
        },
        options: w::OptionsRecord {
            by: args.by.clone(),
            bin: args.table.bin,
            strict: args.strict,
        },
        corpus: w::CorpusRecord {
            root: corpus.root.clone(),
            fields: corpus.fields.clone(),
            documents: coded
                .iter()
                .zip(doc_counts)
                .map(|((d, _), c)| w::DocumentRecord {
                    id: d.id.clone(),
                    format: d.format.to_string(),
                    encoding: d.encoding.to_string(),
                    bytes: d.bytes,
                    sha256: d.sha256.clone(),
                    passages: c.passages,
                    words: c.words,
                })
                .collect(),
            skipped: corpus
                .skipped
                .iter()
                .map(|s| w::SkippedRecord {
                    id: s.id.clone(),
                    reason: s.reason.clone(),
                })
                .collect(),
            ignored: corpus.ignored.clone(),
        },
        counts: w::CountsRecord {
            documents: coded.len() as u64,
            passages: doc_counts.iter().map(|c| c.passages).sum(),
            words: doc_counts.iter().map(|c| c.words).sum(),
            hits,
        },
        segmenter: w::SegmenterRecord::default(),
        files,
    };
    write_atomic(&dir.join("run.json"), |f| w::run_json(f, &record))?;
    if !args.quiet {
        eprintln!(
            "wrote {}: passages.csv ({} rows), hits.csv ({} rows), {}",
            dir.display(),
            record.counts.passages,
            hits,
            record.files[2..].join(", ")
        );
    }
    Ok(())
}
