//! The engine's entry point: runs a statement, routing a query to the
//! planner and evaluator (`eval`) and an analyst statement to `analyst`.
//! The layers below never call back up here.

use super::analyst;
use super::ast;
use super::error::QueryError;
use super::eval::{self, Options};
use super::result::ResultSet;
use crate::model::Graph;

/// Runs one statement. `text` is the text its spans point into (the
/// statement's source or the whole script it came from): unaliased return
/// items are named after their text there.
pub fn execute(
    graph: &Graph,
    text: &str,
    stmt: &ast::Statement,
    opts: &Options,
) -> Result<ResultSet, QueryError> {
    match stmt {
        ast::Statement::Query(q) => eval::run_query(graph, text, q, opts),
        other => analyst::execute(graph, text, other, opts),
    }
}

/// Parses a script and runs each of its statements in turn. A syntax
/// error is the only result; otherwise there is one result per statement
/// (the caller decides whether to stop at the first error).
pub fn run(graph: &Graph, text: &str, opts: &Options) -> Vec<Result<ResultSet, QueryError>> {
    match super::parser::parse(text) {
        Err(e) => vec![Err(e)],
        Ok(script) => script
            .statements
            .iter()
            .map(|s| execute(graph, text, s, opts))
            .collect(),
    }
}
