//! Operators on values with openCypher semantics: comparison and equality
//! (three-valued, dates as intervals), arithmetic (checked integers),
//! list membership, indexing and slicing.

use std::cmp::Ordering;

use super::super::ast::{BinaryOp, Span};
use super::super::dates;
use super::super::error::{ErrorKind, QueryError};
use crate::model::Value;
use crate::model::value::format_float;

pub fn type_error(message: String, span: Span) -> QueryError {
    QueryError::new(ErrorKind::Runtime, message, Some(span)).with_code("InvalidArgumentType")
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Ordering for `<`, `<=`, `>`, `>=`: `None` when the answer is null
/// (null operands, different types, overlapping dates, NaN).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Int(_) | Float(_), Int(_) | Float(_)) => {
            let (x, y) = (as_f64(a)?, as_f64(b)?);
            x.partial_cmp(&y)
        }
        (Str(x), Str(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Date(x), Date(y)) => x.compare(y),
        (Temporal(x), Temporal(y)) => x.compare(y),
        (List(x), List(y)) => {
            for (p, q) in x.iter().zip(y) {
                match compare(p, q)? {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => None,
    }
}

/// `=`: `None` when null (a null operand, a null inside lists being
/// compared). Two dates are equal when they are the same interval: `2024-06`
/// is not `2024-06-19` (SPEC §2), though neither is before the other.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => None,
        (Int(x), Int(y)) => Some(x == y),
        (Int(_) | Float(_), Int(_) | Float(_)) => Some(as_f64(a)? == as_f64(b)?),
        (Str(x), Str(y)) => Some(x == y),
        (Bool(x), Bool(y)) => Some(x == y),
        (Date(x), Date(y)) => Some(x == y),
        (List(x), List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_equal(x.iter().zip(y))
        }
        (Map(x), Map(y)) => {
            if x.len() != y.len() || x.keys().zip(y.keys()).any(|(k1, k2)| k1 != k2) {
                return Some(false);
            }
            all_equal(x.values().zip(y.values()))
        }
        (Node(x), Node(y)) => Some(x == y),
        (Rel(x), Rel(y)) => Some(x == y),
        (Path(x), Path(y)) => Some(x == y),
        (Temporal(x), Temporal(y)) => Some(x == y),
        _ => Some(false),
    }
}

fn all_equal<'v>(pairs: impl Iterator<Item = (&'v Value, &'v Value)>) -> Option<bool> {
    let mut unknown = false;
    for (p, q) in pairs {
        match equals(p, q) {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

/// A comparison operator applied to two values. Dates and the other
/// temporal values follow `query::dates`; a string and a date are different types, as in
/// openCypher (the evaluator reads a full-day string as a date over
/// curated data first).
pub fn comparison(op: BinaryOp, a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Date(x), Value::Date(y)) => {
            return dates::compare(op, x, y).map_or(Value::Null, Value::Bool);
        }
        (Value::Temporal(x), Value::Temporal(y)) => {
            return dates::compare_temporal(op, x, y).map_or(Value::Null, Value::Bool);
        }
        _ => {}
    }
    let is_nan = |v: &Value| matches!(v, Value::Float(f) if f.is_nan());
    match op {
        BinaryOp::Eq => equals(a, b).map_or(Value::Null, Value::Bool),
        BinaryOp::Ne => equals(a, b).map_or(Value::Null, |x| Value::Bool(!x)),
        _ => {
            if (is_nan(a) && matches!(b, Value::Int(_) | Value::Float(_)))
                || (is_nan(b) && matches!(a, Value::Int(_) | Value::Float(_)))
            {
                return Value::Bool(false);
            }
            match compare(a, b) {
                None => Value::Null,
                Some(o) => Value::Bool(match op {
                    BinaryOp::Lt => o == Ordering::Less,
                    BinaryOp::Le => o != Ordering::Greater,
                    BinaryOp::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                }),
            }
        }
    }
}

fn overflow(span: Span) -> QueryError {
    QueryError::new(ErrorKind::Runtime, "integer overflow", Some(span)).with_code("IntegerOverflow")
}

