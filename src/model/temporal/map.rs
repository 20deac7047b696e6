//! Temporal values built from maps (`date({year: 1984, week: 10})`) and
//! from other temporal values.

use super::*;

/// A map entry given to a temporal function.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Num(Num),
    Str(String),
    Temporal(Temporal),
}

pub type Fields = BTreeMap<String, Arg>;

pub(super) const DATE_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "dayOfWeek",
    "ordinalDay",
    "quarter",
    "dayOfQuarter",
];
pub(super) const TIME_KEYS: &[&str] = &[
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
    "nanosecond",
];

pub(super) fn int_field(fields: &Fields, key: &str) -> Result<Option<i64>, TemporalError> {
    match fields.get(key) {
        None => Ok(None),
        Some(Arg::Num(Num::Int(i))) => Ok(Some(*i)),
        Some(Arg::Num(Num::Float(f))) if f.fract() == 0.0 => Ok(Some(*f as i64)),
        Some(_) => err(format!("`{key}` must be an integer")),
    }
}

pub(super) fn temporal_field<'a>(
    fields: &'a Fields,
    key: &str,
) -> Result<Option<&'a Temporal>, TemporalError> {
    match fields.get(key) {
        None => Ok(None),
        Some(Arg::Temporal(t)) => Ok(Some(t)),
        Some(_) => err(format!("`{key}` must be a temporal value")),
    }
}

/// How a map is read: `from_map` (selection from other values; a new
/// `timezone` converts a zoned value) or truncation (the map's fields refine
/// the truncated value; a `timezone` replaces the zone, keeping the local
/// time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Select,
    Truncate,
}

/// Builds a value from a map (`date({year: 1984, week: 10})`,
/// `datetime({date: d, time: t, timezone: 'Europe/Stockholm'})`).
/// Without a zone from the map or from a base value, a time or date-time is
/// in UTC.
pub fn from_map(kind: Kind, fields: &Fields) -> Result<Temporal, TemporalError> {
    build(kind, fields, Mode::Select, None, None)
}

