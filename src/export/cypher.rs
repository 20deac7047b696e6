//! Cypher scripts that recreate the graph in another database.
//!
//! **Neo4j dialect** (Neo4j, Memgraph, FalkorDB; schema-free): one
//! `CREATE (:Kind:Parent:... {props});` per node, then one
//! `MATCH (a:Kind {id: ...}), (b:Kind {id: ...}) CREATE (a)-[:type {props}]->(b);`
//! per relation.
//!
//! **Kuzu dialect**: Kuzu wants a single label per node and typed columns,
//! so the script first creates one node table per most specific kind (the
//! node's first label) with a `STRING` primary key `id` and one typed column
//! per property its nodes use, then one relationship table per relation
//! type with a `FROM ... TO ...` pair for every pair of kinds it links
//! (Kuzu 0.10 and later), then the data as above. Kuzu reads no `\n`
//! escape, so a control character in a string is written as a byte:
//! `concat('line 1', decode(BLOB('\\x0A')), 'line 2')`.
//!
//! A node's ancestors' labels (`:Agent`, `:Event`) do not exist in Kuzu:
//! match them with a union of the kinds' tables, `(n:Person:Organization)`.
//!
//! Both scripts have one statement per line, so a loader may split on line
//! breaks, or hand the whole script to the database.
//!
//! Relation types keep eje's spelling (`met_with`, not `MET_WITH`) in both
//! dialects, so saved queries run unchanged: Neo4j and FalkorDB are
//! case-sensitive, and Kuzu ignores case anyway.
//!
//! Property values: what Neo4j and FalkorDB store are primitives and
//! homogeneous lists of primitives, so dates are ISO strings (`'2024-06'`,
//! keeping their precision), maps (such as `citations`) and mixed lists are
//! JSON text, and nulls are left out. In Kuzu a column whose values mix
//! types is `STRING` and holds their text.
//!
//! Nodes are matched by their `id` property: eje's id, which curated
//! entities carry as `id` already. If the ids are not usable as a key (a
//! graph from a script whose `id` properties repeat), the key is a separate
//! `_eje_id` property instead.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

use petgraph::graph::NodeIndex;

use std::io::{self, Write};

use super::Dialect;
use super::json::value_to_json;
use super::stream::{Chunks, Progress};
use super::subgraph::Subgraph;
use crate::model::{Graph, Node, Props, Value, value::format_float};

/// Words that are safer quoted when used as names.
const RESERVED: &[&str] = &[
    "all",
    "and",
    "as",
    "asc",
    "ascending",
    "by",
    "call",
    "case",
    "contains",
    "create",
    "delete",
    "desc",
    "descending",
    "detach",
    "distinct",
    "do",
    "else",
    "end",
    "ends",
    "exists",
    "false",
    "for",
    "from",
    "group",
    "in",
    "is",
    "key",
    "limit",
    "match",
    "merge",
    "node",
    "not",
    "null",
    "on",
    "optional",
    "or",
    "order",
    "primary",
    "rel",
    "remove",
    "return",
    "set",
    "shortest",
    "skip",
    "starts",
    "table",
    "then",
    "to",
    "true",
    "union",
    "unwind",
    "when",
    "where",
    "with",
    "xor",
    "yield",
];

/// A label, type or property name: bare when it is a plain identifier that
/// no dialect reserves, else in backticks (a backtick doubled; control
/// characters, which no dialect can write there, replaced by U+FFFD).
pub fn ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name.to_ascii_lowercase().as_str());
    if plain {
        return name.to_string();
    }
    // Control characters cannot be escaped inside backticks in any dialect:
    // they become U+FFFD, so a script keeps one statement per line.
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    format!("`{}`", cleaned.replace('`', "``"))
}

