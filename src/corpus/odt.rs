//! OpenDocument text (.odt) extraction: content.xml's paragraphs in order,
//! headings (`text:h`, heading and title styles) and list items marked,
//! tables cell by cell, footnotes and endnotes at the end; tracked
//! deletions, comments, note numbers, tables of contents and soft page
//! breaks left out. Like a .docx, an .odt is a zip whose XML is read with a
//! size limit, so a zip bomb is refused instead of filling memory.

use crate::xmlzip::attr;
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::extract::{
    ExtractError, ExtractOptions, Extracted, Extractor, LineKind, Loc, SourceLine,
};

/// Largest uncompressed part read from an .odt or .epub (as for .docx).
pub struct Odt;

/// A paragraph: text, heading, list item.
pub(super) type Para = (String, bool, bool);

/// Read one part of a zip package, taking its size from the document's
/// `budget` (see [`crate::xmlzip::Budget`]). `kind` names the format in
/// messages (`.odt`).
pub(super) fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    kind: &str,
    budget: &mut crate::xmlzip::Budget,
) -> Result<Option<Vec<u8>>, ExtractError> {
    crate::xmlzip::read_part(zip, name, budget).map_err(|e| match e {
        crate::xmlzip::PartError::TooLarge(mb) => ExtractError::TooLarge {
            what: format!("its parts unzipped (at {name}; a zip bomb?)"),
            limit_mb: mb,
        },
        e => ExtractError::Format(e.message(kind, name)),
    })
}

/// The budget of one zipped document under `opts`' limits.
pub(super) fn budget(opts: &ExtractOptions) -> crate::xmlzip::Budget {
    crate::xmlzip::Budget::mb(opts.limits.unzipped_mb())
}

/// One source line per paragraph (numbered by paragraph), a blank line
/// after each, empty paragraphs left out: the layout of the DOCX reader.
pub(super) fn paragraph_lines(paras: Vec<Para>) -> Vec<SourceLine> {
    let mut lines = Vec::new();
    for (i, (text, heading, list)) in paras.into_iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        let no = Loc::line(i as u32 + 1);
        lines.push(SourceLine {
            no,
            text,
            kind: if heading {
                LineKind::Heading
            } else if list {
                LineKind::ListItem
            } else {
                LineKind::Text
            },
        });
        lines.push(SourceLine {
            no,
            text: String::new(),
            kind: LineKind::Text,
        });
    }
    lines
}

/// The primary subtag of a language tag (`id-ID` → `id`), if any.
pub(super) fn primary_language(tag: &str) -> Option<String> {
    let l = tag.trim().split(['-', '_']).next()?.to_lowercase();
    (!l.is_empty() && l.len() <= 8 && l.chars().all(|c| c.is_ascii_alphabetic())).then_some(l)
}

/// Elements whose content is not document text.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "annotation"
            | "tracked-changes"
            | "note-citation"
            | "sequence-decls"
            | "forms"
            | "table-of-content"
            | "alphabetical-index"
            | "illustration-index"
            | "table-index"
            | "object-index"
            | "user-index"
            | "bibliography"
            | "automatic-styles"
            // Alt text of drawings.
            | "svg:desc"
            | "svg:title"
    )
}

fn is_heading_style(name: &str) -> bool {
    let n = name.to_lowercase();
    n.starts_with("heading") || n == "title" || n.starts_with("judul")
}

fn damaged(reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Format(format!(
        "damaged .odt: content.xml at byte {}: {e}",
        reader.buffer_position()
    ))
}

/// Automatic styles (P1 …) of content.xml and the named style each is
/// based on, read up to the body.
fn style_parents(xml: &str) -> Result<HashMap<String, String>, ExtractError> {
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(|e| damaged(&reader, e))? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "style" => {
                if let (Some(n), Some(p)) = (attr(&e, "name"), attr(&e, "parent-style-name")) {
                    parent.insert(n, p);
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "body" => break,
            _ => {}
        }
    }
    Ok(parent)
}

/// Is `style`, or a style it is based on (`parent`), a heading style?
fn heading_style(parent: &HashMap<String, String>, style: &str) -> bool {
    let mut s = style;
    // A chain of parents, bounded against cycles.
    for _ in 0..8 {
        if is_heading_style(s) {
            return true;
        }
        match parent.get(s) {
            Some(p) => s = p,
            None => return false,
        }
    }
    false
}

/// Append text `t` to `text`, white space collapsed as ODF does (text:s
/// is a space).
fn push_collapsed(text: &mut String, t: &str) {
    for c in t.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !text.ends_with(' ') {
                text.push(' ');
            }
        } else {
            text.push(c);
        }
    }
}

