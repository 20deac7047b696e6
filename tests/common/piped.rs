//! `eje` driven through a pipe a statement at a time: the test writes to
//! its standard input and reads its answer before writing more. Reads
//! block; a watchdog kills the child when the test has not finished in a
//! generous time, so a shell that waits for more input than it needs makes
//! the test fail instead of hang.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct Piped {
    child: Arc<Mutex<Child>>,
    /// The child's process id (for `/proc/PID/status`).
    #[allow(dead_code)] // Not every test that includes this module reads it.
    pub pid: u32,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    stderr: Option<JoinHandle<String>>,
    /// Dropped when the test is done: the watchdog stands down.
    _done: mpsc::Sender<()>,
}

impl Piped {
    /// Spawns `command` with piped standard streams and a watchdog that
    /// kills it after `limit`.
    pub fn spawn(mut command: Command, limit: Duration) -> Piped {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn eje");
        let pid = child.id();
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut err = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        let child = Arc::new(Mutex::new(child));
        let (done, wait) = mpsc::channel::<()>();
        let watched = child.clone();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
                eprintln!("watchdog: eje did not answer in {limit:?}; killing it");
                let _ = watched.lock().unwrap().kill();
            }
        });
        Piped {
            child,
            pid,
            stdin,
            stdout,
            stderr: Some(stderr),
            _done: done,
        }
    }

    /// Writes `text` and flushes it (the pipe stays open).
    pub fn send(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(text.as_bytes()).expect("write to eje");
        stdin.flush().expect("flush to eje");
    }

    /// Reads one line of standard output (without its line break); panics
    /// when the output ended (or the watchdog killed the child).
    pub fn line(&mut self) -> String {
        let mut line = String::new();
        let n = self.stdout.read_line(&mut line).expect("read from eje");
        assert!(n > 0, "eje's output ended while an answer was awaited");
        line.trim_end_matches(['\n', '\r']).to_string()
    }

    /// Reads lines up to and including the first equal to `last`; returns
    /// them all.
    pub fn until(&mut self, last: &str) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let l = self.line();
            let end = l == last;
            lines.push(l);
            if end {
                return lines;
            }
        }
    }

    /// Closes standard input, reads what output is left, and waits: the
    /// exit status, the rest of standard output and all of standard error.
    pub fn finish(mut self) -> (ExitStatus, String, String) {
        drop(self.stdin.take());
        let mut rest = String::new();
        self.stdout
            .read_to_string(&mut rest)
            .expect("read from eje");
        let status = loop {
            if let Some(s) = self.child.lock().unwrap().try_wait().expect("wait") {
                break s;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = self.stderr.take().unwrap().join().unwrap();
        (status, rest, stderr)
    }
}
