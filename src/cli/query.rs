//! `eje query`: runs the statements given on the command line, printing
//! each answer as it comes. CSV and JSON answers are streamed row by row
//! when nothing forces their rows to be held (`query::Options::stream`).

use std::io::IsTerminal;

use crate::diag::SourceMap;
use crate::query::split::split_statements;

use super::{Exit, QueryArgs, open_session};

pub(super) fn query(args: QueryArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(mut session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let sources = SourceMap::from([("<query>".to_string(), args.query.clone())]);
    let stream = crate::render::row_stream(
        session.graph_arc(),
        args.exec.format,
        std::io::stdout().is_terminal(),
        std::io::stdout(),
    );
    if let Some((s, _)) = &stream {
        session.options.stream = Some(s.clone());
    }
    for (i, span) in split_statements(&args.query).into_iter().enumerate() {
        let executed = session.run_span(&args.query, span);
        let failed = executed.result.is_err();
        if let Some((_, sink)) = &stream {
            let mut sink = sink.lock().unwrap_or_else(|p| p.into_inner());
            sink.flush()?;
            // Printed below, not streamed: counted for the blank line
            // between answers.
            if matches!(&executed.result, Ok(rs) if rs.streamed.is_none()) {
                sink.count_answer();
            }
        }
        let shown = match &stream {
            Some((_, sink)) => sink.lock().unwrap_or_else(|p| p.into_inner()).answers,
            None => i + 1,
        };
        let ok = crate::meta::print_answers(
            &session,
            &[executed],
            args.exec.format,
            "<query>",
            &sources,
            false,
            err_color,
            shown.saturating_sub(1),
        )?;
        if failed || !ok {
            return Ok(Exit::Failed);
        }
    }
    Ok(Exit::Ok)
}
