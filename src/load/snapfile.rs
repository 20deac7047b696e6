//! The envelope of a snapshot file: a checksummed header holding the data's
//! key (`freshness::DataKey`) and a table of sections, each with its own
//! checksum, verified when the section is first read. What the sections hold
//! is the snapshot's business, not this module's.
//!
//! Layout, integers little-endian:
//!
//! ```text
//! magic "ejesnap" + layout version (8 bytes) | header length (u64)
//! header: key length (u64), key bytes, section count (u32),
//!         per section: tag (u32), offset from the file's start (u64),
//!         length (u64), checksum (16 bytes)
//! checksum of the header (16 bytes) | the sections' bytes
//! ```
//!
//! The checksums are XXH3-128 (`wire::checksum`): they guard against
//! truncation, torn writes and damage, not against an attacker (the cache
//! folder is the user's own), and at several GB/s they cost little of an
//! open.
//!
//! A file is written to a temporary file in the same folder, synced and
//! renamed over the old one, so a reader never sees half a file and two
//! writers at once leave one whole file. It is opened read-only, and a
//! section is read only when asked for. Anything missing, foreign, truncated
//! or corrupted is a `Damage`, never a panic: the caller notes it and
//! rebuilds.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::OnceLock;

use super::wire::{CHECKSUM_LEN, Checksum, Reader, checksum};

use super::freshness::DataKey;

/// The first bytes of a snapshot; the last byte is the layout's version.
pub const MAGIC: &[u8; 8] = b"ejesnap\x02";

/// The largest header read (keys of a million files fit).
const MAX_HEADER: u64 = 1 << 30;

/// Why a snapshot cannot be used.
#[derive(Debug)]
pub enum Damage {
    /// There is no snapshot.
    Missing,
    /// The file is not an eje snapshot of this layout.
    Foreign,
    /// The file ends before what its header announces.
    Truncated,
    /// A checksum does not match: the header or the named section.
    Corrupt(String),
    /// The file could not be read.
    Io(io::Error),
}

impl Damage {
    /// One line for the user (D6), without the `note: ` prefix.
    pub fn note(&self, path: &Path) -> String {
        let what = match self {
            Damage::Missing => return format!("no snapshot at `{}`", path.display()),
            Damage::Foreign => "is not a snapshot of this version of eje".to_string(),
            Damage::Truncated => "is truncated".to_string(),
            Damage::Corrupt(part) => format!("is damaged ({part} checksum)"),
            Damage::Io(e) => format!("could not be read ({e})"),
        };
        format!(
            "the snapshot `{}` {what}; the data is read from its files and the snapshot rebuilt",
            path.display()
        )
    }
}

impl From<io::Error> for Damage {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            // No file, or no cache folder (a file in its place).
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => Damage::Missing,
            io::ErrorKind::UnexpectedEof => Damage::Truncated,
            _ => Damage::Io(e),
        }
    }
}

