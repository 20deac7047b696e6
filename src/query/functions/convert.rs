//! Conversions: `toString`, `toInteger`, `toFloat`, `toBoolean` and their
//! `...OrNull` forms.

use super::*;

pub(super) fn to_string(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Str(s) => Value::Str(s.clone()),
        Value::Int(i) => Value::Str((i.to_string()).into()),
        Value::Float(f) => Value::Str((crate::model::value::format_float(*f)).into()),
        Value::Bool(b) => Value::Str((b.to_string()).into()),
        Value::Date(d) => Value::Str((d.to_string()).into()),
        Value::Temporal(t) => Value::Str((t.to_string()).into()),
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
pub(super) fn float_to_int(f: f64) -> Option<i64> {
    let t = f.trunc();
    if t.is_finite() && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&t) {
        Some(t as i64)
    } else {
        None
    }
}

pub(super) fn to_integer(_: &Graph, a: &[Value]) -> FnResult {
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

pub(super) fn to_float(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Int(i) => Value::Float(*i as f64),
        Value::Float(f) => Value::Float(*f),
        Value::Str(s) => s.trim().parse::<f64>().map_or(Value::Null, Value::Float),
        v => return Err(arg_error("toFloat", "a number or string", v)),
    })
}

pub(super) fn to_boolean(_: &Graph, a: &[Value]) -> FnResult {
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

/// Runs a conversion, turning a refused argument into null.
pub(super) fn or_null(f: fn(&Graph, &[Value]) -> FnResult, g: &Graph, a: &[Value]) -> FnResult {
    Ok(f(g, a).unwrap_or(Value::Null))
}

pub(super) fn to_string_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_string, g, a)
}

pub(super) fn to_integer_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_integer, g, a)
}

pub(super) fn to_float_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_float, g, a)
}

pub(super) fn to_boolean_or_null(g: &Graph, a: &[Value]) -> FnResult {
    or_null(to_boolean, g, a)
}
