//! Meta commands (`:param`, `:format`, `:export`, `:source`...): the one
//! table of them (`table.rs`: name, aliases, usage, help, whether a command
//! writes files or runs programs), their implementations (`commands.rs`,
//! `schema.rs` for `:schema`), and the `Shell` they act on: the session and
//! how answers are shown. The REPL drives a `Shell`; so can any other front
//! end that reads statements and meta commands.

mod commands;
mod schema;
pub mod table;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::diag::{self, SourceMap};
use crate::query::ErrorKind;
use crate::render::{self, Format, TableStyle};
use crate::session::{Executed, Session};

/// The name the typed input goes by in error messages.
const INPUT: &str = "<input>";
/// Dim text, for the footer under an answer.
const DIM: &str = "\x1b[2m";

/// Whether the shell goes on after a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// The shell's state besides the line editor: the session and how answers
/// are shown.
pub struct Shell {
    pub session: Session,
    pub format: Format,
    pub timing: bool,
    /// Rows shown of an answer; `None`: all.
    pub max_rows: Option<usize>,
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
}

impl Shell {
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
            "eje {} on {}: {} entities, {} relations{warnings}. \
             Type :help for help, Ctrl-D to leave.",
            env!("CARGO_PKG_VERSION"),
            self.session.source.describe(),
            g.node_count(),
            g.rel_count(),
        );
        self.say(&line);
    }

    /// Runs one submitted input: a meta command or statements.
    pub fn handle(&mut self, text: &str) -> Flow {
        let trimmed = text.trim();
        if trimmed.starts_with(':') {
            return self.meta(trimmed);
        }
        if let Some(name) = table::bare_meta(trimmed) {
            return self.meta(&format!(":{name}"));
        }
        let results = self.session.run(text, false);
        let sources = SourceMap::from([(INPUT.to_string(), text.to_string())]);
        self.print_results(&results, INPUT, &sources);
        Flow::Continue
    }

    /// Prints each answer with its footer, and each error with a caret
    /// under the text it points at.
    pub fn print_results(&self, results: &[Executed], file: &str, sources: &SourceMap) {
        let style = TableStyle {
            color: self.out_color,
            width: self.width(),
            max_rows: self.max_rows,
            terminal: std::io::stdout().is_terminal(),
        };
        for ex in results {
            match &ex.result {
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
                    self.print(&text);
                    if !rs.notes.is_empty() {
                        let _ = std::io::stdout().flush();
                        for n in &rs.notes {
                            eprintln!("note: {n}");
                        }
                    }
                }
                Err(e) if e.kind == ErrorKind::Cancelled => {
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

    /// A message to the user (on stdout).
    pub fn say(&self, text: &str) {
        self.print(&format!("{text}\n"));
    }

    /// A problem with a meta command (on stderr).
    pub fn error(&self, message: &str) {
        let _ = std::io::stdout().flush();
        if self.err_color {
            crate::sink::line_to_stderr(format_args!("\x1b[1;31merror\x1b[0m: {message}"));
        } else {
            crate::sink::line_to_stderr(format_args!("error: {message}"));
        }
    }
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
