//! `tanda code --jsonl`: a streaming map step for Spark, Slurm or shell
//! pipelines. Documents come in as JSON lines (`{"id", "text", …metadata}`),
//! coded passages go out as JSON lines, in input order, a bounded chunk at a
//! time, so memory does not grow with the corpus. The format, the line
//! reader and the coding of one line are [`crate::jsonl`]'s; this parses the
//! options, runs chunks in parallel and says what was skipped.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use super::{load_codebook, parse_unit};
use crate::codebook::Matcher;
use crate::corpus::Unit;
use crate::error::{Error, exit};
use crate::jsonl::{self, LineError, Lines};

#[derive(Args, Debug)]
pub(super) struct CodeArgs {
    /// Read JSON lines (`{"id": …, "text": …, …metadata}`), one document a line.
    #[arg(long)]
    jsonl: bool,
    /// Input files (standard input when none).
    inputs: Vec<PathBuf>,
    /// Codebook file (the built-in one when left out).
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
    /// Unit of analysis.
    #[arg(long, default_value = "paragraph", value_parser = parse_unit, value_name = "document|paragraph|sentence|article|window:N")]
    unit: Unit,
    /// The field holding the document id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// The field holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Leave the hits out of each passage's record.
    #[arg(long)]
    no_hits: bool,
    /// Fail (exit 5) on the first line that cannot be read.
    #[arg(long)]
    strict: bool,
    /// The most text one document may hold, in MB (1 MB = 1,048,576
    /// bytes): a longer input line is skipped with a warning, never held
    /// in memory whole.
    #[arg(long, value_name = "N", default_value_t = crate::jsonl::DEFAULT_MAX_DOC_MB as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_doc_mb: u64,
    /// Print no warnings or summary on standard error.
    #[arg(short, long)]
    quiet: bool,
}

/// Documents coded in parallel at a time.
const CHUNK: usize = 256;
/// Input bytes coded in parallel at a time (a chunk closes at either).
const CHUNK_BYTES: usize = 64 << 20;

pub(super) fn run(args: CodeArgs) -> anyhow::Result<i32> {
    if !args.jsonl {
        crate::error::usage!("`tanda code` needs --jsonl (the only input format it streams)");
    }
    let cb = load_codebook(args.codebook.as_deref(), args.quiet)?;
    let m = Matcher::compile(&cb);
    let opts = jsonl::Options {
        unit: args.unit,
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        hits: !args.no_hits,
    };
    let max = usize::try_from(args.max_doc_mb)
        .unwrap_or(usize::MAX)
        .saturating_mul(jsonl::MB);
    let inputs = open_inputs(&args.inputs)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut docs, mut bad) = (0usize, 0usize);
    for (name, input) in inputs {
        let mut lines = Lines::new(input, max);
        let read_err = |e: std::io::Error| Error::Input {
            path: name.clone(),
            message: format!("cannot read: {e}"),
        };
        loop {
            let chunk = lines.next_chunk(CHUNK, CHUNK_BYTES).map_err(read_err)?;
            if chunk.is_empty() {
                break;
            }
            let coded: Vec<(usize, Result<Vec<String>, LineError>)> = chunk
                .into_par_iter()
                .map(|(n, l)| {
                    let recs = l.and_then(|l| jsonl::code_line(&m, &opts, &l));
                    (
                        n,
                        recs.map(|r| r.iter().map(jsonl::Record::to_line).collect()),
                    )
                })
                .collect();
            for (n, r) in coded {
                match r {
                    Ok(recs) => {
                        docs += 1;
                        for rec in recs {
                            writeln!(out, "{rec}")?;
                        }
                    }
                    Err(e) => {
                        bad += 1;
                        if !args.quiet {
                            // What came before is written before it is said.
                            out.flush()?;
                            eprintln!("warning: {name}:{n}: skipped: {e}");
                        }
                        if args.strict {
                            out.flush()?;
                            return Err(Error::Strict {
                                count: 1,
                                first: format!("{name}:{n}: {e}"),
                            }
                            .into());
                        }
                    }
                }
            }
        }
    }
    out.flush()?;
    if !args.quiet {
        if bad > 0 {
            eprintln!(
                "coded {docs} document(s); skipped {bad} line(s) that could not be used (see the warnings above; --strict to stop at the first)"
            );
        } else {
            eprintln!("coded {docs} document(s)");
        }
    }
    Ok(exit::OK)
}

/// An input's name (for messages) and its reader.
type Input = (String, Box<dyn BufRead>);

/// The inputs, opened: the files given, or standard input.
fn open_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    let inputs: Vec<Input> = if paths.is_empty() {
        vec![(
            "stdin".to_string(),
            Box::new(std::io::BufReader::new(std::io::stdin())),
        )]
    } else {
        paths
            .iter()
            .map(|p| {
                let name = p.display().to_string();
                std::fs::File::open(p)
                    .map(|f| {
                        (
                            name.clone(),
                            Box::new(std::io::BufReader::new(f)) as Box<dyn BufRead>,
                        )
                    })
                    .map_err(|e| Error::Input {
                        path: name,
                        message: format!("cannot open: {e}"),
                    })
            })
            .collect::<Result<_, _>>()?
    };
    Ok(inputs)
}