/// Writes a snapshot atomically: a temporary file beside `path`, synced,
/// then renamed over it. `sections` are (tag, bytes); tags should differ.
pub fn write(path: &Path, key: &DataKey, sections: &[(u32, &[u8])]) -> io::Result<()> {
    let key_bytes = key.to_bytes();
    let mut header = Vec::new();
    header.extend_from_slice(&(key_bytes.len() as u64).to_le_bytes());
    header.extend_from_slice(&key_bytes);
    header.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    let header_len = (header.len() + sections.len() * (4 + 8 + 8 + CHECKSUM_LEN)) as u64;
    let mut offset = (MAGIC.len() + 8 + CHECKSUM_LEN) as u64 + header_len;
    for (tag, bytes) in sections {
        header.extend_from_slice(&tag.to_le_bytes());
        header.extend_from_slice(&offset.to_le_bytes());
        header.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        header.extend_from_slice(&checksum(bytes));
        offset += bytes.len() as u64;
    }
    debug_assert_eq!(header.len() as u64, header_len);

    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".eje-snapshot-")
        .tempfile_in(dir)?;
    {
        let mut out = io::BufWriter::new(tmp.as_file_mut());
        out.write_all(MAGIC)?;
        out.write_all(&header_len.to_le_bytes())?;
        out.write_all(&header)?;
        out.write_all(&checksum(&header))?;
        for (_, bytes) in sections {
            out.write_all(bytes)?;
        }
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// An open snapshot: its key, and its sections read on demand.
#[derive(Debug)]
pub struct SnapFile {
    file: File,
    key: DataKey,
    sections: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    tag: u32,
    offset: u64,
    len: u64,
    sum: Checksum,
    bytes: OnceLock<Vec<u8>>,
}

impl SnapFile {
    /// Opens `path` read-only and checks its header; no section is read.
    pub fn open(path: &Path) -> Result<SnapFile, Damage> {
        let mut file = File::open(path)?;
        let file_len = file.metadata()?.len();
        let mut magic = [0u8; 8];
        file.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(Damage::Foreign);
        }
        let mut len = [0u8; 8];
        file.read_exact(&mut len)?;
        let header_len = u64::from_le_bytes(len);
        if header_len > MAX_HEADER {
            return Err(Damage::Corrupt("header".into()));
        }
        if header_len + (MAGIC.len() + 8 + CHECKSUM_LEN) as u64 > file_len {
            return Err(Damage::Truncated);
        }
        let mut header = vec![0u8; header_len as usize];
        file.read_exact(&mut header)?;
        let mut sum: Checksum = [0u8; CHECKSUM_LEN];
        file.read_exact(&mut sum)?;
        if checksum(&header) != sum {
            return Err(Damage::Corrupt("header".into()));
        }
        let (key, sections) = parse_header(&header).ok_or(Damage::Foreign)?;
        if sections
            .iter()
            .any(|s| s.offset.saturating_add(s.len) > file_len)
        {
            return Err(Damage::Truncated);
        }
        Ok(SnapFile {
            file,
            key,
            sections,
        })
    }

    /// The key of the data the snapshot was made from.
    pub fn key(&self) -> &DataKey {
        &self.key
    }

    /// The tags of the sections, in file order.
    pub fn tags(&self) -> Vec<u32> {
        self.sections.iter().map(|s| s.tag).collect()
    }

    /// The bytes of the section `tag`, read and checked on first use. `None`
    /// when there is no such section.
    pub fn section(&self, tag: u32) -> Option<Result<&[u8], Damage>> {
        let entry = self.sections.iter().find(|s| s.tag == tag)?;
        if let Some(bytes) = entry.bytes.get() {
            return Some(Ok(bytes));
        }
        Some(
            self.read_section(entry)
                .map(|bytes| entry.bytes.get_or_init(|| bytes).as_slice()),
        )
    }

    /// The bytes of the section `tag`, read and checked now and not kept
    /// (for a section read once, whose bytes should be freed once decoded).
    pub fn read_once(&self, tag: u32) -> Option<Result<Vec<u8>, Damage>> {
        let entry = self.sections.iter().find(|s| s.tag == tag)?;
        Some(match entry.bytes.get() {
            Some(bytes) => Ok(bytes.clone()),
            None => self.read_section(entry),
        })
    }

    fn read_section(&self, entry: &Entry) -> Result<Vec<u8>, Damage> {
        let len = usize::try_from(entry.len).map_err(|_| Damage::Truncated)?;
        let mut bytes = vec![0u8; len];
        read_at(&self.file, &mut bytes, entry.offset)?;
        if checksum(&bytes) != entry.sum {
            return Err(Damage::Corrupt(format!("section {}", entry.tag)));
        }
        Ok(bytes)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

fn parse_header(h: &[u8]) -> Option<(DataKey, Vec<Entry>)> {
    let mut c = Reader(h);
    let key_len = usize::try_from(c.u64()?).ok()?;
    let key = DataKey::from_bytes(c.take(key_len)?)?;
    let n = c.u32()? as usize;
    let mut sections = Vec::new();
    for _ in 0..n {
        sections.push(Entry {
            tag: c.u32()?,
            offset: c.u64()?,
            len: c.u64()?,
            sum: c.take(CHECKSUM_LEN)?.try_into().ok()?,
            bytes: OnceLock::new(),
        });
    }
    c.0.is_empty().then_some((key, sections))
}

#[cfg(test)]
mod tests;
