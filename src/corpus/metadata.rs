//! The metadata sheet: `metadata.csv` (or `.tsv`, or `.xlsx`) at the corpus
//! root, one row per document keyed by a `path` column; every other column is
//! a variable. The delimiter is read from the header line: `,`, `;` (what
//! Excel writes in many locales) or tab, whatever the file is named; a
//! workbook is read from its first worksheet.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;

/// The sheet as read.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// File name of the sheet (for messages), e.g. `metadata.csv`.
    pub name: String,
    /// Variable names in sheet order, without `path`.
    pub fields: Vec<String>,
    /// Row values by normalised path, aligned to `fields`, with the sheet line.
    pub rows: BTreeMap<String, (Vec<String>, u64)>,
    /// Problems that do not stop the run (duplicate rows).
    pub warnings: Vec<String>,
}

/// Normalise a path as written in a sheet: `/` separators, no leading `./`.
pub fn normalise_path(p: &str) -> String {
    let p = p.trim().replace('\\', "/");
    let mut s = p.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// The warning for a corpus without a metadata sheet (one line).
pub fn no_sheet_warning(root: &str) -> String {
    format!(
        "{root}: no metadata sheet (metadata.csv, metadata.tsv or metadata.xlsx with a `path` column) at the corpus root; documents get metadata only from front matter, and `source_type` falls back to each document's first folder"
    )
}

/// Read the sheet at the corpus root, if any.
pub fn read_sheet(root: &Path) -> Result<Option<Sheet>, Error> {
    for (name, delim) in [("metadata.csv", b','), ("metadata.tsv", b'\t')] {
        let path = root.join(name);
        if path.is_file() {
            return read(&path, name, delim).map(Some);
        }
    }
    let path = root.join("metadata.xlsx");
    if path.is_file() {
        return read_workbook(&path, "metadata.xlsx").map(Some);
    }
    Ok(None)
}

/// Read `metadata.xlsx`: its first worksheet, the first row naming the
/// columns. Row numbers stand where a CSV sheet's line numbers do.
fn read_workbook(path: &Path, name: &str) -> Result<Sheet, Error> {
    let shown = path.display().to_string();
    let ws = crate::sheet::read_xlsx(path, &[]).map_err(|e| Error::Metadata {
        path: shown.clone(),
        message: e.0,
    })?;
    let mut rows = ws.rows.into_iter();
    let cols: Vec<String> = rows
        .next()
        .map(|(_, cells)| {
            let width = cells
                .iter()
                .map(|(c, _)| *c as usize + 1)
                .max()
                .unwrap_or(0);
            crate::sheet::Worksheet::dense(&cells, width)
        })
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.trim().to_string())
        .collect();
    let width = cols.len();
    build(
        &shown,
        name,
        cols,
        None,
        rows.map(|(r, cells)| Ok((u64::from(r), crate::sheet::Worksheet::dense(&cells, width)))),
    )
}

fn read(path: &Path, name: &str, delim: u8) -> Result<Sheet, Error> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::Metadata {
        path: shown.clone(),
        message: format!("cannot read: {e}"),
    })?;
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    let delim = crate::sheet::sniff_delimiter(bytes, delim);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| Error::Metadata {
            path: shown.clone(),
            message: format!("cannot read the header row: {e}"),
        })?
        .clone();
    let cols: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let records = rdr.into_records().map(|rec| {
        let rec = rec.map_err(|e| Error::Metadata {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        Ok((line, rec.iter().map(str::to_string).collect()))
    });
    build(&shown, name, cols, Some(delim), records)
}

/// A sheet from its header and its rows (line or row number, cells).
fn build(
    shown: &str,
    name: &str,
    cols: Vec<String>,
    delim: Option<u8>,
    records: impl Iterator<Item = Result<(u64, Vec<String>), Error>>,
) -> Result<Sheet, Error> {
    let Some(path_col) = cols.iter().position(|c| c.eq_ignore_ascii_case("path")) else {
        return Err(Error::Metadata {
            path: shown.to_string(),
            message: no_path_column(&cols, delim),
        });
    };
    let mut sheet = Sheet {
        name: name.to_string(),
        fields: cols
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != path_col)
            .map(|(_, c)| c.clone())
            .collect(),
        ..Sheet::default()
    };
    for rec in records {
        let (line, rec) = rec?;
        let key = normalise_path(rec.get(path_col).map_or("", String::as_str));
        if key.is_empty() {
            continue;
        }
        let values: Vec<String> = (0..cols.len())
            .filter(|&i| i != path_col)
            .map(|i| rec.get(i).map_or("", |v| v.trim()).to_string())
            .collect();
        if let Some((_, first)) = sheet.rows.get(&key) {
            sheet.warnings.push(format!(
                "{shown}:{line}: `{key}` is listed again (first at line {first}); the first row is used"
            ));
            continue;
        }
        sheet.rows.insert(key, (values, line));
    }
    Ok(sheet)
}

