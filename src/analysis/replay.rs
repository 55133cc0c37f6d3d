//! The table job from the previous run's snapshot (see [`crate::recode`]):
//! the snapshot found, read instead of the corpus, the passages a codebook
//! edit can change coded again, and the snapshot brought up to date.

use rayon::prelude::*;

use super::{
    Aggregate, CHUNK_FILES, Keys, Observer, Options, Outcome, Summarizer, Summary, note_dropped,
    report_skips,
};
use crate::codebook::{Codebook, Matcher};
use crate::corpus::{CorpusStream, LoadOptions, Skipped, StreamEnd};
use crate::error::Error;
use crate::recode::{self, Plan, store};
use crate::report;

/// Text read from the snapshot per chunk of documents, at most (a single
/// document may hold more).
const CHUNK_BYTES: usize = 4 << 20;

/// Where this run's snapshot lives, if it keeps one: the table job
/// (no results folder) with the extraction cache on.
pub(super) fn locate(
    corpus: &std::path::Path,
    load: &LoadOptions,
    opts: &Options,
    stream: &CorpusStream,
    table_job: bool,
) -> Option<recode::Snapshot> {
    let dir = load.cache_dir.as_ref().filter(|_| table_job)?;
    Some(recode::Snapshot::locate(
        dir,
        corpus,
        &stream.fingerprint(),
        &shape(load, opts),
    ))
}

/// Every option that changes a passage or a document's group keys,
/// written out: part of the snapshot's key.
fn shape(load: &LoadOptions, opts: &Options) -> String {
    let mut load = load.clone();
    load.cache_dir = None;
    format!(
        "{load:?}\n{}\n{:?}\n{}\n{:?}\n{:?}",
        opts.unit, opts.unit_regex, opts.min_words, opts.by, opts.tables.bin
    )
}

/// Put a full run's snapshot in place. A cache: one that cannot be
/// written is left out, silently.
pub(super) fn finish_snapshot(
    writer: store::Writer,
    snapshot: &recode::Snapshot,
    codebook: &Codebook,
    matcher: &Matcher,
    reading: Reading<'_>,
) {
    let _ = writer.finish(store::Trailer {
        key: snapshot.key.clone(),
        codebook: recode::CodingSignature::of(codebook),
        categories: matcher.categories.len(),
        skips: reading.skips,
        skipped: reading.end.skipped.clone(),
        ignored: reading.end.ignored.clone(),
        warnings: reading.end.warnings.clone(),
        dropped: reading.dropped as u64,
        ..Default::default()
    });
}

/// What a full run's reading said, for its snapshot.
pub(super) struct Reading<'a> {
    /// The files skipped, chunk by chunk, as they were said.
    pub skips: Vec<Vec<Skipped>>,
    pub end: &'a StreamEnd,
    /// Passages dropped by `min_words`.
    pub dropped: usize,
}

/// What [`replay`] works from.
pub(super) struct Replay<'a> {
    pub snapshot: &'a recode::Snapshot,
    pub codebook: &'a Codebook,
    pub matcher: &'a Matcher,
    pub opts: &'a Options,
    /// The metadata variables (see [`super::rename_fields`]).
    pub fields: &'a [String],
    pub root: &'a str,
    /// Bytes and files of the corpus, for progress.
    pub total: (u64, usize),
}

/// One document replayed: its summary, passages coded again, passages.
type Replayed = (Summary, usize, usize);

/// A run from the snapshot of the previous one: the passages the codebook
/// edit can change are coded again, the others keep their codes, and the
/// tallies are made as a full run makes them; then the snapshot is brought
/// up to date with this codebook. `None` when there is no snapshot of this
/// corpus and these options, or it does not read back to its end (nothing
/// was said yet but progress).
pub(super) fn replay(r: Replay<'_>, observer: &impl Observer) -> Result<Option<Outcome>, Error> {
    let Replay {
        snapshot,
        codebook,
        matcher,
        opts,
        fields,
        root,
        total,
    } = r;
    let Some(mut reader) = store::Reader::open(&snapshot.paths, &snapshot.key) else {
        return Ok(None);
    };
    let mut agg = Aggregate::new(opts, matcher, fields, None)?;
    let plan = recode::plan(&reader.trailer.codebook, codebook);
    let trailer = reader.trailer.clone();
    // The snapshot keeps its texts; its codes are written again unless
    // nothing that decides coding changed.
    let mut writer = match plan {
        Plan::Same => None,
        _ => store::Writer::create(&snapshot.paths, Some(&trailer.token)).ok(),
    };
    let summarizer = agg.summarizer();
    let (mut recoded, mut passages, mut done) = (0usize, 0usize, 0u64);
    loop {
        let Some(chunk) = read_chunk(&mut reader) else {
            return Ok(None);
        };
        if chunk.is_empty() {
            break;
        }
        let with_codes = writer.is_some();
        let replayed: Vec<Option<Replayed>> = chunk
            .into_par_iter()
            .map(|raw| document(raw, &plan, matcher, &summarizer, with_codes))
            .collect();
        for one in replayed {
            let Some((mut s, n, count)) = one else {
                return Ok(None);
            };
            recoded += n;
            passages += count;
            store::Writer::keep(&mut writer, s.snap.take());
            agg.add(s)?;
            done += 1;
        }
        let share = |n: u64| (n as f64 * done as f64 / trailer.documents.max(1) as f64) as u64;
        observer.progress(share(total.0), share(total.1 as u64) as usize);
    }
    // Every record read, and nothing after them in either file.
    if !reader.read_whole() {
        return Ok(None);
    }
    // Closed before the new codes are renamed over the ones read (which
    // some file systems refuse while the file is open).
    drop(reader);
    say_again(&trailer, opts, root, observer)?;
    observer.note(&note(&plan, recoded, passages));
    if let Some(w) = writer {
        let _ = w.finish(store::Trailer {
            codebook: recode::CodingSignature::of(codebook),
            categories: matcher.categories.len(),
            ..trailer.clone()
        });
    }
    agg.finish(codebook, root, &trailer.skipped, &trailer.ignored, None)
        .map(Some)
}

