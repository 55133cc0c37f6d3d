//! `tanda diff`, `tanda codebook diff` and `tanda sample`.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{DiffArgs, SampleArgs, TableFormat, is_codebook_arg, load_codebook, load_corpus};
use crate::agree::Rng;
use crate::codebook::Matcher;
use crate::coder::{CodedPassage, code_document};
use crate::compare::{self, RunView, codebooks};
use crate::corpus::Document;
use crate::error::{Error, exit};
use crate::report::read::{read_hits, read_results};
use crate::report::write::{safe_cell, write_atomic};

fn is_results(p: &Path) -> bool {
    p.is_dir() && p.join("run.json").is_file()
}

/// `tanda diff OLD NEW`: two results folders, or two codebooks with --corpus.
pub(super) fn diff(args: DiffArgs) -> anyhow::Result<i32> {
    let (old, new) = if is_results(&args.old) && is_results(&args.new) {
        let view = |p: &PathBuf| -> Result<RunView, Error> {
            let r = read_results(p)?;
            Ok(RunView::from_results(
                &p.display().to_string(),
                &r,
                read_hits(p)?,
            ))
        };
        (view(&args.old)?, view(&args.new)?)
    } else if is_codebook_arg(&args.old) && is_codebook_arg(&args.new) {
        let Some(corpus_dir) = &args.corpus else {
            crate::error::usage!(
                "OLD and NEW are codebooks: say which corpus to code with --corpus DIR"
            );
        };
        let corpus = load_corpus(corpus_dir, &args.read, args.quiet, false)?;
        let code = |p: &PathBuf| -> Result<RunView, Error> {
            let cb = load_codebook(Some(p), args.quiet)?;
            let m = Matcher::compile(&cb);
            let coded: Vec<(&Document, Vec<CodedPassage>)> = corpus
                .documents
                .par_iter()
                .map(|d| (d, code_document(&m, d, args.unit)))
                .collect();
            Ok(RunView::from_coding(&p.display().to_string(), &m, &coded))
        };
        (code(&args.old)?, code(&args.new)?)
    } else {
        crate::error::usage!(
            "OLD and NEW must both be results folders (with run.json) or both codebooks (files, or `builtin`); got {} and {}",
            args.old.display(),
            args.new.display()
        );
    };
    let d = compare::diff(&old, &new, args.context);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &d)?;
            writeln!(out)?;
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "kind",
                "category",
                "entry_or_passage",
                "before",
                "after",
                "detail",
            ])?;
            let n = |x: Option<u64>| x.map(|v| v.to_string()).unwrap_or_default();
            for c in &d.categories {
                w.write_record([
                    "category",
                    &c.category,
                    "",
                    &n(c.before),
                    &n(c.after),
                    &format!("+{} -{}", c.gained, c.lost),
                ])?;
            }
            for e in &d.entries {
                w.write_record([
                    "entry",
                    &e.category,
                    safe_cell(&e.entry).as_ref(),
                    &e.hits_before.to_string(),
                    &e.hits_after.to_string(),
                    "",
                ])?;
            }
            for p in &d.passages {
                let (b, a) = if p.change == "gained" {
                    ("0", "1")
                } else {
                    ("1", "0")
                };
                w.write_record([
                    "passage",
                    &p.category,
                    safe_cell(&p.passage_id).as_ref(),
                    b,
                    a,
                    safe_cell(&p.context).as_ref(),
                ])?;
            }
            w.flush()?;
        }
        TableFormat::Table | TableFormat::Markdown => {
            writeln!(out, "old: {}\nnew: {}", d.old, d.new)?;
            if d.only_old + d.only_new > 0 {
                writeln!(
                    out,
                    "note: {} passage(s) only in old, {} only in new (different corpus or unit?); they are not compared",
                    d.only_old, d.only_new
                )?;
            }
            writeln!(out, "\npassages coded per category")?;
            let w = d
                .categories
                .iter()
                .map(|c| c.category.len())
                .max()
                .unwrap_or(8)
                .max(8);
            writeln!(
                out,
                "{:<w$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
                "category", "before", "after", "change", "gained", "lost"
            )?;
            for c in &d.categories {
                let n = |x: Option<u64>| x.map_or("-".to_string(), |v| v.to_string());
                let change = match (c.before, c.after) {
                    (Some(b), Some(a)) => format!("{:+}", a as i64 - b as i64),
                    _ => "new/gone".to_string(),
                };
                writeln!(
                    out,
                    "{:<w$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
                    c.category,
                    n(c.before),
                    n(c.after),
                    change,
                    c.gained,
                    c.lost
                )?;
            }
            if !d.entries.is_empty() {
                writeln!(out, "\nhits per entry that changed")?;
                for e in &d.entries {
                    writeln!(
                        out,
                        "  {:<w$}  {:<28}  {:>4} → {:<4} ({:+})",
                        e.category,
                        e.entry,
                        e.hits_before,
                        e.hits_after,
                        e.hits_after as i64 - e.hits_before as i64
                    )?;
                }
            }
            if !d.passages.is_empty() {
                writeln!(out, "\npassages that gained or lost a category")?;
                for p in &d.passages {
                    let sign = if p.change == "gained" { "+" } else { "-" };
                    writeln!(
                        out,
                        "{sign} {}  {}  ({})",
                        p.category,
                        p.passage_id,
                        p.entries.join(", ")
                    )?;
                    if !p.context.is_empty() {
                        writeln!(out, "      {}", p.context)?;
                    }
                }
            }
            if !d.changed() {
                writeln!(out, "\nno differences")?;
            }
        }
    }
    out.flush()?;
    Ok(if d.changed() { exit::CHANGED } else { exit::OK })
}

