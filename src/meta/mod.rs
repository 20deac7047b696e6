//! Meta commands (`:param`, `:format`, `:export`, `:source`...): the one
//! table of them (`table.rs`: name, aliases, usage, help, whether a command
//! writes files or runs programs), their implementations (`commands.rs`,
//! `schema.rs` for `:schema`), and the `Shell` they act on: the session and
//! how answers are shown. The REPL drives a `Shell`; so can any other front
//! end that reads statements and meta commands.

mod commands;
pub mod schema;
pub mod script;
mod search;
pub mod table;

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::diag::{self, SourceMap};
use crate::query::ErrorKind;
use crate::query::ast::Span;
use crate::render::{self, Format, Record, TableStyle};
use crate::session::{Executed, Session};

/// The name the typed input goes by in error messages.
const INPUT: &str = "<input>";
/// How many scripts may run inside one another through `:source`.
const MAX_SOURCE_DEPTH: usize = 16;
/// Rows shown of an answer to start with, in the REPL.
const DEFAULT_MAX_ROWS: usize = 100;
/// Dim text, for the footer under an answer.
const DIM: &str = "\x1b[2m";

/// Whether the shell goes on after a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// Answers written to a file instead of the screen (`:once`, `:output`).
#[derive(Debug)]
pub struct Redirect {
    pub path: PathBuf,
    pub format: Format,
    /// Only the next answer (`:once`).
    pub once: bool,
    /// Everything written so far: the file is rewritten whole, atomically,
    /// after each answer, so it is never seen half-written.
    pub text: String,
}

/// The shell's state besides the line editor: the session and how answers
/// are shown.
pub struct Shell {
    pub session: Session,
    pub format: Format,
    pub timing: bool,
    /// Rows shown of an answer; `None`: all.
    pub max_rows: Option<usize>,
    /// When answers are shown as records (`:records`).
    pub record: Record,
    /// `--safe`: meta commands that write files or run programs are refused.
    pub safe: bool,
    /// `:once FILE` / `:output FILE`: where answers go instead of the
    /// screen.
    pub redirect: RefCell<Option<Redirect>>,
    pub out_color: bool,
    pub err_color: bool,
    /// Set when the graph or the parameters changed, so completion must
    /// learn the new names.
    pub vocab_stale: bool,
    /// The folder of the cited articles, for `:coverage`.
    pub corpus: Option<PathBuf>,
    /// Whether the data should be reloaded when it changes (`:watch`); the
    /// front end starts and stops the watching.
    pub watch: bool,
    /// Reading a script or a pipe, not a person: answers print as `eje
    /// query` prints them (no footer, no cut), and messages go to stderr so
    /// that stdout holds only answers.
    pub batch: bool,
    /// Set by a meta command that failed.
    pub failed: std::cell::Cell<bool>,
    /// How many answers were printed (a blank line goes between two).
    pub shown: usize,
    /// How many scripts are running inside one another (`:source`).
    depth: usize,
    /// `--echo` / `:echo on`: each statement and meta command of a script
    /// is printed before its answer (as sqlite3's `.echo on`, `psql -e`).
    pub echo: bool,
    /// The history as it was when the shell started (older sessions), for
    /// `:history`.
    pub history: Vec<String>,
    /// What was run in this session, in order, each a whole entry: the
    /// statements and meta commands `:history save` writes as a script.
    pub transcript: Vec<String>,
    /// When answers go through a pager (`:pager`).
    pub pager: Pager,
    /// The work counter of the running statement, shown as a progress line
    /// on a terminal after a second (`None`: no progress line).
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

/// When an answer is shown through a pager (`$PAGER`, else `less -FRX`):
/// never in a pipe or a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pager {
    /// Every answer.
    On,
    Off,
    /// Answers taller than the terminal.
    #[default]
    Auto,
}

impl Pager {
    pub fn parse(s: &str) -> Option<Pager> {
        match s.to_ascii_lowercase().as_str() {
            "on" => Some(Pager::On),
            "off" => Some(Pager::Off),
            "auto" => Some(Pager::Auto),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Pager::On => "on",
            Pager::Off => "off",
            Pager::Auto => "auto",
        }
    }
}

