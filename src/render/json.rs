//! Answers as JSON Lines, in the shape of SPEC §1.

use serde_json::{Map, Value as Json, json};

use crate::model::{Graph, Value, value::format_float};
use crate::query::ResultSet;

/// The JSON shape of SPEC §1 for one value.
pub fn json_value(graph: &Graph, v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| Json::String(format_float(*f)), Json::Number),
        Value::Str(s) => Json::String((s.clone()).to_string()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Temporal(t) => Json::String(t.to_string()),
        Value::List(items) => Json::Array(items.iter().map(|i| json_value(graph, i)).collect()),
        Value::Map(m) => Json::Object(json_map(graph, m)),
        Value::Node(ix) => {
            let n = graph.node(*ix);
            let mut o = Map::new();
            o.insert("id".into(), json!(n.id));
            o.insert("labels".into(), json!(n.labels));
            if let Some(name) = n.name() {
                o.insert("name".into(), json!(name));
            }
            o.insert("properties".into(), Json::Object(json_map(graph, &n.props)));
            Json::Object(o)
        }
        Value::Rel(ix) => {
            let r = graph.rel(*ix);
            let (a, b) = graph.endpoints(*ix);
            json!({
                "type": r.rel_type,
                "from": graph.node(a).id,
                "to": graph.node(b).id,
                "properties": Json::Object(json_map(graph, &r.props)),
            })
        }
        Value::Path(p) => json!({
            "nodes": p.nodes.iter().map(|n| json_value(graph, &Value::Node(*n))).collect::<Vec<_>>(),
            "rels": p.rels.iter().map(|r| json_value(graph, &Value::Rel(*r))).collect::<Vec<_>>(),
        }),
    }
}

fn json_map<'a>(
    graph: &Graph,
    m: impl IntoIterator<Item = (&'a String, &'a Value)>,
) -> Map<String, Json> {
    m.into_iter()
        .map(|(k, v)| (k.clone(), json_value(graph, v)))
        .collect()
}

pub fn json_result(graph: &Graph, rs: &ResultSet) -> Json {
    let mut o = Map::new();
    o.insert("columns".into(), json!(rs.columns));
    o.insert(
        "rows".into(),
        Json::Array(
            rs.rows
                .iter()
                .map(|r| Json::Array(r.iter().map(|v| json_value(graph, v)).collect()))
                .collect(),
        ),
    );
    if !rs.header.is_empty() {
        let h: Map<String, Json> = rs
            .header
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        o.insert("header".into(), Json::Object(h));
    }
    Json::Object(o)
}
