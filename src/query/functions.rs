//! Built-in functions, registered by name (looked up ignoring case), and
//! the aggregates.
//!
//! A scalar function is a plain `fn(&Graph, &[Value]) -> Result<Value>`:
//! the planner checks its arity and the evaluator calls it with the
//! evaluated arguments. Functions return null for a null argument unless
//! they are about nulls (`coalesce`, `exists`). Aggregates are only named
//! here; the evaluator keeps their accumulators.

use petgraph::Direction;

use super::error::{ErrorKind, QueryError};

mod temporal;

use crate::model::{Graph, PartialDate, Path, Value};
pub use temporal::reset_clock;

pub type FnResult = Result<Value, QueryError>;

/// A scalar function.
pub struct Function {
    pub name: &'static str,
    pub min_args: usize,
    pub max_args: usize,
    pub call: fn(&Graph, &[Value]) -> FnResult,
    /// One line for `:help` and completion.
    pub doc: &'static str,
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}()", self.name)
    }
}

/// The aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggKind {
    Count,
    Collect,
    Sum,
    Avg,
    Min,
    Max,
    StDev,
    StDevP,
    PercentileDisc,
    PercentileCont,
}

impl AggKind {
    /// How many arguments the aggregate takes.
    pub fn arity(self) -> usize {
        match self {
            AggKind::PercentileDisc | AggKind::PercentileCont => 2,
            _ => 1,
        }
    }
}

/// The aggregates by name.
const AGGREGATES: &[(&str, AggKind)] = &[
    ("count", AggKind::Count),
    ("collect", AggKind::Collect),
    ("sum", AggKind::Sum),
    ("avg", AggKind::Avg),
    ("min", AggKind::Min),
    ("max", AggKind::Max),
    ("stDev", AggKind::StDev),
    ("stDevP", AggKind::StDevP),
    ("percentileDisc", AggKind::PercentileDisc),
    ("percentileCont", AggKind::PercentileCont),
];

/// The aggregate of this name, ignoring case.
pub fn aggregate(name: &str) -> Option<AggKind> {
    AGGREGATES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, k)| *k)
}

/// The scalar function of this name, ignoring case.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// Every function name, scalar and aggregate, for suggestions and completion.
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS
        .iter()
        .map(|f| f.name)
        .chain(AGGREGATES.iter().map(|(n, _)| *n))
}

const MANY: usize = usize::MAX;

macro_rules! f {
    ($name:literal, $min:expr, $max:expr, $call:expr, $doc:literal) => {
        Function {
            name: $name,
            min_args: $min,
            max_args: $max,
            call: $call,
            doc: $doc,
        }
    };
}

