//! quanteda dictionaries as YAML (`.yml`, `.yaml`): nested mappings are
//! levels of categories, a list (or a single value) under a key holds that
//! category's entries. `*` and `?` are glob wildcards, spaces join the
//! words of a phrase.
//!
//! ```yaml
//! economy:
//!   state: [public service, "tax*"]
//!   market:
//!     - free market
//!     - deregulat*
//! values: law and order   # one entry
//! ```
//!
//! Read by a small reader of the YAML that such files use, not a general
//! YAML parser: block mappings and lists, flow lists (`[a, b]`), plain,
//! single- and double-quoted scalars, `#` comments, a leading `---`.
//! Anything else (anchors, tags, `|` blocks, flow mappings, mappings inside
//! lists) is an error naming the line, never a guess. A key `__` holds a
//! category's own entries next to its subcategories (how quanteda's
//! `as.yaml` writes such a key). Values are text as written: YAML 1.1
//! readers turn `yes` or `no` into booleans, this one does not. Keeping the
//! reader to this subset spares a YAML dependency (and its build time);
//! the fuzz target and the tests' cross-check with PyYAML guard it.

use std::fmt::Write as _;

use super::foreign::{Tree, decode, notes, tree};
use super::parse::Parsed;
use super::{Codebook, Diagnostic};

/// A parsed value with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Map(Vec<(String, usize, Node)>),
    List(Vec<(String, usize)>),
    Text(String),
    Empty,
}

/// One meaningful line: indentation, 1-based number, content (comment
/// removed, trailing space trimmed).
#[derive(Debug)]
struct Line<'a> {
    indent: usize,
    no: usize,
    text: &'a str,
}

type Res<T> = Result<T, (usize, String)>;

/// Where a ` #` comment starts outside quotes, if anywhere.
fn comment_start(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && prev_space => return Some(i),
            None if (c == '"' || c == '\'') && prev_space_or_open(s, i) => quote = Some(c),
            None => {}
        }
        prev_space = c.is_whitespace();
    }
    None
}

/// A quote opens a quoted scalar only at the start of a value: after
/// whitespace, `[`, `,`, `-` or `:` (else it is part of a plain word:
/// `don't`).
fn prev_space_or_open(s: &str, i: usize) -> bool {
    s[..i]
        .chars()
        .next_back()
        .is_none_or(|p| p.is_whitespace() || "[,-:".contains(p))
}

fn lines(text: &str) -> Res<Vec<Line<'_>>> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let no = i + 1;
        let body = match comment_start(raw) {
            Some(c) => &raw[..c],
            None => raw,
        };
        let trimmed = body.trim_end();
        if trimmed.trim().is_empty() {
            continue;
        }
        let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
        let text = &trimmed[indent..];
        if text.starts_with('\t') {
            return Err((
                no,
                "a tab in the indentation; YAML indents with spaces".into(),
            ));
        }
        if out.is_empty() && indent == 0 && (text == "---" || text.starts_with("%YAML")) {
            continue;
        }
        if indent == 0 && text == "..." {
            break;
        }
        if indent == 0 && text == "---" {
            return Err((
                no,
                "a second YAML document; a dictionary file holds one".into(),
            ));
        }
        out.push(Line { indent, no, text });
    }
    Ok(out)
}

