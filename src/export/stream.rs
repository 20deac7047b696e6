//! Writing an export as it is made: text is gathered per node or relation
//! in a small buffer and handed to the writer whenever the buffer passes a
//! few pages, so no export holds its whole output in memory. A progress
//! line on the terminal follows the elements written.

use std::io::{self, Write};
use std::ops::{Deref, DerefMut};
use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How much text is gathered before it is written.
const CHUNK: usize = 1 << 16;

/// How long an export runs before its progress line appears.
const DELAY: Duration = Duration::from_secs(1);

/// A progress line for long exports: on stderr, only when asked for (the
/// caller knows whether stderr is a terminal) and only once the export has
/// taken more than a second.
pub struct Progress {
    bar: Option<ProgressBar>,
    done: Option<mpsc::Sender<()>>,
}

impl Progress {
    /// No progress line.
    pub fn off() -> Self {
        Progress {
            bar: None,
            done: None,
        }
    }

    /// A progress line over `total` elements when `on`.
    pub fn new(on: bool, total: u64, what: &str) -> Self {
        if !on {
            return Progress::off();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} exporting {msg}: {bar:30} {human_pos}/{human_len} ({elapsed})",
        ) {
            bar.set_style(style);
        }
        bar.set_message(what.to_string());
        let (done, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(DELAY) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar: Some(bar),
            done: Some(done),
        }
    }

    /// One more element written.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Changes what the line says it is doing.
    pub fn phase(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

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
