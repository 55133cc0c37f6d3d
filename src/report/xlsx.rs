//! `tables.xlsx`: one sheet per table plus the coded passages, every cell
//! typed (numbers as numbers). Text cells are neutralised against formula
//! injection like the CSVs, and texts over Excel's 32,767-character cell
//! limit are cut with a visible mark and counted, never silently.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::table::{CoPair, CrossTest, FreqRow};
use super::tally::Tally;
use super::write::safe_cell;

/// Coded passages written to the workbook at most: beyond this a workbook
/// is slow to write and to open, and passages.csv has them all.
pub const MAX_XLSX_PASSAGES: usize = 10_000;

/// Excel's limit on the characters of one cell.
pub const EXCEL_CELL_LIMIT: usize = 32_767;
const CUT_MARK: &str = " …[cut: over Excel's 32,767-character cell limit]";

/// One coded passage for the `passages` sheet.
pub struct PassageLine<'a> {
    pub doc_id: &'a str,
    pub passage_id: &'a str,
    pub metadata: &'a [String],
    pub words: u64,
    /// Per category: the coding decision, and the counted hits.
    pub coded: &'a [bool],
    pub counts: &'a [u32],
    pub text: &'a str,
}

/// One document's row for the `documents` sheet.
pub struct DocumentLine {
    pub doc_id: String,
    pub metadata: Vec<String>,
    /// [`super::write::document_measures`].
    pub measures: Vec<f64>,
}

/// A metadata value: a number as a number (years sort and sum), else text.
fn metadata_cell(ws: &mut Worksheet, row: u32, col: u16, v: &str) -> Result<(), XlsxError> {
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && !v.starts_with(['+', '-']) => {
            ws.write_number(row, col, x)?;
        }
        _ => {
            text(ws, row, col, v)?;
        }
    }
    Ok(())
}

/// Write text, cut to the cell limit; returns whether it was cut.
fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> Result<bool, XlsxError> {
    let s = safe_cell(s);
    if s.chars().count() <= EXCEL_CELL_LIMIT {
        ws.write_string(row, col, s.as_ref())?;
        return Ok(false);
    }
    let keep = EXCEL_CELL_LIMIT - CUT_MARK.chars().count();
    let mut cut: String = s.chars().take(keep).collect();
    cut.push_str(CUT_MARK);
    ws.write_string(row, col, cut)?;
    Ok(true)
}

fn header(ws: &mut Worksheet, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, n) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *n, bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// What goes into the workbook: the tables, the documents and the coded
/// passages of one run.
pub struct WorkbookInput<'a> {
    /// The frequency table (the `frequencies` sheet).
    pub rows: &'a [FreqRow],
    /// The crosstab tests (the `tests` sheet, left out when empty).
    pub tests: &'a [CrossTest],
    /// The tally the tests were computed from.
    pub tally: &'a Tally,
    /// Category co-occurrence (the `cooccurrence` sheet), when computed.
    pub co: Option<&'a [CoPair]>,
    /// The metadata variables, as the result files name them.
    pub fields: &'a [String],
    /// The category ids, in display order.
    pub categories: &'a [String],
    /// The coded passages written (at most [`MAX_XLSX_PASSAGES`]).
    pub passages: &'a [PassageLine<'a>],
    /// The number of coded passages in the run, written or not.
    pub total_coded: usize,
    /// One row per document (the `documents` sheet, left out when empty).
    pub documents: &'a [DocumentLine],
    /// Where the large sheets' rows wait until the save (unnamed files,
    /// gone when closed): the results folder being written, which is
    /// known to be writable; `None`: the system's temporary folder.
    pub tempdir: Option<&'a std::path::Path>,
}

