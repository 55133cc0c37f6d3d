//! PDF text extraction with `pdf-extract` (pure Rust, on `lopdf`), page by
//! page. The parser can panic on damaged files, so it runs isolated; a PDF
//! with no text layer is reported as probably scanned, or with `--ocr` its
//! pages without text are read by Tesseract (see [`super::ocr`]).
//!
//! Lines are assembled as `pdf-extract`'s plain-text writer does, but each
//! keeps its indentation against its column's left edge and wide vertical
//! gaps get a second blank line (see the private `pdf_layout` module), so the
//! normaliser's indentation and blank-line rules see the page's layout.
//!
//! Pages are joined with form feeds, so the normaliser drops running
//! headers, footers and page numbers and rejoins paragraphs split by a page
//! break; each line keeps its page number (`page:line` in hits.csv).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use super::extract::{
    ExtractError, ExtractOptions, Extracted, Extractor, LineKind, Loc, SourceLine,
};
use super::pdf_layout::LineDev;

/// The longest a child process may take to read one PDF.
pub const WORKER_SECONDS: u64 = 300;

/// The PDF reader: text page by page, isolated from parser panics (in a
/// child process when [`super::extract::ExtractOptions::pdf_worker`] is
/// set); pages without text OCRed with `--ocr`.
pub struct Pdf;

/// The text of each page, laid out (indentation, wide gaps), up to the
/// first page that cannot be read. One pass over the page tree: asking
/// `pdf_extract` for page n rebuilds the list of all pages each time, which
/// made 20,000 pages take six minutes.
fn pages_laid_out(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        // An empty user password opens most "protected" PDFs.
        doc.decrypt("").map_err(|e| e.to_string())?;
    }
    let mut dev = LineDev::default();
    // An error stops at the page that cannot be read; the pages before it
    // are kept, as a reader of the printed document would.
    let _ = pdf_extract::output_doc(&doc, &mut dev);
    Ok(dev.into_pages())
}

/// What the child process answers: the pages, or why they could not be
/// read.
#[derive(serde::Serialize, serde::Deserialize)]
enum Reply {
    Pages(Vec<String>),
    /// The parser's error.
    Failed(String),
    /// The parser panicked: the message for the user, as is.
    Panicked(String),
}

/// The child side of `pages_in_child` (`tanda pdf-worker`): read a PDF
/// from `input`, write the `Reply` to `output`. Its memory is limited to
/// `limit_bytes` first, so a compression bomb ends this process, not the
/// run that started it.
pub fn worker(mut input: impl Read, mut output: impl Write, limit_bytes: u64) -> i32 {
    limit_memory(limit_bytes);
    let mut bytes = Vec::new();
    if input.read_to_end(&mut bytes).is_err() {
        return 1;
    }
    let reply = match super::extract::isolate("PDF", || pages_laid_out(&bytes)) {
        Ok(Ok(p)) => Reply::Pages(p),
        Ok(Err(e)) => Reply::Failed(e),
        Err(e) => Reply::Panicked(e.to_string()),
    };
    match serde_json::to_writer(&mut output, &reply) {
        Ok(()) if output.flush().is_ok() => 0,
        _ => 1,
    }
}

