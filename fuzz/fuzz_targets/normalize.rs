//! Text extraction and repair on arbitrary bytes: plain text and Markdown
//! extractors, paragraph repair, sentence segmentation and tokenisation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tanda::corpus::{Unit, extract, normalize, segment};

fuzz_target!(|data: &[u8]| {
    for ext in ["txt", "md"] {
        if let Some(x) = extract::extractor_for(ext)
            && let Ok(e) = x.extract(data, &extract::ExtractOptions::default())
        {
            let paras = normalize::paragraphs(&e.lines);
            for unit in [Unit::Sentence, Unit::Document] {
                for p in segment("f", &paras, unit) {
                    let _ = tanda::text::tokenize(&p.text);
                    for (off, _) in &p.lines {
                        assert!(p.text.is_char_boundary((*off).min(p.text.len())));
                    }
                }
            }
        }
    }
});
