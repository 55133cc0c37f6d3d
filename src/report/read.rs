//! Reading a results folder written by `tanda analyze --out`, so that later
//! steps (diff, sample, agree, report) work from the files a researcher may
//! have opened and even corrected in a spreadsheet.

use std::collections::HashSet;
use std::path::Path;

use super::write::CategoryRecord;
use crate::error::Error;
use crate::jsonl::whole_u32;

/// One row of passages.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageRow {
    pub doc_id: String,
    pub passage_id: String,
    pub unit: String,
    /// Aligned to [`Results::fields`].
    pub metadata: Vec<String>,
    pub words: u64,
    /// Aligned to [`Results::categories`]: the coding decision (the
    /// category's own column, which a researcher may have corrected).
    pub coded: Vec<bool>,
    /// Aligned to [`Results::categories`]: counted hits (`ID:hits`).
    pub counts: Vec<u32>,
    /// Aligned to [`Results::categories`]: counter-indicator hits
    /// (`ID:counter`, weighted codebooks; zeros when absent).
    pub counter: Vec<u32>,
    /// Present when the codebook was weighted.
    pub scores: Option<Vec<f64>>,
    pub matched: String,
    pub text: String,
}

/// One row of hits.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitRow {
    pub doc_id: String,
    pub passage_id: String,
    pub category: String,
    pub entry: String,
    pub matched: String,
    /// Character offsets in the passage text.
    pub start: usize,
    pub end: usize,
    /// `12`, or `3:12` (page:line) for paginated sources.
    pub line: String,
    /// Counted (false: a counter-indicator, weight 0 or less).
    pub counted: bool,
}

/// A results folder.
#[derive(Debug, Clone)]
pub struct Results {
    pub dir: String,
    pub codebook_name: String,
    pub codebook_version: String,
    pub codebook_sha256: String,
    /// The counting policy the results were coded under: run.json's
    /// `counting_policy.id`; JSON lines do not record one and are taken to
    /// be this tanda's ([`crate::coder::POLICY_ID`]).
    pub policy_id: String,
    pub unit: String,
    pub categories: Vec<CategoryRecord>,
    pub fields: Vec<String>,
    pub passages: Vec<PassageRow>,
    /// SHA-256 of the file the passages were read from (passages.csv, or
    /// the JSON lines): the same results given twice are told by it.
    pub sha256: String,
    /// passages.csv differs from the file tanda wrote (its rows still
    /// match run.json): codes corrected by hand. False when run.json
    /// records no checksum (results of an older tanda) or for JSON lines.
    pub edited: bool,
}

impl Results {
    /// Is the passage coded for category `c`? The decision as the results
    /// say it (passages.csv's category column, JSON lines' `coded`), so a
    /// code corrected in a spreadsheet is the code every later step uses.
    pub fn is_coded(&self, p: &PassageRow, c: usize) -> bool {
        p.coded[c]
    }
}

/// The decision the thresholds give, for results that do not state it
/// (passages.csv of tanda before 0.2, JSON lines without `coded`).
fn decide(cat: &CategoryRecord, count: u32, score: Option<f64>) -> bool {
    // Without scores a weighted category's score is unknown: not coded.
    let score = score.unwrap_or(if cat.min_score.is_some() {
        f64::NEG_INFINITY
    } else {
        0.0
    });
    crate::coder::decides(cat.threshold, cat.min_score, count, score)
}

