//! Coder sheets: one CSV per coder, keyed by passage id, one column per
//! category; or a results folder standing for tanda as a coder.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use crate::report::read::{read_results, unguard};

/// Columns that are never categories in a coder sheet.
const RESERVED: &[&str] = &[
    "passage_id",
    "id",
    "doc_id",
    "unit",
    "text",
    "words",
    "matched",
    "note",
    "notes",
    "coder",
    "comment",
    "comments",
];

/// How a blank category cell in a coder sheet is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Blank {
    /// Blank = the coder gave no value: the passage is left out of that
    /// category's comparison for this coder (the default: a sheet only half
    /// filled does not turn into a sheet of zeros).
    #[default]
    Missing,
    /// Blank = the category does not apply (0), the habit of marking only
    /// the 1s. Passages not in the sheet stay missing.
    NotCoded,
}

impl Blank {
    /// The name used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Blank::Missing => "missing",
            Blank::NotCoded => "not-coded",
        }
    }
}

impl std::str::FromStr for Blank {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "missing" => Ok(Blank::Missing),
            "not-coded" => Ok(Blank::NotCoded),
            other => Err(format!(
                "unknown --blank `{other}`; use missing or not-coded"
            )),
        }
    }
}

/// One coder's values: passage id → category → value (None = left blank).
#[derive(Debug, Clone)]
pub struct Coder {
    /// The coder's name as shown in output.
    pub name: String,
    /// The sheet or folder as given, for messages.
    pub source: String,
    /// Category columns in sheet order.
    pub categories: Vec<String>,
    /// Passage id → category → value; `None` where the cell was left blank.
    pub values: BTreeMap<String, BTreeMap<String, Option<f64>>>,
    /// Passage ids in sheet order.
    pub order: Vec<String>,
    /// Problems found while reading that do not stop the run (a column left
    /// out because a cell is not a value).
    pub warnings: Vec<String>,
}

fn err(path: &Path, message: impl Into<String>) -> Error {
    Error::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Read a value a human typed: numbers, or yes/no, true/false, x.
fn value(s: &str) -> Result<Option<f64>, ()> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(x) = t.parse::<f64>()
        && x.is_finite()
    {
        return Ok(Some(x));
    }
    match t.to_lowercase().as_str() {
        "x" | "yes" | "y" | "true" | "ya" => Ok(Some(1.0)),
        "no" | "n" | "false" | "tidak" => Ok(Some(0.0)),
        _ => Err(()),
    }
}

/// Where a data row of a coder sheet is, as a spreadsheet shows it: the
/// row number (the header is row 1). For a CSV that is the `k`-th record
/// after the header; its `line` is given too when a cell spanning lines
/// makes the two differ. A workbook's rows are already row numbers.
fn sheet_row(row_word: &str, k: usize, line: u64) -> String {
    let row = k as u64 + 2;
    if row_word == "row" || row == line {
        format!("row {line}")
    } else {
        format!("row {row} (line {line})")
    }
}

/// The worksheet `agree` reads from an .xlsx: the one `tanda sample` names
/// (`sample`), else the first.
pub const SAMPLE_SHEET: &str = "sample";

/// A coder sheet (CSV, TSV or .xlsx) or a results folder.
pub fn load(path: &Path) -> Result<Coder, Error> {
    let name = path.file_stem().or_else(|| path.file_name()).map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    if path.is_dir() {
        return from_results(path, name);
    }
    let bytes = std::fs::read(path).map_err(|e| err(path, format!("cannot read: {e}")))?;
    from_bytes(path, &bytes)
}

