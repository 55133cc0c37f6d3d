//! REFI-QDA project exchange (`.qdpx`), the format NVivo, ATLAS.ti, MAXQDA
//! and QualCoder import and export: a zip holding `project.qde` (XML in the
//! `urn:QDA-XML:project:1.0` namespace) and the sources' plain text under
//! `sources/`.
//!
//! Export: the codebook becomes codes (groupings without entries of their
//! own are not codable), each document a text source whose text is its
//! passages joined by blank lines, and each hit (or each coded passage) a
//! coding with its position in Unicode code points, end exclusive.
//! Import reads codings back and says, per passage, which codes it carries:
//! the coder sheet `tanda agree` takes.
//!
//! GUIDs are derived from names with SHA-256, so the same results give the
//! same project, byte for byte.

use crate::xmlzip::attr;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{Read, Seek, Write};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::error::Error;
use crate::report::read::{HitRow, Results};

/// The separator between passages in an exported source text.
const PASSAGE_SEP: &str = "\n\n";
/// The most `project.qde` and its sources may inflate to, together, on
/// import (a zip bomb guard).
const MAX_QDE_BYTES: u64 = 256 * 1024 * 1024;

/// A GUID derived from `kind` and `name` (stable across runs).
fn guid(kind: &str, name: &str) -> String {
    let d = Sha256::digest(format!("tanda:{kind}:{name}").as_bytes());
    let h: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// What each coding stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codings {
    /// One coding per hit, on the matched words.
    Hits,
    /// One coding per coded passage and category, on the whole passage.
    Passages,
}

/// Write a results folder as a REFI-QDA project.
pub fn export(
    r: &Results,
    hits: &[HitRow],
    codings: Codings,
    out: impl Write + Seek,
) -> Result<(), std::io::Error> {
    let ex = Exporter::new(r, hits, codings);
    let user = &ex.user;
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"tanda {}\" creatingUserGUID=\"{user}\">",
        esc(&format!(
            "{} {} (tanda)",
            r.codebook_name, r.codebook_version
        )),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        xml,
        "  <Users>\n    <User guid=\"{user}\" name=\"tanda\"/>\n  </Users>"
    );
    xml.push_str("  <CodeBook>\n    <Codes>\n");
    code_tree(r, None, 0, &ex.code_guid, &mut xml);
    xml.push_str("    </Codes>\n  </CodeBook>\n  <Sources>\n");
    let texts: Vec<(String, String)> = documents(r)
        .iter()
        .map(|(doc, idx)| ex.source(&mut xml, doc, idx))
        .collect();
    xml.push_str("  </Sources>\n</Project>\n");
    write_zip(out, &xml, texts)
}

/// Sources: documents in order, each with the results indices of its
/// passages.
fn documents(r: &Results) -> Vec<(String, Vec<usize>)> {
    let mut docs: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, p) in r.passages.iter().enumerate() {
        match docs.last_mut() {
            Some((d, v)) if *d == p.doc_id => v.push(i),
            _ => docs.push((p.doc_id.clone(), vec![i])),
        }
    }
    docs
}

/// The `<Code>` elements of the children of `parent` (the roots when
/// `None`) and, nested in each, of their own children.
fn code_tree(
    r: &Results,
    parent: Option<&str>,
    depth: usize,
    code_guid: &HashMap<&str, String>,
    xml: &mut String,
) {
    for c in r
        .categories
        .iter()
        .filter(|c| c.parent.as_deref() == parent)
    {
        let pad = "  ".repeat(depth + 3);
        let _ = writeln!(
            xml,
            "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"{}\">",
            code_guid[c.id.as_str()],
            esc(&c.id),
            c.entries > 0
        );
        let _ = writeln!(xml, "{pad}  <Description>{}</Description>", esc(&c.label));
        code_tree(r, Some(&c.id), depth + 1, code_guid, xml);
        let _ = writeln!(xml, "{pad}</Code>");
    }
}

/// A coding to write: start and end (code points in the source text), the
/// category id, and the selection's name.
type Selection<'a> = (usize, usize, &'a str, String);

