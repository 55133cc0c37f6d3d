//! Sheets people fill by hand in a spreadsheet program: the delimiter of a
//! CSV sheet, guessed from its header line (Excel writes `;` in many
//! locales), and the cells of an .xlsx worksheet.
//!
//! The .xlsx reader covers what spreadsheet programs write for a table of
//! text and numbers: shared strings (Excel, LibreOffice, openpyxl), inline
//! strings (rust_xlsxwriter's constant-memory mode, some exporters), numbers,
//! booleans, formula results and error values; cells are placed by their
//! reference (`AB12`), and the empty cells Excel leaves out simply do not
//! appear. Styles, dates and merged cells are not interpreted.

use crate::xmlzip::attr;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

/// The delimiter of a delimited sheet: whichever of `,`, `;` and tab occurs
/// most often outside quotes in the header line (the first record, which
/// may span lines inside quotes). `default` when none occurs or on a tie
/// that includes it; otherwise ties go to `,`, then `;`, then tab.
pub fn sniff_delimiter(bytes: &[u8], default: u8) -> u8 {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (mut comma, mut semi, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semi += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    let best = comma.max(semi).max(tab);
    if best == 0 {
        return default;
    }
    let count = |d: u8| match d {
        b',' => comma,
        b';' => semi,
        b'\t' => tab,
        _ => 0,
    };
    if count(default) == best {
        return default;
    }
    [b',', b';', b'\t']
        .into_iter()
        .find(|&d| count(d) == best)
        .unwrap_or(default)
}

/// The printable name of a delimiter, for messages.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "other",
    }
}

/// Largest uncompressed XML part read from an .xlsx (a zip bomb is refused).
pub const MAX_XLSX_XML_MB: u64 = 64;

/// A non-empty row: its 1-based row number and its cells as (0-based
/// column, text), by column.
pub type Row = (u32, Vec<(u32, String)>);

/// One worksheet: its name and its non-empty rows in sheet order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Worksheet {
    /// The worksheet's name.
    pub name: String,
    /// Its non-empty rows, in sheet order.
    pub rows: Vec<Row>,
}

impl Worksheet {
    /// Row `cells` as a dense vector of `width` strings (missing cells empty,
    /// cells at or past `width` left out).
    pub fn dense(cells: &[(u32, String)], width: usize) -> Vec<String> {
        let mut out = vec![String::new(); width];
        for (c, v) in cells {
            if let Some(slot) = out.get_mut(*c as usize) {
                slot.clone_from(v);
            }
        }
        out
    }
}

/// Why an .xlsx could not be read (the caller names the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxError(pub String);

impl std::fmt::Display for XlsxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad(m: impl Into<String>) -> XlsxError {
    XlsxError(m.into())
}

/// Read an .xlsx file: the first worksheet whose name is one of `prefer`
/// (compared without case), else the workbook's first worksheet.
pub fn read_xlsx(path: &Path, prefer: &[&str]) -> Result<Worksheet, XlsxError> {
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    read_xlsx_bytes(&bytes, prefer)
}

/// [`read_xlsx`] on the bytes of the file.
pub fn read_xlsx_bytes(bytes: &[u8], prefer: &[&str]) -> Result<Worksheet, XlsxError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        bad("not an .xlsx workbook: the file is not a zip archive (an old .xls, or a CSV renamed? save it as .xlsx or .csv)")
    })?;
    let workbook = part(&mut zip, "xl/workbook.xml")?
        .ok_or_else(|| bad("not an .xlsx workbook: no xl/workbook.xml inside"))?;
    let sheets = workbook_sheets(&workbook)?;
    if sheets.is_empty() {
        return Err(bad("the workbook has no worksheet"));
    }
    let (name, rid) = prefer
        .iter()
        .find_map(|p| sheets.iter().find(|(n, _)| n.eq_ignore_ascii_case(p)))
        .unwrap_or(&sheets[0])
        .clone();
    let rels = part(&mut zip, "xl/_rels/workbook.xml.rels")?
        .map(|x| relationships(&x))
        .transpose()?
        .unwrap_or_default();
    let target = match rels.get(&rid) {
        Some(t) => match t.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{t}"),
        },
        // Without relationships, the usual place of the n-th sheet.
        None => {
            let n = sheets.iter().position(|(n, _)| *n == name).unwrap_or(0) + 1;
            format!("xl/worksheets/sheet{n}.xml")
        }
    };
    let xml = part(&mut zip, &target)?.ok_or_else(|| {
        bad(format!(
            "worksheet `{name}` is missing from the workbook (no {target} inside)"
        ))
    })?;
    let shared = match part(&mut zip, "xl/sharedStrings.xml")? {
        Some(x) => shared_strings(&x)?,
        None => Vec::new(),
    };
    let rows = cells(&xml, &shared).map_err(|e| bad(format!("worksheet `{name}`: {e}")))?;
    Ok(Worksheet { name, rows })
}

