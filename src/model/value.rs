//! Values: what properties hold and what queries compute.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::date::PartialDate;
use super::shared_str::SharedStr;
use super::temporal::Temporal;

/// A path through the graph: `nodes.len() == rels.len() + 1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path {
    pub nodes: Vec<NodeIndex>,
    pub rels: Vec<EdgeIndex>,
}

/// A value in the property graph or in a query's answer. Nodes, relations
/// and paths refer into the graph they came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Shared (D9): a string read from the graph goes into answers,
    /// `DISTINCT` keys and groups without being copied (`SharedStr`).
    Str(SharedStr),
    Date(PartialDate),
    /// Times, date-times and durations (boxed: `Value` stays small), and
    /// never a plain date, which is always `Date`.
    Temporal(Box<Temporal>),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Node(NodeIndex),
    Rel(EdgeIndex),
    /// Boxed: a path is two vectors, and `Value` stays small.
    Path(Box<Path>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The openCypher type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOLEAN",
            Value::Int(_) => "INTEGER",
            Value::Float(_) => "FLOAT",
            Value::Str(_) => "STRING",
            Value::Date(_) => "DATE",
            Value::Temporal(t) => t.type_name(),
            Value::List(_) => "LIST",
            Value::Map(_) => "MAP",
            Value::Node(_) => "NODE",
            Value::Rel(_) => "RELATIONSHIP",
            Value::Path(_) => "PATH",
        }
    }

    /// Rank of each type in openCypher's global sort order (ORDER BY), which
    /// puts maps, nodes, relations, lists, paths, strings, booleans, numbers
    /// and finally null in ascending order.
    fn order_rank(&self) -> u8 {
        match self {
            Value::Map(_) => 0,
            Value::Node(_) => 1,
            Value::Rel(_) => 2,
            Value::List(_) => 3,
            Value::Path(_) => 4,
            Value::Date(_) | Value::Temporal(_) => 5,
            Value::Str(_) => 6,
            Value::Bool(_) => 7,
            Value::Int(_) | Value::Float(_) => 8,
            Value::Null => 9,
        }
    }

    /// A total order over all values, as ORDER BY needs: numbers by value
    /// (NaN last among them), dates by first day then precision, null last.
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        use Value::*;
        match (self, other) {
            (Int(a), Int(b)) => a.cmp(b),
            (Int(a), Float(b)) => cmp_float(*a as f64, *b),
            (Float(a), Int(b)) => cmp_float(*a, *b as f64),
            (Float(a), Float(b)) => cmp_float(*a, *b),
            (Str(a), Str(b)) => a.cmp(b),
            (Bool(a), Bool(b)) => a.cmp(b),
            (Date(a), Date(b)) => a.sort_key().cmp(&b.sort_key()),
            (Temporal(a), Temporal(b)) => a.total_cmp(b),
            // Dates sort among the temporal values, after date-times.
            (Date(_), Temporal(b)) => 2.cmp(&b.rank()),
            (Temporal(a), Date(_)) => a.rank().cmp(&2),
            (List(a), List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let o = x.total_cmp(y);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Map(a), Map(b)) => {
                let ka: Vec<_> = a.iter().collect();
                let kb: Vec<_> = b.iter().collect();
                for ((k1, v1), (k2, v2)) in ka.iter().zip(&kb) {
                    let o = k1.cmp(k2).then_with(|| v1.total_cmp(v2));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                ka.len().cmp(&kb.len())
            }
            (Node(a), Node(b)) => a.cmp(b),
            (Rel(a), Rel(b)) => a.cmp(b),
            (Path(a), Path(b)) => a.cmp(b),
            _ => self.order_rank().cmp(&other.order_rank()),
        }
    }
}

fn cmp_float(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(SharedStr::from(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(SharedStr::from(s))
    }
}

impl From<Arc<str>> for Value {
    fn from(s: Arc<str>) -> Self {
        Value::Str(SharedStr::from(s))
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<PartialDate> for Value {
    fn from(d: PartialDate) -> Self {
        Value::Date(d)
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::List(v)
    }
}

/// Formats a float the way Cypher prints it: always with a fractional part.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// Quotes a string as a Cypher literal.
pub fn quote_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Values without graph references print as Cypher literals; graph
/// references need the graph, so they print as their index here (renderers
/// resolve them).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&format_float(*x)),
            Value::Str(s) => f.write_str(&quote_str(s)),
            Value::Date(d) => write!(f, "date('{d}')"),
            Value::Temporal(t) => {
                let func = match **t {
                    Temporal::Date(_) => "date",
                    Temporal::LocalTime(_) => "localtime",
                    Temporal::Time(_) => "time",
                    Temporal::LocalDateTime(_) => "localdatetime",
                    Temporal::DateTime(_) => "datetime",
                    Temporal::Duration(_) => "duration",
                };
                write!(f, "{func}('{t}')")
            }
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Value::Node(n) => write!(f, "(#{})", n.index()),
            Value::Rel(r) => write!(f, "[#{}]", r.index()),
            Value::Path(p) => write!(f, "<path of {} hops>", p.rels.len()),
        }
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// D9: values stay small; large variants (temporal values, paths) are
    /// boxed.
    #[test]
    fn value_stays_small() {
        assert_eq!(std::mem::size_of::<Value>(), 32);
        assert!(std::mem::size_of::<Box<Temporal>>() == 8);
    }

    /// A node's id comes out shared, and follows nodes added later.
    #[test]
    fn ids_are_shared_values() {
        use crate::model::{Graph, Node, Props};
        let node = |id: &str| Node {
            id: id.to_string(),
            labels: vec!["Person".to_string()],
            props: Props::new(),
        };
        let mut g = Graph::default();
        let a = g.add_node(node("a"));
        let (Value::Str(x), Value::Str(y)) = (g.id_value(a), g.id_value(a)) else {
            panic!("ids are strings")
        };
        assert_eq!(&*x, "a");
        assert!(x.shares(&y));
        let b = g.add_node(node("b"));
        assert_eq!(g.id_value(b), Value::from("b"));
        assert_eq!(g.id_value(a), Value::from("a"));
    }
}
