//! Procedures for `CALL`: the built-in ones that describe the graph and the
//! language (`db.labels()`, `eje.schema.kinds()`, `dbms.functions()`...),
//! and procedures given as tables (`Options::procedures`), as the openCypher
//! TCK declares them (`there exists a procedure test.my.proc(in :: INTEGER?)
//! :: (out :: STRING?)`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::functions;
use super::kinds::Ty;
use crate::model::{Graph, TimeShape, Value};

/// The type of a procedure's argument or field, as openCypher writes it
/// (`STRING?`: a string or null).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Any,
    String,
    Integer,
    Float,
    Number,
    Boolean,
    List,
    Map,
    Node,
    Relationship,
    Path,
}

impl FieldType {
    pub fn parse(text: &str) -> Option<FieldType> {
        let t = text
            .trim()
            .trim_end_matches('?')
            .trim()
            .to_ascii_uppercase();
        Some(match t.as_str() {
            "ANY" => FieldType::Any,
            "STRING" => FieldType::String,
            "INTEGER" | "INT" => FieldType::Integer,
            "FLOAT" => FieldType::Float,
            "NUMBER" => FieldType::Number,
            "BOOLEAN" => FieldType::Boolean,
            "MAP" => FieldType::Map,
            "NODE" => FieldType::Node,
            "RELATIONSHIP" => FieldType::Relationship,
            "PATH" => FieldType::Path,
            t if t.starts_with("LIST") => FieldType::List,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            FieldType::Any => "ANY",
            FieldType::String => "STRING",
            FieldType::Integer => "INTEGER",
            FieldType::Float => "FLOAT",
            FieldType::Number => "NUMBER",
            FieldType::Boolean => "BOOLEAN",
            FieldType::List => "LIST",
            FieldType::Map => "MAP",
            FieldType::Node => "NODE",
            FieldType::Relationship => "RELATIONSHIP",
            FieldType::Path => "PATH",
        }
    }

    /// Whether a value may be passed for this type (null always may; an
    /// integer may be given for a float or a number).
    pub fn accepts(self, v: &Value) -> bool {
        matches!(
            (self, v),
            (_, Value::Null)
                | (FieldType::Any, _)
                | (FieldType::String, Value::Str(_))
                | (FieldType::Integer, Value::Int(_))
                | (
                    FieldType::Float | FieldType::Number,
                    Value::Int(_) | Value::Float(_)
                )
                | (FieldType::Boolean, Value::Bool(_))
                | (FieldType::List, Value::List(_))
                | (FieldType::Map, Value::Map(_))
                | (FieldType::Node, Value::Node(_))
                | (FieldType::Relationship, Value::Rel(_))
                | (FieldType::Path, Value::Path(_))
        )
    }
}

/// A procedure's name and signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub name: String,
    pub inputs: Vec<(String, FieldType)>,
    pub outputs: Vec<(String, FieldType)>,
    pub doc: String,
}

impl Signature {
    /// `db.labels() :: (label :: STRING)`
    pub fn text(&self) -> String {
        let list = |fields: &[(String, FieldType)]| {
            fields
                .iter()
                .map(|(n, t)| format!("{n} :: {}", t.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "{}({}) :: ({})",
            self.name,
            list(&self.inputs),
            list(&self.outputs)
        )
    }
}

/// A procedure given as a table: for arguments equal to a row's inputs, it
/// yields that row's outputs, in the table's order.
#[derive(Debug, Clone, PartialEq)]
pub struct TableProcedure {
    pub signature: Signature,
    pub rows: Vec<(Vec<Value>, Vec<Value>)>,
}

/// What a call runs.
#[derive(Debug, Clone)]
pub enum Body {
    Builtin(fn(&Graph) -> Vec<Vec<Value>>),
    Table(Arc<TableProcedure>),
}

/// A procedure found by name.
#[derive(Debug, Clone)]
pub struct Procedure {
    pub signature: Signature,
    pub body: Body,
}

impl Procedure {
    /// Runs the procedure on evaluated arguments.
    pub fn call(&self, graph: &Graph, args: &[Value]) -> Vec<Vec<Value>> {
        match &self.body {
            Body::Builtin(f) => f(graph),
            Body::Table(t) => t
                .rows
                .iter()
                .filter(|(inputs, _)| {
                    inputs.len() == args.len()
                        && inputs.iter().zip(args).all(|(a, b)| same_value(a, b))
                })
                .map(|(_, out)| out.clone())
                .collect(),
        }
    }
}

/// Equality for matching arguments: numbers by value (`42` matches `42.0`),
/// null matches null.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => *x as f64 == *y,
        _ => a == b,
    }
}

