//! `tanda code --jsonl` on arbitrary bytes: the capped line reader (cap
//! small, so long lines are exercised) and the coding of each line with the
//! built-in codebook; then each record is written and read back, which must
//! give it again. Errors are fine, panics are not.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tanda::codebook::Matcher;
use tanda::jsonl::{self, Lines, Options, Record};

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let (cb, _) = tanda::codebook::load(None).expect("the built-in codebook loads");
        Matcher::compile(&cb)
    })
}

fuzz_target!(|data: &[u8]| {
    let mut lines = Lines::new(data, 4096);
    while let Ok(Some((_, line))) = lines.next_line() {
        let Ok(line) = line else { continue };
        if let Ok(recs) = jsonl::code_line(matcher(), &Options::default(), &line) {
            for r in recs {
                let back = Record::from_line(&r.to_line()).expect("a written record reads back");
                assert_eq!(back.passage_id, r.passage_id);
            }
        }
    }
});
