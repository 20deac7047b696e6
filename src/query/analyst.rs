//! Analyst statements: `DESCRIBE`, `NEIGHBORS`, `PATH`, `TIMELINE`, `EVIDENCE`.

use super::ast;
use super::error::QueryError;
use super::eval::Options;
use super::result::ResultSet;
use crate::model::Graph;

pub fn execute(
    _graph: &Graph,
    _text: &str,
    stmt: &ast::Statement,
    _opts: &Options,
) -> Result<ResultSet, QueryError> {
    Err(QueryError::semantic("not yet", stmt.span()))
}