impl Shell {
    /// A shell for a person (`batch` false: footers, answers cut at 100
    /// rows) or for a script or pipe.
    pub fn new(
        session: Session,
        format: Format,
        out_color: bool,
        err_color: bool,
        batch: bool,
    ) -> Shell {
        Shell {
            session,
            format,
            timing: !batch,
            max_rows: if batch { None } else { Some(DEFAULT_MAX_ROWS) },
            record: Default::default(),
            safe: false,
            redirect: Default::default(),
            out_color,
            err_color,
            vocab_stale: false,
            corpus: None,
            watch: false,
            batch,
            failed: std::cell::Cell::new(false),
            shown: 0,
            depth: 0,
            echo: false,
            history: Vec::new(),
            transcript: Vec::new(),
            pager: Pager::default(),
            progress: None,
        }
    }

    /// Before the answers of one of several scripts: its name, as `tail`
    /// heads each file (`==> a.kgq <==`), after a blank line when answers
    /// came before. Not in CSV or JSON, whose output programs read.
    pub fn file_header(&mut self, name: &str) {
        if matches!(self.format, Format::Csv | Format::Json) {
            return;
        }
        let gap = if self.shown > 0 { "\n" } else { "" };
        self.print(&format!("{gap}==> {name} <==\n"));
        self.shown = 0;
    }

    /// With `echo` on, a script's statement or meta command before its
    /// answer.
    fn echo_item(&mut self, text: &str) {
        if !self.echo {
            return;
        }
        let gap = if self.batch && self.shown > 0 {
            "\n"
        } else {
            ""
        };
        if self.batch {
            self.shown = 0;
        }
        self.print(&format!("{gap}{}\n", text.trim()));
    }

    /// Runs a script: its meta commands and statements in order (see
    /// `script::items`). With `keep_going` false it stops at the first
    /// failure. Returns whether everything succeeded.
    pub fn run_script(
        &mut self,
        name: &str,
        text: &str,
        keep_going: bool,
    ) -> std::io::Result<bool> {
        if self.depth >= MAX_SOURCE_DEPTH {
            self.error(&format!(
                "`{name}` is sourced {MAX_SOURCE_DEPTH} scripts deep; does a script source itself?"
            ));
            return Ok(false);
        }
        self.depth += 1;
        let ok = self.run_items(name, text, keep_going);
        self.depth -= 1;
        ok
    }

    fn run_items(&mut self, name: &str, text: &str, keep_going: bool) -> std::io::Result<bool> {
        let mut ok = true;
        for item in script::items(text) {
            match self.run_item(name, text, item)? {
                None => break,
                Some(true) => {}
                Some(false) => {
                    ok = false;
                    if !keep_going {
                        break;
                    }
                }
            }
        }
        Ok(ok)
    }

    /// Runs a script that arrives as it is read (piped standard input), as
    /// `run_script` runs a whole one: each meta command as soon as its line
    /// has come, each statement as soon as its `;` has (or the next line
    /// shows it ended), so a program can write a statement and read its
    /// answer before it writes the next. Answers are flushed as they are
    /// printed. An error reading the input names it; an error writing the
    /// output is the bare I/O error.
    pub fn run_stream(
        &mut self,
        name: &str,
        input: &mut dyn std::io::BufRead,
        keep_going: bool,
    ) -> anyhow::Result<bool> {
        let mut split = script::Splitter::default();
        let mut ok = true;
        let mut line = Vec::new();
        // The splitter keeps what it read (positions count in all of it), so
        // the input has the size cap of every file eje reads (D10): a stream
        // without line breaks (`/dev/zero`) ends with an error, not with
        // memory exhausted.
        let max = crate::load::read::default_max_file_size();
        loop {
            line.clear();
            let room = max.saturating_sub(split.text().len() as u64);
            // A read error says what it read (a bare I/O error is a failed
            // write of the output).
            let mut capped = std::io::Read::take(&mut *input, room.saturating_add(1));
            let n = std::io::BufRead::read_until(&mut capped, b'\n', &mut line)
                .map_err(|e| anyhow::anyhow!("cannot read `{name}`: {e}"))?;
            if n as u64 > room {
                anyhow::bail!(
                    "`{name}` is longer than {}, the size cap for what eje reads\nhelp: raise it with --max-file-size, or split the input",
                    crate::load::read::human(max)
                );
            }
            let items = if n == 0 {
                split.finish()
            } else {
                let text = std::str::from_utf8(&line).map_err(|_| {
                    anyhow::anyhow!(
                        "cannot read `{name}`: line {} is not UTF-8 text\nhelp: convert it first, for example with `iconv -f latin1 -t utf-8`",
                        split.text().lines().count() + 1
                    )
                })?;
                split.push(text)
            };
            for item in items {
                match self.run_item(name, split.text(), item)? {
                    None => return Ok(ok),
                    Some(true) => {}
                    Some(false) => {
                        ok = false;
                        if !keep_going {
                            return Ok(false);
                        }
                    }
                }
            }
            if n == 0 {
                return Ok(ok);
            }
        }
    }

