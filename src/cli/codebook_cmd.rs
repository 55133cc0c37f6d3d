//! `tanda codebook check|show|test|doc|import|export|init`.

use std::io::Write;
use std::path::Path;

use super::{CodebookFormat, load_codebook, print_diagnostics};
use crate::codebook::{self, Format, Matcher, Severity, export};
use crate::coder::{code_traced, explain};
use crate::error::{Error, exit};
use crate::report::write::{entry_text, write_atomic};

/// Validate a codebook; diagnostics go to standard output (they are the
/// command's result), one per line as `FILE:LINE:COLUMN: severity: message`.
pub(super) fn check(file: &Path) -> anyhow::Result<i32> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match codebook::load(Some(file)) {
        Ok((cb, warnings)) => {
            print_diagnostics(&mut out, &cb.origin, &warnings);
            let entries: usize = cb
                .categories
                .iter()
                .map(|c| c.entries.len() + c.regex.len())
                .sum();
            writeln!(
                out,
                "{}: ok: {} {} — {} categories, {} entries, {} warning(s)",
                cb.origin,
                cb.name,
                cb.version,
                cb.categories.len(),
                entries,
                warnings.len()
            )?;
            Ok(exit::OK)
        }
        Err(Error::Codebook {
            origin,
            diagnostics,
        }) => {
            print_diagnostics(&mut out, &origin, &diagnostics);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            writeln!(
                out,
                "{origin}: {errors} error(s); fix them and run the check again"
            )?;
            Ok(exit::CODEBOOK)
        }
        Err(e) => Err(e.into()),
    }
}

/// Word-wrap `text` at `width` columns with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Print the codebook as a tree.
pub(super) fn show(file: Option<&Path>) -> anyhow::Result<i32> {
    let cb = load_codebook(file, false)?;
    let m = Matcher::compile(&cb);
    let mut s = String::new();
    s.push_str(&format!(
        "{} {} ({}) sha256 {}\n",
        cb.name,
        cb.version,
        cb.origin,
        &cb.sha256[..12]
    ));
    if !cb.description.trim().is_empty() {
        s.push_str(&wrap(&cb.description, 76, ""));
    }
    s.push('\n');
    for c in &m.categories {
        let indent = "  ".repeat(c.depth);
        let own = c.entries.len() + c.regex.len();
        let total: usize = c
            .subtree
            .iter()
            .map(|&i| m.categories[i].entries.len() + m.categories[i].regex.len())
            .sum();
        let counts = if total == own {
            format!("{own} entries")
        } else {
            format!("{own} own entries, {total} with subcategories")
        };
        let threshold = if c.threshold > 1 {
            format!(", threshold {}", c.threshold)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "{indent}{} — {} ({counts}{threshold})\n",
            c.id, c.label
        ));
        s.push_str(&wrap(
            &c.description,
            72usize.saturating_sub(indent.len()),
            &format!("{indent}    "),
        ));
        let sample: Vec<&str> = c.entries.iter().take(8).map(String::as_str).collect();
        if !sample.is_empty() {
            let more = if c.entries.len() > 8 { ", …" } else { "" };
            s.push_str(&format!("{indent}    e.g. {}{more}\n", sample.join(", ")));
        }
        s.push('\n');
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(s.as_bytes())?;
    Ok(exit::OK)
}

