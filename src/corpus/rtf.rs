//! RTF extraction: a small hand-written reader, no RTF library.
//!
//! RTF is a stream of groups (`{…}`), control words (`\par`, `\u8217`),
//! control symbols (`\'e9`, `\~`) and text. The reader walks it once with an
//! explicit stack (no recursion, so deep nesting cannot overflow the stack;
//! past [`MAX_RTF_DEPTH`] the file is refused), keeps the text of the body,
//! marks headings (`\outlinelevel`, heading styles) and list items, puts
//! footnotes at the end (as the DOCX reader does), and drops the
//! destinations that are not text: font, colour and style tables, document
//! info, pictures, headers and footers, field instructions, list numbers,
//! and every unknown `{\*\…}` group.
//!
//! Bytes (`\'hh` and 8-bit text) are decoded in the document's code page
//! (`\ansicpg`), or in the code page of the current font's `\fcharset`
//! (Thai, Cyrillic, CJK …); `\uN` is Unicode, with the `\ucN` fallback
//! characters after it skipped.

use std::collections::{BTreeMap, HashMap, HashSet};

use encoding_rs::Encoding;

use super::extract::{ExtractError, ExtractOptions, Extracted, Extractor};

/// Deepest group nesting accepted. Real documents stay far below it.
pub const MAX_RTF_DEPTH: usize = 512;

pub struct Rtf;

/// Where the text of the current group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    Body,
    Footnote,
    FontTable,
    StyleSheet,
    Skip,
}

/// What a group saves and its closing brace restores.
#[derive(Debug, Clone, Copy)]
struct State {
    dest: Dest,
    /// Fallback characters after `\uN`.
    uc: u32,
    font: Option<i32>,
    /// Paragraph properties.
    heading: bool,
    list: bool,
    /// Tracked deletion (`\deleted`): left out, as in DOCX.
    deleted: bool,
}

/// Destinations whose content is never document text.
const SKIPPED: &[&str] = &[
    "colortbl",
    "info",
    "pict",
    "header",
    "headerl",
    "headerr",
    "headerf",
    "footer",
    "footerl",
    "footerr",
    "footerf",
    "fldinst",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "filetbl",
    "pgdsctbl",
    "listtext",
    "pntext",
    "pntxta",
    "pntxtb",
    "pn",
    "bkmkstart",
    "bkmkend",
    "ftnsep",
    "ftnsepc",
    "aftnsep",
    "aftnsepc",
    "ftncn",
    "aftncn",
    "annotation",
    "atnid",
    "atnauthor",
    "atrfstart",
    "atrfend",
    "atndate",
    "comment",
    "objdata",
    "objclass",
    "objname",
    "template",
    "docvar",
    "nonshppict",
    "shppict",
    "shpinst",
    "userprops",
    "xe",
    "tc",
    "tcn",
    "upr",
];

/// A paragraph: text, heading, list item.
type Para = (String, bool, bool);

struct Parser {
    stack: Vec<State>,
    st: State,
    /// The document's code page (`\ansicpg`).
    ansi: &'static Encoding,
    deff: Option<i32>,
    font_charset: HashMap<i32, &'static Encoding>,
    font_cpg: HashMap<i32, &'static Encoding>,
    heading_styles: HashSet<i32>,
    /// The font or style table entry being read.
    entry: Option<i32>,
    entry_name: String,
    entry_outline: bool,
    /// Bytes waiting to be decoded together (multi-byte code pages).
    pending: Vec<u8>,
    pending_enc: &'static Encoding,
    /// Fallback characters still to skip after `\uN`.
    skip_chars: u32,
    high_surrogate: Option<u16>,
    /// `\*` just seen: the next control word names a destination.
    star: bool,
    body: Vec<Para>,
    notes: Vec<Para>,
    cur: String,
    cur_note: String,
    /// The body paragraph had list-number text (`{\listtext …}`).
    listtext: bool,
}

/// The encoding of a Windows code page number, if encoding_rs has it.
fn code_page(cp: i32) -> Option<&'static Encoding> {
    let label = match cp {
        437 | 850 | 1252 => "windows-1252",
        65001 => "utf-8",
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        10000 => "macintosh",
        866 => "ibm866",
        874 | 1250..=1258 => return Encoding::for_label(format!("windows-{cp}").as_bytes()),
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The encoding of an RTF `\fcharset` value.
fn charset(n: i32) -> Option<&'static Encoding> {
    code_page(match n {
        0 | 1 => 1252,
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    })
}