/// A scalar as written: quotes removed and escapes resolved.
fn scalar(s: &str, no: usize) -> Res<String> {
    let s = s.trim();
    if let Some(body) = s.strip_prefix('"') {
        let Some(inner) = body.strip_suffix('"') else {
            return Err((
                no,
                format!("`{s}`: a double-quoted value must end with `\"`"),
            ));
        };
        let mut out = String::new();
        let mut it = inner.chars();
        while let Some(c) = it.next() {
            if c == '"' {
                return Err((
                    no,
                    format!("`{s}`: write `\\\"` for a quote inside double quotes"),
                ));
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some('"') => out.push('"'),
                Some('/') => out.push('/'),
                Some(' ') => out.push(' '),
                Some('0') => out.push('\0'),
                Some(k @ ('x' | 'u' | 'U')) => {
                    let n = match k {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = it.by_ref().take(n).collect();
                    let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    match ch {
                        Some(ch) if hex.len() == n => out.push(ch),
                        _ => return Err((no, format!("`{s}`: `\\{k}{hex}` is not a character"))),
                    }
                }
                other => {
                    return Err((
                        no,
                        format!(
                            "`{s}`: unknown escape `\\{}`",
                            other.map_or(String::new(), String::from)
                        ),
                    ));
                }
            }
        }
        return Ok(out);
    }
    if let Some(body) = s.strip_prefix('\'') {
        let Some(inner) = body.strip_suffix('\'') else {
            return Err((
                no,
                format!("`{s}`: a single-quoted value must end with `'`"),
            ));
        };
        if inner.replace("''", "").contains('\'') {
            return Err((
                no,
                format!("`{s}`: write `''` for a quote inside single quotes"),
            ));
        }
        return Ok(inner.replace("''", "'"));
    }
    if let Some(c) = s.chars().next()
        && "&!|>{@`%*".contains(c)
    {
        return Err((
            no,
            format!(
                "`{s}`: YAML reads a leading `{c}` as an anchor, alias, tag, block or flow mapping, which a dictionary does not use; quote the value (\"{s}\") if it is an entry"
            ),
        ));
    }
    Ok(s.to_string())
}

/// Split `key: rest` at the first `:` that is followed by a space or ends
/// the line, outside quotes.
fn split_key(s: &str) -> Option<(&str, &str)> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == ':' => {
                let rest = &s[i + 1..];
                if rest.is_empty() || rest.starts_with(' ') {
                    return Some((&s[..i], rest.trim()));
                }
            }
            None => {}
        }
    }
    None
}

/// `[a, "b, c", 'd']` → items.
fn flow_list(s: &str, no: usize) -> Res<Vec<(String, usize)>> {
    let inner = s
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .ok_or((
            no,
            format!("`{s}`: a list written inline must end with `]` on the same line"),
        ))?;
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                continue;
            }
            Some(q) if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    cur.push(c);
                    cur.push('\'');
                    chars.next();
                    continue;
                }
                quote = None;
            }
            Some(_) => {}
            None if (c == '"' || c == '\'') && cur.trim().is_empty() => quote = Some(c),
            None if c == ',' => {
                items.push(std::mem::take(&mut cur));
                continue;
            }
            None if "[]{}".contains(c) => {
                return Err((
                    no,
                    format!("`{s}`: nested lists or mappings are not supported in a dictionary"),
                ));
            }
            None => {}
        }
        cur.push(c);
    }
    if quote.is_some() {
        return Err((no, format!("`{s}`: a quote is not closed")));
    }
    items.push(cur);
    let mut out = Vec::new();
    let n = items.len();
    for (k, it) in items.into_iter().enumerate() {
        if it.trim().is_empty() {
            // `[]` and a trailing comma are allowed.
            if n == 1 || k == n - 1 {
                continue;
            }
            return Err((no, format!("`{s}`: an empty item between commas")));
        }
        out.push((scalar(&it, no)?, no));
    }
    Ok(out)
}

/// A value written after `key:` on the same line.
fn inline(rest: &str, no: usize) -> Res<Node> {
    if rest.starts_with('[') {
        Ok(Node::List(flow_list(rest, no)?))
    } else {
        Ok(Node::Text(scalar(rest, no)?))
    }
}

struct P<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
    depth: usize,
}

