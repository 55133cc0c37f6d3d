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
pub(super) fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Some("windows-1252"))
        }
    }
}

pub(super) fn pos(line: usize) -> Pos {
    Pos { line, column: 1 }
}

/// A category id from a LIWC name: letters, digits, `_` and `-` kept, other
/// characters replaced by `_`.
pub(super) fn id_of(name: &str) -> String {
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
pub(super) fn add_missing_parents(cats: &mut Vec<Category>) {
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
    let Some((mut cats, by_num, body)) = dic_header(&lines, i + 1, &mut diags) else {
        return (None, diags);
    };
    dic_entries(&lines, body, &mut cats, &by_num, &mut diags);
    add_missing_parents(&mut cats);
    let parsed = Parsed {
        name: "LIWC dictionary".to_string(),
        categories: cats,
        ..Parsed::default()
    };
    (Some(parsed), diags)
}

/// The category header of a `.dic` file, read from line index `start` (just
/// after the opening `%`) to the closing `%`: the categories, LIWC number →
/// index into them, and the index of the first line after the closing `%`.
/// `None`, said in `diags`, when the header is never closed.
fn dic_header(
    lines: &[&str],
    start: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<Category>, HashMap<String, usize>, usize)> {
    let mut i = start;
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
        return None;
    }
    Some((cats, by_num, i))
}

/// The entry lines of a `.dic` file, from line index `start` (just after the
/// header) to the end: each term added to the categories its numbers (and
/// its conditionals) name; repeats, terms without a category and undeclared
/// numbers said in `diags`.
fn dic_entries(
    lines: &[&str],
    start: usize,
    cats: &mut [Category],
    by_num: &HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    let mut i = start;
    while i < lines.len() {
        let raw = lines[i];
        let lno = i + 1;
        i += 1;
        let line = raw.trim().to_string();
        if line.is_empty() {
            continue;
        }
        let (conds, rest) = split_conditionals(&line);
        let line = drop_unknown_conditionals(rest, lno, diags);
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
        if ids.is_empty() && conds.is_empty() {
            diags.push(Diagnostic::error(
                pos(lno),
                format!("entry `{term}` is in no category; add a category number after a tab"),
            ));
            continue;
        }
        let mut members: Vec<(String, String)> = ids
            .iter()
            .map(|id| (id.to_string(), term.clone()))
            .collect();
        for c in &conds {
            members.extend(conditional_entries(c, &term, by_num, cats, lno, diags));
        }
        for (id, text) in members {
            match find_num(by_num, &id) {
                Some(ci) => {
                    if let Some(prev) = seen.get(&(ci, text.clone())) {
                        diags.push(Diagnostic::warning(
                            pos(lno),
                            format!(
                                "entry `{text}` repeats line {prev} in category `{}`",
                                cats[ci].id
                            ),
                        ));
                        continue;
                    }
                    seen.insert((ci, text.clone()), lno);
                    cats[ci].entries.push(Entry::new(text, pos(lno)));
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
}

/// The LIWC2007 conditionals of an entry line, and the line without them.
///
/// `kind (02 134)125/464` (125 if the previous word is in 02 or 134, else
/// 464) and `like <of>131/125` (131 if followed by "of", else 125). Each
/// becomes a pair of proximity rules (see `conditional_entries`); what is
/// left of the line is the term and its plain category numbers.
fn split_conditionals(line: &str) -> (Vec<Conditional>, String) {
    let mut conds: Vec<Conditional> = Vec::new();
    let mut rest = String::with_capacity(line.len());
    let mut last = 0;
    for caps in cond_re().captures_iter(line) {
        let (Some(whole), Some(yes), Some(no)) = (caps.get(0), caps.get(3), caps.get(4)) else {
            continue;
        };
        rest.push_str(&line[last..whole.start()]);
        rest.push(' ');
        last = whole.end();
        let context = match (caps.get(1), caps.get(2)) {
            (Some(nums), _) => Context::Previous(
                nums.as_str()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            ),
            (None, Some(words)) => Context::Next(
                words
                    .as_str()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            ),
            (None, None) => continue,
        };
        conds.push(Conditional {
            spec: whole.as_str().to_string(),
            context,
            yes: yes.as_str().to_string(),
            no: no.as_str().to_string(),
        });
    }
    rest.push_str(&line[last..]);
    (conds, rest)
}

/// An entry line (line `lno`) without the fields after its term that are in
/// parentheses or angle brackets: conditionals this reader does not
/// understand (the ones it does are gone already), each said and skipped.
fn drop_unknown_conditionals(line: String, lno: usize, diags: &mut Vec<Diagnostic>) -> String {
    let Some((term, after)) = line.split_once('\t') else {
        return line;
    };
    let mut kept = Vec::new();
    for f in after.split_whitespace() {
        if f.starts_with(['(', '<']) || f.ends_with([')', '>']) {
            diags.push(Diagnostic::warning(
                pos(lno),
                format!("`{f}` is not a LIWC2007 conditional (`(A B)X/Y` or `<word>X/Y`); skipped"),
            ));
        } else {
            kept.push(f);
        }
    }
    format!("{term}\t{}", kept.join("\t"))
}

/// The condition of a LIWC2007 conditional entry.
#[derive(Debug)]
enum Context {
    /// `(02 134)`: the previous word is in one of these categories.
    Previous(Vec<String>),
    /// `<of>`: the next word is one of these.
    Next(Vec<String>),
}

/// `(A B)X/Y` or `<word>X/Y` as written on an entry line.
#[derive(Debug)]
struct Conditional {
    spec: String,
    context: Context,
    /// Category number when the condition holds (may be empty).
    yes: String,
    /// Category number otherwise (may be empty).
    no: String,
}

fn cond_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"(?:\(\s*(\d+(?:\s+\d+)*)\s*\)|<([^<>()/\t,|]+)>)(\d*)/(\d*)")
            .unwrap_or_else(|_| unreachable!("the pattern is a valid regex"))
    })
}

