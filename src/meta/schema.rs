//! `:schema` and `eje schema`: the kinds as a tree and the relation types
//! as a table, with how many entities and relations the graph has of each.
//! Both are renderings of the schema procedures (`eje.schema.kinds()`,
//! `eje.schema.relationTypes()`, `eje.schema.units()`, `db.labels()`,
//! `db.relationshipTypes()`): what `CALL` yields is all they show.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Graph, Value};
use crate::query::procedures;

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// One kind, as `eje.schema.kinds()` yields it.
struct Kind {
    name: String,
    parent: Option<String>,
    description: String,
    count: i64,
}

/// One relation type, as `eje.schema.relationTypes()` yields it.
struct RelationType {
    name: String,
    from: Vec<String>,
    to: Vec<String>,
    symmetric: bool,
    time: String,
    unit: Option<String>,
    roles: Vec<String>,
    description: String,
    count: i64,
}

/// The schema as the built-in procedures describe it: `:schema` and
/// `eje schema` only render this, so they say what `CALL` says.
struct Described {
    kinds: Vec<Kind>,
    relations: Vec<RelationType>,
    /// `eje.schema.units()`: name and description.
    units: Vec<(String, String)>,
    /// `db.labels()` and `db.relationshipTypes()`, for a graph without a
    /// schema.
    labels: Vec<String>,
    types: Vec<String>,
}

