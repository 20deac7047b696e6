//! openCypher's temporal functions (`datetime()`, `duration.between()`,
//! `date.truncate()`...), the temporal side of the operators, and property
//! access on temporal values. The values themselves are `model::temporal`.
//!
//! eje's partial dates stay what they are (D1): `date('2024-06')` and
//! `date({year: 2024})` are a month and a year. Every other function gives a
//! full-precision value. A partial date takes part in arithmetic at its own
//! precision: adding whole months to a month (`date('2024-06') +
//! duration('P1M')` is `2024-07`) or whole years to a year; between two
//! dates of which one is partial, `duration.between` and
//! `duration.inMonths` count whole units of the coarser precision, and
//! `duration.inDays`/`duration.inSeconds` are null (the days are unknown).

use std::cell::Cell;
use std::collections::BTreeMap;

use super::*;
use crate::model::Precision;
use crate::model::temporal::{
    self as tm, Arg, Between, Duration, Fields, Kind, Num, ParsedDate, Temporal,
};
use crate::query::eval::temporal::{as_temporal, partial, precision_name, temporal_value, terr};

thread_local! {
    /// The statement's clock: every `datetime()` of one statement reads the
    /// same instant.
    static NOW: Cell<Option<i128>> = const { Cell::new(None) };
    /// The statement's `duration.inDays`/`duration.inSeconds` calls that
    /// were null because a date was partial (bit 0: days, bit 1: seconds),
    /// for the answer's precision note (D6).
    static DAYS_UNKNOWN: Cell<u8> = const { Cell::new(0) };
}

/// Starts a new statement: a new clock, and no precision note yet (the
/// evaluator calls it once per query).
pub fn reset_clock() {
    NOW.with(|n| n.set(None));
    DAYS_UNKNOWN.with(|d| d.set(0));
}

/// The precision note for this statement, when `duration.inDays` or
/// `duration.inSeconds` was null because a date was partial.
pub fn precision_note() -> Option<String> {
    let names = match DAYS_UNKNOWN.with(Cell::get) {
        0 => return None,
        1 => "`duration.inDays` was",
        2 => "`duration.inSeconds` was",
        _ => "`duration.inDays` and `duration.inSeconds` were",
    };
    Some(format!(
        "{names} null for dates known only to the month or year (their days are unknown); \
         `duration.inMonths` or `duration.between` count whole months"
    ))
}

fn now() -> i128 {
    NOW.with(|n| match n.get() {
        Some(t) => t,
        None => {
            let t = tm::now_epoch_nanos();
            n.set(Some(t));
            t
        }
    })
}

fn to_arg(func: &str, key: &str, v: &Value) -> Result<Option<Arg>, QueryError> {
    Ok(match v {
        Value::Null => None,
        Value::Int(i) => Some(Arg::Num(Num::Int(*i))),
        Value::Float(f) => Some(Arg::Num(Num::Float(*f))),
        Value::Str(s) => Some(Arg::Str((s.clone()).to_string())),
        Value::Date(d) => match as_temporal(v) {
            Some(t) => Some(Arg::Temporal(t)),
            None => {
                return Err(value_error(format!(
                    "`{func}` needs a full date for `{key}`, got `{d}`, known only to the {}",
                    precision_name(d.precision())
                ))
                .with_help(format!(
                    "give a day, for example `date('{}')`",
                    PartialDate {
                        year: d.year,
                        month: Some(d.month.unwrap_or(1)),
                        day: Some(1)
                    }
                )));
            }
        },
        Value::Temporal(t) => Some(Arg::Temporal((**t).clone())),
        other => {
            return Err(arg_error(
                func,
                &format!("a number, string or temporal value for `{key}`"),
                other,
            ));
        }
    })
}

fn fields(func: &str, m: &BTreeMap<String, Value>) -> Result<Fields, QueryError> {
    let mut out = Fields::new();
    for (k, v) in m {
        if let Some(a) = to_arg(func, k, v)? {
            out.insert(k.clone(), a);
        }
    }
    Ok(out)
}

/// `date()`, `datetime({timezone: ...})`...: now, by the statement's clock,
/// in the zone the optional first argument names.
fn current(kind: Kind, a: &[Value]) -> FnResult {
    let zone = match a.first() {
        Some(Value::Null) => return Ok(Value::Null),
        None => tm::Zone::Offset(0),
        Some(Value::Str(s)) => tm::parse_zone(s).map_err(terr)?,
        Some(v) => return Err(arg_error(kind.name(), "a time zone string", v)),
    };
    let here = tm::at_instant(now(), &zone).map_err(terr)?;
    let t = Temporal::DateTime(here);
    if kind == Kind::DateTime {
        return temporal_value(t);
    }
    temporal_value(tm::project(kind, &t).map_err(terr)?)
}

