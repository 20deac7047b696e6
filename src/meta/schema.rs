//! `:schema`: the kinds as a tree and the relation types as a table, with
//! how many entities and relations the graph has of each.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Graph, Schema, TimeShape};

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The schema as one JSON object: `kinds` (name, parent, description,
/// entities of it or its descendants), `relation_types` (name, description,
/// endpoint kinds, symmetric, time shape, unit, roles, relations of it) and
/// `units`; for a graph without a schema, its labels and relation types.
pub fn json(graph: &Graph) -> serde_json::Value {
    use serde_json::json;
    let mut rel_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for ix in graph.rels() {
        *rel_counts.entry(&graph.rel(ix).rel_type).or_default() += 1;
    }
    let Some(schema) = &graph.schema else {
        return json!({
            "schema": false,
            "labels": graph.labels(),
            "relation_types": rel_counts
                .iter()
                .map(|(t, n)| json!({"name": t, "count": n}))
                .collect::<Vec<_>>(),
        });
    };
    let kinds: Vec<serde_json::Value> = schema
        .kinds
        .values()
        .map(|k| {
            json!({
                "name": k.name,
                "parent": k.parent,
                "description": k.description,
                "count": graph.by_label(&k.name).len(),
            })
        })
        .collect();
    let relations: Vec<serde_json::Value> = schema
        .relations
        .values()
        .map(|r| {
            json!({
                "name": r.name,
                "description": r.description,
                "from": r.from,
                "to": r.to,
                "symmetric": r.symmetric,
                "time": r.time.as_str(),
                "unit": r.unit,
                "roles": r.roles,
                "count": rel_counts.get(r.name.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();
    let units: Vec<serde_json::Value> = schema
        .units
        .values()
        .map(|u| json!({"name": u.name, "description": u.description}))
        .collect();
    json!({"schema": true, "kinds": kinds, "relation_types": relations, "units": units})
}

/// The schema as text, wrapped to `width` columns when given.
pub fn show(graph: &Graph, color: bool, width: Option<u16>) -> String {
    let bold = |s: &str| {
        if color {
            format!("{BOLD}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let mut rel_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for ix in graph.rels() {
        *rel_counts.entry(&graph.rel(ix).rel_type).or_default() += 1;
    }
    let Some(schema) = &graph.schema else {
        let mut out = String::from(
            "This graph has no schema (it was built from a Cypher script): names are \
             case-sensitive and an unknown one matches nothing.\n\n",
        );
        let _ = writeln!(out, "{} {}", bold("Labels:"), graph.labels().join(", "));
        let types: Vec<&str> = rel_counts.keys().copied().collect();
        let _ = writeln!(out, "{} {}", bold("Relation types:"), types.join(", "));
        return out;
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, with how many entities of each, descendants included)",
        bold("Entity kinds"),
        schema.kinds.len()
    );
    out.push_str(&kind_tree(graph, schema, width.map_or(100, usize::from)));
    out.push('\n');
    let _ = writeln!(
        out,
        "{} ({}, with how many relations of each; a kind allows its descendants)",
        bold("Relation types"),
        schema.relations.len()
    );
    let width = width.map_or(100, usize::from);
    let heads: Vec<String> = schema
        .relations
        .values()
        .map(|r| {
            let n = rel_counts.get(r.name.as_str()).copied().unwrap_or(0);
            format!("{} ({n})", r.name)
        })
        .collect();
    let head_width = heads.iter().map(|h| h.chars().count()).max().unwrap_or(0);
    let text_width = width.saturating_sub(head_width + 4).max(30);
    for (r, head) in schema.relations.values().zip(&heads) {
        let ends = |kinds: &[String]| {
            if kinds.is_empty() {
                "anything".to_string()
            } else {
                kinds.join(", ")
            }
        };
        let arrow = if r.symmetric { "↔" } else { "→" };
        let when = match r.time {
            TimeShape::Point => ", on a date",
            TimeShape::Interval => ", over a span of time",
            TimeShape::Any => ", on a date or over a span",
            TimeShape::Timeless => "",
        };
        let mut text = format!("{} {arrow} {}{when}.", ends(&r.from), ends(&r.to));
        if let Some(unit) = &r.unit {
            let _ = write!(text, " Counted in {unit}.");
        }
        if !r.roles.is_empty() {
            let _ = write!(text, " Roles: {}.", r.roles.join(", "));
        }
        let pad = " ".repeat(head_width - head.chars().count());
        let mut lines = wrap(&text, text_width).into_iter();
        let first = lines.next().unwrap_or_default();
        let _ = writeln!(out, "  {}{pad}  {first}", bold(head));
        for line in lines.chain(wrap(&r.description, text_width)) {
            let _ = writeln!(out, "  {}  {line}", " ".repeat(head_width));
        }
    }
    if !schema.units.is_empty() {
        let units: Vec<&str> = schema.units.keys().map(String::as_str).collect();
        let _ = writeln!(out, "\n{} {}", bold("Units:"), units.join(", "));
    }
    out
}

/// The kind hierarchy, walked depth first.
struct Tree<'a> {
    graph: &'a Graph,
    schema: &'a Schema,
    children: BTreeMap<Option<&'a str>, Vec<&'a str>>,
    /// The tree part (`│  ├─ Person (9)`), what continues the tree on
    /// the lines below it, and the description of each kind.
    lines: Vec<(String, String, &'a str)>,
    seen: Vec<&'a str>,
}

impl<'a> Tree<'a> {
    fn walk(&mut self, kind: &'a str, prefix: &str, last: bool, root: bool) {
        if self.seen.contains(&kind) {
            return;
        }
        self.seen.push(kind);
        let branch = match (root, last) {
            (true, _) => "",
            (false, true) => "└─ ",
            (false, false) => "├─ ",
        };
        let n = self.graph.by_label(kind).len();
        let next_prefix = match (root, last) {
            (true, _) => String::new(),
            (false, true) => format!("{prefix}   "),
            (false, false) => format!("{prefix}│  "),
        };
        let kids = self.children.get(&Some(kind)).cloned().unwrap_or_default();
        let below = if kids.is_empty() {
            next_prefix.clone()
        } else {
            format!("{next_prefix}│")
        };
        self.lines.push((
            format!("{prefix}{branch}{kind} ({n})"),
            below,
            self.schema.kinds[kind].description.as_str(),
        ));
        for (i, k) in kids.iter().enumerate() {
            self.walk(k, &next_prefix, i + 1 == kids.len(), false);
        }
    }
}

/// The kind hierarchy as an indented tree, each kind with its count and
/// its description (wrapped).
fn kind_tree(graph: &Graph, schema: &Schema, width: usize) -> String {
    let mut children: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for k in schema.kinds.values() {
        children
            .entry(k.parent.as_deref())
            .or_default()
            .push(k.name.as_str());
    }
    // Roots, then any kind whose parent is missing (a broken schema never
    // loads, but a tree must not lose kinds).
    let mut roots: Vec<&str> = children.get(&None).cloned().unwrap_or_default();
    roots.extend(
        schema
            .kinds
            .values()
            .filter(|k| {
                k.parent
                    .as_deref()
                    .is_some_and(|p| !schema.kinds.contains_key(p))
            })
            .map(|k| k.name.as_str()),
    );
    let mut tree = Tree {
        graph,
        schema,
        children,
        lines: Vec::new(),
        seen: Vec::new(),
    };
    for r in roots {
        tree.walk(r, "", true, true);
    }
    let lines = tree.lines;
    let name_width = lines
        .iter()
        .map(|(l, ..)| l.chars().count())
        .max()
        .unwrap_or(0);
    let text_width = width.saturating_sub(name_width + 2).max(30);
    let mut out = String::new();
    for (name, below, description) in lines {
        let pad = name_width - name.chars().count();
        let below_pad = name_width - below.chars().count();
        let mut first = true;
        for piece in wrap(description, text_width) {
            if first {
                let _ = writeln!(out, "{name}{}  {piece}", " ".repeat(pad));
                first = false;
            } else {
                let _ = writeln!(out, "{below}{}  {piece}", " ".repeat(below_pad));
            }
        }
        if first {
            let _ = writeln!(out, "{name}");
        }
    }
    out
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert!(wrap("", 5).is_empty());
    }
}
