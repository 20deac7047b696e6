//! Bulk exports: a folder of CSV files that a graph database's own bulk
//! importer loads in one command, far faster than a script of statements.
//!
//! ```text
//! FOLDER/
//!   README.md        what is there and the command that loads it
//!   manifest.json    the files, with each one's label or type and rows
//!   nodes/<Kind>.csv one file per most specific kind
//!   rels/<type>.csv  one file per relation type (kuzu: per type and pair
//!                    of kinds, `rels/<type>__<From>__<To>.csv`)
//!   load.cypher      kuzu only: the tables and their `COPY FROM`
//! ```
//!
//! Three layouts (`Dialect`):
//! - **neo4j** (also Memgraph): `neo4j-admin database import full`
//!   headers: `id:ID`, `:LABEL` (every label, `;` between), `:START_ID`,
//!   `:END_ID`, `:TYPE`, typed property columns (`name:string`,
//!   `quantity:long`, `aliases:string[]`, lists split on `;`);
//! - **kuzu**: one node table per kind (primary key `id`), one relationship
//!   table per type with a `FROM .. TO ..` pair per pair of kinds, typed
//!   columns (`STRING[]`...), loaded by `load.cypher` (`COPY FROM`; a
//!   string list whose elements hold commas, quotes or brackets, which
//!   Kuzu's CSV reader misreads inside a list, is joined with U+241E and
//!   split by the script);
//! - **falkordb**: `falkordb-bulk-loader` with `--enforce-schema`: headers
//!   `id:ID`, `:START_ID`, `:END_ID`, `name:STRING`, `aliases:ARRAY`; a
//!   node's labels are given on the command line (`-N Person:Agent:Entity`).
//!
//! Values: dates are ISO strings keeping their precision (`2024-06`), as in
//! the Cypher exports; lists of booleans, numbers or plain strings are typed
//! lists; maps (a claim's `citations`) and lists that an importer would read
//! back wrongly (mixed types; in neo4j, strings holding the `;` delimiter;
//! in FalkorDB, strings that look like numbers or booleans, which its
//! loader converts) are JSON text in a string column. A column whose values mix types is a string column. Evidence
//! (`sources`, `claimants`, `quotes`, `citations`) travels with every
//! relation. Output is deterministic: files and rows in id order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::cypher::ident;
use super::json::value_to_json;
use super::stream::Progress;
use super::subgraph::Subgraph;
use super::{Dialect, ExportError};
use crate::model::{Graph, Props, Value, value::format_float};
use crate::sink::WriteError;

/// The column type of a property, the widest its values need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Bool,
    Int,
    Float,
    /// Text: strings, dates and mixed scalars as text; lists and maps as
    /// JSON text.
    Str,
    BoolList,
    IntList,
    FloatList,
    StrList,
    /// Kuzu: strings its CSV reader would misread inside a list (commas,
    /// quotes, brackets), joined with `KUZU_LIST_SEPARATOR` and split by the
    /// load script.
    SplitList,
    /// Only empty lists so far.
    EmptyList,
}

impl Ty {
    fn of(v: &Value, dialect: Dialect) -> Option<Ty> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => Ty::Bool,
            Value::Int(_) => Ty::Int,
            Value::Float(f) if f.is_finite() => Ty::Float,
            Value::List(items) => {
                let mut ty = Ty::EmptyList;
                for x in items {
                    let t = match x {
                        Value::Bool(_) => Ty::BoolList,
                        Value::Int(_) => Ty::IntList,
                        Value::Float(f) if f.is_finite() => Ty::FloatList,
                        Value::Str(s) if list_safe(s, dialect) => Ty::StrList,
                        Value::Str(s)
                            if dialect == Dialect::Kuzu
                                && !s.is_empty()
                                && !s.contains(KUZU_LIST_SEPARATOR) =>
                        {
                            Ty::SplitList
                        }
                        Value::Date(_) => Ty::StrList,
                        _ => return Some(Ty::Str),
                    };
                    ty = ty.unify(t);
                    if ty == Ty::Str {
                        return Some(Ty::Str);
                    }
                }
                ty
            }
            _ => Ty::Str,
        })
    }

    fn unify(self, other: Ty) -> Ty {
        use Ty::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Int, Float) | (Float, Int) => Float,
            (IntList, FloatList) | (FloatList, IntList) => FloatList,
            (EmptyList, l @ (BoolList | IntList | FloatList | StrList | SplitList))
            | (l @ (BoolList | IntList | FloatList | StrList | SplitList), EmptyList) => l,
            (StrList, SplitList) | (SplitList, StrList) => SplitList,
            _ => Str,
        }
    }

    fn is_list(self) -> bool {
        matches!(
            self,
            Ty::BoolList
                | Ty::IntList
                | Ty::FloatList
                | Ty::StrList
                | Ty::SplitList
                | Ty::EmptyList
        )
    }

    /// The type's name in a dialect's header or table definition.
    fn name(self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Neo4j => match self {
                Ty::Bool => "boolean",
                Ty::Int => "long",
                Ty::Float => "double",
                Ty::Str => "string",
                Ty::BoolList => "boolean[]",
                Ty::IntList => "long[]",
                Ty::FloatList => "double[]",
                Ty::StrList | Ty::SplitList | Ty::EmptyList => "string[]",
            },
            Dialect::Kuzu => match self {
                Ty::Bool => "BOOLEAN",
                Ty::Int => "INT64",
                Ty::Float => "DOUBLE",
                Ty::Str => "STRING",
                Ty::BoolList => "BOOLEAN[]",
                Ty::IntList => "INT64[]",
                Ty::FloatList => "DOUBLE[]",
                Ty::StrList | Ty::SplitList | Ty::EmptyList => "STRING[]",
            },
            Dialect::FalkorDb => match self {
                Ty::Bool => "BOOL",
                Ty::Int => "INT",
                Ty::Float => "DOUBLE",
                Ty::Str => "STRING",
                _ => "ARRAY",
            },
        }
    }
}