    /// Where a script's statement streams its rows: standard output, when
    /// answers are printed as `eje query` prints them (a script or a pipe,
    /// no `:once`/`:output`) in CSV or JSON (JSON with `--timing` holds its
    /// answer, to put the timings in it). The engine still holds an answer
    /// that must be (an ORDER BY, an aggregation, a `UNION`).
    fn row_stream(
        &self,
    ) -> Option<(
        crate::query::limits::RowStream,
        std::sync::Arc<std::sync::Mutex<render::Streamed<std::io::Stdout>>>,
    )> {
        if !self.batch
            || self.redirect.borrow().is_some()
            || (self.timing && self.format == Format::Json)
        {
            return None;
        }
        let stream = render::row_stream(
            self.session.graph_arc(),
            self.format,
            std::io::stdout().is_terminal(),
            std::io::stdout(),
        )?;
        // A blank line goes between two CSV answers, streamed or not.
        stream.1.lock().unwrap_or_else(|p| p.into_inner()).answers = self.shown;
        Some(stream)
    }

    /// Runs one item of a script whose text (so far) is `text`: whether it
    /// succeeded, `None` for `:quit`.
    fn run_item(
        &mut self,
        name: &str,
        text: &str,
        item: script::Item,
    ) -> std::io::Result<Option<bool>> {
        Ok(Some(match item {
            script::Item::Meta(span) => {
                self.echo_item(&text[span.range()]);
                self.failed.set(false);
                if self.meta(&text[span.range()]) == Flow::Quit {
                    return Ok(None);
                }
                !self.failed.get()
            }
            script::Item::Statement(span) => {
                self.echo_item(&text[span.range()]);
                let stream = self.row_stream();
                if let Some((s, _)) = &stream {
                    self.session.options.stream = Some(s.clone());
                }
                let ex = {
                    let _progress = self.progress_line();
                    self.session.run_span(text, span)
                };
                if let Some((_, sink)) = stream {
                    self.session.options.stream = None;
                    sink.lock().unwrap_or_else(|p| p.into_inner()).flush()?;
                }
                let mut ex = ex;
                if let Err(e) = &mut ex.result
                    && e.span.is_none()
                {
                    // An error of the whole statement (a limit) points at
                    // it, not at the script's first line.
                    let piece = &text[span.range()];
                    let start = span.start + (piece.len() - piece.trim_start().len());
                    e.span = Some(Span::new(start, span.start + piece.trim_end().len()));
                }
                let failed = ex.result.is_err();
                // Errors point into the text: only they need it.
                let sources = if failed {
                    SourceMap::from([(name.to_string(), text.to_string())])
                } else {
                    SourceMap::new()
                };
                let results = [ex];
                // `:once`/`:output` send answers to their file, in a
                // script as at the prompt.
                if self.batch && self.redirect.borrow().is_none() {
                    print_answers(
                        &self.session,
                        &results,
                        self.format,
                        name,
                        &sources,
                        self.timing,
                        self.err_color,
                        self.shown,
                    )?;
                    self.shown += 1;
                } else {
                    self.print_results(&results, name, &sources);
                }
                self.session.keep_last(results.into());
                !failed
            }
        }))
    }

    pub fn banner(&self) {
        let g = self.session.graph();
        let warnings = match self
            .session
            .warnings
            .iter()
            .filter(|d| d.is_warning())
            .count()
        {
            0 => String::new(),
            1 => ", 1 warning (`eje check` shows it)".into(),
            n => format!(", {n} warnings (`eje check` shows them)"),
        };
        let line = format!(
            "eje {} on {}: {} entities, {} relations{warnings}.\n\
             Type :help for help, Ctrl-D to leave.",
            env!("CARGO_PKG_VERSION"),
            self.session.source.describe(),
            g.node_count(),
            g.rel_count(),
        );
        self.say(&self.wrap(&line));
    }