/// `date(x)`, `time(x)`... : from nothing (now), a string, a map or another
/// temporal value.
fn construct(kind: Kind, a: &[Value]) -> FnResult {
    let name = kind.name();
    let Some(x) = a.first() else {
        return current(kind, &[]);
    };
    match x {
        Value::Null => Ok(Value::Null),
        Value::Str(s) => {
            let s = s.trim();
            let t = match kind {
                Kind::Date => match tm::parse_date(s).map_err(terr)? {
                    ParsedDate::Year(y) => return partial(y, None),
                    ParsedDate::Month(y, m) => return partial(y, Some(m as u8)),
                    ParsedDate::Day(d) => Temporal::Date(d),
                },
                Kind::LocalTime => Temporal::LocalTime(tm::parse_local_time(s).map_err(terr)?),
                Kind::Time => Temporal::Time(tm::parse_time(s).map_err(terr)?),
                Kind::LocalDateTime => {
                    Temporal::LocalDateTime(tm::parse_local_datetime(s).map_err(terr)?)
                }
                Kind::DateTime => Temporal::DateTime(tm::parse_datetime(s).map_err(terr)?),
            };
            temporal_value(t)
        }
        Value::Map(m) => {
            if kind == Kind::Date
                && m.contains_key("year")
                && m.keys().all(|k| k == "year" || k == "month")
            {
                let y = match m.get("year") {
                    Some(Value::Int(y)) => *y,
                    Some(v) => return Err(arg_error(name, "an integer `year`", v)),
                    None => unreachable!("checked above"),
                };
                let mo = match m.get("month") {
                    None | Some(Value::Null) => None,
                    Some(Value::Int(mo)) if (1..=12).contains(mo) => Some(*mo as u8),
                    Some(Value::Int(mo)) => {
                        return Err(value_error(format!(
                            "month {mo} is out of range: months run from 1 to 12"
                        )));
                    }
                    Some(v) => return Err(arg_error(name, "an integer `month`", v)),
                };
                return partial(y, mo);
            }
            let f = fields(name, m)?;
            temporal_value(tm::from_map(kind, &f).map_err(terr)?)
        }
        Value::Date(d) if kind == Kind::Date => Ok(Value::Date(*d)),
        v => match as_temporal(v) {
            Some(t) => temporal_value(tm::project(kind, &t).map_err(terr)?),
            None => match v {
                Value::Date(_) => {
                    to_arg(name, "date", v)?;
                    Ok(Value::Null)
                }
                _ => Err(arg_error(name, "a string, a map or a temporal value", v)),
            },
        },
    }
}

/// The registry's entries for one helper taking its own first arguments
/// (the kind, a unit...) before the call's: `date` is `construct(Kind::Date,
/// args)`.
macro_rules! entries {
    ($($name:ident => $helper:ident($($fixed:expr),*);)*) => {
        $(
            pub(super) fn $name(_: &Graph, a: &[Value]) -> FnResult {
                $helper($($fixed,)* a)
            }
        )*
    };
}

entries! {
    date => construct(Kind::Date);
    localtime => construct(Kind::LocalTime);
    time => construct(Kind::Time);
    localdatetime => construct(Kind::LocalDateTime);
    datetime => construct(Kind::DateTime);
    date_now => current(Kind::Date);
    localtime_now => current(Kind::LocalTime);
    time_now => current(Kind::Time);
    localdatetime_now => current(Kind::LocalDateTime);
    datetime_now => current(Kind::DateTime);
    date_truncate => truncate(Kind::Date);
    localtime_truncate => truncate(Kind::LocalTime);
    time_truncate => truncate(Kind::Time);
    localdatetime_truncate => truncate(Kind::LocalDateTime);
    datetime_truncate => truncate(Kind::DateTime);
    duration_between => between("duration.between", Between::All);
    duration_in_months => between("duration.inMonths", Between::Months);
    duration_in_days => between("duration.inDays", Between::Days);
    duration_in_seconds => between("duration.inSeconds", Between::Seconds);
}

