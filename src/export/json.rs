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
use crate::model::fxhash::FastSet;
use crate::model::props::Item;
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
        Value::Str(s) => Json::String((s.clone()).to_string()),
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
            Json::String(graph.rel(*r).rel_type.to_string())
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

/// The ids of the sources a relation cites, from `sources` and from
/// `citations[].source`, listed without building the relation's evidence.
/// The loader shares one string among the citations of a source, so each
/// is noted once by its address and length (`seen`), without hashing or comparing its
/// text; equal texts at two addresses are merged when sorted.
fn cited_sources<'a>(rel: &'a Rel, seen: &mut FastSet<(usize, usize)>, out: &mut Vec<&'a str>) {
    let mut add = |id: &'a str| {
        if seen.insert((id.as_ptr() as usize, id.len())) {
            out.push(id);
        }
    };
    rel.props.each_str("sources", None, &mut add);
    rel.props.each_str("citations", Some("source"), &mut add);
}

/// The `graph` object: counts, the sources the relations cite, the
/// symmetric relation types.
fn graph_header(graph: &Graph, nodes: usize, rels: &[EdgeIndex]) -> Json {
    // Addresses in a hash set while collecting (a million relations
    // cite), texts sorted after.
    // The set does not depend on the order: walk the relations in the
    // order they lie in memory, not in the document's.
    let mut in_memory = rels.to_vec();
    in_memory.sort_unstable();
    let (mut seen, mut cited) = (FastSet::default(), Vec::new());
    for e in in_memory {
        cited_sources(graph.rel(e), &mut seen, &mut cited);
    }
    let cited: BTreeSet<&str> = cited.into_iter().collect();
    let mut sources = Map::new();
    for &id in &cited {
        if let Some(s) = graph.sources().get(id) {
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
            sources.insert(id.to_string(), Json::Object(m));
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

/// A value serialised as `value_to_json` would write it, without building
/// the JSON value first.
struct ValueJson<'a>(&'a Graph, &'a Value);

impl Serialize for ValueJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ValueJson(graph, value) = *self;
        match value {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => s.serialize_f64(*f),
            Value::Float(f) => s.serialize_str(&format_float(*f)),
            Value::Str(x) => s.serialize_str(x),
            Value::Date(d) => s.collect_str(d),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(&ValueJson(graph, v))?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, &ValueJson(graph, v))?;
                }
                map.end()
            }
            Value::Node(n) if n.index() < graph.node_count() => s.serialize_str(&graph.node(*n).id),
            Value::Rel(r) if r.index() < graph.rel_count() => {
                s.serialize_str(&graph.rel(*r).rel_type)
            }
            other => value_to_json(graph, other).serialize(s),
        }
    }
}

/// Properties as a JSON object in key order. Deferred lists (a claim's
/// evidence) are written from the items their compact data lends, without
/// building them; where it lends none they are built for this call only.
struct PropsJson<'a>(&'a Graph, &'a Props);

impl Serialize for PropsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let PropsJson(graph, props) = *self;
        // Both sides are sorted and share no key: merge them.
        let mut deferred = props.deferred().map_or(&[][..], |d| d.keys()).iter();
        let mut next_deferred = deferred.next();
        let mut map = s.serialize_map(Some(props.len()))?;
        for (k, v) in props.shared_entries() {
            while let Some(&dk) = next_deferred.filter(|dk| **dk < k) {
                map.serialize_entry(dk, &DeferredJson(graph, props, dk))?;
                next_deferred = deferred.next();
            }
            map.serialize_entry(k, &ValueJson(graph, v))?;
        }
        while let Some(&dk) = next_deferred {
            map.serialize_entry(dk, &DeferredJson(graph, props, dk))?;
            next_deferred = deferred.next();
        }
        map.end()
    }
}

/// A deferred property: its items as lent (`Props::each_deferred_item`),
/// else its value, built for this call only where nobody has read it.
struct DeferredJson<'a>(&'a Graph, &'a Props, &'a str);

