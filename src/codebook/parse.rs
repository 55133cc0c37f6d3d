//! Reading the codebook format (TOML, or JSON with the same model).
//!
//! Both are read into a spanned tree ([`super::svalue`]) that one walker
//! turns into the model: serde would stop at the first unknown key or wrong
//! type, while a codebook author wants every problem in one pass, each with
//! its line and column.

use std::ops::Range;

use super::svalue::{Kind, SValue};
use super::{Category, Diagnostic, Entry, Morphology, Negation, Pos, line_col_of_byte};

const TOP_KEYS: &[&str] = &[
    "name",
    "version",
    "description",
    "negation",
    "morphology",
    "category",
];
const CATEGORY_KEYS: &[&str] = &[
    "id",
    "label",
    "description",
    "entries",
    "regex",
    "exclude",
    "threshold",
    "min_score",
    "negate",
    "morphology",
    "definition",
    "inclusion",
    "exclusion",
    "example",
];
const EXAMPLE_KEYS: &[&str] = &["text", "lang", "coded", "why"];
const ENTRY_KEYS: &[&str] = &["term", "weight", "case_sensitive", "negate"];
const NEGATION_KEYS: &[&str] = &["words", "window"];

/// What the walker produces.
#[derive(Debug, Default)]
pub struct Parsed {
    pub name: String,
    pub version: String,
    pub description: String,
    pub negation: Negation,
    pub morphology: Option<Morphology>,
    pub categories: Vec<Category>,
}

struct Ctx<'s> {
    source: &'s str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn pos(&self, span: &Range<usize>) -> Pos {
        line_col_of_byte(self.source, span.start)
    }

    fn error(&mut self, span: &Range<usize>, msg: impl Into<String>) {
        let pos = self.pos(span);
        self.diags.push(Diagnostic::error(pos, msg));
    }

    fn unknown_key(&mut self, key: &str, span: &Range<usize>, place: &str, allowed: &[&str]) {
        let hint = suggest(key, allowed);
        self.error(
            span,
            format!(
                "unknown key `{key}` {place}{hint}; allowed: {}",
                allowed.join(", ")
            ),
        );
    }

    fn string(&mut self, key: &str, v: &SValue) -> Option<String> {
        match &v.kind {
            Kind::Str(s) => Some(s.clone()),
            _ => {
                self.error(
                    &v.span,
                    format!("`{key}` must be a string, found {}", v.type_str()),
                );
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, v: &SValue) -> Option<bool> {
        match v.kind {
            Kind::Bool(b) => Some(b),
            _ => {
                self.error(
                    &v.span,
                    format!("`{key}` must be true or false, found {}", v.type_str()),
                );
                None
            }
        }
    }

    fn positive_int(&mut self, key: &str, v: &SValue) -> Option<u32> {
        match v.kind {
            Kind::Int(n) if (1..=i64::from(u32::MAX)).contains(&n) => Some(n as u32),
            _ => {
                self.error(
                    &v.span,
                    format!("`{key}` must be a whole number of at least 1"),
                );
                None
            }
        }
    }

    fn morphology(&mut self, v: &SValue) -> Option<Option<Morphology>> {
        match &v.kind {
            Kind::Str(s) if s == "id" || s == "indonesian" => Some(Some(Morphology::Indonesian)),
            Kind::Str(s) if s == "none" => Some(None),
            _ => {
                self.error(
                    &v.span,
                    "`morphology` must be \"id\" (Indonesian affixes) or \"none\"",
                );
                None
            }
        }
    }
}

/// Parse a TOML codebook.
pub fn parse_toml(source: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
    match super::svalue::from_toml(source) {
        Ok(tree) => walk(source, &tree),
        Err(errors) => {
            let mut ctx = Ctx {
                source,
                diags: Vec::new(),
            };
            for (span, msg) in errors {
                ctx.error(&span, msg);
            }
            (None, ctx.diags)
        }
    }
}

/// Parse a JSON codebook (same model as TOML).
pub fn parse_json(source: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
    match super::svalue::from_json(source) {
        Ok(tree) => walk(source, &tree),
        Err((span, msg)) => (
            None,
            vec![Diagnostic::error(line_col_of_byte(source, span.start), msg)],
        ),
    }
}

fn walk(source: &str, tree: &SValue) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut ctx = Ctx {
        source,
        diags: Vec::new(),
    };
    let Kind::Obj(fields) = &tree.kind else {
        ctx.error(&tree.span, "a codebook must be a table/object at the top");
        return (None, ctx.diags);
    };
    let mut out = Parsed::default();
    let mut has_name = false;
    let mut has_category = false;
    for (key, kspan, value) in fields {
        match key.as_str() {
            "name" => {
                has_name = true;
                out.name = ctx.string("name", value).unwrap_or_default();
            }
            "version" => {
                out.version = match &value.kind {
                    Kind::Int(n) => n.to_string(),
                    Kind::Float(f) => f.to_string(),
                    _ => ctx.string("version", value).unwrap_or_default(),
                }
            }
            "description" => out.description = ctx.string("description", value).unwrap_or_default(),
            "morphology" => out.morphology = ctx.morphology(value).unwrap_or_default(),
            "negation" => out.negation = negation(&mut ctx, value),
            "category" => {
                has_category = true;
                match &value.kind {
                    Kind::Arr(items) => {
                        for item in items {
                            if let Some(c) = category(&mut ctx, item) {
                                out.categories.push(c);
                            }
                        }
                    }
                    _ => ctx.error(
                        &value.span,
                        format!(
                            "`category` must be a list of categories (`[[category]]` in TOML), found {}",
                            value.type_str()
                        ),
                    ),
                }
            }
            other => ctx.unknown_key(other, kspan, "at the top of the codebook", TOP_KEYS),
        }
    }
    if !has_name {
        ctx.error(&(0..0), "the codebook has no `name = \"...\"` at the top");
    }
    if !has_category {
        ctx.error(
            &(0..0),
            "the codebook has no categories; add at least one `[[category]]`",
        );
    }
    ctx.diags.sort_by_key(|d| (d.pos.line, d.pos.column));
    (Some(out), ctx.diags)
}

