//! Layout benchmark (issue 17): tanda's paragraph reconstruction scored on
//! text extracted from real typeset PDFs (LaTeX, LibreOffice Writer,
//! Chromium; pdftotext in three modes and tanda's own PDF reader) against
//! the units of the source documents.
//!
//! The PDFs and extractions are made by `bench/layouts/run.sh` (never in
//! CI); the extracted `.txt` files and the truth are committed under
//! tests/fixtures/layouts. Set `LAYOUTS_TABLE=docs/layouts.md` to write the
//! score table.
//!
//! Scoring aligns words, not characters: words are folded to lower-case
//! letters and digits (hyphens and punctuation dropped, so `organi-zation`
//! and `organization` align), output words are anchored to the truth by
//! 4-grams that occur once in the truth and extended to their neighbours,
//! and a boundary is the truth word index where a unit (heading,
//! paragraph, list item, footnote) starts.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tanda::corpus::extract::{ExtractOptions, SourceLine};
use tanda::corpus::{Paragraph, extractor_for, normalize};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layouts")
}

/// Truth units of a document: (kind, text).
fn read_truth(path: &Path) -> Vec<(char, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (k, t) = l.split_once('\t')?;
            Some((k.chars().next()?, t.to_string()))
        })
        .collect()
}

fn lines_of(path: &Path) -> Vec<SourceLine> {
    let bytes = std::fs::read(path).unwrap();
    let ex = extractor_for("txt").unwrap();
    ex.extract(&bytes, &ExtractOptions::default())
        .unwrap()
        .lines
}

/// Lower-case letters and digits of a token; a footnote marker glued to
/// a word (`masyarakat.1`, `States2`) is cut off.
fn key(tok: &str) -> String {
    let k: String = tok
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if k.chars().any(char::is_alphabetic) {
        let body = k.trim_end_matches(|c: char| c.is_ascii_digit());
        if body.chars().last().is_some_and(char::is_alphabetic) {
            return body.to_string();
        }
    }
    k
}

/// A token as written, lower-cased, punctuation at its ends trimmed.
fn form(tok: &str) -> String {
    tok.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn is_redup(f: &str) -> bool {
    // x-x, also x-x-nya style suffixes are not counted
    let mut parts = f.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => {
            a == b && a.chars().count() >= 2 && a.chars().all(char::is_alphabetic)
        }
        _ => false,
    }
}

#[derive(Debug, Default, Clone)]
struct Score {
    truth_units: usize,
    passages: usize,
    tp: usize,
    pred: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    lost: usize,
    joined: usize,
    split: usize,
    extra: usize,
    hyph_total: usize,
    hyph_joined: usize,
    redup_total: usize,
    redup_kept: usize,
    /// Boundary errors, each with the output words around it (for
    /// `layouts_explain`).
    errors: Vec<String>,
}

/// Line-end hyphens the typesetter made: `frag-` at a line end whose
/// joining with the next line's first word gives a truth word. Returns the
/// folded forms expected whole, and how often.
fn true_line_hyphens(
    lines: &[SourceLine],
    truth_keys: &HashMap<String, usize>,
) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    let texts: Vec<&str> = lines.iter().map(|l| l.text.trim()).collect();
    for (i, t) in texts.iter().enumerate() {
        let Some(last) = t.split_whitespace().last() else {
            continue;
        };
        if !last.ends_with('-') || last.len() < 2 {
            continue;
        }
        let frag = form(last.trim_end_matches('-'));
        let frag = frag.rsplit('-').next().unwrap_or("").to_string();
        if frag.is_empty() || !frag.chars().all(char::is_alphabetic) {
            continue;
        }
        let Some(next) = texts[i + 1..]
            .iter()
            .map(|s| s.trim_start_matches('\u{c}'))
            .find(|s| !s.is_empty())
        else {
            continue;
        };
        let Some(head) = next.split_whitespace().next() else {
            continue;
        };
        let head = form(head);
        let head = head.split('-').next().unwrap_or("").to_string();
        if head.is_empty() || frag == head {
            continue;
        }
        let whole = format!("{frag}{head}");
        // A truth word (or the start of a hyphenated truth word).
        if truth_keys.contains_key(&whole) {
            *out.entry((frag, head)).or_default() += 1;
        }
    }
    out
}

