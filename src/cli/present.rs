//! Printing and writing the tables, shared by `analyze` (from a coding) and
//! `report` (from results folders).

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::{Format, TableOpts};
use crate::error::Error;
use crate::report::write::{self as w, write_atomic};
use crate::report::{self, CatView, CoPair, CrossTest, FreqRow, GroupKey, Header, Style, Tally};

/// Everything the outputs are made from.
pub(super) struct Tables {
    pub header: Header,
    pub cats: Vec<CatView>,
    pub tally: Tally,
    pub rows: Vec<FreqRow>,
    pub tests: Vec<CrossTest>,
    pub co: Option<Vec<CoPair>>,
}

impl Tables {
    pub fn new(
        header: Header,
        cats: Vec<CatView>,
        tally: Tally,
        co: Vec<CoPair>,
        opts: &TableOpts,
    ) -> Tables {
        let rows = report::frequency_rows(&cats, &tally);
        let tests = report::cross_tests(&cats, &tally, opts.measure(), opts.cluster());
        Tables {
            header,
            cats,
            tally,
            rows,
            tests,
            co: Some(co),
        }
    }

    fn co_shown(&self, opts: &TableOpts) -> Option<&[CoPair]> {
        if opts.cooccurrence {
            self.co.as_deref()
        } else {
            None
        }
    }
}

/// The group of a document: its values of the `--by` fields, numeric ones
/// binned when asked (`--bin 5` puts 1996 in "1995–1999").
pub(super) fn group_key(values: Vec<String>, bin: Option<u32>) -> GroupKey {
    let Some(b) = bin.filter(|&b| b > 1) else {
        return GroupKey(values);
    };
    GroupKey(
        values
            .into_iter()
            .map(|v| {
                // A number, or a date starting with a year.
                let head: String = v
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '-')
                    .collect();
                let num = head
                    .split('-')
                    .find(|s| !s.is_empty())
                    .and_then(|s| s.parse::<i64>().ok());
                match num {
                    Some(n) if !v.is_empty() => {
                        let start = n.div_euclid(i64::from(b)) * i64::from(b);
                        format!("{start}–{}", start + i64::from(b) - 1)
                    }
                    _ => v,
                }
            })
            .collect(),
    )
}

pub(super) fn print(t: &Tables, format: Format, opts: &TableOpts) -> anyhow::Result<()> {
    let style = Style {
        colour: super::colour_stdout(),
        measure: opts.measure(),
    };
    let co = t.co_shown(opts);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let printed = match format {
        Format::Table => out.write_all(
            report::render_text(&t.header, &t.cats, &t.tally, &t.rows, &t.tests, co, style)
                .as_bytes(),
        ),
        Format::Markdown => out.write_all(
            report::render_markdown(&t.header, &t.cats, &t.tally, &t.rows, &t.tests, co, style)
                .as_bytes(),
        ),
        Format::Latex => out.write_all(
            report::render_latex(&t.header, &t.cats, &t.tally, &t.rows, &t.tests, style).as_bytes(),
        ),
        Format::Json => {
            out.write_all(report::render_json(&t.header, &t.rows, &t.tests, co)?.as_bytes())
        }
        Format::Csv => w::frequencies_csv(&mut out, &t.rows, false),
        Format::CsvWide => w::frequencies_wide_csv(&mut out, &t.rows, false),
    };
    printed.context("writing to standard output")?;
    out.flush().context("writing to standard output")?;
    Ok(())
}

/// The table files of `--out`: frequencies (tidy and wide), the crosstab
/// tests, co-occurrence.
pub(super) fn write_tables(dir: &Path, t: &Tables, excel: bool) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    write_atomic(&dir.join("frequencies.csv"), |f| {
        w::frequencies_csv(f, &t.rows, excel)
    })?;
    files.push("frequencies.csv".to_string());
    write_atomic(&dir.join("frequencies-wide.csv"), |f| {
        w::frequencies_wide_csv(f, &t.rows, excel)
    })?;
    files.push("frequencies-wide.csv".to_string());
    if !t.tests.is_empty() {
        write_atomic(&dir.join("crosstab-tests.csv"), |f| {
            w::tests_csv(f, &t.tests, &t.tally, excel)
        })?;
        files.push("crosstab-tests.csv".to_string());
    }
    if let Some(co) = &t.co {
        write_atomic(&dir.join("cooccurrence.csv"), |f| {
            w::cooccurrence_csv(f, co, excel)
        })?;
        files.push("cooccurrence.csv".to_string());
    }
    Ok(files)
}
