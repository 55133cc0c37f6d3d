//! Sheets as people fill them: coder sheets for `tanda agree` (blank cells,
//! the "only 1s typed" habit, .xlsx from tanda sample, LibreOffice and
//! openpyxl, broken workbooks) and the corpus metadata sheet as Excel and
//! LibreOffice save it. Expected figures are worked out by hand in the
//! comments or computed from the textbook formulas below, not from tanda.

use std::io::Write;
use std::path::{Path, PathBuf};

mod common;
use common::{fixture, tanda};

/// Cohen's kappa from the textbook formula: po = share of equal pairs,
/// pe = Σ_k p_a(k)·p_b(k) with p(k) = count/n.
fn cohen(a: &[u8], b: &[u8]) -> f64 {
    let n = a.len() as f64;
    let po = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / n;
    let share = |v: &[u8], k: u8| v.iter().filter(|&&x| x == k).count() as f64 / n;
    let pe = share(a, 0) * share(b, 0) + share(a, 1) * share(b, 1);
    (po - pe) / (1.0 - pe)
}

/// Krippendorff's alpha for two coders, binary values, nothing missing
/// (Krippendorff 2011, section A): alpha = 1 - (n - 1) · u / (n0 · n1), with
/// n = 2N pairable values, n0/n1 the values 0/1 and u the disagreeing units.
fn alpha_binary(a: &[u8], b: &[u8]) -> f64 {
    let n = 2.0 * a.len() as f64;
    let n1 = a.iter().chain(b).filter(|&&x| x == 1).count() as f64;
    let n0 = n - n1;
    let u = a.iter().zip(b).filter(|(x, y)| x != y).count() as f64;
    1.0 - (n - 1.0) * u / (n0 * n1)
}

/// Run `tanda agree` with JSON output; (stdout as JSON, stderr).
fn agree_json(args: &[&std::ffi::OsStr]) -> (serde_json::Value, String) {
    let out = tanda()
        .arg("agree")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn row<'a>(v: &'a serde_json::Value, list: &str, category: &str) -> &'a serde_json::Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["category"] == category)
        .unwrap_or_else(|| panic!("no {list} row for {category}: {v}"))
}

fn near(v: &serde_json::Value, want: f64) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("{v} is not a number (want {want})"));
    assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
}

/// A CSV coder sheet keyed by p1..pN with one category column `information`:
/// a 1 where `ones` says so, blank elsewhere (the 1s-only habit).
fn ones_only_sheet(path: &Path, n: usize, ones: &[usize]) {
    let mut s = String::from("passage_id,information\n");
    for i in 0..n {
        let v = if ones.contains(&i) { "1" } else { "" };
        s.push_str(&format!("p{i:02},{v}\n"));
    }
    std::fs::write(path, s).unwrap();
}

