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
            PartError::TooLarge(mb) => {
                format!("{name} expands past {mb} MB when unzipped (a zip bomb?); refused")
            }
        }
    }
}

/// The bytes of part `name`, read up to `limit_mb` megabytes; `None` when
/// the archive has no such part.
pub fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit_mb: u64,
) -> Result<Option<Vec<u8>>, PartError> {
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(PartError::Damaged(e.to_string())),
    };
    let limit = limit_mb * 1024 * 1024;
    let mut buf = Vec::new();
    f.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| PartError::Damaged(e.to_string()))?;
    if buf.len() as u64 > limit {
        return Err(PartError::TooLarge(limit_mb));
    }
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
            read_part(&mut zip, "small.xml", 1),
            Ok(Some(b"<a/>".to_vec()))
        );
        assert_eq!(read_part(&mut zip, "none.xml", 1), Ok(None));
        assert_eq!(
            read_part(&mut zip, "big.xml", 1),
            Err(PartError::TooLarge(1))
        );
        assert_eq!(resolve_ref("#233"), "é");
        assert_eq!(resolve_ref("amp"), "&");
    }
}