/// A coder sheet from the bytes of the file at `path` (which names it in
/// messages and says by its extension whether it is an .xlsx workbook).
/// The fuzz target and the random-input test come in here.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Coder, Error> {
    let name = path.file_stem().or_else(|| path.file_name()).map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let (grid, row_word) = if ext == "xlsx" || ext == "xlsm" {
        (xlsx_grid(path, bytes)?, "row")
    } else {
        (csv_grid(path, bytes, &ext)?, "line")
    };
    let Some((_, header)) = grid.first() else {
        return Err(err(
            path,
            "the sheet is empty; the first row must name the columns (passage_id and one per category)",
        ));
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let key = header
        .iter()
        .position(|h| h == "passage_id")
        .or_else(|| header.iter().position(|h| h == "id"))
        .ok_or_else(|| {
            err(
                path,
                format!(
                    "no `passage_id` column to key the passages by (columns found: {})",
                    header.join(", ")
                ),
            )
        })?;
    let sheet = Grid {
        path,
        row_word,
        header,
        key,
        rows: grid.into_iter().skip(1).collect(),
    };
    let mut warnings = Vec::new();
    let categories = sheet.category_columns(&mut warnings);
    let (values, order) = sheet.values(&categories)?;
    Ok(Coder {
        name,
        source: path.display().to_string(),
        categories: categories.into_iter().map(|(_, c)| c).collect(),
        values,
        order,
        warnings,
    })
}

/// The rows of a sheet: (sheet row number, cells), header first.
type Rows = Vec<(u64, Vec<String>)>;

/// The rows of the worksheet of an .xlsx workbook that `agree` reads
/// ([`SAMPLE_SHEET`], else the first), each as wide as its header.
fn xlsx_grid(path: &Path, bytes: &[u8]) -> Result<Rows, Error> {
    let ws = crate::sheet::read_xlsx_bytes(bytes, &[SAMPLE_SHEET])
        .map_err(|e| err(path, e.to_string()))?;
    let Some((_, head)) = ws.rows.first() else {
        return Err(err(
            path,
            format!(
                "worksheet `{}` is empty; the first row must name the columns (passage_id and one per category)",
                ws.name
            ),
        ));
    };
    let width = head.last().map_or(0, |(c, _)| *c as usize + 1);
    Ok(ws
        .rows
        .iter()
        .map(|(r, cells)| (u64::from(*r), crate::sheet::Worksheet::dense(cells, width)))
        .collect())
}

/// The records of a CSV or TSV sheet (delimiter sniffed, `ext` choosing
/// the default), each with its line; an old .xls or a zip is refused.
fn csv_grid(path: &Path, bytes: &[u8], ext: &str) -> Result<Rows, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(err(
            path,
            "this is an old Excel .xls workbook; save it as .xlsx or .csv",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(err(
            path,
            "this is a zip archive (a workbook?), not a CSV; name it .xlsx if it is one",
        ));
    }
    let default = if ext == "tsv" { b'\t' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(crate::sheet::sniff_delimiter(bytes, default))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut grid = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(path, e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        grid.push((line, rec.iter().map(str::to_string).collect()));
    }
    Ok(grid)
}

/// A coder's values: passage id → category → value (None = left blank).
type Values = BTreeMap<String, BTreeMap<String, Option<f64>>>;

/// A coder sheet read into rows, its header known.
struct Grid<'a> {
    /// The sheet, for messages.
    path: &'a Path,
    /// What a row's number is called in messages: `row` (workbook) or
    /// `line` (CSV).
    row_word: &'static str,
    header: Vec<String>,
    /// The column of the passage ids.
    key: usize,
    /// The data rows (header left out).
    rows: Rows,
}

/// Cell `i` of a row, empty when the row is shorter.
fn cell(r: &[String], i: usize) -> String {
    r.get(i).map_or("", String::as_str).to_string()
}

