//! `tanda explain` and `tanda kwic`: the two ways a researcher checks what a
//! dictionary really matches.

use std::io::Write;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::{ExplainArgs, KwicArgs, KwicFormat, colour_stdout, load_codebook, load_corpus};
use crate::codebook::{self, Matcher};
use crate::coder::{Hit, code_document, code_traced, explain};
use crate::corpus::segment;
use crate::error::{Error, exit};
use crate::report::write::{entry_text, format_score, safe_cell};
use crate::text::tokenize;

const BOLD_YELLOW: &str = "\x1b[1;33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Merge overlapping hit spans into regions, each with the categories in it.
fn regions(m: &Matcher, hits: &[Hit]) -> Vec<(Range<usize>, Vec<String>)> {
    let mut spans: Vec<(Range<usize>, usize, bool)> = hits
        .iter()
        .map(|h| (h.span.clone(), h.category, h.counted()))
        .collect();
    spans.sort_by_key(|(s, c, _)| (s.start, s.end, *c));
    let mut out: Vec<(Range<usize>, Vec<String>)> = Vec::new();
    for (s, c, counted) in spans {
        let id = &m.categories[c].id;
        let id = if counted {
            id.clone()
        } else {
            format!("{id}: counter-indicator")
        };
        match out.last_mut() {
            Some((r, cats)) if s.start < r.end => {
                r.end = r.end.max(s.end);
                if !cats.contains(&id) {
                    cats.push(id);
                }
            }
            _ => out.push((s, vec![id])),
        }
    }
    out
}

/// `tanda explain CORPUS PASSAGE_ID`.
pub(super) fn explain(args: ExplainArgs) -> anyhow::Result<i32> {
    let Some((doc_id, suffix)) = args.passage.rsplit_once('#') else {
        crate::error::usage!(
            "`{}` is not a passage id; use the form DOC#p3 (paragraph), DOC#s3 (sentence) or DOC#doc, as in passages.csv",
            args.passage
        );
    };
    let Some(unit) = suffix
        .parse::<crate::corpus::PassageId>()
        .ok()
        .and_then(|p| p.unit())
    else {
        crate::error::usage!(
            "`#{suffix}` is not a passage number; use #p3, #s3, #a3 or #doc (window passages #w3 cannot be explained: use --unit paragraph)"
        );
    };
    let cb = load_codebook(args.codebook.as_deref(), false)?;
    let m = Matcher::compile(&cb);
    let corpus = load_corpus(&args.corpus, &args.read, true, false)?;
    let Some(doc) = corpus.documents.iter().find(|d| d.id == doc_id) else {
        let why = corpus
            .skipped
            .iter()
            .find(|s| s.id == doc_id)
            .map(|s| format!(" (it was skipped: {})", s.reason))
            .unwrap_or_default();
        crate::error::usage!("no document `{doc_id}` in {}{why}", corpus.root);
    };
    let passages = segment(&doc.id, &doc.paragraphs, unit);
    let Some(p) = passages.iter().find(|p| p.id == args.passage) else {
        crate::error::usage!(
            "`{doc_id}` has no passage `#{suffix}`: it has {} passages of unit {unit}",
            passages.len()
        );
    };
    let (coded, traces) = code_traced(&m, &p.text);
    let colour = colour_stdout();

    let first = p.lines.first().map(|l| l.1).unwrap_or_default();
    let last = p.lines.last().map(|l| l.1).unwrap_or_default();
    let mut s = format!(
        "{}  (lines {first}–{last}, {} words)\ncodebook {} {} ({})\n\n",
        p.id, coded.words, cb.name, cb.version, cb.origin
    );
    let mut at = 0;
    for (r, cats) in regions(&m, &coded.hits) {
        s.push_str(&p.text[at..r.start]);
        let word = &p.text[r.clone()];
        let tag = cats.join(", ");
        if colour {
            s.push_str(&format!("{BOLD_YELLOW}{word}{RESET}{DIM}{{{tag}}}{RESET}"));
        } else {
            s.push_str(&format!("[{word}]{{{tag}}}"));
        }
        at = r.end;
    }
    s.push_str(&p.text[at..]);
    s.push_str("\n\n");

    s.push_str(&explain::explain(&m, &p.text, &coded, &traces));
    std::io::stdout().lock().write_all(s.as_bytes())?;
    Ok(exit::OK)
}

/// A codebook of one category holding one ad-hoc entry.
fn adhoc_matcher(entry: &str) -> Result<Matcher, Error> {
    let src = format!(
        "name = \"kwic\"\n[[category]]\nid = \"kwic\"\nentries = [{}]\n",
        toml::Value::String(entry.to_string())
    );
    let (cb, _) =
        codebook::from_source(&src, "--entry").map_err(|diagnostics| Error::Codebook {
            origin: "--entry".into(),
            diagnostics,
        })?;
    Ok(Matcher::compile(&cb))
}

/// Cut `s` to at most `width` display columns, keeping its end (`from_end`)
/// or its start.
fn clip(s: &str, width: usize, from_end: bool) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    let mut w = 1; // the ellipsis
    let chars: Vec<char> = if from_end {
        s.chars().rev().collect()
    } else {
        s.chars().collect()
    };
    for c in chars {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        out.push(c);
    }
    if from_end {
        out.reverse();
        format!("…{}", out.into_iter().collect::<String>())
    } else {
        format!("{}…", out.into_iter().collect::<String>())
    }
}