struct Builtin {
    name: &'static str,
    outputs: &'static [(&'static str, FieldType)],
    doc: &'static str,
    run: fn(&Graph) -> Vec<Vec<Value>>,
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "db.labels",
        outputs: &[("label", FieldType::String)],
        doc: "every node label in the graph",
        run: labels,
    },
    Builtin {
        name: "db.relationshipTypes",
        outputs: &[("relationshipType", FieldType::String)],
        doc: "every relation type in the graph",
        run: relationship_types,
    },
    Builtin {
        name: "db.propertyKeys",
        outputs: &[("propertyKey", FieldType::String)],
        doc: "every property key of a node or relation",
        run: property_keys,
    },
    Builtin {
        name: "eje.schema.kinds",
        outputs: &[
            ("kind", FieldType::String),
            ("parent", FieldType::String),
            ("description", FieldType::String),
            ("count", FieldType::Integer),
        ],
        doc: "the entity kinds of the schema, each with its parent and how many entities it has, descendants included",
        run: schema_kinds,
    },
    Builtin {
        name: "eje.schema.relationTypes",
        outputs: &[
            ("relationType", FieldType::String),
            ("from", FieldType::List),
            ("to", FieldType::List),
            ("symmetric", FieldType::Boolean),
            ("time", FieldType::String),
            ("unit", FieldType::String),
            ("roles", FieldType::List),
            ("description", FieldType::String),
            ("count", FieldType::Integer),
        ],
        doc: "the relation types of the schema: endpoint kinds, symmetry, time shape, unit, roles and how many relations it has",
        run: schema_relation_types,
    },
    Builtin {
        name: "eje.schema.units",
        outputs: &[
            ("unit", FieldType::String),
            ("description", FieldType::String),
        ],
        doc: "the units quantities of the schema are counted in",
        run: schema_units,
    },
    Builtin {
        name: "dbms.functions",
        outputs: &[
            ("name", FieldType::String),
            ("signature", FieldType::String),
            ("description", FieldType::String),
        ],
        doc: "every function, with its signature",
        run: dbms_functions,
    },
    Builtin {
        name: "dbms.procedures",
        outputs: &[
            ("name", FieldType::String),
            ("signature", FieldType::String),
            ("description", FieldType::String),
        ],
        doc: "every built-in procedure, with its signature",
        run: dbms_procedures,
    },
];

fn builtin_signature(b: &Builtin) -> Signature {
    Signature {
        name: b.name.to_string(),
        inputs: vec![],
        outputs: b.outputs.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
        doc: b.doc.to_string(),
    }
}

/// The procedure of this name: table procedures exactly, built-ins
/// ignoring case.
pub fn lookup(name: &str, tables: &[Arc<TableProcedure>]) -> Option<Procedure> {
    if let Some(t) = tables.iter().find(|t| t.signature.name == name) {
        return Some(Procedure {
            signature: t.signature.clone(),
            body: Body::Table(t.clone()),
        });
    }
    BUILTINS
        .iter()
        .find(|b| b.name.eq_ignore_ascii_case(name))
        .map(|b| Procedure {
            signature: builtin_signature(b),
            body: Body::Builtin(b.run),
        })
}

/// Runs a built-in procedure (no arguments) on `graph`: its rows, each
/// with one value per output field of its signature; `None` for a name
/// that is not a built-in. `:schema` and `eje schema` render these rows.
pub fn call_builtin(name: &str, graph: &Graph) -> Option<(Signature, Vec<Vec<Value>>)> {
    let b = BUILTINS.iter().find(|b| b.name == name)?;
    Some((builtin_signature(b), (b.run)(graph)))
}

/// Every procedure name, for suggestions and completion.
pub fn names(tables: &[Arc<TableProcedure>]) -> Vec<String> {
    BUILTINS
        .iter()
        .map(|b| b.name.to_string())
        .chain(tables.iter().map(|t| t.signature.name.clone()))
        .collect()
}

/// The built-in procedures' signatures, for `dbms.procedures()` and help.
pub fn builtin_signatures() -> Vec<Signature> {
    BUILTINS.iter().map(builtin_signature).collect()
}

fn strings(set: impl IntoIterator<Item = String>) -> Vec<Vec<Value>> {
    set.into_iter()
        .map(|s| vec![Value::Str(s.into())])
        .collect()
}

fn labels(g: &Graph) -> Vec<Vec<Value>> {
    let set: BTreeSet<String> = g.labels().into_iter().map(str::to_string).collect();
    strings(set)
}

