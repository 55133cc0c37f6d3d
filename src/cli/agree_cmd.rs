//! `tanda agree`: reliability between coders, and the codebook against a
//! human reference.

use std::io::Write;

use serde::Serialize;

use super::{AgreeArgs, TableFormat};
use crate::agree::coders::{self, Blank};
use crate::agree::{self, Level};
use crate::error::exit;

use crate::agree::{AgreementRow as Row, PrfRow};

fn f(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| agree::fixed(v, digits))
}

/// First row is the header.
fn align(rows: &[Vec<String>], right: &[bool]) -> String {
    crate::report::table::Grid {
        header: rows[0].clone(),
        right: right.to_vec(),
        rows: rows[1..].to_vec(),
    }
    .plain()
}

pub(super) fn run(args: AgreeArgs) -> anyhow::Result<i32> {
    let level: Level = args.level.parse().map_err(anyhow::Error::msg)?;
    let blank: Blank = args.blank.parse().map_err(anyhow::Error::msg)?;
    let coders: Vec<coders::Coder> = args
        .coders
        .iter()
        .map(|p| coders::load(p))
        .collect::<Result<_, _>>()?;
    for c in &coders {
        for w in &c.warnings {
            eprintln!("warning: {w}");
        }
    }
    if coders.len() < 2 {
        crate::error::usage!("give at least two coders (CSV sheets or results folders)");
    }
    let reference = match &args.reference {
        None => None,
        Some(r) => {
            let want = std::path::Path::new(r);
            let stem = want.file_stem().map(|s| s.to_string_lossy().into_owned());
            let i = args
                .coders
                .iter()
                .position(|p| p == want)
                .or_else(|| {
                    coders
                        .iter()
                        .position(|c| Some(&c.name) == stem.as_ref() || &c.name == r)
                })
                .ok_or_else(|| {
                    crate::error::usage_error!("--reference `{r}` is not one of the coders given")
                })?;
            Some(i)
        }
    };
    let mut categories: Vec<String> = coders[0]
        .categories
        .iter()
        .filter(|c| coders.iter().all(|k| k.categories.contains(c)))
        .cloned()
        .collect();
    if let Some(only) = &args.categories {
        let want: Vec<&str> = only.split(',').map(str::trim).collect();
        for w in &want {
            if !categories.iter().any(|c| c == w) {
                crate::error::usage!(
                    "category `{w}` is not a column of every coder (common: {})",
                    categories.join(", ")
                );
            }
        }
        categories.retain(|c| want.contains(&c.as_str()));
    }
    if categories.is_empty() {
        let lists: Vec<String> = coders
            .iter()
            .map(|c| format!("{}: {}", c.name, c.categories.join(", ")))
            .collect();
        anyhow::bail!(
            "the coders share no category column; columns per coder: {}",
            lists.join("; ")
        );
    }

    for c in &coders {
        for w in coders::blank_warnings(c, &categories, blank) {
            eprintln!("warning: {w}");
        }
    }
    if let Some(path) = &args.disagreements {
        let n = write_disagreements(path, &args.coders, &coders, &categories, blank)?;
        eprintln!("wrote {}: {n} disagreement(s)", path.display());
    }

    let mut rows = Vec::new();
    let mut prf = Vec::new();
    for cat in &categories {
        let (_, data) = coders::matrix(&coders, cat, blank);
        let units = data
            .iter()
            .filter(|u| u.iter().flatten().count() >= 2)
            .count();
        let (kappa_kind, kappa) = if coders.len() == 2 {
            ("cohen", agree::cohen_kappa(&data, 0, 1))
        } else {
            ("fleiss", agree::fleiss_kappa(&data))
        };
        let ci = (args.bootstrap > 0)
            .then(|| agree::bootstrap_alpha(&data, level, args.bootstrap, args.seed))
            .flatten();
        rows.push(Row {
            category: cat.clone(),
            units,
            percent_agreement: agree::percent_agreement(&data),
            kappa_kind: kappa_kind.to_string(),
            kappa,
            alpha: agree::krippendorff_alpha(&data, level),
            alpha_ci_low: ci.map(|c| c.0),
            alpha_ci_high: ci.map(|c| c.1),
        });
        if let Some(r) = reference {
            for (i, c) in coders.iter().enumerate().filter(|(i, _)| *i != r) {
                let p = agree::precision_recall(&data, r, i);
                prf.push(PrfRow {
                    category: cat.clone(),
                    coder: c.name.clone(),
                    prf: p,
                });
            }
        }
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        TableFormat::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                coders: Vec<&'a str>,
                level: &'a str,
                /// Left out under the default (`missing`), so earlier reports compare equal.
                #[serde(skip_serializing_if = "is_missing")]
                blank: &'a str,
                bootstrap: usize,
                seed: u64,
                reference: Option<&'a str>,
                agreement: &'a [Row],
                against_reference: &'a [PrfRow],
            }
            fn is_missing(b: &&str) -> bool {
                *b == "missing"
            }
            let o = Out {
                coders: coders.iter().map(|c| c.name.as_str()).collect(),
                level: &args.level,
                blank: blank.as_str(),
                bootstrap: args.bootstrap,
                seed: args.seed,
                reference: reference.map(|r| coders[r].name.as_str()),
                agreement: &rows,
                against_reference: &prf,
            };
            serde_json::to_writer_pretty(&mut out, &o)?;
            writeln!(out)?;
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "category",
                "units",
                "percent_agreement",
                "kappa_kind",
                "kappa",
                "alpha",
                "alpha_ci_low",
                "alpha_ci_high",
                "reference",
                "coder",
                "tp",
                "fp",
                "fn",
                "tn",
                "precision",
                "recall",
                "f1",
            ])?;
            let opt = |x: Option<f64>| x.map(|v| agree::fixed(v, 6)).unwrap_or_default();
            for r in &rows {
                let mine: Vec<&PrfRow> = prf.iter().filter(|p| p.category == r.category).collect();
                let base = vec![
                    r.category.clone(),
                    r.units.to_string(),
                    opt(r.percent_agreement),
                    r.kappa_kind.to_string(),
                    opt(r.kappa),
                    opt(r.alpha),
                    opt(r.alpha_ci_low),
                    opt(r.alpha_ci_high),
                ];
                if mine.is_empty() {
                    let mut rec = base.clone();
                    rec.extend(std::iter::repeat_n(String::new(), 9));
                    w.write_record(&rec)?;
                }
                for p in mine {
                    let mut rec = base.clone();
                    rec.extend([
                        reference
                            .map(|i| coders[i].name.clone())
                            .unwrap_or_default(),
                        p.coder.clone(),
                        p.prf.tp.to_string(),
                        p.prf.fp.to_string(),
                        p.prf.fn_.to_string(),
                        p.prf.tn.to_string(),
                        opt(p.prf.precision),
                        opt(p.prf.recall),
                        opt(p.prf.f1),
                    ]);
                    w.write_record(&rec)?;
                }
            }
            w.flush()?;
        }
        TableFormat::Table | TableFormat::Markdown => {
            let names: Vec<String> = coders
                .iter()
                .zip(&args.coders)
                .map(|(c, p)| format!("{} ({})", c.name, p.display()))
                .collect();
            writeln!(
                out,
                "agreement of {} coders: {}",
                coders.len(),
                names.join(", ")
            )?;
            writeln!(
                out,
                "level {} · blank cells read as {} · units = passages coded by at least two coders{}\n",
                args.level,
                match blank {
                    Blank::Missing => "missing",
                    Blank::NotCoded => "not coded (0)",
                },
                if args.bootstrap > 0 {
                    format!(
                        " · alpha 95% CI: percentile bootstrap over units, {} replicates, seed {}",
                        args.bootstrap, args.seed
                    )
                } else {
                    String::new()
                }
            )?;
            let kappa_head = if coders.len() == 2 {
                "Cohen κ"
            } else {
                "Fleiss κ"
            };
            let mut t = vec![vec![
                "category".to_string(),
                "units".into(),
                "agree %".into(),
                kappa_head.into(),
                "alpha".into(),
                "95% CI".into(),
            ]];
            for r in &rows {
                t.push(vec![
                    r.category.clone(),
                    r.units.to_string(),
                    f(r.percent_agreement, 1),
                    f(r.kappa, 3),
                    f(r.alpha, 3),
                    match (r.alpha_ci_low, r.alpha_ci_high) {
                        (Some(a), Some(b)) => {
                            format!("[{}, {}]", agree::fixed(a, 3), agree::fixed(b, 3))
                        }
                        _ => String::new(),
                    },
                ]);
            }
            out.write_all(align(&t, &[false, true, true, true, true, false]).as_bytes())?;
            if let Some(r) = reference {
                writeln!(
                    out,
                    "\nagainst the reference {} (a value above 0 is a positive)",
                    coders[r].name
                )?;
                let mut t = vec![
                    [
                        "category",
                        "coder",
                        "tp",
                        "fp",
                        "fn",
                        "tn",
                        "precision",
                        "recall",
                        "F1",
                    ]
                    .map(String::from)
                    .to_vec(),
                ];
                for p in &prf {
                    t.push(vec![
                        p.category.clone(),
                        p.coder.clone(),
                        p.prf.tp.to_string(),
                        p.prf.fp.to_string(),
                        p.prf.fn_.to_string(),
                        p.prf.tn.to_string(),
                        f(p.prf.precision, 3),
                        f(p.prf.recall, 3),
                        f(p.prf.f1, 3),
                    ]);
                }
                out.write_all(
                    align(
                        &t,
                        &[false, false, true, true, true, true, true, true, true],
                    )
                    .as_bytes(),
                )?;
            }
        }
    }
    out.flush()?;
    Ok(exit::OK)
}

