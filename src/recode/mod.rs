//! Re-coding from the previous run: the inner loop of building a codebook.
//!
//! Editing one entry and running `tanda analyze` again used to cost a whole
//! run: read, extract, repair the layout, segment and code every passage.
//! None of that but the coding depends on the codebook. So the table job
//! (`analyze` without `--out`) leaves a snapshot beside the extraction
//! cache: every passage's text and its codes, under a key of the corpus
//! (every file's name, size and modification time), the options that shape
//! passages and this build of tanda. The next run over the same corpus with
//! the same options reads the snapshot instead of the corpus, re-codes only
//! the passages the edit can change ([`plan()`]), and sums the rest as they
//! were. Its tables are the ones a full run prints, byte for byte; the
//! tests check that for edits of every kind.
//!
//! The snapshot holds about as many bytes as the corpus has text. It is
//! written only with the extraction cache on (`--no-cache` turns both
//! off), one per corpus and set of options, replaced by the next run.

pub mod plan;
pub mod store;

use std::path::{Path, PathBuf};

pub use plan::{CodingSignature, Literals, Plan, plan};

/// Bumped when the snapshot's contents or the way they are computed change.
const FORMAT: u32 = 1;

/// Where the snapshot of one corpus, read with one set of options, lives,
/// and the key its contents must carry to be used.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Its files.
    pub paths: store::Paths,
    /// What its trailer must say for it to be used (see [`store::Trailer::key`]).
    pub key: String,
}

impl Snapshot {
    /// The snapshot for corpus `root` (as the user gave it), whose reading
    /// has the digest `fingerprint`, with `shape`: every option that
    /// changes a passage or a document's summary, written out.
    pub fn locate(cache_dir: &Path, root: &Path, fingerprint: &str, shape: &str) -> Snapshot {
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name_of = format!("{FORMAT}\n{}\n{shape}", canonical.display());
        let name = &crate::hash::sha256_hex(name_of.as_bytes())[..24];
        let key = format!(
            "{name_of}\n{}\n{}\n{}\n{}\n{fingerprint}",
            root.display(),
            env!("CARGO_PKG_VERSION"),
            crate::coder::POLICY_ID,
            build_stamp(),
        );
        Snapshot {
            paths: store::Paths::new(&cache_dir.join("recode"), name),
            key: crate::hash::sha256_hex(key.as_bytes()),
        }
    }
}

/// The running program's size and modification time: a rebuilt tanda
/// (which may segment or code differently) does not trust the snapshots of
/// another build.
fn build_stamp() -> String {
    let exe: Option<PathBuf> = std::env::current_exe().ok();
    let meta = exe.as_deref().and_then(|p| std::fs::metadata(p).ok());
    match meta {
        Some(m) => format!(
            "{} {:?}",
            m.len(),
            m.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        ),
        None => "unknown".to_string(),
    }
}