/// Read one XML part of the archive, refusing to inflate past the limit.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, XlsxError> {
    let Some(buf) =
        crate::xmlzip::read_part(zip, name, &mut crate::xmlzip::Budget::mb(MAX_XLSX_XML_MB))
            .map_err(|e| bad(e.message(".xlsx", name)))?
    else {
        return Ok(None);
    };
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| bad(format!("{name} is not UTF-8 XML; damaged .xlsx")))
}

fn xml_error(part: &str, reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> XlsxError {
    bad(format!(
        "malformed XML in {part} at byte {}: {e}",
        reader.buffer_position()
    ))
}

/// Excel's escape for characters XML cannot hold: `_x000D_` is a carriage
/// return, `_x005F_` an underscore.
fn unescape_ooxml(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Walk an XML part, calling `f` with each event and the text it carries
/// (text, CDATA, or a resolved reference).
fn walk(
    xml: &str,
    part: &str,
    mut f: impl FnMut(&Event<'_>, Option<&str>) -> Result<(), XlsxError>,
) -> Result<(), XlsxError> {
    let mut reader = Reader::from_str(xml);
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_error(part, &reader, e))?;
        match &ev {
            Event::Eof => return Ok(()),
            Event::Text(t) => {
                let s = t.xml10_content();
                f(&ev, Some(&s))?;
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                f(&ev, Some(&crate::xmlzip::resolve_ref(&name)))?;
            }
            Event::CData(c) => {
                let s: &str = c.as_ref();
                f(&ev, Some(s))?;
            }
            _ => f(&ev, None)?,
        }
    }
}

/// The worksheets of workbook.xml: (name, relationship id), in tab order.
fn workbook_sheets(xml: &str) -> Result<Vec<(String, String)>, XlsxError> {
    let mut out = Vec::new();
    walk(xml, "xl/workbook.xml", |ev, _| {
        if let Event::Start(e) | Event::Empty(e) = ev
            && e.local_name().as_ref() == "sheet"
        {
            out.push((
                attr(e, "name").unwrap_or_default(),
                attr(e, "id").unwrap_or_default(),
            ));
        }
        Ok(())
    })?;
    Ok(out)
}

/// Relationship id → target, from workbook.xml.rels.
fn relationships(xml: &str) -> Result<HashMap<String, String>, XlsxError> {
    let mut out = HashMap::new();
    walk(xml, "xl/_rels/workbook.xml.rels", |ev, _| {
        if let Event::Start(e) | Event::Empty(e) = ev
            && e.local_name().as_ref() == "Relationship"
            && let (Some(id), Some(t)) = (attr(e, "Id"), attr(e, "Target"))
        {
            out.insert(id, t);
        }
        Ok(())
    })?;
    Ok(out)
}

/// The shared string table: the text of each `<si>`, its runs joined,
/// phonetic hints (`<rPh>`) left out.
fn shared_strings(xml: &str) -> Result<Vec<String>, XlsxError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut in_si, mut in_t, mut in_ph) = (false, false, false);
    walk(xml, "xl/sharedStrings.xml", |ev, text| {
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => {
                    in_si = true;
                    cur.clear();
                }
                "t" => in_t = true,
                "rPh" => in_ph = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
            Event::End(e) => match e.local_name().as_ref() {
                "si" => {
                    in_si = false;
                    out.push(unescape_ooxml(&cur));
                }
                "t" => in_t = false,
                "rPh" => in_ph = false,
                _ => {}
            },
            _ => {
                if in_si
                    && in_t
                    && !in_ph
                    && let Some(t) = text
                {
                    cur.push_str(t);
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// A cell reference such as `AB12` → (0-based column, 1-based row).
pub fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col = 0u32;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let row: u32 = digits.parse().ok()?;
    (row > 0 && col <= 16_384).then(|| (col - 1, row))
}

/// A worksheet cell being read.
struct Cell {
    col: u32,
    /// The `t` attribute: `s` (shared string), `inlineStr`, `b`, `str`, or
    /// a number.
    kind: String,
    /// The text of `<v>`.
    v: String,
    /// The text of `<is><t>`, phonetic runs left out.
    inline: String,
}

impl Cell {
    /// The cell's value as text (`shared`: the workbook's shared strings);
    /// empty for an empty cell.
    fn value(self, shared: &[String]) -> Result<String, String> {
        let c = self;
        if c.kind != "inlineStr" && c.v.is_empty() {
            return Ok(String::new());
        }
        Ok(match c.kind.as_str() {
            "s" => {
                let i: usize =
                    c.v.trim()
                        .parse()
                        .map_err(|_| format!("shared string index `{}` is not a number", c.v))?;
                shared
                    .get(i)
                    .cloned()
                    .ok_or_else(|| format!("shared string {i} does not exist"))?
            }
            "inlineStr" => unescape_ooxml(&c.inline),
            "b" => match c.v.trim() {
                "1" => "TRUE".to_string(),
                "0" => "FALSE".to_string(),
                other => other.to_string(),
            },
            "str" => unescape_ooxml(&c.v),
            _ => c.v.trim().to_string(),
        })
    }
}

/// The cells of a worksheet part, as [`Worksheet::rows`].
fn cells(xml: &str, shared: &[String]) -> Result<Vec<Row>, XlsxError> {
    let mut rows: Vec<Row> = Vec::new();
    let mut row_no = 0u32;
    let mut next_col = 0u32;
    let mut cell: Option<Cell> = None;
    // Which element's text is being read: <v>, or <t> inside <is>.
    let (mut in_v, mut in_is, mut in_t, mut in_ph) = (false, false, false, false);
    let mut problem: Option<String> = None;
    walk(xml, "the worksheet", |ev, text| {
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    "row" => {
                        row_no = match attr(e, "r") {
                            Some(r) => r
                                .trim()
                                .parse()
                                .map_err(|_| bad(format!("row number `{r}` is not a number")))?,
                            None => row_no + 1,
                        };
                        next_col = 0;
                        if !empty {
                            rows.push((row_no, Vec::new()));
                        }
                    }
                    "c" => {
                        let (col, r) = match attr(e, "r") {
                            Some(r) => {
                                let (c, rr) = cell_ref(&r).ok_or_else(|| {
                                    bad(format!("cell reference `{r}` is not valid"))
                                })?;
                                (c, Some(rr))
                            }
                            None => (next_col, None),
                        };
                        if let Some(rr) = r
                            && rr != row_no
                        {
                            // A cell outside its row element (or no rows): place it by its reference.
                            row_no = rr;
                            rows.push((rr, Vec::new()));
                        }
                        next_col = col + 1;
                        let c = Cell {
                            col,
                            kind: attr(e, "t").unwrap_or_default(),
                            v: String::new(),
                            inline: String::new(),
                        };
                        if empty {
                            // A styled empty cell: nothing to keep.
                        } else {
                            cell = Some(c);
                        }
                    }
                    "v" if !empty => in_v = true,
                    "is" if !empty => in_is = true,
                    "t" if !empty => in_t = true,
                    "rPh" if !empty => in_ph = true,
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "c" => {
                    if let Some(c) = cell.take() {
                        let col = c.col;
                        let v = c.value(shared).map_err(bad)?;
                        if !v.is_empty() {
                            match rows.last_mut() {
                                Some((_, cells)) => cells.push((col, v)),
                                None => problem = Some("a cell outside any row".into()),
                            }
                        }
                    }
                }
                "v" => in_v = false,
                "is" => in_is = false,
                "t" => in_t = false,
                "rPh" => in_ph = false,
                _ => {}
            },
            _ => {
                if let (Some(c), Some(t)) = (cell.as_mut(), text) {
                    if in_v {
                        c.v.push_str(t);
                    } else if in_is && in_t && !in_ph {
                        c.inline.push_str(t);
                    }
                }
            }
        }
        Ok(())
    })?;
    if let Some(p) = problem {
        return Err(bad(p));
    }
    Ok(merge_rows(rows))
}

/// Rows in sheet order, each row's cells in column order; a row given
/// twice (rare) is merged, and rows without a cell are dropped.
fn merge_rows(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by_key(|(r, _)| *r);
    let mut merged: Vec<Row> = Vec::with_capacity(rows.len());
    for (r, cells) in rows {
        match merged.last_mut() {
            Some((last, mine)) if *last == r => mine.extend(cells),
            _ => merged.push((r, cells)),
        }
    }
    for (_, cells) in &mut merged {
        cells.sort_by_key(|(c, _)| *c);
    }
    merged.retain(|(_, cells)| !cells.is_empty());
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_from_the_header_line_respecting_quotes() {
        assert_eq!(sniff_delimiter(b"path;year;title\r\na;1;b\r\n", b','), b';');
        assert_eq!(sniff_delimiter(b"path,year\n", b'\t'), b',');
        assert_eq!(sniff_delimiter(b"path\tyear\n", b','), b'\t');
        // `;` inside a quoted header cell does not count.
        assert_eq!(sniff_delimiter(b"path,\"a;b;c\"\nx;y;z;w\n", b','), b',');
        // Only the header line counts, and a BOM is skipped.
        assert_eq!(sniff_delimiter(b"\xEF\xBB\xBFpath\na,b,c\n", b','), b',');
        assert_eq!(sniff_delimiter(b"path\na;b;c\n", b'\t'), b'\t');
        // A tie keeps the default.
        assert_eq!(sniff_delimiter(b"path,a;b\n", b';'), b';');
        assert_eq!(sniff_delimiter(b"path,a;b\n", b'\t'), b',');
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((0, 1)));
        assert_eq!(cell_ref("Z9"), Some((25, 9)));
        assert_eq!(cell_ref("AA10"), Some((26, 10)));
        assert_eq!(cell_ref("AB12"), Some((27, 12)));
        // 26*26 + 26 = 702 → ZZ is column 702 (0-based 701).
        assert_eq!(cell_ref("ZZ1"), Some((701, 1)));
        assert_eq!(cell_ref("XFD1048576"), Some((16_383, 1_048_576)));
        assert_eq!(cell_ref("XFE1"), None);
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("12"), None);
        assert_eq!(cell_ref("A"), None);
    }

    #[test]
    fn ooxml_escapes() {
        assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_ooxml("x_x005F_y"), "x_y");
        assert_eq!(unescape_ooxml("_x_ and _xZZZZ_"), "_x_ and _xZZZZ_");
    }

    #[test]
    fn worksheet_cells_of_every_kind_placed_by_reference() {
        let shared = vec!["passage_id".to_string(), "info".to_string()];
        let xml = r#"<?xml version="1.0"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>p&amp;1</t></is></c><c r="B3" s="1"/><c r="C3"><v>1</v></c><c r="D3" t="b"><v>0</v></c><c r="E3" t="str"><f>1+1</f><v>2</v></c><c r="F3" t="e"><v>#N/A</v></c></row>
<row r="4"><c t="inlineStr"><is><r><t>a</t></r><r><t xml:space="preserve"> b</t></r></is></c><c><v>0.5</v></c><c t="s"></c></row>
</sheetData></worksheet>"#;
        let rows = cells(xml, &shared).unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec![(0, "passage_id".into()), (2, "info".into())]),
                (
                    3,
                    vec![
                        (0, "p&1".into()),
                        (2, "1".into()),
                        (3, "FALSE".into()),
                        (4, "2".into()),
                        (5, "#N/A".into())
                    ]
                ),
                (4, vec![(0, "a b".into()), (1, "0.5".into())]),
            ]
        );
        assert_eq!(
            Worksheet::dense(&rows[0].1, 4),
            vec!["passage_id", "", "info", ""]
        );
    }

    #[test]
    fn bad_workbooks_say_what_is_wrong() {
        let e = read_xlsx_bytes(b"passage_id,info\n", &[]).unwrap_err();
        assert!(e.0.contains("not a zip archive"), "{e}");
        let e = cells(
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</c>",
            &[],
        )
        .unwrap_err();
        assert!(e.0.contains("malformed XML"), "{e}");
        let e = cells(
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>4</v></c></row></sheetData></worksheet>",
            &[],
        )
        .unwrap_err();
        assert!(e.0.contains("shared string 4"), "{e}");
    }
}