impl Parser {
    fn new() -> Parser {
        Parser {
            stack: Vec::new(),
            st: State {
                dest: Dest::Body,
                uc: 1,
                font: None,
                heading: false,
                list: false,
                deleted: false,
            },
            ansi: encoding_rs::WINDOWS_1252,
            deff: None,
            font_charset: HashMap::new(),
            font_cpg: HashMap::new(),
            heading_styles: HashSet::new(),
            entry: None,
            entry_name: String::new(),
            entry_outline: false,
            pending: Vec::new(),
            pending_enc: encoding_rs::WINDOWS_1252,
            skip_chars: 0,
            high_surrogate: None,
            star: false,
            body: Vec::new(),
            notes: Vec::new(),
            cur: String::new(),
            cur_note: String::new(),
            listtext: false,
        }
    }

    fn encoding(&self) -> &'static Encoding {
        match self.st.font.or(self.deff) {
            Some(f) => self
                .font_cpg
                .get(&f)
                .or_else(|| self.font_charset.get(&f))
                .copied()
                .unwrap_or(self.ansi),
            None => self.ansi,
        }
    }

    fn flush_bytes(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.pending);
        let (text, _, _) = self.pending_enc.decode(&bytes);
        let text = text.into_owned();
        self.push_text(&text);
    }

    /// Text, already decoded, to wherever the current group writes.
    fn push_text(&mut self, s: &str) {
        if self.st.deleted {
            return;
        }
        match self.st.dest {
            Dest::Body => self.cur.push_str(s),
            Dest::Footnote => self.cur_note.push_str(s),
            Dest::StyleSheet => {
                for c in s.chars() {
                    if c == ';' {
                        self.end_style_entry();
                    } else {
                        self.entry_name.push(c);
                    }
                }
            }
            Dest::FontTable | Dest::Skip => {}
        }
    }

    fn end_style_entry(&mut self) {
        let name = self.entry_name.trim().to_lowercase();
        if let Some(n) = self.entry
            && (self.entry_outline
                || name.starts_with("heading")
                || name == "title"
                || name.starts_with("judul"))
        {
            self.heading_styles.insert(n);
        }
        self.entry = None;
        self.entry_name.clear();
        self.entry_outline = false;
    }

    /// One character of text: a byte of the file or `\'hh`.
    fn byte(&mut self, b: u8) {
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return;
        }
        if matches!(self.st.dest, Dest::Skip | Dest::FontTable) {
            return;
        }
        let enc = self.encoding();
        if enc != self.pending_enc {
            self.flush_bytes();
            self.pending_enc = enc;
        }
        self.pending.push(b);
    }

    /// Text produced by a control word or symbol.
    fn special(&mut self, s: &str) {
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return;
        }
        self.flush_bytes();
        self.push_text(s);
    }

    fn unicode(&mut self, n: i32) {
        self.flush_bytes();
        let u = (n.rem_euclid(65_536)) as u16;
        let c = match u {
            0xD800..=0xDBFF => {
                self.high_surrogate = Some(u);
                None
            }
            0xDC00..=0xDFFF => self.high_surrogate.take().and_then(|h| {
                char::from_u32(0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00))
            }),
            _ => char::from_u32(u32::from(u)),
        };
        if let Some(c) = c {
            self.high_surrogate = None;
            let mut buf = [0u8; 4];
            self.push_text(c.encode_utf8(&mut buf));
        }
        self.skip_chars = self.st.uc;
    }

    fn end_paragraph(&mut self) {
        self.flush_bytes();
        match self.st.dest {
            Dest::Body => {
                let text = std::mem::take(&mut self.cur);
                let heading = self.st.heading;
                let list = !heading && (self.st.list || self.listtext);
                self.body.push((text, heading, list));
                self.listtext = false;
            }
            Dest::Footnote => self.end_note(),
            _ => {}
        }
    }

    fn end_note(&mut self) {
        let text = std::mem::take(&mut self.cur_note);
        if !text.trim().is_empty() {
            self.notes.push((text, false, false));
        }
    }

    fn open_group(&mut self) -> Result<(), ExtractError> {
        self.flush_bytes();
        self.skip_chars = 0;
        if self.stack.len() >= MAX_RTF_DEPTH {
            return Err(ExtractError::Format(format!(
                "RTF groups nested more than {MAX_RTF_DEPTH} deep (damaged or hostile file); refused"
            )));
        }
        self.stack.push(self.st);
        Ok(())
    }

    /// Close a group; false when it was the document's outermost group.
    fn close_group(&mut self) -> bool {
        self.flush_bytes();
        self.skip_chars = 0;
        self.star = false;
        let inner = self.st;
        let Some(outer) = self.stack.pop() else {
            return false;
        };
        if inner.dest == Dest::StyleSheet && !self.entry_name.trim().is_empty() {
            self.end_style_entry();
        }
        self.st = outer;
        if inner.dest == Dest::Footnote && outer.dest != Dest::Footnote {
            self.end_note();
        }
        true
    }

    fn set_dest(&mut self, d: Dest) {
        // Nothing inside a skipped group is read, whatever it says.
        if self.st.dest != Dest::Skip {
            self.st.dest = d;
        }
    }

    fn control_word(&mut self, word: &str, param: Option<i32>) {
        let star = std::mem::take(&mut self.star);
        // Destinations first: they change where text goes.
        match word {
            "fonttbl" => return self.set_dest(Dest::FontTable),
            "stylesheet" => return self.set_dest(Dest::StyleSheet),
            "footnote" => {
                if self.st.dest == Dest::Body {
                    self.flush_bytes();
                    self.st.dest = Dest::Footnote;
                    // A footnote is not part of the paragraph's formatting.
                    self.st.deleted = false;
                }
                return;
            }
            w if SKIPPED.contains(&w) => {
                if matches!(w, "listtext" | "pntext") && self.st.dest == Dest::Body {
                    self.listtext = true;
                }
                return self.set_dest(Dest::Skip);
            }
            _ if star => return self.set_dest(Dest::Skip),
            _ => {}
        }
        let p = param.unwrap_or(0);
        match word {
            "u" => {
                if self.skip_chars > 0 {
                    self.skip_chars -= 1;
                } else {
                    self.unicode(p);
                }
                return;
            }
            "uc" => self.st.uc = p.clamp(0, 16) as u32,
            "ansi" => self.ansi = encoding_rs::WINDOWS_1252,
            "mac" => self.ansi = encoding_rs::MACINTOSH,
            "ansicpg" => {
                if let Some(e) = code_page(p) {
                    self.ansi = e;
                }
            }
            "deff" => self.deff = Some(p),
            "f" => match self.st.dest {
                Dest::FontTable => self.entry = Some(p),
                _ => self.st.font = Some(p),
            },
            "fcharset" if self.st.dest == Dest::FontTable => {
                if let (Some(n), Some(e)) = (self.entry, charset(p)) {
                    self.font_charset.insert(n, e);
                }
            }
            "cpg" if self.st.dest == Dest::FontTable => {
                if let (Some(n), Some(e)) = (self.entry, code_page(p)) {
                    self.font_cpg.insert(n, e);
                }
            }
            "s" if self.st.dest == Dest::StyleSheet => self.entry = Some(p),
            "cs" | "ds" | "ts" if self.st.dest == Dest::StyleSheet => self.entry = None,
            "outlinelevel" if self.st.dest == Dest::StyleSheet => {
                self.entry_outline = (0..9).contains(&p);
            }
            "s" if self.heading_styles.contains(&p) => self.st.heading = true,
            "outlinelevel" => self.st.heading = (0..9).contains(&p),
            "ls" => self.st.list = p > 0,
            "pard" => {
                self.st.heading = false;
                self.st.list = false;
            }
            "plain" => {
                self.st.font = self.deff;
                self.st.deleted = false;
            }
            "deleted" => self.st.deleted = param != Some(0),
            _ => {}
        }
        // Words that stand for text count as one fallback character.
        let text = match word {
            "par" | "sect" | "page" | "cell" | "row" | "nestcell" | "nestrow" => {
                if self.skip_chars > 0 {
                    self.skip_chars -= 1;
                } else {
                    self.end_paragraph();
                }
                return;
            }
            "line" | "softline" | "emspace" | "enspace" | "qmspace" => " ",
            "tab" => "\t",
            "emdash" => "\u{2014}",
            "endash" => "\u{2013}",
            "bullet" => "\u{2022}",
            "lquote" => "\u{2018}",
            "rquote" => "\u{2019}",
            "ldblquote" => "\u{201c}",
            "rdblquote" => "\u{201d}",
            _ => {
                if self.skip_chars > 0 {
                    self.skip_chars -= 1;
                }
                return;
            }
        };
        self.special(text);
    }

    fn run(&mut self, b: &[u8]) -> Result<(), ExtractError> {
        let mut i = 0;
        let mut ended = false;
        while i < b.len() {
            let c = b[i];
            i += 1;
            match c {
                b'{' => self.open_group()?,
                b'}' => {
                    if !self.close_group() {
                        ended = true;
                        break;
                    }
                }
                b'\\' => {
                    let Some(&n) = b.get(i) else { break };
                    if n.is_ascii_alphabetic() {
                        let start = i;
                        while i < b.len() && b[i].is_ascii_alphabetic() {
                            i += 1;
                        }
                        // Letters only: a valid &str.
                        let word = std::str::from_utf8(&b[start..i]).unwrap_or("");
                        let neg =
                            b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(u8::is_ascii_digit);
                        if neg {
                            i += 1;
                        }
                        let mut param: Option<i64> = None;
                        while i < b.len() && b[i].is_ascii_digit() {
                            let d = i64::from(b[i] - b'0');
                            param = Some(param.unwrap_or(0).saturating_mul(10).saturating_add(d));
                            i += 1;
                        }
                        let param = param.map(|p| {
                            let p = if neg { -p } else { p };
                            p.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
                        });
                        if b.get(i) == Some(&b' ') {
                            i += 1;
                        }
                        if word == "bin" {
                            // Raw binary data: skipped unread.
                            let n = param.unwrap_or(0).max(0) as usize;
                            i = i.saturating_add(n).min(b.len());
                            continue;
                        }
                        self.control_word(word, param);
                    } else {
                        i += 1;
                        match n {
                            b'\'' => {
                                let hex = b.get(i..i + 2).and_then(|h| {
                                    std::str::from_utf8(h)
                                        .ok()
                                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                                });
                                if let Some(v) = hex {
                                    i += 2;
                                    self.byte(v);
                                }
                            }
                            b'*' => self.star = true,
                            b'\\' | b'{' | b'}' => self.byte(n),
                            b'~' => self.special("\u{a0}"),
                            b'_' => self.special("-"),
                            b'\n' | b'\r' => self.control_word("par", None),
                            // \- optional hyphen, \: index, \| formula.
                            _ => self.special(""),
                        }
                    }
                }
                b'\r' | b'\n' => {}
                b'\t' => self.special("\t"),
                c if c < 0x20 => {}
                c => self.byte(c),
            }
        }
        self.flush_bytes();
        if !ended {
            return Err(ExtractError::Format(format!(
                "RTF ends inside {} unclosed group(s) (truncated or damaged file)",
                self.stack.len() + 1
            )));
        }
        // Text after the last \par is a paragraph too.
        if !self.cur.trim().is_empty() {
            let st = self.st;
            self.st.dest = Dest::Body;
            self.end_paragraph();
            self.st = st;
        }
        Ok(())
    }
}

