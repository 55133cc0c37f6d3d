//! OCR of scanned PDF pages (`--ocr`): pages without a text layer are
//! rendered at 300 dpi by poppler's `pdftoppm` and read by Tesseract.
//!
//! Both are outside programs, found on PATH when a run first needs them;
//! when one is missing the message says what to install. Each page runs in
//! a temporary folder with a time limit, and Tesseract's output is read as
//! UTF-8. The engine's version and the languages go into the document's
//! `encoding` (`pdf+ocr (tesseract 5.3.0; eng+ind)`, so run.json records
//! them) and into the extraction cache key.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::extract::ExtractError;

/// Tesseract languages used when `--ocr-lang` is not given.
pub const DEFAULT_LANGUAGES: &str = "eng+ind";
/// Resolution pages are rendered at.
pub const DPI: u32 = 300;
/// Time limit for rendering or reading one page.
pub const PAGE_TIMEOUT_SECS: u64 = 300;
/// How OCR'd documents' encoding starts.
pub const ENCODING_PREFIX: &str = "pdf+ocr";
/// What to install, said whenever a tool or a language is missing.
pub const INSTALL_HINT: &str = "install them: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-ind tesseract-ocr-tha poppler-utils (Debian/Ubuntu), or brew install tesseract tesseract-lang poppler (macOS)";

/// OCR settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrOptions {
    /// Tesseract language names joined by `+` (`eng+ind`).
    pub languages: String,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            languages: DEFAULT_LANGUAGES.to_string(),
        }
    }
}

/// Whether `s` is a valid `--ocr-lang` value: names of letters, digits and
/// `_`, joined by `+`.
pub fn valid_languages(s: &str) -> bool {
    !s.is_empty()
        && s.split('+').all(|l| {
            !l.is_empty()
                && l.len() <= 32
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// The OCR tools found on this machine.
#[derive(Debug, Clone)]
pub struct Engine {
    /// `tesseract 5.3.0`.
    pub version: String,
    /// Language data Tesseract has.
    pub languages: Vec<String>,
}

static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();

fn probe() -> Result<Engine, String> {
    let mut missing = Vec::new();
    let tess = Command::new("tesseract")
        .arg("--version")
        .stdin(Stdio::null())
        .output();
    if tess.is_err() {
        missing.push("tesseract");
    }
    let ppm = Command::new("pdftoppm")
        .arg("-v")
        .stdin(Stdio::null())
        .output();
    if ppm.is_err() {
        missing.push("pdftoppm");
    }
    let tess = match tess {
        Ok(o) if missing.is_empty() => o,
        _ => {
            return Err(format!(
                "--ocr needs tesseract and pdftoppm; {} on PATH; {INSTALL_HINT}",
                match missing.as_slice() {
                    [one] => format!("{one} was not found"),
                    _ => "neither was found".to_string(),
                }
            ));
        }
    };
    // Tesseract 4+ prints the version on stdout, 3.x on stderr.
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&tess.stdout),
        String::from_utf8_lossy(&tess.stderr)
    );
    let version = all
        .lines()
        .find(|l| l.trim_start().starts_with("tesseract"))
        .map(|l| l.trim().to_string())
        .unwrap_or_else(|| "tesseract (unknown version)".to_string());
    let langs = Command::new("tesseract")
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run tesseract --list-langs: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&langs.stdout),
        String::from_utf8_lossy(&langs.stderr)
    );
    let languages = text
        .lines()
        .filter(|l| !l.contains(' ') && !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect();
    Ok(Engine { version, languages })
}

/// The OCR engine, looked for once per run.
pub fn engine() -> Result<&'static Engine, String> {
    ENGINE.get_or_init(probe).as_ref().map_err(Clone::clone)
}

/// The engine, checked to have every language of `opts`.
pub fn check(opts: &OcrOptions) -> Result<&'static Engine, String> {
    let e = engine()?;
    let missing: Vec<&str> = opts
        .languages
        .split('+')
        .filter(|l| !e.languages.iter().any(|have| have == l))
        .collect();
    if missing.is_empty() {
        return Ok(e);
    }
    let packages: Vec<String> = missing
        .iter()
        .map(|l| format!("tesseract-ocr-{}", l.to_lowercase().replace('_', "-")))
        .collect();
    Err(format!(
        "tesseract has no language data for {} (it has {}); install {} (Debian/Ubuntu) or tesseract-lang (Homebrew), or choose others with --ocr-lang",
        missing.join(", "),
        if e.languages.is_empty() {
            "none".to_string()
        } else {
            e.languages.join(", ")
        },
        packages.join(" ")
    ))
}

