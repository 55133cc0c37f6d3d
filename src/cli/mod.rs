//! Command-line definitions and the glue of each subcommand. This is the
//! binary's edge: library errors become messages and exit codes here.

mod agree;
mod analyze;
mod code;
mod codebook_cmd;
mod corpus;
mod diff;
mod explain;
mod export_qdpx;
mod freq;
mod import_qdpx;
mod keyness;
mod kwic;
mod present;
mod progress;
mod report;
mod sample;
mod suggest;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::codebook::{self, Codebook, Diagnostic, Severity};
use crate::corpus::Unit;
use crate::error::{Error, exit};

#[derive(Parser, Debug)]
#[command(
    name = "tanda",
    version,
    about = "Codebook-based content analysis of text corpora",
    long_about = "Codebook-based content analysis of text corpora.\n\n\
Codes every passage of a corpus with a codebook (the built-in one follows Keck & Sikkink's \
transnational advocacy tactics), prints frequency tables and writes every match to CSV.\n\n\
Exit codes: 0 ok, 1 failure (e.g. cannot write results), 2 usage error, 3 codebook error, \
4 input error, 5 a document was skipped under --strict, 6 `diff` found differences, \
7 a codebook's worked examples failed, 8 the --out folder cannot be used (another run \
is writing it, it holds files tanda did not write or changed, or it is inside the corpus)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Code a corpus and print frequency tables (and write results with --out).
    #[command(after_long_help = ANALYZE_HELP)]
    Analyze(analyze::AnalyzeArgs),
    /// Check, show, test, import, export or start (init) a codebook.
    #[command(subcommand)]
    Codebook(CodebookCommand),
    /// Look at a corpus before coding it.
    #[command(subcommand)]
    Corpus(corpus::CorpusCommand),
    /// Show one passage with its matches highlighted and the entries that fired.
    Explain(explain::ExplainArgs),
    /// Keyword in context: every match of a category or an entry, with the words around it.
    Kwic(kwic::KwicArgs),
    /// Agreement between coders (CSV/.xlsx sheets or results folders): percent agreement,
    /// Cohen's/Fleiss' kappa, Krippendorff's alpha, precision/recall/F1 against a reference.
    Agree(agree::AgreeArgs),
    /// What an edit changed: two results folders, or two codebooks coding --corpus.
    /// Exit 0 when nothing changed, 6 when something did.
    Diff(diff::DiffArgs),
    /// Draw passages from a results folder for hand-coding (a coder sheet for `agree`).
    Sample(sample::SampleArgs),
    /// Rebuild every table from results folders (passages.csv), e.g. after correcting
    /// codes in a spreadsheet, or to merge the shards of one corpus.
    Report(report::ReportArgs),
    /// Word and phrase frequencies of a corpus, by group; `--unmatched` lists
    /// frequent words no codebook entry matches.
    Freq(freq::FreqArgs),
    /// Words and phrases over-represented in target passages (a category's
    /// coded passages, or FIELD=VALUE) against the rest: G² and log ratio.
    Keyness(keyness::KeynessArgs),
    /// From a hand-coded sample, per category: the words and phrases most
    /// over-represented in passages the codebook missed, and the entries
    /// behind its false positives. It proposes; it never edits the codebook.
    #[command(after_long_help = SUGGEST_HELP)]
    Suggest(suggest::SuggestArgs),
    /// Code documents given as JSON lines and write coded passages as JSON lines,
    /// streaming (a map step for Spark, Slurm or shell pipelines).
    Code(code::CodeArgs),
    /// Write a results folder as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti,
    /// MAXQDA or QualCoder.
    #[command(name = "export-qdpx")]
    ExportQdpx(export_qdpx::ExportQdpxArgs),
    /// Read a REFI-QDA project (.qdpx) back into a coder sheet for `agree`.
    #[command(name = "import-qdpx")]
    ImportQdpx(import_qdpx::ImportQdpxArgs),
    /// Internal: read one PDF from standard input in a memory-capped child
    /// process (started by tanda itself).
    #[command(name = "pdf-worker", hide = true)]
    PdfWorker {
        /// Address-space limit in bytes.
        limit: u64,
    },
}