/// The separator of list elements in a neo4j field (`neo4j-admin`'s
/// default `--array-delimiter`).
const NEO4J_ARRAY_DELIMITER: char = ';';

/// The separator of string list elements in a Kuzu field (SYMBOL FOR
/// RECORD SEPARATOR: printable, so the load script can spell it).
const KUZU_LIST_SEPARATOR: char = '\u{241E}';

/// Whether a string can be a typed list element that the dialect's importer
/// reads back unchanged.
fn list_safe(s: &str, dialect: Dialect) -> bool {
    if s.is_empty() || s.chars().any(char::is_control) {
        return false;
    }
    match dialect {
        Dialect::Neo4j => !s.contains(NEO4J_ARRAY_DELIMITER),
        // Kuzu's CSV reader trims list elements, keeps their quotes and
        // splits on commas: such strings make a `SplitList` instead.
        Dialect::Kuzu => {
            s.trim() == s
                && !s.chars().any(|c| {
                    matches!(
                        c,
                        ',' | '[' | ']' | '{' | '}' | '(' | ')' | '"' | '\'' | '\\'
                    )
                })
        }
        // falkordb-bulk-loader reads an array with Python's literal_eval
        // and then guesses each element's type from its text.
        Dialect::FalkorDb => {
            let lower = s.to_ascii_lowercase();
            let numeric = s.chars().any(char::is_numeric)
                && s.chars()
                    .all(|c| c.is_numeric() || matches!(c, '+' | '-' | '.' | '_' | 'e' | 'E'));
            s.trim() == s
                && lower != "true"
                && lower != "false"
                && !(s.starts_with('[') && s.ends_with(']'))
                && !numeric
        }
    }
}

