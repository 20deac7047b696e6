//! The interactive shell: reads statements with rustyline, runs them
//! through the `Session`, prints answers as tables.
//!
//! - `input.rs`: when a statement is complete, and the continuation prompt;
//! - `helper.rs`: the rustyline helper (completion, hints, highlighting,
//!   validation) and the Enter key;
//! - `complete.rs`, `highlight.rs`: what the helper does, as pure functions;
//! - the meta commands, their table (from which help, completion and "did
//!   you mean" are generated) and the `Shell` they act on live in
//!   `crate::meta`.
//!
//! The shell holds no query semantics: a statement typed here runs exactly
//! as in a script, through `Session::run`. What is its own is line editing,
//! history, meta commands, and how answers are shown (cut at `:maxrows`,
//! wrapped to the terminal, a footer with the row count and the time).

pub mod complete;
mod helper;
mod highlight;
mod input;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Cmd, Editor, EventHandler, KeyCode, KeyEvent, Modifiers};

use self::complete::Vocabulary;
use self::helper::{BackspaceHandler, EditHandler, EjeHelper, EnterHandler};
use crate::meta::{Flow, Shell, expand_tilde};
use crate::render::Format;
use crate::session::Session;

/// What the shell starts with, as the command line gave it.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// How answers are printed to start with.
    pub format: Format,
    /// Where to keep the history (from `history_file`); `None`: nowhere.
    pub history: Option<PathBuf>,
    /// Reload the data whenever a data file is saved (`:watch on`).
    pub watch: bool,
    /// The folder of the cited articles, for `:coverage`.
    pub corpus: Option<PathBuf>,
    /// Refuse meta commands that write files or run programs.
    pub safe: bool,
    /// A script to run before the first prompt (`init_file`).
    pub init: Option<PathBuf>,
    /// Print each statement of a script before its answer (`:echo`).
    pub echo: bool,
}

/// The init script: `--init FILE`, none with `--init off`, else (on a
/// terminal only) `eje/init.kgq` in the user's config directory when it is
/// a file. eje only reads it.
pub fn init_file(option: Option<&str>, interactive: bool) -> Option<PathBuf> {
    match option {
        Some(s) if s.eq_ignore_ascii_case("off") => None,
        Some(p) => Some(expand_tilde(p)),
        None if interactive => dirs::config_dir()
            .map(|d| d.join("eje").join("init.kgq"))
            .filter(|p| p.is_file()),
        None => None,
    }
}

