//! Units that fit the sources, spreadsheet corpora, headings of plain text,
//! and skipped files said in the header. Fixtures are in
//! tests/fixtures/units (synthetic texts; make.py made the sheets).
//! Expected passages and ids are worked out by hand from the fixture text.

use std::path::{Path, PathBuf};

mod common;
use common::tanda;
use predicates::prelude::*;
use tanda::corpus::{LoadOptions, Segmenter, Unit, segment};

fn units(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/units")
        .join(p)
}

/// A corpus folder holding copies of the given fixtures (from `dir`).
fn corpus_of(dir: &str, files: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    for f in files {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(dir)
            .join(f);
        std::fs::copy(from, out.path().join(f)).unwrap();
    }
    out
}

fn load(dir: &Path, skip_headings: bool) -> tanda::corpus::Corpus {
    let opts = LoadOptions {
        skip_headings,
        ..Default::default()
    };
    tanda::corpus::load_cached(dir, &opts, &mut tanda::corpus::Cache::default()).unwrap()
}

/// (passage_id, text) of passages.csv, and the header.
fn passages(out: &Path) -> (Vec<String>, Vec<(String, String)>) {
    let mut r = csv::Reader::from_path(out.join("passages.csv")).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let t = h.iter().position(|x| x == "text").unwrap();
    let p = h.iter().position(|x| x == "passage_id").unwrap();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[p].to_string(), rec[t].to_string())
        })
        .collect();
    (h, rows)
}

#[test]
fn statute_is_cut_at_its_article_headings() {
    let dir = corpus_of("units", &["statute.txt"]);
    let c = load(dir.path(), false);
    let doc = &c.documents[0];
    let ps = segment(&doc.id, &doc.paragraphs, Unit::Article);
    let ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
    // Headings stand alone as paragraphs (the layout repair), so an
    // article's heading and body are joined by a blank line.
    // The title and the enacting words before `Article 1`, then Articles
    // 1, 2, 3 (`ARTICLE 3`), 4 (`Art. 4.` after a sentence end, on a line
    // inside a paragraph) and 5. `Article 5 of this Law.` continues a
    // sentence of Article 2 and is no heading.
    assert_eq!(
        ids,
        [
            "statute.txt#a0",
            "statute.txt#a1",
            "statute.txt#a2",
            "statute.txt#a3",
            "statute.txt#a4",
            "statute.txt#a5"
        ]
    );
    assert_eq!(
        ps[0].text,
        "SYNTHETIC STATUTE FOR TANDA TESTS\n\nLaw No. 9 of 2031 on the Protection of Reef Fish\n\nThe legislature, considering the decline of reef fish, enacts:"
    );
    assert_eq!(
        ps[1].text,
        "Article 1\n\nIn this Law, \"reef fish\" means any fish living on a coral reef."
    );
    assert!(ps[2].text.starts_with("Article 2\n\n(1) No person"));
    assert!(ps[2].text.ends_with("is set out in Article 5 of this Law."));
    assert_eq!(
        ps[3].text,
        "ARTICLE 3 Scope\n\nThis Law applies in all coastal waters. It also applies on islands."
    );
    assert_eq!(
        ps[4].text,
        "Art. 4. The minister shall keep a register of licences."
    );
    assert_eq!(
        ps[5].text,
        "Article 5\n\nA breach of Article 2 is punished by a fine."
    );
    // Hits point back to the file: `Art. 4.` is line 16, `fine` line 19.
    assert_eq!(ps[4].line_at(0).line, 16);
    assert_eq!(ps[5].line_at(ps[5].text.find("fine").unwrap()).line, 19);
    assert_eq!(
        ps[0].line_at(ps[0].text.find("legislature").unwrap()).line,
        4
    );
}