/// The paragraphs of content.xml: body in order, then notes.
fn paragraphs(xml: &str) -> Result<Vec<Para>, ExtractError> {
    let parent = style_parents(xml)?;
    let mut reader = Reader::from_str(xml);
    let mut body: Vec<Para> = Vec::new();
    let mut notes: Vec<Para> = Vec::new();
    // Open paragraphs (a note's paragraphs sit inside a body paragraph),
    // each with whether it belongs to a note.
    let mut open: Vec<(Para, bool)> = Vec::new();
    let mut in_note = 0usize;
    let mut skip = 0usize;
    let mut list_item = false;
    loop {
        let ev = reader.read_event().map_err(|e| damaged(&reader, e))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0 || skipped(name) || skipped(e.name().as_ref()) {
                    skip += 1;
                    continue;
                }
                match name {
                    "p" | "h" => {
                        let style = attr(&e, "style-name").unwrap_or_default();
                        let heading = name == "h" || heading_style(&parent, &style);
                        // Only an item's first paragraph starts it.
                        let first_in_item = std::mem::take(&mut list_item);
                        let list = !heading && first_in_item;
                        open.push(((String::new(), heading, list), in_note > 0));
                    }
                    "note-body" => in_note += 1,
                    "list-item" => list_item = true,
                    "list-header" => list_item = false,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                let Some(((text, _, _), _)) = open.last_mut() else {
                    continue;
                };
                match e.local_name().as_ref() {
                    "s" => {
                        let n: usize = attr(&e, "c").and_then(|c| c.parse().ok()).unwrap_or(1);
                        text.extend(std::iter::repeat_n(' ', n.min(1000)));
                    }
                    "tab" => text.push('\t'),
                    "line-break" => text.push(' '),
                    // soft-page-break and the rest carry no text.
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "p" | "h" => {
                        if let Some((p, note)) = open.pop() {
                            if note { &mut notes } else { &mut body }.push(p);
                        }
                    }
                    "note-body" => in_note = in_note.saturating_sub(1),
                    "list-item" => list_item = false,
                    _ => {}
                }
            }
            Event::Text(t) if skip == 0 => {
                if let Some(((text, _, _), _)) = open.last_mut() {
                    push_collapsed(text, &t.xml10_content());
                }
            }
            Event::GeneralRef(r) if skip == 0 => {
                if let Some(((text, _, _), _)) = open.last_mut() {
                    text.push_str(&crate::xmlzip::resolve_ref(&r.xml10_content()));
                }
            }
            _ => {}
        }
    }
    body.extend(notes);
    Ok(body)
}

impl Extractor for Odt {
    fn format(&self) -> &'static str {
        "odt"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        if bytes.is_empty() {
            return Err(ExtractError::Empty);
        }
        let budget = &mut budget(opts);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
            ExtractError::Format(
                "not an .odt: the file is not a zip archive (damaged, or another format renamed)"
                    .into(),
            )
        })?;
        if let Some(m) = read_part(&mut zip, "META-INF/manifest.xml", ".odt", budget)?
            && memchr::memmem::find(&m, b"encryption-data").is_some()
        {
            return Err(ExtractError::Format(
                "password-protected .odt; save an unprotected copy".into(),
            ));
        }
        let content = read_part(&mut zip, "content.xml", ".odt", budget)?.ok_or_else(|| {
            ExtractError::Format("not an .odt: no content.xml inside (damaged file?)".into())
        })?;
        let content = String::from_utf8(content).map_err(|_| {
            ExtractError::Format("content.xml is not UTF-8 XML; damaged .odt".into())
        })?;
        let paras = paragraphs(&content)?;
        let mut metadata = BTreeMap::new();
        if let Some(meta) = read_part(&mut zip, "meta.xml", ".odt", budget)?
            && let Some(lang) = dc_language(&meta)
        {
            metadata.insert("language".to_string(), lang);
        }
        Ok(Extracted {
            lines: paragraph_lines(paras),
            encoding: "odt",
            metadata,
            structured: true,
            warnings: Vec::new(),
        })
    }
}

/// The first `dc:language` of an XML part (ODF meta.xml, EPUB package).
pub(super) fn dc_language(xml: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Eof => return None,
            Event::Start(e) if e.local_name().as_ref() == "language" => inside = true,
            Event::End(e) if e.local_name().as_ref() == "language" => inside = false,
            Event::Text(t) if inside => {
                return primary_language(&t.xml10_content());
            }
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_lists_soft_breaks_and_left_out_parts() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:style="s" xmlns:table="b">
<office:automatic-styles><style:style style:name="P7" style:family="paragraph" style:parent-style-name="Title"/></office:automatic-styles>
<office:body><office:text>
<text:tracked-changes><text:changed-region><text:deletion><text:p>dihapus</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:table-of-content><text:index-body><text:p>Pasal 1 .... 3</text:p></text:index-body></text:table-of-content>
<text:p text:style-name="P7">Judul dokumen</text:p>
<text:h text:outline-level="1">Pasal 1</text:h>
<text:p>Setiap<text:s text:c="2"/>anak<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Catatan &amp; kaki.</text:p></text:note-body></text:note> ber<text:soft-page-break/>hak<office:annotation><text:p>komentar</text:p></office:annotation>
 dilindungi.</text:p>
<text:list><text:list-item><text:h text:outline-level="2">Bab bernomor</text:h><text:p>isi bab</text:p></text:list-item></text:list>
<text:list><text:list-item><text:p>satu</text:p><text:p>lanjutan</text:p></text:list-item><text:list-item><text:list><text:list-item><text:p>dua</text:p></text:list-item></text:list></text:list-item></text:list>
</office:text></office:body></office:document-content>"#;
        let p = paragraphs(xml).unwrap();
        let want: Vec<Para> = [
            ("Judul dokumen", true, false),
            ("Pasal 1", true, false),
            ("Setiap  anak berhak dilindungi.", false, false),
            ("Bab bernomor", true, false),
            ("isi bab", false, false),
            ("satu", false, true),
            ("lanjutan", false, false),
            ("dua", false, true),
            ("Catatan & kaki.", false, false),
        ]
        .into_iter()
        .map(|(t, h, l)| (t.to_string(), h, l))
        .collect();
        assert_eq!(p, want);
    }
}