fn score(truth: &[(char, String)], paras: &[Paragraph], lines: &[SourceLine]) -> Score {
    // Truth tokens and unit starts.
    let mut t_keys: Vec<String> = Vec::new();
    let mut t_forms: Vec<String> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    for (_, text) in truth {
        let before = t_keys.len();
        for tok in text.split_whitespace() {
            let k = key(tok);
            if !k.is_empty() {
                t_keys.push(k);
                t_forms.push(form(tok));
            }
        }
        if t_keys.len() > before {
            starts.push(before);
        }
    }
    // Output tokens with their passage.
    let mut o_keys: Vec<String> = Vec::new();
    let mut o_forms: Vec<String> = Vec::new();
    let mut o_pass: Vec<usize> = Vec::new();
    let mut o_raw: Vec<&str> = Vec::new();
    for (pi, p) in paras.iter().enumerate() {
        for tok in p.text.split_whitespace() {
            let k = key(tok);
            if !k.is_empty() {
                o_raw.push(tok);
                o_keys.push(k);
                o_forms.push(form(tok));
                o_pass.push(pi);
            }
        }
    }
    // Anchor by unique truth 4-grams.
    const N: usize = 4;
    let mut grams: HashMap<&[String], (usize, usize)> = HashMap::new();
    for j in 0..t_keys.len().saturating_sub(N - 1) {
        let e = grams.entry(&t_keys[j..j + N]).or_insert((j, 0));
        e.1 += 1;
    }
    let mut map: Vec<Option<usize>> = vec![None; o_keys.len()];
    let mut t_used = vec![false; t_keys.len()];
    for i in 0..o_keys.len().saturating_sub(N - 1) {
        if let Some(&(j, 1)) = grams.get(&o_keys[i..i + N]) {
            for d in 0..N {
                if map[i + d].is_none() && !t_used[j + d] {
                    map[i + d] = Some(j + d);
                    t_used[j + d] = true;
                }
            }
        }
    }
    // Extend anchors to equal neighbours, both ways, until nothing changes.
    loop {
        let mut changed = false;
        for i in 0..o_keys.len() {
            if let Some(j) = map[i] {
                if i + 1 < o_keys.len()
                    && map[i + 1].is_none()
                    && j + 1 < t_keys.len()
                    && !t_used[j + 1]
                    && o_keys[i + 1] == t_keys[j + 1]
                {
                    map[i + 1] = Some(j + 1);
                    t_used[j + 1] = true;
                    changed = true;
                }
                if i > 0
                    && map[i - 1].is_none()
                    && j > 0
                    && !t_used[j - 1]
                    && o_keys[i - 1] == t_keys[j - 1]
                {
                    map[i - 1] = Some(j - 1);
                    t_used[j - 1] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Gaps: unmapped truth runs against the unmapped output between the
    // same mapped neighbours.
    let mut s = Score {
        truth_units: starts.len(),
        passages: paras.len(),
        ..Score::default()
    };
    // Output tokens by truth position of the previous mapped output token.
    let mut o_gap: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    let mut prev: Option<usize> = None;
    for (i, m) in map.iter().enumerate() {
        match m {
            Some(j) => prev = Some(*j),
            None => o_gap.entry(prev).or_default().push(i),
        }
    }
    let mut j = 0;
    while j < t_keys.len() {
        if t_used[j] {
            j += 1;
            continue;
        }
        let a = j;
        while j < t_keys.len() && !t_used[j] {
            j += 1;
        }
        let run: Vec<&String> = t_keys[a..j].iter().collect();
        let left = if a == 0 { None } else { Some(a - 1) };
        let os: Vec<usize> = o_gap.remove(&left).unwrap_or_default();
        let ocat: String = os.iter().map(|&i| o_keys[i].as_str()).collect();
        let tcat: String = run.iter().map(|k| k.as_str()).collect();
        if !os.is_empty() && ocat == tcat {
            if os.len() < run.len() {
                s.joined += run.len() - os.len();
            } else {
                s.split += os.len() - run.len();
            }
            continue;
        }
        // Contained concatenation (junk around a split/join).
        let mut pool: Vec<&str> = os.iter().map(|&i| o_keys[i].as_str()).collect();
        for k in &run {
            if let Some(p) = pool.iter().position(|o| o == k) {
                pool.remove(p);
            } else if !tcat.is_empty() && ocat.contains(tcat.as_str()) {
                // Split or joined inside junk.
            } else {
                s.lost += 1;
            }
        }
        if ocat.contains(tcat.as_str()) && !tcat.is_empty() {
            s.extra += pool.len().saturating_sub(1);
        } else {
            s.extra += pool.len();
        }
    }
    s.extra += o_gap.values().map(Vec::len).sum::<usize>();

    // Boundaries.
    let truth_b: std::collections::HashSet<usize> = starts.iter().copied().collect();
    let mut pred: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    let mut i = 0;
    while i < o_keys.len() {
        let p = o_pass[i];
        let mut k = i;
        let mut first = None;
        while k < o_keys.len() && o_pass[k] == p {
            if first.is_none() {
                first = map[k];
            }
            k += 1;
        }
        if let Some(t) = first {
            pred.insert(t);
        }
        i = k;
    }
    s.pred = pred.len();
    s.tp = pred.iter().filter(|b| truth_b.contains(b)).count();
    // Output words around each error, `¶` where a passage starts.
    let around = |i: usize| -> String {
        let lo = i.saturating_sub(12);
        let hi = (i + 12).min(o_raw.len());
        let mut w = String::new();
        for k in lo..hi {
            if k == i {
                w.push_str(" ‖");
            }
            if k > lo && o_pass[k] != o_pass[k - 1] {
                w.push_str(" ¶");
            }
            w.push(' ');
            w.push_str(o_raw[k]);
        }
        w
    };
    let out_of: HashMap<usize, usize> = map
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|j| (j, i)))
        .collect();
    let mut errs: Vec<(usize, String)> = Vec::new();
    for &b in &starts {
        if !pred.contains(&b) {
            let w = out_of
                .get(&b)
                .map_or("(unaligned)".to_string(), |&i| around(i));
            errs.push((b, format!("missed {b}:{w}")));
        }
    }
    for &b in &pred {
        if !truth_b.contains(&b) {
            let w = out_of.get(&b).map_or(String::new(), |&i| around(i));
            errs.push((b, format!("false  {b}:{w}")));
        }
    }
    errs.sort();
    s.errors = errs.into_iter().map(|e| e.1).collect();
    s.precision = s.tp as f64 / s.pred.max(1) as f64;
    s.recall = s.tp as f64 / truth_b.len().max(1) as f64;
    s.f1 = if s.tp == 0 {
        0.0
    } else {
        2.0 * s.precision * s.recall / (s.precision + s.recall)
    };

    // Line-end hyphens and reduplications, by counts of written forms.
    let mut truth_key_count: HashMap<String, usize> = HashMap::new();
    for k in &t_keys {
        *truth_key_count.entry(k.clone()).or_default() += 1;
    }
    let mut out_forms: HashMap<&str, usize> = HashMap::new();
    for f in &o_forms {
        *out_forms.entry(f.as_str()).or_default() += 1;
    }
    for ((frag, head), n) in true_line_hyphens(lines, &truth_key_count) {
        // A truth word spelt with this hyphen is no typesetter's hyphen.
        let hyphenated = format!("{frag}-{head}");
        if t_forms.iter().any(|f| f.contains(&hyphenated)) {
            continue;
        }
        s.hyph_total += n;
        let broken = out_forms.get(hyphenated.as_str()).copied().unwrap_or(0)
            + o_forms
                .iter()
                .zip(o_forms.iter().skip(1))
                .filter(|(a, b)| {
                    a.ends_with(frag.as_str())
                        && (**a == frag || a.ends_with(&format!("-{frag}")))
                        && b.starts_with(head.as_str())
                })
                .count();
        s.hyph_joined += n.saturating_sub(broken);
    }
    let mut truth_redup: HashMap<&str, usize> = HashMap::new();
    for f in &t_forms {
        if is_redup(f) {
            *truth_redup.entry(f.as_str()).or_default() += 1;
        }
    }
    for (f, n) in truth_redup {
        s.redup_total += n;
        s.redup_kept += n.min(out_forms.get(f).copied().unwrap_or(0));
    }
    s
}

struct Case {
    doc: String,
    layout: String,
    extractor: String,
    path: PathBuf,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let truth_dir = fixtures().join("truth");
    let mut docs: Vec<String> = std::fs::read_dir(&truth_dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "tsv").then(|| p.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    docs.sort();
    for doc in docs {
        let dir = fixtures().join(&doc);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for path in files {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(stem) = name.strip_suffix(".txt") else {
                continue;
            };
            let Some((layout, extractor)) = stem.split_once('.') else {
                continue;
            };
            out.push(Case {
                doc: doc.clone(),
                layout: layout.to_string(),
                extractor: extractor.to_string(),
                path,
            });
        }
    }
    out
}

fn run_case(c: &Case) -> Score {
    let truth = read_truth(&fixtures().join("truth").join(format!("{}.tsv", c.doc)));
    let lines = lines_of(&c.path);
    let paras = normalize::paragraphs(&lines);
    score(&truth, &paras, &lines)
}

#[derive(Default)]
struct Sum {
    docs: usize,
    tp: usize,
    pred: usize,
    truth: usize,
    min_f1: f64,
    lost: usize,
    joined: usize,
    split: usize,
    extra: usize,
    hyph: (usize, usize),
    redup: (usize, usize),
}

fn table(scores: &[(&Case, Score)]) -> String {
    let mut by: BTreeMap<(String, String), Sum> = BTreeMap::new();
    for (c, s) in scores {
        let e = by
            .entry((c.layout.clone(), c.extractor.clone()))
            .or_insert(Sum {
                min_f1: 1.0,
                ..Sum::default()
            });
        e.docs += 1;
        e.tp += s.tp;
        e.pred += s.pred;
        e.truth += s.truth_units;
        e.min_f1 = e.min_f1.min(s.f1);
        e.lost += s.lost;
        e.joined += s.joined;
        e.split += s.split;
        e.extra += s.extra;
        e.hyph.0 += s.hyph_joined;
        e.hyph.1 += s.hyph_total;
        e.redup.0 += s.redup_kept;
        e.redup.1 += s.redup_total;
    }
    let mut t = String::new();
    t.push_str("| layout | extractor | docs | P | R | F1 | min F1 | words lost | joined | split | hyphens joined | reduplications kept | furniture left |\n");
    t.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for ((l, x), e) in &by {
        let p = e.tp as f64 / e.pred.max(1) as f64;
        let r = e.tp as f64 / e.truth.max(1) as f64;
        let f = if e.tp == 0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        let _ = writeln!(
            t,
            "| {l} | {x} | {} | {p:.3} | {r:.3} | {f:.3} | {:.3} | {} | {} | {} | {}/{} | {}/{} | {} |",
            e.docs,
            e.min_f1,
            e.lost,
            e.joined,
            e.split,
            e.hyph.0,
            e.hyph.1,
            e.redup.0,
            e.redup.1,
            e.extra
        );
    }
    t
}

#[test]
fn layouts_score_table() {
    let cases = cases();
    assert!(
        !cases.is_empty(),
        "no layout fixtures under {:?}",
        fixtures()
    );
    let scores: Vec<(&Case, Score)> = cases.iter().map(|c| (c, run_case(c))).collect();
    let mut detail = String::new();
    for (c, s) in &scores {
        let _ = writeln!(
            detail,
            "{:<12} {:<17} {:<17} units {:>3} passages {:>3} P {:.3} R {:.3} F1 {:.3} lost {} joined {} split {} extra {} hyph {}/{} redup {}/{}",
            c.doc,
            c.layout,
            c.extractor,
            s.truth_units,
            s.passages,
            s.precision,
            s.recall,
            s.f1,
            s.lost,
            s.joined,
            s.split,
            s.extra,
            s.hyph_joined,
            s.hyph_total,
            s.redup_kept,
            s.redup_total
        );
    }
    let table = table(&scores);
    if let Ok(path) = std::env::var("LAYOUTS_TABLE") {
        std::fs::write(&path, &table).unwrap();
        std::fs::write(format!("{path}.detail"), &detail).unwrap();
    }
    println!("{table}\n{detail}");
    // Per layout × extractor pair: pooled boundary F1 must not fall below
    // the floor. The issue's target is 0.95 on every pair; the floors are
    // what the normaliser reaches now (docs/layouts.md), less 0.01, so the
    // benchmark guards against regressions while the gap stays visible.
    let mut fails = Vec::new();
    let mut pooled: BTreeMap<(String, String), (usize, usize, usize)> = BTreeMap::new();
    for (c, s) in &scores {
        let e = pooled
            .entry((c.layout.clone(), c.extractor.clone()))
            .or_default();
        e.0 += s.tp;
        e.1 += s.pred;
        e.2 += s.truth_units;
    }
    for ((l, x), (tp, pred, truth)) in &pooled {
        let p = *tp as f64 / (*pred).max(1) as f64;
        let r = *tp as f64 / (*truth).max(1) as f64;
        let f = if *tp == 0 { 0.0 } else { 2.0 * p * r / (p + r) };
        let floor = FLOORS
            .iter()
            .find(|(fl, fx, _)| fl == l && fx == x)
            .map_or(TARGET_F1, |f| f.2);
        if f < floor {
            fails.push(format!("{l} × {x}: F1 {f:.3} < {floor}"));
        }
    }
    assert!(fails.is_empty(), "below floor:\n{}", fails.join("\n"));
}

/// Boundary errors of the cases whose `doc/layout.extractor` contains
/// `$LAYOUTS_CASE` (all when unset), with the output words around each.
#[test]
#[ignore]
fn layouts_explain() {
    let want = std::env::var("LAYOUTS_CASE").unwrap_or_default();
    for c in cases() {
        let name = format!("{}/{}.{}", c.doc, c.layout, c.extractor);
        if !name.contains(&want) {
            continue;
        }
        let s = run_case(&c);
        println!(
            "== {name}  P {:.3} R {:.3} F1 {:.3}",
            s.precision, s.recall, s.f1
        );
        for e in &s.errors {
            println!("  {e}");
        }
    }
}

const TARGET_F1: f64 = 0.95;

/// Pairs below the target today, with the F1 they must keep (every
/// tanda-pdf pair reaches the target since the PDF reader keeps line
/// indentation and wide gaps, so it is held to [`TARGET_F1`]).
const FLOORS: &[(&str, &str, f64)] = &[
    ("chromium", "pdftotext", 0.90),
    ("chromium", "pdftotext-layout", 0.93),
    ("chromium", "pdftotext-raw", 0.91),
    ("latex-indent", "pdftotext", 0.91),
    ("latex-indent", "pdftotext-raw", 0.92),
    ("latex-manuscript", "pdftotext", 0.91),
    ("latex-manuscript", "pdftotext-raw", 0.91),
    ("latex-twocol", "pdftotext", 0.75),
    ("latex-twocol", "pdftotext-layout", 0.87),
    ("latex-twocol", "pdftotext-raw", 0.90),
    ("writer-block", "pdftotext", 0.89),
    ("writer-block", "pdftotext-layout", 0.96),
    ("writer-block", "pdftotext-raw", 0.92),
    ("writer-double", "pdftotext", 0.91),
    ("writer-double", "pdftotext-layout", 0.95),
    ("writer-double", "pdftotext-raw", 0.92),
];

/// Dump tanda's own PDF reader's lines (pages joined by form feeds) for
/// every PDF under $LAYOUTS_PDF/<doc>/<layout>.pdf into the fixtures as
/// `<layout>.tanda-pdf.txt`. Run by bench/layouts/run.sh only.
#[test]
#[ignore]
fn dump_tanda_pdf() {
    let root =
        PathBuf::from(std::env::var("LAYOUTS_PDF").unwrap_or_else(|_| "/tmp/tanda-layouts".into()));
    let pdf = extractor_for("pdf").unwrap();
    for doc in std::fs::read_dir(&root).unwrap().flatten() {
        for f in std::fs::read_dir(doc.path()).unwrap().flatten() {
            let p = f.path();
            if p.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            let lines = match pdf.extract(&bytes, &ExtractOptions::default()) {
                Ok(x) => x.lines,
                Err(e) => {
                    eprintln!("{}: {e}", p.display());
                    continue;
                }
            };
            let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
            let out = fixtures().join(doc.file_name()).join(format!(
                "{}.tanda-pdf.txt",
                p.file_stem().unwrap().to_string_lossy()
            ));
            std::fs::write(out, text.join("\n")).unwrap();
        }
    }
}

/// Issue 17's layout, written by hand (bench/layouts/issue17): a blank
/// line after every line, a leading space alone marks a new paragraph,
/// page breaks drop the blank, and `anak-` / blank / `anak`. The truth
/// has 28 paragraphs and 5 headings: 33 passages, `anak-anak` whole.
#[test]
fn issue17_mixed_rhythm_gives_one_passage_per_unit() {
    let truth = read_truth(&fixtures().join("truth/issue17.tsv"));
    let (heads, paras_n) = (
        truth.iter().filter(|(k, _)| *k == 'H').count(),
        truth.iter().filter(|(k, _)| *k == 'P').count(),
    );
    assert_eq!((heads, paras_n), (5, 28));
    let path = fixtures().join("issue17/handmade.mixed-rhythm.txt");
    let lines = lines_of(&path);
    let paras = normalize::paragraphs(&lines);
    let got: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    let want: Vec<&str> = truth.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(got, want);
    let flagged: Vec<bool> = paras.iter().map(|p| p.heading).collect();
    let expected: Vec<bool> = truth.iter().map(|(k, _)| *k == 'H').collect();
    assert_eq!(flagged, expected);
    // The split reduplication is in the source and comes back whole.
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(raw.contains("kisah anak-\n\nanak yang"));
    assert!(got.iter().any(|t| t.contains("kisah anak-anak yang")));
    // Every paragraph maps back to the source lines it came from.
    let src: Vec<&str> = raw.split('\n').collect();
    for p in &paras {
        let (off, loc) = p.lines[0];
        assert_eq!(off, 0);
        let first_words: String = p
            .text
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            src[loc.line as usize - 1].trim().starts_with(&first_words),
            "{loc:?}: {first_words}"
        );
    }
}
