//! The command line: the clap definitions (`args.rs`, the raw layer) and
//! the dispatch that resolves them into work, one file per subcommand
//! (`query.rs`, `run.rs`, `check.rs`, `export.rs`, `stats.rs`, `repl.rs`
//! for the shell and piped stdin). What several subcommands share (opening
//! a session, printing answers and errors) is here. Only this module and
//! `repl` touch the terminal.

mod args;
mod cache;
mod check;
pub mod coverage;
mod export;
mod query;
mod repl;
mod run;
mod stats;

use std::io::{IsTerminal, Write};
use std::mem::ManuallyDrop;

use clap::CommandFactory;

use crate::load::Loaded;
use crate::session::Session;

pub use args::*;

/// Colour for stderr diagnostics and stdout tables, decided once.
pub fn use_color(choice: ColorChoice, stream_is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    if let Some(max) = cli.max_file_size {
        crate::load::read::set_default_max_file_size(max);
    }
    crate::load::cache::set_no_cache(cli.no_cache);
    let (command, color) = cli.resolve().map_err(UsageError)?;
    let err_color = use_color(color, std::io::stderr().is_terminal());
    let out_color = use_color(color, std::io::stdout().is_terminal());
    colored::control::set_override(out_color);
    match command {
        Command::Check(args) => check::check(args, err_color),
        Command::Stats(args) => stats::stats(args, err_color),
        Command::Query(args) => query::query(args, err_color),
        Command::Run(args) => run::run_scripts(args, err_color),
        Command::Export(args) => export::export_cmd(args, err_color),
        Command::Schema(args) => stats::schema(args, err_color),
        Command::Coverage(args) => coverage::run(args, err_color),
        Command::Lsp(args) => {
            crate::lsp::run(crate::lsp::Settings {
                data: args.data,
                corpus: args.corpus,
                limits: args.limits.settings(),
                problems: Vec::new(),
            })?;
            Ok(Exit::Ok)
        }
        Command::Completions { shell } => {
            // Written in one go, so that a closed pipe is an error to
            // handle (`eje completions bash | head -c10`), not a panic.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "eje", &mut script);
            let mut out = std::io::stdout().lock();
            out.write_all(&script)?;
            out.flush()?;
            Ok(Exit::Ok)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&page)?;
            out.flush()?;
            Ok(Exit::Ok)
        }
        Command::Repl(args) => repl::repl(args, err_color),
        Command::Cache(action) => cache::run(action),
    }
}

/// A mistake in how eje was called (exit 2), with its help.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Whether `e` is a usage error (exit 2).
pub fn is_usage(e: &anyhow::Error) -> bool {
    e.downcast_ref::<UsageError>().is_some()
}

/// Whether `e` is a write to a closed pipe (`eje ... | head`): not an
/// error, the command ends quietly.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints the error that ended a command. A bare I/O error is a failed
/// write of the output (reads say what they read): a full disk is reported,
/// never a panic.
pub fn report(e: &anyhow::Error) {
    let message = match e.downcast_ref::<std::io::Error>() {
        Some(io) => format!("cannot write the output: {}", crate::sink::os_reason(io)),
        None => format!("{e:#}"),
    };
    crate::sink::line_to_stderr(format_args!("eje: {message}"));
}

/// Opens the graph for running statements, with the parameters set.
/// `Ok(None)`: the data did not load (already reported).
///
/// The session is never dropped: a command that opens one ends with the
/// process, which gives the memory back at once, where freeing a large
/// graph piece by piece takes a good part of a second.
pub(crate) fn open_session(
    graph: &GraphArgs,
    exec: &ExecArgs,
    err_color: bool,
) -> anyhow::Result<Option<ManuallyDrop<Session>>> {
    let params = crate::query::params::parse_params(&exec.params).map_err(UsageError)?;
    let source = graph.source();
    match Session::open(source.clone()) {
        Ok(mut s) => {
            // Notes of the load (a link that leaves the data folder).
            crate::sink::to_stderr(crate::diag::render_notes(&s.warnings));
            s.options.params = params;
            s.options.max_hops = exec.max_hops;
            exec.limits.apply(&mut s.options);
            Ok(Some(ManuallyDrop::new(s)))
        }
        Err(failure) => {
            crate::sink::to_stderr(format_args!("{}", failure.render(err_color)));
            crate::sink::line_to_stderr(format_args!(
                "eje: {} could not be loaded: {} error(s)",
                source.describe(),
                failure.error_count()
            ));
            Ok(None)
        }
    }
}

pub(crate) fn terminal_width() -> Option<u16> {
    crate::meta::terminal_width()
}

/// Loads the graph, printing the diagnostics on failure and warnings on
/// success to stderr.
pub fn load_or_report(args: &GraphArgs, color: bool) -> Option<Loaded> {
    let location = args.source();
    match location.load() {
        Ok(loaded) => {
            crate::sink::to_stderr(crate::diag::render_notes(&loaded.warnings));
            Some(loaded)
        }
        Err(failure) => {
            crate::sink::to_stderr(format_args!("{}", failure.render(color)));
            crate::sink::line_to_stderr(format_args!(
                "eje: {} could not be loaded: {} error(s)",
                location.describe(),
                failure.error_count()
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