/// The paragraphs of an RTF document (body, then footnotes) and the name of
/// its code page.
fn read(bytes: &[u8]) -> Result<(Vec<Para>, &'static str), ExtractError> {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let lead = body.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let body = &body[lead..];
    if !body.starts_with(b"{\\rtf") {
        return Err(ExtractError::Format(
            "not an RTF file (it does not start with {\\rtf); check the file's real format".into(),
        ));
    }
    let mut p = Parser::new();
    // The opening brace of the document itself.
    p.run(&body[1..])?;
    let mut paras = p.body;
    paras.extend(p.notes);
    Ok((paras, p.ansi.name()))
}

impl Extractor for Rtf {
    fn format(&self) -> &'static str {
        "rtf"
    }

    fn extract(&self, bytes: &[u8], _opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        if bytes.is_empty() {
            return Err(ExtractError::Empty);
        }
        let (paras, encoding) = read(bytes)?;
        Ok(Extracted {
            lines: super::odt::paragraph_lines(paras),
            encoding,
            metadata: BTreeMap::new(),
            structured: true,
            warnings: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rtf: &str) -> Vec<(String, bool, bool)> {
        read(rtf.as_bytes())
            .unwrap()
            .0
            .into_iter()
            .filter(|(t, _, _)| !t.trim().is_empty())
            .collect()
    }

    #[test]
    fn code_pages_unicode_and_fallbacks() {
        // \'e9 is é in Windows-1252; \u8217 is ’ and its fallback \'92 is skipped.
        let t = texts(r"{\rtf1\ansi\ansicpg1252 caf\'e9 tanda\u8217\'92s}");
        assert_eq!(t[0].0, "caf\u{e9} tanda\u{2019}s");
        // Thai TIS-620/Windows-874: 0xA1 is ก (U+0E01), 0xD2 is า (U+0E32).
        let t = texts(r"{\rtf1\ansi\ansicpg874 \'a1\'d2}");
        assert_eq!(t[0].0, "\u{e01}\u{e32}");
        // A Thai font (\fcharset222) in a Windows-1252 document.
        let t = texts(
            r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}{\f1\fcharset222 Tahoma;}}\f0 a\'e9 {\f1 \'a1}}",
        );
        assert_eq!(t[0].0, "a\u{e9} \u{e01}");
        // \uc2: two fallback characters skipped; a surrogate pair written as
        // negative numbers (U+1F600 as \u-10179\u-8704).
        let t = texts(r"{\rtf1 {\uc2 x\u233 ab}y \u-10179?\u-8704?}");
        assert_eq!(t[0].0, "x\u{e9}y \u{1f600}");
    }

    #[test]
    fn destinations_footnotes_headings_lists() {
        let rtf = r#"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}{\stylesheet{\s1\outlinelevel0 heading 1;}{\s2 Judul Dua;}}{\info{\title Not text}}{\*\generator Writer;}
{\header Running head\par}\pard\s1 Pasal 1\par\pard Setiap anak{\super\chftn{\*\footnote\chftn\pard Catatan kaki.}} berhak\line dilindungi.\par
\pard\s2 Bagian\par\pard{\listtext 1.\tab}\ls1 butir satu\par\pard{\field{\*\fldinst HYPERLINK "x"}{\fldrslt tautan}}\par
\pard\intbl A\cell B\cell\row\pard {\deleted dihapus}ada\par}"#;
        let t = texts(rtf);
        let want: Vec<(String, bool, bool)> = vec![
            ("Pasal 1", true, false),
            ("Setiap anak berhak dilindungi.", false, false),
            ("Bagian", true, false),
            ("butir satu", false, true),
            ("tautan", false, false),
            ("A", false, false),
            ("B", false, false),
            ("ada", false, false),
            ("Catatan kaki.", false, false),
        ]
        .into_iter()
        .map(|(a, b, c)| (a.to_string(), b, c))
        .collect();
        assert_eq!(t, want);
    }

    #[test]
    fn hostile_input_is_refused_not_panicked() {
        let deep = format!("{{\\rtf1 {}", "{".repeat(100_000));
        let e = read(deep.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("nested more than"), "{e}");
        let open = read(br"{\rtf1 {\b text").unwrap_err();
        assert!(open.to_string().contains("2 unclosed group(s)"), "{open}");
        assert!(read(b"plain text").is_err());
        // \bin with a length past the end, a huge parameter, a lone backslash.
        assert!(read(b"{\\rtf1 \\bin99999999999 abc").is_err());
        let _ = read(b"{\\rtf1 \\u99999999999999999999\\uc-5 x\\");
        let _ = read(b"{\\rtf1 \\'");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = Rtf.extract(&bytes, &ExtractOptions::default());
            let mut with_header = b"{\\rtf1 ".to_vec();
            with_header.extend_from_slice(&bytes);
            let _ = Rtf.extract(&with_header, &ExtractOptions::default());
        }

        #[test]
        fn never_panics_on_rtf_like_tokens(tokens in proptest::collection::vec(proptest::sample::select(vec![
            "{", "}", "\\par ", "\\u-10179", "\\u8217", "\\uc0", "\\uc3", "\\'e9", "\\'", "\\*", "\\footnote ",
            "\\fonttbl", "\\f1", "\\fcharset222", "\\cpg932", "\\ansicpg936", "\\'82", "\\stylesheet", "\\s1",
            "\\outlinelevel0", ";", "\\bin3 ", "\\bin-4", "abc", "\u{e9}", "\\\\", "\\~", "\\cell", "\\pard",
            "\\listtext", "\\deleted", "\\plain", "\\", " ", "\n",
        ]), 0..64)) {
            let mut rtf = String::from("{\\rtf1");
            for t in tokens {
                rtf.push_str(t);
            }
            let _ = Rtf.extract(rtf.as_bytes(), &ExtractOptions::default());
        }
    }
}
