//! ODT, RTF and EPUB readers and OCR of scanned PDFs, on files made by real
//! tools: tests/fixtures/readers (LibreOffice 7.4 from source.fodt, see
//! make.sh; broken inputs from make_bad.py) and tests/fixtures/ocr (a page
//! typeset by LibreOffice, rendered to an image, wrapped in a PDF).

use std::path::{Path, PathBuf};

mod common;
use common::tanda;
use predicates::prelude::*;
use tanda::corpus::extract::{ExtractOptions, LineKind, extractor_for};

fn fixture(dir: &str, f: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(f)
}

/// A corpus folder holding copies of the given fixtures.
fn corpus_of(dir: &str, files: &[&str]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::copy(fixture(dir, f), d.path().join(f)).unwrap();
    }
    d
}

const H: LineKind = LineKind::Heading;
const L: LineKind = LineKind::ListItem;
const T: LineKind = LineKind::Text;

/// The paragraphs of source.fodt, typed from it by hand, in reading order
/// with the footnote last, and what each is in the source.
const SOURCE: &[(&str, LineKind)] = &[
    ("Laporan Sintetis tentang Perlindungan Anak", H),
    (
        "This synthetic report was written for tanda\u{2019}s reader tests; it describes no real organisation \u{2014} and no real caf\u{e9}.",
        T,
    ),
    ("Temuan utama", H),
    (
        "Anak-anak di tiga desa fiktif belum mendapat akta kelahiran. Petugas desa mencatat 42 kasus pada tahun 2019.",
        T,
    ),
    ("Pendataan ulang setiap bulan", L),
    ("Pelatihan bagi guru sekolah dasar", L),
    ("Kampanye radio dalam bahasa daerah", L),
    ("Desa", T),
    ("Kasus", T),
    ("Sukamaju", T),
    ("17", T),
    ("Harapan Jaya", T),
    ("25", T),
    (
        "Ringkasan dalam bahasa Thai: \u{e40}\u{e14}\u{e47}\u{e01}\u{e17}\u{e38}\u{e01}\u{e04}\u{e19}\u{e21}\u{e35}\u{e2a}\u{e34}\u{e17}\u{e18}\u{e34}\u{e4c}\u{e40}\u{e23}\u{e35}\u{e22}\u{e19}\u{e2b}\u{e19}\u{e31}\u{e07}\u{e2a}\u{e37}\u{e2d}",
        T,
    ),
    (
        "The campaign ends in March; the monitoring team reports to the district office.",
        T,
    ),
    (
        "Synthetic footnote: every figure in this document is invented.",
        T,
    ),
];