fn relationship_types(g: &Graph) -> Vec<Vec<Value>> {
    let set: BTreeSet<String> = g.rels().map(|r| g.rel(r).rel_type.to_string()).collect();
    strings(set)
}

fn property_keys(g: &Graph) -> Vec<Vec<Value>> {
    let mut set = BTreeSet::new();
    for n in g.nodes() {
        set.extend(g.node(n).props.keys().cloned());
    }
    for r in g.rels() {
        set.extend(g.rel(r).props.keys().cloned());
    }
    strings(set)
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Str((s.to_string()).into()))
}

fn schema_kinds(g: &Graph) -> Vec<Vec<Value>> {
    let Some(schema) = g.schema.as_ref() else {
        return vec![];
    };
    schema
        .kinds
        .values()
        .map(|k| {
            vec![
                Value::Str((k.name.clone()).into()),
                opt_str(k.parent.as_deref()),
                Value::Str((k.description.clone()).into()),
                count(g.by_label(&k.name).len()),
            ]
        })
        .collect()
}

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn schema_relation_types(g: &Graph) -> Vec<Vec<Value>> {
    let Some(schema) = g.schema.as_ref() else {
        return vec![];
    };
    let list =
        |v: &[String]| Value::List(v.iter().map(|s| Value::Str((s.clone()).into())).collect());
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for ix in g.rels() {
        *counts.entry(&g.rel(ix).rel_type).or_default() += 1;
    }
    schema
        .relations
        .values()
        .map(|r| {
            let time = match r.time {
                TimeShape::Point => "point",
                TimeShape::Interval => "interval",
                TimeShape::Any => "any",
                TimeShape::Timeless => "timeless",
            };
            vec![
                Value::Str((r.name.clone()).into()),
                list(&r.from),
                list(&r.to),
                Value::Bool(r.symmetric),
                Value::Str(time.into()),
                opt_str(r.unit.as_deref()),
                list(&r.roles),
                Value::Str((r.description.clone()).into()),
                count(counts.get(r.name.as_str()).copied().unwrap_or(0)),
            ]
        })
        .collect()
}

fn schema_units(g: &Graph) -> Vec<Vec<Value>> {
    let Some(schema) = g.schema.as_ref() else {
        return vec![];
    };
    schema
        .units
        .values()
        .map(|u| {
            vec![
                Value::Str((u.name.clone()).into()),
                Value::Str((u.description.clone()).into()),
            ]
        })
        .collect()
}

/// A function's signature from its registry entry: each argument with the
/// kinds it accepts (optional ones in brackets, `...` for any number more)
/// and what it returns: `left(arg1 :: STRING, arg2 :: INTEGER) :: STRING`.
pub fn function_signature(f: &functions::Function) -> String {
    let kinds = |k: usize| {
        let accepts = f.args[k.min(f.args.len() - 1)];
        format!("arg{} :: {}", k + 1, Ty::of(accepts).signature())
    };
    // Arguments shown by name: all of them, or for a variadic function
    // its required ones (at least one) before the `...`.
    let shown = if f.max_args == usize::MAX {
        f.min_args.max(1)
    } else {
        f.max_args
    };
    let required: Vec<String> = (0..f.min_args.min(shown)).map(kinds).collect();
    let optional: Vec<String> = (f.min_args.min(shown)..shown).map(kinds).collect();
    let mut sig = required.join(", ");
    if !optional.is_empty() {
        let joined = optional.join(", ");
        sig = if sig.is_empty() {
            format!("[{joined}]")
        } else {
            format!("{sig}[, {joined}]")
        };
    }
    if f.max_args == usize::MAX {
        sig.push_str(if sig.is_empty() { "..." } else { ", ..." });
    }
    format!("{}({sig}) :: {}", f.name, f.returns.signature())
}

fn dbms_functions(_: &Graph) -> Vec<Vec<Value>> {
    let mut rows: Vec<Vec<Value>> = functions::FUNCTIONS
        .iter()
        .map(|f| {
            let sig = function_signature(f);
            vec![
                Value::Str((f.name.to_string()).into()),
                Value::Str(sig.into()),
                Value::Str((f.doc.to_string()).into()),
            ]
        })
        .collect();
    let scalar: BTreeSet<&str> = functions::FUNCTIONS.iter().map(|f| f.name).collect();
    for name in functions::names() {
        if !scalar.contains(name) {
            rows.push(vec![
                Value::Str((name.to_string()).into()),
                Value::Str((format!("{name}(arg1)")).into()),
                Value::Str("an aggregate".into()),
            ]);
        }
    }
    rows.sort_by(|a, b| a[0].total_cmp(&b[0]));
    rows
}

