//! The PDF, DOCX and HTML extractors on arbitrary bytes: errors are fine,
//! panics are not (the PDF parser's own panics are caught by `isolate`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tanda::corpus::extract::{self, ExtractOptions};

static HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    // tanda's hook wraps libFuzzer's: panics inside `isolate` (the PDF
    // parser's, by design) are caught as errors; any other panic still
    // reaches libFuzzer and counts as a crash.
    HOOK.call_once(extract::install_panic_hook);
    let opts = ExtractOptions::default();
    for ext in ["pdf", "docx", "html"] {
        if let Some(x) = extract::extractor_for(ext) {
            let _ = x.extract(data, &opts);
        }
    }
});