struct Row {
    doc: String,
    passage: String,
    line: crate::corpus::extract::Loc,
    category: String,
    entry: String,
    /// The entry's weight, and the passage's score and decision for the
    /// hit's category.
    weight: f64,
    score: f64,
    coded: bool,
    left: String,
    keyword: String,
    right: String,
}

/// A weight with its sign, as `explain` prints it.
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", explain::number(x))
    } else {
        explain::number(x)
    }
}

/// `tanda kwic CORPUS --category C | --entry E`.
pub(super) fn kwic(args: KwicArgs) -> anyhow::Result<i32> {
    let (m, wanted): (Matcher, Vec<usize>) =
        match (&args.category, args.entry.as_ref().or(args.phrase.as_ref())) {
            (Some(cat), _) => {
                let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
                let m = Matcher::compile(&cb);
                let Some(ci) = m.categories.iter().position(|c| &c.id == cat) else {
                    let ids: Vec<&str> = m.categories.iter().map(|c| c.id.as_str()).collect();
                    crate::error::usage!(
                        "no category `{cat}` in codebook {}; categories: {}",
                        cb.origin,
                        ids.join(", ")
                    );
                };
                let subtree = m.categories[ci].subtree.clone();
                (m, subtree)
            }
            (None, Some(e)) => (adhoc_matcher(e)?, vec![0]),
            (None, None) => crate::error::usage!(
                "say what to look for: --category ID, --entry ENTRY or --phrase PHRASE"
            ),
        };
    let corpus = load_corpus(&args.corpus, &args.read, args.quiet, false)?;
    let mut rows = Vec::new();
    for doc in &corpus.documents {
        for cp in code_document(&m, doc, args.unit) {
            let text = &cp.passage.text;
            let tokens = tokenize(text);
            let atoms = &tokens.atoms;
            for h in cp
                .coded
                .hits
                .iter()
                .filter(|h| wanted.contains(&h.category))
                .filter(|h| !args.counted_only || h.counted())
            {
                let (left, right) =
                    crate::text::context_ranges(atoms, &h.span, &h.atoms, args.window);
                let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                rows.push(Row {
                    doc: doc.id.clone(),
                    passage: cp.passage.id.clone(),
                    line: cp.passage.line_at(h.span.start),
                    category: m.categories[h.category].id.clone(),
                    entry: entry_text(&m, h.category, h.entry),
                    weight: h.weight,
                    score: cp.coded.scores[h.category],
                    coded: cp.coded.is_coded(&m, h.category),
                    left: flat(&text[left]),
                    keyword: flat(&text[h.span.clone()]),
                    right: flat(&text[right]),
                });
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        KwicFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "doc_id",
                "passage_id",
                "line",
                "category",
                "entry",
                "weight",
                "score",
                "coded",
                "left",
                "keyword",
                "right",
            ])?;
            for r in &rows {
                w.write_record([
                    safe_cell(&r.doc).as_ref(),
                    safe_cell(&r.passage).as_ref(),
                    &r.line.to_string(),
                    &r.category,
                    safe_cell(&r.entry).as_ref(),
                    &format_score(r.weight),
                    &format_score(r.score),
                    if r.coded { "1" } else { "0" },
                    safe_cell(&r.left).as_ref(),
                    safe_cell(&r.keyword).as_ref(),
                    safe_cell(&r.right).as_ref(),
                ])?;
            }
            w.flush()?;
        }
        KwicFormat::Table => {
            let colour = colour_stdout();
            let lefts: Vec<String> = rows.iter().map(|r| clip(&r.left, 40, true)).collect();
            let lw = lefts.iter().map(|l| l.width()).max().unwrap_or(0);
            // With weights, each row says what the hit weighs and what the
            // passage's score came to: `+1 → 2.4 coded`, `−2 → −0.6`.
            let weighted = m.is_weighted();
            let ids: Vec<String> = rows
                .iter()
                .map(|r| {
                    if weighted {
                        format!(
                            "{}:{} {:>4} → {}{}",
                            r.passage,
                            r.line,
                            signed(r.weight),
                            explain::number(r.score),
                            if r.coded { " coded" } else { "" }
                        )
                    } else {
                        format!("{}:{}", r.passage, r.line)
                    }
                })
                .collect();
            let idw = ids.iter().map(|i| i.width()).max().unwrap_or(0);
            for ((r, left), id) in rows.iter().zip(&lefts).zip(ids) {
                let kw = if colour {
                    format!("{BOLD_YELLOW}{}{RESET}", r.keyword)
                } else {
                    format!("[{}]", r.keyword)
                };
                let right = clip(&r.right, 40, false);
                // Punctuation hugs the keyword, as it does in the text.
                let gap = if right.starts_with(|c: char| c.is_alphanumeric()) {
                    " "
                } else {
                    ""
                };
                let line = format!(
                    "{id}{}  {}{left} {kw}{gap}{right}",
                    " ".repeat(idw.saturating_sub(id.width())),
                    " ".repeat(lw.saturating_sub(left.width())),
                );
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    out.flush()?;
    if !args.quiet {
        let passages: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.passage.as_str()).collect();
        eprintln!("{} match(es) in {} passage(s)", rows.len(), passages.len());
    }
    Ok(exit::OK)
}
