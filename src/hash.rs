//! Content hashes, shared by the layers that identify what they read: a
//! document by its bytes (the extraction cache, run.json, duplicate
//! detection) and a codebook by its file and its canonical form. Kept
//! apart so that neither layer reaches into the other for it.

use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex SHA-256 of a file, read in blocks.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    Hashing::new(std::fs::File::open(path)?).finish()
}

/// A reader that hashes what passes through it, so a file is read once
/// for its contents and its checksum.
pub struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: Read> Hashing<R> {
    /// Wrap `inner`, hashing every byte read through it.
    pub fn new(inner: R) -> Self {
        Hashing {
            inner,
            hash: Sha256::new(),
        }
    }

    /// Read what is left (so the checksum covers the whole input) and give
    /// the checksum, lower-case hex.
    pub fn finish(mut self) -> io::Result<String> {
        io::copy(&mut self, &mut io::sink())?;
        Ok(hex(&self.hash.finalize()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        // FIPS 180-2 test vectors.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // A file hashed in blocks equals its bytes hashed at once, and a
        // reader hashes what it has passed on plus the rest.
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("f");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &bytes).expect("write");
        assert_eq!(sha256_file(&p).expect("hash"), sha256_hex(&bytes));
        let mut r = Hashing::new(&bytes[..]);
        let mut head = [0u8; 10];
        r.read_exact(&mut head).expect("read");
        assert_eq!(r.finish().expect("finish"), sha256_hex(&bytes));
    }
}
