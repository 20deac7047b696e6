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
use std::io::{self, Write};

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value as Json, json};

use super::stream::Progress;
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

/// Properties as a JSON object, in key order. Deferred evidence is built
/// for this call only (`Props::scan`).
pub fn props_to_json(graph: &Graph, props: &Props) -> Json {
    props.scan(|it| {
        Json::Object(
            it.map(|(k, v)| (k.clone(), value_to_json(graph, v)))
                .collect(),
        )
    })
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
    let mut add = |id: &str| {
        if !out.contains(id) {
            out.insert(id.to_string());
        }
    };
    rel.props.scan(|it| {
        for (k, v) in it {
            match (k.as_str(), v) {
                ("sources", Value::List(ids)) => {
                    ids.iter().filter_map(Value::as_str).for_each(&mut add)
                }
                ("citations", Value::List(cites)) => {
                    for c in cites {
                        if let Value::Map(m) = c {
                            if let Some(Value::Str(s)) = m.get("source") {
                                add(s);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    });
}

/// The `graph` object: counts, the sources the relations cite, the
/// symmetric relation types.
fn graph_header(graph: &Graph, nodes: usize, rels: &[EdgeIndex]) -> Json {
    let mut cited = BTreeSet::new();
    for &e in rels {
        cited_sources(graph.rel(e), &mut cited);
    }
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
        "generator": concat!("eje ", env!("CARGO_PKG_VERSION")),
        "nodes": nodes,
        "relations": rels.len(),
        "sources": Json::Object(sources),
        "symmetric": symmetric,
    })
}

/// The whole document, serialised element by element.
struct Doc<'a> {
    graph: &'a Graph,
    nodes: &'a [NodeIndex],
    rels: &'a [EdgeIndex],
    header: Json,
    progress: &'a Progress,
}

struct Nodes<'a>(&'a Doc<'a>);
struct Links<'a>(&'a Doc<'a>);

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("directed", &true)?;
        m.serialize_entry("multigraph", &true)?;
        m.serialize_entry("graph", &self.header)?;
        m.serialize_entry("nodes", &Nodes(self))?;
        m.serialize_entry("links", &Links(self))?;
        m.end()
    }
}

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut seq = s.serialize_seq(Some(d.nodes.len()))?;
        for &n in d.nodes {
            seq.serialize_element(&node_to_json(d.graph, d.graph.node(n)))?;
            d.progress.inc(1);
        }
        seq.end()
    }
}

impl Serialize for Links<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let g = d.graph;
        let mut seq = s.serialize_seq(Some(d.rels.len()))?;
        for &e in d.rels {
            let (a, b) = g.endpoints(e);
            seq.serialize_element(&link_to_json(g, g.node(a), g.node(b), g.rel(e)))?;
            d.progress.inc(1);
        }
        seq.end()
    }
}

/// Writes the node-link document of a subgraph, pretty-printed with a final
/// newline, one node or relation at a time.
pub fn write_json(
    graph: &Graph,
    sub: &Subgraph,
    out: &mut dyn Write,
    progress: &Progress,
) -> io::Result<()> {
    let nodes = sub.sorted_nodes(graph);
    let rels = sub.sorted_rels(graph);
    let doc = Doc {
        graph,
        nodes: &nodes,
        rels: &rels,
        header: graph_header(graph, nodes.len(), &rels),
        progress,
    };
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    let mut ser = serde_json::Serializer::pretty(&mut w);
    doc.serialize(&mut ser).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The document pretty-printed, with a final newline.
pub fn to_json_string(graph: &Graph, sub: &Subgraph) -> String {
    let mut out = Vec::new();
    write_json(graph, sub, &mut out, &Progress::off()).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}