/// The category a LIWC number names (`02` and `2` alike).
fn find_num(by_num: &HashMap<String, usize>, id: &str) -> Option<usize> {
    let key = id.trim_start_matches('0');
    by_num.get(id).copied().or_else(|| {
        by_num
            .iter()
            .find(|(k, _)| k.trim_start_matches('0') == key)
            .map(|(_, &v)| v)
    })
}

/// The entries (category number, entry text) a conditional stands for: the
/// branch taken when the condition holds becomes `AFTER(term, @c1 | @c2, 1)`
/// (previous word in c1 or c2) or `BEFORE(term, w1 | w2, 1)` (next word w1
/// or w2); the other branch is the complement, `NOTAFTER`/`NOTBEFORE` with
/// the same operands. Categories the header does not declare are warned
/// about and left out of the condition; a condition left with no category
/// can never hold, so its "else" branch becomes the plain term.
fn conditional_entries(
    c: &Conditional,
    term: &str,
    by_num: &HashMap<String, usize>,
    cats: &[Category],
    lno: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let spec = &c.spec;
    if term.contains([',', '|', '(', ')']) {
        diags.push(Diagnostic::warning(
            pos(lno),
            format!("conditional `{spec}` of `{term}` skipped: a conditional term cannot hold `,`, `|` or parentheses"),
        ));
        return Vec::new();
    }
    let (order_yes, order_no, operands) = match &c.context {
        Context::Previous(nums) => {
            let mut ops = Vec::new();
            for n in nums {
                match find_num(by_num, n) {
                    Some(ci) => ops.push(format!("@{}", cats[ci].id)),
                    None => diags.push(Diagnostic::warning(
                        pos(lno),
                        format!("conditional `{spec}` of `{term}`: category {n} of its condition is not declared in the header; the condition leaves it out"),
                    )),
                }
            }
            ("AFTER", "NOTAFTER", ops)
        }
        Context::Next(words) => ("BEFORE", "NOTBEFORE", words.clone()),
    };
    let mut out = Vec::new();
    if operands.is_empty() {
        diags.push(Diagnostic::warning(
            pos(lno),
            format!("conditional `{spec}` of `{term}` can never hold (none of its categories is declared): read as plain `{term}` in category {}", c.no),
        ));
        if !c.no.is_empty() {
            out.push((c.no.clone(), term.to_string()));
        }
        return out;
    }
    let b = operands.join(" | ");
    for (target, order) in [(&c.yes, order_yes), (&c.no, order_no)] {
        if target.is_empty() {
            continue;
        }
        // A rule may not refer to its own category's subtree (it would be
        // evaluated before itself): such a branch is said and left out.
        if let Some(ti) = find_num(by_num, target) {
            let tid = &cats[ti].id;
            let related = |r: &str| {
                let r = r.trim_start_matches('@');
                r == tid || r.starts_with(&format!("{tid}.")) || tid.starts_with(&format!("{r}."))
            };
            if matches!(c.context, Context::Previous(_)) && operands.iter().any(|o| related(o)) {
                diags.push(Diagnostic::warning(
                    pos(lno),
                    format!("conditional `{spec}` of `{term}`: category {target} (`{tid}`) is part of its own condition, which tanda cannot evaluate; this branch is left out"),
                ));
                continue;
            }
        }
        out.push((target.clone(), format!("{order}({term}, {b}, 1)")));
    }
    out
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
    let (mut cats, col_cat) = dicx_categories(&header, &mut diags);
    dicx_entries(records, &col_cat, &mut cats, &mut diags);
    add_missing_parents(&mut cats);
    let parsed = Parsed {
        name: "LIWC-22 dictionary".to_string(),
        categories: cats,
        ..Parsed::default()
    };
    (Some(parsed), diags)
}

