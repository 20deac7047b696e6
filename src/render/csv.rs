//! Answers as CSV (RFC 4180): scalars plain, nodes by id, the rest as JSON;
//! control characters raw, except on a terminal.

use super::json::json_value;
use super::text::raw_text;
use crate::diag::visible;
use crate::model::{Graph, Value};
use crate::query::ResultSet;

/// CSV field text: scalars plain, nodes by id, the rest as JSON.
pub(super) fn csv_field(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Node(ix) => graph.node(*ix).id.clone(),
        Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Date(_) => {
            raw_text(graph, v)
        }
        other => json_value(graph, other).to_string(),
    }
}

/// The answer as CSV. Fields keep their control characters (RFC 4180
/// quotes them) unless the text goes to a terminal (`terminal`), where they
/// are shown as escapes as in a table.
pub(super) fn csv(graph: &Graph, rs: &ResultSet, terminal: bool) -> String {
    let shown = |f: String| {
        if terminal {
            visible(&f).into_owned()
        } else {
            f
        }
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(rs.columns.iter().map(|c| shown(c.clone())));
    for row in &rs.rows {
        let _ = w.write_record(row.iter().map(|v| shown(csv_field(graph, v))));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