/// A string literal for a dialect, on one line.
///
/// Neo4j, Memgraph and FalkorDB read `\\`, `\'`, `\n`, `\r`, `\t` and
/// `\uXXXX` escapes: every other character below U+0020, U+007F to U+009F,
/// U+2028 and U+2029 are written as `\uXXXX`. Kuzu reads only `\\` and `\'` (`\n` is a plain `n` there), so
/// control characters are spelled out as bytes: `'a' + line break + 'b'` is
/// `concat('a', decode(BLOB('\\x0A')), 'b')`.
pub fn string_literal(s: &str, dialect: Dialect) -> String {
    let quoted = |part: &str| {
        let mut out = String::with_capacity(part.len() + 2);
        out.push('\'');
        for c in part.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                // Every other control character, and the Unicode line and
                // paragraph separators, as `\uXXXX`: raw they would end a
                // line of the script or reach a terminal that shows it.
                c if dialect == Dialect::Neo4j
                    && (c.is_control() || c == '\u{2028}' || c == '\u{2029}') =>
                {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('\'');
        out
    };
    let is_byte_control = |c: char| c.is_ascii_control();
    if dialect == Dialect::Neo4j || !s.chars().any(is_byte_control) {
        return quoted(s);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut bytes = String::new();
    for c in s.chars() {
        if is_byte_control(c) {
            if !text.is_empty() {
                parts.push(quoted(&std::mem::take(&mut text)));
            }
            let _ = write!(bytes, "\\\\x{:02X}", c as u32);
        } else {
            if !bytes.is_empty() {
                parts.push(format!("decode(BLOB('{}'))", std::mem::take(&mut bytes)));
            }
            text.push(c);
        }
    }
    if !text.is_empty() {
        parts.push(quoted(&text));
    }
    if !bytes.is_empty() {
        parts.push(format!("decode(BLOB('{bytes}'))"));
    }
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        format!("concat({})", parts.join(", "))
    }
}

/// The script that recreates a subgraph.
pub fn to_cypher(graph: &Graph, sub: &Subgraph, dialect: Dialect) -> String {
    let mut out = Vec::new();
    write_cypher(graph, sub, dialect, &mut out, &Progress::off()).expect("writing to memory");
    String::from_utf8(out).expect("Cypher is UTF-8")
}

/// Writes the script that recreates a subgraph, one statement at a time.
/// FalkorDB reads the neo4j dialect.
pub fn write_cypher(
    graph: &Graph,
    sub: &Subgraph,
    dialect: Dialect,
    w: &mut dyn Write,
    progress: &Progress,
) -> io::Result<()> {
    match dialect {
        Dialect::Neo4j | Dialect::FalkorDb => neo4j(graph, sub, Chunks::new(w, progress)),
        Dialect::Kuzu => kuzu(graph, sub, Chunks::new(w, progress)),
    }
}

/// The key property and each node's value for it.
fn node_keys(graph: &Graph, nodes: &[NodeIndex]) -> (&'static str, BTreeMap<NodeIndex, String>) {
    let mut keys = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut usable = true;
    for &n in nodes {
        let node = graph.node(n);
        let k = match node.props.get("id") {
            None | Some(Value::Null) => node.id.clone(),
            Some(Value::Str(s)) => s.to_string(),
            Some(_) => {
                usable = false;
                node.id.clone()
            }
        };
        usable &= seen.insert(k.clone());
        keys.insert(n, k);
    }
    if usable {
        (KEY, keys)
    } else {
        (
            FALLBACK_KEY,
            nodes
                .iter()
                .map(|&n| (n, graph.node(n).id.clone()))
                .collect(),
        )
    }
}

const KEY: &str = "id";
const FALLBACK_KEY: &str = "_eje_id";

/// A value as a Neo4j/FalkorDB property literal, or `None` to leave it
/// out (null).
fn neo4j_value(graph: &Graph, v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => format_float(*f),
        Value::Float(f) => string_literal(&format_float(*f), Dialect::Neo4j),
        Value::Str(s) => string_literal(s, Dialect::Neo4j),
        Value::Date(d) => string_literal(&d.to_string(), Dialect::Neo4j),
        // `datetime('2024-06-19T10:00+02:00[Europe/Paris]')`: a temporal
        // property, as Neo4j stores it.
        Value::Temporal(_) => v.to_string(),
        Value::List(items) => match list_kind(items) {
            Some(ListKind::Float) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|x| match x {
                        Value::Int(i) => format_float(*i as f64),
                        Value::Float(f) => format_float(*f),
                        _ => unreachable!("numeric list"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(_) => format!(
                "[{}]",
                items
                    .iter()
                    .filter_map(|x| neo4j_value(graph, x))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => json_literal(graph, v, Dialect::Neo4j),
        },
        other => json_literal(graph, other, Dialect::Neo4j),
    })
}

fn json_literal(graph: &Graph, v: &Value, dialect: Dialect) -> String {
    string_literal(
        &serde_json::to_string(&value_to_json(graph, v)).expect("JSON"),
        dialect,
    )
}

/// The element type of a list that Neo4j can store as a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Empty,
    Bool,
    Int,
    Float,
    Str,
}

fn list_kind(items: &[Value]) -> Option<ListKind> {
    let mut kind = ListKind::Empty;
    for x in items {
        let k = match x {
            Value::Bool(_) => ListKind::Bool,
            Value::Int(_) => ListKind::Int,
            Value::Float(f) if f.is_finite() => ListKind::Float,
            Value::Str(_) | Value::Date(_) => ListKind::Str,
            _ => return None,
        };
        kind = match (kind, k) {
            (ListKind::Empty, k) => k,
            (a, b) if a == b => a,
            (ListKind::Int, ListKind::Float) | (ListKind::Float, ListKind::Int) => ListKind::Float,
            _ => return None,
        };
    }
    Some(kind)
}

fn props_literal(entries: &[(String, String)]) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}: {v}", ident(k)))
        .collect();
    format!(" {{{}}}", inner.join(", "))
}

