//! `tanda code --jsonl`: a streaming map step for Spark, Slurm or shell
//! pipelines. Documents come in as JSON lines (`{"id", "text", …metadata}`),
//! coded passages go out as JSON lines, in input order, a bounded chunk at a
//! time, so memory does not grow with the corpus.

use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::{CodeArgs, load_codebook};
use crate::codebook::Matcher;
use crate::coder::code;
use crate::corpus::{extract, normalize, segment};
use crate::error::{Error, exit};
use crate::report::write::entry_text;

/// Documents coded in parallel at a time.
const CHUNK: usize = 256;

fn code_line(
    m: &Matcher,
    args: &CodeArgs,
    line: &str,
    lineno: usize,
) -> Result<Vec<String>, String> {
    let v: Value =
        serde_json::from_str(line).map_err(|e| format!("line {lineno}: not JSON: {e}"))?;
    let Value::Object(obj) = v else {
        return Err(format!("line {lineno}: a JSON object is expected"));
    };
    let id = match obj.get(&args.id_field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(format!(
                "line {lineno}: no `{}` field (string or number)",
                args.id_field
            ));
        }
    };
    let Some(Value::String(text)) = obj.get(&args.text_field) else {
        return Err(format!(
            "line {lineno}: no `{}` string field",
            args.text_field
        ));
    };
    let meta: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| **k != args.id_field && **k != args.text_field)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let paragraphs = normalize::paragraphs(&extract::split_lines(text));
    let mut out = Vec::new();
    for p in segment(&id, &paragraphs, args.unit) {
        let c = code(m, &p.text);
        // One JSON object per category, keyed by id.
        let per_cat = |v: &dyn Fn(usize) -> Value| -> Value {
            Value::Object(
                m.categories
                    .iter()
                    .enumerate()
                    .map(|(i, cat)| (cat.id.clone(), v(i)))
                    .collect(),
            )
        };
        let coded: Vec<&str> = (0..m.categories.len())
            .filter(|&i| c.is_coded(m, i))
            .map(|i| m.categories[i].id.as_str())
            .collect();
        let hits: Vec<Value> = c
            .hits
            .iter()
            .map(|h| {
                let start = p.text[..h.span.start].chars().count();
                json!({
                    "category": m.categories[h.category].id,
                    "entry": entry_text(m, h.category, h.entry),
                    "matched": &p.text[h.span.clone()],
                    "start": start,
                    "end": start + p.text[h.span.clone()].chars().count(),
                })
            })
            .collect();
        let mut rec = Map::new();
        rec.insert("doc_id".into(), json!(id));
        rec.insert("passage_id".into(), json!(p.id));
        rec.insert("unit".into(), json!(args.unit.to_string()));
        rec.insert("metadata".into(), Value::Object(meta.clone()));
        rec.insert("words".into(), json!(c.words));
        rec.insert("counts".into(), per_cat(&|i| json!(c.counts[i])));
        if m.is_weighted() {
            // Scores decide coding under `min_score`: `tanda report` needs them.
            rec.insert("counter".into(), per_cat(&|i| json!(c.counter[i])));
            rec.insert("scores".into(), per_cat(&|i| json!(c.scores[i])));
        }
        rec.insert("coded".into(), json!(coded));
        if !args.no_hits {
            rec.insert("hits".into(), Value::Array(hits));
        }
        rec.insert("text".into(), json!(p.text));
        out.push(Value::Object(rec).to_string());
    }
    Ok(out)
}

pub(super) fn run(args: CodeArgs) -> anyhow::Result<i32> {
    if !args.jsonl {
        anyhow::bail!("`tanda code` needs --jsonl (the only input format it streams)");
    }
    let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
    let m = Matcher::compile(&cb);
    let inputs: Vec<Box<dyn BufRead>> = if args.inputs.is_empty() {
        vec![Box::new(std::io::BufReader::new(std::io::stdin()))]
    } else {
        args.inputs
            .iter()
            .map(|p| {
                std::fs::File::open(p)
                    .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn BufRead>)
                    .map_err(|e| Error::Input {
                        path: p.display().to_string(),
                        message: format!("cannot open: {e}"),
                    })
            })
            .collect::<Result<_, _>>()?
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut docs, mut bad) = (0usize, 0usize);
    for input in inputs {
        let mut lines = input.lines().enumerate();
        loop {
            let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
            for (i, l) in lines.by_ref() {
                let l = l?;
                if !l.trim().is_empty() {
                    chunk.push((i + 1, l));
                }
                if chunk.len() == CHUNK {
                    break;
                }
            }
            if chunk.is_empty() {
                break;
            }
            let coded: Vec<Result<Vec<String>, String>> = chunk
                .par_iter()
                .map(|(n, l)| code_line(&m, &args, l, *n))
                .collect();
            for r in coded {
                match r {
                    Ok(recs) => {
                        docs += 1;
                        for rec in recs {
                            writeln!(out, "{rec}")?;
                        }
                    }
                    Err(e) if args.strict => {
                        return Err(Error::Strict { count: 1, first: e }.into());
                    }
                    Err(e) => {
                        bad += 1;
                        if !args.quiet {
                            eprintln!("warning: skipped: {e}");
                        }
                    }
                }
            }
        }
    }
    out.flush()?;
    if !args.quiet {
        eprintln!(
            "coded {docs} document(s){}",
            if bad > 0 {
                format!(", skipped {bad}")
            } else {
                String::new()
            }
        );
    }
    Ok(exit::OK)
}
