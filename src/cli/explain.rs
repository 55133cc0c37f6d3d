//! `tanda explain`: one passage with its matches highlighted and the
//! entries that fired, so a researcher sees why it was (not) coded.

use std::io::Write;
use std::ops::Range;
use std::path::PathBuf;

use clap::Args;

use super::present::{BOLD_YELLOW, DIM, RESET};
use super::{ReadArgs, colour_stdout, load_codebook, load_corpus};
use crate::codebook::Matcher;
use crate::coder::{Hit, code_traced, explain};
use crate::corpus::segment;
use crate::error::exit;

#[derive(Args, Debug)]
pub(super) struct ExplainArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The corpus folder.
    corpus: PathBuf,
    /// Passage id as in passages.csv, e.g. reports/ecpat-2011.txt#p3 (the unit follows from #p, #s or #doc).
    passage: String,
    /// Codebook file (the built-in one when left out).
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
}

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
pub(super) fn run(args: ExplainArgs) -> anyhow::Result<i32> {
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
