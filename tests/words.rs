//! `tanda freq` and `tanda keyness` on the weighted fixture (synthetic),
//! with counts worked out by hand from its five passages:
//!
//! story#p1 "Activists said the government violated its commitments to children." (9)
//! story#p2 "A phone company sold a cheap data plan to students." (10)
//! story#p3 "The survey data show many cases." (6)
//! law#p1   "The ministry shall keep its commitments under this ayat." (9)
//! law#p2   "Officials who violate this article shall be removed." (8)

mod common;
use common::{fixture, parse_csv, tanda};

fn freq(extra: &[&str]) -> Vec<Vec<String>> {
    let out = tanda()
        .args(["freq", "--format", "csv", "--top", "500"])
        .args(extra)
        .arg(fixture("weighted"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    parse_csv(&out).1
}

fn row<'a>(rows: &'a [Vec<String>], group: &str, term: &str) -> Option<&'a Vec<String>> {
    rows.iter().find(|r| r[0] == group && r[1] == term)
}

#[test]
fn freq_counts_terms_and_documents() {
    let rows = freq(&[]);
    // group, term, frequency, documents
    let the = row(&rows, "all", "the").expect("the");
    assert_eq!(&the[2..4], ["3", "2"]);
    // "A … a cheap": both in one document.
    assert_eq!(&row(&rows, "all", "a").expect("a")[2..4], ["2", "1"]);
    assert_eq!(
        &row(&rows, "all", "shall").expect("shall")[2..4],
        ["2", "1"]
    );
    // 42 words, all with letters: "the" is 3 of 42 terms = 71.429 per 1,000.
    assert_eq!(the[4], "71.429");
    let total: u64 = rows.iter().map(|r| r[2].parse::<u64>().expect("n")).sum();
    assert_eq!(total, 42);

    // Two-word phrases: "its commitments" in story#p1 and law#p1.
    let bi = freq(&["--ngrams", "2"]);
    assert_eq!(
        &row(&bi, "all", "its commitments").expect("bigram")[2..4],
        ["2", "2"]
    );
    // By source type (the first folder): "shall" only in statutes.
    let by = freq(&["--by", "source_type"]);
    assert_eq!(
        &row(&by, "statutes", "shall").expect("shall")[2..4],
        ["2", "1"]
    );
    assert!(row(&by, "news", "shall").is_none());
}

#[test]
fn unmatched_leaves_out_every_word_an_entry_matches() {
    // Function words kept, so every unmatched word is counted
    // (tests/suggest.rs checks that they are left out by default).
    let rows = freq(&[
        "--unmatched",
        "--keep-stopwords",
        "--codebook",
        &fixture("weighted.toml").display().to_string(),
    ]);
    // Matched by some entry (counted, counter-indicator or weight 0 alike):
    for t in [
        "violated",
        "violate",
        "commitments",
        "shall",
        "ayat",
        "data",
        "plan",
        "survey",
    ] {
        assert!(row(&rows, "all", t).is_none(), "{t} is matched");
    }
    assert_eq!(&row(&rows, "all", "the").expect("the")[2..4], ["3", "2"]);
    // 42 words less 11 matched atoms (violated, commitments, data, plan,
    // survey, data, shall, commitments, ayat, violate, shall) = 31.
    let total: u64 = rows.iter().map(|r| r[2].parse::<u64>().expect("n")).sum();
    assert_eq!(total, 31);
}

/// G² of [[a, b], [c, d]] from its definition.
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

#[test]
fn keyness_of_a_category_against_the_rest() {
    let dir = tempfile::tempdir().expect("tmp");
    tanda()
        .args(["analyze", "--quiet"])
        .arg(fixture("weighted"))
        .arg("--codebook")
        .arg(fixture("weighted.toml"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let out = tanda()
        .arg("keyness")
        .arg(dir.path())
        .args([
            "--target",
            "acc",
            "--min-count",
            "1",
            "--top",
            "100",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows = parse_csv(&out).1;
    // acc codes story#p1 only: 9 target terms, 33 in the rest.
    let violated = rows.iter().find(|r| r[0] == "violated").expect("violated");
    assert_eq!(&violated[1..5], ["1", "0", "9", "33"]);
    let want = g2(1.0, 0.0, 8.0, 33.0);
    let got: f64 = violated[5].parse().expect("g2");
    assert!((got - want).abs() < 1e-5, "{got} vs {want}");
    // log ratio: log2((1/9) / (0.5/33)).
    let lr: f64 = violated[7].parse().expect("lr");
    assert!((lr - ((1.0 / 9.0) / (0.5 / 33.0f64)).log2()).abs() < 1e-5);
    // Only over-represented terms are listed, strongest first.
    let g: Vec<f64> = rows.iter().map(|r| r[5].parse().expect("g2")).collect();
    assert!(g.iter().all(|&x| x > 0.0) && g.windows(2).all(|w| w[0] >= w[1]));
    // A bad target names what is there.
    tanda()
        .arg("keyness")
        .arg(dir.path())
        .args(["--target", "nope"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("neither a category (acc, info)"));
}

#[test]
fn agree_writes_the_disagreements_with_the_entries_that_fired() {
    let dir = tempfile::tempdir().expect("tmp");
    let res = dir.path().join("res");
    tanda()
        .args(["analyze", "--quiet"])
        .arg(fixture("weighted"))
        .arg("--codebook")
        .arg(fixture("weighted.toml"))
        .arg("--out")
        .arg(&res)
        .assert()
        .success();
    // A human coder: agrees on story#p1 (acc 1) and law#p1 (acc 0), codes
    // law#p2 acc 1 where tanda says 0, and leaves story#p2 blank.
    let sheet = dir.path().join("human.csv");
    std::fs::write(
        &sheet,
        "passage_id,acc\nnews/story.txt#p1,1\nnews/story.txt#p2,\nstatutes/law.txt#p1,0\nstatutes/law.txt#p2,1\n",
    )
    .expect("sheet");
    let out = dir.path().join("dis.csv");
    tanda()
        .arg("agree")
        .arg(&sheet)
        .arg(&res)
        .args(["--categories", "acc", "--disagreements"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains("1 disagreement(s)"));
    let mut r = csv::Reader::from_path(&out).expect("csv");
    let h: Vec<String> = r.headers().expect("h").iter().map(String::from).collect();
    assert_eq!(
        h,
        ["passage_id", "category", "human", "res", "entries", "text"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "statutes/law.txt#p2");
    assert_eq!((&rows[0][2], &rows[0][3]), ("1", "0"));
    // violate (+2) and shall (−2, a counter-indicator): score 0 < 1.
    assert_eq!(
        &rows[0][4],
        "res: violat* `violate`; res: shall `shall` (counter-indicator)"
    );
    assert_eq!(
        &rows[0][5],
        "Officials who violate this article shall be removed."
    );
}
