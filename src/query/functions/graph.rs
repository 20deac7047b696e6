//! Functions over nodes, relations and paths: `id`, `labels`, `type`,
//! `properties`, `keys`, `length`, `nodes`, `startNode`, `degree`...

use petgraph::Direction;

use super::*;

pub(super) fn id(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => Value::Str((g.node(*ix).id.clone()).into()),
        Value::Rel(ix) => match g.rel(*ix).props.get("id") {
            Some(v) => v.clone(),
            None => Value::Int(ix.index() as i64),
        },
        v => return Err(arg_error("id", "a node or a relation", v)),
    })
}

pub(super) fn kind(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => g.node(*ix).kind().map_or(Value::Null, Value::from),
        v => return Err(arg_error("kind", "a node", v)),
    })
}

pub(super) fn labels(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => Value::List(
            g.node(*ix)
                .labels
                .iter()
                .map(|l| Value::from(l.as_str()))
                .collect(),
        ),
        v => return Err(arg_error("labels", "a node", v)),
    })
}

pub(super) fn rel_type(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Rel(ix) => Value::from(g.rel_type(*ix)),
        v => return Err(arg_error("type", "a relation", v)),
    })
}

pub(super) fn name(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => Value::from(g.node(*ix).display_name()),
        v => return Err(arg_error("name", "a node", v)),
    })
}

pub(super) fn properties(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => Value::Map(g.node(*ix).props.to_map()),
        Value::Rel(ix) => Value::Map(g.rel(*ix).props.to_map()),
        Value::Map(m) => Value::Map(m.clone()),
        v => return Err(arg_error("properties", "a node, a relation or a map", v)),
    })
}

pub(super) fn keys(g: &Graph, a: &[Value]) -> FnResult {
    fn list<'k>(keys: impl Iterator<Item = &'k String>) -> Value {
        Value::List(keys.map(|k| Value::from(k.as_str())).collect())
    }
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => list(g.node(*ix).props.keys()),
        Value::Rel(ix) => list(g.rel(*ix).props.keys()),
        Value::Map(m) => list(m.keys()),
        v => return Err(arg_error("keys", "a node, a relation or a map", v)),
    })
}

pub(super) fn length(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Path(p) => Value::Int(p.rels.len() as i64),
        Value::List(l) => Value::Int(l.len() as i64),
        Value::Str(s) => Value::Int(s.chars().count() as i64),
        v => return Err(arg_error("length", "a path", v)),
    })
}

pub(super) fn nodes(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Path(p) => Value::List(p.nodes.iter().map(|n| Value::Node(*n)).collect()),
        v => return Err(arg_error("nodes", "a path", v)),
    })
}

pub(super) fn relationships(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Path(p) => Value::List(p.rels.iter().map(|r| Value::Rel(*r)).collect()),
        v => return Err(arg_error("relationships", "a path", v)),
    })
}

pub(super) fn start_node(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Rel(ix) => Value::Node(g.endpoints(*ix).0),
        v => return Err(arg_error("startNode", "a relation", v)),
    })
}

pub(super) fn end_node(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Rel(ix) => Value::Node(g.endpoints(*ix).1),
        v => return Err(arg_error("endNode", "a relation", v)),
    })
}

pub(super) fn degree(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => {
            let out = g.rels_of(*ix, Direction::Outgoing).count();
            // A self-loop counts once.
            let inc = g
                .rels_of(*ix, Direction::Incoming)
                .filter(|e| g.endpoints(*e).0 != *ix)
                .count();
            Value::Int((out + inc) as i64)
        }
        v => return Err(arg_error("degree", "a node", v)),
    })
}
