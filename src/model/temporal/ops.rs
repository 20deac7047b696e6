//! Projection between types, truncation, components, arithmetic with
//! durations and the differences between two values.

use super::*;

/// `date(x)`, `localtime(x)`... of another temporal value: the parts the
/// target type has, taken from `t`.
pub fn project(kind: Kind, t: &Temporal) -> Result<Temporal, TemporalError> {
    let mut f = Fields::new();
    let key = if t.days().is_some() && t.time_of_day().is_some() {
        "datetime"
    } else if t.days().is_some() {
        "date"
    } else {
        "time"
    };
    if kind.has_date() && t.days().is_none() {
        return err(format!(
            "cannot make a {} from a {}",
            kind.name(),
            t.type_name()
        ));
    }
    if matches!(t, Temporal::Duration(_)) {
        return err(format!("cannot make a {} from a DURATION", kind.name()));
    }
    f.insert(key.into(), Arg::Temporal(t.clone()));
    from_map(kind, &f)
}

// ---------------------------------------------------------------- truncate

/// `date.truncate(unit, t, map)` and its kin.
pub fn truncate(
    kind: Kind,
    unit: &str,
    t: &Temporal,
    fields: &Fields,
) -> Result<Temporal, TemporalError> {
    let days = t.days();
    let nanos = t.time_of_day().unwrap_or(0);
    if kind.has_date() && days.is_none() {
        return err(format!(
            "cannot truncate a {} to a {}",
            t.type_name(),
            kind.name()
        ));
    }
    let date_unit = matches!(
        unit,
        "millennium" | "century" | "decade" | "year" | "weekYear" | "quarter" | "month" | "week"
    );
    let time_unit = matches!(
        unit,
        "day" | "hour" | "minute" | "second" | "millisecond" | "microsecond"
    );
    if !date_unit && !time_unit {
        return err(format!(
            "`{unit}` is not a unit: use millennium, century, decade, year, weekYear, quarter, month, week, day, hour, minute, second, millisecond or microsecond"
        ));
    }
    if !kind.has_date() && date_unit {
        return err(format!("cannot truncate a time to the `{unit}`"));
    }
    let new_days = days.map(|d| {
        let (y, m, _) = civil_from_days(d);
        match unit {
            "millennium" => days_from_civil(y.div_euclid(1000) * 1000, 1, 1),
            "century" => days_from_civil(y.div_euclid(100) * 100, 1, 1),
            "decade" => days_from_civil(y.div_euclid(10) * 10, 1, 1),
            "year" => days_from_civil(y, 1, 1),
            "weekYear" => week_one(iso_week(d).0),
            "quarter" => quarter_start(y, i64::from((m - 1) / 3 + 1)),
            "month" => days_from_civil(y, m, 1),
            "week" => d - (day_of_week(d) - 1),
            _ => d,
        }
    });
    let step = match unit {
        "hour" => NANOS_PER_HOUR,
        "minute" => NANOS_PER_MIN,
        "second" => NANOS_PER_SEC,
        "millisecond" => 1_000_000,
        "microsecond" => 1000,
        _ => NANOS_PER_DAY,
    };
    let new_nanos = nanos - nanos % step;
    let zone = t.zone();
    build(
        kind,
        fields,
        Mode::Truncate,
        new_days,
        Some((new_nanos, zone)),
    )
}

// -------------------------------------------------------------- components

/// A named component of a date, time or date-time (`d.year`, `t.offset`...).
pub enum Component {
    Int(i64),
    Str(String),
}

