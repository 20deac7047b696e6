//! `eje query`: runs the statements given on the command line.

use crate::diag::SourceMap;

use super::{Exit, QueryArgs, open_session, print_results};

pub(super) fn query(args: QueryArgs, err_color: bool) -> anyhow::Result<Exit> {
    let Some(mut session) = open_session(&args.graph, &args.exec, err_color)? else {
        return Ok(Exit::Failed);
    };
    let sources = SourceMap::from([("<query>".to_string(), args.query.clone())]);
    let results = session.run(&args.query, false);
    print_results(
        &session, &results, &args.exec, "<query>", &sources, false, err_color,
    )
}