fn labels_literal(node: &Node) -> String {
    node.labels
        .iter()
        .map(|l| format!(":{}", ident(l)))
        .collect()
}

fn header(out: &mut String, dialect: Dialect, nodes: usize, rels: usize) {
    let _ = writeln!(
        out,
        "// eje export: {nodes} nodes, {rels} relations, Cypher for {}",
        match dialect {
            Dialect::Neo4j | Dialect::FalkorDb => "Neo4j, Memgraph and FalkorDB",
            Dialect::Kuzu => "Kuzu",
        }
    );
    out.push_str(
        "// Dates are ISO strings ('2024-06' keeps its precision); lists of maps, such as\n\
         // citations, are JSON text. Relation types keep eje's spelling (met_with).\n",
    );
}

fn neo4j(graph: &Graph, sub: &Subgraph, mut out: Chunks<'_>) -> io::Result<()> {
    let nodes = sub.sorted_nodes(graph);
    let rels = sub.sorted_rels(graph);
    let (key, keys) = node_keys(graph, &nodes);
    header(&mut out, Dialect::Neo4j, nodes.len(), rels.len());
    out.push_str("// One statement per line: nodes first, then relations matched by `");
    out.push_str(key);
    out.push_str("`.\n");
    for &n in &nodes {
        let node = graph.node(n);
        let mut entries = vec![(key.to_string(), string_literal(&keys[&n], Dialect::Neo4j))];
        node.props.scan(|it| {
            for (k, v) in it {
                if k == key {
                    continue;
                }
                if let Some(lit) = neo4j_value(graph, v) {
                    entries.push((k.clone(), lit));
                }
            }
        });
        let _ = writeln!(
            out,
            "CREATE ({}{});",
            labels_literal(node),
            props_literal(&entries)
        );
        out.step()?;
    }
    for &e in &rels {
        let (a, b) = graph.endpoints(e);
        let rel = graph.rel(e);
        let entries: Vec<(String, String)> = rel.props.scan(|it| {
            it.filter_map(|(k, v)| neo4j_value(graph, v).map(|lit| (k.clone(), lit)))
                .collect()
        });
        let matcher = |ix: NodeIndex| {
            let node = graph.node(ix);
            let label = node
                .labels
                .first()
                .map(|l| format!(":{}", ident(l)))
                .unwrap_or_default();
            format!(
                "{label} {{{}: {}}}",
                ident(key),
                string_literal(&keys[&ix], Dialect::Neo4j)
            )
        };
        let _ = writeln!(
            out,
            "MATCH (a{}), (b{}) CREATE (a)-[:{}{}]->(b);",
            matcher(a),
            matcher(b),
            ident(&rel.rel_type),
            props_literal(&entries)
        );
        out.step()?;
    }
    out.finish()
}

/// A Kuzu column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Bool,
    Int,
    Double,
    Str,
    BoolList,
    IntList,
    DoubleList,
    StrList,
    /// Only empty lists seen so far.
    AnyList,
}

