//! HTML extraction: the article, not the page. A small tag scanner (no DOM)
//! drops scripts, styles, navigation, headers, footers, sidebars, forms and
//! cookie banners; when the page has an `<article>` or `<main>`, only that is
//! read. Block elements become paragraphs, headings and list items are
//! marked, entities are decoded, and `<html lang>` becomes the document's
//! `language` when the metadata sheet has none.
//!
//! This is the readability idea reduced to what news and NGO pages need;
//! it keeps tanda free of a browser-grade parser.

use std::collections::BTreeMap;

use super::extract::{
    Decoded, ExtractError, ExtractOptions, Extracted, Extractor, LineKind, Loc, SourceLine,
    decode_checked,
};

pub struct Html;

/// Elements whose whole content is never article text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "select", "textarea", "head", "menu", "dialog",
];
/// Class or id fragments that mark page furniture.
const FURNITURE: &[&str] = &[
    "cookie",
    "consent",
    "banner",
    "navbar",
    "menu",
    "footer",
    "sidebar",
    "share",
    "social",
    "related",
    "comment",
    "advert",
    "promo",
    "breadcrumb",
    "subscribe",
    "newsletter",
    "popup",
    "most-read",
    "mostread",
];
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "td",
    "th",
    "tr",
    "section",
    "article",
    "main",
    "dd",
    "dt",
    "figcaption",
    "table",
    "ul",
    "ol",
    "dl",
    "br",
    "hr",
    "caption",
    "address",
];

struct Tag<'a> {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: &'a str,
}

fn attr_value(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let vstart = attrs.len() - rest.len() + 1;
        let v = attrs[vstart..].trim_start();
        let (q, body) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &v[1..]),
            _ => (None, v),
        };
        let end = match q {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(body.len()),
        };
        return Some(decode_entities(&body[..end]));
    }
    None
}

/// Decode HTML character references (`&amp;`, `&rsquo;`, `&#8220;`, `&#x201C;`).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let end = tail.find(';').filter(|&e| e <= 32);
        let decoded = end.and_then(|e| {
            let name = &tail[..e];
            if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => num.parse().ok(),
                };
                code.and_then(char::from_u32).map(String::from)
            } else {
                quick_xml::escape::resolve_html5_entity(name).map(String::from)
            }
        });
        match (decoded, end) {
            (Some(d), Some(e)) => {
                out.push_str(&d);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Split the page into text runs and tags, in order.
enum Piece<'a> {
    Text(usize, &'a str),
    Tag(usize, Tag<'a>),
}

fn scan(html: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if text_start < i {
            out.push(Piece::Text(text_start, &html[text_start..i]));
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            text_start = i;
            continue;
        }
        let Some(end_rel) = html[i..].find('>') else {
            text_start = i;
            break;
        };
        let inner = &html[i + 1..i + end_rel];
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        let name_end = body
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        let tag_start = i;
        i += end_rel + 1;
        text_start = i;
        if name.is_empty() || name.starts_with('!') || name.starts_with('?') {
            continue;
        }
        // Raw-text elements: skip to their end tag without scanning inside.
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "template") {
            let close = format!("</{name}");
            let end = find_ascii_ci(&b[i..], close.as_bytes()).map_or(b.len(), |e| i + e);
            i = html[end..].find('>').map_or(b.len(), |e| end + e + 1);
            text_start = i;
            continue;
        }
        out.push(Piece::Tag(
            tag_start,
            Tag {
                self_closing: body.ends_with('/'),
                attrs: &body[name_end..],
                name,
                closing,
            },
        ));
    }
    if text_start < b.len() {
        out.push(Piece::Text(text_start, &html[text_start..]));
    }
    out
}

/// Position of `needle` (lower-case ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn is_furniture(tag: &Tag<'_>) -> bool {
    if SKIP.contains(&tag.name.as_str()) {
        return true;
    }
    let class = attr_value(tag.attrs, "class")
        .unwrap_or_default()
        .to_lowercase();
    let id = attr_value(tag.attrs, "id")
        .unwrap_or_default()
        .to_lowercase();
    let role = attr_value(tag.attrs, "role")
        .unwrap_or_default()
        .to_lowercase();
    matches!(
        role.as_str(),
        "navigation" | "banner" | "contentinfo" | "complementary"
    ) || FURNITURE
        .iter()
        .any(|f| class.contains(f) || id.contains(f))
        || attr_value(tag.attrs, "hidden").is_some()
        || attr_value(tag.attrs, "aria-hidden").is_some_and(|v| v == "true")
}