pub fn component(t: &Temporal, name: &str) -> Option<Component> {
    use Component::{Int, Str};
    if let Temporal::Duration(d) = t {
        return d.component(name).map(Int);
    }
    if let Some(days) = t.days() {
        let (y, m, d) = civil_from_days(days);
        let q = i64::from((m - 1) / 3 + 1);
        let v = match name {
            "year" => Some(y),
            "quarter" => Some(q),
            "month" => Some(i64::from(m)),
            "week" => Some(iso_week(days).1),
            "weekYear" => Some(iso_week(days).0),
            "day" => Some(i64::from(d)),
            "ordinalDay" => Some(days - days_from_civil(y, 1, 1) + 1),
            "weekDay" | "dayOfWeek" => Some(day_of_week(days)),
            "dayOfQuarter" => Some(days - quarter_start(y, q) + 1),
            _ => None,
        };
        if let Some(v) = v {
            return Some(Int(v));
        }
    }
    if let Some(n) = t.time_of_day() {
        let v = match name {
            "hour" => Some(n / NANOS_PER_HOUR),
            "minute" => Some(n / NANOS_PER_MIN % 60),
            "second" => Some(n / NANOS_PER_SEC % 60),
            "millisecond" => Some(n % NANOS_PER_SEC / 1_000_000),
            "microsecond" => Some(n % NANOS_PER_SEC / 1000),
            "nanosecond" => Some(n % NANOS_PER_SEC),
            _ => None,
        };
        if let Some(v) = v {
            return Some(Int(v));
        }
    }
    if let Some(off) = t.offset() {
        match name {
            "timezone" => {
                return Some(Str(match t {
                    Temporal::DateTime(DateTime { zone: Some(z), .. }) => z.to_string(),
                    _ => offset_string(off),
                }));
            }
            "offset" => {
                return Some(Str(if off == 0 {
                    "+00:00".into()
                } else {
                    offset_string(off)
                }));
            }
            "offsetMinutes" => return Some(Int(i64::from(off) / 60)),
            "offsetSeconds" => return Some(Int(i64::from(off))),
            _ => {}
        }
    }
    if let Temporal::DateTime(dt) = t {
        let e = dt.epoch_nanos();
        match name {
            "epochSeconds" => return Some(Int(e.div_euclid(i128::from(NANOS_PER_SEC)) as i64)),
            "epochMillis" => return Some(Int(e.div_euclid(1_000_000) as i64)),
            _ => {}
        }
    }
    None
}

// -------------------------------------------------------------- arithmetic

/// `t + d` (and `t - d` with `d` negated).
pub fn add_duration(t: &Temporal, d: &Duration) -> Result<Temporal, TemporalError> {
    let out_of_range = || TemporalError("the result is out of range".into());
    let day_step = |days: i64| -> Result<i64, TemporalError> {
        let days = add_months(days, d.months)?;
        days.checked_add(d.days).ok_or_else(out_of_range)
    };
    match t {
        Temporal::Date(days) => {
            // A date takes the whole days of the seconds, as openCypher does.
            let extra = d.seconds / SECS_PER_DAY;
            let day = day_step(*days)?
                .checked_add(extra)
                .ok_or_else(out_of_range)?;
            check_year(civil_from_days(day).0)?;
            Ok(Temporal::Date(day))
        }
        Temporal::LocalTime(n) => Ok(Temporal::LocalTime(shift_time(*n, d))),
        Temporal::Time(tm) => Ok(Temporal::Time(Time {
            nanos: shift_time(tm.nanos, d),
            offset: tm.offset,
        })),
        Temporal::LocalDateTime(l) => {
            let base = LocalDateTime {
                days: day_step(l.days)?,
                nanos: l.nanos,
            };
            Ok(Temporal::LocalDateTime(local_from_nanos(
                local_nanos(base) + d.total_nanos(),
            )))
        }
        Temporal::DateTime(dt) => {
            let base = LocalDateTime {
                days: day_step(dt.local.days)?,
                nanos: dt.local.nanos,
            };
            let zone = dt.zone();
            let placed = in_zone(base, &zone)?;
            Ok(Temporal::DateTime(at_instant(
                placed.epoch_nanos() + d.total_nanos(),
                &zone,
            )?))
        }
        Temporal::Duration(a) => Ok(Temporal::Duration(a.add(d)?)),
    }
}

pub(super) fn shift_time(n: i64, d: &Duration) -> i64 {
    (i128::from(n) + d.total_nanos()).rem_euclid(i128::from(NANOS_PER_DAY)) as i64
}

// ------------------------------------------------------------ differences

/// What `duration.between` and its kin measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Between {
    All,
    Months,
    Days,
    Seconds,
}