fn op_name(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Pow => "^",
        _ => "?",
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some((s.clone()).to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(format_float(*f)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Date(d) => Some(d.to_string()),
        Value::Temporal(t) => Some(t.to_string()),
        _ => None,
    }
}

/// `+ - * / % ^`.
pub fn arithmetic(op: BinaryOp, a: Value, b: Value, span: Span) -> Result<Value, QueryError> {
    use Value::*;
    let temporal = |v: &Value| matches!(v, Temporal(_) | Date(_));
    let other = |v: &Value| matches!(v, Null | Str(_) | List(_));
    if (temporal(&a) || temporal(&b))
        && !other(&a)
        && !other(&b)
        && let Some(r) = super::temporal::arithmetic(op, &a, &b)
    {
        return r.map_err(|mut e| {
            e.span.get_or_insert(span);
            e
        });
    }
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(x), Int(y)) => match op {
            BinaryOp::Add => Int(x.checked_add(y).ok_or_else(|| overflow(span))?),
            BinaryOp::Sub => Int(x.checked_sub(y).ok_or_else(|| overflow(span))?),
            BinaryOp::Mul => Int(x.checked_mul(y).ok_or_else(|| overflow(span))?),
            BinaryOp::Div | BinaryOp::Mod if y == 0 => {
                return Err(
                    QueryError::new(ErrorKind::Runtime, "division by zero", Some(span))
                        .with_code("DivisionByZero"),
                );
            }
            BinaryOp::Div => Int(x.checked_div(y).ok_or_else(|| overflow(span))?),
            BinaryOp::Mod => Int(x.checked_rem(y).ok_or_else(|| overflow(span))?),
            _ => Float((x as f64).powf(y as f64)),
        },
        (x @ (Int(_) | Float(_)), y @ (Int(_) | Float(_))) => {
            let (x, y) = (as_f64(&x).unwrap_or(0.0), as_f64(&y).unwrap_or(0.0));
            Float(match op {
                BinaryOp::Add => x + y,
                BinaryOp::Sub => x - y,
                BinaryOp::Mul => x * y,
                BinaryOp::Div => x / y,
                BinaryOp::Mod => x % y,
                _ => x.powf(y),
            })
        }
        (List(mut x), List(y)) if op == BinaryOp::Add => {
            x.extend(y);
            List(x)
        }
        (List(mut x), y) if op == BinaryOp::Add => {
            x.push(y);
            List(x)
        }
        (x, List(mut y)) if op == BinaryOp::Add => {
            y.insert(0, x);
            List(y)
        }
        (x @ Str(_), y) | (x, y @ Str(_)) if op == BinaryOp::Add => {
            match (scalar_text(&x), scalar_text(&y)) {
                (Some(p), Some(q)) => Str((p + &q).into()),
                _ => {
                    return Err(type_error(
                        format!("cannot add {} and {}", x.type_name(), y.type_name()),
                        span,
                    ));
                }
            }
        }
        (x, y) => {
            return Err(type_error(
                format!(
                    "`{}` cannot be applied to {} and {}",
                    op_name(op),
                    x.type_name(),
                    y.type_name()
                ),
                span,
            ));
        }
    })
}

/// `x IN list`.
pub fn in_list(x: &Value, list: &Value, span: Span) -> Result<Value, QueryError> {
    match list {
        Value::Null => Ok(Value::Null),
        Value::List(items) => {
            let mut unknown = false;
            for it in items {
                match equals(x, it) {
                    Some(true) => return Ok(Value::Bool(true)),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            Ok(if unknown {
                Value::Null
            } else {
                Value::Bool(false)
            })
        }
        v => Err(type_error(
            format!("`IN` expects a list on its right, got {}", v.type_name()),
            span,
        )),
    }
}

/// `STARTS WITH`, `ENDS WITH`, `CONTAINS`: null unless both are strings.
pub fn string_op(op: BinaryOp, a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Value::Bool(str_pred(op, x, y)),
        _ => Value::Null,
    }
}

/// `STARTS WITH`, `ENDS WITH` or `CONTAINS` between two strings.
pub fn str_pred(op: BinaryOp, x: &str, y: &str) -> bool {
    match op {
        BinaryOp::StartsWith => x.starts_with(y),
        BinaryOp::EndsWith => x.ends_with(y),
        _ => x.contains(y),
    }
}

/// Normalises a possibly negative index into `0..=len`.
fn clamp_index(i: i64, len: usize) -> usize {
    let len_i = len as i64;
    let i = if i < 0 { len_i + i } else { i };
    i.clamp(0, len_i) as usize
}

/// `list[i]` (negative from the end; out of range is null) and `map[key]`.
/// Node and relation properties are handled by the caller.
pub fn index(base: &Value, idx: &Value, span: Span) -> Result<Value, QueryError> {
    match (base, idx) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::List(l), Value::Int(i)) => {
            let len = l.len() as i64;
            let i = if *i < 0 { len + *i } else { *i };
            Ok(if (0..len).contains(&i) {
                l[i as usize].clone()
            } else {
                Value::Null
            })
        }
        (Value::List(_), v) => Err(type_error(
            format!("a list index must be an integer, got {}", v.type_name()),
            span,
        )),
        (Value::Map(m), Value::Str(k)) => Ok(m.get(&**k).cloned().unwrap_or(Value::Null)),
        (Value::Map(_), v) => Err(QueryError::new(
            ErrorKind::Runtime,
            format!("a map key must be a string, got {}", v.type_name()),
            Some(span),
        )
        .with_code("MapElementAccessByNonString")),
        (v, _) => Err(type_error(
            format!("cannot index into {}", v.type_name()),
            span,
        )),
    }
}