/// A CSV field in double quotes (a quote doubled). FalkorDB's loader reads
/// `\` as an escape, so there it is doubled too.
fn quoted(s: &str, dialect: Dialect, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '\\' if dialect == Dialect::FalkorDb => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A Python string literal (for FalkorDB's arrays).
fn python_str(s: &str, out: &mut String) {
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = std::fmt::Write::write_fmt(out, format_args!("\\U{:08x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
}

/// A scalar as text (strings as they are, dates in ISO form).
fn text_of(graph: &Graph, v: &Value) -> String {
    match v {
        Value::Str(s) => (s.clone()).to_string(),
        Value::Date(d) => d.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Bool(b) => b.to_string(),
        other => serde_json::to_string(&value_to_json(graph, other)).expect("JSON text"),
    }
}

/// Writes one field: `v` in a column of type `ty`. Null is an empty field.
/// One field per column (`,` before each), in the columns' key order: the
/// properties are scanned once beside the sorted columns, and a column a
/// row has no value for stays empty.
fn prop_fields(
    graph: &Graph,
    props: &Props,
    cols: &[(String, Ty)],
    dialect: Dialect,
    out: &mut String,
) {
    props.scan(|it| {
        let mut it = it.peekable();
        for (name, ty) in cols {
            out.push(',');
            while it.peek().is_some_and(|(k, _)| k.as_str() < name.as_str()) {
                it.next();
            }
            if let Some((k, v)) = it.peek()
                && k.as_str() == name.as_str()
            {
                field(graph, v, *ty, dialect, out);
            }
        }
    });
}

fn field(graph: &Graph, v: &Value, ty: Ty, dialect: Dialect, out: &mut String) {
    let num = |x: &Value| match x {
        Value::Int(i) if ty == Ty::FloatList || ty == Ty::Float => format_float(*i as f64),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Bool(b) => b.to_string(),
        other => text_of(graph, other),
    };
    match (v, ty) {
        (Value::Null, _) => {}
        (Value::Bool(_) | Value::Int(_) | Value::Float(_), Ty::Bool | Ty::Int | Ty::Float) => {
            out.push_str(&num(v));
        }
        (Value::List(items), t) if t.is_list() => {
            let mut s = String::new();
            match dialect {
                Dialect::Neo4j => {
                    for (i, x) in items.iter().enumerate() {
                        if i > 0 {
                            s.push(NEO4J_ARRAY_DELIMITER);
                        }
                        s.push_str(&num(x));
                    }
                }
                Dialect::Kuzu => {
                    let strings = ty == Ty::SplitList;
                    s.push('[');
                    for (i, x) in items.iter().enumerate() {
                        if i > 0 {
                            s.push(if strings { KUZU_LIST_SEPARATOR } else { ',' });
                        }
                        s.push_str(&num(x));
                    }
                    s.push(']');
                }
                Dialect::FalkorDb => {
                    s.push('[');
                    for (i, x) in items.iter().enumerate() {
                        if i > 0 {
                            s.push_str(", ");
                        }
                        match x {
                            Value::Bool(true) => s.push_str("True"),
                            Value::Bool(false) => s.push_str("False"),
                            Value::Int(_) | Value::Float(_) => s.push_str(&num(x)),
                            other => python_str(&text_of(graph, other), &mut s),
                        }
                    }
                    s.push(']');
                }
            }
            if dialect == Dialect::Neo4j && items.is_empty() {
                // neo4j-admin reads an empty field as no property at all.
                return;
            }
            quoted(&s, dialect, out);
        }
        (other, _) => quoted(&text_of(graph, other), dialect, out),
    }
}

/// Property columns of a group of nodes or relations, in name order.
#[derive(Debug, Default)]
struct Columns {
    cols: BTreeMap<String, Option<Ty>>,
}

impl Columns {
    fn add(&mut self, props: &crate::model::Props, skip: &str, dialect: Dialect) {
        props.scan(|it| {
            for (k, v) in it {
                if k == skip {
                    continue;
                }
                let t = Ty::of(v, dialect);
                let slot = match self.cols.get_mut(k.as_str()) {
                    Some(slot) => slot,
                    None => self.cols.entry(k.clone()).or_insert(None),
                };
                *slot = match (*slot, t) {
                    (None, t) => t,
                    (s, None) => s,
                    (Some(a), Some(b)) => Some(a.unify(b)),
                };
            }
        });
    }

    fn typed(&self) -> Vec<(String, Ty)> {
        self.cols
            .iter()
            .map(|(k, t)| (k.clone(), t.unwrap_or(Ty::Str)))
            .collect()
    }
}

/// A property name as it can stand in a CSV header (`name:type`): the
/// characters that would end it become `_`.
fn header_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, ':' | ',' | '"' | '(' | ')') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// A file name made of a label or type: letters, digits, `_`, `-`, `.`.
fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

/// File names, unique ignoring case (some file systems do).
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    fn unique(&mut self, stem: String) -> String {
        let mut name = stem.clone();
        let mut n = 1;
        while !self.0.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{stem}-{n}");
        }
        name
    }
}

/// One CSV file being written.
struct CsvFile {
    rel_path: String,
    out: BufWriter<fs::File>,
    line: String,
    rows: usize,
    /// A field held a line break (Kuzu then needs its serial reader).
    multiline: bool,
}

impl CsvFile {
    fn create(dir: &Path, rel_path: String) -> io::Result<Self> {
        let out = BufWriter::with_capacity(1 << 16, fs::File::create(dir.join(&rel_path))?);
        Ok(CsvFile {
            rel_path,
            out,
            line: String::new(),
            rows: 0,
            multiline: false,
        })
    }

    fn header(&mut self, fields: &[String]) -> io::Result<()> {
        let line = fields.join(",");
        writeln!(self.out, "{line}")
    }

    /// Writes `self.line` as a row.
    fn end_row(&mut self) -> io::Result<()> {
        self.multiline |= self.line.contains(['\n', '\r']);
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())?;
        self.line.clear();
        self.rows += 1;
        Ok(())
    }
}

/// A node file: its table (kind), labels and columns.
struct NodeTable {
    table: String,
    labels: Vec<String>,
    nodes: Vec<NodeIndex>,
    cols: Vec<(String, Ty)>,
    file: String,
}

/// What a bulk export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub nodes: usize,
    pub relations: usize,
    /// Every file, relative to the folder, in the order written.
    pub files: Vec<String>,
}

/// The key every node file carries: `id` when the nodes' `id` properties
/// are their eje ids (curated data), else `_eje_id` and `id` stays an
/// ordinary property.
fn key_column(graph: &Graph, nodes: &[NodeIndex]) -> &'static str {
    let usable = nodes.iter().all(|&n| {
        let node = graph.node(n);
        match node.props.get("id") {
            None | Some(Value::Null) => true,
            Some(Value::Str(s)) => **s == *node.id,
            Some(_) => false,
        }
    });
    if usable { "id" } else { "_eje_id" }
}

