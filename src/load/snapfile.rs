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
//! checksum of the header (16 bytes) | the sections' bytes, each starting
//! at a multiple of 8 (zero bytes between)
//! ```
//!
//! The checksums are XXH3-128 (`wire::checksum`): they guard against
//! truncation, torn writes and damage, not against an attacker (the cache
//! folder is the user's own), and at several GB/s they cost little of an
//! open.
//!
//! A file is written to a temporary file in the same folder and renamed
//! over the old one, so a reader never sees half a file and two writers at
//! once leave one whole file. It is not synced before the rename: the
//! snapshot is a cache, every byte of it is under a checksum verified at
//! open, so a file that a power loss left torn (zeroed or stale pages
//! behind a renamed name) is found damaged, noted in one line and rebuilt
//! from the data files, which are the truth; a sync would make every first
//! load wait for the disk to guard nothing more. Its sections are streamed
//! (`write_with`): the caller hands them over in pieces, a second thread
//! hashes and writes them, and the header, whose length the announced
//! number of sections fixes, is written last at the start. It is opened read-only and mapped
//! into memory (`mapped`, the one module allowed `unsafe`): a section is a
//! range of the mapping, aligned so that columns of numbers are read in
//! place. A section's checksum is verified on its first read, or all of
//! them at once (`verify_all`). Anything missing, foreign, truncated or
//! corrupted is a `Damage`, never a panic: the caller notes it and
//! rebuilds.

use std::fs::File;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::model::Bytes;

use super::wire::{CHECKSUM_LEN, Checksum, Hasher, Reader, checksum};

use super::freshness::DataKey;

/// The first bytes of a snapshot; the last byte is the layout's version.
pub const MAGIC: &[u8; 8] = b"ejesnap\x05";

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

/// The alignment of every section's start.
const ALIGN: u64 = 8;

fn align(at: u64) -> u64 {
    at.div_ceil(ALIGN) * ALIGN
}

/// Where each section lies and its checksum: what the header lists.
#[derive(Debug, Clone, Copy)]
struct Placed {
    tag: u32,
    offset: u64,
    len: u64,
    sum: Checksum,
}

/// The length of the header of a snapshot with a key of `key_len` bytes
/// and `count` sections (the magic and the length are not in it).
fn header_len(key_len: usize, count: usize) -> u64 {
    (8 + key_len + 4 + count * (4 + 8 + 8 + CHECKSUM_LEN)) as u64
}

/// Where the first section may start.
fn body_start(header_len: u64) -> u64 {
    (MAGIC.len() + 8 + CHECKSUM_LEN) as u64 + header_len
}

/// What comes before the sections: the magic, the header's length, the
/// header and its checksum.
fn prefix(key_bytes: &[u8], placed: &[Placed]) -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&(key_bytes.len() as u64).to_le_bytes());
    header.extend_from_slice(key_bytes);
    header.extend_from_slice(&(placed.len() as u32).to_le_bytes());
    for p in placed {
        header.extend_from_slice(&p.tag.to_le_bytes());
        header.extend_from_slice(&p.offset.to_le_bytes());
        header.extend_from_slice(&p.len.to_le_bytes());
        header.extend_from_slice(&p.sum);
    }
    debug_assert_eq!(
        header.len() as u64,
        header_len(key_bytes.len(), placed.len())
    );
    let mut out = Vec::with_capacity(header.len() + 32 + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&checksum(&header));
    out
}

/// Writes the whole snapshot to `out` (made in memory: `image`).
fn write_to(out: &mut impl Write, key: &DataKey, sections: &[(u32, &[u8])]) -> io::Result<()> {
    let key_bytes = key.to_bytes();
    let mut at = body_start(header_len(key_bytes.len(), sections.len()));
    let placed: Vec<Placed> = sections
        .iter()
        .map(|(tag, bytes)| {
            let offset = align(at);
            at = offset + bytes.len() as u64;
            Placed {
                tag: *tag,
                offset,
                len: bytes.len() as u64,
                sum: checksum(bytes),
            }
        })
        .collect();
    let head = prefix(&key_bytes, &placed);
    out.write_all(&head)?;
    let mut at = head.len() as u64;
    for ((_, bytes), p) in sections.iter().zip(&placed) {
        out.write_all(&[0u8; ALIGN as usize][..(p.offset - at) as usize])?;
        out.write_all(bytes)?;
        at = p.offset + p.len;
    }
    Ok(())
}

