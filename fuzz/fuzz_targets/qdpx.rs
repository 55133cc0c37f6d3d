//! `tanda import-qdpx` on arbitrary bytes (a zip holding project.qde):
//! errors are fine, panics are not.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = tanda::qdpx::import_bytes(Path::new("fuzz.qdpx"), data) {
        let _ = tanda::qdpx::coder_sheet(&p);
    }
});