/// Decode a page that declares the charset `label` (`enc`), checking the
/// label against the bytes, as pages are often saved in another encoding
/// than their `<meta>` says:
/// - a byte-order mark wins (as in browsers);
/// - a UTF-16 label on bytes without UTF-16's NUL pattern is ignored (HTML5
///   itself reads a `<meta>` `utf-16` label as UTF-8: a page whose meta can
///   be read as ASCII is not UTF-16);
/// - `utf-8` on bytes that are not UTF-8, or any other label on bytes that
///   do not decode cleanly under it, falls back to detection;
/// - any label but UTF-8 on bytes that are valid UTF-8 with non-ASCII
///   characters gives way to UTF-8 (a legacy text of any length is
///   practically never valid UTF-8 by chance).
///
/// A label not followed comes back as a warning naming the label and the
/// encoding used.
fn checked_charset(
    bytes: &[u8],
    label: &str,
    enc: &'static encoding_rs::Encoding,
) -> Result<(Decoded, Vec<String>), ExtractError> {
    let detect = |why: &str| -> Result<(Decoded, Vec<String>), ExtractError> {
        let d = decode_checked(bytes, None)?;
        let w = format!(
            "declares charset `{label}`, but {why}; read as {} instead (fix or remove the <meta charset>, or give --encoding)",
            d.encoding
        );
        Ok((d, vec![w]))
    };
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return Ok((decode_checked(bytes, None)?, Vec::new()));
    }
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return match super::extract::utf16_without_bom(bytes) {
            Some(found) => Ok((decode_checked(bytes, Some(found))?, Vec::new())),
            None => detect("the bytes are not UTF-16 (no NUL byte pattern)"),
        };
    }
    let strict = std::str::from_utf8(bytes).ok();
    if enc == encoding_rs::UTF_8 {
        return match strict {
            Some(_) => Ok((decode_checked(bytes, Some(enc))?, Vec::new())),
            None => {
                let d = decode_checked(bytes, None)?;
                if d.encoding == "UTF-8" {
                    // UTF-8 with a few bad bytes: the label was right, and
                    // the replaced bytes have their own warning.
                    Ok((d, Vec::new()))
                } else {
                    detect("the bytes are not valid UTF-8")
                }
            }
        };
    }
    if strict.is_some_and(|s| !s.is_ascii()) {
        return detect("the bytes are valid UTF-8 with non-ASCII characters");
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return detect(&format!("the bytes are not valid {}", enc.name()));
    }
    Ok((
        Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
            replaced: 0,
        },
        Vec::new(),
    ))
}

impl Extractor for Html {
    fn format(&self) -> &'static str {
        "html"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        let (d, warnings) = decode_page(bytes, opts)?;
        let Decoded {
            text: html,
            encoding,
            ..
        } = d;
        let (lines, metadata) = page_lines(&html);
        Ok(Extracted {
            lines,
            encoding,
            metadata,
            structured: true,
            warnings,
        })
    }
}

/// Decode a page: `--encoding` wins; a charset declared in its first 2 KB
/// is believed only when the bytes bear it out ([`checked_charset`]);
/// else the encoding is detected. Returns the warnings with it.
fn decode_page(
    bytes: &[u8],
    opts: &ExtractOptions,
) -> Result<(Decoded, Vec<String>), ExtractError> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let declared = head.find("charset=").and_then(|i| {
        let v = head[i + 8..].trim_start_matches(['"', '\'']);
        let end = v
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(v.len());
        let label = &v[..end];
        encoding_rs::Encoding::for_label(label.as_bytes()).map(|e| (label.to_string(), e))
    });
    // `--encoding` wins; a declared charset is believed only when the
    // bytes bear it out.
    let (d, mut warnings) = match (opts.encoding, declared) {
        (Some(forced), _) => (decode_checked(bytes, Some(forced))?, Vec::new()),
        (None, Some((label, enc))) => checked_charset(bytes, &label, enc)?,
        (None, None) => (decode_checked(bytes, None)?, Vec::new()),
    };
    warnings.extend(d.warning());
    Ok((d, warnings))
}

