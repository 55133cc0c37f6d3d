//! A corpus that arrives as one spreadsheet (`articles.csv`, `.tsv`,
//! `.xlsx`): one document per row, its text in one column, every other
//! column its metadata — the way news-database exports and web scrapes
//! arrive.
//!
//! CSV and TSV are read row by row, so a file of any size is never held
//! whole; an .xlsx is read whole, within [`crate::sheet::MAX_XLSX_XML_MB`].
//! The delimiter is read from the header line (`,`, `;` as Excel writes in
//! many locales, or tab); a UTF-8 byte-order mark is dropped; without
//! `--encoding` a file that is not UTF-8 is decoded with the legacy
//! encoding its first bytes suggest (Windows-1252 for Excel's "CSV").

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::Error;

/// Why a row with nothing in its text cell is skipped.
pub const EMPTY_CELL: &str = "empty text cell";

/// Which columns hold a spreadsheet corpus's text and ids.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// The column holding each document's text (`--text-column`); `None`
    /// takes a column named `text` when there is one.
    pub text_column: Option<String>,
    /// The column holding each document's id (`--id-column`); `None` names
    /// documents by row: `articles.csv#row12`.
    pub id_column: Option<String>,
}

/// Is `path` a file tanda reads as a spreadsheet corpus?
pub fn is_table_file(path: &Path) -> bool {
    path.is_file() && table_format(path).is_some()
}

fn table_format(path: &Path) -> Option<&'static str> {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("csv") => Some("csv"),
        Some("tsv" | "tab") => Some("tsv"),
        Some("xlsx") => Some("xlsx"),
        _ => None,
    }
}

/// One row as read: its number as a spreadsheet program shows it (the
/// header is row 1), and its cells.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// 1-based row number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    /// The cells' text, in column order.
    pub cells: Vec<String>,
}

enum Rows {
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        record: csv::ByteRecord,
        encoding: &'static encoding_rs::Encoding,
        /// Rows read so far (the next row is `read + 2`).
        read: u64,
    },
    Xlsx(std::vec::IntoIter<crate::sheet::Row>),
}

/// An open spreadsheet corpus, read a row at a time.
pub struct TableSource {
    /// The path as given.
    pub shown: String,
    /// The file name, for document ids (`articles.csv#row12`).
    pub name: String,
    /// `csv`, `tsv` or `xlsx`.
    pub format: &'static str,
    /// Encoding of the text (`xlsx` for a workbook).
    pub encoding: &'static str,
    /// The header's column names.
    pub columns: Vec<String>,
    /// Metadata variables: every column but the text column, in order.
    pub fields: Vec<String>,
    text_col: usize,
    id_col: Option<usize>,
    rows: Rows,
    /// Id → row of its first use, to report duplicates.
    seen: HashMap<String, u64>,
    /// File size, for progress.
    pub bytes: u64,
    /// Rows whose text was not valid in the encoding (read with U+FFFD).
    bad_text: u64,
    /// Duplicate ids and the like.
    pub warnings: Vec<String>,
    done: bool,
}

fn input(shown: &str, message: String) -> Error {
    Error::Input {
        path: shown.to_string(),
        message,
    }
}

/// Open a spreadsheet corpus: read its header, find the text and id
/// columns. `encoding` forces the encoding of a CSV/TSV file.
pub fn open(
    path: &Path,
    opts: &TableOptions,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<TableSource, Error> {
    let shown = path.display().to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let Some(format) = table_format(path) else {
        return Err(input(
            &shown,
            "not a spreadsheet corpus: give a .csv, .tsv or .xlsx file, or a folder of documents"
                .into(),
        ));
    };
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let Header {
        columns,
        rows,
        encoding: enc_name,
        delim,
    } = if format == "xlsx" {
        xlsx_header(path, &shown)?
    } else {
        csv_header(path, &shown, format, encoding, bytes)?
    };
    let (text_col, id_col) = text_and_id(&shown, &name, &columns, delim, opts)?;
    let fields = columns
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != text_col)
        .map(|(i, c)| {
            if c.is_empty() {
                format!("column{}", i + 1)
            } else {
                c.clone()
            }
        })
        .collect();
    Ok(TableSource {
        shown,
        name,
        format,
        encoding: enc_name,
        columns,
        fields,
        text_col,
        id_col,
        rows,
        seen: HashMap::new(),
        bytes,
        bad_text: 0,
        warnings: Vec::new(),
        done: false,
    })
}

/// A spreadsheet corpus with its header read.
struct Header {
    /// The header's column names, trimmed.
    columns: Vec<String>,
    /// The rows after the header, still to read.
    rows: Rows,
    /// Encoding of the text (`xlsx` for a workbook).
    encoding: &'static str,
    /// The delimiter of a CSV/TSV file.
    delim: Option<u8>,
}

