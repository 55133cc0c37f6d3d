//! The RTF reader on arbitrary bytes: it may reject the input, never panic
//! (it has no `isolate` around it, so any panic is a crash here).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tanda::corpus::extract::{self, ExtractOptions};

fuzz_target!(|data: &[u8]| {
    let Some(x) = extract::extractor_for("rtf") else {
        return;
    };
    let opts = ExtractOptions::default();
    let _ = x.extract(data, &opts);
    // Most random inputs fail the header check: also run them as a body.
    let mut doc = b"{\\rtf1\\ansi ".to_vec();
    doc.extend_from_slice(data);
    let _ = x.extract(&doc, &opts);
});