#[test]
fn ones_only_sheets_warn_by_default_and_not_coded_gives_the_hand_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("anna.csv");
    let b = tmp.path().join("budi.csv");
    ones_only_sheet(&a, 10, &[0, 2, 3, 5]);
    ones_only_sheet(&b, 10, &[0, 2, 4, 5, 7]);

    // Default (blank = missing): only passages both marked are compared
    // (p00, p02, p05), all 1-1: kappa undefined, precision 1, and a warning
    // naming each file and the column.
    let (v, err) = agree_json(&[
        a.as_os_str(),
        b.as_os_str(),
        "--reference".as_ref(),
        "anna".as_ref(),
    ]);
    let r = row(&v, "agreement", "information");
    assert_eq!(r["units"], 3);
    assert!(r["kappa"].is_null(), "{r}");
    assert!(v.get("blank").is_none(), "the default is not written: {v}");
    for name in ["anna.csv", "budi.csv"] {
        let line = err
            .lines()
            .find(|l| l.contains(name) && l.contains("only 1s and blanks"))
            .unwrap_or_else(|| panic!("no 1s-only warning for {name}: {err}"));
        assert!(line.starts_with("warning: "), "{line}");
        assert!(line.contains("`information`"), "{line}");
        assert!(line.contains("--blank not-coded"), "{line}");
    }

    // --blank not-coded: blanks are 0.
    let ra = [1, 0, 1, 1, 0, 1, 0, 0, 0, 0];
    let rb = [1, 0, 1, 0, 1, 1, 0, 1, 0, 0];
    let (v, err) = agree_json(&[
        a.as_os_str(),
        b.as_os_str(),
        "--reference".as_ref(),
        "anna".as_ref(),
        "--blank".as_ref(),
        "not-coded".as_ref(),
    ]);
    assert!(!err.contains("only 1s"), "{err}");
    assert_eq!(v["blank"], "not-coded");
    let r = row(&v, "agreement", "information");
    assert_eq!(r["units"], 10);
    // 7 of 10 agree; p_a(1) = .4, p_b(1) = .5 → pe = .5 → kappa = .4.
    near(&r["percent_agreement"], 70.0);
    near(&r["kappa"], 0.4);
    near(&r["kappa"], cohen(&ra, &rb));
    // n = 20, n1 = 9, n0 = 11, 3 disagreements → 1 - 19·3/99.
    near(&r["alpha"], 1.0 - 19.0 * 3.0 / 99.0);
    near(&r["alpha"], alpha_binary(&ra, &rb));
    // budi against anna: tp p00 p02 p05, fp p04 p07, fn p03.
    let p = row(&v, "against_reference", "information");
    assert_eq!(
        (&p["tp"], &p["fp"], &p["fn_"], &p["tn"]),
        (&3.into(), &2.into(), &1.into(), &4.into())
    );
    near(&p["precision"], 0.6);
    near(&p["recall"], 0.75);
    near(&p["f1"], 2.0 * 0.6 * 0.75 / 1.35);
}

#[test]
fn mostly_blank_and_entirely_blank_sheets_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("full.csv");
    let b = tmp.path().join("half.csv");
    std::fs::write(&a, "passage_id,info,lev\np1,1,0\np2,0,1\np3,0,0\np4,1,1\n").unwrap();
    // info: 1 of 4 filled (3 blank), lev: never filled.
    std::fs::write(&b, "passage_id,info,lev\np1,0,\np2,,\np3,,\np4,,\n").unwrap();
    let (_, err) = agree_json(&[a.as_os_str(), b.as_os_str()]);
    assert!(
        err.lines()
            .any(|l| l.contains("half.csv") && l.contains("column `lev` is entirely blank")),
        "{err}"
    );
    // Over the columns with any value (info): 3 of 4 cells blank.
    assert!(
        err.lines()
            .any(|l| l.contains("half.csv") && l.contains("3 of 4 category cells (75%) are blank")),
        "{err}"
    );
    assert!(!err.contains("full.csv"), "{err}");
    // Under not-coded the blank column is 0 everywhere: still named.
    let (_, err) = agree_json(&[
        a.as_os_str(),
        b.as_os_str(),
        "--blank".as_ref(),
        "not-coded".as_ref(),
    ]);
    assert!(
        err.lines().any(|l| l.contains("half.csv")
            && l.contains("column `lev` is entirely blank")
            && l.contains("counts as 0")),
        "{err}"
    );
    // Rows p2..p4 (3 of 4) have nothing filled after the last filled row.
    assert!(
        err.lines()
            .any(|l| l.contains("half.csv") && l.contains("the last 3 of 4 passages")),
        "{err}"
    );
}