impl<'a> P<'a> {
    fn peek(&self) -> Option<&Line<'a>> {
        self.lines.get(self.at)
    }

    fn is_item(text: &str) -> bool {
        text == "-" || text.starts_with("- ")
    }

    /// The block starting at the next line, which has indentation `indent`.
    fn block(&mut self, indent: usize) -> Res<Node> {
        self.depth += 1;
        if self.depth > 64 {
            let no = self.peek().map_or(1, |l| l.no);
            return Err((no, "more than 64 levels of nesting".into()));
        }
        let r = match self.peek() {
            Some(l) if Self::is_item(l.text) => self.list(indent),
            Some(_) => self.map(indent),
            None => Ok(Node::Empty),
        };
        self.depth -= 1;
        r
    }

    fn list(&mut self, indent: usize) -> Res<Node> {
        let mut items = Vec::new();
        while let Some(l) = self.peek() {
            if l.indent < indent {
                break;
            }
            let (no, text) = (l.no, l.text);
            if l.indent > indent {
                return Err((no, "indented deeper than the list items above it".into()));
            }
            if !Self::is_item(text) {
                break;
            }
            self.at += 1;
            let item = text[1..].trim();
            if item.is_empty() {
                return Err((
                    no,
                    "an empty list item (`-` alone); write the entry after `- `".into(),
                ));
            }
            if item.starts_with('[') || Self::is_item(item) {
                return Err((
                    no,
                    "a list inside a list is not supported in a dictionary".into(),
                ));
            }
            if split_key(item).is_some() && !item.starts_with(['"', '\'']) {
                return Err((
                    no,
                    format!(
                        "`{item}`: a mapping inside a list is not supported; quote the entry if `: ` is part of it"
                    ),
                ));
            }
            items.push((scalar(item, no)?, no));
        }
        Ok(Node::List(items))
    }

    fn map(&mut self, indent: usize) -> Res<Node> {
        let mut pairs: Vec<(String, usize, Node)> = Vec::new();
        while let Some(l) = self.peek() {
            if l.indent < indent {
                break;
            }
            let (no, text, lind) = (l.no, l.text, l.indent);
            if lind > indent {
                return Err((no, "indented deeper than the keys above it".into()));
            }
            if Self::is_item(text) {
                return Err((no, "a list item where a `key:` was expected".into()));
            }
            let Some((key, rest)) = split_key(text) else {
                return Err((
                    no,
                    format!(
                        "`{text}` is not `key:` or `key: value`; a dictionary is a mapping of category names"
                    ),
                ));
            };
            let key = scalar(key, no)?;
            self.at += 1;
            let value = if !rest.is_empty() {
                inline(rest, no)?
            } else {
                match self.peek() {
                    Some(n) if n.indent > indent => {
                        let i = n.indent;
                        self.block(i)?
                    }
                    // A list may stand at the key's own indentation.
                    Some(n) if n.indent == indent && Self::is_item(n.text) => self.list(indent)?,
                    _ => Node::Empty,
                }
            };
            pairs.push((key, no, value));
        }
        Ok(Node::Map(pairs))
    }
}

fn document(text: &str) -> Res<Node> {
    let lines = lines(text)?;
    let Some(first) = lines.first() else {
        return Ok(Node::Empty);
    };
    let indent = first.indent;
    let mut p = P {
        lines,
        at: 0,
        depth: 0,
    };
    let node = p.block(indent)?;
    if let Some(l) = p.peek() {
        return Err((
            l.no,
            "indented less than the first line, or out of place".into(),
        ));
    }
    Ok(node)
}

/// Add the categories of mapping `pairs` under `parent`.
fn walk(t: &mut Tree, parent: Option<usize>, pairs: &[(String, usize, Node)]) {
    for (key, no, node) in pairs {
        if key == "__" {
            match parent {
                Some(ci) => add_entries(t, ci, node, *no),
                None => t.warn(*no, "`__` at the top holds no category's entries; skipped"),
            }
            continue;
        }
        let ci = t.category(parent, key, *no);
        match node {
            Node::Map(sub) => walk(t, Some(ci), sub),
            other => add_entries(t, ci, other, *no),
        }
    }
}

fn add_entries(t: &mut Tree, ci: usize, node: &Node, no: usize) {
    match node {
        Node::List(items) => {
            for (text, line) in items {
                t.entry(ci, text, 1.0, *line);
            }
        }
        Node::Text(text) => t.entry(ci, text, 1.0, no),
        Node::Empty => {}
        Node::Map(_) => t.warn(
            no,
            "`__` holds a mapping; only a list of entries is read there",
        ),
    }
}

