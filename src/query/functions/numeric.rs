//! Numeric functions: `abs`, `sign`, rounding, `sqrt`, `rand`, constants,
//! logarithms and trigonometry.

use super::*;

pub(super) fn number_fn(
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

pub(super) fn abs(_: &Graph, a: &[Value]) -> FnResult {
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

pub(super) fn sign(_: &Graph, a: &[Value]) -> FnResult {
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

pub(super) fn ceil(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "ceil",
        a,
        |i| Ok(Value::Float(i as f64)),
        |f| Value::Float(f.ceil()),
    )
}

pub(super) fn floor(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "floor",
        a,
        |i| Ok(Value::Float(i as f64)),
        |f| Value::Float(f.floor()),
    )
}

pub(super) fn round(_: &Graph, a: &[Value]) -> FnResult {
    // Cypher rounds half up (toward positive infinity): round(-1.5) = -1.0.
    number_fn(
        "round",
        a,
        |i| Ok(Value::Float(i as f64)),
        |f| Value::Float((f + 0.5).floor()),
    )
}

pub(super) fn sqrt(_: &Graph, a: &[Value]) -> FnResult {
    number_fn(
        "sqrt",
        a,
        |i| Ok(Value::Float((i as f64).sqrt())),
        |f| Value::Float(f.sqrt()),
    )
}

/// Whether a function gives a different answer each time it is called with
/// the same arguments.
pub fn is_random(f: &Function) -> bool {
    f.name == "rand"
}

pub(super) fn rand(_: &Graph, _: &[Value]) -> FnResult {
    use std::hash::{BuildHasher, Hasher};
    // The standard library's randomly keyed hasher is the source: each
    // `RandomState` has fresh keys.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0x9e37_79b9_7f4a_7c15);
    let bits = h.finish() >> 11;
    Ok(Value::Float(bits as f64 / (1u64 << 53) as f64))
}

pub(super) fn pi(_: &Graph, _: &[Value]) -> FnResult {
    Ok(Value::Float(std::f64::consts::PI))
}

pub(super) fn e(_: &Graph, _: &[Value]) -> FnResult {
    Ok(Value::Float(std::f64::consts::E))
}

pub(super) fn float_fn(func: &str, a: &[Value], f: impl Fn(f64) -> f64) -> FnResult {
    match &a[0] {
        Value::Null => Ok(Value::Null),
        Value::Int(i) => Ok(Value::Float(f(*i as f64))),
        Value::Float(x) => Ok(Value::Float(f(*x))),
        v => Err(arg_error(func, "a number", v)),
    }
}

pub(super) fn exp(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("exp", a, f64::exp)
}

pub(super) fn log(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("log", a, f64::ln)
}

pub(super) fn log10(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("log10", a, f64::log10)
}

pub(super) fn sin(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("sin", a, f64::sin)
}

pub(super) fn cos(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("cos", a, f64::cos)
}

pub(super) fn tan(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("tan", a, f64::tan)
}

pub(super) fn cot(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("cot", a, |x| 1.0 / x.tan())
}

pub(super) fn asin(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("asin", a, f64::asin)
}

pub(super) fn acos(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("acos", a, f64::acos)
}

pub(super) fn atan(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("atan", a, f64::atan)
}

pub(super) fn atan2(_: &Graph, a: &[Value]) -> FnResult {
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

pub(super) fn degrees(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("degrees", a, f64::to_degrees)
}

pub(super) fn radians(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("radians", a, f64::to_radians)
}

pub(super) fn haversin(_: &Graph, a: &[Value]) -> FnResult {
    float_fn("haversin", a, |x| (1.0 - x.cos()) / 2.0)
}