#[test]
fn kappa_that_is_zero_by_its_formula_never_prints_as_negative_zero() {
    // Coder a says 0 everywhere, b says 1 on two of five: po = 3/5,
    // pe = 1·(3/5) + 0·(2/5) = 3/5, so kappa = 0 exactly; in floating point
    // the difference is about -2.8e-16, which used to print as -0.000.
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.csv");
    let b = tmp.path().join("b.csv");
    std::fs::write(&a, "passage_id,info\np1,0\np2,0\np3,0\np4,0\np5,0\n").unwrap();
    std::fs::write(&b, "passage_id,info\np1,0\np2,0\np3,0\np4,1\np5,1\n").unwrap();
    let out = tanda()
        .arg("agree")
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .get_output()
        .clone();
    let table = String::from_utf8(out.stdout).unwrap();
    let line = table.lines().find(|l| l.starts_with("info")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    // category, units, agree %, kappa, alpha
    assert_eq!(cells[3], "0.000", "{table}");
    assert!(!table.contains("-0.000"), "{table}");
    let (v, _) = agree_json(&[a.as_os_str(), b.as_os_str()]);
    let k = row(&v, "agreement", "info")["kappa"].as_f64().unwrap();
    assert!(k == 0.0 && k.is_sign_positive(), "{k}");
    let out = tanda()
        .arg("agree")
        .arg(&a)
        .arg(&b)
        .args(["--format", "csv"])
        .assert()
        .success()
        .get_output()
        .clone();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains(",cohen,0.000000,"), "{csv}");
}