/// What [`export`] writes every source with.
struct Exporter<'a> {
    r: &'a Results,
    codings: Codings,
    user: String,
    code_guid: HashMap<&'a str, String>,
    /// Does the category have entries of its own (can it be coded)?
    codable: HashMap<&'a str, bool>,
    by_passage: HashMap<&'a str, Vec<&'a HitRow>>,
}

impl<'a> Exporter<'a> {
    fn new(r: &'a Results, hits: &'a [HitRow], codings: Codings) -> Self {
        let code_guid: HashMap<&str, String> = r
            .categories
            .iter()
            .map(|c| (c.id.as_str(), guid("code", &c.id)))
            .collect();
        let codable: HashMap<&str, bool> = r
            .categories
            .iter()
            .map(|c| (c.id.as_str(), c.entries > 0))
            .collect();
        let mut by_passage: HashMap<&str, Vec<&HitRow>> = HashMap::new();
        for h in hits {
            by_passage.entry(h.passage_id.as_str()).or_default().push(h);
        }
        Exporter {
            r,
            codings,
            user: guid("user", "tanda"),
            code_guid,
            codable,
            by_passage,
        }
    }

    /// Write the `<TextSource>` of document `doc` (its passages `idx`) with
    /// its codings; return its GUID and text (the passages joined by
    /// [`PASSAGE_SEP`]).
    fn source(&self, xml: &mut String, doc: &str, idx: &[usize]) -> (String, String) {
        let (r, user) = (self.r, &self.user);
        let sg = guid("source", doc);
        let mut text = String::new();
        let mut base: Vec<usize> = Vec::new(); // char offset of each passage
        let mut chars = 0usize;
        for (k, &i) in idx.iter().enumerate() {
            if k > 0 {
                text.push_str(PASSAGE_SEP);
                chars += PASSAGE_SEP.chars().count();
            }
            base.push(chars);
            text.push_str(&r.passages[i].text);
            chars += r.passages[i].text.chars().count();
        }
        let _ = writeln!(
            xml,
            "    <TextSource guid=\"{sg}\" name=\"{}\" plainTextPath=\"internal://{sg}.txt\">",
            esc(doc)
        );
        let _ = writeln!(
            xml,
            "      <Description>{}</Description>",
            esc(&format!("tanda unit={}", r.unit))
        );
        for (k, &i) in idx.iter().enumerate() {
            let p = &r.passages[i];
            for (n, (s, e, cat, name)) in self.selections(i, base[k]).into_iter().enumerate() {
                let key = format!("{}#{n}:{cat}", p.passage_id);
                let _ = writeln!(
                    xml,
                    "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{s}\" endPosition=\"{e}\" creatingUser=\"{user}\">",
                    guid("selection", &key),
                    esc(&name)
                );
                let _ = writeln!(
                    xml,
                    "        <Coding guid=\"{}\" creatingUser=\"{user}\">\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>",
                    guid("coding", &key),
                    self.code_guid[cat]
                );
                xml.push_str("      </PlainTextSelection>\n");
            }
        }
        xml.push_str("    </TextSource>\n");
        (sg, text)
    }

    /// The codings of passage `i`, which starts at code point `base` of its
    /// source: its counted hits of codable categories, or one per codable
    /// category that codes it.
    fn selections(&self, i: usize, base: usize) -> Vec<Selection<'a>> {
        let r = self.r;
        let p = &r.passages[i];
        let mut selections: Vec<Selection<'a>> = Vec::new();
        match self.codings {
            Codings::Hits => {
                for h in self
                    .by_passage
                    .get(p.passage_id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    // A counter-indicator is evidence against a code,
                    // never a coding.
                    if h.counted && self.codable.get(h.category.as_str()) == Some(&true) {
                        selections.push((
                            base + h.start,
                            base + h.end,
                            h.category.as_str(),
                            h.matched.clone(),
                        ));
                    }
                }
            }
            Codings::Passages => {
                let len = p.text.chars().count();
                for (c, cat) in r.categories.iter().enumerate() {
                    if cat.entries > 0 && r.is_coded(p, c) {
                        selections.push((base, base + len, cat.id.as_str(), p.passage_id.clone()));
                    }
                }
            }
        }
        selections
    }
}