impl Grid<'_> {
    /// The category columns (index, name), in sheet order; warnings for
    /// cells read as missing and for columns left out as context.
    fn category_columns(&self, warnings: &mut Vec<String>) -> Vec<(usize, String)> {
        let (path, row_word, header, key, rows) =
            (self.path, self.row_word, &self.header, self.key, &self.rows);
        // Columns that could be categories: not reserved, not automatic codes,
        // and, when the sheet has a `text` column with columns after it, only
        // those after it (the passage's context, e.g. metadata, comes before).
        let text_at = header.iter().position(|h| h == "text");
        let candidate = |i: usize, h: &str| {
            i != key && !RESERVED.contains(&h) && !h.starts_with("auto:") && !h.is_empty()
        };
        let after_text = text_at.filter(|&t| {
            header
                .iter()
                .enumerate()
                .any(|(i, h)| i > t && candidate(i, h))
        });
        let mut categories: Vec<(usize, String)> = Vec::new();
        for (i, h) in header.iter().enumerate() {
            if !candidate(i, h) || after_text.is_some_and(|t| i < t) {
                continue;
            }
            // A category column holds values a coder types (numbers, yes/no).
            // Cells that are not (`?`, `NaN`, `inf`, a typo), as long as they
            // are no more than the typed values, are missing for that coder,
            // each named; a column mostly of other things (a title, a comment)
            // is context, not a category. A column still blank is a category.
            let bad: Vec<(usize, &(u64, Vec<String>))> = rows
                .iter()
                .enumerate()
                .filter(|(_, (_, r))| value(&cell(r, i)).is_err())
                .collect();
            let typed = rows
                .iter()
                .filter(|(_, r)| matches!(value(&cell(r, i)), Ok(Some(_))))
                .count();
            if typed >= bad.len() {
                for (k, (line, r)) in &bad {
                    warnings.push(format!(
                        "{}: {}, column `{h}`: `{}` is not a code (1/0, yes/no or a number); read as missing for this coder",
                        path.display(),
                        sheet_row(row_word, *k, *line),
                        cell(r, i).trim()
                    ));
                }
                categories.push((i, h.clone()));
            } else if let Some((_, (line, r))) = bad.first()
                && typed > 0
            {
                warnings.push(format!(
                    "{}: column `{h}` is not read as a category: {row_word} {line} holds `{}` and {} of its cells are not 1/0, yes/no or a number (only {typed} are)",
                    path.display(),
                    cell(r, i).trim(),
                    bad.len()
                ));
            }
        }
        categories
    }

    /// Each passage's values in the `categories` columns, and the passage
    /// ids in sheet order (rows without an id skipped); an error when a
    /// passage appears twice.
    fn values(&self, categories: &[(usize, String)]) -> Result<(Values, Vec<String>), Error> {
        let mut values = BTreeMap::new();
        let mut order = Vec::new();
        for (line, r) in &self.rows {
            let id = unguard(&cell(r, self.key)).trim().to_string();
            if id.is_empty() {
                continue;
            }
            let mut m = BTreeMap::new();
            for (c, cat) in categories {
                m.insert(cat.clone(), value(&cell(r, *c)).unwrap_or(None));
            }
            if values.insert(id.clone(), m).is_some() {
                return Err(err(
                    self.path,
                    format!("{} {line}: passage `{id}` appears twice", self.row_word),
                ));
            }
            order.push(id);
        }
        Ok((values, order))
    }
}

fn from_results(dir: &Path, name: String) -> Result<Coder, Error> {
    let r = read_results(dir)?;
    let mut values = BTreeMap::new();
    let mut order = Vec::new();
    for p in &r.passages {
        let m = (0..r.categories.len())
            .map(|c| {
                (
                    r.categories[c].id.clone(),
                    Some(f64::from(u8::from(r.is_coded(p, c)))),
                )
            })
            .collect();
        values.insert(p.passage_id.clone(), m);
        order.push(p.passage_id.clone());
    }
    Ok(Coder {
        name,
        source: dir.display().to_string(),
        categories: r.categories.iter().map(|c| c.id.clone()).collect(),
        values,
        order,
        warnings: Vec::new(),
    })
}

/// The units × coders matrix of one category, over the union of passage ids
/// (sorted), with blank cells read as `blank` says. A passage missing from a
/// coder's sheet is missing for that coder. Units no coder coded are left out.
pub fn matrix(coders: &[Coder], category: &str, blank: Blank) -> (Vec<String>, Vec<super::Unit>) {
    let mut ids: Vec<&String> = coders.iter().flat_map(|c| c.values.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut keys = Vec::new();
    let mut data = Vec::new();
    for id in ids {
        let unit: super::Unit = coders
            .iter()
            .map(|c| match c.values.get(id).and_then(|m| m.get(category)) {
                Some(Some(v)) => Some(*v),
                Some(None) if blank == Blank::NotCoded => Some(0.0),
                _ => None,
            })
            .collect();
        if unit.iter().any(Option::is_some) {
            keys.push(id.clone());
            data.push(unit);
        }
    }
    (keys, data)
}

/// Filled and blank cells of one category column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnFill {
    /// Cells holding a value.
    pub filled: usize,
    /// Cells left blank.
    pub blank: usize,
    /// Every filled cell is 1 (typed as 1, x, yes, true…).
    pub only_ones: bool,
}