/// Writes the bulk export of `sub` into the folder `dir`, which must exist
/// and be empty.
pub fn write_into(
    graph: &Graph,
    sub: &Subgraph,
    dialect: Dialect,
    dir: &Path,
    progress: &Progress,
) -> io::Result<Summary> {
    let nodes = sub.sorted_nodes(graph);
    let key = key_column(graph, &nodes);
    fs::create_dir_all(dir.join("nodes"))?;
    fs::create_dir_all(dir.join("rels"))?;

    // Node tables: one per most specific kind; unlabelled nodes share one.
    let kinds: BTreeSet<&str> = nodes.iter().filter_map(|&n| graph.node(n).kind()).collect();
    let mut unlabelled = String::from("Node");
    while kinds.iter().any(|k| k.eq_ignore_ascii_case(&unlabelled)) {
        unlabelled.push('_');
    }
    let mut by_table: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
    for &n in &nodes {
        let t = graph.node(n).kind().unwrap_or(&unlabelled).to_string();
        by_table.entry(t).or_default().push(n);
    }
    let mut table_of: HashMap<NodeIndex, u32> = HashMap::with_capacity(nodes.len());
    let mut names = Names::default();
    let mut tables: Vec<NodeTable> = Vec::new();
    progress.phase("types of the node columns");
    for (table, members) in by_table {
        let mut cols = Columns::default();
        // The labels of the table's first node: a kind has one lineage.
        let labels = graph.node(members[0]).labels.clone();
        for &n in &members {
            cols.add(&graph.node(n).props, key, dialect);
            table_of.insert(n, tables.len() as u32);
        }
        let file = format!("nodes/{}.csv", names.unique(file_stem(&table)));
        tables.push(NodeTable {
            table,
            labels,
            nodes: members,
            cols: cols.typed(),
            file,
        });
    }

    // Relation files: per type (kuzu: per type and pair of tables).
    progress.phase("types of the relation columns");
    let rels = sub.sorted_rels(graph);
    let group_key = |e: EdgeIndex| -> (String, Option<(u32, u32)>) {
        let rel = graph.rel(e);
        let pair = (dialect == Dialect::Kuzu).then(|| {
            let (a, b) = graph.endpoints(e);
            (table_of[&a], table_of[&b])
        });
        (rel.rel_type.to_string(), pair)
    };
    let mut rel_cols: BTreeMap<String, Columns> = BTreeMap::new();
    let mut groups: BTreeMap<(String, Option<(u32, u32)>), usize> = BTreeMap::new();
    for &e in &rels {
        let rel = graph.rel(e);
        match rel_cols.get_mut(rel.rel_type.as_str()) {
            Some(c) => c.add(&rel.props, "", dialect),
            None => rel_cols
                .entry(rel.rel_type.to_string())
                .or_default()
                .add(&rel.props, "", dialect),
        }
        *groups.entry(group_key(e)).or_default() += 1;
    }
    let rel_cols: BTreeMap<String, Vec<(String, Ty)>> =
        rel_cols.into_iter().map(|(k, c)| (k, c.typed())).collect();

    let mut summary = Summary {
        nodes: nodes.len(),
        relations: rels.len(),
        files: Vec::new(),
    };

    // Nodes.
    progress.phase("nodes");
    let mut node_files = Vec::new();
    for t in &tables {
        let mut f = CsvFile::create(dir, t.file.clone())?;
        let mut header = vec![match dialect {
            Dialect::Kuzu => key.to_string(),
            _ => format!("{}:ID", header_name(key)),
        }];
        if dialect == Dialect::Neo4j {
            header.push(":LABEL".into());
        }
        for (name, ty) in &t.cols {
            header.push(match dialect {
                Dialect::Kuzu => header_name(name),
                _ => format!("{}:{}", header_name(name), ty.name(dialect)),
            });
        }
        f.header(&header)?;
        for &n in &t.nodes {
            let node = graph.node(n);
            quoted(&node.id, dialect, &mut f.line);
            if dialect == Dialect::Neo4j {
                f.line.push(',');
                let labels: Vec<&str> = node.labels.iter().map(String::as_str).collect();
                quoted(&labels.join(";"), dialect, &mut f.line);
            }
            prop_fields(graph, &node.props, &t.cols, dialect, &mut f.line);
            f.end_row()?;
            progress.inc(1);
        }
        f.out.flush()?;
        f.out.get_ref().sync_all()?;
        node_files.push((f.rel_path.clone(), f.rows, f.multiline));
        summary.files.push(f.rel_path);
    }

    // Relations, in one walk over the sorted relations, each to its file.
    progress.phase("relations");
    let mut rel_names = Names::default();
    let mut files: BTreeMap<(String, Option<(u32, u32)>), CsvFile> = BTreeMap::new();
    for g in groups.keys() {
        let (ty, pair) = g;
        let stem = match pair {
            Some((a, b)) => format!(
                "{}__{}__{}",
                file_stem(ty),
                file_stem(&tables[*a as usize].table),
                file_stem(&tables[*b as usize].table)
            ),
            None => file_stem(ty),
        };
        let mut f = CsvFile::create(dir, format!("rels/{}.csv", rel_names.unique(stem)))?;
        let mut header = match dialect {
            // Kuzu binds the header's names: the endpoint columns must not
            // share one with a property (a claim may have a `from`).
            Dialect::Kuzu => {
                let (from, to) = kuzu_endpoints(&rel_cols[ty]);
                vec![from, to]
            }
            Dialect::Neo4j => vec![":START_ID".into(), ":END_ID".into(), ":TYPE".into()],
            Dialect::FalkorDb => vec![":START_ID".into(), ":END_ID".into()],
        };
        for (name, t) in &rel_cols[ty] {
            header.push(match dialect {
                Dialect::Kuzu => header_name(name),
                _ => format!("{}:{}", header_name(name), t.name(dialect)),
            });
        }
        f.header(&header)?;
        files.insert(g.clone(), f);
    }
    for &e in &rels {
        let (a, b) = graph.endpoints(e);
        let rel = graph.rel(e);
        let g = group_key(e);
        let cols = &rel_cols[&g.0];
        let f = files.get_mut(&g).expect("a file per group");
        quoted(&graph.node(a).id, dialect, &mut f.line);
        f.line.push(',');
        quoted(&graph.node(b).id, dialect, &mut f.line);
        if dialect == Dialect::Neo4j {
            f.line.push(',');
            quoted(&rel.rel_type, dialect, &mut f.line);
        }
        prop_fields(graph, &rel.props, cols, dialect, &mut f.line);
        f.end_row()?;
        progress.inc(1);
    }
    let mut rel_files = Vec::new();
    for ((ty, pair), mut f) in files {
        f.out.flush()?;
        f.out.get_ref().sync_all()?;
        rel_files.push((f.rel_path.clone(), ty, pair, f.rows, f.multiline));
        summary.files.push(f.rel_path);
    }

    // The load script (kuzu), the manifest and the README.
    if dialect == Dialect::Kuzu {
        let script = kuzu_script(&tables, key, &rel_cols, &node_files, &rel_files);
        fs::write(dir.join("load.cypher"), script)?;
        summary.files.push("load.cypher".into());
    }
    let manifest = manifest(dialect, key, &tables, &node_files, &rel_files);
    fs::write(
        dir.join(MANIFEST),
        serde_json::to_string_pretty(&manifest).expect("JSON") + "\n",
    )?;
    summary.files.push(MANIFEST.into());
    fs::write(
        dir.join("README.md"),
        readme(dialect, key, &summary, &tables, &rel_files),
    )?;
    summary.files.push("README.md".into());
    Ok(summary)
}