/// Output of tables that are not frequency tables.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum TableFormat {
    Table,
    Markdown,
    Csv,
    Json,
}

/// Phrase lengths, `1`, `2` or `1-3` (atoms; at most 4).
fn parse_ngrams(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("`{s}` is not a phrase length: use 1, 2, 1-3 (at most 4)");
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (
            a.trim().parse().map_err(|_| bad())?,
            b.trim().parse().map_err(|_| bad())?,
        ),
        None => {
            let n = s.trim().parse().map_err(|_| bad())?;
            (n, n)
        }
    };
    if a < 1 || b > 4 || a > b {
        return Err(bad());
    }
    Ok((a, b))
}

const SUGGEST_HELP: &str = "\
The sample: SHEET is a coder sheet as `tanda agree` reads it (.csv, .tsv or .xlsx keyed by
passage_id, one column per category id, 1/0, yes/no or x), e.g. drawn with `tanda sample`
from RESULTS and coded by hand. Its passage ids must be those of RESULTS/passages.csv.
A category of the codebook without a column in the sheet is skipped with a warning.

Per category, the sample's passages fall into: true positives (hand 1, codebook 1), false
positives (hand 0, codebook 1), false negatives (hand 1, codebook 0) and true negatives.

missed terms (false negatives): words and phrases (--ngrams, default 1-3) over-represented in
  the false-negative passages against the rest of the sample (--against corpus: against every
  other passage of RESULTS). Columns: occurrences in the false negatives and in the rest,
  false-negative passages holding the term, Dunning's G² (2 x 2, no correction), its p, and
  the log ratio (log2 of relative frequencies, 0.5 for a zero count), strongest first, ties
  by term. Terms are counted as the coder tokenises text (case folded, Thai segmented,
  hyphen parts as words, X-X as X), so a term put into the codebook as an entry matches what
  was counted. A term an entry of the category already matches on its own (Indonesian forms
  and globs included) is left out; --include-matched lists it with already_matched = yes
  (the gap there is the threshold, an exclusion or a negation, not a missing word).
  Terms beginning or ending with a function word of the built-in English, Indonesian and
  Thai lists are left out unless --keep-stopwords.

false-positive entries: the codebook entries whose counted hits (hits.csv) fell in the
  false-positive passages, with the number of false-positive and true-positive passages each
  fired in; most false positives first, then fewest true positives, then by entry.

Output: a table on standard output; --format csv|json, or --out FILE (.csv, or .json) to
keep the table on screen and write the rows for a spreadsheet. CSV columns: category, kind
(missed|false_positive), text, owner, fn_count, rest_count, fn_passages, fn_total,
rest_total, g2, p, log_ratio, already_matched, fp_passages, tp_passages, examples.

Example:
  tanda analyze corpus/ --codebook my.toml --out results/
  tanda sample results/ -n 100 --blind -o sample.xlsx        (code it by hand)
  tanda suggest my.toml --agree sample.xlsx results/ --out suggestions.csv";

/// Output of `kwic`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum KwicFormat {
    Table,
    Csv,
}

/// Formats `codebook export` and `codebook import` write.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum CodebookFormat {
    Toml,
    Json,
    Dic,
    Dicx,
    /// WordStat
    Cat,
    /// Yoshikoder
    Ykd,
    /// Lexicoder
    Lc3,
    /// quanteda
    Yaml,
}