#[test]
fn pasal_headings_and_a_heading_regex_of_ones_own() {
    let dir = corpus_of("units", &["pasal.txt"]);
    let c = load(dir.path(), false);
    let doc = &c.documents[0];
    // Built in: Pasal 1, 2, 3; `BAB II SANKSI` stays with Pasal 2, and
    // `melanggar Pasal 2` inside a sentence is no heading.
    let ps = segment(&doc.id, &doc.paragraphs, Unit::Article);
    let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "UNDANG-UNDANG SINTETIS (SYNTHETIC, FOR TESTS)\n\nBAB I KETENTUAN UMUM",
            "Pasal 1\n\nDalam undang-undang ini yang dimaksud dengan anak adalah seseorang yang belum berusia 18 tahun.",
            "Pasal 2\n\nSetiap orang dilarang memperdagangkan anak.\n\nBAB II SANKSI",
            "Pasal 3\n\nSetiap orang yang melanggar Pasal 2 dipidana."
        ]
    );
    assert_eq!(ps[3].id, "pasal.txt#a3");
    // Chapters instead: BAB I and BAB II.
    let seg = Segmenter::new(Unit::Article)
        .with_headings("BAB [IVX]+")
        .unwrap();
    let ch = seg.segment(&doc.id, &doc.paragraphs).passages;
    let ids: Vec<&str> = ch.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["pasal.txt#a0", "pasal.txt#a1", "pasal.txt#a2"]);
    assert_eq!(ch[0].text, "UNDANG-UNDANG SINTETIS (SYNTHETIC, FOR TESTS)");
    assert!(ch[1].text.starts_with("BAB I KETENTUAN UMUM\n\nPasal 1"));
    assert!(ch[1].text.ends_with("memperdagangkan anak."));
    assert!(ch[2].text.starts_with("BAB II SANKSI\n\nPasal 3"));
    assert!(Segmenter::new(Unit::Article).with_headings("(").is_err());
}

#[test]
fn windows_of_n_words_run_across_paragraphs() {
    // 25 words; `self-help` counts once. Two paragraphs of 12 and 13.
    let words: Vec<&str> =
        "alpha bravo charlie delta self-help foxtrot golf hotel india juliet kilo lima \
         mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee"
            .split(' ')
            .collect();
    assert_eq!(words.len(), 25);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("w.txt"),
        format!("{}\n\n{}\n", words[..12].join(" "), words[12..].join(" ")),
    )
    .unwrap();
    let c = load(dir.path(), false);
    let doc = &c.documents[0];
    let ps = segment(&doc.id, &doc.paragraphs, Unit::Window(10));
    let got: Vec<(&str, &str)> = ps
        .iter()
        .map(|p| (p.id.as_str(), p.text.as_str()))
        .collect();
    let second = format!("{}\n\n{}", words[10..12].join(" "), words[12..20].join(" "));
    assert_eq!(
        got,
        [
            ("w.txt#w1", words[..10].join(" ").as_str()),
            ("w.txt#w2", second.as_str()),
            ("w.txt#w3", words[20..].join(" ").as_str()),
        ]
    );
    assert_eq!(ps[2].line_at(0).line, 3);
    assert_eq!("window:10".parse::<Unit>(), Ok(Unit::Window(10)));
    assert!("window:0".parse::<Unit>().is_err());
    assert_eq!(Unit::Window(10).to_string(), "window:10");
}

#[test]
fn thai_sections_are_articles() {
    let dir = tempfile::tempdir().unwrap();
    // Synthetic: "Section 1 ..." and "Section 2 ..." in Thai, Thai digits.
    std::fs::write(
        dir.path().join("th.txt"),
        "พระราชบัญญัติทดสอบ\n\nมาตรา ๑ ห้ามค้ามนุษย์\n\nมาตรา ๒ ผู้ใดฝ่าฝืนต้องระวางโทษ\n",
    )
    .unwrap();
    let c = load(dir.path(), false);
    let doc = &c.documents[0];
    let ps = segment(&doc.id, &doc.paragraphs, Unit::Article);
    let got: Vec<(&str, &str)> = ps
        .iter()
        .map(|p| (p.id.as_str(), p.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("th.txt#a0", "พระราชบัญญัติทดสอบ"),
            ("th.txt#a1", "มาตรา ๑ ห้ามค้ามนุษย์"),
            ("th.txt#a2", "มาตรา ๒ ผู้ใดฝ่าฝืนต้องระวางโทษ"),
        ]
    );
}

