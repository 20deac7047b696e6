//! Writing an export as it is made: text is gathered per node or relation
//! in a small buffer and handed to the writer whenever the buffer passes a
//! few pages, so no export holds its whole output in memory. A progress
//! line on the terminal follows the elements written.

use std::io::{self, Write};
use std::ops::{Deref, DerefMut};

/// How much text is gathered before it is written.
const CHUNK: usize = 1 << 16;

pub use crate::progress::Progress;

/// Text on its way to a writer. Reads and writes like a `String` (so
/// `writeln!` and `push_str` work); `step` marks the end of one element and
/// passes the text on when there is enough of it; `finish` passes the rest.
pub struct Chunks<'a> {
    buf: String,
    out: &'a mut dyn Write,
    progress: &'a Progress,
}

impl<'a> Chunks<'a> {
    pub fn new(out: &'a mut dyn Write, progress: &'a Progress) -> Self {
        Chunks {
            buf: String::with_capacity(CHUNK + CHUNK / 4),
            out,
            progress,
        }
    }

    /// One element is done: write the text gathered once there is enough.
    pub fn step(&mut self) -> io::Result<()> {
        self.progress.inc(1);
        if self.buf.len() >= CHUNK {
            self.out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes what is left and flushes the writer.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        self.out.flush()
    }
}

impl Deref for Chunks<'_> {
    type Target = String;
    fn deref(&self) -> &String {
        &self.buf
    }
}

impl DerefMut for Chunks<'_> {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.buf
    }
}

impl std::fmt::Write for Chunks<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.buf.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reaches_the_writer_in_chunks_and_in_order() {
        let mut out = Vec::new();
        let progress = Progress::off();
        let mut c = Chunks::new(&mut out, &progress);
        let line = "x".repeat(1000);
        let mut expected = String::new();
        for i in 0..200 {
            use std::fmt::Write as _;
            let _ = writeln!(c, "{i} {line}");
            let _ = writeln!(expected, "{i} {line}");
            c.step().unwrap();
            // Never more than one chunk (plus one element) held back.
            assert!(c.len() < CHUNK + 1100);
        }
        c.push_str("end\n");
        c.finish().unwrap();
        expected.push_str("end\n");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
