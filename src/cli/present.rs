//! Printing the tables on standard output, shared by `analyze` (from a
//! coding) and `report` (from results folders).

use std::io::Write;

use anyhow::Context;

use super::{Format, TableOpts};
use crate::report::write as w;
use crate::report::{self, Style, Tables};

pub(super) fn print(t: &Tables, format: Format, opts: &TableOpts) -> anyhow::Result<()> {
    let style = Style {
        colour: super::colour_stdout(),
        measure: opts.measure,
    };
    let co = if opts.cooccurrence {
        t.co.as_deref()
    } else {
        None
    };
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

/// Terminal styles of the highlighted matches (`explain`, `kwic`).
pub(super) const BOLD_YELLOW: &str = "\x1b[1;33m";
pub(super) const DIM: &str = "\x1b[2m";
pub(super) const RESET: &str = "\x1b[0m";
