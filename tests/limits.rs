//! Issue 19: memory bounded per document, whatever one file holds. Each limit of
//! `--max-doc-mb` is exercised with a small limit (1 MB) so the inputs stay small; the
//! peak memory these limits buy is measured by `bench/hostile/run.sh`, not here.

mod common;

use common::tanda;
use std::io::Write;
use std::path::Path;

/// A corpus folder with one ordinary document beside whatever a test adds.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join("c")).expect("mkdir");
    std::fs::write(
        dir.path().join("c/ok.txt"),
        "The ministry published a report on child protection.\n",
    )
    .expect("write");
    dir
}

/// Run `analyze` on `dir/c` with `args`; (exit code, stderr).
fn analyze(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = tanda()
        .current_dir(dir)
        .args(["analyze", "c", "--no-cache"])
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_text_file_over_the_limit_is_skipped_before_reading() {
    let dir = corpus();
    // 1 MB + 1 byte of text: one byte over `--max-doc-mb 1` for a .txt file.
    let text = "word ".repeat(1024 * 1024 / 5) + "ab";
    assert_eq!(text.len(), 1024 * 1024 + 1);
    std::fs::write(dir.path().join("c/big.txt"), &text).expect("write");
    let (code, err) = analyze(dir.path(), &["--max-doc-mb", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("c/big.txt: skipped: the file (1.0 MB) exceeds the 1 MB limit for .txt files")
            && err.contains("--max-doc-mb"),
        "{err}"
    );
    // Exactly at the limit it is read.
    std::fs::write(dir.path().join("c/big.txt"), &text[..1024 * 1024]).expect("write");
    let (code, err) = analyze(dir.path(), &["--max-doc-mb", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("big.txt"), "{err}");
    // Under --strict a refused document is fatal (exit 5, as documented).
    std::fs::write(dir.path().join("c/big.txt"), &text).expect("write");
    let (code, _) = analyze(dir.path(), &["--max-doc-mb", "1", "--strict"]);
    assert_eq!(code, 5);
}

#[test]
fn markup_gets_four_times_the_text_limit_and_its_text_the_limit() {
    let dir = corpus();
    // 2 MB of HTML (under 4 × 1 MB) whose text is 1.5 MB (over 1 MB): read, then
    // refused for its text.
    let para = format!("<p>{}</p>\n", "ab ".repeat(100));
    let n = 1536 * 1024 / 300 + 1;
    let mut html = String::from("<html><body>\n");
    for _ in 0..n {
        html.push_str(&format!(
            "<div class=\"{}\">{para}</div>\n",
            "x".repeat(200)
        ));
    }
    html.push_str("</body></html>\n");
    assert!(html.len() < 4 * 1024 * 1024 && html.len() > 2 * 1024 * 1024);
    std::fs::write(dir.path().join("c/page.html"), &html).expect("write");
    let (code, err) = analyze(dir.path(), &["--max-doc-mb", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("c/page.html: skipped: its text exceeds the 1 MB limit"),
        "{err}"
    );
    // With the default limit it is read.
    let (code, err) = analyze(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("page.html"), "{err}");
}

/// A .docx holding `parts` (name, bytes).
fn docx(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts {
        w.start_file(*name, opts).expect("start");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("finish");
    buf.into_inner()
}

#[test]
fn a_docx_bomb_spread_over_parts_is_refused() {
    let dir = corpus();
    // Each part inflates to 2.5 MB, under the 4 MB budget of `--max-doc-mb 1`
    // alone, over it together; the zipped file is small (spaces compress).
    let body = |text: &str| {
        let mut x =
            format!("<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
                .into_bytes();
        x.extend(std::iter::repeat_n(b' ', 2560 * 1024));
        x.extend_from_slice(b"</w:body></w:document>");
        x
    };
    let file = docx(&[
        ("word/document.xml", body("The report.")),
        ("word/footnotes.xml", body("A note.")),
    ]);
    assert!(file.len() < 100 * 1024);
    std::fs::write(dir.path().join("c/bomb.docx"), &file).expect("write");
    let (code, err) = analyze(dir.path(), &["--max-doc-mb", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("c/bomb.docx: skipped: its parts unzipped (at word/footnotes.xml; a zip bomb?) exceeds the 4 MB limit"),
        "{err}"
    );
    // One part alone is within the budget: a document with only the body is read.
    let file = docx(&[("word/document.xml", body("The report."))]);
    std::fs::write(dir.path().join("c/bomb.docx"), &file).expect("write");
    let (code, err) = analyze(dir.path(), &["--max-doc-mb", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("bomb.docx"), "{err}");
}

/// A one-page PDF whose content stream is `text` followed by `pad` bytes of spaces,
/// compressed (FlateDecode).
fn pdf(text: &str, pad: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET\n").as_bytes())
        .expect("z");
    let chunk = vec![b' '; 1 << 20];
    let mut left = pad;
    while left > 0 {
        let n = left.min(chunk.len());
        z.write_all(&chunk[..n]).expect("z");
        left -= n;
    }
    let data = z.finish().expect("z");
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
    ];
    let mut stream = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        data.len()
    )
    .into_bytes();
    stream.extend_from_slice(&data);
    stream.extend_from_slice(b"\nendstream");
    objs.push(stream);
    objs.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec());
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_pdf_compression_bomb_costs_the_child_not_the_run() {
    let dir = corpus();
    // 400 MB of spaces in about 0.4 MB of file: the child reading it may use
    // 256 + 16 × 1 = 272 MB under `--max-doc-mb 1`, so it runs out and is refused.
    let bomb = pdf("Hello bomb", 400 << 20);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    std::fs::write(dir.path().join("c/bomb.pdf"), &bomb).expect("write");
    // A PDF of the same shape without the padding is read: the refusal is the
    // bomb's, not the format's.
    std::fs::write(
        dir.path().join("c/small.pdf"),
        pdf("The court ordered a review", 0),
    )
    .expect("write");
    let (code, err) = analyze(dir.path(), &["--max-doc-mb", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("c/bomb.pdf: skipped: reading it needs more than 272 MB of memory"),
        "{err}"
    );
    assert!(!err.contains("small.pdf"), "{err}");
    // The two readable documents were coded: ok.txt and small.pdf.
    let (code, err) = analyze(dir.path(), &["--max-doc-mb", "1", "--out", "res"]);
    assert_eq!(code, 0, "{err}");
    let (header, rows) = common::read_csv(&dir.path().join("res/documents.csv"));
    let id = header.iter().position(|h| h == "doc_id").expect("doc_id");
    let ids: Vec<&str> = rows.iter().map(|r| r[id].as_str()).collect();
    assert_eq!(ids, ["ok.txt", "small.pdf"]);
}

#[test]
fn an_unreadable_folder_is_skipped_not_fatal() {
    // A folder deeper than PATH_MAX (4096 bytes) cannot be listed by its path;
    // the run reports it and reads the rest. Built with relative steps, as no
    // single path to it is allowed.
    if !cfg!(target_os = "linux") {
        return;
    }
    let dir = corpus();
    let name = "d".repeat(250);
    // Wrap a folder in a new one 18 times, each step a rename of short paths.
    let mut cur = dir.path().join("w0");
    std::fs::create_dir(&cur).expect("mkdir");
    std::fs::write(cur.join("deep.txt"), "The deep report.\n").expect("write");
    for i in 1..=18 {
        let wrap = dir.path().join(format!("w{i}"));
        std::fs::create_dir(&wrap).expect("mkdir");
        std::fs::rename(&cur, wrap.join(&name)).expect("rename");
        cur = wrap;
    }
    std::fs::rename(&cur, dir.path().join("c/deep")).expect("rename");
    let (code, err) = analyze(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("skipped: cannot read this folder"), "{err}");
    assert_eq!(err.matches("cannot read this folder").count(), 1, "{err}");
    let (code, _) = analyze(dir.path(), &["--strict"]);
    assert_eq!(code, 5);
}

/// A REFI-QDA project holding `qde` and `sources` (name, text).
fn qdpx(qde: &str, sources: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut parts = vec![("project.qde", qde.as_bytes().to_vec())];
    parts.extend(sources.iter().cloned());
    docx(&parts)
}

#[test]
fn qdpx_codings_outside_their_source_are_reported_not_dropped_silently() {
    let dir = tempfile::tempdir().expect("tmp");
    // "Hello world." has 12 characters: 0-5 lies inside, 5-500 does not.
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t">
 <CodeBook><Codes><Code guid="c1" name="info" isCodable="true"/></Codes></CodeBook>
 <Sources>
  <TextSource guid="s1" name="a.txt">
   <PlainTextContent>Hello world.</PlainTextContent>
   <PlainTextSelection guid="x1" startPosition="0" endPosition="5"><Coding guid="k1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="x2" startPosition="5" endPosition="500"><Coding guid="k2"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
  </TextSource>
 </Sources>
</Project>"#;
    std::fs::write(dir.path().join("p.qdpx"), qdpx(qde, &[])).expect("write");
    let out = tanda()
        .current_dir(dir.path())
        .args(["import-qdpx", "p.qdpx", "-o", "sheet.csv"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("p.qdpx: 1 coding(s) left out")
            && err.contains("`info` in source `a.txt` at 5-500 (the source has 12 characters)"),
        "{err}"
    );
    assert!(err.contains("from 1 codings"), "{err}");
}

#[test]
fn a_qdpx_whose_sources_inflate_past_the_budget_together_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    // Three sources of 100 MB of spaces each: each under the 256 MB budget,
    // together over it. Spaces compress about 1000:1, so the file stays small.
    let mut src = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t"><Sources>"#
        .to_string();
    let big = vec![b' '; 100 << 20];
    let mut files = Vec::new();
    for i in 0..3 {
        src.push_str(&format!(
            r#"<TextSource guid="s{i}" name="s{i}.txt" plainTextPath="internal://s{i}.txt"/>"#
        ));
        files.push((
            ["sources/s0.txt", "sources/s1.txt", "sources/s2.txt"][i],
            big.clone(),
        ));
    }
    src.push_str("</Sources></Project>");
    std::fs::write(dir.path().join("p.qdpx"), qdpx(&src, &files)).expect("write");
    let out = tanda()
        .current_dir(dir.path())
        .args(["import-qdpx", "p.qdpx", "-o", "sheet.csv"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("expand past 256 MB when unzipped"), "{err}");
    assert!(!dir.path().join("sheet.csv").exists());
}
