//! Writing a codebook in each supported format. TOML and JSON keep
//! everything; LIWC formats keep categories and plain entries (and weights in
//! `.dicx`) and list what they cannot express.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{Category, Codebook, Entry, Example, Morphology, Negation};

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn entry_toml(e: &Entry) -> String {
    if e.weight == 1.0 && !e.case_sensitive && e.negate.is_none() {
        return q(&e.text);
    }
    let mut parts = vec![format!("term = {}", q(&e.text))];
    if e.weight != 1.0 {
        parts.push(format!("weight = {}", toml::Value::Float(e.weight)));
    }
    if e.case_sensitive {
        parts.push("case_sensitive = true".into());
    }
    if let Some(n) = e.negate {
        parts.push(format!("negate = {n}"));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn list_toml(key: &str, entries: &[Entry], out: &mut String) {
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key} = [");
    for e in entries {
        let _ = writeln!(out, "  {},", entry_toml(e));
    }
    out.push_str("]\n");
}

fn morph_name(m: Option<Morphology>) -> &'static str {
    match m {
        Some(Morphology::Indonesian) => "id",
        None => "none",
    }
}

fn strings_toml(key: &str, items: &[String], out: &mut String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key} = [");
    for s in items {
        let _ = writeln!(out, "  {},", q(s));
    }
    out.push_str("]\n");
}

/// The codebook as TOML, readable and round-trippable: everything the model
/// holds (settings, entries, the coding manual with its worked examples)
/// survives; only comments and layout of the original file do not (`tanda
/// codebook init` writes the built-in codebook with its comments).
pub fn to_toml(cb: &Codebook) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "name = {}", q(&cb.name));
    if !cb.version.is_empty() {
        let _ = writeln!(out, "version = {}", q(&cb.version));
    }
    if !cb.description.is_empty() {
        let _ = writeln!(out, "description = {}", q(&cb.description));
    }
    if cb.morphology.is_some() {
        let _ = writeln!(out, "morphology = {}", q(morph_name(cb.morphology)));
    }
    if cb.negation != Negation::default() {
        let words: Vec<String> = cb.negation.words.iter().map(|w| q(w)).collect();
        let _ = writeln!(
            out,
            "negation = {{ words = [{}], window = {} }}",
            words.join(", "),
            cb.negation.window
        );
    }
    for c in &cb.categories {
        out.push_str("\n[[category]]\n");
        let _ = writeln!(out, "id = {}", q(&c.id));
        if c.label != c.id {
            let _ = writeln!(out, "label = {}", q(&c.label));
        }
        if !c.description.is_empty() {
            let _ = writeln!(out, "description = {}", q(&c.description));
        }
        if !c.manual.definition.is_empty() {
            let _ = writeln!(out, "definition = {}", q(&c.manual.definition));
        }
        strings_toml("inclusion", &c.manual.inclusion, &mut out);
        strings_toml("exclusion", &c.manual.exclusion, &mut out);
        if c.threshold != 1 {
            let _ = writeln!(out, "threshold = {}", c.threshold);
        }
        if let Some(s) = c.min_score {
            let _ = writeln!(out, "min_score = {}", toml::Value::Float(s));
        }
        if c.negate {
            out.push_str("negate = true\n");
        }
        if c.morphology_set && c.morphology != cb.morphology {
            let _ = writeln!(out, "morphology = {}", q(morph_name(c.morphology)));
        }
        list_toml("entries", &c.entries, &mut out);
        list_toml("regex", &c.regex, &mut out);
        list_toml("exclude", &c.exclude, &mut out);
        // Sub-tables last: after `[[category.example]]` every key belongs to
        // the example.
        for ex in &c.manual.examples {
            out.push_str("\n[[category.example]]\n");
            let _ = writeln!(out, "text = {}", q(&ex.text));
            if !ex.lang.is_empty() {
                let _ = writeln!(out, "lang = {}", q(&ex.lang));
            }
            let _ = writeln!(out, "coded = {}", ex.coded);
            if !ex.why.is_empty() {
                let _ = writeln!(out, "why = {}", q(&ex.why));
            }
        }
    }
    out
}

fn entry_json(e: &Entry) -> Value {
    if e.weight == 1.0 && !e.case_sensitive && e.negate.is_none() {
        return Value::String(e.text.clone());
    }
    let mut m = Map::new();
    m.insert("term".into(), json!(e.text));
    if e.weight != 1.0 {
        m.insert("weight".into(), json!(e.weight));
    }
    if e.case_sensitive {
        m.insert("case_sensitive".into(), json!(true));
    }
    if let Some(n) = e.negate {
        m.insert("negate".into(), json!(n));
    }
    Value::Object(m)
}

