//! The one module of eje that may use `unsafe`: it maps a snapshot file
//! into memory, read-only, so that a graph opened from it reads its columns
//! in place (`model::Col`) instead of copying them.
//!
//! Why this is sound for eje's own files: a snapshot is written whole to a
//! temporary file and renamed over the old one (`snapfile::write`); eje
//! never writes into, or truncates, a snapshot in place. A reader's mapping
//! keeps the file it opened even after another process renames a new one
//! over it. The remaining risk is another program writing into the file in
//! place under a running eje: bytes rewritten after the open's checksums
//! are read as they are, and a read past the end of a file truncated
//! meanwhile stops the process with SIGBUS.
#![allow(unsafe_code)]

use std::fs::File;
use std::io;
use std::ops::Range;
use std::sync::Arc;

/// A snapshot file mapped read-only.
pub struct Map(memmap2::Mmap);

impl AsRef<[u8]> for Map {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Map {
    /// Gives back to the system the memory of the whole pages inside
    /// `range` (a range of the file), so that reading a section once to
    /// check it does not keep all of it in the process's memory: a later
    /// read finds the same bytes again in the file.
    #[cfg(unix)]
    pub fn release(&self, range: Range<usize>) {
        let page = page_size();
        let start = range.start.div_ceil(page) * page;
        let end = (range.end.min(self.0.len()) / page) * page;
        if start < end {
            // SAFETY: the mapping is shared and read-only, of a file eje never
            // writes into in place (see the module's comment), so after
            // MADV_DONTNEED a read of these pages fills them again from the
            // file with the bytes they held: every `&[u8]` into them stays
            // valid and sees the same bytes. The range lies inside the
            // mapping (clamped above). A failure only means the pages stay.
            let _ = unsafe {
                self.0.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    start,
                    end - start,
                )
            };
        }
    }

    #[cfg(not(unix))]
    pub fn release(&self, _range: Range<usize>) {}
}

#[cfg(unix)]
fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions; it returns -1 on error, taken as
    // a large page (releasing less, never more).
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(n)
        .ok()
        .filter(|&n| n > 0)
        .unwrap_or(1 << 16)
}

/// The whole of `file`, mapped read-only; `None` for an empty file (a
/// zero-length mapping is an error on some systems).
pub fn map(file: &File) -> io::Result<Option<Arc<Map>>> {
    if file.metadata()?.len() == 0 {
        return Ok(None);
    }
    // SAFETY: the mapping is read-only and of a snapshot file, which eje
    // only ever replaces by rename and never modifies in place (see the
    // module's comment); `memmap2` keeps the mapping alive as long as the
    // returned value, and every view of it borrows from that value.
    let map = unsafe { memmap2::MmapOptions::new().map(file)? };
    Ok(Some(Arc::new(Map(map))))
}
