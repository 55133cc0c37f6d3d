//! `tanda agree`: reliability between coders, and the codebook against a
//! human reference.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::TableFormat;
use crate::agree::coders::{self, Blank};
use crate::agree::{self, Agreement, AgreementOptions, Level};
use crate::agree::{AgreementRow as Row, PrfRow};
use crate::error::exit;

#[derive(Args, Debug)]
pub(super) struct AgreeArgs {
    /// Coders: sheets (.csv, .tsv or .xlsx, e.g. from `tanda sample`) keyed by
    /// `passage_id` with one column per category, or results folders of
    /// `tanda analyze --out`. Category columns are those holding 1/0,
    /// yes/no, x or numbers (after the `text` column when there is one;
    /// `auto:` columns and `note` are not compared); a cell that is none of
    /// these (`?`, `NaN`) is named and read as missing for that coder, unless
    /// such cells outnumber the values (then the column is context). How a
    /// blank cell is read is set by --blank. An .xlsx is read from its `sample` sheet, else the first.
    #[arg(required = true, num_args = 2..)]
    coders: Vec<PathBuf>,
    /// How a blank category cell is read. `missing` (the default): the coder
    /// gave no value, and that passage is left out of the category's
    /// comparison for that coder; a sheet only half filled then stays honest
    /// instead of turning into zeros. `not-coded`: blank means the category
    /// does not apply (0), for coders who type only the 1s. Under the default,
    /// agree warns when a column holds only 1s and blanks (the 1s-only habit),
    /// and under either, when a sheet is mostly blank or a column entirely blank.
    #[arg(long, default_value = "missing", value_name = "missing|not-coded",
          value_parser = parse_blank)]
    blank: Blank,
    /// Score the other coders against this one (a path given above, or its name).
    #[arg(long, value_name = "CODER")]
    reference: Option<String>,
    /// Level of measurement for alpha: nominal, ordinal, interval or ratio.
    #[arg(long, default_value = "nominal", value_parser = parse_level)]
    level: Level,
    /// Bootstrap replicates for alpha's 95% confidence interval (0 = none).
    #[arg(long, default_value_t = 0, value_name = "N")]
    bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only these categories (comma-separated).
    #[arg(long, value_name = "IDS")]
    categories: Option<String>,
    /// Also write every passage × category where the coders disagree to this
    /// CSV: each coder's value, the passage text and, for results folders,
    /// the entries that fired (with their weights), to read in a spreadsheet.
    #[arg(long, value_name = "FILE")]
    disagreements: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: TableFormat,
}

fn parse_blank(s: &str) -> Result<Blank, String> {
    s.parse()
}

fn parse_level(s: &str) -> Result<Level, String> {
    s.parse()
}

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
        Some(r) => Some(reference_index(&args.coders, &coders, r)?),
    };
    let only: Option<Vec<&str>> = args
        .categories
        .as_ref()
        .map(|only| only.split(',').map(str::trim).collect());
    let categories = agree::common_categories(&coders, only.as_deref())?;
    for c in &coders {
        for w in coders::blank_warnings(c, &categories, args.blank) {
            eprintln!("warning: {w}");
        }
    }
    if let Some(path) = &args.disagreements {
        let n = write_disagreements(path, &args.coders, &coders, &categories, args.blank)?;
        eprintln!("wrote {}: {n} disagreement(s)", path.display());
    }
    let opts = AgreementOptions {
        level: args.level,
        blank: args.blank,
        bootstrap: args.bootstrap,
        seed: args.seed,
        reference,
    };
    let result = agree::agreement(&coders, &categories, &opts);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let shown = Shown {
        args: &args,
        coders: &coders,
        reference,
        result: &result,
    };
    match args.format {
        TableFormat::Json => shown.json(&mut out)?,
        TableFormat::Csv => shown.csv(&mut out)?,
        TableFormat::Table | TableFormat::Markdown => shown.table(&mut out)?,
    }
    out.flush()?;
    Ok(exit::OK)
}

/// The coder `--reference` names: a path given, or a coder's name.
fn reference_index(
    paths: &[PathBuf],
    coders: &[coders::Coder],
    r: &str,
) -> Result<usize, crate::Error> {
    let want = std::path::Path::new(r);
    let stem = want.file_stem().map(|s| s.to_string_lossy().into_owned());
    paths
        .iter()
        .position(|p| p == want)
        .or_else(|| {
            coders
                .iter()
                .position(|c| Some(&c.name) == stem.as_ref() || c.name == r)
        })
        .ok_or_else(|| {
            crate::error::usage_error!("--reference `{r}` is not one of the coders given")
        })
}

/// An agreement as printed.
struct Shown<'a> {
    args: &'a AgreeArgs,
    coders: &'a [coders::Coder],
    reference: Option<usize>,
    result: &'a Agreement,
}

impl Shown<'_> {
    fn json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
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
            coders: self.coders.iter().map(|c| c.name.as_str()).collect(),
            level: self.args.level.as_str(),
            blank: self.args.blank.as_str(),
            bootstrap: self.args.bootstrap,
            seed: self.args.seed,
            reference: self.reference.map(|r| self.coders[r].name.as_str()),
            agreement: &self.result.rows,
            against_reference: &self.result.against_reference,
        };
        serde_json::to_writer_pretty(&mut *out, &o)?;
        writeln!(out)?;
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut w = csv::Writer::from_writer(out);
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
        for r in &self.result.rows {
            let mine: Vec<&PrfRow> = self
                .result
                .against_reference
                .iter()
                .filter(|p| p.category == r.category)
                .collect();
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
                    self.reference
                        .map(|i| self.coders[i].name.clone())
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
        Ok(())
    }

    fn table(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let (args, coders) = (self.args, self.coders);
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
            args.level.as_str(),
            match args.blank {
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
        for r in &self.result.rows {
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
        if let Some(r) = self.reference {
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
            for p in &self.result.against_reference {
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
        Ok(())
    }
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
