//! GraphML, for Gephi, yEd, networkx and igraph.
//!
//! Each property becomes a typed `<key>`: `boolean`, `int` (or `long` when a
//! value does not fit in 32 bits), `double` (also for a mix of integers and
//! floats), else `string`. Dates are ISO strings; lists and maps, which
//! GraphML cannot type, are JSON text (`["Kim Jong Un","김정은"]`); a
//! property whose values mix types is text too. A node's labels are the
//! `labels` key (`:Person:Agent:Entity`, the form Neo4j's GraphML export
//! uses) and a relation's type is the `type` key. Node ids are eje's ids;
//! edge ids are the claim ids where every relation has a distinct one.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use std::io::{self, Write};

use super::json::value_to_json;
use super::stream::{Chunks, Progress};
use super::subgraph::Subgraph;
use super::text::clean_char;
use crate::model::{Graph, Props, Value, value::format_float};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyType {
    Boolean,
    Int,
    Long,
    Double,
    String,
}

impl KeyType {
    fn name(self) -> &'static str {
        match self {
            KeyType::Boolean => "boolean",
            KeyType::Int => "int",
            KeyType::Long => "long",
            KeyType::Double => "double",
            KeyType::String => "string",
        }
    }

    fn of(value: &Value) -> Option<KeyType> {
        match value {
            Value::Null => None,
            Value::Bool(_) => Some(KeyType::Boolean),
            Value::Int(i) if i32::try_from(*i).is_ok() => Some(KeyType::Int),
            Value::Int(_) => Some(KeyType::Long),
            Value::Float(_) => Some(KeyType::Double),
            _ => Some(KeyType::String),
        }
    }

    fn unify(self, other: KeyType) -> KeyType {
        use KeyType::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Int, Long) | (Long, Int) => Long,
            (Int | Long | Double, Int | Long | Double) => Double,
            _ => String,
        }
    }
}

/// Escapes text for XML content and attribute values. Tab, newline and
/// carriage return are written as character references so attribute values
/// and content keep them exactly; characters XML 1.0 cannot carry become
/// U+FFFD.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(clean_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A value as the text of a `<data>` element of a key of type `ty`.
fn data_text(graph: &Graph, value: &Value, ty: KeyType) -> String {
    match (value, ty) {
        (Value::Bool(b), _) => b.to_string(),
        (Value::Int(i), KeyType::Double) => format_float(*i as f64),
        (Value::Int(i), _) => i.to_string(),
        (Value::Float(f), _) => {
            if f.is_nan() {
                "NaN".into()
            } else if f.is_infinite() {
                if *f > 0.0 {
                    "INF".into()
                } else {
                    "-INF".into()
                }
            } else {
                format_float(*f)
            }
        }
        (Value::Str(s), _) => s.to_string(),
        (Value::Date(d), _) => d.to_string(),
        (Value::Temporal(t), _) => t.to_string(),
        (other, _) => serde_json::to_string(&value_to_json(graph, other)).expect("JSON text"),
    }
}

/// The keys of one domain (`node` or `edge`): property name → (key id, type).
fn key_types<'a>(props: impl Iterator<Item = &'a Props>) -> BTreeMap<String, KeyType> {
    let mut types: BTreeMap<String, Option<KeyType>> = BTreeMap::new();
    for p in props {
        p.scan(|it| {
            for (k, v) in it {
                let t = KeyType::of(v);
                let slot = match types.get_mut(k.as_str()) {
                    Some(slot) => slot,
                    None => types.entry(k.clone()).or_insert(None),
                };
                *slot = match (*slot, t) {
                    (None, t) => t,
                    (s, None) => s,
                    (Some(a), Some(b)) => Some(a.unify(b)),
                };
            }
        });
    }
    types
        .into_iter()
        .map(|(k, t)| (k, t.unwrap_or(KeyType::String)))
        .collect()
}

/// The GraphML document of a subgraph.
pub fn to_graphml(graph: &Graph, sub: &Subgraph) -> String {
    let mut out = Vec::new();
    write_graphml(graph, sub, &mut out, &Progress::off()).expect("writing to memory");
    String::from_utf8(out).expect("GraphML is UTF-8")
}

