//! `tanda export-qdpx` and `tanda import-qdpx`.

use std::io::Write;

use super::{ExportQdpxArgs, ImportQdpxArgs};
use crate::error::{Error, exit};
use crate::qdpx::{self, Codings};
use crate::report::read::{read_hits, read_results};
use crate::report::write::safe_cell;

pub(super) fn export(args: ExportQdpxArgs) -> anyhow::Result<i32> {
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

pub(super) fn import(args: ImportQdpxArgs) -> anyhow::Result<i32> {
    let project = qdpx::import(&args.project)?;
    for w in &project.warnings {
        eprintln!("warning: {}: {w}", args.project.display());
    }
    let (codes, rows) = qdpx::coder_sheet(&project);
    crate::report::write::write_atomic(&args.output, |w: &mut dyn Write| {
        let mut out = csv::Writer::from_writer(w);
        let mut header = vec!["passage_id".to_string()];
        header.extend(codes.iter().cloned());
        out.write_record(&header)?;
        for (id, v) in &rows {
            let mut rec = vec![safe_cell(id).into_owned()];
            rec.extend(v.iter().map(u8::to_string));
            out.write_record(&rec)?;
        }
        out.flush()
    })?;
    eprintln!(
        "wrote {}: {} passages × {} codes from {} codings",
        args.output.display(),
        rows.len(),
        codes.len(),
        project.codings.len()
    );
    Ok(exit::OK)
}
