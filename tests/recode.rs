//! Re-coding from the previous run's snapshot (issue 21): after any
//! codebook edit the tables are those of a full run over the corpus, and the
//! rule that decides which passages to code again never leaves out one whose
//! coding the edit changes.
//!
//! Every expectation here comes from a second, independent route: the same
//! command with `--no-cache` (read and code everything), or coding each
//! passage with the old and the new codebook.

mod common;

use std::path::{Path, PathBuf};

use common::tanda_at_root;
use tanda::codebook::{Codebook, Entry, Matcher, Pos, export};
use tanda::recode::{CodingSignature, Plan, plan};

fn tan() -> Codebook {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/tan.toml");
    tanda::codebook::load(Some(&path))
        .expect("tan.toml loads")
        .0
}

/// `analyze corpus --codebook CB --by year --format json`, with the
/// snapshot cache in `cache` (or none); standard output and error.
fn analyze(corpus: &Path, cb: &Path, cache: Option<&Path>, threads: &str) -> (String, String) {
    let mut cmd = tanda_at_root();
    cmd.args(["analyze"])
        .arg(corpus)
        .arg("--codebook")
        .arg(cb)
        .args(["--by", "year", "--format", "json", "--threads", threads]);
    match cache {
        Some(dir) => cmd.env("TANDA_CACHE_DIR", dir),
        None => cmd.arg("--no-cache"),
    };
    let out = cmd.assert().success().get_output().clone();
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// The index of the first entry of category `id` that is a plain word,
/// glob or phrase (not a proximity rule).
fn plain_entry(cb: &Codebook, id: &str) -> (usize, usize) {
    let c = cb
        .categories
        .iter()
        .position(|c| c.id == id)
        .expect("category");
    let e = cb.categories[c]
        .entries
        .iter()
        .position(|e| !e.text.contains('(') && e.weight > 0.0)
        .expect("a plain entry");
    (c, e)
}

fn category(cb: &mut Codebook, id: &str) -> usize {
    cb.categories
        .iter()
        .position(|c| c.id == id)
        .expect("category")
}

type Edit = (&'static str, &'static str, fn(&mut Codebook));

/// Edits of every kind, applied one after another, and the note each
/// re-code must give (which route it took).
fn edits() -> Vec<Edit> {
    vec![
        ("a word replaced", "re-coded", |cb| {
            let (c, e) = plain_entry(cb, "information");
            cb.categories[c].entries[e].text = "petisi*".into();
        }),
        ("an entry removed", "re-coded", |cb| {
            let (c, e) = plain_entry(cb, "actors.ngo");
            cb.categories[c].entries.remove(e);
        }),
        ("an entry added", "re-coded", |cb| {
            let c = category(cb, "symbolic");
            cb.categories[c]
                .entries
                .push(Entry::new("vigil*", Pos::default()));
        }),
        ("a weight changed", "re-coded", |cb| {
            let (c, e) = plain_entry(cb, "information");
            cb.categories[c].entries[e + 1].weight = 3.0;
        }),
        ("an exclusion added", "re-coded", |cb| {
            let c = category(cb, "actors.government");
            cb.categories[c]
                .exclude
                .push(Entry::new("ministry of tourism", Pos::default()));
        }),
        ("a case-sensitive entry added", "re-coded", |cb| {
            let c = category(cb, "actors.ngo");
            let mut e = Entry::new("ECPAT", Pos::default());
            e.case_sensitive = true;
            cb.categories[c].entries.insert(0, e);
        }),
        ("a threshold changed", "re-coded all", |cb| {
            let c = category(cb, "symbolic");
            cb.categories[c].threshold = 2;
        }),
        ("a proximity rule edited", "re-coded all", |cb| {
            let c = category(cb, "information");
            let e = cb.categories[c]
                .entries
                .iter()
                .position(|e| e.text.starts_with("NEAR(percent"))
                .expect("a NEAR rule");
            cb.categories[c].entries[e].text = "NEAR(percent, victims, 9)".into();
        }),
        ("two entries swapped", "re-coded all", |cb| {
            let (c, e) = plain_entry(cb, "leverage.moral");
            cb.categories[c].entries.swap(e, e + 1);
        }),
        ("only the manual changed", "re-used", |cb| {
            cb.categories[0].manual.definition.push_str(" Edited.");
        }),
    ]
}

#[test]
fn every_edit_recodes_to_the_tables_of_a_full_run() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let cb_path = tmp.path().join("edited.toml");
    let corpus = Path::new("corpus");
    let mut cb = tan();
    std::fs::write(&cb_path, export::to_toml(&cb)).unwrap();
    let (first, said) = analyze(corpus, &cb_path, Some(&cache), "2");
    assert!(
        !said.contains("re-coded") && !said.contains("re-used"),
        "{said}"
    );
    let (full, _) = analyze(corpus, &cb_path, None, "2");
    assert_eq!(first, full, "the run that writes the snapshot");
    for (i, (what, note, edit)) in edits().into_iter().enumerate() {
        edit(&mut cb);
        std::fs::write(&cb_path, export::to_toml(&cb)).unwrap();
        let threads = if i % 2 == 0 { "1" } else { "2" };
        let (replayed, said) = analyze(corpus, &cb_path, Some(&cache), threads);
        assert!(said.contains(&format!("note: {note}")), "{what}: {said}");
        let (full, _) = analyze(corpus, &cb_path, None, "2");
        assert_eq!(
            replayed, full,
            "{what}: re-coded tables differ from a full run's"
        );
    }
}

