//! `eje --watch` and `:watch on`: a thread that waits for saves in the data
//! folder (`crate::watch`), loads the data again and says what happened
//! through rustyline's external printer, so the line being typed is
//! redrawn below the notice, not broken. A dataset that loads is handed to
//! the shell, which puts it in place before the next input runs: a
//! statement already running finishes on the graph it started with. One
//! that does not load is reported and dropped: the old graph keeps
//! answering, as after a failed `:reload`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use rustyline::ExternalPrinter;

use crate::session::GraphSource;

/// A dataset that loaded, waiting to be put in place.
pub type Reloaded = crate::session::Loaded;

pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    pub reloaded: mpsc::Receiver<Reloaded>,
}

impl Watcher {
    /// Starts watching the folder the session's data comes from.
    pub fn start(
        source: &GraphSource,
        mut printer: impl ExternalPrinter + Send + 'static,
        err_color: bool,
    ) -> Result<Watcher, String> {
        let dir: PathBuf = match source {
            GraphSource::Data(location) => location.dir().ok_or_else(|| {
                "the bundled dataset cannot change: there is nothing to watch\n  help: start eje with `--data DIR`".to_string()
            })?,
            GraphSource::Script(file) => {
                return Err(format!(
                    "watching reloads curated data, and this graph comes from the script `{}`",
                    file.display()
                ));
            }
        };
        let watch = crate::watch::Watch::new(&dir)
            .map_err(|e| format!("cannot watch `{}`: {e}", dir.display()))?;
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let source = source.clone();
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                if !watch.wait_timeout(Duration::from_millis(200)) {
                    continue;
                }
                let what = source.describe();
                let notice = match source.load() {
                    Ok(loaded) => {
                        let g = &loaded.graph;
                        let text = format!(
                            "reloaded {what} (a file changed): {} entities, {} relations, {} sources",
                            g.node_count(),
                            g.rel_count(),
                            g.sources().len()
                        );
                        if tx.send(loaded).is_err() {
                            break;
                        }
                        text
                    }
                    Err(failure) => format!(
                        "{}error: {what} could not be loaded: {} error(s); still using the graph loaded before",
                        failure.render(err_color),
                        failure.error_count()
                    ),
                };
                if printer.print(format!("{notice}\n")).is_err() {
                    break;
                }
            }
        });
        Ok(Watcher {
            stop,
            thread: Some(thread),
            reloaded: rx,
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