/// Writes a snapshot atomically: a temporary file beside `path`, renamed
/// over it (not synced: see the module's comment). `sections` are (tag,
/// bytes); tags should differ.
pub fn write(path: &Path, key: &DataKey, sections: &[(u32, &[u8])]) -> io::Result<()> {
    write_with(path, key, sections.len(), |out| {
        for (tag, bytes) in sections {
            out.section(*tag, Chunk::Lent(bytes))?;
        }
        Ok(())
    })
}

/// A piece of a section: bytes made for the snapshot (moved to the
/// writer) or lent by what is written (a column of the graph).
#[derive(Debug)]
pub enum Chunk<'a> {
    Bytes(Vec<u8>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    Quads(Vec<[u32; 4]>),
    Lent(&'a [u8]),
}

impl Chunk<'_> {
    /// The length of bytes made for the snapshot; `None` for lent ones.
    fn owned_len(&self) -> Option<u64> {
        match self {
            Chunk::Lent(_) => None,
            other => Some(other.bytes().len() as u64),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            Chunk::Bytes(v) => v,
            Chunk::U32(v) => bytemuck::cast_slice(v),
            Chunk::U64(v) => bytemuck::cast_slice(v),
            Chunk::Quads(v) => bytemuck::cast_slice(v),
            Chunk::Lent(b) => b,
        }
    }
}

/// Where sections go, one after another: a section is begun, then given
/// its bytes in one or more chunks.
pub trait Sections<'a> {
    /// Starts the section `tag` (and ends the one before).
    fn begin(&mut self, tag: u32) -> io::Result<()>;
    /// More bytes of the section begun last.
    fn put(&mut self, chunk: Chunk<'a>) -> io::Result<()>;
    /// A whole section in one chunk.
    fn section(&mut self, tag: u32, chunk: Chunk<'a>) -> io::Result<()> {
        self.begin(tag)?;
        self.put(chunk)
    }
    /// A whole section whose bytes were made before the bytes given so
    /// far were written: waiting for the writer would not free memory, so
    /// it is queued at once.
    fn section_made(&mut self, tag: u32, chunk: Chunk<'a>) -> io::Result<()> {
        self.section(tag, chunk)
    }
}

/// Sections kept in memory (tests and benchmarks: `image`).
impl<'a> Sections<'a> for Vec<(u32, Vec<u8>)> {
    fn begin(&mut self, tag: u32) -> io::Result<()> {
        self.push((tag, Vec::new()));
        Ok(())
    }

    fn put(&mut self, chunk: Chunk<'a>) -> io::Result<()> {
        match self.last_mut() {
            Some((_, bytes)) => {
                bytes.extend_from_slice(chunk.bytes());
                Ok(())
            }
            None => Err(io::Error::other("bytes given before any section")),
        }
    }
}

/// What the filling side sends to the thread that writes the file: a
/// section's start, or bytes, counted in the queue (`Queue`) or not.
enum Msg<'a> {
    Begin(u32),
    Put(Chunk<'a>, bool),
}

/// The sections of a snapshot being written: handed to a second thread,
/// which hashes them and writes them to the file while the first encodes
/// the next ones.
struct Sink<'a> {
    tx: std::sync::mpsc::Sender<Msg<'a>>,
    queue: Arc<Queue>,
}

/// How many bytes made for the snapshot may wait for the writer: the
/// filling side stops to wait beyond. Bytes lent by the graph take no
/// memory of their own, so they never wait: the writer takes them while
/// the filling side makes the next sections.
const QUEUED: u64 = 8 << 20;

/// The bytes made for the snapshot that the writer has not written yet,
/// and whether the writer stopped.
#[derive(Default)]
struct Queue {
    state: std::sync::Mutex<(u64, bool)>,
    taken: std::sync::Condvar,
}