/// An entry edit re-codes some passages, not all: the note's numbers, and
/// the tables of the run, checked against a full run.
#[test]
fn an_entry_edit_recodes_only_passages_holding_its_letters() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let cb_path = tmp.path().join("cb.toml");
    let mut cb = tan();
    std::fs::write(&cb_path, export::to_toml(&cb)).unwrap();
    analyze(Path::new("corpus"), &cb_path, Some(&cache), "2");
    let c = category(&mut cb, "symbolic");
    cb.categories[c]
        .entries
        .push(Entry::new("candle*", Pos::default()));
    std::fs::write(&cb_path, export::to_toml(&cb)).unwrap();
    let (_, said) = analyze(Path::new("corpus"), &cb_path, Some(&cache), "2");
    let line = said
        .lines()
        .find(|l| l.starts_with("note: re-coded"))
        .expect("a re-code note");
    let nums: Vec<usize> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    // Passages of the shipped corpus whose text holds "candle" in any case:
    // counted here from the corpus, as the CLI's passages.
    let corpus = tanda::corpus::load(Path::new(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
    ))
    .unwrap();
    let seg = tanda::corpus::Segmenter::new(tanda::corpus::Unit::Paragraph);
    let (mut holding, mut all) = (0, 0);
    for d in &corpus.documents {
        for p in seg.segment(&d.id, &d.paragraphs).passages {
            all += 1;
            holding += usize::from(p.text.to_lowercase().contains("candle"));
        }
    }
    assert!(holding > 0 && holding < all, "{holding} of {all}");
    assert_eq!(nums[..2], [holding, all], "{line}");
}

/// A corpus file changed since the snapshot: the run reads the corpus
/// again (no re-code note) and matches a full run.
#[test]
fn a_changed_corpus_is_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (name, text) in [
        (
            "a.txt",
            "Advocates launched a petition campaign.\n\nThe ministry published data on trafficking.\n",
        ),
        (
            "b.txt",
            "The network lobbied parliament to amend the law.\n",
        ),
        ("metadata.csv", "path,year\na.txt,2010\nb.txt,2011\n"),
    ] {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let cb = Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/tan.toml");
    analyze(&corpus, &cb, Some(&cache), "2");
    let (_, said) = analyze(&corpus, &cb, Some(&cache), "2");
    assert!(said.contains("note: re-used"), "{said}");
    // Longer, so that the change shows whatever the clock's resolution.
    std::fs::write(
        corpus.join("b.txt"),
        "The network lobbied parliament to amend the law.\n\nNGOs held a candle vigil.\n",
    )
    .unwrap();
    let (after, said) = analyze(&corpus, &cb, Some(&cache), "2");
    assert!(
        !said.contains("re-used") && !said.contains("re-coded"),
        "{said}"
    );
    let (full, _) = analyze(&corpus, &cb, None, "2");
    assert_eq!(after, full);
}

