//! `tanda code --jsonl` on hostile input: one bad line is reported (file and
//! line named) and skipped while the others are coded; a line over
//! `--max-doc-mb` is never held whole; a byte-order mark is not text;
//! `--strict` stops with exit 5. The record is pinned against one worked
//! out by hand. The readers behind the fuzz targets (JSON lines, coder
//! sheets, .qdpx) get 2,000 random inputs each, with a fixed seed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CODEBOOK: &str = r#"name = "T"
version = "1"

[[category]]
id = "info"
label = "Information"
description = "Data, reports, surveys."
entries = ["report", "data", "survey*"]

[[category]]
id = "lobby"
label = "Lobbying"
description = "Lobbying."
entries = ["lobb*"]
"#;

/// Run `tanda code --jsonl --codebook <CODEBOOK> ARGS` with `stdin`.
fn code(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let cb = dir.join("t.toml");
    std::fs::write(&cb, CODEBOOK).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tanda"))
        .args(["code", "--jsonl", "--codebook"])
        .arg(&cb)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    // Written from a thread: the child writes while it reads.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `doc_id` of each output line.
fn doc_ids(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["doc_id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn the_record_is_the_one_worked_out_by_hand() {
    let t = tempfile::tempdir().unwrap();
    // Paragraph 1: "Él publicó data y un report." É and ó are 2 bytes each,
    // so bytes and characters differ. Characters: "Él " 0-2, "publicó " 3-10,
    // "data" 11-14 (end 15), " y un " 15-20, "report" 21-26 (end 27).
    // Words: Él publicó data y un report = 6.
    // Paragraph 2: Thai ข้อมูล is 6 code points (ข ้ อ ม ู ล, 18 bytes),
    // a space, then "survey" at 7 (end 13).
    let line = "{\"zeta\":1,\"id\":\"d1\",\"text\":\"Él publicó data y un report.\\n\\nข้อมูล survey\",\"alpha\":\"x\"}\n";
    let out = code(t.path(), &["--quiet"], line.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    // Keys in alphabetical order (metadata too), as tanda has always
    // written them; the two categories sorted by id.
    let expected = concat!(
        r#"{"coded":["info"],"counts":{"info":2,"lobby":0},"doc_id":"d1","#,
        r#""hits":[{"category":"info","end":15,"entry":"data","matched":"data","start":11},"#,
        r#"{"category":"info","end":27,"entry":"report","matched":"report","start":21}],"#,
        r#""metadata":{"alpha":"x","zeta":1},"passage_id":"d1#p1","#,
        r#""text":"Él publicó data y un report.","unit":"paragraph","words":6}"#
    );
    assert_eq!(lines[0], expected);
    let p2: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(p2["passage_id"], "d1#p2");
    assert_eq!(
        p2["hits"],
        serde_json::json!([{"category": "info", "end": 13, "entry": "survey*",
                            "matched": "survey", "start": 7}])
    );
    // --no-hits: the same record without `hits`.
    let out = code(t.path(), &["--quiet", "--no-hits"], line.as_bytes());
    let first = stdout(&out).lines().next().unwrap().to_string();
    let without: String = expected.replace(
        concat!(
            r#""hits":[{"category":"info","end":15,"entry":"data","matched":"data","start":11},"#,
            r#"{"category":"info","end":27,"entry":"report","matched":"report","start":21}],"#
        ),
        "",
    );
    assert_eq!(first, without);
}

#[test]
fn a_line_that_is_not_utf8_is_named_and_the_others_are_coded() {
    let t = tempfile::tempdir().unwrap();
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\":\"a\",\"text\":\"data\"}\n");
    // Latin-1 "café": 0xE9 is not UTF-8. `{"id":"b","text":"caf` is
    // 1 + 4 + 1 + 3 + 1 + 6 + 1 + 1 + 3 = 21 bytes, so it is byte 22.
    input.extend_from_slice(b"{\"id\":\"b\",\"text\":\"caf\xE9\"}\n");
    input.extend_from_slice(b"{\"id\":\"c\",\"text\":\"report\"}\n");
    let out = code(t.path(), &[], &input);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(doc_ids(&out), ["a", "c"]);
    let err = stderr(&out);
    assert!(
        err.contains("stdin:2: skipped: not UTF-8 (an invalid byte at byte 22 of the line); save the input as UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("coded 2 document(s); skipped 1 line(s)"),
        "{err}"
    );
    // From a file, the file is named.
    let f = t.path().join("docs.jsonl");
    std::fs::write(&f, &input).unwrap();
    let out = code(t.path(), &[f.to_str().unwrap()], b"");
    assert_eq!(doc_ids(&out), ["a", "c"]);
    assert!(
        stderr(&out).contains(&format!("{}:2: skipped: not UTF-8", f.display())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bom_at_the_start_is_not_part_of_line_one() {
    let t = tempfile::tempdir().unwrap();
    let input = "\u{feff}{\"id\":\"a\",\"text\":\"data\"}\r\n{\"id\":\"b\",\"text\":\"x\"}\r\n";
    let out = code(t.path(), &[], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(doc_ids(&out), ["a", "b"]);
    assert!(!stderr(&out).contains("skipped"), "{}", stderr(&out));
}

#[test]
fn a_line_over_max_doc_mb_is_skipped_and_the_next_coded() {
    let t = tempfile::tempdir().unwrap();
    // --max-doc-mb 1: a line of 1,100,000 bytes is over (1 MB is 1,048,576
    // bytes, and over 1,000,000 too); one of 900,000 is under.
    let line = |id: &str, len: usize| {
        let head = format!("{{\"id\":\"{id}\",\"text\":\"");
        let pad = len - head.len() - 2;
        format!(
            "{head}{}\"}}\n",
            "a ".repeat(pad / 2) + &"a".repeat(pad % 2)
        )
    };
    let (big, fits) = (line("big", 1_100_000), line("fits", 900_000));
    assert_eq!((big.len(), fits.len()), (1_100_001, 900_001));
    let input = format!("{}{big}{fits}", line("a", 100));
    let out = code(t.path(), &["--max-doc-mb", "1"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(doc_ids(&out), ["a", "fits"]);
    let err = stderr(&out);
    let msg = "stdin:2: skipped: the line exceeds 1 MB (--max-doc-mb to raise)";
    assert_eq!(err.matches(msg).count(), 1, "{err}");
    // The default cap (16 MB) takes the same line.
    let out = code(t.path(), &["--quiet"], input.as_bytes());
    assert_eq!(doc_ids(&out), ["a", "big", "fits"]);
}

#[test]
fn zeros_without_a_newline_are_reported_once() {
    let t = tempfile::tempdir().unwrap();
    // Like `head -c N /dev/zero | tanda code --jsonl`: one endless line.
    let out = code(t.path(), &["--max-doc-mb", "1"], &vec![0u8; 3 << 20]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert_eq!(err.matches("skipped:").count(), 1, "{err}");
    assert!(
        err.contains("stdin:1: skipped: the line exceeds 1 MB"),
        "{err}"
    );
}

#[test]
fn strict_stops_at_the_first_bad_line_with_exit_5() {
    let t = tempfile::tempdir().unwrap();
    let input = "{\"id\":\"a\",\"text\":\"data\"}\nnot json\n{\"id\":\"c\",\"text\":\"x\"}\n";
    let out = code(t.path(), &["--strict"], input.as_bytes());
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    // What came before the bad line is written; nothing after it.
    assert_eq!(doc_ids(&out), ["a"]);
    assert!(stderr(&out).contains("stdin:2"), "{}", stderr(&out));
    // Without --strict: exit 0, both good lines coded.
    let out = code(t.path(), &[], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(doc_ids(&out), ["a", "c"]);
}

#[test]
fn each_kind_of_bad_line_says_why_and_what_to_do() {
    let t = tempfile::tempdir().unwrap();
    let input = concat!(
        "{\"id\":\"ok1\",\"text\":\"data\"}\n",
        "{\"id\": \"x\", \"text\": \n",
        "[1, 2]\n",
        "{\"text\":\"no id\"}\n",
        "\n",
        "{\"id\":\"x\",\"body\":\"no text\"}\n",
        "{\"id\":7,\"text\":\"numeric id\"}\n",
    );
    let out = code(t.path(), &[], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(doc_ids(&out), ["ok1", "7"]);
    let err = stderr(&out);
    for want in [
        "stdin:2: skipped: not JSON (",
        "; give one JSON object per line",
        "stdin:3: skipped: a JSON array where an object is expected; give one JSON object per line",
        "stdin:4: skipped: no `id` field (a string or number); add it, or name the id field with --id-field",
        "stdin:6: skipped: no `text` string field; add it, or name the text field with --text-field",
        "coded 2 document(s); skipped 4 line(s)",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    // --text-field names another field.
    let out = code(t.path(), &["--text-field", "body"], input.as_bytes());
    assert!(doc_ids(&out).contains(&"x".to_string()), "{}", stdout(&out));
}

#[test]
fn coded_lines_read_back_by_report() {
    let t = tempfile::tempdir().unwrap();
    let input = "\u{feff}{\"id\":\"a\",\"text\":\"data and a report\\n\\nlobbying\"}\n";
    let out = code(t.path(), &["--quiet"], input.as_bytes());
    let coded = t.path().join("coded.jsonl");
    std::fs::write(&coded, &out.stdout).unwrap();
    let rep = Command::new(env!("CARGO_BIN_EXE_tanda"))
        .arg("report")
        .arg(&coded)
        .args(["--codebook", t.path().join("t.toml").to_str().unwrap()])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(rep.status.success(), "{}", stderr(&rep));
    // Two passages: p1 coded info (data, report: 2 hits), p2 coded lobby
    // (lobbying: 1 hit). Columns: by, group, category, label, depth,
    // passages, passages_coded, …, hits (the 12th).
    let csv = stdout(&rep);
    let row = |id: &str| -> Vec<String> {
        csv.lines()
            .map(|l| l.split(',').map(String::from).collect::<Vec<_>>())
            .find(|f| f.get(2).map(String::as_str) == Some(id))
            .unwrap_or_else(|| panic!("{id}: {csv}"))
    };
    let header = row("category");
    assert_eq!(
        (&header[5][..], &header[6][..], &header[11][..]),
        ("passages", "passages_coded", "hits")
    );
    for (id, hits) in [("info", "2"), ("lobby", "1")] {
        let r = row(id);
        assert_eq!(
            (&r[5][..], &r[6][..], &r[11][..]),
            ("2", "1", hits),
            "{csv}"
        );
    }
    // A record cut short is refused, naming the line.
    let mut cut = out.stdout.clone();
    cut.extend_from_slice(b"{\"doc_id\":\"z\"}\n");
    std::fs::write(&coded, &cut).unwrap();
    let rep = Command::new(env!("CARGO_BIN_EXE_tanda"))
        .arg("report")
        .arg(&coded)
        .args(["--codebook", t.path().join("t.toml").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(rep.status.code(), Some(4), "{}", stderr(&rep));
    assert!(
        stderr(&rep).contains(":3:") || stderr(&rep).contains("line 3"),
        "{}",
        stderr(&rep)
    );
}

// ---------------------------------------------------------------------------
// The fuzz targets' entry points on random input (fixed seed)
// ---------------------------------------------------------------------------

/// xorshift64*: a fixed, dependency-free stream of pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// `base` with a few bytes replaced, inserted or cut, from `alphabet`
    /// or any byte; or wholly random bytes.
    fn mutate(&mut self, base: &[u8], alphabet: &[u8]) -> Vec<u8> {
        if self.below(8) == 0 {
            let n = self.below(300);
            return (0..n).map(|_| self.next() as u8).collect();
        }
        let mut v = base.to_vec();
        for _ in 0..1 + self.below(6) {
            let b = if self.below(3) == 0 {
                self.next() as u8
            } else {
                alphabet[self.below(alphabet.len())]
            };
            let at = self.below(v.len() + 1);
            match self.below(3) {
                0 if at < v.len() => v[at] = b,
                1 => v.insert(at, b),
                _ if at < v.len() => {
                    let end = (at + self.below(20)).min(v.len());
                    v.drain(at..end);
                }
                _ => v.push(b),
            }
        }
        v
    }
}

const ALPHABET: &[u8] = b"0123456789{}[]\":,\\\n\r <>/=&;#-. \xE0\xB8\x82\xC3\xA9\xEF\xBB\xBF\xFF";

#[test]
fn random_json_lines_never_panic_and_records_read_back() {
    use tanda::jsonl::{Lines, Options, Record, code_line};
    let (cb, _) = tanda::codebook::load(None).unwrap();
    let m = tanda::codebook::Matcher::compile(&cb);
    let base = "{\"id\":\"d1\",\"text\":\"The NGO published a report with data.\\n\\nข้อมูล café lobbied\",\"year\":2020}\n{\"id\":2,\"text\":\"survey\"}\n";
    let mut rng = Rng(0x5EED_0001);
    let (mut records, mut errors) = (0, 0);
    for _ in 0..2000 {
        let input = rng.mutate(base.as_bytes(), ALPHABET);
        let mut lines = Lines::new(&input[..], 64 + rng.below(200));
        while let Some((_, line)) = lines.next_line().unwrap() {
            let Ok(line) = line else {
                errors += 1;
                continue;
            };
            match code_line(&m, &Options::default(), &line) {
                Ok(recs) => {
                    for r in recs {
                        assert_eq!(Record::from_line(&r.to_line()).unwrap(), r);
                        records += 1;
                    }
                }
                Err(_) => errors += 1,
            }
        }
    }
    // Both paths were taken many times.
    assert!(
        records > 500 && errors > 500,
        "{records} records, {errors} errors"
    );
}

#[test]
fn random_coder_sheets_never_panic() {
    let base =
        b"passage_id,text,info,lobby\nd1#p1,\"some, text\",1,0\nd1#p2,more,yes,\nd2#p1,x,0,1\n";
    let mut rng = Rng(0x5EED_0002);
    let mut ok = 0;
    for i in 0..2000 {
        let input = rng.mutate(base, ALPHABET);
        let name = ["coder.csv", "coder.tsv", "coder.xlsx"][i % 3];
        ok += usize::from(tanda::agree::coders::from_bytes(Path::new(name), &input).is_ok());
    }
    assert!(tanda::agree::coders::from_bytes(Path::new("c.csv"), base).is_ok());
    assert!(ok > 100, "{ok} read");
}

#[test]
fn random_qdpx_projects_never_panic() {
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project name="p" xmlns="urn:QDA-XML:project:1.0"><CodeBook><Codes><Code guid="c1" name="info"><Code guid="c2" name="info.sub"/></Code></Codes></CodeBook>
<Sources><TextSource guid="s1" name="d1#p1"><Description>tanda unit=paragraph</Description><PlainTextContent>Él publicó data. ข้อมูล survey</PlainTextContent><PlainTextSelection guid="x1" startPosition="3" endPosition="10"><Coding guid="y1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection><PlainTextSelection guid="x2" startPosition="18" endPosition="24"><Coding guid="y2"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection></TextSource></Sources></Project>"#;
    let zipped = |qde: &[u8]| {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("project.qde", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(qde).unwrap();
        z.finish().unwrap();
        buf.into_inner()
    };
    let p = Path::new("fuzz.qdpx");
    let good = tanda::qdpx::import_bytes(p, &zipped(qde.as_bytes())).unwrap();
    assert_eq!(good.codes, ["info", "info.sub"]);
    let mut rng = Rng(0x5EED_0003);
    let mut ok = 0;
    for i in 0..2000 {
        // Mostly the XML mutated inside a sound zip; some zips mutated.
        let bytes = if i % 4 == 0 {
            rng.mutate(&zipped(qde.as_bytes()), ALPHABET)
        } else {
            zipped(&rng.mutate(qde.as_bytes(), ALPHABET))
        };
        if let Ok(imp) = tanda::qdpx::import_bytes(p, &bytes) {
            let _ = tanda::qdpx::coder_sheet(&imp);
            ok += 1;
        }
    }
    assert!(ok > 100, "{ok} read");
}