/// The file that marks a folder as eje's bulk export.
pub const MANIFEST: &str = "manifest.json";

type RelFile = (String, String, Option<(u32, u32)>, usize, bool);

fn manifest(
    dialect: Dialect,
    key: &str,
    tables: &[NodeTable],
    node_files: &[(String, usize, bool)],
    rel_files: &[RelFile],
) -> serde_json::Value {
    let nodes: Vec<serde_json::Value> = tables
        .iter()
        .zip(node_files)
        .map(|(t, (file, rows, _))| {
            serde_json::json!({
                "file": file,
                "table": t.table,
                "labels": t.labels,
                "rows": rows,
            })
        })
        .collect();
    let rels: Vec<serde_json::Value> = rel_files
        .iter()
        .map(|(file, ty, pair, rows, _)| {
            let mut m = serde_json::json!({"file": file, "type": ty, "rows": rows});
            if let Some((a, b)) = pair {
                m["from"] = tables[*a as usize].table.clone().into();
                m["to"] = tables[*b as usize].table.clone().into();
            }
            m
        })
        .collect();
    serde_json::json!({
        "generator": concat!("eje ", env!("CARGO_PKG_VERSION")),
        "format": "bulk",
        "dialect": dialect.name(),
        "key": key,
        "nodes": nodes,
        "relations": rels,
    })
}

/// The names of the endpoint columns of a Kuzu relation file: `from` and
/// `to`, with `_` before them while a property has either name.
fn kuzu_endpoints(cols: &[(String, Ty)]) -> (String, String) {
    let taken = |n: &String| {
        cols.iter()
            .any(|(c, _)| header_name(c).eq_ignore_ascii_case(n))
    };
    let mut from = String::from("from");
    let mut to = String::from("to");
    while taken(&from) || taken(&to) {
        from.insert(0, '_');
        to.insert(0, '_');
    }
    (from, to)
}