/// Cap this process's address space (Linux; elsewhere the child is
/// isolated but not capped).
#[cfg(target_os = "linux")]
fn limit_memory(bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct it is given and nothing else.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_memory(_bytes: u64) {}

/// Read the pages in a child process (`program pdf-worker`), which is
/// killed after [`WORKER_SECONDS`]. `None` when the child cannot be
/// started (the caller reads in this process instead).
fn pages_in_child(
    program: &Path,
    bytes: &[u8],
    opts: &ExtractOptions,
) -> Option<Result<Result<Vec<String>, String>, ExtractError>> {
    use std::process::{Command, Stdio};
    let limit = opts.limits.pdf_worker_bytes();
    let mut child = Command::new(program)
        .arg("pdf-worker")
        .arg(limit.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let (mut stdin, stdout) = (child.stdin.take()?, child.stdout.take()?);
    // Text out is bounded by the text limit (with room for JSON escapes).
    let cap = opts
        .limits
        .text_bytes()
        .saturating_mul(2)
        .saturating_add(1 << 20);
    // Set when the child has written more than the cap: it is killed then
    // rather than left blocked on a full pipe until the time limit.
    let over = std::sync::atomic::AtomicBool::new(false);
    let outcome = std::thread::scope(|s| {
        // A child that dies early closes its end: the write fails, which
        // the exit status below explains.
        s.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        let over = &over;
        let reader = s.spawn(move || {
            let mut out = Vec::new();
            let _ = stdout.take(cap + 1).read_to_end(&mut out);
            if out.len() as u64 > cap {
                over.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            out
        });
        let started = Instant::now();
        let mut pause = Duration::from_millis(1);
        let status = loop {
            match child.try_wait() {
                Ok(Some(st)) => break Some(st),
                Ok(None) if over.load(std::sync::atomic::Ordering::Relaxed) => {
                    let _ = child.kill();
                    break child.wait().ok();
                }
                Ok(None) if started.elapsed() > Duration::from_secs(WORKER_SECONDS) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        (status, reader.join().unwrap_or_default())
    });
    let (status, out) = outcome;
    let mb = limit >> 20;
    let Some(status) = status else {
        return Some(Err(ExtractError::Format(format!(
            "reading this PDF took more than {WORKER_SECONDS} s; refused (a damaged or hostile PDF?)"
        ))));
    };
    if out.len() as u64 > cap {
        return Some(Err(ExtractError::TooLarge {
            what: "its text".into(),
            limit_mb: opts.limits.text_mb,
        }));
    }
    match serde_json::from_slice::<Reply>(&out) {
        Ok(Reply::Pages(p)) => Some(Ok(Ok(p))),
        Ok(Reply::Failed(e)) => Some(Ok(Err(e))),
        Ok(Reply::Panicked(e)) => Some(Err(ExtractError::Format(e))),
        Err(_) if status.success() => Some(Err(ExtractError::Format(
            "the PDF reader gave no answer; the file may be damaged".into(),
        ))),
        // Out of memory aborts the child (SIGABRT), or the kernel kills it.
        Err(_) => Some(Err(ExtractError::Memory { mb })),
    }
}

impl Extractor for Pdf {
    fn format(&self) -> &'static str {
        "pdf"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        if bytes.is_empty() {
            return Err(ExtractError::Empty);
        }
        let head = &bytes[..bytes.len().min(1024)];
        if !head.windows(5).any(|w| w == b"%PDF-") {
            return Err(ExtractError::Format(
                "not a PDF file (no %PDF header); check the file's real format".into(),
            ));
        }
        let encrypted = memchr::memmem::find(bytes, b"/Encrypt").is_some();
        let read = match opts
            .pdf_worker
            .as_deref()
            .and_then(|w| pages_in_child(w, bytes, opts))
        {
            Some(r) => r?,
            None => super::extract::isolate("PDF", || pages_laid_out(bytes))?,
        };
        let mut pages = match read {
            Ok(p) => p,
            Err(e) if encrypted => {
                return Err(ExtractError::Format(format!(
                    "password-protected PDF ({e}); save an unprotected copy (e.g. `qpdf --decrypt in.pdf out.pdf`)"
                )));
            }
            Err(e) => {
                return Err(ExtractError::Format(format!(
                    "cannot read this PDF ({e}); it may be damaged or truncated"
                )));
            }
        };
        let mut encoding = "pdf";
        let blank: Vec<u32> = (1..=pages.len() as u32)
            .filter(|&n| pages[n as usize - 1].trim().is_empty())
            .collect();
        if let Some(ocr) = &opts.ocr
            && !blank.is_empty()
            && !encrypted
        {
            let (texts, enc) = super::ocr::ocr_pages(bytes, &blank, ocr)?;
            for (&n, text) in blank.iter().zip(texts) {
                pages[n as usize - 1] = text;
            }
            encoding = enc;
        }
        if pages.iter().all(|p| p.trim().is_empty()) {
            return Err(ExtractError::Format(if encrypted {
                "password-protected PDF: no text could be read; save an unprotected copy".into()
            } else if opts.ocr.is_some() {
                format!("no text layer, and OCR found no text ({encoding})")
            } else {
                "no text layer (scanned? run with --ocr)".into()
            }));
        }
        let mut lines = Vec::new();
        for (pi, page) in pages.iter().enumerate() {
            for (li, text) in page.split('\n').enumerate() {
                let text = text.trim_end_matches('\r');
                let text = if pi > 0 && li == 0 {
                    format!("\u{c}{text}")
                } else {
                    text.to_string()
                };
                lines.push(SourceLine {
                    no: Loc {
                        page: pi as u32 + 1,
                        line: li as u32 + 1,
                    },
                    text,
                    kind: LineKind::Text,
                });
            }
        }
        Ok(Extracted {
            lines,
            encoding,
            metadata: BTreeMap::new(),
            structured: false,
            warnings: Vec::new(),
        })
    }
}
