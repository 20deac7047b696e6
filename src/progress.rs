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

/// The progress line of a running statement in the shell: after `DELAY`,
/// a spinner with the work done so far (the execution context's counter),
/// the time taken and how to stop it; cleared when the statement ends
/// (dropped). The caller starts it only when stderr is a terminal.
pub struct Running {
    bar: ProgressBar,
    done: Option<mpsc::Sender<()>>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    pub fn start(counter: std::sync::Arc<std::sync::atomic::AtomicU64>) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} running: {msg} ({elapsed}); Ctrl-C to cancel")
        {
            bar.set_style(style);
        }
        let (done, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let ticker = std::thread::spawn(move || {
            if !matches!(
                wait.recv_timeout(DELAY),
                Err(mpsc::RecvTimeoutError::Timeout)
            ) {
                return;
            }
            shown.set_draw_target(ProgressDrawTarget::stderr());
            loop {
                let steps = counter.load(std::sync::atomic::Ordering::Relaxed);
                shown.set_message(format!("{steps} steps"));
                shown.tick();
                match wait.recv_timeout(Duration::from_millis(120)) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            }
        });
        Running {
            bar,
            done: Some(done),
            ticker: Some(ticker),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}
