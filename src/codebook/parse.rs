//! Reading the TOML codebook format.
//!
//! We walk toml's spanned document tree ourselves instead of deriving serde
//! structs: serde stops at the first unknown key or wrong type, while a
//! codebook author wants every problem in one pass, each with its line and
//! column.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Category, Diagnostic, Entry, Pos, line_col_of_byte};

const TOP_KEYS: &[&str] = &["name", "version", "description", "category"];
const CATEGORY_KEYS: &[&str] = &[
    "id",
    "label",
    "description",
    "entries",
    "regex",
    "exclude",
    "threshold",
];

/// Name, version, description, categories.
pub type Parsed = (String, String, String, Vec<Category>);

struct Ctx<'s> {
    source: &'s str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn pos(&self, span: std::ops::Range<usize>) -> Pos {
        line_col_of_byte(self.source, span.start)
    }

    fn error(&mut self, span: std::ops::Range<usize>, msg: impl Into<String>) {
        let pos = self.pos(span);
        self.diags.push(Diagnostic::error(pos, msg));
    }
}

/// Parse a TOML codebook. Returns `None` for the model when the file is not
/// TOML at all; structural problems are diagnostics.
pub fn parse_toml(source: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
    let (doc, errors) = DeTable::parse_recoverable(source);
    let mut ctx = Ctx {
        source,
        diags: Vec::new(),
    };
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_string();
            ctx.error(span, format!("TOML syntax: {msg}"));
        }
        return (None, ctx.diags);
    }
    let table = doc.get_ref();

    let mut name = String::new();
    let mut version = String::new();
    let mut description = String::new();
    let mut categories = Vec::new();

    for (key, value) in table.iter() {
        match key.get_ref().as_ref() {
            "name" => name = string_value(&mut ctx, "name", value).unwrap_or_default(),
            "version" => version = string_value(&mut ctx, "version", value).unwrap_or_default(),
            "description" => {
                description = string_value(&mut ctx, "description", value).unwrap_or_default()
            }
            "category" => match value.get_ref() {
                DeValue::Array(items) => {
                    for item in items.iter() {
                        match item.get_ref() {
                            DeValue::Table(t) => {
                                if let Some(c) = parse_category(&mut ctx, t, item.span()) {
                                    categories.push(c);
                                }
                            }
                            other => ctx.error(
                                item.span(),
                                format!(
                                    "each category must be a table (`[[category]]`), found {}",
                                    other.type_str()
                                ),
                            ),
                        }
                    }
                }
                other => ctx.error(
                    value.span(),
                    format!(
                        "`category` must be an array of tables written `[[category]]`, found {}",
                        other.type_str()
                    ),
                ),
            },
            other => {
                let hint = suggest(other, TOP_KEYS);
                ctx.error(
                    key.span(),
                    format!(
                        "unknown key `{other}` at the top of the codebook{hint}; allowed: {}",
                        TOP_KEYS.join(", ")
                    ),
                )
            }
        }
    }
    if name.trim().is_empty() && !table.contains_key("name") {
        ctx.error(0..0, "the codebook has no `name = \"...\"` at the top");
    }
    if categories.is_empty() && !table.contains_key("category") {
        ctx.error(
            0..0,
            "the codebook has no categories; add at least one `[[category]]` table",
        );
    }
    ctx.diags.sort_by_key(|d| (d.pos.line, d.pos.column));
    (Some((name, version, description, categories)), ctx.diags)
}

fn parse_category(
    ctx: &mut Ctx<'_>,
    t: &DeTable<'_>,
    span: std::ops::Range<usize>,
) -> Option<Category> {
    let mut cat = Category {
        id: String::new(),
        label: String::new(),
        description: String::new(),
        entries: Vec::new(),
        regex: Vec::new(),
        exclude: Vec::new(),
        threshold: 1,
        pos: ctx.pos(span.clone()),
    };
    let mut has_id = false;
    for (key, value) in t.iter() {
        let k = key.get_ref().as_ref();
        match k {
            "id" => {
                if let Some(id) = string_value(ctx, "id", value) {
                    cat.id = id;
                    cat.pos = ctx.pos(value.span());
                    has_id = true;
                }
            }
            "label" => cat.label = string_value(ctx, "label", value).unwrap_or_default(),
            "description" => {
                cat.description = string_value(ctx, "description", value).unwrap_or_default()
            }
            "entries" => cat.entries = entry_list(ctx, "entries", value),
            "regex" => cat.regex = entry_list(ctx, "regex", value),
            "exclude" => cat.exclude = entry_list(ctx, "exclude", value),
            "threshold" => match value.get_ref() {
                DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) if (1..=u32::MAX as i64).contains(&n) => cat.threshold = n as u32,
                    _ => ctx.error(
                        value.span(),
                        "`threshold` must be a whole number of at least 1",
                    ),
                },
                other => ctx.error(
                    value.span(),
                    format!(
                        "`threshold` must be a whole number, found {}",
                        other.type_str()
                    ),
                ),
            },
            other => {
                let hint = suggest(other, CATEGORY_KEYS);
                ctx.error(
                    key.span(),
                    format!(
                        "unknown key `{other}` in a category{hint}; allowed: {}",
                        CATEGORY_KEYS.join(", ")
                    ),
                )
            }
        }
    }
    if !has_id {
        ctx.error(span, "this category has no `id`");
        return None;
    }
    if cat.label.is_empty() {
        cat.label = cat.id.clone();
    }
    Some(cat)
}

fn string_value(ctx: &mut Ctx<'_>, key: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        other => {
            ctx.error(
                value.span(),
                format!("`{key}` must be a string, found {}", other.type_str()),
            );
            None
        }
    }
}

fn entry_list(ctx: &mut Ctx<'_>, key: &str, value: &Spanned<DeValue<'_>>) -> Vec<Entry> {
    let DeValue::Array(items) = value.get_ref() else {
        ctx.error(
            value.span(),
            format!(
                "`{key}` must be a list of strings, like {key} = [\"report\", \"advoca*\"], found {}",
                value.get_ref().type_str()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => out.push(Entry {
                text: s.to_string(),
                pos: ctx.pos(item.span()),
            }),
            other => ctx.error(
                item.span(),
                format!(
                    "each item of `{key}` must be a string, found {}",
                    other.type_str()
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
        let src = "name = \"T\"\nversion = \"1\"\n\n[[category]]\nid = \"a\"\nentries = [\"x\", \"y z\"]\n\n[[category]]\nid = \"a.b\"\nthreshold = 2\nentries = [\"w\"]\n";
        let (parsed, diags) = parse_toml(src);
        assert!(diags.is_empty(), "{diags:?}");
        let (name, _, _, cats) = parsed.unwrap();
        assert_eq!(name, "T");
        assert_eq!(cats.len(), 2);
        assert_eq!(cats[0].id, "a");
        assert_eq!(cats[0].entries[1].text, "y z");
        assert_eq!(
            cats[0].entries[1].pos,
            Pos {
                line: 6,
                column: 17
            }
        );
        assert_eq!(cats[1].threshold, 2);
        assert_eq!(cats[1].label, "a.b");
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
    fn edit_distance_works() {
        assert_eq!(edit_distance("entires", "entries"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
