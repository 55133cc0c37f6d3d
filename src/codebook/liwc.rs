//! Reading LIWC dictionaries: `.dic` (LIWC2007 and LIWC2015 styles) and
//! `.dicx` (LIWC-22, CSV).
//!
//! Real `.dic` files are messy: Windows-1252 bytes, CRLF, runs of tabs or
//! spaces, empty fields, LIWC2007 conditional entries. Every oddity becomes a
//! diagnostic naming the line; none is a crash.
//!
//! Category ids are the LIWC category names (LIWC's numbers are only a
//! file-local key). In LIWC2015-style headers extra tabs before a name nest
//! it under the nearest shallower category above; a child's id is then
//! `parent.child`, as in tanda's own codebooks.

use std::collections::{BTreeMap, HashMap};

use super::parse::Parsed;
use super::{Category, Diagnostic, Entry, Pos};

/// Decode a LIWC file: UTF-8 (BOM allowed), otherwise Windows-1252 (the
/// encoding LIWC's own Windows tools wrote).
fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Some("windows-1252"))
        }
    }
}

fn pos(line: usize) -> Pos {
    Pos { line, column: 1 }
}

/// A category id from a LIWC name: letters, digits, `_` and `-` kept, other
/// characters replaced by `_`.
fn id_of(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".to_string() } else { s }
}

fn new_category(id: String, label: &str, description: String, line: usize) -> Category {
    Category::new(id, label, description, pos(line))
}

/// Add parents that dotted ids name but the file does not define.
fn add_missing_parents(cats: &mut Vec<Category>) {
    let mut known: std::collections::HashSet<String> = cats.iter().map(|c| c.id.clone()).collect();
    let mut extra = Vec::new();
    for c in cats.iter() {
        let mut id = c.id.as_str();
        while let Some((parent, _)) = id.rsplit_once('.') {
            if known.insert(parent.to_string()) {
                extra.push(new_category(
                    parent.to_string(),
                    parent,
                    "Grouping added on import: the dictionary names it only as a prefix.".into(),
                    c.pos.line,
                ));
            }
            id = parent;
        }
    }
    cats.extend(extra);
}

