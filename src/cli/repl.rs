//! `eje` and `eje repl`: the interactive shell on a terminal; statements
//! from stdin otherwise.

use std::io::IsTerminal;
use std::mem::ManuallyDrop;

use crate::diag::SourceMap;

use super::{Exit, ReplArgs, UsageError, open_session, print_results};

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
            watch: args.watch,
            corpus: args.corpus.clone(),
        };
        crate::repl::run(ManuallyDrop::into_inner(session), &settings, err_color)?;
        return Ok(Exit::Ok);
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| anyhow::anyhow!("cannot read standard input: {e}"))?;
    let Some(mut session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let sources = SourceMap::from([("<stdin>".to_string(), text.clone())]);
    let results = session.run(&text, true);
    print_results(
        &session, &results, &args.exec, "<stdin>", &sources, false, err_color,
    )
}