/// Read a workbook's first worksheet whole and take its first row as the
/// header (`shown` names the file in messages).
fn xlsx_header(path: &Path, shown: &str) -> Result<Header, Error> {
    let sheet = crate::sheet::read_xlsx(path, &[]).map_err(|e| input(shown, e.0))?;
    let mut rows = sheet.rows.into_iter();
    let header = rows.next().map(|(_, cells)| {
        let width = cells
            .iter()
            .map(|(c, _)| *c as usize + 1)
            .max()
            .unwrap_or(0);
        crate::sheet::Worksheet::dense(&cells, width)
    });
    let columns: Vec<String> = header
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.trim().to_string())
        .collect();
    Ok(Header {
        columns,
        rows: Rows::Xlsx(rows),
        encoding: "xlsx",
        delim: None,
    })
}

/// Open a CSV/TSV file (`bytes` long) and read its header row: the
/// encoding (`encoding`, else guessed) and delimiter from its first 64 KB,
/// a byte-order mark dropped, UTF-16 refused.
fn csv_header(
    path: &Path,
    shown: &str,
    format: &str,
    encoding: Option<&'static encoding_rs::Encoding>,
    bytes: u64,
) -> Result<Header, Error> {
    let mut file =
        std::fs::File::open(path).map_err(|e| input(shown, format!("cannot read: {e}")))?;
    let mut head = Vec::new();
    (&mut file)
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| input(shown, format!("cannot read: {e}")))?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(input(
            shown,
            "the sheet is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" instead"
                .into(),
        ));
    }
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let enc = match encoding {
        Some(e) => e,
        None => guess_encoding(&head[bom..], head.len() as u64 == bytes),
    };
    let default = if format == "tsv" { b'\t' } else { b',' };
    let delim = crate::sheet::sniff_delimiter(&head, default);
    let rest: Box<dyn Read + Send> =
        Box::new(std::io::Cursor::new(head[bom..].to_vec()).chain(BufReader::new(file)));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(true)
        .from_reader(rest);
    let header = reader
        .byte_headers()
        .map_err(|e| input(shown, format!("cannot read the header row: {e}")))?
        .clone();
    let columns = header
        .iter()
        .map(|c| decode(c, enc).0.trim().to_string())
        .collect();
    Ok(Header {
        columns,
        rows: Rows::Csv {
            reader,
            record: csv::ByteRecord::new(),
            encoding: enc,
            read: 0,
        },
        encoding: enc.name(),
        delim: Some(delim),
    })
}

/// The text column (`--text-column`, else `text`) and the id column
/// (`--id-column`, if given) among `columns`: an exact name first, then
/// one equal but for ASCII case. An error lists the columns found.
fn text_and_id(
    shown: &str,
    name: &str,
    columns: &[String],
    delim: Option<u8>,
    opts: &TableOptions,
) -> Result<(usize, Option<usize>), Error> {
    let find = |want: &str| {
        columns
            .iter()
            .position(|c| c == want)
            .or_else(|| columns.iter().position(|c| c.eq_ignore_ascii_case(want)))
    };
    let found = || found_columns(columns, delim);
    let text_col = match &opts.text_column {
        Some(t) => find(t).ok_or_else(|| {
            input(
                shown,
                format!(
                    "no text column `{t}`; found {}. Give --text-column with the name of the column that holds the text",
                    found()
                ),
            )
        })?,
        None => find("text").ok_or_else(|| {
            input(
                shown,
                format!(
                    "which column holds the text? Give --text-column NAME; found {}",
                    found()
                ),
            )
        })?,
    };
    let id_col = match &opts.id_column {
        Some(t) => Some(find(t).ok_or_else(|| {
            input(
                shown,
                format!(
                    "no id column `{t}`; found {}. Give --id-column with one of them, or leave it out to name documents by row ({name}#row2, …)",
                    found()
                ),
            )
        })?),
        None => None,
    };
    Ok((text_col, id_col))
}

/// The columns of a header, for messages.
fn found_columns(cols: &[String], delim: Option<u8>) -> String {
    if cols.iter().all(String::is_empty) {
        return "an empty header row".to_string();
    }
    let split = delim.map_or_else(String::new, |d| {
        format!(" split at {}s", crate::sheet::delimiter_name(d))
    });
    format!(
        "{} column(s){split}: {}",
        cols.len(),
        cols.iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// UTF-8 unless the first bytes are not (a cut at the end of `head` is
/// allowed when the file goes on); then the legacy encoding they suggest.
fn guess_encoding(head: &[u8], whole: bool) -> &'static encoding_rs::Encoding {
    match std::str::from_utf8(head) {
        Ok(_) => encoding_rs::UTF_8,
        Err(e) if !whole && e.error_len().is_none() => encoding_rs::UTF_8,
        Err(_) => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(head, whole);
            det.guess(None, chardetng::Utf8Detection::Deny)
        }
    }
}

/// A cell's text, and whether it held bytes invalid in the encoding.
fn decode(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> (String, bool) {
    let (text, bad) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), bad)
}

/// A row of the sheet, ready to become a document.
pub struct RowDoc {
    /// The document id: the id column's value, else `SHEET#rowN` (made
    /// unique when repeated).
    pub id: String,
    /// The text cell's content.
    pub text: String,
    /// Aligned to [`TableSource::fields`].
    pub metadata: Vec<String>,
}

