//! Built-in functions, registered by name (looked up ignoring case), and
//! the aggregates.
//!
//! A scalar function is a plain `fn(&Graph, &[Value]) -> Result<Value>`:
//! the planner checks its arity and the evaluator calls it with the
//! evaluated arguments. Functions return null for a null argument unless
//! they are about nulls (`coalesce`, `exists`). Aggregates are only named
//! here; the evaluator keeps their accumulators.

use super::error::{ErrorKind, QueryError};
use super::kinds::{
    ALL, BOOL, DATE, FLOAT, INT, LIST, MAP, NODE, NULL, NUM, PATH, REL, STR, TEMPORAL, Ty,
};
use crate::model::{Graph, PartialDate, Value};

mod aggregate;
mod convert;
mod date;
mod graph;
mod list;
mod numeric;
mod string;
mod temporal;

pub use aggregate::{AggKind, aggregate};
pub use date::parse_date;
pub use numeric::is_random;
pub use temporal::{precision_note, reset_clock};

use aggregate::AGGREGATES;
use convert::*;
use date::*;
use graph::*;
use list::*;
use numeric::*;
use string::*;

pub type FnResult = Result<Value, QueryError>;

/// A scalar function: one entry of the registry, which the planner, the
/// type check, the evaluator, the highlighter and the completer all read.
pub struct Function {
    pub name: &'static str,
    pub min_args: usize,
    pub max_args: usize,
    /// The kinds each argument accepts (`kinds::NODE | kinds::REL`...); the
    /// last entry stands for any further arguments.
    pub args: &'static [u16],
    /// What it returns (null aside: see `nulls`).
    pub returns: Ty,
    pub nulls: Nulls,
    pub call: fn(&Graph, &[Value]) -> FnResult,
    /// One line for `:help` and completion.
    pub doc: &'static str,
}

/// What a function does with null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// A null argument gives null (most functions).
    Propagate,
    /// It is about nulls and decides itself (`coalesce`, `exists`, the
    /// `...OrNull` conversions, which also give null for what they refuse).
    Handle,
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}()", self.name)
    }
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
    ($name:literal, $min:expr, $max:expr, $args:expr, $returns:expr, $nulls:ident, $call:expr, $doc:literal) => {
        Function {
            name: $name,
            min_args: $min,
            max_args: $max,
            args: $args,
            returns: $returns,
            nulls: Nulls::$nulls,
            call: $call,
            doc: $doc,
        }
    };
}