/// How the column `category` of `coder` is filled (passages in the sheet).
pub fn column_fill(coder: &Coder, category: &str) -> ColumnFill {
    let mut f = ColumnFill {
        only_ones: true,
        ..ColumnFill::default()
    };
    for m in coder.values.values() {
        match m.get(category) {
            Some(Some(v)) => {
                f.filled += 1;
                f.only_ones &= *v == 1.0;
            }
            Some(None) => f.blank += 1,
            None => {}
        }
    }
    f.only_ones &= f.filled > 0;
    f
}

/// "column `a` is" / "columns `a`, `b` are", for `cols` already quoted.
fn columns(cols: &[String], one: &str, many: &str) -> String {
    if cols.len() == 1 {
        format!("column {} {one}", cols[0])
    } else {
        format!("columns {} {many}", cols.join(", "))
    }
}

/// Warnings about how a coder filled the compared `categories`, given how
/// blanks are read: the "only 1s typed" habit under `missing`, columns left
/// entirely blank, and sheets mostly blank or unfinished. Each names the
/// sheet and the columns. Results folders have no blanks and get none.
pub fn blank_warnings(coder: &Coder, categories: &[String], blank: Blank) -> Vec<String> {
    let mut out = Vec::new();
    let fills: Vec<(&String, ColumnFill)> = categories
        .iter()
        .filter(|c| coder.categories.contains(c))
        .map(|c| (c, column_fill(coder, c)))
        .collect();
    let src = &coder.source;
    let is_empty = |f: &ColumnFill| f.filled == 0 && f.blank > 0;
    let empty: Vec<String> = fills
        .iter()
        .filter(|(_, f)| is_empty(f))
        .map(|(c, _)| format!("`{c}`"))
        .collect();
    match blank {
        Blank::Missing => {
            let ones: Vec<String> = fills
                .iter()
                .filter(|(_, f)| f.only_ones && f.blank > 0)
                .map(|(c, f)| format!("`{c}` ({} of {} filled)", f.filled, f.filled + f.blank))
                .collect();
            if !ones.is_empty() {
                out.push(format!(
                    "{src}: {} only 1s and blanks. Blank cells are read as missing (--blank missing, the default), so only the 1s are compared: kappa and alpha are n/a or near 0 and precision is inflated. If a blank means the category does not apply, run again with --blank not-coded",
                    columns(&ones, "holds", "hold")
                ));
            }
            if !empty.is_empty() {
                out.push(format!(
                    "{src}: {} entirely blank; this coder is left out of the comparison there (was it skipped?)",
                    columns(&empty, "is", "are")
                ));
            }
            // Over the columns not already reported as entirely blank.
            let (b, t) = fills
                .iter()
                .filter(|(_, f)| !is_empty(f))
                .fold((0, 0), |(b, t), (_, f)| {
                    (b + f.blank, t + f.blank + f.filled)
                });
            if ones.is_empty() && t > 0 && b * 2 > t {
                out.push(format!(
                    "{src}: {b} of {t} category cells ({:.0}%) are blank and read as missing, so those passages are not compared. Is the sheet finished? If a blank means the category does not apply, use --blank not-coded",
                    100.0 * b as f64 / t as f64
                ));
            }
        }
        Blank::NotCoded => {
            if !empty.is_empty() {
                out.push(format!(
                    "{src}: {} entirely blank; with --blank not-coded every passage counts as 0 (does not apply) there. If the coder skipped it, leave it out with --categories",
                    columns(&empty, "is", "are")
                ));
            }
            // An unfinished sheet: after the last row with anything filled,
            // more than half of the sheet is blank.
            let filled_row = |id: &String| {
                coder.values.get(id).is_some_and(|m| {
                    fills
                        .iter()
                        .any(|(c, _)| matches!(m.get(*c), Some(Some(_))))
                })
            };
            let n = coder.order.len();
            let last = coder.order.iter().rposition(filled_row);
            let trailing = n - last.map_or(0, |l| l + 1);
            if !fills.is_empty() && empty.len() < fills.len() && trailing * 2 > n {
                out.push(format!(
                    "{src}: the last {trailing} of {n} passages have no category cell filled; with --blank not-coded they count as 0 (no category applies). If the coder did not get to them, delete those rows or use --blank missing"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_key_by_passage_and_find_category_columns() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("alice.csv");
        std::fs::write(
            &a,
            "passage_id,text,info,lev,note\np1,some text,1,0,\np2,more,yes,,unsure\np3,x,0,1,\n",
        )
        .unwrap();
        let c = load(&a).unwrap();
        assert_eq!(c.name, "alice");
        assert_eq!(c.categories, vec!["info", "lev"]);
        assert_eq!(c.values["p2"]["info"], Some(1.0));
        assert_eq!(c.values["p2"]["lev"], None);
        let b = dir.path().join("bob.csv");
        std::fs::write(&b, "passage_id,info\np1,1\np4,0\n").unwrap();
        let cb = load(&b).unwrap();
        let (keys, m) = matrix(&[c, cb], "info", Blank::Missing);
        assert_eq!(keys, vec!["p1", "p2", "p3", "p4"]);
        assert_eq!(m[0], vec![Some(1.0), Some(1.0)]);
        assert_eq!(m[3], vec![None, Some(0.0)]);
    }

    #[test]
    fn duplicate_passages_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "passage_id,info\np1,1\np1,0\n").unwrap();
        assert!(load(&a).unwrap_err().to_string().contains("line 3"));
    }

    #[test]
    fn excel_semicolon_sheets_and_context_columns_before_text() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("excel.csv");
        // Excel in a `;` locale: BOM, CRLF, a quoted cell with `;` inside;
        // `year` (numbers) stands before `text`, so it is context.
        std::fs::write(
            &a,
            "\u{feff}passage_id;year;text;info;lev;note\r\np1;2011;\"a; b\";1;0;\r\np2;2012;c;0;;\"x; y\"\r\n",
        )
        .unwrap();
        let c = load(&a).unwrap();
        assert_eq!(c.categories, vec!["info", "lev"]);
        assert_eq!(c.values["p1"]["info"], Some(1.0));
        assert_eq!(c.values["p2"]["lev"], None);
        assert_eq!(c.order, vec!["p1", "p2"]);
        // Without a text column every value column is a category.
        let b = dir.path().join("plain.csv");
        std::fs::write(&b, "passage_id,year,info\np1,2011,1\n").unwrap();
        assert_eq!(load(&b).unwrap().categories, vec!["year", "info"]);
    }

    #[test]
    fn a_typed_word_in_a_category_column_is_missing_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(
            &a,
            "passage_id,info,lev\np1,1,0\np2,?,1\np3,NaN,inf\np4,0,1\n",
        )
        .unwrap();
        let c = load(&a).unwrap();
        // The columns stay categories; the cells are missing, each named.
        assert_eq!(c.categories, vec!["info", "lev"]);
        assert_eq!(c.values["p2"]["info"], None);
        assert_eq!(c.values["p3"]["info"], None);
        assert_eq!(c.values["p3"]["lev"], None);
        assert_eq!(c.values["p4"]["info"], Some(0.0));
        assert_eq!(c.warnings.len(), 3, "{:?}", c.warnings);
        assert!(
            c.warnings[0].contains("row 3, column `info`: `?` is not a code"),
            "{}",
            c.warnings[0]
        );
        assert!(c.warnings[1].contains("row 4, column `info`: `NaN`"));
        assert!(c.warnings[2].contains("row 4, column `lev`: `inf`"));
        // A column mostly of words is context, not a category.
        let b = dir.path().join("b.csv");
        std::fs::write(
            &b,
            "passage_id,title,info\np1,Budget,1\np2,1984,0\np3,Roads,1\n",
        )
        .unwrap();
        let c = load(&b).unwrap();
        assert_eq!(c.categories, vec!["info"]);
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert!(c.warnings[0].contains("column `title` is not read as a category"));
    }

    #[test]
    fn blank_warnings_follow_the_blank_rule() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("ones.csv");
        std::fs::write(&a, "passage_id,info,lev\np1,1,0\np2,,1\np3,x,0\np4,,1\n").unwrap();
        let c = load(&a).unwrap();
        assert_eq!(
            column_fill(&c, "info"),
            ColumnFill {
                filled: 2,
                blank: 2,
                only_ones: true
            }
        );
        assert!(!column_fill(&c, "lev").only_ones);
        let cats = vec!["info".to_string(), "lev".to_string()];
        let w = blank_warnings(&c, &cats, Blank::Missing);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("column `info` (2 of 4 filled) holds only 1s"),
            "{}",
            w[0]
        );
        // Blanks read as 0: nothing to say about this sheet.
        assert!(blank_warnings(&c, &cats, Blank::NotCoded).is_empty());
        // Only the compared categories are looked at.
        assert!(blank_warnings(&c, &cats[1..], Blank::Missing).is_empty());
        // Not coded turns the blanks into 0 in the matrix; missing leaves them out.
        let (_, m) = matrix(std::slice::from_ref(&c), "info", Blank::NotCoded);
        assert_eq!(
            m.iter().map(|u| u[0]).collect::<Vec<_>>(),
            vec![Some(1.0), Some(0.0), Some(1.0), Some(0.0)]
        );
        let (keys, _) = matrix(&[c], "info", Blank::Missing);
        assert_eq!(keys, vec!["p1", "p3"]);
    }
}