/// `tanda codebook diff OLD NEW`.
pub(super) fn codebook_diff(old: &Path, new: &Path, format: TableFormat) -> anyhow::Result<i32> {
    let a = load_codebook(Some(old), true)?;
    let b = load_codebook(Some(new), true)?;
    let d = codebooks::diff(&a, &b);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if matches!(format, TableFormat::Json | TableFormat::Csv) {
        serde_json::to_writer_pretty(&mut out, &d)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "old: {} {} ({})\nnew: {} {} ({})",
            a.name, a.version, a.origin, b.name, b.version, b.origin
        )?;
        for id in &d.added {
            writeln!(out, "+ category {id}")?;
        }
        for id in &d.removed {
            writeln!(out, "- category {id}")?;
        }
        for r in &d.renamed {
            writeln!(out, "~ category {} → {} ({})", r.old, r.new, r.kind)?;
        }
        for c in &d.changed {
            writeln!(out, "  {}", c.category)?;
            for e in &c.entries_added {
                writeln!(out, "    + {e}")?;
            }
            for e in &c.entries_removed {
                writeln!(out, "    - {e}")?;
            }
            for s in &c.settings {
                writeln!(out, "    ~ {s}")?;
            }
        }
        if d.is_empty() {
            writeln!(out, "no differences")?;
        }
    }
    out.flush()?;
    Ok(if d.is_empty() {
        exit::OK
    } else {
        exit::CHANGED
    })
}

/// How a sample sheet is filled and how `tanda agree` reads its blanks
/// (printed after writing a CSV sheet; the first lines of an .xlsx sheet's
/// `instructions` sheet).
const FILL_RULE: &str = "Fill each category column with 1 (the category applies) or 0 (it does not). \
A blank cell is read by `tanda agree` as missing: that passage is not compared for that category. \
If you type only the 1s, run `tanda agree --blank not-coded`, which reads every blank as 0.";

/// The `instructions` sheet of an .xlsx sample.
fn sample_instructions(
    args: &SampleArgs,
    categories: &[crate::report::write::CategoryRecord],
    n: usize,
) -> Vec<String> {
    let ids: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
    let mut v = vec![
        format!(
            "Hand-coding sheet: {n} passages drawn by `tanda sample` from {} (seed {}).",
            args.results.display(),
            args.seed
        ),
        String::new(),
        "How to fill the `sample` sheet".to_string(),
        format!(
            "1. Read each passage (column `text`) and fill every category column ({}) with 1 if the category applies to the passage and 0 if it does not.",
            ids.join(", ")
        ),
        "2. Leave a cell blank only when you cannot decide. `tanda agree` reads a blank cell as missing: that passage is left out of that category's comparison for you.".to_string(),
        "3. If you prefer to type only the 1s, tell whoever runs the comparison: `tanda agree --blank not-coded` reads every blank cell as 0 (does not apply). Without it, agree warns that the column holds only 1s and blanks.".to_string(),
        "4. Keep `passage_id` as it is (agree matches passages by it); do not add rows; write anything else in `note`.".to_string(),
    ];
    if !args.blind {
        v.push("5. The `auto:CATEGORY` columns hold tanda's own codes, for reference; they are not compared.".to_string());
    }
    v.push(String::new());
    v.push(format!(
        "Then compare: tanda agree {} {} --reference {}  (agree reads this .xlsx as it is, or a CSV saved from it)",
        args.output.display(),
        args.results.display(),
        args.output
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    ));
    v
}

