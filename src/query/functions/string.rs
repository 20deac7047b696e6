//! String functions: case, trimming, `substring`, `left`, `right`,
//! `replace`, `split`.

use super::*;

pub(super) fn string_fn(func: &str, a: &[Value], f: impl Fn(&str) -> String) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Str(s) => Value::Str((f(s)).into()),
        v => return Err(arg_error(func, "a string", v)),
    })
}

pub(super) fn to_lower(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("toLower", a, str::to_lowercase)
}

pub(super) fn to_upper(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("toUpper", a, str::to_uppercase)
}

pub(super) fn trim(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("trim", a, |s| s.trim().to_string())
}

pub(super) fn ltrim(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("ltrim", a, |s| s.trim_start().to_string())
}

pub(super) fn rtrim(_: &Graph, a: &[Value]) -> FnResult {
    string_fn("rtrim", a, |s| s.trim_end().to_string())
}

pub(super) fn non_negative(func: &str, v: &Value) -> Result<Option<usize>, QueryError> {
    match int_arg(func, v)? {
        None => Ok(None),
        Some(i) if i < 0 => Err(value_error(format!(
            "`{func}` expects a non-negative integer, got {i}"
        ))
        .with_code("NegativeIntegerArgument")),
        Some(i) => Ok(Some(i as usize)),
    }
}

pub(super) fn substring(_: &Graph, a: &[Value]) -> FnResult {
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
    Ok(Value::from(
        s.chars().skip(start).take(len).collect::<String>(),
    ))
}

pub(super) fn left(_: &Graph, a: &[Value]) -> FnResult {
    let s = match &a[0] {
        Value::Null => return Ok(Value::Null),
        Value::Str(s) => s,
        v => return Err(arg_error("left", "a string", v)),
    };
    let Some(n) = non_negative("left", &a[1])? else {
        return Err(value_error("`left` needs a length, got null".into()));
    };
    Ok(Value::from(s.chars().take(n).collect::<String>()))
}

pub(super) fn right(_: &Graph, a: &[Value]) -> FnResult {
    let s = match &a[0] {
        Value::Null => return Ok(Value::Null),
        Value::Str(s) => s,
        v => return Err(arg_error("right", "a string", v)),
    };
    let Some(n) = non_negative("right", &a[1])? else {
        return Err(value_error("`right` needs a length, got null".into()));
    };
    let total = s.chars().count();
    Ok(Value::from(
        s.chars().skip(total.saturating_sub(n)).collect::<String>(),
    ))
}

pub(super) fn replace(_: &Graph, a: &[Value]) -> FnResult {
    match (&a[0], &a[1], &a[2]) {
        (Value::Str(s), Value::Str(from), Value::Str(to)) => {
            // Checked before it is built: a replacement can multiply the
            // length.
            if to.len() > from.len() && !from.is_empty() {
                let n = s.matches(&**from).count() as u64;
                let grown = s.len() as u64 + n * (to.len() - from.len()) as u64;
                crate::query::limits::reserve(grown)?;
            }
            Ok(Value::from(s.replace(&**from, to)))
        }
        (Value::Null, _, _) | (_, Value::Null, _) | (_, _, Value::Null) => Ok(Value::Null),
        (v, _, _) if v.as_str().is_none() => Err(arg_error("replace", "a string", v)),
        (_, v, _) if v.as_str().is_none() => Err(arg_error("replace", "a string", v)),
        (_, _, v) => Err(arg_error("replace", "a string", v)),
    }
}

pub(super) fn split(_: &Graph, a: &[Value]) -> FnResult {
    match (&a[0], &a[1]) {
        (Value::Str(s), Value::Str(d)) => {
            let parts: Vec<Value> = if d.is_empty() {
                s.chars().map(|c| Value::from(c.to_string())).collect()
            } else {
                s.split(&**d).map(Value::from).collect()
            };
            Ok(Value::List(parts))
        }
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::Str(_), v) | (v, _) => Err(arg_error("split", "a string", v)),
    }
}
