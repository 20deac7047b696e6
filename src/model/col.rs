//! Columns that are either owned or read in place from shared bytes, and
//! tables of cells filled on first read.
//!
//! A graph opened from its snapshot keeps the file's bytes (`Bytes`, e.g. a
//! memory map the loader made) and reads its columns in place: a `Col<T>`
//! is a typed view of an aligned range of them, cast safely (`bytemuck`),
//! so opening reads none of them and a query touches only the pages it
//! uses. The model knows nothing of files: bytes are whatever the caller
//! gives.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use bytemuck::Pod;

/// Bytes shared by the columns that read them (a memory map, or a buffer).
pub trait Bytes: AsRef<[u8]> + Send + Sync {}

impl<T: AsRef<[u8]> + Send + Sync> Bytes for T {}

/// A column of plain numbers: owned, or a view of shared bytes.
#[derive(Clone)]
pub enum Col<T: Pod> {
    Owned(Vec<T>),
    Mapped {
        bytes: Arc<dyn Bytes>,
        range: Range<usize>,
    },
}

impl<T: Pod> Default for Col<T> {
    fn default() -> Self {
        Col::Owned(Vec::new())
    }
}

impl<T: Pod> From<Vec<T>> for Col<T> {
    fn from(v: Vec<T>) -> Self {
        Col::Owned(v)
    }
}

impl<T: Pod> Col<T> {
    /// A view of `range` of `bytes`; `None` when the range is outside the
    /// bytes, not a whole number of `T` or not aligned for `T`.
    pub fn mapped(bytes: Arc<dyn Bytes>, range: Range<usize>) -> Option<Col<T>> {
        let all = (*bytes).as_ref();
        let part = all.get(range.clone())?;
        bytemuck::try_cast_slice::<u8, T>(part).ok()?;
        Some(Col::Mapped { bytes, range })
    }

    /// The numbers.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        match self {
            Col::Owned(v) => v,
            Col::Mapped { bytes, range } => (**bytes)
                .as_ref()
                .get(range.clone())
                .and_then(|b| bytemuck::try_cast_slice(b).ok())
                .unwrap_or(&[]),
        }
    }

    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// Whether the numbers are read in place.
    pub fn is_mapped(&self) -> bool {
        matches!(self, Col::Mapped { .. })
    }
}

impl<T: Pod> std::ops::Deref for Col<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Pod + fmt::Debug> fmt::Debug for Col<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Col::Owned(v) => write!(f, "Col::Owned({} items)", v.len()),
            Col::Mapped { range, .. } => write!(f, "Col::Mapped({range:?})"),
        }
    }
}

/// Strings end to end in one byte column, and where each starts (`n + 1`
/// offsets): read in place.
#[derive(Debug, Clone, Default)]
pub struct StrCol {
    pub offsets: Col<u64>,
    pub bytes: Col<u8>,
}

impl StrCol {
    pub fn build<'a>(strings: impl IntoIterator<Item = &'a str>) -> StrCol {
        let mut offsets = vec![0u64];
        let mut bytes = Vec::new();
        for s in strings {
            bytes.extend_from_slice(s.as_bytes());
            offsets.push(bytes.len() as u64);
        }
        StrCol {
            offsets: offsets.into(),
            bytes: bytes.into(),
        }
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The string `i`; `None` past the end or when its bytes are not text.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        std::str::from_utf8(self.view().slice(i)?).ok()
    }

    /// The columns found once, for a search that reads many strings.
    #[inline]
    pub fn view(&self) -> StrView<'_> {
        StrView {
            offsets: self.offsets.as_slice(),
            bytes: self.bytes.as_slice(),
        }
    }
}

/// A `StrCol`'s columns as plain slices (`StrCol::view`).
#[derive(Debug, Clone, Copy)]
pub struct StrView<'a> {
    offsets: &'a [u64],
    bytes: &'a [u8],
}