/// `tanda sample RESULTS -n N --seed S [--stratify category|FIELD] [--blind] -o FILE`.
pub(super) fn sample(args: SampleArgs) -> anyhow::Result<i32> {
    let r = read_results(&args.results)?;
    let n = args.n.min(r.passages.len());
    let mut rng = Rng::new(args.seed);
    // Strata: lists of passage indices. Drawn round-robin, so each stratum
    // gets an equal share until it runs out (rare categories are not drowned).
    let strata: Vec<(String, Vec<usize>)> = match args.stratify.as_deref() {
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
                }
                .into());
            };
            let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
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
    let mut header: Vec<String> = vec!["passage_id".into(), "doc_id".into()];
    header.extend(r.fields.iter().cloned());
    header.push("text".into());
    header.extend(r.categories.iter().map(|c| c.id.clone()));
    if !args.blind {
        header.extend(r.categories.iter().map(|c| format!("auto:{}", c.id)));
    }
    header.push("note".into());
    let mut records: Vec<Vec<String>> = Vec::with_capacity(chosen.len());
    for &i in &chosen {
        let p = &r.passages[i];
        let mut rec: Vec<String> = vec![p.passage_id.clone(), p.doc_id.clone()];
        rec.extend(p.metadata.iter().cloned());
        rec.push(p.text.clone());
        rec.extend(r.categories.iter().map(|_| String::new()));
        if !args.blind {
            rec.extend((0..r.categories.len()).map(|c| u8::from(r.is_coded(p, c)).to_string()));
        }
        rec.push(String::new());
        records.push(rec);
    }
    let xlsx = args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let instructions = sample_instructions(&args, &r.categories, chosen.len());
    let write_sheet = |w: &mut dyn Write| -> std::io::Result<()> {
        if xlsx {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let to_io = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
            let ws = wb.add_worksheet();
            // `tanda agree` reads the sheet named `sample` (else the first).
            ws.set_name(crate::agree::coders::SAMPLE_SHEET)
                .map_err(to_io)?;
            for (rn, rec) in std::iter::once(&header).chain(&records).enumerate() {
                for (c, v) in rec.iter().enumerate() {
                    ws.write_string(rn as u32, c as u16, safe_cell(v).as_ref())
                        .map_err(to_io)?;
                }
            }
            ws.set_freeze_panes(1, 0).map_err(to_io)?;
            let how = wb.add_worksheet();
            how.set_name("instructions").map_err(to_io)?;
            how.set_column_width(0, 120).map_err(to_io)?;
            for (i, line) in instructions.iter().enumerate() {
                how.write_string(i as u32, 0, safe_cell(line).as_ref())
                    .map_err(to_io)?;
            }
            wb.set_properties(
                &rust_xlsxwriter::DocProperties::new().set_creation_datetime(
                    &rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).map_err(to_io)?,
                ),
            );
            return w.write_all(&wb.save_to_buffer().map_err(to_io)?);
        }
        let mut out = csv::Writer::from_writer(w);
        out.write_record(&header)?;
        for rec in &records {
            out.write_record(rec.iter().map(|v| safe_cell(v).into_owned()))?;
        }
        out.flush()
    };
    write_atomic(&args.output, write_sheet)?;
    eprintln!(
        "wrote {}: {} passages (seed {}{}{}{})",
        args.output.display(),
        chosen.len(),
        args.seed,
        args.stratify
            .as_deref()
            .map(|s| format!(", stratified by {s}"))
            .unwrap_or_default(),
        if args.blind {
            ", automatic codes hidden"
        } else {
            ""
        },
        if xlsx {
            "; how to fill it is on its `instructions` sheet"
        } else {
            ""
        }
    );
    eprintln!("{FILL_RULE}");
    Ok(exit::OK)
}