impl Column {
    fn ddl(self) -> &'static str {
        match self {
            Column::Bool => "BOOLEAN",
            Column::Int => "INT64",
            Column::Double => "DOUBLE",
            Column::Str => "STRING",
            Column::BoolList => "BOOLEAN[]",
            Column::IntList => "INT64[]",
            Column::DoubleList => "DOUBLE[]",
            Column::StrList | Column::AnyList => "STRING[]",
        }
    }

    fn of(v: &Value) -> Option<Column> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => Column::Bool,
            Value::Int(_) => Column::Int,
            Value::Float(f) if f.is_finite() => Column::Double,
            Value::List(items) => match list_kind(items) {
                Some(ListKind::Empty) => Column::AnyList,
                Some(ListKind::Bool) => Column::BoolList,
                Some(ListKind::Int) => Column::IntList,
                Some(ListKind::Float) => Column::DoubleList,
                Some(ListKind::Str) => Column::StrList,
                None => Column::Str,
            },
            _ => Column::Str,
        })
    }

    fn unify(self, other: Column) -> Column {
        use Column::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Int, Double) | (Double, Int) => Double,
            (IntList, DoubleList) | (DoubleList, IntList) => DoubleList,
            (AnyList, l @ (BoolList | IntList | DoubleList | StrList))
            | (l @ (BoolList | IntList | DoubleList | StrList), AnyList) => l,
            _ => Str,
        }
    }

    /// A value as a literal for a column of this type.
    fn literal(self, graph: &Graph, v: &Value) -> String {
        let text = |v: &Value| match v {
            Value::Str(s) => string_literal(s, Dialect::Kuzu),
            Value::Date(d) => string_literal(&d.to_string(), Dialect::Kuzu),
            Value::Temporal(t) => string_literal(&t.to_string(), Dialect::Kuzu),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                string_literal(&super::text::plain(graph, v), Dialect::Kuzu)
            }
            other => json_literal(graph, other, Dialect::Kuzu),
        };
        let num = |v: &Value| match v {
            Value::Int(i) => format_float(*i as f64),
            Value::Float(f) => format_float(*f),
            _ => "NULL".into(),
        };
        let list = |v: &Value, each: &dyn Fn(&Value) -> String| match v {
            Value::List(items) => {
                format!(
                    "[{}]",
                    items.iter().map(each).collect::<Vec<_>>().join(", ")
                )
            }
            _ => "NULL".into(),
        };
        match self {
            Column::Str => text(v),
            Column::Double => num(v),
            Column::Bool | Column::Int => v.to_string(),
            Column::DoubleList => list(v, &num),
            Column::StrList | Column::AnyList => list(v, &text),
            Column::BoolList | Column::IntList => list(v, &|x: &Value| x.to_string()),
        }
    }
}

fn columns<'a>(props: impl Iterator<Item = &'a Props>, skip: &str) -> BTreeMap<String, Column> {
    let mut cols: BTreeMap<String, Option<Column>> = BTreeMap::new();
    for p in props {
        p.scan(|it| {
            for (k, v) in it {
                if k == skip {
                    continue;
                }
                let slot = match cols.get_mut(k.as_str()) {
                    Some(slot) => slot,
                    None => cols.entry(k.clone()).or_insert(None),
                };
                *slot = match (*slot, Column::of(v)) {
                    (None, c) => c,
                    (s, None) => s,
                    (Some(a), Some(b)) => Some(a.unify(b)),
                };
            }
        });
    }
    cols.into_iter()
        .map(|(k, c)| (k, c.unwrap_or(Column::Str)))
        .collect()
}

