//! Bytes in and out for eje's own files (the snapshot and its key): SHA-256
//! of file contents, fast checksums of sections, and a writer and a checked reader of little-endian integers,
//! variable-length integers and length-prefixed byte strings. A reader never
//! panics: every read past the end is `None`.

use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The length of a `checksum`.
pub const CHECKSUM_LEN: usize = 16;

/// A section's checksum.
pub type Checksum = [u8; CHECKSUM_LEN];

/// The checksum of a snapshot's header or section: XXH3-128, which finds
/// truncation and damage at memory speed (not a defence against someone who
/// can write the user's cache folder).
/// `checksum` over bytes given in pieces: the same result.
pub type Hasher = xxhash_rust::xxh3::Xxh3Default;

pub fn checksum(bytes: &[u8]) -> Checksum {
    xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes()
}

/// The SHA-256 of a file's content, read as a stream.
pub fn sha256_file(path: &Path) -> io::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    io::copy(&mut file, &mut hasher)?;
    Ok(hasher.finalize().into())
}

/// Appends to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub out: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    pub fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub fn i128(&mut self, v: i128) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    /// A length (u64) and the bytes.
    pub fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.out.extend_from_slice(b);
    }

    /// An unsigned integer in 7-bit groups, low first (LEB128).
    pub fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    /// A `usize` as `var`.
    pub fn len(&mut self, v: usize) {
        self.var(v as u64);
    }

    /// A signed integer, zigzag-encoded as `var`.
    pub fn int(&mut self, v: i64) {
        self.var(((v << 1) ^ (v >> 63)) as u64);
    }

    /// A length (`var`) and the UTF-8 bytes.
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }
}

/// A cursor over encoded bytes; every read is checked.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    pub fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    pub fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    /// Bytes written by `Writer::bytes`.
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n)
    }

    /// A string written by `Writer::bytes`.
    pub fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    pub fn var(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    pub fn len(&mut self) -> Option<usize> {
        usize::try_from(self.var()?).ok()
    }

    pub fn int(&mut self) -> Option<i64> {
        let v = self.var()?;
        Some(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A string written by `Writer::str`.
    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let mut w = Writer::default();
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            w.var(v);
        }
        for v in [0i64, -1, 1, i64::MIN, i64::MAX] {
            w.int(v);
        }
        w.str("año");
        w.bytes(b"xy");
        w.u32(7);
        let mut r = Reader(&w.out);
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.var(), Some(v));
        }
        for v in [0i64, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(r.int(), Some(v));
        }
        assert_eq!(r.str(), Some("año"));
        assert_eq!(r.bytes(), Some(&b"xy"[..]));
        assert_eq!(r.u32(), Some(7));
        assert!(r.is_empty());
    }

    #[test]
    fn reading_past_the_end_is_none() {
        let mut w = Writer::default();
        w.str("long text");
        let cut = &w.out[..4];
        assert_eq!(Reader(cut).str(), None);
        assert_eq!(Reader(&[0xff; 20]).var(), None);
        assert_eq!(Reader(&[1, 2]).u64(), None);
    }
}