/// The categories a `.dicx` header row names after its term column, and
/// per column the index of its category (`None` for the term column, an
/// empty name or a repeated one, the last said in `diags`).
fn dicx_categories(
    header: &csv::StringRecord,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Category>, Vec<Option<usize>>) {
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
    (cats, col_cat)
}

/// The term rows of a `.dicx` file: each term added, with its weight, to
/// the category of every column with a cell (`col_cat`); malformed rows,
/// bad cells, repeats and terms in no category said in `diags`.
fn dicx_entries(
    records: impl Iterator<Item = csv::Result<csv::StringRecord>>,
    col_cat: &[Option<usize>],
    cats: &mut [Category],
    diags: &mut Vec<Diagnostic>,
) {
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
        // `kind (02 134)1/125`: 1 (funct) when the previous word is in 02
        // (pronoun; 134 is not declared), else 125 (verb).
        assert_eq!(
            funct,
            vec!["the", "they", "AFTER(kind, @pronoun, 1)", "café*"]
        );
        assert_eq!(p.categories[1].entries[0].text, "they");
        assert_eq!(
            p.categories[2].entries[0].text,
            "NOTAFTER(kind, @pronoun, 1)"
        );
        let msgs: Vec<(usize, &str)> = d.iter().map(|x| (x.pos.line, x.message.as_str())).collect();
        assert!(msgs[0].1.contains("windows-1252"));
        assert!(
            msgs.iter()
                .any(|(l, m)| *l == 8 && m.contains("category 134") && m.contains("not declared"))
        );
        assert!(
            msgs.iter()
                .any(|(l, m)| *l == 11 && m.contains("no category"))
        );
    }

    #[test]
    fn conditionals_of_both_kinds_and_odd_ones() {
        let src = "%\n2\tpronoun\n125\taffect\n131\tcogmech\n464\tfiller\n%\nkind\t(02 134)125/464\nlike\t<of>131/125\t464\nodd\t(x)1/2\t125\nnone\t(7)125/464\n";
        let (p, d) = parse_dic(src.as_bytes());
        let p = p.unwrap();
        let of = |id: &str| -> Vec<String> {
            p.categories
                .iter()
                .find(|c| c.id == id)
                .unwrap()
                .entries
                .iter()
                .map(|e| e.text.clone())
                .collect()
        };
        assert_eq!(
            of("affect"),
            vec!["AFTER(kind, @pronoun, 1)", "NOTBEFORE(like, of, 1)", "odd"]
        );
        assert_eq!(
            of("filler"),
            vec!["NOTAFTER(kind, @pronoun, 1)", "like", "none"]
        );
        assert_eq!(of("cogmech"), vec!["BEFORE(like, of, 1)"]);
        assert!(
            d.iter()
                .any(|x| x.pos.line == 9
                    && x.message.contains("`(x)1/2` is not a LIWC2007 conditional")),
            "{d:?}"
        );
        assert!(
            d.iter()
                .any(|x| x.pos.line == 10 && x.message.contains("can never hold")),
            "{d:?}"
        );
        // A branch into a category of its own condition is left out.
        let (p, d) = parse_dic(b"%\n1\ta\n2\tb\n%\nx\t(1)1/2\n");
        let p = p.unwrap();
        assert!(p.categories[0].entries.is_empty());
        assert_eq!(p.categories[1].entries[0].text, "NOTAFTER(x, @a, 1)");
        assert!(
            d.iter()
                .any(|x| x.message.contains("part of its own condition")),
            "{d:?}"
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