fn truncate(kind: Kind, a: &[Value]) -> FnResult {
    let name = format!("{}.truncate", kind.name());
    if a.iter().take(2).any(Value::is_null) {
        return Ok(Value::Null);
    }
    let unit = match &a[0] {
        Value::Str(s) => &**s,
        v => return Err(arg_error(&name, "a unit string such as `'month'`", v)),
    };
    let t = match as_temporal(&a[1]) {
        Some(t) => t,
        None => {
            to_arg(&name, "the value", &a[1])?;
            return Err(arg_error(&name, "a temporal value", &a[1]));
        }
    };
    let f = match a.get(2) {
        None | Some(Value::Null) => Fields::new(),
        Some(Value::Map(m)) => fields(&name, m)?,
        Some(v) => return Err(arg_error(&name, "a map of fields", v)),
    };
    temporal_value(tm::truncate(kind, unit, &t, &f).map_err(terr)?)
}

fn int_arg(func: &str, v: &Value) -> Result<i64, QueryError> {
    match v {
        Value::Int(i) => Ok(*i),
        v => Err(arg_error(func, "an integer", v)),
    }
}

pub(super) fn datetime_fromepoch(_: &Graph, a: &[Value]) -> FnResult {
    if a.iter().any(Value::is_null) {
        return Ok(Value::Null);
    }
    let s = int_arg("datetime.fromepoch", &a[0])?;
    let n = int_arg("datetime.fromepoch", &a[1])?;
    temporal_value(Temporal::DateTime(tm::from_epoch(s, n)))
}

pub(super) fn datetime_fromepochmillis(_: &Graph, a: &[Value]) -> FnResult {
    if a[0].is_null() {
        return Ok(Value::Null);
    }
    let ms = int_arg("datetime.fromepochmillis", &a[0])?;
    temporal_value(Temporal::DateTime(tm::from_epoch(
        ms.div_euclid(1000),
        ms.rem_euclid(1000) * 1_000_000,
    )))
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Float(f) => Some(Num::Float(*f)),
        _ => None,
    }
}

pub(super) fn duration(_: &Graph, a: &[Value]) -> FnResult {
    match &a[0] {
        Value::Null => Ok(Value::Null),
        Value::Str(s) => temporal_value(Temporal::Duration(
            tm::parse_duration(s.trim()).map_err(terr)?,
        )),
        Value::Temporal(t) if matches!(**t, Temporal::Duration(_)) => Ok(a[0].clone()),
        Value::Map(m) => {
            const KEYS: &[&str] = &[
                "years",
                "quarters",
                "months",
                "weeks",
                "days",
                "hours",
                "minutes",
                "seconds",
                "milliseconds",
                "microseconds",
                "nanoseconds",
            ];
            let zero = Num::Int(0);
            let mut get = BTreeMap::new();
            for (k, v) in m {
                if !KEYS.contains(&k.as_str()) {
                    return Err(value_error(format!(
                        "`{k}` is not a unit of a duration: use {}",
                        KEYS.join(", ")
                    )));
                }
                match v {
                    Value::Null => {}
                    v => match num(v) {
                        Some(n) => {
                            get.insert(k.as_str(), n);
                        }
                        None => return Err(arg_error("duration", "numbers", v)),
                    },
                }
            }
            let g = |k: &str| get.get(k).copied().unwrap_or(zero);
            let q = match g("quarters") {
                Num::Int(i) => Num::Int(i * 3),
                Num::Float(f) => Num::Float(f * 3.0),
            };
            let months = add_nums(g("months"), q);
            let sub = add_nums(
                add_nums(
                    mul_num(g("milliseconds"), 1_000_000),
                    mul_num(g("microseconds"), 1000),
                ),
                g("nanoseconds"),
            );
            let d = tm::duration_from_parts(
                g("years"),
                months,
                g("weeks"),
                g("days"),
                g("hours"),
                g("minutes"),
                g("seconds"),
                sub,
            )
            .map_err(terr)?;
            temporal_value(Temporal::Duration(d))
        }
        v => Err(arg_error("duration", "a string like `P1M` or a map", v)),
    }
}

fn add_nums(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Num::Int(x.saturating_add(y)),
        (x, y) => Num::Float(f(x) + f(y)),
    }
}

fn mul_num(a: Num, k: i64) -> Num {
    match a {
        Num::Int(x) => Num::Int(x.saturating_mul(k)),
        Num::Float(x) => Num::Float(x * k as f64),
    }
}

fn f(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(x) => x,
    }
}

