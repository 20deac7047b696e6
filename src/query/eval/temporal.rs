//! The temporal side of the operators and of property access: `+` and `-`
//! with durations, durations scaled by numbers, `d.year`, `t.offset`...
//! The values are `model::temporal`'s; the functions that build them are in
//! `functions/temporal.rs`.
//!
//! A partial date (D1) moves by whole units of its precision:
//! `date('2024-06') + duration('P1M')` is `2024-07`, and adding days to a
//! month is an error that says so.

use crate::model::temporal::{self as tm, Component, Duration, Temporal, TemporalError};
use crate::model::{PartialDate, Precision, Value};
use crate::query::ast::BinaryOp;
use crate::query::error::{ErrorKind, QueryError};

pub type FnResult = Result<Value, QueryError>;

pub fn value_error(message: String) -> QueryError {
    QueryError::new(ErrorKind::Runtime, message, None).with_code("InvalidArgumentValue")
}

pub fn terr(e: TemporalError) -> QueryError {
    value_error(e.0)
}

pub fn precision_name(p: Precision) -> &'static str {
    match p {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

/// A year (and month) as eje's partial date.
pub fn partial(y: i64, month: Option<u8>) -> FnResult {
    let year = i32::try_from(y).map_err(|_| value_error(format!("year {y} is out of range")))?;
    Ok(Value::Date(PartialDate {
        year,
        month,
        day: None,
    }))
}

fn num(v: &Value) -> Option<tm::Num> {
    match v {
        Value::Int(i) => Some(tm::Num::Int(*i)),
        Value::Float(f) => Some(tm::Num::Float(*f)),
        _ => None,
    }
}

/// A value as a temporal value: full dates and every `Value::Temporal`.
pub fn as_temporal(v: &Value) -> Option<Temporal> {
    match v {
        Value::Date(d) if d.precision() == Precision::Day => Some(Temporal::Date(day_of(d))),
        Value::Temporal(t) => Some((**t).clone()),
        _ => None,
    }
}

pub fn day_of(d: &PartialDate) -> i64 {
    tm::days_from_civil(
        i64::from(d.year),
        u32::from(d.month.unwrap_or(1)),
        u32::from(d.day.unwrap_or(1)),
    )
}

/// A temporal value as a `Value`: days become eje's dates.
pub fn temporal_value(t: Temporal) -> FnResult {
    match t {
        Temporal::Date(days) => {
            let (y, m, d) = tm::civil_from_days(days);
            let year =
                i32::try_from(y).map_err(|_| value_error(format!("year {y} is out of range")))?;
            Ok(Value::Date(PartialDate {
                year,
                month: Some(m as u8),
                day: Some(d as u8),
            }))
        }
        t => Ok(Value::Temporal(Box::new(t))),
    }
}

/// `x.year`, `d.days`... on a date or a temporal value: `None` when `v` is
/// neither or has no such component; a partial date's finer components
/// (`date('2024').day`) are null.
pub fn component(v: &Value, key: &str) -> Option<Value> {
    match v {
        Value::Date(d) if d.precision() != Precision::Day => Some(match key {
            "year" => Value::Int(i64::from(d.year)),
            "month" => d.month.map_or(Value::Null, |m| Value::Int(i64::from(m))),
            "quarter" => d
                .month
                .map_or(Value::Null, |m| Value::Int(i64::from((m - 1) / 3 + 1))),
            "day" | "week" | "weekYear" | "ordinalDay" | "weekDay" | "dayOfWeek"
            | "dayOfQuarter" => Value::Null,
            _ => return None,
        }),
        _ => {
            let t = as_temporal(v)?;
            match tm::component(&t, key)? {
                Component::Int(i) => Some(Value::Int(i)),
                Component::Str(s) => Some(Value::Str(s.into())),
            }
        }
    }
}

/// The temporal side of `+`, `-`, `*` and `/`: `None` when neither operand
/// is temporal (the caller handles numbers, strings and lists).
pub fn arithmetic(op: BinaryOp, a: &Value, b: &Value) -> Option<FnResult> {
    use BinaryOp::*;
    let dur = |v: &Value| match v {
        Value::Temporal(t) => match **t {
            Temporal::Duration(d) => Some(d),
            _ => None,
        },
        _ => None,
    };
    let temporal = |v: &Value| matches!(v, Value::Temporal(_) | Value::Date(_));
    if !temporal(a) && !temporal(b) {
        return None;
    }
    let bad = || {
        Some(Err(QueryError::new(
            ErrorKind::Runtime,
            format!(
                "cannot apply `{}` to {} and {}",
                op_text(op),
                a.type_name(),
                b.type_name()
            ),
            None,
        )
        .with_code("InvalidArgumentType")
        .with_help(
            "add or subtract a duration (`d + duration('P1M')`), multiply or divide a duration by a number, or use `duration.between(a, b)`",
        )))
    };
    Some(match (op, dur(a), dur(b)) {
        (Add, Some(x), Some(y)) => x
            .add(&y)
            .map_err(terr)
            .and_then(|d| temporal_value(Temporal::Duration(d))),
        (Sub, Some(x), Some(y)) => x
            .sub(&y)
            .map_err(terr)
            .and_then(|d| temporal_value(Temporal::Duration(d))),
        (Add, None, Some(d)) => shift(a, &d),
        (Add, Some(d), None) => shift(b, &d),
        (Sub, None, Some(d)) => match d.neg() {
            Ok(n) => shift(a, &n),
            Err(e) => Err(terr(e)),
        },
        (Mul, Some(d), None) | (Mul, None, Some(d)) => {
            let k = if dur(a).is_some() { b } else { a };
            match num(k) {
                Some(k) => d
                    .mul(k)
                    .map_err(terr)
                    .and_then(|d| temporal_value(Temporal::Duration(d))),
                None => return bad(),
            }
        }
        (Div, Some(d), None) => match num(b) {
            Some(k) => d
                .div(k)
                .map_err(terr)
                .and_then(|d| temporal_value(Temporal::Duration(d))),
            None => return bad(),
        },
        _ => return bad(),
    })
}

fn op_text(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        _ => "the operator",
    }
}

/// A temporal value moved by a duration; a partial date moves by whole
/// units of its precision.
pub fn shift(v: &Value, d: &Duration) -> FnResult {
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Value::Date(p) = v
        && p.precision() != Precision::Day
    {
        let whole_units = d.days == 0
            && d.seconds == 0
            && d.nanos == 0
            && (p.precision() == Precision::Month || d.months % 12 == 0);
        if !whole_units {
            let unit = precision_name(p.precision());
            return Err(value_error(format!(
                "`{p}` is known only to the {unit}: `{d}` is not a whole number of {unit}s"
            ))
            .with_help(format!(
                "add whole {unit}s (`duration('P1{}')`), or give the date a day",
                if unit == "year" { "Y" } else { "M" }
            )));
        }
        let total = i64::from(p.year) * 12 + i64::from(p.month.unwrap_or(1)) - 1 + d.months;
        let year = total.div_euclid(12);
        let month = p.month.map(|_| (total.rem_euclid(12) + 1) as u8);
        return partial(year, month);
    }
    let Some(t) = as_temporal(v) else {
        return Err(value_error(format!(
            "cannot add a duration to {}",
            v.type_name()
        )));
    };
    temporal_value(tm::add_duration(&t, d).map_err(terr)?)
}