/// A procedure's rows, read by field name.
struct Rows {
    fields: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl Rows {
    /// The rows of a built-in procedure (the names used here are the
    /// built-ins' own; `tests::every_procedure_exists` calls each).
    fn call(name: &str, graph: &Graph) -> Rows {
        match procedures::call_builtin(name, graph) {
            Some((signature, rows)) => Rows {
                fields: signature.outputs.into_iter().map(|(n, _)| n).collect(),
                rows,
            },
            None => Rows {
                fields: vec![],
                rows: vec![],
            },
        }
    }

    fn each<T>(&self, mut f: impl FnMut(&dyn Fn(&str) -> Value) -> T) -> Vec<T> {
        self.rows
            .iter()
            .map(|row| {
                let get = |field: &str| {
                    self.fields
                        .iter()
                        .position(|n| n == field)
                        .and_then(|i| row.get(i))
                        .cloned()
                        .unwrap_or(Value::Null)
                };
                f(&get)
            })
            .collect()
    }
}

fn text(v: Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

fn texts(v: Value) -> Vec<String> {
    match v {
        Value::List(items) => items.into_iter().filter_map(text).collect(),
        _ => vec![],
    }
}

fn int(v: Value) -> i64 {
    match v {
        Value::Int(n) => n,
        _ => 0,
    }
}

impl Described {
    fn of(graph: &Graph) -> Described {
        let kinds = Rows::call("eje.schema.kinds", graph).each(|get| Kind {
            name: text(get("kind")).unwrap_or_default(),
            parent: text(get("parent")),
            description: text(get("description")).unwrap_or_default(),
            count: int(get("count")),
        });
        let relations = Rows::call("eje.schema.relationTypes", graph).each(|get| RelationType {
            name: text(get("relationType")).unwrap_or_default(),
            from: texts(get("from")),
            to: texts(get("to")),
            symmetric: get("symmetric") == Value::Bool(true),
            time: text(get("time")).unwrap_or_default(),
            unit: text(get("unit")),
            roles: texts(get("roles")),
            description: text(get("description")).unwrap_or_default(),
            count: int(get("count")),
        });
        let units = Rows::call("eje.schema.units", graph).each(|get| {
            (
                text(get("unit")).unwrap_or_default(),
                text(get("description")).unwrap_or_default(),
            )
        });
        let labels =
            Rows::call("db.labels", graph).each(|get| text(get("label")).unwrap_or_default());
        let types = Rows::call("db.relationshipTypes", graph)
            .each(|get| text(get("relationshipType")).unwrap_or_default());
        Described {
            kinds,
            relations,
            units,
            labels,
            types,
        }
    }

    /// A graph built from a Cypher script has no schema: the schema
    /// procedures yield nothing (a loaded schema always has a kind).
    fn has_schema(&self) -> bool {
        !self.kinds.is_empty() || !self.relations.is_empty()
    }
}

/// The schema as one JSON object: `kinds` (name, parent, description,
/// entities of it or its descendants), `relation_types` (name, description,
/// endpoint kinds, symmetric, time shape, unit, roles, relations of it) and
/// `units`; for a graph without a schema, its labels and relation types.
/// The fields are those of `eje.schema.kinds()`, `eje.schema.relationTypes()`,
/// `eje.schema.units()`, `db.labels()` and `db.relationshipTypes()`.
pub fn json(graph: &Graph) -> serde_json::Value {
    use serde_json::json;
    let d = Described::of(graph);
    if !d.has_schema() {
        return json!({
            "schema": false,
            "labels": d.labels,
            "relation_types": d.types.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
        });
    }
    let kinds: Vec<serde_json::Value> = d
        .kinds
        .iter()
        .map(|k| {
            json!({
                "name": k.name,
                "parent": k.parent,
                "description": k.description,
                "count": k.count,
            })
        })
        .collect();
    let relations: Vec<serde_json::Value> = d
        .relations
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "description": r.description,
                "from": r.from,
                "to": r.to,
                "symmetric": r.symmetric,
                "time": r.time,
                "unit": r.unit,
                "roles": r.roles,
                "count": r.count,
            })
        })
        .collect();
    let units: Vec<serde_json::Value> = d
        .units
        .iter()
        .map(|(name, description)| json!({"name": name, "description": description}))
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
    let d = Described::of(graph);
    if !d.has_schema() {
        let mut out = String::from(
            "This graph has no schema (it was built from a Cypher script): names are \
             case-sensitive and an unknown one matches nothing.\n\n",
        );
        let _ = writeln!(out, "{} {}", bold("Labels:"), d.labels.join(", "));
        let _ = writeln!(out, "{} {}", bold("Relation types:"), d.types.join(", "));
        return out;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, with how many entities of each, descendants included)",
        bold("Entity kinds"),
        d.kinds.len()
    );
    out.push_str(&kind_tree(&d.kinds, width.map_or(100, usize::from)));
    out.push('\n');
    let _ = writeln!(
        out,
        "{} ({}, with how many relations of each; a kind allows its descendants)",
        bold("Relation types"),
        d.relations.len()
    );
    let width = width.map_or(100, usize::from);
    let heads: Vec<String> = d
        .relations
        .iter()
        .map(|r| format!("{} ({})", r.name, r.count))
        .collect();
    let head_width = heads.iter().map(|h| h.chars().count()).max().unwrap_or(0);
    let text_width = width.saturating_sub(head_width + 4).max(30);
    for (r, head) in d.relations.iter().zip(&heads) {
        let ends = |kinds: &[String]| {
            if kinds.is_empty() {
                "anything".to_string()
            } else {
                kinds.join(", ")
            }
        };
        let arrow = if r.symmetric { "↔" } else { "→" };
        let when = match r.time.as_str() {
            "point" => ", on a date",
            "interval" => ", over a span of time",
            "any" => ", on a date or over a span",
            _ => "",
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
    if !d.units.is_empty() {
        let units: Vec<&str> = d.units.iter().map(|(n, _)| n.as_str()).collect();
        let _ = writeln!(out, "\n{} {}", bold("Units:"), units.join(", "));
    }
    out
}

/// The kind hierarchy, walked depth first.
struct Tree<'a> {
    kinds: BTreeMap<&'a str, &'a Kind>,
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
        let k = self.kinds[kind];
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
            format!("{prefix}{branch}{kind} ({})", k.count),
            below,
            k.description.as_str(),
        ));
        for (i, k) in kids.iter().enumerate() {
            self.walk(k, &next_prefix, i + 1 == kids.len(), false);
        }
    }
}

/// The kind hierarchy as an indented tree, each kind with its count and
/// its description (wrapped).
fn kind_tree(kinds: &[Kind], width: usize) -> String {
    let mut children: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for k in kinds {
        children
            .entry(k.parent.as_deref())
            .or_default()
            .push(k.name.as_str());
    }
    let by_name: BTreeMap<&str, &Kind> = kinds.iter().map(|k| (k.name.as_str(), k)).collect();
    // Roots, then any kind whose parent is missing (a broken schema never
    // loads, but a tree must not lose kinds).
    let mut roots: Vec<&str> = children.get(&None).cloned().unwrap_or_default();
    roots.extend(
        kinds
            .iter()
            .filter(|k| {
                k.parent
                    .as_deref()
                    .is_some_and(|p| !by_name.contains_key(p))
            })
            .map(|k| k.name.as_str()),
    );
    let mut tree = Tree {
        kinds: by_name,
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
    fn every_procedure_exists() {
        let g = Graph::new(None);
        for name in [
            "eje.schema.kinds",
            "eje.schema.relationTypes",
            "eje.schema.units",
            "db.labels",
            "db.relationshipTypes",
        ] {
            assert!(procedures::call_builtin(name, &g).is_some(), "{name}");
        }
    }

    #[test]
    fn wraps_words() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert!(wrap("", 5).is_empty());
    }
}