/// The project file: `project.qde` and each source's text under
/// `sources/`, deflated, with fixed timestamps.
fn write_zip(
    out: impl Write + Seek,
    xml: &str,
    texts: Vec<(String, String)>,
) -> Result<(), std::io::Error> {
    let mut zip = zip::ZipWriter::new(out);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("project.qde", opts)
        .map_err(std::io::Error::other)?;
    zip.write_all(xml.as_bytes())?;
    for (g, t) in texts {
        zip.start_file(format!("sources/{g}.txt"), opts)
            .map_err(std::io::Error::other)?;
        zip.write_all(t.as_bytes())?;
    }
    zip.finish().map_err(std::io::Error::other)?;
    Ok(())
}

/// A coding read back from a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCoding {
    /// The source (document) name.
    pub source: String,
    /// The code's name.
    pub code: String,
    /// Start offset in the source text, in characters.
    pub start: usize,
    /// End offset (exclusive), in characters.
    pub end: usize,
}

/// A project read back: sources (name, tanda unit, text), code names with
/// their parent code (by index), codings.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Per source: its name, its tanda unit, its text.
    pub sources: Vec<(String, String, String)>,
    /// Code names.
    pub codes: Vec<String>,
    /// Per code: the index of its parent code in `codes`, if any.
    pub parents: Vec<Option<usize>>,
    /// The codings that fall inside their source's text.
    pub codings: Vec<ImportedCoding>,
    /// Codings left out, and why (file, source and offsets named).
    pub warnings: Vec<String>,
}

fn bad(path: &Path, msg: impl Into<String>) -> Error {
    Error::Input {
        path: path.display().to_string(),
        message: msg.into(),
    }
}

/// Read a `.qdpx` project.
pub fn import(path: &Path) -> Result<Imported, Error> {
    let file = std::fs::File::open(path).map_err(|e| bad(path, format!("cannot open: {e}")))?;
    import_from(path, file)
}

/// [`import`] on the bytes of a project (`path` names it in messages): the
/// fuzz target and the random-input test come in here.
pub fn import_bytes(path: &Path, bytes: &[u8]) -> Result<Imported, Error> {
    import_from(path, std::io::Cursor::new(bytes))
}

fn import_from<R: std::io::Read + std::io::Seek>(path: &Path, file: R) -> Result<Imported, Error> {
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| bad(path, format!("not a QDPX (zip) file: {e}")))?;
    let mut qde = String::new();
    {
        let f = zip
            .by_name("project.qde")
            .map_err(|_| bad(path, "no project.qde inside: not a REFI-QDA project"))?;
        f.take(MAX_QDE_BYTES + 1)
            .read_to_string(&mut qde)
            .map_err(|e| bad(path, format!("project.qde: {e}")))?;
    }
    // One budget for project.qde and every source together: a project of
    // many small parts that each inflate far is refused like one big part.
    let mut left = MAX_QDE_BYTES
        .checked_sub(qde.len() as u64)
        .ok_or_else(|| too_large(path))?;
    let parsed = parse_qde(path, &qde)?;
    let mut out = Imported {
        codes: parsed.codes,
        parents: parsed.parents,
        ..Imported::default()
    };
    for src in &parsed.sources {
        let text = source_text(path, &mut zip, src, &mut left)?;
        out.sources.push((src.name.clone(), src.unit.clone(), text));
    }
    place_codings(
        &mut out,
        &parsed.sources,
        parsed.raw_codings,
        &parsed.code_names,
    );
    Ok(out)
}

/// A `<TextSource>` as `project.qde` describes it.
struct Source {
    name: String,
    /// `plainTextPath`: `internal://FILE` for a text under `sources/`.
    path: Option<String>,
    /// The text of `<PlainTextContent>`, when it is given inline.
    inline: String,
    /// The tanda unit its description records (`tanda unit=…`).
    unit: String,
}

/// A coding as `project.qde` gives it: source index, code GUID, start, end.
type RawCoding = (usize, String, usize, usize);

/// What `project.qde` holds.
struct Qde {
    /// Code name by GUID.
    code_names: HashMap<String, String>,
    /// Code names, in document order, and each one's parent code (index).
    codes: Vec<String>,
    parents: Vec<Option<usize>>,
    sources: Vec<Source>,
    raw_codings: Vec<RawCoding>,
}