    /// Prose wrapped at words to the terminal's width (unchanged when the
    /// output is not a terminal).
    pub fn wrap(&self, text: &str) -> String {
        match self.width() {
            Some(w) => render::wrap_prose(text, usize::from(w), 0),
            None => text.to_string(),
        }
    }

    /// Runs one submitted input: a meta command or statements. It joins
    /// the session's transcript (what `:history save` writes), except the
    /// commands about the history itself, `:edit` (the edited text joins
    /// instead) and `:quit`.
    pub fn handle(&mut self, text: &str) -> Flow {
        let trimmed = text.trim();
        let command = if trimmed.starts_with(':') {
            table::find(table::split(trimmed).0).map(|c| c.name)
        } else {
            table::bare_meta(trimmed).or_else(|| {
                table::foreign_meta(trimmed)
                    .and_then(|l| table::find(table::split(&l).0).map(|c| c.name))
            })
        };
        if !matches!(command, Some("history" | "edit" | "quit")) {
            self.transcript.push(trimmed.to_string());
        }
        if trimmed.starts_with(':') {
            return self.meta(trimmed);
        }
        if let Some(name) = table::bare_meta(trimmed) {
            return self.meta(&format!(":{name}"));
        }
        if let Some(line) = table::foreign_meta(trimmed) {
            return self.meta(&line);
        }
        let results = {
            let _progress = self.progress_line();
            self.session.run(text, false)
        };
        let sources = SourceMap::from([(INPUT.to_string(), text.to_string())]);
        self.print_results(&results, INPUT, &sources);
        self.session.keep_last(results);
        Flow::Continue
    }

    /// The progress line of the statement about to run: on a terminal, not
    /// in a script or pipe, after a second (see `progress.rs`).
    fn progress_line(&self) -> Option<crate::progress::Running> {
        let counter = self.progress.as_ref()?;
        if self.batch || !std::io::stderr().is_terminal() {
            return None;
        }
        counter.store(0, std::sync::atomic::Ordering::Relaxed);
        Some(crate::progress::Running::start(counter.clone()))
    }

    /// Shows an answer's text: through the pager when `:pager` asks for it
    /// and the answer is for a person on a terminal, else printed.
    fn show_answer(&self, text: &str) {
        let rows = terminal_rows();
        let wanted = match self.pager {
            Pager::Off => false,
            Pager::On => true,
            Pager::Auto => rows.is_some_and(|r| text.lines().count() + 2 > r),
        };
        // `--safe` runs no other program, so no pager either.
        if !wanted || self.batch || self.safe || !std::io::stdout().is_terminal() {
            return self.print(text);
        }
        if let Err(e) = page(text) {
            self.print(text);
            self.error(&format!(
                "{e}; the answer was printed instead\nhelp: set $PAGER, or `:pager off`"
            ));
        }
    }

    /// Prints each answer with its footer, and each error with a caret
    /// under the text it points at.
    pub fn print_results(&self, results: &[Executed], file: &str, sources: &SourceMap) {
        let style = TableStyle {
            color: self.out_color,
            width: self.width(),
            max_rows: self.max_rows,
            terminal: std::io::stdout().is_terminal(),
            record: self.record,
        };
        for ex in results {
            match &ex.result {
                Ok(rs) if self.redirect.borrow().is_some() => {
                    self.write_redirected(rs);
                    self.print_notes(rs);
                }
                Ok(rs) => {
                    let mut text = render::render(self.session.graph(), rs, self.format, style);
                    let footer = if self.timing {
                        render::footer(rs.rows.len(), ex.timing.total_ms())
                    } else {
                        let unit = if rs.rows.len() == 1 { "row" } else { "rows" };
                        format!("{} {unit}", rs.rows.len())
                    };
                    if self.out_color {
                        text.push_str(&format!("{}{footer}\x1b[0m\n\n", DIM));
                    } else {
                        text.push_str(&format!("{footer}\n\n"));
                    }
                    self.show_answer(&text);
                    self.print_notes(rs);
                }
                Err(e) if e.kind == ErrorKind::Cancelled => {
                    // The terminal echoed `^C` where the cursor was: the
                    // message starts on a line of its own.
                    if std::io::stderr().is_terminal() {
                        eprintln!();
                    }
                    self.error("the query was cancelled (Ctrl-C)");
                }
                Err(e) => {
                    let _ = std::io::stdout().flush();
                    crate::sink::to_stderr(format_args!(
                        "{}",
                        diag::render(&[e.to_diagnostic(file)], sources, self.err_color)
                    ));
                }
            }
        }
    }

