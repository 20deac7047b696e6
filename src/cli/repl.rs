//! `eje` and `eje repl`: the interactive shell on a terminal; statements
//! from stdin otherwise.

use std::io::IsTerminal;
use std::mem::ManuallyDrop;

use super::{Exit, ReplArgs, UsageError, open_session};

/// The REPL on a terminal; statements from stdin otherwise (like
/// `sqlite3 < file`): only results and errors are printed, and the exit
/// status says whether any statement failed.
pub(super) fn repl(args: ReplArgs, err_color: bool) -> anyhow::Result<Exit> {
    // Checked even when stdin is not a terminal: a wrong option is wrong
    // wherever it is given.
    let history = crate::repl::history_file(args.history.as_deref()).map_err(UsageError)?;
    if std::io::stdin().is_terminal() {
        let Some(session) = open_session(&args.graph, &args.exec, err_color)? else {
            return Ok(Exit::Failed);
        };
        let settings = crate::repl::Settings {
            format: args.exec.format,
            history,
            init: crate::repl::init_file(args.init.as_deref(), true),
            echo: args.echo,
            watch: args.watch,
            corpus: args.corpus.clone(),
            safe: args.exec.safe,
        };
        crate::repl::run(ManuallyDrop::into_inner(session), &settings, err_color)?;
        return Ok(Exit::Ok);
    }
    let Some(session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let out_color = colored::control::SHOULD_COLORIZE.should_colorize();
    // Never dropped, as the session is not (see `open_session`).
    let mut shell = ManuallyDrop::new(crate::meta::Shell::new(
        ManuallyDrop::into_inner(session),
        args.exec.format,
        out_color,
        err_color,
        true,
    ));
    shell.safe = args.exec.safe;
    shell.corpus = args.corpus.clone();
    shell.echo = args.echo;
    // Only an init file named on the command line runs before piped
    // statements, so a pipe answers the same for everyone.
    let init_ok = match crate::repl::init_file(args.init.as_deref(), false) {
        Some(path) => shell.run_init(&path),
        None => true,
    };
    // Read as it arrives, statement by statement (as sqlite3 reads a pipe).
    let mut stdin = std::io::stdin().lock();
    let ok = shell.run_stream("<stdin>", &mut stdin, args.keep_going)?;
    Ok(if ok && init_ok {
        Exit::Ok
    } else {
        Exit::Failed
    })
}
