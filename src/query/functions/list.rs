//! List functions: `size`, `head`, `last`, `tail`, `range`, `reverse`.

use super::*;

pub(super) fn size(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::List(l) => Value::Int(l.len() as i64),
        Value::Str(s) => Value::Int(s.chars().count() as i64),
        Value::Map(m) => Value::Int(m.len() as i64),
        v => return Err(arg_error("size", "a list or a string", v)),
    })
}

pub(super) fn list_fn(func: &str, a: &[Value], f: impl Fn(&[Value]) -> Value) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::List(l) => f(l),
        v => return Err(arg_error(func, "a list", v)),
    })
}

pub(super) fn head(_: &Graph, a: &[Value]) -> FnResult {
    list_fn("head", a, |l| l.first().cloned().unwrap_or(Value::Null))
}

pub(super) fn last(_: &Graph, a: &[Value]) -> FnResult {
    list_fn("last", a, |l| l.last().cloned().unwrap_or(Value::Null))
}

pub(super) fn tail(_: &Graph, a: &[Value]) -> FnResult {
    list_fn("tail", a, |l| {
        Value::List(l.iter().skip(1).cloned().collect())
    })
}

pub(super) fn int_arg(func: &str, v: &Value) -> Result<Option<i64>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        v => Err(arg_error(func, "an integer", v)),
    }
}

/// Lists longer than this are refused rather than built.
pub const MAX_LIST: i64 = 10_000_000;

pub(super) fn range(_: &Graph, a: &[Value]) -> FnResult {
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
    if count > 0 && count <= i128::from(MAX_LIST) {
        crate::query::limits::reserve(count as u64 * std::mem::size_of::<Value>() as u64)?;
    }
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

pub(super) fn reverse(_: &Graph, a: &[Value]) -> FnResult {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::List(l) => Value::List(l.iter().rev().cloned().collect()),
        Value::Str(s) => Value::from(s.chars().rev().collect::<String>()),
        v => return Err(arg_error("reverse", "a list or a string", v)),
    })
}