/// Read the codes, sources and codings of `project.qde` (`path` names the
/// project in messages).
fn parse_qde(path: &Path, qde: &str) -> Result<Qde, Error> {
    let mut out = Qde {
        code_names: HashMap::new(),
        codes: Vec::new(),
        parents: Vec::new(),
        sources: Vec::new(),
        raw_codings: Vec::new(),
    };
    let sources = &mut out.sources;
    let mut reader = Reader::from_str(qde);
    let mut in_source = false;
    let mut selection: Option<(usize, usize)> = None;
    let mut in_content = false;
    let mut in_description = false;
    let mut description = String::new();
    let mut code_stack: Vec<usize> = Vec::new();
    loop {
        match reader.read_event() {
            Err(e) => {
                return Err(bad(
                    path,
                    format!("project.qde at byte {}: {e}", reader.buffer_position()),
                ));
            }
            Ok(Event::Eof) => break,
            Ok(ev @ (Event::Start(_) | Event::Empty(_))) => {
                let opens = matches!(ev, Event::Start(_));
                let (Event::Start(e) | Event::Empty(e)) = ev else {
                    continue;
                };
                match e.local_name().as_ref() {
                    "Code" => {
                        if let (Some(g), Some(n)) = (attr(&e, "guid"), attr(&e, "name")) {
                            out.code_names.insert(g, n.clone());
                            out.codes.push(n);
                            out.parents.push(code_stack.last().copied());
                            if opens {
                                code_stack.push(out.codes.len() - 1);
                            }
                        }
                    }
                    "TextSource" => {
                        let g = attr(&e, "guid").unwrap_or_default();
                        in_source = true;
                        sources.push(Source {
                            name: attr(&e, "name").unwrap_or(g),
                            path: attr(&e, "plainTextPath"),
                            inline: String::new(),
                            unit: String::new(),
                        });
                    }
                    "PlainTextContent" => in_content = true,
                    "Description" => {
                        in_description = true;
                        description.clear();
                    }
                    "PlainTextSelection" => {
                        let num =
                            |k: &str| attr(&e, k).and_then(|v| v.trim().parse::<usize>().ok());
                        selection = num("startPosition").zip(num("endPosition"));
                    }
                    "CodeRef" => {
                        if let (true, Some((s, en)), Some(t)) =
                            (in_source, selection, attr(&e, "targetGUID"))
                        {
                            out.raw_codings.push((sources.len() - 1, t, s, en));
                        }
                    }
                    _ => {}
                }
            }
            Ok(ev @ (Event::Text(_) | Event::GeneralRef(_) | Event::CData(_))) => {
                let text = match ev {
                    Event::Text(t) => t.xml10_content().into_owned(),
                    Event::GeneralRef(r) => crate::xmlzip::resolve_ref(&r.xml10_content()),
                    Event::CData(c) => c.into_inner().into_owned(),
                    _ => String::new(),
                };
                if in_content && let Some(last) = sources.last_mut() {
                    last.inline.push_str(&text);
                }
                if in_description {
                    description.push_str(&text);
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "Code" => {
                    code_stack.pop();
                }
                "TextSource" => in_source = false,
                "PlainTextSelection" => selection = None,
                "PlainTextContent" => in_content = false,
                "Description" => {
                    in_description = false;
                    if in_source
                        && let (Some(last), Some(u)) = (
                            sources.last_mut(),
                            description.trim().strip_prefix("tanda unit="),
                        )
                    {
                        last.unit = u.to_string();
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok(out)
}

/// The text of `src`: its file under `sources/` (read within the `left`
/// bytes of the unzip budget, which it then lowers) or its inline text.
fn source_text<R: std::io::Read + std::io::Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
    src: &Source,
    left: &mut u64,
) -> Result<String, Error> {
    Ok(
        match src
            .path
            .as_deref()
            .and_then(|p| p.strip_prefix("internal://"))
        {
            Some(file) => {
                let mut t = String::new();
                let f = zip.by_name(&format!("sources/{file}")).map_err(|_| {
                    bad(
                        path,
                        format!("source `{}`: sources/{file} is missing", src.name),
                    )
                })?;
                f.take(*left + 1)
                    .read_to_string(&mut t)
                    .map_err(|e| bad(path, format!("sources/{file}: {e}")))?;
                *left = left
                    .checked_sub(t.len() as u64)
                    .ok_or_else(|| too_large(path))?;
                t
            }
            None => src.inline.clone(),
        },
    )
}

/// The codings of `raw` whose offsets lie inside their source's text
/// (`out.sources`, in the order of `sources`), named by code; one warning
/// for those left out.
fn place_codings(
    out: &mut Imported,
    sources: &[Source],
    raw: Vec<RawCoding>,
    code_names: &HashMap<String, String>,
) {
    let lengths: Vec<usize> = out
        .sources
        .iter()
        .map(|(_, _, t)| t.chars().count())
        .collect();
    let mut outside = Vec::new();
    for (i, code, start, end) in raw {
        let code = code_names.get(&code).cloned().unwrap_or(code);
        if start > end || end > lengths[i] {
            outside.push(format!(
                "`{code}` in source `{}` at {start}-{end} (the source has {} characters)",
                sources[i].name, lengths[i]
            ));
            continue;
        }
        out.codings.push(ImportedCoding {
            source: sources[i].name.clone(),
            code,
            start,
            end,
        });
    }
    if !outside.is_empty() {
        let shown: Vec<&str> = outside.iter().take(3).map(String::as_str).collect();
        out.warnings.push(format!(
            "{} coding(s) left out: their offsets lie outside their source (damaged, or the source was edited after coding): {}{}",
            outside.len(),
            shown.join("; "),
            if outside.len() > 3 { "; …" } else { "" }
        ));
    }
}

fn too_large(path: &Path) -> Error {
    bad(
        path,
        format!(
            "project.qde and its sources expand past {} MB when unzipped (a zip bomb?); refused",
            MAX_QDE_BYTES >> 20
        ),
    )
}

/// Passages of an imported source: split on blank lines as exported, ids by
/// the unit the export recorded.
fn passages_of(name: &str, unit: &str, text: &str) -> Vec<(String, usize, usize)> {
    use crate::corpus::PassageId;
    if unit == "document" {
        return vec![(PassageId::Document.of(name), 0, text.chars().count())];
    }
    let place = if unit == "sentence" {
        PassageId::Sentence
    } else {
        PassageId::Paragraph
    };
    let mut out = Vec::new();
    let mut start = 0usize;
    for (k, chunk) in text.split(PASSAGE_SEP).enumerate() {
        let len = chunk.chars().count();
        out.push((place(k + 1).of(name), start, start + len));
        start += len + PASSAGE_SEP.chars().count();
    }
    out
}

/// The coder sheet of an imported project: one row per passage, one column
/// per code (1 when any coding of the code overlaps the passage).
pub fn coder_sheet(p: &Imported) -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    let codes = p.codes.clone();
    let col: HashMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut rows = Vec::new();
    let mut by_source: BTreeMap<&str, Vec<&ImportedCoding>> = BTreeMap::new();
    for c in &p.codings {
        by_source.entry(c.source.as_str()).or_default().push(c);
    }
    for (name, unit, text) in &p.sources {
        for (id, s, e) in passages_of(name, unit, text) {
            let mut v = vec![0u8; codes.len()];
            for c in by_source
                .get(name.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                if c.start < e
                    && s < c.end.max(c.start + 1)
                    && let Some(&i) = col.get(c.code.as_str())
                {
                    // A code implies its parents (tanda's parents are the
                    // union of their subtree).
                    let mut at = Some(i);
                    while let Some(k) = at {
                        v[k] = 1;
                        at = p.parents.get(k).copied().flatten();
                    }
                }
            }
            rows.push((id, v));
        }
    }
    (codes, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_well_formed() {
        let g = guid("code", "information");
        assert_eq!(g, guid("code", "information"));
        assert_ne!(g, guid("code", "symbolic"));
        let parts: Vec<usize> = g.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert!(g.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn passages_split_like_export() {
        let p = passages_of("d.txt", "paragraph", "ab\n\ncdé\n\nf");
        assert_eq!(
            p,
            vec![
                ("d.txt#p1".into(), 0, 2),
                ("d.txt#p2".into(), 4, 7),
                ("d.txt#p3".into(), 9, 10)
            ]
        );
    }
}