pub static FUNCTIONS: &[Function] = &[
    f!("id", 1, 1, id, "the id of a node (`putin`) or relation"),
    f!(
        "kind",
        1,
        1,
        kind,
        "the kind of an entity: its most specific label"
    ),
    f!(
        "labels",
        1,
        1,
        labels,
        "the labels of a node, most specific first"
    ),
    f!("type", 1, 1, rel_type, "the type of a relation"),
    f!(
        "name",
        1,
        1,
        name,
        "the display name of a node (its id when it has no name)"
    ),
    f!(
        "properties",
        1,
        1,
        properties,
        "the properties of a node, relation or map, as a map"
    ),
    f!(
        "keys",
        1,
        1,
        keys,
        "the property keys of a node, relation or map"
    ),
    f!("length", 1, 1, length, "the number of relations in a path"),
    f!("nodes", 1, 1, nodes, "the nodes of a path"),
    f!(
        "relationships",
        1,
        1,
        relationships,
        "the relations of a path"
    ),
    f!("size", 1, 1, size, "the length of a list or a string"),
    f!(
        "coalesce",
        1,
        MANY,
        coalesce,
        "the first argument that is not null"
    ),
    f!("toLower", 1, 1, to_lower, "a string in lower case"),
    f!("toUpper", 1, 1, to_upper, "a string in upper case"),
    f!(
        "trim",
        1,
        1,
        trim,
        "a string without leading and trailing spaces"
    ),
    f!("ltrim", 1, 1, ltrim, "a string without leading spaces"),
    f!("rtrim", 1, 1, rtrim, "a string without trailing spaces"),
    f!(
        "toString",
        1,
        1,
        to_string,
        "a number, boolean, date or string as a string"
    ),
    f!(
        "toInteger",
        1,
        1,
        to_integer,
        "a number, boolean or string as an integer (null if it is not one)"
    ),
    f!(
        "toFloat",
        1,
        1,
        to_float,
        "a number or string as a float (null if it is not one)"
    ),
    f!(
        "toBoolean",
        1,
        1,
        to_boolean,
        "a boolean or string as a boolean (null if it is not one)"
    ),
    f!(
        "date",
        0,
        1,
        temporal::date,
        "a date from `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, a map or another temporal value (today without one)"
    ),
    f!(
        "localtime",
        0,
        1,
        temporal::localtime,
        "a time of day without a zone, from `HH:MM[:SS[.fff]]`, a map or another temporal value"
    ),
    f!(
        "time",
        0,
        1,
        temporal::time,
        "a time of day with an offset, from `HH:MM[:SS]+01:00`, a map or another temporal value"
    ),
    f!(
        "localdatetime",
        0,
        1,
        temporal::localdatetime,
        "a date and time without a zone, from `YYYY-MM-DDTHH:MM`, a map or another temporal value"
    ),
    f!(
        "datetime",
        0,
        1,
        temporal::datetime,
        "a date and time in a zone, from `YYYY-MM-DDTHH:MM+01:00[Europe/Paris]`, a map or another temporal value"
    ),
    f!(
        "duration",
        1,
        1,
        temporal::duration,
        "a duration from ISO 8601 (`P1Y2M3DT4H`) or a map of years, months, weeks, days, hours..."
    ),
    f!(
        "duration.between",
        2,
        2,
        temporal::duration_between,
        "the duration from one temporal value to another, in months, days and seconds"
    ),
    f!(
        "duration.inMonths",
        2,
        2,
        temporal::duration_in_months,
        "the whole months from one temporal value to another"
    ),
    f!(
        "duration.inDays",
        2,
        2,
        temporal::duration_in_days,
        "the whole days from one temporal value to another"
    ),
    f!(
        "duration.inSeconds",
        2,
        2,
        temporal::duration_in_seconds,
        "the seconds from one temporal value to another"
    ),
    f!(
        "date.truncate",
        2,
        3,
        temporal::date_truncate,
        "a temporal value truncated to a unit (`'month'`, `'week'`...) as a date, fields from the map"
    ),
    f!(
        "localtime.truncate",
        2,
        3,
        temporal::localtime_truncate,
        "a temporal value truncated to a unit as a local time"
    ),
    f!(
        "time.truncate",
        2,
        3,
        temporal::time_truncate,
        "a temporal value truncated to a unit as a time"
    ),
    f!(
        "localdatetime.truncate",
        2,
        3,
        temporal::localdatetime_truncate,
        "a temporal value truncated to a unit as a local date-time"
    ),
    f!(
        "datetime.truncate",
        2,
        3,
        temporal::datetime_truncate,
        "a temporal value truncated to a unit as a date-time"
    ),
    f!(
        "datetime.fromepoch",
        2,
        2,
        temporal::datetime_fromepoch,
        "the UTC date-time of seconds and nanoseconds since 1970-01-01"
    ),
    f!(
        "datetime.fromepochmillis",
        1,
        1,
        temporal::datetime_fromepochmillis,
        "the UTC date-time of milliseconds since 1970-01-01"
    ),
    f!(
        "date.statement",
        0,
        1,
        temporal::date_now,
        "today (in a zone)"
    ),
    f!(
        "date.transaction",
        0,
        1,
        temporal::date_now,
        "today (in a zone)"
    ),
    f!(
        "date.realtime",
        0,
        1,
        temporal::date_now,
        "today (in a zone)"
    ),
    f!(
        "localtime.statement",
        0,
        1,
        temporal::localtime_now,
        "the time now (in a zone)"
    ),
    f!(
        "localtime.transaction",
        0,
        1,
        temporal::localtime_now,
        "the time now (in a zone)"
    ),
    f!(
        "localtime.realtime",
        0,
        1,
        temporal::localtime_now,
        "the time now (in a zone)"
    ),
    f!(
        "time.statement",
        0,
        1,
        temporal::time_now,
        "the time now (in a zone)"
    ),
    f!(
        "time.transaction",
        0,
        1,
        temporal::time_now,
        "the time now (in a zone)"
    ),
    f!(
        "time.realtime",
        0,
        1,
        temporal::time_now,
        "the time now (in a zone)"
    ),
    f!(
        "localdatetime.statement",
        0,
        1,
        temporal::localdatetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "localdatetime.transaction",
        0,
        1,
        temporal::localdatetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "localdatetime.realtime",
        0,
        1,
        temporal::localdatetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "datetime.statement",
        0,
        1,
        temporal::datetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "datetime.transaction",
        0,
        1,
        temporal::datetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "datetime.realtime",
        0,
        1,
        temporal::datetime_now,
        "the date-time now (in a zone)"
    ),
    f!("startNode", 1, 1, start_node, "the node a relation leaves"),
    f!("endNode", 1, 1, end_node, "the node a relation enters"),
    f!(
        "degree",
        1,
        1,
        degree,
        "the number of relations of a node, both directions"
    ),
    f!("head", 1, 1, head, "the first element of a list"),
    f!("last", 1, 1, last, "the last element of a list"),
    f!("tail", 1, 1, tail, "a list without its first element"),
    f!(
        "range",
        2,
        3,
        range,
        "the integers from start to end inclusive, by step"
    ),
    f!("reverse", 1, 1, reverse, "a list or string reversed"),
    f!(
        "substring",
        2,
        3,
        substring,
        "part of a string from start (0-based), of length"
    ),
    f!("left", 2, 2, left, "the first n characters of a string"),
    f!("right", 2, 2, right, "the last n characters of a string"),
    f!(
        "replace",
        3,
        3,
        replace,
        "a string with every occurrence of one text replaced"
    ),
    f!("split", 2, 2, split, "a string split at a delimiter"),
    f!("abs", 1, 1, abs, "the absolute value of a number"),
    f!("sign", 1, 1, sign, "-1, 0 or 1"),
    f!(
        "ceil",
        1,
        1,
        ceil,
        "the smallest integral float not below a number"
    ),
    f!(
        "floor",
        1,
        1,
        floor,
        "the largest integral float not above a number"
    ),
    f!(
        "round",
        1,
        1,
        round,
        "a number rounded to the nearest integral float"
    ),
    f!("sqrt", 1, 1, sqrt, "the square root of a number"),
    f!("exists", 1, 1, exists, "whether a value is not null"),
    f!(
        "toStringOrNull",
        1,
        1,
        to_string_or_null,
        "like `toString`, but null for a value it cannot convert"
    ),
    f!(
        "toIntegerOrNull",
        1,
        1,
        to_integer_or_null,
        "like `toInteger`, but null for a value it cannot convert"
    ),
    f!(
        "toFloatOrNull",
        1,
        1,
        to_float_or_null,
        "like `toFloat`, but null for a value it cannot convert"
    ),
    f!(
        "toBooleanOrNull",
        1,
        1,
        to_boolean_or_null,
        "like `toBoolean`, but null for a value it cannot convert"
    ),
    f!(
        "rand",
        0,
        0,
        rand,
        "a random float from 0 (included) to 1 (excluded)"
    ),
    f!("pi", 0, 0, pi, "the number π"),
    f!("e", 0, 0, e, "the number e"),
    f!("exp", 1, 1, exp, "e raised to a number"),
    f!("log", 1, 1, log, "the natural logarithm of a number"),
    f!("log10", 1, 1, log10, "the base-10 logarithm of a number"),
    f!("sin", 1, 1, sin, "the sine of an angle in radians"),
    f!("cos", 1, 1, cos, "the cosine of an angle in radians"),
    f!("tan", 1, 1, tan, "the tangent of an angle in radians"),
    f!("cot", 1, 1, cot, "the cotangent of an angle in radians"),
    f!("asin", 1, 1, asin, "the arcsine of a number, in radians"),
    f!("acos", 1, 1, acos, "the arccosine of a number, in radians"),
    f!("atan", 1, 1, atan, "the arctangent of a number, in radians"),
    f!(
        "atan2",
        2,
        2,
        atan2,
        "the angle in radians of the point (x, y), given y then x"
    ),
    f!("degrees", 1, 1, degrees, "radians converted to degrees"),
    f!("radians", 1, 1, radians, "degrees converted to radians"),
    f!(
        "haversin",
        1,
        1,
        haversin,
        "half the versine of an angle in radians"
    ),
];