/// The next documents of the snapshot, up to a chunk's worth (empty at its
/// end); `None` when it does not read back.
fn read_chunk(reader: &mut store::Reader) -> Option<Vec<store::Raw>> {
    let mut chunk = Vec::new();
    let mut bytes = 0;
    while chunk.len() < CHUNK_FILES && bytes < CHUNK_BYTES {
        match reader.next_document().ok()? {
            Some(raw) => {
                bytes += raw.text_len();
                chunk.push(raw);
            }
            None => break,
        }
    }
    Some(chunk)
}

/// One document of the snapshot: its passages that `plan` says may change
/// coded again, its summary made, and (`with_codes`) its record for the
/// new snapshot. `None` when it does not read back.
fn document(
    raw: store::Raw,
    plan: &Plan,
    matcher: &Matcher,
    summarizer: &Summarizer<'_>,
    with_codes: bool,
) -> Option<Replayed> {
    let (mut doc, text, record) = raw.decode().ok()?;
    let again = match plan {
        Plan::Same => vec![false; doc.passages.len()],
        Plan::All(_) => vec![true; doc.passages.len()],
        Plan::Passages(lits) => lits.may_change(
            doc.passages.iter().map(|(r, _)| &text[r.clone()]),
            &mut String::new(),
        ),
    };
    let mut n = 0;
    for ((r, coded), again) in doc.passages.iter_mut().zip(again) {
        if again {
            *coded = crate::coder::code_counts(matcher, &text[r.clone()]);
            n += 1;
        }
    }
    let keys = Keys {
        key: report::GroupKey(std::mem::take(&mut doc.key)),
        source: doc.source.take().map(report::GroupKey),
        year: doc.year.take().map(report::GroupKey),
    };
    let count = doc.passages.len();
    let snap = with_codes.then(|| {
        let mut codes = Vec::new();
        if n == 0 {
            // Nothing coded again: the record stands as it was.
            codes = record;
        } else {
            let passages = doc.passages.iter().map(|(r, c)| (&text[r.clone()], c));
            keys.encode(passages, count, &mut codes, None);
        }
        store::Record {
            codes,
            texts: Vec::new(),
            passages: count,
            text_len: text.len(),
        }
    });
    let mut s = summarizer.summary(keys, doc.passages.iter().map(|(_, c)| c));
    s.snap = snap;
    Some((s, n, count))
}

/// Say again what the reading said: the skipped files (chunk by chunk, so
/// that `--strict` fails as the reading run would have), its warnings,
/// the passages `--min-words` dropped.
fn say_again(
    trailer: &store::Trailer,
    opts: &Options,
    root: &str,
    observer: &impl Observer,
) -> Result<(), Error> {
    for skips in &trailer.skips {
        report_skips(opts, observer, root, skips)?;
    }
    for warning in &trailer.warnings {
        observer.warning(warning);
    }
    note_dropped(opts, observer, trailer.dropped as usize);
    Ok(())
}

/// What the run did instead of reading the corpus, and why.
fn note(plan: &Plan, recoded: usize, passages: usize) -> String {
    match plan {
        Plan::Same => format!(
            "re-used the {passages} coded passage(s) of the previous run: nothing that decides coding changed"
        ),
        Plan::All(why) => {
            format!("re-coded all {passages} passage(s) from the previous run's snapshot: {why}")
        }
        Plan::Passages(l) => format!(
            "re-coded {recoded} of {passages} passage(s) from the previous run's snapshot: the {} edited entr{} can change only passages holding {}",
            l.entries,
            if l.entries == 1 { "y" } else { "ies" },
            quote_list(&l.literals),
        ),
    }
}

/// Up to five literals, quoted, and how many more.
fn quote_list(literals: &[String]) -> String {
    let shown: Vec<String> = literals.iter().take(5).map(|l| format!("`{l}`")).collect();
    let more = literals.len().saturating_sub(5);
    match (more, shown.len()) {
        (0, 1) => shown.join(""),
        (0, _) => format!(
            "{} or {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        _ => format!("{} or {more} more", shown.join(", ")),
    }
}
