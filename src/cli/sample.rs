//! `tanda sample`: passages drawn from a results folder for hand-coding, as
//! a coder sheet `tanda agree` reads back.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::agree::sample;
use crate::error::exit;
use crate::report::read::read_results;
use crate::report::write::{safe_cell, write_atomic};

#[derive(Args, Debug)]
pub(super) struct SampleArgs {
    /// A results folder (`tanda analyze --out`).
    results: PathBuf,
    /// How many passages.
    #[arg(short, default_value_t = 100)]
    n: usize,
    /// Seed: the same seed draws the same passages.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Draw equally from each category's coded passages (and the uncoded), or from
    /// each value of a metadata field.
    #[arg(long, value_name = "category|FIELD")]
    stratify: Option<String>,
    /// Leave out the automatic codes, so the human coder is blind to them.
    #[arg(long)]
    blind: bool,
    /// The coder sheet to write: CSV, or an Excel workbook when FILE ends in
    /// .xlsx (a `sample` sheet plus an `instructions` sheet). Either can be
    /// given to `tanda agree` as it is.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
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
pub(super) fn run(args: SampleArgs) -> anyhow::Result<i32> {
    let r = read_results(&args.results)?;
    let chosen = sample::draw(&r, args.n, args.seed, args.stratify.as_deref())?;
    let (header, records) = sample::sheet(&r, &chosen, args.blind);
    let xlsx = args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let instructions = sample_instructions(&args, &r.categories, chosen.len());
    let write_sheet = |w: &mut dyn Write| -> std::io::Result<()> {
        if xlsx {
            return w.write_all(&workbook(&header, &records, &instructions)?);
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

/// The coder sheet as a workbook: the `sample` sheet `tanda agree` reads,
/// and the instructions on a sheet of their own.
fn workbook(
    header: &[String],
    records: &[Vec<String>],
    instructions: &[String],
) -> std::io::Result<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let to_io = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    let ws = wb.add_worksheet();
    // `tanda agree` reads the sheet named `sample` (else the first).
    ws.set_name(crate::agree::coders::SAMPLE_SHEET)
        .map_err(to_io)?;
    for (rn, rec) in std::iter::once(header)
        .chain(records.iter().map(Vec::as_slice))
        .enumerate()
    {
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
    wb.save_to_buffer().map_err(to_io)
}