impl Queue {
    /// Waits until `len` more bytes may be queued; false when the writer
    /// stopped.
    fn add(&self, len: u64) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        while state.0 > 0 && state.0 + len > QUEUED && !state.1 {
            state = match self.taken.wait(state) {
                Ok(s) => s,
                Err(_) => return false,
            };
        }
        state.0 += len;
        !state.1
    }

    /// The writer took `len` bytes off the queue.
    fn took(&self, len: u64) {
        if let Ok(mut state) = self.state.lock() {
            state.0 = state.0.saturating_sub(len);
        }
        self.taken.notify_all();
    }

    /// The writer stopped, whether done or failed: nobody waits for it.
    fn stopped(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.1 = true;
        }
        self.taken.notify_all();
    }
}

/// Tells the queue that the writer stopped, however its thread ends.
struct Stopped(Arc<Queue>);

impl Drop for Stopped {
    fn drop(&mut self) {
        self.0.stopped();
    }
}

impl<'a> Sections<'a> for Sink<'a> {
    fn begin(&mut self, tag: u32) -> io::Result<()> {
        self.send(Msg::Begin(tag))
    }

    fn put(&mut self, chunk: Chunk<'a>) -> io::Result<()> {
        let counted = chunk.owned_len().is_some();
        self.send(Msg::Put(chunk, counted))
    }

    fn section_made(&mut self, tag: u32, chunk: Chunk<'a>) -> io::Result<()> {
        self.send(Msg::Begin(tag))?;
        self.send(Msg::Put(chunk, false))
    }
}

impl<'a> Sink<'a> {
    fn send(&self, msg: Msg<'a>) -> io::Result<()> {
        // The writer stopped: its own error is the one returned.
        let stopped = || io::Error::from(io::ErrorKind::BrokenPipe);
        if let Msg::Put(chunk, true) = &msg
            && let Some(len) = chunk.owned_len()
            && !self.queue.add(len)
        {
            return Err(stopped());
        }
        self.tx.send(msg).map_err(|_| stopped())
    }
}

/// Writes what `rx` brings to `out` from offset `at`, each section aligned,
/// and says where each went.
fn drain(
    rx: std::sync::mpsc::Receiver<Msg<'_>>,
    queue: &Queue,
    out: &mut impl Write,
    mut at: u64,
) -> io::Result<Vec<Placed>> {
    let mut placed: Vec<Placed> = Vec::new();
    let mut open: Option<(Placed, Hasher)> = None;
    let close = |open: Option<(Placed, Hasher)>, placed: &mut Vec<Placed>| {
        if let Some((mut p, h)) = open {
            p.sum = h.digest128().to_le_bytes();
            placed.push(p);
        }
    };
    for msg in rx {
        match msg {
            Msg::Begin(tag) => {
                close(open.take(), &mut placed);
                let offset = align(at);
                out.write_all(&[0u8; ALIGN as usize][..(offset - at) as usize])?;
                at = offset;
                let p = Placed {
                    tag,
                    offset,
                    len: 0,
                    sum: [0; CHECKSUM_LEN],
                };
                open = Some((p, Hasher::new()));
            }
            Msg::Put(chunk, counted) => {
                let Some((p, hasher)) = open.as_mut() else {
                    return Err(io::Error::other("bytes given before any section"));
                };
                let bytes = chunk.bytes();
                hasher.update(bytes);
                out.write_all(bytes)?;
                p.len += bytes.len() as u64;
                at += bytes.len() as u64;
                if let Some(len) = chunk.owned_len().filter(|_| counted) {
                    drop(chunk);
                    queue.took(len);
                }
            }
        }
    }
    close(open, &mut placed);
    Ok(placed)
}