/// `tanda codebook test FILE --text …`: word by word, what fired and why.
pub(super) fn test(file: &Path, text: Option<String>, input: Option<&Path>) -> anyhow::Result<i32> {
    let text = match (text, input) {
        (Some(t), _) => t,
        (None, Some(p)) => std::fs::read_to_string(p)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?,
        (None, None) => {
            crate::error::usage!("give the text to code with --text \"…\" or --file PATH")
        }
    };
    let cb = load_codebook(Some(file), false)?;
    let m = Matcher::compile(&cb);
    let (coded, traces) = code_traced(&m, &text);
    let tokens = crate::text::tokenize(&text);

    let mut rows: Vec<[String; 4]> = Vec::new();
    for atom in &tokens.atoms {
        let word = text[atom.span.clone()].to_string();
        let here: Vec<&crate::coder::Trace> = traces
            .iter()
            .filter(|t| atom.span.contains(&t.span.start))
            .collect();
        if here.is_empty() {
            rows.push([word, String::new(), String::new(), String::new()]);
            continue;
        }
        for (i, t) in here.iter().enumerate() {
            let matched = &text[t.span.clone()];
            let mut result = explain::fate_text(&m, &text, t);
            if matched.len() > atom.span.len() {
                result.push_str(&format!(" — matched `{matched}`"));
            }
            rows.push([
                if i == 0 { word.clone() } else { String::new() },
                m.categories[t.category].id.clone(),
                entry_text(&m, t.category, t.entry),
                result,
            ]);
        }
    }
    let widths: Vec<usize> = (0..3)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([["word", "category", "entry"][c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = format!(
        "codebook {} {} ({})\n{} words\n\n",
        cb.name, cb.version, cb.origin, tokens.words
    );
    let pad = |x: &str, w: usize| format!("{x}{}", " ".repeat(w.saturating_sub(x.chars().count())));
    s.push_str(&format!(
        "{}  {}  {}  result\n",
        pad("word", widths[0]),
        pad("category", widths[1]),
        pad("entry", widths[2])
    ));
    for r in &rows {
        let line = format!(
            "{}  {}  {}  {}",
            pad(&r[0], widths[0]),
            pad(&r[1], widths[1]),
            pad(&r[2], widths[2]),
            r[3]
        );
        s.push_str(line.trim_end());
        s.push('\n');
    }
    let coded_cats: Vec<&str> = m
        .categories
        .iter()
        .enumerate()
        .filter(|&(i, _)| coded.is_coded(&m, i))
        .map(|(_, c)| c.id.as_str())
        .collect();
    s.push_str("\nper category: hits, score and the rule that decided\n");
    s.push_str(&explain::explain(&m, &text, &coded, &traces));
    s.push_str(&format!(
        "\ncoded: {}\n",
        if coded_cats.is_empty() {
            "nothing".to_string()
        } else {
            coded_cats.join(", ")
        }
    ));
    std::io::stdout().lock().write_all(s.as_bytes())?;
    Ok(exit::OK)
}

/// `tanda codebook import FILE -o OUT.toml|.json`.
pub(super) fn import(file: &Path, output: &Path) -> anyhow::Result<i32> {
    let cb = load_codebook(Some(file), false)?;
    let text = match Format::from_path(&output.display().to_string()) {
        Format::Json => export::to_json(&cb),
        Format::Toml => export::to_toml(&cb),
        Format::Dic | Format::Dicx | Format::Cat | Format::Ykd | Format::Lc3 | Format::Yaml => {
            crate::error::usage!(
                "`import` writes tanda codebooks (.toml or .json); use `tanda codebook export --format dic|dicx|cat|ykd|lc3|yaml` for other tools' dictionaries"
            )
        }
    };
    write_atomic(output, |w| w.write_all(text.as_bytes()))?;
    let entries: usize = cb.categories.iter().map(|c| c.entries.len()).sum();
    eprintln!(
        "wrote {}: {} categories, {} entries",
        output.display(),
        cb.categories.len(),
        entries
    );
    Ok(exit::OK)
}

/// `tanda codebook export FILE --format F [-o OUT]`.
pub(super) fn export(
    file: &Path,
    format: CodebookFormat,
    output: Option<&Path>,
) -> anyhow::Result<i32> {
    let cb = load_codebook(Some(file), false)?;
    let (text, notes) = match format {
        CodebookFormat::Toml => (export::to_toml(&cb), Vec::new()),
        CodebookFormat::Json => (export::to_json(&cb), Vec::new()),
        CodebookFormat::Dic => export::to_dic(&cb),
        CodebookFormat::Dicx => export::to_dicx(&cb),
        CodebookFormat::Cat => codebook::wordstat::write(&cb),
        CodebookFormat::Ykd => codebook::yoshikoder::write(&cb),
        CodebookFormat::Lc3 => codebook::lexicoder::write(&cb),
        CodebookFormat::Yaml => codebook::yaml::write(&cb),
    };
    for n in &notes {
        eprintln!("note: {n}");
    }
    match output {
        Some(p) => {
            write_atomic(p, |w| w.write_all(text.as_bytes()))?;
            eprintln!("wrote {}", p.display());
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(exit::OK)
}

/// `tanda codebook init [FILE] [--force]`: the built-in codebook as shipped
/// (comments, definitions, rules and worked examples included) to start a
/// codebook of one's own. An existing FILE is never replaced without
/// `--force`; the file appears whole or not at all.
pub(super) fn init(file: &Path, force: bool) -> anyhow::Result<i32> {
    let text = codebook::BUILTIN_TAN.as_bytes();
    let refuse = || {
        anyhow::anyhow!(
            "{} already exists and was left as it is; give another FILE, or add --force to replace it",
            file.display()
        )
    };
    if force {
        write_atomic(file, |w| w.write_all(text))?;
    } else if !crate::report::write::write_new(file, |w| w.write_all(text))? {
        // Exists, or appeared while writing: never replaced without --force.
        return Err(refuse());
    }
    eprintln!(
        "wrote {}: the built-in codebook to edit (check it with `tanda codebook check {}`)",
        file.display(),
        file.display()
    );
    Ok(exit::OK)
}

/// `tanda codebook test FILE --examples`.
pub(super) fn test_examples(file: &Path) -> anyhow::Result<i32> {
    let cb = load_codebook(Some(file), false)?;
    let m = Matcher::compile(&cb);
    let checks = crate::report::manual::check_examples(&cb, &m);
    let mut out = std::io::stdout().lock();
    let failed: Vec<_> = checks.iter().filter(|c| c.expected != c.got).collect();
    for c in &failed {
        writeln!(
            out,
            "FAIL {}: {} example {} — {:?}{}",
            c.category,
            if c.expected { "positive" } else { "near-miss" },
            if c.got { "was coded" } else { "was not coded" },
            c.text,
            if c.why.is_empty() {
                String::new()
            } else {
                format!(" (why: {})", c.why)
            }
        )?;
    }
    let positives = checks.iter().filter(|c| c.expected).count();
    writeln!(
        out,
        "{}: {} examples ({} positive, {} near misses), {} passed, {} failed",
        cb.origin,
        checks.len(),
        positives,
        checks.len() - positives,
        checks.len() - failed.len(),
        failed.len()
    )?;
    if checks.is_empty() {
        writeln!(out, "note: the codebook has no [[category.example]] tables")?;
    }
    Ok(if failed.is_empty() {
        exit::OK
    } else {
        exit::EXAMPLES
    })
}

/// `tanda codebook doc [FILE] [-o OUT] [--reliability agree.json]`.
pub(super) fn doc(
    file: Option<&Path>,
    output: Option<&Path>,
    reliability: Option<&Path>,
) -> anyhow::Result<i32> {
    let cb = load_codebook(file, true)?;
    let m = Matcher::compile(&cb);
    let rel = match reliability {
        None => None,
        Some(p) => {
            let bytes = std::fs::read(p)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?;
            Some(
                serde_json::from_slice::<crate::report::manual::Reliability>(&bytes).map_err(
                    |e| {
                        anyhow::anyhow!(
                            "{}: not the JSON of `tanda agree --format json`: {e}",
                            p.display()
                        )
                    },
                )?,
            )
        }
    };
    let mut command = String::from("tanda codebook doc");
    if let Some(f) = file {
        command.push_str(&format!(" {}", f.display()));
    }
    if let Some(r) = reliability {
        command.push_str(&format!(" --reliability {}", r.display()));
    }
    let text = crate::report::manual::render(&cb, &m, rel.as_ref(), &command);
    match output {
        Some(p) => {
            write_atomic(p, |w| w.write_all(text.as_bytes()))?;
            eprintln!("wrote {}", p.display());
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(exit::OK)
}