fn kuzu_script(
    tables: &[NodeTable],
    key: &str,
    rel_cols: &BTreeMap<String, Vec<(String, Ty)>>,
    node_files: &[(String, usize, bool)],
    rel_files: &[RelFile],
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    out.push_str(
        "// eje bulk export for Kuzu: run from this folder, e.g. `kuzu ./db < load.cypher`.\n",
    );
    for t in tables {
        let mut defs = vec![format!("{} STRING", ident(key))];
        defs.extend(
            t.cols
                .iter()
                .map(|(k, ty)| format!("{} {}", ident(k), ty.name(Dialect::Kuzu))),
        );
        defs.push(format!("PRIMARY KEY({})", ident(key)));
        let _ = writeln!(
            out,
            "CREATE NODE TABLE {}({});",
            ident(&t.table),
            defs.join(", ")
        );
    }
    let mut pairs: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for (_, ty, pair, _, _) in rel_files {
        if let Some((a, b)) = pair {
            pairs.entry(ty.as_str()).or_default().insert((
                tables[*a as usize].table.as_str(),
                tables[*b as usize].table.as_str(),
            ));
        }
    }
    for (ty, ps) in &pairs {
        let mut defs: Vec<String> = ps
            .iter()
            .map(|(a, b)| format!("FROM {} TO {}", ident(a), ident(b)))
            .collect();
        defs.extend(
            rel_cols[*ty]
                .iter()
                .map(|(k, t)| format!("{} {}", ident(k), t.name(Dialect::Kuzu))),
        );
        let _ = writeln!(out, "CREATE REL TABLE {}({});", ident(ty), defs.join(", "));
    }
    let opts = |multiline: bool| {
        if multiline {
            "header=true, parallel=false"
        } else {
            "header=true"
        }
    };
    for (t, (file, _, multiline)) in tables.iter().zip(node_files) {
        if t.cols.iter().any(|(_, ty)| kuzu_split(*ty)) {
            let mut cols = vec![(key.to_string(), Ty::Str)];
            cols.extend(t.cols.iter().cloned());
            let (heads, values) = kuzu_load_columns(&[], &cols);
            let _ = writeln!(
                out,
                "COPY {} FROM (LOAD WITH HEADERS ({}) FROM '{file}' ({}) RETURN {});",
                ident(&t.table),
                heads.join(", "),
                opts(*multiline),
                values.join(", ")
            );
        } else {
            let _ = writeln!(
                out,
                "COPY {} FROM '{file}' ({});",
                ident(&t.table),
                opts(*multiline)
            );
        }
    }
    for (file, ty, pair, _, multiline) in rel_files {
        let (a, b) = pair.expect("kuzu files have pairs");
        let cols = &rel_cols[ty];
        if cols
            .iter()
            .any(|(c, _)| c.eq_ignore_ascii_case("from") || c.eq_ignore_ascii_case("to"))
        {
            // Kuzu's COPY cannot fill a relation property named `from` or
            // `to`; LOAD FROM reads the same file statement by statement.
            let (from, to) = kuzu_endpoints(cols);
            let (heads, values) = kuzu_load_columns(&[&from, &to], cols);
            let props: Vec<String> = cols
                .iter()
                .zip(&values[2..])
                .map(|((k, _), v)| format!("{}: {v}", ident(k)))
                .collect();
            let _ = writeln!(
                out,
                "LOAD WITH HEADERS ({}) FROM '{file}' ({}) MATCH (a:{} {{{}: {from}}}), (b:{} {{{}: {to}}}) \
                 CREATE (a)-[:{} {{{}}}]->(b);",
                heads.join(", "),
                opts(*multiline),
                ident(&tables[a as usize].table),
                ident(key),
                ident(&tables[b as usize].table),
                ident(key),
                ident(ty),
                props.join(", "),
            );
            continue;
        }
        let pair = format!(
            "from='{}', to='{}'",
            tables[a as usize].table.replace('\'', "\\'"),
            tables[b as usize].table.replace('\'', "\\'"),
        );
        if cols.iter().any(|(_, t)| kuzu_split(*t)) {
            let (from, to) = kuzu_endpoints(cols);
            let (heads, values) = kuzu_load_columns(&[&from, &to], cols);
            let _ = writeln!(
                out,
                "COPY {} FROM (LOAD WITH HEADERS ({}) FROM '{file}' ({}) RETURN {}) ({pair});",
                ident(ty),
                heads.join(", "),
                opts(*multiline),
                values.join(", ")
            );
        } else {
            let _ = writeln!(
                out,
                "COPY {} FROM '{file}' ({}, {pair});",
                ident(ty),
                opts(*multiline),
            );
        }
    }
    out
}

/// Whether a Kuzu column is a string list that the load script splits.
fn kuzu_split(ty: Ty) -> bool {
    ty == Ty::SplitList
}

/// For `LOAD WITH HEADERS`: each column's name and type as the file holds
/// it (string lists as text), and the expression that gives its value
/// (string lists split on `KUZU_LIST_SEPARATOR`). `ends` are the endpoint
/// columns of a relation file (strings).
fn kuzu_load_columns(ends: &[&String], cols: &[(String, Ty)]) -> (Vec<String>, Vec<String>) {
    let mut heads: Vec<String> = ends
        .iter()
        .map(|e| format!("{} STRING", ident(e)))
        .collect();
    let mut values: Vec<String> = ends.iter().map(|e| ident(e)).collect();
    for (k, t) in cols {
        let var = ident(&header_name(k));
        if kuzu_split(*t) {
            heads.push(format!("{var} STRING"));
            values.push(format!(
                "CASE WHEN {var} IS NULL THEN NULL WHEN {var} = '[]' THEN CAST([] AS STRING[]) \
                 ELSE string_split(substring({var}, 2, size({var}) - 2), '{KUZU_LIST_SEPARATOR}') END"
            ));
        } else {
            heads.push(format!("{var} {}", t.name(Dialect::Kuzu)));
            values.push(var);
        }
    }
    (heads, values)
}

