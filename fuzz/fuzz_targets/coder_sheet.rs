//! The coder-sheet reader of `tanda agree` (CSV, and .xlsx by extension) on
//! arbitrary bytes: errors are fine, panics are not.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tanda::agree::coders;

fuzz_target!(|data: &[u8]| {
    for name in ["coder.csv", "coder.tsv", "coder.xlsx"] {
        let _ = coders::from_bytes(Path::new(name), data);
    }
});
