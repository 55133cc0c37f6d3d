//! Reading one file of a corpus without trusting it.
//!
//! A corpus folder is the user's, and anything can sit in it: a 1 GB file,
//! a FIFO put there between the scan and the read, a file that grows while
//! it is read. [`read_bounded`] opens without blocking, checks that what it
//! opened is a regular file and not over the limit (from the open file's
//! metadata, before reading a byte), and reads at most one byte past the
//! limit, so refusing a file never costs more than the limit.

use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// The path is not a regular file.
    #[error(
        "not a regular file (a FIFO, socket or device, or it changed type after the scan); remove it from the corpus folder"
    )]
    NotRegular,
    /// The file is larger than the limit for its format.
    #[error(
        "the file ({size}) exceeds the {limit_mb} MB limit for .{format} files; split it, or raise the limit with --max-doc-mb"
    )]
    TooLarge {
        /// The file's size, for people (`1.3 GB`).
        size: String,
        /// The limit, in MB (`--max-doc-mb`).
        limit_mb: u64,
        /// The file's extension, without the dot.
        format: String,
    },
}

/// A size as people read it: `1.3 GB`, `200 MB`, `12 KB`.
fn human(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b >= 1024.0 * MB {
        format!("{:.1} GB", b / (1024.0 * MB))
    } else if b >= 100.0 * MB {
        format!("{:.0} MB", b / MB)
    } else if b >= MB {
        format!("{:.1} MB", b / MB)
    } else {
        format!("{:.0} KB", (b / 1024.0).ceil())
    }
}

/// The bytes of the regular file at `path`, if it holds at most `limit_mb`
/// megabytes; `format` names its kind in the message.
pub fn read_bounded(path: &Path, limit_mb: u64, format: &str) -> Result<Vec<u8>, ReadError> {
    let limit = limit_mb.saturating_mul(1024 * 1024);
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let too_large = |size: u64| ReadError::TooLarge {
        size: human(size),
        limit_mb,
        format: format.to_string(),
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        // It grew while being read.
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Open for reading without blocking: opening a FIFO for reading would
/// otherwise wait for a writer forever.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK);
    }
    o.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.txt");
        std::fs::write(&p, vec![b'a'; 1024 * 1024 + 1]).expect("write");
        match read_bounded(&p, 1, "txt") {
            Err(ReadError::TooLarge {
                size, limit_mb: 1, ..
            }) => assert_eq!(size, "1.0 MB"),
            other => panic!("{other:?}"),
        }
        std::fs::write(&p, vec![b'a'; 1024 * 1024]).expect("write");
        assert_eq!(read_bounded(&p, 1, "txt").expect("read").len(), 1024 * 1024);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("pipe.txt");
        let c = std::ffi::CString::new(p.to_str().expect("utf-8")).expect("path");
        // SAFETY: a NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // With no writer, a blocking open would never return.
        assert!(matches!(
            read_bounded(&p, 1, "txt"),
            Err(ReadError::NotRegular)
        ));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(1536), "2 KB");
        assert_eq!(human(200 * 1024 * 1024), "200 MB");
        assert_eq!(human(17_145_273), "16.4 MB");
        assert_eq!(human(1024 * 1024 * 1024 + 300 * 1024 * 1024), "1.3 GB");
    }
}