/// The mini fixture coded by mini.toml, written to `dir`.
fn mini_results(dir: &Path) {
    tanda()
        .args(["analyze", "--quiet"])
        .arg(fixture("mini"))
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .arg("--out")
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn xlsx_written_by_libreoffice_and_openpyxl_give_the_hand_figures() {
    // Passages in sheet order: a#p1 a#p2 b#p1 b#p2 b#p3 c#p1.
    // libreoffice.xlsx (every cell typed): info 1 0 0 0 0 1, lev 0 1 0 1 1 0;
    // its `year` column stands before `text`, so it is context, not a category.
    // openpyxl.xlsx (only the 1s, typed as 1, x and TRUE; on sheet `sample`
    // after a README sheet): info 1 . . . x TRUE, lev . 1 1 1 . .
    let lo = fixture("sheets/libreoffice.xlsx");
    let py = fixture("sheets/openpyxl.xlsx");
    let lo_info = [1, 0, 0, 0, 0, 1];
    let lo_lev = [0, 1, 0, 1, 1, 0];
    let py_info = [1, 0, 0, 0, 1, 1];
    let py_lev = [0, 1, 1, 1, 0, 0];

    let (v, err) = agree_json(&[
        lo.as_os_str(),
        py.as_os_str(),
        "--reference".as_ref(),
        "libreoffice".as_ref(),
        "--blank".as_ref(),
        "not-coded".as_ref(),
    ]);
    assert!(!err.contains("warning"), "{err}");
    let cats: Vec<&str> = v["agreement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["category"].as_str().unwrap())
        .collect();
    assert_eq!(cats, ["info", "lev"]);
    // info: 5 of 6 agree; p_lo(1) = 2/6, p_py(1) = 3/6 → pe = .5 → kappa = 2/3.
    let info = row(&v, "agreement", "info");
    near(&info["percent_agreement"], 500.0 / 6.0);
    near(&info["kappa"], 2.0 / 3.0);
    near(&info["kappa"], cohen(&lo_info, &py_info));
    // n = 12, n1 = 5, n0 = 7, one disagreement → 1 - 11/35.
    near(&info["alpha"], 1.0 - 11.0 / 35.0);
    near(&info["alpha"], alpha_binary(&lo_info, &py_info));
    // lev: 4 of 6 agree, pe = .5 → kappa = 1/3; n1 = n0 = 6, u = 2 → 1 - 22/36.
    let lev = row(&v, "agreement", "lev");
    near(&lev["kappa"], 1.0 / 3.0);
    near(&lev["kappa"], cohen(&lo_lev, &py_lev));
    near(&lev["alpha"], 1.0 - 22.0 / 36.0);
    // openpyxl against libreoffice: info tp 2 fp 1 (b#p3) fn 0 tn 3.
    let p = row(&v, "against_reference", "info");
    assert_eq!(
        (&p["tp"], &p["fp"], &p["fn_"], &p["tn"]),
        (&2.into(), &1.into(), &0.into(), &3.into())
    );

    // The default reads openpyxl's blanks as missing: info compares a#p1,
    // b#p3, c#p1 only (lo 1 0 1, py 1 1 1): po = pe = 2/3, kappa 0; and it
    // warns about the 1s-only columns of openpyxl.xlsx.
    let (v, err) = agree_json(&[lo.as_os_str(), py.as_os_str()]);
    let info = row(&v, "agreement", "info");
    assert_eq!(info["units"], 3);
    near(&info["percent_agreement"], 200.0 / 3.0);
    near(&info["kappa"], 0.0);
    let w = err
        .lines()
        .find(|l| l.contains("only 1s"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        w.contains("openpyxl.xlsx") && w.contains("`info`") && w.contains("`lev`"),
        "{w}"
    );
    assert!(!err.contains("libreoffice.xlsx"), "{err}");
}

#[test]
fn xlsx_sheet_is_matched_to_a_results_folder() {
    // tanda codes info on a#p1 and c#p1, lev on a#p2 and b#p2 (tests/compare.rs).
    // Against libreoffice.xlsx: info tp 2, tn 4; lev tp 2 (a#p2, b#p2),
    // fn 1 (b#p3), tn 3.
    let tmp = tempfile::tempdir().unwrap();
    let res = tmp.path().join("res");
    mini_results(&res);
    let lo = fixture("sheets/libreoffice.xlsx");
    let (v, _) = agree_json(&[
        lo.as_os_str(),
        res.as_os_str(),
        "--reference".as_ref(),
        "libreoffice".as_ref(),
    ]);
    let p = row(&v, "against_reference", "info");
    assert_eq!(
        (&p["tp"], &p["fp"], &p["fn_"], &p["tn"]),
        (&2.into(), &0.into(), &0.into(), &4.into())
    );
    let p = row(&v, "against_reference", "lev");
    assert_eq!(
        (&p["tp"], &p["fp"], &p["fn_"], &p["tn"]),
        (&2.into(), &0.into(), &1.into(), &3.into())
    );
    near(&p["recall"], 2.0 / 3.0);
}

#[test]
fn the_xlsx_that_tanda_sample_writes_is_read_back_and_says_how_to_fill_it() {
    let tmp = tempfile::tempdir().unwrap();
    let res = tmp.path().join("res");
    mini_results(&res);
    let draw = |name: &str| -> (PathBuf, String) {
        let out = tmp.path().join(name);
        let o = tanda()
            .arg("sample")
            .arg(&res)
            .args(["-n", "6", "--seed", "3", "-o"])
            .arg(&out)
            .assert()
            .success()
            .get_output()
            .clone();
        (out, String::from_utf8(o.stderr).unwrap())
    };
    let (xlsx, xerr) = draw("s.xlsx");
    let (csv_path, cerr) = draw("s.csv");
    // The CSV's instructions are on stderr; the workbook has its own sheet.
    for e in [&xerr, &cerr] {
        assert!(e.contains("read by `tanda agree` as missing"), "{e}");
        assert!(e.contains("--blank not-coded"), "{e}");
    }
    assert!(xerr.contains("`instructions` sheet"), "{xerr}");
    let how = tanda::sheet::read_xlsx(&xlsx, &["instructions"]).unwrap();
    assert_eq!(how.name, "instructions");
    let text: Vec<&str> = how
        .rows
        .iter()
        .flat_map(|(_, c)| c.iter().map(|(_, t)| t.as_str()))
        .collect();
    let text = text.join("\n");
    assert!(text.contains("reads a blank cell as missing"), "{text}");
    assert!(text.contains("--blank not-coded"), "{text}");
    // agree reads the `sample` sheet (first), not the instructions.
    assert_eq!(
        tanda::sheet::read_xlsx(&xlsx, &["sample"]).unwrap().name,
        "sample"
    );

    // The unfilled workbook read as not-coded against the results: every
    // passage tanda coded is a false positive, the others true negatives,
    // counted here from the CSV drawn with the same seed.
    let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
    let head = rdr.headers().unwrap().clone();
    let auto = head.iter().position(|h| h == "auto:info").unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let coded = rows.iter().filter(|r| &r[auto] == "1").count();
    assert_eq!(rows.len(), 6);
    assert_eq!(coded, 2, "a#p1 and c#p1");
    let (v, err) = agree_json(&[
        xlsx.as_os_str(),
        res.as_os_str(),
        "--reference".as_ref(),
        "s".as_ref(),
        "--blank".as_ref(),
        "not-coded".as_ref(),
    ]);
    let p = row(&v, "against_reference", "info");
    assert_eq!(p["tp"], 0);
    assert_eq!(p["fp"], coded);
    assert_eq!(p["tn"], rows.len() - coded);
    assert!(
        err.contains("s.xlsx") && err.contains("entirely blank"),
        "{err}"
    );
    // The same sheet as CSV and as .xlsx: the same passages and columns.
    let a = tanda::agree::coders::load(&xlsx).unwrap();
    let b = tanda::agree::coders::load(&csv_path).unwrap();
    assert_eq!(a.categories, b.categories);
    assert_eq!(a.categories, ["info", "lev", "lev.moral", "lev.material"]);
    assert_eq!(a.order, b.order);
}

/// A zip archive holding `parts` (name, content).
fn zip_of(path: &Path, parts: &[(&str, &str)]) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(content.as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

const WORKBOOK: &str = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="coding" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

#[test]
fn broken_workbooks_get_a_clear_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let good = fixture("sheets/libreoffice.xlsx");
    let check = |name: &str, want: &str| {
        let p = tmp.path().join(name);
        let out = tanda()
            .arg("agree")
            .arg(&good)
            .arg(&p)
            .assert()
            .code(4)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(&p.display().to_string()), "{err}");
        assert!(err.contains(want), "{name}: {err}");
    };
    std::fs::write(tmp.path().join("renamed.xlsx"), "passage_id,info\np1,1\n").unwrap();
    check("renamed.xlsx", "not a zip archive");
    zip_of(&tmp.path().join("nobook.xlsx"), &[("hello.txt", "hi")]);
    check("nobook.xlsx", "no xl/workbook.xml");
    zip_of(
        &tmp.path().join("nosheet.xlsx"),
        &[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", RELS),
        ],
    );
    check("nosheet.xlsx", "worksheet `coding` is missing");
    zip_of(
        &tmp.path().join("badxml.xlsx"),
        &[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", RELS),
            (
                "xl/worksheets/sheet1.xml",
                "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>passage_id</t></is></c></row><row></c></sheetData></worksheet>",
            ),
        ],
    );
    check("badxml.xlsx", "malformed XML");
    // A workbook whose sheet lacks passage_id says which columns it found.
    zip_of(
        &tmp.path().join("noid.xlsx"),
        &[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", RELS),
            (
                "xl/worksheets/sheet1.xml",
                "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id_passage</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>info</t></is></c></row></sheetData></worksheet>",
            ),
        ],
    );
    check(
        "noid.xlsx",
        "no `passage_id` column to key the passages by (columns found: id_passage, info)",
    );
}

#[test]
fn agree_help_says_how_blanks_are_read() {
    let out = tanda()
        .args(["agree", "--help"])
        .assert()
        .success()
        .get_output()
        .clone();
    // Wrapped to the terminal: compare with single spaces.
    let help = String::from_utf8(out.stdout).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("--blank <missing|not-coded>"), "{help}");
    assert!(
        help.contains("`missing` (the default): the coder gave no value"),
        "{help}"
    );
    assert!(help.contains("[default: missing]"), "{help}");
    assert!(help.contains("does not apply (0)"), "{help}");
    assert!(!help.contains("blank = not coded"), "{help}");
}

/// A copy of the mini corpus without its metadata sheet.
fn mini_corpus(dir: &Path) {
    for f in ["reports/a.txt", "news/b.md", "statutes/c.txt"] {
        let to = dir.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture("mini").join(f), to).unwrap();
    }
}

