//! PDF text extraction with `pdf-extract` (pure Rust, on `lopdf`), page by
//! page. The parser can panic on damaged files, so it runs isolated; a PDF
//! with no text layer is reported as probably scanned, or with `--ocr` its
//! pages without text are read by Tesseract (see [`super::ocr`]).
//!
//! Lines are assembled as `pdf-extract`'s plain-text writer does, but each
//! keeps its indentation against its column's left edge and wide vertical
//! gaps get a second blank line (see [`super::pdf_layout`]), so the
//! normaliser's indentation and blank-line rules see the page's layout.
//!
//! Pages are joined with form feeds, so the normaliser drops running
//! headers, footers and page numbers and rejoins paragraphs split by a page
//! break; each line keeps its page number (`page:line` in hits.csv).

use std::collections::BTreeMap;

use super::extract::{
    ExtractError, ExtractOptions, Extracted, Extractor, LineKind, Loc, SourceLine,
};
use super::pdf_layout::{LineDev, lay_out};

/// Largest PDF read (the whole file is parsed in memory).
pub const MAX_PDF_MB: u64 = 256;

pub struct Pdf;

/// The text of each page, laid out (indentation, wide gaps), page by page
/// until the first page that cannot be read, as
/// `pdf_extract::extract_text_from_mem_by_pages` reads them.
fn pages_laid_out(bytes: &[u8]) -> Result<Vec<String>, pdf_extract::OutputError> {
    let mut doc = pdf_extract::Document::load_mem(bytes)?;
    if doc.is_encrypted() {
        // An empty user password opens most "protected" PDFs.
        doc.decrypt("")?;
    }
    let mut pages = Vec::new();
    for page_num in 1.. {
        let mut dev = LineDev::default();
        if pdf_extract::output_doc_page(&doc, &mut dev, page_num).is_err() {
            break;
        }
        pages.push(lay_out(&dev.into_lines()));
    }
    Ok(pages)
}

impl Extractor for Pdf {
    fn format(&self) -> &'static str {
        "pdf"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        if bytes.is_empty() {
            return Err(ExtractError::Empty);
        }
        if bytes.len() as u64 > MAX_PDF_MB * 1024 * 1024 {
            return Err(ExtractError::TooLarge { limit: MAX_PDF_MB });
        }
        let head = &bytes[..bytes.len().min(1024)];
        if !head.windows(5).any(|w| w == b"%PDF-") {
            return Err(ExtractError::Format(
                "not a PDF file (no %PDF header); check the file's real format".into(),
            ));
        }
        let encrypted = bytes.windows(8).any(|w| w == b"/Encrypt");
        let mut pages = match super::extract::isolate("PDF", || pages_laid_out(bytes))? {
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