pub(super) fn build(
    kind: Kind,
    fields: &Fields,
    mode: Mode,
    base_date_in: Option<i64>,
    base_time_in: Option<(i64, Option<Zone>)>,
) -> Result<Temporal, TemporalError> {
    for k in fields.keys() {
        let known = DATE_KEYS.contains(&k.as_str())
            || TIME_KEYS.contains(&k.as_str())
            || matches!(k.as_str(), "date" | "time" | "datetime" | "timezone");
        if !known {
            return err(format!("`{k}` is not a field of {}", kind.name()));
        }
    }
    let dt_src = temporal_field(fields, "datetime")?;
    let date_src = temporal_field(fields, "date")?.or(dt_src);
    let time_src = temporal_field(fields, "time")?.or(dt_src);
    let base_date = match date_src {
        Some(t) => Some(t.days().ok_or_else(|| {
            TemporalError(format!(
                "`date` must have a date, found a {}",
                t.type_name()
            ))
        })?),
        None => base_date_in,
    };
    let (base_time, base_zone) = match time_src {
        Some(t) => {
            let n = t.time_of_day().unwrap_or(0);
            let z = t.zone();
            // A date-only value as time source gives midnight.
            if matches!(t, Temporal::Duration(_)) {
                return err("`time` must be a temporal value with a time");
            }
            (Some(n), z)
        }
        None => match base_time_in {
            Some((n, z)) => (Some(n), z),
            None => (None, None),
        },
    };
    // Date part.
    let days = if kind.has_date() {
        Some(date_fields(fields, base_date)?)
    } else {
        None
    };
    // Time part.
    let nanos = if kind.has_time() {
        Some(time_fields(fields, base_time, mode)?)
    } else {
        None
    };
    if !kind.has_time() {
        for k in TIME_KEYS {
            if fields.contains_key(*k) {
                return err(format!("`{k}` is not a field of a date"));
            }
        }
    }
    if !kind.has_date() {
        for k in DATE_KEYS {
            if fields.contains_key(*k) {
                return err(format!("`{k}` is not a field of a time"));
            }
        }
    }
    let new_zone = match fields.get("timezone") {
        None => None,
        Some(Arg::Str(s)) => Some(parse_zone(s)?),
        Some(_) => return err("`timezone` must be a string like `+01:00` or `Europe/Stockholm`"),
    };
    match kind {
        Kind::Date => Ok(Temporal::Date(days.unwrap_or(0))),
        Kind::LocalTime => Ok(Temporal::LocalTime(nanos.unwrap_or(0))),
        Kind::LocalDateTime => Ok(Temporal::LocalDateTime(LocalDateTime {
            days: days.unwrap_or(0),
            nanos: nanos.unwrap_or(0),
        })),
        Kind::Time => {
            let nanos = nanos.unwrap_or(0);
            // A named zone as a time's zone: its offset where the source
            // value is (a date-time), else its offset now.
            let fixed = |z: &Zone, src: Option<&Temporal>| -> Result<i32, TemporalError> {
                match z {
                    Zone::Offset(o) => Ok(*o),
                    Zone::Named(n) => match src {
                        Some(Temporal::DateTime(dt)) if dt.zone.as_deref() == Some(n) => {
                            Ok(dt.offset)
                        }
                        _ => offset_at_instant(n, now_epoch_nanos()),
                    },
                }
            };
            let src_offset = time_src.and_then(Temporal::offset);
            match (new_zone, &base_zone) {
                (Some(nz), Some(_)) if mode == Mode::Select => {
                    let from = src_offset.unwrap_or(0);
                    let to = fixed(&nz, None)?;
                    let n = (nanos - i64::from(from) * NANOS_PER_SEC
                        + i64::from(to) * NANOS_PER_SEC)
                        .rem_euclid(NANOS_PER_DAY);
                    Ok(Temporal::Time(Time {
                        nanos: n,
                        offset: to,
                    }))
                }
                (Some(nz), _) => Ok(Temporal::Time(Time {
                    nanos,
                    offset: fixed(&nz, None)?,
                })),
                (None, Some(z)) => Ok(Temporal::Time(Time {
                    nanos,
                    offset: match src_offset {
                        Some(o) => o,
                        None => fixed(z, None)?,
                    },
                })),
                (None, None) => Ok(Temporal::Time(Time { nanos, offset: 0 })),
            }
        }
        Kind::DateTime => {
            let local = LocalDateTime {
                days: days.unwrap_or(0),
                nanos: nanos.unwrap_or(0),
            };
            let dt = match (new_zone, base_zone) {
                (Some(nz), Some(bz)) if mode == Mode::Select => {
                    let here = in_zone(local, &bz)?;
                    at_instant(here.epoch_nanos(), &nz)?
                }
                (Some(nz), _) => in_zone(local, &nz)?,
                (None, Some(bz)) => in_zone(local, &bz)?,
                (None, None) => in_zone(local, &Zone::Offset(0))?,
            };
            Ok(Temporal::DateTime(dt))
        }
    }
}

