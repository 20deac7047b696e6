//! Node-link JSON, the shape networkx (`node_link_graph(d, edges="links")`)
//! and d3 read:
//!
//! ```text
//! {"directed": true, "multigraph": true,
//!  "graph": {"generator": "eje", "nodes": N, "relations": M, "sources": {...},
//!            "symmetric": ["met_with", ...]},
//!  "nodes": [{"id", "labels", "name", "properties": {...}}],
//!  "links": [{"source", "target", "type", "key", "properties": {...}}]}
//! ```
//!
//! Every property is written, evidence included (`citations`, `quotes`,
//! `sources`...); `graph.sources` describes each source the relations cite,
//! and `graph.symmetric` lists the relation types the schema declares
//! symmetric (eje matches them in both directions).
//! Dates are ISO strings with their precision (`"2024-06"`). `key` is the
//! claim id where the relation has one, so parallel claims stay apart.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use super::subgraph::Subgraph;
use crate::model::{Graph, Node, Props, Rel, Value, value::format_float};

/// A property value as JSON: dates as ISO strings, lists and maps as
/// arrays and objects, nodes by id, relations by type. Non-finite floats,
/// which JSON cannot hold, become strings (`"NaN"`).
pub fn value_to_json(graph: &Graph, value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or_else(|| Json::String(format_float(*f))),
        Value::Str(s) => Json::String(s.clone()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Temporal(t) => Json::String(t.to_string()),
        Value::List(items) => Json::Array(items.iter().map(|v| value_to_json(graph, v)).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), value_to_json(graph, v)))
                .collect(),
        ),
        Value::Node(n) if n.index() < graph.node_count() => Json::String(graph.node(*n).id.clone()),
        Value::Rel(r) if r.index() < graph.rel_count() => {
            Json::String(graph.rel(*r).rel_type.clone())
        }
        Value::Path(p) => json!({
            "nodes": p.nodes.iter().map(|n| value_to_json(graph, &Value::Node(*n))).collect::<Vec<_>>(),
            "rels": p.rels.iter().map(|r| value_to_json(graph, &Value::Rel(*r))).collect::<Vec<_>>(),
        }),
        other => Json::String(other.to_string()),
    }
}

/// Properties as a JSON object, in key order.
pub fn props_to_json(graph: &Graph, props: &Props) -> Json {
    Json::Object(
        props
            .iter()
            .map(|(k, v)| (k.clone(), value_to_json(graph, v)))
            .collect(),
    )
}

/// A node as `{"id", "labels", "name", "properties"}` (`name` only where
/// it has one).
pub fn node_to_json(graph: &Graph, node: &Node) -> Json {
    let mut m = Map::new();
    m.insert("id".into(), Json::String(node.id.clone()));
    m.insert("labels".into(), json!(node.labels));
    if let Some(name) = node.name() {
        m.insert("name".into(), Json::String(name.to_string()));
    }
    m.insert("properties".into(), props_to_json(graph, &node.props));
    Json::Object(m)
}

fn link_to_json(graph: &Graph, from: &Node, to: &Node, rel: &Rel) -> Json {
    let mut m = Map::new();
    m.insert("source".into(), Json::String(from.id.clone()));
    m.insert("target".into(), Json::String(to.id.clone()));
    m.insert("type".into(), Json::String(rel.rel_type.clone()));
    if let Some(Value::Str(id)) = rel.props.get("id") {
        m.insert("key".into(), Json::String(id.clone()));
    }
    m.insert("properties".into(), props_to_json(graph, &rel.props));
    Json::Object(m)
}

/// The ids of the sources a relation cites, from `sources` and from
/// `citations[].source`.
fn cited_sources(rel: &Rel, out: &mut BTreeSet<String>) {
    if let Some(Value::List(ids)) = rel.props.get("sources") {
        out.extend(ids.iter().filter_map(Value::as_str).map(str::to_string));
    }
    if let Some(Value::List(cites)) = rel.props.get("citations") {
        for c in cites {
            if let Value::Map(m) = c
                && let Some(Value::Str(s)) = m.get("source")
            {
                out.insert(s.clone());
            }
        }
    }
}

/// The node-link document of a subgraph.
pub fn to_json(graph: &Graph, sub: &Subgraph) -> Json {
    let nodes: Vec<Json> = sub
        .sorted_nodes(graph)
        .into_iter()
        .map(|n| node_to_json(graph, graph.node(n)))
        .collect();
    let rel_ixs = sub.sorted_rels(graph);
    let mut cited = BTreeSet::new();
    let links: Vec<Json> = rel_ixs
        .iter()
        .map(|&e| {
            let (a, b) = graph.endpoints(e);
            let rel = graph.rel(e);
            cited_sources(rel, &mut cited);
            link_to_json(graph, graph.node(a), graph.node(b), rel)
        })
        .collect();
    let mut sources = Map::new();
    for id in &cited {
        if let Some(s) = graph.sources.get(id) {
            let mut m = Map::new();
            m.insert("kind".into(), Json::String(s.kind.clone()));
            m.insert("title".into(), Json::String(s.title.clone()));
            if let Some(p) = &s.publisher {
                m.insert("publisher".into(), Json::String(p.clone()));
            }
            if let Some(d) = &s.published {
                m.insert("published".into(), Json::String(d.to_string()));
            }
            m.insert("language".into(), Json::String(s.language.clone()));
            m.insert("file".into(), Json::String(s.file.clone()));
            sources.insert(id.clone(), Json::Object(m));
        }
    }
    // Relation types the schema declares symmetric: `a met_with b` also
    // says `b met_with a`, and eje matches them in both directions.
    let symmetric: Vec<&str> = graph
        .schema
        .as_ref()
        .map(|s| {
            s.relations
                .values()
                .filter(|r| r.symmetric)
                .map(|r| r.name.as_str())
                .collect()
        })
        .unwrap_or_default();
    json!({
        "directed": true,
        "multigraph": true,
        "graph": {
            "generator": concat!("eje ", env!("CARGO_PKG_VERSION")),
            "nodes": nodes.len(),
            "relations": links.len(),
            "sources": Json::Object(sources),
            "symmetric": symmetric,
        },
        "nodes": nodes,
        "links": links,
    })
}

/// The document pretty-printed, with a final newline.
pub fn to_json_string(graph: &Graph, sub: &Subgraph) -> String {
    let mut s = serde_json::to_string_pretty(&to_json(graph, sub)).expect("JSON values serialise");
    s.push('\n');
    s
}