/// One passage and category on which the coders gave different values.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// The passage id.
    pub passage_id: String,
    /// The category id.
    pub category: String,
    /// Per coder, in the order given (None: missing for that coder).
    pub values: Vec<Option<f64>>,
}

/// Every passage × category where two coders' values differ (missing values
/// are read as `blank` says and otherwise left out of the comparison), by
/// category, then passage id.
pub fn disagreements(coders: &[Coder], categories: &[String], blank: Blank) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for cat in categories {
        let (ids, data) = matrix(coders, cat, blank);
        for (id, unit) in ids.into_iter().zip(data) {
            let mut given = unit.iter().flatten();
            let first = given.next();
            if first.is_some_and(|f| given.any(|v| v != f)) {
                out.push(Disagreement {
                    passage_id: id,
                    category: cat.clone(),
                    values: unit,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod disagreement_tests {
    use super::*;

    fn coder(name: &str, rows: &[(&str, Option<f64>)]) -> Coder {
        Coder {
            name: name.into(),
            source: name.into(),
            categories: vec!["info".into()],
            values: rows
                .iter()
                .map(|(id, v)| (id.to_string(), BTreeMap::from([("info".to_string(), *v)])))
                .collect(),
            order: rows.iter().map(|(id, _)| id.to_string()).collect(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn only_differing_given_values_are_disagreements() {
        let a = coder("a", &[("p1", Some(1.0)), ("p2", Some(0.0)), ("p3", None)]);
        let b = coder(
            "b",
            &[("p1", Some(1.0)), ("p2", Some(1.0)), ("p3", Some(1.0))],
        );
        let cats = vec!["info".to_string()];
        // p1 agrees; p2 differs; p3 is missing for a: no disagreement under
        // `missing`, a disagreement (0 vs 1) under `not-coded`.
        let d = disagreements(&[a.clone(), b.clone()], &cats, Blank::Missing);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].passage_id, "p2");
        let d = disagreements(&[a, b], &cats, Blank::NotCoded);
        let ids: Vec<&str> = d.iter().map(|x| x.passage_id.as_str()).collect();
        assert_eq!(ids, ["p2", "p3"]);
    }
}
