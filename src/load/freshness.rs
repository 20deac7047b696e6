//! Whether a snapshot of a data folder still is that data: the key of every
//! data file and of the running binary, taken before the files are read and
//! compared when the folder is opened again.
//!
//! A file's stamp is its path (relative to the data folder), size,
//! modification and change times in nanoseconds, inode and device. The change
//! time cannot be set back by user tools, so an edit that keeps the size and
//! restores the modification time is still seen, as is a file replaced by
//! another (a new inode), added, removed or renamed (the list of paths).
//!
//! File systems update these times at a coarse clock (a few milliseconds), so
//! a file written just before the key was taken could be written again within
//! the same tick and keep every stamp (git's "racily clean" files). A file
//! whose modification or change time lies within `RACY_WINDOW` of the moment
//! the key is taken therefore also records a SHA-256 of its content, checked
//! when the key is compared.
//!
//! The binary is named by its version and the size, modification time and
//! inode of its executable: every development build is 0.1.0, and a new build
//! is a new file.
//!
//! Keys are written as bytes (`to_bytes`) and read back (`from_bytes`), which
//! refuses anything truncated, foreign or of another layout with `None` and
//! never panics.

use std::fs::Metadata;
use std::io;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use super::wire::{Reader, Writer, sha256_file as hash_file};

/// How close to the moment a key is taken a file's times must be for its
/// content to be hashed as well.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

/// The first bytes of an encoded key; the last byte is the layout's version.
const MAGIC: &[u8; 8] = b"ejekey\x00\x01";

/// What identifies one file's state without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Path relative to the data folder, `/`-separated.
    pub rel: String,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub inode: u64,
    pub device: u64,
}

/// One file of the key: its stamp and, for a file changed just before the key
/// was taken, the SHA-256 of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileKey {
    pub stamp: Stamp,
    pub content: Option<[u8; 32]>,
}

/// The key of a data folder as a given binary read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataKey {
    /// The binary's identity (`build_id`).
    pub build: String,
    /// Every data file, in the order given.
    pub files: Vec<FileKey>,
}

impl DataKey {
    /// Takes the key of the files `rels` (relative to `root`), before they
    /// are read: a file changed while it is read then has a newer stamp than
    /// the key, and the next open sees it.
    pub fn capture(root: &Path, rels: &[String]) -> io::Result<DataKey> {
        Self::capture_at(root, rels, SystemTime::now(), &build_id())
    }

    /// `capture` at a given moment and for a given binary identity.
    pub fn capture_at(
        root: &Path,
        rels: &[String],
        now: SystemTime,
        build: &str,
    ) -> io::Result<DataKey> {
        let racy_after = nanos(
            now.checked_sub(RACY_WINDOW)
                .unwrap_or(SystemTime::UNIX_EPOCH),
        );
        let mut files = Vec::with_capacity(rels.len());
        for rel in rels {
            let path = root.join(rel);
            let stamp = stamp_of(rel, &std::fs::metadata(&path)?);
            let content = if stamp.mtime_ns.max(stamp.ctime_ns) >= racy_after {
                Some(hash_file(&path)?)
            } else {
                None
            };
            files.push(FileKey { stamp, content });
        }
        Ok(DataKey {
            build: build.to_string(),
            files,
        })
    }

    /// Whether the files `rels` under `root`, read by this binary, are still
    /// what this key describes. Any error reading a stamp means no.
    pub fn matches(&self, root: &Path, rels: &[String]) -> bool {
        self.matches_build(root, rels, &build_id())
    }

    /// `matches` for a given binary identity.
    pub fn matches_build(&self, root: &Path, rels: &[String], build: &str) -> bool {
        if self.build != build || self.files.len() != rels.len() {
            return false;
        }
        self.files.iter().zip(rels).all(|(key, rel)| {
            let path = root.join(rel);
            let Ok(meta) = std::fs::metadata(&path) else {
                return false;
            };
            if stamp_of(rel, &meta) != key.stamp {
                return false;
            }
            match key.content {
                None => true,
                Some(want) => hash_file(&path).is_ok_and(|got| got == want),
            }
        })
    }

    /// The key as bytes, for a snapshot's header.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer {
            out: MAGIC.to_vec(),
        };
        w.bytes(self.build.as_bytes());
        w.u64(self.files.len() as u64);
        for f in &self.files {
            let s = &f.stamp;
            w.bytes(s.rel.as_bytes());
            w.u64(s.size);
            w.i128(s.mtime_ns);
            w.i128(s.ctime_ns);
            w.u64(s.inode);
            w.u64(s.device);
            match &f.content {
                None => w.u8(0),
                Some(h) => {
                    w.u8(1);
                    w.out.extend_from_slice(h);
                }
            }
        }
        w.out
    }

    /// Reads a key written by `to_bytes`; `None` for anything else
    /// (truncated, trailing bytes, another layout, not UTF-8).
    pub fn from_bytes(bytes: &[u8]) -> Option<DataKey> {
        let mut r = Reader(bytes);
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let build = r.string()?;
        let n = r.u64()?;
        // Every file takes at least 65 bytes: refuse a count the rest
        // cannot hold before allocating for it.
        if n > (r.0.len() / 65) as u64 {
            return None;
        }
        let mut files = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let stamp = Stamp {
                rel: r.string()?,
                size: r.u64()?,
                mtime_ns: r.i128()?,
                ctime_ns: r.i128()?,
                inode: r.u64()?,
                device: r.u64()?,
            };
            let content = match r.u8()? {
                0 => None,
                1 => Some(r.take(32)?.try_into().ok()?),
                _ => return None,
            };
            files.push(FileKey { stamp, content });
        }
        r.0.is_empty().then_some(DataKey { build, files })
    }
}

/// The running binary's identity: its version and its executable's size,
/// modification time and inode (every development build is 0.1.0). Taken
/// once per process; an executable that cannot be found gives a fresh,
/// unique identity, so no snapshot is ever reused by it.
pub fn build_id() -> String {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let version = env!("CARGO_PKG_VERSION");
        match std::env::current_exe().and_then(std::fs::metadata) {
            Ok(meta) => {
                let s = stamp_of("", &meta);
                format!("{version}/{}/{}/{}", s.size, s.mtime_ns, s.inode)
            }
            Err(_) => format!(
                "{version}/unknown/{}/{}",
                std::process::id(),
                nanos(SystemTime::now())
            ),
        }
    })
    .clone()
}

fn stamp_of(rel: &str, meta: &Metadata) -> Stamp {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            rel: rel.to_string(),
            size: meta.size(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        }
    }
    #[cfg(not(unix))]
    {
        let mtime = meta.modified().map(nanos).unwrap_or(0);
        Stamp {
            rel: rel.to_string(),
            size: meta.len(),
            mtime_ns: mtime,
            // No change time here: every file counts as racy, so its content
            // is hashed.
            ctime_ns: i128::MAX,
            inode: 0,
            device: 0,
        }
    }
}

/// Nanoseconds since the Unix epoch (negative before it).
fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

#[cfg(test)]
mod tests;