/// A decision cell as a spreadsheet holds it: 1/0 (also `1.0`), TRUE/FALSE,
/// yes/no, x.
fn decision(v: &str) -> Option<bool> {
    let t = v.trim();
    if let Ok(x) = t.parse::<f64>() {
        return match x {
            1.0 => Some(true),
            0.0 => Some(false),
            _ => None,
        };
    }
    match t.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "x" => Some(true),
        "false" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// Undo the spreadsheet guard of [`super::write::safe_cell`].
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

fn err(path: &Path, message: impl Into<String>) -> Error {
    Error::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Read the run record of a results folder.
fn run_record(dir: &Path) -> Result<serde_json::Value, Error> {
    let p = dir.join("run.json");
    let bytes = std::fs::read(&p).map_err(|e| {
        err(
            &p,
            format!("cannot read ({e}); a results folder is what `tanda analyze --out DIR` writes"),
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| err(&p, format!("not valid JSON: {e}")))
}

/// Read the coded passages `tanda code --jsonl` wrote to `path`, as results
/// of the codebook compiled into `matcher` (the lines name categories, not the
/// codebook: the caller says which one coded them). Each line is a
/// [`crate::jsonl::Record`], the type `tanda code` writes; a line that is not
/// one is an error naming the line (results must be whole to be counted).
pub fn read_jsonl(
    path: &Path,
    cb: &crate::codebook::Codebook,
    matcher: &crate::codebook::Matcher,
) -> Result<Results, Error> {
    use crate::jsonl::{DEFAULT_MAX_DOC_MB, Lines, MB, Record, json_message, record_cap};
    let file = std::fs::File::open(path).map_err(|e| err(path, format!("cannot open: {e}")))?;
    let categories = CategoryRecord::of(matcher);
    let mut fields: Vec<String> = Vec::new();
    let mut rows: Vec<(Record, usize)> = Vec::new();
    let mut lines = Lines::new(
        std::io::BufReader::new(crate::hash::Hashing::new(file)),
        record_cap(DEFAULT_MAX_DOC_MB * MB),
    );
    while let Some((n, line)) = lines
        .next_line()
        .map_err(|e| err(path, format!("cannot read: {e}")))?
    {
        let line = line.map_err(|e| err(path, format!("line {n}: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let rec = Record::from_line(&line).map_err(|e| {
            err(
                path,
                format!(
                    "line {n}: {}; each line must be a record `tanda code --jsonl` wrote",
                    json_message(&e)
                ),
            )
        })?;
        for k in rec.metadata.keys() {
            if !fields.contains(k) {
                fields.push(k.clone());
            }
        }
        rows.push((rec, n));
    }
    let sha256 = lines
        .into_inner()
        .into_inner()
        .finish()
        .map_err(|e| err(path, format!("cannot read: {e}")))?;
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut unit = String::new();
    let mut passages = Vec::with_capacity(rows.len());
    for (rec, line) in rows {
        let counts = categories
            .iter()
            .map(|c| {
                rec.counts
                    .get(&c.id)
                    .copied()
                    .ok_or_else(|| err(path, format!("line {line}: no `counts.{}`", c.id)))
            })
            .collect::<Result<Vec<u32>, Error>>()?;
        let counter = categories
            .iter()
            .map(|c| {
                rec.counter
                    .as_ref()
                    .and_then(|m| m.get(&c.id).copied())
                    .unwrap_or(0)
            })
            .collect();
        let scores = rec.scores.as_ref().map(|sc| {
            categories
                .iter()
                .map(|c| sc.get(&c.id).copied().unwrap_or(0.0))
                .collect::<Vec<f64>>()
        });
        let coded = match &rec.coded {
            Some(ids) => categories.iter().map(|c| ids.contains(&c.id)).collect(),
            None => categories
                .iter()
                .enumerate()
                .map(|(ci, c)| decide(c, counts[ci], scores.as_ref().map(|s| s[ci])))
                .collect(),
        };
        if unit.is_empty() {
            unit = rec.unit.clone();
        }
        passages.push(PassageRow {
            metadata: fields.iter().map(|f| text(rec.metadata.get(f))).collect(),
            doc_id: rec.doc_id,
            passage_id: rec.passage_id,
            unit: rec.unit,
            words: rec.words,
            coded,
            counts,
            counter,
            scores,
            matched: String::new(),
            text: rec.text,
        });
    }
    Ok(Results {
        dir: path.display().to_string(),
        codebook_name: cb.name.clone(),
        codebook_version: cb.version.clone(),
        codebook_sha256: cb.sha256.clone(),
        policy_id: crate::coder::POLICY_ID.to_string(),
        unit,
        categories,
        fields,
        passages,
        sha256,
        edited: false,
    })
}

/// Read passages.csv (and run.json) of a results folder.
pub fn read_results(dir: &Path) -> Result<Results, Error> {
    let run = run_record(dir)?;
    let rj = dir.join("run.json");
    let categories: Vec<CategoryRecord> =
        serde_json::from_value(run["codebook"]["categories"].clone()).map_err(|e| {
            err(
                &rj,
                format!("codebook.categories: {e} (written by an older tanda? re-run analyze)"),
            )
        })?;
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let path = dir.join("passages.csv");
    let file = std::fs::File::open(&path).map_err(|e| err(&path, format!("cannot read: {e}")))?;
    let mut rdr = csv::Reader::from_reader(crate::hash::Hashing::new(file));
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| err(&path, e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let cols = Columns::find(&path, &header, &categories)?;
    let fields: Vec<String> = cols.metadata.iter().map(|&c| header[c].clone()).collect();
    let mut passages = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| err(&path, e.to_string()))?;
        passages.push(cols.passage(&path, i + 2, &rec, &categories)?);
    }
    let sha256 = rdr
        .into_inner()
        .finish()
        .map_err(|e| err(&path, format!("cannot read: {e}")))?;
    check_against_run(&path, &run, &passages)?;
    let edited = run["outputs"]["passages.csv"]
        .as_str()
        .is_some_and(|h| h != sha256);
    Ok(Results {
        dir: dir.display().to_string(),
        codebook_name: s(&run["codebook"]["name"]),
        codebook_version: s(&run["codebook"]["version"]),
        codebook_sha256: s(&run["codebook"]["sha256"]),
        policy_id: match run["counting_policy"]["id"].as_str() {
            Some(id) => id.to_string(),
            None => "unrecorded (results of an older tanda)".to_string(),
        },
        unit: s(&run["unit"]),
        categories,
        fields,
        passages,
        sha256,
        edited,
    })
}

/// Where each column of passages.csv is, found by name: tanda writes the
/// metadata fields between `unit` and `words`, but a user who moved columns
/// in a spreadsheet has not changed what they hold.
struct Columns {
    doc: usize,
    pid: usize,
    unit: usize,
    words: usize,
    matched: usize,
    text: usize,
    /// Each category's column.
    cats: Vec<usize>,
    /// `ID:hits`, `ID:counter`, `ID:score` of every category, when all
    /// are there.
    hits: Option<Vec<usize>>,
    counter: Option<Vec<usize>>,
    score: Option<Vec<usize>>,
    /// The metadata fields: every named column that is none of the above
    /// nor named like a column tanda writes, in the order of the header
    /// (for a file tanda wrote, those between `unit` and `words`).
    metadata: Vec<usize>,
}

impl Columns {
    /// The columns of `header`; an error naming the first column missing.
    fn find(path: &Path, header: &[String], categories: &[CategoryRecord]) -> Result<Self, Error> {
        let col = |name: &str| header.iter().position(|h| h == name);
        let need = |name: &str| {
            col(name).ok_or_else(|| {
                err(
                    path,
                    format!(
                        "no `{name}` column: the columns tanda wrote may be moved but must keep their names; restore it, or re-run `tanda analyze`"
                    ),
                )
            })
        };
        let (doc, pid, unit, words) = (
            need("doc_id")?,
            need("passage_id")?,
            need("unit")?,
            need("words")?,
        );
        let (matched, text) = (need("matched")?, need("text")?);
        let cats: Vec<usize> = categories
            .iter()
            .map(|c| need(&c.id))
            .collect::<Result<_, _>>()?;
        // `ID:hits` columns: the category columns hold decisions. Without them
        // (results of tanda before 0.2) the category columns hold hit counts
        // and the thresholds in run.json decide.
        let suffixed = |suffix: &str| -> Option<Vec<usize>> {
            categories
                .iter()
                .map(|c| col(&format!("{}:{suffix}", c.id)))
                .collect()
        };
        let (hits, counter, score) = (suffixed("hits"), suffixed("counter"), suffixed("score"));
        let ids: Vec<String> = categories.iter().map(|c| c.id.clone()).collect();
        let read: HashSet<usize> = [doc, pid, unit, words, matched, text]
            .into_iter()
            .chain(cats.iter().copied())
            .chain(
                [&hits, &counter, &score]
                    .into_iter()
                    .flatten()
                    .flatten()
                    .copied(),
            )
            .collect();
        let metadata = (0..header.len())
            .filter(|&c| {
                !read.contains(&c)
                    && !header[c].trim().is_empty()
                    && !super::write::is_own_column(&header[c], &ids)
            })
            .collect();
        Ok(Columns {
            doc,
            pid,
            unit,
            words,
            matched,
            text,
            cats,
            hits,
            counter,
            score,
            metadata,
        })
    }

    /// The passage of record `rec`, on line `line` of passages.csv
    /// (`path`); an error naming line and column for a cell that is not a
    /// number, a count or a coding decision.
    fn passage(
        &self,
        path: &Path,
        line: usize,
        rec: &csv::StringRecord,
        categories: &[CategoryRecord],
    ) -> Result<PassageRow, Error> {
        let get = |c: usize| unguard(rec.get(c).unwrap_or("")).to_string();
        let num = |c: usize, what: &str| -> Result<f64, Error> {
            let v = rec.get(c).unwrap_or("").trim();
            v.parse::<f64>().map_err(|_| {
                err(
                    path,
                    format!("line {line}: `{v}` in column `{what}` is not a number"),
                )
            })
        };
        let count = |c: usize, what: &str| -> Result<u32, Error> {
            let v = num(c, what)?;
            whole_u32(v).ok_or_else(|| {
                err(
                    path,
                    format!(
                        "line {line}: `{v}` in column `{what}` is not a count (a whole number from 0 to {})",
                        u32::MAX
                    ),
                )
            })
        };
        let scores = match &self.score {
            Some(cols) => Some(
                cols.iter()
                    .enumerate()
                    .map(|(ci, &c)| num(c, &format!("{}:score", categories[ci].id)))
                    .collect::<Result<Vec<f64>, Error>>()?,
            ),
            None => None,
        };
        let counter = match &self.counter {
            Some(cols) => cols
                .iter()
                .enumerate()
                .map(|(ci, &c)| count(c, &format!("{}:counter", categories[ci].id)))
                .collect::<Result<Vec<u32>, Error>>()?,
            None => vec![0; self.cats.len()],
        };
        let mut counts = Vec::with_capacity(self.cats.len());
        let mut coded = Vec::with_capacity(self.cats.len());
        for (ci, &c) in self.cats.iter().enumerate() {
            let id = &categories[ci].id;
            match &self.hits {
                Some(hc) => {
                    counts.push(count(hc[ci], &format!("{id}:hits"))?);
                    let v = rec.get(c).unwrap_or("");
                    coded.push(decision(v).ok_or_else(|| {
                        err(
                            path,
                            format!(
                                "line {line}, column `{id}`: `{v}` is not a coding decision \
                                 (type 1 for coded, 0 for not coded)"
                            ),
                        )
                    })?);
                }
                None => {
                    let n = count(c, id)?;
                    counts.push(n);
                    coded.push(decide(&categories[ci], n, scores.as_ref().map(|s| s[ci])));
                }
            }
        }
        Ok(PassageRow {
            doc_id: get(self.doc),
            passage_id: get(self.pid),
            unit: get(self.unit),
            metadata: self.metadata.iter().map(|&c| get(c)).collect(),
            words: u64::from(count(self.words, "words")?),
            coded,
            counts,
            counter,
            scores,
            matched: get(self.matched),
            text: get(self.text),
        })
    }
}

/// passages.csv must be the file of the run run.json records: as many
/// rows as its passages, each document's as many as that document's, no
/// passage twice. A cut file (a copy stopped short, a run interrupted by
/// an older tanda) or another run's file is refused, naming it.
fn check_against_run(
    path: &Path,
    run: &serde_json::Value,
    passages: &[PassageRow],
) -> Result<(), Error> {
    let redo = "re-run `tanda analyze --out`, or put back the passages.csv of this run";
    if let Some(total) = run["counts"]["passages"].as_u64()
        && total != passages.len() as u64
    {
        return Err(err(
            path,
            format!(
                "has {} passage rows where run.json records {total}: the file was cut or belongs to another run; {redo}",
                passages.len()
            ),
        ));
    }
    let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    let mut rows: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for p in passages {
        if !seen.insert((&p.doc_id, &p.passage_id)) {
            return Err(err(
                path,
                format!(
                    "passage {} of document {} appears twice; {redo}",
                    p.passage_id, p.doc_id
                ),
            ));
        }
        *rows.entry(&p.doc_id).or_default() += 1;
    }
    let Some(docs) = run["corpus"]["documents"].as_array() else {
        return Ok(());
    };
    let mut expected: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for d in docs {
        if let (Some(id), Some(n)) = (d["id"].as_str(), d["passages"].as_u64()) {
            expected.insert(id, n);
        }
    }
    if expected.len() != docs.len() {
        // Records without passage counts (an older tanda): the total is
        // all there is to check.
        return Ok(());
    }
    if let Some(n) = run["counts"]["documents"].as_u64()
        && n != docs.len() as u64
    {
        return Err(err(
            &path.with_file_name("run.json"),
            format!(
                "records {n} documents but lists {}; the file was edited or cut",
                docs.len()
            ),
        ));
    }
    let mut ids: Vec<&&str> = rows.keys().collect();
    ids.sort();
    for id in ids {
        let got = rows[*id];
        match expected.get(*id) {
            None => {
                return Err(err(
                    path,
                    format!(
                        "has passages of document {id}, which run.json does not list: the file belongs to another run; {redo}"
                    ),
                ));
            }
            Some(&n) if n != got => {
                return Err(err(
                    path,
                    format!(
                        "has {got} passage rows of document {id} where run.json records {n}: the file was cut or belongs to another run; {redo}"
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Read hits.csv of a results folder.
pub fn read_hits(dir: &Path) -> Result<Vec<HitRow>, Error> {
    let path = dir.join("hits.csv");
    let mut rdr =
        csv::Reader::from_path(&path).map_err(|e| err(&path, format!("cannot read: {e}")))?;
    let header = rdr
        .headers()
        .map_err(|e| err(&path, e.to_string()))?
        .clone();
    let c_counted = header.iter().position(|h| h == "counted");
    let c_weight = header.iter().position(|h| h == "weight");
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| err(&path, e.to_string()))?;
        let g = |c: usize| unguard(rec.get(c).unwrap_or("")).to_string();
        // `counted` where written; else the weight decides (older results).
        let counted = match (c_counted, c_weight) {
            (Some(c), _) => rec.get(c).is_some_and(|v| v.trim() != "0"),
            (None, Some(c)) => rec
                .get(c)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .is_none_or(crate::coder::counts_up),
            (None, None) => true,
        };
        let n = |c: usize| -> Result<usize, Error> {
            rec.get(c).unwrap_or("").parse().map_err(|_| {
                err(
                    &path,
                    format!("line {}: column {} is not a number", i + 2, c + 1),
                )
            })
        };
        out.push(HitRow {
            doc_id: g(0),
            passage_id: g(1),
            category: g(2),
            entry: g(3),
            matched: g(4),
            start: n(5)?,
            end: n(6)?,
            line: g(7),
            counted,
        });
    }
    Ok(out)
}