/// Runs the shell until Ctrl-D or `:quit`. The exit status is 0 whatever
/// the statements did: failures were shown as they happened.
pub fn run(session: Session, args: &Settings, err_color: bool) -> anyhow::Result<()> {
    let out_color = colored::control::SHOULD_COLORIZE.should_colorize();
    let mut repl = Shell::new(session, args.format, out_color, err_color, false);
    repl.safe = args.safe;
    repl.corpus = args.corpus.clone();
    repl.watch = args.watch;
    repl.echo = args.echo;
    // The evaluator counts its work here; the progress line reads it.
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    repl.session.options.progress = Some(counter.clone());
    repl.progress = Some(counter);
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
    editor.set_helper(Some(EjeHelper::new(vocabulary(&repl), out_color)));
    let enter = || EventHandler::Conditional(Box::new(EnterHandler));
    editor.bind_sequence(KeyEvent(KeyCode::Enter, Modifiers::NONE), enter());
    editor.bind_sequence(KeyEvent::ctrl('J'), enter());
    editor.bind_sequence(
        KeyEvent(KeyCode::Backspace, Modifiers::NONE),
        EventHandler::Conditional(Box::new(BackspaceHandler)),
    );
    let to_edit = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    editor.bind_sequence(
        rustyline::Event::KeySeq(vec![KeyEvent::ctrl('X'), KeyEvent::ctrl('E')]),
        EventHandler::Conditional(Box::new(EditHandler(to_edit.clone()))),
    );
    editor.bind_sequence(
        KeyEvent(KeyCode::Enter, Modifiers::ALT),
        EventHandler::Simple(Cmd::Insert(1, format!("\n{}", input::PAD))),
    );

    let history = args.history.clone();
    if let Some(path) = &history {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        match editor.load_history(path) {
            Ok(()) => {}
            Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => crate::sink::line_to_stderr(format_args!(
                "eje: cannot read the history `{}`: {e}",
                path.display()
            )),
        }
    }

    // Ctrl-C while a statement runs reaches us as SIGINT (rustyline's raw
    // mode, which turns it into a key, is off then): ask the evaluator to
    // stop. Each statement clears the flag when it starts.
    let cancel = repl.session.cancel.clone();
    if let Err(e) = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed)) {
        crate::sink::line_to_stderr(format_args!("eje: Ctrl-C will not cancel queries: {e}"));
    }

    repl.history = editor
        .history()
        .iter()
        .map(|e| input::strip_pads(e))
        .collect();
    repl.banner();
    if let Some(path) = &args.init {
        repl.run_init(path);
        repl.failed.set(false);
    }
    let mut watcher: Option<watch::Watcher> = None;
    loop {
        sync_watcher(&mut repl, &mut editor, &mut watcher);
        let line = editor.readline(input::PROMPT);
        // A dataset reloaded while the line was typed answers from now on.
        if let Some(w) = &watcher
            && let Some(loaded) = w.reloaded.try_iter().last()
        {
            repl.session.install(loaded);
            if let Some(h) = editor.helper_mut() {
                h.vocab = vocabulary(&repl);
            }
        }
        match line {
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
                let before = repl.transcript.len();
                let flow = repl.handle(&text);
                // What `:edit` ran joins the line editor's history too, so
                // Up recalls it.
                let typed = text.trim();
                for entry in repl.transcript[before..].iter() {
                    if entry.as_str() != typed
                        && editor
                            .add_history_entry(input::with_pads(entry))
                            .unwrap_or(false)
                        && let Some(path) = &history
                    {
                        save_history(&mut editor, path);
                    }
                }
                if repl.vocab_stale {
                    repl.vocab_stale = false;
                    if let Some(h) = editor.helper_mut() {
                        h.vocab = vocabulary(&repl);
                    }
                }
                if flow == Flow::Quit {
                    break;
                }
            }
            // Ctrl-X Ctrl-E: the line typed so far, in the editor.
            Err(ReadlineError::Interrupted)
                if let Some(buffer) = to_edit.lock().ok().and_then(|mut s| s.take()) =>
            {
                let before = repl.transcript.len();
                repl.edit_from(Some(&input::strip_pads(&buffer)));
                for entry in repl.transcript[before..].iter() {
                    if editor
                        .add_history_entry(input::with_pads(entry))
                        .unwrap_or(false)
                        && let Some(path) = &history
                    {
                        save_history(&mut editor, path);
                    }
                }
            }
            // Ctrl-C at the prompt: the line is dropped, a new one starts.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Starts or stops the watcher as `:watch` (or `--watch`) asks.
fn sync_watcher(
    repl: &mut Shell,
    editor: &mut Editor<EjeHelper, DefaultHistory>,
    watcher: &mut Option<watch::Watcher>,
) {
    match (repl.watch, watcher.is_some()) {
        (true, false) => {
            let started = editor
                .create_external_printer()
                .map_err(|e| format!("cannot print notices while you type: {e}"))
                .and_then(|p| watch::Watcher::start(&repl.session.source, p, repl.err_color));
            match started {
                Ok(w) => *watcher = Some(w),
                Err(e) => {
                    repl.error(&e);
                    repl.watch = false;
                }
            }
        }
        (false, true) => *watcher = None,
        _ => {}
    }
}

/// Where the history lives: `--history PATH`, nowhere with `--history off`
/// (or a character device such as `/dev/null`), else `eje/history` in the
/// user's data directory. An existing file that is not an eje history (its
/// first line is rustyline's `#V2`) is refused: eje would rewrite it.
pub fn history_file(option: Option<&str>) -> Result<Option<PathBuf>, String> {
    let path = match option {
        Some(s) if s.eq_ignore_ascii_case("off") => return Ok(None),
        Some(p) => expand_tilde(p),
        None => match dirs::data_dir() {
            Some(d) => d.join("eje").join("history"),
            None => return Ok(None),
        },
    };
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(path)),
        Err(e) => {
            return Err(format!(
                "cannot use `{}` as the history: {}",
                path.display(),
                crate::sink::os_reason(&e)
            ));
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if meta.file_type().is_char_device() {
            return Ok(None);
        }
    }
    if !meta.is_file() {
        return Err(format!(
            "`{}` is not a file, so it cannot hold the history\n\
             help: give a file, or `--history off`",
            path.display()
        ));
    }
    let mut first = String::new();
    let read = std::fs::File::open(&path).and_then(|f| {
        use std::io::{BufRead, Read};
        std::io::BufReader::new(f.take(64)).read_line(&mut first)
    });
    match read {
        Ok(0) => Ok(Some(path)),
        Ok(_) if first.trim_end() == HISTORY_HEADER => Ok(Some(path)),
        Ok(_) => Err(format!(
            "`{}` is not an eje history (its first line is not `{HISTORY_HEADER}`), and eje \
             would rewrite it\n\
             help: give a new file or an eje history, or `--history off`",
            path.display()
        )),
        Err(e) => Err(format!(
            "cannot read the history `{}`: {}",
            path.display(),
            crate::sink::os_reason(&e)
        )),
    }
}

/// The first line of a history file as rustyline writes it.
const HISTORY_HEADER: &str = "#V2";

/// Appends the new entry to the history file at once, so a crash loses
/// nothing and two shells share their history; the file is the user's
/// alone (mode 0600), since queries can say what someone is looking into.
fn save_history(editor: &mut Editor<EjeHelper, DefaultHistory>, path: &Path) {
    if let Err(e) = editor.append_history(path) {
        crate::sink::line_to_stderr(format_args!(
            "eje: cannot write the history `{}`: {e}",
            path.display()
        ));
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

/// The names completion offers, drawn from the graph and the parameters.
fn vocabulary(shell: &Shell) -> Vocabulary {
    let mut v = Vocabulary::of(shell.session.graph());
    v.params = shell.session.options.params.keys().cloned().collect();
    v
}
