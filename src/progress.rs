//! A progress line on stderr for slow work (loading a large dataset,
//! exporting a large graph). It appears only when the caller asks for it
//! (stderr is a terminal) and only once the work has run for a second, so
//! quick work, pipes and JSON output never see it.

use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long the work runs before the line appears.
const DELAY: Duration = Duration::from_secs(1);

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

    /// A spinner for loading a dataset, when `on`.
    pub fn loading(on: bool) -> Self {
        Progress::delayed(on, None, "{spinner} loading: {msg} ({elapsed})", "")
    }

    /// A bar over `total` elements of an export in `format`, when `on`.
    pub fn exporting(on: bool, total: u64, format: &str) -> Self {
        Progress::delayed(
            on,
            Some(total),
            "{spinner} exporting {msg}: {bar:30} {human_pos}/{human_len} ({elapsed})",
            format,
        )
    }

    /// A hidden line that a thread shows after `DELAY` unless the work is
    /// done (dropped) by then.
    fn delayed(on: bool, total: Option<u64>, template: &str, message: &str) -> Self {
        if !on {
            return Progress::off();
        }
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
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

    /// `n` more elements done.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Changes what the line says is being done.
    pub fn phase(&self, what: impl Into<String>) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.into());
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