fn negation(ctx: &mut Ctx<'_>, v: &SValue) -> Negation {
    let mut n = Negation::default();
    let Kind::Obj(fields) = &v.kind else {
        ctx.error(
            &v.span,
            "`negation` must be a table: { words = [...], window = 3 }",
        );
        return n;
    };
    for (key, kspan, value) in fields {
        match key.as_str() {
            "words" => {
                n.words = entry_list(ctx, "words", value)
                    .into_iter()
                    .map(|e| e.text)
                    .collect()
            }
            "window" => {
                if let Some(w) = ctx.positive_int("window", value) {
                    n.window = w as usize;
                }
            }
            other => ctx.unknown_key(other, kspan, "in `negation`", NEGATION_KEYS),
        }
    }
    n
}

fn category(ctx: &mut Ctx<'_>, v: &SValue) -> Option<Category> {
    let Kind::Obj(fields) = &v.kind else {
        ctx.error(
            &v.span,
            format!("each category must be a table, found {}", v.type_str()),
        );
        return None;
    };
    let mut cat = Category::new("", "", "", ctx.pos(&v.span));
    let mut has_id = false;
    for (key, kspan, value) in fields {
        match key.as_str() {
            "id" => {
                if let Some(id) = ctx.string("id", value) {
                    cat.id = id;
                    cat.pos = ctx.pos(&value.span);
                    has_id = true;
                }
            }
            "label" => cat.label = ctx.string("label", value).unwrap_or_default(),
            "description" => cat.description = ctx.string("description", value).unwrap_or_default(),
            "entries" => cat.entries = entry_list(ctx, "entries", value),
            "regex" => cat.regex = entry_list(ctx, "regex", value),
            "exclude" => cat.exclude = entry_list(ctx, "exclude", value),
            "threshold" => {
                if let Some(t) = ctx.positive_int("threshold", value) {
                    cat.threshold = t;
                }
            }
            "min_score" => match value.as_f64() {
                Some(x) if x.is_finite() && x > 0.0 => cat.min_score = Some(x),
                _ => ctx.error(&value.span, "`min_score` must be a number above 0"),
            },
            "negate" => cat.negate = ctx.boolean("negate", value).unwrap_or(false),
            "morphology" => {
                if let Some(m) = ctx.morphology(value) {
                    cat.morphology = m;
                    cat.morphology_set = true;
                }
            }
            "definition" => {
                cat.manual.definition = ctx.string("definition", value).unwrap_or_default()
            }
            "inclusion" => cat.manual.inclusion = string_list(ctx, "inclusion", value),
            "exclusion" => cat.manual.exclusion = string_list(ctx, "exclusion", value),
            "example" => cat.manual.examples = examples(ctx, value),
            other => ctx.unknown_key(other, kspan, "in a category", CATEGORY_KEYS),
        }
    }
    if !has_id {
        ctx.error(&v.span, "this category has no `id`");
        return None;
    }
    if cat.label.is_empty() {
        cat.label = cat.id.clone();
    }
    Some(cat)
}

