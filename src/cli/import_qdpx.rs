//! `tanda import-qdpx`: a REFI-QDA project read back into a coder sheet
//! for `tanda agree`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::exit;
use crate::qdpx::{self};
use crate::report::write::safe_cell;

#[derive(Args, Debug)]
pub(super) struct ImportQdpxArgs {
    /// The .qdpx project to read.
    project: PathBuf,
    /// The coder sheet to write (CSV keyed by passage_id).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

pub(super) fn run(args: ImportQdpxArgs) -> anyhow::Result<i32> {
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
