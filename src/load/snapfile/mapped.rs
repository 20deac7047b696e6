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
use std::sync::Arc;

use crate::model::Bytes;

/// The whole of `file`, mapped read-only (an empty file is an empty
/// buffer: a zero-length mapping is an error on some systems).
pub fn map(file: &File) -> io::Result<Arc<dyn Bytes>> {
    if file.metadata()?.len() == 0 {
        return Ok(Arc::new(Vec::<u8>::new()));
    }
    // SAFETY: the mapping is read-only and of a snapshot file, which eje
    // only ever replaces by rename and never modifies in place (see the
    // module's comment); `memmap2` keeps the mapping alive as long as the
    // returned value, and every view of it borrows from that value.
    let map = unsafe { memmap2::MmapOptions::new().map(file)? };
    Ok(Arc::new(map))
}
