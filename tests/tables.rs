//! Tables for publication: crosstab tests, co-occurrence, shards that merge
//! exactly, the XLSX and HTML outputs.

use std::path::Path;

mod common;

fn tanda() -> assert_cmd::Command {
    common::tanda_at_root()
}

fn copy_dir(from: &Path, to: &Path, keep: &dyn Fn(usize) -> bool, counter: &mut usize) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest, keep, counter);
        } else if p.file_name().unwrap() == "metadata.csv" {
            std::fs::copy(&p, &dest).unwrap();
        } else {
            if keep(*counter) {
                std::fs::copy(&p, &dest).unwrap();
            }
            *counter += 1;
        }
    }
}

#[test]
fn four_shards_merged_by_report_equal_the_whole_run() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut shards = Vec::new();
    for k in 0..4 {
        let dir = tmp.path().join(format!("shard{k}"));
        let mut n = 0;
        copy_dir(&corpus, &dir, &|i| i % 4 == k, &mut n);
        let out = tmp.path().join(format!("out{k}"));
        tanda()
            .args(["analyze", "--quiet", "--no-cache"])
            .arg(&dir)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        shards.push(out);
    }
    let whole = tanda()
        .args([
            "analyze",
            "--quiet",
            "corpus",
            "--by",
            "source_type",
            "--by",
            "year",
            "--bin",
            "5",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let merged = tanda()
        .arg("report")
        .args(&shards)
        .args([
            "--by",
            "source_type",
            "--by",
            "year",
            "--bin",
            "5",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!whole.is_empty());
    assert!(whole == merged, "shards merged differ from the whole run");
}

#[test]
fn crosstab_tests_are_in_json_and_csv() {
    let out = tanda()
        .args([
            "analyze",
            "--quiet",
            "corpus",
            "--by",
            "source_type",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let tests = v["tests"].as_array().unwrap();
    let info = tests
        .iter()
        .find(|t| t["category"] == "information")
        .unwrap();
    // Paragraphs nest in documents: by default the test that gives p is the
    // Rao–Scott F with documents as clusters; its denominator df is the
    // numerator's times the design df, 29 documents − 1 = 28.
    assert!(
        info["test"].as_str().unwrap().contains("Rao–Scott"),
        "{info}"
    );
    let (df1, df2) = (info["df"].as_f64().unwrap(), info["df2"].as_f64().unwrap());
    assert!((df2 - 28.0 * df1).abs() < 1e-9, "{df1} {df2}");
    // Pearson's test is kept beside it. Three source types: a 2 × 3 table, df = 2.
    let pearson = &info["pearson"];
    assert_eq!(pearson["df"], 2);
    let (chi2, p, cv) = (
        pearson["chi2"].as_f64().unwrap(),
        pearson["p"].as_f64().unwrap(),
        pearson["cramers_v"].as_f64().unwrap(),
    );
    assert!(chi2 > 0.0 && (0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&cv));
    // The first-order correction divides Pearson's χ² by the mean design
    // effect; the second-order F = χ² / (δ̄ · df1 · …) is smaller than
    // χ²/df whenever δ̄ > 1 (clustered passages agree with each other).
    let deff = info["mean_deff"].as_f64().unwrap();
    assert!(deff > 1.0, "{deff}");
    assert!(info["statistic"].as_f64().unwrap() < chi2 / 2.0);
    // With --cluster none, or one passage per document, Pearson's test runs.
    for args in [&["--cluster", "none"][..], &["--unit", "document"][..]] {
        let out = tanda()
            .args([
                "analyze",
                "--quiet",
                "corpus",
                "--by",
                "source_type",
                "--format",
                "json",
            ])
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let t = &v["tests"][0];
        assert!(
            t["test"].as_str().unwrap().starts_with("Pearson"),
            "{args:?} {t}"
        );
        assert_eq!(t["statistic"], t["pearson"]["chi2"], "{args:?}");
        assert!(t["df2"].is_null(), "{args:?}");
    }
    let r = info["pearson"]["residuals"].as_array().unwrap();
    // The residuals of a 2-row table are opposite in the two rows.
    for (x, y) in r[0]
        .as_array()
        .unwrap()
        .iter()
        .zip(r[1].as_array().unwrap())
    {
        let (a, b) = (x.as_f64().unwrap(), y.as_f64().unwrap());
        assert!((a + b).abs() < 1e-9);
    }
}

#[test]
fn xlsx_has_typed_sheets_and_html_report_has_its_charts() {
    let tmp = tempfile::tempdir().unwrap();
    tanda()
        .args([
            "analyze",
            "--quiet",
            "corpus",
            "--by",
            "source_type",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let mut z =
        zip::ZipArchive::new(std::fs::File::open(tmp.path().join("tables.xlsx")).unwrap()).unwrap();
    let mut wb = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/workbook.xml").unwrap(), &mut wb).unwrap();
    for name in [
        "frequencies",
        "crosstab tests",
        "cooccurrence",
        "coded passages",
    ] {
        assert!(
            wb.contains(&format!("name=\"{name}\"")),
            "{name} sheet missing: {wb}"
        );
    }
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    // F2 (passages) is a number cell, C2 (category) a string cell.
    assert!(sheet.contains("<c r=\"F2\"><v>"), "F2 not numeric");
    assert!(sheet.contains("<c r=\"C2\" t=\"s\">"), "C2 not a string");
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    for id in [
        "chart-categories",
        "chart-stacked",
        "chart-years",
        "chart-heatmap",
        "run-header",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(html.matches("<mark ").count() > 100);
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the report must not load anything"
    );
}

#[test]
fn excel_flag_writes_a_bom_and_measure_changes_the_cells() {
    let tmp = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--quiet", "--excel", "corpus", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    for f in ["passages.csv", "hits.csv", "frequencies.csv"] {
        let b = std::fs::read(tmp.path().join(f)).unwrap();
        assert!(b.starts_with(b"\xEF\xBB\xBF"), "{f} has no BOM");
    }
    let out = tanda()
        .args([
            "analyze",
            "--quiet",
            "corpus",
            "--by",
            "source_type",
            "--measure",
            "per1k",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    assert!(s.contains("hits per 1,000 words by source_type"), "{s}");
    tanda()
        .args(["analyze", "corpus", "--measure", "bogus"])
        .assert()
        .code(2);
}

/// The sample corpus's UTF-8 .txt files, sorted: (folder, file name, text).
fn sample_txt_files() -> Vec<(&'static str, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["news", "reports", "statutes"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join("corpus").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            if f.extension().is_some_and(|e| e == "txt")
                && let Ok(text) = std::fs::read_to_string(&f)
            {
                out.push((
                    dir,
                    f.file_name().unwrap().to_string_lossy().to_string(),
                    text,
                ));
            }
        }
    }
    out
}

#[test]
fn code_jsonl_streams_the_same_coding_as_analyze() {
    let tmp = tempfile::tempdir().unwrap();
    // The sample corpus's UTF-8 .txt files as JSON lines.
    let mut lines = String::new();
    let mut ids = Vec::new();
    for (dir, name, text) in sample_txt_files() {
        let id = format!("{dir}/{name}");
        lines.push_str(&serde_json::json!({"id": id, "text": text, "year": "x"}).to_string());
        lines.push('\n');
        ids.push(id);
    }
    lines.push_str("not json\n");
    let out = tanda()
        .args(["code", "--jsonl", "--no-hits"])
        .write_stdin(lines)
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "stdin:{}: skipped: not JSON",
            ids.len() + 1
        )))
        .get_output()
        .stdout
        .clone();
    let res = tmp.path().join("res");
    tanda()
        .args(["analyze", "--quiet", "corpus", "--out"])
        .arg(&res)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(res.join("passages.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let mut compared = 0;
    for line in String::from_utf8(out).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let pid = v["passage_id"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|x| &x[col("passage_id")] == pid)
            .unwrap_or_else(|| panic!("{pid}"));
        let coded: Vec<&str> = v["coded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for (cat, n) in v["counts"].as_object().unwrap() {
            assert_eq!(
                row[col(&format!("{cat}:hits"))],
                n.to_string(),
                "{pid} {cat}"
            );
            assert_eq!(
                &row[col(cat)],
                if coded.contains(&cat.as_str()) {
                    "1"
                } else {
                    "0"
                },
                "{pid} {cat}"
            );
        }
        assert_eq!(row[col("words")], v["words"].to_string());
        compared += 1;
    }
    assert!(
        ids.len() >= 10 && compared > 100,
        "{} docs, {compared} passages",
        ids.len()
    );
}

#[test]
fn jsonl_shards_merged_by_report_equal_analyze_of_the_same_files() {
    let tmp = tempfile::tempdir().unwrap();
    // The sample corpus's .txt files: as a folder, and as three JSON-lines
    // shards of documents, each coded by `tanda code --jsonl` (a map step).
    let folder = tmp.path().join("txt");
    let mut shards = [String::new(), String::new(), String::new()];
    let mut n = 0;
    for (dir, name, text) in sample_txt_files() {
        std::fs::create_dir_all(folder.join(dir)).unwrap();
        std::fs::write(folder.join(dir).join(&name), &text).unwrap();
        let id = format!("{dir}/{name}");
        shards[n % 3]
            .push_str(&serde_json::json!({"id": id, "text": text, "source_type": dir}).to_string());
        shards[n % 3].push('\n');
        n += 1;
    }
    let mut coded = Vec::new();
    for (k, s) in shards.iter().enumerate() {
        let out = tanda()
            .args(["code", "--jsonl", "--quiet"])
            .write_stdin(s.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let p = tmp.path().join(format!("coded-{k}.jsonl"));
        std::fs::write(&p, out).unwrap();
        coded.push(p);
    }
    let args = ["--by", "source_type", "--format", "csv"];
    let whole = tanda()
        .args(["analyze", "--quiet", "--no-cache"])
        .arg(&folder)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let merged = tanda()
        .arg("report")
        .args(&coded)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(n >= 10, "{n} files");
    assert!(!whole.is_empty());
    assert_eq!(
        String::from_utf8(merged).unwrap(),
        String::from_utf8(whole).unwrap(),
        "JSON-lines shards merged differ from analyze"
    );
}

/// The workbook's "coded passages" sheet (written row by row in
/// rust_xlsxwriter's low-memory mode) read back from its XML: each row is
/// a passage passages.csv codes for some category, in corpus order, with
/// its ids and word count; no passage is missing.
#[test]
fn xlsx_coded_passages_sheet_matches_passages_csv() {
    let tmp = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--quiet", "corpus", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    // passages.csv: the coded passages (a 1 in any category column).
    let mut rd = csv::Reader::from_path(tmp.path().join("passages.csv")).unwrap();
    let head = rd.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (id, words) = (col("passage_id"), col("words"));
    let first_cat = words + 1;
    let hits_start = head.iter().position(|h| h.ends_with(":hits")).unwrap();
    let coded: Vec<(String, String)> = rd
        .records()
        .map(|r| r.unwrap())
        .filter(|r| (first_cat..hits_start).any(|i| &r[i] == "1"))
        .map(|r| (r[id].to_string(), r[words].to_string()))
        .collect();
    assert!(coded.len() > 50, "{}", coded.len());

    let mut z =
        zip::ZipArchive::new(std::fs::File::open(tmp.path().join("tables.xlsx")).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    let si = regex::Regex::new(r"(?s)<si><t(?: [^>]*)?>(.*?)</t></si>").unwrap();
    let strings: Vec<String> = si
        .captures_iter(&read("xl/sharedStrings.xml"))
        .map(|c| unescape(&c[1]))
        .collect();
    // The sheet named "coded passages": its r:id in workbook.xml, then the
    // target in the workbook's relationships.
    let wb = read("xl/workbook.xml");
    let rid = regex::Regex::new(r#"<sheet name="coded passages" sheetId="\d+" r:id="(rId\d+)""#)
        .unwrap()
        .captures(&wb)
        .unwrap()[1]
        .to_string();
    let rels = read("xl/_rels/workbook.xml.rels");
    let target = regex::Regex::new(&format!(r#"Id="{rid}" [^>]*Target="([^"]+)""#))
        .unwrap()
        .captures(&rels)
        .unwrap()[1]
        .to_string();
    let sheet = read(&format!("xl/{target}"));
    let row = regex::Regex::new(r#"(?s)<row r="(\d+)"[^>]*>(.*?)</row>"#).unwrap();
    let cell = regex::Regex::new(r#"<c r="([A-Z]+)\d+"((?: [a-z]+="[^"]*")*)><v>([^<]*)</v></c>"#)
        .unwrap();
    // A row's cells by column: shared strings (t="s") looked up.
    let cells = |xml: &str| -> std::collections::HashMap<String, String> {
        cell.captures_iter(xml)
            .map(|c| {
                let v = if c[2].contains(r#"t="s""#) {
                    strings[c[3].parse::<usize>().unwrap()].clone()
                } else {
                    c[3].to_string()
                };
                (c[1].to_string(), v)
            })
            .collect()
    };
    let rows: Vec<_> = row.captures_iter(&sheet).collect();
    let header = cells(&rows[0][2]);
    let column = |name: &str| {
        header
            .iter()
            .find(|(_, v)| v.as_str() == name)
            .map(|(k, _)| k.clone())
            .unwrap()
    };
    let (id_col, words_col) = (column("passage_id"), column("words"));
    let got: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| {
            let c = cells(&r[2]);
            (c[&id_col].clone(), c[&words_col].clone())
        })
        .collect();
    assert_eq!(got, coded);
}
