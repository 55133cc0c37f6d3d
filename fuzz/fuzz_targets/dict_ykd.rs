//! The Yoshikoder .ykd reader on arbitrary bytes: it may reject the input, never
//! panic. What it accepts is compiled and coded, written back as Yoshikoder .ykd and
//! read again, which must succeed: the writer must not produce a file its
//! own reader refuses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((cb, _)) = tanda::codebook::from_bytes(data, "f.ykd") {
        let m = tanda::codebook::Matcher::compile(&cb);
        let _ = tanda::coder::code(
            &m,
            "They kind of like the report; sanctions, ONG, société civile.",
        );
        let (text, _) = tanda::codebook::yoshikoder::write(&cb);
        if let Err(d) = tanda::codebook::from_bytes(text.as_bytes(), "f.ykd") {
            panic!("written back, not read again: {d:?}\n{text}");
        }
    }
});
