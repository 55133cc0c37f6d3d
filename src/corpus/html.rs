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
    ExtractError, ExtractOptions, Extracted, Extractor, LineKind, Loc, SourceLine, decode_with,
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

impl Extractor for Html {
    fn format(&self) -> &'static str {
        "html"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
        // A declared charset wins over detection.
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        let declared = head.find("charset=").and_then(|i| {
            let v = head[i + 8..].trim_start_matches(['"', '\'']);
            let end = v
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(v.len());
            encoding_rs::Encoding::for_label(&v.as_bytes()[..end])
        });
        let (html, encoding) = decode_with(bytes, opts.encoding.or(declared))?;
        let pieces = scan(&html);
        let has_main = pieces.iter().any(|p| {
            matches!(p, Piece::Tag(_, t) if !t.closing && (t.name == "article" || t.name == "main" || attr_value(t.attrs, "role").is_some_and(|r| r == "main")))
        });
        let mut metadata = BTreeMap::new();
        // Line starts, once: a block's line is a binary search, not a scan
        // from the top (a 50 MB page has hundreds of thousands of blocks).
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(html.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |byte: usize| line_starts.partition_point(|&s| s <= byte) as u32;

        let mut lines: Vec<SourceLine> = Vec::new();
        let mut stack: Vec<(String, bool)> = Vec::new(); // (tag, skipping)
        let mut skip_depth = 0usize;
        let mut main_depth = 0usize; // > 0 inside <article>/<main>
        let mut cur = String::new();
        let mut cur_kind = LineKind::Text;
        let mut cur_line = 1u32;
        let flush = |cur: &mut String, kind: LineKind, line: u32, lines: &mut Vec<SourceLine>| {
            let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                lines.push(SourceLine {
                    no: Loc::line(line),
                    text: t,
                    kind,
                });
                lines.push(SourceLine {
                    no: Loc::line(line),
                    text: String::new(),
                    kind: LineKind::Text,
                });
            }
            cur.clear();
        };
        for piece in &pieces {
            match piece {
                Piece::Text(at, t) => {
                    let reading = skip_depth == 0 && (!has_main || main_depth > 0);
                    if reading && !t.trim().is_empty() {
                        if cur.trim().is_empty() {
                            cur_line = line_of(*at);
                        }
                        cur.push_str(&decode_entities(t));
                    } else if reading {
                        cur.push(' ');
                    }
                }
                Piece::Tag(at, tag) => {
                    let name = tag.name.as_str();
                    if name == "html"
                        && !tag.closing
                        && let Some(lang) = attr_value(tag.attrs, "lang")
                    {
                        let lang = lang.split(['-', '_']).next().unwrap_or("").to_lowercase();
                        if !lang.is_empty() {
                            metadata.insert("language".to_string(), lang);
                        }
                    }
                    if BLOCK.contains(&name) {
                        flush(&mut cur, cur_kind, cur_line, &mut lines);
                        cur_kind = LineKind::Text;
                        cur_line = line_of(*at);
                        if !tag.closing {
                            if name.len() == 2
                                && name.starts_with('h')
                                && name.as_bytes()[1].is_ascii_digit()
                            {
                                cur_kind = LineKind::Heading;
                            } else if name == "li" {
                                cur_kind = LineKind::ListItem;
                            }
                        }
                    }
                    if VOID.contains(&name) || tag.self_closing {
                        continue;
                    }
                    if tag.closing {
                        // Pop to the matching open tag (tolerates unclosed ones).
                        if let Some(pos) = stack.iter().rposition(|(n, _)| n == name) {
                            for (n, skipping) in stack.drain(pos..) {
                                if skipping {
                                    skip_depth -= 1;
                                }
                                if n == "article" || n == "main" {
                                    main_depth = main_depth.saturating_sub(1);
                                }
                            }
                        }
                    } else {
                        let skipping = is_furniture(tag);
                        if skipping {
                            skip_depth += 1;
                        }
                        if name == "article"
                            || name == "main"
                            || attr_value(tag.attrs, "role").is_some_and(|r| r == "main")
                        {
                            main_depth += 1;
                        }
                        stack.push((
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
        }
        flush(&mut cur, cur_kind, cur_line, &mut lines);
        Ok(Extracted {
            lines,
            encoding,
            metadata,
            structured: true,
        })
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