impl TableSource {
    /// Has the last row been read?
    pub fn done(&self) -> bool {
        self.done
    }

    /// Bytes read so far (CSV/TSV; a workbook counts as read once open).
    pub fn position(&self) -> u64 {
        match &self.rows {
            Rows::Csv { reader, .. } => reader.position().byte().min(self.bytes),
            Rows::Xlsx(_) => self.bytes,
        }
    }

    fn next_raw(&mut self) -> Result<Option<TableRow>, String> {
        if self.done {
            return Ok(None);
        }
        let row = match &mut self.rows {
            Rows::Csv {
                reader,
                record,
                encoding,
                read,
            } => match reader.read_byte_record(record) {
                Ok(false) => None,
                Ok(true) => {
                    *read += 1;
                    let mut bad = false;
                    let cells = record
                        .iter()
                        .map(|c| {
                            let (t, b) = decode(c, encoding);
                            bad |= b;
                            t
                        })
                        .collect();
                    if bad {
                        self.bad_text += 1;
                    }
                    Some(TableRow {
                        row: *read + 1,
                        cells,
                    })
                }
                Err(e) => {
                    self.done = true;
                    return Err(format!("row {}: {e}", *read + 2));
                }
            },
            Rows::Xlsx(rows) => rows.next().map(|(r, cells)| TableRow {
                row: u64::from(r),
                cells: crate::sheet::Worksheet::dense(&cells, self.columns.len()),
            }),
        };
        if row.is_none() {
            self.done = true;
            if self.bad_text > 0 {
                let enc = match &self.rows {
                    Rows::Csv { encoding, .. } => encoding.name(),
                    Rows::Xlsx(_) => "UTF-8",
                };
                self.warnings.push(format!(
                    "{}: {} row(s) held bytes that are not valid {enc} (shown as �); save the sheet as \"CSV UTF-8\" or give the right --encoding",
                    self.shown, self.bad_text
                ));
            }
        }
        Ok(row)
    }

    /// The next row as a document, or as the reason it is skipped (an empty
    /// text cell, a row that cannot be read); `None` after the last row.
    pub fn next_row(&mut self) -> Option<Result<RowDoc, super::Skipped>> {
        let raw = match self.next_raw() {
            Ok(Some(r)) => r,
            Ok(None) => return None,
            Err(e) => {
                return Some(Err(super::Skipped {
                    id: format!("{}#row?", self.name),
                    reason: format!("cannot read the sheet past this point: {e}"),
                }));
            }
        };
        let TableRow { row, mut cells } = raw;
        let by_row = format!("{}#row{row}", self.name);
        let id = match self.id_col {
            None => by_row,
            Some(c) => {
                let v = cells.get(c).map(|s| s.trim()).unwrap_or("");
                if v.is_empty() {
                    self.warnings.push(format!(
                        "{}: row {row}: the id cell is empty; the document is named `{by_row}`",
                        self.shown
                    ));
                    by_row
                } else {
                    v.to_string()
                }
            }
        };
        let id = match self.seen.get(&id) {
            Some(first) => {
                let renamed = format!("{id}#row{row}");
                self.warnings.push(format!(
                    "{}: row {row}: id `{id}` is used again (first at row {first}); this row is read as `{renamed}`",
                    self.shown
                ));
                renamed
            }
            None => id,
        };
        self.seen.insert(id.clone(), row);
        let text = if self.text_col < cells.len() {
            std::mem::take(&mut cells[self.text_col])
        } else {
            String::new()
        };
        if text.trim().is_empty() {
            return Some(Err(super::Skipped {
                id,
                reason: EMPTY_CELL.into(),
            }));
        }
        let metadata = (0..self.columns.len())
            .filter(|&i| i != self.text_col)
            .map(|i| {
                cells
                    .get(i)
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            })
            .collect();
        Some(Ok(RowDoc { id, text, metadata }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(text: &str, id: Option<&str>) -> TableOptions {
        TableOptions {
            text_column: Some(text.into()),
            id_column: id.map(String::from),
        }
    }

    #[test]
    fn missing_text_column_lists_the_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "id;date;body\n1;2020;x\n").unwrap();
        let Err(e) = open(&p, &opts("text", None), None) else {
            panic!("opened")
        };
        let m = e.to_string();
        assert!(
            m.contains(
                "no text column `text`; found 3 column(s) split at semicolons: `id`, `date`, `body`"
            ),
            "{m}"
        );
    }

    #[test]
    fn legacy_encoding_is_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        // "café" in Windows-1252: é is 0xE9.
        std::fs::write(&p, b"id,text\n1,caf\xE9 au lait et cr\xE8me\n").unwrap();
        let mut t = open(&p, &opts("text", Some("id")), None).unwrap();
        let r = t.next_row().unwrap().unwrap();
        assert_eq!(r.text, "café au lait et crème");
        assert_eq!(r.id, "1");
        assert!(t.next_row().is_none());
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }
}
