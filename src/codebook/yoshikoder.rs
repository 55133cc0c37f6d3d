//! Yoshikoder dictionaries, `.ykd`: XML, a `<dictionary>` root holding
//! nested `<cnode name="…">` categories, each holding `<pnode name="…"/>`
//! patterns (`*` a wildcard, spaces between the words of a phrase).
//!
//! Read as quanteda's `read_dict_yoshikoder` reads them (the `cnode`s under
//! the root are the top categories, nested `cnode`s their children, `pnode`
//! names the entries), except that a category's own patterns are kept when
//! it also has subcategories (quanteda keeps only the subcategories then).
//! Read with quick-xml: entities and character references are resolved,
//! attributes may use either quote. A file that is not UTF-8 is read as
//! Windows-1252/Latin-1 with a warning. tanda writes categories directly
//! under `<dictionary>` (Yoshikoder itself wraps them in one root `cnode`
//! named after the dictionary, which reads back as one more level).

use std::fmt::Write as _;

use quick_xml::Reader;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};

use super::foreign::{Tree, decode, notes, tree};
use super::parse::Parsed;
use super::{Codebook, Diagnostic};

/// An open element while reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Root,
    Cat(usize),
    /// Any other element (its content is not read).
    Other,
}

fn name_attr(e: &BytesStart<'_>) -> Option<String> {
    crate::xmlzip::attr(e, "name")
}

/// Parse a `.ykd` file.
pub fn parse(bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut t = Tree::default();
    let text = decode(bytes, &mut t.diags);
    // quick-xml reads the text as UTF-8 whatever the declaration says; the
    // bytes were decoded above.
    let mut reader = Reader::from_str(&text);
    let line_of = |byte: u64| -> usize {
        let b = (byte as usize).min(text.len());
        text.as_bytes()[..b].iter().filter(|&&c| c == b'\n').count() + 1
    };
    let mut name = String::from("Yoshikoder dictionary");
    let mut seen_root = false;
    let mut stack: Vec<Open> = Vec::new();
    loop {
        let at = reader.buffer_position();
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                t.error(
                    line_of(reader.error_position()),
                    format!("not well-formed XML: {e}"),
                );
                t.fatal = true;
                break;
            }
        };
        let lno = line_of(at);
        let (e, empty) = match &ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => {
                if !stack.is_empty() {
                    t.error(
                        line_of(at),
                        "the file ends inside an element: close every <cnode> and the <dictionary>",
                    );
                    t.fatal = true;
                }
                break;
            }
            _ => continue,
        };
        let tag = e.local_name();
        let tag = tag.as_ref();
        let mut opened = Open::Other;
        if stack.is_empty() {
            if seen_root || tag != "dictionary" {
                t.error(
                    lno,
                    format!(
                        "<{}> at the top; a Yoshikoder dictionary is one <dictionary> element",
                        tag
                    ),
                );
                t.fatal = true;
                break;
            }
            seen_root = true;
            opened = Open::Root;
            if let Some(n) = name_attr(e).filter(|n| !n.trim().is_empty()) {
                name = n.trim().to_string();
            }
        } else if stack.contains(&Open::Other) {
            // Inside an element that is neither a cnode nor the root:
            // nothing there is read.
        } else {
            let parent = match stack.last() {
                Some(Open::Cat(ci)) => Some(*ci),
                _ => None,
            };
            if tag == "cnode" {
                match name_attr(e) {
                    Some(n) if !n.trim().is_empty() => {
                        opened = Open::Cat(t.category(parent, &n, lno));
                    }
                    _ => t.error(lno, "a <cnode> needs a name=\"…\" attribute"),
                }
            } else if tag == "pnode" {
                match (name_attr(e), parent) {
                    (Some(p), Some(ci)) => t.entry(ci, &p, 1.0, lno),
                    (None, _) => t.error(lno, "a <pnode> needs a name=\"…\" attribute"),
                    (Some(p), None) => t.warn(
                        lno,
                        format!("pattern `{p}` stands outside any <cnode> category; skipped"),
                    ),
                }
            }
        }
        if !empty {
            stack.push(opened);
        }
    }
    if !seen_root && !t.fatal {
        t.error(
            1,
            "no <dictionary> element: is this a Yoshikoder .ykd file?",
        );
        t.fatal = true;
    }
    t.finish(
        &name,
        "a .ykd dictionary holds <cnode name=\"…\"> categories",
    )
}

/// The codebook as a `.ykd` file.
pub fn write(cb: &Codebook) -> (String, Vec<String>) {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<dictionary style=\"070\" name=\"{}\">",
        escape(cb.name.as_str())
    );
    let nodes = tree(cb);
    let mut open: Vec<usize> = Vec::new();
    for n in &nodes {
        while open.last().is_some_and(|&d| d >= n.depth) {
            let d = open.pop().unwrap_or(0);
            let _ = writeln!(out, "{}</cnode>", "  ".repeat(d + 1));
        }
        let ind = "  ".repeat(n.depth + 1);
        let _ = writeln!(out, "{ind}<cnode name=\"{}\">", escape(n.name));
        for (e, _) in &n.entries {
            let _ = writeln!(out, "{ind}  <pnode name=\"{}\"/>", escape(e.as_str()));
        }
        open.push(n.depth);
    }
    while let Some(d) = open.pop() {
        let _ = writeln!(out, "{}</cnode>", "  ".repeat(d + 1));
    }
    out.push_str("</dictionary>\n");
    (out, notes(cb, false, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_cnodes_entities_and_both_quotes() {
        let src = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<dictionary style="070" name='Laver &amp; Garry'>
  <cnode name="ECONOMY">
    <pnode name="tax*"/>
    <cnode name='+STATE+'>
      <pnode name="public  service"/>
      <pnode name="caf&#233;"></pnode>
    </cnode>
  </cnode>
  <cnode name="&quot;Values&quot;"><pnode name="law &amp; order"/></cnode>
</dictionary>
"#;
        let (p, d) = parse(src.as_bytes());
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        assert_eq!(p.name, "Laver & Garry");
        let got: Vec<(&str, &str, Vec<&str>)> = p
            .categories
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.label.as_str(),
                    c.entries.iter().map(|e| e.text.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("economy", "ECONOMY", vec!["tax*"]),
                ("economy._state_", "+STATE+", vec!["public service", "café"]),
                ("_values_", "\"Values\"", vec!["law & order"]),
            ]
        );
    }

    #[test]
    fn broken_xml_is_an_error_with_a_line() {
        let (p, d) =
            parse(b"<dictionary>\n<cnode name=\"a\">\n<pnode name=\"x\"/>\n</dictionary>\n");
        assert!(p.is_none());
        assert!(d[0].message.contains("XML"), "{d:?}");
        let (p, d) = parse(b"<html/>");
        assert!(p.is_none() && d[0].message.contains("<dictionary>"));
    }
}
