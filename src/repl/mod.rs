//! The interactive shell: reads statements with rustyline, runs them
//! through the `Session`, prints answers as tables.
//!
//! - `input.rs`: when a statement is complete, and the continuation prompt;
//! - `helper.rs`: the rustyline helper (completion, hints, highlighting,
//!   validation) and the Enter key;
//! - `complete.rs`, `highlight.rs`: what the helper does, as pure functions;
//! - `commands.rs`: the meta commands' table, from which help, completion
//!   and "did you mean" are generated; `Repl::meta` below runs them;
//! - `schema.rs`: `:schema`.
//!
//! The shell holds no query semantics: a statement typed here runs exactly
//! as in a script, through `Session::run`. What is its own is line editing,
//! history, meta commands, and how answers are shown (cut at `:maxrows`,
//! wrapped to the terminal, a footer with the row count and the time).

mod commands;
mod complete;
mod helper;
mod highlight;
mod input;
mod schema;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Cmd, Editor, EventHandler, KeyCode, KeyEvent, Modifiers};

use self::complete::Vocabulary;
use self::helper::{BackspaceHandler, EjeHelper, EnterHandler};
use crate::cli::{Exit, ReplArgs};
use crate::diag::{self, SourceMap};
use crate::export;
use crate::query::ErrorKind;
use crate::render::{self, Format, TableStyle};
use crate::session::{self, Executed, Session};
use crate::stats::Stats;

/// The name the typed input goes by in error messages.
const INPUT: &str = "<input>";
/// Rows shown of an answer to start with.
const DEFAULT_MAX_ROWS: usize = 100;