    /// The notes that came with an answer, on stderr after it.
    fn print_notes(&self, rs: &crate::query::ResultSet) {
        if !rs.notes.is_empty() {
            let _ = std::io::stdout().flush();
            for n in &rs.notes {
                crate::sink::line_to_stderr(format_args!("note: {n}"));
            }
        }
    }

    /// Writes an answer to the `:once` or `:output` file: rendered in the
    /// file's format with no colour and no width, the file rewritten whole
    /// through the output sink.
    fn write_redirected(&self, rs: &crate::query::ResultSet) {
        let mut slot = self.redirect.borrow_mut();
        let Some(r) = slot.as_mut() else {
            return;
        };
        let style = TableStyle {
            color: false,
            width: None,
            max_rows: None,
            terminal: false,
            record: Record::Auto,
        };
        if r.format == Format::Table && !r.text.is_empty() {
            r.text.push('\n');
        }
        r.text
            .push_str(&render::render(self.session.graph(), rs, r.format, style));
        let outcome = crate::sink::write(&r.path, r.text.as_bytes());
        // A stream (a FIFO, a terminal, `-`) keeps what it was given: only
        // a regular file is rewritten whole with every answer.
        if matches!(
            outcome,
            Ok(crate::sink::Written::Stdout | crate::sink::Written::Stream(_))
        ) {
            r.text.clear();
        }
        let path = r.path.display().to_string();
        if r.once {
            *slot = None;
        }
        drop(slot);
        match outcome {
            Ok(_) => {
                let unit = if rs.rows.len() == 1 { "row" } else { "rows" };
                self.say(&format!("wrote {} {unit} to `{path}`", rs.rows.len()));
            }
            Err(e) => {
                *self.redirect.borrow_mut() = None;
                self.error(&format!("{e}; answers go to the screen again"));
            }
        }
    }

    /// The width to wrap tables to: the terminal's, now (it may have been
    /// resized); none when stdout is not a terminal.
    pub fn width(&self) -> Option<u16> {
        if !std::io::stdout().is_terminal() {
            return None;
        }
        comfy_table::Table::new()
            .width()
            .filter(|w| *w >= 20)
            .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
            .or(Some(100))
    }

