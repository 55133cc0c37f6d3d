//! `tanda._tanda`: the compiled half of the Python package. It calls the
//! library's pipeline ([`tanda::analysis`]) and hands Python the same bytes
//! the command line writes (passages.csv, hits.csv, documents.csv,
//! frequencies.csv, the JSON header), so a DataFrame built from them holds
//! exactly what the CLI's files hold: one definition of each format, in Rust.
//! The Python half (python/tanda/__init__.py) turns them into DataFrames.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use tanda::analysis::{self, Observer, Options};
use tanda::codebook::{self, Matcher, Severity};
use tanda::corpus::{self, Unit};
use tanda::report::{self, write as w};

create_exception!(
    _tanda,
    TandaError,
    PyException,
    "An error tanda reports: the message names the file (and line) and what to do; `exit_code` is the code the command line would exit with."
);

/// A library error as a Python exception carrying its message and exit code.
fn py_err(e: tanda::Error) -> PyErr {
    let mut message = e.to_string();
    if let tanda::Error::Codebook {
        origin,
        diagnostics,
    } = &e
    {
        for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            message.push('\n');
            message.push_str(&d.display(origin).to_string());
        }
    }
    TandaError::new_err((message, e.exit_code()))
}

/// Writing a table into memory failed (it cannot, short of running out of
/// memory): a failure (exit 1), not the user's mistake.
fn in_memory(e: std::io::Error) -> PyErr {
    TandaError::new_err((format!("cannot render a table: {e}"), 1))
}

fn usage(message: String) -> PyErr {
    py_err(tanda::Error::Usage(message))
}

/// Collects warnings and notes to hand to Python (`warnings.warn` there).
#[derive(Default)]
struct Heard(Mutex<Vec<String>>);

impl Observer for Heard {
    fn warning(&self, message: &str) {
        if let Ok(mut v) = self.0.lock() {
            v.push(format!("warning: {message}"));
        }
    }
    fn note(&self, message: &str) {
        if let Ok(mut v) = self.0.lock() {
            v.push(format!("note: {message}"));
        }
    }
}

fn load_codebook(path: Option<PathBuf>) -> Result<(codebook::Codebook, Vec<String>), tanda::Error> {
    let (cb, diags) = codebook::load(path.as_deref())?;
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.display(&cb.origin).to_string())
        .collect();
    Ok((cb, warnings))
}

/// What one analysis hands to Python, all of it computed without the GIL.
struct Tables {
    passages: Vec<u8>,
    hits: Vec<u8>,
    documents: Vec<u8>,
    frequencies: Vec<u8>,
    crosstab_tests: Option<Vec<u8>>,
    header: String,
    warnings: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn run_analysis(
    path: PathBuf,
    codebook: Option<PathBuf>,
    unit: &str,
    by: Vec<String>,
    min_words: usize,
    measure: &str,
    bin: Option<u32>,
    strict: bool,
) -> Result<Tables, PyErr> {
    let unit: Unit = unit.parse().map_err(usage)?;
    let measure: report::Measure = measure.parse().map_err(usage)?;
    let (cb, mut warnings) = load_codebook(codebook).map_err(py_err)?;
    let opts = Options {
        unit,
        min_words,
        by,
        tables: report::TableOptions {
            measure,
            bin,
            ..Default::default()
        },
        strict,
        reports: false,
        ..Default::default()
    };
    // PDFs are read in this process: the child process the command line
    // uses is the tanda binary, which a Python install does not have.
    let corpus = corpus::load_cached(
        &path,
        &corpus::LoadOptions::default(),
        &mut corpus::Cache::default(),
    )
    .map_err(py_err)?;
    let matcher = Matcher::compile(&cb);
    // Rows do not depend on the metadata's names; the header, made after
    // the run, uses the names the run gave them (`meta:NAME`).
    let (_, passage_rows) = w::PassageRows::new(&corpus.fields, &matcher, &opts.unit.to_string());
    let (hit_header, hit_rows) = w::HitRows::new(&matcher);
    let mut passages = Vec::new();
    let mut hits = w::header_line(&hit_header);
    let mut documents = Vec::new();
    let mut heard = Heard::default();
    let outcome = analysis::analyze_corpus(&corpus, &cb, &opts, None, &mut heard, |d, ps, c| {
        passages.extend(passage_rows.render(d, ps));
        hits.extend(hit_rows.render(d, ps));
        documents.extend(w::document_row(&d.id, &d.metadata, c));
    })
    .map_err(py_err)?;
    let t = &outcome.tables;
    let (passage_header, _) =
        w::PassageRows::new(&outcome.fields, &matcher, &opts.unit.to_string());
    let mut head = w::header_line(&passage_header);
    head.extend(passages);
    let passages = head;
    let cat_ids: Vec<String> = matcher.categories.iter().map(|c| c.id.clone()).collect();
    let mut documents_csv = Vec::new();
    w::documents_csv(
        &mut documents_csv,
        &outcome.fields,
        &cat_ids,
        &documents,
        false,
    )
    .map_err(in_memory)?;
    let mut frequencies = Vec::new();
    w::frequencies_csv(&mut frequencies, &t.rows, false).map_err(in_memory)?;
    let crosstab_tests = if t.tests.is_empty() {
        None
    } else {
        let mut v = Vec::new();
        w::tests_csv(&mut v, &t.tests, &t.tally, false).map_err(in_memory)?;
        Some(v)
    };
    let header = serde_json::json!({
        "header": t.header,
        "hits": outcome.hits,
        "fields": outcome.fields,
        "categories": cat_ids,
    })
    .to_string();
    warnings.extend(heard.0.into_inner().unwrap_or_default());
    warnings.extend(corpus.warnings.iter().map(|w| format!("warning: {w}")));
    Ok(Tables {
        passages,
        hits,
        documents: documents_csv,
        frequencies,
        crosstab_tests,
        header,
        warnings,
    })
}

/// Code a corpus folder (or spreadsheet) and return its tables as CSV bytes
/// and its header as JSON (see `tanda.analyze`).
#[pyfunction]
#[pyo3(signature = (path, codebook=None, unit="paragraph", by=Vec::new(), min_words=0, measure="passages", bin=None, strict=false))]
#[allow(clippy::too_many_arguments)]
fn analyze<'py>(
    py: Python<'py>,
    path: PathBuf,
    codebook: Option<PathBuf>,
    unit: &str,
    by: Vec<String>,
    min_words: usize,
    measure: &str,
    bin: Option<u32>,
    strict: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let unit = unit.to_string();
    let measure = measure.to_string();
    let t = py.detach(move || {
        run_analysis(path, codebook, &unit, by, min_words, &measure, bin, strict)
    })?;
    let d = PyDict::new(py);
    d.set_item("passages", PyBytes::new(py, &t.passages))?;
    d.set_item("hits", PyBytes::new(py, &t.hits))?;
    d.set_item("documents", PyBytes::new(py, &t.documents))?;
    d.set_item("frequencies", PyBytes::new(py, &t.frequencies))?;
    d.set_item(
        "crosstab_tests",
        t.crosstab_tests.map(|v| PyBytes::new(py, &v)),
    )?;
    d.set_item("header", t.header)?;
    d.set_item("warnings", PyList::new(py, t.warnings)?)?;
    Ok(d)
}