/// Analyze `corpus` into `out`; (stderr, passages.csv rows by doc_id as
/// header → value maps).
fn analyze(corpus: &Path, out: &Path) -> (String, Vec<std::collections::BTreeMap<String, String>>) {
    let o = tanda()
        .arg("analyze")
        .arg(corpus)
        .arg("--codebook")
        .arg(fixture("mini.toml"))
        .arg("--out")
        .arg(out)
        .assert()
        .success()
        .get_output()
        .clone();
    let mut rdr = csv::Reader::from_path(out.join("passages.csv")).unwrap();
    let head = rdr.headers().unwrap().clone();
    let rows = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            head.iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (String::from_utf8(o.stderr).unwrap(), rows)
}

fn value_of(
    rows: &[std::collections::BTreeMap<String, String>],
    passage: &str,
    field: &str,
) -> String {
    rows.iter().find(|r| r["passage_id"] == passage).unwrap()[field].clone()
}

#[test]
fn metadata_sheets_as_excel_and_libreoffice_save_them() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    mini_corpus(&corpus);
    // Excel "CSV UTF-8" in a locale with decimal commas: BOM, CRLF, `;`,
    // quotes only where needed (a `;` inside a cell).
    std::fs::write(
        corpus.join("metadata.csv"),
        b"\xEF\xBB\xBFpath;source_type;year;title\r\nreports/a.txt;report;2011;\"Annual report; second edition\"\r\nnews/b.md;news;2010;Pressure & lobbying\r\nstatutes/c.txt;statute;2003;Act No. 1\r\n",
    )
    .unwrap();
    let (err, rows) = analyze(&corpus, &tmp.path().join("r1"));
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(
        value_of(&rows, "reports/a.txt#p1", "title"),
        "Annual report; second edition"
    );
    assert_eq!(value_of(&rows, "reports/a.txt#p1", "year"), "2011");
    assert_eq!(value_of(&rows, "news/b.md#p2", "source_type"), "news");
    assert_eq!(value_of(&rows, "statutes/c.txt#p1", "title"), "Act No. 1");

    // LibreOffice's `;` CSV (every text cell quoted, LF line ends), named .tsv
    // by mistake: the header line decides.
    std::fs::remove_file(corpus.join("metadata.csv")).unwrap();
    std::fs::copy(
        fixture("sheets/metadata-semicolon.csv"),
        corpus.join("metadata.tsv"),
    )
    .unwrap();
    let (err, rows) = analyze(&corpus, &tmp.path().join("r2"));
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(
        value_of(&rows, "reports/a.txt#p1", "title"),
        "Annual report; second edition"
    );
    assert_eq!(
        value_of(&rows, "news/b.md#p1", "title"),
        "Pressure & lobbying"
    );
    assert_eq!(value_of(&rows, "statutes/c.txt#p1", "year"), "2003");
}