#[test]
fn min_words_drops_short_passages_and_keeps_the_numbers() {
    let dir = corpus_of("units", &["report.txt"]);
    let c = load(dir.path(), false);
    let doc = &c.documents[0];
    // Paragraphs: "Synthetic field report" (3 words), "1. Background"
    // (2: the numbered heading cut off its text), the coalition sentence
    // (11), "Findings" (1), the volunteers (9).
    let seg = Segmenter::new(Unit::Paragraph).with_min_words(3);
    let out = seg.segment(&doc.id, &doc.paragraphs);
    let ids: Vec<&str> = out.passages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["report.txt#p1", "report.txt#p3", "report.txt#p5"]);
    assert_eq!(out.dropped, 2);
}

#[test]
fn skip_headings_works_for_text_and_markdown() {
    let dir = corpus_of("units", &["report.txt", "notes.md"]);
    let paras = |c: &tanda::corpus::Corpus, id: &str| -> Vec<String> {
        let d = c.documents.iter().find(|d| d.id == id).unwrap();
        d.paragraphs.iter().map(|p| p.text.clone()).collect()
    };
    let kept = load(dir.path(), false);
    assert_eq!(paras(&kept, "report.txt").len(), 5);
    assert_eq!(paras(&kept, "notes.md").len(), 4);
    let c = load(dir.path(), true);
    assert_eq!(
        paras(&c, "report.txt"),
        [
            "The coalition met in March to plan the campaign against trafficking.",
            "Volunteers counted boats at dawn. The count ended at noon."
        ]
    );
    assert_eq!(
        paras(&c, "notes.md"),
        ["Partners met twice.", "They will write a joint letter."]
    );
}

#[test]
fn a_semicolon_csv_is_a_corpus_of_rows() {
    let out = tempfile::tempdir().unwrap();
    let csv = units("articles_semicolon.csv");
    tanda()
        .arg("analyze")
        .arg(&csv)
        .args([
            "--text-column",
            "text",
            "--id-column",
            "id",
            "--min-words",
            "3",
            "--no-cache",
        ])
        .arg("--out")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("skipped 1: 1 empty"))
        .stdout(predicate::str::contains("documents 3 · passages 5"))
        .stderr(predicate::str::contains(
            "row 5: id `n1` is used again (first at row 2); this row is read as `n1#row5`",
        ))
        .stderr(predicate::str::contains(
            "articles_semicolon.csv: n2: skipped: empty text cell",
        ))
        .stderr(predicate::str::contains(
            "--min-words 3: 1 passage(s) shorter than 3 words dropped",
        ));
    let (header, rows) = passages(out.path());
    // The metadata columns, in sheet order, then the guessed language.
    let unit = header.iter().position(|h| h == "unit").unwrap();
    assert_eq!(
        header[unit + 1..unit + 5],
        ["id", "date", "outlet", "language"]
    );
    let ids: Vec<&str> = rows.iter().map(|(p, _)| p.as_str()).collect();
    // n3#p2 is "Media contact:" (2 words), dropped.
    assert_eq!(ids, ["n1#p1", "n1#p2", "n3#p1", "n3#p3", "n1#row5#p1"]);
    assert_eq!(
        rows[0].1,
        "SYNTHETIC. The ministry met the coalition; \"we will act\", it said."
    );
    assert_eq!(rows[3].1, "The count ended at noon; 14 boats were found.");
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(run["corpus"]["skipped"][0]["id"], "n2");
    assert_eq!(run["corpus"]["skipped"][0]["reason"], "empty text cell");
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("<details id=\"skipped\">"), "no skipped list");
    assert!(html.contains("<code>n2</code>: empty text cell"));
}