    pub fn print(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    /// A message to the user: on stdout, or on stderr in a script or pipe
    /// (stdout holds only answers there).
    pub fn say(&self, text: &str) {
        if self.batch {
            crate::sink::line_to_stderr(text);
        } else {
            self.print(&format!("{text}\n"));
        }
    }

    /// A problem with a meta command (on stderr).
    pub fn error(&self, message: &str) {
        self.failed.set(true);
        let _ = std::io::stdout().flush();
        // Wrapped at words to the terminal, after the `error: ` it follows.
        let message = match self.width() {
            Some(w) => {
                let wrapped = render::wrap_prose(&format!("error: {message}"), usize::from(w), 2);
                match wrapped.strip_prefix("error:") {
                    Some(rest) => rest.strip_prefix(' ').unwrap_or(rest).to_string(),
                    None => message.to_string(),
                }
            }
            None => message.to_string(),
        };
        if self.err_color {
            crate::sink::line_to_stderr(format_args!("\x1b[1;31merror\x1b[0m: {message}"));
        } else {
            crate::sink::line_to_stderr(format_args!("error: {message}"));
        }
    }
}

/// The terminal's height in lines: `$LINES`, else asked of the terminal;
/// `None` when stdout is not one.
fn terminal_rows() -> Option<usize> {
    if let Some(n) = std::env::var("LINES").ok().and_then(|l| l.parse().ok()) {
        return Some(n);
    }
    let (_, terminal_size::Height(h)) = terminal_size::terminal_size_of(std::io::stdout())?;
    Some(usize::from(h))
}

/// The pager's command: `$PAGER` split at blanks, else `less -FRX` (quit
/// when the text fits, keep colours, leave the text on the screen).
fn pager_command() -> Vec<String> {
    let words: Vec<String> = std::env::var("PAGER")
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    if words.is_empty() {
        vec!["less".into(), "-FRX".into()]
    } else {
        words
    }
}

/// Runs the pager on `text` and waits for it.
fn page(text: &str) -> Result<(), String> {
    let words = pager_command();
    let mut child = std::process::Command::new(&words[0])
        .args(&words[1..])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the pager `{}`: {e}", words.join(" ")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // The pager may quit before reading everything (`q`): not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child
        .wait()
        .map_err(|e| format!("the pager `{}` failed: {e}", words.join(" ")))?;
    Ok(())
}

/// `~/x` as a path in the home directory.
pub fn expand_tilde(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// Prints answers as scripts and one-shot commands print them: every
/// answer to stdout (a blank line between two; `shown` answers were printed
/// before these), every error
/// to stderr (and, in JSON, as an `error` line); with `timing`, each
/// statement's times. Returns whether every statement succeeded.
#[allow(clippy::too_many_arguments)]
pub fn print_answers(
    session: &Session,
    results: &[Executed],
    format: Format,
    file: &str,
    sources: &SourceMap,
    timing: bool,
    err_color: bool,
    shown: usize,
) -> std::io::Result<bool> {
    let out_tty = std::io::stdout().is_terminal();
    let style = TableStyle {
        color: colored::control::SHOULD_COLORIZE.should_colorize(),
        width: if out_tty { terminal_width() } else { None },
        max_rows: None,
        terminal: out_tty,
        record: render::Record::Auto,
    };
    let mut stdout = std::io::stdout().lock();
    let mut ok = true;
    for (i, ex) in results.iter().enumerate() {
        match &ex.result {
            Ok(rs) if rs.streamed.is_some() => {
                // Its rows were written as they were made.
                for n in &rs.notes {
                    crate::sink::line_to_stderr(format_args!("note: {n}"));
                }
                if timing {
                    crate::sink::line_to_stderr(format_args!(
                        "{file}: statement {}: {}",
                        shown + i + 1,
                        render::footer(rs.row_count(), ex.timing.total_ms()),
                    ));
                }
            }
            Ok(rs) => {
                let text = render::render(session.graph(), rs, format, style);
                if format == Format::Json && timing {
                    let mut v = render::json_result(session.graph(), rs);
                    v["timing"] = serde_json::json!({"parse_ms": ex.timing.parse_ms, "plan_ms": ex.timing.plan_ms, "exec_ms": ex.timing.exec_ms});
                    writeln!(stdout, "{v}")?;
                } else {
                    if shown + i > 0 && format != Format::Json {
                        writeln!(stdout)?;
                    }
                    write!(stdout, "{text}")?;
                }
                if !rs.notes.is_empty() {
                    stdout.flush()?;
                    for n in &rs.notes {
                        eprintln!("note: {n}");
                    }
                }
                if timing && format != Format::Json {
                    crate::sink::line_to_stderr(format_args!(
                        "{file}: statement {}: {} (parse {:.2} ms, plan {:.2} ms, run {:.2} ms)",
                        shown + i + 1,
                        render::footer(rs.rows.len(), ex.timing.total_ms()),
                        ex.timing.parse_ms,
                        ex.timing.plan_ms,
                        ex.timing.exec_ms
                    ));
                }
            }
            Err(e) => {
                ok = false;
                let d = e.to_diagnostic(file);
                if format == Format::Json {
                    let (line, column) = e
                        .span
                        .map_or((1, 1), |s| diag::line_col(&sources[file], s.start));
                    let v = serde_json::json!({"error": {"message": e.message, "line": line, "column": column}});
                    writeln!(stdout, "{v}")?;
                }
                stdout.flush()?;
                crate::sink::to_stderr(format_args!("{}", diag::render(&[d], sources, err_color)));
            }
        }
    }
    stdout.flush()?;
    Ok(ok)
}

pub(crate) fn terminal_width() -> Option<u16> {
    comfy_table::Table::new()
        .width()
        .filter(|w| *w >= 20)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .or(Some(120))
}