/// A function given, at runtime, an argument of a type it does not take.
/// openCypher calls this an invalid argument *value* (`toBoolean(x)` where
/// `x` turns out to be a float); an argument whose type is wrong already
/// in the query text is refused at compile time (`types.rs`).
pub fn arg_error(func: &str, expected: &str, got: &Value) -> QueryError {
    QueryError::new(
        ErrorKind::Runtime,
        format!("`{func}` expects {expected}, got {}", got.type_name()),
        None,
    )
    .with_code("InvalidArgumentValue")
}

fn value_error(message: String) -> QueryError {
    QueryError::new(ErrorKind::Runtime, message, None).with_code("InvalidArgumentValue")
}

fn id(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => Value::Str(g.node(*ix).id.clone()),
        Value::Rel(ix) => match g.rel(*ix).props.get("id") {
            Some(v) => v.clone(),
            None => Value::Int(ix.index() as i64),
        },
        v => return Err(arg_error("id", "a node or a relation", v)),
    })
}

fn kind(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => g.node(*ix).kind().map_or(Value::Null, Value::from),
        v => return Err(arg_error("kind", "a node", v)),
    })
}

fn labels(g: &Graph, a: &[Value]) -> FnResult {
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

fn rel_type(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Rel(ix) => Value::from(g.rel(*ix).rel_type.as_str()),
        v => return Err(arg_error("type", "a relation", v)),
    })
}

