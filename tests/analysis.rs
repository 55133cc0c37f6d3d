//! The analyze pipeline through the library API (`tanda::analysis`), with
//! no command line in between: what a notebook or another program gets.

use std::path::Path;
use std::sync::Mutex;

use tanda::analysis::{self, Observer, Options, Silent};
use tanda::codebook;
use tanda::corpus::{self, LoadOptions, Unit};
use tanda::outdir::{OutOptions, ResultsDir};

/// Collects what a run says.
#[derive(Default)]
struct Heard {
    warnings: Mutex<Vec<String>>,
    notes: Mutex<Vec<String>>,
    started: Option<(u64, usize)>,
}

impl Observer for Heard {
    fn start(&mut self, bytes: u64, files: usize) {
        self.started = Some((bytes, files));
    }
    fn warning(&self, message: &str) {
        self.warnings.lock().unwrap().push(message.to_string());
    }
    fn note(&self, message: &str) {
        self.notes.lock().unwrap().push(message.to_string());
    }
}

const CODEBOOK: &str = r#"name = "two"
version = "1"
[[category]]
id = "ecpat"
label = "ECPAT named"
entries = ["ecpat"]
[[category]]
id = "law"
label = "Law named"
entries = ["law"]
"#;

/// Two documents whose counts are worked out by hand below.
fn small_corpus(dir: &Path) {
    std::fs::write(
        dir.join("a.txt"),
        "ECPAT met the minister.\n\nThe law was passed.\n\nNothing else.\n",
    )
    .unwrap();
    std::fs::write(dir.join("b.txt"), "ECPAT and ECPAT again on the law.\n").unwrap();
}

/// `analysis::analyze` of a folder with the default reading options.
fn run(
    dir: &Path,
    cb: &codebook::Codebook,
    opts: &Options,
    observer: &mut impl Observer,
) -> tanda::Result<analysis::Outcome> {
    analysis::analyze(dir, &LoadOptions::default(), cb, opts, None, observer)
}

fn options() -> Options {
    Options {
        reports: true,
        ..Options::default()
    }
}

#[test]
fn tallies_match_counts_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    small_corpus(dir.path());
    let (cb, _) = codebook::from_source(CODEBOOK, "two.toml").unwrap();
    let mut heard = Heard::default();
    let outcome = run(dir.path(), &cb, &options(), &mut heard).unwrap();
    let t = &outcome.tables.tally.total;
    // a.txt: three paragraphs (4 + 4 + 2 words); b.txt: one (7 words).
    assert_eq!((t.documents, t.passages, t.words), (2, 4, 17));
    let ecpat = &t.cats[0];
    let law = &t.cats[1];
    // ECPAT: a#p1 once, b#p1 twice; law: a#p2 and b#p1 once each.
    assert_eq!(
        (ecpat.passages_coded, ecpat.hits, ecpat.documents_coded),
        (2, 3, 2)
    );
    assert_eq!(
        (law.passages_coded, law.hits, law.documents_coded),
        (2, 2, 2)
    );
    assert_eq!(outcome.hits, 5);
    assert!(outcome.written.is_none());
    // The observer heard the size of the corpus before it was read.
    let (bytes, files) = heard.started.unwrap();
    assert_eq!(files, 2);
    // a.txt: 24 + 1 + 20 + 1 + 14 bytes; b.txt: 34.
    assert_eq!(bytes, 60 + 34);
    assert_eq!(outcome.tables.header.codebook_sha256, cb.sha256);
}

#[test]
fn streamed_and_in_memory_runs_give_the_same_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (cb, _) = codebook::load(None).unwrap();
    let opts = Options {
        by: vec!["source_type".into()],
        ..options()
    };
    let streamed = run(&root, &cb, &opts, &mut Silent).unwrap();
    let loaded = corpus::load(&root).unwrap();
    let mut seen = Vec::new();
    let mut passages = 0u64;
    let mut words = 0u64;
    let in_memory = analysis::analyze_corpus(&loaded, &cb, &opts, None, &mut Silent, |d, ps, c| {
        seen.push(d.id.clone());
        passages += ps.len() as u64;
        // The counts shown are the document's own passages'.
        assert_eq!(c.passages, ps.len() as u64);
        words += c.words;
    })
    .unwrap();
    assert_eq!(streamed.tables.rows, in_memory.tables.rows);
    assert_eq!(streamed.tables.tally, in_memory.tables.tally);
    assert_eq!(streamed.hits, in_memory.hits);
    // Every document was shown once, in corpus order, with all its passages.
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len() as u64, in_memory.tables.tally.total.documents);
    assert_eq!(passages, in_memory.tables.tally.total.passages);
    assert_eq!(words, in_memory.tables.tally.total.words);
}