fn example_json(ex: &Example) -> Value {
    let mut m = Map::new();
    m.insert("text".into(), json!(ex.text));
    if !ex.lang.is_empty() {
        m.insert("lang".into(), json!(ex.lang));
    }
    m.insert("coded".into(), json!(ex.coded));
    if !ex.why.is_empty() {
        m.insert("why".into(), json!(ex.why));
    }
    Value::Object(m)
}

fn category_json(cb: &Codebook, c: &Category) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(c.id));
    m.insert("label".into(), json!(c.label));
    if !c.description.is_empty() {
        m.insert("description".into(), json!(c.description));
    }
    if !c.manual.definition.is_empty() {
        m.insert("definition".into(), json!(c.manual.definition));
    }
    if !c.manual.inclusion.is_empty() {
        m.insert("inclusion".into(), json!(c.manual.inclusion));
    }
    if !c.manual.exclusion.is_empty() {
        m.insert("exclusion".into(), json!(c.manual.exclusion));
    }
    if c.threshold != 1 {
        m.insert("threshold".into(), json!(c.threshold));
    }
    if let Some(s) = c.min_score {
        m.insert("min_score".into(), json!(s));
    }
    if c.negate {
        m.insert("negate".into(), json!(true));
    }
    if c.morphology_set && c.morphology != cb.morphology {
        m.insert("morphology".into(), json!(morph_name(c.morphology)));
    }
    for (k, list) in [
        ("entries", &c.entries),
        ("regex", &c.regex),
        ("exclude", &c.exclude),
    ] {
        if !list.is_empty() {
            m.insert(
                k.into(),
                Value::Array(list.iter().map(entry_json).collect()),
            );
        }
    }
    if !c.manual.examples.is_empty() {
        m.insert(
            "example".into(),
            Value::Array(c.manual.examples.iter().map(example_json).collect()),
        );
    }
    Value::Object(m)
}

/// The codebook as JSON (same model as TOML, everything kept; see
/// `codebooks/codebook.schema.json`).
pub fn to_json(cb: &Codebook) -> String {
    let mut m = Map::new();
    m.insert("name".into(), json!(cb.name));
    if !cb.version.is_empty() {
        m.insert("version".into(), json!(cb.version));
    }
    if !cb.description.is_empty() {
        m.insert("description".into(), json!(cb.description));
    }
    if cb.morphology.is_some() {
        m.insert("morphology".into(), json!(morph_name(cb.morphology)));
    }
    if cb.negation != Negation::default() {
        m.insert(
            "negation".into(),
            json!({"words": cb.negation.words, "window": cb.negation.window}),
        );
    }
    m.insert(
        "category".into(),
        Value::Array(cb.categories.iter().map(|c| category_json(cb, c)).collect()),
    );
    let mut s = serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_default();
    s.push('\n');
    s
}

/// Version tag of [`canonical_json`]; part of the hashed text, so a future
/// change of the canonical form cannot collide with this one.
pub const CANONICAL_FORM: &str = "tanda-codebook-canonical/1";

fn canonical_entries(list: &[Entry]) -> Value {
    Value::Array(
        list.iter()
            .map(|e| {
                json!({
                    "term": e.text,
                    "weight": e.weight,
                    "case_sensitive": e.case_sensitive,
                    "negate": e.negate,
                })
            })
            .collect(),
    )
}

