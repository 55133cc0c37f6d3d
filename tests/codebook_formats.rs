//! Codebook formats and rules on real files: LIWC fixtures (counts from
//! tests/fixtures/liwc/expected.md, made by a separate counter), Indonesian
//! morphology on real word pairs, and round trips that must code every
//! passage identically.

use std::path::Path;

mod common;
use common::{fixture, same_coding, tanda};
use predicates::prelude::*;
use proptest::prelude::*;
use tanda::codebook::{self, Codebook, Matcher, export};
use tanda::coder::code;

fn load(p: &Path) -> Codebook {
    codebook::load(Some(p))
        .unwrap_or_else(|e| panic!("{e}: {e:?}"))
        .0
}

fn counts(cb: &Codebook) -> Vec<(String, usize)> {
    cb.categories
        .iter()
        .map(|c| (c.id.clone(), c.entries.len()))
        .collect()
}

fn own(v: &[(&str, usize)]) -> Vec<(String, usize)> {
    v.iter().map(|(a, n)| (a.to_string(), *n)).collect()
}

#[test]
fn liwc2007_dic_with_conditional_entries() {
    let cb = load(&fixture("liwc/small2007.dic"));
    // expected.md: 11, 9, 8, 12, 8, 9, 7, 6 plain memberships; each of the
    // two conditional lines (`kind`, `like`: `(02 134)125/464`) adds an
    // AFTER rule to 125 (protection) and a NOTAFTER rule to 464 (harm), so
    // protection has 9 + 2 and harm 6 + 2.
    assert_eq!(
        counts(&cb),
        own(&[
            ("information", 11),
            ("symbolic", 9),
            ("leverage", 8),
            ("accountability", 12),
            ("actors", 8),
            ("protection", 11),
            ("affiliation", 7),
            ("harm", 8)
        ])
    );
    assert_eq!(cb.name, "small2007");
}

#[test]
fn messy_windows_1252_dic_reads_like_the_clean_one() {
    let (cb, warnings) = codebook::load(Some(&fixture("liwc/messy.dic"))).unwrap();
    assert!(warnings[0].message.contains("windows-1252"));
    let all: Vec<&str> = cb
        .categories
        .iter()
        .flat_map(|c| c.entries.iter().map(|e| e.text.as_str()))
        .collect();
    assert!(all.iter().any(|e| e.starts_with("café")), "{all:?}");
    assert!(all.iter().any(|e| e.starts_with("naïve")), "{all:?}");
}

#[test]
fn liwc2015_hierarchy_and_dicx_weights() {
    let cb = load(&fixture("liwc/hier2015.dic"));
    let m = Matcher::compile(&cb);
    assert!(
        m.categories
            .iter()
            .any(|c| c.depth == 1 && c.id.contains('.'))
    );
    let cb = load(&fixture("liwc/small.dicx"));
    assert_eq!(
        counts(&cb),
        own(&[
            ("information", 11),
            ("leverage", 10),
            ("naming__shaming", 6),
            ("accountability", 13)
        ])
    );
    let impunity = cb.categories[3]
        .entries
        .iter()
        .find(|e| e.text == "impunity")
        .unwrap();
    assert_eq!(impunity.weight, -1.0);
}

#[test]
fn broken_dictionaries_are_reported_by_line_not_crashed_on() {
    for f in ["liwc/broken.dic", "liwc/broken_closed.dic"] {
        let Err(tanda::Error::Codebook { diagnostics, .. }) = codebook::load(Some(&fixture(f)))
        else {
            panic!("{f} should not load");
        };
        assert!(diagnostics.iter().all(|d| d.pos.line >= 1));
        assert!(diagnostics.iter().all(|d| d.message.chars().count() < 300));
    }
}

#[test]
fn indonesian_morphology_on_real_word_pairs() {
    let text = std::fs::read_to_string(fixture("indonesian_pairs.tsv")).unwrap();
    let mut checked = (0, 0);
    let mut wrong = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (root, form, expect) = (f[0], f[1], f[3] == "yes");
        let src = format!(
            "name = \"m\"\nmorphology = \"id\"\n[[category]]\nid = \"a\"\nentries = [\"{root}\"]\n"
        );
        let (cb, _) = codebook::from_source(&src, "m.toml").unwrap();
        let m = Matcher::compile(&cb);
        let got = code(&m, form).counts[0] == 1;
        if expect {
            checked.0 += 1;
        } else {
            checked.1 += 1;
        }
        if got != expect {
            wrong.push(format!("{root} → {form} ({}): expected {expect}", f[2]));
        }
    }
    assert!(checked.0 >= 40 && checked.1 >= 10, "{checked:?}");
    assert!(
        wrong.is_empty(),
        "{} of {} pairs wrong:\n{}",
        wrong.len(),
        checked.0 + checked.1,
        wrong.join("\n")
    );
}

const VOCAB: &[&str] = &[
    "report",
    "reports",
    "lobby",
    "lobbying",
    "pressure",
    "law",
    "laws",
    "plan",
    "action",
    "national",
    "kampanye",
    "berkampanye",
    "anak",
    "data",
    "survey",
    "of",
    "the",
];

fn entry_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(VOCAB).prop_map(String::from),
        prop::sample::select(VOCAB).prop_map(|w| format!("{}*", &w[..w.len().min(4)])),
        (prop::sample::select(VOCAB), prop::sample::select(VOCAB))
            .prop_map(|(a, b)| format!("{a} {b}")),
    ]
}