/// `list[from..to]`.
pub fn slice(
    base: &Value,
    from: Option<&Value>,
    to: Option<&Value>,
    span: Span,
) -> Result<Value, QueryError> {
    let l = match base {
        Value::Null => return Ok(Value::Null),
        Value::List(l) => l,
        v => return Err(type_error(format!("cannot slice {}", v.type_name()), span)),
    };
    let bound = |v: Option<&Value>, default: usize| -> Result<Option<usize>, QueryError> {
        match v {
            None => Ok(Some(default)),
            Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(clamp_index(*i, l.len()))),
            Some(v) => Err(type_error(
                format!("a slice bound must be an integer, got {}", v.type_name()),
                span,
            )),
        }
    };
    let (Some(a), Some(b)) = (bound(from, 0)?, bound(to, l.len())?) else {
        return Ok(Value::Null);
    };
    Ok(Value::List(if a < b {
        l[a..b].to_vec()
    } else {
        Vec::new()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PartialDate;

    fn d(s: &str) -> Value {
        Value::Date(PartialDate::parse(s).unwrap())
    }

    #[test]
    fn three_valued_comparisons() {
        assert_eq!(
            comparison(BinaryOp::Lt, &Value::Int(1), &Value::Float(1.5)),
            Value::Bool(true)
        );
        assert_eq!(
            comparison(BinaryOp::Lt, &Value::Int(1), &"a".into()),
            Value::Null
        );
        assert_eq!(
            comparison(BinaryOp::Eq, &Value::Int(1), &"a".into()),
            Value::Bool(false)
        );
        assert_eq!(
            comparison(BinaryOp::Eq, &Value::Null, &Value::Null),
            Value::Null
        );
        let l1 = Value::List(vec![Value::Int(1), Value::Null]);
        let l2 = Value::List(vec![Value::Int(2), Value::Null]);
        assert_eq!(comparison(BinaryOp::Eq, &l1, &l2), Value::Bool(false));
        assert_eq!(comparison(BinaryOp::Eq, &l1, &l1.clone()), Value::Null);
    }

    #[test]
    fn dates_compare_as_intervals() {
        assert_eq!(
            comparison(BinaryOp::Lt, &d("2024-06"), &d("2024-07-01")),
            Value::Bool(true)
        );
        assert_eq!(
            comparison(BinaryOp::Lt, &d("2024-06"), &d("2024-06-19")),
            Value::Null
        );
        assert_eq!(
            comparison(BinaryOp::Eq, &d("2024-06"), &d("2024-06-19")),
            Value::Bool(false)
        );
        assert_eq!(
            comparison(BinaryOp::Ne, &d("2024-06"), &d("2024-06-19")),
            Value::Bool(true)
        );
        assert_eq!(
            comparison(BinaryOp::Le, &d("2024-06"), &d("2024-06")),
            Value::Bool(true)
        );
        // A string is not a date here (over curated data the evaluator
        // reads a full day first).
        assert_eq!(
            comparison(BinaryOp::Ge, &d("2024-06-19"), &"2024-01-01".into()),
            Value::Null
        );
        assert_eq!(
            comparison(BinaryOp::Eq, &d("2024-06"), &"2024-06".into()),
            Value::Bool(false)
        );
    }

    #[test]
    fn checked_arithmetic() {
        let s = Span::default();
        assert!(arithmetic(BinaryOp::Add, Value::Int(i64::MAX), Value::Int(1), s).is_err());
        assert!(arithmetic(BinaryOp::Div, Value::Int(1), Value::Int(0), s).is_err());
        assert_eq!(
            arithmetic(BinaryOp::Div, Value::Int(7), Value::Int(2), s).unwrap(),
            Value::Int(3)
        );
        assert_eq!(
            arithmetic(BinaryOp::Mod, Value::Int(-7), Value::Int(2), s).unwrap(),
            Value::Int(-1)
        );
        assert_eq!(
            arithmetic(BinaryOp::Pow, Value::Int(2), Value::Int(3), s).unwrap(),
            Value::Float(8.0)
        );
        assert_eq!(
            arithmetic(BinaryOp::Add, "a".into(), Value::Int(1), s).unwrap(),
            Value::from("a1")
        );
    }

    #[test]
    fn membership_with_nulls() {
        let s = Span::default();
        let l = Value::List(vec![Value::Int(1), Value::Null]);
        assert_eq!(in_list(&Value::Int(1), &l, s).unwrap(), Value::Bool(true));
        assert_eq!(in_list(&Value::Int(2), &l, s).unwrap(), Value::Null);
        assert_eq!(
            in_list(&Value::Null, &Value::List(vec![]), s).unwrap(),
            Value::Bool(false)
        );
    }

    #[test]
    fn slices_and_negative_indices() {
        let s = Span::default();
        let l = Value::List((1..=5).map(Value::Int).collect());
        assert_eq!(index(&l, &Value::Int(-1), s).unwrap(), Value::Int(5));
        assert_eq!(index(&l, &Value::Int(9), s).unwrap(), Value::Null);
        assert_eq!(
            slice(&l, Some(&Value::Int(1)), Some(&Value::Int(-1)), s)
                .unwrap()
                .to_string(),
            "[2, 3, 4]"
        );
        assert_eq!(
            slice(&l, Some(&Value::Int(-2)), None, s)
                .unwrap()
                .to_string(),
            "[4, 5]"
        );
    }
}
