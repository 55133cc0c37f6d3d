//! `tanda suggest` on real runs of `tanda analyze`, with every expected
//! figure worked out by hand from the passages below.
//!
//! Fixture tests/fixtures/suggest: codebook.toml (lev: `sanction*`,
//! `boycott`, `pressure` with weight 0, a counter-indicator; info:
//! `report*`; acc: `promise*`), one document corpus/cases.txt, and a
//! hand-coded sheet.csv (columns lev, info; no acc):
//!
//! | id | text                                                       | lev hits (counted) | codebook lev | hand lev |
//! |----|------------------------------------------------------------|--------------------|--------------|----------|
//! | p1 | Activists urged a boycott of tourism companies.            | boycott            | 1            | 1 → TP   |
//! | p2 | Tourism companies signed a code of conduct under pressure. | (pressure, w 0)    | 0            | 1 → FN   |
//! | p3 | Under donor pressure, tourism companies signed the code.   | (pressure, w 0)    | 0            | 1 → FN   |
//! | p4 | Officials discussed sanctions on paper only.               | sanction*          | 1            | 0 → FP   |
//! | p5 | The weather report described heavy rain.                   | —                  | 0            | 0 → TN   |
//! | p6 | A boycott of the festival was cancelled.                   | boycott            | 1            | 0 → FP   |
//! | p7 | Sanctions and a boycott forced the ministry to act.        | sanction*, boycott | 1            | 1 → TP   |
//! | p8 | Tourism companies grew fast.                               | —                  | 0            | (not in the sheet) |
//!
//! Terms (function words left out: a term may not begin or end with one;
//! `a of under the on only and to was` are function words; a phrase stops
//! at the comma of p3):
//!
//! | id | words (1)                                       | n | phrases of 2                                  | n |
//! |----|-------------------------------------------------|---|-----------------------------------------------|---|
//! | p1 | activists urged boycott tourism companies       | 5 | activists urged, tourism companies            | 2 |
//! | p2 | tourism companies signed code conduct pressure  | 6 | tourism companies, companies signed           | 2 |
//! | p3 | donor pressure tourism companies signed code    | 6 | donor pressure, tourism companies, companies signed | 3 |
//! | p4 | officials discussed sanctions paper             | 4 | officials discussed, discussed sanctions      | 2 |
//! | p5 | weather report described heavy rain             | 5 | weather report, report described, described heavy, heavy rain | 4 |
//! | p6 | boycott festival cancelled                      | 3 | —                                             | 0 |
//! | p7 | sanctions boycott forced ministry act           | 5 | boycott forced                                | 1 |
//! | p8 | tourism companies grew fast                     | 4 | tourism companies, companies grew, grew fast  | 3 |
//!
//! lev, false negatives p2 + p3: 12 words, 5 phrases. The rest of the sample
//! (p1 p4 p5 p6 p7): 22 words, 9 phrases; with p8 (--against corpus): 26
//! words, 12 phrases.

mod common;
use common::{fixture, parse_csv, read_csv, tanda};

/// G² of [[a, b], [c, d]] from its definition (2 Σ O ln(O/E)).
fn g2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let n = a + b + c + d;
    let cell = |o: f64, r: f64, k: f64| {
        let e = r * k / n;
        if o > 0.0 { o * (o / e).ln() } else { 0.0 }
    };
    2.0 * (cell(a, a + b, a + c)
        + cell(b, a + b, b + d)
        + cell(c, c + d, a + c)
        + cell(d, c + d, b + d))
}