/// The codebook's canonical form: compact JSON of everything the model
/// holds, every field written out (defaults included, category morphology
/// resolved), keys in a fixed order, no positions, no origin. Two codebooks
/// with the same canonical form code every text alike and print the same
/// manual; [`super::Codebook::sha256`] is the SHA-256 of this text, so the
/// hash survives a TOML or JSON export and re-import.
pub fn canonical_json(cb: &Codebook) -> String {
    let categories: Vec<Value> = cb
        .categories
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "label": c.label,
                "description": c.description,
                "threshold": c.threshold,
                "min_score": c.min_score,
                "negate": c.negate,
                "morphology": morph_name(c.morphology),
                "entries": canonical_entries(&c.entries),
                "regex": canonical_entries(&c.regex),
                "exclude": canonical_entries(&c.exclude),
                "definition": c.manual.definition,
                "inclusion": c.manual.inclusion,
                "exclusion": c.manual.exclusion,
                "examples": c.manual.examples.iter().map(|x| json!({
                    "text": x.text,
                    "lang": x.lang,
                    "coded": x.coded,
                    "why": x.why,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = json!({
        "canonical": CANONICAL_FORM,
        "name": cb.name,
        "version": cb.version,
        "description": cb.description,
        "morphology": morph_name(cb.morphology),
        "negation": {"words": cb.negation.words, "window": cb.negation.window},
        "category": categories,
    });
    // Keys sorted here (whether or not serde_json's `preserve_order` is on),
    // floats in their shortest round-trip form: the text is a function of
    // the values alone.
    sort_keys(v).to_string()
}

fn sort_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut pairs: Vec<(String, Value)> = m.into_iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(pairs.into_iter().map(|(k, v)| (k, sort_keys(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sort_keys).collect()),
        other => other,
    }
}

/// What an export to another tool's format had to leave out. `kept`
/// says which proximity rules the format writes after all (LIWC2007
/// conditionals in `.dic`).
pub(crate) fn lossy_notes(
    cb: &Codebook,
    weights_ok: bool,
    kept: &dyn Fn(&Entry) -> bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    for c in &cb.categories {
        let mut lost = Vec::new();
        if !c.regex.is_empty() {
            lost.push(format!("{} regex", c.regex.len()));
        }
        if !c.exclude.is_empty() {
            lost.push(format!("{} exclusion(s)", c.exclude.len()));
        }
        let prox = c
            .entries
            .iter()
            .filter(|e| {
                super::Rule::parse(&e.text).is_ok_and(|r| !matches!(r, super::Rule::Pattern(_)))
                    && !kept(e)
            })
            .count();
        if prox > 0 {
            lost.push(format!("{prox} proximity rule(s)"));
        }
        if c.entries.iter().any(|e| e.case_sensitive) {
            lost.push("case sensitivity".into());
        }
        if !weights_ok && c.entries.iter().any(|e| e.weight != 1.0) {
            lost.push("weights".into());
        }
        if c.threshold != 1 || c.min_score.is_some() {
            lost.push("threshold".into());
        }
        if c.negate || c.entries.iter().any(|e| e.negate.is_some()) {
            lost.push("negation".into());
        }
        if c.morphology.is_some() {
            lost.push("morphology".into());
        }
        if !c.manual.definition.is_empty()
            || !c.manual.inclusion.is_empty()
            || !c.manual.exclusion.is_empty()
            || !c.manual.examples.is_empty()
        {
            lost.push("coding manual".into());
        }
        if !lost.is_empty() {
            notes.push(format!(
                "category `{}`: {} not expressible, left out",
                c.id,
                lost.join(", ")
            ));
        }
    }
    notes
}

/// Is the entry a plain word, glob or phrase (what every dictionary format
/// holds)?
pub(crate) fn exportable(e: &Entry) -> bool {
    matches!(super::Rule::parse(&e.text), Ok(super::Rule::Pattern(_)))
}

/// A proximity rule of the shape a LIWC2007 conditional takes: `AFTER` or
/// `NOTAFTER(word, @c1 | @c2, 1)` (previous word in a category) or
/// `BEFORE`/`NOTBEFORE(word, w1 | w2, 1)` (next word one of these words).
/// Returns (term, previous-word?, context operands as written, holds?).
fn liwc_conditional(e: &Entry) -> Option<(String, bool, Vec<String>, bool)> {
    use super::rule::{Operand, Order};
    let Ok(super::Rule::Proximity {
        a: Operand::Pattern(_),
        b,
        window: 1,
        order,
    }) = super::Rule::parse(&e.text)
    else {
        return None;
    };
    if e.case_sensitive || e.weight != 1.0 || e.negate.is_some() {
        return None;
    }
    let (base, complement) = order.base();
    let previous = match base {
        Order::After => true,
        Order::Before => false,
        Order::Near | Order::NotNear | Order::NotBefore | Order::NotAfter => return None,
    };
    let mut ops = Vec::new();
    for o in b.alternatives() {
        match (o, previous) {
            (Operand::Category(id), true) => ops.push(id.clone()),
            (Operand::Pattern(p), false) if p.atoms.len() == 1 => ops.push(p.key()),
            _ => return None,
        }
    }
    // The term as LIWC writes it: the rule's text between `(` and the first
    // comma (patterns keep `*` as written).
    let inner = e.text.split_once('(')?.1;
    let term = inner.split_once(',')?.0.trim().to_lowercase();
    if term.is_empty()
        || ops
            .iter()
            .any(|o| o.contains(|c: char| c.is_whitespace() || "<>()/".contains(c)))
    {
        return None;
    }
    Some((term, previous, ops, !complement))
}

/// The codebook as a LIWC `.dic` (2015 style: hierarchy by tabs, multi-word
/// entries; proximity rules of the shape of LIWC2007 conditionals written
/// back as `(A B)X/Y` and `<word>X/Y`), with notes on what was left out.
pub fn to_dic(cb: &Codebook) -> (String, Vec<String>) {
    let matcher = super::Matcher::compile(cb);
    let mut out = String::from("%\n");
    // Number categories in tree order, 1…
    let mut num: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in matcher.categories.iter().enumerate() {
        num.insert(&c.id, i + 1);
        let leaf = c.id.rsplit('.').next().unwrap_or(&c.id);
        let _ = writeln!(out, "{}\t{}{}", i + 1, "\t".repeat(c.depth), leaf);
    }
    out.push_str("%\n");
    let mut terms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // (term, previous?, context) → (categories where it holds, where not).
    type CondKey = (String, bool, Vec<String>);
    let mut conds: BTreeMap<CondKey, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for c in &cb.categories {
        let n = num.get(c.id.as_str()).copied().unwrap_or(0);
        for e in &c.entries {
            if exportable(e) {
                let ids = terms.entry(e.text.to_lowercase()).or_default();
                if !ids.contains(&n) {
                    ids.push(n);
                }
            } else if let Some((term, previous, mut ops, holds)) = liwc_conditional(e) {
                if previous {
                    ops = ops
                        .iter()
                        .map(|id| num.get(id.as_str()).map_or(String::new(), usize::to_string))
                        .collect();
                }
                terms.entry(term.clone()).or_default();
                let slot = conds.entry((term, previous, ops)).or_default();
                if holds { &mut slot.0 } else { &mut slot.1 }.push(n);
            }
        }
    }
    let mut specs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ((term, previous, ops), (yes, no)) in conds {
        let cond = if previous {
            format!("({})", ops.join(" "))
        } else {
            format!("<{}>", ops.join(" "))
        };
        for i in 0..yes.len().max(no.len()) {
            let side = |v: &[usize]| v.get(i).map_or(String::new(), usize::to_string);
            specs.entry(term.clone()).or_default().push(format!(
                "{cond}{}/{}",
                side(&yes),
                side(&no)
            ));
        }
    }
    for (term, mut ids) in terms {
        ids.sort_unstable();
        let mut fields: Vec<String> = specs.remove(&term).unwrap_or_default();
        fields.extend(ids.iter().map(usize::to_string));
        let _ = writeln!(out, "{term}\t{}", fields.join("\t"));
    }
    (
        out,
        lossy_notes(cb, false, &|e: &Entry| liwc_conditional(e).is_some()),
    )
}

/// The codebook as a LIWC-22 `.dicx` (CSV; weights kept).
pub fn to_dicx(cb: &Codebook) -> (String, Vec<String>) {
    let mut terms: BTreeMap<String, BTreeMap<usize, f64>> = BTreeMap::new();
    for (ci, c) in cb.categories.iter().enumerate() {
        for e in c.entries.iter().filter(|e| exportable(e)) {
            terms
                .entry(e.text.to_lowercase())
                .or_default()
                .insert(ci, e.weight);
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["DicTerm".to_string()];
    header.extend(cb.categories.iter().map(|c| c.id.clone()));
    let _ = w.write_record(&header);
    for (term, cats) in terms {
        let mut row = vec![term];
        for ci in 0..cb.categories.len() {
            row.push(match cats.get(&ci) {
                None => String::new(),
                Some(&1.0) => "X".into(),
                Some(x) => x.to_string(),
            });
        }
        let _ = w.write_record(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    (
        String::from_utf8_lossy(&bytes).into_owned(),
        lossy_notes(cb, true, &|_: &Entry| false),
    )
}

#[cfg(test)]
mod tests {
    use super::super::from_bytes;
    use super::*;

    const SRC: &str = r#"name = "T"
version = "2"
[[category]]
id = "a"
label = "Alpha"
description = "Say \"why\"."
entries = ["report", "advoca*", { term = "ECPAT", case_sensitive = true }, { term = "lobby", weight = 2.5 }]
exclude = ["data sekunder"]
definition = "What alpha means."
inclusion = ["Code when x.", "Code when y."]
exclusion = ["Not when z."]
[[category.example]]
text = "They report."
lang = "en"
why = "A report."
[[category.example]]
text = "No."
coded = false
[[category]]
id = "a.b"
threshold = 2
min_score = 1.5
negate = true
morphology = "id"
entries = ["national plan of action", "NEAR(ngo, lobb*, 5)", { term = "x", weight = 0, negate = false }]
regex = [{ term = "\\d+ cases", weight = -2 }]
"#;

    fn load(bytes: &[u8], name: &str) -> Codebook {
        from_bytes(bytes, name)
            .unwrap_or_else(|d| panic!("{d:#?}"))
            .0
    }

    #[test]
    fn toml_and_json_round_trip_everything() {
        let cb = load(SRC.as_bytes(), "t.toml");
        let t = load(to_toml(&cb).as_bytes(), "x.toml");
        let j = load(to_json(&cb).as_bytes(), "x.json");
        for other in [&t, &j] {
            assert_eq!(other.name, cb.name);
            assert_eq!(other.version, cb.version);
            assert_eq!(other.categories.len(), cb.categories.len());
            for (x, y) in cb.categories.iter().zip(&other.categories) {
                assert_eq!(
                    (&x.id, &x.label, &x.description, x.threshold),
                    (&y.id, &y.label, &y.description, y.threshold)
                );
                let strip = |v: &[Entry]| {
                    v.iter()
                        .map(|e| (e.text.clone(), e.weight, e.case_sensitive, e.negate))
                        .collect::<Vec<_>>()
                };
                assert_eq!(strip(&x.entries), strip(&y.entries));
                assert_eq!(strip(&x.regex), strip(&y.regex));
                assert_eq!(strip(&x.exclude), strip(&y.exclude));
                assert_eq!(
                    (x.min_score, x.negate, x.morphology),
                    (y.min_score, y.negate, y.morphology)
                );
                let ex = |c: &Category| {
                    c.manual
                        .examples
                        .iter()
                        .map(|e| (e.text.clone(), e.lang.clone(), e.coded, e.why.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    (
                        &x.manual.definition,
                        &x.manual.inclusion,
                        &x.manual.exclusion
                    ),
                    (
                        &y.manual.definition,
                        &y.manual.inclusion,
                        &y.manual.exclusion
                    )
                );
                assert_eq!(ex(x), ex(y));
            }
            assert_eq!(other.sha256, cb.sha256);
            assert_ne!(other.file_sha256, cb.file_sha256);
        }
        assert_eq!(cb.categories[0].manual.examples.len(), 2);
        assert_eq!(cb.categories[0].manual.inclusion.len(), 2);
    }

    #[test]
    fn the_hash_follows_the_model_not_the_layout() {
        let cb = load(SRC.as_bytes(), "t.toml");
        // Layout and comments do not change it…
        let spaced = format!("# a comment\n\n{}", SRC.replace(" = ", "   =   "));
        assert_eq!(load(spaced.as_bytes(), "t.toml").sha256, cb.sha256);
        // …any change of what the model holds does.
        for (from, to) in [
            ("weight = 2.5", "weight = 2.4"),
            ("A report.", "A report"),
            ("coded = false", "coded = true"),
            ("threshold = 2", "threshold = 3"),
            ("\"advoca*\", ", ""),
        ] {
            assert!(SRC.contains(from), "{from}");
            let changed = load(SRC.replace(from, to).as_bytes(), "t.toml");
            assert_ne!(changed.sha256, cb.sha256, "{from} -> {to}");
        }
    }

    #[test]
    fn dic_round_trip_keeps_categories_and_plain_entries() {
        let cb = load(SRC.as_bytes(), "t.toml");
        let (dic, notes) = to_dic(&cb);
        assert!(notes.iter().any(|n| n.contains("`a`")
            && n.contains("exclusion")
            && n.contains("case sensitivity")));
        assert!(
            notes
                .iter()
                .any(|n| n.contains("`a.b`") && n.contains("proximity"))
        );
        let back = load(dic.as_bytes(), "x.dic");
        let ids: Vec<&str> = back.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "a.b"]);
        let a: Vec<&str> = back.categories[0]
            .entries
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(a, vec!["advoca*", "ecpat", "lobby", "report"]);
        let (dicx, _) = to_dicx(&cb);
        let back = load(dicx.as_bytes(), "x.dicx");
        let lobby = back.categories[0]
            .entries
            .iter()
            .find(|e| e.text == "lobby")
            .unwrap();
        assert_eq!(lobby.weight, 2.5);
    }
}