fn codebook_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::btree_set(entry_strategy(), 1..6), 1..4).prop_map(
        |cats| {
            let mut s = String::from("name = \"p\"\n");
            for (i, entries) in cats.iter().enumerate() {
                let list: Vec<String> = entries.iter().map(|e| format!("\"{e}\"")).collect();
                s.push_str(&format!(
                    "[[category]]\nid = \"c{i}\"\nentries = [{}]\n",
                    list.join(", ")
                ));
            }
            s
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// TOML → dic → codebook and TOML → JSON → codebook code every text alike.
    #[test]
    fn exported_and_reimported_codebooks_code_identically(
        src in codebook_strategy(),
        texts in prop::collection::vec(prop::collection::vec(prop::sample::select(VOCAB), 0..30).prop_map(|w| w.join(" ")), 1..5),
    ) {
        let (cb, _) = codebook::from_source(&src, "p.toml").map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        let (dic, _) = export::to_dic(&cb);
        let (from_dic, _) = codebook::from_source(&dic, "p.dic").map_err(|d| TestCaseError::fail(format!("{d:?}\n{dic}")))?;
        same_coding(&cb, &from_dic, &texts).map_err(TestCaseError::fail)?;
        let json = export::to_json(&cb);
        let (from_json, _) = codebook::from_source(&json, "p.json").map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        same_coding(&cb, &from_json, &texts).map_err(TestCaseError::fail)?;
        let (dicx, _) = export::to_dicx(&cb);
        let (from_dicx, _) = codebook::from_source(&dicx, "p.dicx").map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        same_coding(&cb, &from_dicx, &texts).map_err(TestCaseError::fail)?;
    }

    /// No input makes a codebook parser panic.
    #[test]
    fn parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for name in ["x.toml", "x.json", "x.dic", "x.dicx"] {
            let _ = codebook::from_bytes(&bytes, name);
        }
    }
}

#[test]
fn import_export_round_trip_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("small.toml");
    tanda()
        .args(["codebook", "import"])
        .arg(fixture("liwc/small2007.dic"))
        .arg("-o")
        .arg(&toml)
        .assert()
        .success()
        .stderr(predicate::str::contains("8 categories, 74 entries"));
    let dic = dir.path().join("back.dic");
    tanda()
        .args(["codebook", "export"])
        .arg(&toml)
        .args(["--format", "dic", "-o"])
        .arg(&dic)
        .assert()
        .success();
    // Coding the sample corpus with the original .dic and with its round trip
    // gives the same passages.csv, byte for byte.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut outs = Vec::new();
    for (i, cb) in [fixture("liwc/small2007.dic"), toml.clone(), dic]
        .iter()
        .enumerate()
    {
        let out = dir.path().join(format!("r{i}"));
        tanda()
            .args(["analyze", "--quiet"])
            .arg(&corpus)
            .arg("--codebook")
            .arg(cb)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        outs.push(std::fs::read(out.join("passages.csv")).unwrap());
    }
    assert!(outs[0] == outs[1] && outs[1] == outs[2]);
    // The built-in codebook exports to JSON that reads back.
    let json = tanda()
        .args(["codebook", "export", "builtin", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let (cb, _) = codebook::from_bytes(&json, "tan.json").unwrap();
    assert_eq!(cb.name, "TAN");
    // LIWC export says what it left out.
    tanda()
        .args(["codebook", "export", "builtin", "--format", "dic"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("exclusion(s)")
                .and(predicate::str::contains("not expressible")),
        );
}

#[test]
fn codebook_test_explains_negation_and_morphology() {
    let out = tanda()
        .args(["codebook", "test"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/examples/indonesian-demo.toml"))
        .args([
            "--text",
            "Polisi tidak melaporkan kasus itu, tetapi LSM terus berkampanye.",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    let line = |w: &str| {
        s.lines()
            .find(|l| l.starts_with(w))
            .unwrap_or_else(|| panic!("{w}?\n{s}"))
            .to_string()
    };
    assert!(
        line("melaporkan").contains("cancelled by negation `tidak`"),
        "{s}"
    );
    assert!(line("berkampanye").contains("counted"), "{s}");
    assert!(s.contains("coded: symbolic, actors, actors.ngo\n"), "{s}");
    assert!(
        s.contains("information: 0 hits (1 cancelled), 0 counted < threshold 1 → not coded"),
        "{s}"
    );
    // The decision says what it rests on (the demo codebook has no weights).
    assert!(
        s.contains("symbolic: 1 hit, 1 counted ≥ threshold 1 → coded"),
        "{s}"
    );
}

#[test]
fn kwic_and_explain_on_the_sample_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let out = tanda()
        .args([
            "kwic", "--quiet", "--entry", "lobb*", "--format", "csv", "--window", "3",
        ])
        .arg(&corpus)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        // doc, passage, line, category, entry, weight, score, coded, left, keyword, right
        assert!(row[9].to_lowercase().starts_with("lobb"), "{row:?}");
        assert!(row[8].split_whitespace().count() <= 3);
    }
    tanda()
        .arg("explain")
        .arg(&corpus)
        .arg("news/2010-tip-watch-list.txt#p6")
        .assert()
        .success()
        .stdout(predicate::str::contains("[watch list]{leverage.material}"))
        .stdout(predicate::str::contains(
            // `watch list` (1) and, since TAN 1.6.0, buyers' `suppliers` (0.4).
            "leverage.material: 2 hits, score 1.4 ≥ min_score 1 → coded",
        ))
        .stdout(predicate::str::contains(
            "+1  watch list  `watch list`  counted",
        ));
    tanda()
        .arg("explain")
        .arg(&corpus)
        .arg("news/2010-tip-watch-list.txt#p99")
        .assert()
        .failure()
        .stderr(predicate::str::contains("has no passage"));
}