pub(super) fn date_fields(fields: &Fields, base: Option<i64>) -> Result<i64, TemporalError> {
    let g = |k| int_field(fields, k);
    let (year, month, day) = (g("year")?, g("month")?, g("day")?);
    let (week, dow) = (g("week")?, g("dayOfWeek")?);
    let ordinal = g("ordinalDay")?;
    let (quarter, doq) = (g("quarter")?, g("dayOfQuarter")?);
    let base_civil = base.map(civil_from_days);
    let need_year = || -> Result<i64, TemporalError> {
        match (year, base_civil) {
            (Some(y), _) => Ok(y),
            (None, Some((y, _, _))) => Ok(y),
            (None, None) => err("a date needs a `year`"),
        }
    };
    if week.is_some() || (dow.is_some() && month.is_none() && ordinal.is_none()) {
        if month.is_some() || day.is_some() || ordinal.is_some() || quarter.is_some() {
            return err("`week` cannot be combined with `month`, `day`, `ordinalDay` or `quarter`");
        }
        let (bwy, bw) = match base {
            Some(b) => {
                let (wy, w) = iso_week(b);
                (Some(wy), Some(w))
            }
            None => (None, None),
        };
        let wy = match (year, bwy) {
            (Some(y), _) => y,
            (None, Some(y)) => y,
            (None, None) => return err("a date needs a `year`"),
        };
        let w = week.or(bw).unwrap_or(1);
        let d = dow.or(base.map(day_of_week)).unwrap_or(1);
        return week_day(wy, w, d);
    }
    if let Some(od) = ordinal {
        if month.is_some() || day.is_some() || quarter.is_some() {
            return err("`ordinalDay` cannot be combined with `month`, `day` or `quarter`");
        }
        return ordinal_day(need_year()?, od);
    }
    if quarter.is_some() || doq.is_some() {
        if month.is_some() || day.is_some() {
            return err("`quarter` cannot be combined with `month` or `day`");
        }
        let y = need_year()?;
        let (bq, bdq) = match base {
            Some(b) => {
                let (by, bm, _) = civil_from_days(b);
                let q = i64::from((bm - 1) / 3 + 1);
                (Some(q), Some(b - quarter_start(by, q) + 1))
            }
            None => (None, None),
        };
        return quarter_day(y, quarter.or(bq).unwrap_or(1), doq.or(bdq).unwrap_or(1));
    }
    if day.is_some() && month.is_none() && base.is_none() {
        return err("a date with a `day` needs a `month`");
    }
    let y = need_year()?;
    let m = month
        .or(base_civil.map(|(_, m, _)| i64::from(m)))
        .unwrap_or(1);
    let d = day
        .or(base_civil.map(|(_, _, d)| i64::from(d)))
        .unwrap_or(1);
    make_day(y, m, d)
}

pub(super) fn time_fields(
    fields: &Fields,
    base: Option<i64>,
    mode: Mode,
) -> Result<i64, TemporalError> {
    let g = |k| int_field(fields, k);
    let (h, m, s) = (g("hour")?, g("minute")?, g("second")?);
    let (ms, us, ns) = (g("millisecond")?, g("microsecond")?, g("nanosecond")?);
    let b = base.unwrap_or(0);
    if base.is_none() {
        if h.is_none() && (m.is_some() || s.is_some()) {
            return err("a time with a `minute` or `second` needs an `hour`");
        }
        if m.is_none() && s.is_some() {
            return err("a time with a `second` needs a `minute`");
        }
    }
    let hour = h.unwrap_or(b / NANOS_PER_HOUR);
    let minute = m.unwrap_or(b / NANOS_PER_MIN % 60);
    let second = s.unwrap_or(b / NANOS_PER_SEC % 60);
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) || !(0..60).contains(&second) {
        return err(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        ));
    }
    let sub_given = ms.is_some() || us.is_some() || ns.is_some();
    let (msv, usv, nsv) = (ms.unwrap_or(0), us.unwrap_or(0), ns.unwrap_or(0));
    if ms.is_some() && !(0..1000).contains(&msv) {
        return err(format!("millisecond {msv} is out of range: 0 to 999"));
    }
    let limit_us = if ms.is_some() { 1000 } else { 1_000_000 };
    if us.is_some() && !(0..limit_us).contains(&usv) {
        return err(format!("microsecond {usv} is out of range"));
    }
    let limit_ns = if us.is_some() {
        1000
    } else if ms.is_some() {
        1_000_000
    } else {
        NANOS_PER_SEC
    };
    if ns.is_some() && !(0..limit_ns).contains(&nsv) {
        return err(format!("nanosecond {nsv} is out of range"));
    }
    let given = msv * 1_000_000 + usv * 1000 + nsv;
    let sub = match mode {
        _ if !sub_given => b % NANOS_PER_SEC,
        Mode::Select => given,
        Mode::Truncate => b % NANOS_PER_SEC + given,
    };
    Ok(hour * NANOS_PER_HOUR + minute * NANOS_PER_MIN + second * NANOS_PER_SEC + sub)
}
