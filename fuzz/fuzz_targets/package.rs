//! The ODT and EPUB readers (zip packages of XML) on arbitrary bytes:
//! errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tanda::corpus::extract::{self, ExtractOptions};

fuzz_target!(|data: &[u8]| {
    let opts = ExtractOptions::default();
    for ext in ["odt", "epub"] {
        if let Some(x) = extract::extractor_for(ext) {
            let _ = x.extract(data, &opts);
        }
    }
});
