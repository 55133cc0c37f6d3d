//! `tanda export-qdpx`: a results folder as a REFI-QDA project for NVivo,
//! ATLAS.ti, MAXQDA or QualCoder.

use std::path::PathBuf;

use clap::Args;

use crate::error::{Error, exit};
use crate::qdpx::{self, Codings};
use crate::report::read::{read_hits, read_results};

#[derive(Args, Debug)]
pub(super) struct ExportQdpxArgs {
    /// A results folder (`tanda analyze --out`).
    results: PathBuf,
    /// The project file to write.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// One coding per coded passage (the default: the codebook's decision),
    /// or one per counted hit on the matched words (counter-indicators are
    /// never exported as codings).
    #[arg(long, default_value = "passages", value_parser = ["hits", "passages"])]
    codings: String,
}

pub(super) fn run(args: ExportQdpxArgs) -> anyhow::Result<i32> {
    let r = read_results(&args.results)?;
    let hits = read_hits(&args.results)?;
    let codings = if args.codings == "passages" {
        Codings::Passages
    } else {
        Codings::Hits
    };
    let path = &args.output;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let err = |e: std::io::Error| Error::Write {
        path: path.display().to_string(),
        source: e,
    };
    // Zip writing needs Seek, so fill a temporary file, then rename it.
    let mut tmp = tempfile::Builder::new()
        .prefix(".tanda-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    qdpx::export(&r, &hits, codings, tmp.as_file_mut()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    crate::report::write::publish(tmp, path).map_err(err)?;
    let docs: std::collections::BTreeSet<&str> =
        r.passages.iter().map(|p| p.doc_id.as_str()).collect();
    eprintln!(
        "wrote {}: {} codes, {} sources, codings per {}",
        path.display(),
        r.categories.len(),
        docs.len(),
        if codings == Codings::Hits {
            "hit"
        } else {
            "coded passage"
        }
    );
    Ok(exit::OK)
}
