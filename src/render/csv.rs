//! Answers as CSV (RFC 4180): scalars plain, nodes by id, the rest as JSON.

use super::json::json_value;
use super::text::text;
use crate::model::{Graph, Value};
use crate::query::ResultSet;

/// CSV field text: scalars plain, nodes by id, the rest as JSON.
fn csv_field(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Node(ix) => graph.node(*ix).id.clone(),
        Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Date(_) => {
            text(graph, v, false)
        }
        other => json_value(graph, other).to_string(),
    }
}

pub(super) fn csv(graph: &Graph, rs: &ResultSet) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&rs.columns);
    for row in &rs.rows {
        let _ = w.write_record(row.iter().map(|v| csv_field(graph, v)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