/// Build the workbook; returns its bytes and the number of cut cells.
pub fn workbook(input: &WorkbookInput<'_>) -> Result<(Vec<u8>, usize), XlsxError> {
    let WorkbookInput {
        rows,
        tests,
        tally,
        co,
        fields,
        categories,
        passages,
        total_coded,
        documents,
        tempdir,
    } = *input;
    let mut wb = Workbook::new();
    if let Some(dir) = tempdir {
        wb.set_tempdir(dir)?;
    }
    // Fastest deflate: the passage sheet is most of the file. Measured on
    // the 10 MB benchmark corpus: `--out` 1.15 s -> 0.74 s, the workbook
    // 4.6 MB -> 7.1 MB.
    wb.set_zip_compression_level(1);
    // A fixed date keeps the file byte-identical for identical inputs.
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let bold = Format::new().set_bold();
    frequencies_sheet(wb.add_worksheet(), rows, &bold)?;
    if !tests.is_empty() {
        tests_sheet(wb.add_worksheet(), tests, tally, &bold)?;
    }
    if let Some(co) = co {
        cooccurrence_sheet(wb.add_worksheet(), co, &bold)?;
    }
    // The two large sheets (up to 10,000 rows of a column or more per
    // category each) are written row by row in "low memory" mode: a row is
    // flushed to a temporary file when the next one starts, and only the
    // shared string table stays in memory. In the standard mode every cell
    // was held until the save: 300 MB at the peak of `--out` with 6,000
    // entries in 60 categories (10 MB corpus). The cells are the same; the
    // bytes are not (shared strings are numbered in writing order).
    if !documents.is_empty() {
        let names = super::write::documents_header(fields, categories);
        documents_sheet(
            wb.add_worksheet_with_low_memory()?,
            &names,
            documents,
            &bold,
        )?;
    }
    let cut = passages_sheet(
        wb.add_worksheet_with_low_memory()?,
        fields,
        categories,
        passages,
        total_coded,
        &bold,
    )?;
    Ok((wb.save_to_buffer()?, cut))
}

/// The `frequencies` sheet: one row per [`FreqRow`].
fn frequencies_sheet(ws: &mut Worksheet, rows: &[FreqRow], bold: &Format) -> Result<(), XlsxError> {
    ws.set_name("frequencies")?;
    header(ws, &super::write::FREQ_COLUMNS, bold)?;
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        text(ws, row, 0, &r.by)?;
        text(ws, row, 1, &r.group)?;
        text(ws, row, 2, &r.category)?;
        text(ws, row, 3, &r.label)?;
        for (c, v) in [
            r.depth as f64,
            r.passages as f64,
            r.passages_coded as f64,
            r.passages_pct,
            r.documents as f64,
            r.documents_coded as f64,
            r.documents_pct,
            r.hits as f64,
            r.words as f64,
            r.hits_per_1000_words,
            r.pct_words,
            r.category_share_pct,
        ]
        .into_iter()
        .enumerate()
        {
            ws.write_number(row, c as u16 + 4, v)?;
        }
    }
    Ok(())
}

/// The `crosstab tests` sheet: one row per test, then the residual of
/// each group of `tally`.
fn tests_sheet(
    ws: &mut Worksheet,
    tests: &[CrossTest],
    tally: &Tally,
    bold: &Format,
) -> Result<(), XlsxError> {
    ws.set_name("crosstab tests")?;
    let groups: Vec<String> = tally.groups.keys().map(super::GroupKey::label).collect();
    let mut names: Vec<String> = super::write::TEST_COLUMNS.map(String::from).to_vec();
    names.extend(groups.iter().map(|g| format!("residual: {g}")));
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    header(ws, &refs, bold)?;
    for (i, t) in tests.iter().enumerate() {
        let row = i as u32 + 1;
        let values = t.values();
        let n = values.len() as u16;
        for (c, v) in values.into_iter().enumerate() {
            let c = c as u16;
            match v {
                super::table::TestValue::Text(s) => {
                    text(ws, row, c, s)?;
                }
                super::table::TestValue::Num(x) if x.is_finite() => {
                    ws.write_number(row, c, x)?;
                }
                super::table::TestValue::Bool(b) => {
                    ws.write_boolean(row, c, b)?;
                }
                _ => {}
            }
        }
        for j in 0..groups.len() {
            if let Some(r) = t.residual(j) {
                ws.write_number(row, n + j as u16, r)?;
            }
        }
    }
    Ok(())
}