fn kuzu(graph: &Graph, sub: &Subgraph, mut out: Chunks<'_>) -> io::Result<()> {
    let nodes = sub.sorted_nodes(graph);
    let rels = sub.sorted_rels(graph);
    let (key, keys) = node_keys(graph, &nodes);

    // Tables: one per most specific kind; unlabelled nodes share `Node`.
    let kinds: BTreeSet<&str> = nodes.iter().filter_map(|&n| graph.node(n).kind()).collect();
    let mut unlabelled_table = String::from("Node");
    while kinds
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&unlabelled_table))
    {
        unlabelled_table.push('_');
    }
    let table_of = |n: NodeIndex| -> String {
        graph
            .node(n)
            .kind()
            .map(str::to_string)
            .unwrap_or_else(|| unlabelled_table.clone())
    };
    let mut by_table: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
    for &n in &nodes {
        by_table.entry(table_of(n)).or_default().push(n);
    }

    header(&mut out, Dialect::Kuzu, nodes.len(), rels.len());
    out.push_str(
        "// One node table per most specific kind, one relationship table per relation type.\n",
    );
    let mut node_cols: BTreeMap<&str, BTreeMap<String, Column>> = BTreeMap::new();
    for (table, members) in &by_table {
        let cols = columns(members.iter().map(|&n| &graph.node(n).props), key);
        let mut defs = vec![format!("{} STRING", ident(key))];
        defs.extend(
            cols.iter()
                .map(|(k, c)| format!("{} {}", ident(k), c.ddl())),
        );
        defs.push(format!("PRIMARY KEY({})", ident(key)));
        let _ = writeln!(
            out,
            "CREATE NODE TABLE {}({});",
            ident(table),
            defs.join(", ")
        );
        node_cols.insert(table.as_str(), cols);
    }
    let mut by_type: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for &e in &rels {
        by_type
            .entry(graph.rel(e).rel_type.as_str())
            .or_default()
            .push(e);
    }
    let mut rel_cols: BTreeMap<&str, BTreeMap<String, Column>> = BTreeMap::new();
    for (ty, members) in &by_type {
        let pairs: BTreeSet<(String, String)> = members
            .iter()
            .map(|&e| {
                let (a, b) = graph.endpoints(e);
                (table_of(a), table_of(b))
            })
            .collect();
        let cols = columns(members.iter().map(|&e| &graph.rel(e).props), "");
        let mut defs: Vec<String> = pairs
            .iter()
            .map(|(a, b)| format!("FROM {} TO {}", ident(a), ident(b)))
            .collect();
        defs.extend(
            cols.iter()
                .map(|(k, c)| format!("{} {}", ident(k), c.ddl())),
        );
        let _ = writeln!(out, "CREATE REL TABLE {}({});", ident(ty), defs.join(", "));
        rel_cols.insert(ty, cols);
    }

    for (table, members) in &by_table {
        let cols = &node_cols[table.as_str()];
        for &n in members {
            let node = graph.node(n);
            let mut entries = vec![(key.to_string(), string_literal(&keys[&n], Dialect::Kuzu))];
            node.props.scan(|it| {
                for (k, v) in it {
                    if k == key || v.is_null() {
                        continue;
                    }
                    entries.push((k.clone(), cols[k].literal(graph, v)));
                }
            });
            let _ = writeln!(
                out,
                "CREATE (:{}{});",
                ident(table),
                props_literal(&entries)
            );
            out.step()?;
        }
    }
    for &e in &rels {
        let (a, b) = graph.endpoints(e);
        let rel = graph.rel(e);
        let cols = &rel_cols[rel.rel_type.as_str()];
        let entries: Vec<(String, String)> = rel.props.scan(|it| {
            it.filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), cols[k].literal(graph, v)))
                .collect()
        });
        let matcher = |ix: NodeIndex| {
            format!(
                ":{} {{{}: {}}}",
                ident(&table_of(ix)),
                ident(key),
                string_literal(&keys[&ix], Dialect::Kuzu)
            )
        };
        let _ = writeln!(
            out,
            "MATCH (a{}), (b{}) CREATE (a)-[:{}{}]->(b);",
            matcher(a),
            matcher(b),
            ident(&rel.rel_type),
            props_literal(&entries)
        );
        out.step()?;
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_only_when_needed() {
        assert_eq!(ident("met_with"), "met_with");
        assert_eq!(ident("end"), "`end`");
        assert_eq!(ident("my key"), "`my key`");
        assert_eq!(ident("a`b"), "`a``b`");
        assert_eq!(ident("1x"), "`1x`");
        assert_eq!(ident("Ким"), "`Ким`");
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_line_breaks() {
        assert_eq!(
            string_literal("O'Brien \\ \"x\"\n", Dialect::Neo4j),
            r#"'O\'Brien \\ "x"\n'"#
        );
        assert_eq!(string_literal("O'B\\", Dialect::Kuzu), r"'O\'B\\'");
        assert_eq!(
            string_literal("a\r\nb\tc", Dialect::Kuzu),
            r"concat('a', decode(BLOB('\\x0D\\x0A')), 'b', decode(BLOB('\\x09')), 'c')"
        );
        assert_eq!(
            string_literal("\n", Dialect::Kuzu),
            r"decode(BLOB('\\x0A'))"
        );
    }

    #[test]
    fn neo4j_strings_escape_every_control_character() {
        assert_eq!(
            string_literal(
                "a\u{0}b\u{1b}]0;x\u{7}c\u{b}\u{c}\u{7f}\u{85}\u{9f}\u{2028}\u{2029}é",
                Dialect::Neo4j
            ),
            r"'a\u0000b\u001B]0;x\u0007c\u000B\u000C\u007F\u0085\u009F\u2028\u2029é'"
        );
        for c in (0..0x20u32).chain(0x7f..0xa0).chain([0x2028, 0x2029]) {
            let c = char::from_u32(c).unwrap();
            let lit = string_literal(&format!("x{c}y"), Dialect::Neo4j);
            assert!(!lit.contains(c), "{:?} left raw in {lit}", c);
        }
    }

    #[test]
    fn columns_unify() {
        assert_eq!(Column::Int.unify(Column::Double), Column::Double);
        assert_eq!(Column::AnyList.unify(Column::IntList), Column::IntList);
        assert_eq!(Column::Int.unify(Column::StrList), Column::Str);
    }
}