/// Writes the GraphML document of a subgraph, one node or edge at a time.
pub fn write_graphml(
    graph: &Graph,
    sub: &Subgraph,
    w: &mut dyn Write,
    progress: &Progress,
) -> io::Result<()> {
    let nodes = sub.sorted_nodes(graph);
    let rels = sub.sorted_rels(graph);
    let node_keys = key_types(nodes.iter().map(|&n| &graph.node(n).props));
    let edge_keys = key_types(rels.iter().map(|&e| &graph.rel(e).props));

    let mut out = Chunks::new(w, progress);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    let _ = writeln!(
        out,
        "  <!-- eje export: {} nodes, {} relations; lists and maps are JSON text -->",
        nodes.len(),
        rels.len()
    );
    // Key ids: `labels` and `type` fixed, then n0.., e0.. in name order.
    out.push_str("  <key id=\"labels\" for=\"node\" attr.name=\"labels\" attr.type=\"string\"/>\n");
    let mut node_ids: BTreeMap<&str, (String, KeyType)> = BTreeMap::new();
    for (i, (name, ty)) in node_keys.iter().enumerate() {
        // A property that shares its name with the fixed key is kept apart.
        let attr_name = if name == "labels" {
            format!("{name} (property)")
        } else {
            name.clone()
        };
        let id = format!("n{i}");
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"node\" attr.name=\"{}\" attr.type=\"{}\"/>",
            xml(&attr_name),
            ty.name()
        );
        node_ids.insert(name, (id, *ty));
    }
    out.push_str("  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n");
    let mut edge_ids: BTreeMap<&str, (String, KeyType)> = BTreeMap::new();
    for (i, (name, ty)) in edge_keys.iter().enumerate() {
        // A property that shares its name with the fixed key is kept apart.
        let attr_name = if name == "type" {
            format!("{name} (property)")
        } else {
            name.clone()
        };
        let id = format!("e{i}");
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"edge\" attr.name=\"{}\" attr.type=\"{}\"/>",
            xml(&attr_name),
            ty.name()
        );
        edge_ids.insert(name, (id, *ty));
    }

    out.push_str("  <graph id=\"eje\" edgedefault=\"directed\">\n");
    for &n in &nodes {
        let node = graph.node(n);
        let _ = writeln!(out, "    <node id=\"{}\">", xml(&node.id));
        let labels: String = node.labels.iter().map(|l| format!(":{l}")).collect();
        let _ = writeln!(out, "      <data key=\"labels\">{}</data>", xml(&labels));
        node.props.scan(|it| {
            for (k, v) in it {
                if let (Some((id, ty)), false) = (node_ids.get(k.as_str()), v.is_null()) {
                    let _ = writeln!(
                        out,
                        "      <data key=\"{id}\">{}</data>",
                        xml(&data_text(graph, v, *ty))
                    );
                }
            }
        });
        out.push_str("    </node>\n");
        out.step()?;
    }
    // Claim ids as edge ids when they are all present and distinct.
    let claim_ids: Vec<Option<&str>> = rels
        .iter()
        .map(|&e| graph.rel(e).props.get("id").and_then(Value::as_str))
        .collect();
    let distinct: HashSet<&str> = claim_ids.iter().flatten().copied().collect();
    let use_claim_ids = claim_ids.iter().all(Option::is_some) && distinct.len() == rels.len();
    for (i, &e) in rels.iter().enumerate() {
        let (a, b) = graph.endpoints(e);
        let rel = graph.rel(e);
        let id = match claim_ids[i] {
            Some(c) if use_claim_ids => c.to_string(),
            _ => format!("r{i}"),
        };
        let _ = writeln!(
            out,
            "    <edge id=\"{}\" source=\"{}\" target=\"{}\">",
            xml(&id),
            xml(&graph.node(a).id),
            xml(&graph.node(b).id)
        );
        let _ = writeln!(
            out,
            "      <data key=\"type\">{}</data>",
            xml(&rel.rel_type)
        );
        rel.props.scan(|it| {
            for (k, v) in it {
                if let (Some((kid, ty)), false) = (edge_ids.get(k.as_str()), v.is_null()) {
                    let _ = writeln!(
                        out,
                        "      <data key=\"{kid}\">{}</data>",
                        xml(&data_text(graph, v, *ty))
                    );
                }
            }
        });
        out.push_str("    </edge>\n");
        out.step()?;
    }
    out.push_str("  </graph>\n</graphml>\n");
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_unify_to_the_widest() {
        assert_eq!(KeyType::Int.unify(KeyType::Double), KeyType::Double);
        assert_eq!(KeyType::Int.unify(KeyType::Long), KeyType::Long);
        assert_eq!(KeyType::Boolean.unify(KeyType::Int), KeyType::String);
        assert_eq!(KeyType::of(&Value::Int(1 << 40)), Some(KeyType::Long));
    }

    #[test]
    fn xml_escapes_markup_and_whitespace() {
        assert_eq!(
            xml("<a href=\"x\">&'\n"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;"
        );
        assert_eq!(xml("\u{1}"), "\u{FFFD}");
    }
}
