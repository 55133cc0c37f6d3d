//! Micro-benchmarks of the hot path: tokenising, and coding passages with
//! the built-in codebook and with generated LIWC-style dictionaries of 60,
//! 600 and 6,000 entries. Whole-process throughput against the peers is
//! `bench/run.sh`; these isolate the parts. Run with `cargo bench`.
//!
//! Input: the paragraphs of the shipped sample corpus (`corpus/`), English,
//! Indonesian and Thai, about 100 KB.

use std::path::Path;

use tanda::codebook::{self, Matcher};
use tanda::corpus;

fn main() {
    divan::main();
}

/// The sample corpus's paragraphs.
fn paragraphs() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let c = corpus::load(&root).expect("the sample corpus loads");
    c.documents
        .into_iter()
        .flat_map(|d| d.paragraphs.into_iter().map(|p| p.text))
        .collect()
}

/// A LIWC dictionary of `n` entries over the corpus's own vocabulary: a third
/// `stem*` globs, a tenth two-word phrases, in `n / 100 + 2` categories.
fn dictionary(n: usize, words: &[String]) -> String {
    let cats = n / 100 + 2;
    let mut s = String::from("%\n");
    for c in 1..=cats {
        s.push_str(&format!("{c}\tcat{c}\n"));
    }
    s.push_str("%\n");
    for i in 0..n {
        let w = &words[(i * 7919) % words.len()];
        let entry = match i % 10 {
            0 => format!("{w} {}", words[(i * 31) % words.len()]),
            1 | 4 | 7 => format!(
                "{}*",
                &w[..w.char_indices().nth(4).map_or(w.len(), |(b, _)| b)]
            ),
            _ => w.clone(),
        };
        s.push_str(&format!("{entry}\t{}\n", i % cats + 1));
    }
    s
}

fn vocabulary(paras: &[String]) -> Vec<String> {
    let mut v: Vec<String> = paras
        .iter()
        .flat_map(|p| p.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .collect();
    v.sort();
    v.dedup();
    v
}

#[divan::bench]
fn tokenize(bencher: divan::Bencher) {
    let paras = paragraphs();
    let bytes: usize = paras.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| {
            paras
                .iter()
                .map(|p| tanda::text::tokenize(divan::black_box(p)).atoms.len())
                .sum::<usize>()
        });
}

#[divan::bench]
fn code_builtin(bencher: divan::Bencher) {
    let paras = paragraphs();
    let bytes: usize = paras.iter().map(String::len).sum();
    let (cb, _) = codebook::load(None).expect("the built-in codebook loads");
    code_all(bencher, &Matcher::compile(&cb), &paras, bytes);
}

/// Code every paragraph with `m`.
fn code_all(bencher: divan::Bencher, m: &Matcher, paras: &[String], bytes: usize) {
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| {
            paras
                .iter()
                .map(|p| tanda::coder::code(m, divan::black_box(p)).hits.len())
                .sum::<usize>()
        });
}

#[divan::bench(args = [60, 600, 6000])]
fn code_liwc(bencher: divan::Bencher, entries: usize) {
    let paras = paragraphs();
    let bytes: usize = paras.iter().map(String::len).sum();
    let dict = dictionary(entries, &vocabulary(&paras));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.dic");
    std::fs::write(&path, dict).expect("dictionary written");
    let (cb, _) = codebook::load(Some(&path)).expect("the generated dictionary loads");
    code_all(bencher, &Matcher::compile(&cb), &paras, bytes);
}

#[divan::bench]
fn compile_builtin(bencher: divan::Bencher) {
    let (cb, _) = codebook::load(None).expect("the built-in codebook loads");
    bencher.bench(|| Matcher::compile(divan::black_box(&cb)).patterns.len());
}
