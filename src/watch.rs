//! Watching a data folder: one notice per burst of saves that touch a file
//! the loader reads (`load::is_data_path`), through the notify crate
//! (inotify, FSEvents, ReadDirectoryChangesW; no polling) and its
//! debouncer. A save by rename (write `a.ron.tmp`, rename it to `a.ron`)
//! counts through its target; editors' lock, swap and backup files do not.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::EventKind;
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load::is_data_path;

/// How long the folder must stay quiet before a burst of events counts as
/// one change (an editor's save is several events).
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// A running watch; dropping it stops it.
pub struct Watch {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    rx: mpsc::Receiver<()>,
}

impl Watch {
    /// Watches `dir` and everything under it.
    pub fn new(dir: &Path) -> notify::Result<Watch> {
        let (tx, rx) = mpsc::channel();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| {
            let Ok(events) = res else {
                // The watch itself failed (a queue overflow): reload to be safe.
                let _ = tx.send(());
                return;
            };
            let relevant = events.iter().any(|e| {
                !matches!(e.event.kind, EventKind::Access(_))
                    && e.event.paths.iter().any(|p| is_data_path(p))
            });
            if relevant {
                let _ = tx.send(());
            }
        })?;
        debouncer.watch(dir, RecursiveMode::Recursive)?;
        Ok(Watch {
            _debouncer: debouncer,
            rx,
        })
    }

    /// Blocks until the data changes; `false` when the watch has stopped.
    pub fn wait(&self) -> bool {
        let ok = self.rx.recv().is_ok();
        self.drain();
        ok
    }

    /// Whether the data changed since the last call, without blocking.
    pub fn changed(&self) -> bool {
        self.drain()
    }

    /// Waits at most `timeout` for a change.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let got = self.rx.recv_timeout(timeout).is_ok();
        self.drain();
        got
    }

    fn drain(&self) -> bool {
        let mut any = false;
        while self.rx.try_recv().is_ok() {
            any = true;
        }
        any
    }
}