fn read(file: &str) -> tanda::corpus::extract::Extracted {
    let ext = file.rsplit('.').next().unwrap();
    let bytes = std::fs::read(fixture("readers", file)).unwrap();
    extractor_for(ext)
        .unwrap_or_else(|| panic!("no reader for .{ext}"))
        .extract(&bytes, &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn paragraphs(x: &tanda::corpus::extract::Extracted) -> Vec<(String, LineKind)> {
    x.lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| (l.text.trim().to_string(), l.kind))
        .collect()
}

fn want(kinds: impl Fn(LineKind) -> LineKind) -> Vec<(String, LineKind)> {
    SOURCE
        .iter()
        .map(|(t, k)| (t.to_string(), kinds(*k)))
        .collect()
}

#[test]
fn odt_gives_the_source_paragraphs_headings_lists_and_footnote_last() {
    let x = read("sample.odt");
    assert_eq!(paragraphs(&x), want(|k| k));
    assert!(x.structured);
    // meta.xml has dc:language id-ID.
    assert_eq!(x.metadata.get("language").map(String::as_str), Some("id"));
}

#[test]
fn rtf_gives_the_same_paragraphs_as_the_odt() {
    // LibreOffice writes headings with \outlinelevel, list items with
    // {\listtext}, the footnote as {\*\footnote}, é as \u233\'e9 and the Thai
    // letters as \uN with a ? fallback: all must come out as in the source.
    let x = read("sample.rtf");
    assert_eq!(paragraphs(&x), want(|k| k));
    assert_eq!(x.encoding, "windows-1252");
}

#[test]
fn epub_reads_the_spine_through_the_html_reader() {
    // LibreOffice 7.4's EPUB export writes headings and list items as plain
    // <p> (see OEBPS/sections/section0001.xhtml), so every paragraph is text;
    // the footnote is an <aside epub:type="footnote"> at the chapter's end.
    let x = read("sample.epub");
    assert_eq!(paragraphs(&x), want(|_| T));
    // Located in chapter 1 of the spine.
    assert!(
        x.lines.iter().all(|l| l.no.page == 1),
        "{:?}",
        x.lines[0].no
    );
    assert_eq!(x.metadata.get("language").map(String::as_str), Some("id"));
}

#[test]
fn the_three_formats_give_the_same_passages() {
    let corpus = corpus_of("readers", &["sample.odt", "sample.rtf", "sample.epub"]);
    let out = tempfile::tempdir().unwrap();
    tanda()
        .args(["analyze", "--no-cache", "--out"])
        .arg(out.path())
        .arg(corpus.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("skipped").not());
    let mut r = csv::Reader::from_path(out.path().join("passages.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let t = h.iter().position(|x| x == "text").unwrap();
    let d = h.iter().position(|x| x == "doc_id").unwrap();
    let mut by_doc: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for rec in r.records() {
        let rec = rec.unwrap();
        by_doc
            .entry(rec[d].to_string())
            .or_default()
            .push(rec[t].to_string());
    }
    let texts: Vec<String> = SOURCE.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(by_doc.len(), 3, "{:?}", by_doc.keys());
    for (doc, got) in &by_doc {
        assert_eq!(got, &texts, "{doc}");
    }
}

#[test]
fn broken_and_hostile_files_are_reported_and_skipped() {
    let bad = [
        (
            "bad-not-a-zip.odt",
            "not an .odt: the file is not a zip archive",
        ),
        ("bad-no-content.odt", "no content.xml inside"),
        ("bad-bomb.odt", "zip bomb"),
        ("bad-deep.rtf", "nested more than 512 deep"),
        ("bad-unterminated.rtf", "unclosed group(s)"),
        (
            "bad-missing-chapter.epub",
            "spine item OEBPS/chapter2.xhtml is missing from the archive",
        ),
    ];
    let mut files: Vec<&str> = bad.iter().map(|(f, _)| *f).collect();
    files.push("sample.odt");
    let corpus = corpus_of("readers", &files);
    let mut assert = tanda()
        .args(["analyze", "--no-cache"])
        .arg(corpus.path())
        .assert()
        .success();
    for (f, why) in bad {
        assert = assert.stderr(
            predicate::str::contains(format!("{f}: skipped: ")).and(predicate::str::contains(why)),
        );
    }
    tanda()
        .args(["analyze", "--no-cache", "--strict"])
        .arg(corpus.path())
        .assert()
        .code(5);
}

fn ocr_tools() -> bool {
    let ok = |p: &str, a: &str| {
        std::process::Command::new(p)
            .arg(a)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    ok("tesseract", "--version") && ok("pdftoppm", "-v")
}

/// Words of a text, lower case, letters and digits only.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .map(|w| w.trim_matches(['-', '\'']).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn scanned_pdf_without_ocr_says_to_run_with_ocr() {
    let corpus = corpus_of("ocr", &["scanned.pdf"]);
    std::fs::write(corpus.path().join("note.txt"), "A text file.\n").unwrap();
    tanda()
        .args(["analyze", "--no-cache"])
        .arg(corpus.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "scanned.pdf: skipped: no text layer (scanned? run with --ocr)",
        ));
}

#[test]
fn ocr_reads_the_scanned_page() {
    if !ocr_tools() {
        println!("skipped: tesseract or pdftoppm is not installed");
        return;
    }
    let bytes = std::fs::read(fixture("ocr", "scanned.pdf")).unwrap();
    let opts = ExtractOptions {
        ocr: Some(tanda::corpus::ocr::OcrOptions::default()),
        ..Default::default()
    };
    let x = extractor_for("pdf")
        .unwrap()
        .extract(&bytes, &opts)
        .unwrap();
    assert!(
        x.encoding.starts_with("pdf+ocr (tesseract ") && x.encoding.ends_with("; eng+ind)"),
        "{}",
        x.encoding
    );
    let got: std::collections::HashSet<String> =
        x.lines.iter().flat_map(|l| words(&l.text)).collect();
    let page = std::fs::read_to_string(fixture("ocr", "page.txt")).unwrap();
    let want = words(&page);
    let found = want.iter().filter(|w| got.contains(*w)).count();
    assert!(
        found * 10 >= want.len() * 9,
        "OCR found {found} of {} words: {:?}",
        want.len(),
        want.iter()
            .filter(|w| !got.contains(*w))
            .collect::<Vec<_>>()
    );
    assert!(x.lines.iter().all(|l| l.no.page == 1));
}

#[test]
fn ocr_text_is_cached_by_engine_and_languages() {
    if !ocr_tools() {
        println!("skipped: tesseract or pdftoppm is not installed");
        return;
    }
    let corpus = corpus_of("ocr", &["scanned.pdf"]);
    let cache = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        tanda()
            .env("TANDA_CACHE_DIR", cache.path())
            .args(["analyze", "--ocr"])
            .args(extra)
            .arg("--out")
            .arg(out.path())
            .arg(corpus.path())
            .assert()
            .success();
        std::fs::read_to_string(out.path().join("run.json")).unwrap()
    };
    let first = run(&[]);
    let names = || -> Vec<String> {
        std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let n = names();
    assert_eq!(n.len(), 1, "{n:?}");
    assert!(
        n[0].contains("-ocr-tesseract") && n[0].contains("-eng+ind"),
        "{n:?}"
    );
    // run.json records the engine, its version and the languages.
    assert!(first.contains("pdf+ocr (tesseract "), "{first}");
    assert!(first.contains("; eng+ind)"), "{first}");
    // Other languages: another cache entry.
    let eng = run(&["--ocr-lang", "eng"]);
    assert!(eng.contains("; eng)"), "{eng}");
    assert_eq!(names().len(), 2, "{:?}", names());
}

#[test]
fn missing_ocr_tools_are_named_with_what_to_install() {
    let corpus = corpus_of("ocr", &["scanned.pdf"]);
    std::fs::write(corpus.path().join("note.txt"), "A text file.\n").unwrap();
    let empty = tempfile::tempdir().unwrap();
    tanda()
        .env("PATH", empty.path())
        .args(["analyze", "--no-cache", "--ocr"])
        .arg(corpus.path())
        .assert()
        .success()
        .stderr(
            predicate::str::contains("scanned.pdf: skipped: ")
                .and(predicate::str::contains("neither was found on PATH"))
                .and(predicate::str::contains(
                    "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-ind tesseract-ocr-tha poppler-utils",
                ))
                .and(predicate::str::contains("brew install tesseract")),
        );
}

#[test]
fn bad_ocr_languages_are_a_usage_error() {
    let corpus = corpus_of("ocr", &["scanned.pdf"]);
    tanda()
        .args(["analyze", "--ocr", "--ocr-lang", "eng+-x"])
        .arg(corpus.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "not a list of Tesseract languages",
        ));
    tanda()
        .args(["analyze", "--ocr-lang", "eng"])
        .arg(corpus.path())
        .assert()
        .code(2);
}