/// A snapshot cut short or overwritten is not used: the run reads the
/// corpus and prints a full run's tables.
#[test]
fn a_damaged_snapshot_is_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let cb = Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/tan.toml");
    let corpus = Path::new("corpus");
    let (full, _) = analyze(corpus, &cb, None, "2");
    analyze(corpus, &cb, Some(&cache), "2");
    let files = |ext: &str| -> Vec<PathBuf> {
        std::fs::read_dir(cache.join("recode"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect()
    };
    for (ext, damage) in [
        (
            "texts",
            &(|p: &Path| {
                let b = std::fs::read(p).unwrap();
                std::fs::write(p, &b[..b.len() / 2]).unwrap();
            }) as &dyn Fn(&Path),
        ),
        ("codes", &|p: &Path| {
            let mut b = std::fs::read(p).unwrap();
            b[..8].copy_from_slice(b"garbage!");
            std::fs::write(p, b).unwrap();
        }),
        ("codes", &|p: &Path| {
            let b = std::fs::read(p).unwrap();
            std::fs::write(p, &b[..b.len() - 3]).unwrap();
        }),
        // The first document's record length: larger than the file.
        ("codes", &|p: &Path| {
            let mut b = std::fs::read(p).unwrap();
            b[8..16].copy_from_slice(&[0xff; 8]);
            std::fs::write(p, b).unwrap();
        }),
    ] {
        let found = files(ext);
        assert_eq!(found.len(), 1, "{ext}");
        damage(&found[0]);
        let (out, said) = analyze(corpus, &cb, Some(&cache), "2");
        assert!(!said.contains("re-used"), "{ext}: {said}");
        assert_eq!(out, full, "{ext}");
    }
}

/// The rule itself, edit by edit: wherever it says a passage cannot
/// change, coding the passage with the old and with the new codebook
/// gives the same counts, scores and hit totals. Edits are drawn
/// (deterministically) from every category's entries and the corpus's own
/// words, so that they hit passages of the shipped corpus.
#[test]
fn passages_the_rule_leaves_alone_code_the_same() {
    let base = tan();
    let corpus =
        tanda::corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap();
    let texts: Vec<String> = corpus
        .documents
        .iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| p.text.clone()))
        .collect();
    let words: Vec<String> = texts
        .iter()
        .flat_map(|t| {
            t.split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        })
        .filter(|w| w.chars().count() > 3)
        .collect();
    let old_matcher = Matcher::compile(&base);
    let old: Vec<_> = texts
        .iter()
        .map(|t| tanda::coder::code(&old_matcher, t))
        .collect();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut flagged, mut changed_total, mut plans) = (0usize, 0usize, 0usize);
    for round in 0..40 {
        let mut cb = base.clone();
        let c = next(cb.categories.len());
        let n = cb.categories[c].entries.len();
        let word = &words[next(words.len())];
        match round % 5 {
            0 if n > 0 => {
                cb.categories[c].entries.remove(next(n));
            }
            1 if n > 0 => {
                let e = next(n);
                cb.categories[c].entries[e].text = word.clone();
            }
            2 => {
                let stem: String = word.chars().take(4).collect();
                let at = next(n + 1);
                cb.categories[c]
                    .entries
                    .insert(at, Entry::new(format!("{stem}*"), Pos::default()));
            }
            3 if n > 0 => {
                let e = next(n);
                cb.categories[c].entries[e].weight = -1.0;
            }
            _ => {
                cb.categories[c]
                    .exclude
                    .push(Entry::new(word.clone(), Pos::default()));
            }
        }
        let Plan::Passages(lits) = plan(&CodingSignature::of(&base), &cb) else {
            continue;
        };
        plans += 1;
        let matcher = Matcher::compile(&cb);
        let may = lits.may_change(texts.iter().map(String::as_str), &mut String::new());
        for ((t, before), may) in texts.iter().zip(&old).zip(may) {
            let after = tanda::coder::code(&matcher, t);
            let same = before.counts == after.counts
                && before.counter == after.counter
                && before.scores == after.scores
                && before.hit_totals == after.hit_totals;
            if may {
                flagged += 1;
                changed_total += usize::from(!same);
            } else {
                assert!(same, "round {round}: a passage left alone changed: {t:?}");
            }
        }
    }
    // The rule was put to the test: most edits were entry edits, they
    // changed the coding of some flagged passages, and it did not flag
    // every passage.
    assert!(plans >= 30, "{plans}");
    assert!(changed_total > 0, "no edit changed any passage");
    assert!(flagged < plans * texts.len() / 2, "{flagged} flagged");
}

/// The table job reads leanly (no document hashes, no language guesses
/// unless grouped by language) and from snapshots; a run that writes every
/// output reads everything. Both print the same tables, grouped by source
/// type and by the guessed language.
#[test]
fn the_table_job_prints_the_tables_of_a_run_with_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    // No metadata: every language is guessed, the source type is the folder.
    let corpus = tmp.path().join("corpus");
    for folder in ["news", "reports"] {
        std::fs::create_dir_all(corpus.join(folder)).unwrap();
    }
    for (name, text) in [
        (
            "news/2010-en.txt",
            "The network published a report on trafficking and lobbied the ministry to act.\n\nActivists held a candle vigil for the victims.\n",
        ),
        (
            "reports/2011-id.txt",
            "Jaringan itu menerbitkan laporan tentang perdagangan orang yang terjadi di daerah ini dan melobi kementerian untuk bertindak dengan segera.\n\nPara aktivis mengadakan aksi damai untuk para korban yang telah dieksploitasi, dan mereka juga meminta pemerintah agar lebih serius.\n",
        ),
        (
            "reports/2011-en.txt",
            "Campaigners shamed the government for failing to enforce the law.\n",
        ),
    ] {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    for by in ["source_type", "language"] {
        let table = |extra: &[&std::ffi::OsStr]| {
            let mut cmd = tanda_at_root();
            cmd.args(["analyze", "--by", by, "--format", "json"])
                .arg(&corpus)
                .env("TANDA_CACHE_DIR", tmp.path().join("cache"))
                .args(extra);
            String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
        };
        let out = tmp.path().join(format!("out-{by}"));
        let every = table(&["--out".as_ref(), out.as_os_str()]);
        if by == "language" {
            for lang in ["en", "id"] {
                assert!(every.contains(&format!("\"group\": \"{lang}\"")), "{every}");
            }
        }
        assert_eq!(table(&[]), every, "--by {by}, first run");
        assert_eq!(table(&[]), every, "--by {by}, from the snapshot");
    }
}