/// The part of the extraction cache key that OCR settings make: engine
/// version and languages.
pub fn cache_key(opts: &OcrOptions) -> String {
    let engine = engine().map_or("none".to_string(), |e| {
        e.version
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    });
    format!("ocr-{engine}-{}", opts.languages)
}

/// A `&'static str` for an OCR encoding name (few distinct values a run).
pub fn intern(s: &str) -> &'static str {
    static SEEN: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(&k) = seen.iter().find(|&&k| k == s) {
        return k;
    }
    let k: &'static str = Box::leak(s.to_string().into_boxed_str());
    seen.push(k);
    k
}

/// Run a program with a time limit, its output sent to files in `dir`.
fn run(mut cmd: Command, dir: &Path, what: &str) -> Result<(), ExtractError> {
    let fail = |m: String| ExtractError::Format(m);
    let err_path = dir.join(format!("{what}.stderr"));
    let stderr = std::fs::File::create(&err_path)
        .map_err(|e| fail(format!("OCR: cannot write to a temporary folder: {e}")))?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(|e| fail(format!("OCR: cannot run {what}: {e}; {INSTALL_HINT}")))?;
    let deadline = Instant::now() + Duration::from_secs(PAGE_TIMEOUT_SECS);
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!(
                    "OCR: {what} took more than {PAGE_TIMEOUT_SECS} s on one page; stopped"
                )));
            }
            Err(e) => return Err(fail(format!("OCR: {what} failed: {e}"))),
        }
    };
    if status.success() {
        return Ok(());
    }
    let msg = std::fs::read(&err_path).unwrap_or_default();
    let msg = String::from_utf8_lossy(&msg);
    let first = msg
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    Err(fail(format!("OCR: {what} failed ({status}): {first}")))
}

/// OCR the given 1-based pages of a PDF. Returns each page's text and the
/// encoding name to record (engine, version, languages).
pub(super) fn ocr_pages(
    pdf: &[u8],
    pages: &[u32],
    opts: &OcrOptions,
) -> Result<(Vec<String>, &'static str), ExtractError> {
    let engine = check(opts).map_err(|m| ExtractError::Format(format!("no text layer; {m}")))?;
    let dir = tempfile::Builder::new()
        .prefix("tanda-ocr-")
        .tempdir()
        .map_err(|e| ExtractError::Format(format!("OCR: cannot make a temporary folder: {e}")))?;
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf)
        .map_err(|e| ExtractError::Format(format!("OCR: cannot write a temporary file: {e}")))?;
    let mut out = Vec::with_capacity(pages.len());
    for &page in pages {
        let stem = dir.path().join(format!("p{page}"));
        let mut render = Command::new("pdftoppm");
        render
            .args([
                "-r",
                &DPI.to_string(),
                "-f",
                &page.to_string(),
                "-l",
                &page.to_string(),
            ])
            .args(["-singlefile", "-gray", "-png"])
            .arg(&input)
            .arg(&stem);
        run(render, dir.path(), "pdftoppm")?;
        let png = stem.with_extension("png");
        let mut read = Command::new("tesseract");
        read.arg(&png)
            .arg(&stem)
            .args(["-l", &opts.languages])
            // tanda already reads documents in parallel.
            .env("OMP_THREAD_LIMIT", "1");
        run(read, dir.path(), "tesseract")?;
        let text = std::fs::read(stem.with_extension("txt")).map_err(|e| {
            ExtractError::Format(format!("OCR: tesseract wrote no text for page {page}: {e}"))
        })?;
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        // Tesseract ends each page with a form feed; tanda adds its own.
        out.push(text.replace('\u{c}', ""));
        let _ = std::fs::remove_file(&png);
    }
    let encoding = intern(&format!(
        "{ENCODING_PREFIX} ({}; {})",
        engine.version, opts.languages
    ));
    Ok((out, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_lists_are_checked() {
        assert!(valid_languages("eng+ind"));
        assert!(valid_languages("chi_sim"));
        assert!(!valid_languages(""));
        assert!(!valid_languages("eng+"));
        assert!(!valid_languages("-l eng"));
        assert!(!valid_languages("../x"));
    }

    #[test]
    fn interned_names_are_shared() {
        let a = intern("pdf+ocr (tesseract 9; eng)");
        let b = intern(&String::from("pdf+ocr (tesseract 9; eng)"));
        assert!(std::ptr::eq(a, b));
    }
}