/// Parse a `.dic` file.
pub fn parse_dic(bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let (text, legacy) = decode(bytes);
    let mut diags = Vec::new();
    if let Some(enc) = legacy {
        diags.push(Diagnostic::warning(
            pos(1),
            format!("not UTF-8: read as {enc}; save the dictionary as UTF-8 to silence this"),
        ));
    }
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut i = 0;
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    if lines.get(i).map(|l| l.trim()) != Some("%") {
        diags.push(Diagnostic::error(
            pos(i + 1),
            "a LIWC .dic file starts with a line holding only `%`, then `ID<TAB>name` lines, then `%`",
        ));
        return (None, diags);
    }
    i += 1;

    let mut cats: Vec<Category> = Vec::new();
    // LIWC number → index into `cats`.
    let mut by_num: HashMap<String, usize> = HashMap::new();
    // (depth, index) of the categories above, for nesting.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut closed = false;
    while i < lines.len() {
        let line = lines[i];
        let lno = i + 1;
        i += 1;
        if line.trim() == "%" {
            closed = true;
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let lead = line.chars().take_while(|&c| c == '\t').count();
        let body = line.trim_start();
        let num_end = body.find(char::is_whitespace).unwrap_or(body.len());
        let (num, rest) = body.split_at(num_end);
        let tabs_between = rest
            .chars()
            .take_while(|c| c.is_whitespace())
            .filter(|&c| c == '\t')
            .count();
        let name = rest.trim();
        if !num.chars().all(|c| c.is_ascii_digit()) || name.is_empty() {
            diags.push(Diagnostic::error(
                pos(lno),
                format!(
                    "header line `{}` is not `ID<TAB>name` with a numeric ID",
                    line.trim()
                ),
            ));
            continue;
        }
        let depth = lead + tabs_between.saturating_sub(1);
        while stack.last().is_some_and(|&(d, _)| d >= depth) {
            stack.pop();
        }
        let id = match stack.last() {
            Some(&(_, parent)) => format!("{}.{}", cats[parent].id, id_of(name)),
            None => id_of(name),
        };
        if by_num.contains_key(num) {
            diags.push(Diagnostic::error(
                pos(lno),
                format!("category number {num} is declared twice"),
            ));
            continue;
        }
        if let Some(prev) = cats.iter().find(|c| c.id == id) {
            diags.push(Diagnostic::error(
                pos(lno),
                format!(
                    "category `{name}` (id `{id}`) is declared twice (first at line {})",
                    prev.pos.line
                ),
            ));
            continue;
        }
        by_num.insert(num.to_string(), cats.len());
        stack.push((depth, cats.len()));
        cats.push(new_category(id, name, format!("LIWC category {num}."), lno));
    }
    if !closed {
        diags.push(Diagnostic::error(
            pos(lines.len().max(1)),
            "the category header is never closed: add a line holding only `%` after the last category",
        ));
        return (None, diags);
    }

    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    while i < lines.len() {
        let raw = lines[i];
        let lno = i + 1;
        i += 1;
        let mut line = raw.trim().to_string();
        if line.is_empty() {
            continue;
        }
        // LIWC2007 conditional entries: `kind (02 134)125/464` (125 if the
        // previous word is in 02 or 134, else 464) and `like <of>131/125`
        // (131 if followed by "of", else 125). tanda has no conditional
        // entries: the entry keeps the unconditional branch, after the `/`.
        while let Some(open) = line.find(['(', '<']) {
            let close_char = if line[open..].starts_with('(') {
                ')'
            } else {
                '>'
            };
            let Some(close_rel) = line[open..].find(close_char) else {
                break;
            };
            let after = open + close_rel + 1;
            let end = line[after..]
                .find(char::is_whitespace)
                .map_or(line.len(), |e| after + e);
            let spec = line[open..end].to_string();
            let default = line[after..end]
                .rsplit_once('/')
                .map(|(_, d)| d.to_string())
                .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
            diags.push(Diagnostic::warning(
                pos(lno),
                match &default {
                    Some(d) => format!(
                        "LIWC2007 conditional category `{spec}` read as its default, category {d} (tanda has no conditional entries)"
                    ),
                    None => format!("LIWC2007 conditional category `{spec}` not understood; skipped"),
                },
            ));
            line.replace_range(open..end, &format!(" {} ", default.unwrap_or_default()));
        }
        // A tab ends the term (multi-word terms may hold numbers: `uu no 21
        // tahun 2007<TAB>12`); without a tab, trailing numbers are the ids.
        let (term_part, id_part) = match line.split_once('\t') {
            Some((t, rest)) if !t.trim().is_empty() => (t.to_string(), rest.to_string()),
            _ => {
                let f: Vec<&str> = line.split_whitespace().collect();
                let n = f
                    .iter()
                    .rev()
                    .take_while(|x| x.chars().all(|c| c.is_ascii_digit()))
                    .count();
                (f[..f.len() - n].join(" "), f[f.len() - n..].join(" "))
            }
        };
        let term_words: Vec<&str> = term_part.split_whitespace().collect();
        let id_fields: Vec<&str> = id_part.split_whitespace().collect();
        let fields: Vec<&str> = term_words.iter().chain(&id_fields).copied().collect();
        let n_ids = id_fields.len();
        let term_words = &fields[..fields.len() - n_ids];
        if term_words.is_empty() {
            diags.push(Diagnostic::error(
                pos(lno),
                format!("line `{}` has category numbers but no term", raw.trim()),
            ));
            continue;
        }
        let term = term_words.join(" ");
        let ids = &fields[fields.len() - n_ids..];
        if ids.is_empty() {
            diags.push(Diagnostic::error(
                pos(lno),
                format!("entry `{term}` is in no category; add a category number after a tab"),
            ));
            continue;
        }
        for id in ids {
            let key = id.trim_start_matches('0');
            let found = by_num.get(*id).or_else(|| {
                by_num
                    .iter()
                    .find(|(k, _)| k.trim_start_matches('0') == key)
                    .map(|(_, v)| v)
            });
            match found {
                Some(&ci) => {
                    if let Some(prev) = seen.get(&(ci, term.clone())) {
                        diags.push(Diagnostic::warning(
                            pos(lno),
                            format!(
                                "entry `{term}` repeats line {prev} in category `{}`",
                                cats[ci].id
                            ),
                        ));
                        continue;
                    }
                    seen.insert((ci, term.clone()), lno);
                    cats[ci].entries.push(Entry::new(term.clone(), pos(lno)));
                }
                None => diags.push(Diagnostic::error(
                    pos(lno),
                    format!(
                        "entry `{term}` names category {id}, which the header does not declare"
                    ),
                )),
            }
        }
    }
    add_missing_parents(&mut cats);
    let parsed = Parsed {
        name: "LIWC dictionary".to_string(),
        categories: cats,
        ..Parsed::default()
    };
    (Some(parsed), diags)
}

/// Parse a `.dicx` file: `DicTerm,cat1,cat2,…`; a cell `X` marks membership,
/// a number is a weight (0 included: an entry that claims its words but adds
/// nothing to the score, as `tanda codebook export --format dicx` writes
/// it), an empty cell is no membership.
pub fn parse_dicx(bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let (text, legacy) = decode(bytes);
    let mut diags = Vec::new();
    if let Some(enc) = legacy {
        diags.push(Diagnostic::warning(
            pos(1),
            format!("not UTF-8: read as {enc}"),
        ));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            diags.push(Diagnostic::error(
                pos(1),
                format!("cannot read the header row: {e}"),
            ));
            return (None, diags);
        }
        None => {
            diags.push(Diagnostic::error(
                pos(1),
                "empty .dicx file: the first row must be `DicTerm,category1,…`",
            ));
            return (None, diags);
        }
    };
    if header.get(0).map(|h| h.trim().to_lowercase()) != Some("dicterm".into()) {
        diags.push(Diagnostic::warning(
            pos(1),
            "the first column of a .dicx header is normally `DicTerm`; reading it as the term column",
        ));
    }
    let mut cats: Vec<Category> = Vec::new();
    let mut col_cat: Vec<Option<usize>> = vec![None];
    for name in header.iter().skip(1) {
        let id = name.split('.').map(id_of).collect::<Vec<_>>().join(".");
        if name.trim().is_empty() {
            col_cat.push(None);
            continue;
        }
        if cats.iter().any(|c| c.id == id) {
            diags.push(Diagnostic::error(
                pos(1),
                format!("category `{name}` appears twice in the header"),
            ));
            col_cat.push(None);
            continue;
        }
        col_cat.push(Some(cats.len()));
        cats.push(new_category(id, name.trim(), "LIWC-22 category.".into(), 1));
    }
    let mut seen: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.push(Diagnostic::error(pos(line), format!("malformed row: {e}")));
                continue;
            }
        };
        let lno = rec.position().map_or(0, |p| p.line() as usize);
        let term = rec.get(0).unwrap_or("").trim().to_string();
        if term.is_empty() {
            continue;
        }
        let mut any = false;
        for (col, cell) in rec.iter().enumerate().skip(1) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let Some(Some(ci)) = col_cat.get(col) else {
                diags.push(Diagnostic::error(
                    pos(lno),
                    format!(
                        "`{term}`: value in column {} has no category in the header",
                        col + 1
                    ),
                ));
                continue;
            };
            let weight = if cell.eq_ignore_ascii_case("x") {
                1.0
            } else {
                match cell.parse::<f64>() {
                    Ok(w) if w.is_finite() => w,
                    _ => {
                        diags.push(Diagnostic::error(
                            pos(lno),
                            format!("`{term}`: cell `{cell}` is neither X nor a number"),
                        ));
                        continue;
                    }
                }
            };
            any = true;
            if seen.insert((*ci, term.clone()), lno).is_some() {
                diags.push(Diagnostic::warning(
                    pos(lno),
                    format!("`{term}` repeated in category `{}`", cats[*ci].id),
                ));
                continue;
            }
            let mut e = Entry::new(term.clone(), pos(lno));
            e.weight = weight;
            cats[*ci].entries.push(e);
        }
        if !any {
            diags.push(Diagnostic::error(
                pos(lno),
                format!("entry `{term}` is in no category"),
            ));
        }
    }
    add_missing_parents(&mut cats);
    let parsed = Parsed {
        name: "LIWC-22 dictionary".to_string(),
        categories: cats,
        ..Parsed::default()
    };
    (Some(parsed), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dic_2007_with_conditional_and_messy_fields() {
        let src = b"%\r\n1\tfunct\r\n02\tpronoun\r\n125\tverb\r\n%\r\nthe\t1\r\nthey  \t 02\t\t1\r\nkind\t(02 134)1/125\r\n\r\ncaf\xe9*\t1\r\nnobody\r\n";
        let (p, d) = parse_dic(src);
        let p = p.unwrap();
        let ids: Vec<&str> = p.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["funct", "pronoun", "verb"]);
        let funct: Vec<&str> = p.categories[0]
            .entries
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(funct, vec!["the", "they", "café*"]);
        assert_eq!(p.categories[1].entries[0].text, "they");
        assert_eq!(p.categories[2].entries[0].text, "kind");
        // `kind` takes the default branch of its conditional: 464 is not
        // declared here, so only the plain 125 counts.
        let msgs: Vec<(usize, &str)> = d.iter().map(|x| (x.pos.line, x.message.as_str())).collect();
        assert!(msgs[0].1.contains("windows-1252"));
        assert!(
            msgs.iter()
                .any(|(l, m)| *l == 8 && m.contains("conditional"))
        );
        assert!(
            msgs.iter()
                .any(|(l, m)| *l == 11 && m.contains("no category"))
        );
    }

    #[test]
    fn dic_2015_hierarchy_by_tabs() {
        let src = "%\n10\tleverage\n11\t\tmaterial\n12\t\tmoral\n20\tinfo\n%\nmelobi\t12\nrencana aksi nasional\t20\t10\n";
        let (p, d) = parse_dic(src.as_bytes());
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        let ids: Vec<&str> = p.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["leverage", "leverage.material", "leverage.moral", "info"]
        );
        assert_eq!(p.categories[2].entries[0].text, "melobi");
        assert_eq!(p.categories[3].entries[0].text, "rencana aksi nasional");
    }

    #[test]
    fn broken_dic_reports_and_does_not_crash() {
        let (p, d) = parse_dic(b"%\n1\tone\nx\tbad\n");
        assert!(p.is_none());
        assert!(d.iter().any(|x| x.message.contains("never closed")));
        let (_, d) = parse_dic(b"%\n1\tone\n%\nword\t7\n");
        assert!(d[0].message.contains("category 7"));
        let (p, d) = parse_dic(b"no header");
        assert!(p.is_none() && d[0].pos.line == 1);
    }

    #[test]
    fn dicx_membership_and_weights() {
        let src =
            "DicTerm,info,lev.moral\nreport,X,\nlobby,,2.5\n\"plan, national\",x,X\norphan,,\n";
        let (p, d) = parse_dicx(src.as_bytes());
        let p = p.unwrap();
        let ids: Vec<&str> = p.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["info", "lev.moral", "lev"]);
        assert_eq!(p.categories[1].entries[0].weight, 2.5);
        assert_eq!(p.categories[0].entries[1].text, "plan, national");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].pos.line, 5);
    }

    #[test]
    fn dicx_zero_weight_is_a_member_with_weight_zero() {
        let src = "DicTerm,a,b\nalat bukti,0,\ndata,-2,X\n";
        let (p, d) = parse_dicx(src.as_bytes());
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        let a: Vec<(&str, f64)> = p.categories[0]
            .entries
            .iter()
            .map(|e| (e.text.as_str(), e.weight))
            .collect();
        assert_eq!(a, vec![("alat bukti", 0.0), ("data", -2.0)]);
        assert_eq!(p.categories[1].entries.len(), 1);
    }
}