fn readme(
    dialect: Dialect,
    key: &str,
    summary: &Summary,
    tables: &[NodeTable],
    rel_files: &[RelFile],
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# eje bulk export for {}\n\n{} nodes and {} relations, written by eje {}.\n",
        match dialect {
            Dialect::Neo4j => "Neo4j and Memgraph",
            Dialect::Kuzu => "Kuzu",
            Dialect::FalkorDb => "FalkorDB",
        },
        summary.nodes,
        summary.relations,
        env!("CARGO_PKG_VERSION"),
    );
    out.push_str(
        "`nodes/` holds one CSV file per most specific kind, `rels/` one per relation type; \
         `manifest.json` lists every file with its labels or type and its number of rows.\n\n",
    );
    let _ = writeln!(
        out,
        "Every node has its eje id in the `{key}` column. Dates are ISO strings that keep \
         their precision (`2024-06` is a month). Lists of booleans, numbers or plain strings \
         are typed lists. Maps, such as a claim's `citations` (`source`, `quote`, `claimant`, \
         `hedge`), and lists the importer would read back wrongly are JSON text in a string \
         column; so is any column whose values mix types. Each relation carries its evidence: \
         `sources`, `claimants` and `quotes` as lists, `citations` as JSON text.\n"
    );
    out.push_str("## Loading\n\n```sh\n");
    match dialect {
        Dialect::Neo4j => {
            out.push_str(
                "# Neo4j 5 (the database must not exist yet; run from this folder):\n\
                 neo4j-admin database import full neo4j --overwrite-destination \\\n  \
                 --multiline-fields=true --array-delimiter=';' \\\n",
            );
            for t in tables {
                let _ = writeln!(out, "  --nodes={} \\", t.file);
            }
            let files: Vec<&str> = rel_files.iter().map(|f| f.0.as_str()).collect();
            for (i, f) in files.iter().enumerate() {
                let end = if i + 1 == files.len() { "" } else { " \\" };
                let _ = writeln!(out, "  --relationships={f}{end}");
            }
            out.push_str(
                "\n# Memgraph reads the same files with LOAD CSV, or with the\n\
                 # neo4j-admin layout importer of its own tools (mg_import_csv):\n\
                 # mg_import_csv --array-delimiter=';' --nodes=... --relationships=...\n",
            );
        }
        Dialect::Kuzu => {
            out.push_str(
                "# from this folder: creates the tables and copies every file\n\
                 kuzu ./db < load.cypher\n\
                 # or in Python: for s in open('load.cypher'): conn.execute(s)\n",
            );
        }
        Dialect::FalkorDb => {
            out.push_str(
                "# pip install falkordb-bulk-loader; GRAPH must not exist yet\n\
                 falkordb-bulk-insert GRAPH --server-url redis://127.0.0.1:6379 --enforce-schema \\\n",
            );
            for t in tables {
                let _ = writeln!(out, "  -N '{}' {} \\", t.labels.join(":"), t.file);
            }
            for (i, (f, ty, ..)) in rel_files.iter().enumerate() {
                let end = if i + 1 == rel_files.len() { "" } else { " \\" };
                let _ = writeln!(out, "  -R '{ty}' {f}{end}");
            }
            out.push_str(
                "# then index the key of each label, for matching by id:\n\
                 # GRAPH.QUERY GRAPH \"CREATE INDEX FOR (n:Person) ON (n.id)\"\n",
            );
        }
    }
    out.push_str("```\n");
    match dialect {
        Dialect::Neo4j => out.push_str(
            "\nHeaders follow `neo4j-admin database import`: `id:ID`, `:LABEL` (every label \
             of the node, `;` between), `:START_ID`, `:END_ID`, `:TYPE`, then `name:type` with \
             `boolean`, `long`, `double`, `string` or their arrays (`string[]`, elements \
             separated by `;`). An empty list is left out, as the importer reads an empty \
             field as no value.\n",
        ),
        Dialect::Kuzu => out.push_str(
            "\nKuzu keeps one label per node: the most specific kind is the table. Match a \
             parent kind with the union of its kinds' tables (`(n:Person:Organization)`). \
             Kuzu reads an empty string as null.\n",
        ),
        Dialect::FalkorDb => out.push_str(
            "\nHeaders follow falkordb-bulk-loader with `--enforce-schema`: `id:ID`, \
             `:START_ID`, `:END_ID`, then `name:TYPE` with `BOOL`, `INT`, `DOUBLE`, `STRING` \
             or `ARRAY` (a Python list literal). The loader trims strings and reads an empty \
             one as null.\n",
        ),
    }
    out
}