/// Runs the shell until Ctrl-D or `:quit`. The exit status is 0 whatever
/// the statements did: failures were shown as they happened.
pub fn run(session: Session, args: &ReplArgs, err_color: bool) -> anyhow::Result<Exit> {
    let out_color = colored::control::SHOULD_COLORIZE.should_colorize();
    let mut repl = Repl {
        session,
        format: args.exec.format,
        timing: true,
        max_rows: Some(DEFAULT_MAX_ROWS),
        out_color,
        err_color,
        vocab_stale: false,
    };
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .max_history_size(10_000)?
        .history_ignore_dups(true)?
        .history_ignore_space(true)
        .auto_add_history(false)
        // The helper draws the continuation prompts even without colour,
        // so it must always be called; it adds colour only when asked to.
        .color_mode(ColorMode::Forced)
        .build();
    let mut editor: Editor<EjeHelper, DefaultHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(EjeHelper::new(repl.vocabulary(), out_color)));
    let enter = || EventHandler::Conditional(Box::new(EnterHandler));
    editor.bind_sequence(KeyEvent(KeyCode::Enter, Modifiers::NONE), enter());
    editor.bind_sequence(KeyEvent::ctrl('J'), enter());
    editor.bind_sequence(
        KeyEvent(KeyCode::Backspace, Modifiers::NONE),
        EventHandler::Conditional(Box::new(BackspaceHandler)),
    );
    editor.bind_sequence(
        KeyEvent(KeyCode::Enter, Modifiers::ALT),
        EventHandler::Simple(Cmd::Insert(1, format!("\n{}", input::PAD))),
    );

    let history = history_path(args.history.as_deref());
    if let Some(path) = &history {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        match editor.load_history(path) {
            Ok(()) => {}
            Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => eprintln!("eje: cannot read the history `{}`: {e}", path.display()),
        }
    }

    // Ctrl-C while a statement runs reaches us as SIGINT (rustyline's raw
    // mode, which turns it into a key, is off then): ask the evaluator to
    // stop. Each statement clears the flag when it starts.
    let cancel = repl.session.cancel.clone();
    if let Err(e) = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed)) {
        eprintln!("eje: Ctrl-C will not cancel queries: {e}");
    }

    repl.banner();
    loop {
        match editor.readline(input::PROMPT) {
            Ok(buffer) => {
                let text = input::strip_pads(&buffer);
                if text.trim().is_empty() {
                    continue;
                }
                let entry = input::with_pads(text.trim_end());
                if editor.add_history_entry(entry).unwrap_or(false)
                    && let Some(path) = &history
                {
                    save_history(&mut editor, path);
                }
                let flow = repl.handle(&text);
                if repl.vocab_stale {
                    repl.vocab_stale = false;
                    if let Some(h) = editor.helper_mut() {
                        h.vocab = repl.vocabulary();
                    }
                }
                if flow == Flow::Quit {
                    break;
                }
            }
            // Ctrl-C at the prompt: the line is dropped, a new one starts.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Exit::Ok)
}

/// Where the history lives: `--history PATH`, nowhere with `--history off`,
/// else `eje/history` in the user's data directory.
fn history_path(option: Option<&str>) -> Option<PathBuf> {
    match option {
        Some(s) if s.eq_ignore_ascii_case("off") => None,
        Some(p) => Some(expand_tilde(p)),
        None => dirs::data_dir().map(|d| d.join("eje").join("history")),
    }
}

/// Appends the new entry to the history file at once, so a crash loses
/// nothing and two shells share their history; the file is the user's
/// alone (mode 0600), since queries can say what someone is looking into.
fn save_history(editor: &mut Editor<EjeHelper, DefaultHistory>, path: &Path) {
    if let Err(e) = editor.append_history(path) {
        eprintln!("eje: cannot write the history `{}`: {e}", path.display());
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o777 != 0o600
        {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
    }
}

/// `~/x` as a path in the home directory.
fn expand_tilde(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// The shell's state besides the editor.
struct Repl {
    session: Session,
    format: Format,
    timing: bool,
    /// Rows shown of an answer; `None`: all.
    max_rows: Option<usize>,
    out_color: bool,
    err_color: bool,
    /// Set when the graph or the parameters changed, so completion must
    /// learn the new names.
    vocab_stale: bool,
}

impl Repl {
    fn vocabulary(&self) -> Vocabulary {
        let mut v = Vocabulary::of(self.session.graph());
        v.params = self.session.options.params.keys().cloned().collect();
        v
    }

    fn banner(&self) {
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
    fn handle(&mut self, text: &str) -> Flow {
        let trimmed = text.trim();
        if trimmed.starts_with(':') {
            return self.meta(trimmed);
        }
        if let Some(name) = input::bare_meta(trimmed) {
            return self.meta(&format!(":{name}"));
        }
        let results = self.session.run(text, false);
        let sources = SourceMap::from([(INPUT.to_string(), text.to_string())]);
        self.print_results(&results, INPUT, &sources);
        Flow::Continue
    }

    /// Prints each answer with its footer, and each error with a caret
    /// under the text it points at.
    fn print_results(&self, results: &[Executed], file: &str, sources: &SourceMap) {
        let style = TableStyle {
            color: self.out_color,
            width: self.width(),
            max_rows: self.max_rows,
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
                        text.push_str(&format!("{}{footer}\x1b[0m\n\n", highlight::DIM));
                    } else {
                        text.push_str(&format!("{footer}\n\n"));
                    }
                    self.print(&text);
                }
                Err(e) if e.kind == ErrorKind::Cancelled => {
                    self.error("the query was cancelled (Ctrl-C)");
                }
                Err(e) => {
                    let _ = std::io::stdout().flush();
                    eprint!(
                        "{}",
                        diag::render(&[session::diagnostic(e, file)], sources, self.err_color)
                    );
                }
            }
        }
    }

    /// The width to wrap tables to: the terminal's, now (it may have been
    /// resized); none when stdout is not a terminal.
    fn width(&self) -> Option<u16> {
        if !std::io::stdout().is_terminal() {
            return None;
        }
        comfy_table::Table::new()
            .width()
            .filter(|w| *w >= 20)
            .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
            .or(Some(100))
    }

    fn print(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    /// A message to the user (on stdout).
    fn say(&self, text: &str) {
        self.print(&format!("{text}\n"));
    }

    /// A problem with a meta command (on stderr).
    fn error(&self, message: &str) {
        let _ = std::io::stdout().flush();
        if self.err_color {
            eprintln!("\x1b[1;31merror\x1b[0m: {message}");
        } else {
            eprintln!("error: {message}");
        }
    }

    /// Runs a meta command line (`:export dot a.dot`).
    fn meta(&mut self, line: &str) -> Flow {
        let (name, args) = commands::split(line);
        let Some(command) = commands::find(name) else {
            let hint = match commands::suggest(name) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => "; `:help` lists the commands".into(),
            };
            self.error(&format!("unknown command `:{name}`{hint}"));
            return Flow::Continue;
        };
        let words = commands::words(args);
        let takes_args = !command.usage.is_empty();
        if !takes_args && !args.is_empty() {
            self.error(&format!(
                "`:{}` takes no argument; usage: {}",
                command.name,
                commands::usage(command)
            ));
            return Flow::Continue;
        }
        match command.name {
            "help" => match args {
                "" => self.print(&commands::help_overview()),
                topic => match commands::help_topic(topic) {
                    Ok(text) => self.print(&text),
                    Err(e) => self.error(&e),
                },
            },
            "schema" => {
                let text = schema::show(self.session.graph(), self.out_color, self.width());
                self.print(&text);
            }
            "stats" => self.print(&Stats::of(self.session.graph()).table()),
            "format" => match words.as_slice() {
                [] => self.say(&format!("format: {}", self.format.name())),
                [f] => match Format::parse(f) {
                    Some(f) => {
                        self.format = f;
                        self.say(&format!("format: {}", f.name()));
                    }
                    None => self.error(&format!(
                        "unknown format `{f}`: use table, json, csv or markdown"
                    )),
                },
                _ => self.usage(command),
            },
            "timing" => match words.as_slice() {
                [] => self.say(&format!("timing: {}", on_off(self.timing))),
                [w] if w.eq_ignore_ascii_case("on") || w.eq_ignore_ascii_case("off") => {
                    self.timing = w.eq_ignore_ascii_case("on");
                    self.say(&format!("timing: {}", on_off(self.timing)));
                }
                _ => self.usage(command),
            },
            "maxrows" => match words.as_slice() {
                [] => self.show_max_rows(),
                [w] if w.eq_ignore_ascii_case("all") || w == "0" => {
                    self.max_rows = None;
                    self.show_max_rows();
                }
                [w] => match w.parse::<usize>() {
                    Ok(n) => {
                        self.max_rows = Some(n);
                        self.show_max_rows();
                    }
                    Err(_) => self.usage(command),
                },
                _ => self.usage(command),
            },
            "export" => self.export(&words),
            "source" => match words.as_slice() {
                [file] => self.source(file),
                _ => self.usage(command),
            },
            "reload" => self.reload(),
            "param" => self.param(args),
            "params" => {
                let params = &self.session.options.params;
                if params.is_empty() {
                    self.say("no parameters; set one with `:param NAME VALUE`");
                }
                for (k, v) in params {
                    self.say(&format!("${k} = {v}"));
                }
            }
            "quit" => return Flow::Quit,
            other => self.error(&format!("`:{other}` is not implemented")),
        }
        Flow::Continue
    }

    fn show_max_rows(&self) {
        match self.max_rows {
            Some(n) => self.say(&format!("maxrows: {n}")),
            None => self.say("maxrows: all"),
        }
    }

    fn usage(&self, command: &commands::Command) {
        self.error(&format!("usage: {}", commands::usage(command)));
    }

    /// `:export FORMAT [FILE]`, or `:export FILE` with a telling extension.
    fn export(&mut self, words: &[String]) {
        let (format, file) = match words {
            [f] => match f.parse::<export::Format>() {
                Ok(format) => (format, None),
                Err(e) => match export::Format::from_path(Path::new(f)) {
                    Some(format) => (format, Some(f)),
                    None => return self.error(&e.to_string()),
                },
            },
            [f, file] => match f.parse::<export::Format>() {
                Ok(format) => (format, Some(file)),
                Err(e) => return self.error(&e.to_string()),
            },
            _ => return self.usage(commands::find("export").expect("in the table")),
        };
        let graph = self.session.graph_arc();
        let from_answer = self
            .session
            .last
            .as_ref()
            .map(|rs| export::Subgraph::from_result(&graph, rs))
            .filter(|sub| !sub.is_empty());
        let (sub, what) = match from_answer {
            Some(sub) => (sub, "the last answer"),
            None => (export::Subgraph::whole(&graph), "the whole graph"),
        };
        let dialect = export::Dialect::default();
        match file {
            Some(file) => {
                let path = expand_tilde(file);
                match export::export_to_file(&graph, &sub, format, dialect, &path) {
                    Ok(()) => self.say(&format!(
                        "wrote {} ({format}): {what}, {} nodes and {} relations",
                        path.display(),
                        sub.node_count(),
                        sub.rel_count()
                    )),
                    Err(e) => self.error(&e.to_string()),
                }
            }
            None => match export::render(&graph, &sub, format, dialect) {
                Ok(bytes) => {
                    self.print(&String::from_utf8_lossy(&bytes));
                    if !bytes.ends_with(b"\n") {
                        self.say("");
                    }
                }
                Err(e) => self.error(&e.to_string()),
            },
        }
    }

    /// `:source FILE`: the statements of a script, stopping at the first
    /// error as `eje run` does.
    fn source(&mut self, file: &str) {
        let path = expand_tilde(file);
        let name = path.display().to_string();
        // A regular file within the size cap: never a FIFO or a device.
        let text = match crate::load::read::read_text(&path) {
            Ok(t) => t,
            Err(e) => return self.error(&format!("cannot read `{name}`: {e}")),
        };
        let results = self.session.run(&text, false);
        let sources = SourceMap::from([(name.clone(), text)]);
        self.print_results(&results, &name, &sources);
    }

    /// `:reload`: a new graph, or the errors and the old graph.
    fn reload(&mut self) {
        match self.session.reload() {
            Ok(()) => {
                let g = self.session.graph();
                self.say(&format!(
                    "reloaded {}: {} entities, {} relations, {} sources",
                    self.session.source.describe(),
                    g.node_count(),
                    g.rel_count(),
                    g.sources.len()
                ));
                self.vocab_stale = true;
            }
            Err(failure) => {
                let _ = std::io::stdout().flush();
                eprint!("{}", failure.render(self.err_color));
                self.error(&format!(
                    "{} could not be loaded: {} error(s); still using the graph loaded before",
                    self.session.source.describe(),
                    failure.error_count()
                ));
            }
        }
    }

    /// `:param NAME VALUE` (or `NAME=VALUE`) sets, `:param NAME` removes.
    fn param(&mut self, args: &str) {
        let (name, value) = match args.split_once(|c: char| c.is_whitespace() || c == '=') {
            Some((n, v)) => (n.trim(), v.trim()),
            None => (args.trim(), ""),
        };
        let name = name.trim_start_matches('$');
        if name.is_empty() {
            return self.usage(commands::find("param").expect("in the table"));
        }
        let params = &mut self.session.options.params;
        if value.is_empty() {
            if params.remove(name).is_some() {
                self.say(&format!("${name} removed"));
                self.vocab_stale = true;
            } else {
                self.error(&format!("no parameter `${name}`; `:params` lists them"));
            }
            return;
        }
        match crate::cli::parse_params(&[format!("{name}={value}")]) {
            Ok(parsed) => {
                for (k, v) in parsed {
                    let shown = format!("${k} = {v}");
                    self.session.options.params.insert(k, v);
                    self.say(&shown);
                }
                self.vocab_stale = true;
            }
            Err(e) => self.error(&e.to_string()),
        }
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}
