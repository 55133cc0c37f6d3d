//! EPUB extraction: META-INF/container.xml names the package (OPF) file,
//! whose spine gives the reading order; each XHTML chapter goes through the
//! HTML extractor. Lines are located as `chapter:line` (the chapter's place
//! in the spine, the line in its XHTML file).
//!
//! EPUB 3 footnotes are `<aside epub:type="footnote">`, which the HTML
//! reader would drop as a sidebar: they are read in place (at the end of
//! their chapter), and note reference marks (`<a epub:type="noteref">1</a>`)
//! are left out so the number does not stick to the word before it.
//! `<br>` is a space, as a line break is in DOCX, ODT and RTF.
//! DRM-encrypted books are refused; parts are read with the zip size limit.

use crate::xmlzip::attr;
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::extract::{ExtractError, ExtractOptions, Extracted, Extractor, Loc, SourceLine};
use super::odt::{dc_language, read_part};

pub struct Epub;

fn bad(msg: impl Into<String>) -> ExtractError {
    ExtractError::Format(msg.into())
}

/// Decode `%xx` escapes of a URL path.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `href` (relative to the folder of `base`) as a path inside the zip.
fn resolve(base: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or("");
    let href = percent_decode(href);
    let mut parts: Vec<&str> = match base.rfind('/') {
        Some(i) if !href.starts_with('/') => base[..i].split('/').collect(),
        _ => Vec::new(),
    };
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The package file named by META-INF/container.xml.
fn rootfile(container: &[u8]) -> Result<Option<String>, ExtractError> {
    let mut reader = Reader::from_reader(container);
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(format!("damaged .epub: META-INF/container.xml: {e}")))?;
        match ev {
            Event::Eof => return Ok(None),
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "rootfile" => {
                let media = attr(&e, "media-type").unwrap_or_default();
                if let Some(p) = attr(&e, "full-path")
                    && (media.is_empty() || media == "application/oebps-package+xml")
                {
                    return Ok(Some(p));
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// A package's manifest (id → href, media type) and spine (ids in order).
struct Package {
    manifest: HashMap<String, (String, String)>,
    spine: Vec<String>,
}

fn package(opf: &[u8], name: &str) -> Result<Package, ExtractError> {
    let mut reader = Reader::from_reader(opf);
    let mut buf = Vec::new();
    let mut manifest = HashMap::new();
    let mut spine = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(format!("damaged .epub: {name}: {e}")))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "item" => {
                    if let (Some(id), Some(href)) = (attr(&e, "id"), attr(&e, "href")) {
                        let media = attr(&e, "media-type").unwrap_or_default();
                        manifest.insert(id, (href, media));
                    }
                }
                "itemref" => {
                    if let Some(id) = attr(&e, "idref") {
                        spine.push(id);
                    }
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    Ok(Package { manifest, spine })
}

/// Zip paths that META-INF/encryption.xml says are encrypted.
fn encrypted_parts(enc: &[u8]) -> Vec<String> {
    let mut reader = Reader::from_reader(enc);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Ok(ev) = reader.read_event_into(&mut buf) {
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "CipherReference" => {
                if let Some(uri) = attr(&e, "URI") {
                    out.push(resolve("", &uri));
                }
            }
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The value of attribute `name` (lower-case) in a tag's text.
fn tag_attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = at.checked_sub(1).map(|j| lower.as_bytes()[j]);
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(v) = rest.strip_prefix('=') else {
            continue;
        };
        let v = v.trim_start();
        let q = v.chars().next()?;
        if q == '"' || q == '\'' {
            let body = &v[1..];
            return Some(&body[..body.find(q).unwrap_or(body.len())]);
        }
        return Some(&v[..v.find([' ', '>', '/']).unwrap_or(v.len())]);
    }
    None
}

fn has_type(tag: &str, kinds: &[&str]) -> bool {
    let types = [tag_attr(tag, "epub:type"), tag_attr(tag, "role")];
    types.iter().flatten().any(|v| {
        v.split_whitespace()
            .any(|t| kinds.contains(&t.trim_start_matches("doc-")))
    })
}

/// The end of the element whose start tag begins at `start` (tag `name`),
/// past its matching end tag; `lower` is the page in ASCII lower case.
fn element_end(lower: &str, start: usize, name: &str) -> usize {
    let (open, close) = (format!("<{name}"), format!("</{name}"));
    // A tag of this name, not one that only starts with it (`<a` vs `<abbr`).
    let whole = |at: usize, len: usize| {
        lower[at + len..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
    };
    let mut depth = 0usize;
    let mut i = start;
    while i < lower.len() {
        let next_open = lower[i..].find(&open).map(|p| p + i);
        let next_close = lower[i..].find(&close).map(|p| p + i);
        match (next_open, next_close) {
            (Some(o), Some(c)) if o < c => {
                if whole(o, open.len()) {
                    depth += 1;
                }
                i = o + open.len();
            }
            (_, Some(c)) => {
                let end = lower[c..].find('>').map_or(lower.len(), |e| c + e + 1);
                if whole(c, close.len()) {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return end;
                    }
                }
                i = end;
            }
            _ => break,
        }
    }
    lower.len()
}

/// Prepare an XHTML chapter for the HTML reader, keeping line numbers:
/// footnote `<aside>`s become `<div>`s, `<br>` a space, note reference
/// marks and the back-links in notes are cut (their newlines kept).
fn prepare(html: &str) -> String {
    const NOTES: &[&str] = &["footnote", "endnote", "rearnote", "note"];
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    // End of the note being read, if inside one.
    let mut note_end = 0usize;
    while let Some(p) = lower[i..].find('<').map(|p| p + i) {
        out.push_str(&html[i..p]);
        let tag_end = lower[p..].find('>').map_or(lower.len(), |e| p + e + 1);
        let tag = &html[p..tag_end];
        let tl = &lower[p..tag_end];
        if tl.starts_with("<aside") && has_type(tag, NOTES) {
            note_end = element_end(&lower, p, "aside");
            out.push_str("<div  ");
            out.push_str(&tag[6..]);
            i = tag_end;
            continue;
        }
        if tl.starts_with("</aside") && p < note_end {
            out.push_str("</div  ");
            out.push_str(&tag[7..]);
            i = tag_end;
            continue;
        }
        // A line break inside a paragraph, as in the other word-processor
        // formats (the HTML reader would start a new paragraph).
        if tl.starts_with("<br")
            && tl[3..].starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>')
        {
            out.push(' ');
            out.extend(tag.chars().filter(|&c| c == '\n'));
            i = tag_end;
            continue;
        }
        if tl.starts_with("<a") && tl[2..].starts_with(|c: char| c.is_whitespace()) {
            let end = element_end(&lower, p, "a");
            let inner = &html[tag_end..end.max(tag_end)];
            let text_len = inner
                .split('<')
                .map(|s| s.split_once('>').map_or(s, |(_, t)| t))
                .collect::<String>()
                .trim()
                .chars()
                .count();
            let backlink = p < note_end
                && tag_attr(tag, "href").is_some_and(|h| h.starts_with('#'))
                && text_len <= 4;
            if has_type(tag, &["noteref"]) || backlink {
                out.extend(html[p..end].chars().filter(|&c| c == '\n'));
                i = end;
                continue;
            }
        }
        out.push_str(tag);
        i = tag_end;
    }
    out.push_str(&html[i..]);
    out
}

impl Extractor for Epub {
    fn format(&self) -> &'static str {
        "epub"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        if bytes.is_empty() {
            return Err(ExtractError::Empty);
        }
        let budget = &mut super::odt::budget(opts);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
            bad("not an .epub: the file is not a zip archive (damaged, or another format renamed)")
        })?;
        let container = read_part(&mut zip, "META-INF/container.xml", ".epub", budget)?
            .ok_or_else(|| bad("not an .epub: no META-INF/container.xml inside"))?;
        let opf_name = rootfile(&container)?
            .ok_or_else(|| bad("damaged .epub: META-INF/container.xml names no package file"))?;
        let opf = read_part(&mut zip, &opf_name, ".epub", budget)?.ok_or_else(|| {
            bad(format!(
                "damaged .epub: the package file {opf_name} is missing"
            ))
        })?;
        let pkg = package(&opf, &opf_name)?;
        let encrypted = match read_part(&mut zip, "META-INF/encryption.xml", ".epub", budget)? {
            Some(x) => encrypted_parts(&x),
            None => Vec::new(),
        };
        let mut metadata = BTreeMap::new();
        if let Some(lang) = dc_language(&opf) {
            metadata.insert("language".to_string(), lang);
        }
        let mut lines: Vec<SourceLine> = Vec::new();
        let mut chapter = 0u32;
        for id in &pkg.spine {
            let (href, media) = pkg.manifest.get(id).ok_or_else(|| {
                bad(format!(
                    "damaged .epub: spine item `{id}` is not in the manifest of {opf_name}"
                ))
            })?;
            if !matches!(media.as_str(), "application/xhtml+xml" | "text/html" | "") {
                continue;
            }
            let path = resolve(&opf_name, href);
            if encrypted.contains(&path) {
                return Err(bad(format!(
                    "DRM-protected .epub ({path} is encrypted); tanda cannot read it"
                )));
            }
            let part = read_part(&mut zip, &path, ".epub", budget)?.ok_or_else(|| {
                bad(format!(
                    "damaged .epub: spine item {path} is missing from the archive"
                ))
            })?;
            chapter += 1;
            // XHTML is UTF-8 or UTF-16 whatever --encoding says for text files.
            let html = match encoding_rs::Encoding::for_bom(&part) {
                Some((enc, bom)) => enc.decode_without_bom_handling(&part[bom..]).0,
                None => String::from_utf8_lossy(&part),
            };
            let x = match super::html::Html
                .extract(prepare(&html).as_bytes(), &ExtractOptions::default())
            {
                Ok(x) => x,
                Err(ExtractError::Empty) => continue,
                Err(e) => return Err(bad(format!("{path}: {e}"))),
            };
            lines.extend(x.lines.into_iter().map(|l| SourceLine {
                no: Loc {
                    page: chapter,
                    line: l.no.line,
                },
                ..l
            }));
        }
        Ok(Extracted {
            lines,
            encoding: "epub",
            metadata,
            structured: true,
            warnings: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_against_the_package_folder() {
        assert_eq!(
            resolve("OEBPS/content.opf", "text/ch%201.xhtml#s"),
            "OEBPS/text/ch 1.xhtml"
        );
        assert_eq!(
            resolve("OEBPS/pkg/content.opf", "../text/a.xhtml"),
            "OEBPS/text/a.xhtml"
        );
        assert_eq!(resolve("content.opf", "a.xhtml"), "a.xhtml");
    }

    fn book(parts: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in parts {
            w.start_file(*name, o).unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const CONTAINER: &str = r#"<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;
    const OPF: &str = r#"<package xmlns="http://www.idpf.org/2007/opf"><metadata/><manifest>
<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/two%20b.xhtml" media-type="application/xhtml+xml"/>
<item id="img" href="cover.png" media-type="image/png"/></manifest>
<spine><itemref idref="c2"/><itemref idref="img"/><itemref idref="c1"/></spine></package>"#;

    #[test]
    fn chapters_in_spine_order_with_their_markup() {
        let bytes = book(&[
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/book.opf", OPF),
            (
                "OEBPS/text/one.xhtml",
                "<html><body><h1>Bab Satu</h1>\n<p>Akhir.</p></body></html>",
            ),
            (
                "OEBPS/text/two b.xhtml",
                "<html><body><p>Awal.</p><ul><li>butir</li></ul></body></html>",
            ),
        ]);
        let x = Epub.extract(&bytes, &ExtractOptions::default()).unwrap();
        let got: Vec<(&str, super::super::extract::LineKind, Loc)> = x
            .lines
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| (l.text.as_str(), l.kind, l.no))
            .collect();
        use super::super::extract::LineKind::{Heading, ListItem, Text};
        let at = |page, line| Loc { page, line };
        assert_eq!(
            got,
            vec![
                ("Awal.", Text, at(1, 1)),
                ("butir", ListItem, at(1, 1)),
                ("Bab Satu", Heading, at(2, 1)),
                ("Akhir.", Text, at(2, 2)),
            ]
        );
    }

    #[test]
    fn drm_books_are_refused_font_obfuscation_is_not() {
        let enc = |uri: &str| {
            format!(
                r#"<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData></encryption>"#
            )
        };
        let parts = |e: String| {
            book(&[
                ("META-INF/container.xml", CONTAINER),
                ("META-INF/encryption.xml", &e),
                ("OEBPS/book.opf", OPF),
                ("OEBPS/text/one.xhtml", "<p>Satu.</p>"),
                ("OEBPS/text/two b.xhtml", "<p>Dua.</p>"),
            ])
        };
        let drm = Epub.extract(
            &parts(enc("OEBPS/text/one.xhtml")),
            &ExtractOptions::default(),
        );
        assert!(
            drm.as_ref()
                .is_err_and(|e| e.to_string().contains("DRM-protected")),
            "{drm:?}"
        );
        let fonts = Epub.extract(&parts(enc("OEBPS/fonts/a.otf")), &ExtractOptions::default());
        assert!(fonts.is_ok(), "{fonts:?}");
    }

    #[test]
    fn footnote_asides_are_kept_and_note_marks_cut() {
        let html = "<p>Satu<sup><a epub:type=\"noteref\" href=\"#n1\">1</a></sup>;<br/>dua.</p>\n<aside class=\"x\" epub:type=\"footnote\" id=\"n1\"><p><a href=\"#r1\">1</a>Catatan <a href=\"#other\">see elsewhere</a>.</p></aside><aside>Sidebar</aside>";
        let got = prepare(html);
        assert_eq!(
            got,
            "<p>Satu<sup></sup>; dua.</p>\n<div   class=\"x\" epub:type=\"footnote\" id=\"n1\"><p>Catatan <a href=\"#other\">see elsewhere</a>.</p></div  ><aside>Sidebar</aside>"
        );
    }
}