/// Writes the bulk export of `sub` to the folder `path` through the sink
/// (`sink::write_folder`): into a temporary folder beside it, renamed into
/// place at the end. An existing folder is replaced only when it is empty,
/// is an earlier bulk export (its `manifest.json`), or `force` is given.
pub fn write_folder(
    graph: &Graph,
    sub: &Subgraph,
    dialect: Dialect,
    path: &Path,
    force: bool,
    progress: &Progress,
) -> Result<Summary, ExportError> {
    if path.as_os_str().is_empty() || path.as_os_str() == "-" {
        // Standard output is one stream; a bulk export is several files.
        return Err(ExportError::FolderNeeded);
    }
    crate::sink::write_folder(path, force, MANIFEST, |dir| {
        write_into(graph, sub, dialect, dir, progress)
    })
    .map_err(|e| match e {
        WriteError::File { path, source } => ExportError::File { path, source },
        WriteError::Fill(source) => ExportError::File {
            path: path.to_path_buf(),
            source,
        },
        WriteError::InUse { path, found } => ExportError::FolderInUse { path, found },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_unify_and_lists_fall_back_to_text() {
        use Ty::*;
        assert_eq!(Int.unify(Float), Float);
        assert_eq!(EmptyList.unify(StrList), StrList);
        assert_eq!(IntList.unify(StrList), Str);
        assert_eq!(Bool.unify(Int), Str);
        let list = |xs: &[&str]| Value::List(xs.iter().map(|s| Value::from(*s)).collect());
        assert_eq!(Ty::of(&list(&["a b", "c"]), Dialect::Kuzu), Some(StrList));
        assert_eq!(Ty::of(&list(&["a, b"]), Dialect::Kuzu), Some(SplitList));
        assert_eq!(
            Ty::of(&list(&["a", "b, c"]), Dialect::Kuzu),
            Some(SplitList)
        );
        assert_eq!(StrList.unify(SplitList), SplitList);
        assert_eq!(Ty::of(&list(&["a,\u{241E}b"]), Dialect::Kuzu), Some(Str));
        assert_eq!(Ty::of(&list(&[""]), Dialect::Kuzu), Some(Str));
        assert_eq!(Ty::of(&list(&["a, b"]), Dialect::FalkorDb), Some(StrList));
        assert_eq!(Ty::of(&list(&["1984"]), Dialect::FalkorDb), Some(Str));
        assert_eq!(Ty::of(&list(&["TRUE"]), Dialect::FalkorDb), Some(Str));
        assert_eq!(Ty::of(&list(&["a;b"]), Dialect::Neo4j), Some(Str));
        assert_eq!(Ty::of(&list(&["a;b"]), Dialect::Kuzu), Some(StrList));
        assert_eq!(Ty::of(&list(&[""]), Dialect::Neo4j), Some(Str));
        assert_eq!(
            Ty::of(&Value::List(vec![]), Dialect::Neo4j),
            Some(EmptyList)
        );
        assert_eq!(Ty::of(&Value::Null, Dialect::Neo4j), None);
    }

    #[test]
    fn fields_are_quoted_for_each_reader() {
        let g = Graph::new(None);
        let f = |v: Value, ty: Ty, d: Dialect| {
            let mut s = String::new();
            field(&g, &v, ty, d, &mut s);
            s
        };
        let s = Value::from("say \"hi\" \\ now");
        assert_eq!(
            f(s.clone(), Ty::Str, Dialect::Neo4j),
            r#""say ""hi"" \ now""#
        );
        assert_eq!(
            f(s.clone(), Ty::Str, Dialect::FalkorDb),
            r#""say ""hi"" \\ now""#
        );
        let l = Value::List(vec![Value::from("it's"), Value::from("b")]);
        assert_eq!(f(l.clone(), Ty::StrList, Dialect::Neo4j), r#""it's;b""#);
        assert_eq!(
            f(l.clone(), Ty::SplitList, Dialect::Kuzu),
            "\"[it's\u{241E}b]\""
        );
        let nums = Value::List(vec![Value::Int(1), Value::Int(2)]);
        assert_eq!(f(nums, Ty::IntList, Dialect::Kuzu), r#""[1,2]""#);
        assert_eq!(f(l, Ty::StrList, Dialect::FalkorDb), r#""['it\\'s', 'b']""#);
        assert_eq!(f(Value::Int(3), Ty::Float, Dialect::Kuzu), "3.0");
        assert_eq!(f(Value::Null, Ty::Int, Dialect::Kuzu), "");
        assert_eq!(f(Value::List(vec![]), Ty::EmptyList, Dialect::Neo4j), "");
        let bools = Value::List(vec![Value::Bool(true), Value::Bool(false)]);
        assert_eq!(
            f(bools, Ty::BoolList, Dialect::FalkorDb),
            r#""[True, False]""#
        );
    }
}