/// How documents are read (shared by every command that reads a corpus).
#[derive(Args, Debug, Clone, Default)]
struct ReadArgs {
    /// Decode text files with this encoding (e.g. windows-1252, iso-8859-1,
    /// utf-16le) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// Leave headings out of the passages (DOCX and HTML heading styles,
    /// Markdown `#` lines; in .txt a short line standing alone that does not
    /// end like a sentence, or a numbered heading such as `2. Method`).
    #[arg(long)]
    skip_headings: bool,
    /// For a corpus given as one spreadsheet (.csv, .tsv, .xlsx; a document
    /// per row): the column holding the text (default: a column named `text`).
    #[arg(long, value_name = "COLUMN")]
    text_column: Option<String>,
    /// For a spreadsheet corpus: the column holding each document's id
    /// (default: the row, as `articles.csv#row12`).
    #[arg(long, value_name = "COLUMN")]
    id_column: Option<String>,
    /// Do not read or write the extraction cache (PDF, DOCX, HTML text kept
    /// by content hash in $TANDA_CACHE_DIR or ~/.cache/tanda).
    #[arg(long)]
    no_cache: bool,
    /// Read PDF pages that have no text layer (scanned) with Tesseract OCR.
    /// Needs tesseract and pdftoppm (poppler-utils) on PATH.
    #[arg(long)]
    ocr: bool,
    /// OCR languages: Tesseract names joined by + (eng, ind, tha ...).
    /// Default eng+ind.
    #[arg(long, value_name = "LANGS", requires = "ocr", value_parser = parse_ocr_lang)]
    ocr_lang: Option<String>,
    /// The most text one document may hold, in MB. Files are refused before
    /// reading when larger than this (.txt, .md) or 4 times this (PDF, DOCX,
    /// HTML and the rest, and a document's unzipped parts together); the
    /// child process reading a PDF may use 256 MB plus 16 times this.
    /// A refused document is reported and skipped.
    #[arg(long, value_name = "MB", default_value_t = crate::corpus::extract::Limits::DEFAULT_MB,
          value_parser = clap::value_parser!(u64).range(1..=65536))]
    max_doc_mb: u64,
}