fn name(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => Value::from(g.node(*ix).display_name()),
        v => return Err(arg_error("name", "a node", v)),
    })
}

fn properties(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => Value::Map(g.node(*ix).props.to_map()),
        Value::Rel(ix) => Value::Map(g.rel(*ix).props.to_map()),
        Value::Map(m) => Value::Map(m.clone()),
        v => return Err(arg_error("properties", "a node, a relation or a map", v)),
    })
}

fn keys(g: &Graph, a: &[Value]) -> FnResult {
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

fn length(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Path(p) => Value::Int(p.rels.len() as i64),
        Value::List(l) => Value::Int(l.len() as i64),
        Value::Str(s) => Value::Int(s.chars().count() as i64),
        v => return Err(arg_error("length", "a path", v)),
    })
}

fn nodes(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Path(Path { nodes, .. }) => {
            Value::List(nodes.iter().map(|n| Value::Node(*n)).collect())
        }
        v => return Err(arg_error("nodes", "a path", v)),
    })
}

fn relationships(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Path(Path { rels, .. }) => {
            Value::List(rels.iter().map(|r| Value::Rel(*r)).collect())
        }
        v => return Err(arg_error("relationships", "a path", v)),
    })
}

fn size(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::List(l) => Value::Int(l.len() as i64),
        Value::Str(s) => Value::Int(s.chars().count() as i64),
        Value::Map(m) => Value::Int(m.len() as i64),
        v => return Err(arg_error("size", "a list or a string", v)),
    })
}