fn string_list(ctx: &mut Ctx<'_>, key: &str, value: &SValue) -> Vec<String> {
    match &value.kind {
        Kind::Arr(items) => items.iter().filter_map(|i| ctx.string(key, i)).collect(),
        _ => {
            ctx.error(
                &value.span,
                format!(
                    "`{key}` must be a list of strings, found {}",
                    value.type_str()
                ),
            );
            Vec::new()
        }
    }
}

/// `[[category.example]]` tables.
fn examples(ctx: &mut Ctx<'_>, value: &SValue) -> Vec<super::Example> {
    let Kind::Arr(items) = &value.kind else {
        ctx.error(
            &value.span,
            "`example` must be a list of tables written `[[category.example]]`",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Kind::Obj(fields) = &item.kind else {
            ctx.error(
                &item.span,
                format!("each example must be a table, found {}", item.type_str()),
            );
            continue;
        };
        let mut ex = super::Example {
            coded: true,
            pos: ctx.pos(&item.span),
            ..Default::default()
        };
        let mut has_text = false;
        for (k, kspan, v) in fields {
            match k.as_str() {
                "text" => {
                    if let Some(t) = ctx.string("text", v) {
                        ex.text = t;
                        ex.pos = ctx.pos(&v.span);
                        has_text = true;
                    }
                }
                "lang" => ex.lang = ctx.string("lang", v).unwrap_or_default(),
                "coded" => ex.coded = ctx.boolean("coded", v).unwrap_or(true),
                "why" => ex.why = ctx.string("why", v).unwrap_or_default(),
                other => ctx.unknown_key(other, kspan, "in an example", EXAMPLE_KEYS),
            }
        }
        if has_text {
            out.push(ex);
        } else {
            ctx.error(&item.span, "an example needs a `text`");
        }
    }
    out
}

fn entry_list(ctx: &mut Ctx<'_>, key: &str, value: &SValue) -> Vec<Entry> {
    let Kind::Arr(items) = &value.kind else {
        ctx.error(
            &value.span,
            format!(
                "`{key}` must be a list, like {key} = [\"report\", \"advoca*\"], found {}",
                value.type_str()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match &item.kind {
            Kind::Str(s) => out.push(Entry::new(s.clone(), ctx.pos(&item.span))),
            Kind::Obj(fields) => {
                let mut e = Entry::new(String::new(), ctx.pos(&item.span));
                let mut has_term = false;
                for (k, kspan, v) in fields {
                    match k.as_str() {
                        "term" => {
                            if let Some(t) = ctx.string("term", v) {
                                e.text = t;
                                e.pos = ctx.pos(&v.span);
                                has_term = true;
                            }
                        }
                        "weight" => match v.as_f64() {
                            Some(w) if w.is_finite() => e.weight = w,
                            _ => ctx.error(&v.span, "`weight` must be a number"),
                        },
                        "case_sensitive" => {
                            e.case_sensitive = ctx.boolean("case_sensitive", v).unwrap_or(false)
                        }
                        "negate" => e.negate = ctx.boolean("negate", v),
                        other => ctx.unknown_key(other, kspan, "in an entry", ENTRY_KEYS),
                    }
                }
                if has_term {
                    out.push(e);
                } else {
                    ctx.error(&item.span, "an entry table needs a `term`, like { term = \"ECPAT\", case_sensitive = true }");
                }
            }
            _ => ctx.error(
                &item.span,
                format!(
                    "each item of `{key}` must be a string or a table with a `term`, found {}",
                    item.type_str()
                ),
            ),
        }
    }
    out
}

/// " (did you mean `x`?)" when a close key exists.
fn suggest(key: &str, allowed: &[&str]) -> String {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), a))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, a)| format!(" (did you mean `{a}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_categories_in_order_with_positions() {
        let src = "name = \"T\"\nversion = \"1\"\n\n[[category]]\nid = \"a\"\nentries = [\"x\", \"y z\"]\n\n[[category]]\nid = \"a.b\"\nthreshold = 2\nentries = [\"w\", { term = \"ECPAT\", case_sensitive = true, weight = 2.5 }]\n";
        let (parsed, diags) = parse_toml(src);
        assert!(diags.is_empty(), "{diags:?}");
        let p = parsed.unwrap();
        assert_eq!(p.name, "T");
        assert_eq!(p.categories.len(), 2);
        assert_eq!(p.categories[0].id, "a");
        assert_eq!(p.categories[0].entries[1].text, "y z");
        assert_eq!(
            p.categories[0].entries[1].pos,
            Pos {
                line: 6,
                column: 17
            }
        );
        assert_eq!(p.categories[1].threshold, 2);
        assert_eq!(p.categories[1].label, "a.b");
        let e = &p.categories[1].entries[1];
        assert_eq!(
            (e.text.as_str(), e.case_sensitive, e.weight),
            ("ECPAT", true, 2.5)
        );
    }

    #[test]
    fn reports_every_unknown_key_with_position() {
        let src = "name = \"T\"\nnmae = 1\n[[category]]\nid = \"a\"\nentires = [\"x\"]\nthreshold = \"2\"\n";
        let (_, diags) = parse_toml(src);
        assert_eq!(diags.len(), 3, "{diags:?}");
        assert_eq!(diags[0].pos, Pos { line: 2, column: 1 });
        assert!(diags[0].message.contains("did you mean `name`"));
        assert_eq!(diags[1].pos, Pos { line: 5, column: 1 });
        assert!(diags[1].message.contains("did you mean `entries`"));
        assert_eq!(
            diags[2].pos,
            Pos {
                line: 6,
                column: 13
            }
        );
    }

    #[test]
    fn syntax_error_has_position() {
        let (parsed, diags) = parse_toml("name = \"T\"\n[[category]\nid = 1\n");
        assert!(parsed.is_none());
        assert_eq!(diags[0].pos.line, 2);
        assert!(diags[0].message.starts_with("TOML syntax"));
    }

    #[test]
    fn json_uses_the_same_model_and_positions() {
        let src = "{\n  \"name\": \"T\",\n  \"negation\": {\"words\": [\"tidak\"], \"window\": 2},\n  \"category\": [\n    {\"id\": \"a\", \"entries\": [\"x\", {\"term\": \"y\", \"weight\": 2}], \"colour\": 1}\n  ]\n}\n";
        let (parsed, diags) = parse_json(src);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].pos,
            Pos {
                line: 5,
                column: 63
            }
        );
        let p = parsed.unwrap();
        assert_eq!(p.negation.words, vec!["tidak"]);
        assert_eq!(p.negation.window, 2);
        assert_eq!(p.categories[0].entries[1].weight, 2.0);
        let (_, diags) = parse_json("{\"name\": \"T\",\n \"category\": [}");
        assert_eq!(diags[0].pos.line, 2);
    }

    #[test]
    fn edit_distance_works() {
        assert_eq!(edit_distance("entires", "entries"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