impl<'a> StrView<'a> {
    /// String `i`'s bytes; empty past the end. Strings compare by their
    /// bytes as `str`s do, so a search over strings sorted as text needs
    /// no check that each is text: the one it finds equal to a `str` is.
    #[inline]
    pub fn bytes(&self, i: usize) -> &'a [u8] {
        self.slice(i).unwrap_or(b"")
    }

    /// String `i`'s bytes; `None` past the end.
    #[inline]
    fn slice(&self, i: usize) -> Option<&'a [u8]> {
        let (a, b) = (*self.offsets.get(i)?, *self.offsets.get(i + 1)?);
        self.bytes
            .get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)
    }
}

/// How many cells share one chunk of a `Cells` table.
const CHUNK: usize = 64;

/// A table of `len` cells, each filled on first read; cells live in chunks
/// allocated when one of their cells is first read, so untouched parts of
/// the table cost one pointer per chunk.
pub struct Cells<T> {
    len: usize,
    chunks: Box<[OnceLock<Chunk<T>>]>,
}

/// The cells of one chunk.
type Chunk<T> = Box<[OnceLock<T>]>;

impl<T> Cells<T> {
    pub fn new(len: usize) -> Self {
        Cells {
            len,
            chunks: (0..len.div_ceil(CHUNK)).map(|_| OnceLock::new()).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The cell `i`, filled by `fill` on first read; `None` past the end.
    #[inline]
    pub fn get_or_init(&self, i: usize, fill: impl FnOnce() -> T) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let chunk = self.chunks.get(i / CHUNK)?.get_or_init(|| {
            let n = CHUNK.min(self.len - i / CHUNK * CHUNK);
            (0..n).map(|_| OnceLock::new()).collect()
        });
        Some(chunk.get(i % CHUNK)?.get_or_init(fill))
    }

    /// The cell `i` if it has been filled, without filling it.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get()?.get(i % CHUNK)?.get()
    }

    /// How many chunks have been allocated (for tests and accounting).
    pub fn touched_chunks(&self) -> usize {
        self.chunks.iter().filter(|c| c.get().is_some()).count()
    }
}

impl<T> fmt::Debug for Cells<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Cells({} cells, {} chunks touched)",
            self.len,
            self.touched_chunks()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes aligned for any column (a buffer of u64).
    struct Aligned(Vec<u64>);
    impl AsRef<[u8]> for Aligned {
        fn as_ref(&self) -> &[u8] {
            bytemuck::cast_slice(&self.0)
        }
    }

    #[test]
    fn a_mapped_column_reads_what_an_owned_one_holds() {
        let bytes: Arc<dyn Bytes> = Arc::new(Aligned(vec![1u64 | 2 << 32, 3, 4]));
        let col = Col::<u32>::mapped(bytes.clone(), 0..12).unwrap();
        assert_eq!(col.as_slice(), &[1, 2, 3]);
        assert!(col.is_mapped());
        assert!(
            Col::<u32>::mapped(bytes.clone(), 1..5).is_none(),
            "misaligned"
        );
        assert!(Col::<u32>::mapped(bytes.clone(), 0..6).is_none(), "ragged");
        assert!(Col::<u32>::mapped(bytes, 0..100).is_none(), "past the end");
    }

    #[test]
    fn strings_read_back_and_cells_fill_once() {
        let s = StrCol::build(["ab", "", "çd"]);
        assert_eq!(s.len(), 3);
        assert_eq!(
            (s.get(0), s.get(1), s.get(2), s.get(3)),
            (Some("ab"), Some(""), Some("çd"), None)
        );
        let v = s.view();
        assert_eq!(
            (v.bytes(0), v.bytes(1), v.bytes(2), v.bytes(3)),
            (&b"ab"[..], &b""[..], "çd".as_bytes(), &b""[..])
        );
        let cells: Cells<String> = Cells::new(3000);
        assert_eq!(cells.touched_chunks(), 0);
        assert_eq!(cells.get_or_init(2500, || "x".into()).unwrap(), "x");
        assert_eq!(cells.get_or_init(2500, || "y".into()).unwrap(), "x");
        assert_eq!(cells.touched_chunks(), 1);
        assert!(cells.get_or_init(3000, String::new).is_none());
    }
}
