//! `tanda kwic`: keyword in context, every match of a category or an
//! entry with the words around it: how a researcher checks what a
//! dictionary really matches.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use unicode_width::UnicodeWidthStr;

use super::present::{BOLD_YELLOW, RESET};
use super::{KwicFormat, ReadArgs, colour_stdout, load_codebook, load_corpus, parse_unit};
use crate::codebook::{self, Matcher};
use crate::coder::{code_document, explain};
use crate::corpus::Unit;
use crate::error::{Error, exit};
use crate::report::write::{entry_text, format_score, safe_cell};
use crate::text::tokenize;

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["category", "entry", "phrase"]))]
pub(super) struct KwicArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The corpus folder.
    corpus: PathBuf,
    /// Show the counted hits of this category (and its subcategories).
    #[arg(long, value_name = "ID")]
    category: Option<String>,
    /// Show the matches of an ad-hoc entry: word, glob, phrase or proximity rule.
    #[arg(long, value_name = "ENTRY")]
    entry: Option<String>,
    /// Same as --entry, for a phrase.
    #[arg(long, value_name = "PHRASE")]
    phrase: Option<String>,
    /// Words of context on each side.
    #[arg(long, default_value_t = 5, value_name = "N")]
    window: usize,
    /// Codebook file for --category (the built-in one when left out).
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
    /// Unit of analysis (context never crosses a passage).
    #[arg(long, default_value = "paragraph", value_parser = parse_unit, value_name = "document|paragraph|sentence|article|window:N")]
    unit: Unit,
    /// Leave out counter-indicators (entries weighing 0 or less).
    #[arg(long)]
    counted_only: bool,
    #[arg(long, value_enum, default_value = "table")]
    format: KwicFormat,
    /// Print no warnings on standard error.
    #[arg(short, long)]
    quiet: bool,
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
pub(super) fn run(args: KwicArgs) -> anyhow::Result<i32> {
    let (m, wanted) = what_to_find(&args)?;
    let corpus = load_corpus(&args.corpus, &args.read, args.quiet, false)?;
    let rows = find(&args, &m, &wanted, &corpus);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        KwicFormat::Csv => write_csv(&mut out, &rows)?,
        KwicFormat::Table => write_table(&mut out, &rows, m.is_weighted())?,
    }
    out.flush()?;
    if !args.quiet {
        let passages: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.passage.as_str()).collect();
        eprintln!("{} match(es) in {} passage(s)", rows.len(), passages.len());
    }
    Ok(exit::OK)
}

/// The matcher to run and the categories whose hits are shown: a category
/// of the codebook with its subcategories, or an ad-hoc entry.
fn what_to_find(args: &KwicArgs) -> anyhow::Result<(Matcher, Vec<usize>)> {
    let found = match (&args.category, args.entry.as_ref().or(args.phrase.as_ref())) {
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
    Ok(found)
}

/// Every wanted hit in the corpus with its context, in corpus order.
fn find(
    args: &KwicArgs,
    m: &Matcher,
    wanted: &[usize],
    corpus: &crate::corpus::Corpus,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for doc in &corpus.documents {
        for cp in code_document(m, doc, args.unit) {
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
                    entry: entry_text(m, h.category, h.entry),
                    weight: h.weight,
                    score: cp.coded.scores[h.category],
                    coded: cp.coded.is_coded(m, h.category),
                    left: flat(&text[left]),
                    keyword: flat(&text[h.span.clone()]),
                    right: flat(&text[right]),
                });
            }
        }
    }
    rows
}

fn write_csv(out: &mut dyn Write, rows: &[Row]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
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
    for r in rows {
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
    Ok(())
}

/// Aligned lines: id (and, with weights, what the hit weighs and what the
/// passage's score came to), left context, the keyword, right context.
fn write_table(out: &mut dyn Write, rows: &[Row], weighted: bool) -> anyhow::Result<()> {
    let colour = colour_stdout();
    let lefts: Vec<String> = rows.iter().map(|r| clip(&r.left, 40, true)).collect();
    let lw = lefts.iter().map(|l| l.width()).max().unwrap_or(0);
    // With weights, each row says what the hit weighs and what the
    // passage's score came to: `+1 → 2.4 coded`, `−2 → −0.6`.
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
    Ok(())
}