fn coalesce(_: &Graph, a: &[Value]) -> FnResult {
    Ok(a.iter()
        .find(|v| !v.is_null())
        .cloned()
        .unwrap_or(Value::Null))
}

fn string_fn(func: &str, a: &[Value], f: impl Fn(&str) -> String) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Str(s) => Value::Str(f(s)),
        v => return Err(arg_error(func, "a string", v)),
    })
}

fn to_lower(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("toLower", a, str::to_lowercase)
}

fn to_upper(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("toUpper", a, str::to_uppercase)
}

fn trim(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("trim", a, |s| s.trim().to_string())
}

fn ltrim(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("ltrim", a, |s| s.trim_start().to_string())
}

fn rtrim(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("rtrim", a, |s| s.trim_end().to_string())
}

fn to_string(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Str(s) => Value::Str(s.clone()),
        Value::Int(i) => Value::Str(i.to_string()),
        Value::Float(f) => Value::Str(crate::model::value::format_float(*f)),
        Value::Bool(b) => Value::Str(b.to_string()),
        Value::Date(d) => Value::Str(d.to_string()),
        Value::Temporal(t) => Value::Str(t.to_string()),
        v => {
            return Err(arg_error(
                "toString",
                "a number, boolean, date or string",
                v,
            ));
        }
    })
}

/// A float as an integer, truncated toward zero; `None` out of range.
fn float_to_int(f: f64) -> Option<i64> {
    let t = f.trunc();
    if t.is_finite() && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&t) {
        Some(t as i64)
    } else {
        None
    }
}

fn to_integer(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Int(i) => Value::Int(*i),
        Value::Float(f) => float_to_int(*f).map_or(Value::Null, Value::Int),
        Value::Bool(b) => Value::Int(i64::from(*b)),
        Value::Str(s) => {
            let s = s.trim();
            match s.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => s
                    .parse::<f64>()
                    .ok()
                    .and_then(float_to_int)
                    .map_or(Value::Null, Value::Int),
            }
        }
        v => return Err(arg_error("toInteger", "a number, boolean or string", v)),
    })
}

fn to_float(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Int(i) => Value::Float(*i as f64),
        Value::Float(f) => Value::Float(*f),
        Value::Str(s) => s.trim().parse::<f64>().map_or(Value::Null, Value::Float),
        v => return Err(arg_error("toFloat", "a number or string", v)),
    })
}

fn to_boolean(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Bool(*i != 0),
        Value::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Null,
        },
        v => return Err(arg_error("toBoolean", "a boolean, integer or string", v)),
    })
}

/// Parses a date for `date()` and for comparisons with strings.
pub fn parse_date(text: &str) -> Result<PartialDate, QueryError> {
    PartialDate::parse(text.trim()).map_err(|e| value_error(e.0))
}

fn start_node(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Rel(ix) => Value::Node(g.endpoints(*ix).0),
        v => return Err(arg_error("startNode", "a relation", v)),
    })
}

fn end_node(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Rel(ix) => Value::Node(g.endpoints(*ix).1),
        v => return Err(arg_error("endNode", "a relation", v)),
    })
}

fn degree(g: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Node(ix) => {
            let out = g.rels_of(*ix, Direction::Outgoing).count();
            // A self-loop counts once.
            let inc = g
                .graph
                .edges_directed(*ix, Direction::Incoming)
                .filter(|e| petgraph::visit::EdgeRef::source(e) != *ix)
                .count();
            Value::Int((out + inc) as i64)
        }
        v => return Err(arg_error("degree", "a node", v)),
    })
}

fn list_fn(func: &str, a: &[Value], f: impl Fn(&[Value]) -> Value) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::List(l) => f(l),
        v => return Err(arg_error(func, "a list", v)),
    })
}