/// Writes a snapshot of exactly `count` sections, which `fill` gives one
/// after another, atomically: into a temporary file beside `path` (a
/// second thread hashes and writes what `fill` hands it, so encoding and
/// writing overlap), the header last at its start, then renamed over
/// `path` (not synced: a torn file fails its checksums at open and is
/// rebuilt).
pub fn write_with<'a>(
    path: &Path,
    key: &DataKey,
    count: usize,
    fill: impl FnOnce(&mut dyn Sections<'a>) -> io::Result<()>,
) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".eje-snapshot-")
        .tempfile_in(dir)?;
    let (mut file, tmp_path) = tmp.into_parts();
    let key_bytes = key.to_bytes();
    let start = body_start(header_len(key_bytes.len(), count));
    file.seek(SeekFrom::Start(start))?;
    let (placed, file) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<Msg<'a>>();
        let queue = Arc::new(Queue::default());
        let stopped = Stopped(queue.clone());
        let writer = scope.spawn(move || {
            let stopped = stopped;
            let mut out = io::BufWriter::with_capacity(1 << 20, file);
            let placed = drain(rx, &stopped.0, &mut out, start)?;
            let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
            Ok::<_, io::Error>((placed, file))
        });
        let mut sink = Sink { tx, queue };
        let filled = fill(&mut sink);
        drop(sink);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the snapshot writer stopped")));
        // The writer's error says more than the filler's broken pipe.
        let (placed, file) = written?;
        filled?;
        Ok::<_, io::Error>((placed, file))
    })?;
    if placed.len() != count {
        return Err(io::Error::other(format!(
            "{} sections written where {count} were announced",
            placed.len()
        )));
    }
    let mut file = file;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&prefix(&key_bytes, &placed))?;
    tmp_path.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Bytes aligned for any column: what a snapshot made in memory is kept in.
#[derive(Debug)]
pub struct Aligned {
    words: Vec<u64>,
    len: usize,
}

impl Aligned {
    pub fn new(bytes: &[u8]) -> Aligned {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
        Aligned {
            words,
            len: bytes.len(),
        }
    }
}

impl AsRef<[u8]> for Aligned {
    fn as_ref(&self) -> &[u8] {
        &bytemuck::cast_slice::<u64, u8>(&self.words)[..self.len]
    }
}

/// The bytes of a snapshot file of `sections`, made in memory (tests and
/// benchmarks open it with `SnapFile::from_bytes`).
pub fn image(key: &DataKey, sections: &[(u32, &[u8])]) -> Aligned {
    let mut out = Vec::new();
    // Writing to a vector cannot fail.
    let _ = write_to(&mut out, key, sections);
    Aligned::new(&out)
}

/// An open snapshot: its key, and its sections, ranges of its bytes.
pub struct SnapFile {
    bytes: Arc<dyn Bytes>,
    /// The mapping behind `bytes`, when it is a mapped file: what a check
    /// has read is given back to the system (`mapped::Map::release`).
    map: Option<Arc<mapped::Map>>,
    key: DataKey,
    sections: Vec<Entry>,
}

impl std::fmt::Debug for SnapFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapFile")
            .field("len", &(*self.bytes).as_ref().len())
            .field("sections", &self.sections)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct Entry {
    tag: u32,
    offset: u64,
    len: u64,
    sum: Checksum,
    /// Whether the checksum matched, once verified.
    checked: OnceLock<bool>,
}

impl SnapFile {
    /// Opens `path` read-only, maps it and checks its header; no section is
    /// read.
    pub fn open(path: &Path) -> Result<SnapFile, Damage> {
        let file = File::open(path)?;
        if !file.metadata()?.is_file() {
            return Err(Damage::Foreign);
        }
        let map = mapped::map(&file)?;
        let bytes: Arc<dyn Bytes> = match &map {
            Some(m) => m.clone(),
            None => Arc::new(Vec::<u8>::new()),
        };
        let mut snap = SnapFile::from_bytes(bytes)?;
        snap.map = map;
        Ok(snap)
    }