/// The text blocks of a page, one line each followed by a blank line, and
/// its metadata (`language` from `<html lang>`). Page furniture is
/// skipped, and when the page has an `<article>` or `<main>`, everything
/// outside it.
fn page_lines(html: &str) -> (Vec<SourceLine>, BTreeMap<String, String>) {
    let pieces = scan(html);
    let has_main = pieces.iter().any(|p| {
        matches!(p, Piece::Tag(_, t) if !t.closing && (t.name == "article" || t.name == "main" || attr_value(t.attrs, "role").is_some_and(|r| r == "main")))
    });
    let mut walk = Walk {
        // Line starts, once: a block's line is a binary search, not a scan
        // from the top (a 50 MB page has hundreds of thousands of blocks).
        line_starts: std::iter::once(0)
            .chain(html.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        has_main,
        metadata: BTreeMap::new(),
        lines: Vec::new(),
        stack: Vec::new(),
        skip_depth: 0,
        main_depth: 0,
        cur: String::new(),
        cur_kind: LineKind::Text,
        cur_line: 1,
    };
    for piece in &pieces {
        match piece {
            Piece::Text(at, t) => walk.text(*at, t),
            Piece::Tag(at, tag) => walk.tag(*at, tag),
        }
    }
    walk.flush();
    (walk.lines, walk.metadata)
}

/// The state of [`page_lines`] walking a page's pieces.
struct Walk {
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
    /// Does the page have an `<article>` or `<main>`?
    has_main: bool,
    metadata: BTreeMap<String, String>,
    lines: Vec<SourceLine>,
    /// Open elements: (tag, skipping).
    stack: Vec<(String, bool)>,
    skip_depth: usize,
    /// > 0 inside <article>/<main>.
    main_depth: usize,
    /// The block being read, its kind and line.
    cur: String,
    cur_kind: LineKind,
    cur_line: u32,
}

impl Walk {
    /// The line of byte `byte`.
    fn line_of(&self, byte: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= byte) as u32
    }

    /// End the current block: its text, whitespace collapsed, becomes a
    /// line (and a blank one) unless empty.
    fn flush(&mut self) {
        let t = self.cur.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            self.lines.push(SourceLine {
                no: Loc::line(self.cur_line),
                text: t,
                kind: self.cur_kind,
            });
            self.lines.push(SourceLine {
                no: Loc::line(self.cur_line),
                text: String::new(),
                kind: LineKind::Text,
            });
        }
        self.cur.clear();
    }

    /// Text at byte `at`: added to the block when it is read (not skipped,
    /// inside the main content when there is one).
    fn text(&mut self, at: usize, t: &str) {
        let reading = self.skip_depth == 0 && (!self.has_main || self.main_depth > 0);
        if reading && !t.trim().is_empty() {
            if self.cur.trim().is_empty() {
                self.cur_line = self.line_of(at);
            }
            self.cur.push_str(&decode_entities(t));
        } else if reading {
            self.cur.push(' ');
        }
    }

    /// A tag at byte `at`: the page language, the end of a block, and the
    /// open elements (skipped furniture, main content).
    fn tag(&mut self, at: usize, tag: &Tag<'_>) {
        let name = tag.name.as_str();
        if name == "html"
            && !tag.closing
            && let Some(lang) = attr_value(tag.attrs, "lang")
        {
            let lang = lang.split(['-', '_']).next().unwrap_or("").to_lowercase();
            if !lang.is_empty() {
                self.metadata.insert("language".to_string(), lang);
            }
        }
        if BLOCK.contains(&name) {
            self.flush();
            self.cur_kind = LineKind::Text;
            self.cur_line = self.line_of(at);
            if !tag.closing {
                if name.len() == 2 && name.starts_with('h') && name.as_bytes()[1].is_ascii_digit() {
                    self.cur_kind = LineKind::Heading;
                } else if name == "li" {
                    self.cur_kind = LineKind::ListItem;
                }
            }
        }
        if VOID.contains(&name) || tag.self_closing {
            return;
        }
        if tag.closing {
            // Pop to the matching open tag (tolerates unclosed ones).
            if let Some(pos) = self.stack.iter().rposition(|(n, _)| n == name) {
                for (n, skipping) in self.stack.drain(pos..) {
                    if skipping {
                        self.skip_depth -= 1;
                    }
                    if n == "article" || n == "main" {
                        self.main_depth = self.main_depth.saturating_sub(1);
                    }
                }
            }
        } else {
            let skipping = is_furniture(tag);
            if skipping {
                self.skip_depth += 1;
            }
            if name == "article"
                || name == "main"
                || attr_value(tag.attrs, "role").is_some_and(|r| r == "main")
            {
                self.main_depth += 1;
            }
            self.stack.push((
                if attr_value(tag.attrs, "role").is_some_and(|r| r == "main") {
                    "main".to_string()
                } else {
                    name.to_string()
                },
                skipping,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_only_without_page_furniture() {
        let page = r#"<!DOCTYPE html><html lang="en-GB"><head><title>t</title><style>p{}</style><script>var x = "<p>no</p>";</script></head>
<body><header><nav><a href="/">Home</a></nav></header>
<div class="cookie-banner">We use cookies</div>
<article><h1>Thailand &amp; the watch list</h1>
<p>The report&rsquo;s authors urged the <b>government</b>
to act.</p><ul><li>First point</li><li>Second&nbsp;point</li></ul></article>
<aside>Most read</aside><footer>&copy; 2015</footer></body></html>"#;
        let e = Html
            .extract(page.as_bytes(), &ExtractOptions::default())
            .unwrap();
        let texts: Vec<(&str, LineKind)> = e
            .lines
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| (l.text.as_str(), l.kind))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("Thailand & the watch list", LineKind::Heading),
                (
                    "The report\u{2019}s authors urged the government to act.",
                    LineKind::Text
                ),
                ("First point", LineKind::ListItem),
                ("Second point", LineKind::ListItem),
            ]
        );
        assert_eq!(e.metadata.get("language").map(String::as_str), Some("en"));
        assert_eq!(e.lines[0].no, Loc::line(4));
    }

    /// The page's paragraph text, encoding and warnings.
    fn read(
        bytes: &[u8],
        forced: Option<&'static encoding_rs::Encoding>,
    ) -> (String, &'static str, Vec<String>) {
        let opts = ExtractOptions {
            encoding: forced,
            ..ExtractOptions::default()
        };
        let e = Html.extract(bytes, &opts).unwrap();
        let text: Vec<&str> = e
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        (text.join("|"), e.encoding, e.warnings)
    }

    fn page(charset: &str, body: &str) -> String {
        format!(
            "<html><head><meta charset=\"{charset}\"><title>t</title></head><body><p>{body}</p></body></html>"
        )
    }

    #[test]
    fn a_utf16_label_on_bytes_without_nuls_is_not_believed() {
        let (text, enc, w) = read(page("utf-16", "Plain ASCII page.").as_bytes(), None);
        assert_eq!((text.as_str(), enc), ("Plain ASCII page.", "UTF-8"));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("declares charset `utf-16`") && w[0].contains("read as UTF-8"),
            "{}",
            w[0]
        );
        // Real UTF-16 (with a BOM) is read as such, without a word.
        let mut le = vec![0xFF, 0xFE];
        le.extend(
            page("utf-16", "Plain page.")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let (text, enc, w) = read(&le, None);
        assert_eq!(
            (text.as_str(), enc, w.len()),
            ("Plain page.", "UTF-16LE", 0)
        );
    }

    #[test]
    fn a_label_the_bytes_do_not_bear_out_falls_back_to_detection() {
        let fr = "Le caf\u{e9} \u{e9}tait ferm\u{e9} \u{e0} l\u{2019}heure o\u{f9} les \u{e9}l\u{e8}ves arriv\u{e8}rent.";
        // Saved as windows-1252, labelled utf-8.
        let b = encoding_rs::WINDOWS_1252
            .encode(&page("utf-8", fr))
            .0
            .into_owned();
        let (text, enc, w) = read(&b, None);
        assert_eq!((text.as_str(), enc), (fr, "windows-1252"));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("`utf-8`")
                && w[0].contains("not valid UTF-8")
                && w[0].contains("read as windows-1252"),
            "{}",
            w[0]
        );
        // Saved as UTF-8, labelled with a single-byte charset.
        let (text, enc, w) = read(page("iso-8859-1", fr).as_bytes(), None);
        assert_eq!((text.as_str(), enc), (fr, "UTF-8"));
        assert!(
            w.len() == 1 && w[0].contains("`iso-8859-1`") && w[0].contains("read as UTF-8"),
            "{w:?}"
        );
        // Labels that are right are followed without a word.
        let right = encoding_rs::WINDOWS_1252
            .encode(&page("windows-1252", fr))
            .0
            .into_owned();
        let (text, enc, w) = read(&right, None);
        assert_eq!((text.as_str(), enc, w.len()), (fr, "windows-1252", 0));
        let (text, enc, w) = read(page("utf-8", fr).as_bytes(), None);
        assert_eq!((text.as_str(), enc, w.len()), (fr, "UTF-8", 0));
        let ja = "\u{65e5}\u{672c}\u{8a9e}\u{306e}\u{6587}\u{7ae0}\u{3002}";
        let sj = encoding_rs::SHIFT_JIS
            .encode(&page("shift_jis", ja))
            .0
            .into_owned();
        let (text, enc, w) = read(&sj, None);
        assert_eq!((text.as_str(), enc, w.len()), (ja, "Shift_JIS", 0));
        // --encoding wins over label and bytes.
        let (_, enc, w) = read(
            page("iso-8859-1", fr).as_bytes(),
            Some(encoding_rs::WINDOWS_1252),
        );
        assert_eq!((enc, w.len()), ("windows-1252", 0));
    }

    #[test]
    fn pages_without_article_keep_body_text() {
        let page =
            "<html><body><div id='menu'>Menu</div><p>Only &#8220;this&#8221;.</p></body></html>";
        let e = Html
            .extract(page.as_bytes(), &ExtractOptions::default())
            .unwrap();
        let texts: Vec<&str> = e
            .lines
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(texts, vec!["Only \u{201c}this\u{201d}."]);
    }
}