fn head(_: &Graph, a: &[Value]) -> FnResult {
    list_fn("head", a, |l| l.first().cloned().unwrap_or(Value::Null))
}

fn last(_: &Graph, a: &[Value]) -> FnResult {
    list_fn("last", a, |l| l.last().cloned().unwrap_or(Value::Null))
}

fn tail(_: &Graph, a: &[Value]) -> FnResult {
    list_fn("tail", a, |l| {
        Value::List(l.iter().skip(1).cloned().collect())
    })
}

fn int_arg(func: &str, v: &Value) -> Result<Option<i64>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        v => Err(arg_error(func, "an integer", v)),
    }
}

/// Lists longer than this are refused rather than built.
pub const MAX_LIST: i64 = 10_000_000;

fn range(_: &Graph, a: &[Value]) -> FnResult {
    // `range` bounds of another type are a type error, as in openCypher.
    let int_arg =
        |f: &str, v: &Value| int_arg(f, v).map_err(|e| e.with_code("InvalidArgumentType"));
    let (Some(start), Some(end)) = (int_arg("range", &a[0])?, int_arg("range", &a[1])?) else {
        return Ok(Value::Null);
    };
    let step = match a.get(2) {
        Some(v) => match int_arg("range", v)? {
            Some(s) => s,
            None => return Ok(Value::Null),
        },
        None => 1,
    };
    if step == 0 {
        return Err(QueryError::new(
            ErrorKind::Runtime,
            "`range` needs a step other than 0",
            None,
        )
        .with_code("NumberOutOfRange"));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (i128::from(end) - i128::from(start)) / i128::from(step) + 1
    };
    if count > i128::from(MAX_LIST) {
        return Err(QueryError::new(
            ErrorKind::Limit,
            format!("`range` would build a list of {count} elements; the limit is {MAX_LIST}"),
            None,
        ));
    }
    let mut out = Vec::with_capacity(count as usize);
    let mut x = i128::from(start);
    for _ in 0..count {
        out.push(Value::Int(x as i64));
        x += i128::from(step);
    }
    Ok(Value::List(out))
}

fn reverse(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::List(l) => Value::List(l.iter().rev().cloned().collect()),
        Value::Str(s) => Value::Str(s.chars().rev().collect()),
        v => return Err(arg_error("reverse", "a list or a string", v)),
    })
}

fn non_negative(func: &str, v: &Value) -> Result<Option<usize>, QueryError> {
    match int_arg(func, v)? {
        None => Ok(None),
        Some(i) if i < 0 => Err(value_error(format!(
            "`{func}` expects a non-negative integer, got {i}"
        ))
        .with_code("NegativeIntegerArgument")),
        Some(i) => Ok(Some(i as usize)),
    }
}

fn substring(_: &Graph, a: &[Value]) -> FnResult {
    let s = match &a[0] {
        Value::Null => return Ok(Value::Null),
        Value::Str(s) => s,
        v => return Err(arg_error("substring", "a string", v)),
    };
    let Some(start) = non_negative("substring", &a[1])? else {
        return Ok(Value::Null);
    };
    let len = match a.get(2) {
        Some(v) => match non_negative("substring", v)? {
            Some(n) => n,
            None => return Ok(Value::Null),
        },
        None => usize::MAX,
    };
    Ok(Value::Str(s.chars().skip(start).take(len).collect()))
}

fn left(_: &Graph, a: &[Value]) -> FnResult {
    let s = match &a[0] {
        Value::Null => return Ok(Value::Null),
        Value::Str(s) => s,
        v => return Err(arg_error("left", "a string", v)),
    };
    let Some(n) = non_negative("left", &a[1])? else {
        return Err(value_error("`left` needs a length, got null".into()));
    };
    Ok(Value::Str(s.chars().take(n).collect()))
}