/// The `cooccurrence` sheet: one row per pair of categories.
fn cooccurrence_sheet(ws: &mut Worksheet, co: &[CoPair], bold: &Format) -> Result<(), XlsxError> {
    ws.set_name("cooccurrence")?;
    header(
        ws,
        &["category_a", "category_b", "both", "either", "jaccard"],
        bold,
    )?;
    for (i, p) in co.iter().enumerate() {
        let row = i as u32 + 1;
        text(ws, row, 0, &p.a)?;
        text(ws, row, 1, &p.b)?;
        ws.write_number(row, 2, p.both as f64)?;
        ws.write_number(row, 3, p.either as f64)?;
        ws.write_number(row, 4, p.jaccard)?;
    }
    Ok(())
}

/// The `documents` sheet: one row per document, headed by `names`.
fn documents_sheet(
    ws: &mut Worksheet,
    names: &[String],
    documents: &[DocumentLine],
    bold: &Format,
) -> Result<(), XlsxError> {
    ws.set_name("documents")?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    header(ws, &names, bold)?;
    for (i, d) in documents.iter().enumerate() {
        let row = i as u32 + 1;
        text(ws, row, 0, &d.doc_id)?;
        let mut c = 1u16;
        for v in &d.metadata {
            metadata_cell(ws, row, c, v)?;
            c += 1;
        }
        for x in &d.measures {
            ws.write_number(row, c, *x)?;
            c += 1;
        }
    }
    Ok(())
}

/// The `coded passages` sheet: the first [`MAX_XLSX_PASSAGES`] of the
/// `total_coded` coded passages, and a line saying how many more there
/// are. Returns the number of texts cut to the cell limit.
fn passages_sheet(
    ws: &mut Worksheet,
    fields: &[String],
    categories: &[String],
    passages: &[PassageLine<'_>],
    total_coded: usize,
    bold: &Format,
) -> Result<usize, XlsxError> {
    let mut cut = 0usize;
    ws.set_name("coded passages")?;
    let mut names: Vec<&str> = vec!["doc_id", "passage_id"];
    names.extend(fields.iter().map(String::as_str));
    names.push("words");
    names.extend(categories.iter().map(String::as_str));
    let hit_names: Vec<String> = categories.iter().map(|c| format!("{c}:hits")).collect();
    names.extend(hit_names.iter().map(String::as_str));
    names.push("text");
    header(ws, &names, bold)?;
    for (i, p) in passages.iter().take(MAX_XLSX_PASSAGES).enumerate() {
        let row = i as u32 + 1;
        let mut c = 0u16;
        text(ws, row, c, p.doc_id)?;
        c += 1;
        text(ws, row, c, p.passage_id)?;
        c += 1;
        for v in p.metadata {
            metadata_cell(ws, row, c, v)?;
            c += 1;
        }
        ws.write_number(row, c, p.words as f64)?;
        c += 1;
        for on in p.coded {
            ws.write_number(row, c, f64::from(u8::from(*on)))?;
            c += 1;
        }
        for n in p.counts {
            ws.write_number(row, c, f64::from(*n))?;
            c += 1;
        }
        if text(ws, row, c, p.text)? {
            cut += 1;
        }
    }
    if total_coded > MAX_XLSX_PASSAGES {
        let row = MAX_XLSX_PASSAGES as u32 + 2;
        ws.write_string(
            row,
            0,
            format!(
                "… {} more coded passages are in passages.csv (the workbook holds the first {MAX_XLSX_PASSAGES})",
                total_coded - MAX_XLSX_PASSAGES
            ),
        )?;
    }
    Ok(cut)
}