/// The fixture corpus analysed into a fresh results folder.
fn analyze() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    tanda()
        .args(["analyze", "--quiet"])
        .arg(fixture("suggest/corpus"))
        .arg("--codebook")
        .arg(fixture("suggest/codebook.toml"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    dir
}

/// `tanda suggest` on the fixture: (CSV rows, standard error).
fn suggest(
    results: &std::path::Path,
    sheet: &std::path::Path,
    extra: &[&str],
) -> (Vec<Vec<String>>, String) {
    let out = tanda()
        .arg("suggest")
        .arg(fixture("suggest/codebook.toml"))
        .arg("--agree")
        .arg(sheet)
        .arg(results)
        .args(["--format", "csv"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .clone();
    (
        parse_csv(&out.stdout).1,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn rows_of<'a>(rows: &'a [Vec<String>], category: &str, kind: &str) -> Vec<&'a Vec<String>> {
    rows.iter()
        .filter(|r| r[0] == category && r[1] == kind)
        .collect()
}

const P: &str = "cases.txt#p";

#[test]
fn missed_terms_and_false_positive_entries_by_hand() {
    let res = analyze();
    let (rows, err) = suggest(
        res.path(),
        &fixture("suggest/sheet.csv"),
        &["--ngrams", "1-2"],
    );

    // Missed terms of lev seen at least twice (--min-count 2) in p2 + p3
    // and over-represented:
    //   code, signed       2 in FN, 0 in the rest (words: 12 vs 22)
    //   tourism, companies 2 in FN, 1 in the rest (p1)
    //   companies signed   2 in FN, 0 in the rest (phrases: 5 vs 9)
    //   tourism companies  2 in FN, 1 in the rest (p1)
    //   pressure           2 in FN, 0: but lev's entry `pressure` matches
    //                      it, so it is left out by default.
    // Order by G² (computed here from the 2 × 2 tables), ties by term.
    let mut want: Vec<(&str, u64, u64, u64, u64)> = vec![
        ("code", 2, 0, 12, 22),
        ("signed", 2, 0, 12, 22),
        ("tourism", 2, 1, 12, 22),
        ("companies", 2, 1, 12, 22),
        ("companies signed", 2, 0, 5, 9),
        ("tourism companies", 2, 1, 5, 9),
    ];
    let g = |w: &(&str, u64, u64, u64, u64)| {
        g2(
            w.1 as f64,
            w.2 as f64,
            (w.3 - w.1) as f64,
            (w.4 - w.2) as f64,
        )
    };
    want.sort_by(|a, b| g(b).partial_cmp(&g(a)).expect("finite").then(a.0.cmp(b.0)));
    let missed = rows_of(&rows, "lev", "missed");
    let got: Vec<(&str, u64, u64, u64, u64)> = missed
        .iter()
        .map(|r| {
            let n = |i: usize| r[i].parse::<u64>().expect("count");
            (r[2].as_str(), n(4), n(5), n(7), n(8))
        })
        .collect();
    assert_eq!(got, want);
    // G² of the first row against the formula, and its log ratio
    // log2((a / nt) / (0.5 / nr)) for a zero in the reference.
    // "companies signed": [[2, 0], [3, 9]].
    let first = missed[0];
    assert_eq!(first[2], "companies signed");
    let want_g2 = g2(2.0, 0.0, 3.0, 9.0);
    let got_g2: f64 = first[9].parse().expect("g2");
    assert!((got_g2 - want_g2).abs() < 1e-5, "{got_g2} vs {want_g2}");
    let lr: f64 = first[11].parse().expect("lr");
    assert!((lr - ((2.0 / 5.0) / (0.5 / 9.0f64)).log2()).abs() < 1e-5);
    // In both false-negative passages, which are the examples.
    for r in &missed {
        assert_eq!(r[6], "2", "{r:?}");
        assert_eq!(r[12], "no");
        assert_eq!(r[15], format!("{P}2 {P}3"));
    }
    assert!(missed.iter().all(|r| r[2] != "pressure"));
    // Function words are not terms: `a`, `of`, `the`, `under`, `code of`.
    for t in ["a", "of", "the", "under", "code of", "of conduct"] {
        assert!(missed.iter().all(|r| r[2] != t), "{t}");
    }

    // False positives of lev: p4 (sanction*) and p6 (boycott). In the true
    // positives sanction* fired in p7, boycott in p1 and p7. Both 1 FP;
    // fewer TPs first: sanction* (1), then boycott (2).
    let fp: Vec<(&str, &str, &str, &str)> = rows_of(&rows, "lev", "false_positive")
        .iter()
        .map(|r| {
            (
                r[2].as_str(),
                r[13].as_str(),
                r[14].as_str(),
                r[15].as_str(),
            )
        })
        .collect();
    let (p4, p6) = (format!("{P}4"), format!("{P}6"));
    assert_eq!(
        fp,
        [
            ("sanction*", "1", "1", p4.as_str()),
            ("boycott", "1", "2", p6.as_str())
        ]
    );
    assert!(
        rows_of(&rows, "lev", "false_positive")
            .iter()
            .all(|r| r[3] == "lev")
    );

    // info: p5 coded by hand and by the codebook, nothing else: no rows.
    assert!(rows.iter().all(|r| r[0] != "info"));
    // acc has no column in the sheet: skipped, with a warning naming the
    // sheet and the category.
    assert!(rows.iter().all(|r| r[0] != "acc"));
    assert!(
        err.contains("sheet.csv: no column for category `acc`; skipped"),
        "{err}"
    );
}

#[test]
fn already_matched_terms_and_the_corpus_as_reference() {
    let res = analyze();
    let sheet = fixture("suggest/sheet.csv");
    // pressure: 2 in p2 + p3, 0 in the rest; an entry of lev (weight 0)
    // matches it, so with --include-matched it is listed and flagged.
    let (rows, _) = suggest(res.path(), &sheet, &["--ngrams", "1", "--include-matched"]);
    let missed = rows_of(&rows, "lev", "missed");
    let pressure = missed
        .iter()
        .find(|r| r[2] == "pressure")
        .expect("pressure");
    assert_eq!(
        (&pressure[4][..], &pressure[5][..], &pressure[12][..]),
        ("2", "0", "yes")
    );
    assert_eq!(missed.iter().filter(|r| r[12] == "yes").count(), 1);

    // Against the corpus the reference gains p8 (tourism companies grew
    // fast): words 22 + 4 = 26, tourism 1 + 1 = 2. G² of [[2, 2], [10, 24]].
    let (rows, _) = suggest(
        res.path(),
        &sheet,
        &["--ngrams", "1", "--against", "corpus"],
    );
    let tourism = rows_of(&rows, "lev", "missed")
        .into_iter()
        .find(|r| r[2] == "tourism")
        .expect("tourism");
    assert_eq!(&tourism[4..9], ["2", "2", "2", "12", "26"]);
    let got: f64 = tourism[9].parse().expect("g2");
    assert!((got - g2(2.0, 2.0, 10.0, 24.0)).abs() < 1e-5);

    // --keep-stopwords: `under` (p2, p3; nowhere else) is a term again.
    // Words with function words: p2 9 + p3 8 = 17 in the false negatives;
    // p1 7 + p4 6 + p5 6 + p6 7 + p7 9 = 35 in the rest.
    let (rows, _) = suggest(res.path(), &sheet, &["--ngrams", "1", "--keep-stopwords"]);
    let under = rows_of(&rows, "lev", "missed")
        .into_iter()
        .find(|r| r[2] == "under")
        .expect("under");
    assert_eq!(&under[4..9], ["2", "0", "2", "17", "35"]);
    let got: f64 = under[9].parse().expect("g2");
    assert!((got - g2(2.0, 0.0, 15.0, 35.0)).abs() < 1e-5);
}

#[test]
fn out_file_holds_the_rows_and_the_table_says_what_it_is() {
    let res = analyze();
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("s.csv");
    let out = tanda()
        .arg("suggest")
        .arg(fixture("suggest/codebook.toml"))
        .arg("--agree")
        .arg(fixture("suggest/sheet.csv"))
        .arg(res.path())
        .args(["--ngrams", "1-2", "--out"])
        .arg(&csv)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8_lossy(&out);
    assert!(
        table.contains("nothing is changed in the codebook"),
        "{table}"
    );
    assert!(
        table.contains("lev (Leverage): 2 true positives, 2 false negatives, 2 false positives, 1 true negative"),
        "{table}"
    );
    let (header, rows) = read_csv(&csv);
    assert_eq!(header[..3], ["category", "kind", "text"]);
    let (stdout_rows, _) = suggest(
        res.path(),
        &fixture("suggest/sheet.csv"),
        &["--ngrams", "1-2"],
    );
    assert_eq!(rows, stdout_rows);
    // JSON: the 2 × 2 cells of each category.
    let json = dir.path().join("s.json");
    tanda()
        .arg("suggest")
        .arg(fixture("suggest/codebook.toml"))
        .arg("--agree")
        .arg(fixture("suggest/sheet.csv"))
        .arg(res.path())
        .arg("--out")
        .arg(&json)
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("json")).expect("parses");
    let lev = &v["categories"][0];
    assert_eq!(lev["category"], "lev");
    assert_eq!(
        (
            lev["tp"].as_u64(),
            lev["fn"].as_u64(),
            lev["fp"].as_u64(),
            lev["tn"].as_u64()
        ),
        (Some(2), Some(2), Some(2), Some(1))
    );
    // info: p5 a true positive, p1-p4, p6, p7 true negatives.
    let info = &v["categories"][1];
    assert_eq!(
        (info["tp"].as_u64(), info["tn"].as_u64()),
        (Some(1), Some(6))
    );
}

#[test]
fn sheet_passages_not_in_the_results_are_named() {
    let res = analyze();
    let dir = tempfile::tempdir().expect("tmp");
    // One passage the results do not hold: left out, with a warning that
    // names the sheet, the passage and what to do; the rest is still used.
    let some = dir.path().join("some.csv");
    let text = std::fs::read_to_string(fixture("suggest/sheet.csv")).expect("sheet");
    std::fs::write(&some, format!("{text}cases.txt#p99,Gone.,1,0\n")).expect("write");
    let (rows, err) = suggest(res.path(), &some, &["--ngrams", "1"]);
    assert!(
        err.contains("some.csv: 1 of its 8 passages are not in the results folder"),
        "{err}"
    );
    assert!(err.contains("`cases.txt#p99`"), "{err}");
    assert!(err.contains("tanda sample"), "{err}");
    assert!(!rows_of(&rows, "lev", "false_positive").is_empty());

    // None of them (sentence ids against paragraph results): an input
    // error (exit 4) naming the sheet, the ids and the way out.
    let none = dir.path().join("sentences.csv");
    std::fs::write(&none, "passage_id,lev\ncases.txt#s1,1\ncases.txt#s2,0\n").expect("write");
    let out = tanda()
        .arg("suggest")
        .arg(fixture("suggest/codebook.toml"))
        .arg("--agree")
        .arg(&none)
        .arg(res.path())
        .assert()
        .code(4)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    for want in [
        "sentences.csv: none of its 2 passages is in the results folder",
        "`cases.txt#s1`",
        "look like `cases.txt#p1` (unit `paragraph`)",
        "the same --unit",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
}

#[test]
fn indonesian_forms_and_thai_words_as_the_coder_sees_them() {
    // lev needs two hits; `desak` and `boikot` are Indonesian roots, so
    // mendesak and memboikot match them.
    //   r1 LSM dan aktivis mendesak perusahaan pariwisata. 1 hit → 0; hand 1: FN
    //   r2 Perusahaan pariwisata dan pemerintah mendesak.   1 hit → 0; hand 1: FN
    //   r3 LSM mendesak dan memboikot perusahaan.     2 hits → 1; hand 1: TP
    //   r4 Cuaca buruk di Jakarta.                    0      → 0; hand 0: TN
    //   r5 รายงานและข้อมูล   (report and data)           0      → 0; hand 1: FN
    //   r6 รายงานและรัฐบาล   (report and government)     0      → 0; hand 1: FN
    // In the false negatives: perusahaan 2 (rest: r3, 1), pariwisata 2
    // (rest 0), mendesak 2 (rest 1; matched by `desak`), รายงาน 2 (rest 0,
    // once in each Thai passage, cut from the words around it). The
    // function words และ (2 in the false negatives, 0 in the rest) and dan
    // (2, rest 1) would be listed too; they are left out.
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("dir");
    std::fs::write(
        corpus.join("kasus.txt"),
        "LSM dan aktivis mendesak perusahaan pariwisata.\n\nPerusahaan pariwisata dan pemerintah mendesak.\n\n\
         LSM mendesak dan memboikot perusahaan.\n\nCuaca buruk di Jakarta.\n\n\
         รายงานและข้อมูล\n\nรายงานและรัฐบาล\n",
    )
    .expect("write");
    let cb = dir.path().join("id.toml");
    std::fs::write(
        &cb,
        "name = \"ID\"\nversion = \"1\"\nmorphology = \"id\"\n\n[[category]]\nid = \"lev\"\n\
         label = \"Leverage\"\ndescription = \"x\"\nthreshold = 2\nentries = [\"desak\", \"boikot\"]\n",
    )
    .expect("write");
    let sheet = dir.path().join("sheet.csv");
    std::fs::write(
        &sheet,
        "passage_id,lev\nkasus.txt#p1,1\nkasus.txt#p2,1\nkasus.txt#p3,1\nkasus.txt#p4,0\nkasus.txt#p5,1\nkasus.txt#p6,1\n",
    )
    .expect("write");
    let res = dir.path().join("res");
    tanda()
        .args(["analyze", "--quiet"])
        .arg(&corpus)
        .arg("--codebook")
        .arg(&cb)
        .arg("--out")
        .arg(&res)
        .assert()
        .success();
    let run = |extra: &[&str]| {
        let out = tanda()
            .arg("suggest")
            .arg(&cb)
            .arg("--agree")
            .arg(&sheet)
            .arg(&res)
            .args(["--ngrams", "1", "--format", "csv"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        parse_csv(&out).1
    };
    let rows = run(&[]);
    let counts = |rows: &[Vec<String>], t: &str| {
        rows.iter()
            .find(|r| r[1] == "missed" && r[2] == t)
            .map(|r| (r[4].clone(), r[5].clone(), r[12].clone()))
    };
    let s = |a: &str, b: &str, c: &str| Some((a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(counts(&rows, "pariwisata"), s("2", "0", "no"));
    assert_eq!(counts(&rows, "perusahaan"), s("2", "1", "no"));
    assert_eq!(counts(&rows, "รายงาน"), s("2", "0", "no"));
    for t in ["mendesak", "และ", "dan"] {
        assert_eq!(counts(&rows, t), None, "{t}");
    }
    let rows = run(&["--include-matched"]);
    assert_eq!(counts(&rows, "mendesak"), s("2", "1", "yes"));
    let rows = run(&["--keep-stopwords"]);
    assert_eq!(counts(&rows, "และ"), s("2", "0", "no"));
    assert_eq!(counts(&rows, "dan"), s("2", "1", "no"));
}

#[test]
fn freq_unmatched_leaves_out_function_words_unless_kept() {
    let freq = |extra: &[&str]| {
        let out = tanda()
            .args([
                "freq",
                "--format",
                "csv",
                "--top",
                "500",
                "--unmatched",
                "--codebook",
            ])
            .arg(fixture("suggest/codebook.toml"))
            .args(extra)
            .arg(fixture("suggest/corpus"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        parse_csv(&out).1
    };
    let find = |rows: &[Vec<String>], t: &str| {
        rows.iter()
            .find(|r| r[1] == t)
            .map(|r| (r[2].clone(), r[3].clone()))
    };
    let rows = freq(&[]);
    // `the` in p3, p5, p6, p7; `a` in p1, p2, p6, p7: both left out.
    assert_eq!(find(&rows, "the"), None);
    assert_eq!(find(&rows, "a"), None);
    // tourism: p1, p2, p3, p8, all in one document.
    assert_eq!(find(&rows, "tourism"), Some(("4".into(), "1".into())));
    let kept = freq(&["--keep-stopwords"]);
    assert_eq!(find(&kept, "the"), Some(("4".into(), "1".into())));
    assert_eq!(find(&kept, "a"), Some(("4".into(), "1".into())));
}