/// What to say when the header has no `path` column.
fn no_path_column(cols: &[String], delim: Option<u8>) -> String {
    let found = if cols.iter().all(String::is_empty) {
        "an empty header row".to_string()
    } else {
        format!(
            "{} column(s){}: {}",
            cols.len(),
            delim.map_or_else(String::new, |d| format!(
                " split at {}s",
                crate::sheet::delimiter_name(d)
            )),
            cols.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let like = cols.iter().find(|c| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "file"
                | "filename"
                | "file_name"
                | "file name"
                | "filepath"
                | "file_path"
                | "document"
                | "doc"
                | "doc_id"
                | "name"
        )
    });
    let hint = like.map_or_else(String::new, |c| format!(" (rename `{c}` to `path`?)"));
    format!(
        "line 1: no `path` column; found {found}. The first row must name the columns, separated by commas, semicolons or tabs, and one must be `path`: each document's file path relative to the corpus root, e.g. news/a.txt{hint}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_by_path_and_reports_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("metadata.csv"),
            "\u{feff}path,year,title\n./news/a.txt,2011,\"A, title\"\nnews\\b.txt,2012\nnews/a.txt,1999,dup\n",
        )
        .unwrap();
        let s = read_sheet(dir.path()).unwrap().unwrap();
        assert_eq!(s.fields, vec!["year", "title"]);
        assert_eq!(s.rows["news/a.txt"].0, vec!["2011", "A, title"]);
        assert_eq!(s.rows["news/b.txt"].0, vec!["2012", ""]);
        assert_eq!(s.warnings.len(), 1);
        assert!(s.warnings[0].contains(":4:"), "{}", s.warnings[0]);
    }

    #[test]
    fn missing_path_column_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("metadata.csv"), "file,year\na.txt,2011\n").unwrap();
        let e = read_sheet(dir.path()).unwrap_err();
        assert!(e.to_string().contains("no `path` column"), "{e}");
    }

    #[test]
    fn semicolon_sheets_as_excel_writes_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("metadata.csv"),
            "\u{feff}path;year;title\r\nnews/a.txt;2011;\"A; title\"\r\nb.txt;2012;\"He said \"\"no\"\"\"\r\n",
        )
        .unwrap();
        let s = read_sheet(dir.path()).unwrap().unwrap();
        assert_eq!(s.fields, vec!["year", "title"]);
        assert_eq!(s.rows["news/a.txt"].0, vec!["2011", "A; title"]);
        assert_eq!(s.rows["b.txt"].0, vec!["2012", "He said \"no\""]);
    }

    #[test]
    fn no_path_column_names_the_columns_and_what_is_needed() {
        let m = no_path_column(&["Filename".into(), "year".into()], Some(b';'));
        assert!(
            m.contains("2 column(s) split at semicolons: `Filename`, `year`"),
            "{m}"
        );
        assert!(m.contains("rename `Filename` to `path`"), "{m}");
        assert!(m.contains("one must be `path`"), "{m}");
        let m = no_path_column(&["".into()], Some(b','));
        assert!(m.contains("an empty header row"), "{m}");
        let w = no_sheet_warning("corpus");
        assert!(w.starts_with("corpus: no metadata sheet"), "{w}");
        assert!(!w.contains('\n'));
    }
}