fn dbms_procedures(_: &Graph) -> Vec<Vec<Value>> {
    let mut rows: Vec<Vec<Value>> = builtin_signatures()
        .into_iter()
        .map(|s| {
            vec![
                Value::Str((s.name.clone()).into()),
                Value::Str((s.text()).into()),
                Value::Str((s.doc.clone()).into()),
            ]
        })
        .collect();
    rows.sort_by(|a, b| a[0].total_cmp(&b[0]));
    rows
}

/// Parses a TCK procedure declaration's signature,
/// `test.my.proc(name :: STRING?, in :: INTEGER?) :: (out :: INTEGER?)`.
pub fn parse_signature(text: &str) -> Option<Signature> {
    let text = text.trim().trim_end_matches(':').trim();
    let open = text.find('(')?;
    let name = text[..open].trim().to_string();
    let close = open + text[open..].find(')')?;
    let inputs = fields(&text[open + 1..close])?;
    let rest = text[close + 1..].trim().strip_prefix("::")?.trim();
    let rest = rest.strip_prefix('(')?;
    let end = rest.rfind(')')?;
    let outputs = fields(&rest[..end])?;
    Some(Signature {
        name,
        inputs,
        outputs,
        doc: String::new(),
    })
}

fn fields(text: &str) -> Option<Vec<(String, FieldType)>> {
    if text.trim().is_empty() {
        return Some(vec![]);
    }
    text.split(',')
        .map(|f| {
            let (n, t) = f.split_once("::")?;
            Some((n.trim().to_string(), FieldType::parse(t)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_parse() {
        let s =
            parse_signature("test.my.proc(name :: STRING?, in :: INTEGER?) :: (out :: INTEGER?):")
                .unwrap();
        assert_eq!(s.name, "test.my.proc");
        assert_eq!(s.inputs.len(), 2);
        assert_eq!(s.outputs, vec![("out".to_string(), FieldType::Integer)]);
        let s = parse_signature("test.doNothing() :: ():").unwrap();
        assert!(s.inputs.is_empty() && s.outputs.is_empty());
        assert_eq!(s.text(), "test.doNothing() :: ()",);
    }

    #[test]
    fn tables_match_arguments_by_value() {
        let t = TableProcedure {
            signature: parse_signature("p(in :: NUMBER?) :: (out :: STRING?)").unwrap(),
            rows: vec![
                (vec![Value::Int(42)], vec!["wisdom".into()]),
                (vec![Value::Float(42.3)], vec!["about right".into()]),
            ],
        };
        let tables = vec![Arc::new(t)];
        let p = lookup("p", &tables).unwrap();
        let g = Graph::new(None);
        assert_eq!(
            p.call(&g, &[Value::Float(42.0)]),
            vec![vec![Value::from("wisdom")]]
        );
        assert!(p.call(&g, &[Value::Int(7)]).is_empty());
        assert!(FieldType::Float.accepts(&Value::Int(1)));
        assert!(!FieldType::Integer.accepts(&Value::Bool(true)));
    }

    #[test]
    fn function_signatures_come_from_the_registry() {
        let sig = |n: &str| function_signature(functions::lookup(n).unwrap());
        assert_eq!(
            sig("duration.between"),
            "duration.between(arg1 :: DATE | TEMPORAL, arg2 :: DATE | TEMPORAL) :: TEMPORAL"
        );
        assert_eq!(
            sig("date"),
            "date([arg1 :: STRING | MAP | DATE | TEMPORAL]) :: DATE"
        );
        assert_eq!(
            sig("date.truncate"),
            "date.truncate(arg1 :: STRING, arg2 :: DATE | TEMPORAL[, arg3 :: MAP]) :: DATE"
        );
        assert_eq!(sig("labels"), "labels(arg1 :: NODE) :: LIST<STRING>");
        assert_eq!(sig("coalesce"), "coalesce(arg1 :: ANY, ...) :: ANY");
        assert_eq!(sig("rand"), "rand() :: FLOAT");
    }

    #[test]
    fn builtins_describe_the_graph() {
        let g = Graph::new(None);
        assert!(lookup("DB.LABELS", &[]).is_some());
        assert!(lookup("db.nope", &[]).is_none());
        let f = lookup("dbms.functions", &[]).unwrap().call(&g, &[]);
        assert!(f.iter().any(|r| r[0] == Value::from("toLower")));
        let p = lookup("dbms.procedures", &[]).unwrap().call(&g, &[]);
        assert_eq!(p.len(), BUILTINS.len());
    }
}