fn right(_: &Graph, a: &[Value]) -> FnResult {
    let s = match &a[0] {
        Value::Null => return Ok(Value::Null),
        Value::Str(s) => s,
        v => return Err(arg_error("right", "a string", v)),
    };
    let Some(n) = non_negative("right", &a[1])? else {
        return Err(value_error("`right` needs a length, got null".into()));
    };
    let total = s.chars().count();
    Ok(Value::Str(
        s.chars().skip(total.saturating_sub(n)).collect(),
    ))
}

fn replace(_: &Graph, a: &[Value]) -> FnResult {
    match (&a[0], &a[1], &a[2]) {
        (Value::Str(s), Value::Str(from), Value::Str(to)) => {
            Ok(Value::Str(s.replace(from.as_str(), to)))
        }
        (Value::Null, _, _) | (_, Value::Null, _) | (_, _, Value::Null) => Ok(Value::Null),
        (v, _, _) if v.as_str().is_none() => Err(arg_error("replace", "a string", v)),
        (_, v, _) if v.as_str().is_none() => Err(arg_error("replace", "a string", v)),
        (_, _, v) => Err(arg_error("replace", "a string", v)),
    }
}

fn split(_: &Graph, a: &[Value]) -> FnResult {
    match (&a[0], &a[1]) {
        (Value::Str(s), Value::Str(d)) => {
            let parts: Vec<Value> = if d.is_empty() {
                s.chars().map(|c| Value::Str(c.to_string())).collect()
            } else {
                s.split(d.as_str()).map(Value::from).collect()
            };
            Ok(Value::List(parts))
        }
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::Str(_), v) | (v, _) => Err(arg_error("split", "a string", v)),
    }
}

fn number_fn(
    func: &str,
    a: &[Value],
    int: impl Fn(i64) -> FnResult,
    float: impl Fn(f64) -> Value,
) -> FnResult {
    match &a[0] {
        Value::Null => Ok(Value::Null),
        Value::Int(i) => int(*i),
        Value::Float(f) => Ok(float(*f)),
        v => Err(arg_error(func, "a number", v)),
    }
}

fn abs(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "abs",
        a,
        |i| {
            i.checked_abs().map(Value::Int).ok_or_else(|| {
                QueryError::new(ErrorKind::Runtime, "integer overflow in `abs`", None)
                    .with_code("IntegerOverflow")
            })
        },
        |f| Value::Float(f.abs()),
    )
}

fn sign(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "sign",
        a,
        |i| Ok(Value::Int(i.signum())),
        |f| {
            if f.is_nan() {
                Value::Float(f)
            } else if f == 0.0 {
                Value::Int(0)
            } else {
                Value::Int(f.signum() as i64)
            }
        },
    )
}

fn ceil(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "ceil",
        a,
        |i| Ok(Value::Float(i as f64)),
        |f| Value::Float(f.ceil()),
    )
}

fn floor(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "floor",
        a,
        |i| Ok(Value::Float(i as f64)),
        |f| Value::Float(f.floor()),
    )
}

fn round(_: &Graph, a: &[Value]) -> FnResult {
    // Cypher rounds half up (toward positive infinity): round(-1.5) = -1.0.
    number_fn(
        "round",
        a,
        |i| Ok(Value::Float(i as f64)),
        |f| Value::Float((f + 0.5).floor()),
    )
}

fn sqrt(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "sqrt",
        a,
        |i| Ok(Value::Float((i as f64).sqrt())),
        |f| Value::Float(f.sqrt()),
    )
}

fn exists(_: &Graph, a: &[Value]) -> FnResult {
    Ok(Value::Bool(!a[0].is_null()))
}

/// Runs a conversion, turning a refused argument into null.
fn or_null(f: fn(&Graph, &[Value]) -> FnResult, g: &Graph, a: &[Value]) -> FnResult {
    Ok(f(g, a).unwrap_or(Value::Null))
}

fn to_string_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_string, g, a)
}