impl Serialize for DeferredJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let DeferredJson(graph, props, key) = *self;
        // The list opens at its first item: until then, `s` may still
        // write the built value instead.
        let mut s = Some(s);
        let mut seq = None;
        let mut failed = None;
        let lent = props.each_deferred_item(key, |item| {
            if failed.is_some() {
                return;
            }
            if seq.is_none() {
                match s.take().map(|s| s.serialize_seq(None)) {
                    Some(Ok(opened)) => seq = Some(opened),
                    Some(Err(e)) => failed = Some(e),
                    None => {}
                }
            }
            if let Some(seq) = seq.as_mut()
                && let Err(e) = seq.serialize_element(&ItemJson(item))
            {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        match (seq, s) {
            (Some(seq), _) => seq.end(),
            (None, Some(s)) if lent => s.serialize_seq(Some(0))?.end(),
            (None, Some(s)) => props.scan_get(key, |v| {
                ValueJson(graph, v.unwrap_or(&Value::Null)).serialize(s)
            }),
            (None, None) => Err(serde::ser::Error::custom(format!(
                "the list `{key}` was not written"
            ))),
        }
    }
}

/// A lent item as `ValueJson` writes its value.
struct ItemJson<'s, 'a>(Item<'s, 'a>);

impl Serialize for ItemJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Item::Str(x) => s.serialize_str(x),
            Item::Map(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    match v {
                        Some(v) => map.serialize_entry(k, v)?,
                        None => map.serialize_entry(k, &())?,
                    }
                }
                map.end()
            }
        }
    }
}

/// A node, as `node_to_json` writes it.
struct NodeJson<'a>(&'a Graph, &'a Node);

impl Serialize for NodeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let NodeJson(graph, node) = *self;
        let name = node.name();
        let mut m = s.serialize_map(Some(3 + usize::from(name.is_some())))?;
        m.serialize_entry("id", &node.id)?;
        m.serialize_entry("labels", &node.labels)?;
        if let Some(name) = name {
            m.serialize_entry("name", name)?;
        }
        m.serialize_entry("properties", &PropsJson(graph, &node.props))?;
        m.end()
    }
}

/// A relation, as `link_to_json` writes it.
struct LinkJson<'a>(&'a Graph, EdgeIndex);

impl Serialize for LinkJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let LinkJson(graph, e) = *self;
        let (a, b) = graph.endpoints(e);
        let rel = graph.rel(e);
        let key = match rel.props.get("id") {
            Some(Value::Str(id)) => Some(&**id),
            _ => None,
        };
        let mut m = s.serialize_map(Some(4 + usize::from(key.is_some())))?;
        m.serialize_entry("source", &graph.node(a).id)?;
        m.serialize_entry("target", &graph.node(b).id)?;
        m.serialize_entry("type", &rel.rel_type)?;
        if let Some(key) = key {
            m.serialize_entry("key", key)?;
        }
        m.serialize_entry("properties", &PropsJson(graph, &rel.props))?;
        m.end()
    }
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
            seq.serialize_element(&NodeJson(d.graph, d.graph.node(n)))?;
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
            seq.serialize_element(&LinkJson(g, e))?;
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::PartialDate;

    /// The streaming serialisation writes what the value form would.
    #[test]
    fn values_serialise_as_their_json_values() {
        let mut g = Graph::new(None);
        let n = g.add_node(Node {
            id: "n\"1".into(),
            labels: vec!["X".into()],
            props: Props::new(),
        });
        let date = PartialDate::parse("2024-06").expect("a date");
        let values = vec![
            Value::Null,
            Value::Bool(true),
            Value::Int(-3),
            Value::Float(0.1),
            Value::Float(1e300),
            Value::Float(f64::NAN),
            Value::Float(f64::NEG_INFINITY),
            Value::from("quote \" and \\ and \n"),
            Value::Date(date),
            Value::List(vec![Value::Int(1), Value::from("a"), Value::List(vec![])]),
            Value::Map(BTreeMap::from([
                ("b".to_string(), Value::Null),
                ("a".to_string(), Value::Node(n)),
            ])),
            Value::Node(n),
            Value::Node(petgraph::graph::NodeIndex::new(99)),
        ];
        for v in &values {
            let streamed = serde_json::to_string_pretty(&ValueJson(&g, v)).unwrap();
            let built = serde_json::to_string_pretty(&value_to_json(&g, v)).unwrap();
            assert_eq!(streamed, built, "{v:?}");
        }
    }
}