fn parse_ocr_lang(s: &str) -> Result<String, String> {
    if crate::corpus::ocr::valid_languages(s) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` is not a list of Tesseract languages: use names like eng, ind, tha joined by +"
        ))
    }
}

impl ReadArgs {
    fn options(&self) -> anyhow::Result<crate::corpus::LoadOptions> {
        let encoding = match &self.encoding {
            None => None,
            Some(label) => Some(
                encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                    anyhow::Error::new(Error::UnknownField {
                        field: label.clone(),
                        available:
                            "an encoding label such as utf-8, windows-1252, iso-8859-1, utf-16le"
                                .into(),
                    })
                })?,
            ),
        };
        Ok(crate::corpus::LoadOptions {
            extract: crate::corpus::extract::ExtractOptions {
                encoding,
                ocr: self.ocr.then(|| crate::corpus::ocr::OcrOptions {
                    languages: self
                        .ocr_lang
                        .clone()
                        .unwrap_or_else(|| crate::corpus::ocr::DEFAULT_LANGUAGES.to_string()),
                }),
                limits: crate::corpus::extract::Limits {
                    text_mb: self.max_doc_mb,
                },
                // PDFs are read by a child process of this same program.
                pdf_worker: std::env::current_exe().ok(),
            },
            skip_headings: self.skip_headings,
            cache_dir: if self.no_cache {
                None
            } else {
                crate::corpus::default_cache_dir()
            },
            table: crate::corpus::TableOptions {
                text_column: self.text_column.clone(),
                id_column: self.id_column.clone(),
            },
            lean: false,
        })
    }
}

/// What goes to standard output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// Aligned text with bars (colour on a terminal; NO_COLOR respected).
    Table,
    /// The tidy (long) frequency table.
    Csv,
    /// One row per category, one column per group and measure.
    CsvWide,
    Json,
    Markdown,
    /// LaTeX `tabular`s for papers.
    Latex,
}

/// How tables are computed and shown (shared by `analyze` and `report`).
#[derive(Args, Debug, Clone, Default)]
struct TableOpts {
    /// What crosstab cells show: passages, documents, hits, per1k or pct-words
    /// (LIWC's % of words).
    #[arg(long, default_value = "passages", value_name = "MEASURE", value_parser = parse_measure)]
    measure: crate::report::Measure,
    /// Bin numeric or date `--by` fields into spans of N (years): 1996 → 1995–1999 with 5.
    #[arg(long, value_name = "N", value_parser = parse_bin)]
    bin: Option<u32>,
    /// Passages of one document are not independent: `document` tests
    /// crosstabs with documents as clusters (Rao–Scott corrected), `none`
    /// treats every unit as independent. Default: `document` when some
    /// document holds several passages (paragraph and sentence units).
    #[arg(long, default_value = "auto", value_name = "CLUSTER", value_parser = parse_cluster)]
    cluster: crate::report::Cluster,
    /// Also print which categories are coded in the same passages.
    #[arg(long)]
    cooccurrence: bool,
    /// Write CSV files with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    excel: bool,
}

impl TableOpts {
    /// How tables are computed and written, as the library takes it.
    fn options(&self) -> crate::report::TableOptions {
        crate::report::TableOptions {
            measure: self.measure,
            cluster: self.cluster,
            bin: self.bin,
            excel: self.excel,
        }
    }
}

fn parse_bin(s: &str) -> Result<u32, String> {
    s.trim_end_matches(['y', 'Y'])
        .parse::<u32>()
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| format!("`{s}` is not a bin width: use a number of years like 5 or 5y"))
}

fn parse_measure(s: &str) -> Result<crate::report::Measure, String> {
    s.parse()
}

fn parse_cluster(s: &str) -> Result<crate::report::Cluster, String> {
    s.parse()
}

const ANALYZE_HELP: &str = "\
Files read (every file under CORPUS; hidden ones skipped):
  .txt .md          text (UTF-8, UTF-16, legacy encodings detected); Markdown front matter as metadata
  .pdf              the text layer; pages without one (scanned) read by Tesseract with --ocr
  .docx             paragraphs, tables, footnotes; tracked deletions left out
  .html .htm        the article, without navigation, banners and footers
  .odt .rtf .epub   paragraphs, headings, lists, tables, footnotes (EPUB: chapters in spine order)
  .doc .pages       not read: reported as skipped (save as .docx or .txt)
  .csv .tsv .xlsx   given as CORPUS: one document per row (--text-column, --id-column)
  metadata.csv / metadata.tsv / metadata.xlsx at the root: one row per document (`path`
                    column), every other column a variable for --by (`,` `;` or tab separated)

Or CORPUS is one spreadsheet (.csv, .tsv, .xlsx): a document per row, its text in
--text-column (default `text`), every other column its metadata; ids from --id-column
or the row (`articles.csv#row12`); rows with an empty text cell are reported and skipped.

Files written with --out DIR. The run is written to a folder beside DIR and put in
its place whole, so DIR is always one complete run, never files of two runs. A second
run into DIR while one is running fails (exit 8); DIR is refused (exit 8) when it holds
files tanda did not write or files changed since (a hand-corrected passages.csv:
run.json records each file's SHA-256), unless --force, and when it lies inside the
corpus. Ctrl-C leaves DIR as it was.
  passages.csv      one row per passage: metadata, words, per category its decision (1/0,
                    the column named by the category), ID:hits, and for weighted codebooks
                    ID:counter and ID:score; matched words; the text
  hits.csv          one row per match: category, entry, matched words, offsets, line
                    (weighted codebooks: weight, and counted 0 for counter-indicators)
  documents.csv     one row per document: metadata, words, passages, per category passages
                    coded, % of passages, counted hits, hits per 1,000 words
  frequencies.csv   the table in tidy form (with --by, one block per group)
  frequencies-wide.csv  the same, one row per category
  crosstab-tests.csv  with --by: the test per category (which test, statistic, df, p,
                    Pearson's χ², Cramér's V, residuals)
  cooccurrence.csv  pairs of categories coded in the same passages
  tables.xlsx       the tables, documents and coded passages as typed sheets (not --csv-only)
  report.html       one self-contained page with tables and charts (not --csv-only)
  run.json          versions, codebook hash, counting policy, options, every document,
                    the SHA-256 of every other file

Correct codes in passages.csv (type 1 or 0 in a category's column) and run
`tanda report DIR` to rebuild every table from the corrected decisions.";

#[derive(Subcommand, Debug)]
enum CodebookCommand {
    /// Validate a codebook: every problem as FILE:LINE:COLUMN; exit 3 on errors.
    Check {
        /// The codebook file; `builtin` for the built-in one.
        file: PathBuf,
    },
    /// Print a codebook as a tree with descriptions and entry counts.
    Show {
        /// The codebook file; the built-in one when left out or `builtin`.
        file: Option<PathBuf>,
    },
    /// Code a text and show, word by word, which entries fired, for which
    /// categories, and which were cancelled (overlap, exclusion, negation).
    Test {
        /// The codebook file (TOML, JSON, .dic, .dicx); `builtin` for the built-in one.
        file: PathBuf,
        /// The text to code.
        #[arg(long, conflicts_with = "input")]
        text: Option<String>,
        /// Read the text from this file.
        #[arg(long = "file", value_name = "PATH")]
        input: Option<PathBuf>,
        /// Check the codebook's worked examples instead: every positive example
        /// must be coded for its category, every near miss must not (exit 7 if not).
        #[arg(long, conflicts_with_all = ["text", "input"])]
        examples: bool,
    },
    /// Render the coding manual (Markdown) from a codebook: definitions, rules,
    /// indicators, examples, and reliability figures when given.
    Doc {
        /// The codebook file; the built-in one when left out or `builtin`.
        file: Option<PathBuf>,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Reliability figures to include: the JSON of `tanda agree --format json`.
        #[arg(long, value_name = "FILE")]
        reliability: Option<PathBuf>,
    },
    /// Structural difference of two codebooks: categories added, removed, renamed,
    /// moved; entries added and removed; settings changed. Exit 6 when they differ.
    Diff {
        /// The earlier codebook file (`builtin` for the built-in one).
        old: PathBuf,
        /// The later codebook file (`builtin` for the built-in one).
        new: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: TableFormat,
    },
    /// Convert a dictionary (LIWC .dic/.dicx, JSON or TOML) to a tanda codebook.
    Import {
        /// The dictionary to read.
        file: PathBuf,
        /// Where to write (format from the extension: .toml or .json).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Write a codebook in another format (to standard output unless -o).
    Export {
        /// The codebook file; `builtin` for the built-in one.
        file: PathBuf,
        #[arg(long, value_enum)]
        format: CodebookFormat,
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the built-in codebook, in full and with its comments, to a file
    /// to edit (an existing file is kept unless --force).
    Init {
        /// Where to write.
        #[arg(default_value = "codebook.toml")]
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

fn parse_unit(s: &str) -> Result<Unit, String> {
    s.parse()
}

fn parse_regex(s: &str) -> Result<String, String> {
    regex::Regex::new(s)
        .map(|_| s.to_string())
        .map_err(|e| format!("not a valid regular expression: {e}"))
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    crate::corpus::extract::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let result = match cli.command {
        Command::PdfWorker { limit } => {
            return crate::corpus::pdf::worker(
                std::io::stdin().lock(),
                std::io::stdout().lock(),
                limit,
            );
        }
        Command::Analyze(args) => analyze::run(args),
        Command::Codebook(CodebookCommand::Check { file }) => codebook_cmd::check(&file),
        Command::Codebook(CodebookCommand::Show { file }) => codebook_cmd::show(file.as_deref()),
        Command::Codebook(CodebookCommand::Test {
            file,
            text,
            input,
            examples,
        }) => {
            if examples {
                codebook_cmd::test_examples(&file)
            } else {
                codebook_cmd::test(&file, text, input.as_deref())
            }
        }
        Command::Codebook(CodebookCommand::Doc {
            file,
            output,
            reliability,
        }) => codebook_cmd::doc(file.as_deref(), output.as_deref(), reliability.as_deref()),
        Command::Codebook(CodebookCommand::Import { file, output }) => {
            codebook_cmd::import(&file, &output)
        }
        Command::Codebook(CodebookCommand::Export {
            file,
            format,
            output,
        }) => codebook_cmd::export(&file, format, output.as_deref()),
        Command::Codebook(CodebookCommand::Init { file, force }) => {
            codebook_cmd::init(&file, force)
        }
        Command::Explain(args) => explain::run(args),
        Command::Corpus(corpus::CorpusCommand::Stats(args)) => corpus::stats(args),
        Command::Kwic(args) => kwic::run(args),
        Command::Agree(args) => agree::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Report(args) => report::run(args),
        Command::Freq(args) => freq::run(args),
        Command::Keyness(args) => keyness::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Code(args) => code::run(args),
        Command::ExportQdpx(args) => export_qdpx::run(args),
        Command::ImportQdpx(args) => import_qdpx::run(args),
        Command::Codebook(CodebookCommand::Diff { old, new, format }) => {
            diff::codebook_diff(&old, &new, format)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => report_error(&e),
    }
}

/// Print an error chain and pick its exit code.
fn report_error(e: &anyhow::Error) -> i32 {
    let code = e
        .downcast_ref::<Error>()
        .map_or(exit::FAILURE, Error::exit_code);
    if let Some(Error::Codebook {
        origin,
        diagnostics,
    }) = e.downcast_ref::<Error>()
    {
        print_diagnostics(&mut std::io::stderr(), origin, diagnostics);
    }
    if e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    {
        return exit::OK;
    }
    eprintln!("error: {}", error_text(e));
    code
}

/// An error and its causes on one line, `outer: inner: …`, each cause said
/// once: a message that already holds its cause's text (as the library's
/// `cannot read X: {source}` messages do) is not followed by it again.
fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if part.is_empty() || text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

fn print_diagnostics(w: &mut dyn Write, origin: &str, diags: &[Diagnostic]) {
    for d in diags {
        let _ = writeln!(w, "{}", d.display(origin));
    }
}

/// Load a corpus, printing its warnings and skipped files unless `quiet`;
/// with `strict`, a skipped file is an error.
fn load_corpus(
    path: &std::path::Path,
    read: &ReadArgs,
    quiet: bool,
    strict: bool,
) -> anyhow::Result<crate::corpus::Corpus> {
    let opts = read.options()?;
    let corpus = crate::corpus::load_cached(path, &opts, &mut crate::corpus::Cache::default())?;
    if !quiet {
        for warning in &corpus.warnings {
            eprintln!("warning: {warning}");
        }
        for s in &corpus.skipped {
            eprintln!(
                "warning: {}: skipped: {}",
                std::path::Path::new(&corpus.root).join(&s.id).display(),
                s.reason
            );
        }
    }
    if strict && let Some(first) = corpus.skipped.first() {
        return Err(Error::Strict {
            count: corpus.skipped.len(),
            first: format!("{}: {}", first.id, first.reason),
        }
        .into());
    }
    Ok(corpus)
}

/// Is standard output a terminal that wants colour (NO_COLOR respected)?
fn colour_stdout() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Does a command-line path name a codebook: a file, or `builtin`?
fn is_codebook_arg(path: &std::path::Path) -> bool {
    codebook::is_builtin_arg(path) || path.is_file()
}

/// Load a codebook, printing its warnings unless `quiet`. Every command
/// that takes a codebook comes here: `None` (the option left out) and the
/// path `builtin` both mean the built-in codebook ([`codebook::load`]).
fn load_codebook(path: Option<&std::path::Path>, quiet: bool) -> Result<Codebook, Error> {
    let (cb, warnings) = codebook::load(path)?;
    if !quiet {
        let warnings: Vec<Diagnostic> = warnings
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        print_diagnostics(&mut std::io::stderr(), &cb.origin, &warnings);
    }
    Ok(cb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