fn to_integer_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_integer, g, a)
}

fn to_float_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_float, g, a)
}

fn to_boolean_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_boolean, g, a)
}

/// Whether a function gives a different answer each time it is called with
/// the same arguments.
pub fn is_random(f: &Function) -> bool {
    f.name == "rand"
}

fn rand(_: &Graph, _: &[Value]) -> FnResult {
    use std::hash::{BuildHasher, Hasher};
    // The standard library's randomly keyed hasher is the source: each
    // `RandomState` has fresh keys.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0x9e37_79b9_7f4a_7c15);
    let bits = h.finish() >> 11;
    Ok(Value::Float(bits as f64 / (1u64 << 53) as f64))
}

fn pi(_: &Graph, _: &[Value]) -> FnResult {
    Ok(Value::Float(std::f64::consts::PI))
}

fn e(_: &Graph, _: &[Value]) -> FnResult {
    Ok(Value::Float(std::f64::consts::E))
}

fn float_fn(func: &str, a: &[Value], f: impl Fn(f64) -> f64) -> FnResult {
    match &a[0] {
        Value::Null => Ok(Value::Null),
        Value::Int(i) => Ok(Value::Float(f(*i as f64))),
        Value::Float(x) => Ok(Value::Float(f(*x))),
        v => Err(arg_error(func, "a number", v)),
    }
}

fn exp(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("exp", a, f64::exp)
}

fn log(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("log", a, f64::ln)
}

fn log10(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("log10", a, f64::log10)
}

fn sin(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("sin", a, f64::sin)
}

fn cos(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("cos", a, f64::cos)
}

fn tan(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("tan", a, f64::tan)
}

fn cot(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("cot", a, |x| 1.0 / x.tan())
}

fn asin(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("asin", a, f64::asin)
}

fn acos(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("acos", a, f64::acos)
}

fn atan(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("atan", a, f64::atan)
}

fn atan2(_: &Graph, a: &[Value]) -> FnResult {
    let num = |v: &Value| match v {
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Float(f) => Ok(Some(*f)),
        Value::Null => Ok(None),
        v => Err(arg_error("atan2", "a number", v)),
    };
    Ok(match (num(&a[0])?, num(&a[1])?) {
        (Some(y), Some(x)) => Value::Float(y.atan2(x)),
        _ => Value::Null,
    })
}

fn degrees(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("degrees", a, f64::to_degrees)
}

fn radians(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("radians", a, f64::to_radians)
}

fn haversin(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("haversin", a, |x| (1.0 - x.cos()) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[Value]) -> Value {
        let g = Graph::default();
        (lookup(name).unwrap().call)(&g, args).unwrap()
    }

    #[test]
    fn lookup_ignores_case() {
        assert!(lookup("TOLOWER").is_some());
        assert!(lookup("nope").is_none());
        assert_eq!(aggregate("COUNT"), Some(AggKind::Count));
    }

    #[test]
    fn conversions() {
        assert_eq!(call("toInteger", &["2.7".into()]), Value::Int(2));
        assert_eq!(call("toInteger", &["x".into()]), Value::Null);
        assert_eq!(call("toFloat", &[Value::Int(2)]), Value::Float(2.0));
        assert_eq!(call("toBoolean", &[" TRUE ".into()]), Value::Bool(true));
        assert_eq!(call("round", &[Value::Float(-1.5)]), Value::Float(-1.0));
        assert_eq!(
            call("range", &[Value::Int(1), Value::Int(5), Value::Int(2)]).to_string(),
            "[1, 3, 5]"
        );
        assert_eq!(
            call("range", &[Value::Int(5), Value::Int(1)]).to_string(),
            "[]"
        );
        assert_eq!(
            call("substring", &["hello".into(), Value::Int(1), Value::Int(3)]),
            Value::from("ell")
        );
        assert_eq!(
            call("right", &["hello".into(), Value::Int(2)]),
            Value::from("lo")
        );
    }
}