/// `duration.between(a, b)` (and `inMonths`, `inDays`, `inSeconds`): whole
/// months, then whole days, then the rest, from `a` to `b`. A value without
/// a zone is read in the other's zone; when either has no date only the
/// times of day count.
pub fn between(a: &Temporal, b: &Temporal, unit: Between) -> Result<Duration, TemporalError> {
    if matches!(a, Temporal::Duration(_)) || matches!(b, Temporal::Duration(_)) {
        return err("durations have no duration between them");
    }
    let both_dates = a.days().is_some() && b.days().is_some();
    let za = a.zone();
    let zb = b.zone();
    // Where each is: day (if any), local time, offset (if any).
    let place = |t: &Temporal,
                 other: &Temporal,
                 other_zone: &Option<Zone>|
     -> Result<(Option<i64>, i64, Option<i32>), TemporalError> {
        let days = t.days();
        let nanos = t.time_of_day().unwrap_or(0);
        if let Some(o) = t.offset() {
            return Ok((days, nanos, Some(o)));
        }
        match other_zone {
            None => Ok((days, nanos, None)),
            Some(z) => {
                let day = days.or(other.days());
                match day {
                    Some(day) => {
                        let dt = in_zone(LocalDateTime { days: day, nanos }, z)?;
                        Ok((days, nanos, Some(dt.offset)))
                    }
                    None => match z {
                        Zone::Offset(o) => Ok((days, nanos, Some(*o))),
                        Zone::Named(_) => Ok((days, nanos, None)),
                    },
                }
            }
        }
    };
    let (da, na, oa) = place(a, b, &zb)?;
    let (db, nb, ob) = place(b, a, &za)?;
    let sec = i128::from(NANOS_PER_SEC);
    if !both_dates {
        if matches!(unit, Between::Months | Between::Days) {
            return Ok(Duration::default());
        }
        let diff = match (oa, ob) {
            (Some(oa), Some(ob)) => {
                (i128::from(nb) - i128::from(ob) * sec) - (i128::from(na) - i128::from(oa) * sec)
            }
            _ => i128::from(nb) - i128::from(na),
        };
        return Duration::new(0, 0, diff);
    }
    let (da, db) = (da.unwrap_or(0), db.unwrap_or(0));
    let la = LocalDateTime {
        days: da,
        nanos: na,
    };
    let mut lb = LocalDateTime {
        days: db,
        nanos: nb,
    };
    let zoned = oa.is_some() && ob.is_some();
    // Both zoned: see `b` in `a`'s zone.
    let a_zone = match (&za, oa) {
        (Some(z), _) => Some(z.clone()),
        (None, Some(o)) => Some(Zone::Offset(o)),
        _ => None,
    };
    let epoch_b = local_nanos(lb) - i128::from(ob.unwrap_or(0)) * sec;
    let epoch_a = local_nanos(la) - i128::from(oa.unwrap_or(0)) * sec;
    if zoned && let Some(z) = &a_zone {
        lb = at_instant(epoch_b, z)?.local;
    }
    match unit {
        Between::Seconds => {
            let diff = if zoned {
                epoch_b - epoch_a
            } else {
                local_nanos(lb) - local_nanos(la)
            };
            Duration::new(0, 0, diff)
        }
        Between::Days => Duration::new(0, days_until(la, lb), 0),
        Between::Months => Duration::new(months_until(la, lb), 0, 0),
        Between::All => {
            let months = months_until(la, lb);
            let a1 = LocalDateTime {
                days: add_months(la.days, months)?,
                nanos: la.nanos,
            };
            let days = days_until(a1, lb);
            let a2 = LocalDateTime {
                days: a1.days + days,
                nanos: a1.nanos,
            };
            let rest = match (zoned, &a_zone) {
                (true, Some(z)) => epoch_b - in_zone(a2, z)?.epoch_nanos(),
                _ => local_nanos(lb) - local_nanos(a2),
            };
            Duration::new(months, days, rest)
        }
    }
}

pub(super) fn months_until(a: LocalDateTime, b: LocalDateTime) -> i64 {
    let (ya, ma, da) = civil_from_days(a.days);
    let (yb, mb, db) = civil_from_days(b.days);
    let mut months = (yb * 12 + i64::from(mb)) - (ya * 12 + i64::from(ma));
    let ka = (da, a.nanos);
    let kb = (db, b.nanos);
    if months > 0 && kb < ka {
        months -= 1;
    } else if months < 0 && kb > ka {
        months += 1;
    }
    months
}

pub(super) fn days_until(a: LocalDateTime, b: LocalDateTime) -> i64 {
    let mut days = b.days - a.days;
    if days > 0 && b.nanos < a.nanos {
        days -= 1;
    } else if days < 0 && b.nanos > a.nanos {
        days += 1;
    }
    days
}