    /// A snapshot in `bytes` (a mapped file, or an `image`).
    pub fn from_bytes(bytes: Arc<dyn Bytes>) -> Result<SnapFile, Damage> {
        let all: &[u8] = (*bytes).as_ref();
        let file_len = all.len() as u64;
        let mut r = Reader(all);
        let magic = r.take(MAGIC.len()).ok_or(Damage::Truncated)?;
        if magic != MAGIC {
            return Err(Damage::Foreign);
        }
        let header_len = r.u64().ok_or(Damage::Truncated)?;
        if header_len > MAX_HEADER {
            return Err(Damage::Corrupt("header".into()));
        }
        if header_len + (MAGIC.len() + 8 + CHECKSUM_LEN) as u64 > file_len {
            return Err(Damage::Truncated);
        }
        let header = r.take(header_len as usize).ok_or(Damage::Truncated)?;
        let sum = r.take(CHECKSUM_LEN).ok_or(Damage::Truncated)?;
        if checksum(header) != sum {
            return Err(Damage::Corrupt("header".into()));
        }
        let (key, sections) = parse_header(header).ok_or(Damage::Foreign)?;
        if sections
            .iter()
            .any(|s| s.offset.saturating_add(s.len) > file_len)
        {
            return Err(Damage::Truncated);
        }
        Ok(SnapFile {
            bytes,
            map: None,
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

    /// The snapshot's bytes, for views of its sections (`range`).
    pub fn bytes(&self) -> &Arc<dyn Bytes> {
        &self.bytes
    }

    /// The bytes of the section `tag`, checked on first use. `None` when
    /// there is no such section.
    pub fn section(&self, tag: u32) -> Option<Result<&[u8], Damage>> {
        let range = match self.range(tag)? {
            Ok(r) => r,
            Err(d) => return Some(Err(d)),
        };
        Some((*self.bytes).as_ref().get(range).ok_or(Damage::Truncated))
    }

    /// Where the section `tag` lies in `bytes`, checked on first use.
    pub fn range(&self, tag: u32) -> Option<Result<Range<usize>, Damage>> {
        let entry = self.sections.iter().find(|s| s.tag == tag)?;
        Some(self.check(entry))
    }

    /// Verifies every section's checksum now (on two threads), so that
    /// damage anywhere is found before the snapshot is used.
    pub fn verify_all(&self) -> Result<(), Damage> {
        let (a, b): (Vec<&Entry>, Vec<&Entry>) = {
            // Two halves of about the same size.
            let total: u64 = self.sections.iter().map(|s| s.len).sum();
            let mut acc = 0;
            self.sections.iter().partition(|s| {
                acc += s.len;
                acc <= total / 2
            })
        };
        let check_all =
            |list: Vec<&Entry>| list.into_iter().try_for_each(|e| self.check(e).map(drop));
        std::thread::scope(|scope| {
            let other = scope.spawn(|| check_all(b));
            let mine = check_all(a);
            let other = other
                .join()
                .unwrap_or(Err(Damage::Corrupt("section".into())));
            mine.and(other)
        })
    }

    fn check(&self, entry: &Entry) -> Result<Range<usize>, Damage> {
        let start = usize::try_from(entry.offset).map_err(|_| Damage::Truncated)?;
        let len = usize::try_from(entry.len).map_err(|_| Damage::Truncated)?;
        let range = start..start.checked_add(len).ok_or(Damage::Truncated)?;
        let ok = *entry.checked.get_or_init(|| {
            let Some(bytes) = (*self.bytes).as_ref().get(range.clone()) else {
                return false;
            };
            let Some(map) = &self.map else {
                return checksum(bytes) == entry.sum;
            };
            // Read in slices, each given back once hashed: checking a large
            // file does not make all of it part of the process's memory.
            const SLICE: usize = 8 << 20;
            let mut hasher = Hasher::new();
            for (i, slice) in bytes.chunks(SLICE).enumerate() {
                hasher.update(slice);
                let at = start + i * SLICE;
                map.release(at..at + slice.len());
            }
            hasher.digest128().to_le_bytes() == entry.sum
        });
        if ok {
            Ok(range)
        } else {
            Err(Damage::Corrupt(format!("section {}", entry.tag)))
        }
    }
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
            checked: OnceLock::new(),
        });
    }
    c.0.is_empty().then_some((key, sections))
}

mod mapped;

#[cfg(test)]
mod tests;
