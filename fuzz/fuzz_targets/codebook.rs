//! Every codebook reader (TOML, JSON, LIWC .dic, .dicx) on arbitrary bytes:
//! it may reject the input, never panic. Valid results are also compiled and
//! run on a short text, so the compiler and coder see what the parsers let
//! through.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["f.toml", "f.json", "f.dic", "f.dicx"] {
        if let Ok((cb, _)) = tanda::codebook::from_bytes(data, name) {
            let m = tanda::codebook::Matcher::compile(&cb);
            let _ = tanda::coder::code(&m, "The report urged the government; anak-anak tidak melapor.");
        }
    }
});
