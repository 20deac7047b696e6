//! eje's dates: the parsing that comparisons with strings use, and
//! `within` / `overlaps` (their semantics are in `query::dates`;
//! `date()` itself is in `temporal.rs`).

use super::super::dates::{self, Extent};
use super::*;

/// Parses a date for `date()` and for comparisons with strings.
pub fn parse_date(text: &str) -> Result<PartialDate, QueryError> {
    PartialDate::parse(text.trim()).map_err(|e| value_error(e.0))
}

/// A dated thing for `within` and `overlaps`: a date is the period it
/// names, a relation or a node is when it holds; `None` when it has no
/// date.
fn extent(g: &Graph, func: &str, v: &Value) -> Result<Option<Extent>, QueryError> {
    Ok(match v {
        Value::Date(d) => Some(Extent::of_date(d)),
        Value::Rel(ix) => Extent::of(&g.rel(*ix).props),
        Value::Node(ix) => Extent::of(&g.node(*ix).props),
        v => return Err(arg_error(func, "a date, a relation or an event", v)),
    })
}

pub(super) fn within(g: &Graph, a: &[Value]) -> FnResult {
    if a.iter().any(|v| matches!(v, Value::Null)) {
        return Ok(Value::Null);
    }
    let period = match &a[1] {
        Value::Date(d) => *d,
        Value::Str(s) => parse_date(s)?,
        v => return Err(arg_error("within", "a date or a string like `2024-06`", v)),
    };
    let Some(x) = extent(g, "within", &a[0])? else {
        return Ok(Value::Null);
    };
    let answer = dates::within(&x, (period.first_day(), period.last_day()));
    Ok(answer.map_or(Value::Null, Value::Bool))
}

pub(super) fn overlaps(g: &Graph, a: &[Value]) -> FnResult {
    if a.iter().any(|v| matches!(v, Value::Null)) {
        return Ok(Value::Null);
    }
    let (Some(x), Some(y)) = (extent(g, "overlaps", &a[0])?, extent(g, "overlaps", &a[1])?) else {
        return Ok(Value::Null);
    };
    Ok(dates::overlaps(&x, &y).map_or(Value::Null, Value::Bool))
}