fn between(name: &str, unit: Between, a: &[Value]) -> FnResult {
    if a.iter().any(Value::is_null) {
        return Ok(Value::Null);
    }
    // Partial dates: whole units of the coarser precision.
    if let (Value::Date(x), Value::Date(y)) = (&a[0], &a[1])
        && (x.precision() != Precision::Day || y.precision() != Precision::Day)
    {
        return partial_between(unit, x, y);
    }
    for v in a {
        if let Value::Date(d) = v
            && d.precision() != Precision::Day
        {
            let other = if std::ptr::eq(v, &a[0]) { &a[1] } else { &a[0] };
            let Some(t) = as_temporal(other) else {
                return Err(arg_error(name, "temporal values", other));
            };
            let Some(days) = t.days() else {
                return Ok(Value::Temporal(Box::new(Temporal::Duration(
                    Duration::default(),
                ))));
            };
            let (y, m, dd) = tm::civil_from_days(days);
            let full = PartialDate {
                year: y as i32,
                month: Some(m as u8),
                day: Some(dd as u8),
            };
            let (x, y) = if std::ptr::eq(v, &a[0]) {
                (*d, full)
            } else {
                (full, *d)
            };
            return partial_between(unit, &x, &y);
        }
    }
    let (Some(x), Some(y)) = (as_temporal(&a[0]), as_temporal(&a[1])) else {
        let bad = if as_temporal(&a[0]).is_none() {
            &a[0]
        } else {
            &a[1]
        };
        return Err(arg_error(name, "two temporal values", bad));
    };
    temporal_value(Temporal::Duration(tm::between(&x, &y, unit).map_err(terr)?))
}

/// Between dates of which one is partial: exact in whole months (or years)
/// at the coarser precision; days are unknown, so `inDays` and `inSeconds`
/// are null.
fn partial_between(unit: Between, x: &PartialDate, y: &PartialDate) -> FnResult {
    if matches!(unit, Between::Days | Between::Seconds) {
        let bit = if unit == Between::Days { 1 } else { 2 };
        DAYS_UNKNOWN.with(|d| d.set(d.get() | bit));
        return Ok(Value::Null);
    }
    let p = x.precision().min(y.precision());
    let months = |d: &PartialDate| {
        let m = match p {
            Precision::Year => 0,
            _ => i64::from(d.month.unwrap_or(1)) - 1,
        };
        i64::from(d.year) * 12 + m
    };
    let diff = months(y) - months(x);
    temporal_value(Temporal::Duration(Duration {
        months: diff,
        ..Duration::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::ast::BinaryOp;

    fn call(f: fn(&Graph, &[Value]) -> FnResult, args: &[Value]) -> String {
        let g = Graph::default();
        match f(&g, args) {
            Ok(Value::Temporal(t)) => t.to_string(),
            Ok(Value::Date(d)) => d.to_string(),
            Ok(v) => v.to_string(),
            Err(e) => format!("error: {}", e.message),
        }
    }

    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    #[test]
    fn partial_dates_stay_partial() {
        assert_eq!(call(date, &[s("2015-07")]), "2015-07");
        assert_eq!(call(date, &[s("2015")]), "2015");
        assert_eq!(call(date, &[s("2015-W30")]), "2015-07-20");
        let m: BTreeMap<String, Value> = [("year".to_string(), Value::Int(1984))].into();
        assert_eq!(call(date, &[Value::Map(m)]), "1984");
    }

    #[test]
    fn partial_dates_in_arithmetic() {
        let june = call(date, &[s("2024-06")]);
        assert_eq!(june, "2024-06");
        let d = duration(&Graph::default(), &[s("P1M")]).unwrap();
        let j = date(&Graph::default(), &[s("2024-06")]).unwrap();
        let got = crate::query::eval::temporal::arithmetic(BinaryOp::Add, &j, &d)
            .unwrap()
            .unwrap();
        assert_eq!(got.to_string(), "date('2024-07')");
        let days = duration(&Graph::default(), &[s("P3D")]).unwrap();
        assert!(
            crate::query::eval::temporal::arithmetic(BinaryOp::Add, &j, &days)
                .unwrap()
                .is_err()
        );
        let aug = date(&Graph::default(), &[s("2024-08")]).unwrap();
        assert_eq!(call(duration_between, &[j.clone(), aug.clone()]), "P2M");
        assert_eq!(call(duration_in_days, &[j, aug]), "null");
    }
}