pub static FUNCTIONS: &[Function] = &[
    f!(
        "id",
        1,
        1,
        &[NODE | REL],
        Ty::ANY,
        Propagate,
        id,
        "the id of a node (`putin`) or relation"
    ),
    f!(
        "kind",
        1,
        1,
        &[NODE],
        Ty::of(STR | NULL),
        Propagate,
        kind,
        "the kind of an entity: its most specific label"
    ),
    f!(
        "labels",
        1,
        1,
        &[NODE],
        Ty::list(STR),
        Propagate,
        labels,
        "the labels of a node, most specific first"
    ),
    f!(
        "type",
        1,
        1,
        &[REL],
        Ty::of(STR),
        Propagate,
        rel_type,
        "the type of a relation"
    ),
    f!(
        "name",
        1,
        1,
        &[NODE],
        Ty::of(STR | NULL),
        Propagate,
        name,
        "the display name of a node (its id when it has no name)"
    ),
    f!(
        "properties",
        1,
        1,
        &[NODE | REL | MAP],
        Ty::of(MAP),
        Propagate,
        properties,
        "the properties of a node, relation or map, as a map"
    ),
    f!(
        "keys",
        1,
        1,
        &[NODE | REL | MAP],
        Ty::list(STR),
        Propagate,
        keys,
        "the property keys of a node, relation or map"
    ),
    f!(
        "length",
        1,
        1,
        &[PATH | LIST | STR],
        Ty::of(INT),
        Propagate,
        length,
        "the number of relations in a path"
    ),
    f!(
        "nodes",
        1,
        1,
        &[PATH],
        Ty::list(NODE),
        Propagate,
        nodes,
        "the nodes of a path"
    ),
    f!(
        "relationships",
        1,
        1,
        &[PATH],
        Ty::list(REL),
        Propagate,
        relationships,
        "the relations of a path"
    ),
    f!(
        "size",
        1,
        1,
        &[LIST | STR | MAP],
        Ty::of(INT),
        Propagate,
        size,
        "the length of a list or a string"
    ),
    f!(
        "coalesce",
        1,
        MANY,
        &[ALL],
        Ty::ANY,
        Handle,
        coalesce,
        "the first argument that is not null"
    ),
    f!(
        "toLower",
        1,
        1,
        &[STR],
        Ty::of(STR),
        Propagate,
        to_lower,
        "a string in lower case"
    ),
    f!(
        "toUpper",
        1,
        1,
        &[STR],
        Ty::of(STR),
        Propagate,
        to_upper,
        "a string in upper case"
    ),
    f!(
        "trim",
        1,
        1,
        &[STR],
        Ty::of(STR),
        Propagate,
        trim,
        "a string without leading and trailing spaces"
    ),
    f!(
        "ltrim",
        1,
        1,
        &[STR],
        Ty::of(STR),
        Propagate,
        ltrim,
        "a string without leading spaces"
    ),
    f!(
        "rtrim",
        1,
        1,
        &[STR],
        Ty::of(STR),
        Propagate,
        rtrim,
        "a string without trailing spaces"
    ),
    f!(
        "toString",
        1,
        1,
        &[STR | NUM | BOOL | DATE | TEMPORAL],
        Ty::of(STR),
        Propagate,
        to_string,
        "a number, boolean, temporal value or string as a string"
    ),
    f!(
        "toInteger",
        1,
        1,
        &[STR | NUM | BOOL],
        Ty::of(INT),
        Propagate,
        to_integer,
        "a number, boolean or string as an integer (null if it is not one)"
    ),
    f!(
        "toFloat",
        1,
        1,
        &[STR | NUM],
        Ty::of(FLOAT),
        Propagate,
        to_float,
        "a number or string as a float (null if it is not one)"
    ),
    f!(
        "toBoolean",
        1,
        1,
        &[STR | BOOL | INT],
        Ty::of(BOOL),
        Propagate,
        to_boolean,
        "a boolean or string as a boolean (null if it is not one)"
    ),
    f!(
        "date",
        0,
        1,
        &[STR | MAP | DATE | TEMPORAL],
        Ty::of(DATE),
        Propagate,
        temporal::date,
        "a date from `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, a map or another temporal value (today without one)"
    ),
    f!(
        "localtime",
        0,
        1,
        &[STR | MAP | DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localtime,
        "a time of day without a zone, from `HH:MM[:SS[.fff]]`, a map or another temporal value"
    ),
    f!(
        "time",
        0,
        1,
        &[STR | MAP | DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::time,
        "a time of day with an offset, from `HH:MM[:SS]+01:00`, a map or another temporal value"
    ),
    f!(
        "localdatetime",
        0,
        1,
        &[STR | MAP | DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localdatetime,
        "a date and time without a zone, from `YYYY-MM-DDTHH:MM`, a map or another temporal value"
    ),
    f!(
        "datetime",
        0,
        1,
        &[STR | MAP | DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::datetime,
        "a date and time in a zone, from `YYYY-MM-DDTHH:MM+01:00[Europe/Paris]`, a map or another temporal value"
    ),
    f!(
        "duration",
        1,
        1,
        &[STR | MAP | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::duration,
        "a duration from ISO 8601 (`P1Y2M3DT4H`) or a map of years, months, weeks, days, hours..."
    ),
    f!(
        "duration.between",
        2,
        2,
        &[DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::duration_between,
        "the duration from one temporal value to another, in months, days and seconds"
    ),
    f!(
        "duration.inMonths",
        2,
        2,
        &[DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::duration_in_months,
        "the whole months from one temporal value to another"
    ),
    f!(
        "duration.inDays",
        2,
        2,
        &[DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::duration_in_days,
        "the whole days from one temporal value to another"
    ),
    f!(
        "duration.inSeconds",
        2,
        2,
        &[DATE | TEMPORAL],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::duration_in_seconds,
        "the seconds from one temporal value to another"
    ),
    f!(
        "date.truncate",
        2,
        3,
        &[STR, DATE | TEMPORAL, MAP],
        Ty::of(DATE),
        Handle,
        temporal::date_truncate,
        "a temporal value truncated to a unit (`'month'`, `'week'`...) as a date, fields from the map"
    ),
    f!(
        "localtime.truncate",
        2,
        3,
        &[STR, DATE | TEMPORAL, MAP],
        Ty::of(TEMPORAL),
        Handle,
        temporal::localtime_truncate,
        "a temporal value truncated to a unit as a local time"
    ),
    f!(
        "time.truncate",
        2,
        3,
        &[STR, DATE | TEMPORAL, MAP],
        Ty::of(TEMPORAL),
        Handle,
        temporal::time_truncate,
        "a temporal value truncated to a unit as a time"
    ),
    f!(
        "localdatetime.truncate",
        2,
        3,
        &[STR, DATE | TEMPORAL, MAP],
        Ty::of(TEMPORAL),
        Handle,
        temporal::localdatetime_truncate,
        "a temporal value truncated to a unit as a local date-time"
    ),
    f!(
        "datetime.truncate",
        2,
        3,
        &[STR, DATE | TEMPORAL, MAP],
        Ty::of(TEMPORAL),
        Handle,
        temporal::datetime_truncate,
        "a temporal value truncated to a unit as a date-time"
    ),
    f!(
        "datetime.fromepoch",
        2,
        2,
        &[INT],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::datetime_fromepoch,
        "the UTC date-time of seconds and nanoseconds since 1970-01-01"
    ),
    f!(
        "datetime.fromepochmillis",
        1,
        1,
        &[INT],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::datetime_fromepochmillis,
        "the UTC date-time of milliseconds since 1970-01-01"
    ),
    f!(
        "date.statement",
        0,
        1,
        &[STR],
        Ty::of(DATE),
        Propagate,
        temporal::date_now,
        "today (in a zone)"
    ),
    f!(
        "date.transaction",
        0,
        1,
        &[STR],
        Ty::of(DATE),
        Propagate,
        temporal::date_now,
        "today (in a zone)"
    ),
    f!(
        "date.realtime",
        0,
        1,
        &[STR],
        Ty::of(DATE),
        Propagate,
        temporal::date_now,
        "today (in a zone)"
    ),
    f!(
        "localtime.statement",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localtime_now,
        "the time now (in a zone)"
    ),
    f!(
        "localtime.transaction",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localtime_now,
        "the time now (in a zone)"
    ),
    f!(
        "localtime.realtime",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localtime_now,
        "the time now (in a zone)"
    ),
    f!(
        "time.statement",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::time_now,
        "the time now (in a zone)"
    ),
    f!(
        "time.transaction",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::time_now,
        "the time now (in a zone)"
    ),
    f!(
        "time.realtime",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::time_now,
        "the time now (in a zone)"
    ),
    f!(
        "localdatetime.statement",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localdatetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "localdatetime.transaction",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localdatetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "localdatetime.realtime",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::localdatetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "datetime.statement",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::datetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "datetime.transaction",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::datetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "datetime.realtime",
        0,
        1,
        &[STR],
        Ty::of(TEMPORAL),
        Propagate,
        temporal::datetime_now,
        "the date-time now (in a zone)"
    ),
    f!(
        "within",
        2,
        2,
        &[DATE | REL | NODE, DATE | STR],
        Ty::of(BOOL),
        Propagate,
        within,
        "whether a date, relation or event lies inside a period: `within(r, '2024')`"
    ),
    f!(
        "overlaps",
        2,
        2,
        &[DATE | REL | NODE],
        Ty::of(BOOL),
        Propagate,
        overlaps,
        "whether two dates, relations or events share a day"
    ),
    f!(
        "startNode",
        1,
        1,
        &[REL],
        Ty::of(NODE),
        Propagate,
        start_node,
        "the node a relation leaves"
    ),
    f!(
        "endNode",
        1,
        1,
        &[REL],
        Ty::of(NODE),
        Propagate,
        end_node,
        "the node a relation enters"
    ),
    f!(
        "degree",
        1,
        1,
        &[NODE],
        Ty::of(INT),
        Propagate,
        degree,
        "the number of relations of a node, both directions"
    ),
    f!(
        "head",
        1,
        1,
        &[LIST],
        Ty::ANY,
        Propagate,
        head,
        "the first element of a list"
    ),
    f!(
        "last",
        1,
        1,
        &[LIST],
        Ty::ANY,
        Propagate,
        last,
        "the last element of a list"
    ),
    f!(
        "tail",
        1,
        1,
        &[LIST],
        Ty::of(LIST),
        Propagate,
        tail,
        "a list without its first element"
    ),
    f!(
        "range",
        2,
        3,
        &[INT],
        Ty::list(INT),
        Propagate,
        range,
        "the integers from start to end inclusive, by step"
    ),
    f!(
        "reverse",
        1,
        1,
        &[LIST | STR],
        Ty::of(LIST | STR),
        Propagate,
        reverse,
        "a list or string reversed"
    ),
    f!(
        "substring",
        2,
        3,
        &[STR, INT],
        Ty::of(STR),
        Propagate,
        substring,
        "part of a string from start (0-based), of length"
    ),
    f!(
        "left",
        2,
        2,
        &[STR, INT],
        Ty::of(STR),
        Propagate,
        left,
        "the first n characters of a string"
    ),
    f!(
        "right",
        2,
        2,
        &[STR, INT],
        Ty::of(STR),
        Propagate,
        right,
        "the last n characters of a string"
    ),
    f!(
        "replace",
        3,
        3,
        &[STR],
        Ty::of(STR),
        Propagate,
        replace,
        "a string with every occurrence of one text replaced"
    ),
    f!(
        "split",
        2,
        2,
        &[STR],
        Ty::list(STR),
        Propagate,
        split,
        "a string split at a delimiter"
    ),
    f!(
        "abs",
        1,
        1,
        &[NUM],
        Ty::of(NUM),
        Propagate,
        abs,
        "the absolute value of a number"
    ),
    f!(
        "sign",
        1,
        1,
        &[NUM],
        Ty::of(INT),
        Propagate,
        sign,
        "-1, 0 or 1"
    ),
    f!(
        "ceil",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        ceil,
        "the smallest integral float not below a number"
    ),
    f!(
        "floor",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        floor,
        "the largest integral float not above a number"
    ),
    f!(
        "round",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        round,
        "a number rounded to the nearest integral float"
    ),
    f!(
        "sqrt",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        sqrt,
        "the square root of a number"
    ),
    f!(
        "exists",
        1,
        1,
        &[ALL],
        Ty::of(BOOL),
        Handle,
        exists,
        "whether a value is not null"
    ),
    f!(
        "toStringOrNull",
        1,
        1,
        &[ALL],
        Ty::of(STR),
        Handle,
        to_string_or_null,
        "like `toString`, but null for a value it cannot convert"
    ),
    f!(
        "toIntegerOrNull",
        1,
        1,
        &[ALL],
        Ty::of(INT),
        Handle,
        to_integer_or_null,
        "like `toInteger`, but null for a value it cannot convert"
    ),
    f!(
        "toFloatOrNull",
        1,
        1,
        &[ALL],
        Ty::of(FLOAT),
        Handle,
        to_float_or_null,
        "like `toFloat`, but null for a value it cannot convert"
    ),
    f!(
        "toBooleanOrNull",
        1,
        1,
        &[ALL],
        Ty::of(BOOL),
        Handle,
        to_boolean_or_null,
        "like `toBoolean`, but null for a value it cannot convert"
    ),
    f!(
        "rand",
        0,
        0,
        &[ALL],
        Ty::of(FLOAT),
        Propagate,
        rand,
        "a random float from 0 (included) to 1 (excluded)"
    ),
    f!(
        "pi",
        0,
        0,
        &[ALL],
        Ty::of(FLOAT),
        Propagate,
        pi,
        "the number π"
    ),
    f!(
        "e",
        0,
        0,
        &[ALL],
        Ty::of(FLOAT),
        Propagate,
        e,
        "the number e"
    ),
    f!(
        "exp",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        exp,
        "e raised to a number"
    ),
    f!(
        "log",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        log,
        "the natural logarithm of a number"
    ),
    f!(
        "log10",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        log10,
        "the base-10 logarithm of a number"
    ),
    f!(
        "sin",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        sin,
        "the sine of an angle in radians"
    ),
    f!(
        "cos",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        cos,
        "the cosine of an angle in radians"
    ),
    f!(
        "tan",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        tan,
        "the tangent of an angle in radians"
    ),
    f!(
        "cot",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        cot,
        "the cotangent of an angle in radians"
    ),
    f!(
        "asin",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        asin,
        "the arcsine of a number, in radians"
    ),
    f!(
        "acos",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        acos,
        "the arccosine of a number, in radians"
    ),
    f!(
        "atan",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        atan,
        "the arctangent of a number, in radians"
    ),
    f!(
        "atan2",
        2,
        2,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        atan2,
        "the angle in radians of the point (x, y), given y then x"
    ),
    f!(
        "degrees",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        degrees,
        "radians converted to degrees"
    ),
    f!(
        "radians",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
        radians,
        "degrees converted to radians"
    ),
    f!(
        "haversin",
        1,
        1,
        &[NUM],
        Ty::of(FLOAT),
        Propagate,
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

pub(super) fn value_error(message: String) -> QueryError {
    QueryError::new(ErrorKind::Runtime, message, None).with_code("InvalidArgumentValue")
}

fn coalesce(_: &Graph, a: &[Value]) -> FnResult {
    Ok(a.iter()
        .find(|v| !v.is_null())
        .cloned()
        .unwrap_or(Value::Null))
}

fn exists(_: &Graph, a: &[Value]) -> FnResult {
    Ok(Value::Bool(!a[0].is_null()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[Value]) -> Value {
        let g = Graph::default();
        (lookup(name).unwrap().call)(&g, args).unwrap()
    }

    #[test]
    fn every_entry_states_its_arguments_and_its_result() {
        for f in FUNCTIONS {
            assert!(f.min_args <= f.max_args, "{}", f.name);
            assert!(!f.args.is_empty(), "{} names no argument kinds", f.name);
            assert!(f.args.iter().all(|k| *k != 0), "{} accepts nothing", f.name);
            assert!(f.returns.kinds != 0, "{} returns nothing", f.name);
            assert!(!f.doc.is_empty(), "{} has no doc", f.name);
        }
        let null_aware = |n: &str| lookup(n).unwrap().nulls == Nulls::Handle;
        assert!(null_aware("coalesce") && null_aware("toIntegerOrNull"));
        assert!(!null_aware("toInteger"));
        // The type check reads the entry: `within` takes a date, a
        // relation or a node first.
        let w = lookup("within").unwrap();
        assert_eq!(w.args[0], DATE | REL | NODE);
        assert_eq!(w.returns, Ty::of(BOOL));
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