/// `--disagreements FILE`: one row per passage × category the coders differ
/// on, with the passage text and the entries that fired in results folders.
fn write_disagreements(
    path: &std::path::Path,
    paths: &[std::path::PathBuf],
    coders: &[coders::Coder],
    categories: &[String],
    blank: Blank,
) -> anyhow::Result<usize> {
    use crate::report::read::{read_hits, read_results};
    use crate::report::write::{safe_cell, write_atomic};
    let rows = coders::disagreements(coders, categories, blank);
    // Text and hits from the results folders among the coders.
    let mut text: std::collections::HashMap<String, String> = Default::default();
    let mut fired: std::collections::HashMap<(String, String), Vec<String>> = Default::default();
    for (p, c) in paths.iter().zip(coders) {
        if !p.is_dir() {
            continue;
        }
        let r = read_results(p)?;
        for row in r.passages {
            text.entry(row.passage_id).or_insert(row.text);
        }
        for h in read_hits(p)? {
            // A hit of a subcategory is evidence for its parents too.
            for cat in categories {
                if h.category == *cat || h.category.starts_with(&format!("{cat}.")) {
                    let what = format!(
                        "{}: {} `{}`{}",
                        c.name,
                        h.entry,
                        h.matched,
                        if h.counted {
                            ""
                        } else {
                            " (counter-indicator)"
                        }
                    );
                    fired
                        .entry((h.passage_id.clone(), cat.clone()))
                        .or_default()
                        .push(what);
                }
            }
        }
    }
    write_atomic(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        let mut header = vec!["passage_id".to_string(), "category".to_string()];
        header.extend(coders.iter().map(|c| c.name.clone()));
        header.extend(["entries".to_string(), "text".to_string()]);
        out.write_record(&header)?;
        for d in &rows {
            let mut rec = vec![safe_cell(&d.passage_id).into_owned(), d.category.clone()];
            rec.extend(
                d.values
                    .iter()
                    .map(|v| v.map_or(String::new(), |x| x.to_string())),
            );
            let key = (d.passage_id.clone(), d.category.clone());
            rec.push(
                safe_cell(&fired.get(&key).map_or(String::new(), |v| v.join("; "))).into_owned(),
            );
            rec.push(safe_cell(text.get(&d.passage_id).map_or("", String::as_str)).into_owned());
            out.write_record(&rec)?;
        }
        out.flush()
    })?;
    Ok(rows.len())
}
