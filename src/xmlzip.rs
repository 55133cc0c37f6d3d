//! What the readers of zipped XML formats share (DOCX, ODT, EPUB, XLSX,
//! REFI-QDA): reading one part of an archive without letting it inflate
//! past a limit (a zip bomb is refused, not unpacked), an attribute by its
//! local name, and the text of an entity or character reference.

use std::io::{Cursor, Read};

use quick_xml::events::BytesStart;

/// Why a part of an archive could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartError {
    /// The archive is damaged (the zip crate's or the reader's message).
    Damaged(String),
    /// The part inflates past the limit (in MB).
    TooLarge(u64),
}

impl PartError {
    /// The message for a file of `kind` (`.docx`, `.odt`…), part `name`.
    pub fn message(&self, kind: &str, name: &str) -> String {
        match self {
            PartError::Damaged(e) => format!("damaged {kind} ({name}: {e})"),
            PartError::TooLarge(mb) => format!(
                "the parts of this {kind} expand past {mb} MB when unzipped (at {name}; a zip bomb?); refused"
            ),
        }
    }
}

/// How much the parts read from one archive may still inflate to: one
/// budget for all of a document's parts, so that a bomb spread over many
/// parts is refused as surely as one in a single part.
#[derive(Debug, Clone)]
pub struct Budget {
    left: u64,
    mb: u64,
}

impl Budget {
    /// A budget of `mb` megabytes.
    pub fn mb(mb: u64) -> Budget {
        Budget {
            left: mb.saturating_mul(1024 * 1024),
            mb,
        }
    }
}

/// The bytes of part `name`, taken from `budget`; `None` when the archive
/// has no such part. Reading stops one byte past what is left, so a bomb
/// costs no more than the budget.
pub fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut Budget,
) -> Result<Option<Vec<u8>>, PartError> {
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(PartError::Damaged(e.to_string())),
    };
    let mut buf = Vec::new();
    f.take(budget.left.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| PartError::Damaged(e.to_string()))?;
    if buf.len() as u64 > budget.left {
        return Err(PartError::TooLarge(budget.mb));
    }
    budget.left -= buf.len() as u64;
    Ok(Some(buf))
}

/// The value of the attribute whose local name (without prefix) is `local`.
pub fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The text an entity or character reference stands for (`&amp;`,
/// `&#233;`); unknown references give nothing.
pub fn resolve_ref(name: &str) -> String {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        return code
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_default();
    }
    quick_xml::escape::resolve_predefined_entity(name)
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn references_resolve_as_xml_defines_them() {
        // é is U+00E9 = 233; predefined entities; unknown references and
        // invalid code points (a surrogate, past U+10FFFF) give nothing.
        assert_eq!(resolve_ref("#233"), "é");
        assert_eq!(resolve_ref("#xE9"), "é");
        assert_eq!(resolve_ref("#xe9"), "é");
        assert_eq!(resolve_ref("amp"), "&");
        assert_eq!(resolve_ref("lt"), "<");
        assert_eq!(resolve_ref("quot"), "\"");
        // quick-xml's `escape-html` feature adds HTML's named entities.
        assert_eq!(resolve_ref("nbsp"), "\u{a0}");
        assert_eq!(resolve_ref("notanentity"), "");
        assert_eq!(resolve_ref("#xD800"), "");
        assert_eq!(resolve_ref("#99999999999"), "");
    }

    #[test]
    fn parts_are_read_up_to_the_limit() {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            w.start_file("small.xml", opts).expect("start");
            w.write_all(b"<a/>").expect("write");
            w.start_file("big.xml", opts).expect("start");
            w.write_all(&vec![b' '; 1024 * 1024 + 1]).expect("write");
            w.finish().expect("finish");
        }
        let bytes = buf.into_inner();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip");
        assert_eq!(
            read_part(&mut zip, "small.xml", &mut Budget::mb(1)),
            Ok(Some(b"<a/>".to_vec()))
        );
        assert_eq!(
            read_part(&mut zip, "none.xml", &mut Budget::mb(1)),
            Ok(None)
        );
        assert_eq!(
            read_part(&mut zip, "big.xml", &mut Budget::mb(1)),
            Err(PartError::TooLarge(1))
        );
        // One budget for all parts: two parts of 0.6 MB each fit in 1 MB
        // one at a time, but not together.
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            for name in ["a.xml", "b.xml"] {
                w.start_file(name, opts).expect("start");
                w.write_all(&vec![b' '; 600 * 1024]).expect("write");
            }
            w.finish().expect("finish");
        }
        let bytes = buf.into_inner();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip");
        let mut budget = Budget::mb(1);
        assert!(read_part(&mut zip, "a.xml", &mut budget).is_ok());
        assert_eq!(
            read_part(&mut zip, "b.xml", &mut budget),
            Err(PartError::TooLarge(1))
        );
        assert!(read_part(&mut zip, "b.xml", &mut Budget::mb(1)).is_ok());
        assert_eq!(resolve_ref("#233"), "é");
        assert_eq!(resolve_ref("amp"), "&");
    }
}