/// Parse a quanteda YAML dictionary.
pub fn parse(bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut t = Tree::default();
    let text = decode(bytes, &mut t.diags);
    match document(&text) {
        Err((no, msg)) => {
            t.error(no, msg);
            t.fatal = true;
        }
        Ok(Node::Map(pairs)) => walk(&mut t, None, &pairs),
        Ok(Node::Empty) => {}
        Ok(_) => {
            t.error(1, "the top of the file is a list or a value; a dictionary is a mapping `category: [entries]`");
            t.fatal = true;
        }
    }
    t.finish(
        "YAML dictionary",
        "a YAML dictionary maps category names to lists of entries",
    )
}

/// A value that reads back as the same text: quoted when plain YAML would
/// read it otherwise.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.contains(": ")
        // Written inside `[…]`, where these end or open a value.
        && !s.contains([',', '[', ']', '{', '}', '"', '\''])
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(char::is_control)
        && ![
            "yes", "no", "true", "false", "on", "off", "null", "y", "n", "~",
        ]
        .contains(&s.to_lowercase().as_str())
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// The codebook as quanteda YAML.
pub fn write(cb: &Codebook) -> (String, Vec<String>) {
    let nodes = tree(cb);
    let mut out = String::new();
    for (i, n) in nodes.iter().enumerate() {
        let ind = "  ".repeat(n.depth);
        let has_children = nodes.get(i + 1).is_some_and(|next| next.depth > n.depth);
        if !has_children {
            let items: Vec<String> = n.entries.iter().map(|(e, _)| quote(e)).collect();
            let _ = writeln!(out, "{ind}{}: [{}]", quote(n.name), items.join(", "));
            continue;
        }
        let _ = writeln!(out, "{ind}{}:", quote(n.name));
        if !n.entries.is_empty() {
            let items: Vec<String> = n.entries.iter().map(|(e, _)| quote(e)).collect();
            let _ = writeln!(out, "{ind}  __: [{}]", items.join(", "));
        }
    }
    (out, notes(cb, false, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(src: &str) -> Vec<(String, Vec<String>)> {
        let (p, d) = parse(src.as_bytes());
        let p = p.unwrap_or_else(|| panic!("{d:?}"));
        p.categories
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    c.entries.iter().map(|e| e.text.clone()).collect(),
                )
            })
            .collect()
    }

    fn own(v: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.iter().map(|x| x.to_string()).collect()))
            .collect()
    }

    #[test]
    fn quanteda_layouts() {
        let src = "---\n# comment\neconomy:\n  state: [public service, \"tax*\", 'don''t']\n  market:\n  - free market\n  - deregulat*   # trailing comment\nvalues: law and order\nempty:\nmixed:\n  __: [own]\n  sub:\n    - \"a: b\"\n    - it's\n";
        assert_eq!(
            cats(src),
            own(&[
                ("economy", &[]),
                ("economy.state", &["public service", "tax*", "don't"]),
                ("economy.market", &["free market", "deregulat*"]),
                ("values", &["law and order"]),
                ("empty", &[]),
                ("mixed", &["own"]),
                ("mixed.sub", &["a: b", "it's"]),
            ])
        );
    }

    #[test]
    fn unsupported_yaml_is_an_error_with_its_line() {
        for (src, line) in [
            ("a:\n  - x\n  - y: z\n", 3),
            ("a: &anchor [x]\n", 1),
            ("a:\n  - *ful\n", 2),
            ("a:\n\t- x\n", 2),
            ("- x\n", 1),
            ("a: [x, [y]]\n", 1),
            ("a: \"open\n", 1),
            ("a:\n  b: [x]\n c: [y]\n", 3),
        ] {
            let (p, d) = parse(src.as_bytes());
            assert!(p.is_none(), "{src:?}");
            assert_eq!(d[0].pos.line, line, "{src:?}: {d:?}");
        }
    }

    #[test]
    fn written_values_read_back() {
        for s in [
            "yes",
            "a: b",
            "#x",
            "x #y",
            "-x",
            "say \"hi\"",
            "back\\slash",
            "1.5",
            "*ful",
            "ok",
            "a, b]",
            "x[y",
            "it's",
        ] {
            let src = format!("k: [{}]\n", quote(s));
            assert_eq!(cats(&src), own(&[("k", &[s])]), "{src}");
        }
    }
}