#[test]
fn a_bad_file_is_heard_and_skipped_and_strict_makes_it_fatal() {
    let dir = tempfile::tempdir().unwrap();
    small_corpus(dir.path());
    std::fs::write(dir.path().join("broken.docx"), b"not a zip at all").unwrap();
    let (cb, _) = codebook::from_source(CODEBOOK, "two.toml").unwrap();
    let mut heard = Heard::default();
    let outcome = run(dir.path(), &cb, &options(), &mut heard).unwrap();
    assert_eq!(outcome.tables.tally.total.documents, 2);
    assert_eq!(outcome.tables.header.skipped.len(), 1);
    let warnings = heard.warnings.lock().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("broken.docx") && w.contains("skipped")),
        "{warnings:?}"
    );
    let strict = Options {
        strict: true,
        ..options()
    };
    let err = run(dir.path(), &cb, &strict, &mut Silent).unwrap_err();
    assert_eq!(err.exit_code(), tanda::error::exit::STRICT);
}

#[test]
fn bad_options_are_usage_errors_before_any_work() {
    let (cb, _) = codebook::from_source(CODEBOOK, "two.toml").unwrap();
    let opts = Options {
        unit: Unit::Paragraph,
        unit_regex: Some("Chapter [0-9]+".into()),
        ..options()
    };
    // The corpus does not exist: the options are refused first.
    let err = run(Path::new("/nonexistent/corpus"), &cb, &opts, &mut Silent).unwrap_err();
    assert_eq!(err.exit_code(), tanda::error::exit::USAGE);
    let by_unknown = Options {
        by: vec!["no_such_field".into()],
        ..options()
    };
    let dir = tempfile::tempdir().unwrap();
    small_corpus(dir.path());
    let err = run(dir.path(), &cb, &by_unknown, &mut Silent).unwrap_err();
    assert!(err.to_string().contains("no_such_field"), "{err}");
}

#[test]
fn min_words_drops_are_a_note() {
    let dir = tempfile::tempdir().unwrap();
    small_corpus(dir.path());
    let (cb, _) = codebook::from_source(CODEBOOK, "two.toml").unwrap();
    let opts = Options {
        min_words: 3,
        ..options()
    };
    let mut heard = Heard::default();
    let outcome = run(dir.path(), &cb, &opts, &mut heard).unwrap();
    // "Nothing else." (2 words) is dropped.
    assert_eq!(outcome.tables.tally.total.passages, 3);
    let notes = heard.notes.lock().unwrap();
    assert!(
        notes.iter().any(|n| n.contains("1 passage(s)")),
        "{notes:?}"
    );
}

#[test]
fn a_results_folder_is_written_staged_and_committed_by_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("c");
    std::fs::create_dir(&corpus_dir).unwrap();
    small_corpus(&corpus_dir);
    let (cb, _) = codebook::from_source(CODEBOOK, "two.toml").unwrap();
    let target = dir.path().join("results");
    let out = ResultsDir::begin(&target, &OutOptions::default()).unwrap();
    let outcome = analysis::analyze(
        &corpus_dir,
        &LoadOptions::default(),
        &cb,
        &options(),
        Some(&out),
        &mut Silent,
    )
    .unwrap();
    let written = outcome.written.unwrap();
    // Nothing is in place before the commit.
    assert!(!target.exists());
    out.commit().unwrap();
    for f in &written.files {
        assert!(target.join(f).is_file(), "{f} missing");
    }
    assert_eq!(written.files.last().map(String::as_str), Some("run.json"));
    assert!(written.files.iter().any(|f| f == "tables.xlsx"));
    // passages.csv: a header and one row per passage.
    let passages = std::fs::read_to_string(target.join("passages.csv")).unwrap();
    assert_eq!(passages.lines().count(), 1 + 4);
}