#[test]
fn an_xlsx_is_a_corpus_of_rows_named_by_row() {
    let out = tempfile::tempdir().unwrap();
    tanda()
        .arg("analyze")
        .arg(units("articles.xlsx"))
        .args(["--text-column", "text", "--unit", "document", "--no-cache"])
        .arg("--out")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("documents 3 · passages 3"));
    let (_, rows) = passages(out.path());
    let ids: Vec<&str> = rows.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        ids,
        [
            "articles.xlsx#row2#doc",
            "articles.xlsx#row4#doc",
            "articles.xlsx#row5#doc"
        ]
    );
    // The newlines inside the cell made paragraphs.
    assert_eq!(
        rows[1].1,
        "SYNTHETIC. Volunteers counted the boats at dawn.\n\nMedia contact:\n\nThe count ended at noon; 14 boats were found."
    );
}

#[test]
fn a_missing_text_column_names_the_columns_found() {
    tanda()
        .arg("analyze")
        .arg(units("articles_semicolon.csv"))
        .args(["--text-column", "body"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "no text column `body`; found 4 column(s) split at semicolons: `id`, `date`, `outlet`, `text`",
        ));
    let dir = corpus_of("units", &["report.txt"]);
    tanda()
        .arg("analyze")
        .arg(dir.path())
        .args(["--text-column", "text"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("this is a folder of documents"));
}

#[test]
fn metadata_xlsx_gives_a_folder_corpus_its_variables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    std::fs::copy(units("statute.txt"), dir.path().join("folder/law.txt")).unwrap();
    std::fs::copy(units("notes.md"), dir.path().join("folder/note.md")).unwrap();
    std::fs::copy(units("metadata.xlsx"), dir.path().join("metadata.xlsx")).unwrap();
    let c = load(dir.path(), false);
    assert_eq!(c.documents.len(), 2, "metadata.xlsx is not a document");
    let law = c
        .documents
        .iter()
        .find(|d| d.id == "folder/law.txt")
        .unwrap();
    assert_eq!(c.value(law, "year"), Some("2007"));
    assert_eq!(c.value(law, "kind"), Some("statute"));
    let note = c
        .documents
        .iter()
        .find(|d| d.id == "folder/note.md")
        .unwrap();
    assert_eq!(c.value(note, "kind"), Some("memo"));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn the_header_and_the_page_say_what_was_skipped() {
    let dir = corpus_of(
        "formats",
        &["same.txt", "scanned.pdf", "empty.txt", "binary.txt"],
    );
    std::fs::write(dir.path().join("old.doc"), b"\xD0\xCF\x11\xE0 not read").unwrap();
    let out = tempfile::tempdir().unwrap();
    // Four skipped: one of each kind; ties by name.
    let line = "skipped 4: 1 .doc, 1 binary, 1 empty, 1 scanned PDF";
    tanda()
        .arg("analyze")
        .arg(dir.path())
        .args(["--no-cache", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(line));
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("4 file(s) not read: 1 .doc, 1 binary, 1 empty, 1 scanned PDF"));
    assert!(html.contains("<code>scanned.pdf</code>: no text layer"));
    // Rebuilt from the results folder, the header says it again.
    tanda()
        .arg("report")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(line));
}

#[test]
fn article_and_window_units_from_the_command_line() {
    let dir = corpus_of("units", &["pasal.txt"]);
    let out = tempfile::tempdir().unwrap();
    tanda()
        .arg("analyze")
        .arg(dir.path())
        .args([
            "--unit",
            "article",
            "--unit-regex",
            "BAB [IVX]+",
            "--no-cache",
            "-q",
        ])
        .arg("--out")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("unit article"));
    let (_, rows) = passages(out.path());
    let ids: Vec<&str> = rows.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(ids, ["pasal.txt#a0", "pasal.txt#a1", "pasal.txt#a2"]);
    tanda()
        .arg("analyze")
        .arg(dir.path())
        .args(["--unit-regex", "BAB"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--unit-regex needs --unit article",
        ));
    tanda()
        .arg("analyze")
        .arg(dir.path())
        .args(["--unit", "window:0"])
        .assert()
        .code(2);
}