#[test]
fn a_metadata_sheet_without_path_says_what_it_found_and_what_is_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    mini_corpus(&corpus);
    std::fs::write(
        corpus.join("metadata.csv"),
        "\u{feff}file;year;\"title; short\"\r\nreports/a.txt;2011;A\r\n",
    )
    .unwrap();
    let out = tanda()
        .arg("analyze")
        .arg(&corpus)
        .assert()
        .code(4)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("metadata.csv: line 1: no `path` column"),
        "{err}"
    );
    assert!(
        err.contains("found 3 column(s) split at semicolons: `file`, `year`, `title; short`"),
        "{err}"
    );
    assert!(err.contains("rename `file` to `path`"), "{err}");
    assert!(err.contains("relative to the corpus root"), "{err}");
}

#[test]
fn a_corpus_without_metadata_sheet_warns_once() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    mini_corpus(&corpus);
    let (err, rows) = analyze(&corpus, &tmp.path().join("r"));
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("metadata")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("warning: "), "{err}");
    assert!(lines[0].contains("no metadata sheet"), "{err}");
    assert!(
        lines[0].contains("`source_type` falls back to each document's first folder"),
        "{err}"
    );
    // And it does: the first folder.
    assert_eq!(
        value_of(&rows, "statutes/c.txt#p1", "source_type"),
        "statutes"
    );
    // --quiet silences it.
    let o = tanda()
        .args(["analyze", "--quiet"])
        .arg(&corpus)
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