/// A codebook, compiled: load it once, code any number of texts.
#[pyclass(frozen, module = "tanda._tanda")]
struct Codebook {
    cb: codebook::Codebook,
    matcher: Matcher,
    warnings: Vec<String>,
}

#[pymethods]
impl Codebook {
    /// Load a codebook file (TOML, JSON, .dic, .dicx), or the built-in one
    /// for `None` or `"builtin"`.
    #[staticmethod]
    #[pyo3(signature = (path=None))]
    fn load(py: Python<'_>, path: Option<PathBuf>) -> PyResult<Codebook> {
        let (cb, warnings) = py.detach(|| load_codebook(path)).map_err(py_err)?;
        let matcher = Matcher::compile(&cb);
        Ok(Codebook {
            cb,
            matcher,
            warnings,
        })
    }

    #[getter]
    fn name(&self) -> &str {
        &self.cb.name
    }

    #[getter]
    fn version(&self) -> &str {
        &self.cb.version
    }

    /// The SHA-256 recorded in run.json and table headers.
    #[getter]
    fn sha256(&self) -> &str {
        &self.cb.sha256
    }

    #[getter]
    fn origin(&self) -> &str {
        &self.cb.origin
    }

    /// The category ids, in the order of the tables.
    #[getter]
    fn categories(&self) -> Vec<String> {
        self.matcher
            .categories
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    /// The codebook's warnings (FILE:LINE:COLUMN: warning: …).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Code one text as one passage: its words, per category the decision,
    /// the counted hits and the counter-indicator hits, and every hit with
    /// its character offsets.
    fn code<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
        let m = &self.matcher;
        let coded = py.detach(|| tanda::coder::code(m, text));
        let d = PyDict::new(py);
        d.set_item("words", coded.words)?;
        let decisions = PyDict::new(py);
        let counts = PyDict::new(py);
        let counter = PyDict::new(py);
        for (c, cat) in m.categories.iter().enumerate() {
            decisions.set_item(&cat.id, coded.is_coded(m, c))?;
            counts.set_item(&cat.id, coded.counts[c])?;
            counter.set_item(&cat.id, coded.counter[c])?;
        }
        d.set_item("coded", decisions)?;
        d.set_item("counts", counts)?;
        d.set_item("counter", counter)?;
        let hits = PyList::empty(py);
        let mut chars = tanda::text::CharCursor::new(text);
        for h in &coded.hits {
            let hit = PyDict::new(py);
            hit.set_item("category", &m.categories[h.category].id)?;
            hit.set_item("entry", w::entry_text(m, h.category, h.entry))?;
            hit.set_item("matched", &text[h.span.clone()])?;
            hit.set_item("start", chars.at(h.span.start))?;
            hit.set_item("end", chars.at(h.span.end))?;
            hit.set_item("weight", h.weight)?;
            hit.set_item("counted", h.counted())?;
            hits.append(hit)?;
        }
        d.set_item("hits", hits)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Codebook({:?}, version {:?}, {} categories)",
            self.cb.name,
            self.cb.version,
            self.matcher.categories.len()
        )
    }
}

/// The counting policy outputs record (its id and its rules).
#[pyfunction]
fn policy() -> (String, String) {
    (
        tanda::coder::POLICY_ID.to_string(),
        tanda::coder::POLICY.to_string(),
    )
}

#[pymodule]
fn _tanda(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("TandaError", m.py().get_type::<TandaError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(policy, m)?)?;
    m.add_class::<Codebook>()?;
    Ok(())
}
